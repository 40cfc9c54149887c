import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadBankHolidays, type BankHolidayCalendar } from '../../platform/calendar/bank-holidays.ts';
import type { ClockEvent } from '../../platform/calendar/clock.ts';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { buildCase, createTestOrganisation } from '../../../test/helpers/cases.ts';
import { computeCaseDeadlines, currentClockEvents, type ClockCase } from './cases.clock.ts';
import { routingRules } from './cases.tables.ts';

const caseRow = (overrides: Partial<ClockCase> = {}): ClockCase => ({
  id: 'c',
  state: 'with_body',
  bodyId: null,
  category: 'other',
  clockNation: 'england-and-wales',
  submittedAt: new Date('2025-12-19T10:00:00Z'),
  acknowledgedAt: null,
  respondedAt: null,
  acknowledgeWithinDays: 5,
  respondWithinDays: 20,
  ...overrides,
});

describe('case deadlines (pure)', () => {
  let calendar: BankHolidayCalendar;
  before(async () => {
    calendar = await loadBankHolidays();
  });
  const started = (at: string): ClockEvent[] => [{ type: 'started', at }];

  test('acknowledge in 5 and respond in 20 working days, across Christmas in England and Wales', () => {
    const d = computeCaseDeadlines({
      calendar,
      caseRow: caseRow(),
      events: started('2025-12-19'),
      today: '2025-12-19',
    });
    // 22, 23, 24, 29, 30 December (25, 26 December and 1 January are bank holidays).
    assert.equal(d.acknowledge?.due, '2025-12-30');
    assert.equal(d.respond?.due, '2026-01-21');
    assert.equal(d.respond?.status, 'on_track');
  });

  test('Scotland also loses 2 January: a day later', () => {
    const d = computeCaseDeadlines({
      calendar,
      caseRow: caseRow({ clockNation: 'scotland' }),
      events: started('2025-12-19'),
      today: '2025-12-19',
    });
    assert.equal(d.respond?.due, '2026-01-22');
  });

  test('a pause spanning Christmas for a Scottish body moves the deadline by the paused working days', () => {
    const row = caseRow({ clockNation: 'scotland', submittedAt: new Date('2025-12-15T10:00:00Z') });
    const events: ClockEvent[] = [
      { type: 'started', at: '2025-12-15' },
      { type: 'paused', at: '2025-12-19', reason: 'Waiting for the reporter' },
    ];
    const paused = computeCaseDeadlines({ calendar, caseRow: row, events, today: '2025-12-29' });
    assert.equal(paused.respond?.due, null);
    assert.deepEqual(paused.paused, { since: '2025-12-19', reason: 'Waiting for the reporter' });
    assert.equal(paused.respond?.status, null, 'a paused deadline is neither on track nor late');
    // Without the pause: 16 January. Paused (19 Dec, 5 Jan] = 7 Scottish working days.
    const resumed = computeCaseDeadlines({
      calendar,
      caseRow: row,
      events: [...events, { type: 'resumed', at: '2026-01-05' }],
      today: '2026-01-05',
    });
    assert.equal(resumed.respond?.due, '2026-01-27');
    assert.equal(resumed.paused, null);
  });

  test('overdue and long overdue are computed from today, never stored', () => {
    const row = caseRow({ acknowledgedAt: new Date('2025-12-22T10:00:00Z') });
    const events = started('2025-12-19');
    const onDue = computeCaseDeadlines({ calendar, caseRow: row, events, today: '2026-01-21' });
    assert.equal(onDue.respond?.status, 'due_soon');
    assert.equal(onDue.acknowledge?.metOn, '2025-12-22');
    assert.equal(onDue.acknowledge?.status, null, 'a met deadline has no status');
    const late = computeCaseDeadlines({ calendar, caseRow: row, events, today: '2026-01-22' });
    assert.equal(late.respond?.status, 'overdue');
    assert.equal(late.respond?.workingDaysOverdue, 1);
    // 20 working days after 21 January 2026 is 18 February 2026.
    const longLate = computeCaseDeadlines({ calendar, caseRow: row, events, today: '2026-02-18' });
    assert.equal(longLate.respond?.status, 'long_overdue');
    assert.equal(longLate.status, 'long_overdue');
  });

  test('only a case with the body has a running clock; a reopened case counts from its new start', () => {
    const closed = computeCaseDeadlines({
      calendar,
      caseRow: caseRow({ state: 'responded' }),
      events: started('2025-12-19'),
      today: '2026-03-01',
    });
    assert.equal(closed.status, null);
    const events: ClockEvent[] = [
      { type: 'started', at: '2025-06-02' },
      { type: 'started', at: '2026-01-05' },
    ];
    assert.deepEqual(currentClockEvents(events, '2025-06-01'), [{ type: 'started', at: '2026-01-05' }]);
    assert.deepEqual(currentClockEvents([], '2025-06-01'), [{ type: 'started', at: '2025-06-01' }]);
  });

  test('a deadline beyond the bank-holiday list says "not known" rather than guessing', () => {
    const d = computeCaseDeadlines({
      calendar,
      caseRow: caseRow(),
      events: started('2027-12-20'),
      today: '2027-12-20',
    });
    assert.equal(d.respond?.unknown, true);
    assert.equal(d.respond?.due, null);
  });
});

describe('case deadlines (per-category rules from routing rules)', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(() => t.close());

  test('the category’s rule wins over the body’s general rule, which wins over 5 and 20', async () => {
    const body = await createTestOrganisation(t.deps);
    await t.deps.db
      .get()
      .insert(routingRules)
      .values([
        { bodyId: body.id, category: null, acknowledgeWithinDays: 3, respondWithinDays: 15 },
        { bodyId: body.id, category: 'funding', respondWithinDays: 10 },
      ]);
    assert.deepEqual(await t.deps.caseClock.daysFor(body.id, 'funding'), { acknowledge: 3, respond: 10 });
    assert.deepEqual(await t.deps.caseClock.daysFor(body.id, 'equality'), { acknowledge: 3, respond: 15 });
    assert.deepEqual(await t.deps.caseClock.daysFor(null, 'equality'), { acknowledge: 5, respond: 20 });
    const c = await buildCase(t.deps, { state: 'with_body', body, category: 'funding' });
    const row = (await t.deps.cases.loadCase(c.id))!;
    const d = (await t.deps.caseClock.deadlinesFor([row], '2026-01-05')).get(c.id)!;
    // Started Monday 5 January 2026: 3 working days → 8 January; 10 → 19 January.
    assert.equal(d.acknowledge?.due, '2026-01-08');
    assert.equal(d.respond?.due, '2026-01-19');
  });
});
