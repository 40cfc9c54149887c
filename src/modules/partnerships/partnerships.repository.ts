/** SQL for local covenant partnerships. Asks `db.get()` at query time, so it runs in the caller's transaction. */
import { and, asc, desc, eq, inArray, isNull, ne, or, sql } from 'drizzle-orm';
import type { Database } from '../../platform/db/database.ts';
import { users } from '../accounts/accounts.tables.ts';
import { cases } from '../cases/cases.tables.ts';
import { subCovenants } from '../covenant/covenant.tables.ts';
import { organisations } from '../directory/directory.tables.ts';
import { actionPlans } from '../plans/plans.tables.ts';
import {
  partnershipActions,
  partnershipMeetings,
  partnershipOfficers,
  partnershipPartners,
  partnerships,
} from './partnerships.tables.ts';

export type PartnershipRow = typeof partnerships.$inferSelect;
export type OfficerRow = typeof partnershipOfficers.$inferSelect;
export type MeetingRow = typeof partnershipMeetings.$inferSelect;
export type ActionRow = typeof partnershipActions.$inferSelect;

/** The kinds of public body a partnership can be for (directory.taxonomy.ts). */
export const areaBodyTypes = ['local_authority', 'combined_authority'] as const;

export function createPartnershipsRepository(db: Database) {
  const q = () => db.get();
  const selectPartnerships = () =>
    q()
      .select({
        partnership: partnerships,
        area: {
          id: organisations.id,
          slug: organisations.slug,
          name: organisations.name,
          nation: organisations.nation,
          region: organisations.region,
          gssCode: organisations.gssCode,
          publicBodyType: organisations.publicBodyType,
        },
        subCovenant: { slug: subCovenants.slug, title: subCovenants.title },
      })
      .from(partnerships)
      .innerJoin(organisations, eq(organisations.id, partnerships.areaOrganisationId))
      .leftJoin(subCovenants, eq(subCovenants.id, partnerships.subCovenantId));
  const flat = (r: Awaited<ReturnType<typeof selectPartnerships>>[number]) => ({
    ...r.partnership,
    area: r.area,
    subCovenant: r.subCovenant?.slug ? r.subCovenant : null,
  });

  return {
    async list() {
      return (await selectPartnerships().orderBy(asc(partnerships.name))).map(flat);
    },
    async findBySlug(slug: string) {
      const [row] = await selectPartnerships().where(eq(partnerships.slug, slug));
      return row ? flat(row) : null;
    },
    async slugTaken(slug: string) {
      const [row] = await q()
        .select({ id: partnerships.id })
        .from(partnerships)
        .where(eq(partnerships.slug, slug));
      return Boolean(row);
    },
    async insert(values: typeof partnerships.$inferInsert) {
      const [row] = await q().insert(partnerships).values(values).returning();
      return row!;
    },
    async update(id: string, values: Partial<typeof partnerships.$inferInsert>) {
      await q().update(partnerships).set(values).where(eq(partnerships.id, id));
    },

    // Choices for the forms

    /** Live councils and combined authorities, by name (a few hundred). */
    async areaOrganisations() {
      return q()
        .select({ id: organisations.id, slug: organisations.slug, name: organisations.name })
        .from(organisations)
        .where(
          and(
            eq(organisations.kind, 'public_body'),
            inArray(organisations.publicBodyType, [...areaBodyTypes]),
            eq(organisations.status, 'live'),
          ),
        )
        .orderBy(asc(organisations.name));
    },
    async areaOrganisation(slug: string) {
      const [row] = await q()
        .select({ id: organisations.id, slug: organisations.slug, name: organisations.name })
        .from(organisations)
        .where(
          and(
            eq(organisations.slug, slug),
            eq(organisations.kind, 'public_body'),
            inArray(organisations.publicBodyType, [...areaBodyTypes]),
          ),
        );
      return row ?? null;
    },
    async localSubCovenants() {
      return q()
        .select({ id: subCovenants.id, slug: subCovenants.slug, title: subCovenants.title })
        .from(subCovenants)
        .where(eq(subCovenants.kind, 'local'))
        .orderBy(asc(subCovenants.title));
    },
    async localSubCovenant(slug: string) {
      const [row] = await q()
        .select({ id: subCovenants.id })
        .from(subCovenants)
        .where(and(eq(subCovenants.slug, slug), eq(subCovenants.kind, 'local')));
      return row ?? null;
    },
    /** An organisation by its directory slug, or by its exact name when exactly one has it. */
    async organisationByNameOrSlug(text: string) {
      const pick = { id: organisations.id, slug: organisations.slug, name: organisations.name };
      const [bySlug] = await q().select(pick).from(organisations).where(eq(organisations.slug, text));
      if (bySlug) return bySlug;
      const byName = await q()
        .select(pick)
        .from(organisations)
        .where(sql`lower(${organisations.name}) = lower(${text})`)
        .limit(2);
      return byName.length === 1 ? byName[0]! : null;
    },
    async userByEmail(email: string) {
      const [row] = await q()
        .select({ id: users.id, displayName: users.displayName })
        .from(users)
        .where(sql`lower(${users.email}) = lower(${email})`);
      return row ?? null;
    },

    // Partners and officers

    async partners(partnershipId: string) {
      return q()
        .select({
          id: partnershipPartners.id,
          role: partnershipPartners.role,
          organisationId: organisations.id,
          slug: organisations.slug,
          name: organisations.name,
          kind: organisations.kind,
        })
        .from(partnershipPartners)
        .innerJoin(organisations, eq(organisations.id, partnershipPartners.organisationId))
        .where(eq(partnershipPartners.partnershipId, partnershipId))
        .orderBy(asc(organisations.name));
    },
    async insertPartner(values: typeof partnershipPartners.$inferInsert) {
      const rows = await q().insert(partnershipPartners).values(values).onConflictDoNothing().returning();
      return rows[0] ?? null;
    },
    async deletePartner(partnershipId: string, id: string) {
      const rows = await q()
        .delete(partnershipPartners)
        .where(and(eq(partnershipPartners.partnershipId, partnershipId), eq(partnershipPartners.id, id)))
        .returning({ id: partnershipPartners.id });
      return rows.length > 0;
    },
    async officers(partnershipId: string) {
      return q()
        .select()
        .from(partnershipOfficers)
        .where(eq(partnershipOfficers.partnershipId, partnershipId))
        .orderBy(asc(partnershipOfficers.name));
    },
    async insertOfficer(values: typeof partnershipOfficers.$inferInsert) {
      const [row] = await q().insert(partnershipOfficers).values(values).returning();
      return row!;
    },
    async deleteOfficer(partnershipId: string, id: string) {
      const rows = await q()
        .delete(partnershipOfficers)
        .where(and(eq(partnershipOfficers.partnershipId, partnershipId), eq(partnershipOfficers.id, id)))
        .returning();
      return rows[0] ?? null;
    },

    // Meetings and actions

    async meetings(partnershipId: string) {
      return q()
        .select()
        .from(partnershipMeetings)
        .where(eq(partnershipMeetings.partnershipId, partnershipId))
        .orderBy(desc(partnershipMeetings.heldOn), desc(partnershipMeetings.createdAt));
    },
    async insertMeeting(values: typeof partnershipMeetings.$inferInsert) {
      const [row] = await q().insert(partnershipMeetings).values(values).returning();
      return row!;
    },
    async actions(partnershipId: string) {
      return q()
        .select()
        .from(partnershipActions)
        .where(eq(partnershipActions.partnershipId, partnershipId))
        .orderBy(sql`${partnershipActions.dueOn} asc nulls last`, asc(partnershipActions.createdAt));
    },
    /** Every partnership's actions (for the national roll-up). */
    async allActions() {
      return q()
        .select({
          partnershipId: partnershipActions.partnershipId,
          status: partnershipActions.status,
          dueOn: partnershipActions.dueOn,
        })
        .from(partnershipActions);
    },
    async insertAction(values: typeof partnershipActions.$inferInsert) {
      const [row] = await q().insert(partnershipActions).values(values).returning();
      return row!;
    },
    async updateAction(
      partnershipId: string,
      id: string,
      values: Partial<typeof partnershipActions.$inferInsert>,
    ) {
      const rows = await q()
        .update(partnershipActions)
        .set(values)
        .where(and(eq(partnershipActions.partnershipId, partnershipId), eq(partnershipActions.id, id)))
        .returning();
      return rows[0] ?? null;
    },
    async countsPerPartnership() {
      const [partners, officers] = await Promise.all([
        q()
          .select({ id: partnershipPartners.partnershipId, n: sql<number>`count(*)::int` })
          .from(partnershipPartners)
          .groupBy(partnershipPartners.partnershipId),
        q()
          .select({ id: partnershipOfficers.partnershipId, n: sql<number>`count(*)::int` })
          .from(partnershipOfficers)
          .groupBy(partnershipOfficers.partnershipId),
      ]);
      return {
        partners: new Map(partners.map((r) => [r.id, r.n])),
        officers: new Map(officers.map((r) => [r.id, r.n])),
      };
    },

    // The local view

    /**
     * The public bodies of a partnership's area: the council or combined authority, the bodies the directory
     * lists under it (parent), and the public bodies among its partners.
     */
    async areaBodies(partnershipId: string, areaOrganisationId: string) {
      return q()
        .select({ id: organisations.id, slug: organisations.slug, name: organisations.name })
        .from(organisations)
        .where(
          and(
            eq(organisations.kind, 'public_body'),
            or(
              eq(organisations.id, areaOrganisationId),
              eq(organisations.parentId, areaOrganisationId),
              inArray(
                organisations.id,
                q()
                  .select({ id: partnershipPartners.organisationId })
                  .from(partnershipPartners)
                  .where(eq(partnershipPartners.partnershipId, partnershipId)),
              ),
            ),
          ),
        )
        .orderBy(asc(organisations.name));
    },
    /** Reported problems (not duplicates) about the bodies, by state. Suppressed by the service. */
    async caseCountsByState(bodyIds: string[]) {
      if (!bodyIds.length) return [];
      return q()
        .select({ state: cases.state, n: sql<number>`count(*)::int` })
        .from(cases)
        .where(
          and(
            inArray(cases.bodyId, bodyIds),
            eq(cases.kind, 'problem'),
            or(isNull(cases.outcome), ne(cases.outcome, 'duplicate')),
          ),
        )
        .groupBy(cases.state);
    },
    async publishedPlans(bodyIds: string[]) {
      if (!bodyIds.length) return [];
      return q()
        .select({
          id: actionPlans.id,
          title: actionPlans.title,
          startsOn: actionPlans.startsOn,
          endsOn: actionPlans.endsOn,
          bodyName: organisations.name,
        })
        .from(actionPlans)
        .innerJoin(organisations, eq(organisations.id, actionPlans.bodyId))
        .where(and(inArray(actionPlans.bodyId, bodyIds), eq(actionPlans.status, 'published')))
        .orderBy(asc(organisations.name), desc(actionPlans.startsOn));
    },
  };
}

export type PartnershipsRepository = ReturnType<typeof createPartnershipsRepository>;
