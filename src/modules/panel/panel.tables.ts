/**
 * The joint oversight panel (SPEC §4, issue 4 item 7): members' terms and sides, declared conflicts of
 * interest, proposals and recorded votes that become decisions (with a publishable, anonymised
 * determination and a recommendation to the body), meetings with agenda, attendance, minutes and actions, and
 * the panel's quorum rule.
 *
 * A case's lifecycle state lives in `cases` and moves only through the transition table; these tables hold
 * what the panel adds to it.
 */
import { sql } from 'drizzle-orm';
import { boolean, date, index, integer, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, tstz } from '../../platform/db/columns.ts';
import { users } from '../accounts/accounts.tables.ts';
import { organisations } from '../directory/directory.tables.ts';
import { cases } from '../cases/cases.tables.ts';

/** The side a member represents: the panel is joint (SPEC §4), chaired independently. */
export const panelSides = ['government', 'civil_society', 'independent_chair'] as const;
export type PanelSide = (typeof panelSides)[number];

/** How a member's conflict was recorded. */
export const panelConflictSources = ['member', 'admin'] as const;

/** The panel's finding on the complaint. */
export const panelOutcomes = ['upheld', 'partly_upheld', 'not_upheld'] as const;
export type PanelOutcome = (typeof panelOutcomes)[number];

/** `proposed`: open for votes. `adopted`: the decision. `rejected`: voted down. `withdrawn`: replaced. */
export const panelDecisionStatuses = ['proposed', 'adopted', 'rejected', 'withdrawn'] as const;
export type PanelDecisionStatus = (typeof panelDecisionStatuses)[number];

export const panelDecisionMethods = ['vote', 'consensus'] as const;
export type PanelDecisionMethod = (typeof panelDecisionMethods)[number];

export const panelVoteChoices = ['for', 'against', 'abstain'] as const;
export type PanelVoteChoice = (typeof panelVoteChoices)[number];

/** The body's reply to a recommendation. */
export const panelReplyPositions = ['accept', 'partly', 'reject'] as const;
export type PanelReplyPosition = (typeof panelReplyPositions)[number];

export const panelMeetingStatuses = ['scheduled', 'held', 'cancelled'] as const;
export const panelAttendanceStatuses = ['present', 'apologies', 'absent'] as const;
export type PanelAttendanceStatus = (typeof panelAttendanceStatuses)[number];
export const panelActionStatuses = ['open', 'in_progress', 'done', 'cancelled'] as const;
export type PanelActionStatus = (typeof panelActionStatuses)[number];

/**
 * One term of one member. A person reappointed has a row per term; a member can vote only on days inside
 * a term (start and end inclusive). The `panel_member` role opens the pages; the term gives the vote.
 */
export const panelMembers = pgTable(
  'panel_members',
  {
    id: id(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    side: text('side', { enum: panelSides }).notNull(),
    termStart: date('term_start').notNull(),
    termEnd: date('term_end').notNull(),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: tstz('updated_at'),
  },
  (t) => [index('panel_members_user_idx').on(t.userId, t.termStart)],
);

/**
 * A declared conflict of interest: with an organisation (a public body or a civil society organisation) or
 * with one case. A conflicted member neither sees nor decides the case (cases.policy `hasConflict`).
 * Withdrawn conflicts are kept (with who and when) for the record.
 */
export const panelConflicts = pgTable(
  'panel_conflicts',
  {
    id: id(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    organisationId: uuid('organisation_id').references(() => organisations.id, { onDelete: 'cascade' }),
    caseId: uuid('case_id').references(() => cases.id, { onDelete: 'cascade' }),
    reason: text('reason').notNull(),
    source: text('source', { enum: panelConflictSources }).notNull(),
    declaredBy: uuid('declared_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    withdrawnAt: tstz('withdrawn_at'),
    withdrawnBy: uuid('withdrawn_by').references(() => users.id, { onDelete: 'set null' }),
  },
  (t) => [index('panel_conflicts_user_idx').on(t.userId)],
);

export const panelMeetings = pgTable(
  'panel_meetings',
  {
    id: id(),
    title: text('title').notNull(),
    startsAt: tstz('starts_at').notNull(),
    location: text('location').notNull(),
    status: text('status', { enum: panelMeetingStatuses }).notNull().default('scheduled'),
    /** The figures when the agenda was drawn: counts by state, overdue, recommendations outstanding. */
    figures: jsonb('figures').$type<Record<string, number>>().notNull().default({}),
    minutes: text('minutes'),
    minutesUpdatedAt: tstz('minutes_updated_at'),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [index('panel_meetings_starts_idx').on(t.startsAt)],
);

/**
 * A proposed decision on a case; adopted, it is THE decision. Holds the outcome, the reasons (for the
 * parties, shown on the case timeline), the determination written for publication (anonymised; the public
 * register takes it from here), the recommendation to the body with its due date, and the body's reply.
 */
export const panelDecisions = pgTable(
  'panel_decisions',
  {
    id: id(),
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id, { onDelete: 'cascade' }),
    status: text('status', { enum: panelDecisionStatuses }).notNull().default('proposed'),
    outcome: text('outcome', { enum: panelOutcomes }).notNull(),
    reasons: text('reasons').notNull(),
    /** Publishable, anonymised determination: no names, no identifying details. */
    determination: text('determination').notNull(),
    recommendation: text('recommendation').notNull(),
    recommendationDueOn: date('recommendation_due_on').notNull(),
    proposedBy: uuid('proposed_by').references(() => users.id, { onDelete: 'set null' }),
    proposedAt: tstz('proposed_at').notNull(),
    method: text('method', { enum: panelDecisionMethods }),
    meetingId: uuid('meeting_id').references(() => panelMeetings.id, { onDelete: 'set null' }),
    decidedAt: tstz('decided_at'),
    decidedBy: uuid('decided_by').references(() => users.id, { onDelete: 'set null' }),
    /** Who counted for the quorum, with their side, and the tally, as they were when decided. */
    quorum: jsonb('quorum').$type<PanelQuorumRecord>(),
    replyPosition: text('reply_position', { enum: panelReplyPositions }),
    replyText: text('reply_text'),
    repliedAt: tstz('replied_at'),
    repliedBy: uuid('replied_by').references(() => users.id, { onDelete: 'set null' }),
  },
  (t) => [
    index('panel_decisions_case_idx').on(t.caseId, t.proposedAt),
    // One open proposal and one decision per case at a time.
    uniqueIndex('panel_decisions_open_idx')
      .on(t.caseId)
      .where(sql`status in ('proposed', 'adopted')`),
    index('panel_decisions_due_idx')
      .on(t.recommendationDueOn)
      .where(sql`status = 'adopted' and replied_at is null`),
  ],
);

export interface PanelQuorumRecord {
  participants: { userId: string; side: PanelSide }[];
  votes?: { for: number; against: number; abstain: number };
  minimum: number;
  eachSide: boolean;
}

/** A member's recorded vote on a proposal, with a reason. One per member and proposal; changeable. */
export const panelVotes = pgTable(
  'panel_votes',
  {
    id: id(),
    decisionId: uuid('decision_id')
      .notNull()
      .references(() => panelDecisions.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    side: text('side', { enum: panelSides }).notNull(),
    vote: text('vote', { enum: panelVoteChoices }).notNull(),
    reason: text('reason').notNull(),
    castAt: tstz('cast_at').notNull(),
  },
  (t) => [uniqueIndex('panel_votes_once_idx').on(t.decisionId, t.userId)],
);

/** Agenda items: a case from the queue, or a standing item written by hand. */
export const panelAgendaItems = pgTable(
  'panel_agenda_items',
  {
    id: id(),
    meetingId: uuid('meeting_id')
      .notNull()
      .references(() => panelMeetings.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    caseId: uuid('case_id').references(() => cases.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('panel_agenda_meeting_idx').on(t.meetingId, t.position)],
);

/** Who attended: feeds the quorum of a decision taken by consensus at the meeting. */
export const panelAttendance = pgTable(
  'panel_attendance',
  {
    id: id(),
    meetingId: uuid('meeting_id')
      .notNull()
      .references(() => panelMeetings.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    status: text('status', { enum: panelAttendanceStatuses }).notNull(),
  },
  (t) => [uniqueIndex('panel_attendance_once_idx').on(t.meetingId, t.userId)],
);

/** Actions agreed by the panel: an owner, a due date and a status. */
export const panelActions = pgTable(
  'panel_actions',
  {
    id: id(),
    meetingId: uuid('meeting_id').references(() => panelMeetings.id, { onDelete: 'set null' }),
    description: text('description').notNull(),
    ownerUserId: uuid('owner_user_id').references(() => users.id, { onDelete: 'set null' }),
    dueOn: date('due_on').notNull(),
    status: text('status', { enum: panelActionStatuses }).notNull().default('open'),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: tstz('updated_at'),
  },
  (t) => [index('panel_actions_status_idx').on(t.status, t.dueOn)],
);

/** The panel's rules, one row (id 1): the quorum. Administrators change them; every change is audited. */
export const panelSettings = pgTable('panel_settings', {
  id: integer('id').primaryKey(),
  quorumMinimum: integer('quorum_minimum').notNull().default(3),
  /** At least one government and one civil society member among those counted. */
  quorumEachSide: boolean('quorum_each_side').notNull().default(true),
  updatedAt: tstz('updated_at'),
  updatedBy: uuid('updated_by').references(() => users.id, { onDelete: 'set null' }),
});
