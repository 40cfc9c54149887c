/**
 * Forms of the action plans pages, validated once at the edge. Messages are catalogue keys
 * (`plans.errors.*`). Dates come from GOV.UK date inputs (`<name>-day`, `-month`, `-year`) and are joined
 * into `YYYY-MM-DD` before validation.
 */
import { z } from 'zod';
import { isIsoDate } from '../../platform/calendar/iso-date.ts';
import { actionStatuses } from './plans.tables.ts';
import { canOverride } from './plans.rules.ts';

const E = 'plans.errors';

const text = (max: number, required: string, tooLong: string) =>
  z
    .string({ error: `${E}.${required}` })
    .trim()
    .min(1, `${E}.${required}`)
    .max(max, `${E}.${tooLong}`);
const optionalText = (max: number, tooLong: string) =>
  z
    .string()
    .trim()
    .max(max, `${E}.${tooLong}`)
    .optional()
    .transform((v) => (v ? v : null));

/** Joins GOV.UK date inputs into one `YYYY-MM-DD` value ('' when all three are empty, 'invalid' otherwise). */
export function joinDateFields(body: unknown, names: readonly string[]): Record<string, unknown> {
  const values = { ...((body ?? {}) as Record<string, unknown>) };
  for (const name of names) {
    if (typeof values[name] === 'string' && !(`${name}-day` in values)) continue;
    const [d, m, y] = ['day', 'month', 'year'].map((part) => String(values[`${name}-${part}`] ?? '').trim());
    if (!d && !m && !y) values[name] = '';
    else if (/^\d{1,2}$/.test(d!) && /^\d{1,2}$/.test(m!) && /^\d{4}$/.test(y!))
      values[name] = `${y}-${m!.padStart(2, '0')}-${d!.padStart(2, '0')}`;
    else values[name] = 'invalid';
  }
  return values;
}

const isoDate = (required: string, invalid: string) =>
  z
    .string({ error: `${E}.${required}` })
    .min(1, `${E}.${required}`)
    .refine((v) => isIsoDate(v), `${E}.${invalid}`);

export const PlanForm = z
  .object({
    bodyId: z.uuid(`${E}.bodyRequired`),
    title: text(200, 'titleRequired', 'titleTooLong'),
    startsOn: isoDate('startsOnRequired', 'startsOnInvalid'),
    endsOn: isoDate('endsOnRequired', 'endsOnInvalid'),
    summary: optionalText(5000, 'summaryTooLong'),
  })
  .superRefine((v, ctx) => {
    if (isIsoDate(v.startsOn) && isIsoDate(v.endsOn) && v.endsOn < v.startsOn)
      ctx.addIssue({ code: 'custom', path: ['endsOn'], message: `${E}.endsBeforeStart` });
    // A plan year is at most a little over a year (a financial year with a few weeks either side).
    if (isIsoDate(v.startsOn) && isIsoDate(v.endsOn)) {
      const days = (Date.parse(v.endsOn) - Date.parse(v.startsOn)) / 86_400_000;
      if (days > 400) ctx.addIssue({ code: 'custom', path: ['endsOn'], message: `${E}.periodTooLong` });
    }
  });
export type PlanInput = z.infer<typeof PlanForm>;

const progressField = z
  .string()
  .trim()
  .optional()
  .transform((v, ctx) => {
    if (!v) return null;
    const n = v.replace(/%$/, '');
    if (!/^\d{1,3}$/.test(n) || Number(n) > 100) {
      ctx.addIssue({ code: 'custom', message: `${E}.progressInvalid` });
      return z.NEVER;
    }
    return Number(n);
  });

export const ActionForm = z
  .object({
    commitmentId: z.uuid(`${E}.commitmentRequired`),
    title: text(300, 'actionTitleRequired', 'actionTitleTooLong'),
    description: optionalText(5000, 'descriptionTooLong'),
    owner: text(200, 'ownerRequired', 'ownerTooLong'),
    dueOn: isoDate('dueOnRequired', 'dueOnInvalid'),
    weight: z
      .string()
      .trim()
      .default('1')
      .refine((v) => /^\d{1,3}$/.test(v) && Number(v) <= 100, `${E}.weightInvalid`)
      .transform(Number),
    status: z.enum(actionStatuses, `${E}.statusRequired`).default('not_started'),
    progress: progressField,
  })
  .superRefine((v, ctx) => {
    if (v.progress !== null && !canOverride(v.status))
      ctx.addIssue({ code: 'custom', path: ['progress'], message: `${E}.progressNotAllowed` });
  });
export type ActionInput = z.infer<typeof ActionForm>;

export const MilestoneForm = z.object({
  title: text(300, 'milestoneTitleRequired', 'milestoneTitleTooLong'),
  dueOn: isoDate('dueOnRequired', 'dueOnInvalid'),
});

export const EvidenceForm = z.object({
  title: text(300, 'evidenceTitleRequired', 'evidenceTitleTooLong'),
  url: z
    .string()
    .trim()
    .min(1, `${E}.urlRequired`)
    .max(2000, `${E}.urlInvalid`)
    .refine((v) => {
      try {
        const u = new URL(v);
        return u.protocol === 'https:' || u.protocol === 'http:';
      } catch {
        return false;
      }
    }, `${E}.urlInvalid`),
});

export const quarterPattern = /^\d{4}-Q[1-4]$/;
export const quarterField = z
  .string({ error: `${E}.quarterRequired` })
  .trim()
  .min(1, `${E}.quarterRequired`)
  .regex(quarterPattern, `${E}.quarterInvalid`);

export const UpdateHeaderForm = z.object({
  quarter: quarterField,
  summary: optionalText(5000, 'summaryTooLong'),
});

/** One action's row of the quarterly update form: `status-<id>`, `progress-<id>`, `note-<id>`. */
export const UpdateItemForm = z
  .object({
    status: z.enum(actionStatuses, `${E}.statusRequired`),
    progress: progressField,
    note: optionalText(2000, 'noteTooLong'),
  })
  .superRefine((v, ctx) => {
    if (v.progress !== null && !canOverride(v.status))
      ctx.addIssue({ code: 'custom', path: ['progress'], message: `${E}.progressNotAllowed` });
  });

export const ReturnForm = z.object({ reason: text(2000, 'reasonRequired', 'reasonTooLong') });

export const CommentForm = z.object({
  body: text(5000, 'commentRequired', 'commentTooLong'),
  actionId: z
    .string()
    .optional()
    .transform((v) => (v ? v : null))
    .refine((v) => v === null || z.uuid().safeParse(v).success, `${E}.actionInvalid`),
});

export const ImportForm = z.object({ quarter: quarterField });
