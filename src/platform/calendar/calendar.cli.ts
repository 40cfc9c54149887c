/**
 * The `covenant working-days …` and `covenant bank-holidays …` commands. `argv` is what follows the command
 * name. Exit codes: 0 success, 1 the command could not be carried out (date beyond the bank-holiday list,
 * unreadable list, GOV.UK unreachable), 2 usage error (bad arguments; nothing was attempted).
 */
import {
  DateBeyondKnownHolidaysError,
  GOV_UK_BANK_HOLIDAYS_URL,
  loadBankHolidays,
  refreshBankHolidays,
} from './bank-holidays.ts';
import type { BankHolidayCalendar, FetchLike, RefreshSummary } from './bank-holidays.ts';
import { isIsoDate } from './iso-date.ts';
import { DEFAULT_NATION, NATIONS, isNation } from './nations.ts';
import type { Nation } from './nations.ts';
import { addWorkingDays, workingDaysBetween } from './working-days.ts';

export type CommandIo = { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream };

/** Seams for tests; production uses the defaults. */
export type CalendarCommandOptions = {
  loadCalendar?: () => Promise<BankHolidayCalendar>;
  fetch?: FetchLike;
  /** The bank-holiday file `refresh` replaces (default: the shipped resources/bank-holidays.json). */
  file?: string | URL;
};

const WORKING_DAYS_USAGE = `Usage:
  covenant working-days add <date> <n> [--nation <nation>]      the date n working days after <date>
  covenant working-days between <from> <to> [--nation <nation>] working days after <from> up to <to>
Dates are YYYY-MM-DD; the start date is not counted. Nations: ${NATIONS.join(', ')} (default ${DEFAULT_NATION}).`;

const BANK_HOLIDAYS_USAGE = `Usage:
  covenant bank-holidays refresh [--url <url>]   fetch GOV.UK's list, check it, and replace the local copy
Default URL: ${GOV_UK_BANK_HOLIDAYS_URL}`;

class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

type ParsedArgs = { positionals: string[]; options: Map<string, string>; help: boolean };

/**
 * A deliberately small parser: `--name value` or `--name=value` for the options in `known`, `-h`/`--help`,
 * and everything else positional. `node:util` parseArgs would read "-3" as an unknown option, hiding the
 * clearer "n must be 0 or more" message.
 */
function parseArguments(argv: readonly string[], known: readonly string[]): ParsedArgs {
  const positionals: string[] = [];
  const options = new Map<string, string>();
  let help = false;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    if (arg === '-h' || arg === '--help') {
      help = true;
    } else if (arg.startsWith('--')) {
      const [name = '', inline] = arg.slice(2).split(/=(.*)/s, 2);
      if (!known.includes(name)) throw new UsageError(`Unknown option --${name}`);
      const value = inline ?? argv[i + 1];
      if (value === undefined || (inline === undefined && value.startsWith('--'))) {
        throw new UsageError(`--${name} needs a value`);
      }
      if (inline === undefined) i += 1;
      options.set(name, value);
    } else {
      positionals.push(arg);
    }
  }
  return { positionals, options, help };
}

function parseDateArgument(value: string, label: string): string {
  if (!isIsoDate(value)) {
    throw new UsageError(
      `${label} "${value}" is not a valid date: use YYYY-MM-DD with a real day, e.g. 2025-12-19`,
    );
  }
  return value;
}

function parseNationOption(options: Map<string, string>): Nation {
  const value = options.get('nation') ?? DEFAULT_NATION;
  if (!isNation(value)) throw new UsageError(`Unknown nation "${value}": use one of ${NATIONS.join(', ')}`);
  return value;
}

function parseCount(value: string): number {
  if (!/^-?\d+$/.test(value)) throw new UsageError(`n "${value}" is not a whole number of working days`);
  const n = Number(value);
  if (n < 0) throw new UsageError(`n must be 0 or more, not ${value}: the calculator only counts forwards`);
  if (!Number.isSafeInteger(n)) throw new UsageError(`n "${value}" is too large`);
  return n;
}

function expectPositionals(positionals: string[], count: number, what: string): void {
  if (positionals.length < count) throw new UsageError(`${what}: missing arguments`);
  if (positionals.length > count) {
    throw new UsageError(`${what}: unexpected argument "${positionals[count] ?? ''}"`);
  }
}

function fail(io: CommandIo, error: unknown, usage: string): number {
  if (error instanceof UsageError) {
    io.stderr.write(`${error.message}\n\n${usage}\n`);
    return 2;
  }
  io.stderr.write(`Error: ${error instanceof Error ? error.message : String(error)}\n`);
  return 1;
}

/** `covenant working-days add|between …`: prints one line, the date or the count. */
export async function runWorkingDaysCommand(
  argv: string[],
  io: CommandIo,
  options: CalendarCommandOptions = {},
): Promise<number> {
  try {
    const { positionals, options: flags, help } = parseArguments(argv, ['nation']);
    if (help) {
      io.stdout.write(`${WORKING_DAYS_USAGE}\n`);
      return 0;
    }
    const [subcommand, ...rest] = positionals;
    if (subcommand !== 'add' && subcommand !== 'between') {
      throw new UsageError(subcommand ? `Unknown working-days command "${subcommand}"` : 'Missing command');
    }
    const nation = parseNationOption(flags);
    if (subcommand === 'add') {
      expectPositionals(rest, 2, 'working-days add <date> <n>');
      const start = parseDateArgument(rest[0] ?? '', 'Date');
      const n = parseCount(rest[1] ?? '');
      const calendar = await (options.loadCalendar ?? loadBankHolidays)();
      io.stdout.write(`${addWorkingDays(calendar, nation, start, n)}\n`);
    } else {
      expectPositionals(rest, 2, 'working-days between <from> <to>');
      const from = parseDateArgument(rest[0] ?? '', 'From date');
      const to = parseDateArgument(rest[1] ?? '', 'To date');
      const calendar = await (options.loadCalendar ?? loadBankHolidays)();
      io.stdout.write(`${workingDaysBetween(calendar, nation, from, to)}\n`);
    }
    return 0;
  } catch (error) {
    if (error instanceof DateBeyondKnownHolidaysError) {
      io.stderr.write(`Error: ${error.message}\n`);
      return 1;
    }
    return fail(io, error, WORKING_DAYS_USAGE);
  }
}

function describeRefresh(summary: RefreshSummary): string {
  const lines = [`Refreshed ${summary.file} from ${summary.url} (${summary.totalEvents} bank holidays).`];
  if (summary.previous !== 'valid')
    lines.push(`The previous file was ${summary.previous}; it has been replaced.`);
  for (const nation of NATIONS) {
    const n = summary.nations[nation];
    lines.push(
      `${nation}: ${n.firstYear}–${n.lastYear}, ${n.events} bank holidays, ` +
        `${n.added.length} added, ${n.removed.length} removed`,
    );
    if (n.added.length > 0) lines.push(`  added: ${n.added.join(', ')}`);
    if (n.removed.length > 0) lines.push(`  removed: ${n.removed.join(', ')}`);
    if (n.keptYears.length > 0) lines.push(`  kept from the previous file: ${n.keptYears.join(', ')}`);
  }
  return lines.join('\n');
}

/** `covenant bank-holidays refresh [--url U]`: prints a summary; on failure the file is left untouched. */
export async function runBankHolidaysCommand(
  argv: string[],
  io: CommandIo,
  options: CalendarCommandOptions = {},
): Promise<number> {
  try {
    const { positionals, options: flags, help } = parseArguments(argv, ['url']);
    if (help) {
      io.stdout.write(`${BANK_HOLIDAYS_USAGE}\n`);
      return 0;
    }
    const [subcommand, ...rest] = positionals;
    if (subcommand !== 'refresh') {
      throw new UsageError(subcommand ? `Unknown bank-holidays command "${subcommand}"` : 'Missing command');
    }
    expectPositionals(rest, 0, 'bank-holidays refresh');
    const url = flags.get('url') ?? GOV_UK_BANK_HOLIDAYS_URL;
    if (!URL.canParse(url)) throw new UsageError(`--url "${url}" is not a valid URL`);
    const summary = await refreshBankHolidays({
      fetch: options.fetch ?? globalThis.fetch,
      url,
      file: options.file,
    });
    io.stdout.write(`${describeRefresh(summary)}\n`);
    return 0;
  } catch (error) {
    return fail(io, error, BANK_HOLIDAYS_USAGE);
  }
}
