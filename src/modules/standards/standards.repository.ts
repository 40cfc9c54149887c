/** SQL for standards monitoring. Every function asks `db.get()` when it runs, so it joins the open transaction. */
import { and, asc, desc, eq, inArray, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { Database } from '../../platform/db/database.ts';
import { organisations } from '../directory/directory.tables.ts';
import { isUuid } from '../accounts/accounts.repository.ts';
import {
  standardsAgreementReviews,
  standardsConsultations,
  standardsFundingAgreements,
  standardsFundingChanges,
  standardsReviewFindings,
  type ConsultationRow,
  type FundingAgreementRow,
} from './standards.tables.ts';

export type NewConsultation = typeof standardsConsultations.$inferInsert;
export type NewFundingAgreement = typeof standardsFundingAgreements.$inferInsert;
export type NewFundingChange = typeof standardsFundingChanges.$inferInsert;
export type NewAgreementReview = typeof standardsAgreementReviews.$inferInsert;
export type NewReviewFinding = Omit<typeof standardsReviewFindings.$inferInsert, 'reviewId'>;

const bodyColumns = {
  id: organisations.id,
  name: organisations.name,
  slug: organisations.slug,
  kind: organisations.kind,
  publicBodyType: organisations.publicBodyType,
};

export function createStandardsRepository(db: Database) {
  async function bodyWhere(where: SQL) {
    const [row] = await db.get().select(bodyColumns).from(organisations).where(where);
    return row ?? null;
  }
  const byBody = (column: PgColumn, bodyId: string | undefined) =>
    bodyId === undefined ? undefined : eq(column, bodyId);

  return {
    async findBody(bodyId: string) {
      return isUuid(bodyId) ? bodyWhere(eq(organisations.id, bodyId)) : null;
    },
    async findBodyBySlug(slug: string) {
      return bodyWhere(eq(organisations.slug, slug));
    },
    /** Every public body, by name (administrators keep any body's records). */
    async publicBodies() {
      return db
        .get()
        .select(bodyColumns)
        .from(organisations)
        .where(eq(organisations.kind, 'public_body'))
        .orderBy(asc(organisations.name));
    },
    async bodiesByIds(ids: string[]) {
      if (ids.length === 0) return [];
      return db
        .get()
        .select(bodyColumns)
        .from(organisations)
        .where(and(inArray(organisations.id, ids), eq(organisations.kind, 'public_body')))
        .orderBy(asc(organisations.name));
    },

    /** Consultations of one body, or of every body; newest closing date first. */
    async consultations(bodyId?: string) {
      return db
        .get()
        .select()
        .from(standardsConsultations)
        .where(byBody(standardsConsultations.bodyId, bodyId))
        .orderBy(desc(standardsConsultations.closesOn), asc(standardsConsultations.title));
    },
    async findConsultation(id: string) {
      if (!isUuid(id)) return null;
      const [row] = await db
        .get()
        .select()
        .from(standardsConsultations)
        .where(eq(standardsConsultations.id, id));
      return row ?? null;
    },
    async consultationsByExternalId(bodyId: string, externalIds: string[]) {
      if (externalIds.length === 0) return [];
      return db
        .get()
        .select()
        .from(standardsConsultations)
        .where(
          and(
            eq(standardsConsultations.bodyId, bodyId),
            inArray(standardsConsultations.externalId, externalIds),
          ),
        );
    },
    async insertConsultation(values: NewConsultation): Promise<ConsultationRow> {
      const [row] = await db.get().insert(standardsConsultations).values(values).returning();
      return row!;
    },
    async updateConsultation(id: string, values: Partial<NewConsultation>) {
      await db.get().update(standardsConsultations).set(values).where(eq(standardsConsultations.id, id));
    },
    async deleteConsultation(id: string) {
      await db.get().delete(standardsConsultations).where(eq(standardsConsultations.id, id));
    },

    /** Funding agreements a body made (or every body's), newest start first. */
    async agreements(funderBodyId?: string) {
      return db
        .get()
        .select()
        .from(standardsFundingAgreements)
        .where(byBody(standardsFundingAgreements.funderBodyId, funderBodyId))
        .orderBy(desc(standardsFundingAgreements.startsOn), asc(standardsFundingAgreements.title));
    },
    async findAgreement(id: string) {
      if (!isUuid(id)) return null;
      const [row] = await db
        .get()
        .select()
        .from(standardsFundingAgreements)
        .where(eq(standardsFundingAgreements.id, id));
      return row ?? null;
    },
    async agreementsByExternalId(funderBodyId: string, externalIds: string[]) {
      if (externalIds.length === 0) return [];
      return db
        .get()
        .select()
        .from(standardsFundingAgreements)
        .where(
          and(
            eq(standardsFundingAgreements.funderBodyId, funderBodyId),
            inArray(standardsFundingAgreements.externalId, externalIds),
          ),
        );
    },
    async insertAgreement(values: NewFundingAgreement): Promise<FundingAgreementRow> {
      const [row] = await db.get().insert(standardsFundingAgreements).values(values).returning();
      return row!;
    },
    async updateAgreement(id: string, values: Partial<NewFundingAgreement>) {
      await db
        .get()
        .update(standardsFundingAgreements)
        .set(values)
        .where(eq(standardsFundingAgreements.id, id));
    },
    async deleteAgreement(id: string) {
      await db.get().delete(standardsFundingAgreements).where(eq(standardsFundingAgreements.id, id));
    },

    /** Funding changes with their agreement's funder, title and recipient; for one body or all. */
    async changes(funderBodyId?: string) {
      return db
        .get()
        .select({
          change: standardsFundingChanges,
          funderBodyId: standardsFundingAgreements.funderBodyId,
          agreementTitle: standardsFundingAgreements.title,
          recipientName: standardsFundingAgreements.recipientName,
        })
        .from(standardsFundingChanges)
        .innerJoin(
          standardsFundingAgreements,
          eq(standardsFundingAgreements.id, standardsFundingChanges.agreementId),
        )
        .where(byBody(standardsFundingAgreements.funderBodyId, funderBodyId))
        .orderBy(desc(standardsFundingChanges.noticeOn));
    },
    async changesOfAgreement(agreementId: string) {
      return db
        .get()
        .select()
        .from(standardsFundingChanges)
        .where(eq(standardsFundingChanges.agreementId, agreementId))
        .orderBy(desc(standardsFundingChanges.noticeOn));
    },
    async findChange(id: string) {
      if (!isUuid(id)) return null;
      const [row] = await db
        .get()
        .select()
        .from(standardsFundingChanges)
        .where(eq(standardsFundingChanges.id, id));
      return row ?? null;
    },
    async insertChange(values: NewFundingChange) {
      const [row] = await db.get().insert(standardsFundingChanges).values(values).returning();
      return row!;
    },
    async updateChange(id: string, values: Partial<NewFundingChange>) {
      await db.get().update(standardsFundingChanges).set(values).where(eq(standardsFundingChanges.id, id));
    },
    async deleteChange(id: string) {
      await db.get().delete(standardsFundingChanges).where(eq(standardsFundingChanges.id, id));
    },

    /** Reviewed agreements of one body or all, newest review first (without their text). */
    async reviews(bodyId?: string) {
      return db
        .get()
        .select({
          id: standardsAgreementReviews.id,
          bodyId: standardsAgreementReviews.bodyId,
          title: standardsAgreementReviews.title,
          reference: standardsAgreementReviews.reference,
          reviewedOn: standardsAgreementReviews.reviewedOn,
          createdAt: standardsAgreementReviews.createdAt,
        })
        .from(standardsAgreementReviews)
        .where(byBody(standardsAgreementReviews.bodyId, bodyId))
        .orderBy(desc(standardsAgreementReviews.reviewedOn), desc(standardsAgreementReviews.createdAt));
    },
    /** The clauses proposed for the reviews of one body (or all), in text order. */
    async reviewClauses(bodyId?: string) {
      return db
        .get()
        .select({ clause: standardsReviewFindings })
        .from(standardsReviewFindings)
        .innerJoin(
          standardsAgreementReviews,
          eq(standardsAgreementReviews.id, standardsReviewFindings.reviewId),
        )
        .where(byBody(standardsAgreementReviews.bodyId, bodyId))
        .orderBy(asc(standardsReviewFindings.reviewId), asc(standardsReviewFindings.start))
        .then((rows) => rows.map((r) => r.clause));
    },
    async findReview(id: string) {
      if (!isUuid(id)) return null;
      const [row] = await db
        .get()
        .select()
        .from(standardsAgreementReviews)
        .where(eq(standardsAgreementReviews.id, id));
      return row ?? null;
    },
    async clausesOfReview(reviewId: string) {
      return db
        .get()
        .select()
        .from(standardsReviewFindings)
        .where(eq(standardsReviewFindings.reviewId, reviewId))
        .orderBy(asc(standardsReviewFindings.start), asc(standardsReviewFindings.rule));
    },
    /** A review and the clauses proposed for it; call inside a transaction so both or neither are saved. */
    async insertReview(values: NewAgreementReview, clauses: readonly NewReviewFinding[]) {
      const [row] = await db.get().insert(standardsAgreementReviews).values(values).returning();
      if (clauses.length > 0)
        await db
          .get()
          .insert(standardsReviewFindings)
          .values(clauses.map((c) => ({ ...c, reviewId: row!.id })));
      return row!;
    },

    /** Names and slugs of the bodies with any standards record, for the findings list and its filter. */
    async bodiesWithRecords() {
      const ids = new Set<string>();
      const [a, b, c] = await Promise.all([
        db.get().selectDistinct({ id: standardsConsultations.bodyId }).from(standardsConsultations),
        db
          .get()
          .selectDistinct({ id: standardsFundingAgreements.funderBodyId })
          .from(standardsFundingAgreements),
        db.get().selectDistinct({ id: standardsAgreementReviews.bodyId }).from(standardsAgreementReviews),
      ]);
      for (const row of [...a, ...b, ...c]) ids.add(row.id);
      if (ids.size === 0) return [];
      return db
        .get()
        .select(bodyColumns)
        .from(organisations)
        .where(inArray(organisations.id, [...ids]))
        .orderBy(asc(organisations.name));
    },
  };
}

export type StandardsRepository = ReturnType<typeof createStandardsRepository>;
