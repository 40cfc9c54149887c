/**
 * Read-only JSON API for a consultation's aggregates and its published government response ("you said, we
 * did"), documented in `/api/openapi.json`. The response schemas also serialise: only declared fields leave
 * the server. Aggregates are counts only (never words, names or organisations); quotes in the response come
 * from moderated items of people who agreed to publication, anonymised ones without a name.
 */
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../container.ts';
import { responsePaths as p } from './consultations.analysis.paths.ts';
import {
  heatRows,
  principleRows,
  principleViewValues,
  respondentTypeView,
} from './consultations.analysis.rules.ts';
import type { YouSaidSection } from './consultations.response.rules.ts';

const str = { type: 'string' } as const;
const int = { type: 'integer' } as const;
const nullableStr = { type: ['string', 'null'] } as const;
const problem = {
  type: 'object',
  properties: { type: str, title: str, status: int, detail: str },
} as const;
const consultationRef = { type: 'object', properties: { slug: str, title: str } } as const;
const valueCounts = {
  type: 'array',
  items: { type: 'object', properties: { value: str, count: int, percent: int } },
} as const;

export const aggregatesSchema = {
  type: 'object',
  required: ['consultation', 'responses', 'paragraphs', 'principles', 'respondents'],
  properties: {
    consultation: consultationRef,
    analysedAt: { type: ['string', 'null'], format: 'date-time', description: 'When the counts were made' },
    responses: { ...int, description: 'Submitted responses (drafts are never counted)' },
    comments: int,
    respondents: {
      type: 'object',
      properties: {
        individuals: int,
        organisations: int,
        byOrganisationType: valueCounts,
        byOrganisationSize: valueCounts,
      },
    },
    paragraphs: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          key: { ...str, description: 'Stable paragraph key, the same in every version' },
          number: { type: ['integer', 'null'] },
          inVersion: { type: 'boolean', description: 'False for comments made on another version' },
          agree: int,
          disagree: int,
          suggestChange: int,
          total: int,
        },
      },
    },
    principles: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          id: str,
          title: str,
          ...Object.fromEntries(principleViewValues.map((v) => [v, int])),
          total: int,
        },
      },
    },
  },
} as const;

const quoteSchema = {
  type: 'object',
  properties: {
    text: { ...str, description: 'The moderated (redacted) text' },
    attribution: { ...nullableStr, description: 'Name, only when the respondent agreed to be named' },
    respondentType: { type: 'string', enum: ['individual', 'organisation'] },
    organisationType: nullableStr,
  },
} as const;
const entrySchema = {
  type: 'object',
  properties: {
    heard: str,
    changed: str,
    theme: {
      type: ['object', 'null'],
      description:
        'The theme of comments behind the entry: its size and public quotes (themes are named by the team in “heard”)',
      properties: { size: int, quotes: { type: 'array', items: quoteSchema } },
    },
  },
} as const;

export const governmentResponseSchema = {
  type: 'object',
  required: ['consultation', 'summary', 'publishedAt', 'sections'],
  properties: {
    consultation: consultationRef,
    summary: str,
    publishedAt: { type: 'string', format: 'date-time' },
    url: str,
    nextVersion: { type: ['object', 'null'], properties: { number: int, title: str } },
    responses: int,
    comments: int,
    sections: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          key: str,
          number: { type: ['integer', 'null'] },
          status: { type: 'string', enum: ['unchanged', 'changed', 'added', 'removed'] },
          before: nullableStr,
          after: nullableStr,
          words: {
            type: 'array',
            description: 'Word diff: equal, insert and delete runs',
            items: {
              type: 'object',
              properties: { op: { type: 'string', enum: ['equal', 'insert', 'delete'] }, text: str },
            },
          },
          comments: {
            type: 'object',
            properties: { agree: int, disagree: int, suggestChange: int, total: int },
          },
          entries: { type: 'array', items: entrySchema },
        },
      },
    },
    general: { type: 'array', items: entrySchema },
  },
} as const;

type Entry = YouSaidSection['entries'][number];
const entryJson = (e: Entry) => ({
  heard: e.heard,
  changed: e.changed,
  theme: e.theme ? { size: e.theme.size, quotes: e.theme.quotes } : null,
});

export function registerConsultationResponseApi(app: FastifyInstance, deps: Deps) {
  const tags = ['Consultations'];
  const params = { type: 'object', properties: { slug: str } } as const;

  app.get<{ Params: { slug: string } }>(
    p.api.aggregates.pattern,
    {
      schema: {
        tags,
        summary:
          'Counts of a consultation’s submitted responses, by paragraph, principle and respondent type',
        description:
          'Public once the government response is published (analysts signed in see them earlier). Counts only: no respondent’s words, name or organisation.',
        params,
        response: { 200: aggregatesSchema, 404: problem },
      },
    },
    async (request) => {
      const a = await deps.consultationResponse.aggregates(request.currentUser ?? null, request.params.slug);
      const respondents = respondentTypeView(a.cells);
      const total = (key: string) =>
        a.cells.find((c) => c.dimension === 'total' && c.key === key)?.count ?? 0;
      return {
        consultation: { slug: a.consultation.slug, title: a.consultation.title },
        analysedAt: a.run?.finishedAt?.toISOString() ?? null,
        responses: total('responses'),
        comments: total('comments'),
        respondents,
        paragraphs: heatRows(a.paragraphs, a.cells).rows.map((r) => ({
          key: r.key,
          number: r.number,
          inVersion: !r.orphan,
          agree: r.agree,
          disagree: r.disagree,
          suggestChange: r.suggest_change,
          total: r.total,
        })),
        principles: principleRows(a.principles, a.cells).map((r) => ({
          id: r.id,
          title: r.title,
          ...r.counts,
          total: r.total,
        })),
      };
    },
  );

  app.get<{ Params: { slug: string } }>(
    p.api.response.pattern,
    {
      schema: {
        tags,
        summary: 'A consultation’s published government response: you said, we did',
        description:
          'Paragraph by paragraph: the change to the Covenant text (word diff), how people commented, what was heard and what changed, with quotes from moderated responses whose authors agreed to publication.',
        params,
        response: { 200: governmentResponseSchema, 404: problem },
      },
    },
    async (request) => {
      const r = await deps.consultationResponse.published(request.params.slug);
      return {
        consultation: { slug: r.consultation.slug, title: r.consultation.title },
        summary: r.response.summary,
        publishedAt: r.response.publishedAt!.toISOString(),
        url: `${deps.config.BASE_URL}${p.show({ slug: r.consultation.slug })}`,
        nextVersion: r.nextVersion ? { number: r.nextVersion.number, title: r.nextVersion.title } : null,
        responses: r.responses,
        comments: r.comments,
        sections: r.sections.map((s) => ({
          key: s.key,
          number: s.number,
          status: s.status,
          before: s.before,
          after: s.after,
          words: s.words,
          comments: {
            agree: s.counts.agree,
            disagree: s.counts.disagree,
            suggestChange: s.counts.suggest_change,
            total: s.counts.total,
          },
          entries: s.entries.map(entryJson),
        })),
        general: r.general.map(entryJson),
      };
    },
  );
}
