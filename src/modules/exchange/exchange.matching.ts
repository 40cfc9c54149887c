/**
 * Two-sided matching for exchange opportunities: pure functions, no database, so the score a person sees is
 * the score a test can check.
 *
 * A match is first a hard eligibility filter (the host's rules: which side, which sectors, which nations;
 * and the opportunity must still be open). An ineligible pair is never suggested and the reason is shown.
 * An eligible pair is scored out of 100 from four parts, each reported with its reason:
 *
 * | Part      | Points | How |
 * | --------- | ------ | --- |
 * | Skills    | 50     | 35 × share of the host's wanted skills the person offers + 15 × share of the skills on offer the person wants to develop (free tags count as skills) |
 * | Place     | 20     | remote 20; same local authority 20; same region 14; same nation 8; otherwise 0 (a person who can only work remotely scores 0 for in-person) |
 * | Dates     | 20     | 20 × share of the opportunity's days inside the person's availability; 10 when the person gave no dates |
 * | Clearance | 10     | 10 when the person holds the level needed (or none is needed); 0 otherwise (the host would need to sponsor vetting) |
 */
import {
  clearanceLevels,
  type ClearanceLevel,
  type OpportunityStatus,
  type Side,
  type WorkMode,
} from './exchange.vocabulary.ts';

export interface MatchOpportunity {
  skillsWanted: readonly string[];
  skillsOffered: readonly string[];
  tags: readonly string[];
  workMode: WorkMode;
  localAuthorityGss: string | null;
  placeName: string | null;
  region: string | null;
  nation: string | null;
  startsOn: string;
  endsOn: string;
  clearance: ClearanceLevel;
  eligibleSides: readonly string[];
  eligibleSectors: readonly string[];
  eligibleNations: readonly string[];
  closesOn: string;
  status: OpportunityStatus;
}

export interface MatchProfile {
  side: Side;
  skillsOffered: readonly string[];
  skillsWanted: readonly string[];
  tags: readonly string[];
  sectors: readonly string[];
  localAuthorityGss: string | null;
  region: string | null;
  nation: string;
  remoteOnly: boolean;
  availableFrom: string | null;
  availableTo: string | null;
  clearance: ClearanceLevel;
}

/**
 * A reason is a catalogue key with its parameters, so the page, the API and a test all read the same thing
 * and the words can be translated. `items` are skill or tag values the page turns into their labels.
 */
export interface Reason {
  key: string;
  params?: Record<string, string | number>;
  items?: string[];
}

export interface MatchPart {
  points: number;
  max: number;
  reason: Reason;
}

export type MatchResult =
  | { eligible: false; reasons: Reason[] }
  | {
      eligible: true;
      score: number;
      parts: { skills: MatchPart; place: MatchPart; dates: MatchPart; clearance: MatchPart };
    };

export const WEIGHTS = { skillsWanted: 35, skillsOffered: 15, place: 20, dates: 20, clearance: 10 } as const;

const DAY_MS = 86_400_000;
const dayNumber = (iso: string) => Math.floor(Date.parse(`${iso}T00:00:00Z`) / DAY_MS);

/** Skills and free tags as one set: tags are prefixed so a tag never collides with a vocabulary value. */
function withTags(skills: readonly string[], tags: readonly string[]): string[] {
  return [...new Set([...skills, ...tags.map((t) => `tag:${t}`)])];
}

/**
 * Whether the opportunity is still taking applications on `today` (ISO date): open, and the closing date
 * not passed (the closing date itself is the last day), and not already started.
 */
export function isTakingApplications(
  opportunity: Pick<MatchOpportunity, 'status' | 'closesOn' | 'endsOn'>,
  today: string,
) {
  return opportunity.status === 'open' && today <= opportunity.closesOn && today <= opportunity.endsOn;
}

/** The hard filter: the host's eligibility rules. Returns every failed rule, not just the first. */
export function eligibility(opportunity: MatchOpportunity, profile: MatchProfile): Reason[] {
  const reasons: Reason[] = [];
  if (opportunity.eligibleSides.length && !opportunity.eligibleSides.includes(profile.side))
    reasons.push({
      key: 'exchange.match.notEligibleSide',
      params: { side: opportunity.eligibleSides[0]!, yours: profile.side },
    });
  if (opportunity.eligibleNations.length && !opportunity.eligibleNations.includes(profile.nation))
    reasons.push({
      key: 'exchange.match.notEligibleNation',
      params: { yours: profile.nation },
      items: [...opportunity.eligibleNations],
    });
  if (
    opportunity.eligibleSectors.length &&
    !opportunity.eligibleSectors.some((s) => profile.sectors.includes(s))
  )
    reasons.push({ key: 'exchange.match.notEligibleSector', items: [...opportunity.eligibleSectors] });
  return reasons;
}

export function scoreSkills(opportunity: MatchOpportunity, profile: MatchProfile): MatchPart {
  const wanted = withTags(opportunity.skillsWanted, opportunity.tags);
  const offeredByPerson = new Set(withTags(profile.skillsOffered, profile.tags));
  const matched = wanted.filter((s) => offeredByPerson.has(s));
  const missing = wanted.filter((s) => !offeredByPerson.has(s));
  const toLearn = opportunity.skillsOffered.filter((s) => profile.skillsWanted.includes(s));
  const wantedShare = wanted.length ? matched.length / wanted.length : 1;
  const learnShare = opportunity.skillsOffered.length ? toLearn.length / opportunity.skillsOffered.length : 0;
  const points = Math.round(WEIGHTS.skillsWanted * wantedShare + WEIGHTS.skillsOffered * learnShare);
  const max = WEIGHTS.skillsWanted + WEIGHTS.skillsOffered;
  if (!wanted.length)
    return {
      points,
      max,
      reason: { key: 'exchange.match.skillsNoneWanted', params: { learn: toLearn.length }, items: toLearn },
    };
  return {
    points,
    max,
    reason: {
      key: matched.length ? 'exchange.match.skills' : 'exchange.match.skillsNone',
      params: {
        matched: matched.length,
        wanted: wanted.length,
        learn: toLearn.length,
        missing: missing.length,
      },
      items: matched,
    },
  };
}

export function scorePlace(opportunity: MatchOpportunity, profile: MatchProfile): MatchPart {
  const max = WEIGHTS.place;
  const place = opportunity.placeName ?? '';
  if (opportunity.workMode === 'remote')
    return { points: max, max, reason: { key: 'exchange.match.placeRemote' } };
  if (profile.remoteOnly)
    return { points: 0, max, reason: { key: 'exchange.match.placeRemoteOnly', params: { place } } };
  if (opportunity.localAuthorityGss && opportunity.localAuthorityGss === profile.localAuthorityGss)
    return { points: max, max, reason: { key: 'exchange.match.placeSameArea', params: { place } } };
  if (opportunity.region && opportunity.region === profile.region)
    return {
      points: Math.round(max * 0.7),
      max,
      reason: { key: 'exchange.match.placeSameRegion', params: { region: opportunity.region, place } },
    };
  if (opportunity.nation && opportunity.nation === profile.nation)
    return {
      points: Math.round(max * 0.4),
      max,
      reason: { key: 'exchange.match.placeSameNation', params: { nation: opportunity.nation, place } },
    };
  return { points: 0, max, reason: { key: 'exchange.match.placeFar', params: { place } } };
}

export function scoreDates(opportunity: MatchOpportunity, profile: MatchProfile): MatchPart {
  const max = WEIGHTS.dates;
  if (!profile.availableFrom && !profile.availableTo)
    return { points: max / 2, max, reason: { key: 'exchange.match.datesUnknown' } };
  const start = dayNumber(opportunity.startsOn);
  const end = dayNumber(opportunity.endsOn);
  const from = profile.availableFrom ? dayNumber(profile.availableFrom) : -Infinity;
  const to = profile.availableTo ? dayNumber(profile.availableTo) : Infinity;
  const days = end - start + 1;
  const overlap = Math.max(0, Math.min(end, to) - Math.max(start, from) + 1);
  const share = days > 0 ? overlap / days : 0;
  const points = Math.round(max * share);
  if (share >= 1) return { points, max, reason: { key: 'exchange.match.datesAll' } };
  if (share <= 0) return { points, max, reason: { key: 'exchange.match.datesNone' } };
  return {
    points,
    max,
    reason: { key: 'exchange.match.datesSome', params: { percent: Math.round(share * 100) } },
  };
}

export function clearanceSatisfies(held: ClearanceLevel, needed: ClearanceLevel): boolean {
  return clearanceLevels.indexOf(held) >= clearanceLevels.indexOf(needed);
}

export function scoreClearance(opportunity: MatchOpportunity, profile: MatchProfile): MatchPart {
  const max = WEIGHTS.clearance;
  if (opportunity.clearance === 'none')
    return { points: max, max, reason: { key: 'exchange.match.clearanceNone' } };
  if (clearanceSatisfies(profile.clearance, opportunity.clearance))
    return {
      points: max,
      max,
      reason: { key: 'exchange.match.clearanceHeld', params: { level: opportunity.clearance } },
    };
  return {
    points: 0,
    max,
    reason: {
      key: 'exchange.match.clearanceMissing',
      params: { level: opportunity.clearance, yours: profile.clearance },
    },
  };
}

/** Scores one person against one opportunity: eligibility first, then the four parts. */
export function match(opportunity: MatchOpportunity, profile: MatchProfile): MatchResult {
  const reasons = eligibility(opportunity, profile);
  if (reasons.length) return { eligible: false, reasons };
  const parts = {
    skills: scoreSkills(opportunity, profile),
    place: scorePlace(opportunity, profile),
    dates: scoreDates(opportunity, profile),
    clearance: scoreClearance(opportunity, profile),
  };
  const score = parts.skills.points + parts.place.points + parts.dates.points + parts.clearance.points;
  return { eligible: true, score, parts };
}

export interface Ranked<T> {
  item: T;
  result: Extract<MatchResult, { eligible: true }>;
}

/**
 * Ranks candidates by score, best first, leaving out ineligible pairs and scores below `minimum`. Ties keep
 * the order given (callers pass candidates in a stable order, e.g. closing date or name).
 */
export function rank<T>(items: readonly T[], scoreOf: (item: T) => MatchResult, minimum = 1): Ranked<T>[] {
  const ranked: Ranked<T>[] = [];
  for (const item of items) {
    const result = scoreOf(item);
    if (result.eligible && result.score >= minimum) ranked.push({ item, result });
  }
  return ranked.sort((a, b) => b.result.score - a.result.score);
}
