/**
 * Read-only JSON API for the public register (`/api/v1/register/…`; issue 4, item 11). Only published
 * entries and suppressed counts: the same public reads as the pages. Each route declares its schemas, which
 * validate the query, serialise the response (only declared fields leave the server) and feed
 * `/api/openapi.json`.
 */
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../container.ts';
import { BadRequestError, HttpError, NotFoundError } from '../../platform/http/errors.ts';
import { outcomeCodes } from '../cases/cases.lifecycle.ts';
import { caseCategories } from '../cases/cases.tables.ts';
import { panelOutcomes } from '../panel/panel.tables.ts';
import { registerPaths as rp } from './register.paths.ts';
import type { PublicEntry } from './register.repository.ts';
import {
  MAX_QUERY_LENGTH,
  MAX_REFERENCE_LENGTH,
  RegisterSearchQuery,
  StatisticsQuery,
} from './register.schema.ts';
import { REGISTER_MAX_PAGE } from './register.service.ts';
import { COUNT_CAP, TEXT_COUNT_CAP } from './register.repository.ts';

const tags = ['Public register'];
const str = { type: 'string' } as const;
const nullableStr = { type: ['string', 'null'] } as const;
const int = { type: 'integer' } as const;
const nullableInt = { type: ['integer', 'null'] } as const;
const bool = { type: 'boolean' } as const;
const date = { type: 'string', format: 'date' } as const;
const dateTime = { type: 'string', format: 'date-time' } as const;
const nullableEnum = (values: readonly string[]) => ({ type: ['string', 'null'], enum: [...values, null] });
const problem = {
  type: 'object',
  properties: { type: str, title: str, status: int, detail: str, instance: str },
};

const commitment = {
  type: 'object',
  required: ['code', 'text'],
  properties: { code: str, text: str },
};
const body = {
  type: 'object',
  required: ['name'],
  properties: {
    name: str,
    slug: { ...nullableStr, description: 'Slug of the body in the directory (`/api/v1/bodies/{slug}`)' },
  },
};
const summaryProperties = {
  reference: { ...str, description: 'The case reference, e.g. CH-2026-000123' },
  title: str,
  summary: { ...str, description: 'What was reported, with personal details removed' },
  body,
  commitments: { type: 'array', items: commitment },
  outcome: { ...nullableEnum(outcomeCodes), description: 'How the case ended; null when not recorded' },
  closedOn: date,
  publishedAt: dateTime,
};
const caseSummary = {
  type: 'object',
  required: ['reference', 'title', 'summary', 'body', 'commitments', 'outcome', 'closedOn', 'publishedAt'],
  properties: summaryProperties,
};
const caseDetail = {
  type: 'object',
  required: [...caseSummary.required, 'category', 'panelOutcome', 'submittedOn', 'timeline', 'updatedAt'],
  properties: {
    ...summaryProperties,
    category: { type: 'string', enum: [...caseCategories] },
    response: { ...nullableStr, description: 'The body’s response, with personal details removed' },
    determination: { ...nullableStr, description: 'The oversight panel’s determination, when it decided' },
    panelOutcome: nullableEnum(panelOutcomes),
    submittedOn: date,
    timeline: {
      type: 'array',
      description: 'The states the case went through, oldest first',
      items: { type: 'object', required: ['on', 'state'], properties: { on: date, state: str } },
    },
    updatedAt: dateTime,
  },
};
const count = {
  type: 'object',
  required: ['count', 'suppressed'],
  properties: {
    count: { ...nullableInt, description: 'Null when suppressed' },
    suppressed: {
      ...nullableEnum(['small', 'complementary']),
      description:
        '`small`: from 1 to 4. `complementary`: withheld so that a small number cannot be worked out',
    },
  },
};
const countTable = (keyDescription: string) => ({
  type: 'object',
  required: ['total', 'cells', 'anySuppressed'],
  properties: {
    total: count,
    anySuppressed: bool,
    cells: {
      type: 'array',
      items: {
        type: 'object',
        required: ['key', 'label', 'count', 'suppressed'],
        properties: {
          key: { ...str, description: keyDescription },
          label: str,
          count: count.properties.count,
          suppressed: count.properties.suppressed,
        },
      },
    },
  },
});

const searchQuery = {
  type: 'object',
  properties: {
    q: { ...str, maxLength: MAX_QUERY_LENGTH, description: 'Words to search for (web search syntax)' },
    body: { ...str, description: 'Slug of a public body' },
    commitment: { ...str, description: 'Code of a Covenant commitment' },
    outcome: { type: 'string', enum: [...outcomeCodes] },
    year: { type: 'integer', minimum: 2000, maximum: 2100, description: 'Year the case ended' },
    page: { type: 'integer', minimum: 1, maximum: REGISTER_MAX_PAGE },
  },
};

function summaryJson(e: {
  reference: string;
  title: string | null;
  summary: string | null;
  bodyName: string;
  bodySlug: string | null;
  commitments: { code: string; text: string }[] | null;
  outcome: string | null;
  closedOn: string | null;
  publishedAt: Date | null;
}) {
  return {
    reference: e.reference,
    title: e.title ?? '',
    summary: e.summary ?? '',
    body: { name: e.bodyName, slug: e.bodySlug },
    commitments: (e.commitments ?? []).map((c) => ({ code: c.code, text: c.text })),
    outcome: e.outcome,
    closedOn: e.closedOn,
    publishedAt: e.publishedAt,
  };
}

function detailJson(e: PublicEntry) {
  return {
    ...summaryJson({ ...e, commitments: e.commitments ?? [] }),
    category: e.category,
    response: e.response,
    determination: e.determination,
    panelOutcome: e.panelOutcome,
    submittedOn: e.submittedOn,
    timeline: e.timeline ?? [],
    updatedAt: e.updatedAt,
  };
}

export function registerRegisterApi(app: FastifyInstance, deps: Deps) {
  const register = deps.register;

  app.get(
    rp.api.cases.pattern,
    {
      schema: {
        tags,
        summary: 'Published cases, newest first, with full-text search and filters',
        querystring: searchQuery,
        response: {
          200: {
            type: 'object',
            required: ['page', 'pageSize', 'pages', 'total', 'totalCapped', 'data'],
            properties: {
              page: int,
              pageSize: int,
              pages: int,
              total: {
                ...int,
                description: `Number of matches, counted up to ${COUNT_CAP} (${TEXT_COUNT_CAP} for a search with words)`,
              },
              totalCapped: { ...bool, description: 'True when more than `total` cases match' },
              data: { type: 'array', items: caseSummary },
            },
          },
          400: problem,
        },
      },
    },
    async (request) => {
      const parsed = RegisterSearchQuery.safeParse(request.query ?? {});
      if (!parsed.success) throw new BadRequestError('Check the query parameters');
      const { page, ...filters } = parsed.data;
      const result = await register.search(filters, page);
      return {
        page: result.page,
        pageSize: result.pageSize,
        pages: result.pages,
        total: result.total,
        totalCapped: result.totalCapped,
        data: result.rows.map(summaryJson),
      };
    },
  );

  app.get<{ Params: { reference: string } }>(
    rp.api.case.pattern,
    {
      schema: {
        tags,
        summary: 'One published case, with its timeline and outcome',
        params: {
          type: 'object',
          required: ['reference'],
          properties: { reference: { ...str, maxLength: MAX_REFERENCE_LENGTH } },
        },
        response: {
          200: { type: 'object', required: ['data'], properties: { data: caseDetail } },
          404: problem,
          410: { ...problem, description: 'The case was published and has been withdrawn' },
        },
      },
    },
    async (request) => {
      const entry = await register.publishedCase(request.params.reference);
      if (!entry) throw new NotFoundError();
      if (entry.status === 'withdrawn')
        throw new HttpError(410, 'This case has been withdrawn from the register');
      return { data: detailJson(entry) };
    },
  );

  app.get(
    rp.api.statistics.pattern,
    {
      schema: {
        tags,
        summary: 'Counts of ended problems by body, commitment and outcome; numbers from 1 to 4 suppressed',
        querystring: {
          type: 'object',
          properties: { year: { type: 'integer', minimum: 2000, maximum: 2100 } },
        },
        response: {
          200: {
            type: 'object',
            required: ['year', 'total', 'byBody', 'byCommitment', 'byOutcome', 'computedAt'],
            properties: {
              year: nullableInt,
              total: count,
              byBody: countTable('Slug of the public body (empty: not identified)'),
              byCommitment: countTable('Code of the commitment'),
              byOutcome: countTable('Outcome code, or `not_recorded`'),
              computedAt: dateTime,
            },
          },
          400: problem,
        },
      },
    },
    async (request) => {
      const parsed = StatisticsQuery.safeParse(request.query ?? {});
      if (!parsed.success) throw new BadRequestError('Check the year');
      const stats = await register.statistics(parsed.data.year);
      const t = request.t;
      const outcomeLabel = (key: string) =>
        key === 'not_recorded' ? t('register.common.notRecorded') : t(`cases.outcomes.${key}`);
      return {
        year: stats.year,
        total: stats.total,
        byBody: {
          ...stats.byBody,
          cells: stats.byBody.cells.map((c) => ({
            ...c,
            label: c.label || t('register.statistics.unknownBody'),
          })),
        },
        byCommitment: stats.byCommitment,
        byOutcome: {
          ...stats.byOutcome,
          cells: stats.byOutcome.cells.map((c) => ({ ...c, label: outcomeLabel(c.key) })),
        },
        computedAt: stats.computedAt,
      };
    },
  );
}
