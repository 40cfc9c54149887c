/**
 * SQL for the annual review. Every query asks `db.get()` when it runs, so it joins the caller's transaction.
 */
import { and, asc, desc, eq, inArray, isNull, lt, lte, or, sql } from 'drizzle-orm';
import type { Database } from '../../platform/db/database.ts';
import { covenantPrinciples } from '../covenant/covenant.tables.ts';
import { organisations } from '../directory/directory.tables.ts';
import {
  surveyAnswerCounts,
  surveyAnswers,
  surveyDrafts,
  surveyEditions,
  surveyInvitations,
  surveyPublishedFigures,
  surveyQuestions,
  surveyResponseCounts,
  surveyResponses,
  surveySections,
} from './surveys.tables.ts';

export type Edition = typeof surveyEditions.$inferSelect;
export type Section = typeof surveySections.$inferSelect;
export type Question = typeof surveyQuestions.$inferSelect;
export type Invitation = typeof surveyInvitations.$inferSelect;
export type Draft = typeof surveyDrafts.$inferSelect;
export type PublishedFigure = typeof surveyPublishedFigures.$inferSelect;
export type CountRow = typeof surveyAnswerCounts.$inferInsert;

export function createSurveysRepository(db: Database) {
  const q = () => db.get();
  return {
    listEditions: () => q().select().from(surveyEditions).orderBy(desc(surveyEditions.year)),

    async editionById(id: string) {
      if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
      const [row] = await q().select().from(surveyEditions).where(eq(surveyEditions.id, id));
      return row ?? null;
    },

    async editionByYear(year: number) {
      const [row] = await q().select().from(surveyEditions).where(eq(surveyEditions.year, year));
      return row ?? null;
    },

    /** The latest edition before `year` (for year-on-year change). */
    async previousEdition(year: number, publishedResultsOnly = false) {
      const [row] = await q()
        .select()
        .from(surveyEditions)
        .where(
          and(
            lt(surveyEditions.year, year),
            publishedResultsOnly ? sql`${surveyEditions.resultsPublishedAt} is not null` : undefined,
          ),
        )
        .orderBy(desc(surveyEditions.year))
        .limit(1);
      return row ?? null;
    },

    async insertEdition(values: typeof surveyEditions.$inferInsert) {
      const [row] = await q().insert(surveyEditions).values(values).returning();
      return row!;
    },

    updateEdition: (id: string, values: Partial<typeof surveyEditions.$inferInsert>) =>
      q().update(surveyEditions).set(values).where(eq(surveyEditions.id, id)),

    sectionsOf: (editionId: string) =>
      q()
        .select()
        .from(surveySections)
        .where(eq(surveySections.editionId, editionId))
        .orderBy(asc(surveySections.position)),

    questionsOf: (editionId: string) =>
      q()
        .select()
        .from(surveyQuestions)
        .where(eq(surveyQuestions.editionId, editionId))
        .orderBy(asc(surveyQuestions.position)),

    async sectionById(id: string) {
      if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
      const [row] = await q().select().from(surveySections).where(eq(surveySections.id, id));
      return row ?? null;
    },

    async questionById(id: string) {
      if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
      const [row] = await q().select().from(surveyQuestions).where(eq(surveyQuestions.id, id));
      return row ?? null;
    },

    async questionByKey(editionId: string, key: string) {
      const [row] = await q()
        .select()
        .from(surveyQuestions)
        .where(and(eq(surveyQuestions.editionId, editionId), eq(surveyQuestions.key, key)));
      return row ?? null;
    },

    async insertSection(values: typeof surveySections.$inferInsert) {
      const [row] = await q().insert(surveySections).values(values).returning();
      return row!;
    },
    updateSection: (id: string, values: Partial<typeof surveySections.$inferInsert>) =>
      q().update(surveySections).set(values).where(eq(surveySections.id, id)),
    deleteSection: (id: string) => q().delete(surveySections).where(eq(surveySections.id, id)),

    async insertQuestion(values: typeof surveyQuestions.$inferInsert) {
      const [row] = await q().insert(surveyQuestions).values(values).returning();
      return row!;
    },
    updateQuestion: (id: string, values: Partial<typeof surveyQuestions.$inferInsert>) =>
      q().update(surveyQuestions).set(values).where(eq(surveyQuestions.id, id)),
    deleteQuestion: (id: string) => q().delete(surveyQuestions).where(eq(surveyQuestions.id, id)),

    /** Has anyone answered a question with this stable key, in any edition? */
    async answersExistForKey(key: string) {
      const rows = await q()
        .select({ one: sql<number>`1` })
        .from(surveyAnswerCounts)
        .where(eq(surveyAnswerCounts.questionKey, key))
        .limit(1);
      return rows.length > 0;
    },

    async editionHasAnswers(editionId: string) {
      const rows = await q()
        .select({ one: sql<number>`1` })
        .from(surveyResponses)
        .where(eq(surveyResponses.editionId, editionId))
        .limit(1);
      return rows.length > 0;
    },

    /** How many responded to an edition: a sum over its few respondent-count rows, never a count of responses. */
    async responseCount(editionId: string) {
      const [row] = await q()
        .select({ n: sql<number>`coalesce(sum(${surveyResponseCounts.n}), 0)::int` })
        .from(surveyResponseCounts)
        .where(eq(surveyResponseCounts.editionId, editionId));
      return row?.n ?? 0;
    },

    /** Respondents of every edition (one grouped read of the respondent counts), by edition id. */
    async responseCounts() {
      const rows = await q()
        .select({
          editionId: surveyResponseCounts.editionId,
          n: sql<number>`sum(${surveyResponseCounts.n})::int`,
        })
        .from(surveyResponseCounts)
        .groupBy(surveyResponseCounts.editionId);
      return new Map(rows.map((r) => [r.editionId, r.n] as const));
    },

    listPrinciples: () =>
      q()
        .select({ id: covenantPrinciples.id, slug: covenantPrinciples.slug, title: covenantPrinciples.title })
        .from(covenantPrinciples)
        .orderBy(asc(covenantPrinciples.position)),

    /** Public bodies a respondent can rate, by name. */
    listBodies: () =>
      q()
        .select({ id: organisations.id, name: organisations.name })
        .from(organisations)
        .where(eq(organisations.kind, 'public_body'))
        .orderBy(asc(organisations.name)),

    bodiesByIds: (ids: string[]) =>
      ids.length === 0
        ? Promise.resolve([])
        : q()
            .select({ id: organisations.id, name: organisations.name })
            .from(organisations)
            .where(inArray(organisations.id, ids)),

    // Invitations

    async invitationByTokenHash(hash: string) {
      const [row] = await q().select().from(surveyInvitations).where(eq(surveyInvitations.tokenHash, hash));
      return row ?? null;
    },
    invitedEmails: async (editionId: string) =>
      (
        await q()
          .select({ email: sql<string>`lower(${surveyInvitations.email})` })
          .from(surveyInvitations)
          .where(eq(surveyInvitations.editionId, editionId))
      ).map((r) => r.email),
    insertInvitations: (rows: (typeof surveyInvitations.$inferInsert)[]) =>
      rows.length === 0
        ? Promise.resolve([])
        : q().insert(surveyInvitations).values(rows).returning({ id: surveyInvitations.id }),
    updateInvitation: (id: string, values: Partial<typeof surveyInvitations.$inferInsert>) =>
      q().update(surveyInvitations).set(values).where(eq(surveyInvitations.id, id)),
    async invitationCounts(editionId: string) {
      const rows = await q()
        .select({ status: surveyInvitations.status, n: sql<number>`count(*)::int` })
        .from(surveyInvitations)
        .where(eq(surveyInvitations.editionId, editionId))
        .groupBy(surveyInvitations.status);
      return {
        pending: rows.find((r) => r.status === 'pending')?.n ?? 0,
        used: rows.find((r) => r.status === 'used')?.n ?? 0,
      };
    },
    /** Pending invitations due a reminder: fewer than `max` so far and none in the last `since`. */
    dueReminders: (editionId: string, since: Date, max: number) =>
      q()
        .select()
        .from(surveyInvitations)
        .where(
          and(
            eq(surveyInvitations.editionId, editionId),
            eq(surveyInvitations.status, 'pending'),
            lt(surveyInvitations.reminderCount, max),
            lte(surveyInvitations.createdAt, since),
            or(isNull(surveyInvitations.lastRemindedAt), lte(surveyInvitations.lastRemindedAt, since)),
          ),
        )
        .limit(5000),

    // Drafts

    async draftByTokenHash(hash: string) {
      const [row] = await q().select().from(surveyDrafts).where(eq(surveyDrafts.resumeTokenHash, hash));
      return row ?? null;
    },
    async draftByInvitation(invitationId: string) {
      const [row] = await q().select().from(surveyDrafts).where(eq(surveyDrafts.invitationId, invitationId));
      return row ?? null;
    },
    async insertDraft(values: typeof surveyDrafts.$inferInsert) {
      const [row] = await q().insert(surveyDrafts).values(values).returning();
      return row!;
    },
    updateDraft: (id: string, values: Partial<typeof surveyDrafts.$inferInsert>) =>
      q().update(surveyDrafts).set(values).where(eq(surveyDrafts.id, id)),
    deleteDraft: (id: string) => q().delete(surveyDrafts).where(eq(surveyDrafts.id, id)),

    // Responses

    /**
     * Stores a response and adds one to its edition's respondent counts. Call it inside the submission's
     * transaction, so the count and the response are written together.
     */
    async insertResponse(values: typeof surveyResponses.$inferInsert) {
      const [row] = await q().insert(surveyResponses).values(values).returning({ id: surveyResponses.id });
      const { id: _id, ...attributes } = values;
      await q()
        .insert(surveyResponseCounts)
        .values({ ...attributes, n: 1 })
        .onConflictDoUpdate({
          target: [
            surveyResponseCounts.editionId,
            surveyResponseCounts.organisationType,
            surveyResponseCounts.incomeBand,
            surveyResponseCounts.nation,
            surveyResponseCounts.region,
            surveyResponseCounts.role,
          ],
          set: { n: sql`${surveyResponseCounts.n} + 1` },
        });
      return row!.id;
    },
    insertAnswers: (rows: (typeof surveyAnswers.$inferInsert)[]) =>
      rows.length === 0
        ? Promise.resolve()
        : q()
            .insert(surveyAnswers)
            .values(rows)
            .then(() => undefined),

    /** Adds to the counts cube (the submission's transaction). */
    async incrementCounts(rows: CountRow[]) {
      if (rows.length === 0) return;
      await q()
        .insert(surveyAnswerCounts)
        .values(rows)
        .onConflictDoUpdate({
          target: [
            surveyAnswerCounts.questionId,
            surveyAnswerCounts.bodyKey,
            surveyAnswerCounts.option,
            surveyAnswerCounts.organisationType,
            surveyAnswerCounts.incomeBand,
            surveyAnswerCounts.nation,
            surveyAnswerCounts.region,
            surveyAnswerCounts.role,
          ],
          set: {
            n: sql`${surveyAnswerCounts.n} + excluded.n`,
            sumValue: sql`${surveyAnswerCounts.sumValue} + excluded.sum_value`,
          },
        });
    },

    /** Rebuilds one edition's answer and respondent counts from the stored answers (repair; after bulk loads). */
    async rebuildCounts(editionId: string) {
      await q().delete(surveyResponseCounts).where(eq(surveyResponseCounts.editionId, editionId));
      await q().execute(sql`
        insert into survey_response_counts (edition_id, organisation_type, income_band, nation, region, role, n)
        select edition_id, organisation_type, income_band, nation, region, role, count(*)::int
        from survey_responses where edition_id = ${editionId}
        group by 1, 2, 3, 4, 5, 6`);
      await q().delete(surveyAnswerCounts).where(eq(surveyAnswerCounts.editionId, editionId));
      await q().execute(sql`
        insert into survey_answer_counts (edition_id, question_id, question_key, option, body_key,
          organisation_type, income_band, nation, region, role, n, sum_value)
        select a.edition_id, a.question_id, a.question_key,
               coalesce(a.choice, a.rating::text, ''), coalesce(a.body_id::text, ''),
               r.organisation_type, r.income_band, r.nation, r.region, r.role,
               count(*)::int, coalesce(sum(a.number_value), 0)
        from survey_answers a join survey_responses r on r.id = a.response_id
        where a.edition_id = ${editionId} and a.text_value is null
        group by 1, 2, 3, 4, 5, 6, 7, 8, 9, 10`);
      // Bases ('*'): respondents who answered each question (per body for ratings).
      await q().execute(sql`
        insert into survey_answer_counts (edition_id, question_id, question_key, option, body_key,
          organisation_type, income_band, nation, region, role, n, sum_value)
        select edition_id, question_id, question_key, '*', body_key, organisation_type, income_band, nation,
               region, role, count(*)::int, 0
        from (select distinct a.edition_id, a.question_id, a.question_key, coalesce(a.body_id::text, '') body_key,
                     a.response_id, r.organisation_type, r.income_band, r.nation, r.region, r.role
              from survey_answers a join survey_responses r on r.id = a.response_id
              where a.edition_id = ${editionId}) d
        group by 1, 2, 3, 4, 5, 6, 7, 8, 9, 10`);
    },

    /** Free-text answers to one question (analysts only; no attributes, in random order). */
    textAnswers: (questionId: string, limit: number, offset: number) =>
      q()
        .select({ id: surveyAnswers.id, text: surveyAnswers.textValue })
        .from(surveyAnswers)
        .where(and(eq(surveyAnswers.questionId, questionId), sql`${surveyAnswers.textValue} is not null`))
        .orderBy(asc(surveyAnswers.id))
        .limit(limit)
        .offset(offset),
    async textAnswerCount(questionId: string) {
      const [row] = await q()
        .select({ n: sql<number>`count(*)::int` })
        .from(surveyAnswers)
        .where(and(eq(surveyAnswers.questionId, questionId), sql`${surveyAnswers.textValue} is not null`));
      return row?.n ?? 0;
    },

    // Published figures

    replacePublishedFigures: async (
      editionId: string,
      rows: (typeof surveyPublishedFigures.$inferInsert)[],
    ) => {
      await q().delete(surveyPublishedFigures).where(eq(surveyPublishedFigures.editionId, editionId));
      for (let i = 0; i < rows.length; i += 1000)
        await q()
          .insert(surveyPublishedFigures)
          .values(rows.slice(i, i + 1000));
    },
    publishedFigures: (editionId: string) =>
      q()
        .select()
        .from(surveyPublishedFigures)
        .where(eq(surveyPublishedFigures.editionId, editionId))
        .orderBy(asc(surveyPublishedFigures.position)),
    publishedFiguresForBody: (bodyId: string) =>
      q()
        .select({ figure: surveyPublishedFigures, year: surveyEditions.year })
        .from(surveyPublishedFigures)
        .innerJoin(surveyEditions, eq(surveyEditions.id, surveyPublishedFigures.editionId))
        .where(
          and(eq(surveyPublishedFigures.breakdown, 'body'), eq(surveyPublishedFigures.groupValue, bodyId)),
        )
        .orderBy(desc(surveyEditions.year), asc(surveyPublishedFigures.position)),
  };
}

export type SurveysRepository = ReturnType<typeof createSurveysRepository>;
