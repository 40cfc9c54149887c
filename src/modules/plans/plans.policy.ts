/**
 * Who may see and change an action plan. A published plan is public; the body's own staff (officers and
 * its accountable lead) see and work on every plan of their body; the oversight panel sees plans once they
 * are submitted, and comments on them; administrators see everything. Workflow moves are in plans.rules.ts
 * (`mayTransition`), so pages and the service use one table.
 */
import { hasAnyRole, isAdmin, organisationsWithRole, type CurrentUser } from '../../platform/auth/roles.ts';
import { isBodyStaff } from './plans.rules.ts';
import type { PlanStatus } from './plans.tables.ts';

type PlanRef = { bodyId: string; status: PlanStatus };

export function isPanel(user: CurrentUser | null | undefined): boolean {
  return hasAnyRole(user, ['panel_member']);
}

export function canViewPlan(user: CurrentUser | null | undefined, plan: PlanRef): boolean {
  if (plan.status === 'published') return true;
  if (!user) return false;
  if (isAdmin(user) || isBodyStaff(user, plan.bodyId)) return true;
  return isPanel(user) && plan.status !== 'draft';
}

/** The plan's structure (details, actions, milestones) changes only while it is a draft, by the body. */
export function canEditPlan(user: CurrentUser | null | undefined, plan: PlanRef): boolean {
  return plan.status === 'draft' && isBodyStaff(user, plan.bodyId);
}

/** Progress (status, per cent, evidence, milestones done) is the body's to report at any stage. */
export function canReportProgress(user: CurrentUser | null | undefined, plan: PlanRef): boolean {
  return isBodyStaff(user, plan.bodyId);
}

/** The panel and administrators comment on submitted plans; the body's staff may reply. */
export function canComment(user: CurrentUser | null | undefined, plan: PlanRef): boolean {
  if (!user || plan.status === 'draft') return false;
  return isPanel(user) || isAdmin(user) || isBodyStaff(user, plan.bodyId);
}

/** Comments are for the people working on the plan, not the public page. */
export function canReadComments(user: CurrentUser | null | undefined, plan: PlanRef): boolean {
  return (
    canViewPlan(user, plan) &&
    Boolean(user) &&
    (isPanel(user) || isAdmin(user) || isBodyStaff(user, plan.bodyId))
  );
}

/** Bodies whose plans the person works on (officer or lead). */
export function staffBodies(user: CurrentUser | null | undefined): string[] {
  return organisationsWithRole(user, ['body_officer', 'body_lead']);
}
