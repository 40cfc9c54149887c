/**
 * SQL for the analyst workflow, and nothing else: no rules, no authorisation. Every function asks `db.get()`
 * at the moment it queries, so it joins the caller's open transaction (ADR 0002).
 */
import { and, asc, desc, eq, gt, inArray, lt, ne, sql } from 'drizzle-orm';
import type { Database } from '../../platform/db/database.ts';
import { users } from '../accounts/accounts.tables.ts';
import {
  analysisCodes,
  analysisCodings,
  analysisItems,
  analysisItemThemes,
  analysisRuns,
  analysisSets,
  analysisThemes,
  type AnalysisSource,
  type CodingSource,
} from './analysis.tables.ts';

export type SetRow = typeof analysisSets.$inferSelect;
export type ItemRow = typeof analysisItems.$inferSelect;
export type RunRow = typeof analysisRuns.$inferSelect;
export type ThemeRow = typeof analysisThemes.$inferSelect;
export type CodeRow = typeof analysisCodes.$inferSelect;
export type CodingRow = typeof analysisCodings.$inferSelect;

/** Rows per multi-row INSERT: well under PostgreSQL's 65,535 bind parameters. */
const CHUNK = 1000;

function chunks<T>(rows: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

export function createAnalysisRepository(db: Database) {
  return {
    // Sets and items

    async insertSet(values: {
      name: string;
      source: AnalysisSource;
      sourceRef: string | null;
      createdBy: string | null;
    }): Promise<SetRow> {
      const [row] = await db.get().insert(analysisSets).values(values).returning();
      return row!;
    },

    async insertItems(setId: string, items: readonly { externalId: string; text: string }[]) {
      let position = 0;
      for (const part of chunks(items)) {
        await db
          .get()
          .insert(analysisItems)
          .values(
            part.map((item) => ({
              setId,
              externalId: item.externalId,
              text: item.text,
              position: position++,
            })),
          );
      }
    },

    async findSet(setId: string): Promise<SetRow | undefined> {
      const [row] = await db.get().select().from(analysisSets).where(eq(analysisSets.id, setId));
      return row;
    },

    /** Every set with its number of items and the status of its newest run. */
    async listSets() {
      const rows = await db.get().execute(sql`
        select s.id, s.name, s.source, s.source_ref as "sourceRef", s.created_at as "createdAt",
          (select count(*)::int from analysis_items i where i.set_id = s.id) as "items",
          (select r.status from analysis_runs r where r.set_id = s.id order by r.queued_at desc, r.id desc limit 1)
            as "runStatus"
        from analysis_sets s order by s.created_at desc, s.id`);
      return (rows as unknown as { rows: ListedSet[] }).rows;
    },

    async listItems(setId: string): Promise<ItemRow[]> {
      return db
        .get()
        .select()
        .from(analysisItems)
        .where(eq(analysisItems.setId, setId))
        .orderBy(asc(analysisItems.position));
    },

    async itemsByIds(ids: readonly string[]): Promise<ItemRow[]> {
      if (ids.length === 0) return [];
      return db
        .get()
        .select()
        .from(analysisItems)
        .where(inArray(analysisItems.id, [...ids]));
    },

    async findItem(setId: string, itemId: string): Promise<ItemRow | undefined> {
      const [row] = await db
        .get()
        .select()
        .from(analysisItems)
        .where(and(eq(analysisItems.setId, setId), eq(analysisItems.id, itemId)));
      return row;
    },

    /** The items just before and after one, in the set's order. */
    async neighbours(setId: string, position: number) {
      const [previous] = await db
        .get()
        .select({ id: analysisItems.id })
        .from(analysisItems)
        .where(and(eq(analysisItems.setId, setId), lt(analysisItems.position, position)))
        .orderBy(desc(analysisItems.position))
        .limit(1);
      const [next] = await db
        .get()
        .select({ id: analysisItems.id })
        .from(analysisItems)
        .where(and(eq(analysisItems.setId, setId), gt(analysisItems.position, position)))
        .orderBy(asc(analysisItems.position))
        .limit(1);
      return { previousId: previous?.id ?? null, nextId: next?.id ?? null };
    },

    async setItemSignals(rows: readonly { id: string; sentiment: number; language: string }[]) {
      for (const part of chunks(rows)) {
        const values = sql.join(
          part.map((r) => sql`(${r.id}::uuid, ${r.sentiment}::real, ${r.language}::text)`),
          sql`, `,
        );
        await db.get().execute(sql`
          update analysis_items as i set sentiment = v.sentiment, language = v.language
          from (values ${values}) as v(id, sentiment, language) where i.id = v.id`);
      }
    },

    // Runs

    async insertRun(values: typeof analysisRuns.$inferInsert): Promise<RunRow> {
      const [row] = await db.get().insert(analysisRuns).values(values).returning();
      return row!;
    },

    async updateRun(runId: string, values: Partial<typeof analysisRuns.$inferInsert>) {
      await db.get().update(analysisRuns).set(values).where(eq(analysisRuns.id, runId));
    },

    /** Takes the oldest queued run for this worker; SKIP LOCKED lets several workers share the queue. */
    async claimQueuedRun(now: Date, runId?: string): Promise<RunRow | undefined> {
      const filter = runId ? sql`and id = ${runId}` : sql``;
      const result = await db.get().execute(sql`
        update analysis_runs set status = 'running', started_at = ${now.toISOString()}::timestamptz
        where id = (select id from analysis_runs where status = 'queued' ${filter}
                    order by queued_at, id limit 1 for update skip locked)
        returning id`);
      const id = (result as unknown as { rows: { id: string }[] }).rows[0]?.id;
      if (!id) return undefined;
      const [row] = await db.get().select().from(analysisRuns).where(eq(analysisRuns.id, id));
      return row;
    },

    async newestRun(setId: string): Promise<RunRow | undefined> {
      const [row] = await db
        .get()
        .select()
        .from(analysisRuns)
        .where(eq(analysisRuns.setId, setId))
        .orderBy(desc(analysisRuns.queuedAt), desc(analysisRuns.id))
        .limit(1);
      return row;
    },

    /** The newest requested run that finished: its themes are the ones analysts see and edit. */
    async latestDoneRun(setId: string): Promise<RunRow | undefined> {
      const [row] = await db
        .get()
        .select()
        .from(analysisRuns)
        .where(and(eq(analysisRuns.setId, setId), eq(analysisRuns.status, 'done')))
        .orderBy(desc(analysisRuns.queuedAt), desc(analysisRuns.id))
        .limit(1);
      return row;
    },

    // Themes

    async insertTheme(values: typeof analysisThemes.$inferInsert): Promise<ThemeRow> {
      const [row] = await db.get().insert(analysisThemes).values(values).returning();
      return row!;
    },

    async insertAssignments(rows: readonly (typeof analysisItemThemes.$inferInsert)[]) {
      for (const part of chunks(rows)) {
        await db.get().insert(analysisItemThemes).values(part).onConflictDoNothing();
      }
    },

    async themesOfRun(runId: string): Promise<ThemeRow[]> {
      return db
        .get()
        .select()
        .from(analysisThemes)
        .where(eq(analysisThemes.runId, runId))
        .orderBy(asc(analysisThemes.position), asc(analysisThemes.createdAt), asc(analysisThemes.id));
    },

    async findTheme(runId: string, themeId: string): Promise<ThemeRow | undefined> {
      const [row] = await db
        .get()
        .select()
        .from(analysisThemes)
        .where(and(eq(analysisThemes.runId, runId), eq(analysisThemes.id, themeId)));
      return row;
    },

    async updateTheme(themeId: string, values: Partial<typeof analysisThemes.$inferInsert>) {
      await db.get().update(analysisThemes).set(values).where(eq(analysisThemes.id, themeId));
    },

    async deleteTheme(themeId: string) {
      await db.get().delete(analysisThemes).where(eq(analysisThemes.id, themeId));
    },

    /**
     * Per theme: answers whose main theme it is (their lowest rank among the themes they are still in), all
     * answers in it, and the mean sentiment of the main ones.
     */
    async themeStats(runId: string) {
      const result = await db.get().execute(sql`
        with main as (
          select distinct on (a.item_id) a.item_id, a.theme_id
          from analysis_item_themes a where a.run_id = ${runId}
          order by a.item_id, a.rank, a.theme_id)
        select t.id as "themeId",
          (select count(*)::int from main m where m.theme_id = t.id) as "size",
          (select count(*)::int from analysis_item_themes a where a.theme_id = t.id) as "members",
          (select avg(i.sentiment)::float8 from main m join analysis_items i on i.id = m.item_id
            where m.theme_id = t.id) as "sentiment"
        from analysis_themes t where t.run_id = ${runId}`);
      return (
        result as unknown as {
          rows: { themeId: string; size: number; members: number; sentiment: number | null }[];
        }
      ).rows;
    },

    async assignmentsOfTheme(themeId: string) {
      return db.get().select().from(analysisItemThemes).where(eq(analysisItemThemes.themeId, themeId));
    },

    /** Items in a theme, in the set's order, with their rank and confidence there. */
    async itemsOfTheme(themeId: string) {
      return db
        .get()
        .select({
          id: analysisItems.id,
          externalId: analysisItems.externalId,
          text: analysisItems.text,
          sentiment: analysisItems.sentiment,
          rank: analysisItemThemes.rank,
          confidence: analysisItemThemes.confidence,
        })
        .from(analysisItemThemes)
        .innerJoin(analysisItems, eq(analysisItems.id, analysisItemThemes.itemId))
        .where(eq(analysisItemThemes.themeId, themeId))
        .orderBy(asc(analysisItems.position));
    },

    async removeAssignments(themeId: string, itemIds: readonly string[]) {
      if (itemIds.length === 0) return;
      await db
        .get()
        .delete(analysisItemThemes)
        .where(
          and(eq(analysisItemThemes.themeId, themeId), inArray(analysisItemThemes.itemId, [...itemIds])),
        );
    },

    /** Items of the set that are in none of the run's themes (after deletions). */
    async countUnassigned(setId: string, runId: string): Promise<number> {
      const result = await db.get().execute(sql`
        select count(*)::int as n from analysis_items i where i.set_id = ${setId}
          and not exists (select 1 from analysis_item_themes a where a.item_id = i.id and a.run_id = ${runId})`);
      return (result as unknown as { rows: { n: number }[] }).rows[0]?.n ?? 0;
    },

    async sentimentCounts(setId: string) {
      const result = await db.get().execute(sql`
        select count(*) filter (where sentiment > 0.1)::int as "positive",
               count(*) filter (where sentiment < -0.1)::int as "negative",
               count(*) filter (where sentiment between -0.1 and 0.1)::int as "neutral"
        from analysis_items where set_id = ${setId} and sentiment is not null`);
      return (result as unknown as { rows: { positive: number; negative: number; neutral: number }[] })
        .rows[0]!;
    },

    // Codebook and codings

    async listCodes(setId: string): Promise<CodeRow[]> {
      return db
        .get()
        .select()
        .from(analysisCodes)
        .where(eq(analysisCodes.setId, setId))
        .orderBy(asc(sql`lower(${analysisCodes.name})`));
    },

    async findCodeByName(setId: string, name: string, exceptId?: string): Promise<CodeRow | undefined> {
      const [row] = await db
        .get()
        .select()
        .from(analysisCodes)
        .where(
          and(
            eq(analysisCodes.setId, setId),
            eq(sql`lower(${analysisCodes.name})`, name.toLowerCase()),
            exceptId ? ne(analysisCodes.id, exceptId) : undefined,
          ),
        );
      return row;
    },

    async insertCode(values: { setId: string; name: string; description: string }): Promise<CodeRow> {
      const [row] = await db.get().insert(analysisCodes).values(values).returning();
      return row!;
    },

    async updateCode(codeId: string, values: { name: string; description: string }) {
      await db.get().update(analysisCodes).set(values).where(eq(analysisCodes.id, codeId));
    },

    /** Codings in a set, optionally for one analyst and some sources. */
    async codingsOfSet(setId: string, filter: { analystId?: string; sources?: CodingSource[] } = {}) {
      return db
        .get()
        .select({
          itemId: analysisCodings.itemId,
          codeId: analysisCodings.codeId,
          analystId: analysisCodings.analystId,
          source: analysisCodings.source,
          confidence: analysisCodings.confidence,
        })
        .from(analysisCodings)
        .innerJoin(analysisCodes, eq(analysisCodes.id, analysisCodings.codeId))
        .where(
          and(
            eq(analysisCodes.setId, setId),
            filter.analystId ? eq(analysisCodings.analystId, filter.analystId) : undefined,
            filter.sources ? inArray(analysisCodings.source, filter.sources) : undefined,
          ),
        );
    },

    async codingsOfItem(itemId: string, analystId: string) {
      return db
        .get()
        .select()
        .from(analysisCodings)
        .where(and(eq(analysisCodings.itemId, itemId), eq(analysisCodings.analystId, analystId)));
    },

    async deleteCodings(filter: {
      itemId?: string;
      analystId: string;
      setId?: string;
      source?: CodingSource;
    }) {
      await db
        .get()
        .delete(analysisCodings)
        .where(
          and(
            eq(analysisCodings.analystId, filter.analystId),
            filter.itemId ? eq(analysisCodings.itemId, filter.itemId) : undefined,
            filter.source ? eq(analysisCodings.source, filter.source) : undefined,
            filter.setId
              ? inArray(
                  analysisCodings.codeId,
                  db
                    .get()
                    .select({ id: analysisCodes.id })
                    .from(analysisCodes)
                    .where(eq(analysisCodes.setId, filter.setId)),
                )
              : undefined,
          ),
        );
    },

    async insertCodings(rows: readonly (typeof analysisCodings.$inferInsert)[]) {
      for (const part of chunks(rows))
        await db.get().insert(analysisCodings).values(part).onConflictDoNothing();
    },

    async setCodingSource(
      itemId: string,
      analystId: string,
      from: CodingSource,
      to: CodingSource,
      now: Date,
    ) {
      await db
        .get()
        .update(analysisCodings)
        .set({ source: to, updatedAt: now })
        .where(
          and(
            eq(analysisCodings.itemId, itemId),
            eq(analysisCodings.analystId, analystId),
            eq(analysisCodings.source, from),
          ),
        );
    },

    async userNames(ids: readonly string[]): Promise<Map<string, string>> {
      if (ids.length === 0) return new Map();
      const rows = await db
        .get()
        .select({ id: users.id, name: users.displayName })
        .from(users)
        .where(inArray(users.id, [...ids]));
      return new Map(rows.map((r) => [r.id, r.name]));
    },
  };
}

export type ListedSet = {
  id: string;
  name: string;
  source: AnalysisSource;
  sourceRef: string | null;
  createdAt: Date;
  items: number;
  runStatus: string | null;
};

export type AnalysisRepository = ReturnType<typeof createAnalysisRepository>;
