/**
 * Who may do what with the register. Anyone, signed in or not, reads what is published. Moderating
 * (reviewing redactions, approving, rejecting, withdrawing) is for the Covenant team's administrators: they
 * already see reporters' identities (cases.identity.ts), so the original texts under review tell them
 * nothing new.
 */
import { isAdmin, type CurrentUser } from '../../platform/auth/roles.ts';

export function canModerate(user: CurrentUser | null | undefined): boolean {
  return isAdmin(user);
}
