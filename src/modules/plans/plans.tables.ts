/**
 * Engagement action plans (SPEC §5 "Responsibility", issue 5 item 1): one plan per public body per plan
 * year, its actions (each linked to a Covenant commitment), milestones, evidence links, quarterly progress
 * updates with their history, and the panel's comments.
 *
 * Overdue is never stored: it is worked out from the due dates and today's date whenever a plan is read.
 */
import { bigserial, date, index, integer, pgTable, real, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, tstz } from '../../platform/db/columns.ts';
import { organisations } from '../directory/directory.tables.ts';
import { users } from '../accounts/accounts.tables.ts';
import { covenantCommitments } from '../covenant/covenant.tables.ts';

/** draft → submitted → signed_off (by the body's accountable lead) → published. */
export const planStatuses = ['draft', 'submitted', 'signed_off', 'published'] as const;
export type PlanStatus = (typeof planStatuses)[number];

export const actionStatuses = ['not_started', 'on_track', 'at_risk', 'off_track', 'done', 'dropped'] as const;
export type ActionStatus = (typeof actionStatuses)[number];

export const actionPlans = pgTable(
  'action_plans',
  {
    id: id(),
    bodyId: uuid('body_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    /** The plan year: first and last day it covers (usually a financial year, 1 April to 31 March). */
    startsOn: date('starts_on').notNull(),
    endsOn: date('ends_on').notNull(),
    summary: text('summary'),
    status: text('status', { enum: planStatuses }).notNull().default('draft'),
    /** Why the lead sent the plan back to draft (shown to the body's officers). */
    returnedReason: text('returned_reason'),
    submittedAt: tstz('submitted_at'),
    submittedBy: uuid('submitted_by').references(() => users.id, { onDelete: 'set null' }),
    signedOffAt: tstz('signed_off_at'),
    signedOffBy: uuid('signed_off_by').references(() => users.id, { onDelete: 'set null' }),
    publishedAt: tstz('published_at'),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: tstz('updated_at'),
  },
  (t) => [index('action_plans_body_idx').on(t.bodyId, t.startsOn)],
);

export const planActions = pgTable(
  'plan_actions',
  {
    id: id(),
    planId: uuid('plan_id')
      .notNull()
      .references(() => actionPlans.id, { onDelete: 'cascade' }),
    /** Short reference within the plan (A1, A2…): what a progress CSV names. */
    ref: text('ref').notNull(),
    commitmentId: uuid('commitment_id')
      .notNull()
      .references(() => covenantCommitments.id, { onDelete: 'restrict' }),
    title: text('title').notNull(),
    description: text('description'),
    /** The person or team responsible, as the body names them. */
    owner: text('owner').notNull(),
    dueOn: date('due_on').notNull(),
    status: text('status', { enum: actionStatuses }).notNull().default('not_started'),
    /** Per cent complete chosen by the body instead of the status's default; null = the default. */
    progressOverride: integer('progress_override'),
    /** Relative weight in the plan total (0 = shown but not counted). */
    weight: integer('weight').notNull().default(1),
    position: integer('position').notNull().default(0),
    createdAt: createdAt(),
    updatedAt: tstz('updated_at'),
  },
  (t) => [
    uniqueIndex('plan_actions_ref_idx').on(t.planId, t.ref),
    index('plan_actions_commitment_idx').on(t.commitmentId),
  ],
);

export const planMilestones = pgTable(
  'plan_milestones',
  {
    id: id(),
    actionId: uuid('action_id')
      .notNull()
      .references(() => planActions.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    dueOn: date('due_on').notNull(),
    completedOn: date('completed_on'),
    createdAt: createdAt(),
  },
  (t) => [index('plan_milestones_action_idx').on(t.actionId, t.dueOn)],
);

export const planEvidence = pgTable(
  'plan_evidence',
  {
    id: id(),
    actionId: uuid('action_id')
      .notNull()
      .references(() => planActions.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    url: text('url').notNull(),
    addedBy: uuid('added_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [index('plan_evidence_action_idx').on(t.actionId)],
);

/** A quarterly progress update (from the form or a CSV import): the history of a plan's progress. */
export const planUpdates = pgTable(
  'plan_updates',
  {
    id: id(),
    planId: uuid('plan_id')
      .notNull()
      .references(() => actionPlans.id, { onDelete: 'cascade' }),
    /** e.g. 2026-Q2 (calendar quarters). */
    quarter: text('quarter').notNull(),
    summary: text('summary'),
    source: text('source', { enum: ['form', 'csv'] }).notNull(),
    /** The plan total after this update (null when no action counts). */
    totalProgress: real('total_progress'),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [index('plan_updates_plan_idx').on(t.planId, t.createdAt)],
);

export const planUpdateItems = pgTable(
  'plan_update_items',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    updateId: uuid('update_id')
      .notNull()
      .references(() => planUpdates.id, { onDelete: 'cascade' }),
    actionId: uuid('action_id')
      .notNull()
      .references(() => planActions.id, { onDelete: 'cascade' }),
    fromStatus: text('from_status', { enum: actionStatuses }).notNull(),
    toStatus: text('to_status', { enum: actionStatuses }).notNull(),
    fromProgress: integer('from_progress'),
    toProgress: integer('to_progress'),
    note: text('note'),
  },
  (t) => [index('plan_update_items_update_idx').on(t.updateId)],
);

/** Comments by the oversight panel (and replies by the body), on a plan or one of its actions. */
export const planComments = pgTable(
  'plan_comments',
  {
    id: id(),
    planId: uuid('plan_id')
      .notNull()
      .references(() => actionPlans.id, { onDelete: 'cascade' }),
    actionId: uuid('action_id').references(() => planActions.id, { onDelete: 'cascade' }),
    authorUserId: uuid('author_user_id').references(() => users.id, { onDelete: 'set null' }),
    /** The part the author played: panel, body or admin (shown with the name). */
    authorPart: text('author_part', { enum: ['panel', 'body', 'admin'] }).notNull(),
    body: text('body').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('plan_comments_plan_idx').on(t.planId, t.createdAt)],
);
