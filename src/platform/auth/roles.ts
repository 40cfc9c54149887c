/**
 * Who the signed-in person is and what roles they hold, in which organisations. Roles are always scoped to
 * an organisation: `body_officer` of the Home Office says nothing about any other body. `admin` is held in
 * the Covenant team's organisation and applies service-wide.
 */
import type { Role } from '../../modules/accounts/accounts.tables.ts';
import type { OrganisationKind } from '../../modules/directory/directory.tables.ts';

export type { Role };

export interface Membership {
  organisationId: string;
  organisationName: string;
  organisationSlug: string;
  organisationKind: OrganisationKind;
  role: Role;
}

export interface CurrentUser {
  id: string;
  email: string;
  displayName: string;
  locale: string;
  emailVerified: boolean;
  totpEnabled: boolean;
  memberships: Membership[];
}

/** Roles that can see other people's cases or run the service: they must use a second factor. */
export const staffRoles: readonly Role[] = ['body_officer', 'body_lead', 'panel_member', 'admin'];

export function hasRole(user: CurrentUser | null | undefined, role: Role, organisationId?: string): boolean {
  if (!user) return false;
  return user.memberships.some(
    (m) => m.role === role && (organisationId === undefined || m.organisationId === organisationId),
  );
}

export function hasAnyRole(user: CurrentUser | null | undefined, roles: readonly Role[]): boolean {
  return Boolean(user?.memberships.some((m) => roles.includes(m.role)));
}

export function isAdmin(user: CurrentUser | null | undefined): boolean {
  return hasRole(user, 'admin');
}

export function isStaff(user: CurrentUser | null | undefined): boolean {
  return hasAnyRole(user, staffRoles);
}

/** Organisations in which the person holds any of the roles. */
export function organisationsWithRole(
  user: CurrentUser | null | undefined,
  roles: readonly Role[],
): string[] {
  if (!user) return [];
  return [...new Set(user.memberships.filter((m) => roles.includes(m.role)).map((m) => m.organisationId))];
}
