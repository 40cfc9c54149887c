/**
 * Who may do what with accounts, memberships and invitations. Roles are scoped to organisations: an
 * organisation's `cso_admin` or `body_lead` manages the members of THAT organisation only, and never grants
 * `admin`; a service `admin` may do everything. A person whose email address is not yet confirmed cannot act
 * for any organisation (we do not know the address is theirs).
 */
import type { CurrentUser, Role } from '../../platform/auth/roles.ts';
import { hasRole, isAdmin } from '../../platform/auth/roles.ts';
import type { OrganisationKind } from '../directory/directory.tables.ts';

/** Roles that let a person manage their own organisation's members. */
export const organisationManagerRoles: readonly Role[] = ['cso_admin', 'body_lead'];

/** The roles that make sense in each kind of organisation (offered on invitation and admin forms). */
export const rolesForKind: Record<OrganisationKind, readonly Role[]> = {
  cso: ['cso_member', 'cso_admin'],
  infrastructure: ['intermediary', 'cso_admin'],
  public_body: ['body_officer', 'body_lead'],
  panel: ['panel_member'],
  covenant_team: ['admin'],
};

export type AccountsAction =
  | 'organisation.viewMembers'
  | 'organisation.invite'
  | 'organisation.removeMember'
  | 'admin.manageUsers'
  | 'admin.manageOrganisations';

export interface AccountsResource {
  organisationId?: string;
  /** The role being granted (invitations) or removed. */
  role?: Role;
}

/** Manages the organisation's members: a verified cso_admin or body_lead of it. */
export function managesOrganisation(user: CurrentUser, organisationId: string): boolean {
  return user.emailVerified && organisationManagerRoles.some((role) => hasRole(user, role, organisationId));
}

export function can(
  user: CurrentUser | null | undefined,
  action: AccountsAction,
  resource: AccountsResource = {},
): boolean {
  if (!user) return false;
  if (isAdmin(user)) return true;
  switch (action) {
    case 'organisation.viewMembers':
      return resource.organisationId !== undefined && managesOrganisation(user, resource.organisationId);
    case 'organisation.invite':
    case 'organisation.removeMember':
      // Only an admin grants or removes `admin`: an organisation cannot make itself a service administrator.
      return (
        resource.organisationId !== undefined &&
        resource.role !== 'admin' &&
        managesOrganisation(user, resource.organisationId)
      );
    case 'admin.manageUsers':
    case 'admin.manageOrganisations':
      return false;
  }
}

/** Roles the person may offer when inviting to an organisation of this kind. */
export function invitableRoles(user: CurrentUser, organisationId: string, kind: OrganisationKind): Role[] {
  return rolesForKind[kind].filter((role) => can(user, 'organisation.invite', { organisationId, role }));
}
