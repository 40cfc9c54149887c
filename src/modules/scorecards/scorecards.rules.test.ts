/** Scorecard rules on fixed examples: Wilson intervals against published values, suppression, trends, leagues. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  emptyCounters,
  leagueOf,
  measureRate,
  rateOf,
  surveyQuestionsOf,
  trendOf,
  type Counters,
  type SurveyBodyResult,
} from './scorecards.rules.ts';

const close = (actual: number, expected: number) =>
  assert.ok(Math.abs(actual - expected) < 0.00005, `${actual} ≈ ${expected}`);

const counters = (over: Partial<Counters>): Counters => ({ ...emptyCounters(), ...over });

test('rates carry the Wilson interval of Newcombe (1998), table I', () => {
  const r = rateOf(81, 263);
  assert.ok(r.shown);
  close(r.estimate, 81 / 263);
  close(r.lower, 0.2553);
  close(r.upper, 0.3662);
  const zero = rateOf(0, 20);
  assert.ok(zero.shown);
  assert.equal(zero.lower, 0);
  close(zero.upper, 0.1611);
});

test('no rate below the minimum count, with the reason; exactly the minimum is shown', () => {
  assert.deepEqual(rateOf(5, 9), { shown: false, n: 9, reason: 'too_few', minCount: 10 });
  assert.deepEqual(rateOf(0, 0), { shown: false, n: 0, reason: 'none', minCount: 10 });
  assert.equal(rateOf(9, 10).shown, true);
  // Configurable: a minimum of 5 shows 9 cases, a minimum of 30 withholds 29.
  assert.equal(rateOf(5, 9, 5).shown, true);
  assert.equal(rateOf(20, 29, 30).shown, false);
  // Each measure takes its own denominator.
  const c = counters({
    cases: 40,
    acknowledgedOnTime: 8,
    acknowledgeDecided: 9,
    answeredOnTime: 12,
    answerDecided: 20,
  });
  assert.equal(measureRate(c, 'acknowledged').shown, false);
  const answered = measureRate(c, 'answered');
  assert.ok(answered.shown);
  assert.equal(answered.estimate, 0.6);
  const escalated = measureRate(c, 'escalated');
  assert.ok(escalated.shown && escalated.n === 40 && escalated.x === 0);
});

test('trends fill missing years and test the latest change (Newcombe 1998, method 10)', () => {
  const trend = trendOf([
    { year: 2023, ...counters({ cases: 80, answeredOnTime: 48, answerDecided: 80 }) },
    { year: 2025, ...counters({ cases: 70, answeredOnTime: 56, answerDecided: 70 }) },
  ]);
  assert.deepEqual(
    trend.years.map((y) => y.year),
    [2023, 2024, 2025],
  );
  assert.equal(trend.years[1]!.counters.cases, 0);
  assert.equal(trend.all.counters.cases, 150);
  // 2024 had no cases, so the 2024 → 2025 change cannot be tested.
  assert.equal(trend.changes.answered!.difference, null);
  const two = trendOf([
    { year: 2024, ...counters({ cases: 80, answeredOnTime: 48, answerDecided: 80 }) },
    { year: 2025, ...counters({ cases: 70, answeredOnTime: 56, answerDecided: 70 }) },
  ]);
  const d = two.changes.answered!.difference!;
  close(d.estimate, 0.2);
  close(d.lower, 0.0524);
  close(d.upper, 0.3339);
  assert.equal(d.significant, true);
  assert.deepEqual(trendOf([]).years, []);
});

test('league tables compare one type only, rank only above the minimum, and compare with the pooled rate', () => {
  const body = (name: string, type = 'local_authority') => ({ name, type });
  const entries = [
    { body: body('A'), counters: counters({ answeredOnTime: 95, answerDecided: 100 }) },
    { body: body('B'), counters: counters({ answeredOnTime: 50, answerDecided: 100 }) },
    { body: body('C'), counters: counters({ answeredOnTime: 20, answerDecided: 100 }) },
    { body: body('D'), counters: counters({ answeredOnTime: 6, answerDecided: 12 }) },
    { body: body('E'), counters: counters({ answeredOnTime: 9, answerDecided: 9 }) },
  ];
  const league = leagueOf('local_authority', 'answered', entries);
  assert.deepEqual(
    league.ranked.map((r) => [r.body.name, r.position, r.standing]),
    [
      ['A', 1, 'above'],
      ['B', 2, 'level'],
      // 6 of 12 ties with 50 of 100: the same position (the larger count listed first).
      ['D', 2, 'level'],
      ['C', 4, 'below'],
    ],
  );
  // E's 9 of 9 is not ranked first: it is withheld, with its count.
  assert.deepEqual(
    league.withheld.map((r) => [r.body.name, r.rate.n, r.position]),
    [['E', 9, null]],
  );
  // Pooled over every body of the type, withheld ones included: 180 of 321.
  assert.ok(league.pooled.shown);
  close(league.pooled.estimate, 180 / 321);
  // Equal rates share a position.
  const tied = leagueOf('department', 'answered', [
    { body: body('X', 'department'), counters: counters({ answeredOnTime: 5, answerDecided: 10 }) },
    { body: body('Y', 'department'), counters: counters({ answeredOnTime: 10, answerDecided: 20 }) },
    { body: body('Z', 'department'), counters: counters({ answeredOnTime: 1, answerDecided: 10 }) },
  ]);
  assert.deepEqual(
    tied.ranked.map((r) => r.position),
    [1, 1, 3],
  );
  // Another type in the list is a bug, refused.
  assert.throws(
    () =>
      leagueOf('department', 'answered', [
        ...entries.slice(0, 1),
        { body: body('Q', 'department'), counters: emptyCounters() },
      ]),
    RangeError,
  );
});

const surveyResult = (
  year: number,
  ratings: number | null,
  good: [number, number] | null,
): SurveyBodyResult => ({
  year,
  questionKey: 'body-ratings',
  questionText: 'How well does it work with civil society?',
  ratings,
  good: good ? { n: good[0], base: good[1], percent: good[0] / good[1], lower: 0, upper: 1 } : null,
  distribution: [],
});

test('survey figures: the share with its Wilson interval, withheld below the minimum or as a complement', () => {
  const [q] = surveyQuestionsOf([
    surveyResult(2024, 263, [81, 263]),
    surveyResult(2025, 120, null),
    surveyResult(2026, null, null),
  ]);
  assert.deepEqual(
    q!.years.map((y) => y.year),
    [2026, 2025, 2024],
    'newest first',
  );
  const [y2026, y2025, y2024] = q!.years;
  assert.deepEqual(y2026!.good, { shown: false, n: 0, reason: 'too_few', minCount: 10 });
  assert.deepEqual(y2025!.good, { shown: false, n: 120, reason: 'complement', minCount: 10 });
  assert.ok(y2024!.good.shown);
  // The interval is the scorecard's own Wilson interval (Newcombe 1998, table I: 81/263 → 0.2553–0.3662).
  close(y2024!.good.lower, 0.2553);
  close(y2024!.good.upper, 0.3662);
  assert.equal(y2024!.change, null);
});

test('survey figures: a scorecard minimum above 10 withholds more; the change between editions', () => {
  const results = [surveyResult(2025, 40, [30, 40]), surveyResult(2024, 40, [10, 40])];
  const [strict] = surveyQuestionsOf(results, 50);
  assert.ok(strict!.years.every((y) => !y.good.shown && y.good.reason === 'too_few'));
  assert.ok(strict!.years.every((y) => y.change === null));
  const [q] = surveyQuestionsOf(results, 10);
  const change = q!.years[0]!.change!;
  assert.equal(change.from, 2024);
  close(change.difference.estimate, 0.5);
  assert.ok(change.difference.significant);
  assert.ok(change.difference.lower > 0 && change.difference.upper < 1);
});
