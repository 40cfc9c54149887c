/**
 * Communities of practice: groups with members from both sides, threaded discussions with flagging and
 * moderation, each person's email setting (each post, a daily digest, or none), events with registration
 * and a waiting list, reminders, iCalendar files and notes published from a meeting. Every change is
 * checked against communities.policy.ts first and audited in the same transaction; emails go through the
 * outbox in that transaction too.
 */
import type { Actor, AuditLog } from '../../platform/audit/audit.ts';
import type { CurrentUser } from '../../platform/auth/roles.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Database } from '../../platform/db/database.ts';
import type { Outbox, QueueEmail } from '../../platform/email/outbox.ts';
import { BadRequestError, ForbiddenError, NotFoundError } from '../../platform/http/errors.ts';
import { formatDate } from '../../platform/i18n/i18n.ts';
import { communityPaths } from './communities.paths.ts';
import {
  canCreateGroup,
  canFlag,
  canJoin,
  canManageEvents,
  canModerate,
  canPost,
  canReadDiscussions,
  canRegister,
  canSeeEvent,
  canSeeJoinLink,
  type MembershipView,
} from './communities.policy.ts';
import type { CommunitiesRepository, EventWithGroup, GroupRow, MemberRow } from './communities.repository.ts';
import {
  canLeaveGroup,
  decideCapacityChange,
  decideRegistration,
  effectiveFrequency,
  icsCalendar,
  isReminderDue,
  joinStatus,
  londonDateOf,
  londonTimeOf,
  placesLeft,
  postAudience,
  promotions,
  threadOrder,
  waitingPosition,
  type IcsEvent,
  type RegistrationRefusal,
} from './communities.rules.ts';
import type { EventInput, GroupInput, ReplyInput, ThreadInput } from './communities.schema.ts';
import type { NotificationFrequency } from './communities.tables.ts';

export type CommunityRefusalReason =
  | RegistrationRefusal
  | 'alreadyMember'
  | 'lastModerator'
  | 'threadLocked'
  | 'startsInPast'
  | 'notRegistered'
  | 'notesBeforeStart'
  | 'eventAlreadyCancelled'
  | 'editAfterStart'
  | 'editCancelled'
  | 'capacityBelowRegistered';

/** A rule said no: shown to the person as a clear message (catalogue key `communities.refusals.<reason>`). */
export class CommunityRefusal extends Error {
  override name = 'CommunityRefusal';
  readonly reason: CommunityRefusalReason;
  /** Values for the message, e.g. `{ registered: 12 }`. */
  readonly params: Record<string, string | number>;
  constructor(reason: CommunityRefusalReason, params: Record<string, string | number> = {}) {
    super(`Communities refused: ${reason}`);
    this.reason = reason;
    this.params = params;
  }
}

export const COMMUNITIES_DAILY_TASK = 'communities-daily';
const systemActor: Actor = { userId: null, requestId: `system:${COMMUNITIES_DAILY_TASK}` };

const isUuid = (v: string) => /^[0-9a-f-]{36}$/i.test(v);
const isUniqueViolation = (error: unknown) =>
  (error as { code?: string }).code === '23505' || /unique|duplicate key/i.test(String(error));

/** A URL-safe name for a group ("Youth services: practice" → "youth-services-practice"). */
export function slugify(name: string): string {
  return (
    name
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'group'
  );
}

/** The first lines of a post for an email or the flagged queue. */
export function excerpt(text: string, max = 200): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1).trimEnd()}…`;
}

export interface CommunitiesDeps {
  db: Database;
  audit: AuditLog;
  clock: Clock;
  outbox: Outbox;
  repo: CommunitiesRepository;
  baseUrl: string;
  emailsQueued: () => Promise<unknown> | void;
}

export function createCommunitiesService(deps: CommunitiesDeps) {
  const { db, audit, clock, outbox, repo, baseUrl } = deps;
  const p = communityPaths;
  const link = (path: string) => `${baseUrl}${path}`;
  const when = (d: Date) => formatDate(d, 'en', true);
  const domain = new URL(baseUrl).hostname;

  async function groupOr404(slug: string): Promise<GroupRow> {
    const group = await repo.findGroupBySlug(slug);
    if (!group) throw new NotFoundError('No such group');
    return group;
  }
  async function eventOr404(id: string): Promise<EventWithGroup> {
    const event = isUuid(id) ? await repo.findEvent(id) : undefined;
    if (!event) throw new NotFoundError('No such event');
    return event;
  }
  async function threadOr404(id: string) {
    const thread = isUuid(id) ? await repo.findThread(id) : undefined;
    if (!thread) throw new NotFoundError('No such thread');
    const group = (await repo.findGroup(thread.groupId))!;
    return { thread, group };
  }
  async function postOr404(id: string) {
    const post = isUuid(id) ? await repo.findPost(id) : undefined;
    if (!post) throw new NotFoundError('No such post');
    const { thread, group } = await threadOr404(post.threadId);
    return { post, thread, group };
  }
  async function membership(user: CurrentUser | null | undefined, groupId: string) {
    if (!user) return null;
    return (await repo.findMember(groupId, user.id)) ?? null;
  }
  const view = (m: MemberRow | null): MembershipView | null =>
    m ? { role: m.role, status: m.status as MembershipView['status'] } : null;

  /** The emails to moderators of a group (for requests to join). */
  async function moderatorsOf(groupId: string) {
    return (await repo.membersOf(groupId)).filter(
      (m) => m.member.role === 'moderator' && m.member.status === 'active',
    );
  }

  /**
   * Tells the group about a new post: an email now to those who chose each post, a digest item for those
   * on the daily digest, nothing for the rest. Runs inside the caller's transaction.
   */
  async function notifyPost(
    group: GroupRow,
    thread: { id: string; title: string },
    post: { id: string; body: string },
    author: CurrentUser,
  ) {
    const members = (await repo.membersOf(group.id)).map((m) => m.member);
    const settings = await repo.preferencesFor(members.map((m) => m.userId));
    const audience = postAudience(members, settings, author.id);
    const contacts = await repo.userContacts(audience.immediate);
    await outbox.queueMany(
      contacts.map((c): QueueEmail => ({
        to: c.email,
        template: 'communityPost',
        params: {
          name: c.displayName,
          author: author.displayName,
          group: group.name,
          thread: thread.title,
          excerpt: excerpt(post.body, 500),
          link: link(p.thread({ id: thread.id })),
          settings: link(p.settings()),
        },
      })),
    );
    await repo.insertDigestItems(audience.digest, post.id);
    return audience;
  }

  async function eventCounts(events: EventWithGroup[]) {
    const counts = await repo.registeredCounts(events.map((e) => e.id));
    return events.map((e) => {
      const registered = counts.get(e.id) ?? 0;
      return { ...e, registered, placesLeft: placesLeft(e.capacity, registered) };
    });
  }

  function icsEvent(e: EventWithGroup): IcsEvent {
    return {
      id: e.id,
      title: e.title,
      description: e.description,
      location: e.mode === 'online' ? `Online: ${e.location}` : e.location,
      startsAt: e.startsAt,
      endsAt: e.endsAt,
      status: e.status,
      sequence: e.sequence,
      url: link(p.event({ id: e.id })),
      createdAt: e.createdAt,
      updatedAt: e.updatedAt,
    };
  }

  const service = {
    repo,
    now: () => clock.now(),

    // Groups

    /** Every group, with the person's own membership of each. */
    async groups(user: CurrentUser | null) {
      const groups = await repo.listGroups();
      const mine = user ? await repo.membershipsOfUser(user.id) : [];
      return groups.map((g) => ({ ...g, membership: mine.find((m) => m.groupId === g.id) ?? null }));
    },

    /** A group's page: the group, the person's membership, and what they may see. */
    async group(user: CurrentUser | null, slug: string) {
      const group = await groupOr404(slug);
      const member = await membership(user, group.id);
      const mv = view(member);
      const readable = canReadDiscussions(user, mv);
      const moderating = canModerate(user, mv);
      const members = await repo.membersOf(group.id);
      const active = members.filter((m) => m.member.status === 'active');
      const kinds = await repo.organisationKindsOf(active.map((m) => m.member.userId));
      const sides = { civilSociety: 0, publicBody: 0 };
      for (const m of active) {
        const k = kinds.get(m.member.userId) ?? [];
        if (k.includes('public_body')) sides.publicBody++;
        if (k.includes('cso') || k.includes('infrastructure')) sides.civilSociety++;
      }
      const events = await repo.listEvents({
        groupId: group.id,
        publicOnly: !readable,
      });
      const now = clock.now();
      return {
        group,
        member,
        memberCount: active.length,
        sides,
        moderators: active.filter((m) => m.member.role === 'moderator').map((m) => m.displayName),
        threads: readable ? await repo.threadsOf(group.id) : [],
        upcoming: await eventCounts(events.filter((e) => e.endsAt > now)),
        past: events.filter((e) => e.endsAt <= now).reverse(),
        pendingCount: moderating ? members.filter((m) => m.member.status === 'pending').length : 0,
        flagCount: moderating ? await repo.openFlagCount(group.id) : 0,
        can: {
          read: readable,
          post: canPost(user, mv),
          join: canJoin(user, mv),
          leave: Boolean(member),
          moderate: moderating,
          manageEvents: canManageEvents(user, mv),
        },
      };
    },

    /** Administrators start a group; they become its first moderator. */
    async createGroup(user: CurrentUser, actor: Actor, input: GroupInput) {
      if (!canCreateGroup(user)) throw new ForbiddenError('Administrators start groups');
      const base = slugify(input.name);
      let slug = base;
      for (let n = 2; await repo.findGroupBySlug(slug); n++) slug = `${base}-${n}`;
      return db.transaction(async () => {
        const group = await repo.insertGroup({ ...input, slug, createdBy: user.id });
        await repo.insertMember({
          groupId: group.id,
          userId: user.id,
          role: 'moderator',
          status: 'active',
          decidedAt: clock.now(),
        });
        await audit.record(actor, {
          action: 'communities.group.created',
          entityType: 'community_group',
          entityId: group.id,
          details: { joinPolicy: input.joinPolicy },
        });
        return group;
      });
    },

    /**
     * Joins an open group at once, or asks to join a group that joins by request (its moderators are told
     * by email). Asking twice is refused clearly.
     */
    async join(user: CurrentUser, actor: Actor, slug: string, note: string | null) {
      const group = await groupOr404(slug);
      if (await repo.findMember(group.id, user.id)) throw new CommunityRefusal('alreadyMember');
      const status = joinStatus(group.joinPolicy);
      await db.transaction(async () => {
        let member: MemberRow;
        try {
          member = await db.transaction(() =>
            repo.insertMember({
              groupId: group.id,
              userId: user.id,
              status,
              requestNote: status === 'pending' ? note : null,
              decidedAt: status === 'active' ? clock.now() : null,
            }),
          );
        } catch (error) {
          if (isUniqueViolation(error)) throw new CommunityRefusal('alreadyMember');
          throw error;
        }
        await audit.record(actor, {
          action: status === 'active' ? 'communities.member.joined' : 'communities.member.requested',
          entityType: 'community_group',
          entityId: group.id,
          details: { memberId: member.id },
        });
        if (status === 'pending')
          await outbox.queueMany(
            (await moderatorsOf(group.id)).map((m) => ({
              to: m.email,
              template: 'communityJoinRequest',
              params: {
                name: m.displayName,
                person: user.displayName,
                group: group.name,
                note: note ?? '',
                link: link(p.members({ slug })),
              },
            })),
          );
      });
      await deps.emailsQueued();
      return { group, status };
    },

    /** Leaves a group (or withdraws a request). The last moderator cannot leave. */
    async leave(user: CurrentUser, actor: Actor, slug: string) {
      const group = await groupOr404(slug);
      const member = await repo.findMember(group.id, user.id);
      if (!member) throw new NotFoundError('Not a member');
      if (!canLeaveGroup(member, await repo.moderatorCount(group.id)))
        throw new CommunityRefusal('lastModerator');
      await db.transaction(async () => {
        await repo.deleteMember(member.id);
        await audit.record(actor, {
          action: member.status === 'pending' ? 'communities.member.withdrew' : 'communities.member.left',
          entityType: 'community_group',
          entityId: group.id,
          details: { memberId: member.id },
        });
      });
      return group;
    },

    /** The members page for moderators: requests waiting first, then members with the side they come from. */
    async members(user: CurrentUser, slug: string) {
      const group = await groupOr404(slug);
      const me = await membership(user, group.id);
      if (!canModerate(user, view(me))) throw new ForbiddenError('Moderators only');
      const rows = await repo.membersOf(group.id);
      const kinds = await repo.organisationKindsOf(rows.map((r) => r.member.userId));
      const withSide = rows.map((r) => ({ ...r, kinds: kinds.get(r.member.userId) ?? [] }));
      return {
        group,
        me,
        pending: withSide.filter((r) => r.member.status === 'pending'),
        active: withSide.filter((r) => r.member.status === 'active'),
      };
    },

    /** A moderator approves or declines a request to join; the person is told by email. */
    async decideMember(
      user: CurrentUser,
      actor: Actor,
      slug: string,
      memberId: string,
      decision: 'approve' | 'decline',
    ) {
      const group = await groupOr404(slug);
      if (!canModerate(user, view(await membership(user, group.id))))
        throw new ForbiddenError('Moderators only');
      const member = isUuid(memberId) ? await repo.findMemberById(memberId) : undefined;
      if (!member || member.groupId !== group.id) throw new NotFoundError('No such request');
      if (member.status !== 'pending') throw new BadRequestError('Already decided');
      const person = await repo.userContact(member.userId);
      await db.transaction(async () => {
        if (decision === 'approve')
          await repo.updateMember(member.id, { status: 'active', decidedAt: clock.now() });
        // A declined request is removed, so the person may ask again later.
        else await repo.deleteMember(member.id);
        await audit.record(actor, {
          action: decision === 'approve' ? 'communities.member.approved' : 'communities.member.declined',
          entityType: 'community_group',
          entityId: group.id,
          details: { memberId: member.id, userId: member.userId },
        });
        if (person)
          await outbox.queue({
            to: person.email,
            template: decision === 'approve' ? 'communityJoinApproved' : 'communityJoinDeclined',
            params: { name: person.displayName, group: group.name, link: link(p.group({ slug })) },
          });
      });
      await deps.emailsQueued();
      return person;
    },

    /** A moderator makes a member a moderator, or back; a group always keeps one moderator. */
    async setRole(
      user: CurrentUser,
      actor: Actor,
      slug: string,
      memberId: string,
      role: 'member' | 'moderator',
    ) {
      const group = await groupOr404(slug);
      if (!canModerate(user, view(await membership(user, group.id))))
        throw new ForbiddenError('Moderators only');
      const member = isUuid(memberId) ? await repo.findMemberById(memberId) : undefined;
      if (!member || member.groupId !== group.id || member.status !== 'active')
        throw new NotFoundError('No such member');
      if (member.role === role) return;
      if (role === 'member' && !canLeaveGroup(member, await repo.moderatorCount(group.id)))
        throw new CommunityRefusal('lastModerator');
      await db.transaction(async () => {
        await repo.updateMember(member.id, { role });
        await audit.record(actor, {
          action: 'communities.member.role',
          entityType: 'community_group',
          entityId: group.id,
          details: { memberId: member.id, from: member.role, to: role },
        });
      });
    },

    // Email settings

    async frequency(userId: string): Promise<NotificationFrequency> {
      return effectiveFrequency(await repo.preference(userId));
    },

    async saveFrequency(user: CurrentUser, actor: Actor, frequency: NotificationFrequency) {
      await db.transaction(async () => {
        await repo.savePreference(user.id, frequency, clock.now());
        await audit.record(actor, {
          action: 'communities.settings.saved',
          entityType: 'community_preferences',
          entityId: user.id,
          details: { frequency },
        });
      });
    },

    // Discussions

    async startThread(user: CurrentUser, actor: Actor, slug: string, input: ThreadInput) {
      const group = await groupOr404(slug);
      if (!canPost(user, view(await membership(user, group.id)))) throw new ForbiddenError('Members only');
      const thread = await db.transaction(async () => {
        const now = clock.now();
        const thread = await repo.insertThread({
          groupId: group.id,
          title: input.title,
          authorId: user.id,
          lastPostAt: now,
        });
        const post = await repo.insertPost({ threadId: thread.id, authorId: user.id, body: input.body });
        await audit.record(actor, {
          action: 'communities.thread.started',
          entityType: 'community_thread',
          entityId: thread.id,
          details: { groupId: group.id, postId: post.id },
        });
        await notifyPost(group, thread, post, user);
        return thread;
      });
      await deps.emailsQueued();
      return thread;
    },

    /** A thread to read: posts in reply order, hidden posts shown as hidden except to moderators. */
    async thread(user: CurrentUser | null, id: string) {
      const { thread, group } = await threadOr404(id);
      const member = await membership(user, group.id);
      const mv = view(member);
      if (!canReadDiscussions(user, mv)) throw new ForbiddenError('Members only');
      const moderating = canModerate(user, mv);
      const rows = await repo.postsOf(thread.id);
      const authors = new Map(rows.map((r) => [r.id, r.authorName]));
      const posts = threadOrder(rows).map((post) => ({
        ...post,
        parentAuthorName: post.parentId ? (authors.get(post.parentId) ?? null) : null,
        // Moderators still see what was hidden, to reverse a mistake; everyone else sees only that it was.
        body: post.hiddenAt && !moderating ? null : post.body,
      }));
      return {
        thread,
        group,
        posts,
        can: {
          reply: canPost(user, mv) && !thread.lockedAt,
          flag: canFlag(user, mv),
          moderate: moderating,
        },
      };
    },

    async reply(user: CurrentUser, actor: Actor, threadId: string, input: ReplyInput) {
      const { thread, group } = await threadOr404(threadId);
      if (!canPost(user, view(await membership(user, group.id)))) throw new ForbiddenError('Members only');
      if (thread.lockedAt) throw new CommunityRefusal('threadLocked');
      if (input.parentId) {
        const parent = await repo.findPost(input.parentId);
        if (!parent || parent.threadId !== thread.id)
          throw new BadRequestError('Reply to a post of this thread');
      }
      const post = await db.transaction(async () => {
        const post = await repo.insertPost({
          threadId: thread.id,
          parentId: input.parentId,
          authorId: user.id,
          body: input.body,
        });
        await repo.updateThread(thread.id, { lastPostAt: clock.now() });
        await audit.record(actor, {
          action: 'communities.post.replied',
          entityType: 'community_post',
          entityId: post.id,
          details: { threadId: thread.id, parentId: input.parentId },
        });
        await notifyPost(group, thread, post, user);
        return post;
      });
      await deps.emailsQueued();
      return post;
    },

    /** A member flags a post for the moderators; flagging the same post twice changes nothing. */
    async flag(user: CurrentUser, actor: Actor, postId: string, reason: string) {
      const { post, thread, group } = await postOr404(postId);
      if (!canFlag(user, view(await membership(user, group.id)))) throw new ForbiddenError('Members only');
      await db.transaction(async () => {
        const added = await repo.insertFlag({ postId: post.id, flaggedBy: user.id, reason });
        if (added)
          await audit.record(actor, {
            action: 'communities.post.flagged',
            entityType: 'community_post',
            entityId: post.id,
            details: { threadId: thread.id },
          });
      });
      return { post, thread, group };
    },

    /** The post a person is about to flag (the flag page quotes it). */
    async postForFlag(user: CurrentUser, postId: string) {
      const { post, thread, group } = await postOr404(postId);
      if (!canFlag(user, view(await membership(user, group.id)))) throw new ForbiddenError('Members only');
      return { post, thread, group };
    },

    /** A moderator hides a post (resolving its open flags as upheld) or shows it again. */
    async hide(
      user: CurrentUser,
      actor: Actor,
      postId: string,
      action: 'hide' | 'show',
      reason: string | null,
    ) {
      const { post, thread, group } = await postOr404(postId);
      if (!canModerate(user, view(await membership(user, group.id))))
        throw new ForbiddenError('Moderators only');
      await db.transaction(async () => {
        const now = clock.now();
        if (action === 'hide') {
          await repo.updatePost(post.id, { hiddenAt: now, hiddenBy: user.id, hiddenReason: reason });
          await repo.resolveFlagsOfPost(post.id, { status: 'upheld', resolvedAt: now, resolvedBy: user.id });
        } else await repo.updatePost(post.id, { hiddenAt: null, hiddenBy: null, hiddenReason: null });
        await audit.record(actor, {
          action: action === 'hide' ? 'communities.post.hidden' : 'communities.post.shown',
          entityType: 'community_post',
          entityId: post.id,
          details: { threadId: thread.id },
        });
      });
      return thread;
    },

    async lock(user: CurrentUser, actor: Actor, threadId: string, action: 'lock' | 'unlock') {
      const { thread, group } = await threadOr404(threadId);
      if (!canModerate(user, view(await membership(user, group.id))))
        throw new ForbiddenError('Moderators only');
      await db.transaction(async () => {
        await repo.updateThread(
          thread.id,
          action === 'lock'
            ? { lockedAt: clock.now(), lockedBy: user.id }
            : { lockedAt: null, lockedBy: null },
        );
        await audit.record(actor, {
          action: action === 'lock' ? 'communities.thread.locked' : 'communities.thread.unlocked',
          entityType: 'community_thread',
          entityId: thread.id,
        });
      });
      return thread;
    },

    /** The moderators' queue of flagged posts. */
    async flags(user: CurrentUser, slug: string) {
      const group = await groupOr404(slug);
      if (!canModerate(user, view(await membership(user, group.id))))
        throw new ForbiddenError('Moderators only');
      return { group, flags: await repo.openFlagsOf(group.id) };
    },

    /** Upholding a flag hides the post (with the flag's reason); dismissing leaves it. Either clears its flags. */
    async resolveFlag(user: CurrentUser, actor: Actor, flagId: string, decision: 'upheld' | 'dismissed') {
      const flag = isUuid(flagId) ? await repo.findFlag(flagId) : undefined;
      if (!flag) throw new NotFoundError('No such flag');
      const { post, group } = await postOr404(flag.postId);
      if (!canModerate(user, view(await membership(user, group.id))))
        throw new ForbiddenError('Moderators only');
      await db.transaction(async () => {
        const now = clock.now();
        if (decision === 'upheld' && !post.hiddenAt)
          await repo.updatePost(post.id, { hiddenAt: now, hiddenBy: user.id, hiddenReason: flag.reason });
        await repo.resolveFlagsOfPost(post.id, { status: decision, resolvedAt: now, resolvedBy: user.id });
        await audit.record(actor, {
          action: `communities.flag.${decision}`,
          entityType: 'community_post',
          entityId: post.id,
          details: { flagId },
        });
      });
      return group;
    },

    // Events

    /** Events that have not ended that the person may see: public ones and their groups' own. */
    async events(user: CurrentUser | null) {
      const mine = user ? await repo.membershipsOfUser(user.id) : [];
      const groupIds = mine.filter((m) => m.status === 'active').map((m) => m.groupId);
      return eventCounts(await repo.listEvents({ from: clock.now(), groupIds }));
    },

    /** Upcoming public events (for the API and the feed). */
    async publicEvents(from?: Date) {
      return eventCounts(await repo.listEvents({ from: from ?? clock.now(), publicOnly: true }));
    },

    /** One public event (for the API): members-only events are not found. */
    async publicEvent(id: string) {
      const event = await eventOr404(id);
      if (event.visibility !== 'public') throw new NotFoundError('No such event');
      return (await eventCounts([event]))[0]!;
    },

    async createEvent(user: CurrentUser, actor: Actor, slug: string, input: EventInput) {
      const group = await groupOr404(slug);
      if (!canManageEvents(user, view(await membership(user, group.id))))
        throw new ForbiddenError('Moderators only');
      if (input.startsAt.getTime() <= clock.now().getTime()) throw new CommunityRefusal('startsInPast');
      return db.transaction(async () => {
        const event = await repo.insertEvent({
          groupId: group.id,
          title: input.title,
          description: input.description,
          mode: input.mode,
          location: input.location,
          joinUrl: input.mode === 'online' ? input.joinUrl : null,
          startsAt: input.startsAt,
          endsAt: input.endsAt,
          capacity: input.capacity,
          visibility: input.visibility,
          createdBy: user.id,
          updatedAt: clock.now(),
        });
        await audit.record(actor, {
          action: 'communities.event.created',
          entityType: 'community_event',
          entityId: event.id,
          details: { groupId: group.id, capacity: input.capacity, visibility: input.visibility },
        });
        return event;
      });
    },

    /**
     * The edit form of an event, filled from what is saved (UK date and times). Only those who run the
     * group's events, and only while the event is scheduled and has not started.
     */
    async eventForEdit(user: CurrentUser, id: string) {
      const event = await eventOr404(id);
      if (!canManageEvents(user, view(await membership(user, event.groupId))))
        throw new ForbiddenError('Moderators only');
      const registeredCount = (await repo.registeredCounts([id])).get(id) ?? 0;
      const [year, month, day] = londonDateOf(event.startsAt).split('-');
      return {
        event,
        registeredCount,
        editable: event.status === 'scheduled' && event.startsAt > clock.now(),
        values: {
          title: event.title,
          description: event.description,
          mode: event.mode,
          location: event.location,
          joinUrl: event.joinUrl ?? '',
          'date-day': String(Number(day)),
          'date-month': String(Number(month)),
          'date-year': year,
          startTime: londonTimeOf(event.startsAt),
          endTime: londonTimeOf(event.endsAt),
          capacity: String(event.capacity),
          visibility: event.visibility,
        } as Record<string, string>,
      };
    },

    /**
     * An organiser changes an event before it starts. The number of places may not go below the people
     * who already hold one (refused with that number, nothing changed); raising it gives the new places to
     * the waiting list in order, and those promoted are told. When the time, place or joining link changes,
     * everyone registered or waiting is told, and the calendar SEQUENCE goes up so calendars update.
     */
    async editEvent(user: CurrentUser, actor: Actor, id: string, input: EventInput) {
      const found = await eventOr404(id);
      if (!canManageEvents(user, view(await membership(user, found.groupId))))
        throw new ForbiddenError('Moderators only');
      const result = await db.transaction(async () => {
        await repo.lockEvent(id);
        const event = (await repo.findEvent(id))!;
        const now = clock.now();
        if (event.status === 'cancelled') throw new CommunityRefusal('editCancelled');
        if (event.startsAt <= now) throw new CommunityRefusal('editAfterStart');
        if (input.startsAt <= now) throw new CommunityRefusal('startsInPast');
        const all = await repo.registrationsOf(id);
        const registered = all.filter((r) => r.status === 'registered').length;
        const waiting = all.filter((r) => r.status === 'waiting').length;
        const decision = decideCapacityChange(input.capacity, registered, waiting);
        if (!decision.ok) throw new CommunityRefusal(decision.reason, { registered: decision.registered });
        const joinUrl = input.mode === 'online' ? input.joinUrl : null;
        const practical =
          event.startsAt.getTime() !== input.startsAt.getTime() ||
          event.endsAt.getTime() !== input.endsAt.getTime() ||
          event.location !== input.location ||
          event.mode !== input.mode ||
          event.joinUrl !== joinUrl;
        const changed: string[] = (
          ['title', 'description', 'mode', 'location', 'capacity', 'visibility'] as const
        ).filter((k) => event[k] !== input[k]);
        if (event.startsAt.getTime() !== input.startsAt.getTime()) changed.push('startsAt');
        if (event.endsAt.getTime() !== input.endsAt.getTime()) changed.push('endsAt');
        await repo.updateEvent(id, {
          title: input.title,
          description: input.description,
          mode: input.mode,
          location: input.location,
          joinUrl,
          startsAt: input.startsAt,
          endsAt: input.endsAt,
          capacity: input.capacity,
          visibility: input.visibility,
          sequence: event.sequence + 1,
          // A new date means a new day-before reminder.
          ...(event.startsAt.getTime() !== input.startsAt.getTime() ? { reminderSentAt: null } : {}),
          updatedAt: now,
        });
        await audit.record(actor, {
          action: 'communities.event.updated',
          entityType: 'community_event',
          entityId: id,
          details: { changed, capacity: { from: event.capacity, to: input.capacity } },
        });
        const updated = (await repo.findEvent(id))!;
        const promoted = decision.promote > 0 ? await promoteFromWaitingList(updated, actor) : [];
        if (practical) {
          const moved = new Set(promoted.map((r) => r.id));
          await outbox.queueMany(
            all
              .filter((r) => r.status !== 'cancelled' && !moved.has(r.id))
              .map((r) => ({
                to: r.email,
                template: 'communityEventChanged',
                params: {
                  name: r.displayName,
                  title: updated.title,
                  when: when(updated.startsAt),
                  where: updated.location,
                  link: link(p.event({ id })),
                  ics: link(p.eventIcs({ id })),
                },
              })),
          );
        }
        return { promoted: promoted.length };
      });
      await deps.emailsQueued();
      return result;
    },

    /** An event's page: places left, the person's registration and place in the queue, and for moderators the list. */
    async event(user: CurrentUser | null, id: string) {
      const event = await eventOr404(id);
      const member = await membership(user, event.groupId);
      const mv = view(member);
      if (!canSeeEvent(user, mv, event)) throw new ForbiddenError('Members only');
      const registrations = await repo.registrationsOf(event.id);
      const registered = registrations.filter((r) => r.status === 'registered');
      const waiting = registrations.filter((r) => r.status === 'waiting');
      const mine = user ? (registrations.find((r) => r.userId === user.id) ?? null) : null;
      const now = clock.now();
      const managing = canManageEvents(user, mv);
      return {
        event,
        registeredCount: registered.length,
        waitingCount: waiting.length,
        placesLeft: placesLeft(event.capacity, registered.length),
        mine,
        position: mine?.status === 'waiting' ? waitingPosition(waiting, mine.userId) : null,
        started: event.startsAt <= now,
        ended: event.endsAt <= now,
        joinUrl: canSeeJoinLink(user, mv, mine) ? event.joinUrl : null,
        registrations: managing ? { registered, waiting } : null,
        can: {
          register: canRegister(user, mv, event),
          manage: managing,
          edit: managing && event.status === 'scheduled' && event.startsAt > now,
          publishNotes: managing && event.startsAt <= now && event.status === 'scheduled',
        },
      };
    },

    /**
     * Registers the person: a place while places are left, otherwise the waiting list. Refused clearly, and
     * nothing changed, when they already have a place or are waiting, or the event has started or is
     * cancelled. Returns the status they got.
     */
    async register(user: CurrentUser, actor: Actor, id: string): Promise<'registered' | 'waiting'> {
      const found = await eventOr404(id);
      if (!canRegister(user, view(await membership(user, found.groupId)), found))
        throw new ForbiddenError('Members only');
      const status = await db.transaction(async () => {
        await repo.lockEvent(id);
        const event = (await repo.findEvent(id))!;
        const existing = await repo.findRegistration(id, user.id);
        const registeredCount = (await repo.registeredCounts([id])).get(id) ?? 0;
        const decision = decideRegistration({ event, existing, registeredCount, now: clock.now() });
        if (!decision.ok) throw new CommunityRefusal(decision.reason);
        const values = {
          status: decision.status,
          queuedAt: clock.now(),
          cancelledAt: null,
          promotedAt: null,
        };
        let registrationId: string;
        if (existing) {
          await repo.updateRegistration(existing.id, values);
          registrationId = existing.id;
        } else {
          try {
            registrationId = (
              await db.transaction(() => repo.insertRegistration({ eventId: id, userId: user.id, ...values }))
            ).id;
          } catch (error) {
            // Two submissions at once (a double click): the unique index keeps one.
            if (isUniqueViolation(error)) throw new CommunityRefusal('alreadyRegistered');
            throw error;
          }
        }
        await audit.record(actor, {
          action:
            decision.status === 'registered' ? 'communities.event.registered' : 'communities.event.waiting',
          entityType: 'community_event',
          entityId: id,
          details: { registrationId },
        });
        await outbox.queue({
          to: user.email,
          template: decision.status === 'registered' ? 'communityRegistered' : 'communityWaiting',
          params: {
            name: user.displayName,
            title: event.title,
            when: when(event.startsAt),
            where: event.location,
            link: link(p.event({ id })),
            ics: link(p.eventIcs({ id })),
          },
        });
        return decision.status;
      });
      await deps.emailsQueued();
      return status;
    },

    /**
     * Cancels the person's place or their place in the queue. A freed place goes at once to the first person
     * waiting, who is told by email (only before the event starts, and not for a cancelled event).
     */
    async cancelRegistration(user: CurrentUser, actor: Actor, id: string) {
      await eventOr404(id);
      const promoted = await db.transaction(async () => {
        await repo.lockEvent(id);
        const event = (await repo.findEvent(id))!;
        const mine = await repo.findRegistration(id, user.id);
        if (!mine || mine.status === 'cancelled') throw new CommunityRefusal('notRegistered');
        const now = clock.now();
        await repo.updateRegistration(mine.id, { status: 'cancelled', cancelledAt: now });
        await audit.record(actor, {
          action: 'communities.event.cancelledRegistration',
          entityType: 'community_event',
          entityId: id,
          details: { registrationId: mine.id, from: mine.status },
        });
        if (mine.status !== 'registered' || event.status !== 'scheduled' || event.startsAt <= now) return [];
        return promoteFromWaitingList(event, actor);
      });
      await deps.emailsQueued();
      return promoted;
    },

    /** An organiser cancels the event: everyone registered or waiting is told; calendars get STATUS:CANCELLED. */
    async cancelEvent(user: CurrentUser, actor: Actor, id: string) {
      const event = await eventOr404(id);
      if (!canManageEvents(user, view(await membership(user, event.groupId))))
        throw new ForbiddenError('Moderators only');
      if (event.status === 'cancelled') throw new CommunityRefusal('eventAlreadyCancelled');
      await db.transaction(async () => {
        await repo.updateEvent(id, {
          status: 'cancelled',
          sequence: event.sequence + 1,
          updatedAt: clock.now(),
        });
        await audit.record(actor, {
          action: 'communities.event.cancelled',
          entityType: 'community_event',
          entityId: id,
        });
        await outbox.queueMany(
          (await repo.registrationsOf(id)).map((r) => ({
            to: r.email,
            template: 'communityEventCancelled',
            params: {
              name: r.displayName,
              title: event.title,
              when: when(event.startsAt),
              link: link(p.event({ id })),
            },
          })),
        );
      });
      await deps.emailsQueued();
    },

    /** Notes or outputs from the meeting, published on the event page once it has started; attendees are told. */
    async publishNotes(user: CurrentUser, actor: Actor, id: string, notes: string) {
      const event = await eventOr404(id);
      if (!canManageEvents(user, view(await membership(user, event.groupId))))
        throw new ForbiddenError('Moderators only');
      if (event.startsAt > clock.now()) throw new CommunityRefusal('notesBeforeStart');
      const first = !event.notesPublishedAt;
      await db.transaction(async () => {
        await repo.updateEvent(id, { notes, notesPublishedAt: clock.now(), updatedAt: clock.now() });
        await audit.record(actor, {
          action: first ? 'communities.event.notesPublished' : 'communities.event.notesUpdated',
          entityType: 'community_event',
          entityId: id,
        });
        if (first)
          await outbox.queueMany(
            (await repo.registrationsOf(id))
              .filter((r) => r.status === 'registered')
              .map((r) => ({
                to: r.email,
                template: 'communityNotes',
                params: { name: r.displayName, title: event.title, link: link(p.event({ id })) },
              })),
          );
      });
      await deps.emailsQueued();
    },

    /** The .ics file of one event the person may see. */
    async eventIcs(user: CurrentUser | null, id: string) {
      const event = await eventOr404(id);
      if (!canSeeEvent(user, view(await membership(user, event.groupId)), event))
        throw new ForbiddenError('Members only');
      return icsCalendar([icsEvent(event)], { domain, now: clock.now() });
    },

    /** The feed of public events: those not yet ended, plus the last 30 days (so cancellations reach calendars). */
    async feed(name: string) {
      const from = new Date(clock.now().getTime() - 30 * 86_400_000);
      const events = await repo.listEvents({ from, publicOnly: true });
      return icsCalendar(events.map(icsEvent), { domain, now: clock.now(), name });
    },

    // The daily task

    /**
     * Sends each person on the daily digest one email listing yesterday's new posts in their groups. Items
     * are dropped, not sent, when the post was hidden, the person left the group, or they changed their
     * setting since. Safe to run twice: sent items are marked in the same transaction.
     */
    async sendDigests(): Promise<number> {
      const items = await repo.pendingDigest();
      const byUser = new Map<string, typeof items>();
      for (const item of items) byUser.set(item.userId, [...(byUser.get(item.userId) ?? []), item]);
      let sent = 0;
      for (const [userId, list] of byUser) {
        const frequency = await service.frequency(userId);
        const groups = new Set(
          (await repo.membershipsOfUser(userId)).filter((m) => m.status === 'active').map((m) => m.groupId),
        );
        const keep = list.filter((i) => !i.postHidden && groups.has(i.groupId) && !i.disabledAt);
        await db.transaction(async () => {
          await repo.markDigestSent(
            list.map((i) => i.id),
            clock.now(),
          );
          if (frequency !== 'daily' || keep.length === 0) return;
          const first = keep[0]!;
          await outbox.queue({
            to: first.email,
            template: 'communityDigest',
            params: {
              name: first.displayName,
              count: keep.length,
              items: keep
                .map(
                  (i) =>
                    `${i.groupName}: “${i.threadTitle}”\n${excerpt(i.postBody)}\n${link(p.thread({ id: i.threadId }))}`,
                )
                .join('\n\n'),
              settings: link(p.settings()),
            },
          });
          sent++;
        });
      }
      if (sent) await deps.emailsQueued();
      return sent;
    },

    /** The reminder the day before, to everyone with a place (online events: with the joining link). */
    async sendReminders(): Promise<number> {
      const now = clock.now();
      const candidates = await repo.reminderCandidates(now, new Date(now.getTime() + 3 * 86_400_000));
      let sent = 0;
      for (const event of candidates.filter((e) => isReminderDue(e, now))) {
        await db.transaction(async () => {
          await repo.updateEvent(event.id, { reminderSentAt: now });
          const people = (await repo.registrationsOf(event.id)).filter((r) => r.status === 'registered');
          await outbox.queueMany(
            people.map((r) => ({
              to: r.email,
              template: 'communityReminder',
              params: {
                name: r.displayName,
                title: event.title,
                when: when(event.startsAt),
                where:
                  event.mode === 'online'
                    ? `${event.location}\nJoin: ${event.joinUrl ?? ''}`
                    : event.location,
                link: link(p.event({ id: event.id })),
              },
            })),
          );
          await audit.record(systemActor, {
            action: 'communities.event.reminded',
            entityType: 'community_event',
            entityId: event.id,
            details: { people: people.length },
          });
          sent += people.length;
        });
      }
      if (sent) await deps.emailsQueued();
      return sent;
    },

    async runDaily() {
      return { digests: await service.sendDigests(), reminders: await service.sendReminders() };
    },
  };

  /** Gives free places to the first people waiting; runs inside the caller's transaction, event locked. */
  async function promoteFromWaitingList(event: EventWithGroup, actor: Actor) {
    const all = await repo.registrationsOf(event.id);
    const registered = all.filter((r) => r.status === 'registered').length;
    const chosen = promotions(
      event.capacity,
      registered,
      all.filter((r) => r.status === 'waiting'),
    );
    const now = clock.now();
    for (const r of chosen) {
      await repo.updateRegistration(r.id, { status: 'registered', promotedAt: now });
      await audit.record(actor, {
        action: 'communities.event.promoted',
        entityType: 'community_event',
        entityId: event.id,
        details: { registrationId: r.id, userId: r.userId },
      });
    }
    await outbox.queueMany(
      chosen.map((r) => ({
        to: r.email,
        template: 'communityPromoted',
        params: {
          name: r.displayName,
          title: event.title,
          when: when(event.startsAt),
          where: event.location,
          link: link(communityPaths.event({ id: event.id })),
        },
      })),
    );
    return chosen;
  }

  return service;
}

export type CommunitiesService = ReturnType<typeof createCommunitiesService>;
