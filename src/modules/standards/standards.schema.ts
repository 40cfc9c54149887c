/**
 * Forms and imported rows of standards monitoring, validated once at the edge. Messages are catalogue keys
 * (`standards.errors.*`). Dates come from GOV.UK date inputs and are joined into `YYYY-MM-DD` first (the
 * plans module's `joinDateFields`); imported rows go through the same record schemas, so a file and the form
 * refuse the same things: dates out of order, a missing title, a short consultation with a reason claimed but
 * not given.
 */
import { z } from 'zod';
import { daysBetween, isIsoDate } from '../../platform/calendar/iso-date.ts';
import { TWELVE_WEEKS_DAYS } from './standards.rules.ts';
import { fundingChangeKinds, paymentTimings } from './standards.tables.ts';

export { joinDateFields } from '../plans/plans.schema.ts';

const E = 'standards.errors';

const requiredText = (max: number, required: string, tooLong: string) =>
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
    .nullish()
    .transform((v) => (v ? v : null));

const isoDate = (required: string, invalid: string) =>
  z
    .string({ error: `${E}.${required}` })
    .min(1, `${E}.${required}`)
    .refine((v) => isIsoDate(v), `${E}.${invalid}`);
const optionalIsoDate = (invalid: string) =>
  z
    .string()
    .nullish()
    .transform((v) => (v ? v : null))
    .refine((v) => v === null || isIsoDate(v), `${E}.${invalid}`);

/** A web address people can follow: http or https only (never `javascript:`). */
const optionalUrl = z
  .string()
  .trim()
  .max(2000, `${E}.urlTooLong`)
  .nullish()
  .transform((v) => (v ? v : null))
  .refine((v) => v === null || /^https?:\/\/[^\s]+$/i.test(v), `${E}.urlInvalid`);

const yesNo = (required: string) => z.enum(['yes', 'no'], { error: `${E}.${required}` });

/**
 * Cross-field checks run even when another field failed (a missing choice, say), so the person sees every
 * problem at once; they only compare values that parsed (see `bothDates`).
 */
const always = { when: () => true };

/** Both dates are real: only then are they compared. */
const bothDates = (a: unknown, b: unknown): a is string =>
  typeof a === 'string' && typeof b === 'string' && isIsoDate(a) && isIsoDate(b);

// ── Consultations (C1, C3) ────────────────────────────────────────────────────────────────────────────

const consultationFields = {
  title: requiredText(300, 'titleRequired', 'titleTooLong'),
  url: optionalUrl,
  opensOn: isoDate('opensOnRequired', 'opensOnInvalid'),
  closesOn: isoDate('closesOnRequired', 'closesOnInvalid'),
  responsePublishedOn: optionalIsoDate('responseInvalid'),
  shortReason: optionalText(2000, 'reasonTooLong'),
  lateResponseReason: optionalText(2000, 'reasonTooLong'),
};

type ConsultationDates = { opensOn: string; closesOn: string; responsePublishedOn: string | null };

function checkConsultationDates(v: ConsultationDates, ctx: z.RefinementCtx) {
  if (bothDates(v.opensOn, v.closesOn) && v.closesOn < v.opensOn)
    ctx.addIssue({ code: 'custom', path: ['closesOn'], message: `${E}.closesBeforeOpens` });
  if (
    v.responsePublishedOn &&
    bothDates(v.closesOn, v.responsePublishedOn) &&
    v.responsePublishedOn < v.closesOn
  )
    ctx.addIssue({ code: 'custom', path: ['responsePublishedOn'], message: `${E}.responseBeforeClose` });
}

/** A consultation as stored (forms after their questions are answered, and imported rows). */
export const ConsultationRecord = z.object(consultationFields).superRefine(checkConsultationDates, always);
export type ConsultationInput = z.infer<typeof ConsultationRecord>;

const isShort = (v: ConsultationDates) =>
  bothDates(v.opensOn, v.closesOn) &&
  v.closesOn >= v.opensOn &&
  daysBetween(v.opensOn, v.closesOn) < TWELVE_WEEKS_DAYS;

/**
 * The form asks two questions the file cannot: whether the consultation document states a reason for a short
 * period (C1) and whether the body explained a late response (C3). Answering "yes" needs the reason itself;
 * "no" records the consultation as it was, and the finding follows.
 */
export const ConsultationForm = z
  .object({
    ...consultationFields,
    shortReasonStated: yesNo('shortReasonStatedRequired').optional(),
    lateReasonGiven: yesNo('lateReasonGivenRequired').optional(),
  })
  .superRefine((v, ctx) => {
    checkConsultationDates(v, ctx);
    if (isShort(v)) {
      if (!v.shortReasonStated)
        ctx.addIssue({
          code: 'custom',
          path: ['shortReasonStated'],
          message: `${E}.shortReasonStatedRequired`,
        });
      else if (v.shortReasonStated === 'yes' && !v.shortReason)
        ctx.addIssue({ code: 'custom', path: ['shortReason'], message: `${E}.shortReasonRequired` });
    }
    if (v.lateReasonGiven === 'yes' && !v.lateResponseReason)
      ctx.addIssue({ code: 'custom', path: ['lateResponseReason'], message: `${E}.lateReasonRequired` });
  }, always)
  .transform(({ shortReasonStated, lateReasonGiven, ...v }) => ({
    ...v,
    // A reason is kept only where it matters: a consultation of 12 weeks or more needs none.
    shortReason: isShort(v) && shortReasonStated === 'yes' ? v.shortReason : null,
    lateResponseReason: lateReasonGiven === 'yes' ? v.lateResponseReason : null,
  }));

// ── Funding agreements (F2–F4) and changes (F1) ───────────────────────────────────────────────────────

/** "£12,500.50", "12500" or "12500.5" → pence; anything else (or over £10bn) is not an amount. */
export function parseAmountToPence(value: string): number | null {
  const cleaned = value.trim().replace(/^£/, '').replace(/,/g, '').trim();
  if (!/^\d{1,11}(\.\d{1,2})?$/.test(cleaned)) return null;
  const [pounds, pence = ''] = cleaned.split('.');
  const total = Number(pounds) * 100 + Number(pence.padEnd(2, '0'));
  return total > 0 && total <= 1_000_000_000_000 ? total : null;
}

const amountField = z
  .string({ error: `${E}.amountRequired` })
  .trim()
  .min(1, `${E}.amountRequired`)
  .transform((v, ctx) => {
    const pence = parseAmountToPence(v);
    if (pence === null) {
      ctx.addIssue({ code: 'custom', message: `${E}.amountInvalid` });
      return z.NEVER;
    }
    return pence;
  });

const agreementFields = {
  title: requiredText(300, 'agreementTitleRequired', 'titleTooLong'),
  recipientName: requiredText(300, 'recipientRequired', 'recipientTooLong'),
  recipientIdentifier: optionalText(100, 'identifierTooLong'),
  startsOn: isoDate('startsOnRequired', 'startsOnInvalid'),
  endsOn: isoDate('endsOnRequired', 'endsOnInvalid'),
  multiYearPossible: z.boolean(),
  overheadsAllowed: z.boolean(),
  paymentTiming: z.enum(paymentTimings, { error: `${E}.paymentTimingRequired` }),
  advanceNeeded: z.boolean(),
};

function checkAgreementDates(v: { startsOn: string; endsOn: string }, ctx: z.RefinementCtx) {
  if (bothDates(v.startsOn, v.endsOn) && v.endsOn < v.startsOn)
    ctx.addIssue({ code: 'custom', path: ['endsOn'], message: `${E}.endsBeforeStarts` });
}

/** An agreement as stored; `amountPence` is a whole number of pence. */
export const AgreementRecord = z
  .object({ ...agreementFields, amountPence: z.number().int().positive() })
  .superRefine(checkAgreementDates, always);
export type AgreementInput = z.infer<typeof AgreementRecord>;

const yesNoToBoolean = (required: string) => yesNo(required).transform((v) => v === 'yes');

export const AgreementForm = z
  .object({
    ...agreementFields,
    amount: amountField,
    multiYearPossible: yesNoToBoolean('multiYearRequired'),
    overheadsAllowed: yesNoToBoolean('overheadsRequired'),
    advanceNeeded: yesNoToBoolean('advanceNeededRequired'),
  })
  .superRefine(checkAgreementDates, always)
  .transform(({ amount, ...v }): AgreementInput => ({ ...v, amountPence: amount }));

export const ChangeForm = z
  .object({
    kind: z.enum(fundingChangeKinds, { error: `${E}.kindRequired` }),
    noticeOn: isoDate('noticeOnRequired', 'noticeOnInvalid'),
    effectiveOn: isoDate('effectiveOnRequired', 'effectiveOnInvalid'),
    reason: requiredText(4000, 'changeReasonRequired', 'reasonTooLong'),
  })
  .superRefine((v, ctx) => {
    if (bothDates(v.noticeOn, v.effectiveOn) && v.effectiveOn < v.noticeOn)
      ctx.addIssue({ code: 'custom', path: ['effectiveOn'], message: `${E}.effectiveBeforeNotice` });
  }, always);
export type ChangeInput = z.infer<typeof ChangeForm>;

// ── Agreement reviews (A1–A3) ─────────────────────────────────────────────────────────────────────────

/** The most agreement text a review takes (characters), as the public check page: about 50 pages. */
export const MAX_REVIEW_TEXT = 200_000;

/**
 * The agreement being reviewed. The review date may not be in the future: `today` is the UK calendar date
 * (from the injected clock), passed in by the route.
 */
export function reviewForm(today: string) {
  return z
    .object({
      title: requiredText(300, 'reviewTitleRequired', 'titleTooLong'),
      reference: optionalText(200, 'referenceTooLong'),
      reviewedOn: isoDate('reviewedOnRequired', 'reviewedOnInvalid'),
      text: z
        .string({ error: `${E}.reviewTextRequired` })
        .transform((v) => v.replace(/\r\n/g, '\n'))
        .refine((v) => v.trim() !== '', `${E}.reviewTextRequired`)
        .refine((v) => v.length <= MAX_REVIEW_TEXT, `${E}.reviewTextTooLong`),
    })
    .superRefine((v, ctx) => {
      if (typeof v.reviewedOn === 'string' && isIsoDate(v.reviewedOn) && v.reviewedOn > today)
        ctx.addIssue({ code: 'custom', path: ['reviewedOn'], message: `${E}.reviewedOnFuture` });
    }, always);
}
export type ReviewInput = z.infer<ReturnType<typeof reviewForm>>;

/**
 * The reviewer's decision on each clause the checker proposed (`decision-<n>`: yes, a conflict; no, set
 * aside) and a note (`note-<n>`), required when a clause is set aside so the record says why.
 */
export function reviewDecisionsForm(count: number) {
  const fields: Record<string, z.ZodType> = {};
  for (let i = 0; i < count; i++) {
    fields[`decision-${i}`] = yesNo('decisionRequired');
    fields[`note-${i}`] = optionalText(2000, 'noteTooLong');
  }
  return z
    .object(fields)
    .superRefine((v, ctx) => {
      for (let i = 0; i < count; i++)
        if (v[`decision-${i}`] === 'no' && !v[`note-${i}`])
          ctx.addIssue({ code: 'custom', path: [`note-${i}`], message: `${E}.setAsideNoteRequired` });
    }, always)
    .transform((v) =>
      Array.from({ length: count }, (_, i) => ({
        confirmed: v[`decision-${i}`] === 'yes',
        note: (v[`note-${i}`] as string | null) ?? null,
      })),
    );
}
export type ReviewDecision = { confirmed: boolean; note: string | null };

// ── Imports and public filters ────────────────────────────────────────────────────────────────────────

export const importKinds = ['consultations', 'funding'] as const;
export type ImportKind = (typeof importKinds)[number];

export const ImportForm = z.object({
  kind: z.enum(importKinds, { error: `${E}.importKindRequired` }),
});

/** The public list's filters: an unknown standard or body is "all", never an error page. */
export const FindingsFilter = z.object({
  standard: z.enum(['C1', 'C3', 'F1', 'F2', 'F3', 'F4', 'A1', 'A2', 'A3']).optional().catch(undefined),
  body: z
    .string()
    .trim()
    .max(200)
    .regex(/^[a-z0-9-]*$/)
    .optional()
    .catch(undefined)
    .transform((v) => (v ? v : undefined)),
});
export type FindingsFilterInput = z.infer<typeof FindingsFilter>;
