/**
 * Scorecard pages (all public): the index, a body's scorecard, a commitment's scorecard, the league table
 * of bodies of one type, and their CSV downloads. Handlers parse, call the service, present, render.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../container.ts';
import type { Translate } from '../../platform/i18n/i18n.ts';
import { toGovukErrors } from '../../platform/views/form-errors.ts';
import { sendCsv } from '../../platform/http/csv.ts';
import { directoryPaths } from '../directory/directory.paths.ts';
import { publicBodyTypes } from '../directory/directory.taxonomy.ts';
import { planPaths } from '../plans/plans.paths.ts';
import { scorecardPaths as p } from './scorecards.paths.ts';
import { caseworkFigures, leagueFigure, rateText, trendCsvRows } from './scorecards.present.ts';
import { measures, type Measure, type SurveyQuestion, type SurveyRate } from './scorecards.rules.ts';
import { LeagueQuery } from './scorecards.schema.ts';
import type { ScorecardsService } from './scorecards.service.ts';

const V = 'modules/scorecards/views/';
type Params = Record<string, string>;

const view = (reply: FastifyReply, template: string, data: Record<string, unknown>) =>
  reply.view(`${V}${template}`, { sp: p, measures, ...data });

type BodyCard = Awaited<ReturnType<ScorecardsService['bodyScorecard']>>;

/** Everything the body page shows, in the visitor's language. */
function bodyPageData(t: Translate, card: BodyCard) {
  const casework = caseworkFigures(t, card.trend, 'body');
  return {
    ...card,
    casework,
    typeLabel: card.body.type ? t(`directory.bodyTypes.${card.body.type}`) : null,
    directoryHref: directoryPaths.body({ slug: card.body.slug }),
    leagueHref: card.body.type ? p.league({ type: card.body.type }) : null,
    csvHref: p.bodyCsv({ slug: card.body.slug }),
    apiHref: p.api.body({ slug: card.body.slug }),
    planRows: card.plans.map((row) => [
      { html: linkHtml(planPaths.published({ planId: row.plan.id }), row.plan.title) },
      {
        text: row.total.total === null ? t(`plans.show.noTotal.${row.total.reason}`) : `${row.total.total}%`,
      },
      { text: String(row.overdueActions), format: 'numeric' },
    ]),
    standardRows: (card.standards ?? []).map((s) => [
      { text: `${s.code}: ${s.name}` },
      { text: String(s.findings), format: 'numeric' },
      { text: String(s.checked), format: 'numeric' },
      { text: rateText(t, s.rate) },
    ]),
    standardsChecked: (card.standards ?? []).reduce((sum, s) => sum + s.checked, 0),
    // The annual review's figures as published (already suppressed by the surveys module).
    surveyTables: (card.survey ?? []).map((q) => surveyTables(t, q, card.minCount)),
  };
}

/** A survey share as the pages write it: the figure and its interval, or why it is withheld. */
function surveyRateText(t: Translate, rate: SurveyRate, ratings: number | null): string {
  if (rate.shown) return `${pct(rate.estimate)} (${pct(rate.lower)} to ${pct(rate.upper)})`;
  if (rate.reason === 'complement') return t('scorecards.body.surveyComplement');
  return ratings === null || rate.reason === 'too_few'
    ? t('scorecards.body.surveyTooFew', { min: String(rate.minCount) })
    : t('scorecards.withheld.none');
}

const points = (d: number) => {
  const v = Math.round(d * 100);
  return v > 0 ? `+${v}` : v < 0 ? `−${Math.abs(v)}` : '0';
};

/** A question's trend (one row per edition) and the latest edition's answers, with suppression shown. */
function surveyTables(t: Translate, q: SurveyQuestion, minCount: number) {
  const latest = q.years[0]!;
  return {
    trendCaption: t('scorecards.body.surveyCaption', { question: q.question }),
    trendRows: q.years.map((y) => [
      { text: String(y.year) },
      { text: surveyRateText(t, y.good, y.ratings) },
      { text: y.ratings === null ? '–' : String(y.ratings), format: 'numeric' },
      {
        text: y.change
          ? t('scorecards.body.surveyChangeText', {
              points: points(y.change.difference.estimate),
              lower: points(y.change.difference.lower),
              upper: points(y.change.difference.upper),
              verdict: t(
                y.change.difference.significant
                  ? 'scorecards.body.changeSignificant'
                  : 'scorecards.body.changeNotSignificant',
              ),
            })
          : t('scorecards.body.surveyNoChange'),
      },
    ]),
    answersCaption: t('scorecards.body.surveyAnswersCaption', {
      question: q.question,
      year: String(latest.year),
    }),
    answerRows: latest.distribution.map((c) => [
      { text: t(`questionEngine.rating.${c.option}`) },
      {
        text:
          c.state === 'shown' && c.percent !== null && (latest.ratings ?? 0) >= minCount
            ? `${pct(c.percent)}${c.lower !== null && c.upper !== null ? ` (${pct(c.lower)} to ${pct(c.upper)})` : ''}`
            : t('scorecards.body.surveySuppressed'),
      },
      {
        text: c.state === 'shown' && c.n !== null && (latest.ratings ?? 0) >= minCount ? String(c.n) : '–',
        format: 'numeric',
      },
    ]),
  };
}

const pct = (p: number) => `${Math.round(p * 100)}%`;
const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const linkHtml = (href: string, text: string) =>
  `<a class="govuk-link" href="${escapeHtml(href)}">${escapeHtml(text)}</a>`;

function bodyCsvRows(card: BodyCard): string[][] {
  const rows = trendCsvRows('body', card.body.name, card.trend);
  for (const plan of card.plans)
    rows.push([
      'plan',
      card.body.name,
      plan.plan.startsOn.slice(0, 4),
      plan.plan.title,
      '',
      '',
      plan.total.total === null ? '' : (plan.total.total / 100).toFixed(4),
      '',
      '',
      plan.total.total === null ? `no: ${plan.total.reason}` : 'yes',
      '',
    ]);
  for (const s of card.standards ?? [])
    rows.push([
      'standard',
      card.body.name,
      '',
      s.code,
      String(s.findings),
      String(s.checked),
      s.rate.shown ? s.rate.estimate.toFixed(4) : '',
      s.rate.shown ? s.rate.lower.toFixed(4) : '',
      s.rate.shown ? s.rate.upper.toFixed(4) : '',
      s.rate.shown
        ? 'yes'
        : s.rate.reason === 'none'
          ? 'no: nothing checked'
          : `no: fewer than ${s.rate.minCount}`,
      '',
    ]);
  // Survey shares (rated good or very good): never a withheld figure, in the file either.
  for (const q of card.survey ?? [])
    for (const y of q.years)
      rows.push([
        'survey',
        card.body.name,
        String(y.year),
        q.questionKey,
        y.good.shown ? String(y.good.x) : '',
        y.ratings === null ? '' : String(y.ratings),
        y.good.shown ? y.good.estimate.toFixed(4) : '',
        y.good.shown ? y.good.lower.toFixed(4) : '',
        y.good.shown ? y.good.upper.toFixed(4) : '',
        y.good.shown
          ? 'yes'
          : y.good.reason === 'complement'
            ? 'no: complement of a withheld figure'
            : `no: fewer than ${y.good.minCount}`,
        '',
      ]);
  return rows;
}

async function leagueData(request: FastifyRequest, service: ScorecardsService) {
  const t = request.t;
  const query = (request.query ?? {}) as Record<string, unknown>;
  const parsed = LeagueQuery.safeParse(query);
  const choices = await service.leagueChoices();
  const typeItems = (selected?: string) =>
    publicBodyTypes.map((type) => ({
      value: type,
      text: t(`directory.bodyTypes.${type}`),
      selected: type === selected,
    }));
  const measureItems = (selected?: string) =>
    measures.map((m) => ({ value: m, text: t(`scorecards.measures.${m}`), selected: m === selected }));
  const yearItems = (selected?: string) => [
    { value: 'all', text: t('scorecards.league.allYears'), selected: !selected || selected === 'all' },
    ...choices.years.map((y) => ({ value: String(y), text: String(y), selected: String(y) === selected })),
  ];
  if (!parsed.success) {
    return {
      status: 422,
      data: {
        errors: toGovukErrors(parsed.error, t),
        typeItems: typeItems(String(query.type ?? '')),
        measureItems: measureItems(String(query.measure ?? '')),
        yearItems: yearItems(String(query.year ?? '')),
      },
    };
  }
  const type = parsed.data.type ?? choices.types[0]?.type ?? publicBodyTypes[0];
  const measure: Measure = parsed.data.measure;
  const year = parsed.data.year === 'all' ? null : parsed.data.year;
  const result = await service.league({ type, measure, year });
  const typeLabel = t(`directory.bodyTypes.${type}`);
  const period = year === null ? t('scorecards.league.allYears') : String(year);
  const figure = leagueFigure(t, result.league, typeLabel, period);
  return {
    status: 200,
    result,
    data: {
      result,
      type,
      typeLabel,
      measure,
      year,
      period,
      figure,
      typeItems: typeItems(type),
      measureItems: measureItems(measure),
      yearItems: yearItems(year === null ? 'all' : String(year)),
      bodyRows: figure.rows.map((row, i) => {
        const body = result.league.ranked[i]!.body;
        return row.map((cell, c) =>
          c === 1 ? { html: linkHtml(p.body({ slug: body.slug }), body.name) } : cell,
        );
      }),
      withheldRows: result.league.withheld.map((r) => [
        { html: linkHtml(p.body({ slug: r.body.slug }), r.body.name) },
        { text: String(r.rate.n), format: 'numeric' },
      ]),
      csvHref: p.leagueCsv({ type, measure, year: year === null ? 'all' : String(year) }),
      apiHref: p.api.league({ type, measure, year: year === null ? 'all' : String(year) }),
    },
  };
}

export function registerScorecardsRoutes(app: FastifyInstance, deps: Deps) {
  const service = deps.scorecards;

  app.get(p.home.pattern, async (request, reply) => {
    const [choices, commitments] = await Promise.all([service.leagueChoices(), service.commitments()]);
    return view(reply, 'home.njk', {
      types: choices.types.map((c) => ({
        href: p.league({ type: c.type }),
        text: request.t('scorecards.home.leagueFor', {
          type: request.t(`directory.bodyTypes.${c.type}`),
          count: String(c.bodies),
        }),
      })),
      commitments: commitments.map((c) => ({
        href: p.commitment({ code: c.code }),
        code: c.code,
        text: c.text,
      })),
      directoryHref: directoryPaths.search({ kind: 'public_body' }),
    });
  });

  app.get<{ Params: Params }>(p.body.pattern, async (request, reply) => {
    const card = await service.bodyScorecard(request.params.slug!);
    return view(reply, 'body.njk', bodyPageData(request.t, card));
  });

  app.get<{ Params: Params }>(p.bodyCsv.pattern, async (request, reply) => {
    const card = await service.bodyScorecard(request.params.slug!);
    return sendCsv(reply, `scorecard-${card.body.slug}`, bodyCsvRows(card));
  });

  app.get<{ Params: Params }>(p.commitment.pattern, async (request, reply) => {
    const card = await service.commitmentScorecard(request.params.code!);
    return view(reply, 'commitment.njk', {
      ...card,
      casework: caseworkFigures(request.t, card.trend, 'commitment'),
      csvHref: p.commitmentCsv({ code: card.commitment.code }),
      apiHref: p.api.commitment({ code: card.commitment.code }),
      actionRows: card.actions.map((a) => [
        { html: linkHtml(planPaths.published({ planId: a.planId }), a.planTitle) },
        { text: a.bodyName },
        { text: a.title },
        { text: request.t(`plans.actionStatuses.${a.status}`) },
        { text: a.progress === null ? '–' : `${a.progress}%`, format: 'numeric' },
      ]),
    });
  });

  app.get<{ Params: Params }>(p.commitmentCsv.pattern, async (request, reply) => {
    const card = await service.commitmentScorecard(request.params.code!);
    return sendCsv(
      reply,
      `scorecard-commitment-${card.commitment.code}`,
      trendCsvRows('commitment', card.commitment.code, card.trend),
    );
  });

  app.get(p.league.pattern, async (request, reply) => {
    const { status, data } = await leagueData(request, service);
    return view(reply.code(status), 'league.njk', data);
  });

  app.get(p.leagueCsv.pattern, async (request, reply) => {
    const out = await leagueData(request, service);
    if (!out.result) return view(reply.code(422), 'league.njk', out.data);
    const { league } = out.result;
    const rows: string[][] = [
      [
        'position',
        'body',
        'slug',
        'type',
        'measure',
        'year',
        'numerator',
        'denominator',
        'rate',
        'lower',
        'upper',
        'standing',
      ],
    ];
    for (const r of [...league.ranked, ...league.withheld]) {
      const shown = r.rate.shown ? r.rate : null;
      rows.push([
        r.position === null ? '' : String(r.position),
        r.body.name,
        r.body.slug,
        league.type,
        league.measure,
        out.result.year === null ? 'all' : String(out.result.year),
        shown ? String(shown.x) : '',
        String(r.rate.n),
        shown ? shown.estimate.toFixed(4) : '',
        shown ? shown.lower.toFixed(4) : '',
        shown ? shown.upper.toFixed(4) : '',
        r.standing,
      ]);
    }
    return sendCsv(reply, `league-${league.type}-${league.measure}`, rows);
  });
}
