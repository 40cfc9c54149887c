import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { intervalsOverlap, InvalidProportionError, wilsonInterval } from './wilson.ts';

const close = (actual: number, expected: number, digits = 4) =>
  assert.equal(Number(actual.toFixed(digits)), expected, `${actual} ≈ ${expected}`);

describe('Wilson 95% interval', () => {
  // Reference values: Wilson (1927); Newcombe (1998) table I; the 81/263 example is Wikipedia's
  // "Binomial proportion confidence interval" worked example (0.2553–0.3662).
  test('0 of 10', () => {
    const w = wilsonInterval(0, 10)!;
    assert.equal(w.rate, 0);
    assert.equal(w.lower, 0);
    close(w.upper, 0.2775);
  });
  test('5 of 10', () => {
    const w = wilsonInterval(5, 10)!;
    close(w.lower, 0.2366);
    close(w.upper, 0.7634);
  });
  test('10 of 10', () => {
    const w = wilsonInterval(10, 10)!;
    close(w.lower, 0.7225);
    assert.equal(w.upper, 1);
  });
  test('81 of 263', () => {
    const w = wilsonInterval(81, 263)!;
    close(w.rate, 0.308);
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
  test('no trials: no rate', () => assert.equal(wilsonInterval(0, 0), null));
  test('impossible counts are refused', () => {
    assert.throws(() => wilsonInterval(11, 10), InvalidProportionError);
    assert.throws(() => wilsonInterval(-1, 10), InvalidProportionError);
    assert.throws(() => wilsonInterval(1.5, 10), InvalidProportionError);
  });
  test('overlap', () => {
    assert.equal(intervalsOverlap(wilsonInterval(5, 10)!, wilsonInterval(6, 10)!), true);
    assert.equal(intervalsOverlap(wilsonInterval(10, 100)!, wilsonInterval(90, 100)!), false);
  });
});
