/**
 * Turns result groups into what the pages show: labelled table rows, the text summary and the chart. One
 * place, so the live pages, the published review, the CSV and the API word figures the same way.
 */
import { formatNumber, hasMessage, type Locale, type Translate } from '../../platform/i18n/i18n.ts';
import type { Question } from './surveys.repository.ts';
import { barChartSvg } from './surveys.results.chart.ts';
import {
  ALL,
  percentText,
  pointsText,
  positiveOptionsOf,
  type Breakdown,
  type Change,
  type ResultGroup,
} from './surveys.results.rules.ts';

export interface Labeller {
  t: Translate;
  locale: Locale;
  bodyNames?: ReadonlyMap<string, string>;
}

export function optionLabel(question: Pick<Question, 'type' | 'settings'>, option: string, t: Translate) {
  if (question.type === 'agreement') return t(`questionEngine.agreement.${option}`);
  if (question.type === 'body_rating') return t(`questionEngine.rating.${option}`);
  return question.settings.options?.find((o) => o.value === option)?.label ?? option;
}

export function groupLabel(breakdown: Breakdown | string, value: string, l: Labeller) {
  if (breakdown === ALL) return l.t('surveyResults.everyone');
  if (breakdown === 'body') return l.bodyNames?.get(value) ?? value;
  const key = `surveyResults.groups.${breakdown}.${value}`;
  return hasMessage('en', key) ? l.t(key) : value;
}

const count = (n: number | null, l: Labeller) =>
  n === null ? l.t('surveyResults.withheld') : formatNumber(n, l.locale);

export function intervalText(lower: number | null, upper: number | null, l: Labeller) {
  return lower === null || upper === null
    ? ''
    : l.t('surveyResults.intervalText', { lower: percentText(lower), upper: percentText(upper) });
}

export function changeText(change: Change | undefined | null, l: Labeller) {
  if (!change || change.change === null) return '';
  return `${l.t('surveyResults.changeText', {
    points: pointsText(change.change),
    lower: pointsText(change.lower),
    upper: pointsText(change.upper),
  })}: ${l.t(change.significant ? 'surveyResults.changeSignificant' : 'surveyResults.changeNotSignificant')}`;
}

export interface OptionRow {
  option: string;
  label: string;
  n: string;
  percent: string;
  interval: string;
  previous: string;
  change: string;
  withheld: boolean;
}

/** One row per answer option of a group (with the change since last year when given). */
export function optionRows(
  question: Pick<Question, 'type' | 'settings'>,
  group: ResultGroup,
  l: Labeller,
  changes: Change[] = [],
): OptionRow[] {
  return group.cells.map((c) => {
    const change = changes.find((x) => x.option === c.option);
    return {
      option: c.option,
      label: optionLabel(question, c.option, l.t),
      n: count(c.n, l),
      percent: percentText(c.percent) ?? l.t('surveyResults.withheld'),
      interval: intervalText(c.lower, c.upper, l),
      previous: percentText(change?.previousPercent ?? null) ?? '',
      change: changeText(change, l),
      withheld: c.n === null,
    };
  });
}

/** govukTable rows for a breakdown: one row per group, a column per option (n and share). */
export function breakdownTable(
  question: Pick<Question, 'type' | 'settings'>,
  breakdown: Breakdown,
  groups: ResultGroup[],
  l: Labeller,
) {
  const options = groups[0]?.cells.map((c) => c.option) ?? [];
  const head = [
    { text: l.t(`surveyResults.breakdowns.${breakdown}`) },
    { text: l.t('surveyResults.table.base'), format: 'numeric' },
    ...(question.type === 'number' ? [{ text: l.t('surveyResults.table.mean'), format: 'numeric' }] : []),
    ...options.map((o) => ({ text: optionLabel(question, o, l.t), format: 'numeric' })),
  ];
  const rows = groups.map((g) => [
    { text: groupLabel(breakdown, g.value, l) },
    { text: count(g.base, l), format: 'numeric' },
    ...(question.type === 'number'
      ? [{ text: g.mean === null ? l.t('surveyResults.withheld') : meanText(g.mean, l), format: 'numeric' }]
      : []),
    ...g.cells.map((c) => ({
      text:
        c.n === null ? l.t('surveyResults.withheld') : `${count(c.n, l)} (${percentText(c.percent) ?? ''})`,
      format: 'numeric',
    })),
  ]);
  return { head, rows };
}

export const meanText = (mean: number, l: Labeller) => formatNumber(Math.round(mean * 10) / 10, l.locale);

/** The chart of a group's shares, with last year's shares as diamonds. */
export function chartFor(
  question: Pick<Question, 'type' | 'settings' | 'text'>,
  group: ResultGroup,
  l: Labeller,
  changes: Change[] = [],
  previousYear: number | null = null,
) {
  const bars = group.cells.map((c) => ({
    label: optionLabel(question, c.option, l.t),
    percent: c.percent,
    lower: c.lower,
    upper: c.upper,
    previous: changes.find((x) => x.option === c.option)?.previousPercent ?? null,
  }));
  return barChartSvg(bars, {
    title: l.t('surveyResults.question.chartTitle', { question: question.text }),
    withheldText: l.t('surveyResults.withheld'),
    intervalLabel: l.t('surveyResults.intervalLabel'),
    previousLabel: previousYear ? String(previousYear) : null,
  });
}

/** A few sentences saying what the chart shows. */
export function summaryOf(
  question: Pick<Question, 'type' | 'settings'>,
  group: ResultGroup,
  l: Labeller,
  changes: Change[] = [],
  previousYear: number | null = null,
): string[] {
  const out: string[] = [];
  out.push(
    group.base === null
      ? l.t('surveyResults.summary.answeredWithheld')
      : l.t('surveyResults.summary.answered', { n: formatNumber(group.base, l.locale) }),
  );
  if (question.type === 'number' && group.mean !== null)
    out.push(l.t('surveyResults.summary.mean', { mean: meanText(group.mean, l) }));
  const shown = group.cells.filter((c) => c.percent !== null);
  const top = [...shown].sort((a, b) => b.percent! - a.percent!)[0];
  if (top)
    out.push(
      l.t('surveyResults.summary.top', {
        answer: optionLabel(question, top.option, l.t),
        percent: percentText(top.percent),
        lower: percentText(top.lower),
        upper: percentText(top.upper),
      }),
    );
  const positive = positiveOptionsOf(question.type);
  if (positive.length && positive.every((o) => shown.some((c) => c.option === o)) && group.base) {
    const n = positive.reduce((a, o) => a + shown.find((c) => c.option === o)!.n!, 0);
    out.push(
      l.t('surveyResults.summary.positive', {
        percent: percentText(n / group.base),
        options: positive.map((o) => optionLabel(question, o, l.t)).join(', '),
      }),
    );
  }
  if (previousYear) {
    const real = changes.filter((c) => c.significant && c.change !== null);
    for (const c of real)
      out.push(
        l.t(c.change! > 0 ? 'surveyResults.summary.rose' : 'surveyResults.summary.fell', {
          year: previousYear,
          answer: optionLabel(question, c.option, l.t),
          points: Math.abs(Math.round(c.change! * 100)),
        }),
      );
    if (real.length === 0 && changes.some((c) => c.change !== null))
      out.push(l.t('surveyResults.summary.steady', { year: previousYear }));
  }
  const withheld = group.cells.filter((c) => c.n === null).length + (group.base === null ? 1 : 0);
  if (withheld > 0) out.push(l.t('surveyResults.summary.withheld', { n: withheld }));
  return out;
}
