/**
 * Who may keep a body's standards records. Findings are public information about public bodies, so reading
 * needs no permission; recording, editing and importing consultations and funding records is for the body's
 * own staff (its officers and its accountable lead) and for administrators. Nobody else, including civil
 * society members and another body's staff, can change what a body's findings are computed from.
 */
import { hasRole, isAdmin, organisationsWithRole, type CurrentUser } from '../../platform/auth/roles.ts';

export function canRecordFor(user: CurrentUser | null | undefined, bodyId: string): boolean {
  if (!user) return false;
  return isAdmin(user) || hasRole(user, 'body_officer', bodyId) || hasRole(user, 'body_lead', bodyId);
}

/** Whether the person keeps records for any body at all (the navigation item and the records list). */
export function keepsRecords(user: CurrentUser | null | undefined): boolean {
  return isAdmin(user) || recordBodies(user).length > 0;
}

/** The bodies whose records the person keeps as staff (administrators keep every body's). */
export function recordBodies(user: CurrentUser | null | undefined): string[] {
  return organisationsWithRole(user, ['body_officer', 'body_lead']);
}
