/**
 * From read models to what the pages show: each chart as SVG with its text summary and its data table
 * (govukTable rows), in the visitor's language. The CSV downloads and the JSON API use the same figures.
 */
import type { Translate } from '../../platform/i18n/i18n.ts';
import { countChart, rateChart, type RateBar } from './scorecards.charts.ts';
import {
  measureParts,
  measures,
  type League,
  type Measure,
  type Rate,
  type Trend,
} from './scorecards.rules.ts';

type Cell = { text: string; format?: 'numeric' };
export interface Figure {
  id: string;
  title: string;
  svg: string;
  summary: string[];
  head: Cell[];
  rows: Cell[][];
}

const pct = (p: number) => `${Math.round(p * 100)}%`;
const num = (n: number) => n.toLocaleString('en-GB');

export function rateText(t: Translate, rate: Rate): string {
  if (rate.shown) return `${pct(rate.estimate)} (${pct(rate.lower)} to ${pct(rate.upper)})`;
  return rate.reason === 'none'
    ? t('scorecards.withheld.none')
    : t('scorecards.withheld.too_few', { n: String(rate.n), min: String(rate.minCount) });
}

const intervalCell = (rate: Rate): Cell => ({
  text: rate.shown ? `${pct(rate.lower)} to ${pct(rate.upper)}` : '–',
});

const withheldText = (t: Translate) => (r: Extract<Rate, { shown: false }>) =>
  r.reason === 'none'
    ? t('scorecards.withheld.none')
    : t('scorecards.withheld.too_few', { n: String(r.n), min: String(r.minCount) });

/** One sentence about one rate, for the summaries. */
export function rateSentence(t: Translate, measure: Measure, rate: Rate): string {
  const m = t(`scorecards.measures.${measure}`);
  const denominator = t(`scorecards.measureDenominators.${measure}`);
  if (rate.shown)
    return t('scorecards.body.summaryShown', {
      measure: m,
      rate: pct(rate.estimate),
      lower: pct(rate.lower),
      upper: pct(rate.upper),
      x: num(rate.x),
      n: num(rate.n),
      denominator,
    });
  if (rate.reason === 'none') return t('scorecards.body.summaryNone', { measure: m });
  return t('scorecards.body.summaryWithheld', {
    measure: m,
    n: num(rate.n),
    denominator,
    min: String(rate.minCount),
  });
}

/** The casework section of a body's or a commitment's scorecard. */
export function caseworkFigures(t: Translate, trend: Trend, idPrefix: string) {
  const latest = trend.years.at(-1);
  const figures: Figure[] = [];
  if (!latest) return { latestYear: null, figures, total: 0 };

  const volumeTitle = t('scorecards.body.volume');
  figures.push({
    id: `${idPrefix}-volume`,
    title: volumeTitle,
    svg: countChart(
      { id: `${idPrefix}-volume`, title: volumeTitle, description: volumeTitle },
      trend.years.map((y) => ({ label: String(y.year), value: y.counters.cases })),
    ),
    summary: [
      t('scorecards.body.volumeSummary', {
        total: num(trend.all.counters.cases),
        latest: num(latest.counters.cases),
        year: String(latest.year),
      }),
    ],
    head: [{ text: t('scorecards.table.year') }, { text: t('scorecards.table.cases'), format: 'numeric' }],
    rows: trend.years.map((y) => [
      { text: String(y.year) },
      { text: num(y.counters.cases), format: 'numeric' },
    ]),
  });

  // The latest year's four rates side by side.
  const ratesTitle = t('scorecards.body.ratesTitle', { year: String(latest.year) });
  const latestBars: RateBar[] = measures.map((m) => ({
    label: t(`scorecards.measures.${m}`),
    rate: latest.rates[m],
  }));
  figures.push({
    id: `${idPrefix}-rates`,
    title: ratesTitle,
    svg: rateChart(
      { id: `${idPrefix}-rates`, title: ratesTitle, description: ratesTitle, withheldText: withheldText(t) },
      latestBars,
    ),
    summary: measures.map((m) => rateSentence(t, m, latest.rates[m])),
    head: rateHead(t),
    rows: measures.map((m) => rateRow(t(`scorecards.measures.${m}`), latest.rates[m], m)),
  });

  // One trend chart per measure, years as bars.
  for (const m of measures) {
    const title = t('scorecards.body.trendTitle', { measure: t(`scorecards.measures.${m}`) });
    const change = trend.changes[m];
    const summary = [t(`scorecards.measureMeaning.${m}`)];
    if (change?.difference) {
      const d = change.difference;
      const points = (v: number) => `${v >= 0 ? '+' : ''}${Math.round(v * 100)}`;
      summary.push(
        t('scorecards.body.change', {
          from: String(change.from),
          to: String(change.to),
          points: points(d.estimate),
          lower: points(d.lower),
          upper: points(d.upper),
          verdict: t(
            d.significant ? 'scorecards.body.changeSignificant' : 'scorecards.body.changeNotSignificant',
          ),
        }),
      );
    }
    figures.push({
      id: `${idPrefix}-trend-${m}`,
      title,
      svg: rateChart(
        {
          id: `${idPrefix}-trend-${m}`,
          title,
          description: summary.join(' '),
          withheldText: withheldText(t),
        },
        trend.years.map((y) => ({ label: String(y.year), rate: y.rates[m] })),
      ),
      summary,
      head: [{ text: t('scorecards.table.year') }, ...rateHead(t).slice(1)],
      rows: trend.years.map((y) => rateRow(String(y.year), y.rates[m], m)),
    });
  }
  return { latestYear: latest.year, figures, total: trend.all.counters.cases };
}

function rateHead(t: Translate): Cell[] {
  return [
    { text: '' },
    { text: t('scorecards.table.rate'), format: 'numeric' },
    { text: t('scorecards.table.interval') },
    { text: t('scorecards.table.of'), format: 'numeric' },
  ];
}

function rateRow(label: string, rate: Rate, _m: Measure): Cell[] {
  return [
    { text: label },
    { text: rate.shown ? pct(rate.estimate) : '–', format: 'numeric' },
    intervalCell(rate),
    { text: num(rate.n), format: 'numeric' },
  ];
}

/** The league table's chart, summary and rows. */
export function leagueFigure(
  t: Translate,
  league: League<{ name: string; slug: string }>,
  typeLabel: string,
  period: string,
): Figure {
  const measure = t(`scorecards.measures.${league.measure}`);
  const title = t('scorecards.league.chartTitle', { measure, type: typeLabel, period });
  const above = league.ranked.filter((r) => r.standing === 'above').length;
  const below = league.ranked.filter((r) => r.standing === 'below').length;
  const summary = t('scorecards.league.summary', {
    ranked: String(league.ranked.length),
    pooled: rateText(t, league.pooled),
    above: String(above),
    below: String(below),
  });
  return {
    id: 'league',
    title,
    svg: league.ranked.length
      ? rateChart(
          {
            id: 'league',
            title,
            description: summary,
            withheldText: withheldText(t),
            referenceLabel: t('scorecards.league.pooled'),
          },
          league.ranked.map((r) => ({ label: shorten(r.body.name), rate: r.rate })),
          league.pooled,
        )
      : '',
    summary: [summary],
    head: [
      { text: t('scorecards.league.position'), format: 'numeric' },
      { text: t('scorecards.table.body') },
      { text: t('scorecards.table.rate'), format: 'numeric' },
      { text: t('scorecards.table.interval') },
      { text: t('scorecards.table.of'), format: 'numeric' },
      { text: t('scorecards.league.standing') },
    ],
    rows: league.ranked.map((r) => [
      { text: String(r.position), format: 'numeric' },
      { text: r.body.name },
      { text: r.rate.shown ? pct(r.rate.estimate) : '–', format: 'numeric' },
      intervalCell(r.rate),
      { text: num(r.rate.n), format: 'numeric' },
      { text: t(`scorecards.league.standings.${r.standing}`) },
    ]),
  };
}

const shorten = (name: string) => (name.length > 28 ? `${name.slice(0, 27)}…` : name);

/** CSV rows of a trend (body or commitment): one row per year and measure. */
export function trendCsvRows(scope: string, name: string, trend: Trend): string[][] {
  const rows: string[][] = [
    [
      'scope',
      'name',
      'year',
      'measure',
      'numerator',
      'denominator',
      'rate',
      'lower',
      'upper',
      'shown',
      'cases',
    ],
  ];
  for (const y of trend.years) {
    for (const m of measures) {
      const r = y.rates[m];
      const { x, n } = measureParts[m](y.counters);
      rows.push([
        scope,
        name,
        String(y.year),
        m,
        r.shown ? String(x) : '',
        String(n),
        r.shown ? r.estimate.toFixed(4) : '',
        r.shown ? r.lower.toFixed(4) : '',
        r.shown ? r.upper.toFixed(4) : '',
        r.shown ? 'yes' : r.reason === 'none' ? 'no: no cases' : `no: fewer than ${r.minCount}`,
        String(y.counters.cases),
      ]);
    }
  }
  return rows;
}
