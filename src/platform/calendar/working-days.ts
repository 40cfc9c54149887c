/**
 * Working-day arithmetic per UK nation.
 *
 * A working day is Monday to Friday and not one of that nation's bank holidays (GOV.UK list). Counting
 * follows the usual statutory convention (e.g. FOIA 2000 s.10: "the twentieth working day following the
 * date of receipt"): the start day itself is never counted, whatever day it is.
 *
 * Every function refuses a day it cannot classify with `DateBeyondKnownHolidaysError` (see bank-holidays.ts).
 */
import type { BankHolidayCalendar, NationHolidays } from './bank-holidays.ts';
import { assertIsoDate, fromDayNumber, isWeekend, toDayNumber } from './iso-date.ts';
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

/**
 * One nation's covered years as arrays over day numbers, built once per calendar and nation, so every
 * function below is a lookup rather than a walk day by day (the inbox works out deadlines for every row it
 * shows, some of them years old). `cumulative[i]` is the number of working days from the first covered day
 * up to and including day `first + i`; `workingDays` lists the working days' numbers in order.
 */
interface WorkingDayIndex {
  holidays: NationHolidays;
  first: number;
  last: number;
  working: Uint8Array;
  cumulative: Int32Array;
  workingDays: Int32Array;
}

const indexes = new WeakMap<NationHolidays, WorkingDayIndex>();

function indexFor(calendar: BankHolidayCalendar, nation: Nation): WorkingDayIndex {
  const holidays = calendar.forNation(nation);
  const known = indexes.get(holidays);
  if (known) return known;
  const first = toDayNumber(holidays.firstCoveredDate);
  const last = toDayNumber(holidays.lastCoveredDate);
  const size = last - first + 1;
  const working = new Uint8Array(size);
  const cumulative = new Int32Array(size);
  const days: number[] = [];
  let count = 0;
  for (let i = 0; i < size; i++) {
    const date = fromDayNumber(first + i);
    if (!isWeekend(date) && !holidays.isHoliday(date)) {
      working[i] = 1;
      count += 1;
      days.push(first + i);
    }
    cumulative[i] = count;
  }
  const index = { holidays, first, last, working, cumulative, workingDays: Int32Array.from(days) };
  indexes.set(holidays, index);
  return index;
}

/** Throws the list's own error for a day outside it (the day a walk would have stopped at). */
function beyond(index: WorkingDayIndex, dayNumber: number): never {
  index.holidays.assertCovered(fromDayNumber(dayNumber));
  throw new Error(`Day ${fromDayNumber(dayNumber)} was expected to be outside the known list`);
}

/** Working days from the first covered day up to and including `dayNumber` (0 the day before the list). */
function workingUpTo(index: WorkingDayIndex, dayNumber: number): number {
  if (dayNumber < index.first) return 0;
  return index.cumulative[dayNumber - index.first]!;
}

/** Monday to Friday and not a bank holiday in `nation`. */
export function isWorkingDay(calendar: BankHolidayCalendar, nation: Nation, date: IsoDate): boolean {
  const index = indexFor(calendar, nation);
  const day = toDayNumber(date);
  // Outside the list a weekend fails the same way as a weekday would.
  if (day < index.first || day > index.last) beyond(index, day);
  return index.working[day - index.first] === 1;
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
  if (n === 0) return start;
  const index = indexFor(calendar, nation);
  const from = toDayNumber(start);
  if (from + 1 < index.first || from + 1 > index.last) beyond(index, from + 1);
  // The n-th working day after `start` is the (working days up to start + n)-th working day of the list.
  const target = workingUpTo(index, from) + n;
  if (target > index.workingDays.length) beyond(index, index.last + 1);
  return fromDayNumber(index.workingDays[target - 1]!);
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
  if (n === 0) return date;
  const index = indexFor(calendar, nation);
  const before = toDayNumber(date) - 1;
  if (before > index.last || before < index.first) beyond(index, before);
  // Working days on or before the day before `date`; the n-th back is the (that − n + 1)-th of the list.
  const position = workingUpTo(index, before) - n;
  if (position < 0) beyond(index, index.first - 1);
  return fromDayNumber(index.workingDays[position]!);
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
  if (to === from) return 0;
  const index = indexFor(calendar, nation);
  const start = toDayNumber(from);
  const end = toDayNumber(to);
  // The days counted are start + 1 … end; the first of them outside the list is the error.
  if (start + 1 < index.first || start + 1 > index.last) beyond(index, start + 1);
  if (end > index.last) beyond(index, index.last + 1);
  return workingUpTo(index, end) - workingUpTo(index, start);
}
