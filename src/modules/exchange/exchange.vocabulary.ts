/**
 * The exchange's controlled vocabularies. Every value has a catalogue entry under `exchange.<list>.<value>`,
 * so pages, filters, reasons and the API say the same thing.
 */

export const opportunityKinds = ['secondment', 'shadowing', 'away_day'] as const;
export type OpportunityKind = (typeof opportunityKinds)[number];

/** Which side of the Covenant a person works on. */
export const sides = ['public_sector', 'civil_society'] as const;
export type Side = (typeof sides)[number];

export const workModes = ['in_person', 'hybrid', 'remote'] as const;
export type WorkMode = (typeof workModes)[number];

export const durationUnits = ['days', 'weeks', 'months'] as const;
export type DurationUnit = (typeof durationUnits)[number];

/**
 * UK national security vetting, lowest to highest: none, Baseline Personnel Security Standard, Counter
 * Terrorist Check, Security Check, Developed Vetting. A higher level satisfies a lower one.
 */
export const clearanceLevels = ['none', 'bpss', 'ctc', 'sc', 'dv'] as const;
export type ClearanceLevel = (typeof clearanceLevels)[number];

export const opportunityStatuses = ['open', 'closed', 'filled', 'cancelled'] as const;
export type OpportunityStatus = (typeof opportunityStatuses)[number];

/** Apply (with a statement) or express interest (a lighter "tell me more"). */
export const applicationKinds = ['application', 'interest'] as const;
export type ApplicationKind = (typeof applicationKinds)[number];

export const applicationStates = ['submitted', 'shortlisted', 'accepted', 'declined', 'withdrawn'] as const;
export type ApplicationState = (typeof applicationStates)[number];

export const exchangeOutcomes = ['completed', 'partly_completed', 'did_not_go_ahead'] as const;
export type ExchangeOutcome = (typeof exchangeOutcomes)[number];

/**
 * Skills both sides bring to an exchange, drawn from the report's support asks (policy, commissioning,
 * partnership working) and the day-to-day work of small charities (volunteers, fundraising, community
 * engagement). Short and plain, so a person can tick them on a phone.
 */
export const skills = [
  'policy_development',
  'commissioning',
  'grant_making',
  'procurement',
  'consultation_design',
  'community_engagement',
  'co_production',
  'service_design',
  'data_analysis',
  'evaluation',
  'digital',
  'communications',
  'fundraising',
  'financial_management',
  'governance',
  'volunteer_management',
  'safeguarding',
  'project_management',
  'legal',
  'equality_inclusion',
  'partnership_working',
  'advocacy',
] as const;
export type Skill = (typeof skills)[number];

/** Free tags: lower case, letters, digits, spaces and hyphens, at most 40 characters. */
export function normaliseTag(tag: string): string {
  return tag
    .toLowerCase()
    .replace(/[^\p{L}\p{N} -]+/gu, '')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 40);
}

/** Splits a comma-separated tag field into distinct normalised tags (at most 10). */
export function parseTags(value: string): string[] {
  return [...new Set(value.split(',').map(normaliseTag).filter(Boolean))].slice(0, 10);
}
