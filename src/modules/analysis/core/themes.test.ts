import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { suggestCodes } from './classify.ts';
import { decodeCsvBytes, readCsvTable } from './csv.ts';
import { EMPTY_THEME_ID, LANGUAGE_THEME_ID, discoverThemes } from './themes.ts';
import type { Answer } from './types.ts';

const fixture = (name: string, required: string[]): Record<string, string>[] =>
  readCsvTable(
    decodeCsvBytes(readFileSync(new URL(`../../../../test/fixtures/analysis/${name}`, import.meta.url))),
    {
      required,
    },
  ).records;
const answers: Answer[] = fixture('answers.csv', ['id', 'text'])
  .slice(0, 200)
  .map((r) => ({ id: r.id as string, text: r.text as string }));
const truth = new Map(
  fixture('truth.csv', ['id', 'labels']).map((r) => [r.id as string, (r.labels as string).split('|')]),
);

describe('discoverThemes', () => {
  const awkward: Answer[] = [
    ...answers,
    { id: 'empty', text: '   ' },
    { id: 'na', text: 'N/A' },
    {
      id: 'cy',
      text: "Mae'r cyngor sir wedi torri'r grantiau i'r trydydd sector eto eleni heb siarad gyda ni o gwbl.",
    },
    {
      id: 'long',
      text: 'The consultation window was far too short for us to respond properly. '.repeat(300),
    },
    {
      id: 'copy1',
      text: 'Funding decisions always come too late for us to plan, and we lose staff every spring.',
    },
    {
      id: 'copy2',
      text: 'funding decisions always come too late for us to plan and we lose staff every spring',
    },
  ];
  const result = discoverThemes(awkward, { seed: 3 });
  const byId = new Map(result.assignments.map((a) => [a.id, a]));

  it('assigns every answer, in input order', () => {
    assert.deepEqual(
      result.assignments.map((a) => a.id),
      awkward.map((a) => a.id),
    );
  });
  it('keeps empty and Welsh answers in their own groups', () => {
    assert.deepEqual(byId.get('empty')?.themes, [EMPTY_THEME_ID]);
    assert.deepEqual(byId.get('na')?.themes, [EMPTY_THEME_ID]);
    assert.deepEqual(byId.get('cy')?.themes, [LANGUAGE_THEME_ID]);
    assert.equal(byId.get('cy')?.language, 'cy');
    const welsh = result.themes.find((t) => t.id === LANGUAGE_THEME_ID);
    assert.ok(welsh && welsh.kind === 'language' && welsh.quotes.length > 0);
  });
  it('themes a 20,000-character answer like any other', () => {
    const long = byId.get('long');
    assert.ok(long && long.themes[0]?.startsWith('t') && long.themes[0] !== 't-unthemed');
  });
  it('groups duplicates, counts them once and gives them the same theme', () => {
    assert.equal(byId.get('copy2')?.duplicateOf, 'copy1');
    assert.deepEqual(byId.get('copy2')?.themes, byId.get('copy1')?.themes);
  });
  it('labels each topic with key phrases and up to 3 distinct quotes from its own answers', () => {
    const topics = result.themes.filter((t) => t.kind === 'topic');
    assert.equal(topics.length, result.k);
    assert.ok(result.k >= 3);
    for (const t of topics) {
      assert.ok(t.keyPhrases.length > 0 && t.label.length > 0);
      assert.ok(t.quotes.length >= 1 && t.quotes.length <= 3);
      assert.equal(new Set(t.quotes).size, t.quotes.length);
      for (const q of t.quotes) assert.equal(byId.get(q)?.themes[0], t.id);
    }
    const sizes = result.themes.reduce((s, t) => s + t.size, 0);
    assert.equal(sizes, awkward.length);
  });
  it('honours a given k', () => {
    const r = discoverThemes(answers, { k: 4, seed: 1 });
    assert.equal(r.k, 4);
    assert.equal(r.kChosenBy, 'given');
    assert.throws(() => discoverThemes(answers, { k: 0 }), RangeError);
  });
  it('is deterministic: same input and seed give byte-identical output', () => {
    const again = discoverThemes(awkward, { seed: 3 });
    assert.equal(JSON.stringify(again), JSON.stringify(result));
  });
  it('copes with no answers, one answer and only empty answers', () => {
    assert.deepEqual(discoverThemes([]).assignments, []);
    assert.equal(discoverThemes([{ id: '1', text: 'Late funding decisions hurt us' }]).assignments.length, 1);
    assert.deepEqual(discoverThemes([{ id: '1', text: '' }]).assignments[0]?.themes, [EMPTY_THEME_ID]);
  });
});

describe('suggestCodes', () => {
  const all = fixture('answers.csv', ['id', 'text']).map((r) => ({
    id: r.id as string,
    text: r.text as string,
  }));
  const coded = all.slice(0, 120).map((a) => ({ id: a.id, labels: truth.get(a.id) as string[] }));
  const suggestions = suggestCodes({ answers: all, coded, options: { seed: 1 } });

  it('suggests at least one code with a confidence for every uncoded answer', () => {
    assert.equal(suggestions.length, all.length - coded.length);
    for (const s of suggestions) {
      assert.ok(s.labels.length >= 1 && s.labels.length <= 3);
      assert.ok(s.confidence >= 0 && s.confidence <= 1);
      assert.ok(s.labels.every((l) => l in s.perLabel));
    }
  });
  it('does much better than chance', () => {
    let hits = 0;
    for (const s of suggestions) if ((truth.get(s.id) ?? []).includes(s.labels[0] as string)) hits++;
    // Eleven codes: guessing gives about 10% for the top code.
    assert.ok(hits / suggestions.length > 0.4, `top-code accuracy ${hits / suggestions.length}`);
  });
  it('learns from corrections: a coded near-copy pulls its twin to the corrected code', () => {
    const answersX = [
      { id: 'a', text: 'The volunteers in our lunch club are tired and we cannot recruit new ones.' },
      { id: 'b', text: 'Our grant decision came late again and staff have left.' },
      { id: 'c', text: 'The volunteers at our lunch club are tired, we cannot recruit new ones' },
    ];
    const out = suggestCodes({
      answers: answersX,
      coded: [
        { id: 'a', labels: ['volunteers'] },
        { id: 'b', labels: ['funding'] },
      ],
    });
    assert.deepEqual(
      out.map((s) => [s.id, s.labels[0]]),
      [['c', 'volunteers']],
    );
  });
  it('is deterministic and rejects unusable coding', () => {
    const again = suggestCodes({ answers: all, coded, options: { seed: 1 } });
    assert.equal(JSON.stringify(again), JSON.stringify(suggestions));
    assert.throws(() => suggestCodes({ answers: all, coded: [{ id: 'nope', labels: ['x'] }] }), RangeError);
  });
});
