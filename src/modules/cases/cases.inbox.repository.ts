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

function conditions({ bodies, userId, filters, deadline }: InboxQuery): SQL | undefined {
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
  if (filters.q) {
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
