/**
 * SQL for the Covenant registry. Every query asks `db.get()` at the moment it runs, so it joins the caller's
 * transaction when there is one (database.ts).
 */
import { and, asc, count, desc, eq, inArray, isNull, lte, max } from 'drizzle-orm';
import { memberships, users } from '../accounts/accounts.tables.ts';
import type { Database } from '../../platform/db/database.ts';
import { organisations } from '../directory/directory.tables.ts';
import { signingRoles } from './covenant.policy.ts';
import {
  covenantChangeCitations,
  covenantCommitments,
  covenantParagraphs,
  covenantPledges,
  covenantPrinciples,
  covenantSignaturePledges,
  covenantSignatures,
  covenantStandards,
  covenantVersions,
  subCovenantOfficers,
  subCovenants,
} from './covenant.tables.ts';

export type Principle = typeof covenantPrinciples.$inferSelect;
export type Commitment = typeof covenantCommitments.$inferSelect;
export type Standard = typeof covenantStandards.$inferSelect;
export type Version = typeof covenantVersions.$inferSelect;
export type SubCovenant = typeof subCovenants.$inferSelect;
export type Officer = typeof subCovenantOfficers.$inferSelect;
export type Pledge = typeof covenantPledges.$inferSelect;
export type Citation = typeof covenantChangeCitations.$inferSelect;
export type Paragraph = typeof covenantParagraphs.$inferSelect & { commitmentCode: string | null };

export function createCovenantRepository(db: Database) {
  const q = () => db.get();
  return {
    listPrinciples: () => q().select().from(covenantPrinciples).orderBy(asc(covenantPrinciples.position)),

    async principleBySlug(slug: string) {
      const [row] = await q().select().from(covenantPrinciples).where(eq(covenantPrinciples.slug, slug));
      return row ?? null;
    },

    /** National commitments (no sub-covenant), in principle then position order. */
    listNationalCommitments: () =>
      q()
        .select({ commitment: covenantCommitments, principleSlug: covenantPrinciples.slug })
        .from(covenantCommitments)
        .innerJoin(covenantPrinciples, eq(covenantPrinciples.id, covenantCommitments.principleId))
        .where(isNull(covenantCommitments.subCovenantId))
        .orderBy(
          asc(covenantPrinciples.position),
          asc(covenantCommitments.position),
          asc(covenantCommitments.code),
        )
        .then((rows) => rows.map((r) => ({ ...r.commitment, principleSlug: r.principleSlug }))),

    commitmentsOfSubCovenant: (subCovenantId: string) =>
      q()
        .select({ commitment: covenantCommitments, principleSlug: covenantPrinciples.slug })
        .from(covenantCommitments)
        .innerJoin(covenantPrinciples, eq(covenantPrinciples.id, covenantCommitments.principleId))
        .where(eq(covenantCommitments.subCovenantId, subCovenantId))
        .orderBy(asc(covenantCommitments.position), asc(covenantCommitments.code))
        .then((rows) => rows.map((r) => ({ ...r.commitment, principleSlug: r.principleSlug }))),

    async commitmentById(id: string) {
      const [row] = await q().select().from(covenantCommitments).where(eq(covenantCommitments.id, id));
      return row ?? null;
    },

    async commitmentByCode(code: string) {
      const [row] = await q().select().from(covenantCommitments).where(eq(covenantCommitments.code, code));
      return row ?? null;
    },

    async insertCommitment(values: typeof covenantCommitments.$inferInsert) {
      const [row] = await q().insert(covenantCommitments).values(values).returning();
      return row!;
    },

    async updateCommitment(id: string, values: Partial<typeof covenantCommitments.$inferInsert>) {
      await q().update(covenantCommitments).set(values).where(eq(covenantCommitments.id, id));
    },

    listStandards: () =>
      q()
        .select({
          standard: covenantStandards,
          principleSlug: covenantPrinciples.slug,
          commitmentCode: covenantCommitments.code,
        })
        .from(covenantStandards)
        .innerJoin(covenantPrinciples, eq(covenantPrinciples.id, covenantStandards.principleId))
        .leftJoin(covenantCommitments, eq(covenantCommitments.id, covenantStandards.commitmentId))
        .orderBy(asc(covenantStandards.code))
        .then((rows) =>
          rows.map((r) => ({
            ...r.standard,
            principleSlug: r.principleSlug,
            commitmentCode: r.commitmentCode,
          })),
        ),

    async standardById(id: string) {
      const [row] = await q().select().from(covenantStandards).where(eq(covenantStandards.id, id));
      return row ?? null;
    },

    async standardByCode(code: string) {
      const [row] = await q().select().from(covenantStandards).where(eq(covenantStandards.code, code));
      return row ?? null;
    },

    async insertStandard(values: typeof covenantStandards.$inferInsert) {
      const [row] = await q().insert(covenantStandards).values(values).returning();
      return row!;
    },

    async updateStandard(id: string, values: Partial<typeof covenantStandards.$inferInsert>) {
      await q().update(covenantStandards).set(values).where(eq(covenantStandards.id, id));
    },

    async updatePrinciple(id: string, values: Partial<typeof covenantPrinciples.$inferInsert>) {
      await q().update(covenantPrinciples).set(values).where(eq(covenantPrinciples.id, id));
    },

    // Versions and paragraphs

    async currentVersion() {
      const [row] = await q().select().from(covenantVersions).where(eq(covenantVersions.isCurrent, true));
      return row ?? null;
    },

    async draftVersion() {
      const [row] = await q().select().from(covenantVersions).where(eq(covenantVersions.status, 'draft'));
      return row ?? null;
    },

    listVersions: () => q().select().from(covenantVersions).orderBy(desc(covenantVersions.number)),

    async versionById(id: string) {
      const [row] = await q().select().from(covenantVersions).where(eq(covenantVersions.id, id));
      return row ?? null;
    },

    async nextVersionNumber() {
      const [row] = await q()
        .select({ n: max(covenantVersions.number) })
        .from(covenantVersions);
      return (row?.n ?? 0) + 1;
    },

    async insertVersion(values: typeof covenantVersions.$inferInsert) {
      const [row] = await q().insert(covenantVersions).values(values).returning();
      return row!;
    },

    async clearCurrent() {
      await q()
        .update(covenantVersions)
        .set({ isCurrent: false })
        .where(eq(covenantVersions.isCurrent, true));
    },

    async updateVersion(id: string, values: Partial<typeof covenantVersions.$inferInsert>) {
      await q().update(covenantVersions).set(values).where(eq(covenantVersions.id, id));
    },

    paragraphsOf: (versionId: string): Promise<Paragraph[]> =>
      q()
        .select({ paragraph: covenantParagraphs, commitmentCode: covenantCommitments.code })
        .from(covenantParagraphs)
        .leftJoin(covenantCommitments, eq(covenantCommitments.id, covenantParagraphs.commitmentId))
        .where(eq(covenantParagraphs.versionId, versionId))
        .orderBy(asc(covenantParagraphs.position))
        .then((rows) => rows.map((r) => ({ ...r.paragraph, commitmentCode: r.commitmentCode }))),

    async insertParagraphs(values: (typeof covenantParagraphs.$inferInsert)[]) {
      if (values.length) await q().insert(covenantParagraphs).values(values);
    },

    async updateParagraph(
      versionId: string,
      key: string,
      values: Partial<
        Pick<typeof covenantParagraphs.$inferInsert, 'text' | 'kind' | 'commitmentId' | 'position'>
      >,
    ) {
      await q()
        .update(covenantParagraphs)
        .set(values)
        .where(and(eq(covenantParagraphs.versionId, versionId), eq(covenantParagraphs.key, key)));
    },

    async deleteParagraph(versionId: string, key: string) {
      await q()
        .delete(covenantParagraphs)
        .where(and(eq(covenantParagraphs.versionId, versionId), eq(covenantParagraphs.key, key)));
    },

    citationsOf: (versionId: string) =>
      q()
        .select()
        .from(covenantChangeCitations)
        .where(eq(covenantChangeCitations.versionId, versionId))
        .orderBy(asc(covenantChangeCitations.createdAt), asc(covenantChangeCitations.id)),

    citationsOfVersions: (versionIds: string[]) =>
      versionIds.length
        ? q()
            .select()
            .from(covenantChangeCitations)
            .where(inArray(covenantChangeCitations.versionId, versionIds))
        : Promise.resolve([] as Citation[]),

    async insertCitation(values: typeof covenantChangeCitations.$inferInsert) {
      await q().insert(covenantChangeCitations).values(values);
    },

    // Sub-covenants

    listSubCovenants: () =>
      q().select().from(subCovenants).orderBy(asc(subCovenants.kind), asc(subCovenants.title)),

    async subCovenantBySlug(slug: string) {
      const [row] = await q().select().from(subCovenants).where(eq(subCovenants.slug, slug));
      return row ?? null;
    },

    async subCovenantById(id: string) {
      const [row] = await q().select().from(subCovenants).where(eq(subCovenants.id, id));
      return row ?? null;
    },

    async insertSubCovenant(values: typeof subCovenants.$inferInsert) {
      const [row] = await q().insert(subCovenants).values(values).returning();
      return row!;
    },

    async updateSubCovenant(id: string, values: Partial<typeof subCovenants.$inferInsert>) {
      await q().update(subCovenants).set(values).where(eq(subCovenants.id, id));
    },

    officersOf: (subCovenantId: string) =>
      q()
        .select()
        .from(subCovenantOfficers)
        .where(eq(subCovenantOfficers.subCovenantId, subCovenantId))
        .orderBy(asc(subCovenantOfficers.createdAt), asc(subCovenantOfficers.name)),

    async insertOfficer(values: typeof subCovenantOfficers.$inferInsert) {
      const [row] = await q().insert(subCovenantOfficers).values(values).returning();
      return row!;
    },

    /** One officer of one sub-covenant (an officer id under another sub-covenant is not found). */
    async officerOf(subCovenantId: string, officerId: string) {
      const [row] = await q()
        .select()
        .from(subCovenantOfficers)
        .where(
          and(eq(subCovenantOfficers.id, officerId), eq(subCovenantOfficers.subCovenantId, subCovenantId)),
        );
      return row ?? null;
    },

    async updateOfficer(
      id: string,
      values: Pick<typeof subCovenantOfficers.$inferInsert, 'name' | 'role' | 'contactRoute'>,
    ) {
      await q().update(subCovenantOfficers).set(values).where(eq(subCovenantOfficers.id, id));
    },

    async deleteOfficer(id: string) {
      await q().delete(subCovenantOfficers).where(eq(subCovenantOfficers.id, id));
    },

    // Pledges and signatures

    listPledges: () => q().select().from(covenantPledges).orderBy(asc(covenantPledges.position)),

    /** Every pledge with how many signatures chose it and the code of the commitment it supports. */
    listPledgeBank: () =>
      q()
        .select({
          pledge: covenantPledges,
          commitmentCode: covenantCommitments.code,
          signatures: count(covenantSignaturePledges.id),
        })
        .from(covenantPledges)
        .leftJoin(covenantCommitments, eq(covenantCommitments.id, covenantPledges.commitmentId))
        .leftJoin(covenantSignaturePledges, eq(covenantSignaturePledges.pledgeId, covenantPledges.id))
        .groupBy(covenantPledges.id, covenantCommitments.code)
        .orderBy(asc(covenantPledges.position), asc(covenantPledges.code)),

    async pledgeById(id: string) {
      const [row] = await q().select().from(covenantPledges).where(eq(covenantPledges.id, id));
      return row ?? null;
    },

    async pledgeByCode(code: string) {
      const [row] = await q().select().from(covenantPledges).where(eq(covenantPledges.code, code));
      return row ?? null;
    },

    async insertPledge(values: typeof covenantPledges.$inferInsert) {
      const [row] = await q().insert(covenantPledges).values(values).returning();
      return row!;
    },

    async updatePledge(id: string, values: Partial<typeof covenantPledges.$inferInsert>) {
      await q().update(covenantPledges).set(values).where(eq(covenantPledges.id, id));
    },

    async maxPledgePosition() {
      const [row] = await q()
        .select({ value: max(covenantPledges.position) })
        .from(covenantPledges);
      return row?.value ?? 0;
    },

    pledgesByIds: (ids: string[]) =>
      ids.length
        ? q().select().from(covenantPledges).where(inArray(covenantPledges.id, ids))
        : Promise.resolve([]),

    async organisationById(id: string) {
      const [row] = await q().select().from(organisations).where(eq(organisations.id, id));
      return row ?? null;
    },

    async signatureFor(organisationId: string, subCovenantId: string | null) {
      const [row] = await q()
        .select()
        .from(covenantSignatures)
        .where(
          and(
            eq(covenantSignatures.organisationId, organisationId),
            subCovenantId
              ? eq(covenantSignatures.subCovenantId, subCovenantId)
              : isNull(covenantSignatures.subCovenantId),
          ),
        );
      return row ?? null;
    },

    async insertSignature(values: typeof covenantSignatures.$inferInsert) {
      const [row] = await q().insert(covenantSignatures).values(values).returning();
      return row!;
    },

    async insertSignaturePledges(values: (typeof covenantSignaturePledges.$inferInsert)[]) {
      if (values.length) await q().insert(covenantSignaturePledges).values(values);
    },

    /** A signature with its organisation and covenant, and its pledges in order. */
    async signatureById(id: string) {
      const [row] = await q()
        .select({
          signature: covenantSignatures,
          organisationName: organisations.name,
          organisationSlug: organisations.slug,
          organisationKind: organisations.kind,
          subCovenantTitle: subCovenants.title,
          subCovenantSlug: subCovenants.slug,
        })
        .from(covenantSignatures)
        .innerJoin(organisations, eq(organisations.id, covenantSignatures.organisationId))
        .leftJoin(subCovenants, eq(subCovenants.id, covenantSignatures.subCovenantId))
        .where(eq(covenantSignatures.id, id));
      if (!row) return null;
      const pledges = await q()
        .select()
        .from(covenantSignaturePledges)
        .where(eq(covenantSignaturePledges.signatureId, id))
        .orderBy(asc(covenantSignaturePledges.position));
      const { signature, ...rest } = row;
      return { ...signature, ...rest, pledges };
    },

    async updateSignature(
      id: string,
      values: Partial<Pick<typeof covenantSignatures.$inferInsert, 'reviewedAt' | 'reviewDueOn'>>,
    ) {
      await q().update(covenantSignatures).set(values).where(eq(covenantSignatures.id, id));
    },

    /** Replaces a signature's pledges (the yearly review). */
    async replaceSignaturePledges(
      signatureId: string,
      values: Omit<typeof covenantSignaturePledges.$inferInsert, 'signatureId'>[],
    ) {
      await q().delete(covenantSignaturePledges).where(eq(covenantSignaturePledges.signatureId, signatureId));
      if (values.length)
        await q()
          .insert(covenantSignaturePledges)
          .values(values.map((v) => ({ ...v, signatureId })));
    },

    /** Signatures whose review is due on or before `today` (YYYY-MM-DD), with what the reminder says. */
    signaturesDueForReview: (today: string) =>
      q()
        .select({
          id: covenantSignatures.id,
          organisationId: covenantSignatures.organisationId,
          organisationName: organisations.name,
          organisationSlug: organisations.slug,
          subCovenantTitle: subCovenants.title,
          reviewDueOn: covenantSignatures.reviewDueOn,
          reviewRemindedAt: covenantSignatures.reviewRemindedAt,
        })
        .from(covenantSignatures)
        .innerJoin(organisations, eq(organisations.id, covenantSignatures.organisationId))
        .leftJoin(subCovenants, eq(subCovenants.id, covenantSignatures.subCovenantId))
        .where(lte(covenantSignatures.reviewDueOn, today))
        .orderBy(asc(covenantSignatures.reviewDueOn), asc(organisations.name)),

    async markReviewReminded(signatureIds: string[], at: Date) {
      if (signatureIds.length === 0) return;
      await q()
        .update(covenantSignatures)
        .set({ reviewRemindedAt: at })
        .where(inArray(covenantSignatures.id, signatureIds));
    },

    /**
     * Email addresses of the people who may sign (and so review) for each organisation: its `cso_admin` and
     * `body_lead` accounts that are not disabled.
     */
    async signingEmails(organisationIds: string[]): Promise<Map<string, string[]>> {
      const out = new Map<string, string[]>();
      if (organisationIds.length === 0) return out;
      const rows = await q()
        .selectDistinct({ organisationId: memberships.organisationId, email: users.email })
        .from(memberships)
        .innerJoin(users, eq(users.id, memberships.userId))
        .where(
          and(
            inArray(memberships.organisationId, organisationIds),
            inArray(memberships.role, [...signingRoles]),
            isNull(users.disabledAt),
          ),
        )
        .orderBy(asc(users.email));
      for (const r of rows) out.set(r.organisationId, [...(out.get(r.organisationId) ?? []), r.email]);
      return out;
    },

    /** Signatories of one covenant (null: the national Covenant), newest first, with their organisation. */
    listSignatories: (subCovenantId: string | null, limit = 500) =>
      q()
        .select({
          id: covenantSignatures.id,
          organisationId: organisations.id,
          organisationName: organisations.name,
          organisationSlug: organisations.slug,
          organisationKind: organisations.kind,
          subCovenantId: covenantSignatures.subCovenantId,
          signatoryName: covenantSignatures.signatoryName,
          signatoryRole: covenantSignatures.signatoryRole,
          signedAt: covenantSignatures.signedAt,
          reviewDueOn: covenantSignatures.reviewDueOn,
        })
        .from(covenantSignatures)
        .innerJoin(organisations, eq(organisations.id, covenantSignatures.organisationId))
        .where(
          subCovenantId
            ? eq(covenantSignatures.subCovenantId, subCovenantId)
            : isNull(covenantSignatures.subCovenantId),
        )
        .orderBy(desc(covenantSignatures.signedAt), asc(organisations.name))
        .limit(limit),

    /** Every signature, national and sub-covenant, for the API and open data. */
    listAllSignatures: (limit = 1000) =>
      q()
        .select({
          id: covenantSignatures.id,
          organisationId: organisations.id,
          organisationName: organisations.name,
          organisationSlug: organisations.slug,
          organisationKind: organisations.kind,
          subCovenantSlug: subCovenants.slug,
          signedAt: covenantSignatures.signedAt,
          reviewDueOn: covenantSignatures.reviewDueOn,
          reviewedAt: covenantSignatures.reviewedAt,
        })
        .from(covenantSignatures)
        .innerJoin(organisations, eq(organisations.id, covenantSignatures.organisationId))
        .leftJoin(subCovenants, eq(subCovenants.id, covenantSignatures.subCovenantId))
        .orderBy(desc(covenantSignatures.signedAt), asc(organisations.name))
        .limit(limit),

    /** Number of signatures per organisation kind, for one covenant (null: national). */
    countsByKind: (subCovenantId: string | null) =>
      q()
        .select({ kind: organisations.kind, n: count() })
        .from(covenantSignatures)
        .innerJoin(organisations, eq(organisations.id, covenantSignatures.organisationId))
        .where(
          subCovenantId
            ? eq(covenantSignatures.subCovenantId, subCovenantId)
            : isNull(covenantSignatures.subCovenantId),
        )
        .groupBy(organisations.kind)
        .orderBy(asc(organisations.kind)),

    /** Number of signatures per nation of the organisation (null: not recorded), for one covenant. */
    countsByNation: (subCovenantId: string | null) =>
      q()
        .select({ nation: organisations.nation, n: count() })
        .from(covenantSignatures)
        .innerJoin(organisations, eq(organisations.id, covenantSignatures.organisationId))
        .where(
          subCovenantId
            ? eq(covenantSignatures.subCovenantId, subCovenantId)
            : isNull(covenantSignatures.subCovenantId),
        )
        .groupBy(organisations.nation)
        .orderBy(asc(organisations.nation)),

    /** Signatures of several organisations (the ones a person may review), with their covenant. */
    signaturesOfOrganisations: (organisationIds: string[]) =>
      organisationIds.length
        ? q()
            .select({
              id: covenantSignatures.id,
              organisationName: organisations.name,
              subCovenantTitle: subCovenants.title,
              signedAt: covenantSignatures.signedAt,
              reviewedAt: covenantSignatures.reviewedAt,
              reviewDueOn: covenantSignatures.reviewDueOn,
            })
            .from(covenantSignatures)
            .innerJoin(organisations, eq(organisations.id, covenantSignatures.organisationId))
            .leftJoin(subCovenants, eq(subCovenants.id, covenantSignatures.subCovenantId))
            .where(inArray(covenantSignatures.organisationId, organisationIds))
            .orderBy(asc(covenantSignatures.reviewDueOn), asc(organisations.name))
        : Promise.resolve([]),

    /** An organisation's signatures with their pledges, for its public page (directory module). */
    async signaturesOfOrganisation(organisationId: string) {
      const signatures = await q()
        .select({
          signature: covenantSignatures,
          subCovenantTitle: subCovenants.title,
          subCovenantSlug: subCovenants.slug,
        })
        .from(covenantSignatures)
        .leftJoin(subCovenants, eq(subCovenants.id, covenantSignatures.subCovenantId))
        .where(eq(covenantSignatures.organisationId, organisationId))
        .orderBy(asc(covenantSignatures.signedAt));
      const ids = signatures.map((s) => s.signature.id);
      const pledges = ids.length
        ? await q()
            .select()
            .from(covenantSignaturePledges)
            .where(inArray(covenantSignaturePledges.signatureId, ids))
            .orderBy(asc(covenantSignaturePledges.position))
        : [];
      return signatures.map((s) => ({
        ...s.signature,
        subCovenantTitle: s.subCovenantTitle,
        subCovenantSlug: s.subCovenantSlug,
        pledges: pledges.filter((p) => p.signatureId === s.signature.id),
      }));
    },
  };
}

export type CovenantRepository = ReturnType<typeof createCovenantRepository>;
