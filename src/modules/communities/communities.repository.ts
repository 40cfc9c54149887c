/** SQL for communities of practice. Asks `db.get()` at query time, so it runs in the caller's transaction. */
import { and, asc, count, desc, eq, gt, inArray, isNull, lte, or, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../../platform/db/database.ts';
import { memberships, users } from '../accounts/accounts.tables.ts';
import { organisations } from '../directory/directory.tables.ts';
import {
  communityDigestItems,
  communityEvents,
  communityFlags,
  communityGroups,
  communityMembers,
  communityPosts,
  communityPreferences,
  communityRegistrations,
  communityThreads,
  type NotificationFrequency,
} from './communities.tables.ts';

export type GroupRow = typeof communityGroups.$inferSelect;
export type MemberRow = typeof communityMembers.$inferSelect;
export type ThreadRow = typeof communityThreads.$inferSelect;
export type PostRow = typeof communityPosts.$inferSelect;
export type FlagRow = typeof communityFlags.$inferSelect;
export type EventRow = typeof communityEvents.$inferSelect;
export type RegistrationRow = typeof communityRegistrations.$inferSelect;
export type EventWithGroup = EventRow & { groupSlug: string; groupName: string };

export function createCommunitiesRepository(db: Database) {
  const q = () => db.get();
  const selectEvents = () =>
    q()
      .select({ event: communityEvents, groupSlug: communityGroups.slug, groupName: communityGroups.name })
      .from(communityEvents)
      .innerJoin(communityGroups, eq(communityGroups.id, communityEvents.groupId));
  const flatEvent = (r: { event: EventRow; groupSlug: string; groupName: string }): EventWithGroup => ({
    ...r.event,
    groupSlug: r.groupSlug,
    groupName: r.groupName,
  });

  return {
    // Groups and members

    async insertGroup(values: typeof communityGroups.$inferInsert) {
      const [row] = await q().insert(communityGroups).values(values).returning();
      return row!;
    },
    async findGroupBySlug(slug: string): Promise<GroupRow | undefined> {
      const [row] = await q().select().from(communityGroups).where(eq(communityGroups.slug, slug));
      return row;
    },
    async findGroup(id: string): Promise<GroupRow | undefined> {
      const [row] = await q().select().from(communityGroups).where(eq(communityGroups.id, id));
      return row;
    },
    /** Every group with its number of active members, by name. */
    async listGroups() {
      const members = q()
        .select({ groupId: communityMembers.groupId, n: count().as('n') })
        .from(communityMembers)
        .where(eq(communityMembers.status, 'active'))
        .groupBy(communityMembers.groupId)
        .as('members');
      const rows = await q()
        .select({ group: communityGroups, memberCount: members.n })
        .from(communityGroups)
        .leftJoin(members, eq(members.groupId, communityGroups.id))
        .orderBy(asc(communityGroups.name));
      return rows.map((r) => ({ ...r.group, memberCount: Number(r.memberCount ?? 0) }));
    },
    async insertMember(values: typeof communityMembers.$inferInsert) {
      const [row] = await q().insert(communityMembers).values(values).returning();
      return row!;
    },
    async findMember(groupId: string, userId: string): Promise<MemberRow | undefined> {
      const [row] = await q()
        .select()
        .from(communityMembers)
        .where(and(eq(communityMembers.groupId, groupId), eq(communityMembers.userId, userId)));
      return row;
    },
    async findMemberById(id: string): Promise<MemberRow | undefined> {
      const [row] = await q().select().from(communityMembers).where(eq(communityMembers.id, id));
      return row;
    },
    async updateMember(id: string, values: Partial<typeof communityMembers.$inferInsert>) {
      await q().update(communityMembers).set(values).where(eq(communityMembers.id, id));
    },
    async deleteMember(id: string) {
      await q().delete(communityMembers).where(eq(communityMembers.id, id));
    },
    /** A group's members (active and pending) with their names and emails, moderators first. */
    async membersOf(groupId: string) {
      return q()
        .select({ member: communityMembers, displayName: users.displayName, email: users.email })
        .from(communityMembers)
        .innerJoin(users, eq(users.id, communityMembers.userId))
        .where(eq(communityMembers.groupId, groupId))
        .orderBy(desc(communityMembers.role), asc(users.displayName));
    },
    async moderatorCount(groupId: string): Promise<number> {
      const [row] = await q()
        .select({ n: count() })
        .from(communityMembers)
        .where(
          and(
            eq(communityMembers.groupId, groupId),
            eq(communityMembers.role, 'moderator'),
            eq(communityMembers.status, 'active'),
          ),
        );
      return Number(row?.n ?? 0);
    },
    async membershipsOfUser(userId: string): Promise<MemberRow[]> {
      return q().select().from(communityMembers).where(eq(communityMembers.userId, userId));
    },
    /** The kinds of organisation each person belongs to (to show which side they come from). */
    async organisationKindsOf(userIds: string[]): Promise<Map<string, string[]>> {
      if (!userIds.length) return new Map();
      const rows = await q()
        .selectDistinct({ userId: memberships.userId, kind: organisations.kind })
        .from(memberships)
        .innerJoin(organisations, eq(organisations.id, memberships.organisationId))
        .where(inArray(memberships.userId, userIds));
      const out = new Map<string, string[]>();
      for (const r of rows) out.set(r.userId, [...(out.get(r.userId) ?? []), r.kind]);
      return out;
    },

    // Email settings

    async preference(userId: string): Promise<NotificationFrequency | undefined> {
      const [row] = await q()
        .select({ frequency: communityPreferences.frequency })
        .from(communityPreferences)
        .where(eq(communityPreferences.userId, userId));
      return row?.frequency;
    },
    async preferencesFor(userIds: string[]): Promise<Map<string, NotificationFrequency>> {
      if (!userIds.length) return new Map();
      const rows = await q()
        .select()
        .from(communityPreferences)
        .where(inArray(communityPreferences.userId, userIds));
      return new Map(rows.map((r) => [r.userId, r.frequency]));
    },
    async savePreference(userId: string, frequency: NotificationFrequency, at: Date) {
      await q()
        .insert(communityPreferences)
        .values({ userId, frequency, updatedAt: at })
        .onConflictDoUpdate({ target: communityPreferences.userId, set: { frequency, updatedAt: at } });
    },

    // Threads and posts

    async insertThread(values: typeof communityThreads.$inferInsert) {
      const [row] = await q().insert(communityThreads).values(values).returning();
      return row!;
    },
    async findThread(id: string): Promise<ThreadRow | undefined> {
      const [row] = await q().select().from(communityThreads).where(eq(communityThreads.id, id));
      return row;
    },
    async updateThread(id: string, values: Partial<typeof communityThreads.$inferInsert>) {
      await q().update(communityThreads).set(values).where(eq(communityThreads.id, id));
    },
    /** A group's threads, latest activity first, with their number of posts and who started them. */
    async threadsOf(groupId: string) {
      const posts = q()
        .select({ threadId: communityPosts.threadId, n: count().as('n') })
        .from(communityPosts)
        .groupBy(communityPosts.threadId)
        .as('posts');
      const rows = await q()
        .select({ thread: communityThreads, postCount: posts.n, authorName: users.displayName })
        .from(communityThreads)
        .leftJoin(posts, eq(posts.threadId, communityThreads.id))
        .leftJoin(users, eq(users.id, communityThreads.authorId))
        .where(eq(communityThreads.groupId, groupId))
        .orderBy(desc(communityThreads.lastPostAt));
      return rows.map((r) => ({
        ...r.thread,
        postCount: Number(r.postCount ?? 0),
        authorName: r.authorName,
      }));
    },
    async insertPost(values: typeof communityPosts.$inferInsert) {
      const [row] = await q().insert(communityPosts).values(values).returning();
      return row!;
    },
    async findPost(id: string): Promise<PostRow | undefined> {
      const [row] = await q().select().from(communityPosts).where(eq(communityPosts.id, id));
      return row;
    },
    async updatePost(id: string, values: Partial<typeof communityPosts.$inferInsert>) {
      await q().update(communityPosts).set(values).where(eq(communityPosts.id, id));
    },
    async postsOf(threadId: string) {
      const rows = await q()
        .select({ post: communityPosts, authorName: users.displayName })
        .from(communityPosts)
        .leftJoin(users, eq(users.id, communityPosts.authorId))
        .where(eq(communityPosts.threadId, threadId))
        .orderBy(asc(communityPosts.createdAt));
      return rows.map((r) => ({ ...r.post, authorName: r.authorName }));
    },

    // Flags

    /** One flag per person per post: a second flag by the same person changes nothing (returns false). */
    async insertFlag(values: typeof communityFlags.$inferInsert): Promise<boolean> {
      const rows = await q()
        .insert(communityFlags)
        .values(values)
        .onConflictDoNothing()
        .returning({ id: communityFlags.id });
      return rows.length > 0;
    },
    async findFlag(id: string): Promise<FlagRow | undefined> {
      const [row] = await q().select().from(communityFlags).where(eq(communityFlags.id, id));
      return row;
    },
    /** Open flags on posts in a group, oldest first, with the post, its thread and who flagged it. */
    async openFlagsOf(groupId: string) {
      return q()
        .select({
          flag: communityFlags,
          post: communityPosts,
          threadTitle: communityThreads.title,
          flaggedByName: users.displayName,
        })
        .from(communityFlags)
        .innerJoin(communityPosts, eq(communityPosts.id, communityFlags.postId))
        .innerJoin(communityThreads, eq(communityThreads.id, communityPosts.threadId))
        .leftJoin(users, eq(users.id, communityFlags.flaggedBy))
        .where(and(eq(communityThreads.groupId, groupId), eq(communityFlags.status, 'open')))
        .orderBy(asc(communityFlags.createdAt));
    },
    async openFlagCount(groupId: string): Promise<number> {
      const [row] = await q()
        .select({ n: count() })
        .from(communityFlags)
        .innerJoin(communityPosts, eq(communityPosts.id, communityFlags.postId))
        .innerJoin(communityThreads, eq(communityThreads.id, communityPosts.threadId))
        .where(and(eq(communityThreads.groupId, groupId), eq(communityFlags.status, 'open')));
      return Number(row?.n ?? 0);
    },
    /** Resolves every open flag on a post at once (one decision about one post). */
    async resolveFlagsOfPost(
      postId: string,
      values: { status: 'upheld' | 'dismissed'; resolvedAt: Date; resolvedBy: string },
    ) {
      return q()
        .update(communityFlags)
        .set(values)
        .where(and(eq(communityFlags.postId, postId), eq(communityFlags.status, 'open')))
        .returning({ id: communityFlags.id });
    },

    // Digest

    async insertDigestItems(userIds: string[], postId: string) {
      if (!userIds.length) return;
      await q()
        .insert(communityDigestItems)
        .values(userIds.map((userId) => ({ userId, postId })))
        .onConflictDoNothing();
    },
    /** Unsent digest items with everything the email needs, per person, oldest first. */
    async pendingDigest() {
      return q()
        .select({
          id: communityDigestItems.id,
          userId: communityDigestItems.userId,
          email: users.email,
          displayName: users.displayName,
          disabledAt: users.disabledAt,
          postBody: communityPosts.body,
          postHidden: communityPosts.hiddenAt,
          postCreatedAt: communityPosts.createdAt,
          threadId: communityThreads.id,
          threadTitle: communityThreads.title,
          groupId: communityGroups.id,
          groupName: communityGroups.name,
        })
        .from(communityDigestItems)
        .innerJoin(users, eq(users.id, communityDigestItems.userId))
        .innerJoin(communityPosts, eq(communityPosts.id, communityDigestItems.postId))
        .innerJoin(communityThreads, eq(communityThreads.id, communityPosts.threadId))
        .innerJoin(communityGroups, eq(communityGroups.id, communityThreads.groupId))
        .where(isNull(communityDigestItems.sentAt))
        .orderBy(asc(communityDigestItems.userId), asc(communityPosts.createdAt));
    },
    async markDigestSent(ids: string[], at: Date) {
      if (!ids.length) return;
      await q().update(communityDigestItems).set({ sentAt: at }).where(inArray(communityDigestItems.id, ids));
    },

    // Events and registrations

    async insertEvent(values: typeof communityEvents.$inferInsert) {
      const [row] = await q().insert(communityEvents).values(values).returning();
      return row!;
    },
    async findEvent(id: string): Promise<EventWithGroup | undefined> {
      const rows = await selectEvents().where(eq(communityEvents.id, id)).limit(1);
      return rows[0] ? flatEvent(rows[0]) : undefined;
    },
    /**
     * Locks the event row for the rest of the transaction, so two registrations at once cannot both take
     * the last place (PostgreSQL; PGlite has one connection and runs them one after the other anyway).
     */
    async lockEvent(id: string) {
      await q()
        .select({ id: communityEvents.id })
        .from(communityEvents)
        .where(eq(communityEvents.id, id))
        .for('update');
    },
    async updateEvent(id: string, values: Partial<typeof communityEvents.$inferInsert>) {
      await q().update(communityEvents).set(values).where(eq(communityEvents.id, id));
    },
    /**
     * Events that have not ended, soonest first: public ones, plus members-only events of the given groups.
     * `includePast` lists every event (for the group page's published notes).
     */
    async listEvents(options: { groupIds?: string[]; groupId?: string; from?: Date; publicOnly?: boolean }) {
      const conditions: SQL[] = [];
      if (options.from) conditions.push(gt(communityEvents.endsAt, options.from));
      if (options.groupId) conditions.push(eq(communityEvents.groupId, options.groupId));
      const visible = options.publicOnly
        ? eq(communityEvents.visibility, 'public')
        : or(
            eq(communityEvents.visibility, 'public'),
            options.groupIds?.length ? inArray(communityEvents.groupId, options.groupIds) : sql`false`,
          )!;
      conditions.push(visible);
      const rows = await selectEvents()
        .where(and(...conditions))
        .orderBy(asc(communityEvents.startsAt))
        .limit(500);
      return rows.map(flatEvent);
    },
    /** Events whose reminder may be due: scheduled, not reminded, starting after `now` and before `until`. */
    async reminderCandidates(now: Date, until: Date) {
      const rows = await selectEvents().where(
        and(
          eq(communityEvents.status, 'scheduled'),
          isNull(communityEvents.reminderSentAt),
          gt(communityEvents.startsAt, now),
          lte(communityEvents.startsAt, until),
        ),
      );
      return rows.map(flatEvent);
    },
    async findRegistration(eventId: string, userId: string): Promise<RegistrationRow | undefined> {
      const [row] = await q()
        .select()
        .from(communityRegistrations)
        .where(and(eq(communityRegistrations.eventId, eventId), eq(communityRegistrations.userId, userId)));
      return row;
    },
    async insertRegistration(values: typeof communityRegistrations.$inferInsert) {
      const [row] = await q().insert(communityRegistrations).values(values).returning();
      return row!;
    },
    async updateRegistration(id: string, values: Partial<typeof communityRegistrations.$inferInsert>) {
      await q().update(communityRegistrations).set(values).where(eq(communityRegistrations.id, id));
    },
    /** Registrations that are not cancelled, with names and emails, in queue order. */
    async registrationsOf(eventId: string) {
      const rows = await q()
        .select({ registration: communityRegistrations, displayName: users.displayName, email: users.email })
        .from(communityRegistrations)
        .innerJoin(users, eq(users.id, communityRegistrations.userId))
        .where(
          and(
            eq(communityRegistrations.eventId, eventId),
            inArray(communityRegistrations.status, ['registered', 'waiting']),
          ),
        )
        .orderBy(asc(communityRegistrations.queuedAt), asc(communityRegistrations.id));
      return rows.map((r) => ({ ...r.registration, displayName: r.displayName, email: r.email }));
    },
    /** Places taken per event. */
    async registeredCounts(eventIds: string[]): Promise<Map<string, number>> {
      if (!eventIds.length) return new Map();
      const rows = await q()
        .select({ eventId: communityRegistrations.eventId, n: count() })
        .from(communityRegistrations)
        .where(
          and(
            inArray(communityRegistrations.eventId, eventIds),
            eq(communityRegistrations.status, 'registered'),
          ),
        )
        .groupBy(communityRegistrations.eventId);
      return new Map(rows.map((r) => [r.eventId, Number(r.n)]));
    },
    async userContact(userId: string) {
      const [row] = await q()
        .select({ email: users.email, displayName: users.displayName })
        .from(users)
        .where(eq(users.id, userId));
      return row;
    },
    async userContacts(userIds: string[]) {
      if (!userIds.length) return [];
      return q()
        .select({ id: users.id, email: users.email, displayName: users.displayName })
        .from(users)
        .where(and(inArray(users.id, userIds), isNull(users.disabledAt)));
    },
  };
}

export type CommunitiesRepository = ReturnType<typeof createCommunitiesRepository>;
