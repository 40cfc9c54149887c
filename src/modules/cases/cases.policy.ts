/**
 * Who plays which part in one case (SPEC §3). Parts come from roles AND the case: a `body_officer` is the
 * "body" only for cases about their own body; `admin` is the Covenant team's triage; a `panel_member` is
 * the "panel" only once a case has been escalated and only without a declared conflict (SPEC §4: a
 * conflicted member neither sees nor decides the case). The transition table (cases.lifecycle.ts) then says
 * what each part may do.
 */
import { hasRole, isAdmin, type CurrentUser } from '../../platform/auth/roles.ts';
import type { CaseActor } from './cases.lifecycle.ts';

/** The columns of a case the policy reads. */
export interface PolicyCase {
  id: string;
  bodyId: string | null;
  escalatedAt: Date | null;
}

export interface PartsContext {
  /** Whether this person filed the case (cases.identity.ts's `isReporter`, or the local fallback). */
  isReporter(userId: string, caseId: string): Promise<boolean>;
  /** A declared conflict of interest with the case (the panel module supplies it; none until then). */
  hasConflict?(userId: string, caseId: string): Promise<boolean>;
}

/** Staff parts: every part except the reporter's. */
export const staffParts: readonly CaseActor[] = ['triage', 'body', 'body_lead', 'panel'];

/** The parts `user` plays in this case; empty when they have no business with it. */
export async function partsFor(
  user: CurrentUser | null,
  caseRow: PolicyCase,
  context: PartsContext,
): Promise<CaseActor[]> {
  if (!user) return [];
  const parts: CaseActor[] = [];
  if (await context.isReporter(user.id, caseRow.id)) parts.push('reporter');
  if (isAdmin(user)) parts.push('triage');
  if (caseRow.bodyId) {
    // A lead can do everything an officer of the body can, and a little more (re-route).
    if (hasRole(user, 'body_lead', caseRow.bodyId)) parts.push('body', 'body_lead');
    else if (hasRole(user, 'body_officer', caseRow.bodyId)) parts.push('body');
  }
  if (caseRow.escalatedAt && hasRole(user, 'panel_member')) {
    const conflicted = (await context.hasConflict?.(user.id, caseRow.id)) ?? false;
    if (!conflicted) parts.push('panel');
  }
  return parts;
}

/** Any part at all: the person may see the case (on the page for their part). */
export function canView(parts: readonly CaseActor[]): boolean {
  return parts.length > 0;
}

/** Sees the staff page of the case (everything but the reporter's identity). */
export function canViewAsStaff(parts: readonly CaseActor[]): boolean {
  return parts.some((p) => staffParts.includes(p));
}

/** Body staff of the case: internal notes, assignment, templates. */
export function isBodyStaff(parts: readonly CaseActor[]): boolean {
  return parts.includes('body') || parts.includes('body_lead');
}

/** Who may write to the reporter through the relayed thread: the body and the Covenant team. */
export function canMessageReporter(parts: readonly CaseActor[]): boolean {
  return isBodyStaff(parts) || parts.includes('triage');
}

/** The person is an accountable lead of the body the case is with. */
export function isLeadOfCaseBody(user: CurrentUser | null, caseRow: { bodyId: string | null }): boolean {
  return !!caseRow.bodyId && hasRole(user, 'body_lead', caseRow.bodyId);
}

/**
 * The accountable lead of the body a case is with may re-route it to another body, while it is with them
 * (the transition table's `reroute` for `body_lead`); nobody else's leads, and not officers.
 */
export function canRerouteAsLead(
  user: CurrentUser | null,
  caseRow: { bodyId: string | null; state: string },
): boolean {
  return caseRow.state === 'with_body' && isLeadOfCaseBody(user, caseRow);
}

/** Body leads (and admins) manage a body's API tokens and response templates. */
export function canManageBody(user: CurrentUser | null, bodyId: string): boolean {
  return isAdmin(user) || hasRole(user, 'body_lead', bodyId);
}

/** Body officers and leads (and admins) use a body's templates. */
export function canUseBody(user: CurrentUser | null, bodyId: string): boolean {
  return canManageBody(user, bodyId) || hasRole(user, 'body_officer', bodyId);
}
