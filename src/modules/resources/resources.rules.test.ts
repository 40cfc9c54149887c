/** The library's rules on fixed dates: review due dates, reminders at their boundaries, versions, text. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  isReviewDue,
  nextVersion,
  resourceSlug,
  reviewDueOn,
  reviewReminderDue,
  reviewState,
  toBlocks,
} from './resources.rules.ts';

const r = (lastReviewedOn: string, reviewIntervalMonths = 12, reviewRemindedAt: Date | null = null) => ({
  lastReviewedOn,
  reviewIntervalMonths,
  reviewRemindedAt,
});
// 09:00 UTC is 09:00 in winter, 10:00 in summer: the UK date is the same day either way.
const at = (date: string, time = '09:00:00Z') => new Date(`${date}T${time}`);

describe('review due dates', () => {
  test('the interval is counted in calendar months; a missing day becomes the month’s last', () => {
    assert.equal(reviewDueOn(r('2025-01-05')), '2026-01-05');
    assert.equal(reviewDueOn(r('2025-08-31', 6)), '2026-02-28');
    assert.equal(reviewDueOn(r('2023-08-31', 6)), '2024-02-29');
    assert.equal(reviewDueOn(r('2025-03-10', 24)), '2027-03-10');
  });

  test('due on the due date itself, not the day before', () => {
    assert.equal(isReviewDue(r('2025-01-05'), '2026-01-04'), false);
    assert.equal(isReviewDue(r('2025-01-05'), '2026-01-05'), true);
    assert.equal(isReviewDue(r('2025-01-05'), '2026-01-06'), true);
  });

  test('"due soon" from 30 days before', () => {
    assert.equal(reviewState(r('2025-01-05'), '2025-12-05'), 'ok');
    assert.equal(reviewState(r('2025-01-05'), '2025-12-06'), 'dueSoon');
    assert.equal(reviewState(r('2025-01-05'), '2026-01-05'), 'due');
  });
});

describe('review reminders', () => {
  test('not before the due date; on it when nobody was reminded', () => {
    assert.equal(reviewReminderDue(r('2025-01-05'), at('2026-01-04')), false);
    assert.equal(reviewReminderDue(r('2025-01-05'), at('2026-01-05')), true);
  });

  test('the UK date decides: 23:30 UTC on 4 July is already 5 July in London', () => {
    assert.equal(reviewReminderDue(r('2025-07-05'), at('2026-07-04', '22:30:00Z')), false);
    assert.equal(reviewReminderDue(r('2025-07-05'), at('2026-07-04', '23:30:00Z')), true);
  });

  test('once reminded, again only 30 days later while still overdue', () => {
    const reminded = r('2025-01-05', 12, at('2026-01-05'));
    assert.equal(reviewReminderDue(reminded, at('2026-01-06')), false);
    assert.equal(reviewReminderDue(reminded, at('2026-02-03')), false);
    assert.equal(reviewReminderDue(reminded, at('2026-02-04')), true);
  });

  test('a reminder from an earlier cycle does not count', () => {
    // Reminded in the last cycle (before the current due date): remind again on the new due date.
    const old = r('2025-01-05', 12, at('2025-01-01'));
    assert.equal(reviewReminderDue(old, at('2026-01-05')), true);
  });

  test('after "mark as reviewed" the next cycle starts: nothing is due', () => {
    assert.equal(reviewReminderDue(r('2026-01-10'), at('2026-02-10')), false);
  });
});

describe('versions', () => {
  test('the next version follows the one the editor started from; an older start is stale', () => {
    assert.equal(nextVersion(1, 1), 2);
    assert.equal(nextVersion(3, 3), 4);
    assert.equal(nextVersion(3, 2), 'stale');
    assert.equal(nextVersion(3, 4), 'stale');
  });
});

describe('slugs and text', () => {
  test('slugs are URL-safe, never reserved and never taken', () => {
    assert.equal(
      resourceSlug('Consultation length: what 12 weeks means', () => false),
      'consultation-length-what-12-weeks-means',
    );
    assert.equal(resourceSlug('New', () => false), 'new-2');
    assert.equal(resourceSlug('Manage', () => false), 'manage-2');
    const taken = new Set(['guide', 'guide-2']);
    assert.equal(
      resourceSlug('Guide', (s) => taken.has(s)),
      'guide-3',
    );
    assert.equal(resourceSlug('£££', () => false), 'resource');
  });

  test('blank lines split blocks; "## " is a heading, "- " lines a list', () => {
    assert.deepEqual(toBlocks('## Title\r\n\r\nOne line\nand the next.\n\n- a\n- b\n\n\n'), [
      { kind: 'heading', text: 'Title' },
      { kind: 'paragraph', text: 'One line and the next.' },
      { kind: 'list', items: ['a', 'b'] },
    ]);
    assert.deepEqual(toBlocks('- a\nnot a list'), [{ kind: 'paragraph', text: '- a not a list' }]);
  });
});
