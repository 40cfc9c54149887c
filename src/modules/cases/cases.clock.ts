/**
 * A case's deadlines (issue 4, item 4), computed from its clock events whenever the case is read: due dates
 * to acknowledge (5 working days) and to respond (20), moved by pauses, in the working days of the case's
 * nation; status on track / due soon / overdue / long overdue. Nothing here is stored: overdue is a fact of
 * today's date, never a column someone could forget to update.
 *
 * Per-category deadlines come from the body's routing rules (`acknowledge_within_days`,
 * `respond_within_days`): a rule for the case's category wins over the body's rule for every category.
 */
import { and, asc, eq, inArray, isNull, or } from 'drizzle-orm';
import type { Database } from '../../platform/db/database.ts';
import type { BankHolidayCalendar } from '../../platform/calendar/bank-holidays.ts';
import {
  computeDeadline,
  deadlineStatus,
  DEFAULT_DEADLINE_WORKING_DAYS,
  type ClockEvent,
  type DeadlineStatus,
} from '../../platform/calendar/clock.ts';
import { toUkIsoDate, type IsoDate } from '../../platform/calendar/iso-date.ts';
import type { Nation } from '../../platform/calendar/nations.ts';
import { caseClockEvents, routingRules, type CaseCategory } from './cases.tables.ts';
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
  today: IsoDate;
  days?: { acknowledge: number; respond: number };
}): CaseDeadlines {
  const { calendar, caseRow, today } = input;
  const days = input.days ?? DEFAULT_DEADLINE_WORKING_DAYS;
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
      if (!metOn && deadline.due && (deadline.state === 'running' || deadline.due <= deadline.pausedSince)) {
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

export interface CaseClock {
  calendar: BankHolidayCalendar;
  /** Deadlines for many cases in two queries (the inbox, the daily job). */
  deadlinesFor(rows: readonly ClockCase[], today: IsoDate): Promise<Map<string, CaseDeadlines>>;
  /** Working days for a body and category: the category's rule, the body's rule, or 5 and 20. */
  daysFor(bodyId: string | null, category: CaseCategory): Promise<{ acknowledge: number; respond: number }>;
}

export function createCaseClock(db: Database, calendar: BankHolidayCalendar): CaseClock {
  async function rulesFor(bodyIds: string[]) {
    if (bodyIds.length === 0) return [];
    return db
      .get()
      .select({
        bodyId: routingRules.bodyId,
        category: routingRules.category,
        acknowledge: routingRules.acknowledgeWithinDays,
        respond: routingRules.respondWithinDays,
      })
      .from(routingRules)
      .where(
        and(
          inArray(routingRules.bodyId, bodyIds),
          or(isNull(routingRules.nation), eq(routingRules.nation, '')),
          isNull(routingRules.areaGss),
        ),
      );
  }
  type Rule = Awaited<ReturnType<typeof rulesFor>>[number];
  const pick = (rules: Rule[], bodyId: string | null, category: CaseCategory) => {
    const forBody = rules.filter((r) => r.bodyId === bodyId);
    const specific = forBody.find((r) => r.category === category);
    const general = forBody.find((r) => r.category === null);
    return {
      acknowledge: specific?.acknowledge ?? general?.acknowledge ?? DEFAULT_DEADLINE_WORKING_DAYS.acknowledge,
      respond: specific?.respond ?? general?.respond ?? DEFAULT_DEADLINE_WORKING_DAYS.respond,
    };
  };

  return {
    calendar,
    async daysFor(bodyId, category) {
      return pick(await rulesFor(bodyId ? [bodyId] : []), bodyId, category);
    },
    async deadlinesFor(rows, today) {
      const result = new Map<string, CaseDeadlines>();
      const open = rows.filter((r) => r.state === 'with_body');
      const ids = open.map((r) => r.id);
      const events = ids.length
        ? await db
            .get()
            .select()
            .from(caseClockEvents)
            .where(inArray(caseClockEvents.caseId, ids))
            .orderBy(asc(caseClockEvents.caseId), asc(caseClockEvents.id))
        : [];
      const byCase = new Map<string, ClockEvent[]>();
      for (const e of events) {
        const list = byCase.get(e.caseId) ?? [];
        list.push({ type: e.type, at: e.on, reason: e.reason ?? undefined });
        byCase.set(e.caseId, list);
      }
      const rules = await rulesFor([...new Set(open.map((r) => r.bodyId).filter((b): b is string => !!b))]);
      for (const row of rows) {
        result.set(
          row.id,
          computeCaseDeadlines({
            calendar,
            caseRow: row,
            events: byCase.get(row.id) ?? [],
            today,
            days: pick(rules, row.bodyId, row.category),
          }),
        );
      }
      return result;
    },
  };
}
