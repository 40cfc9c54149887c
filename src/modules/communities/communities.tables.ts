/**
 * Communities of practice (issue 9, item 2): groups with members from both sides, threaded discussions with
 * flagging and moderation, each person's email setting, events with registration and a waiting list, and
 * notes or outputs published from a meeting.
 */
import { index, integer, pgTable, text, uniqueIndex, uuid, type AnyPgColumn } from 'drizzle-orm/pg-core';
import { createdAt, id, tstz } from '../../platform/db/columns.ts';
import { users } from '../accounts/accounts.tables.ts';

export const joinPolicies = ['open', 'request'] as const;
export type JoinPolicy = (typeof joinPolicies)[number];
export const memberRoles = ['member', 'moderator'] as const;
export type MemberRole = (typeof memberRoles)[number];
export const memberStatuses = ['active', 'pending'] as const;
export const notificationFrequencies = ['immediate', 'daily', 'off'] as const;
export type NotificationFrequency = (typeof notificationFrequencies)[number];
export const flagStatuses = ['open', 'upheld', 'dismissed'] as const;
export const eventModes = ['online', 'in_person'] as const;
export type EventMode = (typeof eventModes)[number];
export const eventStatuses = ['scheduled', 'cancelled'] as const;
export const registrationStatuses = ['registered', 'waiting', 'cancelled'] as const;
export type RegistrationStatus = (typeof registrationStatuses)[number];
/** Public events are listed for everyone and in the iCalendar feed; members-only events for the group. */
export const eventVisibilities = ['public', 'members'] as const;
export type EventVisibility = (typeof eventVisibilities)[number];

export const communityGroups = pgTable(
  'community_groups',
  {
    id: id(),
    slug: text('slug').notNull(),
    name: text('name').notNull(),
    description: text('description').notNull(),
    joinPolicy: text('join_policy', { enum: joinPolicies }).notNull(),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('community_groups_slug_idx').on(t.slug)],
);

export const communityMembers = pgTable(
  'community_members',
  {
    id: id(),
    groupId: uuid('group_id')
      .notNull()
      .references(() => communityGroups.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: text('role', { enum: memberRoles }).notNull().default('member'),
    status: text('status', { enum: memberStatuses }).notNull(),
    /** Why they asked to join a group that joins by request. */
    requestNote: text('request_note'),
    createdAt: createdAt(),
    decidedAt: tstz('decided_at'),
  },
  (t) => [
    uniqueIndex('community_members_unique_idx').on(t.groupId, t.userId),
    index('community_members_user_idx').on(t.userId),
  ],
);

/** One per person: how they hear about new posts in their groups. No row means the default, a daily digest. */
export const communityPreferences = pgTable('community_preferences', {
  userId: uuid('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  frequency: text('frequency', { enum: notificationFrequencies }).notNull(),
  updatedAt: tstz('updated_at').notNull(),
});

export const communityThreads = pgTable(
  'community_threads',
  {
    id: id(),
    groupId: uuid('group_id')
      .notNull()
      .references(() => communityGroups.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    authorId: uuid('author_id').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    lastPostAt: tstz('last_post_at').notNull(),
    /** A moderator locked the thread: it can be read but not replied to. */
    lockedAt: tstz('locked_at'),
    lockedBy: uuid('locked_by').references(() => users.id, { onDelete: 'set null' }),
  },
  (t) => [index('community_threads_group_idx').on(t.groupId, t.lastPostAt)],
);

export const communityPosts = pgTable(
  'community_posts',
  {
    id: id(),
    threadId: uuid('thread_id')
      .notNull()
      .references(() => communityThreads.id, { onDelete: 'cascade' }),
    /** The post this one replies to (threaded replies); null for the opening post or a reply to the thread. */
    parentId: uuid('parent_id').references((): AnyPgColumn => communityPosts.id, { onDelete: 'set null' }),
    authorId: uuid('author_id').references(() => users.id, { onDelete: 'set null' }),
    body: text('body').notNull(),
    createdAt: createdAt(),
    hiddenAt: tstz('hidden_at'),
    hiddenBy: uuid('hidden_by').references(() => users.id, { onDelete: 'set null' }),
    hiddenReason: text('hidden_reason'),
  },
  (t) => [index('community_posts_thread_idx').on(t.threadId, t.createdAt)],
);

export const communityFlags = pgTable(
  'community_flags',
  {
    id: id(),
    postId: uuid('post_id')
      .notNull()
      .references(() => communityPosts.id, { onDelete: 'cascade' }),
    flaggedBy: uuid('flagged_by').references(() => users.id, { onDelete: 'set null' }),
    reason: text('reason').notNull(),
    status: text('status', { enum: flagStatuses }).notNull().default('open'),
    createdAt: createdAt(),
    resolvedAt: tstz('resolved_at'),
    resolvedBy: uuid('resolved_by').references(() => users.id, { onDelete: 'set null' }),
  },
  (t) => [
    index('community_flags_status_idx').on(t.status),
    // One open flag per person per post: flagging twice is harmless.
    uniqueIndex('community_flags_unique_idx').on(t.postId, t.flaggedBy),
  ],
);

/** Posts waiting for a person's daily digest. */
export const communityDigestItems = pgTable(
  'community_digest_items',
  {
    id: id(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    postId: uuid('post_id')
      .notNull()
      .references(() => communityPosts.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
    sentAt: tstz('sent_at'),
  },
  (t) => [
    uniqueIndex('community_digest_items_unique_idx').on(t.userId, t.postId),
    index('community_digest_items_pending_idx').on(t.userId, t.sentAt),
  ],
);

export const communityEvents = pgTable(
  'community_events',
  {
    id: id(),
    groupId: uuid('group_id')
      .notNull()
      .references(() => communityGroups.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    description: text('description').notNull(),
    mode: text('mode', { enum: eventModes }).notNull(),
    /** In person: the address. Online: what to expect (the joining link goes to registered people only). */
    location: text('location').notNull(),
    joinUrl: text('join_url'),
    startsAt: tstz('starts_at').notNull(),
    endsAt: tstz('ends_at').notNull(),
    capacity: integer('capacity').notNull(),
    status: text('status', { enum: eventStatuses }).notNull().default('scheduled'),
    visibility: text('visibility', { enum: eventVisibilities }).notNull().default('public'),
    /** iCalendar SEQUENCE: raised on every change so calendars replace their copy. */
    sequence: integer('sequence').notNull().default(0),
    reminderSentAt: tstz('reminder_sent_at'),
    /** Notes or outputs published from the meeting. */
    notes: text('notes'),
    notesPublishedAt: tstz('notes_published_at'),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: tstz('updated_at'),
  },
  (t) => [
    index('community_events_starts_idx').on(t.startsAt),
    index('community_events_group_idx').on(t.groupId),
  ],
);

export const communityRegistrations = pgTable(
  'community_registrations',
  {
    id: id(),
    eventId: uuid('event_id')
      .notNull()
      .references(() => communityEvents.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    status: text('status', { enum: registrationStatuses }).notNull(),
    /** Place in the queue: the time of (re)registering; the waiting list is served first come, first served. */
    queuedAt: tstz('queued_at').notNull(),
    promotedAt: tstz('promoted_at'),
    cancelledAt: tstz('cancelled_at'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('community_registrations_unique_idx').on(t.eventId, t.userId),
    index('community_registrations_event_idx').on(t.eventId, t.status, t.queuedAt),
  ],
);
