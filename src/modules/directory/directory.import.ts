/**
 * Importing civil society organisations from CSV, with a dry run.
 *
 * The same plan serves the dry run and the import: every row is checked (identifiers, codes, sizes,
 * duplicates within the file and against the database) before anything is written, and the import refuses
 * a file with any row error, then writes everything in one transaction, so a file is imported whole or not
 * at all. Rows are matched to existing organisations by org-id (or, for a group with no registered number,
 * by name and local authority), so importing the same file twice creates nothing the second time.
 */
import { randomUUID } from 'node:crypto';
import { CsvError, decodeCsvBytes, readCsvTable } from '../analysis/core/csv.ts';
import {
  charityRegisters,
  parseCharityNumber,
  parseCompanyNumber,
  type CharityRegister,
  type OrgIdentifier,
} from './directory.identifiers.ts';
import type {
  DirectoryRepository,
  NewIdentifier,
  NewOrganisation,
  OrganisationRow,
} from './directory.repository.ts';
import { uniqueSlug } from './directory.reference.ts';
import {
  areasOfWork,
  englishRegions,
  incomeBands,
  isOneOf,
  nations,
  type Nation,
} from './directory.taxonomy.ts';

export const csoColumns = [
  'name',
  'charity_number',
  'register',
  'company_number',
  'income_band',
  'nation',
  'region',
  'local_authority_gss',
  'areas_of_work',
] as const;

/** Limits that keep one bad cell from filling the database or a page. */
export const importLimits = { maxRows: 200_000, maxNameLength: 250, maxFieldLength: 100, maxAreas: 10 };

/** A problem with one row: `key` is a catalogue key under `directory.import.rowErrors`. */
export interface RowError {
  /** Data row number (1 = the first row after the header). */
  row: number;
  /** Line in the file where the row starts (quoted line breaks make these differ). */
  line: number;
  field: string;
  key: string;
  params?: Record<string, string | number>;
}

export interface PlannedRow {
  row: number;
  action: 'new' | 'updated' | 'unchanged';
  organisationId: string;
  values: Omit<NewOrganisation, 'id' | 'slug' | 'kind'>;
  identifiers: OrgIdentifier[];
}

export interface ImportPlan {
  rows: number;
  errors: RowError[];
  planned: PlannedRow[];
  counts: { new: number; updated: number; unchanged: number };
}

/** A file-level problem (encoding, columns, structure): one clear sentence, nothing imported. */
export class ImportFileError extends Error {
  override name = 'ImportFileError';
}

const registerAliases: Record<string, CharityRegister> = {
  'england-wales': 'england-wales',
  'england and wales': 'england-wales',
  ccew: 'england-wales',
  scotland: 'scotland',
  oscr: 'scotland',
  'northern-ireland': 'northern-ireland',
  'northern ireland': 'northern-ireland',
  ccni: 'northern-ireland',
};

function normaliseNation(value: string): string {
  return value.trim().toLowerCase().replace(/\s+/g, '-');
}

/**
 * Control characters other than tab and line breaks: never meant in a name or a code, and PostgreSQL cannot
 * store a NUL at all, so such a file would pass the dry run and then fail when written.
 */
// eslint-disable-next-line no-control-regex
const controlCharacters = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

const regionByLower = new Map(englishRegions.map((r) => [r.toLowerCase(), r as string]));

/** Decodes and parses the file, or throws ImportFileError naming the expected columns. */
export function readCsoFile(bytes: Uint8Array): { records: Record<string, string>[]; lines: number[] } {
  try {
    const text = decodeCsvBytes(bytes);
    const table = readCsvTable(text, { required: csoColumns, fileLabel: 'The file' });
    const unknown = table.header.filter((h) => !(csoColumns as readonly string[]).includes(h.toLowerCase()));
    if (unknown.length > 0)
      throw new ImportFileError(
        `The file has columns this import does not know (${unknown.join(', ')}); expected exactly "${csoColumns.join(',')}".`,
      );
    if (table.records.length > importLimits.maxRows)
      throw new ImportFileError(
        `The file has ${table.records.length} rows; import at most ${importLimits.maxRows} at a time.`,
      );
    return { records: table.records, lines: table.lines };
  } catch (error) {
    if (error instanceof CsvError) throw new ImportFileError(error.message);
    throw error;
  }
}

function sameValues(existing: OrganisationRow, values: PlannedRow['values']): boolean {
  return (
    existing.name === values.name &&
    (existing.incomeBand ?? null) === (values.incomeBand ?? null) &&
    (existing.nation ?? null) === (values.nation ?? null) &&
    (existing.region ?? null) === (values.region ?? null) &&
    (existing.localAuthorityGss ?? null) === (values.localAuthorityGss ?? null) &&
    [...existing.areasOfWork].sort().join(';') === [...(values.areasOfWork ?? [])].sort().join(';')
  );
}

/** Checks every row and works out what importing would do; writes nothing. */
export async function planCsoImport(repo: DirectoryRepository, bytes: Uint8Array): Promise<ImportPlan> {
  const { records, lines } = readCsoFile(bytes);
  const errors: RowError[] = [];
  const localAuthorities = await repo.localAuthorities();
  type Parsed = { row: number; values: PlannedRow['values']; identifiers: OrgIdentifier[]; matchKey: string };
  const parsed: Parsed[] = [];
  const seenOrgIds = new Map<string, number>();
  const seenNames = new Map<string, number>();

  records.forEach((record, index) => {
    const row = index + 1;
    const line = lines[index] ?? row + 1;
    const before = errors.length;
    const fail = (field: string, key: string, params?: RowError['params']) =>
      errors.push({ row, line, field, key, params });
    const get = (column: string) => (record[column] ?? '').trim();

    for (const column of csoColumns) {
      const limit =
        column === 'name'
          ? importLimits.maxNameLength
          : column === 'areas_of_work'
            ? 500
            : importLimits.maxFieldLength;
      if (get(column).length > limit) fail(column, 'tooLong', { max: limit });
      else if (controlCharacters.test(get(column))) fail(column, 'controlCharacter');
    }
    if (errors.length > before) return;

    const name = get('name').replace(/\s+/g, ' ');
    if (!name) fail('name', 'nameMissing');

    const identifiers: OrgIdentifier[] = [];
    // The same number twice in a row ("1089464;1089464", or "NIC100123;100123" for Northern Ireland) is one
    // identifier: keeping both would break the one-row-per-org-id rule when the import is written.
    const addIdentifier = (identifier: OrgIdentifier) => {
      if (!identifiers.some((i) => i.orgId === identifier.orgId)) identifiers.push(identifier);
    };
    const registerText = get('register').toLowerCase();
    let register: CharityRegister | null = null;
    if (registerText) {
      register = registerAliases[registerText] ?? null;
      if (!register) fail('register', 'registerUnknown', { allowed: charityRegisters.join(', ') });
    }
    const charityNumbers = get('charity_number')
      .split(';')
      .map((s) => s.trim())
      .filter(Boolean);
    if (register && charityNumbers.length === 0) fail('charity_number', 'charityMissing');
    for (const number of charityNumbers) {
      const result = parseCharityNumber(number, register);
      if (result.ok) addIdentifier(result.identifier);
      else fail('charity_number', `identifier.${result.problem}`, { value: number });
    }
    if (get('company_number')) {
      const result = parseCompanyNumber(get('company_number'));
      if (result.ok) addIdentifier(result.identifier);
      else fail('company_number', `identifier.${result.problem}`, { value: get('company_number') });
    }

    const incomeBand = get('income_band')
      .toLowerCase()
      .replace(/[\s-]+/g, '_');
    if (incomeBand && !isOneOf(incomeBands, incomeBand))
      fail('income_band', 'incomeBandUnknown', { allowed: incomeBands.join(', ') });

    const gss = get('local_authority_gss').toUpperCase();
    const la = gss ? localAuthorities.get(gss) : undefined;
    if (gss && !la) fail('local_authority_gss', 'localAuthorityUnknown', { value: gss });

    const nationText = normaliseNation(get('nation'));
    let nation: Nation | null = null;
    if (nationText) {
      if (isOneOf(nations, nationText)) nation = nationText;
      else fail('nation', 'nationUnknown', { allowed: nations.join(', ') });
    }
    if (la?.nation && nation && nation !== la.nation && nation !== 'uk')
      fail('nation', 'nationMismatch', { value: gss });
    nation ??= (la?.nation as Nation | null | undefined) ?? null;

    const regionText = get('region');
    let region: string | null = null;
    if (regionText) {
      region = regionByLower.get(regionText.toLowerCase()) ?? null;
      if (!region) fail('region', 'regionUnknown');
    }
    region ??= la?.region ?? null;

    const areas = [
      ...new Set(
        get('areas_of_work')
          .split(';')
          .map((s) => s.trim().toLowerCase())
          .filter(Boolean),
      ),
    ];
    if (areas.length > importLimits.maxAreas)
      fail('areas_of_work', 'tooManyAreas', { max: importLimits.maxAreas });
    for (const area of areas)
      if (!isOneOf(areasOfWork, area)) fail('areas_of_work', 'areaUnknown', { value: area });

    // Duplicates within the file: the same org-id, or (with no registered number) the same name and area.
    for (const identifier of identifiers) {
      const first = seenOrgIds.get(identifier.orgId);
      if (first !== undefined) fail('charity_number', 'duplicateInFile', { value: identifier.orgId, first });
    }
    const matchKey = `${name.toLowerCase()}|${gss}`;
    if (identifiers.length === 0 && name) {
      const first = seenNames.get(matchKey);
      if (first !== undefined) fail('name', 'duplicateNameInFile', { first });
    }
    if (errors.length > before) return;
    for (const identifier of identifiers) seenOrgIds.set(identifier.orgId, row);
    if (identifiers.length === 0) seenNames.set(matchKey, row);
    parsed.push({
      row,
      identifiers,
      matchKey,
      values: {
        name,
        incomeBand: incomeBand ? (incomeBand as PlannedRow['values']['incomeBand']) : null,
        nation,
        region,
        localAuthorityGss: gss || null,
        areasOfWork: areas,
      },
    });
  });

  // Against the database: which organisation already holds each org-id.
  const owners = await repo.ownersOfOrgIds(parsed.flatMap((p) => p.identifiers.map((i) => i.orgId)));
  const unnamed = await repo.csosWithoutIdentifiers();
  const matchedIds = new Set<string>([...owners.values(), ...unnamed.values()]);
  const existing = new Map((await repo.organisationsByIds([...matchedIds])).map((o) => [o.id, o]));
  const planned: PlannedRow[] = [];
  const counts = { new: 0, updated: 0, unchanged: 0 };
  // Two rows with different numbers can still be one organisation already in the directory (its charity
  // number on one row, its company number on the other): the second would silently overwrite the first.
  const rowOfOwner = new Map<string, number>();
  for (const p of parsed) {
    const line = lines[p.row - 1] ?? p.row + 1;
    const ownerIds = [
      ...new Set(p.identifiers.map((i) => owners.get(i.orgId)).filter((id): id is string => !!id)),
    ];
    if (ownerIds.length > 1) {
      errors.push({ row: p.row, line, field: 'charity_number', key: 'identifiersSplit' });
      continue;
    }
    const ownerId = ownerIds[0] ?? (p.identifiers.length === 0 ? unnamed.get(p.matchKey) : undefined);
    const owner = ownerId ? existing.get(ownerId) : undefined;
    const first = ownerId ? rowOfOwner.get(ownerId) : undefined;
    if (owner && first !== undefined) {
      const matched = p.identifiers.find((i) => owners.get(i.orgId) === ownerId);
      errors.push({
        row: p.row,
        line,
        field: matched?.scheme === 'GB-COH' ? 'company_number' : 'charity_number',
        key: 'sameOrganisationInFile',
        params: { name: owner.name, first },
      });
      continue;
    }
    if (ownerId) rowOfOwner.set(ownerId, p.row);
    if (owner && owner.kind !== 'cso') {
      errors.push({
        row: p.row,
        line,
        field: 'charity_number',
        key: 'identifierNotCso',
        params: { name: owner.name },
      });
      continue;
    }
    if (!owner) {
      planned.push({
        row: p.row,
        action: 'new',
        organisationId: randomUUID(),
        values: p.values,
        identifiers: p.identifiers,
      });
      counts.new++;
      continue;
    }
    const newIdentifiers = p.identifiers.filter((i) => !owners.has(i.orgId));
    const action = sameValues(owner, p.values) && newIdentifiers.length === 0 ? 'unchanged' : 'updated';
    counts[action]++;
    planned.push({
      row: p.row,
      action,
      organisationId: owner.id,
      values: p.values,
      identifiers: newIdentifiers,
    });
  }
  errors.sort((a, b) => a.row - b.row);
  return { rows: records.length, errors, planned, counts };
}

/** Writes a plan with no errors. Call inside a transaction (the service does), so it is all or nothing. */
export async function applyCsoImport(repo: DirectoryRepository, plan: ImportPlan, now: Date): Promise<void> {
  if (plan.errors.length > 0) throw new Error('An import with row errors is never applied');
  const taken = await repo.allSlugs();
  const inserts: NewOrganisation[] = [];
  const identifiers: NewIdentifier[] = [];
  for (const p of plan.planned) {
    if (p.action === 'new') {
      const suffix = p.identifiers[0]?.value ?? p.values.localAuthorityGss ?? undefined;
      inserts.push({
        ...p.values,
        id: p.organisationId,
        kind: 'cso',
        source: 'import',
        slug: uniqueSlug(p.values.name, taken, suffix),
      });
    } else if (p.action === 'updated') {
      await repo.updateOrganisation(p.organisationId, { ...p.values, updatedAt: now });
    }
    for (const i of p.identifiers)
      identifiers.push({
        organisationId: p.organisationId,
        scheme: i.scheme,
        value: i.value,
        orgId: i.orgId,
      });
  }
  await repo.insertOrganisations(inserts);
  await repo.insertIdentifiers(identifiers);
}
