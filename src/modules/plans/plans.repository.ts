/** SQL for action plans. Every function asks `db.get()` when it runs, so it joins the open transaction. */
import { and, asc, desc, eq, inArray, ne, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../../platform/db/database.ts';
import { organisations } from '../directory/directory.tables.ts';
import { users } from '../accounts/accounts.tables.ts';
import { covenantCommitments } from '../covenant/covenant.tables.ts';
import { isUuid } from '../accounts/accounts.repository.ts';
import {
  actionPlans,
  planActions,
  planComments,
  planEvidence,
  planMilestones,
  planUpdateItems,
  planUpdates,
  type PlanStatus,
} from './plans.tables.ts';

export type PlanRow = typeof actionPlans.$inferSelect;
export type ActionRow = typeof planActions.$inferSelect;
export type MilestoneRow = typeof planMilestones.$inferSelect;
export type EvidenceRow = typeof planEvidence.$inferSelect;

const planColumns = {
  plan: actionPlans,
  bodyName: organisations.name,
  bodySlug: organisations.slug,
  bodyType: organisations.publicBodyType,
};

export function createPlansRepository(db: Database) {
  /** A body's name, slug and kind, found by id or by slug. */
  async function bodyWhere(where: SQL) {
    const [row] = await db
      .get()
      .select({
        id: organisations.id,
        name: organisations.name,
        slug: organisations.slug,
        kind: organisations.kind,
      })
      .from(organisations)
      .where(where);
    return row ?? null;
  }

  return {
    /** Locks the body's row so two plans for overlapping years cannot be created at the same moment. */
    async lockBody(bodyId: string) {
      await db.get().execute(sql`select id from organisations where id = ${bodyId} for update`);
    },
    async findBody(bodyId: string) {
      return isUuid(bodyId) ? bodyWhere(eq(organisations.id, bodyId)) : null;
    },
    async findBodyBySlug(slug: string) {
      return bodyWhere(eq(organisations.slug, slug));
    },
    async plansOfBody(bodyId: string, excludeId?: string) {
      return db
        .get()
        .select()
        .from(actionPlans)
        .where(and(eq(actionPlans.bodyId, bodyId), excludeId ? ne(actionPlans.id, excludeId) : undefined))
        .orderBy(desc(actionPlans.startsOn));
    },
    async insertPlan(values: typeof actionPlans.$inferInsert) {
      const [row] = await db.get().insert(actionPlans).values(values).returning();
      return row!;
    },
    async updatePlan(id: string, values: Partial<typeof actionPlans.$inferInsert>) {
      await db.get().update(actionPlans).set(values).where(eq(actionPlans.id, id));
    },
    async findPlan(id: string) {
      // Ids come from URLs: a malformed one matches nothing rather than reaching PostgreSQL as a uuid.
      if (!isUuid(id)) return null;
      const [row] = await db
        .get()
        .select(planColumns)
        .from(actionPlans)
        .innerJoin(organisations, eq(organisations.id, actionPlans.bodyId))
        .where(eq(actionPlans.id, id));
      return row ?? null;
    },
    /** Plans in the given statuses (all when none), optionally only for some bodies, newest first. */
    async listPlans(filter: { bodyIds?: string[]; statuses?: PlanStatus[] }) {
      if (filter.bodyIds && filter.bodyIds.length === 0) return [];
      return db
        .get()
        .select(planColumns)
        .from(actionPlans)
        .innerJoin(organisations, eq(organisations.id, actionPlans.bodyId))
        .where(
          and(
            filter.bodyIds ? inArray(actionPlans.bodyId, filter.bodyIds) : undefined,
            filter.statuses ? inArray(actionPlans.status, filter.statuses) : undefined,
          ),
        )
        .orderBy(desc(actionPlans.startsOn), asc(organisations.name))
        .limit(500);
    },
    async actionsOf(planIds: string[]) {
      if (planIds.length === 0) return [];
      return db
        .get()
        .select({
          action: planActions,
          commitmentCode: covenantCommitments.code,
          commitmentText: covenantCommitments.text,
        })
        .from(planActions)
        .innerJoin(covenantCommitments, eq(covenantCommitments.id, planActions.commitmentId))
        .where(inArray(planActions.planId, planIds))
        .orderBy(asc(planActions.position), asc(planActions.ref));
    },
    async findAction(id: string) {
      if (!isUuid(id)) return null;
      const [row] = await db.get().select().from(planActions).where(eq(planActions.id, id));
      return row ?? null;
    },
    async insertAction(values: typeof planActions.$inferInsert) {
      const [row] = await db.get().insert(planActions).values(values).returning();
      return row!;
    },
    async updateAction(id: string, values: Partial<typeof planActions.$inferInsert>) {
      await db.get().update(planActions).set(values).where(eq(planActions.id, id));
    },
    async deleteAction(id: string) {
      await db.get().delete(planActions).where(eq(planActions.id, id));
    },
    async nextActionNumber(planId: string) {
      const rows = await db
        .get()
        .select({ ref: planActions.ref })
        .from(planActions)
        .where(eq(planActions.planId, planId));
      return rows.reduce((max, r) => Math.max(max, Number(r.ref.replace(/\D/g, '')) || 0), 0) + 1;
    },
    async milestonesOf(actionIds: string[]) {
      if (actionIds.length === 0) return [];
      return db
        .get()
        .select()
        .from(planMilestones)
        .where(inArray(planMilestones.actionId, actionIds))
        .orderBy(asc(planMilestones.dueOn));
    },
    async findMilestone(id: string) {
      if (!isUuid(id)) return null;
      const [row] = await db.get().select().from(planMilestones).where(eq(planMilestones.id, id));
      return row ?? null;
    },
    async insertMilestone(values: typeof planMilestones.$inferInsert) {
      const [row] = await db.get().insert(planMilestones).values(values).returning();
      return row!;
    },
    async updateMilestone(id: string, values: Partial<typeof planMilestones.$inferInsert>) {
      await db.get().update(planMilestones).set(values).where(eq(planMilestones.id, id));
    },
    async evidenceOf(actionIds: string[]) {
      if (actionIds.length === 0) return [];
      return db
        .get()
        .select()
        .from(planEvidence)
        .where(inArray(planEvidence.actionId, actionIds))
        .orderBy(asc(planEvidence.createdAt));
    },
    async insertEvidence(values: typeof planEvidence.$inferInsert) {
      const [row] = await db.get().insert(planEvidence).values(values).returning();
      return row!;
    },
    async insertUpdate(values: typeof planUpdates.$inferInsert) {
      const [row] = await db.get().insert(planUpdates).values(values).returning();
      return row!;
    },
    async insertUpdateItems(values: (typeof planUpdateItems.$inferInsert)[]) {
      if (values.length) await db.get().insert(planUpdateItems).values(values);
    },
    async updatesOf(planId: string) {
      const updates = await db
        .get()
        .select({ update: planUpdates, authorName: users.displayName })
        .from(planUpdates)
        .leftJoin(users, eq(users.id, planUpdates.createdBy))
        .where(eq(planUpdates.planId, planId))
        .orderBy(desc(planUpdates.createdAt));
      const ids = updates.map((u) => u.update.id);
      const items = ids.length
        ? await db
            .get()
            .select({ item: planUpdateItems, ref: planActions.ref, title: planActions.title })
            .from(planUpdateItems)
            .innerJoin(planActions, eq(planActions.id, planUpdateItems.actionId))
            .where(inArray(planUpdateItems.updateId, ids))
            .orderBy(asc(planActions.ref))
        : [];
      return updates.map((u) => ({
        ...u.update,
        authorName: u.authorName,
        items: items
          .filter((i) => i.item.updateId === u.update.id)
          .map((i) => ({ ...i.item, ref: i.ref, title: i.title })),
      }));
    },
    async insertComment(values: typeof planComments.$inferInsert) {
      const [row] = await db.get().insert(planComments).values(values).returning();
      return row!;
    },
    async commentsOf(planId: string) {
      return db
        .get()
        .select({ comment: planComments, authorName: users.displayName, actionRef: planActions.ref })
        .from(planComments)
        .leftJoin(users, eq(users.id, planComments.authorUserId))
        .leftJoin(planActions, eq(planActions.id, planComments.actionId))
        .where(eq(planComments.planId, planId))
        .orderBy(asc(planComments.createdAt));
    },
    async commitments() {
      return db
        .get()
        .select({
          id: covenantCommitments.id,
          code: covenantCommitments.code,
          text: covenantCommitments.text,
        })
        .from(covenantCommitments)
        .orderBy(asc(covenantCommitments.code));
    },
    async findCommitment(id: string) {
      const [row] = await db
        .get()
        .select({ id: covenantCommitments.id })
        .from(covenantCommitments)
        .where(eq(covenantCommitments.id, id));
      return row ?? null;
    },
    /** Public bodies the person can make plans for (their own), by name. */
    async bodiesByIds(ids: string[]) {
      if (ids.length === 0) return [];
      return db
        .get()
        .select({ id: organisations.id, name: organisations.name, slug: organisations.slug })
        .from(organisations)
        .where(and(inArray(organisations.id, ids), eq(organisations.kind, 'public_body')))
        .orderBy(asc(organisations.name));
    },
  };
}

export type PlansRepository = ReturnType<typeof createPlansRepository>;
