/**
 * Read-only JSON API of published annual reviews (issue 6, item 5): the list of published years and one
 * year's frozen, suppressed figures. Unpublished results are never served ("not found", whoever asks), and
 * free-text answers never appear. Response schemas feed `/api/openapi.json`.
 */
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../container.ts';
import { resultsPaths as rp } from './surveys.results.paths.ts';
import { BASE } from './surveys.results.rules.ts';
import { MEAN_OPTION, PROFILE_KEY } from './surveys.results.service.ts';

const str = { type: 'string' } as const;
const nullableNumber = { type: ['number', 'null'] } as const;
const nullableInteger = { type: ['integer', 'null'] } as const;
const problem = {
  type: 'object',
  properties: { type: str, title: str, status: { type: 'integer' }, detail: str },
};

const figure = {
  type: 'object',
  required: ['breakdown', 'group', 'option', 'n', 'base', 'withheld'],
  properties: {
    breakdown: {
      ...str,
      description:
        '`all`, a respondent attribute (organisationType, incomeBand, nation, region, role) or `body`',
    },
    group: { ...str, description: 'The group within the breakdown: `all`, an attribute value, or a body id' },
    option: { ...str, description: 'The answer option, or `*` for the number who answered (the base)' },
    n: { ...nullableInteger, description: 'Number giving this answer; null when withheld' },
    base: { ...nullableInteger, description: 'Number in the group who answered; null when withheld' },
    percent: { ...nullableNumber, description: 'n / base, 0–1; null when withheld' },
    lower: { ...nullableNumber, description: 'Lower end of the 95% Wilson interval' },
    upper: { ...nullableNumber, description: 'Upper end of the 95% Wilson interval' },
    mean: { ...nullableNumber, description: 'Number questions: the mean answer of the group' },
    withheld: {
      type: 'boolean',
      description: 'Withheld because it is under 10, or so that one under 10 cannot be worked out',
    },
  },
};

const review = {
  type: 'object',
  required: ['year', 'title', 'publishedAt'],
  properties: {
    year: { type: 'integer' },
    title: str,
    publishedAt: { type: 'string', format: 'date-time' },
    reviewUrl: str,
    figuresUrl: str,
    csvUrl: str,
  },
};

export function registerSurveyResultsApi(app: FastifyInstance, deps: Deps) {
  const tags = ['Annual review'];
  const service = deps.surveyResults;
  const links = (year: number) => ({
    reviewUrl: rp.review({ year: String(year) }),
    figuresUrl: rp.api.figures({ year: String(year) }),
    csvUrl: rp.reviewCsv({ year: String(year) }),
  });

  app.get(
    rp.api.editions.pattern,
    {
      schema: {
        tags,
        summary: 'Published annual reviews of stakeholder experiences, newest first',
        response: {
          200: { type: 'object', properties: { reviews: { type: 'array', items: review } } },
        },
      },
    },
    async () => ({
      reviews: (await service.publishedEditions()).map((e) => ({
        year: e.year,
        title: e.title,
        publishedAt: e.resultsPublishedAt!.toISOString(),
        ...links(e.year),
      })),
    }),
  );

  app.get<{ Params: { year: string } }>(
    rp.api.figures.pattern,
    {
      schema: {
        tags,
        summary: 'The published (suppressed) figures of one year’s review, by question and breakdown',
        params: {
          type: 'object',
          properties: { year: { type: 'string', pattern: '^[0-9]{4}$' } },
          required: ['year'],
        },
        response: {
          200: {
            type: 'object',
            properties: {
              review,
              respondents: { type: 'array', items: figure, description: 'The response profile' },
              questions: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    key: {
                      ...str,
                      description:
                        'Stable question identifier: the same key means the same question every year',
                    },
                    text: str,
                    type: str,
                    figures: { type: 'array', items: figure },
                  },
                },
              },
            },
          },
          404: problem,
        },
      },
    },
    async (request) => {
      const data = await service.publishedFigures(Number(request.params.year));
      const out = (f: (typeof data.figures)[number]) => ({
        breakdown: f.breakdown,
        group: f.groupValue,
        option: f.option,
        n: f.option === MEAN_OPTION ? null : f.n,
        base: f.base,
        percent: f.option === MEAN_OPTION || f.option === BASE ? null : f.percent,
        lower: f.lower,
        upper: f.upper,
        mean: f.option === MEAN_OPTION ? f.percent : null,
        withheld: f.suppressed !== 'shown',
      });
      const e = data.edition;
      return {
        review: {
          year: e.year,
          title: e.title,
          publishedAt: e.resultsPublishedAt!.toISOString(),
          ...links(e.year),
        },
        respondents: data.figures.filter((f) => f.questionKey === PROFILE_KEY).map(out),
        questions: data.questions
          .filter((q) => data.figures.some((f) => f.questionKey === q.key))
          .map((q) => ({
            key: q.key,
            text: q.text,
            type: q.type,
            figures: data.figures.filter((f) => f.questionKey === q.key).map(out),
          })),
      };
    },
  );
}
