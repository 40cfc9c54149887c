/**
 * Read-only JSON API for consultations and their published responses (issue 7, item 6). The response schemas
 * both serialise (only declared fields leave the server) and document the routes in `/api/openapi.json`.
 * Published responses follow the consent rule: only moderated, consenting responses; names only with consent
 * `named`; never an email address; redacted words only. Aggregates are Helper B's (consultations.analysis).
 */
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../container.ts';
import { consultationPaths as p } from './consultations.paths.ts';
import type { Consultation } from './consultations.repository.ts';
import { periodLength, windowOf } from './consultations.rules.ts';
import { SearchQuery } from './consultations.schema.ts';
import { questionsOf } from './consultations.service.ts';
import { commentStances, principleViews, respondentTypes } from './consultations.tables.ts';

const str = { type: 'string' } as const;
const nullableStr = { type: ['string', 'null'] } as const;
const date = { type: 'string', format: 'date' } as const;

export const consultationSchema = {
  type: 'object',
  required: ['slug', 'title', 'summary', 'opensOn', 'closesOn', 'state', 'url'],
  properties: {
    slug: str,
    title: str,
    summary: str,
    howResponsesUsed: { ...str, description: 'How responses will be used and published' },
    versionId: { type: 'string', format: 'uuid', description: 'The Covenant text version consulted on' },
    opensOn: date,
    closesOn: date,
    weeks: { type: 'integer', description: 'Length of the consultation period in whole weeks' },
    shortPeriodReason: {
      ...nullableStr,
      description: 'Why the period is shorter than 12 weeks (Compact standard)',
    },
    state: { type: 'string', enum: ['not_open', 'open', 'closed'] },
    questions: {
      type: 'array',
      items: {
        type: 'object',
        properties: { key: str, type: str, text: str, required: { type: 'boolean' } },
      },
    },
    url: str,
    responsesUrl: str,
  },
} as const;

const answerValue = {
  description: 'As the question engine stores it: a string, a list of option values or a number',
} as const;

export const publishedResponseSchema = {
  type: 'object',
  required: ['reference', 'respondentType'],
  properties: {
    reference: str,
    name: { ...nullableStr, description: 'Only when the respondent agreed to be named' },
    respondentType: { type: 'string', enum: [...respondentTypes] },
    organisationType: nullableStr,
    organisationSize: nullableStr,
    submittedAt: { type: 'string', format: 'date-time' },
    answers: { type: 'object', additionalProperties: answerValue },
    principleViews: {
      type: 'array',
      items: {
        type: 'object',
        properties: { principleId: str, view: { type: 'string', enum: [...principleViews] }, comment: str },
      },
    },
    comments: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          paragraphKey: { ...str, description: 'The stable paragraph key (anchor on the consultation page)' },
          versionId: { ...str, description: 'The version the comment was made on' },
          number: { type: ['integer', 'null'] },
          stance: { type: 'string', enum: [...commentStances] },
          comment: str,
          suggestedText: nullableStr,
        },
      },
    },
    url: str,
  },
} as const;

export function consultationJson(c: Consultation, now: Date, baseUrl: string) {
  const state = windowOf(c, now);
  return {
    slug: c.slug,
    title: c.title,
    summary: c.summary,
    howResponsesUsed: c.howResponsesUsed,
    versionId: c.versionId,
    opensOn: c.opensOn,
    closesOn: c.closesOn,
    weeks: periodLength(c.opensOn, c.closesOn).weeks,
    shortPeriodReason: c.shortPeriodReason,
    state: state === 'not_published' ? 'not_open' : state,
    questions: questionsOf(c).map((q) => ({ key: q.key, type: q.type, text: q.text, required: q.required })),
    url: `${baseUrl}${p.show({ slug: c.slug })}`,
    responsesUrl: `${baseUrl}${p.responses({ slug: c.slug })}`,
  };
}

export function registerConsultationsApi(app: FastifyInstance, deps: Deps) {
  const tags = ['Consultations'];
  const base = deps.config.BASE_URL;
  const problem = {
    type: 'object',
    properties: { type: str, title: str, status: { type: 'integer' }, detail: str },
  };
  const slugParams = { type: 'object', properties: { slug: str } };

  app.get(
    p.api.list.pattern,
    {
      schema: {
        tags,
        summary: 'Published consultations on the Covenant: open, upcoming and closed',
        response: {
          200: { type: 'object', properties: { items: { type: 'array', items: consultationSchema } } },
        },
      },
    },
    async () => {
      const { open, upcoming, closed } = await deps.consultations.publicList();
      return {
        items: [...open, ...upcoming, ...closed].map((c) => consultationJson(c, deps.clock.now(), base)),
      };
    },
  );

  app.get<{ Params: { slug: string } }>(
    p.api.one.pattern,
    {
      schema: {
        tags,
        summary: 'One published consultation',
        params: slugParams,
        response: { 200: consultationSchema, 404: problem },
      },
    },
    async (request) =>
      consultationJson(
        (await deps.consultations.page(null, request.params.slug)).consultation,
        deps.clock.now(),
        base,
      ),
  );

  app.get<{ Params: { slug: string }; Querystring: Record<string, string> }>(
    p.api.responses.pattern,
    {
      schema: {
        tags,
        summary: 'Published responses to a consultation (moderated and redacted; consent respected)',
        description:
          'Only responses a moderator published whose respondent agreed to publication. Names appear only with consent to be named. Responses that asked not to be published never appear. `q` searches the published words; 100 per page.',
        params: slugParams,
        querystring: { type: 'object', properties: { q: str, page: { type: 'integer', minimum: 1 } } },
        response: {
          200: {
            type: 'object',
            properties: {
              total: { type: 'integer' },
              page: { type: 'integer' },
              items: { type: 'array', items: publishedResponseSchema },
            },
          },
          404: problem,
        },
      },
    },
    async (request) => {
      const query = SearchQuery.safeParse(request.query ?? {});
      const { q, page } = query.success ? query.data : { q: null, page: 1 };
      const result = await deps.consultations.publishedResponsesFull(null, request.params.slug, q, page);
      return {
        total: result.total,
        page,
        items: result.responses.map((r) => ({
          ...r,
          submittedAt: r.submittedAt?.toISOString(),
          url: `${base}${p.response({ slug: result.consultation.slug, reference: r.reference })}`,
        })),
      };
    },
  );
}
