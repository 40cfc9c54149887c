/**
 * Local covenant partnerships (issue 9, item 4): one per council or combined-authority area, working under a
 * local covenant (a sub-covenant from the registry) through an existing local forum, with partner
 * organisations, local accountable officers, meetings and actions.
 */
import { date, index, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, tstz } from '../../platform/db/columns.ts';
import { organisations } from '../directory/directory.tables.ts';
import { subCovenants } from '../covenant/covenant.tables.ts';
import { users } from '../accounts/accounts.tables.ts';

export const partnershipActionStatuses = ['not_started', 'in_progress', 'done'] as const;
export type PartnershipActionStatus = (typeof partnershipActionStatuses)[number];

export const partnerships = pgTable(
  'partnerships',
  {
    id: id(),
    slug: text('slug').notNull(),
    name: text('name').notNull(),
    summary: text('summary').notNull(),
    /** The council or combined authority whose area the partnership covers. */
    areaOrganisationId: uuid('area_organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'restrict' }),
    subCovenantId: uuid('sub_covenant_id').references(() => subCovenants.id, { onDelete: 'set null' }),
    /** The existing local forum it works through (e.g. the VCS assembly or the compact group). */
    forumName: text('forum_name').notNull(),
    forumUrl: text('forum_url'),
    createdAt: createdAt(),
    updatedAt: tstz('updated_at'),
  },
  (t) => [
    uniqueIndex('partnerships_slug_idx').on(t.slug),
    index('partnerships_area_idx').on(t.areaOrganisationId),
  ],
);

export const partnershipPartners = pgTable(
  'partnership_partners',
  {
    id: id(),
    partnershipId: uuid('partnership_id')
      .notNull()
      .references(() => partnerships.id, { onDelete: 'cascade' }),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    /** What the partner does in the partnership, e.g. "Co-chair", "VCS infrastructure body". */
    role: text('role').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('partnership_partners_unique_idx').on(t.partnershipId, t.organisationId)],
);

export const partnershipOfficers = pgTable(
  'partnership_officers',
  {
    id: id(),
    partnershipId: uuid('partnership_id')
      .notNull()
      .references(() => partnerships.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    roleTitle: text('role_title').notNull(),
    organisationId: uuid('organisation_id').references(() => organisations.id, { onDelete: 'set null' }),
    /** A public way to reach them: an email address or a web page. */
    contact: text('contact').notNull(),
    /** Their account, when they sign in to manage the partnership (linked by an administrator). */
    userId: uuid('user_id').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [
    index('partnership_officers_idx').on(t.partnershipId),
    index('partnership_officers_user_idx').on(t.userId),
  ],
);

export const partnershipMeetings = pgTable(
  'partnership_meetings',
  {
    id: id(),
    partnershipId: uuid('partnership_id')
      .notNull()
      .references(() => partnerships.id, { onDelete: 'cascade' }),
    heldOn: date('held_on', { mode: 'string' }).notNull(),
    title: text('title').notNull(),
    minutes: text('minutes').notNull().default(''),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [index('partnership_meetings_idx').on(t.partnershipId, t.heldOn)],
);

export const partnershipActions = pgTable(
  'partnership_actions',
  {
    id: id(),
    partnershipId: uuid('partnership_id')
      .notNull()
      .references(() => partnerships.id, { onDelete: 'cascade' }),
    meetingId: uuid('meeting_id').references(() => partnershipMeetings.id, { onDelete: 'set null' }),
    title: text('title').notNull(),
    owner: text('owner').notNull(),
    dueOn: date('due_on', { mode: 'string' }),
    status: text('status', { enum: partnershipActionStatuses }).notNull().default('not_started'),
    createdAt: createdAt(),
    updatedAt: tstz('updated_at'),
  },
  (t) => [index('partnership_actions_idx').on(t.partnershipId, t.status)],
);
