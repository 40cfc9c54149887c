/**
 * Who may analyse free text. The answers in a set can come from surveys, consultations and cases, so only the
 * Covenant team (`admin`) and the Joint Oversight Panel (`panel_member`) work with them (issue 8, item 2).
 * Exposed to templates as `analysisCan` so pages show only the actions the person may take.
 */
import { hasAnyRole, type CurrentUser, type Role } from '../../platform/auth/roles.ts';

/** Roles that may reach the analysis pages at all. */
export const analystRoles: readonly Role[] = ['admin', 'panel_member'];

export type AnalysisAction = 'list' | 'create' | 'view' | 'run' | 'edit_themes' | 'edit_codebook' | 'code';

/**
 * Every analyst may do everything with every set for now. The set is passed so a later rule (e.g. a set made
 * from withheld cases visible only to the Covenant team) can be added here without touching any caller.
 */
export function can(
  user: CurrentUser | null,
  _action: AnalysisAction,
  _set?: { source: string; sourceRef: string | null },
): boolean {
  return hasAnyRole(user, analystRoles);
}
