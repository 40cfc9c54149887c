/**
 * The public register (SPEC §3 "Public register"; issue 4, item 8): one entry per case that may be
 * published. An entry is created `pending` with the automatically redacted draft (every field's original
 * text and the redaction spans for review); a moderator reviews the spans, edits the public summary and
 * approves (→ `published`, the public columns are filled from the reviewed draft) or rejects with a reason.
 * A published entry can be withdrawn (its public text is cleared). Nothing is public before approval: the
 * public queries read only `status = 'published'` rows and only the `pub_*`/snapshot columns.
 */
import { sql } from 'drizzle-orm';
import {
  customType,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, id, tstz } from '../../platform/db/columns.ts';
import type { RedactionKind } from '../../platform/redaction/redaction.ts';
import { users } from '../accounts/accounts.tables.ts';
import { cases } from '../cases/cases.tables.ts';
import { organisations } from '../directory/directory.tables.ts';

const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

export const registerStatuses = ['pending', 'published', 'rejected', 'withdrawn'] as const;
export type RegisterStatus = (typeof registerStatuses)[number];

/** The texts of an entry that are redacted and reviewed one by one. */
export const registerFields = ['title', 'summary', 'response', 'determination'] as const;
export type RegisterField = (typeof registerFields)[number];

/** One redaction in a draft: found automatically or added by the moderator; an automatic one can be undone. */
export interface ReviewedSpan {
  /** Stable within the field, so a form can accept or undo it. */
  id: string;
  start: number;
  end: number;
  kind: RedactionKind;
  original: string;
  source: 'automatic' | 'manual';
  /** Undone by the moderator: the text stays as written. */
  undone: boolean;
}

export interface DraftField {
  /** The text before redaction (internal: never leaves the moderation pages). */
  original: string;
  spans: ReviewedSpan[];
}

export type RegisterDraft = Partial<Record<RegisterField, DraftField>>;

/** A dated step of the case's life, as published: the state it reached, and when (no names, no text). */
export interface TimelineStep {
  on: string;
  state: string;
}

export interface PublishedCommitment {
  id: string;
  code: string;
  text: string;
}

export const registerEntries = pgTable(
  'register_entries',
  {
    id: id(),
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id, { onDelete: 'cascade' }),
    status: text('status', { enum: registerStatuses }).notNull().default('pending'),
    /** The case reference (CH-2026-000123): the reporter and the body can find their case. */
    reference: text('reference').notNull(),
    // Snapshot of the case's public facts, refreshed whenever the draft is prepared or approved.
    bodyId: uuid('body_id').references(() => organisations.id, { onDelete: 'set null' }),
    bodyName: text('body_name').notNull(),
    bodySlug: text('body_slug'),
    /** The commitments' codes (unique in the Covenant), for the commitment filter. */
    commitmentCodes: text('commitment_codes')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    commitments: jsonb('commitments').$type<PublishedCommitment[]>().notNull().default([]),
    category: text('category').notNull(),
    outcome: text('outcome'),
    /** The panel's outcome, when the case went to the joint oversight panel. */
    panelOutcome: text('panel_outcome'),
    submittedOn: date('submitted_on').notNull(),
    closedOn: date('closed_on').notNull(),
    /** The year the case ended (the register's year filter). */
    year: integer('year').notNull(),
    timeline: jsonb('timeline').$type<TimelineStep[]>().notNull().default([]),
    /** The redacted draft under review (originals and spans). Internal. */
    draft: jsonb('draft').$type<RegisterDraft>().notNull().default({}),
    // What the public sees: set on approval from the reviewed draft, cleared on withdrawal.
    pubTitle: text('pub_title'),
    pubSummary: text('pub_summary'),
    pubResponse: text('pub_response'),
    pubDetermination: text('pub_determination'),
    publishedAt: tstz('published_at'),
    /** Last change to what the public sees (the feed's <updated>, the pages' freshness). */
    updatedAt: tstz('updated_at').notNull(),
    decidedBy: uuid('decided_by').references(() => users.id, { onDelete: 'set null' }),
    decidedAt: tstz('decided_at'),
    /** Why it was rejected or withdrawn (internal; the public sees only that it was withdrawn). */
    reason: text('reason'),
    withdrawnAt: tstz('withdrawn_at'),
    /** Optimistic concurrency: two moderators on one entry, one wins and the other is told. */
    version: integer('version').notNull().default(1),
    search: tsvector('search').generatedAlwaysAs(
      sql`setweight(to_tsvector('simple', coalesce(reference, '')), 'A') || setweight(to_tsvector('english', coalesce(pub_title, '')), 'A') || setweight(to_tsvector('english', coalesce(body_name, '') || ' ' || coalesce(pub_summary, '')), 'B') || setweight(to_tsvector('english', coalesce(pub_response, '') || ' ' || coalesce(pub_determination, '')), 'C')`,
    ),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('register_entries_case_idx').on(t.caseId),
    index('register_entries_search_idx')
      .using('gin', t.search)
      .where(sql`status = 'published'`),
    index('register_entries_published_idx')
      .on(t.publishedAt, t.id)
      .where(sql`status = 'published'`),
    index('register_entries_body_idx')
      .on(t.bodySlug, t.publishedAt)
      .where(sql`status = 'published'`),
    index('register_entries_commitments_idx')
      .using('gin', t.commitmentCodes)
      .where(sql`status = 'published'`),
    index('register_entries_outcome_idx')
      .on(t.outcome, t.publishedAt)
      .where(sql`status = 'published'`),
    index('register_entries_year_idx')
      .on(t.year, t.publishedAt)
      .where(sql`status = 'published'`),
    index('register_entries_status_idx').on(t.status, t.createdAt),
  ],
);
