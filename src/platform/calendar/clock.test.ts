// The case-deadline clock against the real GOV.UK list. Expected dates are counted by hand in the comments.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DateBeyondKnownHolidaysError, loadBankHolidays } from './bank-holidays.ts';
import {
  DEFAULT_DEADLINE_WORKING_DAYS,
  InvalidClockEventsError,
  computeDeadline,
  deadlineStatus,
  reminderDates,
} from './clock.ts';
import type { ClockEvent } from './clock.ts';
import type { Nation } from './nations.ts';

const calendar = await loadBankHolidays();
const respond = DEFAULT_DEADLINE_WORKING_DAYS.respond;
const acknowledge = DEFAULT_DEADLINE_WORKING_DAYS.acknowledge;

const deadline = (nation: Nation, events: ClockEvent[], workingDays: number) =>
  computeDeadline({ calendar, nation, events, workingDays });

describe('defaults', () => {
  it('acknowledge within 5 and respond within 20 working days', () => {
    assert.deepEqual(DEFAULT_DEADLINE_WORKING_DAYS, { acknowledge: 5, respond: 20 });
  });
});

describe('computeDeadline without pauses', () => {
  it('counts from the day after the start', () => {
    // Mon 2 Jun 2025 + 5: Tue 3, Wed 4, Thu 5, Fri 6, Mon 9.
    const result = deadline('england-and-wales', [{ type: 'started', at: '2025-06-02' }], acknowledge);
    assert.deepEqual(result, { state: 'running', due: '2025-06-09', pausedWorkingDays: 0 });
  });

  it('reaches the last day of the list but no further', () => {
    // Wed 1 Dec 2027 + 20: Dec 2 3 (2), 6-10 (7), 13-17 (12), 20-24 (17), [27 28 substitutes], 29 30 31 (20).
    const inRange = deadline('england-and-wales', [{ type: 'started', at: '2027-12-01' }], respond);
    assert.equal(inRange.due, '2027-12-31');
    // Starting a day later needs Sat 1 Jan 2028 onwards, which the list does not cover.
    assert.throws(
      () => deadline('england-and-wales', [{ type: 'started', at: '2027-12-02' }], respond),
      DateBeyondKnownHolidaysError,
    );
  });
});

describe('a pause spanning Christmas', () => {
  // Started Mon 1 Dec 2025, 20 working days. Unpaused: Dec 2-5 (4), 8-12 (9), 15-19 (14), 22 23 24 (17),
  // [25 26 holidays], 29 30 31 (20) → Wed 31 Dec in all three nations (Scotland's 1 Dec substitute St
  // Andrew's Day is the start day, which is not counted anyway).
  const started: ClockEvent = { type: 'started', at: '2025-12-01' };
  const paused: ClockEvent = { type: 'paused', at: '2025-12-19', reason: 'waiting for the reporter' };
  const resumed: ClockEvent = { type: 'resumed', at: '2026-01-05', reason: 'evidence received' };

  it('is due on 31 December without the pause', () => {
    for (const nation of ['england-and-wales', 'scotland', 'northern-ireland'] as const) {
      assert.equal(deadline(nation, [started], respond).due, '2025-12-31');
    }
  });

  it('has no due date while paused, and says since when and how much is left', () => {
    // Fri 19 Dec still counts (14 used), so 6 remain.
    assert.deepEqual(deadline('scotland', [started, paused], respond), {
      state: 'paused',
      due: null,
      pausedSince: '2025-12-19',
      pauseReason: 'waiting for the reporter',
      workingDaysUsed: 14,
      workingDaysLeft: 6,
      pausedWorkingDays: 0,
    });
  });

  it('moves the deadline by the working days in the pause, per nation', () => {
    // Paused after Fri 19 Dec up to and including Mon 5 Jan. England and Wales lose Dec 22 23 24 29 30 31,
    // Jan 2, Jan 5 = 8 working days; the 6 remaining run Jan 6 7 8 9 12 13 → Tue 13 Jan.
    assert.deepEqual(deadline('england-and-wales', [started, paused, resumed], respond), {
      state: 'running',
      due: '2026-01-13',
      pausedWorkingDays: 8,
    });
    assert.deepEqual(deadline('northern-ireland', [started, paused, resumed], respond), {
      state: 'running',
      due: '2026-01-13',
      pausedWorkingDays: 8,
    });
    // Scotland: Fri 2 Jan is already a holiday, so only 7 working days fall in the pause; same due date.
    assert.deepEqual(deadline('scotland', [started, paused, resumed], respond), {
      state: 'running',
      due: '2026-01-13',
      pausedWorkingDays: 7,
    });
  });
});

describe('pause rules', () => {
  const started: ClockEvent = { type: 'started', at: '2025-06-02' }; // Monday; unpaused 5 days → Mon 9 Jun

  it('ignores a pause that starts and ends on the same day', () => {
    const events: ClockEvent[] = [
      started,
      { type: 'paused', at: '2025-06-04' },
      { type: 'resumed', at: '2025-06-04' },
    ];
    assert.deepEqual(deadline('england-and-wales', events, acknowledge), {
      state: 'running',
      due: '2025-06-09',
      pausedWorkingDays: 0,
    });
  });

  it('starts the count at the resume when paused on the start day', () => {
    // Pause (2 Jun, 9 Jun] removes Jun 3 4 5 6 9; count Jun 10 11 12 13 16 → Mon 16 Jun.
    const events: ClockEvent[] = [
      started,
      { type: 'paused', at: '2025-06-02' },
      { type: 'resumed', at: '2025-06-09' },
    ];
    assert.deepEqual(deadline('england-and-wales', events, acknowledge), {
      state: 'running',
      due: '2025-06-16',
      pausedWorkingDays: 5,
    });
  });

  it('adds up consecutive pauses', () => {
    // Counted: Jun 3 (1); paused (3, 5] removes Jun 4 5; counted Jun 6 (2), Jun 9 (3); paused (9, 11] removes
    // Jun 10 11; counted Jun 12 (4), Jun 13 (5) → Fri 13 Jun, 4 working days later than Mon 9 Jun.
    const events: ClockEvent[] = [
      started,
      { type: 'paused', at: '2025-06-03' },
      { type: 'resumed', at: '2025-06-05' },
      { type: 'paused', at: '2025-06-09' },
      { type: 'resumed', at: '2025-06-11' },
    ];
    assert.deepEqual(deadline('england-and-wales', events, acknowledge), {
      state: 'running',
      due: '2025-06-13',
      pausedWorkingDays: 4,
    });
  });

  it('treats a resume and a new pause on the same day as one continuous pause', () => {
    // (3, 5] ∪ (5, 6] = (3, 6]: Jun 4 5 6 removed; counted Jun 3, 9, 10, 11, 12 → Thu 12 Jun.
    const split: ClockEvent[] = [
      started,
      { type: 'paused', at: '2025-06-03' },
      { type: 'resumed', at: '2025-06-05' },
      { type: 'paused', at: '2025-06-05' },
      { type: 'resumed', at: '2025-06-06' },
    ];
    const whole: ClockEvent[] = [
      started,
      { type: 'paused', at: '2025-06-03' },
      { type: 'resumed', at: '2025-06-06' },
    ];
    assert.equal(deadline('england-and-wales', split, acknowledge).due, '2025-06-12');
    assert.deepEqual(
      deadline('england-and-wales', split, acknowledge),
      deadline('england-and-wales', whole, acknowledge),
    );
  });

  it('does not move a deadline that had already arrived when the pause began', () => {
    // Due Mon 9 Jun; paused on the due day itself: the day counts, so the deadline stays fixed.
    const pausedOnDueDay = deadline(
      'england-and-wales',
      [started, { type: 'paused', at: '2025-06-09' }],
      acknowledge,
    );
    assert.equal(pausedOnDueDay.state, 'paused');
    assert.equal(pausedOnDueDay.due, '2025-06-09');
    // A later pause and resume changes nothing either.
    const events: ClockEvent[] = [
      started,
      { type: 'paused', at: '2025-06-16' },
      { type: 'resumed', at: '2025-06-20' },
    ];
    assert.deepEqual(deadline('england-and-wales', events, acknowledge), {
      state: 'running',
      due: '2025-06-09',
      pausedWorkingDays: 0,
    });
  });

  it('refuses event lists that make no sense', () => {
    const bad: Array<[string, ClockEvent[], RegExp]> = [
      ['no events', [], /no events/],
      ['no start', [{ type: 'paused', at: '2025-06-02' }], /first event must be "started"/],
      ['resume without pause', [started, { type: 'resumed', at: '2025-06-03' }], /resumed without a pause/],
      [
        'pause while paused',
        [started, { type: 'paused', at: '2025-06-03' }, { type: 'paused', at: '2025-06-04' }],
        /already paused \(since 2025-06-03\)/,
      ],
      ['started twice', [started, { type: 'started', at: '2025-06-03' }], /already started/],
      ['out of order', [started, { type: 'paused', at: '2025-06-01' }], /comes before/],
      ['bad date', [started, { type: 'paused', at: '2025-06-31' }], /not a YYYY-MM-DD date/],
    ];
    for (const [label, events, message] of bad) {
      assert.throws(
        () => deadline('england-and-wales', events, acknowledge),
        (error: unknown) => {
          assert.ok(error instanceof InvalidClockEventsError, label);
          assert.match(error.message, message, label);
          return true;
        },
      );
    }
  });
});

describe('deadlineStatus', () => {
  const status = (due: string, today: string, extra: { longOverdueAfter?: number } = {}) =>
    deadlineStatus({ due, today, calendar, nation: 'england-and-wales', ...extra });

  // Due Tue 13 Jan 2026 (England and Wales, no holidays in January after the 1st).
  it('is on track with more than 5 working days left', () => {
    // Mon 5 Jan → Jan 6 7 8 9 12 13 = 6.
    assert.deepEqual(status('2026-01-13', '2026-01-05'), {
      status: 'on_track',
      workingDaysRemaining: 6,
      workingDaysOverdue: 0,
    });
  });

  it('is due soon from 5 working days before, through the due date itself', () => {
    assert.deepEqual(status('2026-01-13', '2026-01-06'), {
      status: 'due_soon',
      workingDaysRemaining: 5,
      workingDaysOverdue: 0,
    });
    assert.deepEqual(status('2026-01-13', '2026-01-13'), {
      status: 'due_soon',
      workingDaysRemaining: 0,
      workingDaysOverdue: 0,
    });
  });

  it('is overdue from the day after, even a weekend with 0 working days overdue', () => {
    assert.deepEqual(status('2026-01-13', '2026-01-14'), {
      status: 'overdue',
      workingDaysRemaining: 0,
      workingDaysOverdue: 1,
    });
    // Due Fri 16 Jan, today Sat 17 Jan.
    assert.deepEqual(status('2026-01-16', '2026-01-17'), {
      status: 'overdue',
      workingDaysRemaining: 0,
      workingDaysOverdue: 0,
    });
  });

  it('is long overdue at 20 working days past due', () => {
    // After Tue 13 Jan: Jan 14 15 16 (3), 19-23 (8), 26-30 (13), Feb 2-6 (18), Mon 9 Feb (19), Tue 10 Feb (20).
    assert.equal(status('2026-01-13', '2026-02-09').status, 'overdue');
    assert.deepEqual(status('2026-01-13', '2026-02-10'), {
      status: 'long_overdue',
      workingDaysRemaining: 0,
      workingDaysOverdue: 20,
    });
    assert.equal(status('2026-01-13', '2026-01-27', { longOverdueAfter: 10 }).status, 'long_overdue');
  });

  it('counts remaining days over Christmas per nation', () => {
    // Due Wed 31 Dec 2025, today Mon 22 Dec: Dec 23 24 29 30 31 = 5 → due soon. From Fri 19 Dec: 6.
    assert.equal(status('2025-12-31', '2025-12-22').status, 'due_soon');
    assert.equal(status('2025-12-31', '2025-12-19').workingDaysRemaining, 6);
    // Due Tue 6 Jan 2026 from Tue 23 Dec: England and Wales Dec 24 29 30 31, Jan 2 5 6 = 7 (on track);
    // Scotland also loses Fri 2 Jan = 6.
    assert.equal(status('2026-01-06', '2025-12-23').status, 'on_track');
    assert.equal(
      deadlineStatus({ due: '2026-01-06', today: '2025-12-23', calendar, nation: 'scotland' })
        .workingDaysRemaining,
      6,
    );
  });
});

describe('reminderDates', () => {
  it('returns the working days 5 and 1 before the deadline', () => {
    // Due Tue 13 Jan 2026: 1 before = Mon 12; 5 before = Jan 12 (1) 9 (2) 8 (3) 7 (4) 6 (5) → Tue 6 Jan.
    assert.deepEqual(reminderDates({ due: '2026-01-13', calendar, nation: 'england-and-wales' }), [
      { workingDaysBefore: 5, date: '2026-01-06' },
      { workingDaysBefore: 1, date: '2026-01-12' },
    ]);
  });

  it('skips weekends and bank holidays going back', () => {
    // Due Mon 5 Jan 2026. Scotland: 1 before skips Fri 2 and Thu 1 Jan → Wed 31 Dec; 5 before: Dec 31 (1)
    // 30 (2) 29 (3) 24 (4) 23 (5). England and Wales: Jan 2 (1), Dec 31 30 29 (4), 24 (5).
    assert.deepEqual(reminderDates({ due: '2026-01-05', calendar, nation: 'scotland' }), [
      { workingDaysBefore: 5, date: '2025-12-23' },
      { workingDaysBefore: 1, date: '2025-12-31' },
    ]);
    assert.deepEqual(reminderDates({ due: '2026-01-05', calendar, nation: 'england-and-wales' }), [
      { workingDaysBefore: 5, date: '2025-12-24' },
      { workingDaysBefore: 1, date: '2026-01-02' },
    ]);
  });
});
