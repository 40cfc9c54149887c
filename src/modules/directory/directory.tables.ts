/**
 * Organisations: public bodies, civil society organisations, infrastructure bodies, the oversight panel and
 * the Covenant team. The foundation needs them to scope roles; the directory adds identifiers, nations,
 * parents, accountable leads and full-text search.
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  customType,
  index,
  pgTable,
  smallint,
  text,
  uniqueIndex,
  uuid,
  type AnyPgColumn,
} from 'drizzle-orm/pg-core';
import { createdAt, id, tstz } from '../../platform/db/columns.ts';
import {
  bodyStatuses,
  incomeBands,
  leadRoles,
  nations,
  organisationSources,
  publicBodyTypes,
} from './directory.taxonomy.ts';
import { identifierSchemes } from './directory.identifiers.ts';

export const organisationKinds = ['public_body', 'cso', 'infrastructure', 'panel', 'covenant_team'] as const;
export type OrganisationKind = (typeof organisationKinds)[number];

const tsvector = customType<{ data: string }>({
  dataType: () => 'tsvector',
});

export const organisations = pgTable(
  'organisations',
  {
    id: id(),
    slug: text('slug').notNull(),
    name: text('name').notNull(),
    kind: text('kind', { enum: organisationKinds }).notNull(),
    createdAt: createdAt(),
    /** SPEC §2 body type; GOV.UK's own type name is kept in `govuk_type`. */
    publicBodyType: text('public_body_type', { enum: publicBodyTypes }),
    govukType: text('govuk_type'),
    /** The first of GOV.UK's parents that is in the directory; all of them are in `parent_slugs`. */
    parentId: uuid('parent_id').references((): AnyPgColumn => organisations.id, { onDelete: 'set null' }),
    parentSlugs: text('parent_slugs')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    nation: text('nation', { enum: nations }),
    region: text('region'),
    govukSlug: text('govuk_slug'),
    /** ONS GSS code of a council or combined authority (E06000001…). */
    gssCode: text('gss_code'),
    /** NHS Organisation Data Service code. */
    odsCode: text('ods_code'),
    status: text('status', { enum: bodyStatuses }).notNull().default('live'),
    /** For CSOs: the local authority (GSS code) they are based in. */
    localAuthorityGss: text('local_authority_gss'),
    incomeBand: text('income_band', { enum: incomeBands }),
    areasOfWork: text('areas_of_work')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    source: text('source', { enum: organisationSources }),
    /** When the body was last reminded to confirm its accountable leads. */
    leadsRemindedAt: tstz('leads_reminded_at'),
    updatedAt: tstz('updated_at'),
    /** Full-text search: name (weight A), then identifiers and codes (B). 'simple' keeps names unstemmed. */
    search: tsvector('search').generatedAlwaysAs(
      sql`setweight(to_tsvector('english', coalesce(name, '')), 'A') || setweight(to_tsvector('simple', coalesce(name, '')), 'A') || setweight(to_tsvector('simple', coalesce(govuk_slug, '') || ' ' || coalesce(gss_code, '') || ' ' || coalesce(ods_code, '')), 'B')`,
    ),
  },
  (t) => [
    uniqueIndex('organisations_slug_idx').on(t.slug),
    uniqueIndex('organisations_govuk_slug_idx').on(t.govukSlug),
    uniqueIndex('organisations_gss_code_idx').on(t.gssCode),
    uniqueIndex('organisations_ods_code_idx').on(t.odsCode),
    index('organisations_search_idx').using('gin', t.search),
    index('organisations_name_prefix_idx').using('btree', sql`lower(${t.name}) text_pattern_ops`),
    index('organisations_kind_name_idx').on(t.kind, t.name),
    // Browsing the directory in name order without a kind (the search page's default listing).
    index('organisations_name_id_idx').on(t.name, t.id),
    index('organisations_parent_idx').on(t.parentId),
    index('organisations_areas_idx').using('gin', t.areasOfWork),
  ],
);

/** Registered numbers of an organisation, each with its org-id; one org-id belongs to one organisation. */
export const organisationIdentifiers = pgTable(
  'organisation_identifiers',
  {
    id: id(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    scheme: text('scheme', { enum: identifierSchemes }).notNull(),
    value: text('value').notNull(),
    orgId: text('org_id').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('organisation_identifiers_org_id_idx').on(t.orgId),
    index('organisation_identifiers_organisation_idx').on(t.organisationId),
  ],
);

/** Accountable leads of a public body, one per role, published with a public contact route. */
export const accountableLeads = pgTable(
  'accountable_leads',
  {
    id: id(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    role: text('role', { enum: leadRoles }).notNull(),
    name: text('name').notNull(),
    roleTitle: text('role_title').notNull(),
    contactEmail: text('contact_email'),
    contactUrl: text('contact_url'),
    confirmedAt: tstz('confirmed_at'),
    createdAt: createdAt(),
    updatedAt: tstz('updated_at'),
  },
  (t) => [uniqueIndex('accountable_leads_role_idx').on(t.organisationId, t.role)],
);

/** An uploaded CSO file between its dry run and the admin's confirmation. */
export const directoryImports = pgTable('directory_imports', {
  id: id(),
  /** The admin who uploaded it (no foreign key: the directory does not depend on accounts' tables). */
  uploadedBy: uuid('uploaded_by'),
  filename: text('filename').notNull(),
  content: text('content').notNull(),
  sha256: text('sha256').notNull(),
  createdAt: createdAt(),
  appliedAt: tstz('applied_at'),
});

/**
 * One row counting changes to the directory and the Covenant registry. Statement-level triggers on their
 * tables (migration `registry_change_triggers`) add one to `version` in the writing transaction, whichever
 * module writes, so every process sees the change once it commits. The public page cache
 * (src/platform/http/page-cache.ts) compares it with the version its cached pages were built at.
 */
export const registryChanges = pgTable('registry_changes', {
  id: smallint('id').primaryKey().default(1),
  version: bigint('version', { mode: 'number' }).notNull().default(0),
  changedAt: tstz('changed_at'),
});
