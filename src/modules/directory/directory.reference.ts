/**
 * Reference data: every GOV.UK organisation, every council and combined authority, and a few NHS bodies,
 * loaded into every new database and re-imported idempotently (matched by GOV.UK slug, GSS code or ODS code)
 * when newer files are published. Sources and licences: resources/directory/LICENCE.md.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { CsvError, readCsvTable } from '../analysis/core/csv.ts';
import type { DirectoryRepository, NewOrganisation, OrganisationRow } from './directory.repository.ts';
import type { Nation, PublicBodyType } from './directory.taxonomy.ts';
import { bodyStatuses, isOneOf } from './directory.taxonomy.ts';

export const referenceDir = path.resolve(import.meta.dirname, '../../../resources/directory');
export const govukFile = path.join(referenceDir, 'govuk_organisations.csv');
export const localAuthoritiesFile = path.join(referenceDir, 'local_authorities.csv');

/** Lower-case, hyphenated, ASCII: "Department for Education" → "department-for-education". */
export function slugify(name: string): string {
  return (
    name
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/&/g, ' and ')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 120) || 'organisation'
  );
}

/** A slug not yet in `taken` (and reserves it): the name's slug, then with `suffix`, then numbered. */
export function uniqueSlug(name: string, taken: Set<string>, suffix?: string): string {
  const base = slugify(name);
  const candidates = [base, ...(suffix ? [`${base}-${slugify(suffix)}`] : [])];
  for (let n = 2; ; n++) {
    const candidate = candidates.shift() ?? `${base}-${n}`;
    if (!taken.has(candidate)) {
      taken.add(candidate);
      return candidate;
    }
  }
}

const devolvedNations: Record<string, Nation> = {
  'welsh-government': 'wales',
  'the-scottish-government': 'scotland',
  'northern-ireland-executive': 'northern-ireland',
};

/**
 * Maps GOV.UK's type names onto the SPEC's body types. GOV.UK's own name is kept alongside (govuk_type), so
 * nothing is lost. "Other" and "Sub organisation" cover many kinds of arm's-length body; NI and devolved
 * departments ("Other" under a devolved government) are devolved government.
 */
export function mapGovukType(type: string, name: string, parentSlugs: string[]): PublicBodyType {
  if (/^NHS\b/.test(name) || type === 'Special health authority') return 'nhs_body';
  switch (type) {
    case 'Ministerial department':
    case 'Non-ministerial department':
    case 'Executive office':
      return 'department';
    case 'Executive agency':
      return 'executive_agency';
    case 'Court':
    case 'Tribunal':
      return 'justice_body';
    case 'Devolved government':
      return 'devolved_government';
    default:
      if (/^Department\b/.test(name) && parentSlugs.some((p) => p in devolvedNations))
        return 'devolved_government';
      return 'arms_length_body';
  }
}

/** The administration a GOV.UK body belongs to: a devolved government's nation, otherwise the UK. */
export function govukNation(
  slug: string,
  name: string,
  parentSlugs: string[],
  parentsOf: Map<string, string[]>,
): Nation {
  const seen = new Set<string>();
  const queue = [slug];
  while (queue.length) {
    const current = queue.shift() as string;
    if (seen.has(current)) continue;
    seen.add(current);
    const nation = devolvedNations[current];
    if (nation) return nation;
    queue.push(...(current === slug ? parentSlugs : (parentsOf.get(current) ?? [])));
  }
  if (/\(Northern Ireland\)/.test(name)) return 'northern-ireland';
  return 'uk';
}

const laNation: Record<string, Nation> = {
  England: 'england',
  Wales: 'wales',
  Scotland: 'scotland',
  'Northern Ireland': 'northern-ireland',
};

/**
 * NHS bodies beyond GOV.UK's list. ODS codes entered by hand from memory of the ODS register and marked
 * `source = nhs`; confirm them against https://odsportal.digital.nhs.uk/ before relying on them. NHS England
 * (already a GOV.UK organisation) gets its ODS code attached rather than a second record.
 */
export const nhsBodies: { name: string; ods: string; nation: Nation; region: string; govukSlug?: string }[] =
  [
    { name: 'NHS England', ods: 'X24', nation: 'england', region: '', govukSlug: 'nhs-england' },
    { name: "Guy's and St Thomas' NHS Foundation Trust", ods: 'RJ1', nation: 'england', region: 'London' },
    {
      name: 'Manchester University NHS Foundation Trust',
      ods: 'R0A',
      nation: 'england',
      region: 'North West',
    },
    {
      name: 'Leeds Teaching Hospitals NHS Trust',
      ods: 'RR8',
      nation: 'england',
      region: 'Yorkshire and The Humber',
    },
    {
      name: 'Oxford University Hospitals NHS Foundation Trust',
      ods: 'RTH',
      nation: 'england',
      region: 'South East',
    },
    {
      name: 'University Hospitals Birmingham NHS Foundation Trust',
      ods: 'RRK',
      nation: 'england',
      region: 'West Midlands',
    },
    {
      name: 'Cambridge University Hospitals NHS Foundation Trust',
      ods: 'RGT',
      nation: 'england',
      region: 'East of England',
    },
  ];

type Desired = Omit<NewOrganisation, 'id' | 'slug'> & { key: string; slugHint?: string; slugSuffix?: string };

/**
 * A reference file's rows, keyed by the first required column (slug, gss_code). A file with a header and no
 * rows is refused (it would close every body), and so is one with a row missing its key or name or repeating
 * a key: the whole file, since a re-import matches bodies by that key.
 */
function readReferenceTable(text: string, required: string[], fileLabel: string) {
  const table = readCsvTable(text, { required, fileLabel });
  if (table.records.length === 0)
    throw new CsvError(`${fileLabel} has a header but no rows; expected one row per body.`);
  const keyColumn = required[0] as string;
  const firstLine = new Map<string, number>();
  table.records.forEach((r, i) => {
    const line = table.lines[i] as number;
    const key = (r[keyColumn] ?? '').trim();
    for (const column of [keyColumn, 'name'])
      if (!(r[column] ?? '').trim()) throw new CsvError(`${fileLabel} line ${line} has no ${column}.`, line);
    const first = firstLine.get(key);
    if (first !== undefined)
      throw new CsvError(`${fileLabel} line ${line} repeats ${keyColumn} ${key} from line ${first}.`, line);
    firstLine.set(key, line);
  });
  return table;
}

export function readGovukBodies(text: string): Desired[] {
  const table = readReferenceTable(
    text,
    ['slug', 'name', 'type', 'parent_slugs', 'status'],
    'govuk_organisations.csv',
  );
  const parentsOf = new Map(
    table.records.map((r) => [r.slug as string, (r.parent_slugs ?? '').split(';').filter(Boolean)]),
  );
  return table.records.map((r) => {
    const slug = (r.slug ?? '').trim();
    const name = (r.name ?? '').trim();
    const parentSlugs = parentsOf.get(slug) ?? [];
    const status = (r.status ?? '').trim();
    return {
      key: `govuk:${slug}`,
      slugHint: slug,
      name,
      kind: 'public_body',
      publicBodyType: mapGovukType(r.type ?? '', name, parentSlugs),
      govukType: r.type ?? null,
      govukSlug: slug,
      parentSlugs,
      nation: govukNation(slug, name, parentSlugs, parentsOf),
      status: isOneOf(bodyStatuses, status) ? status : 'live',
      source: 'govuk',
    };
  });
}

export function readLocalAuthorities(text: string): Desired[] {
  const table = readReferenceTable(
    text,
    ['gss_code', 'name', 'type', 'region', 'nation'],
    'local_authorities.csv',
  );
  return table.records.map((r) => {
    const type = (r.type ?? '').trim();
    return {
      key: `gss:${r.gss_code}`,
      name: (r.name ?? '').trim(),
      slugSuffix: r.gss_code,
      kind: 'public_body',
      publicBodyType:
        type === 'combined_authority' || type === 'greater_london_authority'
          ? 'combined_authority'
          : 'local_authority',
      govukType: type,
      gssCode: (r.gss_code ?? '').trim(),
      parentSlugs: [],
      nation: laNation[(r.nation ?? '').trim()] ?? 'uk',
      region: (r.region ?? '').trim() || null,
      status: 'live',
      source: 'ons',
    };
  });
}

function keyOf(row: OrganisationRow): string[] {
  const keys: string[] = [];
  if (row.govukSlug) keys.push(`govuk:${row.govukSlug}`);
  if (row.gssCode) keys.push(`gss:${row.gssCode}`);
  if (row.odsCode) keys.push(`ods:${row.odsCode}`);
  return keys;
}

/** The key of a body that comes from one of the files (GOV.UK's list or the councils'), else null. */
function fileKeyOf(row: OrganisationRow): string | null {
  if (row.source === 'govuk' && row.govukSlug) return `govuk:${row.govukSlug}`;
  if (row.source === 'ons' && row.gssCode) return `gss:${row.gssCode}`;
  return null;
}

const compared = ['name', 'publicBodyType', 'govukType', 'nation', 'region', 'status', 'odsCode'] as const;

function differs(existing: OrganisationRow, desired: Desired): boolean {
  for (const field of compared) {
    if (desired[field] === undefined) continue;
    if ((existing[field] ?? null) !== (desired[field] ?? null)) return true;
  }
  return (existing.parentSlugs ?? []).join(';') !== (desired.parentSlugs ?? []).join(';');
}

export interface ReferenceImportResult {
  inserted: number;
  updated: number;
  unchanged: number;
  /**
   * GOV.UK bodies and councils no longer in their file: marked closed, never deleted (cases, leads and
   * pledges refer to them); they reopen if a later file lists them again.
   */
  closed: number;
}

export interface ReferenceFiles {
  govuk?: string;
  localAuthorities?: string;
}

/**
 * Imports (or re-imports) the reference bodies. Call inside a transaction. Records are matched by GOV.UK slug,
 * GSS code and ODS code; a second run with the same files changes nothing.
 */
export async function importReferenceBodies(
  repo: DirectoryRepository,
  now: Date,
  files: ReferenceFiles = {},
): Promise<ReferenceImportResult> {
  const govuk = readGovukBodies(files.govuk ?? readFileSync(govukFile, 'utf8'));
  const councils = readLocalAuthorities(files.localAuthorities ?? readFileSync(localAuthoritiesFile, 'utf8'));
  const nhs: Desired[] = nhsBodies.map((b) =>
    b.govukSlug
      ? {
          key: `govuk:${b.govukSlug}`,
          name: b.name,
          odsCode: b.ods,
          kind: 'public_body',
          publicBodyType: 'nhs_body',
        }
      : {
          key: `ods:${b.ods}`,
          name: b.name,
          kind: 'public_body',
          publicBodyType: 'nhs_body',
          govukType: 'NHS trust',
          odsCode: b.ods,
          nation: b.nation,
          region: b.region || null,
          parentSlugs: [],
          status: 'live',
          source: 'nhs',
        },
  );
  // NHS entries for GOV.UK bodies only add the ODS code to the GOV.UK record.
  const byKey = new Map<string, Desired>();
  for (const d of [...govuk, ...councils]) byKey.set(d.key, d);
  for (const d of nhs) {
    const existing = byKey.get(d.key);
    if (existing) byKey.set(d.key, { ...existing, odsCode: d.odsCode, publicBodyType: 'nhs_body' });
    else if (d.key.startsWith('ods:')) byKey.set(d.key, d);
  }

  const existingRows = await repo.referenceBodies();
  const existingByKey = new Map<string, OrganisationRow>();
  for (const row of existingRows) for (const k of keyOf(row)) existingByKey.set(k, row);
  const taken = await repo.allSlugs();
  const result: ReferenceImportResult = { inserted: 0, updated: 0, unchanged: 0, closed: 0 };
  const inserts: NewOrganisation[] = [];
  for (const desired of byKey.values()) {
    const { key, slugHint, slugSuffix, ...values } = desired;
    const existing = existingByKey.get(key);
    if (!existing) {
      inserts.push({
        ...values,
        id: randomUUID(),
        slug: uniqueSlug(slugHint ?? values.name, taken, slugSuffix),
      });
      result.inserted++;
    } else if (differs(existing, desired)) {
      await repo.updateOrganisation(existing.id, { ...values, updatedAt: now });
      result.updated++;
    } else result.unchanged++;
  }
  await repo.insertOrganisations(inserts);
  for (const row of existingRows) {
    const fileKey = fileKeyOf(row);
    if (fileKey && !byKey.has(fileKey) && row.status !== 'closed') {
      await repo.updateOrganisation(row.id, { status: 'closed', updatedAt: now });
      result.closed++;
    }
  }
  await repo.linkGovukParents();
  return result;
}
