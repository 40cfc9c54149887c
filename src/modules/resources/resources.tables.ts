/**
 * The resource library (issue 9, item 1): guidance, training modules, codes of practice, templates and case
 * studies, tagged by principle, commitment, audience and nation, with full-text search, attachments checked
 * by content, every version kept, and a "last reviewed" date that prompts the owner to review it again.
 */
import { sql } from 'drizzle-orm';
import { customType, date, index, integer, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, tstz } from '../../platform/db/columns.ts';
import { users } from '../accounts/accounts.tables.ts';

const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

export const resourceKinds = ['guidance', 'training', 'code_of_practice', 'template', 'case_study'] as const;
export type ResourceKind = (typeof resourceKinds)[number];
export const audiences = ['civil_society', 'public_body', 'both'] as const;
export type Audience = (typeof audiences)[number];
export const resourceStatuses = ['draft', 'published'] as const;

const textArray = (name: string) =>
  text(name)
    .array()
    .notNull()
    .default(sql`'{}'::text[]`);

export const resources = pgTable(
  'resources',
  {
    id: id(),
    slug: text('slug').notNull(),
    kind: text('kind', { enum: resourceKinds }).notNull(),
    title: text('title').notNull(),
    summary: text('summary').notNull(),
    /** The current version's text (plain paragraphs separated by blank lines; "## " starts a heading). */
    body: text('body').notNull(),
    audience: text('audience', { enum: audiences }).notNull(),
    /** Principle slugs from the Covenant registry. */
    principles: textArray('principles'),
    /** Commitment codes from the Covenant registry. */
    commitments: textArray('commitments'),
    /** Nations it applies to; empty means the whole UK. */
    nations: textArray('nations'),
    status: text('status', { enum: resourceStatuses }).notNull().default('published'),
    version: integer('version').notNull().default(1),
    ownerId: uuid('owner_id').references(() => users.id, { onDelete: 'set null' }),
    lastReviewedOn: date('last_reviewed_on', { mode: 'string' }).notNull(),
    reviewIntervalMonths: integer('review_interval_months').notNull().default(12),
    reviewRemindedAt: tstz('review_reminded_at'),
    createdAt: createdAt(),
    updatedAt: tstz('updated_at').notNull(),
    search: tsvector('search').generatedAlwaysAs(
      sql`setweight(to_tsvector('english', coalesce(title, '')), 'A') || setweight(to_tsvector('english', coalesce(summary, '')), 'B') || setweight(to_tsvector('english', coalesce(body, '')), 'C')`,
    ),
  },
  (t) => [
    uniqueIndex('resources_slug_idx').on(t.slug),
    index('resources_search_idx').using('gin', t.search),
    index('resources_kind_idx').on(t.kind),
  ],
);

/** Every published version, kept: what changed, who changed it, when. */
export const resourceVersions = pgTable(
  'resource_versions',
  {
    id: id(),
    resourceId: uuid('resource_id')
      .notNull()
      .references(() => resources.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    title: text('title').notNull(),
    summary: text('summary').notNull(),
    body: text('body').notNull(),
    changeNote: text('change_note').notNull(),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('resource_versions_unique_idx').on(t.resourceId, t.version)],
);

export const resourceAttachments = pgTable(
  'resource_attachments',
  {
    id: id(),
    resourceId: uuid('resource_id')
      .notNull()
      .references(() => resources.id, { onDelete: 'cascade' }),
    filename: text('filename').notNull(),
    fileKind: text('file_kind').notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    sha256: text('sha256').notNull(),
    storageKey: text('storage_key').notNull(),
    uploadedBy: uuid('uploaded_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [index('resource_attachments_resource_idx').on(t.resourceId)],
);
