/**
 * The daily casework task (issue 4, items 4 and 9), run by the worker at 07:00 and safe to run again:
 * - reminders to the assigned officer and the body's leads 5 and 1 working days before each deadline, and
 *   once when it is overdue;
 * - long-overdue cases (20 working days past the response deadline) escalate to the panel by themselves,
 *   as the `system` part, with a timeline event and emails;
 * - four weeks after a case ends, the reporter is asked whether it was resolved.
 *
 * Idempotent: each reminder is first recorded in `case_reminders` (unique per case, kind and due date) and
 * sent only when the row was new, in the same transaction, so a second run the same day sends nothing.
 */
import { and, eq, inArray, isNull, lte, or } from 'drizzle-orm';
import type { Actor } from '../../platform/audit/audit.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Database } from '../../platform/db/database.ts';
import { reminderDates } from '../../platform/calendar/clock.ts';
import { addCalendarDays, toUkIsoDate } from '../../platform/calendar/iso-date.ts';
import type { CaseClock } from './cases.clock.ts';
import { formatDate, translator } from '../../platform/i18n/i18n.ts';
import { caseReminders } from './cases.handling.tables.ts';
import { cases } from './cases.tables.ts';
import { CaseConflictError, RESOLVED_QUESTION_AFTER_DAYS, type CasesService } from './cases.service.ts';
import { casePaths } from './cases.paths.ts';

export const CASES_DAILY_TASK = 'cases-daily';

const systemCaseActor: Actor = { userId: null, requestId: 'system:cases-daily' };

export interface DailyResult {
  reminders: number;
  escalated: number;
  resolvedQuestions: number;
}

export function createCasesJobs(deps: {
  db: Database;
  clock: Clock;
  caseClock: CaseClock;
  cases: CasesService;
  emailsQueued?: () => Promise<unknown>;
}) {
  const { db, clock, caseClock, cases: service } = deps;
  const t = translator('en');

  /** Records a reminder; true when it had not been sent before (then the caller sends it). */
  async function claim(caseId: string, kind: string, dueOn: string): Promise<boolean> {
    const rows = await db
      .get()
      .insert(caseReminders)
      .values({ caseId, kind, dueOn, sentAt: clock.now() })
      .onConflictDoNothing()
      .returning({ id: caseReminders.id });
    return rows.length > 0;
  }

  async function runDaily(): Promise<DailyResult> {
    const today = toUkIsoDate(clock.now());
    const result: DailyResult = { reminders: 0, escalated: 0, resolvedQuestions: 0 };
    const open = await db.get().select({ id: cases.id }).from(cases).where(eq(cases.state, 'with_body'));
    for (const { id } of open) {
      const row = await service.loadCase(id);
      if (!row || row.state !== 'with_body') continue;
      const deadlines = (await caseClock.deadlinesFor([row], today)).get(row.id)!;
      // Long overdue: escalate by itself (the transition table allows `system` to escalate from with_body).
      if (deadlines.respond?.status === 'long_overdue') {
        try {
          await service.transition(
            systemCaseActor,
            null,
            row.id,
            'escalate',
            {
              expectedVersion: row.version,
              text: `The body has not responded ${deadlines.respond.workingDaysOverdue} working days after the deadline, so the case has gone to the joint oversight panel.`,
            },
            { parts: ['system'] },
          );
          result.escalated += 1;
        } catch (error) {
          // Someone acted on the case at the same moment: tomorrow's run looks again.
          if (!(error instanceof CaseConflictError)) throw error;
        }
        continue;
      }
      for (const deadline of [deadlines.acknowledge, deadlines.respond]) {
        if (!deadline?.due || !deadline.status || deadline.unknown) continue;
        const due = deadline.due;
        const kinds: string[] = [];
        if (deadline.status === 'overdue') kinds.push(`${deadline.kind}:overdue`);
        else {
          // The latest reminder date reached today or before (so a missed day still reminds, once).
          const reached = reminderDates({ due, calendar: caseClock.calendar, nation: row.clockNation })
            .filter((r) => r.date <= today)
            .at(-1);
          if (reached) kinds.push(`${deadline.kind}:${reached.workingDaysBefore}`);
        }
        for (const kind of kinds) {
          await db.transaction(async () => {
            if (!(await claim(row.id, kind, due))) return;
            await service.emailBody(
              row,
              kind.endsWith('overdue') ? 'caseOverdueReminder' : 'caseDeadlineReminder',
              {
                deadline: t(`cases.inbox.dueKind.${deadline.kind}`),
                due: formatDate(due, 'en'),
                days: String(deadline.workingDaysRemaining),
              },
            );
            result.reminders += 1;
          });
        }
      }
    }

    // Four weeks after the end: "was it resolved?" — once per case (keyed by the day it ended).
    const cutoff = new Date(`${addCalendarDays(today, -RESOLVED_QUESTION_AFTER_DAYS)}T23:59:59Z`);
    const ended = await db
      .get()
      .select({ id: cases.id })
      .from(cases)
      .where(
        and(
          inArray(cases.state, ['closed', 'resolved']),
          lte(cases.closedAt, cutoff),
          isNull(cases.reporterSaysResolved),
          or(
            isNull(cases.outcome),
            inArray(cases.outcome, [
              'resolved',
              'partly_resolved',
              'not_upheld',
              'withdrawn',
              'referred_elsewhere',
            ]),
          ),
        ),
      );
    for (const { id } of ended) {
      const row = await service.loadCase(id);
      if (!row?.closedAt || !service.canAskResolved(row)) continue;
      await db.transaction(async () => {
        if (!(await claim(row.id, 'resolved_question', toUkIsoDate(row.closedAt!)))) return;
        await service.emailReporter(
          systemCaseActor,
          row,
          'caseWasItResolved',
          {},
          casePaths.wasItResolved({ caseId: row.id }),
        );
        result.resolvedQuestions += 1;
      });
    }
    if (result.reminders + result.escalated + result.resolvedQuestions > 0) await deps.emailsQueued?.();
    return result;
  }

  return { runDaily };
}
export type CasesJobs = ReturnType<typeof createCasesJobs>;
