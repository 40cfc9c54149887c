import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chooseK, gramMatrix, silhouette, sphericalKMeans } from './cluster.ts';
import { createRng } from './prng.ts';
import { createTokeniser } from './tokenise.ts';
import { buildVocabulary, dotRows, tfidfMatrix } from './vectorise.ts';

const tokeniser = createTokeniser();

describe('tokeniser', () => {
  it('lemmatises, drops stop words and adds bigrams of neighbouring content words', () => {
    const doc = tokeniser.tokenise('Volunteers were funded late. The consultation periods are short!');
    const terms = [...doc.termIds].map((id) => tokeniser.terms[id]);
    assert.ok(terms.includes('volunteer'));
    assert.ok(terms.includes('fund'));
    assert.ok(terms.includes('consultation period'));
    assert.ok(!terms.includes('the'));
    // No bigram across the full stop.
    assert.ok(!terms.includes('late consultation'));
  });
  it('scores sentiment and caches repeated texts', () => {
    const a = tokeniser.tokenise('This was a brilliant, helpful partnership.');
    const b = tokeniser.tokenise('This was a terrible, awful experience.');
    assert.ok(a.sentiment > 0 && b.sentiment < 0);
    assert.equal(tokeniser.tokenise('This was a brilliant, helpful partnership.'), a);
  });
  it('shows the commonest written form in labels', () => {
    tokeniser.tokenise('volunteers, volunteers and one volunteer');
    assert.equal(tokeniser.surfaceOf(tokeniser.terms.indexOf('volunteer')), 'volunteers');
  });
});

describe('TF-IDF', () => {
  const docs = [[0, 0, 1], [1, 2], [2, 3], [4]].map((d) => Int32Array.from(d));
  it('prunes by document frequency and caps features', () => {
    const v = buildVocabulary(docs, 5, { minDf: 2 });
    assert.deepEqual([...v.termOfColumn].sort(), [1, 2]);
    assert.equal(v.columnOfTerm[0], -1);
    assert.equal(buildVocabulary(docs, 5, { minDf: 1, maxFeatures: 1 }).termOfColumn.length, 1);
  });
  it('builds unit-length rows with sublinear tf and leaves unknown-only rows empty', () => {
    const v = buildVocabulary(docs, 5, { minDf: 1, maxDfRatio: 1 });
    const m = tfidfMatrix(docs, v);
    for (let r = 0; r < 4; r++) assert.ok(Math.abs(dotRows(m, r, m, r) - 1) < 1e-6);
    // Term 0 appears twice in row 0: weight (1 + ln 2)·idf, not 2·idf.
    const col0 = v.columnOfTerm[0] as number;
    const col1 = v.columnOfTerm[1] as number;
    const row0 = new Map<number, number>();
    for (let p = m.indptr[0] as number; p < (m.indptr[1] as number); p++)
      row0.set(m.indices[p] as number, m.values[p] as number);
    const expected = ((1 + Math.log(2)) * (v.idf[col0] as number)) / (v.idf[col1] as number);
    assert.ok(Math.abs((row0.get(col0) as number) / (row0.get(col1) as number) - expected) < 1e-5);
    const empty = tfidfMatrix([Int32Array.from([4])], buildVocabulary(docs, 5, { minDf: 2 }));
    assert.equal(empty.indptr[1], 0);
  });
});

describe('spherical k-means', () => {
  // Three well-separated groups of answers.
  const texts = [
    ...[
      'consultation deadline too short',
      'short consultation window weeks',
      'consultation closed too quickly weeks',
    ],
    ...[
      'volunteers tired recruitment hard',
      'recruiting volunteers is hard',
      'volunteers leaving recruitment',
    ],
    ...['grant payment late again', 'late grant payment reserves', 'payment of the grant was late'],
  ];
  const tk = createTokeniser({ sentiment: false });
  const docs = texts.map((t) => tk.tokenise(t).termIds);
  const x = tfidfMatrix(docs, buildVocabulary(docs, tk.terms.length, { minDf: 1 }));
  it('recovers obvious groups', () => {
    const r = sphericalKMeans(x, 3, createRng(1));
    const groups = [0, 3, 6].map((s) => new Set([r.assignment[s], r.assignment[s + 1], r.assignment[s + 2]]));
    assert.ok(groups.every((g) => g.size === 1));
    assert.equal(new Set(groups.map((g) => [...g][0])).size, 3);
  });
  it('is deterministic for a seed', () => {
    const a = sphericalKMeans(x, 3, createRng(7));
    const b = sphericalKMeans(x, 3, createRng(7));
    assert.deepEqual([...a.assignment], [...b.assignment]);
  });
  it('scores the true split with a higher silhouette than a scrambled one', () => {
    const g = gramMatrix(x);
    const good = silhouette(g, Int32Array.from([0, 0, 0, 1, 1, 1, 2, 2, 2]), 3);
    const bad = silhouette(g, Int32Array.from([0, 1, 2, 0, 1, 2, 0, 1, 2]), 3);
    assert.ok(good > bad);
  });
  it('chooses k = 3 here and rejects a bad k', () => {
    assert.equal(chooseK(x, createRng(1), { kMin: 2, kMax: 5 }).k, 3);
    assert.throws(() => sphericalKMeans(x, 0, createRng(1)), RangeError);
  });
});
