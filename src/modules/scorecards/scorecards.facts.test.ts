/**
 * A case's scorecard facts on the real bank-holiday calendar: acknowledge within 5 and respond within 20
 * working days of Monday 5 January 2026 fall due on Monday 12 January and Monday 2 February.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadBankHolidays } from '../../platform/calendar/bank-holidays.ts';
import type { ClockEvent } from '../../platform/calendar/clock.ts';
import { caseFactsOf, contributionOf, upheldOf, type FactsCase } from './scorecards.facts.ts';

const calendar = await loadBankHolidays();
const started: ClockEvent[] = [{ type: 'started', at: '2026-01-05' }];

function facts(over: Partial<FactsCase>, today: string, events: ClockEvent[] = started) {
  const row: FactsCase = {
    id: '00000000-0000-4000-8000-000000000001',
    kind: 'problem',
    state: 'with_body',
    outcome: null,
    bodyId: '00000000-0000-4000-8000-0000000000b0',
    clockNation: 'england-and-wales',
    submittedOn: '2026-01-05',
    acknowledgedOn: null,
    respondedOn: null,
    escalatedOn: null,
    closedOn: null,
    acknowledgeWithinDays: 5,
    respondWithinDays: 20,
    ...over,
  };
  return caseFactsOf({ calendar, row, events, commitmentIds: ['c2', 'c1', 'c2'], panelOutcome: null, today });
}

test('acknowledged on the due date is on time, the day after is late', () => {
  const onTime = facts({ acknowledgedOn: '2026-01-12' }, '2026-01-20');
  assert.equal(onTime.acknowledge, 'on_time');
  assert.equal(onTime.acknowledgeDue, '2026-01-12');
  assert.equal(facts({ acknowledgedOn: '2026-01-13' }, '2026-01-20').acknowledge, 'late');
  // The year is the year reported; commitments are de-duplicated and sorted.
  assert.equal(onTime.year, 2026);
  assert.deepEqual(onTime.commitmentIds, ['c1', 'c2']);
});

test('an open deadline is pending until it passes, then late', () => {
  const pending = facts({}, '2026-01-12');
  assert.equal(pending.acknowledge, 'pending');
  assert.equal(pending.respond, 'pending');
  assert.equal(pending.respondDue, '2026-02-02');
  assert.equal(facts({}, '2026-01-13').acknowledge, 'late');
  assert.equal(facts({ acknowledgedOn: '2026-01-07' }, '2026-02-03').respond, 'late');
});

test('an answer also acknowledges; a pause moves the deadline', () => {
  const answered = facts({ state: 'responded', respondedOn: '2026-01-09' }, '2026-03-01');
  assert.equal(answered.acknowledge, 'on_time');
  assert.equal(answered.respond, 'on_time');
  // Paused on the 6th, resumed on the 8th: the 7th and 8th do not count, so acknowledging is due on the 14th.
  const paused: ClockEvent[] = [
    ...started,
    { type: 'paused', at: '2026-01-06' },
    { type: 'resumed', at: '2026-01-08' },
  ];
  const f = facts({ acknowledgedOn: '2026-01-13' }, '2026-01-20', paused);
  assert.equal(f.acknowledge, 'on_time');
  assert.equal(f.acknowledgeDue, '2026-01-14');
  // Paused and not resumed before the count ran out: pending with no date while open.
  const open = facts({}, '2026-02-20', [...started, { type: 'paused', at: '2026-01-06' }]);
  assert.equal(open.acknowledge, 'pending');
  assert.equal(open.acknowledgeDue, null);
  // A reopened case keeps the first clock's record.
  const reopened = facts({ acknowledgedOn: '2026-01-08' }, '2026-06-01', [
    ...started,
    { type: 'started', at: '2026-05-01' },
  ]);
  assert.equal(reopened.acknowledgeDue, '2026-01-12');
  assert.equal(reopened.acknowledge, 'on_time');
});

test('cases the body no longer holds: late if the date passed while it did, else nothing to judge', () => {
  const escalated = facts(
    { state: 'escalated', acknowledgedOn: '2026-01-06', escalatedOn: '2026-03-02' },
    '2026-04-01',
  );
  assert.equal(escalated.respond, 'late');
  assert.equal(escalated.escalated, true);
  const withdrawn = facts({ state: 'closed', outcome: 'withdrawn', closedOn: '2026-01-08' }, '2026-04-01');
  assert.equal(withdrawn.acknowledge, 'none');
  assert.equal(withdrawn.respond, 'none');
  assert.equal(withdrawn.upheld, null);
  const triage = facts({ state: 'submitted', bodyId: null }, '2026-04-01');
  assert.deepEqual([triage.acknowledge, triage.respond, triage.bodyId], ['none', 'none', null]);
  assert.deepEqual(contributionOf(triage), {
    cases: 1,
    acknowledgedOnTime: 0,
    acknowledgeDecided: 0,
    answeredOnTime: 0,
    answerDecided: 0,
    upheld: 0,
    outcomesDecided: 0,
    escalated: 0,
  });
});

test('upheld: the panel decides when it has, then the case outcome; only problems count', () => {
  assert.equal(upheldOf({ kind: 'problem', outcome: 'resolved' }, null), true);
  assert.equal(upheldOf({ kind: 'problem', outcome: 'partly_resolved' }, null), true);
  assert.equal(upheldOf({ kind: 'problem', outcome: 'not_upheld' }, null), false);
  assert.equal(upheldOf({ kind: 'problem', outcome: 'resolved' }, 'not_upheld'), false);
  assert.equal(upheldOf({ kind: 'problem', outcome: null }, 'partly_upheld'), true);
  assert.equal(upheldOf({ kind: 'problem', outcome: 'duplicate' }, null), null);
  assert.equal(upheldOf({ kind: 'question', outcome: 'resolved' }, null), null);
});
