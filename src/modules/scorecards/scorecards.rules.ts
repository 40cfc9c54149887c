/**
 * Scorecard rules (issue 5 item 3), pure functions over precomputed counters:
 *
 * - every rate carries a Wilson 95% interval (platform/stats: Wilson 1927, Newcombe 1998);
 * - no rate, and no place in a ranking, is shown when its denominator is below the minimum count (10 by
 *   default, `SCORECARD_MIN_COUNT`), and the page says why: with a handful of cases one late answer moves a
 *   rate by 10 or 20 points, which is noise, not performance;
 * - bodies are compared only with bodies of the same type (a government department is not ranked against a
 *   parish council), against the pooled rate of that type;
 * - trends by calendar year, with the change between the last two years and whether its Newcombe interval
 *   excludes zero.
 */
import { differenceInterval, wilsonInterval, type Interval } from '../../platform/stats/index.ts';

export const DEFAULT_MIN_COUNT = 10;

/** The counters of one body or commitment in one year (a row of `scorecard_facts`). */
export interface Counters {
  cases: number;
  acknowledgedOnTime: number;
  acknowledgeDecided: number;
  answeredOnTime: number;
  answerDecided: number;
  upheld: number;
  outcomesDecided: number;
  escalated: number;
}

export const emptyCounters = (): Counters => ({
  cases: 0,
  acknowledgedOnTime: 0,
  acknowledgeDecided: 0,
  answeredOnTime: 0,
  answerDecided: 0,
  upheld: 0,
  outcomesDecided: 0,
  escalated: 0,
});

export function addCounters(a: Counters, b: Counters): Counters {
  return {
    cases: a.cases + b.cases,
    acknowledgedOnTime: a.acknowledgedOnTime + b.acknowledgedOnTime,
    acknowledgeDecided: a.acknowledgeDecided + b.acknowledgeDecided,
    answeredOnTime: a.answeredOnTime + b.answeredOnTime,
    answerDecided: a.answerDecided + b.answerDecided,
    upheld: a.upheld + b.upheld,
    outcomesDecided: a.outcomesDecided + b.outcomesDecided,
    escalated: a.escalated + b.escalated,
  };
}

/**
 * The rates a scorecard shows, each as (numerator, denominator) of the counters:
 * - acknowledged on time: of cases whose acknowledgement deadline is decided (met, or passed unmet);
 * - answered on time: likewise for the response deadline;
 * - upheld: of complaints with an outcome that decides them (resolved or partly resolved = upheld);
 * - escalated: of all cases about the body, the share taken to the oversight panel.
 */
export const measures = ['acknowledged', 'answered', 'upheld', 'escalated'] as const;
export type Measure = (typeof measures)[number];

export const measureParts: Record<Measure, (c: Counters) => { x: number; n: number }> = {
  acknowledged: (c) => ({ x: c.acknowledgedOnTime, n: c.acknowledgeDecided }),
  answered: (c) => ({ x: c.answeredOnTime, n: c.answerDecided }),
  upheld: (c) => ({ x: c.upheld, n: c.outcomesDecided }),
  escalated: (c) => ({ x: c.escalated, n: c.cases }),
};

export type Rate =
  | ({ shown: true; x: number; n: number } & Interval)
  | { shown: false; n: number; reason: 'none' | 'too_few'; minCount: number };

/** x of n as a rate with its Wilson interval, or withheld (with the reason) when n is below `minCount`. */
export function rateOf(x: number, n: number, minCount = DEFAULT_MIN_COUNT): Rate {
  if (n <= 0) return { shown: false, n: 0, reason: 'none', minCount };
  if (n < minCount) return { shown: false, n, reason: 'too_few', minCount };
  return { shown: true, x, n, ...wilsonInterval(x, n)! };
}

export function measureRate(c: Counters, measure: Measure, minCount = DEFAULT_MIN_COUNT): Rate {
  const { x, n } = measureParts[measure](c);
  return rateOf(x, n, minCount);
}

export interface YearRow {
  year: number;
  counters: Counters;
  rates: Record<Measure, Rate>;
}

export interface Change {
  from: number;
  to: number;
  /** Difference in proportion (to − from) with Newcombe's interval; null when either year is withheld. */
  difference: (Interval & { significant: boolean }) | null;
}

export interface Trend {
  years: YearRow[];
  all: YearRow;
  /** Change from the year before the latest to the latest, per measure. */
  changes: Record<Measure, Change | null>;
}

const ratesOf = (c: Counters, minCount: number) =>
  Object.fromEntries(measures.map((m) => [m, measureRate(c, m, minCount)])) as Record<Measure, Rate>;

/** Rows per year (ascending, gaps filled with zeros), the all-years total and the latest change. */
export function trendOf(rows: readonly ({ year: number } & Counters)[], minCount = DEFAULT_MIN_COUNT): Trend {
  const byYear = new Map<number, Counters>();
  for (const r of rows) byYear.set(r.year, addCounters(byYear.get(r.year) ?? emptyCounters(), r));
  const known = [...byYear.keys()].sort((a, b) => a - b);
  const years: YearRow[] = [];
  if (known.length) {
    for (let y = known[0]!; y <= known.at(-1)!; y++) {
      const counters = byYear.get(y) ?? emptyCounters();
      years.push({ year: y, counters, rates: ratesOf(counters, minCount) });
    }
  }
  const total = years.reduce((sum, y) => addCounters(sum, y.counters), emptyCounters());
  const changes = {} as Record<Measure, Change | null>;
  for (const m of measures) {
    const [a, b] = years.slice(-2);
    if (!a || !b) {
      changes[m] = null;
      continue;
    }
    const ra = a.rates[m];
    const rb = b.rates[m];
    changes[m] = {
      from: a.year,
      to: b.year,
      difference: ra.shown && rb.shown ? differenceInterval(rb.x, rb.n, ra.x, ra.n) : null,
    };
  }
  return { years, all: { year: 0, counters: total, rates: ratesOf(total, minCount) }, changes };
}

/** Where a body stands against its type's pooled rate: only a non-overlapping interval says anything. */
export type Standing = 'above' | 'below' | 'level' | 'withheld';

export interface LeagueRow<B> {
  body: B;
  counters: Counters;
  rate: Rate;
  standing: Standing;
  /** 1-based position among ranked bodies (ties share a position); null when withheld. */
  position: number | null;
}

export interface League<B> {
  type: string;
  measure: Measure;
  pooled: Rate;
  ranked: LeagueRow<B>[];
  /** Bodies of the type with too few cases to rank, alphabetical by the caller's order. */
  withheld: LeagueRow<B>[];
}

/**
 * A league table of bodies of ONE type for one measure. Bodies of another type are refused, not silently
 * dropped: mixing types is a bug in the caller. Ranked by the rate's estimate (higher first; for
 * `escalated` and `upheld` too, since the page states what the rate means rather than judging it), each
 * compared with the pooled rate of the type: above when its whole interval is above, below when wholly
 * below, otherwise level.
 */
export function leagueOf<B extends { type: string | null }>(
  type: string,
  measure: Measure,
  entries: readonly { body: B; counters: Counters }[],
  minCount = DEFAULT_MIN_COUNT,
): League<B> {
  for (const e of entries) {
    if (e.body.type !== type)
      throw new RangeError(`leagueOf: a body of type ${String(e.body.type)} in a ${type} league`);
  }
  const pooledCounters = entries.reduce((sum, e) => addCounters(sum, e.counters), emptyCounters());
  const pooled = measureRate(pooledCounters, measure, minCount);
  const rows = entries.map((e): LeagueRow<B> => {
    const rate = measureRate(e.counters, measure, minCount);
    let standing: Standing = 'withheld';
    if (rate.shown) {
      standing = 'level';
      if (pooled.shown && rate.lower > pooled.estimate) standing = 'above';
      if (pooled.shown && rate.upper < pooled.estimate) standing = 'below';
    }
    return { body: e.body, counters: e.counters, rate, standing, position: null };
  });
  const ranked = rows
    .filter((r) => r.rate.shown)
    .sort((a, b) => estimate(b.rate) - estimate(a.rate) || b.rate.n - a.rate.n);
  ranked.forEach((r, i) => {
    const previous = ranked[i - 1];
    r.position = previous && estimate(previous.rate) === estimate(r.rate) ? previous.position : i + 1;
  });
  return { type, measure, pooled, ranked, withheld: rows.filter((r) => !r.rate.shown) };
}

const estimate = (r: Rate) => (r.shown ? r.estimate : -1);

/** A proportion as a whole per cent, the way the pages write it ("43%"). */
export const percent = (p: number) => `${Math.round(p * 100)}%`;

/** A proportion as per cent with one decimal, for tables and CSV ("43.2"). */
export const percent1 = (p: number) => (Math.round(p * 1000) / 10).toFixed(1);

// ── Annual-review figures (the "survey" evaluation kind) ──────────────────────────────────────────────

/** One published figure of the annual review about a body, as the surveys module gives it (bodyResults). */
export interface SurveyBodyResult {
  year: number;
  questionKey: string;
  questionText: string;
  /** How many rated the body; null when withheld (fewer than 10). */
  ratings: number | null;
  /** Rated it good or very good, with the 95% Wilson interval; null when any part is withheld. */
  good: { n: number; base: number; percent: number; lower: number; upper: number } | null;
  distribution: {
    option: string;
    n: number | null;
    state: 'shown' | 'primary' | 'secondary';
    percent: number | null;
    lower: number | null;
    upper: number | null;
  }[];
}

/** A scorecard rate, or a survey share withheld to protect a small cell elsewhere (its complement). */
export type SurveyRate = Rate | { shown: false; n: number; reason: 'complement'; minCount: number };

export interface SurveyYear {
  year: number;
  ratings: number | null;
  /** The share rating the body good or very good, as a scorecard rate (x of n, interval) or withheld. */
  good: SurveyRate;
  distribution: SurveyBodyResult['distribution'];
  /** Change from the year before (the previous edition asking the same stable question), when both shown. */
  change: { from: number; difference: Interval & { significant: boolean } } | null;
}

export interface SurveyQuestion {
  questionKey: string;
  question: string;
  /** Newest first. */
  years: SurveyYear[];
}

/**
 * A body's annual-review figures per question, with a trend over editions. The surveys module has already
 * suppressed cells under 10 and their complements; a scorecard's own minimum count (which may be higher)
 * applies on top, so no rate is shown on a scorecard below it.
 */
export function surveyQuestionsOf(
  results: readonly SurveyBodyResult[],
  minCount = DEFAULT_MIN_COUNT,
): SurveyQuestion[] {
  const questions = new Map<string, SurveyQuestion>();
  for (const r of [...results].sort((a, b) => b.year - a.year)) {
    const q = questions.get(r.questionKey) ?? {
      questionKey: r.questionKey,
      question: r.questionText,
      years: [],
    };
    let good: SurveyYear['good'];
    if (r.ratings === null) good = { shown: false, n: 0, reason: 'too_few', minCount };
    else if (r.ratings < minCount) good = { shown: false, n: r.ratings, reason: 'too_few', minCount };
    else if (!r.good) good = { shown: false, n: r.ratings, reason: 'complement', minCount };
    else good = rateOf(r.good.n, r.good.base, minCount);
    q.years.push({ year: r.year, ratings: r.ratings, good, distribution: r.distribution, change: null });
    questions.set(r.questionKey, q);
  }
  for (const q of questions.values())
    q.years.forEach((y, i) => {
      const before = q.years[i + 1];
      if (!before || !y.good.shown || !before.good.shown) return;
      const d = differenceInterval(y.good.x, y.good.n, before.good.x, before.good.n);
      if (d) y.change = { from: before.year, difference: d };
    });
  return [...questions.values()];
}
