/**
 * The analysis aggregations on fixed examples: the heat view (bands, split, orphaned keys, headings not
 * numbered), principle views with percentages, respondent types, and tag normalisation.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  heatBand,
  heatRows,
  normaliseTag,
  percentOf,
  principleRows,
  respondentTypeView,
  type CountCell,
} from './consultations.analysis.rules.ts';

const paragraphs = [
  { key: 'p-b', position: 2, kind: 'text', text: 'Second' },
  { key: 'p-h', position: 1, kind: 'heading', text: 'Heading' },
  { key: 'p-c', position: 3, kind: 'text', text: 'Third' },
];
const cell = (dimension: string, key: string, bucket: string, count: number): CountCell => ({
  dimension,
  key,
  bucket,
  count,
});

describe('heat view', () => {
  test('rows follow the document, split by stance, with bands proportional to the largest', () => {
    const { rows, total, max } = heatRows(paragraphs, [
      cell('paragraph', 'p-b', 'agree', 10),
      cell('paragraph', 'p-b', 'disagree', 20),
      cell('paragraph', 'p-b', 'suggest_change', 10),
      cell('paragraph', 'p-c', 'agree', 5),
      cell('principle', 'p-c', 'agree', 999),
    ]);
    assert.equal(total, 45);
    assert.equal(max, 40);
    assert.deepEqual(
      rows.map((r) => [r.key, r.number, r.total, r.band, r.percent, r.orphan]),
      [
        ['p-h', null, 0, 0, 0, false],
        ['p-b', 1, 40, 4, 89, false],
        ['p-c', 2, 5, 1, 11, false],
      ],
    );
    assert.deepEqual([rows[1]!.agree, rows[1]!.disagree, rows[1]!.suggest_change], [10, 20, 10]);
  });

  test('comments on a paragraph not in the version are kept, after the document, marked as orphans', () => {
    const { rows } = heatRows(paragraphs, [cell('paragraph', 'p-gone', 'disagree', 3)]);
    const last = rows.at(-1)!;
    assert.equal(last.key, 'p-gone');
    assert.equal(last.orphan, true);
    assert.equal(last.total, 3);
    assert.equal(last.number, null);
  });

  test('no comments at all: every band is 0 and nothing divides by zero', () => {
    const { rows, total } = heatRows(paragraphs, []);
    assert.equal(total, 0);
    assert.ok(rows.every((r) => r.band === 0 && r.percent === 0));
  });

  test('bands: 0 only for none, at least 1 for any comment, 4 for the maximum', () => {
    assert.equal(heatBand(0, 100), 0);
    assert.equal(heatBand(1, 1000), 1);
    assert.equal(heatBand(26, 100), 2);
    assert.equal(heatBand(100, 100), 4);
    assert.equal(percentOf(1, 3), 33);
    assert.equal(percentOf(1, 0), 0);
  });
});

describe('principle views and respondent types', () => {
  test('each principle has counts and percentages of its own views; unknown buckets are ignored', () => {
    const rows = principleRows(
      [
        { id: 'b', title: 'B', position: 2 },
        { id: 'a', title: 'A', position: 1 },
      ],
      [
        cell('principle', 'a', 'support', 3),
        cell('principle', 'a', 'oppose', 1),
        cell('principle', 'a', 'bogus', 7),
        cell('principle', 'b', 'no_view', 2),
      ],
    );
    assert.deepEqual(
      rows.map((r) => r.id),
      ['a', 'b'],
    );
    assert.equal(rows[0]!.total, 4);
    assert.equal(rows[0]!.percents.support, 75);
    assert.equal(rows[0]!.counts.support_with_changes, 0);
    assert.equal(rows[1]!.percents.no_view, 100);
  });

  test('respondent types: individuals, organisations, and organisations by type and size', () => {
    const view = respondentTypeView([
      cell('respondent', 'individual', '', 6),
      cell('respondent', 'organisation', '', 4),
      cell('organisation_type', 'charity', '', 3),
      cell('organisation_type', 'faith_group', '', 1),
      cell('organisation_size', 'small', '', 4),
    ]);
    assert.equal(view.total, 10);
    assert.equal(view.individuals, 6);
    assert.deepEqual(view.byOrganisationType, [
      { value: 'charity', count: 3, percent: 75 },
      { value: 'faith_group', count: 1, percent: 25 },
    ]);
    assert.equal(view.byOrganisationSize[0]!.percent, 100);
  });
});

describe('tags', () => {
  test('trimmed, spaces collapsed, lower case; empty and too long refused', () => {
    assert.equal(normaliseTag('  Funding   Cuts '), 'funding cuts');
    assert.equal(normaliseTag('   '), null);
    assert.equal(normaliseTag('x'.repeat(41)), null);
    assert.equal(normaliseTag('x'.repeat(40)), 'x'.repeat(40));
  });
});

describe('questions and paging', () => {
  test('free-text questions from a form definition or a list; others ignored', async () => {
    const { freeTextQuestions, pageOf } = await import('./consultations.analysis.rules.ts');
    const form = {
      sections: [
        {
          key: 's',
          questions: [
            { key: 'why', type: 'free_text', text: 'Why?' },
            { key: 'pick', type: 'single_choice', text: 'Pick' },
          ],
        },
      ],
    };
    assert.deepEqual(freeTextQuestions(form), [{ key: 'why', text: 'Why?' }]);
    assert.deepEqual(freeTextQuestions([{ key: 'q', type: 'free_text' }]), [{ key: 'q', text: 'q' }]);
    assert.deepEqual(freeTextQuestions(null), []);
    assert.deepEqual(pageOf('3'), { page: 3, offset: 100 });
    assert.deepEqual(pageOf('-1'), { page: 1, offset: 0 });
    assert.deepEqual(pageOf(undefined), { page: 1, offset: 0 });
  });
});
