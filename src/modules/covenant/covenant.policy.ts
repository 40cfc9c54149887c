/**
 * Who may do what with the Covenant. Exposed to templates as `covenantCan` so pages show only the actions
 * the person may take.
 */
import { hasRole, isAdmin, type CurrentUser } from '../../platform/auth/roles.ts';

/** Roles that may sign for an organisation: its CSO administrators and its accountable leads. */
export const signingRoles = ['cso_admin', 'body_lead'] as const;

export type CovenantAction = 'edit' | 'publish' | 'sign';

/**
 * `edit` and `publish`: Covenant team administrators. `sign`: an administrator, or a `cso_admin` or
 * `body_lead` of that very organisation (a role in another organisation does not count).
 */
export function canCovenant(
  user: CurrentUser | null,
  action: CovenantAction,
  organisationId?: string,
): boolean {
  if (!user) return false;
  if (isAdmin(user)) return true;
  if (action !== 'sign' || !organisationId) return false;
  return signingRoles.some((role) => hasRole(user, role, organisationId));
}

/** Organisations the person may sign for (admins too sign only for organisations they belong to). */
export function signableOrganisations(user: CurrentUser | null) {
  if (!user) return [];
  const seen = new Set<string>();
  return user.memberships
    .filter((m) => (signingRoles as readonly string[]).includes(m.role) || m.role === 'admin')
    .filter((m) => (seen.has(m.organisationId) ? false : (seen.add(m.organisationId), true)))
    .map((m) => ({ id: m.organisationId, name: m.organisationName, kind: m.organisationKind }));
}
