/**
 * SQL for the public register. Public reads touch only `status = 'published'` rows (written as a literal
 * so the partial indexes apply) and only the published and snapshot columns; the draft with the original
 * texts is read by the moderation functions alone.
 */
import { and, asc, desc, eq, inArray, isNull, notInArray, or, sql, type SQL } from 'drizzle-orm';
import { rowsOf, type Database } from '../../platform/db/database.ts';
import { caseCommitments, caseEvents, cases } from '../cases/cases.tables.ts';
import { covenantCommitments } from '../covenant/covenant.tables.ts';
import { organisations } from '../directory/directory.tables.ts';
import { panelDecisions } from '../panel/panel.tables.ts';
import { endedStates, publishableModes, unpublishedOutcomes } from './register.rules.ts';
import { registerEntries, type RegisterStatus } from './register.tables.ts';

export type RegisterEntryRow = typeof registerEntries.$inferSelect;
export type NewRegisterEntry = typeof registerEntries.$inferInsert;

/** What a public page, the feed or the API may show of an entry: never the draft or the moderator's notes. */
export const publicColumns = {
  id: registerEntries.id,
  reference: registerEntries.reference,
  status: registerEntries.status,
  bodyName: registerEntries.bodyName,
  bodySlug: registerEntries.bodySlug,
  commitments: registerEntries.commitments,
  category: registerEntries.category,
  outcome: registerEntries.outcome,
  panelOutcome: registerEntries.panelOutcome,
  submittedOn: registerEntries.submittedOn,
  closedOn: registerEntries.closedOn,
  year: registerEntries.year,
  timeline: registerEntries.timeline,
  title: registerEntries.pubTitle,
  summary: registerEntries.pubSummary,
  response: registerEntries.pubResponse,
  determination: registerEntries.pubDetermination,
  publishedAt: registerEntries.publishedAt,
  updatedAt: registerEntries.updatedAt,
  withdrawnAt: registerEntries.withdrawnAt,
};
export type PublicEntry = {
  [K in keyof typeof publicColumns]: (typeof publicColumns)[K]['_']['data'] | null;
} & { reference: string; status: RegisterStatus; bodyName: string };

export interface SearchFilters {
  q?: string;
  body?: string;
  commitment?: string;
  outcome?: string;
  year?: number;
}

/** Counting stops here: "more than 10,000 cases" is as useful as the exact figure and far cheaper. */
export const COUNT_CAP = 10_000;
/**
 * A word search counts to 1,000 only: each match is a table page read (the words' index cannot say which
 * are published), so counting common words to 10,000 cost more than the rest of the page.
 */
export const TEXT_COUNT_CAP = 1_000;
/** How many of the newest entries a common-word search reads in date order, per page asked for. */
const NEWEST_WINDOW_PER_PAGE = 1_000;

const published = sql`${registerEntries.status} = 'published'`;

function searchConditions(f: SearchFilters): SQL[] {
  const where: SQL[] = [published];
  if (f.q) where.push(sql`${registerEntries.search} @@ websearch_to_tsquery('english', ${f.q})`);
  if (f.body) where.push(eq(registerEntries.bodySlug, f.body));
  if (f.commitment) where.push(sql`${registerEntries.commitmentCodes} @> array[${f.commitment}]::text[]`);
  if (f.outcome) where.push(eq(registerEntries.outcome, f.outcome));
  if (f.year) where.push(eq(registerEntries.year, f.year));
  return where;
}

/** The columns of a search result. */
const searchColumns = {
  reference: registerEntries.reference,
  title: registerEntries.pubTitle,
  summary: registerEntries.pubSummary,
  bodyName: registerEntries.bodyName,
  bodySlug: registerEntries.bodySlug,
  commitments: registerEntries.commitments,
  outcome: registerEntries.outcome,
  closedOn: registerEntries.closedOn,
  publishedAt: registerEntries.publishedAt,
};

export function createRegisterRepository(db: Database) {
  /**
   * One page of a word search read from the newest entries in date order (see `search`), or null when the
   * window holds less than a full page of matches.
   */
  async function newestMatches(filters: SearchFilters, page: number, pageSize: number) {
    const others = and(...searchConditions({ ...filters, q: undefined }));
    const window = NEWEST_WINDOW_PER_PAGE * page;
    const ids = rowsOf<{ id: string }>(
      await db.get().execute(sql`select id from (
          select ${registerEntries.id} as id, ${registerEntries.search} as search,
            ${registerEntries.publishedAt} as published_at
          from ${registerEntries} where ${others}
          order by ${registerEntries.publishedAt} desc, ${registerEntries.id} desc limit ${window}
        ) newest where search @@ websearch_to_tsquery('english', ${filters.q})
        order by published_at desc, id desc limit ${pageSize} offset ${(page - 1) * pageSize}`),
    ).map((r) => r.id);
    if (ids.length < pageSize) return null;
    return db
      .get()
      .select(searchColumns)
      .from(registerEntries)
      .where(inArray(registerEntries.id, ids))
      .orderBy(desc(registerEntries.publishedAt), desc(registerEntries.id));
  }

  return {
    /** Ended, publishable cases that have no register entry yet (oldest first). */
    async casesAwaitingEntry(limit: number): Promise<string[]> {
      const rows = await db
        .get()
        .select({ id: cases.id })
        .from(cases)
        .leftJoin(registerEntries, eq(registerEntries.caseId, cases.id))
        .where(
          and(
            isNull(registerEntries.id),
            eq(cases.kind, 'problem'),
            sql`${cases.bodyId} is not null`,
            inArray(cases.state, [...endedStates]),
            or(isNull(cases.outcome), notInArray(cases.outcome, [...unpublishedOutcomes])),
            inArray(cases.confidentiality, [...publishableModes]),
          ),
        )
        .orderBy(asc(cases.closedAt), asc(cases.id))
        .limit(limit);
      return rows.map((r) => r.id);
    },

    /** The facts of a case the register publishes (never the reporter: this reads no identity). */
    async caseFacts(caseId: string) {
      const [row] = await db
        .get()
        .select({
          id: cases.id,
          reference: cases.reference,
          kind: cases.kind,
          state: cases.state,
          outcome: cases.outcome,
          confidentiality: cases.confidentiality,
          bodyId: cases.bodyId,
          bodyName: organisations.name,
          bodySlug: organisations.slug,
          category: cases.category,
          title: cases.title,
          whatHappened: cases.whatHappened,
          submittedAt: cases.submittedAt,
          closedAt: cases.closedAt,
        })
        .from(cases)
        .leftJoin(organisations, eq(organisations.id, cases.bodyId))
        .where(eq(cases.id, caseId));
      if (!row) return null;
      const commitments = await db
        .get()
        .select({
          id: covenantCommitments.id,
          code: covenantCommitments.code,
          text: covenantCommitments.text,
        })
        .from(caseCommitments)
        .innerJoin(covenantCommitments, eq(covenantCommitments.id, caseCommitments.commitmentId))
        .where(eq(caseCommitments.caseId, caseId))
        .orderBy(asc(covenantCommitments.position), asc(covenantCommitments.code));
      const steps = await db
        .get()
        .select({
          at: caseEvents.at,
          toState: caseEvents.toState,
          action: caseEvents.action,
          text: caseEvents.text,
        })
        .from(caseEvents)
        .where(eq(caseEvents.caseId, caseId))
        .orderBy(asc(caseEvents.at), asc(caseEvents.id));
      const [decision] = await db
        .get()
        .select({ determination: panelDecisions.determination, outcome: panelDecisions.outcome })
        .from(panelDecisions)
        .where(and(eq(panelDecisions.caseId, caseId), eq(panelDecisions.status, 'adopted')))
        .orderBy(desc(panelDecisions.decidedAt))
        .limit(1);
      return { ...row, commitments, steps, decision: decision ?? null };
    },

    async insert(entry: NewRegisterEntry): Promise<RegisterEntryRow | null> {
      const [row] = await db
        .get()
        .insert(registerEntries)
        .values(entry)
        .onConflictDoNothing({ target: registerEntries.caseId })
        .returning();
      return row ?? null;
    },

    /** Updates when the version still matches; null when someone else changed it first. */
    async update(
      id: string,
      expectedVersion: number,
      patch: Partial<NewRegisterEntry>,
    ): Promise<RegisterEntryRow | null> {
      const [row] = await db
        .get()
        .update(registerEntries)
        .set({ ...patch, version: sql`${registerEntries.version} + 1` })
        .where(and(eq(registerEntries.id, id), eq(registerEntries.version, expectedVersion)))
        .returning();
      return row ?? null;
    },

    async get(id: string): Promise<RegisterEntryRow | null> {
      const [row] = await db.get().select().from(registerEntries).where(eq(registerEntries.id, id));
      return row ?? null;
    },

    /** The moderation queue: one status, oldest first for pending, newest first otherwise. */
    async listByStatus(status: RegisterStatus, page: number, pageSize: number) {
      const rows = await db
        .get()
        .select({
          id: registerEntries.id,
          reference: registerEntries.reference,
          bodyName: registerEntries.bodyName,
          outcome: registerEntries.outcome,
          closedOn: registerEntries.closedOn,
          createdAt: registerEntries.createdAt,
          decidedAt: registerEntries.decidedAt,
          publishedAt: registerEntries.publishedAt,
          draft: registerEntries.draft,
        })
        .from(registerEntries)
        .where(eq(registerEntries.status, status))
        .orderBy(
          status === 'pending' ? asc(registerEntries.createdAt) : desc(registerEntries.decidedAt),
          asc(registerEntries.id),
        )
        .limit(pageSize)
        .offset((page - 1) * pageSize);
      const counts = await db
        .get()
        .select({ status: registerEntries.status, count: sql<number>`count(*)::int` })
        .from(registerEntries)
        .groupBy(registerEntries.status);
      return { rows, counts: Object.fromEntries(counts.map((c) => [c.status, c.count])) };
    },

    // ----------------------------------------------------------------------------------------- public

    /**
     * Published entries matching the filters, newest first, with a count capped at COUNT_CAP (TEXT_COUNT_CAP
     * for a word search).
     *
     * A word search is counted first. With more matches than the cap (common words), the page comes from
     * the newest entries read in date order, keeping the matches: the newest 20 matches lie among the
     * newest few hundred entries, whereas the words' index would hand over every match (26,000 for a
     * common word in 170,000 entries) to be read and sorted. The window is a prefix of the same order, so
     * a full page from it is exactly the right page; anything less (rare words, deep pages) falls back to
     * the ordinary query.
     */
    async search(filters: SearchFilters, page: number, pageSize: number) {
      const where = and(...searchConditions(filters));
      const offset = (page - 1) * pageSize;
      const cap = filters.q ? TEXT_COUNT_CAP : COUNT_CAP;
      const pageOf = () =>
        db
          .get()
          .select(searchColumns)
          .from(registerEntries)
          .where(where)
          .orderBy(desc(registerEntries.publishedAt), desc(registerEntries.id))
          .limit(pageSize)
          .offset(offset);
      const countOf = () =>
        db
          .get()
          .execute(
            sql`select count(*)::int as n from (select 1 from ${registerEntries} where ${where} limit ${cap + 1}) t`,
          )
          .then((r) => Number(rowsOf<{ n: number }>(r)[0]?.n ?? 0));
      let rows: Awaited<ReturnType<typeof pageOf>>;
      let n: number;
      if (filters.q) {
        n = await countOf();
        rows = (n > cap ? await newestMatches(filters, page, pageSize) : null) ?? (await pageOf());
      } else {
        [rows, n] = await Promise.all([pageOf(), countOf()]);
      }
      return { rows, total: Math.min(n, cap), totalCapped: n > cap };
    },

    /** A published or withdrawn entry by its case reference (withdrawn: the page says it was removed). */
    async byReference(reference: string) {
      const [row] = await db
        .get()
        .select(publicColumns)
        .from(registerEntries)
        .where(
          and(
            eq(registerEntries.reference, reference),
            inArray(registerEntries.status, ['published', 'withdrawn']),
          ),
        );
      return row ?? null;
    },

    /** The newest published entries, for the Atom feed. */
    async latest(limit: number) {
      return db
        .get()
        .select(publicColumns)
        .from(registerEntries)
        .where(published)
        .orderBy(desc(registerEntries.publishedAt), desc(registerEntries.id))
        .limit(limit);
    },

    /** Bodies and years with published entries, for the filters. */
    async facets() {
      const [bodies, years] = await Promise.all([
        db
          .get()
          .select({ slug: registerEntries.bodySlug, name: registerEntries.bodyName })
          .from(registerEntries)
          .where(and(published, sql`${registerEntries.bodySlug} is not null`))
          .groupBy(registerEntries.bodySlug, registerEntries.bodyName)
          .orderBy(asc(registerEntries.bodyName)),
        db
          .get()
          .selectDistinct({ year: registerEntries.year })
          .from(registerEntries)
          .where(published)
          .orderBy(desc(registerEntries.year)),
      ]);
      return { bodies: bodies.filter((b): b is { slug: string; name: string } => b.slug !== null), years };
    },

    /** Covenant commitments, for the commitment filter. */
    async commitments() {
      return db
        .get()
        .select({ code: covenantCommitments.code, text: covenantCommitments.text })
        .from(covenantCommitments)
        .where(isNull(covenantCommitments.subCovenantId))
        .orderBy(asc(covenantCommitments.position), asc(covenantCommitments.code));
    },

    /**
     * Counts of every reported problem that has ended (published or not, but not duplicates), by body, by
     * commitment and by outcome, optionally for one year. Suppressed by the service before anyone sees them.
     */
    async endedCaseCounts(year?: number) {
      const conditions: SQL[] = [
        eq(cases.kind, 'problem'),
        inArray(cases.state, [...endedStates]),
        or(isNull(cases.outcome), sql`${cases.outcome} <> 'duplicate'`)!,
      ];
      if (year)
        conditions.push(sql`extract(year from ${cases.closedAt} at time zone 'Europe/London') = ${year}`);
      const where = and(...conditions);
      const [byBody, byCommitment, byOutcome, [total]] = await Promise.all([
        db
          .get()
          .select({
            key: sql<string>`coalesce(${organisations.slug}, '')`,
            label: sql<string>`coalesce(${organisations.name}, '')`,
            count: sql<number>`count(*)::int`,
          })
          .from(cases)
          .leftJoin(organisations, eq(organisations.id, cases.bodyId))
          .where(where)
          .groupBy(organisations.slug, organisations.name)
          .orderBy(asc(sql`coalesce(${organisations.name}, '')`)),
        db
          .get()
          .select({
            key: covenantCommitments.code,
            label: covenantCommitments.text,
            count: sql<number>`count(distinct ${cases.id})::int`,
          })
          .from(cases)
          .innerJoin(caseCommitments, eq(caseCommitments.caseId, cases.id))
          .innerJoin(covenantCommitments, eq(covenantCommitments.id, caseCommitments.commitmentId))
          .where(where)
          .groupBy(covenantCommitments.code, covenantCommitments.text, covenantCommitments.position)
          .orderBy(asc(covenantCommitments.position), asc(covenantCommitments.code)),
        db
          .get()
          .select({ key: sql<string>`coalesce(${cases.outcome}, '')`, count: sql<number>`count(*)::int` })
          .from(cases)
          .where(where)
          .groupBy(cases.outcome),
        db
          .get()
          .select({ count: sql<number>`count(*)::int` })
          .from(cases)
          .where(where),
      ]);
      return { byBody, byCommitment, byOutcome, total: total?.count ?? 0 };
    },
  };
}

export type RegisterRepository = ReturnType<typeof createRegisterRepository>;
