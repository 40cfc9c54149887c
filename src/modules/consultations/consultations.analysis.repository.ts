/**
 * SQL for consultation analysis and the government response, and nothing else: no rules, no authorisation.
 * Every function asks `db.get()` when it queries, so it joins the caller's open transaction (ADR 0002).
 *
 * Reads of the core tables (responses, comments, principle views) are plain SQL on the shared schema's column
 * names; they count and read submitted responses only (drafts are never counted or themed).
 */
import { and, asc, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../../platform/db/database.ts';
import type { CountCell } from './consultations.analysis.rules.ts';
import type { QuoteSource } from './consultations.response.rules.ts';
import {
  consultationAnalysisCounts,
  consultationAnalysisRuns,
  consultationGovernmentResponses,
  consultationResponseEntries,
  consultationTags,
  consultationThemeMembers,
  consultationThemes,
  type ThemeScope,
} from './consultations.analysis.tables.ts';

export type RunRow = typeof consultationAnalysisRuns.$inferSelect;
export type ThemeRow = typeof consultationThemes.$inferSelect;
export type GovernmentResponseRow = typeof consultationGovernmentResponses.$inferSelect;
export type EntryRow = typeof consultationResponseEntries.$inferSelect;

/** The consultation fields this part of the module needs. */
export interface ConsultationRef {
  id: string;
  slug: string;
  title: string;
  versionId: string;
  status: string;
  questions: unknown;
}

/** A paragraph comment as analysts see it (all submitted comments, whatever their consent). */
export interface AnalystComment {
  id: string;
  responseId: string;
  paragraphKey: string;
  stance: string;
  comment: string;
  suggestedText: string | null;
  moderation: string;
}

const CHUNK = 1000;

export function createConsultationAnalysisRepository(db: Database) {
  const rows = async <T>(query: SQL) => ((await db.get().execute(query)) as unknown as { rows: T[] }).rows;

  return {
    async consultationBySlug(slug: string): Promise<ConsultationRef | undefined> {
      const [row] = await rows<ConsultationRef>(sql`
        select id, slug, title, version_id as "versionId", status, questions
        from consultations where slug = ${slug}`);
      return row;
    },

    async consultationById(id: string): Promise<ConsultationRef | undefined> {
      const [row] = await rows<ConsultationRef>(sql`
        select id, slug, title, version_id as "versionId", status, questions
        from consultations where id = ${id}`);
      return row;
    },

    /** Answers to free-text questions by `responseId:key`, for analysts' quotes. */
    async answersOf(wanted: { responseId: string; key: string }[]): Promise<Map<string, string>> {
      if (wanted.length === 0) return new Map();
      const found = await rows<{ id: string; answers: Record<string, unknown> | null }>(sql`
        select id, answers from consultation_responses where id in (${sql.join(
          [...new Set(wanted.map((w) => w.responseId))].map((i) => sql`${i}::uuid`),
          sql`, `,
        )})`);
      const byId = new Map(found.map((r) => [r.id, r.answers ?? {}]));
      const out = new Map<string, string>();
      for (const w of wanted) {
        const value = byId.get(w.responseId)?.[w.key];
        if (typeof value === 'string') out.set(`${w.responseId}:${w.key}`, value);
      }
      return out;
    },

    // Runs

    async insertRun(values: typeof consultationAnalysisRuns.$inferInsert): Promise<RunRow> {
      const [row] = await db.get().insert(consultationAnalysisRuns).values(values).returning();
      return row!;
    },

    async updateRun(id: string, values: Partial<typeof consultationAnalysisRuns.$inferInsert>) {
      await db.get().update(consultationAnalysisRuns).set(values).where(eq(consultationAnalysisRuns.id, id));
    },

    /** Claims the oldest queued run (or the given one) for this worker; other workers skip it. */
    async claimQueuedRun(now: Date, runId?: string): Promise<RunRow | undefined> {
      const filter = runId ? sql`and id = ${runId}` : sql``;
      const [claimed] = await rows<{ id: string }>(sql`
        update consultation_analysis_runs set status = 'running', started_at = ${now.toISOString()}::timestamptz
        where id = (select id from consultation_analysis_runs where status = 'queued' ${filter}
                    order by queued_at, id limit 1 for update skip locked)
        returning id`);
      if (!claimed) return undefined;
      const [row] = await db
        .get()
        .select()
        .from(consultationAnalysisRuns)
        .where(eq(consultationAnalysisRuns.id, claimed.id));
      return row;
    },

    async newestRun(consultationId: string): Promise<RunRow | undefined> {
      const [row] = await db
        .get()
        .select()
        .from(consultationAnalysisRuns)
        .where(eq(consultationAnalysisRuns.consultationId, consultationId))
        .orderBy(desc(consultationAnalysisRuns.queuedAt), desc(consultationAnalysisRuns.id))
        .limit(1);
      return row;
    },

    async latestDoneRun(consultationId: string): Promise<RunRow | undefined> {
      const [row] = await db
        .get()
        .select()
        .from(consultationAnalysisRuns)
        .where(
          and(
            eq(consultationAnalysisRuns.consultationId, consultationId),
            eq(consultationAnalysisRuns.status, 'done'),
          ),
        )
        .orderBy(desc(consultationAnalysisRuns.queuedAt), desc(consultationAnalysisRuns.id))
        .limit(1);
      return row;
    },

    // Counts

    /**
     * Rebuilds the counts cube from submitted responses in one statement set (run inside the run's
     * transaction, so pages see the old cube or the new one, never half of each).
     */
    async rebuildCounts(consultationId: string): Promise<{ responses: number; comments: number }> {
      const id = consultationId;
      await db.get().execute(sql`delete from consultation_analysis_counts where consultation_id = ${id}`);
      await db.get().execute(sql`
        insert into consultation_analysis_counts (consultation_id, dimension, key, bucket, count)
        select ${id}::uuid, 'paragraph', c.paragraph_key, c.stance, count(*)::int
          from consultation_comments c join consultation_responses r on r.id = c.response_id
          where c.consultation_id = ${id} and r.status = 'submitted' group by c.paragraph_key, c.stance
        union all
        select ${id}::uuid, 'principle', v.principle_id::text, v.view, count(*)::int
          from consultation_principle_views v join consultation_responses r on r.id = v.response_id
          where r.consultation_id = ${id} and r.status = 'submitted' group by v.principle_id, v.view
        union all
        select ${id}::uuid, 'respondent', r.respondent_type, '', count(*)::int
          from consultation_responses r where r.consultation_id = ${id} and r.status = 'submitted'
          group by r.respondent_type
        union all
        select ${id}::uuid, 'organisation_type', coalesce(r.organisation_type, 'not_stated'), '', count(*)::int
          from consultation_responses r
          where r.consultation_id = ${id} and r.status = 'submitted' and r.respondent_type = 'organisation'
          group by 3
        union all
        select ${id}::uuid, 'organisation_size', coalesce(r.organisation_size, 'not_stated'), '', count(*)::int
          from consultation_responses r
          where r.consultation_id = ${id} and r.status = 'submitted' and r.respondent_type = 'organisation'
          group by 3
        union all
        select ${id}::uuid, 'question', k.key, 'answered', count(*)::int
          from consultation_responses r, jsonb_object_keys(coalesce(r.answers, '{}'::jsonb)) k(key)
          where r.consultation_id = ${id} and r.status = 'submitted' group by k.key`);
      const [totals] = await rows<{ responses: number; comments: number }>(sql`
        select (select count(*)::int from consultation_responses
                 where consultation_id = ${id} and status = 'submitted') as responses,
               (select coalesce(sum(count), 0)::int from consultation_analysis_counts
                 where consultation_id = ${id} and dimension = 'paragraph') as comments`);
      await db
        .get()
        .insert(consultationAnalysisCounts)
        .values([
          { consultationId: id, dimension: 'total', key: 'responses', count: totals!.responses },
          { consultationId: id, dimension: 'total', key: 'comments', count: totals!.comments },
        ]);
      return totals!;
    },

    counts: (consultationId: string) =>
      db
        .get()
        .select({
          dimension: consultationAnalysisCounts.dimension,
          key: consultationAnalysisCounts.key,
          bucket: consultationAnalysisCounts.bucket,
          count: consultationAnalysisCounts.count,
        })
        .from(consultationAnalysisCounts)
        .where(eq(consultationAnalysisCounts.consultationId, consultationId)) as Promise<CountCell[]>,

    /**
     * Submitted responses now: compared with the run's own count, it says how stale the figures are. An
     * index-only count on (consultation_id, status), a few milliseconds at 20,000 responses.
     */
    async submittedCount(consultationId: string): Promise<number> {
      const [row] = await rows<{ n: number }>(sql`
        select count(*)::int as n from consultation_responses
        where consultation_id = ${consultationId} and status = 'submitted'`);
      return row?.n ?? 0;
    },

    // Texts for the engine

    /** Submitted comments with words, by paragraph key then id (the engine's input order). */
    commentTexts: (consultationId: string) =>
      rows<{ id: string; responseId: string; paragraphKey: string; text: string }>(sql`
        select c.id, c.response_id as "responseId", c.paragraph_key as "paragraphKey", c.comment as text
        from consultation_comments c join consultation_responses r on r.id = c.response_id
        where c.consultation_id = ${consultationId} and r.status = 'submitted'
          and length(trim(coalesce(c.comment, ''))) > 0
        order by c.paragraph_key, c.id`),

    /** Submitted answers to one free-text question. */
    answerTexts: (consultationId: string, questionKey: string) =>
      rows<{ responseId: string; text: string }>(sql`
        select r.id as "responseId", r.answers ->> ${questionKey} as text
        from consultation_responses r
        where r.consultation_id = ${consultationId} and r.status = 'submitted'
          and jsonb_typeof(r.answers -> ${questionKey}) = 'string'
          and length(trim(r.answers ->> ${questionKey})) > 0
        order by r.id`),

    // Themes

    async insertTheme(values: typeof consultationThemes.$inferInsert): Promise<ThemeRow> {
      const [row] = await db.get().insert(consultationThemes).values(values).returning();
      return row!;
    },

    async insertMembers(members: (typeof consultationThemeMembers.$inferInsert)[]) {
      for (let i = 0; i < members.length; i += CHUNK)
        await db
          .get()
          .insert(consultationThemeMembers)
          .values(members.slice(i, i + CHUNK));
    },

    themesOf: (runId: string, scope?: ThemeScope, scopeKey?: string) =>
      db
        .get()
        .select()
        .from(consultationThemes)
        .where(
          and(
            eq(consultationThemes.runId, runId),
            scope ? eq(consultationThemes.scope, scope) : undefined,
            scopeKey ? eq(consultationThemes.scopeKey, scopeKey) : undefined,
          ),
        )
        .orderBy(asc(consultationThemes.scopeKey), asc(consultationThemes.position)),

    /** Themes per scope key of a run, for the overview (no members read). */
    themeCounts: (runId: string, scope: ThemeScope) =>
      rows<{ scopeKey: string; themes: number }>(sql`
        select scope_key as "scopeKey", count(*)::int as themes from consultation_themes
        where run_id = ${runId} and scope = ${scope} and kind = 'topic' group by scope_key`),

    themesByIds: (ids: string[]) =>
      ids.length
        ? db.get().select().from(consultationThemes).where(inArray(consultationThemes.id, ids))
        : Promise.resolve([] as ThemeRow[]),

    async findTheme(consultationId: string, id: string): Promise<ThemeRow | undefined> {
      const [row] = await db
        .get()
        .select()
        .from(consultationThemes)
        .where(and(eq(consultationThemes.consultationId, consultationId), eq(consultationThemes.id, id)));
      return row;
    },

    /** Paragraph comments by id, for analysts (every submitted comment). */
    commentsByIds: (ids: string[]) =>
      ids.length
        ? rows<AnalystComment>(sql`
            select c.id, c.response_id as "responseId", c.paragraph_key as "paragraphKey", c.stance,
                   c.comment, c.suggested_text as "suggestedText", c.moderation
            from consultation_comments c
            where c.id in (${sql.join(
              ids.map((i) => sql`${i}::uuid`),
              sql`, `,
            )})`)
        : Promise.resolve([] as AnalystComment[]),

    /** A paragraph's submitted comments, newest first, optionally by stance or responses' tag. */
    paragraphComments: (
      consultationId: string,
      paragraphKey: string,
      filter: { stance?: string; tag?: string; limit: number; offset: number },
    ) =>
      rows<AnalystComment>(sql`
        select c.id, c.response_id as "responseId", c.paragraph_key as "paragraphKey", c.stance,
               c.comment, c.suggested_text as "suggestedText", c.moderation
        from consultation_comments c join consultation_responses r on r.id = c.response_id
        where c.consultation_id = ${consultationId} and c.paragraph_key = ${paragraphKey}
          and r.status = 'submitted'
          ${filter.stance ? sql`and c.stance = ${filter.stance}` : sql``}
          ${
            filter.tag
              ? sql`and exists (select 1 from consultation_tags t
                                where t.response_id = c.response_id and t.tag = ${filter.tag})`
              : sql``
          }
        order by c.created_at desc, c.id
        limit ${filter.limit} offset ${filter.offset}`),

    /** A theme's members with their words, in the engine's order (for analysts). */
    themeMembers: (themeId: string, limit: number, offset: number) =>
      rows<{ responseId: string; commentId: string | null; text: string }>(sql`
        select m.response_id as "responseId", m.comment_id as "commentId",
               coalesce(c.comment, r.answers ->> t.scope_key, '') as text
        from consultation_theme_members m
        join consultation_themes t on t.id = m.theme_id
        join consultation_responses r on r.id = m.response_id
        left join consultation_comments c on c.id = m.comment_id
        where m.theme_id = ${themeId}
        order by m.position limit ${limit} offset ${offset}`),

    /**
     * Candidates for public quotes of themes: the engine's quotes first, then other members, only from public
     * responses (submitted, moderation published, consent not `none`) and, for comments, published comments;
     * the words are the redacted copies. At most `limit` per theme; the consent rule filters them again.
     */
    quoteSourcesOfThemes: async (themeIds: string[], limit = 10) =>
      themeIds.length
        ? rows<QuoteSource & { themeId: string }>(sql`
            select t.id as "themeId", m.id, r.id as "responseId", m.moderation, m.text as "publishedText",
                   r.consent, r.status as "responseStatus", r.respondent_type as "respondentType",
                   r.respondent_name as "respondentName", r.organisation_name as "organisationName",
                   r.organisation_type as "organisationType"
            from consultation_themes t
            cross join lateral (
              select mm.position, mm.response_id, coalesce(mm.comment_id, mm.response_id) as id,
                     coalesce(cc.moderation, rr.moderation) as moderation,
                     case when mm.comment_id is null then rr.published_text -> 'answers' ->> t.scope_key
                          else cc.published_comment end as text
              from consultation_theme_members mm
              join consultation_responses rr on rr.id = mm.response_id
              left join consultation_comments cc on cc.id = mm.comment_id
              where mm.theme_id = t.id and rr.status = 'submitted' and rr.moderation = 'published'
                and rr.consent <> 'none'
                and (mm.comment_id is null or cc.moderation = 'published')
              order by mm.position limit ${limit}) m
            join consultation_responses r on r.id = m.response_id
            where t.id in (${sql.join(
              themeIds.map((i) => sql`${i}::uuid`),
              sql`, `,
            )})
            order by t.id, m.position`)
        : ([] as (QuoteSource & { themeId: string })[]),

    // Tags

    async addTag(values: typeof consultationTags.$inferInsert) {
      await db.get().insert(consultationTags).values(values).onConflictDoNothing();
    },

    async removeTag(responseId: string, tag: string) {
      await db
        .get()
        .delete(consultationTags)
        .where(and(eq(consultationTags.responseId, responseId), eq(consultationTags.tag, tag)));
    },

    tagsOfResponse: async (responseId: string) =>
      (
        await db
          .get()
          .select({ tag: consultationTags.tag })
          .from(consultationTags)
          .where(eq(consultationTags.responseId, responseId))
          .orderBy(asc(consultationTags.tag))
      ).map((r) => r.tag),

    tagCounts: (consultationId: string) =>
      rows<{ tag: string; responses: number }>(sql`
        select tag, count(*)::int as responses from consultation_tags
        where consultation_id = ${consultationId} group by tag order by tag`),

    /** Submitted responses, optionally with a tag, newest first; with their tags. */
    responsesList: (consultationId: string, filter: { tag?: string; limit: number; offset: number }) =>
      rows<{
        id: string;
        respondentType: string;
        organisationType: string | null;
        consent: string;
        submittedAt: Date;
        tags: string[];
      }>(sql`
        select r.id, r.respondent_type as "respondentType", r.organisation_type as "organisationType",
               r.consent, r.submitted_at as "submittedAt",
               coalesce((select array_agg(t.tag order by t.tag) from consultation_tags t
                         where t.response_id = r.id), '{}') as tags
        from consultation_responses r
        where r.consultation_id = ${consultationId} and r.status = 'submitted'
          ${
            filter.tag
              ? sql`and exists (select 1 from consultation_tags t
                                where t.response_id = r.id and t.tag = ${filter.tag})`
              : sql``
          }
        order by r.submitted_at desc nulls last, r.id
        limit ${filter.limit} offset ${filter.offset}`),

    /** One submitted response for analysts: who, consent, answers and its paragraph comments. */
    async responseForAnalyst(consultationId: string, responseId: string) {
      const [response] = await rows<{
        id: string;
        respondentType: string;
        organisationType: string | null;
        organisationSize: string | null;
        consent: string;
        moderation: string;
        answers: Record<string, unknown> | null;
        submittedAt: Date | null;
      }>(sql`
        select r.id, r.respondent_type as "respondentType", r.organisation_type as "organisationType",
               r.organisation_size as "organisationSize", r.consent, r.moderation, r.answers,
               r.submitted_at as "submittedAt"
        from consultation_responses r
        where r.consultation_id = ${consultationId} and r.id = ${responseId} and r.status = 'submitted'`);
      if (!response) return undefined;
      const comments = await rows<AnalystComment>(sql`
        select c.id, c.response_id as "responseId", c.paragraph_key as "paragraphKey", c.stance, c.comment,
               c.suggested_text as "suggestedText", c.moderation
        from consultation_comments c where c.response_id = ${responseId} order by c.paragraph_key`);
      return { response, comments };
    },

    // Government response

    async governmentResponse(consultationId: string): Promise<GovernmentResponseRow | undefined> {
      const [row] = await db
        .get()
        .select()
        .from(consultationGovernmentResponses)
        .where(eq(consultationGovernmentResponses.consultationId, consultationId));
      return row;
    },

    async upsertGovernmentResponse(values: typeof consultationGovernmentResponses.$inferInsert) {
      const { consultationId: _id, ...set } = values;
      await db
        .get()
        .insert(consultationGovernmentResponses)
        .values(values)
        .onConflictDoUpdate({ target: consultationGovernmentResponses.consultationId, set });
    },

    entries: (consultationId: string) =>
      db
        .get()
        .select()
        .from(consultationResponseEntries)
        .where(eq(consultationResponseEntries.consultationId, consultationId))
        .orderBy(asc(consultationResponseEntries.position), asc(consultationResponseEntries.createdAt)),

    async insertEntry(values: typeof consultationResponseEntries.$inferInsert): Promise<EntryRow> {
      const [row] = await db.get().insert(consultationResponseEntries).values(values).returning();
      return row!;
    },

    async deleteEntry(consultationId: string, id: string) {
      await db
        .get()
        .delete(consultationResponseEntries)
        .where(
          and(
            eq(consultationResponseEntries.consultationId, consultationId),
            eq(consultationResponseEntries.id, id),
          ),
        );
    },

    /** Mirrors the publication on the consultation, for the core pages to link to. */
    async markResponsePublished(consultationId: string, at: Date) {
      await db.get().execute(sql`
        update consultations set response_published_at = ${at.toISOString()}::timestamptz
        where id = ${consultationId}`);
    },

    /** Published responses' consultations (for the API's list). */
    publishedResponses: () =>
      rows<{ slug: string; title: string; publishedAt: Date }>(sql`
        select c.slug, c.title, g.published_at as "publishedAt"
        from consultation_government_responses g join consultations c on c.id = g.consultation_id
        where g.published_at is not null order by g.published_at desc`),
  };
}

export type ConsultationAnalysisRepository = ReturnType<typeof createConsultationAnalysisRepository>;
