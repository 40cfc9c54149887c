/**
 * Organisations: public bodies, civil society organisations, infrastructure bodies, the oversight panel and
 * the Covenant team. The foundation needs them to scope roles; the directory capability adds identifiers,
 * nations and the rest.
 */
import { pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { createdAt, id } from '../../platform/db/columns.ts';

export const organisationKinds = ['public_body', 'cso', 'infrastructure', 'panel', 'covenant_team'] as const;
export type OrganisationKind = (typeof organisationKinds)[number];

export const organisations = pgTable(
  'organisations',
  {
    id: id(),
    slug: text('slug').notNull(),
    name: text('name').notNull(),
    kind: text('kind', { enum: organisationKinds }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('organisations_slug_idx').on(t.slug)],
);
