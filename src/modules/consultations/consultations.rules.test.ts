/**
 * The rules of consultations: the Compact's 12-week warning, the response window (closing date), the consent
 * rule in every output, anchoring comments across versions, the suggested-change diff, and redaction.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRedactor } from '../../platform/redaction/redaction.service.ts';
import { compileNames } from '../../platform/redaction/redaction.ts';
import { consultationForm } from './consultations.schema.ts';
import {
  anchorComment,
  isPublicComment,
  isPublicResponse,
  isShortPeriod,
  numberedParagraphs,
  periodLength,
  publicIdentity,
  redactResponse,
  searchTextOf,
  suggestionDiff,
  windowOf,
} from './consultations.rules.ts';

describe('the 12-week warning (Compact standard)', () => {
  test('12 weeks counting both ends is not short; a day less is', () => {
    assert.equal(isShortPeriod('2026-01-05', '2026-03-29'), false);
    assert.equal(isShortPeriod('2026-01-05', '2026-03-28'), true);
    assert.deepEqual(periodLength('2026-01-05', '2026-03-28'), { weeks: 11, days: 6 });
  });
  test('the form requires a reason only when short, and drops a reason given for a full period', () => {
    const form = consultationForm(['v1'], []);
    const base = { title: 'T', summary: 'S', howResponsesUsed: 'H', versionId: 'v1', opensOn: '2026-01-05' };
    const short = form.safeParse({ ...base, closesOn: '2026-02-01' });
    assert.equal(short.success, false);
    assert.equal(short.error?.issues[0]?.path[0], 'shortPeriodReason');
    assert.equal(
      form.safeParse({ ...base, closesOn: '2026-02-01', shortPeriodReason: 'Urgent' }).success,
      true,
    );
    const full = form.parse({ ...base, closesOn: '2026-04-30', shortPeriodReason: 'Not needed' });
    assert.equal(full.shortPeriodReason, null);
    assert.equal(form.safeParse({ ...base, closesOn: '2026-01-04', shortPeriodReason: 'x' }).success, false);
    assert.equal(form.safeParse({ ...base, versionId: 'forged', closesOn: '2026-04-30' }).success, false);
    // Blank or impossible dates are errors on their fields, never an exception.
    const blank = form.safeParse({ ...base, title: '', opensOn: '', closesOn: '2026-02-30' });
    assert.equal(blank.success, false);
    assert.deepEqual([...new Set(blank.error?.issues.map((i) => i.path[0]))].sort(), [
      'closesOn',
      'opensOn',
      'title',
    ]);
  });
});

describe('the closing date', () => {
  const c = { status: 'published', opensOn: '2026-01-05', closesOn: '2026-03-29' };
  test('open all day on the opening and closing days, UK time', () => {
    assert.equal(windowOf(c, new Date('2026-01-04T23:59:00Z')), 'not_open');
    assert.equal(windowOf(c, new Date('2026-01-05T00:00:00Z')), 'open');
    // 29 March 2026 is the day British Summer Time starts: 23:30 BST is 22:30 UTC, still open.
    assert.equal(windowOf(c, new Date('2026-03-29T22:30:00Z')), 'open');
    assert.equal(windowOf(c, new Date('2026-03-29T23:00:00Z')), 'closed');
    assert.equal(windowOf({ ...c, status: 'draft' }, new Date('2026-02-01T12:00:00Z')), 'not_published');
  });
});

describe('consent in every output', () => {
  const base = { status: 'submitted', moderation: 'published' };
  test('only submitted, published and consenting responses are public', () => {
    assert.equal(isPublicResponse({ ...base, consent: 'named' }), true);
    assert.equal(isPublicResponse({ ...base, consent: 'anonymised' }), true);
    assert.equal(isPublicResponse({ ...base, consent: 'none' }), false);
    assert.equal(isPublicResponse({ ...base, consent: null }), false);
    assert.equal(isPublicResponse({ ...base, status: 'draft', consent: 'named' }), false);
    assert.equal(isPublicResponse({ ...base, moderation: 'pending', consent: 'named' }), false);
    assert.equal(isPublicResponse({ ...base, moderation: 'held', consent: 'named' }), false);
    assert.equal(isPublicComment({ ...base, consent: 'named' }, { moderation: 'held' }), false);
    assert.equal(isPublicComment({ ...base, consent: 'none' }, { moderation: 'published' }), false);
  });
  test('a name only with consent to be named; never the email', () => {
    const r = {
      respondentType: 'organisation',
      respondentName: 'Ann',
      organisationName: 'Example Trust',
      organisationType: 'charity',
      organisationSize: 'small',
    };
    assert.equal(publicIdentity({ ...r, consent: 'named' }).name, 'Example Trust');
    assert.equal(publicIdentity({ ...r, consent: 'anonymised' }).name, null);
    assert.equal(publicIdentity({ ...r, consent: 'anonymised' }).organisationSize, 'small');
    assert.equal(publicIdentity({ ...r, respondentType: 'individual', consent: 'named' }).name, 'Ann');
    assert.ok(!('respondentEmail' in publicIdentity({ ...r, consent: 'named' })));
  });
  test('redaction: anonymised responses lose their own name and organisation; emails always go', () => {
    const redactor = createRedactor(compileNames([]));
    const input = {
      form: {
        sections: [
          {
            key: 'q',
            title: 'Q',
            questions: [
              { key: 'free', type: 'free_text' as const, text: 'Free', required: false },
              {
                key: 'pick',
                type: 'single_choice' as const,
                text: 'Pick',
                required: false,
                options: [
                  { value: 'ann-smith', label: 'A' },
                  { value: 'b', label: 'B' },
                ],
              },
            ],
          },
        ],
      },
      answers: { free: 'I am Ann Smith of Example Trust, ann@example.org', pick: 'ann-smith' },
      respondentName: 'Ann Smith',
      organisationName: 'Example Trust',
      principleComments: { p1: 'Ask Ann Smith' },
      comments: [{ id: 'c1', comment: 'Write to ann@example.org', suggestedText: 'Example Trust says so' }],
      phrases: ['says'],
    };
    const anon = redactResponse(redactor, { ...input, consent: 'anonymised' });
    assert.doesNotMatch(String(anon.publishedText.answers.free), /Ann Smith|Example Trust|ann@example.org/);
    assert.equal(anon.publishedText.answers.pick, 'ann-smith', 'choices are not free text');
    assert.doesNotMatch(anon.publishedText.principleComments.p1!, /Ann Smith/);
    assert.match(anon.comments[0]!.publishedComment, /\[email address removed\]/);
    assert.equal(anon.comments[0]!.publishedSuggestedText, '[organisation removed] [removed] so');
    const named = redactResponse(redactor, { ...input, consent: 'named' });
    assert.match(String(named.publishedText.answers.free), /Example Trust/);
    assert.doesNotMatch(String(named.publishedText.answers.free), /ann@example.org/);
    const text = searchTextOf(anon.publishedText, anon.comments, null);
    assert.doesNotMatch(text, /Ann Smith|ann@example.org/);
  });
});

describe('anchoring comments across versions', () => {
  const v1 = [
    { key: 'h1', position: 1, kind: 'heading', text: 'Heading' },
    { key: 'a', position: 2, kind: 'text', text: 'First.' },
    { key: 'b', position: 3, kind: 'text', text: 'Second, removed in v2.' },
    { key: 'c', position: 4, kind: 'text', text: 'Third.' },
  ];
  const v2 = [
    { key: 'h1', position: 1, kind: 'heading', text: 'Heading' },
    { key: 'new', position: 2, kind: 'text', text: 'A new first paragraph.' },
    { key: 'a', position: 3, kind: 'text', text: 'First, reworded.' },
    { key: 'c', position: 4, kind: 'text', text: 'Third.' },
  ];
  const versions = new Map([
    ['v1', v1],
    ['v2', v2],
  ]);
  test('headings are not numbered', () => {
    assert.deepEqual(
      numberedParagraphs(v1).map((p) => p.number),
      [null, 1, 2, 3],
    );
  });
  test('a comment on a paragraph a newer draft removed is kept against its own version', () => {
    const gone = anchorComment({ versionId: 'v1', paragraphKey: 'b' }, versions, 'v2');
    assert.equal(gone.paragraph?.text, 'Second, removed in v2.');
    assert.equal(gone.number, 2);
    assert.equal(gone.inReadingVersion, false);
    assert.equal(gone.readingNumber, null);
  });
  test('a kept paragraph is found by key in both versions, whatever its new number or words', () => {
    const kept = anchorComment({ versionId: 'v1', paragraphKey: 'a' }, versions, 'v2');
    assert.equal(kept.paragraph?.text, 'First.', 'shown as it read when commented on');
    assert.equal(kept.number, 1);
    assert.equal(kept.inReadingVersion, true);
    assert.equal(kept.readingNumber, 2);
  });
  test('an unknown key or version anchors to nothing, without throwing', () => {
    const lost = anchorComment({ versionId: 'v9', paragraphKey: 'zz' }, versions, 'v2');
    assert.equal(lost.paragraph, null);
    assert.equal(lost.number, null);
  });
});

describe('the suggested-change diff', () => {
  test('word diff against the paragraph (covenant.diff.ts)', () => {
    const parts = suggestionDiff(
      'Government will consult for 12 weeks.',
      'Government will consult for at least 12 weeks.',
    )!;
    assert.deepEqual(
      parts.filter((x) => x.op !== 'equal').map((x) => [x.op, x.text]),
      [['insert', 'at least ']],
    );
    assert.equal(
      parts
        .filter((x) => x.op !== 'insert')
        .map((x) => x.text)
        .join(''),
      'Government will consult for 12 weeks.',
    );
  });
  test('no suggestion, no diff', () => {
    assert.equal(suggestionDiff('Text', null), null);
    assert.equal(suggestionDiff('Text', '   '), null);
  });
});
