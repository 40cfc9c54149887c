/**
 * SQL of the scorecards: loading what a case's facts are worked out from, storing facts and counters, and
 * the read path, which touches only precomputed rows by their keys (`scorecard_facts` by its primary key,
 * the pending-deadline partial indexes, the `case_events` primary key). Every function uses the executor of
 * the moment, so inside `db.transaction` it runs in the transaction.
 */
import { sql } from 'drizzle-orm';
import { rowsOf, type Database } from '../../platform/db/database.ts';
import type { ClockEvent } from '../../platform/calendar/clock.ts';
import type { CaseFacts, FactsCase } from './scorecards.facts.ts';
import type { Counters } from './scorecards.rules.ts';
import type { ScorecardScope } from './scorecards.tables.ts';

/** The `scorecard_state` key of the `case_events` id up to which facts are current. */
export const WATERMARK_KEY = 'case_events';

export type CounterRow = { scope: ScorecardScope; scopeId: string; year: number } & Counters;

const counterColumns = sql.raw(`cases::int as "cases", acknowledged_on_time::int as "acknowledgedOnTime",
  acknowledge_decided::int as "acknowledgeDecided", answered_on_time::int as "answeredOnTime",
  answer_decided::int as "answerDecided", upheld::int as "upheld", outcomes_decided::int as "outcomesDecided",
  escalated::int as "escalated"`);

const sumColumns = sql.raw(`coalesce(sum(f.cases), 0)::int as "cases",
  coalesce(sum(f.acknowledged_on_time), 0)::int as "acknowledgedOnTime",
  coalesce(sum(f.acknowledge_decided), 0)::int as "acknowledgeDecided",
  coalesce(sum(f.answered_on_time), 0)::int as "answeredOnTime",
  coalesce(sum(f.answer_decided), 0)::int as "answerDecided", coalesce(sum(f.upheld), 0)::int as "upheld",
  coalesce(sum(f.outcomes_decided), 0)::int as "outcomesDecided",
  coalesce(sum(f.escalated), 0)::int as "escalated"`);

export interface ScorecardBody {
  id: string;
  slug: string;
  name: string;
  kind: string;
  type: string | null;
}

export function createScorecardsRepository(db: Database) {
  const run = async <T>(query: ReturnType<typeof sql>) => rowsOf<T>(await db.get().execute(query));

  return {
    // ── Inputs of the facts ───────────────────────────────────────────────────────────────────────────

    /** Cases by id, with what their facts need. */
    async casesByIds(ids: readonly string[]): Promise<FactsCase[]> {
      if (ids.length === 0) return [];
      return await run<FactsCase>(sql`select id, kind, state, outcome, body_id as "bodyId",
          ${factsColumns}
          from cases where id = any(${uuidArray(ids)})`);
    },

    /** Clock events, commitments and adopted panel outcomes of these cases. */
    async inputsOf(ids: readonly string[]) {
      const events = new Map<string, ClockEvent[]>();
      const commitments = new Map<string, string[]>();
      const panel = new Map<string, 'upheld' | 'partly_upheld' | 'not_upheld'>();
      if (ids.length === 0) return { events, commitments, panel };
      const idArray = sql`${uuidArray(ids)}`;
      // One after another: inside a transaction they share one connection.
      const eventRows = await run<{
        caseId: string;
        type: ClockEvent['type'];
        at: string;
        reason: string | null;
      }>(
        sql`select case_id as "caseId", type, occurred_on::text as "at", reason from case_clock_events
            where case_id = any(${idArray}) order by case_id, id`,
      );
      const commitmentRows = await run<{ caseId: string; commitmentId: string }>(
        sql`select case_id as "caseId", commitment_id as "commitmentId" from case_commitments
            where case_id = any(${idArray})`,
      );
      const panelRows = await run<{ caseId: string; outcome: 'upheld' | 'partly_upheld' | 'not_upheld' }>(
        sql`select case_id as "caseId", outcome from panel_decisions
            where case_id = any(${idArray}) and status = 'adopted'`,
      );
      for (const e of eventRows) {
        const list = events.get(e.caseId) ?? [];
        list.push({ type: e.type, at: e.at, ...(e.reason ? { reason: e.reason } : {}) });
        events.set(e.caseId, list);
      }
      for (const c of commitmentRows)
        commitments.set(c.caseId, [...(commitments.get(c.caseId) ?? []), c.commitmentId]);
      for (const p of panelRows) panel.set(p.caseId, p.outcome);
      return { events, commitments, panel };
    },

    // ── Watermark and what changed ────────────────────────────────────────────────────────────────────

    /** Locks the watermark row for this transaction (refreshes run one at a time) and returns its value. */
    async lockWatermark(): Promise<number> {
      await run(sql`insert into scorecard_state (key, value, updated_at) values (${WATERMARK_KEY}, 0, now())
        on conflict (key) do nothing`);
      const [row] = await run<{ value: string | number }>(
        sql`select value from scorecard_state where key = ${WATERMARK_KEY} for update`,
      );
      return Number(row?.value ?? 0);
    },

    async setWatermark(value: number) {
      await run(
        sql`update scorecard_state set value = ${value}, updated_at = now() where key = ${WATERMARK_KEY}`,
      );
    },

    /** Timeline events after the watermark: the cases they touch and the last id read. */
    async eventsAfter(watermark: number, limit: number) {
      const rows = await run<{ id: string | number; caseId: string }>(
        sql`select id, case_id as "caseId" from case_events where id > ${watermark} order by id limit ${limit}`,
      );
      return {
        caseIds: [...new Set(rows.map((r) => r.caseId))],
        lastId: rows.length ? Number(rows.at(-1)!.id) : watermark,
      };
    },

    /** Cases with a pending deadline that is now past (each through its partial index). */
    async pendingPastDue(today: string, limit: number): Promise<string[]> {
      const rows = await run<{ caseId: string }>(sql`
        (select case_id as "caseId" from scorecard_case_facts
          where acknowledge = 'pending' and acknowledge_due < ${today}::date order by acknowledge_due limit ${limit})
        union
        (select case_id from scorecard_case_facts
          where respond = 'pending' and respond_due < ${today}::date order by respond_due limit ${limit})`);
      return rows.map((r) => r.caseId);
    },

    /** One query: are there timeline events after the watermark, or pending deadlines past today? */
    async staleness(today: string): Promise<{ behind: boolean; due: boolean }> {
      const [row] = await run<{ behind: boolean; due: boolean }>(sql`select
        coalesce((select max(id) from case_events), 0) >
          coalesce((select value from scorecard_state where key = ${WATERMARK_KEY}), 0) as behind,
        exists (select 1 from scorecard_case_facts where acknowledge = 'pending' and acknowledge_due < ${today}::date)
          or exists (select 1 from scorecard_case_facts where respond = 'pending' and respond_due < ${today}::date)
          as due`);
      return { behind: Boolean(row?.behind), due: Boolean(row?.due) };
    },

    async maxEventId(): Promise<number> {
      const [row] = await run<{ id: string | number }>(
        sql`select coalesce(max(id), 0) as id from case_events`,
      );
      return Number(row?.id ?? 0);
    },

    // ── Storing facts and counters ────────────────────────────────────────────────────────────────────

    /** Stored facts of these cases, locked for the transaction. */
    async factsOf(ids: readonly string[]): Promise<CaseFacts[]> {
      if (ids.length === 0) return [];
      return run<CaseFacts>(sql`select case_id as "caseId", body_id as "bodyId", year,
        commitment_ids as "commitmentIds", acknowledge, acknowledge_due::text as "acknowledgeDue", respond,
        respond_due::text as "respondDue", upheld, escalated
        from scorecard_case_facts where case_id = any(${uuidArray(ids)}) for update`);
    },

    /** Inserts or replaces facts rows, many at once (one JSON parameter, so any number of rows). */
    async upsertFacts(rows: readonly CaseFacts[], refreshedAt: Date) {
      if (rows.length === 0) return;
      await run(sql`insert into scorecard_case_facts (case_id, body_id, year, commitment_ids, acknowledge,
          acknowledge_due, respond, respond_due, upheld, escalated, refreshed_at)
        select r."caseId", r."bodyId", r.year, r."commitmentIds", r.acknowledge, r."acknowledgeDue", r.respond,
          r."respondDue", r.upheld, r.escalated, ${refreshedAt.toISOString()}::timestamptz
        from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r("caseId" uuid, "bodyId" uuid, year int,
          "commitmentIds" uuid[], acknowledge text, "acknowledgeDue" date, respond text, "respondDue" date,
          upheld boolean, escalated boolean)
        on conflict (case_id) do update set body_id = excluded.body_id, year = excluded.year,
          commitment_ids = excluded.commitment_ids, acknowledge = excluded.acknowledge,
          acknowledge_due = excluded.acknowledge_due, respond = excluded.respond,
          respond_due = excluded.respond_due, upheld = excluded.upheld, escalated = excluded.escalated,
          refreshed_at = excluded.refreshed_at`);
    },

    /** Adds (possibly negative) differences to counters, creating rows as needed. */
    async addToCounters(rows: readonly CounterRow[]) {
      if (rows.length === 0) return;
      await run(sql`insert into scorecard_facts as f (scope, scope_id, year, cases, acknowledged_on_time,
          acknowledge_decided, answered_on_time, answer_decided, upheld, outcomes_decided, escalated)
        select r.scope, r."scopeId", r.year, r.cases, r."acknowledgedOnTime", r."acknowledgeDecided",
          r."answeredOnTime", r."answerDecided", r.upheld, r."outcomesDecided", r.escalated
        from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(scope text, "scopeId" uuid, year int,
          cases int, "acknowledgedOnTime" int, "acknowledgeDecided" int, "answeredOnTime" int,
          "answerDecided" int, upheld int, "outcomesDecided" int, escalated int)
        on conflict (scope, scope_id, year) do update set cases = f.cases + excluded.cases,
          acknowledged_on_time = f.acknowledged_on_time + excluded.acknowledged_on_time,
          acknowledge_decided = f.acknowledge_decided + excluded.acknowledge_decided,
          answered_on_time = f.answered_on_time + excluded.answered_on_time,
          answer_decided = f.answer_decided + excluded.answer_decided, upheld = f.upheld + excluded.upheld,
          outcomes_decided = f.outcomes_decided + excluded.outcomes_decided,
          escalated = f.escalated + excluded.escalated`);
      // A body or commitment whose last case moved away keeps no empty row.
      await run(sql`delete from scorecard_facts where cases = 0`);
    },

    // ── The full rebuild's bulk path ──────────────────────────────────────────────────────────────────

    /**
     * Cases whose clock is more than a plain start (a pause, or a restart): the rebuild works these out
     * one by one in TypeScript. Every other case's deadlines depend only on (nation, start day, working
     * days), which the bulk path looks up.
     */
    async casesWithComplexClocks(): Promise<string[]> {
      const rows = await run<{ caseId: string }>(sql`select case_id as "caseId" from case_clock_events
        group by case_id having count(*) filter (where type <> 'started') > 0
          or count(*) filter (where type = 'started') > 1`);
      return rows.map((r) => r.caseId);
    },

    /** The distinct (nation, start day, working days) of the other cases a body has held. */
    clockCombos() {
      return run<{ nation: string; start: string; days: number }>(sql`with starts as (
          select c.clock_nation, coalesce(e.occurred_on, (c.submitted_at at time zone 'Europe/London')::date) as start,
            c.acknowledge_within_days as ack, c.respond_within_days as respond
          from cases c left join case_clock_events e on e.case_id = c.id and e.type = 'started'
          where c.body_id is not null and c.state not in ('submitted', 'needs_information'))
        select clock_nation as nation, start::text as start, ack as days from starts
        union select clock_nation, start::text, respond from starts`);
    },

    /**
     * Inserts the facts of every case except `complexIds` in one statement, with the due dates looked up
     * in `dues`. The CASE expressions are those of `deadlineOutcome` and `upheldOf` (scorecards.facts.ts);
     * the rebuild test checks the two paths agree.
     */
    async insertBulkFacts(
      dues: readonly { nation: string; start: string; days: number; due: string | null; unknown: boolean }[],
      complexIds: readonly string[],
      today: string,
      refreshedAt: Date,
    ) {
      const outcome = (met: string, d: string) => `case
          when not held then 'none'
          when ${d}.unknown then case when ${met} is not null or not with_body then 'none' else 'pending' end
          when ${met} is not null then case when ${met} <= ${d}.due then 'on_time' else 'late' end
          when ${d}.due < case when with_body then today else left_on end then 'late'
          when with_body then 'pending' else 'none' end`;
      const dueOf = (d: string) => `case when held and not ${d}.unknown then ${d}.due end`;
      await run(sql`with dues as materialized (
          select * from jsonb_to_recordset(${JSON.stringify(dues)}::jsonb)
            as d(nation text, start date, days int, due date, unknown boolean)),
        base as (
          select c.id, c.body_id, c.kind, c.outcome, c.clock_nation, c.acknowledge_within_days,
            c.respond_within_days, ${today}::date as today,
            extract(year from c.submitted_at at time zone 'Europe/London')::int as year,
            c.body_id is not null and c.state not in ('submitted', 'needs_information') as held,
            c.state = 'with_body' as with_body,
            (coalesce(c.escalated_at, c.closed_at) at time zone 'Europe/London')::date as left_on,
            (coalesce(c.acknowledged_at, c.responded_at) at time zone 'Europe/London')::date as ack_on,
            (c.responded_at at time zone 'Europe/London')::date as respond_on,
            c.escalated_at is not null as escalated,
            coalesce(e.occurred_on, (c.submitted_at at time zone 'Europe/London')::date) as start
          from cases c left join case_clock_events e on e.case_id = c.id and e.type = 'started'
          where not (c.id = any(${uuidArray(complexIds)})))
        insert into scorecard_case_facts (case_id, body_id, year, commitment_ids, acknowledge, acknowledge_due,
          respond, respond_due, upheld, escalated, refreshed_at)
        select b.id, b.body_id, b.year,
          coalesce((select array_agg(cc.commitment_id order by cc.commitment_id) from case_commitments cc
            where cc.case_id = b.id), '{}'),
          ${sql.raw(outcome('b.ack_on', 'a'))}, ${sql.raw(dueOf('a'))},
          ${sql.raw(outcome('b.respond_on', 'r'))}, ${sql.raw(dueOf('r'))},
          case when b.kind <> 'problem' then null
            when p.outcome is not null then p.outcome <> 'not_upheld'
            when b.outcome in ('resolved', 'partly_resolved') then true
            when b.outcome = 'not_upheld' then false end,
          b.escalated, ${refreshedAt.toISOString()}::timestamptz
        from base b
        left join dues a on a.nation = b.clock_nation and a.start = b.start and a.days = b.acknowledge_within_days
        left join dues r on r.nation = b.clock_nation and r.start = b.start and r.days = b.respond_within_days
        left join panel_decisions p on p.case_id = b.id and p.status = 'adopted'`);
    },

    async countCaseFacts(): Promise<number> {
      const [row] = await run<{ n: number }>(sql`select count(*)::int as n from scorecard_case_facts`);
      return row?.n ?? 0;
    },

    /** Empties facts and counters (the first step of a full rebuild, inside its transaction). */
    async clearAll() {
      await run(sql`delete from scorecard_facts`);
      await run(sql`delete from scorecard_case_facts`);
    },

    /** Recomputes every counter from the case facts, in SQL (the last step of a full rebuild). */
    async countersFromFacts() {
      const counts = sql.raw(`count(*), count(*) filter (where acknowledge = 'on_time'),
        count(*) filter (where acknowledge in ('on_time', 'late')), count(*) filter (where respond = 'on_time'),
        count(*) filter (where respond in ('on_time', 'late')), count(*) filter (where upheld),
        count(*) filter (where upheld is not null), count(*) filter (where escalated)`);
      const into = sql.raw(`insert into scorecard_facts (scope, scope_id, year, cases, acknowledged_on_time,
        acknowledge_decided, answered_on_time, answer_decided, upheld, outcomes_decided, escalated)`);
      await run(sql`${into} select 'body', body_id, year, ${counts} from scorecard_case_facts
        where body_id is not null group by body_id, year`);
      await run(sql`${into} select 'commitment', c, year, ${counts} from scorecard_case_facts,
        unnest(commitment_ids) c group by c, year`);
    },

    // ── The read path ─────────────────────────────────────────────────────────────────────────────────

    async bodyBySlug(slug: string): Promise<ScorecardBody | null> {
      const [row] = await run<ScorecardBody>(sql`select id, slug, name, kind, public_body_type as "type"
        from organisations where slug = ${slug}`);
      return row ?? null;
    },

    /** Counters of one body or commitment, by year (primary-key range scan). */
    countersOf(scope: ScorecardScope, scopeId: string) {
      return run<{ year: number } & Counters>(sql`select year, ${counterColumns} from scorecard_facts
        where scope = ${scope} and scope_id = ${scopeId} order by year`);
    },

    /** Every body of one type with cases in the year (or all years), with its summed counters. */
    leagueCounters(type: string, year: number | null) {
      return run<
        ScorecardBody & Counters
      >(sql`select o.id, o.slug, o.name, o.kind, o.public_body_type as "type",
          ${sumColumns}
        from scorecard_facts f join organisations o on o.id = f.scope_id
        where f.scope = 'body' and o.kind = 'public_body' and o.public_body_type = ${type}
          ${year === null ? sql`` : sql`and f.year = ${year}`}
        group by o.id order by o.name`);
    },

    /** The body types that have cases, and the years any body has cases in. */
    async leagueChoices() {
      const [types, years] = await Promise.all([
        run<{ type: string; bodies: number }>(sql`select o.public_body_type as "type",
            count(distinct o.id)::int as bodies
          from scorecard_facts f join organisations o on o.id = f.scope_id
          where f.scope = 'body' and o.public_body_type is not null group by 1 order by 1`),
        run<{ year: number }>(
          sql`select distinct year from scorecard_facts where scope = 'body' order by year`,
        ),
      ]);
      return { types, years: years.map((y) => y.year) };
    },

    /** Top-level Covenant commitments (not sub-covenants'), in the Covenant's order. */
    commitments() {
      return run<{ id: string; code: string; text: string }>(sql`select id, code, text
        from covenant_commitments where sub_covenant_id is null order by position, code`);
    },

    async commitmentByCode(code: string) {
      const [row] = await run<{ id: string; code: string; text: string }>(sql`select id, code, text
        from covenant_commitments where sub_covenant_id is null and code = ${code}`);
      return row ?? null;
    },
  };
}

/** A case's columns as the facts take them, its moments as UK calendar dates. */
const ukDate = (column: string) => `(${column} at time zone 'Europe/London')::date::text`;
const factsColumns = sql.raw(`clock_nation as "clockNation", ${ukDate('submitted_at')} as "submittedOn",
  ${ukDate('acknowledged_at')} as "acknowledgedOn", ${ukDate('responded_at')} as "respondedOn",
  ${ukDate('escalated_at')} as "escalatedOn", ${ukDate('closed_at')} as "closedOn",
  acknowledge_within_days as "acknowledgeWithinDays", respond_within_days as "respondWithinDays"`);

/** A uuid[] parameter the same way on node-postgres and PGlite: one comma-separated text parameter. */
const uuidArray = (ids: readonly string[]) => sql`string_to_array(${ids.join(',')}, ',')::uuid[]`;

export type ScorecardsRepository = ReturnType<typeof createScorecardsRepository>;
