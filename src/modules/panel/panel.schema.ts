/**
 * Forms of the panel pages, validated once at the edge. Messages are catalogue keys (`panel.errors.*`).
 * Dates come from GOV.UK date inputs (`<name>-day`, `-month`, `-year`) and leave as `YYYY-MM-DD`.
 */
import { z } from 'zod';
import { isIsoDate } from '../../platform/calendar/iso-date.ts';
import {
  panelActionStatuses,
  panelAttendanceStatuses,
  panelDecisionMethods,
  panelMeetingStatuses,
  panelOutcomes,
  panelSides,
  panelReplyPositions,
  panelVoteChoices,
} from './panel.tables.ts';
import { caseStates } from '../cases/cases.lifecycle.ts';

const E = 'panel.errors';

const text = (max: number, required: string, tooLong = `${E}.textTooLong`) =>
  z
    .string({ error: `${E}.${required}` })
    .trim()
    .max(max, tooLong)
    .pipe(z.string().min(1, `${E}.${required}`));

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `${E}.textTooLong`)
    .optional()
    .transform((v) => v || undefined);

const choice = <T extends readonly [string, ...string[]]>(values: T, required: string) =>
  z.enum(values, { error: `${E}.${required}` });

const uuid = (required: string) => z.uuid({ error: `${E}.${required}` });

const version = z.coerce
  .number({ error: `${E}.stale` })
  .int(`${E}.stale`)
  .min(1, `${E}.stale`);

/** Turns GOV.UK date input parts into one `YYYY-MM-DD` field (empty, or `invalid` when not a real date). */
function joinDates(raw: unknown, names: readonly string[]) {
  const body = { ...((raw ?? {}) as Record<string, unknown>) };
  for (const name of names) {
    const part = (p: string) => String(body[`${name}-${p}`] ?? '').trim();
    const [d, m, y] = [part('day'), part('month'), part('year')];
    if (!d && !m && !y) body[name] = '';
    else if (!/^\d{4}$/.test(y) || !/^\d{1,2}$/.test(m) || !/^\d{1,2}$/.test(d)) body[name] = 'invalid';
    else body[name] = `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;
  }
  return body;
}

const isoDate = (required: string, invalid = `${E}.dateInvalid`) =>
  z
    .string()
    .min(1, `${E}.${required}`)
    .refine((v) => isIsoDate(v), invalid);

export const TermForm = z.preprocess(
  (raw) => joinDates(raw, ['termStart', 'termEnd']),
  z
    .object({
      userId: uuid('memberRequired'),
      side: choice(panelSides, 'sideRequired'),
      termStart: isoDate('termStartRequired'),
      termEnd: isoDate('termEndRequired'),
    })
    .refine((v) => !isIsoDate(v.termStart) || !isIsoDate(v.termEnd) || v.termEnd >= v.termStart, {
      path: ['termEnd'],
      message: `${E}.termEndBeforeStart`,
    }),
);
export type TermInput = z.infer<typeof TermForm>;

/** Changing a term: the side and dates (the person stays the same). */
export const TermEditForm = z.preprocess(
  (raw) => joinDates(raw, ['termStart', 'termEnd']),
  z
    .object({
      side: choice(panelSides, 'sideRequired'),
      termStart: isoDate('termStartRequired'),
      termEnd: isoDate('termEndRequired'),
    })
    .refine((v) => !isIsoDate(v.termStart) || !isIsoDate(v.termEnd) || v.termEnd >= v.termStart, {
      path: ['termEnd'],
      message: `${E}.termEndBeforeStart`,
    }),
);

/**
 * Declaring a conflict: with an organisation (found by name, then chosen when several match) or with one
 * case (by its reference). An administrator may record one for a member.
 */
export const ConflictForm = z
  .object({
    userId: z
      .union([z.uuid(), z.literal('')])
      .optional()
      .transform((v) => v || undefined),
    about: choice(['organisation', 'case'] as const, 'conflictAboutRequired'),
    organisationQuery: optionalText(200),
    organisationId: z
      .union([z.uuid(), z.literal('')])
      .optional()
      .transform((v) => v || undefined),
    caseReference: optionalText(40),
    reason: text(2_000, 'reasonRequired'),
  })
  .superRefine((v, ctx) => {
    if (v.about === 'organisation' && !v.organisationQuery && !v.organisationId)
      ctx.addIssue({ code: 'custom', path: ['organisationQuery'], message: `${E}.organisationRequired` });
    if (v.about === 'case' && !v.caseReference)
      ctx.addIssue({ code: 'custom', path: ['caseReference'], message: `${E}.caseReferenceRequired` });
  });
export type ConflictInput = z.infer<typeof ConflictForm>;

/** A member declares a conflict with the case in front of them: only the reason is asked. */
export const CaseConflictForm = z.object({ reason: text(2_000, 'reasonRequired') });

/** The escalated queue's filters (all optional; bad values are ignored rather than refused). */
export const QueueQuery = z.object({
  state: z.enum(caseStates).optional().catch(undefined),
  body: z.uuid().optional().catch(undefined),
  recommendation: z.enum(['awaiting', 'overdue', 'replied', 'none']).optional().catch(undefined),
  q: z
    .string()
    .trim()
    .max(200)
    .optional()
    .catch(undefined)
    .transform((v) => v || undefined),
  sort: z.enum(['oldest', 'newest']).optional().catch(undefined),
});
export type QueueFilters = z.infer<typeof QueueQuery>;

export const ProposalForm = z.preprocess(
  (raw) => joinDates(raw, ['recommendationDueOn']),
  z.object({
    outcome: choice(panelOutcomes, 'outcomeRequired'),
    reasons: text(10_000, 'reasonsRequired'),
    determination: text(10_000, 'determinationRequired'),
    recommendation: text(5_000, 'recommendationRequired'),
    recommendationDueOn: isoDate('dueOnRequired'),
  }),
);
export type ProposalInput = z.infer<typeof ProposalForm>;

export const VoteForm = z.object({
  vote: choice(panelVoteChoices, 'voteRequired'),
  reason: text(2_000, 'voteReasonRequired'),
});

export const DecideForm = z
  .object({
    expectedVersion: version,
    method: choice(panelDecisionMethods, 'methodRequired'),
    meetingId: z
      .union([z.uuid(), z.literal('')])
      .optional()
      .transform((v) => v || undefined),
  })
  .superRefine((v, ctx) => {
    if (v.method === 'consensus' && !v.meetingId)
      ctx.addIssue({ code: 'custom', path: ['meetingId'], message: `${E}.meetingRequired` });
  });

export const ReplyForm = z.object({
  expectedVersion: version,
  position: choice(panelReplyPositions, 'positionRequired'),
  text: text(10_000, 'replyRequired'),
});

/** A meeting: GOV.UK date input plus a 24-hour time, in UK time. */
export const MeetingForm = z.preprocess(
  (raw) => joinDates(raw, ['date']),
  z.object({
    title: text(200, 'meetingTitleRequired'),
    date: isoDate('meetingDateRequired'),
    time: z
      .string()
      .trim()
      .min(1, `${E}.timeRequired`)
      .regex(/^([01]?\d|2[0-3])[:.][0-5]\d$/, `${E}.timeInvalid`)
      .transform((v) => v.replace('.', ':').padStart(5, '0')),
    location: text(300, 'locationRequired'),
  }),
);
export type MeetingInput = z.infer<typeof MeetingForm>;

export const AgendaItemForm = z.object({ title: text(300, 'agendaTitleRequired') });

export const MinutesForm = z.object({
  status: choice(panelMeetingStatuses, 'meetingStatusRequired'),
  minutes: optionalText(50_000),
});

/** Attendance arrives as `attendance-<userId>` = present | apologies | absent, one per member. */
export const AttendanceForm = z.record(z.string(), z.unknown()).transform((body) => {
  const result: { userId: string; status: (typeof panelAttendanceStatuses)[number] }[] = [];
  for (const [key, value] of Object.entries(body)) {
    const match = /^attendance-([0-9a-f-]{36})$/i.exec(key);
    if (match && (panelAttendanceStatuses as readonly string[]).includes(String(value)))
      result.push({ userId: match[1]!, status: value as (typeof panelAttendanceStatuses)[number] });
  }
  return result;
});

export const ActionForm = z.preprocess(
  (raw) => joinDates(raw, ['dueOn']),
  z.object({
    description: text(2_000, 'actionRequired'),
    ownerUserId: uuid('ownerRequired'),
    dueOn: isoDate('dueOnRequired'),
  }),
);

export const ActionStatusForm = z.object({ status: choice(panelActionStatuses, 'actionStatusRequired') });

export const SettingsForm = z.object({
  quorumMinimum: z.coerce
    .number({ error: `${E}.quorumMinimum` })
    .int(`${E}.quorumMinimum`)
    .min(2, `${E}.quorumMinimum`)
    .max(25, `${E}.quorumMinimum`),
  quorumEachSide: z.enum(['yes', 'no'], { error: `${E}.quorumEachSideRequired` }),
});

export const CloseForm = z.object({
  expectedVersion: version,
  outcome: z.enum(['resolved', 'partly_resolved', 'not_upheld', 'referred_elsewhere'], {
    error: `${E}.closeOutcomeRequired`,
  }),
  text: optionalText(5_000),
});

/** Forms that need only the CSRF token (and, for case changes, the version seen). */
export const EmptyForm = z.object({});
export const VersionForm = z.object({ expectedVersion: version });
