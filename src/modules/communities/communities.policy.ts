/**
 * Who may do what in communities of practice. Anyone may see the list of groups and public events. People
 * on both sides (civil society and public bodies) join groups with any account; the discussions are for the
 * group's active members. A group's moderators (and the Covenant team's administrators) approve requests to
 * join, hide posts, lock threads, clear flags and run the group's events. Only administrators start groups.
 */
import { isAdmin, type CurrentUser } from '../../platform/auth/roles.ts';

/** The person's membership of one group, as the service loads it (null when they have none). */
export interface MembershipView {
  role: 'member' | 'moderator';
  status: 'active' | 'pending';
}

type User = CurrentUser | null | undefined;
type Member = MembershipView | null | undefined;

const active = (m: Member) => m?.status === 'active';

export function canCreateGroup(user: User): boolean {
  return isAdmin(user);
}

export function canModerate(user: User, member: Member): boolean {
  return isAdmin(user) || (active(member) && member!.role === 'moderator');
}

/** Reading threads: active members, and moderators' administrators. */
export function canReadDiscussions(user: User, member: Member): boolean {
  return Boolean(user) && (active(member) || isAdmin(user));
}

/** Starting a thread, replying and flagging: active members only (administrators join like anyone). */
export function canPost(user: User, member: Member): boolean {
  return Boolean(user) && active(member);
}

export const canFlag = canPost;

export function canJoin(user: User, member: Member): boolean {
  return Boolean(user) && !member;
}

export function canLeave(user: User, member: Member): boolean {
  return Boolean(user) && Boolean(member);
}

/** A public event is for everyone; a members-only event for the group's members and those who run it. */
export function canSeeEvent(user: User, member: Member, event: { visibility: string }): boolean {
  return event.visibility === 'public' || canReadDiscussions(user, member);
}

export function canRegister(user: User, member: Member, event: { visibility: string }): boolean {
  return Boolean(user) && (event.visibility === 'public' || active(member));
}

/** The joining link of an online event goes only to people with a place, and to those who run it. */
export function canSeeJoinLink(
  user: User,
  member: Member,
  registration: { status: string } | null | undefined,
): boolean {
  return registration?.status === 'registered' || canModerate(user, member);
}

export const canManageEvents = canModerate;
