/**
 * Read-only JSON API for the Covenant registry (`/api/v1/…`). Each route declares its response schema, which
 * both serialises the response (only declared fields leave the server) and feeds `/api/openapi.json`.
 */
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../container.ts';
import { NotFoundError } from '../../platform/http/errors.ts';
import { nations } from '../directory/directory.taxonomy.ts';
import { organisationKinds } from '../directory/directory.tables.ts';
import { covenantPaths } from './covenant.paths.ts';
import { commitmentSides, evaluationMethods, paragraphKinds, versionStatuses } from './covenant.tables.ts';

const tags = ['Covenant'];
const str = { type: 'string' } as const;
const nullableStr = { type: ['string', 'null'] } as const;
const dateTime = { type: 'string', format: 'date-time' } as const;
const nullableDateTime = { type: ['string', 'null'], format: 'date-time' } as const;
const bool = { type: 'boolean' } as const;
const int = { type: 'integer' } as const;

const listOf = (item: object) => ({
  type: 'object',
  required: ['data'],
  properties: { data: { type: 'array', items: item } },
});
const problem = {
  type: 'object',
  properties: { type: str, title: str, status: int, detail: str, instance: str },
};

const principle = {
  type: 'object',
  required: ['id', 'slug', 'position', 'title', 'purpose', 'source', 'unverified'],
  properties: { id: str, slug: str, position: int, title: str, purpose: str, source: str, unverified: bool },
};
const commitment = {
  type: 'object',
  required: ['id', 'code', 'principle', 'side', 'text', 'source', 'unverified'],
  properties: {
    id: str,
    code: str,
    principle: { ...str, description: 'Slug of the principle' },
    side: { type: 'string', enum: [...commitmentSides] },
    text: str,
    source: str,
    unverified: {
      ...bool,
      description: 'Not yet checked against the published Covenant ("To be confirmed")',
    },
  },
};
const standard = {
  type: 'object',
  required: ['id', 'code', 'principle', 'title', 'rule', 'evaluation', 'source', 'unverified'],
  properties: {
    id: str,
    code: str,
    principle: str,
    commitment: { ...nullableStr, description: 'Code of the commitment the standard measures' },
    title: str,
    rule: str,
    threshold: { type: ['number', 'null'] },
    unit: nullableStr,
    evaluation: { type: 'string', enum: [...evaluationMethods] },
    source: str,
    unverified: bool,
  },
};
const version = {
  type: 'object',
  required: ['id', 'number', 'title', 'status', 'current'],
  properties: {
    id: str,
    number: int,
    title: str,
    status: { type: 'string', enum: [...versionStatuses] },
    current: bool,
    changeSummary: str,
    publishedAt: nullableDateTime,
  },
};
const paragraph = {
  type: 'object',
  required: ['key', 'position', 'kind', 'text'],
  properties: {
    key: { ...str, description: 'Stable identifier, the same in every version that contains the paragraph' },
    position: int,
    kind: { type: 'string', enum: [...paragraphKinds] },
    text: str,
    commitment: nullableStr,
  },
};
const citation = {
  type: 'object',
  properties: { paragraphKey: nullableStr, reference: str, url: nullableStr },
};
const signatory = {
  type: 'object',
  required: ['organisation', 'signedAt', 'reviewDueOn'],
  properties: {
    organisation: {
      type: 'object',
      properties: { id: str, name: str, slug: str, kind: str },
    },
    subCovenant: {
      ...nullableStr,
      description: 'Slug of the sub-covenant, or null for the national Covenant',
    },
    signedAt: dateTime,
    reviewDueOn: { type: 'string', format: 'date' },
    reviewedAt: { ...nullableDateTime, description: 'When the pledges were last reviewed; null: not yet' },
  },
};
const signatoryCounts = {
  type: 'object',
  required: ['subCovenant', 'total', 'byKind', 'byNation'],
  properties: {
    subCovenant: {
      ...nullableStr,
      description: 'Slug of the sub-covenant, or null for the national Covenant',
    },
    total: int,
    byKind: {
      type: 'array',
      items: {
        type: 'object',
        required: ['kind', 'count'],
        properties: { kind: { type: 'string', enum: [...organisationKinds] }, count: int },
      },
    },
    byNation: {
      type: 'array',
      items: {
        type: 'object',
        required: ['nation', 'count'],
        properties: {
          nation: {
            type: ['string', 'null'],
            enum: [...nations, null],
            description: 'Nation of the organisation; null: not recorded in the directory',
          },
          count: int,
        },
      },
    },
  },
};

export function registerCovenantApi(app: FastifyInstance, deps: Deps) {
  const covenant = deps.covenant;

  app.get(
    covenantPaths.api.principles.pattern,
    {
      schema: { tags, summary: 'The four principles of the Covenant', response: { 200: listOf(principle) } },
    },
    async () => ({ data: await covenant.principles() }),
  );

  app.get(
    covenantPaths.api.commitments.pattern,
    {
      schema: {
        tags,
        summary: 'National commitments, per principle and side',
        response: { 200: listOf(commitment) },
      },
    },
    async () => ({
      data: (await covenant.commitments()).map((c) => ({ ...c, principle: c.principleSlug })),
    }),
  );

  app.get(
    covenantPaths.api.standards.pattern,
    {
      schema: { tags, summary: 'Measurable standards (C1, F1, A3, …)', response: { 200: listOf(standard) } },
    },
    async () => ({
      data: (await covenant.standards()).map((s) => ({
        ...s,
        principle: s.principleSlug,
        commitment: s.commitmentCode,
      })),
    }),
  );

  app.get(
    covenantPaths.api.versions.pattern,
    {
      schema: {
        tags,
        summary: 'Published versions of the Covenant text',
        response: { 200: listOf(version) },
      },
    },
    async () => ({
      data: (await covenant.versions())
        .filter((v) => v.status === 'published')
        .map((v) => ({ ...v, current: v.isCurrent })),
    }),
  );

  app.get<{ Params: { versionId: string } }>(
    covenantPaths.api.version.pattern,
    {
      schema: {
        tags,
        summary: 'One published version with its paragraphs and the feedback cited for its changes',
        params: { type: 'object', properties: { versionId: { type: 'string', format: 'uuid' } } },
        response: {
          200: {
            type: 'object',
            properties: {
              data: {
                ...version,
                properties: {
                  ...version.properties,
                  paragraphs: { type: 'array', items: paragraph },
                  citations: { type: 'array', items: citation },
                },
              },
            },
          },
          404: problem,
        },
      },
    },
    async (request) => {
      const found = await covenant.version(request.params.versionId).catch(() => null);
      if (!found || found.version.status !== 'published') throw new NotFoundError('No such version');
      return {
        data: {
          ...found.version,
          current: found.version.isCurrent,
          paragraphs: found.paragraphs.map((p) => ({ ...p, commitment: p.commitmentCode })),
          citations: found.citations,
        },
      };
    },
  );

  app.get(
    covenantPaths.api.signatories.pattern,
    {
      schema: {
        tags,
        summary: 'Organisations that have signed the Covenant or a sub-covenant',
        response: { 200: listOf(signatory) },
      },
    },
    async () => ({
      data: (await covenant.repo.listAllSignatures()).map((s) => ({
        organisation: {
          id: s.organisationId,
          name: s.organisationName,
          slug: s.organisationSlug,
          kind: s.organisationKind,
        },
        subCovenant: s.subCovenantSlug,
        signedAt: s.signedAt,
        reviewDueOn: s.reviewDueOn,
        reviewedAt: s.reviewedAt,
      })),
    }),
  );

  app.get<{ Querystring: { subCovenant?: string } }>(
    covenantPaths.api.signatoryCounts.pattern,
    {
      schema: {
        tags,
        summary: 'Number of signatories by type of organisation and by nation',
        querystring: {
          type: 'object',
          properties: {
            subCovenant: {
              type: 'string',
              pattern: '^[a-z0-9-]{1,100}$',
              description: 'Slug of a sub-covenant; leave out for the national Covenant',
            },
          },
        },
        response: {
          200: { type: 'object', properties: { data: signatoryCounts } },
          400: problem,
          404: problem,
        },
      },
    },
    async (request) => {
      const counts = await covenant.signatoryCounts(request.query.subCovenant);
      return {
        data: {
          ...counts,
          byKind: counts.byKind.map((c) => ({ kind: c.kind, count: c.n })),
          byNation: counts.byNation.map((c) => ({ nation: c.nation, count: c.n })),
        },
      };
    },
  );
}
