/**
 * The Covenant registry: principles → commitments → measurable standards; the versioned text (paragraphs with
 * stable keys); sub-covenants with their officers; the pledge bank; signatures and their pledges.
 *
 * Reference data (principles, commitments, standards, pledges, the first published text) is loaded into every
 * fresh database by `ensureCovenantReference` (covenant.seed.ts), not only with demo data.
 */
import { sql } from 'drizzle-orm';
import { boolean, date, index, integer, pgTable, real, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, tstz } from '../../platform/db/columns.ts';
import { organisations } from '../directory/directory.tables.ts';
import { users } from '../accounts/accounts.tables.ts';

export const commitmentSides = ['government', 'civil_society', 'both'] as const;
export type CommitmentSide = (typeof commitmentSides)[number];

export const evaluationMethods = ['automatic', 'manual', 'survey'] as const;
export type EvaluationMethod = (typeof evaluationMethods)[number];

export const versionStatuses = ['draft', 'published'] as const;
export type VersionStatus = (typeof versionStatuses)[number];

export const paragraphKinds = ['heading', 'text'] as const;
export type ParagraphKind = (typeof paragraphKinds)[number];

export const subCovenantKinds = ['mission', 'departmental', 'local'] as const;
export type SubCovenantKind = (typeof subCovenantKinds)[number];

/** The Government's five missions (Covenant Framework, October 2024, Annex A). */
export const missions = ['growth', 'opportunity', 'nhs', 'clean_power', 'safer_streets'] as const;
export type Mission = (typeof missions)[number];

export const covenantPrinciples = pgTable(
  'covenant_principles',
  {
    id: id(),
    slug: text('slug').notNull(),
    position: integer('position').notNull(),
    title: text('title').notNull(),
    purpose: text('purpose').notNull(),
    source: text('source').notNull(),
    /** The reference could not confirm this wording against the published Covenant: shown as "To be confirmed". */
    unverified: boolean('unverified').notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('covenant_principles_slug_idx').on(t.slug)],
);

export const subCovenants = pgTable(
  'sub_covenants',
  {
    id: id(),
    slug: text('slug').notNull(),
    kind: text('kind', { enum: subCovenantKinds }).notNull(),
    title: text('title').notNull(),
    summary: text('summary').notNull(),
    body: text('body').notNull().default(''),
    mission: text('mission', { enum: missions }),
    /** Departmental: the department's name (linked to the directory later). */
    department: text('department'),
    /** Local: council or combined authority name and GSS code, as text until the directory links them. */
    areaName: text('area_name'),
    areaCode: text('area_code'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('sub_covenants_slug_idx').on(t.slug)],
);

export const covenantCommitments = pgTable(
  'covenant_commitments',
  {
    id: id(),
    code: text('code').notNull(),
    principleId: uuid('principle_id')
      .notNull()
      .references(() => covenantPrinciples.id, { onDelete: 'restrict' }),
    /** Null: a national commitment. Set: a sub-covenant's own commitment (it also inherits the national ones). */
    subCovenantId: uuid('sub_covenant_id').references(() => subCovenants.id, { onDelete: 'cascade' }),
    side: text('side', { enum: commitmentSides }).notNull(),
    text: text('text').notNull(),
    source: text('source').notNull(),
    unverified: boolean('unverified').notNull().default(false),
    position: integer('position').notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('covenant_commitments_code_idx').on(t.code),
    index('covenant_commitments_principle_idx').on(t.principleId),
    index('covenant_commitments_sub_idx').on(t.subCovenantId),
  ],
);

export const covenantStandards = pgTable(
  'covenant_standards',
  {
    id: id(),
    code: text('code').notNull(),
    principleId: uuid('principle_id')
      .notNull()
      .references(() => covenantPrinciples.id, { onDelete: 'restrict' }),
    commitmentId: uuid('commitment_id').references(() => covenantCommitments.id, { onDelete: 'set null' }),
    title: text('title').notNull(),
    rule: text('rule').notNull(),
    threshold: real('threshold'),
    unit: text('unit'),
    evaluation: text('evaluation', { enum: evaluationMethods }).notNull(),
    source: text('source').notNull(),
    unverified: boolean('unverified').notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('covenant_standards_code_idx').on(t.code)],
);

export const covenantVersions = pgTable(
  'covenant_versions',
  {
    id: id(),
    number: integer('number').notNull(),
    title: text('title').notNull(),
    status: text('status', { enum: versionStatuses }).notNull(),
    /** Exactly one published version is current (partial unique index). */
    isCurrent: boolean('is_current').notNull().default(false),
    basedOnId: uuid('based_on_id'),
    changeSummary: text('change_summary').notNull().default(''),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    publishedAt: tstz('published_at'),
    publishedBy: uuid('published_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('covenant_versions_number_idx').on(t.number),
    uniqueIndex('covenant_versions_one_current_idx')
      .on(t.isCurrent)
      .where(sql`${t.isCurrent}`),
    uniqueIndex('covenant_versions_one_draft_idx')
      .on(t.status)
      .where(sql`${t.status} = 'draft'`),
  ],
);

export const covenantParagraphs = pgTable(
  'covenant_paragraphs',
  {
    id: id(),
    versionId: uuid('version_id')
      .notNull()
      .references(() => covenantVersions.id, { onDelete: 'cascade' }),
    /** Stable key (`p-k3m9x2ta`), the same in every version that contains the paragraph. */
    key: text('key').notNull(),
    position: integer('position').notNull(),
    kind: text('kind', { enum: paragraphKinds }).notNull().default('text'),
    text: text('text').notNull(),
    commitmentId: uuid('commitment_id').references(() => covenantCommitments.id, { onDelete: 'set null' }),
  },
  (t) => [
    uniqueIndex('covenant_paragraphs_version_key_idx').on(t.versionId, t.key),
    index('covenant_paragraphs_key_idx').on(t.key),
  ],
);

/** Why a draft changed: the feedback that caused a change to one paragraph (or to the version as a whole). */
export const covenantChangeCitations = pgTable(
  'covenant_change_citations',
  {
    id: id(),
    versionId: uuid('version_id')
      .notNull()
      .references(() => covenantVersions.id, { onDelete: 'cascade' }),
    paragraphKey: text('paragraph_key'),
    reference: text('reference').notNull(),
    url: text('url'),
    createdAt: createdAt(),
  },
  (t) => [index('covenant_change_citations_version_idx').on(t.versionId)],
);

export const subCovenantOfficers = pgTable(
  'sub_covenant_officers',
  {
    id: id(),
    subCovenantId: uuid('sub_covenant_id')
      .notNull()
      .references(() => subCovenants.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    role: text('role').notNull(),
    /** A public way to reach them: an email address, a web form or a postal address. */
    contactRoute: text('contact_route').notNull(),
    organisationId: uuid('organisation_id').references(() => organisations.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [index('sub_covenant_officers_sub_idx').on(t.subCovenantId)],
);

/** Example pledges an organisation can choose when it signs (like the Armed Forces Covenant pledge bank). */
export const covenantPledges = pgTable(
  'covenant_pledges',
  {
    id: id(),
    code: text('code').notNull(),
    side: text('side', { enum: commitmentSides }).notNull(),
    text: text('text').notNull(),
    commitmentId: uuid('commitment_id').references(() => covenantCommitments.id, { onDelete: 'set null' }),
    position: integer('position').notNull().default(0),
    /** Withdrawn pledges are no longer offered; signatures that chose one keep it (and its words). */
    withdrawnAt: tstz('withdrawn_at'),
  },
  (t) => [uniqueIndex('covenant_pledges_code_idx').on(t.code)],
);

export const covenantSignatures = pgTable(
  'covenant_signatures',
  {
    id: id(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    /** Null: the national Covenant. */
    subCovenantId: uuid('sub_covenant_id').references(() => subCovenants.id, { onDelete: 'cascade' }),
    signedBy: uuid('signed_by').references(() => users.id, { onDelete: 'set null' }),
    signatoryName: text('signatory_name').notNull(),
    signatoryRole: text('signatory_role').notNull(),
    signedAt: tstz('signed_at').notNull(),
    /** Signed + 1 year: the organisation reviews its pledges every year. */
    reviewDueOn: date('review_due_on', { mode: 'string' }).notNull(),
    /** When the organisation last confirmed its signature and pledges (the yearly review); null: never. */
    reviewedAt: tstz('reviewed_at'),
    /** When the yearly review reminder was last sent: one reminder per cycle (see covenant.review.ts). */
    reviewRemindedAt: tstz('review_reminded_at'),
    createdAt: createdAt(),
  },
  (t) => [
    // One signature per organisation per covenant.
    uniqueIndex('covenant_signatures_national_idx')
      .on(t.organisationId)
      .where(sql`${t.subCovenantId} is null`),
    uniqueIndex('covenant_signatures_sub_idx')
      .on(t.organisationId, t.subCovenantId)
      .where(sql`${t.subCovenantId} is not null`),
  ],
);

export const covenantSignaturePledges = pgTable(
  'covenant_signature_pledges',
  {
    id: id(),
    signatureId: uuid('signature_id')
      .notNull()
      .references(() => covenantSignatures.id, { onDelete: 'cascade' }),
    /** A pledge from the bank, or null for the organisation's own words in `text`. */
    pledgeId: uuid('pledge_id').references(() => covenantPledges.id, { onDelete: 'restrict' }),
    text: text('text').notNull(),
    position: integer('position').notNull(),
  },
  (t) => [index('covenant_signature_pledges_sig_idx').on(t.signatureId)],
);
