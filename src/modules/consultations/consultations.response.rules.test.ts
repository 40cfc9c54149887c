/**
 * "You said, we did" rules: the consent rule for every public quote (none → never; anonymised → redacted,
 * unnamed; named → attributed; unmoderated, held or draft → never), citation references, and the
 * paragraph-by-paragraph assembly with word diffs, entries, themes and counts.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  assembleYouSaidWeDid,
  citationReference,
  publicQuote,
  publicQuotes,
  type QuoteSource,
  type ThemeSummary,
} from './consultations.response.rules.ts';

const source = (over: Partial<QuoteSource> = {}): QuoteSource => ({
  id: 'c1',
  responseId: 'r1',
  moderation: 'published',
  publishedText: 'Redacted words',
  consent: 'named',
  responseStatus: 'submitted',
  respondentType: 'organisation',
  respondentName: 'Ann Example',
  organisationName: 'Example Trust',
  organisationType: 'charity',
  ...over,
});

describe('consent in public quotes', () => {
  test("'none' is never public, whatever its moderation", () => {
    assert.equal(publicQuote(source({ consent: 'none' })), null);
  });
  test('only moderation-published, submitted items with a redacted copy are public', () => {
    assert.equal(publicQuote(source({ moderation: 'pending' })), null);
    assert.equal(publicQuote(source({ moderation: 'held' })), null);
    assert.equal(publicQuote(source({ responseStatus: 'draft' })), null);
    assert.equal(publicQuote(source({ publishedText: null })), null);
    assert.equal(publicQuote(source({ publishedText: '   ' })), null);
  });
  test("'anonymised' shows the redacted text with no name or organisation name; the type may show", () => {
    const q = publicQuote(source({ consent: 'anonymised' }))!;
    assert.equal(q.text, 'Redacted words');
    assert.equal(q.attribution, null);
    assert.equal(q.organisationType, 'charity');
    assert.ok(!JSON.stringify(q).includes('Example Trust'));
    assert.ok(!JSON.stringify(q).includes('Ann Example'));
  });
  test("'named' is attributed to the organisation, or to the person for an individual", () => {
    assert.equal(publicQuote(source())!.attribution, 'Example Trust');
    const person = publicQuote(
      source({ respondentType: 'individual', organisationName: null, organisationType: null }),
    )!;
    assert.equal(person.attribution, 'Ann Example');
    assert.equal(person.organisationType, null);
  });
  test('publicQuotes skips the private ones and stops at the limit', () => {
    const list = publicQuotes(
      [
        source({ id: 'a', consent: 'none' }),
        source({ id: 'b' }),
        source({ id: 'c', moderation: 'held' }),
        source({ id: 'd' }),
        source({ id: 'e' }),
      ],
      2,
    );
    assert.deepEqual(
      list.map((q) => q.id),
      ['b', 'd'],
    );
  });
});

describe('citations', () => {
  test('a theme or a paragraph, with the consultation title, never an engine label', () => {
    assert.equal(
      citationReference('Covenant 2027', { kind: 'theme', number: 2, size: 14 }),
      'Consultation “Covenant 2027”: a theme of 14 comments on paragraph 2',
    );
    assert.equal(
      citationReference('Covenant 2027', { kind: 'paragraph', number: 4 }),
      'Consultation “Covenant 2027”: comments on paragraph 4',
    );
    assert.equal(
      citationReference('Covenant 2027', { kind: 'paragraph', number: null }),
      'Consultation “Covenant 2027”: comments on this heading',
    );
  });
});

describe('you said, we did', () => {
  const consulted = [
    { key: 'p-1', position: 1, kind: 'text', text: 'We will consult early.' },
    { key: 'p-2', position: 2, kind: 'text', text: 'Untouched and uncommented.' },
    { key: 'p-3', position: 3, kind: 'text', text: 'To be removed.' },
  ];
  const next = [
    { key: 'p-1', position: 1, kind: 'text', text: 'We will consult early and openly.' },
    { key: 'p-2', position: 2, kind: 'text', text: 'Untouched and uncommented.' },
    { key: 'p-new', position: 3, kind: 'text', text: 'A new paragraph.' },
  ];
  const theme: ThemeSummary = {
    id: 't1',
    scope: 'paragraph',
    scopeKey: 'p-1',
    label: 'openness',
    size: 12,
    quotes: [],
  };
  const questionTheme: ThemeSummary = { ...theme, id: 't2', scope: 'question', scopeKey: 'q1' };

  test('changed, added and removed paragraphs with word diffs, entries by theme or key, and counts', () => {
    const result = assembleYouSaidWeDid({
      consulted,
      next,
      counts: new Map([['p-1', { agree: 1, disagree: 2, suggest_change: 3 }]]),
      entries: [
        {
          id: 'e2',
          paragraphKey: 'p-3',
          themeId: null,
          heard: 'Not needed',
          changed: 'Removed',
          position: 2,
        },
        {
          id: 'e1',
          paragraphKey: null,
          themeId: 't1',
          heard: 'Be open',
          changed: 'Added openly',
          position: 1,
        },
        { id: 'e3', paragraphKey: null, themeId: 't2', heard: 'Q1 view', changed: 'Noted', position: 3 },
        { id: 'e4', paragraphKey: 'p-ghost', themeId: null, heard: 'Ghost', changed: 'None', position: 4 },
      ],
      themes: [theme, questionTheme],
    });
    assert.deepEqual(
      result.sections.map((s) => [s.key, s.status, s.number]),
      [
        ['p-1', 'changed', 1],
        ['p-3', 'removed', 3],
        ['p-new', 'added', 3],
      ],
    );
    const first = result.sections[0]!;
    assert.deepEqual(first.words, [
      { op: 'equal', text: 'We will consult early' },
      { op: 'insert', text: ' and openly' },
      { op: 'equal', text: '.' },
    ]);
    assert.equal(first.counts.total, 6);
    assert.equal(first.entries[0]!.heard, 'Be open');
    assert.equal(first.entries[0]!.theme?.label, 'openness');
    assert.deepEqual(first.themes, [theme]);
    assert.equal(result.sections[1]!.entries[0]!.changed, 'Removed');
    assert.deepEqual(result.sections[1]!.words, [{ op: 'delete', text: 'To be removed.' }]);
    assert.deepEqual(
      result.general.map((g) => g.heard),
      ['Q1 view', 'Ghost'],
    );
    assert.deepEqual(result.questionThemes, [questionTheme]);
  });

  test('without a next version: only paragraphs people commented on or the team wrote about', () => {
    const result = assembleYouSaidWeDid({
      consulted,
      next: null,
      counts: new Map([['p-2', { agree: 1, disagree: 0, suggest_change: 0 }]]),
      entries: [],
      themes: [],
    });
    assert.deepEqual(
      result.sections.map((s) => [s.key, s.status]),
      [['p-2', 'unchanged']],
    );
  });
});
