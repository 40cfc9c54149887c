/** SQL for exchange opportunities, profiles, applications and reflections. Asks `db.get()` at query time. */
import { and, asc, desc, eq, gte, inArray, ne, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../../platform/db/database.ts';
import { memberships, users } from '../accounts/accounts.tables.ts';
import { organisations } from '../directory/directory.tables.ts';
import {
  exchangeApplications,
  exchangeOpportunities,
  exchangeProfiles,
  exchangeReflections,
} from './exchange.tables.ts';
import type { ListFilters } from './exchange.schema.ts';

export type OpportunityRow = typeof exchangeOpportunities.$inferSelect & {
  organisationName: string;
  organisationSlug: string;
};
export type ProfileRow = typeof exchangeProfiles.$inferSelect;
export type ApplicationRow = typeof exchangeApplications.$inferSelect;
export type ReflectionRow = typeof exchangeReflections.$inferSelect;

export function createExchangeRepository(db: Database) {
  const selectOpportunities = () =>
    db
      .get()
      .select({
        opportunity: exchangeOpportunities,
        organisationName: organisations.name,
        organisationSlug: organisations.slug,
      })
      .from(exchangeOpportunities)
      .innerJoin(organisations, eq(organisations.id, exchangeOpportunities.organisationId));
  const flat = (r: {
    opportunity: typeof exchangeOpportunities.$inferSelect;
    organisationName: string;
    organisationSlug: string;
  }): OpportunityRow => ({
    ...r.opportunity,
    organisationName: r.organisationName,
    organisationSlug: r.organisationSlug,
  });

  return {
    async insertOpportunity(values: typeof exchangeOpportunities.$inferInsert) {
      const [row] = await db.get().insert(exchangeOpportunities).values(values).returning();
      return row!;
    },
    async updateOpportunity(id: string, values: Partial<typeof exchangeOpportunities.$inferInsert>) {
      await db.get().update(exchangeOpportunities).set(values).where(eq(exchangeOpportunities.id, id));
    },
    async findOpportunity(id: string): Promise<OpportunityRow | undefined> {
      const rows = await selectOpportunities().where(eq(exchangeOpportunities.id, id)).limit(1);
      return rows[0] ? flat(rows[0]) : undefined;
    },
    /** Open opportunities whose closing date is today or later, soonest closing first. */
    async listOpen(today: string, filters: ListFilters = {}, limit = 500): Promise<OpportunityRow[]> {
      const conditions: SQL[] = [
        eq(exchangeOpportunities.status, 'open'),
        gte(exchangeOpportunities.closesOn, today),
      ];
      if (filters.kind) conditions.push(eq(exchangeOpportunities.kind, filters.kind));
      if (filters.skill)
        conditions.push(
          sql`${filters.skill} = any(${exchangeOpportunities.skillsWanted} || ${exchangeOpportunities.skillsOffered})`,
        );
      if (filters.nation)
        conditions.push(
          sql`(${exchangeOpportunities.nation} = ${filters.nation} or ${exchangeOpportunities.workMode} = 'remote')`,
        );
      if (filters.remote) conditions.push(eq(exchangeOpportunities.workMode, 'remote'));
      const rows = await selectOpportunities()
        .where(and(...conditions))
        .orderBy(asc(exchangeOpportunities.closesOn), asc(exchangeOpportunities.title))
        .limit(limit);
      return rows.map(flat);
    },
    async listForOrganisations(organisationIds: string[]): Promise<OpportunityRow[]> {
      if (!organisationIds.length) return [];
      const rows = await selectOpportunities()
        .where(inArray(exchangeOpportunities.organisationId, organisationIds))
        .orderBy(desc(exchangeOpportunities.createdAt));
      return rows.map(flat);
    },
    async findProfile(userId: string): Promise<ProfileRow | undefined> {
      const [row] = await db.get().select().from(exchangeProfiles).where(eq(exchangeProfiles.userId, userId));
      return row;
    },
    async upsertProfile(values: typeof exchangeProfiles.$inferInsert) {
      const { userId: _u, ...rest } = values;
      await db
        .get()
        .insert(exchangeProfiles)
        .values(values)
        .onConflictDoUpdate({ target: exchangeProfiles.userId, set: rest });
    },
    /** Profiles whose owners chose to be found, with their names (for the host's suggestions). */
    async discoverableProfiles(limit = 2000) {
      return db
        .get()
        .select({ profile: exchangeProfiles, displayName: users.displayName, email: users.email })
        .from(exchangeProfiles)
        .innerJoin(users, eq(users.id, exchangeProfiles.userId))
        .where(and(eq(exchangeProfiles.discoverable, true), sql`${users.disabledAt} is null`))
        .orderBy(asc(users.displayName))
        .limit(limit);
    },
    /** Everyone who holds any role in the organisation (they cannot be its visitors). */
    async memberIds(organisationId: string): Promise<Set<string>> {
      const rows = await db
        .get()
        .selectDistinct({ userId: memberships.userId })
        .from(memberships)
        .where(eq(memberships.organisationId, organisationId));
      return new Set(rows.map((r) => r.userId));
    },
    async findApplication(id: string) {
      const [row] = await db.get().select().from(exchangeApplications).where(eq(exchangeApplications.id, id));
      return row;
    },
    async findApplicationFor(opportunityId: string, userId: string) {
      const [row] = await db
        .get()
        .select()
        .from(exchangeApplications)
        .where(
          and(eq(exchangeApplications.opportunityId, opportunityId), eq(exchangeApplications.userId, userId)),
        );
      return row;
    },
    async insertApplication(values: typeof exchangeApplications.$inferInsert) {
      const [row] = await db.get().insert(exchangeApplications).values(values).returning();
      return row!;
    },
    async updateApplication(id: string, values: Partial<typeof exchangeApplications.$inferInsert>) {
      await db.get().update(exchangeApplications).set(values).where(eq(exchangeApplications.id, id));
    },
    async applicationsForOpportunity(opportunityId: string) {
      return db
        .get()
        .select({ application: exchangeApplications, displayName: users.displayName, email: users.email })
        .from(exchangeApplications)
        .innerJoin(users, eq(users.id, exchangeApplications.userId))
        .where(eq(exchangeApplications.opportunityId, opportunityId))
        .orderBy(asc(exchangeApplications.createdAt));
    },
    async applicationsOfUser(userId: string) {
      const rows = await db
        .get()
        .select({
          application: exchangeApplications,
          opportunity: exchangeOpportunities,
          organisationName: organisations.name,
          organisationSlug: organisations.slug,
        })
        .from(exchangeApplications)
        .innerJoin(exchangeOpportunities, eq(exchangeOpportunities.id, exchangeApplications.opportunityId))
        .innerJoin(organisations, eq(organisations.id, exchangeOpportunities.organisationId))
        .where(eq(exchangeApplications.userId, userId))
        .orderBy(desc(exchangeApplications.createdAt));
      return rows.map((r) => ({ application: r.application, opportunity: flat(r) }));
    },
    async reflectionsFor(applicationIds: string[]): Promise<ReflectionRow[]> {
      if (!applicationIds.length) return [];
      return db
        .get()
        .select()
        .from(exchangeReflections)
        .where(inArray(exchangeReflections.applicationId, applicationIds));
    },
    async insertReflection(values: typeof exchangeReflections.$inferInsert) {
      await db.get().insert(exchangeReflections).values(values);
    },
    /** Reflections recorded in [from, to), with the kind of exchange, for the annual review. */
    async reflectionsBetween(from: Date, to: Date) {
      return db
        .get()
        .select({
          kind: exchangeOpportunities.kind,
          party: exchangeReflections.party,
          outcome: exchangeReflections.outcome,
          reflection: exchangeReflections.reflection,
          recordedAt: exchangeReflections.recordedAt,
        })
        .from(exchangeReflections)
        .innerJoin(exchangeApplications, eq(exchangeApplications.id, exchangeReflections.applicationId))
        .innerJoin(exchangeOpportunities, eq(exchangeOpportunities.id, exchangeApplications.opportunityId))
        .where(and(gte(exchangeReflections.recordedAt, from), sql`${exchangeReflections.recordedAt} < ${to}`))
        .orderBy(asc(exchangeReflections.recordedAt));
    },
    /** Accepted applications per kind whose exchange started in [from, to) (ISO dates). */
    async acceptedBetween(from: string, to: string) {
      return db
        .get()
        .select({ kind: exchangeOpportunities.kind, count: sql<number>`count(*)::int` })
        .from(exchangeApplications)
        .innerJoin(exchangeOpportunities, eq(exchangeOpportunities.id, exchangeApplications.opportunityId))
        .where(
          and(
            eq(exchangeApplications.state, 'accepted'),
            gte(exchangeOpportunities.startsOn, from),
            sql`${exchangeOpportunities.startsOn} < ${to}`,
            ne(exchangeOpportunities.status, 'cancelled'),
          ),
        )
        .groupBy(exchangeOpportunities.kind);
    },
    async userContact(userId: string) {
      const [row] = await db
        .get()
        .select({ email: users.email, displayName: users.displayName, locale: users.locale })
        .from(users)
        .where(eq(users.id, userId));
      return row;
    },
  };
}
export type ExchangeRepository = ReturnType<typeof createExchangeRepository>;
