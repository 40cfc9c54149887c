/**
 * SQL for results: sums over the counts cube (never over the answers, so a question with a million answers
 * is a few thousand cube rows), the respondent profile, and the published figures across editions.
 * Every query asks `db.get()` when it runs, so it joins the caller's transaction.
 */
import { and, asc, desc, eq, inArray, isNotNull, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../../platform/db/database.ts';
import { attributeNames, type AttributeName } from './surveys.attributes.ts';
import {
  surveyAnswerCounts,
  surveyEditions,
  surveyPublishedFigures,
  surveyQuestions,
} from './surveys.tables.ts';
import { BASE, type Breakdown, type CountCell } from './surveys.results.rules.ts';

const attributeColumn: Record<AttributeName, SQL> = {
  organisationType: sql.raw('organisation_type'),
  incomeBand: sql.raw('income_band'),
  nation: sql.raw('nation'),
  region: sql.raw('region'),
  role: sql.raw('role'),
};

export type Filters = Partial<Record<AttributeName, string>>;

function filterSql(filters: Filters): SQL[] {
  const where: SQL[] = [];
  for (const name of attributeNames) {
    const value = filters[name];
    if (value !== undefined) where.push(sql`${attributeColumn[name]} = ${value}`);
  }
  return where;
}

export function createSurveyResultsRepository(db: Database) {
  const q = () => db.get();
  const rows = async <T>(query: SQL) => ((await q().execute(query)) as unknown as { rows: T[] }).rows;

  return {
    /**
     * One question's cube cells summed by `breakdown` (the whole, an attribute, or the rated body) and
     * option, restricted to respondents matching `filters` and, for ratings, to one body.
     */
    cells(questionId: string, breakdown: Breakdown, filters: Filters = {}, bodyId?: string | null) {
      const where = [sql`question_id = ${questionId}`, ...filterSql(filters)];
      if (bodyId) where.push(sql`body_key = ${bodyId}`);
      const group =
        breakdown === 'all'
          ? sql.raw(`'all'`)
          : breakdown === 'body'
            ? sql.raw('body_key')
            : attributeColumn[breakdown];
      return rows<CountCell>(sql`
        select ${group} as grp, option, sum(n)::int as n, sum(sum_value)::float8 as total
        from survey_answer_counts where ${sql.join(where, sql` and `)}
        group by 1, 2`);
    },

    /**
     * How many answered each question (for ratings, how many ratings), summed from the cube's base rows of
     * all the questions in one read.
     */
    async answered(questionIds: string[]) {
      if (questionIds.length === 0) return new Map<string, number>();
      const result = await q()
        .select({
          questionId: surveyAnswerCounts.questionId,
          n: sql<number>`sum(${surveyAnswerCounts.n})::int`,
        })
        .from(surveyAnswerCounts)
        .where(and(inArray(surveyAnswerCounts.questionId, questionIds), eq(surveyAnswerCounts.option, BASE)))
        .groupBy(surveyAnswerCounts.questionId);
      return new Map(result.map((r) => [r.questionId, r.n] as const));
    },

    /** Every cube row of a question, for the in-process copy (surveys.results.cube.ts). */
    cubeRows: (questionId: string) =>
      rows<{ option: string; bodyKey: string; n: number; total: number } & Record<AttributeName, string>>(sql`
        select option, body_key as "bodyKey", organisation_type as "organisationType",
               income_band as "incomeBand", nation, region, role, n, sum_value::float8 as total
        from survey_answer_counts where question_id = ${questionId}`),

    /** Respondents of an edition by one attribute (the response profile), as base cells, from the counts. */
    profile(editionId: string, breakdown: AttributeName | 'all') {
      const group = breakdown === 'all' ? sql.raw(`'all'`) : attributeColumn[breakdown];
      return rows<CountCell>(sql`
        select ${group} as grp, '*' as option, sum(n)::int as n, 0::float8 as total
        from survey_response_counts where edition_id = ${editionId} group by 1`);
    },

    /** Bodies rated in answers to a question, for the body filter. */
    async ratedBodies(questionId: string) {
      const result = await q()
        .selectDistinct({ bodyKey: surveyAnswerCounts.bodyKey })
        .from(surveyAnswerCounts)
        .where(and(eq(surveyAnswerCounts.questionId, questionId), sql`${surveyAnswerCounts.bodyKey} <> ''`));
      return result.map((r) => r.bodyKey);
    },

    /** The question with `key` in each edition (for trends), newest first. */
    questionsWithKey: (key: string) =>
      q()
        .select({ question: surveyQuestions, edition: surveyEditions })
        .from(surveyQuestions)
        .innerJoin(surveyEditions, eq(surveyEditions.id, surveyQuestions.editionId))
        .where(eq(surveyQuestions.key, key))
        .orderBy(desc(surveyEditions.year)),

    /** Editions whose review has been published, newest first. */
    publishedEditions: () =>
      q()
        .select()
        .from(surveyEditions)
        .where(isNotNull(surveyEditions.resultsPublishedAt))
        .orderBy(desc(surveyEditions.year)),

    /** Published figures of the whole (breakdown `all`) for some editions, for trends. */
    wholeFigures: (editionIds: string[]) =>
      editionIds.length === 0
        ? Promise.resolve([])
        : q()
            .select()
            .from(surveyPublishedFigures)
            .where(
              and(
                inArray(surveyPublishedFigures.editionId, editionIds),
                eq(surveyPublishedFigures.breakdown, 'all'),
              ),
            )
            .orderBy(asc(surveyPublishedFigures.position)),
  };
}

export type SurveyResultsRepository = ReturnType<typeof createSurveyResultsRepository>;
