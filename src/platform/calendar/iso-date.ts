/**
 * Plain calendar dates (`YYYY-MM-DD`) for the working-day clock.
 *
 * Deadlines are counted in UK calendar days, not instants. Doing the arithmetic on local `Date` objects
 * breaks twice a year (a 23- or 25-hour day around the clock change), so every date is turned into a whole
 * day number (days since 1970-01-01, computed with `Date.UTC`, which has no DST) and back again.
 */

/** An ISO 8601 calendar date, `YYYY-MM-DD`, with no time and no time zone. */
export type IsoDate = string;

/** Thrown when a string is not a real `YYYY-MM-DD` calendar date (e.g. `2025-02-30`, `25-1-1`). */
export class InvalidIsoDateError extends Error {
  readonly value: string;
  constructor(value: string) {
    super(`"${value}" is not a valid date: use the format YYYY-MM-DD with a real day, e.g. 2025-12-19`);
    this.name = 'InvalidIsoDateError';
    this.value = value;
  }
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

/** True when `value` is a real calendar date written `YYYY-MM-DD` (2024-02-29 yes, 2025-02-29 no). */
export function isIsoDate(value: string): boolean {
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (month < 1 || month > 12 || day < 1) return false;
  // Date.UTC rolls 30 February over into March; a round trip detects the overflow.
  const probe = new Date(Date.UTC(year, month - 1, day));
  return probe.getUTCFullYear() === year && probe.getUTCMonth() === month - 1 && probe.getUTCDate() === day;
}

/** Returns `value` unchanged, or throws {@link InvalidIsoDateError} when it is not a real ISO date. */
export function assertIsoDate(value: string): IsoDate {
  if (!isIsoDate(value)) throw new InvalidIsoDateError(value);
  return value;
}

/** Whole days since 1970-01-01 (negative before). Used for arithmetic and comparison only. */
export function toDayNumber(date: IsoDate): number {
  const [year, month, day] = assertIsoDate(date).split('-').map(Number) as [number, number, number];
  return Date.UTC(year, month - 1, day) / MS_PER_DAY;
}

/** Inverse of {@link toDayNumber}. */
export function fromDayNumber(dayNumber: number): IsoDate {
  return new Date(dayNumber * MS_PER_DAY).toISOString().slice(0, 10);
}

/** `date` plus `days` calendar days (negative goes back). */
export function addCalendarDays(date: IsoDate, days: number): IsoDate {
  return fromDayNumber(toDayNumber(date) + days);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return toDayNumber(to) - toDayNumber(from);
}

/**
 * `date` plus `months` calendar months; a day that does not exist in the target month becomes its last day
 * (30 November + 3 months = 28 or 29 February), the way people count notice periods.
 */
export function addCalendarMonths(date: IsoDate, months: number): IsoDate {
  const [y, m, d] = assertIsoDate(date).split('-').map(Number) as [number, number, number];
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = index - year * 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return `${String(year).padStart(4, '0')}-${String(month + 1).padStart(2, '0')}-${String(Math.min(d, lastDay)).padStart(2, '0')}`;
}

/** Day of the week: 0 = Sunday … 6 = Saturday, as `Date#getUTCDay`. */
export function dayOfWeek(date: IsoDate): number {
  // 1970-01-01 was a Thursday (4); the double modulo keeps days before 1970 positive.
  return (((toDayNumber(date) + 4) % 7) + 7) % 7;
}

/** Saturday or Sunday. */
export function isWeekend(date: IsoDate): boolean {
  const day = dayOfWeek(date);
  return day === 0 || day === 6;
}

/** Negative when `a` is earlier, 0 when equal, positive when later. ISO dates also sort as strings. */
export function compareIsoDates(a: IsoDate, b: IsoDate): number {
  return toDayNumber(a) - toDayNumber(b);
}

/** Calendar year of an ISO date. */
export function yearOf(date: IsoDate): number {
  return Number(assertIsoDate(date).slice(0, 4));
}

const UK_DATE = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/**
 * The UK calendar date of an instant: callers turn the injected `clock.now()` into "today" with this.
 * Slicing `toISOString()` instead would give yesterday between midnight and 01:00 during British Summer Time.
 */
export function toUkIsoDate(instant: Date): IsoDate {
  const parts = Object.fromEntries(UK_DATE.formatToParts(instant).map((part) => [part.type, part.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}
