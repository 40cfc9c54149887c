/** Who may do what in the directory. Reading is public; changing a body's leads is for admins and its leads. */
import { hasRole, isAdmin, type CurrentUser } from '../../platform/auth/roles.ts';

export type DirectoryAction = 'editLeads' | 'importOrganisations';

export function can(
  user: CurrentUser | null | undefined,
  action: DirectoryAction,
  organisationId?: string,
): boolean {
  if (!user) return false;
  if (isAdmin(user)) return true;
  if (action === 'editLeads' && organisationId) return hasRole(user, 'body_lead', organisationId);
  return false;
}
