/**
 * SQL for consultations, responses, principle views and paragraph comments, and nothing else: no rules, no
 * authorisation. Every function asks `db.get()` when it queries, so it joins the caller's open transaction.
 *
 * Public reads (`public*`) select only rows that the consent rule allows (submitted, moderation published,
 * consent not `none`) and only the redacted columns; the service checks the same rule again on what comes back.
 */
import { and, asc, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../../platform/db/database.ts';
import {
  consultationComments,
  consultationPrincipleViews,
  consultationResponses,
  consultations,
  type ModerationState,
} from './consultations.tables.ts';

export type Consultation = typeof consultations.$inferSelect;
export type ResponseRow = typeof consultationResponses.$inferSelect;
export type CommentRow = typeof consultationComments.$inferSelect;
export type PrincipleViewRow = typeof consultationPrincipleViews.$inferSelect;

const r = consultationResponses;
const c = consultationComments;

/** The consent rule in SQL: the only rows any public page, download or API may read. */
const publicResponse: SQL = sql`${r.status} = 'submitted' and ${r.moderation} = 'published' and ${r.consent} in ('named', 'anonymised')`;

/** The columns of a response a public page may show (redacted text; identity fields filtered by the service). */
const publicColumns = {
  id: r.id,
  reference: r.reference,
  consultationId: r.consultationId,
  status: r.status,
  moderation: r.moderation,
  consent: r.consent,
  respondentType: r.respondentType,
  respondentName: r.respondentName,
  organisationName: r.organisationName,
  organisationType: r.organisationType,
  organisationSize: r.organisationSize,
  publishedText: r.publishedText,
  submittedAt: r.submittedAt,
};
export type PublicResponseRow = {
  [K in keyof typeof publicColumns]: ResponseRow[K & keyof ResponseRow];
};

export function createConsultationsRepository(db: Database) {
  const q = () => db.get();
  return {
    async insertConsultation(values: typeof consultations.$inferInsert) {
      const [row] = await q().insert(consultations).values(values).returning();
      return row!;
    },
    async updateConsultation(id: string, values: Partial<typeof consultations.$inferInsert>) {
      await q().update(consultations).set(values).where(eq(consultations.id, id));
    },
    async bySlug(slug: string) {
      const [row] = await q().select().from(consultations).where(eq(consultations.slug, slug));
      return row ?? null;
    },
    async slugTaken(slug: string) {
      const [row] = await q()
        .select({ id: consultations.id })
        .from(consultations)
        .where(eq(consultations.slug, slug));
      return Boolean(row);
    },
    listAll: () =>
      q().select().from(consultations).orderBy(desc(consultations.opensOn), asc(consultations.title)),
    listPublished: () =>
      q()
        .select()
        .from(consultations)
        .where(eq(consultations.status, 'published'))
        .orderBy(desc(consultations.closesOn), asc(consultations.title)),

    /** Submitted responses by moderation state (drafts are not counted). */
    async responseCounts(consultationId: string) {
      const rows = await q()
        .select({ moderation: r.moderation, n: sql<number>`count(*)::int` })
        .from(r)
        .where(and(eq(r.consultationId, consultationId), eq(r.status, 'submitted')))
        .groupBy(r.moderation);
      const counts: Record<ModerationState, number> = { pending: 0, published: 0, held: 0 };
      for (const row of rows) counts[row.moderation] = row.n;
      return counts;
    },

    // Responses

    async insertResponse(values: typeof consultationResponses.$inferInsert) {
      const [row] = await q().insert(r).values(values).returning();
      return row!;
    },
    async responseByToken(consultationId: string, tokenHash: string) {
      const [row] = await q()
        .select()
        .from(r)
        .where(and(eq(r.consultationId, consultationId), eq(r.resumeTokenHash, tokenHash)));
      return row ?? null;
    },
    async responseById(consultationId: string, id: string) {
      const [row] = await q()
        .select()
        .from(r)
        .where(and(eq(r.consultationId, consultationId), eq(r.id, id)));
      return row ?? null;
    },
    async updateResponse(id: string, values: Partial<typeof consultationResponses.$inferInsert>) {
      await q().update(r).set(values).where(eq(r.id, id));
    },
    /** Writes the search index of a published response from its redacted words. */
    async setSearchText(id: string, text: string) {
      await q()
        .update(r)
        .set({ search: sql`to_tsvector('english', ${text})` })
        .where(eq(r.id, id));
    },
    async clearSearch(id: string) {
      await q().update(r).set({ search: null }).where(eq(r.id, id));
    },

    /** The moderation queue: submitted responses in one state, oldest first. */
    moderationQueue: (consultationId: string, state: ModerationState, limit = 100) =>
      q()
        .select({
          id: r.id,
          reference: r.reference,
          respondentType: r.respondentType,
          consent: r.consent,
          moderation: r.moderation,
          submittedAt: r.submittedAt,
        })
        .from(r)
        .where(and(eq(r.consultationId, consultationId), eq(r.status, 'submitted'), eq(r.moderation, state)))
        .orderBy(asc(r.submittedAt), asc(r.id))
        .limit(limit),

    // Comments and principle views

    commentsOf: (responseId: string) =>
      q().select().from(c).where(eq(c.responseId, responseId)).orderBy(asc(c.createdAt), asc(c.id)),
    async upsertComment(values: typeof consultationComments.$inferInsert) {
      await q()
        .insert(c)
        .values(values)
        .onConflictDoUpdate({
          target: [c.responseId, c.paragraphKey],
          set: {
            versionId: values.versionId,
            stance: values.stance,
            comment: values.comment,
            suggestedText: values.suggestedText ?? null,
            updatedAt: values.updatedAt,
          },
        });
    },
    async deleteComment(responseId: string, paragraphKey: string) {
      await q()
        .delete(c)
        .where(and(eq(c.responseId, responseId), eq(c.paragraphKey, paragraphKey)));
    },
    async setCommentsModeration(responseId: string, moderation: ModerationState) {
      await q()
        .update(c)
        .set({ moderation, publishedComment: null, publishedSuggestedText: null })
        .where(eq(c.responseId, responseId));
    },
    async publishComment(
      id: string,
      values: {
        moderation: ModerationState;
        publishedComment: string | null;
        publishedSuggestedText: string | null;
      },
    ) {
      await q().update(c).set(values).where(eq(c.id, id));
    },

    viewsOf: (responseId: string) =>
      q()
        .select()
        .from(consultationPrincipleViews)
        .where(eq(consultationPrincipleViews.responseId, responseId)),
    async replaceViews(
      responseId: string,
      views: { principleId: string; view: PrincipleViewRow['view']; comment: string }[],
    ) {
      await q()
        .delete(consultationPrincipleViews)
        .where(eq(consultationPrincipleViews.responseId, responseId));
      if (views.length)
        await q()
          .insert(consultationPrincipleViews)
          .values(views.map((v) => ({ ...v, responseId })));
    },

    // Public reads: the consent rule is in every WHERE.

    async publicResponses(consultationId: string, search: string | null, limit: number, offset: number) {
      const where = and(
        eq(r.consultationId, consultationId),
        publicResponse,
        search ? sql`${r.search} @@ websearch_to_tsquery('english', ${search})` : undefined,
      );
      const [rows, [total]] = await Promise.all([
        q()
          .select(publicColumns)
          .from(r)
          .where(where)
          .orderBy(
            search
              ? sql`ts_rank(${r.search}, websearch_to_tsquery('english', ${search})) desc`
              : desc(r.submittedAt),
            asc(r.id),
          )
          .limit(limit)
          .offset(offset),
        q()
          .select({ n: sql<number>`count(*)::int` })
          .from(r)
          .where(where),
      ]);
      return { rows: rows as PublicResponseRow[], total: total?.n ?? 0 };
    },
    async publicResponse(consultationId: string, reference: string) {
      const [row] = await q()
        .select(publicColumns)
        .from(r)
        .where(and(eq(r.consultationId, consultationId), eq(r.reference, reference), publicResponse));
      return (row as PublicResponseRow | undefined) ?? null;
    },
    /** Published comments of public responses (redacted words only). */
    publicComments: (consultationId: string, filter: { responseIds?: string[]; paragraphKey?: string }) =>
      filter.responseIds && filter.responseIds.length === 0
        ? Promise.resolve([])
        : q()
            .select({
              id: c.id,
              responseId: c.responseId,
              versionId: c.versionId,
              paragraphKey: c.paragraphKey,
              stance: c.stance,
              moderation: c.moderation,
              publishedComment: c.publishedComment,
              publishedSuggestedText: c.publishedSuggestedText,
              reference: r.reference,
              status: r.status,
              responseModeration: r.moderation,
              consent: r.consent,
            })
            .from(c)
            .innerJoin(r, eq(r.id, c.responseId))
            .where(
              and(
                eq(c.consultationId, consultationId),
                eq(c.moderation, 'published'),
                publicResponse,
                filter.responseIds ? inArray(c.responseId, filter.responseIds) : undefined,
                filter.paragraphKey ? eq(c.paragraphKey, filter.paragraphKey) : undefined,
              ),
            )
            .orderBy(asc(r.submittedAt), asc(c.id))
            .limit(500),
    /** Published comment counts per paragraph key (for the consultation page's links). */
    async publicCommentCounts(consultationId: string) {
      const rows = await q()
        .select({ key: c.paragraphKey, n: sql<number>`count(*)::int` })
        .from(c)
        .innerJoin(r, eq(r.id, c.responseId))
        .where(and(eq(c.consultationId, consultationId), eq(c.moderation, 'published'), publicResponse))
        .groupBy(c.paragraphKey);
      return new Map(rows.map((row) => [row.key, row.n]));
    },
    publicViews: (responseIds: string[]) =>
      responseIds.length
        ? q()
            .select()
            .from(consultationPrincipleViews)
            .where(inArray(consultationPrincipleViews.responseId, responseIds))
        : Promise.resolve([] as PrincipleViewRow[]),
  };
}

export type ConsultationsRepository = ReturnType<typeof createConsultationsRepository>;
