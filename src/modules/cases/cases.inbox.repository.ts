/**
 * SQL for the body inbox: the cases one person may see (their own bodies', or every body's for the Covenant
 * team), filtered, sorted, paged and counted. The service decides who sees which bodies and what today's
 * deadline thresholds are; this file only turns those into queries. Every query asks `db.get()` as it
 * runs, so it joins the caller's transaction when there is one.
 */
import { and, asc, count, desc, eq, ilike, inArray, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../../platform/db/database.ts';
import { users } from '../accounts/accounts.tables.ts';
import { organisations } from '../directory/directory.tables.ts';
import type { InboxFilters } from './cases.schema.ts';
import { caseCommitments, cases } from './cases.tables.ts';

export interface InboxQuery {
  /** The bodies whose cases the person sees; null for every body (administrators). */
  bodies: string[] | null;
  /** The person, for "assigned to me". */
  userId: string;
  filters: Partial<InboxFilters>;
  /** The deadline filter as a condition on the stored due dates (cases.clock.ts), when one is chosen. */
  deadline?: SQL;
  /**
   * How a word search finds its matches. `words` (the default): the words' index, cases_search_idx, and
   * PostgreSQL's choice of plan. `body`: cases_body_search_idx, where every case's words sit next to a
   * lexeme naming its body, so the index itself intersects "this body" with the words and reads no more
   * than the rarer of the two (about the body's size at most). Far faster when the body has few cases or
   * the words are common across all bodies; used when the bodies are known (see `textSearchUses`).
   */
  textIndex?: 'words' | 'body';
}

/** The lexeme that marks a case's body in cases_body_search_idx ('none' for a case in triage). */
export function bodyLexeme(bodyId: string | null): string {
  return `b${(bodyId ?? 'none').replace(/-/g, '')}`;
}

/** cases_body_search_idx's expression (migrations/0030_inbox_body_search_index.sql), written the same way. */
const bodySearchVector = sql`(${cases.search} || array_to_tsvector(array['b' || coalesce(replace(${cases.bodyId}::text, '-', ''), 'none')]))`;

/** The bodies a query is limited to, when they are known (a body filter, or the person's own bodies). */
function knownBodies({ bodies, filters }: InboxQuery): string[] | null {
  if (filters.body) return [filters.body];
  return bodies && bodies.length ? bodies : null;
}

/** Whether a search is words only (no digit: a digit also searches references, which no index serves). */
export function isWordSearch(q: string | undefined): q is string {
  return Boolean(q) && !/\d/.test(q!);
}

/** The text index a word search should use: the body-marked one whenever the bodies are known. */
export function textSearchUses(query: InboxQuery): 'words' | 'body' {
  return isWordSearch(query.filters.q) && knownBodies(query) ? 'body' : 'words';
}

const inboxColumns = {
  id: cases.id,
  reference: cases.reference,
  title: cases.title,
  kind: cases.kind,
  state: cases.state,
  outcome: cases.outcome,
  confidentiality: cases.confidentiality,
  category: cases.category,
  bodyId: cases.bodyId,
  bodyName: organisations.name,
  clockNation: cases.clockNation,
  assigneeUserId: cases.assigneeUserId,
  assigneeName: users.displayName,
  submittedAt: cases.submittedAt,
  acknowledgedAt: cases.acknowledgedAt,
  respondedAt: cases.respondedAt,
  closedAt: cases.closedAt,
  acknowledgeWithinDays: cases.acknowledgeWithinDays,
  respondWithinDays: cases.respondWithinDays,
};

function conditions(query: InboxQuery): SQL | undefined {
  const { bodies, userId, filters, deadline } = query;
  const where: SQL[] = [];
  if (bodies !== null) where.push(bodies.length ? inArray(cases.bodyId, bodies) : sql`false`);
  if (filters.body) where.push(eq(cases.bodyId, filters.body));
  if (filters.state) where.push(eq(cases.state, filters.state));
  if (filters.category) where.push(eq(cases.category, filters.category));
  if (filters.assignee === 'me') where.push(eq(cases.assigneeUserId, userId));
  else if (filters.assignee === 'unassigned') where.push(isNull(cases.assigneeUserId));
  else if (filters.assignee) where.push(eq(cases.assigneeUserId, filters.assignee));
  if (filters.commitment) {
    where.push(
      sql`exists (select 1 from ${caseCommitments} where ${caseCommitments.caseId} = ${cases.id} and ${caseCommitments.commitmentId} = ${filters.commitment})`,
    );
  }
  // Stored due dates compared with today (never a stored status): SQL, indexed, no cap.
  if (deadline) where.push(deadline);
  const inBodies = knownBodies(query);
  if (isWordSearch(filters.q) && query.textIndex === 'body' && inBodies) {
    const q = filters.q;
    const marks = inBodies.map((id) => `'${bodyLexeme(id)}'`).join(' | ');
    where.push(sql`${bodySearchVector} @@ (websearch_to_tsquery('english', ${q}) && (${marks})::tsquery)`);
    // Words that are all stop words ("the") make an empty query, which on its own would match every case
    // of the body: match none, as the words' index does. A constant, checked once per query.
    where.push(sql`numnode(websearch_to_tsquery('english', ${q})) > 0`);
  } else if (filters.q) {
    const q = filters.q;
    const words = sql`${cases.search} @@ websearch_to_tsquery('english', ${q})`;
    // Part of a reference ("000123") only when the search has a digit: for words alone, the OR would stop
    // PostgreSQL combining the text index with the body's index.
    where.push(/\d/.test(q) ? or(ilike(cases.reference, `%${q.replace(/[%_\\]/g, '')}%`), words)! : words);
  }
  return and(...where);
}

export function createInboxRepository(db: Database) {
  return {
    /** The matching cases in the chosen order: one page, or all of them (the CSV download). */
    list(query: InboxQuery, page?: { limit: number; offset: number }) {
      const sort = query.filters.sort;
      const order =
        sort === 'oldest'
          ? [asc(cases.submittedAt), asc(cases.id)]
          : sort === 'reference'
            ? [asc(cases.reference)]
            : [desc(cases.submittedAt), desc(cases.id)];
      const rows = db
        .get()
        .select(inboxColumns)
        .from(cases)
        .leftJoin(organisations, eq(organisations.id, cases.bodyId))
        .leftJoin(users, eq(users.id, cases.assigneeUserId))
        .where(conditions(query))
        .orderBy(...order);
      return page ? rows.limit(page.limit).offset(page.offset) : rows;
    },

    /** How many cases match, counting no further than `upTo` when it is given. */
    async count(query: InboxQuery, upTo?: number): Promise<number> {
      const where = conditions(query);
      const [row] =
        upTo === undefined
          ? await db.get().select({ n: count() }).from(cases).where(where)
          : await db
              .get()
              .select({ n: count() })
              .from(
                db
                  .get()
                  .select({ one: sql`1` })
                  .from(cases)
                  .where(where)
                  .limit(upTo)
                  .as('matched'),
              );
      return row?.n ?? 0;
    },
  };
}

export type InboxRepository = ReturnType<typeof createInboxRepository>;
