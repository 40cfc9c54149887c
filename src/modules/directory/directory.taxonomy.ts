/**
 * The directory's controlled vocabularies. Each value has a catalogue entry under `directory.<list>.<value>`
 * so pages, filters and CSV messages say the same thing.
 */

/** SPEC §2: the kinds of public body the Covenant binds. */
export const publicBodyTypes = [
  'department',
  'executive_agency',
  'arms_length_body',
  'local_authority',
  'combined_authority',
  'nhs_body',
  'justice_body',
  'devolved_government',
] as const;
export type PublicBodyType = (typeof publicBodyTypes)[number];

export const nations = ['england', 'wales', 'scotland', 'northern-ireland', 'uk'] as const;
export type Nation = (typeof nations)[number];

/** The nine English regions (ONS ITL1), as ONS and the local authority file write them. */
export const englishRegions = [
  'North East',
  'North West',
  'Yorkshire and The Humber',
  'East Midlands',
  'West Midlands',
  'East of England',
  'London',
  'South East',
  'South West',
] as const;

/**
 * Size by annual income, using NCVO's UK Civil Society Almanac bands (micro under £10k, small £10k–£100k,
 * medium £100k–£1m, large £1m–£10m, major £10m–£100m, super-major over £100m).
 */
export const incomeBands = ['micro', 'small', 'medium', 'large', 'major', 'super_major'] as const;
export type IncomeBand = (typeof incomeBands)[number];

/** Areas of work: a short list loosely following the Charity Commission's "what the charity does". */
export const areasOfWork = [
  'advice',
  'animals',
  'arts-culture',
  'children-young-people',
  'community',
  'disability',
  'education',
  'employment',
  'environment',
  'faith',
  'health',
  'housing',
  'human-rights',
  'international',
  'justice',
  'mental-health',
  'older-people',
  'poverty',
  'sport',
] as const;
export type AreaOfWork = (typeof areasOfWork)[number];

/** Accountable leads (domain §9.2 "Appoint leads"). */
export const leadRoles = ['ministerial', 'senior_civil_service', 'local_accountable_officer'] as const;
export type LeadRole = (typeof leadRoles)[number];

/** Where a directory record came from, so reference data can be re-imported without touching others. */
export const organisationSources = ['govuk', 'ons', 'nhs', 'import', 'demo', 'manual'] as const;
export type OrganisationSource = (typeof organisationSources)[number];

export const bodyStatuses = ['live', 'exempt', 'joining', 'transitioning', 'closed'] as const;
export type BodyStatus = (typeof bodyStatuses)[number];

export function isOneOf<T extends string>(list: readonly T[], value: unknown): value is T {
  return typeof value === 'string' && (list as readonly string[]).includes(value);
}
