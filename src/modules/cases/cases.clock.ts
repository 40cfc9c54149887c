/**
 * A case's deadlines (issue 4, item 4): due dates to acknowledge (5 working days by default) and to respond
 * (20), moved by pauses, in the working days of the case's nation; status on track / due soon / overdue /
 * long overdue.
 *
 * Stored and computed: the due DATES are stored on the case (`acknowledge_due_on`, `respond_due_on` and the
 * earlier of the two, `next_due_on`, indexed) and rewritten by {@link CaseClock.settle} in the same
 * transaction as anything that moves them, so the inbox can filter and count by deadline in SQL. The
 * STATUS (overdue, long overdue) is never stored: it is a fact of today's date, worked out when read, here
 * for a page and by {@link deadlineThresholds} for the inbox's SQL filters. Both use `deadlineStatus`, so
 * they cannot disagree.
 *
 * Working days per case are fixed when the case is routed ({@link CaseClock.daysFor}): the routing rule
 * chosen (when it sets days), else the body's rule for the category, else its rule for every category,
 * else the category's setting (administrators edit it at /admin/routing/deadlines), else 5 and 20.
 */
import { and, asc, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import type { Actor, AuditLog } from '../../platform/audit/audit.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Database } from '../../platform/db/database.ts';
import type { BankHolidayCalendar } from '../../platform/calendar/bank-holidays.ts';
import {
  computeDeadline,
  deadlineStatus,
  DEFAULT_DEADLINE_WORKING_DAYS,
  type ClockEvent,
  type DeadlineStatus,
} from '../../platform/calendar/clock.ts';
import { addCalendarDays, toUkIsoDate, type IsoDate } from '../../platform/calendar/iso-date.ts';
import { NATIONS, type Nation } from '../../platform/calendar/nations.ts';
import { subtractWorkingDays } from '../../platform/calendar/working-days.ts';
import {
  caseCategories,
  caseCategoryDeadlines,
  caseClockEvents,
  cases,
  routingRules,
  type CaseCategory,
} from './cases.tables.ts';
import type { CaseState } from './cases.lifecycle.ts';

export type DeadlineKind = 'acknowledge' | 'respond';

/** One deadline as pages, emails and the API show it. */
export interface DeadlineView {
  kind: DeadlineKind;
  workingDays: number;
  /** null while paused with days still to run: the date depends on the resume. */
  due: IsoDate | null;
  /** null once met (or while paused without a due date). */
  status: DeadlineStatus | null;
  workingDaysRemaining: number;
  workingDaysOverdue: number;
  /** The date it was met (acknowledged, responded), when it was. */
  metOn: IsoDate | null;
  paused: { since: IsoDate; reason: string | null; workingDaysLeft: number } | null;
  /** The bank-holiday list does not reach the date: say so rather than guess. */
  unknown: boolean;
}

export interface CaseDeadlines {
  acknowledge: DeadlineView | null;
  respond: DeadlineView | null;
  paused: { since: IsoDate; reason: string | null } | null;
  /** The worst status of the open deadlines, for the inbox tag and the filter. */
  status: DeadlineStatus | null;
}

/** The columns of a case the clock reads. */
export interface ClockCase {
  id: string;
  state: CaseState;
  bodyId: string | null;
  category: CaseCategory;
  clockNation: Nation;
  submittedAt: Date;
  acknowledgedAt: Date | null;
  respondedAt: Date | null;
  /** Working days fixed at routing. */
  acknowledgeWithinDays: number;
  respondWithinDays: number;
}

const severity: Record<DeadlineStatus, number> = { on_track: 0, due_soon: 1, overdue: 2, long_overdue: 3 };

export function worstStatus(statuses: (DeadlineStatus | null | undefined)[]): DeadlineStatus | null {
  let worst: DeadlineStatus | null = null;
  for (const s of statuses) if (s && (worst === null || severity[s] > severity[worst])) worst = s;
  return worst;
}

/**
 * Only the events since the last `started`: reopening a case starts a fresh clock (the old deadline has
 * been met or is history). A case with no `started` event (made before clocks existed) starts on the day
 * it was submitted.
 */
export function currentClockEvents(rows: readonly ClockEvent[], submittedOn: IsoDate): ClockEvent[] {
  const lastStart = rows.map((e) => e.type).lastIndexOf('started');
  if (lastStart < 0) return [{ type: 'started', at: submittedOn }, ...rows];
  return rows.slice(lastStart);
}

export function computeCaseDeadlines(input: {
  calendar: BankHolidayCalendar;
  caseRow: ClockCase;
  events: readonly ClockEvent[];
  /** null: the due dates only, no status (for storing them). */
  today: IsoDate | null;
  days?: { acknowledge: number; respond: number };
}): CaseDeadlines {
  const { calendar, caseRow, today } = input;
  const days = input.days ?? {
    acknowledge: caseRow.acknowledgeWithinDays,
    respond: caseRow.respondWithinDays,
  };
  const nation = caseRow.clockNation;
  const events = currentClockEvents(input.events, toUkIsoDate(caseRow.submittedAt));
  // The clock runs only while the case is with the body; other states show no deadline.
  if (caseRow.state !== 'with_body') {
    return { acknowledge: null, respond: null, paused: null, status: null };
  }
  const one = (kind: DeadlineKind, metAt: Date | null): DeadlineView => {
    const workingDays = days[kind];
    const metOn = metAt ? toUkIsoDate(metAt) : null;
    const view: DeadlineView = {
      kind,
      workingDays,
      due: null,
      status: null,
      workingDaysRemaining: 0,
      workingDaysOverdue: 0,
      metOn,
      paused: null,
      unknown: false,
    };
    try {
      const deadline = computeDeadline({ calendar, nation, events, workingDays });
      view.due = deadline.due;
      if (deadline.state === 'paused') {
        view.paused = {
          since: deadline.pausedSince,
          reason: deadline.pauseReason,
          workingDaysLeft: deadline.workingDaysLeft,
        };
      }
      if (
        today &&
        !metOn &&
        deadline.due &&
        (deadline.state === 'running' || deadline.due <= deadline.pausedSince)
      ) {
        const s = deadlineStatus({ due: deadline.due, today, calendar, nation });
        view.status = s.status;
        view.workingDaysRemaining = s.workingDaysRemaining;
        view.workingDaysOverdue = s.workingDaysOverdue;
      }
    } catch (error) {
      // A date beyond the bank-holiday list: shown as "not known" instead of a wrong date.
      if ((error as Error).name !== 'DateBeyondKnownHolidaysError') throw error;
      view.unknown = true;
    }
    return view;
  };
  const acknowledge = one('acknowledge', caseRow.acknowledgedAt);
  const respond = one('respond', null);
  const paused = respond.paused ?? acknowledge.paused;
  return {
    acknowledge,
    respond,
    paused: paused ? { since: paused.since, reason: paused.reason } : null,
    status: worstStatus([acknowledge.status, respond.status]),
  };
}

/**
 * The due dates to store for a case: a deadline's date while it counts (not met, running, or paused after it
 * was already due), else null. The same condition decides whether {@link computeCaseDeadlines} gives a
 * status, so a stored date is exactly a deadline that has a status today.
 */
export function dueDatesOf(d: CaseDeadlines): {
  acknowledgeDueOn: IsoDate | null;
  respondDueOn: IsoDate | null;
} {
  const counting = (v: DeadlineView | null) =>
    v && !v.metOn && !v.unknown && v.due && (!v.paused || v.due <= v.paused.since) ? v.due : null;
  return { acknowledgeDueOn: counting(d.acknowledge), respondDueOn: counting(d.respond) };
}

/**
 * For one nation and today: the last due date that is long overdue, and the last one that is due soon.
 * A due date d has status long_overdue when d <= longOverdueOnOrBefore, overdue when it is after that and
 * before today, due_soon from today to dueSoonUntil, and on_track after. Found with `deadlineStatus`
 * itself (it is monotonic in the due date), so SQL filters agree with the pages.
 */
export function deadlineThresholds(
  calendar: BankHolidayCalendar,
  nation: Nation,
  today: IsoDate,
): { longOverdueOnOrBefore: IsoDate; dueSoonUntil: IsoDate } {
  const status = (due: IsoDate) => deadlineStatus({ due, today, calendar, nation }).status;
  let long = subtractWorkingDays(calendar, nation, today, 20);
  while (status(addCalendarDays(long, 1)) === 'long_overdue') long = addCalendarDays(long, 1);
  while (status(long) !== 'long_overdue') long = addCalendarDays(long, -1);
  let soon = today;
  while (status(addCalendarDays(soon, 1)) === 'due_soon') soon = addCalendarDays(soon, 1);
  return { longOverdueOnOrBefore: long, dueSoonUntil: soon };
}

export interface CategoryDeadline {
  category: CaseCategory;
  acknowledge: number;
  respond: number;
  /** Set by an administrator (false: the default 5 and 20). */
  custom: boolean;
}

export interface CaseClock {
  calendar: BankHolidayCalendar;
  /** Deadlines for many cases in one query (the inbox page, the case page, the daily job). */
  deadlinesFor(rows: readonly ClockCase[], today: IsoDate): Promise<Map<string, CaseDeadlines>>;
  /**
   * Working days for a case about this body and category: the routing rule chosen (when it sets days), the
   * body's category rule, its general rule, the category's setting, or 5 and 20.
   */
  daysFor(
    bodyId: string | null,
    category: CaseCategory,
    ruleId?: string | null,
  ): Promise<{ acknowledge: number; respond: number }>;
  /** `daysFor` for many cases at once (a batch of submissions), in two queries whatever the batch's size. */
  daysForMany(
    items: readonly { bodyId: string | null; category: CaseCategory; ruleId?: string | null }[],
  ): Promise<{ acknowledge: number; respond: number }[]>;
  /**
   * Works out and stores the due dates of these cases (call inside the transaction that moved them); with
   * `days`, first fixes the case's working days (routing, re-routing, a category change).
   */
  settle(caseIds: readonly string[], days?: { acknowledge: number; respond: number }): Promise<void>;
  /** Settles rows marked stale (after the migration, bulk loads), `batch` at a time; returns how many. */
  settleStale(batch?: number): Promise<number>;
  /** SQL: the case's stored next due date has this status today (on its own nation's calendar). */
  deadlineCondition(status: DeadlineStatus, today: IsoDate): ReturnType<typeof sql>;
  categoryDeadlines(): Promise<CategoryDeadline[]>;
  setCategoryDeadline(
    actor: Actor,
    category: CaseCategory,
    days: { acknowledge: number; respond: number },
  ): Promise<void>;
}

export function createCaseClock(
  db: Database,
  calendar: BankHolidayCalendar,
  options: { audit?: AuditLog; clock?: Clock } = {},
): CaseClock {
  const { audit } = options;
  const clockColumns = {
    id: cases.id,
    state: cases.state,
    bodyId: cases.bodyId,
    category: cases.category,
    clockNation: cases.clockNation,
    submittedAt: cases.submittedAt,
    acknowledgedAt: cases.acknowledgedAt,
    respondedAt: cases.respondedAt,
    acknowledgeWithinDays: cases.acknowledgeWithinDays,
    respondWithinDays: cases.respondWithinDays,
  };

  async function eventsFor(ids: readonly string[]) {
    const byCase = new Map<string, ClockEvent[]>();
    if (ids.length === 0) return byCase;
    const events = await db
      .get()
      .select()
      .from(caseClockEvents)
      .where(inArray(caseClockEvents.caseId, [...ids]))
      .orderBy(asc(caseClockEvents.caseId), asc(caseClockEvents.id));
    for (const e of events) {
      const list = byCase.get(e.caseId) ?? [];
      list.push({ type: e.type, at: e.on, reason: e.reason ?? undefined });
      byCase.set(e.caseId, list);
    }
    return byCase;
  }

  async function deadlinesFor(rows: readonly ClockCase[], today: IsoDate | null) {
    const result = new Map<string, CaseDeadlines>();
    const byCase = await eventsFor(rows.filter((r) => r.state === 'with_body').map((r) => r.id));
    for (const row of rows) {
      result.set(
        row.id,
        computeCaseDeadlines({ calendar, caseRow: row, events: byCase.get(row.id) ?? [], today }),
      );
    }
    return result;
  }

  async function settle(caseIds: readonly string[], days?: { acknowledge: number; respond: number }) {
    if (caseIds.length === 0) return;
    if (days) {
      await db
        .get()
        .update(cases)
        .set({ acknowledgeWithinDays: days.acknowledge, respondWithinDays: days.respond })
        .where(inArray(cases.id, [...caseIds]));
    }
    const rows = (await db
      .get()
      .select(clockColumns)
      .from(cases)
      .where(inArray(cases.id, [...caseIds]))) as ClockCase[];
    // The dates do not depend on today, only the statuses do: none is worked out here.
    const deadlines = await deadlinesFor(rows, null);
    for (const row of rows) {
      const dues = dueDatesOf(deadlines.get(row.id)!);
      await db
        .get()
        .update(cases)
        .set({ ...dues, dueDatesStale: false })
        .where(eq(cases.id, row.id));
    }
  }

  const thresholdCache = new Map<string, ReturnType<typeof deadlineThresholds>>();
  const thresholds = (nation: Nation, today: IsoDate) => {
    const key = `${nation}:${today}`;
    let found = thresholdCache.get(key);
    if (!found) {
      if (thresholdCache.size > 100) thresholdCache.clear();
      found = deadlineThresholds(calendar, nation, today);
      thresholdCache.set(key, found);
    }
    return found;
  };

  return {
    calendar,
    deadlinesFor,
    settle,

    async daysFor(bodyId, category, ruleId) {
      const [days] = await this.daysForMany([{ bodyId, category, ruleId }]);
      return days!;
    },

    async daysForMany(items) {
      const bodyIds = [...new Set(items.flatMap((i) => (i.bodyId ? [i.bodyId] : [])))];
      const ruleIds = [...new Set(items.flatMap((i) => (i.bodyId && i.ruleId ? [i.ruleId] : [])))];
      const rules = bodyIds.length
        ? await db
            .get()
            .select()
            .from(routingRules)
            .where(
              or(
                ruleIds.length ? inArray(routingRules.id, ruleIds) : sql`false`,
                and(
                  inArray(routingRules.bodyId, bodyIds),
                  or(isNull(routingRules.nation), eq(routingRules.nation, '')),
                  isNull(routingRules.areaGss),
                ),
              ),
            )
            .orderBy(asc(routingRules.createdAt))
        : [];
      const categories = [...new Set(items.map((i) => i.category))];
      const settings = await db
        .get()
        .select()
        .from(caseCategoryDeadlines)
        .where(inArray(caseCategoryDeadlines.category, categories));
      return items.map(({ bodyId, category, ruleId }) => {
        const setting = settings.find((r) => r.category === category);
        const chosen = bodyId && ruleId ? rules.find((r) => r.id === ruleId) : undefined;
        // The body's rules for every nation and area (the query's second branch), oldest first.
        const forBody = rules.filter(
          (r) => r.bodyId === bodyId && r.id !== ruleId && !r.nation && r.areaGss === null,
        );
        const specific = forBody.find((r) => r.category === category);
        const general = forBody.find((r) => r.category === null);
        return {
          acknowledge:
            chosen?.acknowledgeWithinDays ??
            specific?.acknowledgeWithinDays ??
            general?.acknowledgeWithinDays ??
            setting?.acknowledgeWithinDays ??
            DEFAULT_DEADLINE_WORKING_DAYS.acknowledge,
          respond:
            chosen?.respondWithinDays ??
            specific?.respondWithinDays ??
            general?.respondWithinDays ??
            setting?.respondWithinDays ??
            DEFAULT_DEADLINE_WORKING_DAYS.respond,
        };
      });
    },

    async settleStale(batch = 500) {
      let total = 0;
      for (;;) {
        const stale = await db
          .get()
          .select({ id: cases.id })
          .from(cases)
          .where(eq(cases.dueDatesStale, true))
          .limit(batch);
        if (stale.length === 0) return total;
        await db.transaction(() => settle(stale.map((r) => r.id)));
        total += stale.length;
      }
    },

    deadlineCondition(status, today) {
      // One branch per nation: each calendar has its own working days.
      const branches = NATIONS.map((nation) => {
        const { longOverdueOnOrBefore: long, dueSoonUntil: soon } = thresholds(nation, today);
        const range =
          status === 'long_overdue'
            ? sql`${cases.nextDueOn} <= ${long}`
            : status === 'overdue'
              ? sql`${cases.nextDueOn} > ${long} and ${cases.nextDueOn} < ${today}`
              : status === 'due_soon'
                ? sql`${cases.nextDueOn} >= ${today} and ${cases.nextDueOn} <= ${soon}`
                : sql`${cases.nextDueOn} > ${soon}`;
        return sql`(${cases.clockNation} = ${nation} and ${range})`;
      });
      return sql`(${cases.nextDueOn} is not null and (${sql.join(branches, sql` or `)}))`;
    },

    async categoryDeadlines() {
      const rows = await db.get().select().from(caseCategoryDeadlines);
      return caseCategories.map((category) => {
        const row = rows.find((r) => r.category === category);
        return {
          category,
          acknowledge: row?.acknowledgeWithinDays ?? DEFAULT_DEADLINE_WORKING_DAYS.acknowledge,
          respond: row?.respondWithinDays ?? DEFAULT_DEADLINE_WORKING_DAYS.respond,
          custom: !!row,
        };
      });
    },

    async setCategoryDeadline(actor, category, days) {
      await db.transaction(async () => {
        const [before] = await db
          .get()
          .select()
          .from(caseCategoryDeadlines)
          .where(eq(caseCategoryDeadlines.category, category));
        const values = {
          acknowledgeWithinDays: days.acknowledge,
          respondWithinDays: days.respond,
          updatedAt: options.clock?.now() ?? new Date(),
          updatedBy: actor.userId,
        };
        await db
          .get()
          .insert(caseCategoryDeadlines)
          .values({ category, ...values })
          .onConflictDoUpdate({ target: caseCategoryDeadlines.category, set: values });
        await audit?.record(actor, {
          action: 'case_category_deadline.updated',
          entityType: 'case_category',
          entityId: category,
          details: {
            before: before
              ? { acknowledge: before.acknowledgeWithinDays, respond: before.respondWithinDays }
              : { ...DEFAULT_DEADLINE_WORKING_DAYS, default: true },
            after: days,
          },
        });
      });
    },
  };
}
