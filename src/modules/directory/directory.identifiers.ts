/**
 * Organisation identifiers: registered charity numbers (three UK registers), Companies House numbers, and the
 * org-id.guide identifiers derived from them (`GB-CHC-`, `GB-SC-`, `GB-NIC-`, `GB-COH-`), which 360Giving and
 * the open-data world use to join records about the same organisation.
 *
 * Formats and the assumptions behind them (documented because the registers publish no formal grammar):
 * - England and Wales (Charity Commission): 6 or 7 digits. Numbers issued since the 1990s are 7 digits
 *   starting with 1 (e.g. 1089464); older ones are 6 digits (200000 upwards). A linked or subsidiary charity
 *   is shown as the main number plus `-N` (e.g. 1089464-1); we keep the suffix in the value and the org-id so
 *   the linked charity stays distinct from its parent. An 8-digit number is not a charity number (it is
 *   usually a company number typed into the wrong column), so it is rejected. The register never writes a
 *   leading zero, so leading zeros are dropped (0207076 is 207076): kept, they would make a second org-id for
 *   the same charity and let a duplicate in.
 * - Scotland (OSCR): `SC` followed by 6 digits (e.g. SC012345); org-id keeps the prefix (GB-SC-SC012345).
 * - Northern Ireland (Charity Commission for Northern Ireland): `NIC` followed by 6 digits. The register began
 *   in 2013 and its numbers run from 100000 upwards; we accept 100000–199999 and flag anything else, which
 *   is an assumption from published numbers, not a documented rule. org-id drops the prefix (GB-NIC-100123).
 * - Companies House: 8 characters: 8 digits (shorter digit strings are padded with leading zeros, as
 *   Companies House itself writes them), or a two-character prefix and 6 digits (SC Scotland, NI Northern
 *   Ireland, OC/SO/NC limited liability partnerships, R0 older Northern Ireland companies, and the other
 *   prefixes listed below). org-id: GB-COH-<number>.
 */

export const charityRegisters = ['england-wales', 'scotland', 'northern-ireland'] as const;
export type CharityRegister = (typeof charityRegisters)[number];

export const identifierSchemes = ['GB-CHC', 'GB-SC', 'GB-NIC', 'GB-COH'] as const;
export type IdentifierScheme = (typeof identifierSchemes)[number];

export interface OrgIdentifier {
  scheme: IdentifierScheme;
  /** The number as the register writes it (normalised: upper case, no spaces). */
  value: string;
  /** The org-id.guide identifier, e.g. `GB-CHC-1089464`. */
  orgId: string;
}

/** Catalogue keys under `directory.identifiers.` for each way a number can be wrong. */
export type IdentifierProblem =
  | 'charityEnglandWales'
  | 'charityScotland'
  | 'charityNorthernIreland'
  | 'charityUnknownRegister'
  | 'charityRegisterMismatch'
  | 'company';

export type IdentifierResult =
  { ok: true; identifier: OrgIdentifier } | { ok: false; problem: IdentifierProblem };

/** Companies House prefixes for numbers that are not plain digits (two characters then six digits). */
export const companyPrefixes = [
  'SC',
  'NI',
  'OC',
  'SO',
  'NC',
  'R0',
  'FC',
  'SF',
  'NF',
  'SE',
  'LP',
  'SL',
  'NL',
  'CE',
  'CS',
  'IP',
  'SP',
  'NP',
  'RC',
  'SR',
  'NR',
  'GE',
  'GS',
  'GN',
  'SA',
  'SZ',
  'NZ',
  'ZC',
  'AC',
  'NO',
] as const;

const englandWales = /^(\d{6,7})(-\d{1,3})?$/;
const scotland = /^SC\d{6}$/;
const northernIreland = /^NIC(\d{6})$/;
const companyPattern = new RegExp(`^(\\d{8}|(${companyPrefixes.join('|')})\\d{6})$`);

function clean(raw: string): string {
  return raw.replace(/\s+/g, '').toUpperCase();
}

/** Which register a number's shape belongs to, when the file does not say. */
export function detectCharityRegister(raw: string): CharityRegister | null {
  const value = clean(raw);
  if (value.startsWith('SC')) return 'scotland';
  if (value.startsWith('NIC')) return 'northern-ireland';
  if (/^\d/.test(value)) return 'england-wales';
  return null;
}

/**
 * Validates a charity number for a register (or the register its shape implies) and derives its org-id.
 * Northern Ireland numbers may be given with or without `NIC` when the register is stated.
 */
export function parseCharityNumber(raw: string, register?: CharityRegister | null): IdentifierResult {
  let value = clean(raw);
  const detected = detectCharityRegister(value);
  const target = register ?? detected;
  if (!target) return { ok: false, problem: 'charityUnknownRegister' };
  if (target === 'england-wales') {
    if (detected !== 'england-wales') return { ok: false, problem: 'charityRegisterMismatch' };
    value = value.replace(/^0+(?=\d)/, '');
    if (!englandWales.test(value)) return { ok: false, problem: 'charityEnglandWales' };
    return { ok: true, identifier: { scheme: 'GB-CHC', value, orgId: `GB-CHC-${value}` } };
  }
  if (target === 'scotland') {
    if (detected !== 'scotland') return { ok: false, problem: 'charityRegisterMismatch' };
    if (!scotland.test(value)) return { ok: false, problem: 'charityScotland' };
    return { ok: true, identifier: { scheme: 'GB-SC', value, orgId: `GB-SC-${value}` } };
  }
  // Northern Ireland: accept the bare six digits only when the register is stated.
  const withPrefix = /^\d{6}$/.test(value) && register === 'northern-ireland' ? `NIC${value}` : value;
  if (!withPrefix.startsWith('NIC')) return { ok: false, problem: 'charityRegisterMismatch' };
  const match = northernIreland.exec(withPrefix);
  const digits = match?.[1];
  if (!digits || Number(digits) < 100000 || Number(digits) > 199999)
    return { ok: false, problem: 'charityNorthernIreland' };
  return { ok: true, identifier: { scheme: 'GB-NIC', value: withPrefix, orgId: `GB-NIC-${digits}` } };
}

/** Validates a Companies House number (padding short digit strings to 8) and derives its org-id. */
export function parseCompanyNumber(raw: string): IdentifierResult {
  let value = clean(raw);
  if (/^\d{1,7}$/.test(value)) value = value.padStart(8, '0');
  if (!companyPattern.test(value)) return { ok: false, problem: 'company' };
  return { ok: true, identifier: { scheme: 'GB-COH', value, orgId: `GB-COH-${value}` } };
}

/** Parses an org-id string back into scheme and value (for API filters and links). */
export function parseOrgId(orgId: string): OrgIdentifier | null {
  const match = /^(GB-CHC|GB-SC|GB-NIC|GB-COH)-(.+)$/.exec(orgId.trim().toUpperCase());
  if (!match) return null;
  const scheme = match[1] as IdentifierScheme;
  const rest = match[2] as string;
  const result =
    scheme === 'GB-COH'
      ? parseCompanyNumber(rest)
      : parseCharityNumber(
          scheme === 'GB-NIC' ? `NIC${rest}` : rest,
          scheme === 'GB-CHC' ? 'england-wales' : scheme === 'GB-SC' ? 'scotland' : 'northern-ireland',
        );
  return result.ok && result.identifier.orgId === orgId.trim().toUpperCase() ? result.identifier : null;
}
