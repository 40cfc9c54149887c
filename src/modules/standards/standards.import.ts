/**
 * Reading imported files into records (no database, no clock): consultations from a CSV or from GOV.UK
 * consultation content items (publishing-api `consultation` format: `details.opening_date`,
 * `details.closing_date`, `details.final_outcome_publication_date`), and funding agreements from the
 * 360Giving data standard, as a CSV with its column titles or as its JSON (`{ "grants": [...] }`).
 *
 * Each row becomes a record validated by the same schema as the form, or a row error naming the line (CSV) or
 * the item number (JSON). A file that cannot be read at all throws ImportFileError with a catalogue key.
 */
import { decodeCsvBytes, CsvError, parseCsv } from '../analysis/core/csv.ts';
import {
  addCalendarDays,
  addCalendarMonths,
  isIsoDate,
  toUkIsoDate,
} from '../../platform/calendar/iso-date.ts';
import type { RecordSource } from './standards.tables.ts';
import {
  AgreementRecord,
  ConsultationRecord,
  parseAmountToPence,
  type AgreementInput,
  type ConsultationInput,
  type ImportKind,
} from './standards.schema.ts';

export const MAX_IMPORT_BYTES = 256 * 1024;
export const MAX_IMPORT_ROWS = 1000;

export class ImportFileError extends Error {
  readonly key: string;
  readonly params: Record<string, string | number>;
  constructor(key: string, params: Record<string, string | number> = {}) {
    super(key);
    this.name = 'ImportFileError';
    this.key = key;
    this.params = params;
  }
}

/** A problem with one row; `line` is the CSV line, or the item's number in a JSON file. */
export interface RowError {
  line: number;
  key: string;
  params?: Record<string, string | number>;
}

export interface ImportedRow<T> {
  line: number;
  /** The identifier re-imports match on (GOV.UK base path, 360Giving Identifier, a CSV id or URL). */
  externalId: string;
  record: T;
  /**
   * Fields the file did not give (360Giving has no overheads or payment columns): a new record takes the
   * default, an existing one keeps what was recorded before.
   */
  unstated: string[];
}

export interface ParsedImport<T> {
  format: 'csv' | 'json';
  source: RecordSource;
  rows: ImportedRow<T>[];
  errors: RowError[];
}

const E = 'standards.import.errors';

/**
 * A date as files write it: `YYYY-MM-DD`, `DD/MM/YYYY`, or a full timestamp (GOV.UK and 360Giving write
 * `2026-01-05T09:30:00.000+00:00`), which is read as the UK calendar date of that instant.
 * Returns '' for an empty cell and 'invalid' for anything else, as the schemas expect.
 */
export function readDate(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = String(value).trim();
  if (!text) return '';
  if (isIsoDate(text)) return text;
  const uk = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text);
  if (uk) {
    const iso = `${uk[3]}-${uk[2]!.padStart(2, '0')}-${uk[1]!.padStart(2, '0')}`;
    return isIsoDate(iso) ? iso : 'invalid';
  }
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(text)) {
    const instant = new Date(text);
    if (!Number.isNaN(instant.getTime())) return toUkIsoDate(instant);
  }
  return 'invalid';
}

/** Yes/no cells in our extra columns: yes, y, true, 1 / no, n, false, 0; empty is "not said". */
function readYesNo(value: string): boolean | null | 'invalid' {
  const v = value.trim().toLowerCase();
  if (!v) return null;
  if (['yes', 'y', 'true', '1'].includes(v)) return true;
  if (['no', 'n', 'false', '0'].includes(v)) return false;
  return 'invalid';
}

const normalise = (header: string) =>
  header
    .trim()
    .toLowerCase()
    .replace(/[\s_:()-]+/g, ' ')
    .trim();

function decode(bytes: Uint8Array): string {
  if (bytes.length === 0) throw new ImportFileError(`${E}.empty`);
  if (bytes.length > MAX_IMPORT_BYTES) throw new ImportFileError(`${E}.tooBig`);
  try {
    return decodeCsvBytes(bytes);
  } catch (error) {
    if (error instanceof CsvError) throw new ImportFileError(`${E}.encoding`);
    throw error;
  }
}

/** Rows of a CSV keyed by normalised header, with their first line numbers. */
function readTable(text: string): {
  header: string[];
  rows: { line: number; cell: (name: string) => string }[];
} {
  let parsed: string[][];
  try {
    parsed = parseCsv(text);
  } catch (error) {
    if (error instanceof CsvError) throw new ImportFileError(`${E}.unreadable`);
    throw error;
  }
  let line = 1;
  const withLines = parsed.map((fields) => {
    const entry = { fields, line };
    line += 1 + fields.reduce((n, f) => n + (f.match(/\r\n|\r|\n/g)?.length ?? 0), 0);
    return entry;
  });
  const nonBlank = withLines.filter((r) => r.fields.some((f) => f.trim() !== ''));
  const header = (nonBlank[0]?.fields ?? []).map(normalise);
  const rows = nonBlank.slice(1).map((r) => ({
    line: r.line,
    cell: (name: string) => {
      const index = header.indexOf(normalise(name));
      return index < 0 ? '' : (r.fields[index] ?? '').trim();
    },
  }));
  if (rows.length > MAX_IMPORT_ROWS) throw new ImportFileError(`${E}.tooManyRows`, { max: MAX_IMPORT_ROWS });
  return { header, rows };
}

function readJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new ImportFileError(`${E}.badJson`);
  }
}

const isJson = (text: string) => /^\s*[[{]/.test(text);

/** The first of the names that appears in the header (files name columns in different ways). */
const pick = (header: string[], ...names: string[]) => names.find((n) => header.includes(normalise(n)));

/** Zod issues → row errors (the first per field, in field order). */
function issuesToErrors(line: number, issues: { message: string; path: PropertyKey[] }[]): RowError[] {
  const seen = new Set<string>();
  const out: RowError[] = [];
  for (const issue of issues) {
    const field = String(issue.path[0] ?? '');
    if (seen.has(field)) continue;
    seen.add(field);
    out.push({ line, key: issue.message });
  }
  return out;
}

function pushValidated<T>(
  result: ParsedImport<T>,
  line: number,
  externalId: string,
  parsed:
    | { success: true; data: T }
    | { success: false; error: { issues: { message: string; path: PropertyKey[] }[] } },
  seen: Map<string, number>,
  unstated: string[] = [],
) {
  if (!parsed.success) {
    result.errors.push(...issuesToErrors(line, parsed.error.issues));
    return;
  }
  const first = seen.get(externalId);
  if (first !== undefined) {
    result.errors.push({ line, key: `${E}.duplicate`, params: { first } });
    return;
  }
  seen.set(externalId, line);
  result.rows.push({ line, externalId, record: parsed.data, unstated });
}

// ── Consultations ─────────────────────────────────────────────────────────────────────────────────────

/** A stand-in identifier for rows with neither an id nor a URL, so re-importing the same row updates it. */
const consultationKey = (title: string, opensOn: string, closesOn: string) =>
  `title:${title.trim().toLowerCase().replace(/\s+/g, ' ')}|${opensOn}|${closesOn}`;

function consultationsFromCsv(text: string): ParsedImport<ConsultationInput> {
  const { header, rows } = readTable(text);
  const opens = pick(header, 'opens_on', 'opening_date', 'open', 'opening date', 'opens');
  const closes = pick(header, 'closes_on', 'closing_date', 'close', 'closing date', 'closes');
  if (!header.includes('title') || !opens || !closes) throw new ImportFileError(`${E}.consultationHeader`);
  const response = pick(
    header,
    'response_published_on',
    'response_date',
    'final_outcome_publication_date',
    'response',
  );
  const result: ParsedImport<ConsultationInput> = { format: 'csv', source: 'csv', rows: [], errors: [] };
  if (rows.length === 0) throw new ImportFileError(`${E}.noRows`);
  const seen = new Map<string, number>();
  for (const row of rows) {
    const values = {
      title: row.cell('title'),
      url: row.cell('url') || row.cell('web_url') || null,
      opensOn: readDate(row.cell(opens)),
      closesOn: readDate(row.cell(closes)),
      responsePublishedOn: response ? readDate(row.cell(response)) || null : null,
      shortReason: row.cell('short_reason') || row.cell('reason') || null,
      lateResponseReason: row.cell('late_response_reason') || null,
    };
    const externalId =
      row.cell('id') || values.url || consultationKey(values.title, values.opensOn, values.closesOn);
    pushValidated(result, row.line, externalId, ConsultationRecord.safeParse(values), seen);
  }
  return result;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown) =>
  typeof v === 'string' ? v.trim() : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '';

/** A single content item, an array of them, or search results (`results`). */
function govukItems(data: unknown): unknown[] {
  if (Array.isArray(data)) return data;
  if (isObject(data) && Array.isArray(data.results)) return data.results;
  if (isObject(data) && (isObject(data.details) || 'title' in data)) return [data];
  throw new ImportFileError(`${E}.govukShape`);
}

function consultationsFromGovuk(text: string): ParsedImport<ConsultationInput> {
  const items = govukItems(readJson(text));
  if (items.length === 0) throw new ImportFileError(`${E}.noRows`);
  if (items.length > MAX_IMPORT_ROWS) throw new ImportFileError(`${E}.tooManyRows`, { max: MAX_IMPORT_ROWS });
  const result: ParsedImport<ConsultationInput> = {
    format: 'json',
    source: 'govuk_json',
    rows: [],
    errors: [],
  };
  const seen = new Map<string, number>();
  items.forEach((item, index) => {
    const line = index + 1;
    if (!isObject(item)) {
      result.errors.push({ line, key: `${E}.notAnItem` });
      return;
    }
    const details = isObject(item.details) ? item.details : {};
    // Search results put the dates at the top level; content items put them in details.
    const field = (name: string) => details[name] ?? item[name];
    const basePath = str(item.base_path) || str(item.link);
    const url = str(item.web_url) || (basePath.startsWith('/') ? `https://www.gov.uk${basePath}` : basePath);
    const values = {
      title: str(item.title),
      url: url || null,
      opensOn: readDate(field('opening_date')),
      closesOn: readDate(field('closing_date')),
      responsePublishedOn: readDate(field('final_outcome_publication_date')) || null,
      shortReason: null,
      lateResponseReason: null,
    };
    const externalId =
      basePath || str(item.content_id) || consultationKey(values.title, values.opensOn, values.closesOn);
    pushValidated(result, line, externalId, ConsultationRecord.safeParse(values), seen);
  });
  return result;
}

// ── Funding agreements (360Giving) ────────────────────────────────────────────────────────────────────

export interface GrantFacts {
  identifier: string;
  title: string;
  amount: string;
  currency: string;
  awardDate: string;
  startDate: string;
  endDate: string;
  durationMonths: string;
  recipientName: string;
  recipientIdentifier: string;
  funderName: string;
  funderIdentifier: string;
  /** Our additional columns (360Giving allows extra fields); empty means "not said". */
  overheadsAllowed: string;
  paymentTiming: string;
  multiYearPossible: string;
  advanceNeeded: string;
}

/**
 * Checks that the grant was made by this body: a file naming another funder would put its grants (and its
 * findings) on the wrong body.
 */
function funderMatches(grant: GrantFacts, body: { name: string; slug: string }) {
  if (!grant.funderName && !grant.funderIdentifier) return true;
  const simple = (v: string) =>
    v
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, ' ')
      .trim();
  return [grant.funderName, grant.funderIdentifier].some(
    (v) => v && (simple(v) === simple(body.name) || simple(v) === simple(body.slug)),
  );
}

function grantToRecord(
  grant: GrantFacts,
  line: number,
  body: { name: string; slug: string },
  result: ParsedImport<AgreementInput>,
  seen: Map<string, number>,
) {
  const fail = (key: string, params?: Record<string, string | number>) =>
    result.errors.push({ line, key: `${E}.${key}`, params });
  if (!grant.identifier) return fail('identifierMissing');
  if (!funderMatches(grant, body)) return fail('otherFunder', { funder: grant.funderName.slice(0, 100) });
  if (grant.currency && grant.currency.toUpperCase() !== 'GBP')
    return fail('currency', { currency: grant.currency.slice(0, 10) });
  const amountPence = grant.amount ? parseAmountToPence(grant.amount) : null;
  if (!grant.amount) return fail('amountMissing');
  if (amountPence === null) return fail('amountInvalid', { value: grant.amount.slice(0, 30) });
  const startsOn = readDate(grant.startDate) || readDate(grant.awardDate);
  let endsOn = readDate(grant.endDate);
  // 360Giving may give a duration instead of an end date: the term ends the day before it would restart.
  if (!endsOn && startsOn && startsOn !== 'invalid' && /^\d{1,3}$/.test(grant.durationMonths))
    endsOn = addCalendarDays(addCalendarMonths(startsOn, Number(grant.durationMonths)), -1);
  const flags = {
    overheadsAllowed: readYesNo(grant.overheadsAllowed),
    multiYearPossible: readYesNo(grant.multiYearPossible),
    advanceNeeded: readYesNo(grant.advanceNeeded),
  };
  for (const [name, value] of Object.entries(flags))
    if (value === 'invalid') return fail('yesNo', { column: name });
  const timing = grant.paymentTiming.trim().toLowerCase();
  if (timing && timing !== 'advance' && timing !== 'arrears') return fail('paymentTiming');
  const values = {
    title: grant.title || grant.identifier,
    recipientName: grant.recipientName,
    recipientIdentifier: grant.recipientIdentifier || null,
    amountPence,
    startsOn,
    endsOn,
    // What the file does not say never becomes a finding: overheads allowed, advance payment, no need stated.
    overheadsAllowed: flags.overheadsAllowed ?? true,
    multiYearPossible: flags.multiYearPossible ?? false,
    advanceNeeded: flags.advanceNeeded ?? false,
    paymentTiming: (timing || 'advance') as 'advance' | 'arrears',
  };
  const unstated = [
    ...Object.entries(flags)
      .filter(([, value]) => value === null)
      .map(([name]) => name),
    ...(timing ? [] : ['paymentTiming']),
  ];
  pushValidated(result, line, grant.identifier, AgreementRecord.safeParse(values), seen, unstated);
}

function fundingFromCsv(text: string, body: { name: string; slug: string }): ParsedImport<AgreementInput> {
  const { header, rows } = readTable(text);
  const required = ['Identifier', 'Amount Awarded', 'Recipient Org:Name'];
  if (!required.every((r) => header.includes(normalise(r)))) throw new ImportFileError(`${E}.fundingHeader`);
  if (rows.length === 0) throw new ImportFileError(`${E}.noRows`);
  const result: ParsedImport<AgreementInput> = { format: 'csv', source: '360giving', rows: [], errors: [] };
  const seen = new Map<string, number>();
  for (const row of rows)
    grantToRecord(
      {
        identifier: row.cell('Identifier'),
        title: row.cell('Title'),
        amount: row.cell('Amount Awarded'),
        currency: row.cell('Currency'),
        awardDate: row.cell('Award Date'),
        startDate: row.cell('Planned Dates:Start Date'),
        endDate: row.cell('Planned Dates:End Date'),
        durationMonths: row.cell('Planned Dates:Duration (months)'),
        recipientName: row.cell('Recipient Org:Name'),
        recipientIdentifier: row.cell('Recipient Org:Identifier'),
        funderName: row.cell('Funding Org:Name'),
        funderIdentifier: row.cell('Funding Org:Identifier'),
        overheadsAllowed: row.cell('Overheads Allowed'),
        paymentTiming: row.cell('Payment Timing'),
        multiYearPossible: row.cell('Multi-year Possible'),
        advanceNeeded: row.cell('Advance Needed'),
      },
      row.line,
      body,
      result,
      seen,
    );
  return result;
}

function fundingFromJson(text: string, body: { name: string; slug: string }): ParsedImport<AgreementInput> {
  const data = readJson(text);
  const grants = Array.isArray(data)
    ? data
    : isObject(data) && Array.isArray(data.grants)
      ? data.grants
      : null;
  if (!grants) throw new ImportFileError(`${E}.grantsShape`);
  if (grants.length === 0) throw new ImportFileError(`${E}.noRows`);
  if (grants.length > MAX_IMPORT_ROWS)
    throw new ImportFileError(`${E}.tooManyRows`, { max: MAX_IMPORT_ROWS });
  const result: ParsedImport<AgreementInput> = { format: 'json', source: '360giving', rows: [], errors: [] };
  const seen = new Map<string, number>();
  const first = (v: unknown): Json => (Array.isArray(v) && isObject(v[0]) ? v[0] : isObject(v) ? v : {});
  grants.forEach((grant, index) => {
    const line = index + 1;
    if (!isObject(grant)) {
      result.errors.push({ line, key: `${E}.notAnItem` });
      return;
    }
    const planned = first(grant.plannedDates);
    const recipient = first(grant.recipientOrganization);
    const funder = first(grant.fundingOrganization);
    grantToRecord(
      {
        identifier: str(grant.id),
        title: str(grant.title),
        amount: str(grant.amountAwarded),
        currency: str(grant.currency),
        awardDate: str(grant.awardDate),
        startDate: str(planned.startDate),
        endDate: str(planned.endDate),
        durationMonths: str(planned.duration),
        recipientName: str(recipient.name),
        recipientIdentifier: str(recipient.id),
        funderName: str(funder.name),
        funderIdentifier: str(funder.id),
        overheadsAllowed: str(grant.overheadsAllowed),
        paymentTiming: str(grant.paymentTiming),
        multiYearPossible: str(grant.multiYearPossible),
        advanceNeeded: str(grant.advanceNeeded),
      },
      line,
      body,
      result,
      seen,
    );
  });
  return result;
}

/** Reads an uploaded (or confirmed) file of `kind`; JSON or CSV is told from the content. */
export function readImportFile(
  kind: ImportKind,
  text: string,
  body: { name: string; slug: string },
): ParsedImport<ConsultationInput> | ParsedImport<AgreementInput> {
  if (text.trim() === '') throw new ImportFileError(`${E}.empty`);
  if (kind === 'consultations')
    return isJson(text) ? consultationsFromGovuk(text) : consultationsFromCsv(text);
  return isJson(text) ? fundingFromJson(text, body) : fundingFromCsv(text, body);
}

/** Bytes of an upload as text (UTF-8, BOM dropped), or ImportFileError. */
export function decodeImportBytes(bytes: Uint8Array): string {
  return decode(bytes);
}
