/**
 * Exchange opportunities (issue 9, item 3): secondments, shadowing placements and joint away days posted by a
 * public body or a civil society organisation; people's exchange profiles; applications and expressions of
 * interest; and the outcome and reflection each side records afterwards (which feed the annual review).
 */
import { sql } from 'drizzle-orm';
import { date, index, integer, pgTable, text, uniqueIndex, uuid, boolean } from 'drizzle-orm/pg-core';
import { createdAt, id, tstz } from '../../platform/db/columns.ts';
import { organisations } from '../directory/directory.tables.ts';
import { users } from '../accounts/accounts.tables.ts';
import { nations } from '../directory/directory.taxonomy.ts';
import {
  applicationKinds,
  applicationStates,
  clearanceLevels,
  durationUnits,
  exchangeOutcomes,
  opportunityKinds,
  opportunityStatuses,
  sides,
  workModes,
} from './exchange.vocabulary.ts';

const textArray = (name: string) =>
  text(name)
    .array()
    .notNull()
    .default(sql`'{}'::text[]`);

export const exchangeOpportunities = pgTable(
  'exchange_opportunities',
  {
    id: id(),
    kind: text('kind', { enum: opportunityKinds }).notNull(),
    title: text('title').notNull(),
    description: text('description').notNull(),
    /** The host: a public body or a civil society organisation. */
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    postedBy: uuid('posted_by').references(() => users.id, { onDelete: 'set null' }),
    /** Skills from the controlled vocabulary the host wants the visitor to bring. */
    skillsWanted: textArray('skills_wanted'),
    /** Skills the visitor will use or develop while there. */
    skillsOffered: textArray('skills_offered'),
    /** Free tags beyond the vocabulary, lower case. */
    tags: textArray('tags'),
    workMode: text('work_mode', { enum: workModes }).notNull(),
    placeName: text('place_name'),
    localAuthorityGss: text('local_authority_gss'),
    region: text('region'),
    nation: text('nation', { enum: nations }),
    startsOn: date('starts_on', { mode: 'string' }).notNull(),
    endsOn: date('ends_on', { mode: 'string' }).notNull(),
    durationValue: integer('duration_value').notNull(),
    durationUnit: text('duration_unit', { enum: durationUnits }).notNull(),
    clearance: text('clearance', { enum: clearanceLevels }).notNull().default('none'),
    /** Eligibility (hard filters). Empty lists mean "anyone". */
    eligibleSides: textArray('eligible_sides'),
    eligibleSectors: textArray('eligible_sectors'),
    eligibleNations: textArray('eligible_nations'),
    closesOn: date('closes_on', { mode: 'string' }).notNull(),
    status: text('status', { enum: opportunityStatuses }).notNull().default('open'),
    createdAt: createdAt(),
    updatedAt: tstz('updated_at'),
  },
  (t) => [
    index('exchange_opportunities_org_idx').on(t.organisationId),
    index('exchange_opportunities_status_idx').on(t.status, t.closesOn),
  ],
);

/** One per person: what they bring, what they want to learn, where and when they can go. */
export const exchangeProfiles = pgTable(
  'exchange_profiles',
  {
    id: id(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    side: text('side', { enum: sides }).notNull(),
    organisationId: uuid('organisation_id').references(() => organisations.id, { onDelete: 'set null' }),
    headline: text('headline').notNull(),
    skillsOffered: textArray('skills_offered'),
    skillsWanted: textArray('skills_wanted'),
    tags: textArray('tags'),
    sectors: textArray('sectors'),
    localAuthorityGss: text('local_authority_gss'),
    region: text('region'),
    nation: text('nation', { enum: nations }).notNull(),
    remoteOnly: boolean('remote_only').notNull().default(false),
    availableFrom: date('available_from', { mode: 'string' }),
    availableTo: date('available_to', { mode: 'string' }),
    clearance: text('clearance', { enum: clearanceLevels }).notNull().default('none'),
    /** Hosts may find this profile in their suggestions and invite the person to apply. */
    discoverable: boolean('discoverable').notNull().default(false),
    createdAt: createdAt(),
    updatedAt: tstz('updated_at'),
  },
  (t) => [uniqueIndex('exchange_profiles_user_idx').on(t.userId)],
);

export const exchangeApplications = pgTable(
  'exchange_applications',
  {
    id: id(),
    opportunityId: uuid('opportunity_id')
      .notNull()
      .references(() => exchangeOpportunities.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: applicationKinds }).notNull(),
    statement: text('statement').notNull().default(''),
    state: text('state', { enum: applicationStates }).notNull().default('submitted'),
    /** The score and reasons when the person applied, so the host sees what the person saw. */
    scoreAtApply: integer('score_at_apply'),
    decidedAt: tstz('decided_at'),
    decidedBy: uuid('decided_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: tstz('updated_at'),
  },
  (t) => [
    // One application per person per opportunity: a second submission is a duplicate.
    uniqueIndex('exchange_applications_unique_idx').on(t.opportunityId, t.userId),
    index('exchange_applications_user_idx').on(t.userId),
  ],
);

/** After an accepted exchange, each side records the outcome and a short reflection. */
export const exchangeReflections = pgTable(
  'exchange_reflections',
  {
    id: id(),
    applicationId: uuid('application_id')
      .notNull()
      .references(() => exchangeApplications.id, { onDelete: 'cascade' }),
    party: text('party', { enum: ['host', 'participant'] }).notNull(),
    outcome: text('outcome', { enum: exchangeOutcomes }).notNull(),
    reflection: text('reflection').notNull(),
    recordedBy: uuid('recorded_by').references(() => users.id, { onDelete: 'set null' }),
    recordedAt: tstz('recorded_at').notNull(),
  },
  (t) => [uniqueIndex('exchange_reflections_party_idx').on(t.applicationId, t.party)],
);
