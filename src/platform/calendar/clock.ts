/**
 * The case-deadline clock: pure functions over a case's clock events, evaluated whenever a case is read, so
 * overdue and long-overdue states are computed and never stored (issue 4, "computed when read, never typed").
 *
 * Counting rules (all in working days of the case's nation, see working-days.ts):
 * - The day the clock starts is not counted; the deadline is the `workingDays`-th counted day after it.
 * - A pause from day P to a resume on day R removes the days after P up to and including R: day P still
 *   counts (the body had that day), day R does not (like a start day, the clock restarts the next working
 *   day). So the deadline moves later by the number of working days in (P, R].
 * - A pause and a resume on the same day remove nothing: the deadline does not move.
 * - A pause on the start day means the count effectively starts from the resume day.
 * - Consecutive pauses each remove their own days; a resume and a new pause on the same day make one
 *   continuous pause.
 * - A pause that begins on or after the deadline does not move it: a late case cannot stop being late by
 *   being paused, so `due` stays set while paused in that case.
 * - Events must be in date order (same-day events in the order given); the first must be `started` and there
 *   is only one; `paused` only while running; `resumed` only while paused. Anything else throws
 *   {@link InvalidClockEventsError} — a resume without a pause points to a bug upstream, not something to guess.
 */
import type { BankHolidayCalendar } from './bank-holidays.ts';
import { addCalendarDays, isIsoDate } from './iso-date.ts';
import type { IsoDate } from './iso-date.ts';
import type { Nation } from './nations.ts';
import {
  InvalidWorkingDayCountError,
  addWorkingDays,
  isWorkingDay,
  subtractWorkingDays,
  workingDaysBetween,
} from './working-days.ts';

/** Default deadlines (issue 4): acknowledge within 5 and respond within 20 working days; configurable per category. */
export const DEFAULT_DEADLINE_WORKING_DAYS = { acknowledge: 5, respond: 20 } as const;

/** A deadline this many working days away, or fewer, is "due soon" (matches the first reminder). */
export const DUE_SOON_WITHIN = 5;

/** Overdue by this many working days is "long overdue" and escalates to the panel (issue 4). */
export const LONG_OVERDUE_AFTER = 20;

/** Reminders go to the officer and the lead 5 and 1 working days before a deadline (issue 4). */
export const REMINDER_WORKING_DAYS_BEFORE: readonly number[] = [5, 1];

/** One change to a case's clock. `at` is the UK calendar date it happened. */
export type ClockEvent = {
  type: 'started' | 'paused' | 'resumed';
  at: IsoDate;
  /** Why the clock was paused or resumed, e.g. "waiting for the reporter's evidence". */
  reason?: string;
};

/** The event list breaks the rules in this file's header; `index` is the offending event. */
export class InvalidClockEventsError extends Error {
  readonly index: number;
  constructor(index: number, message: string) {
    super(`Clock event ${index + 1}: ${message}`);
    this.name = 'InvalidClockEventsError';
    this.index = index;
  }
}

export type Deadline =
  | {
      state: 'running';
      due: IsoDate;
      /** Working days the deadline moved because of pauses. */
      pausedWorkingDays: number;
    }
  | {
      state: 'paused';
      /** null while the count is incomplete: the date depends on when the clock resumes. */
      due: IsoDate | null;
      pausedSince: IsoDate;
      pauseReason: string | null;
      /** Working days counted before the pause, and still to run once it resumes (0 when `due` is set). */
      workingDaysUsed: number;
      workingDaysLeft: number;
      pausedWorkingDays: number;
    };

type Pause = { from: IsoDate; to: IsoDate | null; reason: string | null };

function readEvents(events: readonly ClockEvent[]): { start: IsoDate; pauses: Pause[] } {
  const first = events[0];
  if (!first) throw new InvalidClockEventsError(0, 'there are no events; the clock must be started');
  if (first.type !== 'started')
    throw new InvalidClockEventsError(0, `the first event must be "started", not "${first.type}"`);
  const pauses: Pause[] = [];
  let previous: IsoDate = first.at;
  events.forEach((event, index) => {
    if (!isIsoDate(event.at))
      throw new InvalidClockEventsError(index, `"${event.at}" is not a YYYY-MM-DD date`);
    if (event.at < previous) {
      throw new InvalidClockEventsError(
        index,
        `${event.type} on ${event.at} comes before the previous event (${previous})`,
      );
    }
    previous = event.at;
    const open = pauses.at(-1)?.to === null ? pauses.at(-1) : undefined;
    if (event.type === 'started' && index > 0) {
      throw new InvalidClockEventsError(index, 'the clock was already started; it starts once per deadline');
    } else if (event.type === 'paused') {
      if (open) throw new InvalidClockEventsError(index, `the clock is already paused (since ${open.from})`);
      pauses.push({ from: event.at, to: null, reason: event.reason ?? null });
    } else if (event.type === 'resumed') {
      if (!open) throw new InvalidClockEventsError(index, 'resumed without a pause; the clock is running');
      open.to = event.at;
    }
  });
  return { start: first.at, pauses };
}

/**
 * The due date of a deadline `workingDays` working days after the clock started, moved by its pauses
 * according to the rules in this file's header. Throws `DateBeyondKnownHolidaysError` when the deadline
 * falls beyond the bank-holiday list, {@link InvalidClockEventsError} for a malformed event list.
 */
export function computeDeadline(input: {
  calendar: BankHolidayCalendar;
  nation: Nation;
  events: readonly ClockEvent[];
  workingDays: number;
}): Deadline {
  const { calendar, nation, workingDays } = input;
  if (!Number.isSafeInteger(workingDays) || workingDays < 0)
    throw new InvalidWorkingDayCountError(workingDays);
  const { start, pauses } = readEvents(input.events);
  // Never paused: the due date is plain working-day arithmetic (a lookup, not a walk).
  if (pauses.length === 0)
    return {
      state: 'running',
      due: addWorkingDays(calendar, nation, start, workingDays),
      pausedWorkingDays: 0,
    };
  const openPause = pauses.find((pause) => pause.to === null) ?? null;
  // Pauses cover (from, to]: the pause day itself still counts, the resume day does not.
  const pausedOn = (date: IsoDate) =>
    pauses.some((pause) => date > pause.from && (pause.to === null || date <= pause.to));

  let date = start;
  let counted = 0;
  let pausedWorkingDays = 0;
  while (counted < workingDays) {
    date = addCalendarDays(date, 1);
    if (openPause && date > openPause.from) {
      // The count stops at an open pause: the rest of the deadline waits for the resume.
      return {
        state: 'paused',
        due: null,
        pausedSince: openPause.from,
        pauseReason: openPause.reason,
        workingDaysUsed: counted,
        workingDaysLeft: workingDays - counted,
        pausedWorkingDays,
      };
    }
    if (!isWorkingDay(calendar, nation, date)) continue;
    if (pausedOn(date)) pausedWorkingDays += 1;
    else counted += 1;
  }
  if (openPause) {
    // The deadline fell on or before the day the open pause began, so it is fixed.
    return {
      state: 'paused',
      due: date,
      pausedSince: openPause.from,
      pauseReason: openPause.reason,
      workingDaysUsed: workingDays,
      workingDaysLeft: 0,
      pausedWorkingDays,
    };
  }
  return { state: 'running', due: date, pausedWorkingDays };
}

export type DeadlineStatus = 'on_track' | 'due_soon' | 'overdue' | 'long_overdue';

/**
 * Where a deadline stands on `today` (a UK calendar date from the injected clock, see `toUkIsoDate`):
 * - `on_track`: more than `dueSoonWithin` working days remain;
 * - `due_soon`: `dueSoonWithin` (5) working days or fewer remain, including on the due date itself (0 remain);
 * - `overdue`: `today` is after the due date, even a weekend straight after it (0 working days overdue);
 * - `long_overdue`: at least `longOverdueAfter` (20) working days past due (issue 4), which escalates.
 * Remaining and overdue counts use {@link workingDaysBetween}: working days after the earlier date up to and
 * including the later one; the one that does not apply is 0.
 */
export function deadlineStatus(input: {
  due: IsoDate;
  today: IsoDate;
  calendar: BankHolidayCalendar;
  nation: Nation;
  longOverdueAfter?: number;
  dueSoonWithin?: number;
}): { status: DeadlineStatus; workingDaysRemaining: number; workingDaysOverdue: number } {
  const { due, today, calendar, nation } = input;
  const longOverdueAfter = input.longOverdueAfter ?? LONG_OVERDUE_AFTER;
  const dueSoonWithin = input.dueSoonWithin ?? DUE_SOON_WITHIN;
  if (today <= due) {
    const remaining = workingDaysBetween(calendar, nation, today, due);
    const status = remaining <= dueSoonWithin ? 'due_soon' : 'on_track';
    return { status, workingDaysRemaining: remaining, workingDaysOverdue: 0 };
  }
  const overdue = workingDaysBetween(calendar, nation, due, today);
  return {
    status: overdue >= longOverdueAfter ? 'long_overdue' : 'overdue',
    workingDaysRemaining: 0,
    workingDaysOverdue: overdue,
  };
}

/**
 * When to remind the assigned officer and the lead: the working day that is `n` working days before the due
 * date, for each `n` in `workingDaysBefore` (default 5 and 1, issue 4), in that order. "1 working day before"
 * a Monday deadline is the Friday before (or the Thursday if that Friday is a bank holiday). Reminders always
 * land on working days. The overdue reminder is not here: it is due once {@link deadlineStatus} says overdue.
 */
export function reminderDates(input: {
  due: IsoDate;
  calendar: BankHolidayCalendar;
  nation: Nation;
  workingDaysBefore?: readonly number[];
}): Array<{ workingDaysBefore: number; date: IsoDate }> {
  const { due, calendar, nation } = input;
  return (input.workingDaysBefore ?? REMINDER_WORKING_DAYS_BEFORE).map((n) => ({
    workingDaysBefore: n,
    date: subtractWorkingDays(calendar, nation, due, n),
  }));
}
