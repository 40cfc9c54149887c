/**
 * What the scorecard needs to know about ONE case, worked out from the case, its clock events, its adopted
 * panel decision and today (pure; `scorecards.refresh.ts` loads the inputs and stores the result in
 * `scorecard_case_facts`).
 *
 * Deadlines (issue 4: acknowledge within 5 and respond within 20 working days unless the routing fixed
 * others) are those of the FIRST time the body held the case: the clock events from the first `started`
 * up to the next one (a reopened case starts a fresh clock, but the body's record is how it handled the
 * case when it first had it). For each deadline:
 * - met (acknowledged, or answered; an answer also acknowledges) on or before the due date: `on_time`;
 *   met after it: `late`;
 * - not met, and the due date passed while the body held the case (today if it still does, else the day
 *   it was escalated or closed): `late`;
 * - not met, still with the body, due date ahead or clock paused before the count ran out: `pending`
 *   (stored with its due date, so the refresh finds it the day it passes);
 * - otherwise (never went to a body, closed in triage, withdrawn before the date): `none`.
 * A due date beyond the published bank-holiday list (or a clock the calendar code refuses) cannot be decided: `pending` with no date while open,
 * `none` once met.
 */
import { computeDeadline, type ClockEvent } from '../../platform/calendar/clock.ts';
import type { BankHolidayCalendar } from '../../platform/calendar/bank-holidays.ts';
import type { IsoDate } from '../../platform/calendar/iso-date.ts';
import type { Nation } from '../../platform/calendar/nations.ts';
import type { CaseKind } from '../cases/cases.tables.ts';
import type { CaseState, OutcomeCode } from '../cases/cases.lifecycle.ts';
import type { DeadlineOutcome } from './scorecards.tables.ts';

export interface FactsCase {
  id: string;
  kind: CaseKind;
  state: CaseState;
  outcome: OutcomeCode | null;
  bodyId: string | null;
  clockNation: Nation;
  /** UK calendar dates of the case's moments (worked out in SQL: `at time zone 'Europe/London'`). */
  submittedOn: IsoDate;
  acknowledgedOn: IsoDate | null;
  respondedOn: IsoDate | null;
  escalatedOn: IsoDate | null;
  closedOn: IsoDate | null;
  acknowledgeWithinDays: number;
  respondWithinDays: number;
}

export interface CaseFacts {
  caseId: string;
  bodyId: string | null;
  year: number;
  commitmentIds: string[];
  acknowledge: DeadlineOutcome;
  acknowledgeDue: IsoDate | null;
  respond: DeadlineOutcome;
  respondDue: IsoDate | null;
  upheld: boolean | null;
  escalated: boolean;
}

/** States in which no body has had the case yet (triage). */
const beforeBody: readonly CaseState[] = ['submitted', 'needs_information'];

/** The events of the first clock: from the first `started` up to (not including) the next. */
export function firstClock(events: readonly ClockEvent[], submittedOn: IsoDate): ClockEvent[] {
  const start = events.findIndex((e) => e.type === 'started');
  if (start < 0) return [{ type: 'started', at: submittedOn }, ...events];
  const next = events.findIndex((e, i) => i > start && e.type === 'started');
  return events.slice(start, next < 0 ? undefined : next);
}

/** Due date of a deadline on this clock: null while paused before it is reached; 'unknown' past the list. */
export function dueOn(
  calendar: BankHolidayCalendar,
  nation: Nation,
  events: readonly ClockEvent[],
  workingDays: number,
): IsoDate | null | 'unknown' {
  // Most cases share a start day and a deadline length: the count is worked out once per distinct clock
  // (a full rebuild recomputes a million cases).
  const key = `${nation}|${workingDays}|${events.map((e) => `${e.type[0]}${e.at}`).join(',')}`;
  let found = dueMemo.get(calendar)?.get(key);
  if (found === undefined) {
    try {
      found = computeDeadline({ calendar, nation, events, workingDays }).due;
    } catch (error) {
      // Past the bank-holiday list, or an event list the clock refuses: undecidable, and one bad case
      // must not stop the refresh of every other.
      const name = (error as Error).name;
      if (name !== 'DateBeyondKnownHolidaysError' && name !== 'InvalidClockEventsError') throw error;
      found = 'unknown';
    }
    let memo = dueMemo.get(calendar);
    if (!memo) dueMemo.set(calendar, (memo = new Map()));
    if (memo.size > 200_000) memo.clear();
    memo.set(key, found);
  }
  return found;
}

const dueMemo = new WeakMap<BankHolidayCalendar, Map<string, IsoDate | null | 'unknown'>>();

/** The outcome of one deadline (rules in this file's header). */
export function deadlineOutcome(input: {
  due: IsoDate | null | 'unknown';
  metOn: IsoDate | null;
  /** The day the body stopped holding the case unmet (escalated, closed), or null while it holds it. */
  leftOn: IsoDate | null;
  withBody: boolean;
  today: IsoDate;
}): { outcome: DeadlineOutcome; due: IsoDate | null } {
  const { due, metOn, leftOn, withBody, today } = input;
  if (due === 'unknown') return { outcome: metOn || !withBody ? 'none' : 'pending', due: null };
  if (metOn) {
    // Met while paused before the count ran out: the deadline was never reached.
    if (due === null) return { outcome: 'on_time', due: null };
    return { outcome: metOn <= due ? 'on_time' : 'late', due };
  }
  const heldUntil = withBody ? today : leftOn;
  if (due !== null && heldUntil !== null && due < heldUntil) return { outcome: 'late', due };
  if (withBody) return { outcome: 'pending', due };
  return { outcome: 'none', due };
}

/** The scorecard's facts for one case. `panelOutcome` is the adopted panel decision's, when there is one. */
export function caseFactsOf(input: {
  calendar: BankHolidayCalendar;
  row: FactsCase;
  events: readonly ClockEvent[];
  commitmentIds: readonly string[];
  panelOutcome: 'upheld' | 'partly_upheld' | 'not_upheld' | null;
  today: IsoDate;
}): CaseFacts {
  const { calendar, row, today } = input;
  const submittedOn = row.submittedOn;
  const year = Number(submittedOn.slice(0, 4));
  const base = {
    caseId: row.id,
    bodyId: row.bodyId,
    year,
    commitmentIds: [...new Set(input.commitmentIds)].sort(),
    escalated: row.escalatedOn !== null,
    upheld: upheldOf(row, input.panelOutcome),
  };
  const heldByBody = row.bodyId !== null && !beforeBody.includes(row.state);
  if (!heldByBody) {
    return { ...base, acknowledge: 'none', acknowledgeDue: null, respond: 'none', respondDue: null };
  }
  const events = firstClock(input.events, submittedOn);
  const withBody = row.state === 'with_body';
  const leftOn = row.escalatedOn ?? row.closedOn;
  const respondedOn = row.respondedOn;
  const acknowledgedOn = row.acknowledgedOn ?? respondedOn;
  const ack = deadlineOutcome({
    due: dueOn(calendar, row.clockNation, events, row.acknowledgeWithinDays),
    metOn: acknowledgedOn,
    leftOn,
    withBody,
    today,
  });
  const respond = deadlineOutcome({
    due: dueOn(calendar, row.clockNation, events, row.respondWithinDays),
    metOn: respondedOn,
    leftOn,
    withBody,
    today,
  });
  return {
    ...base,
    acknowledge: ack.outcome,
    acknowledgeDue: ack.due,
    respond: respond.outcome,
    respondDue: respond.due,
  };
}

/**
 * Upheld: the panel's adopted decision when there is one (upheld or partly upheld), else the case's own
 * outcome (resolved or partly resolved: the body put it right; not upheld). Only problems count: a question
 * or a good-practice report is not a complaint. Withdrawn, referred, out of scope and duplicate decide
 * nothing (null).
 */
export function upheldOf(
  row: Pick<FactsCase, 'kind' | 'outcome'>,
  panelOutcome: 'upheld' | 'partly_upheld' | 'not_upheld' | null,
): boolean | null {
  if (row.kind !== 'problem') return null;
  if (panelOutcome) return panelOutcome !== 'not_upheld';
  if (row.outcome === 'resolved' || row.outcome === 'partly_resolved') return true;
  if (row.outcome === 'not_upheld') return false;
  return null;
}

/** A case's contribution to its counters (+1 / 0 each), for adding and subtracting. */
export function contributionOf(f: Pick<CaseFacts, 'acknowledge' | 'respond' | 'upheld' | 'escalated'>) {
  const decided = (o: DeadlineOutcome) => (o === 'on_time' || o === 'late' ? 1 : 0);
  return {
    cases: 1,
    acknowledgedOnTime: f.acknowledge === 'on_time' ? 1 : 0,
    acknowledgeDecided: decided(f.acknowledge),
    answeredOnTime: f.respond === 'on_time' ? 1 : 0,
    answerDecided: decided(f.respond),
    upheld: f.upheld === true ? 1 : 0,
    outcomesDecided: f.upheld === null ? 0 : 1,
    escalated: f.escalated ? 1 : 0,
  };
}
