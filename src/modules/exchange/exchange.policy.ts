/**
 * Who may do what with exchange opportunities. Reading open opportunities is public. Posting is for people
 * who speak for their organisation: a body officer or body lead of a public body, or a charity
 * administrator (or intermediary) of a civil society or infrastructure organisation. Managing an
 * opportunity (seeing applications, deciding, recording the host's outcome) is for those same roles in the
 * HOST organisation only, and for administrators.
 */
import { isAdmin, type CurrentUser, type Membership } from '../../platform/auth/roles.ts';

const hostRoles: Record<string, readonly string[]> = {
  public_body: ['body_officer', 'body_lead'],
  cso: ['cso_admin'],
  infrastructure: ['cso_admin', 'intermediary'],
};

/** The organisations this person may post opportunities for. */
export function hostOrganisations(user: CurrentUser | null | undefined): Membership[] {
  if (!user) return [];
  const seen = new Set<string>();
  return user.memberships.filter((m) => {
    if (!(hostRoles[m.organisationKind] ?? []).includes(m.role) || seen.has(m.organisationId)) return false;
    seen.add(m.organisationId);
    return true;
  });
}

export function canPost(user: CurrentUser | null | undefined): boolean {
  return hostOrganisations(user).length > 0;
}

export function canPostFor(user: CurrentUser | null | undefined, organisationId: string): boolean {
  return hostOrganisations(user).some((m) => m.organisationId === organisationId);
}

export function canManage(user: CurrentUser | null | undefined, organisationId: string): boolean {
  return isAdmin(user) || canPostFor(user, organisationId);
}

/** The figures and reflections that feed the annual review are for the Covenant team, who write it. */
export function canSeeReview(user: CurrentUser | null | undefined): boolean {
  return isAdmin(user);
}
