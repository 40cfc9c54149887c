/**
 * Standards monitoring records (issue 5 item 2; domain.md §5): the consultations a public body runs (C1, C3),
 * the funding agreements it makes with civil society and the changes it makes to them (F1–F4), and the
 * agreements whose text has been reviewed by the clause checker (A1–A3).
 *
 * Findings are never stored: the rules in standards.rules.ts are applied to these rows whenever they are
 * read, so a finding appears or goes away as soon as a record changes (or, for C3, as time passes).
 */
import { bigint, boolean, date, index, integer, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, tstz } from '../../platform/db/columns.ts';
import { organisations } from '../directory/directory.tables.ts';
import { users } from '../accounts/accounts.tables.ts';

/** How a record arrived: typed into the form, or imported from a file (idempotent by external id). */
export const recordSources = ['form', 'csv', 'govuk_json', '360giving'] as const;
export type RecordSource = (typeof recordSources)[number];

export const paymentTimings = ['advance', 'arrears'] as const;
export type PaymentTiming = (typeof paymentTimings)[number];

/** F1 covers notice of ending or reducing funding (Compact 2010). */
export const fundingChangeKinds = ['end', 'reduction'] as const;
export type FundingChangeKind = (typeof fundingChangeKinds)[number];

export const standardsConsultations = pgTable(
  'standards_consultations',
  {
    id: id(),
    bodyId: uuid('body_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    url: text('url'),
    opensOn: date('opens_on').notNull(),
    closesOn: date('closes_on').notNull(),
    /** The day the body published its response (outcome); null while none is published. */
    responsePublishedOn: date('response_published_on'),
    /** C1: the reason the consultation document gives for running under 12 weeks. */
    shortReason: text('short_reason'),
    /** C3: the body's published explanation for a response later than 12 weeks after closing. */
    lateResponseReason: text('late_response_reason'),
    source: text('source', { enum: recordSources }).notNull().default('form'),
    /** The identifier in the imported file (GOV.UK base path, a CSV id or the URL): re-imports update. */
    externalId: text('external_id'),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: tstz('updated_at'),
  },
  (t) => [
    index('standards_consultations_body_idx').on(t.bodyId, t.closesOn),
    uniqueIndex('standards_consultations_external_idx').on(t.bodyId, t.externalId),
  ],
);

export const standardsFundingAgreements = pgTable(
  'standards_funding_agreements',
  {
    id: id(),
    /** The public body that funds. */
    funderBodyId: uuid('funder_body_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    /** The recipient as named in the agreement, and its identifier (charity number, 360Giving org id). */
    recipientName: text('recipient_name').notNull(),
    recipientIdentifier: text('recipient_identifier'),
    /** A recipient that is in the directory, when known. */
    recipientOrganisationId: uuid('recipient_organisation_id').references(() => organisations.id, {
      onDelete: 'set null',
    }),
    /** Amount awarded in pence (whole pounds and pence; never a float). */
    amountPence: bigint('amount_pence', { mode: 'number' }).notNull(),
    startsOn: date('starts_on').notNull(),
    endsOn: date('ends_on').notNull(),
    /** F3: the funder could have offered a multi-year term (the programme allowed it). */
    multiYearPossible: boolean('multi_year_possible').notNull().default(false),
    /** F2: the budget may include the relevant share of overheads (full cost recovery). */
    overheadsAllowed: boolean('overheads_allowed').notNull().default(true),
    paymentTiming: text('payment_timing', { enum: paymentTimings }).notNull().default('advance'),
    /** F4: the recipient stated a need to be paid in advance. */
    advanceNeeded: boolean('advance_needed').notNull().default(false),
    source: text('source', { enum: recordSources }).notNull().default('form'),
    /** 360Giving `Identifier` (or a CSV id): re-imports update the same agreement. */
    externalId: text('external_id'),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: tstz('updated_at'),
  },
  (t) => [
    index('standards_funding_funder_idx').on(t.funderBodyId, t.startsOn),
    uniqueIndex('standards_funding_external_idx').on(t.funderBodyId, t.externalId),
  ],
);

export const standardsFundingChanges = pgTable(
  'standards_funding_changes',
  {
    id: id(),
    agreementId: uuid('agreement_id')
      .notNull()
      .references(() => standardsFundingAgreements.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: fundingChangeKinds }).notNull(),
    /** The day written notice was given, and the day the change takes effect. */
    noticeOn: date('notice_on').notNull(),
    effectiveOn: date('effective_on').notNull(),
    /** The reasons given with the notice (Compact: "with reasons"); required. */
    reason: text('reason').notNull(),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: tstz('updated_at'),
  },
  (t) => [index('standards_funding_changes_agreement_idx').on(t.agreementId, t.noticeOn)],
);

/**
 * A review of one agreement's text (A1–A3): who reviewed it, when, and the agreement it was. The findings the
 * reviewer confirmed are stored with it (standardsReviewFindings), so a finding does not change when the
 * checker's rules do; the text is kept so each finding's character offsets can be shown in context.
 */
export const standardsAgreementReviews = pgTable(
  'standards_agreement_reviews',
  {
    id: id(),
    bodyId: uuid('body_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    /** The agreement's own reference (grant number, contract id), when it has one. */
    reference: text('reference'),
    text: text('text').notNull(),
    reviewedOn: date('reviewed_on').notNull(),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [index('standards_agreement_reviews_body_idx').on(t.bodyId, t.reviewedOn)],
);

/** The clause rules a review finding can be under (domain.md §5). */
export const clauseRuleCodes = ['A1', 'A2', 'A3'] as const;

/**
 * Each clause the checker proposed for a review, with the reviewer's decision: confirmed clauses are findings;
 * the others are kept (with the reviewer's reason) so the review shows what was looked at and set aside.
 */
export const standardsReviewFindings = pgTable(
  'standards_review_findings',
  {
    id: id(),
    reviewId: uuid('review_id')
      .notNull()
      .references(() => standardsAgreementReviews.id, { onDelete: 'cascade' }),
    rule: text('rule', { enum: clauseRuleCodes }).notNull(),
    /** Character offsets into the review's text: text === review.text.slice(start, end). */
    start: integer('start').notNull(),
    end: integer('end').notNull(),
    text: text('text').notNull(),
    /** The checker's plain-English explanation of why the clause conflicts with the Covenant. */
    why: text('why').notNull(),
    confirmed: boolean('confirmed').notNull(),
    /** The reviewer's reason for setting a proposed clause aside (or a note on a confirmed one). */
    note: text('note'),
  },
  (t) => [index('standards_review_findings_review_idx').on(t.reviewId, t.start)],
);

export type ConsultationRow = typeof standardsConsultations.$inferSelect;
export type FundingAgreementRow = typeof standardsFundingAgreements.$inferSelect;
export type FundingChangeRow = typeof standardsFundingChanges.$inferSelect;
export type AgreementReviewRow = typeof standardsAgreementReviews.$inferSelect;
export type ReviewFindingRow = typeof standardsReviewFindings.$inferSelect;
