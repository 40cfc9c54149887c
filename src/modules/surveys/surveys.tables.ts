/**
 * The annual review of stakeholder experiences (issue 6): editions (one per year) made of sections and
 * questions; invitations; drafts in progress; anonymous responses and their answers; a cube of answer
 * counts and a table of respondent counts, both kept up to date at submission (for fast results); and the
 * figures frozen when results are published.
 *
 * Anonymity by construction (docs/adr/0005-anonymous-survey-responses.md): `survey_responses` and
 * `survey_answers` have no column that refers to a person, a session, an invitation or a draft, and no
 * timestamp; an invitation records only that it was used (`status`), not when. A draft (which may belong to an
 * invitation) is deleted in the same transaction that writes the response, and the response gets a new
 * random id. A test asserts this through information_schema.
 */
import { sql } from 'drizzle-orm';
import {
  boolean,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, id, tstz } from '../../platform/db/columns.ts';
import { users } from '../accounts/accounts.tables.ts';
import { covenantPrinciples } from '../covenant/covenant.tables.ts';
import { organisations } from '../directory/directory.tables.ts';
import type { ChoiceOption, Condition, NumberSettings, QuestionType } from './questions/types.ts';

/** The five respondent attributes, as every table that keeps them declares them (`not_stated` when not given). */
const attributeColumns = () => ({
  organisationType: text('organisation_type').notNull(),
  incomeBand: text('income_band').notNull(),
  nation: text('nation').notNull(),
  region: text('region').notNull(),
  role: text('role').notNull(),
});

export const editionStatuses = ['draft', 'published'] as const;
export type EditionStatus = (typeof editionStatuses)[number];

export const surveyEditions = pgTable(
  'survey_editions',
  {
    id: id(),
    /** One edition per year: the year the review covers. */
    year: integer('year').notNull(),
    title: text('title').notNull(),
    intro: text('intro').notNull().default(''),
    status: text('status', { enum: editionStatuses }).notNull().default('draft'),
    /** Answers are accepted from publication until this moment. */
    closesAt: tstz('closes_at').notNull(),
    publishedAt: tstz('published_at'),
    /** When the published review (results) went out; its figures are in survey_published_figures. */
    resultsPublishedAt: tstz('results_published_at'),
    /** Text for the published review: the Covenant team's summary. */
    resultsSummary: text('results_summary').notNull().default(''),
    openLink: boolean('open_link').notNull().default(true),
    copiedFromId: uuid('copied_from_id'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('survey_editions_year_idx').on(t.year)],
);

export const surveySections = pgTable(
  'survey_sections',
  {
    id: id(),
    editionId: uuid('edition_id')
      .notNull()
      .references(() => surveyEditions.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    position: integer('position').notNull(),
    title: text('title').notNull(),
    intro: text('intro'),
    showIf: jsonb('show_if').$type<Condition | null>(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('survey_sections_key_idx').on(t.editionId, t.key)],
);

/** Everything about a question that is not its meaning lives outside `settings`' meaning fields. */
export interface QuestionSettings {
  options?: ChoiceOption[] | null;
  number?: NumberSettings | null;
  maxLength?: number | null;
  maxBodies?: number | null;
}

export const surveyQuestions = pgTable(
  'survey_questions',
  {
    id: id(),
    editionId: uuid('edition_id')
      .notNull()
      .references(() => surveyEditions.id, { onDelete: 'cascade' }),
    sectionId: uuid('section_id')
      .notNull()
      .references(() => surveySections.id, { onDelete: 'cascade' }),
    /** The stable identifier: the same key in every edition means the same question, so years compare. */
    key: text('key').notNull(),
    position: integer('position').notNull(),
    type: text('type').$type<QuestionType>().notNull(),
    text: text('text').notNull(),
    help: text('help'),
    required: boolean('required').notNull().default(false),
    settings: jsonb('settings').$type<QuestionSettings>().notNull().default({}),
    showIf: jsonb('show_if').$type<Condition | null>(),
    principleId: uuid('principle_id').references(() => covenantPrinciples.id, { onDelete: 'set null' }),
    /** A progress or warning sign (surveys.signs.ts), domain reference §1.5. */
    signKey: text('sign_key'),
    /** Retired questions are no longer asked; their answers stay. */
    retiredAt: tstz('retired_at'),
    /** The key of the retired question this one replaces (its meaning changed, so years do not compare). */
    replacesKey: text('replaces_key'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('survey_questions_key_idx').on(t.editionId, t.key),
    index('survey_questions_section_idx').on(t.sectionId),
  ],
);

export const invitationStatuses = ['pending', 'used'] as const;

export const surveyInvitations = pgTable(
  'survey_invitations',
  {
    id: id(),
    editionId: uuid('edition_id')
      .notNull()
      .references(() => surveyEditions.id, { onDelete: 'cascade' }),
    email: text('email').notNull(),
    /** SHA-256 of the single-use token in the emailed link; the token itself is never stored. */
    tokenHash: text('token_hash').notNull(),
    status: text('status', { enum: invitationStatuses }).notNull().default('pending'),
    reminderCount: integer('reminder_count').notNull().default(0),
    lastRemindedAt: tstz('last_reminded_at'),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('survey_invitations_token_idx').on(t.tokenHash),
    uniqueIndex('survey_invitations_email_idx').on(t.editionId, sql`lower(${t.email})`),
    index('survey_invitations_pending_idx').on(t.editionId, t.status),
  ],
);

/**
 * A response in progress, saved page by page. Found by the hash of a resume token (cookie or emailed
 * invitation link). Deleted when the response is submitted, so nothing joins a submitted answer back to it.
 */
export const surveyDrafts = pgTable(
  'survey_drafts',
  {
    id: id(),
    editionId: uuid('edition_id')
      .notNull()
      .references(() => surveyEditions.id, { onDelete: 'cascade' }),
    invitationId: uuid('invitation_id').references(() => surveyInvitations.id, { onDelete: 'cascade' }),
    resumeTokenHash: text('resume_token_hash').notNull(),
    answers: jsonb('answers').$type<Record<string, unknown>>().notNull().default({}),
    /** Sections the respondent has been through (optional-only pages count as done once seen). */
    visited: jsonb('visited').$type<string[]>().notNull().default([]),
    updatedAt: tstz('updated_at').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('survey_drafts_token_idx').on(t.resumeTokenHash),
    uniqueIndex('survey_drafts_invitation_idx').on(t.invitationId),
  ],
);

/** The respondent attributes (asked on the first page); `not_stated` when not given. */
export const surveyResponses = pgTable(
  'survey_responses',
  {
    /** A fresh random id, never the draft's. */
    id: id(),
    editionId: uuid('edition_id')
      .notNull()
      .references(() => surveyEditions.id, { onDelete: 'cascade' }),
    ...attributeColumns(),
  },
  (t) => [index('survey_responses_edition_idx').on(t.editionId)],
);

/** One row per answer; a multiple-choice answer has one row per option chosen, a body rating one per body. */
export const surveyAnswers = pgTable(
  'survey_answers',
  {
    id: id(),
    responseId: uuid('response_id')
      .notNull()
      .references(() => surveyResponses.id, { onDelete: 'cascade' }),
    editionId: uuid('edition_id').notNull(),
    questionId: uuid('question_id')
      .notNull()
      .references(() => surveyQuestions.id, { onDelete: 'cascade' }),
    questionKey: text('question_key').notNull(),
    choice: text('choice'),
    bodyId: uuid('body_id').references(() => organisations.id, { onDelete: 'set null' }),
    rating: smallint('rating'),
    numberValue: doublePrecision('number_value'),
    textValue: text('text_value'),
  },
  (t) => [
    index('survey_answers_question_idx').on(t.questionId),
    index('survey_answers_response_idx').on(t.responseId),
  ],
);

/**
 * Answer counts by question × option × body × every respondent attribute, incremented in the submission's
 * transaction (and rebuildable from survey_answers with the repository's `rebuildCounts`, as after a bulk load). Option `*` counts
 * respondents who answered the question (the base); numbers also carry the sum of values.
 */
export const surveyAnswerCounts = pgTable(
  'survey_answer_counts',
  {
    editionId: uuid('edition_id').notNull(),
    questionId: uuid('question_id')
      .notNull()
      .references(() => surveyQuestions.id, { onDelete: 'cascade' }),
    questionKey: text('question_key').notNull(),
    option: text('option').notNull(),
    /** The rated body's id, or '' for questions that are not about a body. */
    bodyKey: text('body_key').notNull(),
    ...attributeColumns(),
    n: integer('n').notNull(),
    sumValue: doublePrecision('sum_value').notNull().default(0),
  },
  (t) => [
    primaryKey({
      name: 'survey_answer_counts_pk',
      columns: [
        t.questionId,
        t.bodyKey,
        t.option,
        t.organisationType,
        t.incomeBand,
        t.nation,
        t.region,
        t.role,
      ],
    }),
    index('survey_answer_counts_key_idx').on(t.questionKey),
  ],
);

/**
 * Respondents by edition × every respondent attribute, incremented in the submission's transaction like the
 * answer counts (and rebuilt with them by `rebuildCounts`). The results index, the edition pages and the
 * response profile read these few rows instead of counting `survey_responses`. No person, invitation or time.
 */
export const surveyResponseCounts = pgTable(
  'survey_response_counts',
  {
    editionId: uuid('edition_id')
      .notNull()
      .references(() => surveyEditions.id, { onDelete: 'cascade' }),
    ...attributeColumns(),
    n: integer('n').notNull(),
  },
  (t) => [
    primaryKey({
      name: 'survey_response_counts_pk',
      columns: [t.editionId, t.organisationType, t.incomeBand, t.nation, t.region, t.role],
    }),
  ],
);

/**
 * The figures of a published review, frozen at publication after suppression: what the review page, the CSV,
 * the API and the scorecards read. `n` and `percent` are null when withheld.
 */
export const surveyPublishedFigures = pgTable(
  'survey_published_figures',
  {
    id: id(),
    editionId: uuid('edition_id')
      .notNull()
      .references(() => surveyEditions.id, { onDelete: 'cascade' }),
    questionKey: text('question_key').notNull(),
    /** `all`, a respondent attribute, or `body`. */
    breakdown: text('breakdown').notNull(),
    /** The group within the breakdown (`all` for the whole); for `body`, the body's id. */
    groupValue: text('group_value').notNull(),
    /** The answer option, or `*` for the group's number of respondents. */
    option: text('option').notNull(),
    n: integer('n'),
    base: integer('base'),
    suppressed: text('suppressed', { enum: ['shown', 'primary', 'secondary'] }).notNull(),
    percent: doublePrecision('percent'),
    lower: doublePrecision('lower'),
    upper: doublePrecision('upper'),
    position: integer('position').notNull(),
  },
  (t) => [
    index('survey_published_figures_edition_idx').on(t.editionId, t.questionKey),
    index('survey_published_figures_body_idx').on(t.breakdown, t.groupValue),
  ],
);
