/**
 * Formal consultation on the Covenant (issue 7, SPEC §7): the core tables. A consultation is held on one draft
 * (or published) version of the Covenant text, whose paragraphs keep stable keys across versions; people respond
 * as individuals or for an organisation, comment on paragraphs, give a view on each principle and answer the
 * consultation's questions (a question-engine form definition, src/modules/surveys/questions).
 *
 * Privacy and publication (docs/modules/consultations.md): nothing is public unless the response is
 * `submitted`, its moderation is `published` and its consent is not `none`. What the public sees is read from
 * the redacted copies (`published_text`, `published_comment`), never from what the respondent typed. The
 * respondent's name and email live on the response but are shown only when consent is `named` (name only, never
 * the email). A paragraph comment's `moderation` follows its response's decision (a moderator may hold a single
 * comment of a published response), so `comment.moderation = 'published'` together with the response's consent
 * is the whole public rule for comments.
 *
 * Analysis and government-response tables are in consultations.analysis.tables.ts (Helper B).
 */
import { sql } from 'drizzle-orm';
import { customType, date, index, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, tstz } from '../../platform/db/columns.ts';
import { users } from '../accounts/accounts.tables.ts';
import { covenantPrinciples, covenantVersions, subCovenants } from '../covenant/covenant.tables.ts';
import type { Answers, FormDefinition } from '../surveys/questions/types.ts';

const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

export const consultationStatuses = ['draft', 'published'] as const;
export type ConsultationStatus = (typeof consultationStatuses)[number];

export const responseStatuses = ['draft', 'submitted'] as const;
export type ResponseStatus = (typeof responseStatuses)[number];

export const respondentTypes = ['individual', 'organisation'] as const;
export type RespondentType = (typeof respondentTypes)[number];

export const consentChoices = ['named', 'anonymised', 'none'] as const;
export type ConsentChoice = (typeof consentChoices)[number];

export const moderationStates = ['pending', 'published', 'held'] as const;
export type ModerationState = (typeof moderationStates)[number];

export const commentStances = ['agree', 'disagree', 'suggest_change'] as const;
export type CommentStance = (typeof commentStances)[number];

export const principleViews = ['support', 'support_with_changes', 'oppose', 'no_view'] as const;
export type PrincipleView = (typeof principleViews)[number];

/** The redacted copy of a response's own words, made at publication (consultations.moderation). */
export interface PublishedResponseText {
  /** Question key → the answer as published (free text redacted; choices as given). */
  answers: Answers;
  /** Principle id → the redacted comment on that principle. */
  principleComments: Record<string, string>;
}

export const consultations = pgTable(
  'consultations',
  {
    id: id(),
    slug: text('slug').notNull(),
    title: text('title').notNull(),
    summary: text('summary').notNull(),
    /** Shown on the consultation page: how responses will be used and published. */
    howResponsesUsed: text('how_responses_used').notNull(),
    /** The version of the text consulted on (normally the draft). */
    versionId: uuid('version_id')
      .notNull()
      .references(() => covenantVersions.id, { onDelete: 'restrict' }),
    /** Null: the national Covenant. Set: a sub-covenant consultation (the same text plus its own part). */
    subCovenantId: uuid('sub_covenant_id').references(() => subCovenants.id, { onDelete: 'restrict' }),
    /** Responses are accepted from the start of `opens_on` to the end of `closes_on` (UK time). */
    opensOn: date('opens_on', { mode: 'string' }).notNull(),
    closesOn: date('closes_on', { mode: 'string' }).notNull(),
    /** Required when the period is shorter than 12 weeks (Compact 2010, 2.4: 12 weeks' formal consultation). */
    shortPeriodReason: text('short_period_reason'),
    /** A question-engine form definition (one section per page). */
    questions: jsonb('questions').$type<FormDefinition>().notNull().default({ sections: [] }),
    status: text('status', { enum: consultationStatuses }).notNull().default('draft'),
    /** When the government response was published (set by the response part, Helper B). */
    responsePublishedAt: tstz('response_published_at'),
    /** When the consultation itself was published (made visible). */
    publishedAt: tstz('published_at'),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: tstz('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('consultations_slug_idx').on(t.slug),
    index('consultations_status_idx').on(t.status, t.closesOn),
  ],
);

export const consultationResponses = pgTable(
  'consultation_responses',
  {
    id: id(),
    consultationId: uuid('consultation_id')
      .notNull()
      .references(() => consultations.id, { onDelete: 'cascade' }),
    /** `draft` while being written (never public, never counted); `submitted` once sent. */
    status: text('status', { enum: responseStatuses }).notNull().default('draft'),
    /** Short reference shown to the respondent and moderators (CR-7K3M9X). */
    reference: text('reference').notNull(),
    respondentType: text('respondent_type', { enum: respondentTypes }),
    organisationName: text('organisation_name'),
    organisationType: text('organisation_type'),
    organisationSize: text('organisation_size'),
    respondentName: text('respondent_name'),
    /** For the resume link and the copy of the response; never shown publicly. */
    respondentEmail: text('respondent_email'),
    /** A signed-in respondent (optional; most respond without an account). */
    respondentUserId: uuid('respondent_user_id').references(() => users.id, { onDelete: 'set null' }),
    consent: text('consent', { enum: consentChoices }),
    /** Question key → answer, as the question engine stores it. */
    answers: jsonb('answers').$type<Answers>().notNull().default({}),
    /** SHA-256 of the resume token (cookie or emailed link); the token itself is never stored. */
    resumeTokenHash: text('resume_token_hash'),
    moderation: text('moderation', { enum: moderationStates }).notNull().default('pending'),
    /** Why it was held (internal). */
    moderationNote: text('moderation_note'),
    moderatedBy: uuid('moderated_by').references(() => users.id, { onDelete: 'set null' }),
    moderatedAt: tstz('moderated_at'),
    /** Redacted copies of the respondent's words, set when published. */
    publishedText: jsonb('published_text').$type<PublishedResponseText>(),
    /** Full-text index over the published (redacted) words and, when named, the name; set when published. */
    search: tsvector('search'),
    submittedAt: tstz('submitted_at'),
    createdAt: createdAt(),
    updatedAt: tstz('updated_at').notNull(),
  },
  (t) => [
    index('consultation_responses_status_idx').on(t.consultationId, t.status, t.submittedAt),
    uniqueIndex('consultation_responses_reference_idx').on(t.reference),
    uniqueIndex('consultation_responses_token_idx').on(t.resumeTokenHash),
    index('consultation_responses_public_idx')
      .on(t.consultationId, t.submittedAt)
      .where(sql`moderation = 'published' and consent <> 'none' and status = 'submitted'`),
    index('consultation_responses_search_idx')
      .using('gin', t.search)
      .where(sql`moderation = 'published' and consent <> 'none' and status = 'submitted'`),
    index('consultation_responses_moderation_idx').on(t.consultationId, t.moderation, t.submittedAt),
  ],
);

export const consultationPrincipleViews = pgTable(
  'consultation_principle_views',
  {
    id: id(),
    responseId: uuid('response_id')
      .notNull()
      .references(() => consultationResponses.id, { onDelete: 'cascade' }),
    principleId: uuid('principle_id')
      .notNull()
      .references(() => covenantPrinciples.id, { onDelete: 'restrict' }),
    view: text('view', { enum: principleViews }).notNull(),
    comment: text('comment').notNull().default(''),
  },
  (t) => [uniqueIndex('consultation_principle_views_idx').on(t.responseId, t.principleId)],
);

export const consultationComments = pgTable(
  'consultation_comments',
  {
    id: id(),
    consultationId: uuid('consultation_id')
      .notNull()
      .references(() => consultations.id, { onDelete: 'cascade' }),
    responseId: uuid('response_id')
      .notNull()
      .references(() => consultationResponses.id, { onDelete: 'cascade' }),
    /** The version the comment was made on: the comment stays anchored there if a later draft drops it. */
    versionId: uuid('version_id')
      .notNull()
      .references(() => covenantVersions.id, { onDelete: 'restrict' }),
    /** The paragraph's stable key (covenant_paragraphs.key). */
    paragraphKey: text('paragraph_key').notNull(),
    stance: text('stance', { enum: commentStances }).notNull(),
    comment: text('comment').notNull().default(''),
    suggestedText: text('suggested_text'),
    moderation: text('moderation', { enum: moderationStates }).notNull().default('pending'),
    /** Redacted comment, set when published. */
    publishedComment: text('published_comment'),
    /** Redacted suggested wording, set when published. */
    publishedSuggestedText: text('published_suggested_text'),
    createdAt: createdAt(),
    updatedAt: tstz('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('consultation_comments_response_key_idx').on(t.responseId, t.paragraphKey),
    // A paragraph's comments in order, read from the index (the analysis pages list them newest first).
    index('consultation_comments_key_idx').on(t.consultationId, t.paragraphKey, t.createdAt),
  ],
);
