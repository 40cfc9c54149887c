/**
 * UK bank holidays from GOV.UK's published list (https://www.gov.uk/bank-holidays.json), shipped in
 * `resources/bank-holidays.json` and refreshed by `covenant bank-holidays refresh`.
 *
 * The list is finite: GOV.UK publishes a few years ahead. A date outside the years it covers cannot be
 * classified, so every lookup refuses it with {@link DateBeyondKnownHolidaysError} instead of guessing "working
 * day" — a silently wrong deadline is worse than a loud error (issue 4, "a clear error when a date is beyond
 * the known list").
 */
import { randomUUID } from 'node:crypto';
import { readFile, rename, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { isIsoDate, isWeekend, yearOf } from './iso-date.ts';
import type { IsoDate } from './iso-date.ts';
import { NATIONS } from './nations.ts';
import type { Nation } from './nations.ts';

/** Where the shipped list lives, resolved from this file so it works whatever the working directory. */
export const DEFAULT_BANK_HOLIDAYS_FILE = new URL('../../../resources/bank-holidays.json', import.meta.url);

/** GOV.UK's published address for the list. */
export const GOV_UK_BANK_HOLIDAYS_URL = 'https://www.gov.uk/bank-holidays.json';

// Sanity thresholds. Every UK nation has at least 8 bank holidays a year (England and Wales, the fewest);
// fewer than 6 in a year means a truncated or broken feed, not a policy change.
const MIN_EVENTS_PER_YEAR = 6;

// ---------------------------------------------------------------------------------------------------------
// Schema
// ---------------------------------------------------------------------------------------------------------

const IsoDateString = z.string().refine(isIsoDate, { message: 'must be a real date written YYYY-MM-DD' });

/** One bank holiday as GOV.UK publishes it. */
export const BankHolidayEventSchema = z.object({
  /** e.g. "Boxing Day" */
  title: z.string().min(1),
  /** The day off, `YYYY-MM-DD`; a substitute day when the holiday itself falls at a weekend. */
  date: IsoDateString,
  /** "" or "Substitute day" in practice. */
  notes: z.string(),
  /** Whether GOV.UK shows bunting on its page; cosmetic, kept so the file round-trips. */
  bunting: z.boolean(),
});

const DivisionSchema = z.object({
  /** Repeats the key it sits under; checked below. */
  division: z.string(),
  events: z.array(BankHolidayEventSchema).min(1),
});

/**
 * GOV.UK's whole file: all three divisions are required, events are sorted by date after parsing, and the
 * sanity checks below reject lists that parse but would give wrong deadlines.
 */
export const BankHolidaysFileSchema = z
  .object({
    'england-and-wales': DivisionSchema,
    scotland: DivisionSchema,
    'northern-ireland': DivisionSchema,
  })
  .superRefine((file, ctx) => {
    for (const nation of NATIONS) {
      for (const problem of sanityProblems(nation, file[nation])) {
        ctx.addIssue({ code: 'custom', path: [nation], message: problem });
      }
    }
  })
  .transform((file) => {
    // "Sorted or sortable": GOV.UK sorts today, but nothing promises it; ISO dates sort as strings.
    const sorted = (division: z.output<typeof DivisionSchema>) => ({
      division: division.division,
      events: [...division.events].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0)),
    });
    return {
      'england-and-wales': sorted(file['england-and-wales']),
      scotland: sorted(file.scotland),
      'northern-ireland': sorted(file['northern-ireland']),
    };
  });

export type BankHolidayEvent = z.output<typeof BankHolidayEventSchema>;
export type BankHolidaysFile = z.output<typeof BankHolidaysFileSchema>;

function sanityProblems(nation: Nation, division: z.output<typeof DivisionSchema>): string[] {
  const problems: string[] = [];
  if (division.division !== nation) {
    problems.push(`division is "${division.division}" but it is listed under "${nation}"`);
  }
  const dates = division.events.map((event) => event.date).filter(isIsoDate);
  if (dates.length !== division.events.length) return problems; // date errors are already reported
  const seen = new Set<string>();
  for (const date of dates) {
    if (seen.has(date)) problems.push(`${date} is listed twice`);
    seen.add(date);
    // A holiday falling at a weekend is replaced by a substitute weekday (Banking and Financial Dealings Act
    // 1971, schedule 1, and royal proclamation), and GOV.UK lists only the weekday: a weekend entry means the
    // file is not what we think it is.
    if (isWeekend(date)) problems.push(`${date} falls at a weekend; GOV.UK lists substitute days instead`);
  }
  const byYear = new Map<number, IsoDate[]>();
  for (const date of dates) byYear.set(yearOf(date), [...(byYear.get(yearOf(date)) ?? []), date]);
  const years = [...byYear.keys()].sort((a, b) => a - b);
  const first = years[0];
  const last = years.at(-1);
  if (first === undefined || last === undefined) return problems;
  // Coverage is claimed year by year, so every year in the range must look complete: enough holidays, and
  // Christmas (25-28 December, counting its substitute) so that a list cut off mid-year is caught.
  for (let year = first; year <= last; year += 1) {
    const inYear = byYear.get(year) ?? [];
    if (inYear.length < MIN_EVENTS_PER_YEAR) {
      problems.push(`${year} has ${inYear.length} bank holidays; expected at least ${MIN_EVENTS_PER_YEAR}`);
    } else if (!inYear.some((date) => date >= `${year}-12-25` && date <= `${year}-12-28`)) {
      problems.push(`${year} has no Christmas bank holiday; the list looks cut off`);
    }
  }
  return problems;
}

/** The list failed validation; `issues` holds one readable line per problem. */
export class InvalidBankHolidaysError extends Error {
  readonly issues: string[];
  constructor(source: string, issues: string[]) {
    const shown = issues.slice(0, 10);
    const more = issues.length > shown.length ? `\n  … and ${issues.length - shown.length} more` : '';
    super(`The bank-holiday list from ${source} is not valid:\n  ${shown.join('\n  ')}${more}`);
    this.name = 'InvalidBankHolidaysError';
    this.issues = issues;
  }
}

/** Validates parsed JSON against {@link BankHolidaysFileSchema}; `source` names it in the error. */
export function parseBankHolidays(json: unknown, source = 'input'): BankHolidaysFile {
  const result = BankHolidaysFileSchema.safeParse(json);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => {
    const where = issue.path.length > 0 ? issue.path.join('.') : '(top level)';
    return `${where}: ${issue.message}`;
  });
  throw new InvalidBankHolidaysError(source, issues);
}

// ---------------------------------------------------------------------------------------------------------
// Calendar
// ---------------------------------------------------------------------------------------------------------

/**
 * A date outside the years the bank-holiday list covers. Raised instead of treating the day as a working day,
 * because the list may simply not have been refreshed yet.
 */
export class DateBeyondKnownHolidaysError extends Error {
  readonly date: IsoDate;
  readonly nation: Nation;
  readonly firstCoveredDate: IsoDate;
  readonly lastCoveredDate: IsoDate;
  constructor(date: IsoDate, nation: Nation, firstCoveredDate: IsoDate, lastCoveredDate: IsoDate) {
    const where =
      date > lastCoveredDate
        ? `after the last date covered by the ${nation} bank-holiday list (${lastCoveredDate}); ` +
          'run "covenant bank-holidays refresh" to fetch newer dates from GOV.UK'
        : `before the first date covered by the ${nation} bank-holiday list (${firstCoveredDate}); ` +
          `it covers ${firstCoveredDate} to ${lastCoveredDate}`;
    super(`Cannot tell whether ${date} is a working day: it is ${where}`);
    this.name = 'DateBeyondKnownHolidaysError';
    this.date = date;
    this.nation = nation;
    this.firstCoveredDate = firstCoveredDate;
    this.lastCoveredDate = lastCoveredDate;
  }
}

/** One nation's bank holidays. Every date method throws {@link DateBeyondKnownHolidaysError} outside the range. */
export type NationHolidays = {
  readonly nation: Nation;
  /** First and last calendar years in the list; every day of those years, and those between, is covered. */
  readonly firstYear: number;
  readonly lastYear: number;
  /** `${firstYear}-01-01` and `${lastYear}-12-31`. */
  readonly firstCoveredDate: IsoDate;
  readonly lastCoveredDate: IsoDate;
  /** The nation's holidays, sorted by date. */
  readonly events: readonly BankHolidayEvent[];
  covers(date: IsoDate): boolean;
  /** Throws {@link DateBeyondKnownHolidaysError} when `date` is outside the covered years. */
  assertCovered(date: IsoDate): void;
  isHoliday(date: IsoDate): boolean;
  /** The holiday's title (e.g. "Boxing Day"), or null for an ordinary day. */
  holidayName(date: IsoDate): string | null;
  /** The whole event, with GOV.UK's notes (e.g. "Substitute day"), or null. */
  holiday(date: IsoDate): BankHolidayEvent | null;
};

export type BankHolidayCalendar = {
  /** The validated data the calendar was built from. */
  readonly data: BankHolidaysFile;
  forNation(nation: Nation): NationHolidays;
};

function createNationHolidays(nation: Nation, events: readonly BankHolidayEvent[]): NationHolidays {
  const byDate = new Map(events.map((event) => [event.date, event]));
  // The schema guarantees at least one event per division.
  const firstYear = yearOf(events[0]?.date ?? '');
  const lastYear = yearOf(events.at(-1)?.date ?? '');
  const firstCoveredDate = `${String(firstYear).padStart(4, '0')}-01-01`;
  const lastCoveredDate = `${String(lastYear).padStart(4, '0')}-12-31`;
  const covers = (date: IsoDate) => isIsoDate(date) && date >= firstCoveredDate && date <= lastCoveredDate;
  const assertCovered = (date: IsoDate) => {
    yearOf(date); // throws InvalidIsoDateError for a malformed date before the range check
    if (!covers(date))
      throw new DateBeyondKnownHolidaysError(date, nation, firstCoveredDate, lastCoveredDate);
  };
  const holiday = (date: IsoDate) => {
    assertCovered(date);
    return byDate.get(date) ?? null;
  };
  return {
    nation,
    firstYear,
    lastYear,
    firstCoveredDate,
    lastCoveredDate,
    events,
    covers,
    assertCovered,
    holiday,
    isHoliday: (date) => holiday(date) !== null,
    holidayName: (date) => holiday(date)?.title ?? null,
  };
}

/** Builds a calendar from already-validated data (see {@link parseBankHolidays}). */
export function createBankHolidayCalendar(data: BankHolidaysFile): BankHolidayCalendar {
  const nations = new Map(
    NATIONS.map((nation) => [nation, createNationHolidays(nation, data[nation].events)]),
  );
  return {
    data,
    forNation(nation) {
      const holidays = nations.get(nation);
      if (!holidays) throw new Error(`No bank holidays for nation "${String(nation)}"`);
      return holidays;
    },
  };
}

/** The file could not be read or parsed. */
export class BankHolidaysFileError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BankHolidaysFileError';
  }
}

function filePath(file: string | URL): string {
  return file instanceof URL ? fileURLToPath(file) : file;
}

async function readBankHolidaysFile(file: string | URL): Promise<BankHolidaysFile> {
  const where = filePath(file);
  let text: string;
  try {
    text = await readFile(where, 'utf8');
  } catch (error) {
    throw new BankHolidaysFileError(`Cannot read the bank-holiday list at ${where}: ${messageOf(error)}`, {
      cause: error,
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new BankHolidaysFileError(
      `The bank-holiday list at ${where} is not valid JSON: ${messageOf(error)}`,
      {
        cause: error,
      },
    );
  }
  return parseBankHolidays(json, where);
}

/** Reads and validates the list (by default the shipped `resources/bank-holidays.json`). */
export async function loadBankHolidays(
  file: string | URL = DEFAULT_BANK_HOLIDAYS_FILE,
): Promise<BankHolidayCalendar> {
  return createBankHolidayCalendar(await readBankHolidaysFile(file));
}

// ---------------------------------------------------------------------------------------------------------
// Refresh
// ---------------------------------------------------------------------------------------------------------

/** The part of `fetch` the refresh uses, so tests can pass a fake; the global `fetch` fits. */
export type FetchLike = (
  url: string,
  init?: { signal?: AbortSignal; headers?: Record<string, string> },
) => Promise<{ status: number; statusText: string; text(): Promise<string> }>;

/** Fetching or checking the new list failed; the file on disk was not changed. */
export class BankHolidaysRefreshError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(`${message}. The bank-holiday list on disk was left unchanged.`, options);
    this.name = 'BankHolidaysRefreshError';
  }
}

export type NationRefreshSummary = {
  firstYear: number;
  lastYear: number;
  /** Events in the written file. */
  events: number;
  /** Dates that are holidays now but were not in the previous file. */
  added: IsoDate[];
  /** Dates that were holidays in the previous file, within the years GOV.UK now covers, and are not now. */
  removed: IsoDate[];
  /** Years no longer published by GOV.UK but kept from the previous file (see {@link refreshBankHolidays}). */
  keptYears: number[];
};

export type RefreshSummary = {
  file: string;
  url: string;
  /** What was on disk before: a valid list, nothing, or something unreadable that has now been replaced. */
  previous: 'valid' | 'missing' | 'invalid';
  nations: Record<Nation, NationRefreshSummary>;
  totalEvents: number;
};

export type RefreshOptions = {
  fetch: FetchLike;
  url?: string;
  file?: string | URL;
  /** Give up on GOV.UK after this long. */
  timeoutMs?: number;
};

/**
 * Fetches GOV.UK's list, validates it, and replaces the file atomically (write a temporary file in the same
 * folder, then rename over the old one, so a reader never sees half a file). On any failure the file is left
 * exactly as it was and a {@link BankHolidaysRefreshError} or {@link InvalidBankHolidaysError} is thrown.
 *
 * Rules:
 * - all three divisions must be present and pass the schema's sanity checks;
 * - for each year covered by both the old and the new list, the new list must have at least as many events
 *   (a shrinking year means a broken feed far more often than a cancelled holiday);
 * - the new list must reach at least as far ahead as the old one;
 * - years GOV.UK has stopped publishing (it drops old years) are kept from the old file, because deadlines of
 *   older cases are recomputed when read and would otherwise start throwing.
 */
export async function refreshBankHolidays(options: RefreshOptions): Promise<RefreshSummary> {
  const url = options.url ?? GOV_UK_BANK_HOLIDAYS_URL;
  const file = filePath(options.file ?? DEFAULT_BANK_HOLIDAYS_FILE);

  let previous: BankHolidaysFile | null = null;
  let previousState: RefreshSummary['previous'];
  try {
    previous = await readBankHolidaysFile(file);
    previousState = 'valid';
  } catch (error) {
    // A missing or broken file is exactly what a refresh should be able to repair.
    const missing = error instanceof BankHolidaysFileError && isNotFound(error.cause);
    previousState = missing ? 'missing' : 'invalid';
  }

  const fetched = await fetchList(options.fetch, url, options.timeoutMs ?? 15_000);
  const next = mergeWithPrevious(fetched, previous);

  const nations = {} as Record<Nation, NationRefreshSummary>;
  for (const nation of NATIONS) {
    const nowDates = new Set(next[nation].events.map((event) => event.date));
    const fetchedYears = new Set(fetched[nation].events.map((event) => yearOf(event.date)));
    const beforeDates = previous ? previous[nation].events.map((event) => event.date) : [];
    const beforeSet = new Set(beforeDates);
    const calendar = createNationHolidays(nation, next[nation].events);
    nations[nation] = {
      firstYear: calendar.firstYear,
      lastYear: calendar.lastYear,
      events: next[nation].events.length,
      added: [...nowDates].filter((date) => !beforeSet.has(date)),
      removed: beforeDates.filter((date) => !nowDates.has(date)),
      keptYears: [...new Set(next[nation].events.map((event) => yearOf(event.date)))].filter(
        (year) => !fetchedYears.has(year),
      ),
    };
  }

  await writeAtomically(file, `${JSON.stringify(next, null, 2)}\n`);
  return {
    file,
    url,
    previous: previousState,
    nations,
    totalEvents: NATIONS.reduce((sum, nation) => sum + next[nation].events.length, 0),
  };
}

async function fetchList(fetchFn: FetchLike, url: string, timeoutMs: number): Promise<BankHolidaysFile> {
  let response: Awaited<ReturnType<FetchLike>>;
  let body: string;
  try {
    response = await fetchFn(url, {
      signal: AbortSignal.timeout(timeoutMs),
      headers: { accept: 'application/json' },
    });
    body = await response.text();
  } catch (error) {
    throw new BankHolidaysRefreshError(`Could not fetch ${url}: ${messageOf(error)}`, { cause: error });
  }
  if (response.status !== 200) {
    const status = `${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
    throw new BankHolidaysRefreshError(`${url} answered HTTP ${status}, expected 200`);
  }
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    throw new BankHolidaysRefreshError(`${url} did not return valid JSON (${messageOf(error)})`, {
      cause: error,
    });
  }
  try {
    return parseBankHolidays(json, url);
  } catch (error) {
    if (error instanceof InvalidBankHolidaysError) {
      throw new BankHolidaysRefreshError(error.message, { cause: error });
    }
    throw error;
  }
}

function mergeWithPrevious(fetched: BankHolidaysFile, previous: BankHolidaysFile | null): BankHolidaysFile {
  if (!previous) return fetched;
  const merged = { ...fetched };
  const problems: string[] = [];
  for (const nation of NATIONS) {
    const oldEvents = previous[nation].events;
    const newEvents = fetched[nation].events;
    const count = (events: readonly BankHolidayEvent[]) => {
      const counts = new Map<number, number>();
      for (const event of events) counts.set(yearOf(event.date), (counts.get(yearOf(event.date)) ?? 0) + 1);
      return counts;
    };
    const oldCounts = count(oldEvents);
    const newCounts = count(newEvents);
    for (const [year, oldCount] of oldCounts) {
      const newCount = newCounts.get(year);
      if (newCount !== undefined && newCount < oldCount) {
        problems.push(
          `${nation} ${year} has ${newCount} bank holidays, fewer than the ${oldCount} already known`,
        );
      }
    }
    const oldLast = yearOf(oldEvents.at(-1)?.date ?? '');
    const newFirst = yearOf(newEvents[0]?.date ?? '');
    const newLast = yearOf(newEvents.at(-1)?.date ?? '');
    if (newLast < oldLast) {
      problems.push(`${nation} now ends in ${newLast}, but the list on disk already covers ${oldLast}`);
    }
    const kept = oldEvents.filter((event) => yearOf(event.date) < newFirst);
    merged[nation] = { division: nation, events: [...kept, ...newEvents] };
  }
  if (problems.length > 0) {
    throw new BankHolidaysRefreshError(`The list from GOV.UK looks incomplete: ${problems.join('; ')}`);
  }
  // Re-validate the merged result: a gap between kept and fetched years must fail, not be written.
  try {
    return parseBankHolidays(merged, 'the merged list');
  } catch (error) {
    throw new BankHolidaysRefreshError(messageOf(error), { cause: error });
  }
}

async function writeAtomically(file: string, contents: string): Promise<void> {
  // The temporary file sits next to the target so that rename() stays on one file system (and is atomic).
  const temporary = path.join(
    path.dirname(file),
    `.${path.basename(file)}.${process.pid}.${randomUUID()}.tmp`,
  );
  try {
    await writeFile(temporary, contents, { encoding: 'utf8', flag: 'wx' });
    await rename(temporary, file);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw new BankHolidaysRefreshError(`Could not write ${file}: ${messageOf(error)}`, { cause: error });
  }
}

function isNotFound(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'ENOENT';
}

function messageOf(error: unknown): string {
  if (error instanceof Error) {
    // fetch reports "fetch failed" and hides the useful part (ENOTFOUND, ECONNREFUSED) in `cause`.
    const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
    return `${error.message}${cause}`;
  }
  return String(error);
}
