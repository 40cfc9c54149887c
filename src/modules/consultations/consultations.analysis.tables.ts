/**
 * Consultation analysis and the government response (issue 7, items 4 and 5). Helper B's tables; the core
 * tables (consultations, responses, principle views, paragraph comments) are in consultations.tables.ts.
 *
 * Analysis is materialised: a run (a background job, like the analysis module's theme runs) recounts every
 * submitted response into `consultation_analysis_counts` and stores the themes the engine finds per paragraph
 * and per free-text question, with their members, in one transaction. Pages read only these tables, so they
 * stay fast with 20,000 responses and 200,000 comments; they say when the counts were made and how many
 * responses were submitted since.
 */
import { index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, tstz } from '../../platform/db/columns.ts';
import { users } from '../accounts/accounts.tables.ts';
import { covenantVersions } from '../covenant/covenant.tables.ts';
import { consultationResponses, consultations } from './consultations.tables.ts';

export const consultationRunStatuses = ['queued', 'running', 'done', 'failed'] as const;
export type ConsultationRunStatus = (typeof consultationRunStatuses)[number];

export const themeScopes = ['paragraph', 'question'] as const;
export type ThemeScope = (typeof themeScopes)[number];

export const consultationAnalysisRuns = pgTable(
  'consultation_analysis_runs',
  {
    id: id(),
    consultationId: uuid('consultation_id')
      .notNull()
      .references(() => consultations.id, { onDelete: 'cascade' }),
    status: text('status', { enum: consultationRunStatuses }).notNull().default('queued'),
    requestedBy: uuid('requested_by').references(() => users.id, { onDelete: 'set null' }),
    queuedAt: tstz('queued_at').notNull(),
    startedAt: tstz('started_at'),
    finishedAt: tstz('finished_at'),
    /** Submitted responses and paragraph comments counted by this run. */
    responses: integer('responses'),
    comments: integer('comments'),
    durationMs: integer('duration_ms'),
    /** Failure reason for operators (never respondents' words). */
    error: text('error'),
  },
  (t) => [
    index('consultation_analysis_runs_idx').on(t.consultationId, t.queuedAt),
    index('consultation_analysis_runs_status_idx').on(t.status),
  ],
);

/**
 * The counts cube of the latest finished run. Dimensions: `paragraph` (key: paragraph key, bucket: stance),
 * `principle` (key: principle id, bucket: view), `respondent` (key: individual/organisation),
 * `organisation_type` and `organisation_size` (key: the value), `question` (key: question key, bucket:
 * `answered`), `total` (key: `responses` or `comments`). Rebuilt whole by each run.
 */
export const consultationAnalysisCounts = pgTable(
  'consultation_analysis_counts',
  {
    consultationId: uuid('consultation_id')
      .notNull()
      .references(() => consultations.id, { onDelete: 'cascade' }),
    dimension: text('dimension').notNull(),
    key: text('key').notNull(),
    bucket: text('bucket').notNull().default(''),
    count: integer('count').notNull(),
  },
  (t) => [primaryKey({ columns: [t.consultationId, t.dimension, t.key, t.bucket] })],
);

/** A theme in the comments on one paragraph or the answers to one free-text question. */
export const consultationThemes = pgTable(
  'consultation_themes',
  {
    id: id(),
    consultationId: uuid('consultation_id')
      .notNull()
      .references(() => consultations.id, { onDelete: 'cascade' }),
    runId: uuid('run_id')
      .notNull()
      .references(() => consultationAnalysisRuns.id, { onDelete: 'cascade' }),
    scope: text('scope', { enum: themeScopes }).notNull(),
    /** The paragraph key or the question key. */
    scopeKey: text('scope_key').notNull(),
    label: text('label').notNull(),
    /** Key phrases from the engine, joined for a one-line summary. */
    summary: text('summary').notNull().default(''),
    kind: text('kind').notNull().default('topic'),
    size: integer('size').notNull(),
    /**
     * The engine's representative items, best first: paragraph comments (`commentId`) or answers
     * (`responseId`). Ids only: the words are read at show time, so moderation and consent always apply.
     */
    quotes: jsonb('quotes').$type<{ commentId?: string; responseId: string }[]>().notNull().default([]),
    position: integer('position').notNull(),
    runAt: tstz('run_at').notNull(),
  },
  (t) => [index('consultation_themes_scope_idx').on(t.consultationId, t.scope, t.scopeKey, t.position)],
);

/** Members of a theme (main theme only): for the theme's list and to find public quotes beyond the first 3. */
export const consultationThemeMembers = pgTable(
  'consultation_theme_members',
  {
    themeId: uuid('theme_id')
      .notNull()
      .references(() => consultationThemes.id, { onDelete: 'cascade' }),
    responseId: uuid('response_id').notNull(),
    /** Set for paragraph themes; null for question themes (the answer is the response's). */
    commentId: uuid('comment_id'),
    position: integer('position').notNull(),
  },
  (t) => [primaryKey({ columns: [t.themeId, t.position] })],
);

/** Analysts' tags on responses (lower case, see normaliseTag). */
export const consultationTags = pgTable(
  'consultation_tags',
  {
    id: id(),
    consultationId: uuid('consultation_id')
      .notNull()
      .references(() => consultations.id, { onDelete: 'cascade' }),
    responseId: uuid('response_id')
      .notNull()
      .references(() => consultationResponses.id, { onDelete: 'cascade' }),
    tag: text('tag').notNull(),
    taggedBy: uuid('tagged_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('consultation_tags_response_tag_idx').on(t.responseId, t.tag),
    index('consultation_tags_tag_idx').on(t.consultationId, t.tag),
  ],
);

/** The government response to a consultation: a summary, the next draft, and when it was published. */
export const consultationGovernmentResponses = pgTable('consultation_government_responses', {
  consultationId: uuid('consultation_id')
    .primaryKey()
    .references(() => consultations.id, { onDelete: 'cascade' }),
  summary: text('summary').notNull().default(''),
  nextVersionId: uuid('next_version_id').references(() => covenantVersions.id, { onDelete: 'set null' }),
  publishedAt: tstz('published_at'),
  publishedBy: uuid('published_by').references(() => users.id, { onDelete: 'set null' }),
  updatedAt: tstz('updated_at').notNull(),
});

/** One "you said, we did" entry: about a paragraph or a theme, what was heard and what changed. */
export const consultationResponseEntries = pgTable(
  'consultation_response_entries',
  {
    id: id(),
    consultationId: uuid('consultation_id')
      .notNull()
      .references(() => consultations.id, { onDelete: 'cascade' }),
    paragraphKey: text('paragraph_key'),
    /** A theme of the run current when the entry was written (kept by label if a later run replaces it). */
    themeId: uuid('theme_id').references(() => consultationThemes.id, { onDelete: 'set null' }),
    themeLabel: text('theme_label'),
    heard: text('heard').notNull(),
    changed: text('changed').notNull(),
    /** The paragraph's wording for the next draft; applied (with a citation) when the draft is made. */
    newText: text('new_text'),
    position: integer('position').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('consultation_response_entries_idx').on(t.consultationId, t.position)],
);
