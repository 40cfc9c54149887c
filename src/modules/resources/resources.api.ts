/**
 * Read-only JSON API of the resource library (`/api/v1/resources`, `/api/v1/resources/{slug}`): published
 * resources only, with the same search and filters as the public list. The response schemas serialise (only
 * declared fields leave the server) and document the routes in `/api/openapi.json`.
 */
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../container.ts';
import { resourcePaths as p } from './resources.paths.ts';
import type { AttachmentRow, ResourceRow } from './resources.repository.ts';
import { reviewDueOn } from './resources.rules.ts';
import { resourceNations, SearchQuery } from './resources.schema.ts';
import { audiences, resourceKinds } from './resources.tables.ts';

const str = { type: 'string' } as const;
const date = { type: 'string', format: 'date' } as const;
const strings = { type: 'array', items: str } as const;

const summaryProperties = {
  slug: str,
  kind: { type: 'string', enum: [...resourceKinds] },
  title: str,
  summary: str,
  audience: { type: 'string', enum: [...audiences] },
  principles: { ...strings, description: 'Principle slugs from the Covenant registry' },
  commitments: { ...strings, description: 'Commitment codes from the Covenant registry' },
  nations: { ...strings, description: 'Nations it applies in; empty means the whole UK' },
  version: { type: 'integer' },
  lastReviewedOn: date,
  nextReviewDueOn: date,
  url: { ...str, description: 'The resource’s page' },
} as const;

export const resourceSummarySchema = {
  type: 'object',
  required: ['slug', 'kind', 'title', 'summary', 'audience', 'version', 'lastReviewedOn', 'url'],
  properties: summaryProperties,
} as const;

export const resourceSchema = {
  type: 'object',
  required: [...resourceSummarySchema.required, 'body', 'attachments'],
  properties: {
    ...summaryProperties,
    body: {
      ...str,
      description: 'Plain text: blank lines separate paragraphs, "## " starts a heading, "- " a list item',
    },
    attachments: {
      type: 'array',
      items: {
        type: 'object',
        properties: { filename: str, kind: str, sizeBytes: { type: 'integer' }, sha256: str, url: str },
      },
    },
  },
} as const;

export function resourceSummaryJson(r: ResourceRow, baseUrl: string) {
  return {
    slug: r.slug,
    kind: r.kind,
    title: r.title,
    summary: r.summary,
    audience: r.audience,
    principles: r.principles,
    commitments: r.commitments,
    nations: r.nations,
    version: r.version,
    lastReviewedOn: r.lastReviewedOn,
    nextReviewDueOn: reviewDueOn(r),
    url: `${baseUrl}${p.show({ slug: r.slug })}`,
  };
}

export function registerResourcesApi(app: FastifyInstance, deps: Deps) {
  const tags = ['Support'];
  const base = deps.config.BASE_URL;
  const problem = {
    type: 'object',
    properties: { type: str, title: str, status: { type: 'integer' }, detail: str },
  };

  app.get(
    p.api.list.pattern,
    {
      schema: {
        tags,
        summary: 'Published resources of the library, with full-text search and filters',
        querystring: {
          type: 'object',
          properties: {
            q: { ...str, description: 'Words to search for (web search syntax: "quoted phrase", -not)' },
            kind: { type: 'string', enum: [...resourceKinds] },
            principle: { ...str, description: 'A principle slug' },
            commitment: { ...str, description: 'A commitment code, for example PC-G1' },
            audience: {
              type: 'string',
              enum: [...audiences],
              description: 'civil_society or public_body include resources for both',
            },
            nation: {
              type: 'string',
              enum: [...resourceNations],
              description: 'Includes resources for the whole UK',
            },
            page: { type: 'integer', minimum: 1, default: 1 },
          },
        },
        response: {
          200: {
            type: 'object',
            properties: {
              total: { type: 'integer' },
              page: { type: 'integer' },
              pages: { type: 'integer' },
              items: { type: 'array', items: resourceSummarySchema },
            },
          },
          400: problem,
        },
      },
    },
    async (request) => {
      const data = await deps.resources.list(SearchQuery.parse(request.query ?? {}));
      return {
        total: data.total,
        page: data.page,
        pages: data.pages,
        items: data.results.map((r) => resourceSummaryJson(r, base)),
      };
    },
  );

  app.get<{ Params: { slug: string } }>(
    p.api.one.pattern,
    {
      schema: {
        tags,
        summary: 'One published resource, with its text and files',
        params: { type: 'object', properties: { slug: str } },
        response: { 200: resourceSchema, 404: problem },
      },
    },
    async (request) => {
      // Anonymous: a draft is "not found" here whoever asks.
      const page = await deps.resources.page(null, request.params.slug);
      const r = page.resource;
      return {
        ...resourceSummaryJson(r, base),
        body: r.body,
        attachments: page.attachments.map((a: AttachmentRow) => ({
          filename: a.filename,
          kind: a.fileKind,
          sizeBytes: a.sizeBytes,
          sha256: a.sha256,
          url: `${base}${p.attachment({ slug: r.slug, id: a.id })}`,
        })),
      };
    },
  );
}
