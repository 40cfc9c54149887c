/**
 * The analyst workflow's tables (issue 8, item 2): sets of free-text items, theme runs and their themes, the
 * codebook and every analyst's codings. The pure engine in `core/` never sees these; the service moves data
 * between them and the core.
 *
 * Item text is stored once, in `analysis_items`; themes refer to items by id, so renaming, merging or moving
 * never copies an answer's words.
 */
import { sql } from 'drizzle-orm';
import {
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  real,
  text,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, id, tstz } from '../../platform/db/columns.ts';
import { users } from '../accounts/accounts.tables.ts';

/** Where a set's items came from. `upload` is a CSV an analyst uploaded; the others are attached by modules. */
export const analysisSources = [
  'survey_question',
  'consultation_paragraph',
  'consultation_question',
  'cases',
  'upload',
] as const;
export type AnalysisSource = (typeof analysisSources)[number];

export const analysisRunStatuses = ['queued', 'running', 'done', 'failed'] as const;
export type AnalysisRunStatus = (typeof analysisRunStatuses)[number];

/** Theme kinds as the core reports them: topics, and the set-aside groups (Welsh/mixed, empty, unthemed). */
export const analysisThemeKinds = ['topic', 'language', 'empty', 'unthemed'] as const;

/**
 * `human`: ticked by the analyst. `suggested`: proposed by the engine, not yet reviewed (not counted as coded).
 * `accepted`: a suggestion the analyst accepted (counted as coded, keeps the engine's confidence).
 */
export const codingSources = ['human', 'suggested', 'accepted'] as const;
export type CodingSource = (typeof codingSources)[number];

export const analysisSets = pgTable(
  'analysis_sets',
  {
    id: id(),
    name: text('name').notNull(),
    source: text('source', { enum: analysisSources }).notNull(),
    /** The survey question, consultation paragraph or case list this set was made from (that module's id). */
    sourceRef: text('source_ref'),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [index('analysis_sets_source_idx').on(t.source, t.sourceRef)],
);

export const analysisItems = pgTable(
  'analysis_items',
  {
    id: id(),
    setId: uuid('set_id')
      .notNull()
      .references(() => analysisSets.id, { onDelete: 'cascade' }),
    /** The caller's id (CSV `id` column, response id, case reference); unique within the set. */
    externalId: text('external_id').notNull(),
    position: integer('position').notNull(),
    text: text('text').notNull(),
    /** From the latest themes run: sentiment in [-1, 1] and detected language (en, cy, mixed, other). */
    sentiment: real('sentiment'),
    language: text('language'),
  },
  (t) => [
    uniqueIndex('analysis_items_external_idx').on(t.setId, t.externalId),
    index('analysis_items_position_idx').on(t.setId, t.position),
  ],
);

export const analysisRuns = pgTable(
  'analysis_runs',
  {
    id: id(),
    setId: uuid('set_id')
      .notNull()
      .references(() => analysisSets.id, { onDelete: 'cascade' }),
    /** Number of themes asked for; null lets the engine choose (silhouette). */
    k: integer('k'),
    seed: integer('seed').notNull(),
    status: text('status', { enum: analysisRunStatuses }).notNull().default('queued'),
    /** Topic themes found, and how their number was chosen (`given`, `silhouette`, `too-few-answers`). */
    kChosen: integer('k_chosen'),
    kChosenBy: text('k_chosen_by'),
    engineVersion: text('engine_version').notNull(),
    requestedBy: uuid('requested_by').references(() => users.id, { onDelete: 'set null' }),
    queuedAt: tstz('queued_at').notNull(),
    startedAt: tstz('started_at'),
    finishedAt: tstz('finished_at'),
    /** Wall-clock time of the engine itself, excluding queueing. */
    durationMs: integer('duration_ms'),
    /** Failure reason for operators (never item text). */
    error: text('error'),
  },
  (t) => [
    index('analysis_runs_set_idx').on(t.setId, t.queuedAt),
    index('analysis_runs_status_idx').on(t.status),
  ],
);

export const analysisThemes = pgTable(
  'analysis_themes',
  {
    id: id(),
    runId: uuid('run_id')
      .notNull()
      .references(() => analysisRuns.id, { onDelete: 'cascade' }),
    /** The engine's id (`t1`, `t-welsh-mixed`…) for themes it found; null for themes made by a split. */
    engineId: text('engine_id'),
    kind: text('kind', { enum: analysisThemeKinds }).notNull(),
    label: text('label').notNull(),
    /** True once an analyst renamed it: the label is theirs, not the engine's. */
    renamed: boolean('renamed').notNull().default(false),
    keyPhrases: jsonb('key_phrases').$type<string[]>().notNull().default([]),
    /** Up to 3 representative items (analysis_items ids), best first. */
    quoteItemIds: jsonb('quote_item_ids').$type<string[]>().notNull().default([]),
    position: integer('position').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('analysis_themes_run_idx').on(t.runId, t.position)],
);

/** Items in themes (multi: an answer close to two themes is in both; rank 0 is its main theme). */
export const analysisItemThemes = pgTable(
  'analysis_item_themes',
  {
    runId: uuid('run_id')
      .notNull()
      .references(() => analysisRuns.id, { onDelete: 'cascade' }),
    itemId: uuid('item_id')
      .notNull()
      .references(() => analysisItems.id, { onDelete: 'cascade' }),
    themeId: uuid('theme_id')
      .notNull()
      .references(() => analysisThemes.id, { onDelete: 'cascade' }),
    rank: integer('rank').notNull(),
    /** The engine's confidence; null when an analyst placed the item. */
    confidence: real('confidence'),
  },
  (t) => [
    primaryKey({ columns: [t.itemId, t.themeId] }),
    index('analysis_item_themes_theme_idx').on(t.themeId),
    index('analysis_item_themes_run_idx').on(t.runId, t.itemId),
  ],
);

export const analysisCodes = pgTable(
  'analysis_codes',
  {
    id: id(),
    setId: uuid('set_id')
      .notNull()
      .references(() => analysisSets.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('analysis_codes_name_idx').on(t.setId, sql`lower(${t.name})`)],
);

export const analysisCodings = pgTable(
  'analysis_codings',
  {
    itemId: uuid('item_id')
      .notNull()
      .references(() => analysisItems.id, { onDelete: 'cascade' }),
    codeId: uuid('code_id')
      .notNull()
      .references(() => analysisCodes.id, { onDelete: 'cascade' }),
    analystId: uuid('analyst_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    source: text('source', { enum: codingSources }).notNull(),
    /** The engine's confidence for `suggested` and `accepted`; null for `human`. */
    confidence: real('confidence'),
    updatedAt: tstz('updated_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.itemId, t.codeId, t.analystId] }),
    index('analysis_codings_analyst_idx').on(t.analystId, t.itemId),
    index('analysis_codings_code_idx').on(t.codeId),
  ],
);
