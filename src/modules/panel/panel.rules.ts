/**
 * The panel's rules as pure functions, so they can be tested without a database:
 *
 * - **Terms**: a member may vote or be counted for a quorum only on a day inside one of their terms (start
 *   and end dates inclusive, UK calendar dates).
 * - **Quorum** (docs/modules/panel.md): a decision needs at least `minimum` eligible members taking part
 *   (default 3) and, when `eachSide` is on (the default), at least one government member and one civil
 *   society member among them. The independent chair counts towards the number but not as a side. For a
 *   vote, the members taking part are those who cast a vote (for, against or abstain); for consensus, those
 *   recorded as present at the meeting where it was reached. Conflicted members and members outside their
 *   term are never counted.
 * - **Vote**: a quorate vote adopts the proposal when more members vote for than against (abstentions count
 *   for the quorum, not the result); a tie or a majority against rejects it.
 * - **Conflicts**: a member is conflicted with a case when they declared a conflict with that case, or with an
 *   organisation involved in it (the body, its parent bodies, the reporter's organisation, the
 *   intermediary), or when they belong to one of those organisations.
 */
import type { PanelSide, PanelVoteChoice } from './panel.tables.ts';

export interface Term {
  termStart: string;
  termEnd: string;
}

/** True when `day` (YYYY-MM-DD) falls inside one of the terms, both ends included. */
export function inTerm(terms: readonly Term[], day: string): boolean {
  return terms.some((t) => t.termStart <= day && day <= t.termEnd);
}

/** The side of the term covering `day`, or null when the person is outside every term. */
export function sideOn<T extends Term & { side: PanelSide }>(
  terms: readonly T[],
  day: string,
): PanelSide | null {
  return terms.find((t) => t.termStart <= day && day <= t.termEnd)?.side ?? null;
}

export interface QuorumRule {
  minimum: number;
  eachSide: boolean;
}

export const defaultQuorum: QuorumRule = { minimum: 3, eachSide: true };

export interface QuorumResult {
  met: boolean;
  count: number;
  /** What is missing, as catalogue keys under `panel.quorum.missing.*`. */
  missing: ('number' | 'government' | 'civil_society')[];
}

/** Whether the members taking part (each once, eligible already) make a quorum under the rule. */
export function quorum(participants: readonly { side: PanelSide }[], rule: QuorumRule): QuorumResult {
  const missing: QuorumResult['missing'] = [];
  if (participants.length < rule.minimum) missing.push('number');
  if (rule.eachSide) {
    if (!participants.some((p) => p.side === 'government')) missing.push('government');
    if (!participants.some((p) => p.side === 'civil_society')) missing.push('civil_society');
  }
  return { met: missing.length === 0, count: participants.length, missing };
}

export interface Tally {
  for: number;
  against: number;
  abstain: number;
}

export function tally(votes: readonly { vote: PanelVoteChoice }[]): Tally {
  const result: Tally = { for: 0, against: 0, abstain: 0 };
  for (const v of votes) result[v.vote] += 1;
  return result;
}

/** The result of a quorate vote: adopted when more for than against. */
export function voteCarries(t: Tally): boolean {
  return t.for > t.against;
}

export interface ConflictFacts {
  caseId: string;
  /** The body, its parent bodies, the reporter's organisation and the intermediary (when known). */
  involvedOrganisationIds: readonly string[];
}

export interface MemberConflicts {
  /** Active declared conflicts. */
  declared: readonly { organisationId: string | null; caseId: string | null }[];
  /** Organisations the person belongs to (any role). */
  memberOf: readonly string[];
}

/** Whether the member is conflicted with the case (see the file comment). */
export function isConflicted(member: MemberConflicts, facts: ConflictFacts): boolean {
  const involved = new Set(facts.involvedOrganisationIds);
  if (member.memberOf.some((o) => involved.has(o))) return true;
  return member.declared.some(
    (d) => d.caseId === facts.caseId || (d.organisationId !== null && involved.has(d.organisationId)),
  );
}
