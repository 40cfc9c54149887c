/**
 * Writing submitted reports: every case a report creates is written in one transaction with its reference,
 * escrowed identity, commitments, evidence, timeline, clock start, draft, audit row and acknowledgement
 * email. Reports submitted at the same moment share that transaction (group commit).
 *
 * Why: the CH-YYYY-NNNNNN counter is gapless (a rolled-back submission leaves no gap), so its row is locked
 * until the submitting transaction commits and submissions queue behind one another's commits. Writing the
 * reports that arrive while one transaction is committing together in the next one (multi-row inserts,
 * one counter step, one commit) keeps the numbering gapless and every rule in place — the case, its
 * identity, audit row and email still commit together or not at all — at hundreds of submissions a second.
 * Nothing waits to fill a batch: the first report is written at once and a batch is simply whatever queued
 * while the previous transaction ran. What a case needs from the database that is the same kind of read
 * for every report (whether the body is known, the commitments, routing rules and staff, working days) is
 * read once per batch, in the writing transaction (`prepare`), not once per request.
 *
 * When a batch fails (a double-clicked submit whose twin is in the same batch trips the unique submission
 * key, a body deleted in between), each of its reports is written again on its own, so one bad report never
 * costs the others theirs; the failing one's caller sees its own error.
 */
import { sql } from 'drizzle-orm';
import type { Actor, AuditEvent, AuditLog } from '../../platform/audit/audit.ts';
import type { Database } from '../../platform/db/database.ts';
import { insertRows } from '../../platform/db/insert-rows.ts';
import type { Outbox, QueueEmail } from '../../platform/email/outbox.ts';
import type { CaseIdentity, ReporterIdentity } from './cases.identity.ts';
import { formatCaseReference } from './cases.reference.ts';
import type { Uploads } from './cases.uploads.ts';
import {
  caseClockEvents,
  caseCommitments,
  caseEvents,
  caseReferenceCounters,
  cases,
  reportDrafts,
} from './cases.tables.ts';

/** Everything about one new case except its reference, which the writer takes from the year's counter. */
export interface PreparedSubmission {
  /** The UK calendar year the reference is numbered in. */
  year: number;
  caseRow: Omit<typeof cases.$inferInsert, 'reference'> & { id: string; idempotencyKey: string };
  identity: ReporterIdentity;
  commitmentIds: string[];
  draftId: string;
  /** The `started` clock event's date when the case reaches a body at once. */
  clockStartedOn: string | null;
  /** The timeline, audit row and email, once the reference and the number of evidence files are known. */
  finish(
    reference: string,
    files: number,
  ): {
    events: Omit<typeof caseEvents.$inferInsert, 'caseId'>[];
    audit: { actor: Actor; event: AuditEvent };
    email: QueueEmail | null;
  };
}

/** What a submitting request hands the writer: its own checks are done, the case is not worked out yet. */
export interface SubmissionRequest {
  /** The draft's one-time submission key (the case's idempotency key). */
  submissionKey: string;
}

export interface SubmissionWriter<R extends SubmissionRequest> {
  /** Writes the case (with others submitted at the same moment); resolves with its reference. */
  write(request: R): Promise<string>;
}

const MAX_BATCH = 200;

export function createSubmissionWriter<R extends SubmissionRequest>(deps: {
  db: Database;
  audit: AuditLog;
  outbox: Outbox;
  identity: CaseIdentity;
  uploads: Uploads;
  /**
   * Works out the batch's cases (whether each body is known, the commitments, routing, working days), in
   * the writing transaction: what is the same for every report in a batch is read once for all of them.
   */
  prepare(requests: readonly R[]): Promise<PreparedSubmission[]>;
}): SubmissionWriter<R> {
  const { db } = deps;
  // The pool itself: `db.get()` returns anything else only inside an open transaction.
  const root = db.get();

  interface Waiting {
    request: R;
    resolve: (reference: string) => void;
    reject: (error: unknown) => void;
  }
  let queue: Waiting[] = [];
  let draining = false;
  /** The same submission key twice at once (a double click): one write, both callers get its reference. */
  const pending = new Map<string, Promise<string>>();

  async function writeBatch(requests: readonly R[]): Promise<string[]> {
    return db.transaction(async () => {
      const batch = await deps.prepare(requests);
      const references = new Array<string>(batch.length);
      // One counter step per year in the batch (a batch spans two years only at midnight on 31 December).
      for (const year of [...new Set(batch.map((p) => p.year))]) {
        const indexes = batch.flatMap((p, i) => (p.year === year ? [i] : []));
        const [row] = await db
          .get()
          .insert(caseReferenceCounters)
          .values({ year, last: indexes.length })
          .onConflictDoUpdate({
            target: caseReferenceCounters.year,
            set: { last: sql`${caseReferenceCounters.last} + ${indexes.length}` },
          })
          .returning({ last: caseReferenceCounters.last });
        const first = row!.last - indexes.length + 1;
        indexes.forEach((i, n) => (references[i] = formatCaseReference(year, first + n)));
      }
      await insertRows(
        db.get(),
        cases,
        batch.map((p, i) => ({ ...p.caseRow, reference: references[i]! })),
      );
      await deps.identity.storeMany(batch.map((p) => ({ caseId: p.caseRow.id, ...p.identity })));
      const commitments = batch.flatMap((p) =>
        p.commitmentIds.map((commitmentId) => ({
          caseId: p.caseRow.id,
          commitmentId,
          source: 'reporter' as const,
        })),
      );
      await insertRows(db.get(), caseCommitments, commitments);
      const files = await deps.uploads.attachDraftFilesToCases(
        batch.map((p) => ({ draftId: p.draftId, caseId: p.caseRow.id })),
      );
      const finished = batch.map((p, i) => p.finish(references[i]!, files.get(p.draftId) ?? 0));
      await insertRows(
        db.get(),
        caseEvents,
        batch.flatMap((p, i) => finished[i]!.events.map((e) => ({ ...e, caseId: p.caseRow.id }))),
      );
      const started = batch.filter((p) => p.clockStartedOn);
      await insertRows(
        db.get(),
        caseClockEvents,
        started.map((p) => ({ caseId: p.caseRow.id, type: 'started' as const, on: p.clockStartedOn! })),
      );
      // Each draft becomes submitted exactly once; a draft submitted meanwhile fails the batch.
      const drafts = await db.get().execute(sql`
        update ${reportDrafts} set submitted_case_id = v.case_id, resume_token_hash = null
        from unnest(${sql.param(batch.map((p) => p.draftId))}::uuid[], ${sql.param(batch.map((p) => p.caseRow.id))}::uuid[])
          as v(draft_id, case_id)
        where ${reportDrafts.id} = v.draft_id and ${reportDrafts.submittedCaseId} is null
        returning ${reportDrafts.id}`);
      if ((drafts as unknown as { rows: unknown[] }).rows.length !== batch.length)
        throw new Error('A draft was submitted twice');
      await deps.audit.recordMany(finished.map((f) => f.audit));
      await deps.outbox.queueMany(finished.flatMap((f) => (f.email ? [f.email] : [])));
      return references;
    });
  }

  async function drain() {
    draining = true;
    try {
      while (queue.length) {
        const batch = queue.slice(0, MAX_BATCH);
        queue = queue.slice(MAX_BATCH);
        try {
          const references = await writeBatch(batch.map((w) => w.request));
          batch.forEach((w, i) => w.resolve(references[i]!));
        } catch (error) {
          if (batch.length === 1) batch[0]!.reject(error);
          else {
            for (const w of batch) {
              await writeBatch([w.request]).then(([reference]) => w.resolve(reference!), w.reject);
            }
          }
        }
      }
    } finally {
      draining = false;
    }
  }

  return {
    write(request) {
      // Inside someone's transaction (a seed, a test): write there, so it commits or rolls back with it.
      if (db.get() !== root) return writeBatch([request]).then(([reference]) => reference!);
      const key = request.submissionKey;
      const twin = pending.get(key);
      if (twin) return twin;
      const promise = new Promise<string>((resolve, reject) => {
        queue.push({ request, resolve, reject });
        if (!draining) void drain();
      }).finally(() => pending.delete(key));
      pending.set(key, promise);
      return promise;
    },
  };
}
