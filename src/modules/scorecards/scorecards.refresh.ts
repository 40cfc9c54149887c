/**
 * Keeping the scorecards' precomputed facts fresh (the design is in scorecards.tables.ts):
 *
 * - `refresh()`: the incremental step. Reads timeline events after the watermark (every state change of a
 *   case writes one, so anything that can move a case's facts does), plus cases whose pending deadline has
 *   now passed (found through the partial indexes), recomputes those cases' facts and adds the difference
 *   between old and new to the counters. The watermark moves in the same transaction, which also holds the
 *   watermark row's lock, so two refreshes never count a change twice. Run by the job every minute, and by
 *   a scorecard read that finds the facts behind (read-after-change in this process).
 * - `rebuild()`: recomputes everything from the cases (`covenant scorecards rebuild`: after a bulk load, as
 *   a repair). The watermark is taken before the cases are read, so a change during the rebuild is applied
 *   again by the next refresh (recomputing a case is idempotent).
 */
import type { Clock } from '../../platform/clock.ts';
import type { Database } from '../../platform/db/database.ts';
import type { BankHolidayCalendar } from '../../platform/calendar/bank-holidays.ts';
import { toUkIsoDate } from '../../platform/calendar/iso-date.ts';
import type { Nation } from '../../platform/calendar/nations.ts';
import { caseFactsOf, contributionOf, dueOn, type CaseFacts, type FactsCase } from './scorecards.facts.ts';
import type { CounterRow, ScorecardsRepository } from './scorecards.repository.ts';

export const SCORECARDS_REFRESH_TASK = 'scorecards-refresh';

export interface RefreshResult {
  cases: number;
  watermark: number;
}

export function createScorecardsRefresh(deps: {
  db: Database;
  clock: Clock;
  calendar: BankHolidayCalendar;
  repo: ScorecardsRepository;
}) {
  const { db, clock, calendar, repo } = deps;
  const today = () => toUkIsoDate(clock.now());

  async function computeFacts(rows: readonly FactsCase[]): Promise<CaseFacts[]> {
    const inputs = await repo.inputsOf(rows.map((r) => r.id));
    const day = today();
    return rows.map((row) =>
      caseFactsOf({
        calendar,
        row,
        events: inputs.events.get(row.id) ?? [],
        commitmentIds: inputs.commitments.get(row.id) ?? [],
        panelOutcome: inputs.panel.get(row.id) ?? null,
        today: day,
      }),
    );
  }

  /** Recomputes these cases' facts and moves their counters by the difference (inside a transaction). */
  async function recompute(caseIds: readonly string[]) {
    if (caseIds.length === 0) return;
    const old = new Map((await repo.factsOf(caseIds)).map((f) => [f.caseId, f]));
    const fresh = await computeFacts(await repo.casesByIds(caseIds));
    const deltas = new Map<string, CounterRow>();
    const add = (f: CaseFacts, sign: 1 | -1) => {
      const c = contributionOf(f);
      const scopes: [CounterRow['scope'], string][] = f.commitmentIds.map((id) => ['commitment', id]);
      if (f.bodyId) scopes.push(['body', f.bodyId]);
      for (const [scope, scopeId] of scopes) {
        const key = `${scope}|${scopeId}|${f.year}`;
        const row = deltas.get(key) ?? {
          scope,
          scopeId,
          year: f.year,
          cases: 0,
          acknowledgedOnTime: 0,
          acknowledgeDecided: 0,
          answeredOnTime: 0,
          answerDecided: 0,
          upheld: 0,
          outcomesDecided: 0,
          escalated: 0,
        };
        for (const k of Object.keys(c) as (keyof typeof c)[]) row[k] += sign * c[k];
        deltas.set(key, row);
      }
    };
    for (const f of old.values()) add(f, -1);
    for (const f of fresh) add(f, 1);
    const changed = [...deltas.values()].filter(
      (d) =>
        d.cases ||
        d.acknowledgedOnTime ||
        d.acknowledgeDecided ||
        d.answeredOnTime ||
        d.answerDecided ||
        d.upheld ||
        d.outcomesDecided ||
        d.escalated,
    );
    await repo.upsertFacts(fresh, clock.now());
    await repo.addToCounters(changed);
  }

  /** One bounded step: up to `batch` events after the watermark and `batch` newly past deadlines. */
  async function step(batch: number): Promise<RefreshResult> {
    return db.transaction(async () => {
      const watermark = await repo.lockWatermark();
      const events = await repo.eventsAfter(watermark, batch);
      const due = await repo.pendingPastDue(today(), batch);
      const ids = [...new Set([...events.caseIds, ...due])];
      await recompute(ids);
      if (events.lastId !== watermark) await repo.setWatermark(events.lastId);
      return { cases: ids.length, watermark: events.lastId };
    });
  }

  return {
    recompute: (caseIds: readonly string[]) => db.transaction(() => recompute(caseIds)),

    /**
     * Brings the facts up to date: steps of `batch` until nothing is left, or one step with `once` (the
     * read path, which must stay quick; the job does the rest). Returns the cases recomputed.
     */
    async refresh(options: { batch?: number; once?: boolean } = {}): Promise<RefreshResult> {
      const batch = options.batch ?? 1000;
      let total = 0;
      for (;;) {
        const r = await step(batch);
        total += r.cases;
        if (options.once || r.cases === 0) return { cases: total, watermark: r.watermark };
      }
    },

    /** True when a read should refresh first: new timeline events, or a pending deadline now past. */
    async isStale(): Promise<boolean> {
      const s = await repo.staleness(today());
      return s.behind || s.due;
    },

    /** Recomputes every case's facts and every counter from scratch, in one transaction. */
    async rebuild(options: { batch?: number } = {}): Promise<RefreshResult> {
      const batch = options.batch ?? 2000;
      return db.transaction(async () => {
        await repo.lockWatermark();
        const watermark = await repo.maxEventId();
        await repo.clearAll();
        // Bulk path: every case with a plain clock, in one statement, its due dates looked up by (nation,
        // start day, working days), each worked out once here by the calendar code.
        const complex = await repo.casesWithComplexClocks();
        const dues = (await repo.clockCombos()).map((c) => {
          const due = dueOn(calendar, c.nation as Nation, [{ type: 'started', at: c.start }], c.days);
          return { ...c, due: due === 'unknown' ? null : due, unknown: due === 'unknown' };
        });
        await repo.insertBulkFacts(dues, complex, today(), clock.now());
        // The cases with pauses or restarts, one batch at a time through the same rules as the refresh.
        for (let i = 0; i < complex.length; i += batch) {
          const rows = await repo.casesByIds(complex.slice(i, i + batch));
          await repo.upsertFacts(await computeFacts(rows), clock.now());
        }
        await repo.countersFromFacts();
        await repo.setWatermark(watermark);
        return { cases: await repo.countCaseFacts(), watermark };
      });
    },
  };
}

export type ScorecardsRefresh = ReturnType<typeof createScorecardsRefresh>;
