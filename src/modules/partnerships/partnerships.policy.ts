/**
 * Who may do what with local covenant partnerships. Everyone may read the list, a partnership's page (its
 * local covenant, partners, officers and their public contact, meetings with minutes, actions, and the
 * local view with suppressed figures) and the national roll-up. The Covenant team's administrators start
 * partnerships and link officers to accounts. A local accountable officer whose account is linked to the
 * partnership (partnership_officers.user_id) manages that partnership only: its details, partners,
 * officers without accounts, meetings and actions.
 */
import { isAdmin, type CurrentUser } from '../../platform/auth/roles.ts';

type User = CurrentUser | null | undefined;

/** The partnership as the policy needs it: the accounts linked to its officers. */
export interface PartnershipAccess {
  officerUserIds: readonly string[];
}

export function canCreatePartnership(user: User): boolean {
  return isAdmin(user);
}

export function isPartnershipOfficer(user: User, p: PartnershipAccess): boolean {
  return Boolean(user) && p.officerUserIds.includes(user!.id);
}

/** Details, partners, officers (without accounts), meetings and actions: administrators and its officers. */
export function canManagePartnership(user: User, p: PartnershipAccess): boolean {
  return isAdmin(user) || isPartnershipOfficer(user, p);
}

/**
 * Linking an officer to an account gives that account the right to manage: only administrators, so an
 * officer cannot hand the partnership to someone else.
 */
export function canLinkOfficerAccount(user: User): boolean {
  return isAdmin(user);
}
