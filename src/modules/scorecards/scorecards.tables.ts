/**
 * Scorecard precomputation (issue 5 item 3). A body's scorecard must render in 100 ms with a million cases
 * in the database, so nothing on the page counts cases:
 *
 * - `scorecard_case_facts`: one row per case, what the scorecard needs to know about it (year, whether it
 *   was acknowledged and answered on time, upheld, escalated, its commitments). Recomputed for a case
 *   whenever its timeline gets a new event (the `case_events` id watermark in `scorecard_state`), and when a
 *   pending deadline passes.
 * - `scorecard_facts`: counters per (body or commitment, year), kept by adding the difference between a
 *   case's old and new facts, so a change costs O(1) counter updates however many cases a body has.
 *
 * `covenant scorecards rebuild` recomputes both from scratch (a repair, and the nightly check).
 */
import { sql } from 'drizzle-orm';
import { bigint, boolean, date, index, integer, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { tstz } from '../../platform/db/columns.ts';
import { cases } from '../cases/cases.tables.ts';

/** on_time / late once decided; pending while the deadline is ahead; none when the case never needed it. */
export const deadlineOutcomes = ['on_time', 'late', 'pending', 'none'] as const;
export type DeadlineOutcome = (typeof deadlineOutcomes)[number];

export const scorecardCaseFacts = pgTable(
  'scorecard_case_facts',
  {
    caseId: uuid('case_id')
      .primaryKey()
      .references(() => cases.id, { onDelete: 'cascade' }),
    bodyId: uuid('body_id'),
    /** Calendar year the case was submitted (UK time). */
    year: integer('year').notNull(),
    commitmentIds: uuid('commitment_ids')
      .array()
      .notNull()
      .default(sql`'{}'::uuid[]`),
    acknowledge: text('acknowledge', { enum: deadlineOutcomes }).notNull(),
    acknowledgeDue: date('acknowledge_due'),
    respond: text('respond', { enum: deadlineOutcomes }).notNull(),
    respondDue: date('respond_due'),
    /** null until an outcome that decides the complaint (resolved, partly resolved, not upheld). */
    upheld: boolean('upheld'),
    escalated: boolean('escalated').notNull(),
    refreshedAt: tstz('refreshed_at').notNull(),
  },
  (t) => [
    // The read path asks "is any pending deadline now past?": only pending rows are indexed.
    index('scorecard_case_facts_ack_pending_idx')
      .on(t.acknowledgeDue)
      .where(sql`${t.acknowledge} = 'pending'`),
    index('scorecard_case_facts_respond_pending_idx')
      .on(t.respondDue)
      .where(sql`${t.respond} = 'pending'`),
  ],
);

export const scorecardScopes = ['body', 'commitment'] as const;
export type ScorecardScope = (typeof scorecardScopes)[number];

export const scorecardFacts = pgTable(
  'scorecard_facts',
  {
    scope: text('scope', { enum: scorecardScopes }).notNull(),
    scopeId: uuid('scope_id').notNull(),
    year: integer('year').notNull(),
    cases: integer('cases').notNull().default(0),
    acknowledgedOnTime: integer('acknowledged_on_time').notNull().default(0),
    acknowledgeDecided: integer('acknowledge_decided').notNull().default(0),
    answeredOnTime: integer('answered_on_time').notNull().default(0),
    answerDecided: integer('answer_decided').notNull().default(0),
    upheld: integer('upheld').notNull().default(0),
    outcomesDecided: integer('outcomes_decided').notNull().default(0),
    escalated: integer('escalated').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.scope, t.scopeId, t.year] })],
);

/** Small key/value state: the `case_events` id up to which facts are current. */
export const scorecardState = pgTable('scorecard_state', {
  key: text('key').primaryKey(),
  value: bigint('value', { mode: 'number' }).notNull(),
  updatedAt: tstz('updated_at'),
});
