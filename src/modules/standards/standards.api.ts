/**
 * Read-only JSON API for standards findings: across bodies (filtered by standard and body) and for one body
 * with its tallies. Findings are public information about public bodies. Response schemas feed
 * `/api/openapi.json`.
 */
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../container.ts';
import { standardsPaths as p } from './standards.paths.ts';
import { standardCodes, standardInfo } from './standards.rules.ts';
import { FindingsFilter } from './standards.schema.ts';

const str = { type: 'string' } as const;
const date = { type: 'string', format: 'date' } as const;
const problem = {
  type: 'object',
  properties: { type: str, title: str, status: { type: 'integer' }, detail: str },
};
const standardEnum = { type: 'string', enum: [...standardCodes] } as const;

const finding = {
  type: 'object',
  required: [
    'id',
    'standard',
    'subject',
    'subjectId',
    'title',
    'explanation',
    'rule',
    'source',
    'date',
    'year',
  ],
  properties: {
    id: { ...str, description: 'Stable: `<standard>:<record id>`' },
    standard: standardEnum,
    standardName: str,
    subject: {
      type: 'string',
      enum: ['consultation', 'funding_agreement', 'funding_change', 'agreement_review'],
    },
    subjectId: { type: 'string', format: 'uuid' },
    title: { ...str, description: 'The consultation or agreement the finding is about' },
    explanation: { ...str, description: 'What was found, in plain English, with the threshold' },
    rule: { ...str, description: 'What the standard asks' },
    source: { ...str, description: 'Where the standard comes from' },
    date: { ...date, description: 'The date the finding relates to (closing date, notice date, start date)' },
    year: { type: 'integer' },
    body: { type: 'object', properties: { slug: str, name: str } },
  },
};

const counts = {
  type: 'object',
  properties: Object.fromEntries(standardCodes.map((c) => [c, { type: 'integer' }])),
};

const filterQuery = {
  type: 'object',
  properties: {
    standard: { ...standardEnum, description: 'Only findings of this standard' },
    body: { ...str, description: 'Only findings of the public body with this slug' },
  },
};

const withRule = <T extends { standard: (typeof standardCodes)[number] }>(f: T) => ({
  ...f,
  standardName: standardInfo[f.standard].name,
  rule: standardInfo[f.standard].rule,
});

export function registerStandardsApi(app: FastifyInstance, deps: Deps) {
  const tags = ['Standards findings'];

  app.get<{ Querystring: Record<string, string> }>(
    p.api.findings.pattern,
    {
      schema: {
        tags,
        summary: 'Standards findings across public bodies, newest first, optionally for one standard or body',
        querystring: filterQuery,
        response: {
          200: { type: 'object', properties: { findings: { type: 'array', items: finding } } },
        },
      },
    },
    async (request) => {
      const filter = FindingsFilter.parse(request.query ?? {});
      let bodyId: string | undefined;
      if (filter.body) {
        const body = await deps.standardsRepository.findBodyBySlug(filter.body);
        if (!body || body.kind !== 'public_body') return { findings: [] };
        bodyId = body.id;
      }
      const rows = await deps.standards.allFindings({ standard: filter.standard, bodyId });
      return {
        findings: rows.map(({ bodyId: _id, bodyName, bodySlug, ...f }) => ({
          ...withRule(f),
          body: { slug: bodySlug, name: bodyName },
        })),
      };
    },
  );

  app.get<{ Params: { slug: string }; Querystring: Record<string, string> }>(
    p.api.bodyFindings.pattern,
    {
      schema: {
        tags,
        summary: 'A public body’s standards findings, with the number found and checked per standard',
        params: { type: 'object', properties: { slug: str }, required: ['slug'] },
        querystring: { type: 'object', properties: { standard: standardEnum } },
        response: {
          200: {
            type: 'object',
            properties: {
              body: { type: 'object', properties: { slug: str, name: str } },
              total: { type: 'integer' },
              byStandard: { ...counts, description: 'Findings per standard (0 when none)' },
              checked: { ...counts, description: 'Records checked against each standard' },
              findings: { type: 'array', items: finding },
            },
          },
          404: problem,
        },
      },
    },
    async (request) => {
      const body = await deps.standards.records.publicBody(request.params.slug);
      const filter = FindingsFilter.parse(request.query ?? {});
      const result = await deps.standards.findingsForBody(body.id, { standard: filter.standard });
      return {
        body: { slug: body.slug, name: body.name },
        total: result.total,
        byStandard: result.byStandard,
        checked: result.checked,
        findings: result.findings.map(withRule),
      };
    },
  );
}
