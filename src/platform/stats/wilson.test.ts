/**
 * The shared Wilson interval (proportions.ts) against published values, as the scorecards show them.
 * Reference values: Newcombe (1998) table I; the 81/263 example is Wikipedia's "Binomial proportion
 * confidence interval" worked example (0.2553–0.3662).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { wilsonInterval } from './index.ts';

const close = (actual: number, expected: number, digits = 4) =>
  assert.equal(Number(actual.toFixed(digits)), expected, `${actual} ≈ ${expected}`);

describe('Wilson 95% interval: known values', () => {
  test('0 of 10 is 0–0.2775', () => {
    const w = wilsonInterval(0, 10)!;
    assert.equal(w.estimate, 0);
    assert.equal(w.lower, 0);
    close(w.upper, 0.2775);
  });
  test('5 of 10 is 0.2366–0.7634', () => {
    const w = wilsonInterval(5, 10)!;
    close(w.lower, 0.2366);
    close(w.upper, 0.7634);
  });
  test('10 of 10 is 0.7225–1', () => {
    const w = wilsonInterval(10, 10)!;
    close(w.lower, 0.7225);
    assert.equal(w.upper, 1);
  });
  test('81 of 263 is 0.2553–0.3662', () => {
    const w = wilsonInterval(81, 263)!;
    close(w.estimate, 0.308);
    close(w.lower, 0.2553);
    close(w.upper, 0.3662);
  });
  test('Newcombe (1998): 15 of 148 is 0.0624–0.1605, 1 of 29 is 0.0061–0.1718', () => {
    const a = wilsonInterval(15, 148)!;
    close(a.lower, 0.0624);
    close(a.upper, 0.1605);
    const b = wilsonInterval(1, 29)!;
    close(b.lower, 0.0061);
    close(b.upper, 0.1718);
  });
  test('no trials: no rate; impossible counts are refused', () => {
    assert.equal(wilsonInterval(0, 0), null);
    assert.throws(() => wilsonInterval(11, 10), RangeError);
  });
});
