/**
 * The published review as pages, CSV and API show it: headline findings by principle, each question's
 * chart, summary and table, trends across published years, and the response profile. Reads only the frozen,
 * suppressed figures (surveys.results.service.ts `review` and `publishedFigures`). Withheld figures are
 * published as withheld without saying why (primary or complementary), since that would bound them.
 */
import type { PublishedFigure, Question } from './surveys.repository.ts';
import { attributeNames } from './surveys.attributes.ts';
import {
  breakdownTable,
  chartFor,
  groupLabel,
  intervalText,
  meanText,
  optionLabel,
  optionRows,
  summaryOf,
  changeText,
  type Labeller,
} from './surveys.results.present.ts';
import {
  ALL,
  BASE,
  combined,
  combinedChange,
  csvLine,
  percentText,
  positiveOptionsOf,
  type ResultGroup,
} from './surveys.results.rules.ts';
import { MEAN_OPTION, PROFILE_KEY, type SurveyResultsService } from './surveys.results.service.ts';

type Review = Awaited<ReturnType<SurveyResultsService['review']>>;
type Item = Review['items'][number];

/** The headline figure of a question in one year: the positive share, the top answer's share, or the mean. */
function headlineValue(item: Pick<Item, 'question'>, group: ResultGroup | null, topOption: string | null) {
  if (!group) return null;
  if (item.question.type === 'number') return group.mean;
  const positive = positiveOptionsOf(item.question.type);
  if (positive.length) return combined(group, positive)?.percent ?? null;
  return group.cells.find((c) => c.option === topOption)?.percent ?? null;
}

function topOptionOf(group: ResultGroup) {
  return (
    [...group.cells].filter((c) => c.percent !== null).sort((a, b) => b.percent! - a.percent!)[0] ?? null
  );
}

function headlineOf(item: Item, l: Labeller, previousYear: number | null) {
  const { t } = l;
  if (item.question.type === 'number')
    return {
      text:
        item.all.mean === null
          ? t('surveyResults.withheld')
          : t('surveyResults.review.mean', { mean: meanText(item.all.mean, l) }),
      interval: '',
      change: '',
    };
  if (item.headline) {
    const change = combinedChange(item.headline, item.previousHeadline);
    return {
      text: `${percentText(item.headline.percent)} ${t(item.question.type === 'agreement' ? 'surveyResults.review.positiveAgree' : 'surveyResults.review.positiveGood')}`,
      interval: intervalText(item.headline.lower, item.headline.upper, l),
      change:
        change && previousYear
          ? `${t('surveyResults.table.change', { year: previousYear })}: ${changeText({ option: '', ...change }, l)}`
          : '',
    };
  }
  const top = topOptionOf(item.all);
  if (!top) return { text: t('surveyResults.withheld'), interval: '', change: '' };
  const change = item.changes.find((c) => c.option === top.option);
  return {
    text: `${percentText(top.percent)}, ${t('surveyResults.review.topAnswer', { answer: optionLabel(item.question, top.option, t) })}`,
    interval: intervalText(top.lower, top.upper, l),
    change:
      change?.change !== null && change && previousYear
        ? `${t('surveyResults.table.change', { year: previousYear })}: ${changeText(change, l)}`
        : '',
  };
}

export function presentReview(review: Review, l: Labeller) {
  const { t } = l;
  const previousYear = review.previous?.year ?? null;
  const items = review.items.map((item) => ({
    item,
    headline: headlineOf(item, l, previousYear),
    rows: optionRows(item.question, item.all, l, item.changes),
    summary: summaryOf(item.question, item.all, l, item.changes, previousYear),
    chart:
      item.question.type === 'number'
        ? null
        : chartFor(item.question, item.all, l, item.changes, previousYear),
    bodies:
      item.bodies.length > 0
        ? {
            head: [
              { text: t('surveyResults.review.body') },
              { text: t('surveyResults.review.ratings'), format: 'numeric' },
              { text: t('surveyResults.review.good'), format: 'numeric' },
              { text: t('surveyResults.table.interval'), format: 'numeric' },
            ],
            rows: item.bodies
              .map((b) => ({
                b,
                good: combined(b, positiveOptionsOf(item.question.type)),
                name: groupLabel('body', b.value, l),
              }))
              .sort((x, y) => x.name.localeCompare(y.name))
              .map(({ b, good, name }) => [
                { text: name },
                { text: b.base === null ? t('surveyResults.withheld') : String(b.base), format: 'numeric' },
                {
                  text: percentText(good?.percent ?? null) ?? t('surveyResults.withheld'),
                  format: 'numeric',
                },
                { text: good ? intervalText(good.lower, good.upper, l) : '', format: 'numeric' },
              ]),
          }
        : null,
  }));
  const principles = review.principles
    .map((p) => ({ principle: p, items: items.filter((i) => i.item.question.principleId === p.id) }))
    .filter((p) => p.items.length > 0);
  const unprincipled = items.filter(
    (i) => !review.principles.some((p) => p.id === i.item.question.principleId),
  );
  const sections = review.sections
    .map((s) => ({ section: s, items: items.filter((i) => i.item.question.sectionId === s.id) }))
    .filter((s) => s.items.length > 0);

  // Trends: questions asked in an earlier published year, headline by year (oldest first).
  const years = [...review.earlier.map((e) => e.year)].reverse();
  const trendItems = items.filter((i) => i.item.history.some((h) => h.all));
  const trends =
    trendItems.length && years.length
      ? {
          head: [
            { text: t('surveyResults.overview.question') },
            ...[...years, review.edition.year].map((y) => ({ text: String(y), format: 'numeric' })),
          ],
          rows: trendItems.map(({ item }) => {
            const top = topOptionOf(item.all)?.option ?? null;
            const value = (g: ResultGroup | null) => {
              const v = headlineValue(item, g, top);
              if (v === null) return g ? t('surveyResults.withheld') : t('surveyResults.notAsked');
              return item.question.type === 'number' ? meanText(v, l) : percentText(v)!;
            };
            return [
              { text: item.question.text },
              ...years.map((y) => ({
                text: value(item.history.find((h) => h.year === y)?.all ?? null),
                format: 'numeric',
              })),
              { text: value(item.all), format: 'numeric' },
            ];
          }),
        }
      : null;

  const profile = attributeNames
    .map((name) => ({
      name,
      caption: t('surveyResults.review.profileCaption', {
        breakdown: t(`surveyResults.breakdowns.${name}`).toLowerCase(),
      }),
      table: breakdownTable({ type: 'free_text', settings: {} }, name, review.profile[name], l),
    }))
    .filter((p) => p.table.rows.length > 0);

  return {
    edition: review.edition,
    respondents: review.respondents,
    previousYear,
    principles,
    unprincipled,
    sections,
    trends,
    profile,
    hasWithheld: items.some((i) => i.rows.some((r) => r.withheld)),
  };
}

/** The CSV of a published review's figures: one row per figure, withheld figures blank and marked. */
export function reviewCsv(
  data: { edition: { year: number }; figures: PublishedFigure[]; questions: Question[] },
  l: Labeller,
): string {
  const { t } = l;
  const byKey = new Map(data.questions.map((q) => [q.key, q]));
  const lines = [
    csvLine([
      'year',
      'question_key',
      'question',
      'breakdown',
      'group',
      'option',
      'answer',
      'n',
      'base',
      'percent',
      'ci_lower_percent',
      'ci_upper_percent',
      'mean',
      'status',
    ]),
  ];
  const pct = (v: number | null) => (v === null ? null : Math.round(v * 1000) / 10);
  for (const f of data.figures) {
    const question = byKey.get(f.questionKey);
    if (f.questionKey !== PROFILE_KEY && !question) continue;
    const isMean = f.option === MEAN_OPTION;
    lines.push(
      csvLine([
        data.edition.year,
        f.questionKey,
        f.questionKey === PROFILE_KEY ? 'Respondents' : question!.text,
        f.breakdown,
        f.breakdown === ALL ? ALL : f.groupValue,
        f.option,
        f.option === BASE
          ? 'answered'
          : isMean
            ? 'mean'
            : question
              ? optionLabel(question, f.option, t)
              : f.option,
        f.n,
        f.base,
        isMean ? null : pct(f.percent),
        pct(f.lower),
        pct(f.upper),
        isMean ? Math.round(f.percent! * 100) / 100 : null,
        f.suppressed === 'shown' ? 'shown' : 'withheld',
      ]),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}
