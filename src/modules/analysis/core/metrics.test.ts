import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bestThreshold } from './classify.ts';
import { cohenKappa, kappaPerCode, multiLabelScores, normalisedMutualInformation } from './metrics.ts';

const close = (actual: number, expected: number, tolerance = 1e-4): void =>
  assert.ok(Math.abs(actual - expected) < tolerance, `${actual} is not ${expected}`);

describe('multiLabelScores', () => {
  // Hand-computed: x has tp 2, fp 1, fn 0; y has tp 0, fp 0, fn 2; z has tp 1.
  const truth = new Map([
    ['a', ['x']],
    ['b', ['x', 'y']],
    ['c', ['y']],
    ['d', ['z']],
  ]);
  const predicted = new Map([
    ['a', ['x']],
    ['b', ['x']],
    ['c', ['x']],
    ['d', ['z']],
    ['unseen', ['x']],
  ]);
  const r = multiLabelScores(predicted, truth);
  it('scores only ids in both files', () => assert.equal(r.answers, 4));
  it('computes per-label precision, recall and F1', () => {
    const x = r.perLabel.find((s) => s.label === 'x');
    const y = r.perLabel.find((s) => s.label === 'y');
    close(x?.precision ?? -1, 2 / 3);
    close(x?.recall ?? -1, 1);
    close(x?.f1 ?? -1, 0.8);
    assert.equal(y?.f1, 0);
    assert.equal(y?.support, 2);
  });
  it('computes micro and macro F1', () => {
    close(r.micro.precision, 0.75);
    close(r.micro.recall, 0.6);
    close(r.micro.f1, 2 / 3);
    close(r.macro.f1, 0.6);
  });
});

describe('normalisedMutualInformation', () => {
  it('is 1 for identical partitions (whatever the names) and 0 for independent ones', () => {
    close(normalisedMutualInformation(['a', 'a', 'b', 'b'], ['p', 'p', 'q', 'q']), 1);
    close(normalisedMutualInformation(['a', 'a', 'b', 'b'], ['p', 'q', 'p', 'q']), 0);
  });
  it('matches a hand-computed value (arithmetic normalisation)', () => {
    // I = 0.5 ln(4/3) + 0.25 ln(2/3) + 0.25 ln 2 = 0.21576; H = 0.56234 and 0.69315.
    close(normalisedMutualInformation(['0', '0', '0', '1'], ['0', '0', '1', '1']), 0.34372, 1e-4);
  });
  it('rejects labelings of different lengths', () => {
    assert.throws(() => normalisedMutualInformation(['a'], []), RangeError);
  });
});

describe('cohenKappa', () => {
  it('matches a hand-computed value', () => {
    // po = 3/4, pe = 0.5·0.25 + 0.5·0.75 = 0.5, kappa = 0.5.
    close(cohenKappa([true, true, false, false], [true, false, false, false]), 0.5);
  });
  it('is 1 for perfect agreement and negative for systematic disagreement', () => {
    assert.equal(cohenKappa([true, false], [true, false]), 1);
    assert.equal(cohenKappa([false, false], [false, false]), 1);
    assert.ok(cohenKappa([true, false, true, false], [false, true, false, true]) < 0);
  });
  it('gives kappa per code for two analysts', () => {
    const first = new Map([
      ['1', ['a']],
      ['2', ['a', 'b']],
      ['3', []],
      ['4', ['b']],
    ]);
    const second = new Map([
      ['1', ['a']],
      ['2', ['a']],
      ['3', []],
      ['4', ['b']],
    ]);
    const k = kappaPerCode(first, second);
    assert.deepEqual(
      k.map((x) => x.code),
      ['a', 'b'],
    );
    assert.equal(k[0]?.kappa, 1);
    close(k[1]?.kappa ?? -1, 0.5);
  });
});

describe('bestThreshold', () => {
  it('cuts between the scores that separate positives from negatives', () => {
    close(bestThreshold([0.9, 0.8, 0.3, 0.1], [1, 1, 0, 0]), 0.55);
    assert.equal(bestThreshold([0.4, 0.2], [0, 0]), 0.5);
  });
});
