/**
 * Casework (SPEC §3): cases, the reporter's identity held apart (identity escrow), commitments concerned,
 * the timeline, the working-day clock's events, relayed messages, internal notes, evidence files, routing
 * rules and report drafts.
 *
 * Identity escrow: nothing in `cases` identifies the reporter. Who filed lives in `case_identities`, read
 * only through the one policy-checked, audited repository function (cases.identity.ts), so a page built for
 * body staff cannot reach it by accident.
 */
import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  customType,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, id, tstz } from '../../platform/db/columns.ts';
import { organisations } from '../directory/directory.tables.ts';
import { users } from '../accounts/accounts.tables.ts';
import { covenantCommitments } from '../covenant/covenant.tables.ts';
import { caseStates, outcomeCodes } from './cases.lifecycle.ts';

const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

export const caseKinds = ['problem', 'question', 'good_practice'] as const;
export type CaseKind = (typeof caseKinds)[number];

/** SPEC §3 "Confidentiality", chosen by the reporter. */
export const confidentialityModes = ['public', 'anonymised', 'withheld', 'intermediary'] as const;
export type Confidentiality = (typeof confidentialityModes)[number];

/** Triage categories (domain.md §7.2). */
export const caseCategories = [
  'funding',
  'consultation',
  'independence_advocacy',
  'procurement_contracts',
  'equality',
  'data_transparency',
  'partnership',
  'other',
] as const;
export type CaseCategory = (typeof caseCategories)[number];

/** The bank-holiday calendar a case's clock runs on (the body's nation). */
export const clockNations = ['england-and-wales', 'scotland', 'northern-ireland'] as const;

export const cases = pgTable(
  'cases',
  {
    id: id(),
    /** Public reference, e.g. CH-2026-000123. */
    reference: text('reference').notNull(),
    kind: text('kind', { enum: caseKinds }).notNull(),
    state: text('state', { enum: caseStates }).notNull(),
    outcome: text('outcome', { enum: outcomeCodes }),
    confidentiality: text('confidentiality', { enum: confidentialityModes }).notNull(),
    /** The public body concerned; null while it is unknown or ambiguous (then the case is in triage). */
    bodyId: uuid('body_id').references(() => organisations.id, { onDelete: 'restrict' }),
    /** What the reporter typed when they could not find the body, for triage. */
    bodyNameGiven: text('body_name_given'),
    category: text('category', { enum: caseCategories }).notNull().default('other'),
    clockNation: text('clock_nation', { enum: clockNations }).notNull().default('england-and-wales'),
    title: text('title').notNull(),
    whatHappened: text('what_happened').notNull(),
    happenedOn: date('happened_on'),
    impact: text('impact'),
    outcomeWanted: text('outcome_wanted'),
    /** For an intermediary case: the infrastructure body that filed and speaks for its member (visible). */
    intermediaryOrganisationId: uuid('intermediary_organisation_id').references(() => organisations.id, {
      onDelete: 'restrict',
    }),
    assigneeUserId: uuid('assignee_user_id').references(() => users.id, { onDelete: 'set null' }),
    /** Duplicate of another case (triage outcome). */
    duplicateOfId: uuid('duplicate_of_id'),
    submittedAt: tstz('submitted_at').notNull(),
    acknowledgedAt: tstz('acknowledged_at'),
    respondedAt: tstz('responded_at'),
    escalatedAt: tstz('escalated_at'),
    closedAt: tstz('closed_at'),
    /** Optimistic concurrency: every change increments it; a change made against an old version is refused. */
    version: integer('version').notNull().default(1),
    /** A double-clicked submit carries the same key and creates one case. */
    idempotencyKey: text('idempotency_key'),
    /** Asked four weeks after closing: was it resolved? (null until answered) */
    reporterSaysResolved: boolean('reporter_says_resolved'),
    /**
     * Working days to acknowledge and to respond, fixed when the case is routed (the routing rule chosen,
     * else the category's setting, else 5 and 20), so a later change to a rule does not move its deadlines.
     */
    acknowledgeWithinDays: integer('acknowledge_within_days').notNull().default(5),
    respondWithinDays: integer('respond_within_days').notNull().default(20),
    /**
     * The due DATES of the open deadlines (cases.clock.ts `settleDueDates`), rewritten in the same
     * transaction as anything that moves them (routing, acknowledge, pause, resume, category change,
     * reopen). Null when met, paused with days still to run, unknown, or not with the body. Overdue and long
     * overdue are never stored: the inbox compares these dates with today when it reads.
     */
    acknowledgeDueOn: date('acknowledge_due_on'),
    respondDueOn: date('respond_due_on'),
    /** The earlier of the two: what the inbox's deadline filters compare with today. */
    nextDueOn: date('next_due_on').generatedAlwaysAs(sql`least(acknowledge_due_on, respond_due_on)`),
    /** The due dates need working out again (rows written without the clock: migration backfill, bulk loads). */
    dueDatesStale: boolean('due_dates_stale').notNull().default(true),
    search: tsvector('search').generatedAlwaysAs(
      sql`setweight(to_tsvector('simple', coalesce(reference, '')), 'A') || setweight(to_tsvector('english', coalesce(title, '')), 'A') || setweight(to_tsvector('english', coalesce(what_happened, '')), 'B')`,
    ),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('cases_reference_idx').on(t.reference),
    uniqueIndex('cases_idempotency_idx').on(t.idempotencyKey),
    index('cases_body_state_idx').on(t.bodyId, t.state, t.submittedAt),
    index('cases_state_idx').on(t.state, t.submittedAt),
    index('cases_assignee_idx').on(t.assigneeUserId),
    index('cases_search_idx').using('gin', t.search),
    // Word searches within known bodies use cases_body_search_idx (migrations/0030_inbox_body_search_index.sql):
    // the words plus a lexeme naming the body, an expression index drizzle cannot declare.
    index('cases_body_due_idx')
      .on(t.bodyId, t.nextDueOn)
      .where(sql`next_due_on is not null`),
    index('cases_due_idx')
      .on(t.nextDueOn)
      .where(sql`next_due_on is not null`),
    // The inbox's default and "oldest" orders within a body, and its counts, are served by
    // cases_inbox_cover_idx (migrations/0021_inbox_covering_index.sql): (body_id, submitted_at, id) INCLUDE
    // the filtered columns, so a body's filtered count is an index-only scan instead of one heap page per
    // case. Drizzle cannot declare INCLUDE, so that index lives in a hand-written migration.
    index('cases_due_stale_idx')
      .on(t.id)
      .where(sql`due_dates_stale`),
  ],
);

/**
 * Working days to acknowledge and to respond for each category (issue 4: 5 and 20 by default,
 * configurable per category), edited by administrators (audited). A routing rule's own days win over these.
 */
export const caseCategoryDeadlines = pgTable('case_category_deadlines', {
  category: text('category', { enum: caseCategories }).primaryKey(),
  acknowledgeWithinDays: integer('acknowledge_within_days').notNull(),
  respondWithinDays: integer('respond_within_days').notNull(),
  updatedAt: tstz('updated_at').notNull(),
  updatedBy: uuid('updated_by').references(() => users.id, { onDelete: 'set null' }),
});

/** Per-year counters behind the CH-YYYY-NNNNNN references (incremented inside the submitting transaction). */
export const caseReferenceCounters = pgTable('case_reference_counters', {
  year: integer('year').primaryKey(),
  last: integer('last').notNull(),
});

/**
 * Who reported: the escrow. Read only through cases.identity.ts. For an intermediary case this is the
 * member the intermediary speaks for.
 */
export const caseIdentities = pgTable(
  'case_identities',
  {
    caseId: uuid('case_id')
      .primaryKey()
      .references(() => cases.id, { onDelete: 'cascade' }),
    /** The account that filed (the intermediary's person for intermediary cases). */
    reporterUserId: uuid('reporter_user_id').references(() => users.id, { onDelete: 'set null' }),
    reporterOrganisationId: uuid('reporter_organisation_id').references(() => organisations.id, {
      onDelete: 'set null',
    }),
    name: text('name'),
    email: text('email'),
    phone: text('phone'),
    organisationName: text('organisation_name'),
    createdAt: createdAt(),
  },
  (t) => [index('case_identities_reporter_idx').on(t.reporterUserId)],
);

export const caseCommitments = pgTable(
  'case_commitments',
  {
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id, { onDelete: 'cascade' }),
    commitmentId: uuid('commitment_id')
      .notNull()
      .references(() => covenantCommitments.id, { onDelete: 'restrict' }),
    /** Suggested from the text and confirmed by the reporter, or added by staff. */
    source: text('source', { enum: ['reporter', 'suggested', 'staff'] }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.caseId, t.commitmentId] }),
    index('case_commitments_commitment_idx').on(t.commitmentId),
  ],
);

/**
 * The timeline: every state change, reassignment, re-route and publication. `visibleTo` decides who sees
 * an entry on their pages; the audit log holds the full record.
 */
export const caseEvents = pgTable(
  'case_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id, { onDelete: 'cascade' }),
    at: tstz('at').notNull(),
    actorUserId: uuid('actor_user_id').references(() => users.id, { onDelete: 'set null' }),
    /** The part played (reporter, triage, body, body_lead, panel, system): shown instead of a name. */
    actorPart: text('actor_part').notNull(),
    action: text('action').notNull(),
    fromState: text('from_state', { enum: caseStates }),
    toState: text('to_state', { enum: caseStates }),
    text: text('text'),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
    visibleTo: text('visible_to', { enum: ['everyone', 'parties', 'staff'] })
      .notNull()
      .default('parties'),
  },
  (t) => [index('case_events_case_idx').on(t.caseId, t.at)],
);

/** The working-day clock's events (platform/calendar/clock.ts computes deadlines from them when read). */
export const caseClockEvents = pgTable(
  'case_clock_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id, { onDelete: 'cascade' }),
    type: text('type', { enum: ['started', 'paused', 'resumed'] }).notNull(),
    /** UK calendar date of the event (YYYY-MM-DD). */
    on: date('occurred_on').notNull(),
    reason: text('reason'),
    actorUserId: uuid('actor_user_id').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [index('case_clock_events_case_idx').on(t.caseId, t.id)],
);

/** Messages between the reporter and the body, relayed by the platform so no address crosses. */
export const caseMessages = pgTable(
  'case_messages',
  {
    id: id(),
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id, { onDelete: 'cascade' }),
    fromSide: text('from_side', { enum: ['reporter', 'body', 'triage', 'panel'] }).notNull(),
    authorUserId: uuid('author_user_id').references(() => users.id, { onDelete: 'set null' }),
    body: text('body').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('case_messages_case_idx').on(t.caseId, t.createdAt)],
);

/** Internal notes: seen by the body's own staff (or by the Covenant team for triage notes), never the reporter. */
export const caseNotes = pgTable(
  'case_notes',
  {
    id: id(),
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id, { onDelete: 'cascade' }),
    side: text('side', { enum: ['body', 'triage', 'panel'] }).notNull(),
    organisationId: uuid('organisation_id').references(() => organisations.id, { onDelete: 'cascade' }),
    authorUserId: uuid('author_user_id').references(() => users.id, { onDelete: 'set null' }),
    body: text('body').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('case_notes_case_idx').on(t.caseId, t.createdAt)],
);

/** Evidence files: stored under a random key, type checked by content, metadata stripped, scanned. */
export const caseAttachments = pgTable(
  'case_attachments',
  {
    id: id(),
    caseId: uuid('case_id').references(() => cases.id, { onDelete: 'cascade' }),
    /** Set while the file belongs to a report draft not yet submitted. */
    draftId: uuid('draft_id'),
    storageKey: text('storage_key').notNull(),
    fileName: text('file_name').notNull(),
    contentType: text('content_type').notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    sha256: text('sha256').notNull(),
    scanStatus: text('scan_status', { enum: ['not_scanned', 'pending', 'clean', 'infected', 'error'] })
      .notNull()
      .default('not_scanned'),
    uploadedBySide: text('uploaded_by_side', { enum: ['reporter', 'body', 'triage', 'panel'] }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('case_attachments_case_idx').on(t.caseId), index('case_attachments_draft_idx').on(t.draftId)],
);

/**
 * Routing rules: a case about this body (and optionally this category, nation or area) goes to this body's
 * staff, optionally assigned to one officer. The most specific matching rule wins; a body with no rule
 * still gets its cases (its officers see them); an unknown or ambiguous body goes to triage.
 */
export const routingRules = pgTable(
  'routing_rules',
  {
    id: id(),
    bodyId: uuid('body_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    category: text('category', { enum: caseCategories }),
    nation: text('nation'),
    areaGss: text('area_gss'),
    /** Send to another body instead (e.g. an agency's cases to its department's team). */
    routeToBodyId: uuid('route_to_body_id').references(() => organisations.id, { onDelete: 'cascade' }),
    assigneeUserId: uuid('assignee_user_id').references(() => users.id, { onDelete: 'set null' }),
    /** Working days to acknowledge and to respond, when this category needs other than 5 and 20. */
    acknowledgeWithinDays: integer('acknowledge_within_days'),
    respondWithinDays: integer('respond_within_days'),
    createdAt: createdAt(),
  },
  (t) => [index('routing_rules_body_idx').on(t.bodyId)],
);

/**
 * Report drafts (save and return): kept for a signed-in reporter, or reached through an emailed resume
 * link (only the token's hash is stored). Answers are kept page by page.
 */
export const reportDrafts = pgTable(
  'report_drafts',
  {
    id: id(),
    userId: uuid('user_id').references(() => users.id, { onDelete: 'cascade' }),
    resumeTokenHash: text('resume_token_hash'),
    answers: jsonb('answers').$type<Record<string, unknown>>().notNull().default({}),
    updatedAt: tstz('updated_at').notNull(),
    expiresAt: tstz('expires_at').notNull(),
    submittedCaseId: uuid('submitted_case_id'),
    createdAt: createdAt(),
  },
  (t) => [
    index('report_drafts_user_idx').on(t.userId),
    uniqueIndex('report_drafts_token_idx').on(t.resumeTokenHash),
  ],
);
