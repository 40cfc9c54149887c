/**
 * Who may do what in the resource library. Everyone, signed in or not, reads published resources, their
 * attachments and their version history. The library is the Covenant team's: writing, editing, marking
 * reviewed, publishing and attaching files are for administrators (roles.ts has no narrower "editor" role;
 * `admin` is the Covenant team's role, and staff roles need the second factor). Drafts are seen only by them.
 */
import { isAdmin, type CurrentUser } from '../../platform/auth/roles.ts';

type User = CurrentUser | null | undefined;

export function canManageResources(user: User): boolean {
  return isAdmin(user);
}

/** A published resource is public; a draft is for those who manage the library. */
export function canSeeResource(user: User, resource: { status: string }): boolean {
  return resource.status === 'published' || canManageResources(user);
}
