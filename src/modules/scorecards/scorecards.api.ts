/**
 * Read-only JSON API of the scorecards, public like the pages. Response schemas feed `/api/openapi.json`.
 * A withheld rate comes with `shown: false` and its reason; its numerator is never sent.
 */
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../container.ts';
import { publicBodyTypes } from '../directory/directory.taxonomy.ts';
import { scorecardPaths as p } from './scorecards.paths.ts';
import { measures, type Measure, type Rate, type SurveyRate, type Trend } from './scorecards.rules.ts';

const str = { type: 'string' } as const;
const int = { type: 'integer' } as const;
const problem = {
  type: 'object',
  properties: { type: str, title: str, status: int, detail: str },
};

const rate = {
  type: 'object',
  required: ['shown', 'n'],
  description:
    'A proportion with its Wilson 95% interval; withheld (shown: false) when n is below the minimum count',
  properties: {
    shown: { type: 'boolean' },
    x: { ...int, description: 'Numerator (only when shown)' },
    n: { ...int, description: 'Denominator' },
    estimate: { type: 'number' },
    lower: { type: 'number' },
    upper: { type: 'number' },
    reason: {
      type: 'string',
      enum: ['none', 'too_few', 'complement'],
      description:
        'complement: withheld so that a smaller withheld figure cannot be worked out by subtraction',
    },
    minCount: int,
  },
};

const yearRow = {
  type: 'object',
  properties: {
    year: int,
    cases: int,
    rates: { type: 'object', properties: Object.fromEntries(measures.map((m) => [m, rate])) },
  },
};

const trendSchema = {
  type: 'object',
  properties: { minCount: int, years: { type: 'array', items: yearRow } },
};

/** A withheld rate never carries its numerator: it would give the rate away. */
function rateJson(r: Rate | SurveyRate) {
  return r.shown
    ? { shown: true, x: r.x, n: r.n, estimate: r.estimate, lower: r.lower, upper: r.upper }
    : { shown: false, n: r.n, reason: r.reason, minCount: r.minCount };
}

function trendJson(trend: Trend, minCount: number) {
  return {
    minCount,
    years: trend.years.map((y) => ({
      year: y.year,
      cases: y.counters.cases,
      rates: Object.fromEntries(measures.map((m) => [m, rateJson(y.rates[m])])),
    })),
  };
}

export function registerScorecardsApi(app: FastifyInstance, deps: Deps) {
  const tags = ['Scorecards'];
  const service = deps.scorecards;

  app.get<{ Params: { slug: string } }>(
    p.api.body.pattern,
    {
      schema: {
        tags,
        summary:
          "A public body's scorecard: casework rates by year, action-plan progress, standards findings",
        params: { type: 'object', properties: { slug: str }, required: ['slug'] },
        response: {
          200: {
            type: 'object',
            properties: {
              body: {
                type: 'object',
                properties: { slug: str, name: str, type: { type: ['string', 'null'] } },
              },
              casework: trendSchema,
              plans: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    id: str,
                    title: str,
                    total: { type: ['number', 'null'] },
                    overdueActions: int,
                  },
                },
              },
              standards: {
                type: ['array', 'null'],
                description: 'null until standards monitoring is available',
                items: {
                  type: 'object',
                  properties: { code: str, name: str, findings: int, checked: int, rate },
                },
              },
              survey: {
                type: ['array', 'null'],
                description:
                  'The annual review’s published figures about the body (evaluation kind "survey"), per question, newest edition first; null until the annual review is available, empty until a review rating the body is published',
                items: {
                  type: 'object',
                  properties: {
                    questionKey: str,
                    question: str,
                    years: {
                      type: 'array',
                      items: {
                        type: 'object',
                        properties: {
                          year: int,
                          ratings: { type: ['integer', 'null'], description: 'null when withheld' },
                          good: { ...rate, description: 'Rated good or very good' },
                          change: {
                            type: ['object', 'null'],
                            properties: {
                              from: int,
                              estimate: { type: 'number' },
                              lower: { type: 'number' },
                              upper: { type: 'number' },
                              significant: { type: 'boolean' },
                            },
                          },
                          answers: {
                            type: 'array',
                            items: {
                              type: 'object',
                              properties: {
                                option: str,
                                n: { type: ['integer', 'null'] },
                                suppressed: str,
                                percent: { type: ['number', 'null'] },
                                lower: { type: ['number', 'null'] },
                                upper: { type: ['number', 'null'] },
                              },
                            },
                          },
                        },
                      },
                    },
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
      const card = await service.bodyScorecard(request.params.slug);
      return {
        body: { slug: card.body.slug, name: card.body.name, type: card.body.type },
        casework: trendJson(card.trend, card.minCount),
        plans: card.plans.map((x) => ({
          id: x.plan.id,
          title: x.plan.title,
          total: x.total.total,
          overdueActions: x.overdueActions,
        })),
        standards:
          card.standards?.map((s) => ({
            code: s.code,
            name: s.name,
            findings: s.findings,
            checked: s.checked,
            rate: rateJson(s.rate),
          })) ?? null,
        survey:
          card.survey?.map((q) => ({
            questionKey: q.questionKey,
            question: q.question,
            years: q.years.map((y) => ({
              year: y.year,
              ratings: y.ratings,
              good: rateJson(y.good),
              change: y.change ? { from: y.change.from, ...y.change.difference } : null,
              answers: y.distribution.map((c) => ({
                option: c.option,
                n: c.n,
                suppressed: c.state,
                percent: c.percent,
                lower: c.lower,
                upper: c.upper,
              })),
            })),
          })) ?? null,
      };
    },
  );

  app.get<{ Params: { code: string } }>(
    p.api.commitment.pattern,
    {
      schema: {
        tags,
        summary: 'A Covenant commitment’s scorecard: casework rates by year across all bodies',
        params: { type: 'object', properties: { code: str }, required: ['code'] },
        response: {
          200: {
            type: 'object',
            properties: {
              commitment: { type: 'object', properties: { code: str, text: str } },
              casework: trendSchema,
            },
          },
          404: problem,
        },
      },
    },
    async (request) => {
      const card = await service.commitmentScorecard(request.params.code);
      return {
        commitment: { code: card.commitment.code, text: card.commitment.text },
        casework: trendJson(card.trend, card.minCount),
      };
    },
  );

  app.get<{ Querystring: { type: string; measure?: Measure; year?: string } }>(
    p.api.league.pattern,
    {
      schema: {
        tags,
        summary: 'League table of public bodies of ONE type on one measure, with intervals',
        querystring: {
          type: 'object',
          required: ['type'],
          properties: {
            type: { type: 'string', enum: [...publicBodyTypes] },
            measure: { type: 'string', enum: [...measures], default: 'answered' },
            year: { type: 'string', pattern: '^(all|\\d{4})$', default: 'all' },
          },
        },
        response: {
          200: {
            type: 'object',
            properties: {
              type: str,
              measure: str,
              year: { type: ['integer', 'null'] },
              pooled: rate,
              ranked: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    position: int,
                    body: { type: 'object', properties: { slug: str, name: str } },
                    rate,
                    standing: { type: 'string', enum: ['above', 'below', 'level'] },
                  },
                },
              },
              withheld: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: { body: { type: 'object', properties: { slug: str, name: str } }, rate },
                },
              },
            },
          },
          400: problem,
        },
      },
    },
    async (request) => {
      const { type, measure = 'answered', year = 'all' } = request.query;
      const result = await service.league({ type, measure, year: year === 'all' ? null : Number(year) });
      const { league } = result;
      return {
        type,
        measure,
        year: result.year,
        pooled: rateJson(league.pooled),
        ranked: league.ranked.map((r) => ({
          position: r.position,
          body: { slug: r.body.slug, name: r.body.name },
          rate: rateJson(r.rate),
          standing: r.standing,
        })),
        withheld: league.withheld.map((r) => ({
          body: { slug: r.body.slug, name: r.body.name },
          rate: rateJson(r.rate),
        })),
      };
    },
  );
}
