/**
 * Working-day arithmetic per UK nation.
 *
 * A working day is Monday to Friday and not one of that nation's bank holidays (GOV.UK list). Counting
 * follows the usual statutory convention (e.g. FOIA 2000 s.10: "the twentieth working day following the
 * date of receipt"): the start day itself is never counted, whatever day it is.
 *
 * Every function refuses a day it cannot classify with `DateBeyondKnownHolidaysError` (see bank-holidays.ts).
 */
import type { BankHolidayCalendar } from './bank-holidays.ts';
import { addCalendarDays, assertIsoDate, isWeekend } from './iso-date.ts';
import type { IsoDate } from './iso-date.ts';
import type { Nation } from './nations.ts';

export { NATIONS, DEFAULT_NATION, isNation, parseNation, UnknownNationError } from './nations.ts';
export type { Nation } from './nations.ts';

/** A working-day count that is negative, fractional or not a number. */
export class InvalidWorkingDayCountError extends Error {
  readonly value: number;
  constructor(value: number) {
    super(`The number of working days must be a whole number of 0 or more, not ${value}`);
    this.name = 'InvalidWorkingDayCountError';
    this.value = value;
  }
}

function assertCount(n: number): void {
  if (!Number.isSafeInteger(n) || n < 0) throw new InvalidWorkingDayCountError(n);
}

/** Monday to Friday and not a bank holiday in `nation`. */
export function isWorkingDay(calendar: BankHolidayCalendar, nation: Nation, date: IsoDate): boolean {
  const holidays = calendar.forNation(nation);
  // Check coverage first so a weekend beyond the list fails the same way as a weekday would.
  holidays.assertCovered(date);
  return !isWeekend(date) && !holidays.isHoliday(date);
}

/** The first working day strictly after `date` (so the next working day after a Friday is usually Monday). */
export function nextWorkingDay(calendar: BankHolidayCalendar, nation: Nation, date: IsoDate): IsoDate {
  return addWorkingDays(calendar, nation, date, 1);
}

/**
 * The date `n` working days after `start`. The start day is not counted, so from Friday 19 December 2025 one
 * working day is Monday 22 December. Starting on a weekend or bank holiday is allowed: counting begins with
 * the next working day. `n = 0` returns `start` unchanged, even when `start` is not a working day (nothing
 * has elapsed; the day is not examined). A negative or fractional `n` throws
 * {@link InvalidWorkingDayCountError}; use {@link subtractWorkingDays} to go back.
 *
 * The result is always a working day when `n > 0`, and `workingDaysBetween(start, result) === n`.
 */
export function addWorkingDays(
  calendar: BankHolidayCalendar,
  nation: Nation,
  start: IsoDate,
  n: number,
): IsoDate {
  assertIsoDate(start);
  assertCount(n);
  let date = start;
  let counted = 0;
  while (counted < n) {
    date = addCalendarDays(date, 1);
    if (isWorkingDay(calendar, nation, date)) counted += 1;
  }
  return date;
}

/**
 * The `n`-th working day before `date` (not counting `date`): one working day before Monday is the Friday
 * before, or the Thursday when that Friday is a bank holiday. `n = 0` returns `date` unchanged. For a working
 * day `d`, `addWorkingDays(subtractWorkingDays(d, n), n) === d`.
 */
export function subtractWorkingDays(
  calendar: BankHolidayCalendar,
  nation: Nation,
  date: IsoDate,
  n: number,
): IsoDate {
  assertIsoDate(date);
  assertCount(n);
  let current = date;
  let counted = 0;
  while (counted < n) {
    current = addCalendarDays(current, -1);
    if (isWorkingDay(calendar, nation, current)) counted += 1;
  }
  return current;
}

/**
 * The number of working days after `from`, up to and including `to` — the same counting as
 * {@link addWorkingDays}, so `workingDaysBetween(d, addWorkingDays(d, n)) === n`. Equal dates give 0.
 * When `to` is before `from` the result is negative: `-workingDaysBetween(to, from)`, i.e. minus the working
 * days after `to` up to and including `from` (the function is antisymmetric).
 */
export function workingDaysBetween(
  calendar: BankHolidayCalendar,
  nation: Nation,
  from: IsoDate,
  to: IsoDate,
): number {
  assertIsoDate(from);
  assertIsoDate(to);
  if (to < from) {
    const back = workingDaysBetween(calendar, nation, to, from);
    return back === 0 ? 0 : -back; // never -0, which strict equality tells apart from 0
  }
  let count = 0;
  for (let date = addCalendarDays(from, 1); date <= to; date = addCalendarDays(date, 1)) {
    if (isWorkingDay(calendar, nation, date)) count += 1;
  }
  return count;
}
