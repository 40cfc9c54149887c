/**
 * Form schemas for the report journey, triage and routing rules. Messages are catalogue keys under
 * `cases.report.errors`, `cases.triage.errors` and `cases.routing.errors` (translated by parseForm).
 * The answers of a report draft are the union of the pages' schemas (`ReportAnswers`).
 */
import { z } from 'zod';
import { emailField } from '../accounts/accounts.schema.ts';
import { isIsoDate } from '../../platform/calendar/iso-date.ts';
import { caseCategories, caseKinds, confidentialityModes, type CaseCategory } from './cases.tables.ts';

const E = 'cases.report.errors';

// C0 control characters other than tab, line feed and carriage return, and DEL. Nobody means to type them
// (they come along with pasted text), they would reach the body and the register, and PostgreSQL cannot store
// NUL at all, so a report holding one failed with a server error. They are removed before the field's own
// checks, so a title of nothing but control characters is "Enter a title".
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;
/** `schema` applied to the submitted string with its control characters removed. */
const typed = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (typeof v === 'string' ? v.replace(CONTROL_CHARACTERS, '') : v), schema);

const text = (max: number, required: string, tooLong: string) =>
  typed(
    z
      .string({ error: `${E}.${required}` })
      .trim()
      .min(1, `${E}.${required}`)
      .max(max, `${E}.${tooLong}`),
  );
const optionalText = (max: number, tooLong: string) =>
  typed(z.string().trim().max(max, `${E}.${tooLong}`).optional()).transform((v) => v || undefined);

export const KindForm = z.object({ kind: z.enum(caseKinds, { error: `${E}.kindRequired` }) });

/** What the report is about: one of the triage categories ("other" when none fits). */
export const CategoryForm = z.object({
  category: z.enum(caseCategories, { error: `${E}.categoryRequired` }),
});

/** The body step: a search (GET) and a choice (POST). `notFound` means "I can't find it": keep the name. */
const bodyNameField = typed(z.string().trim().max(200, `${E}.bodyNameTooLong`).optional().default(''));
export const BodySearchQuery = z.object({ q: bodyNameField });
export const BodyChoiceForm = z
  .object({
    // A result's id or "not-found"; anything else did not come from the page's choices (and is not a uuid
    // the database could look up), so it is the same as choosing nothing.
    bodyId: z
      .string({ error: `${E}.bodyRequired` })
      .refine((v) => v === 'not-found' || z.uuid().safeParse(v).success, `${E}.bodyRequired`),
    q: bodyNameField,
  })
  .superRefine((v, ctx) => {
    if (v.bodyId === 'not-found' && v.q.length < 2)
      ctx.addIssue({ code: 'custom', path: ['bodyId'], message: `${E}.bodyNameRequired` });
  });

export const WhatHappenedForm = z.object({
  title: text(150, 'titleRequired', 'titleTooLong'),
  whatHappened: text(10_000, 'whatHappenedRequired', 'whatHappenedTooLong'),
});

/** GOV.UK date input: three fields, a real date, not in the future (checked against today by the route). */
export const WhenForm = z
  .object({
    'happenedOn-day': z.string().trim().default(''),
    'happenedOn-month': z.string().trim().default(''),
    'happenedOn-year': z.string().trim().default(''),
  })
  .transform((v, ctx) => {
    const [d, m, y] = [v['happenedOn-day'], v['happenedOn-month'], v['happenedOn-year']];
    if (!d && !m && !y) {
      ctx.addIssue({ code: 'custom', path: ['happenedOn'], message: `${E}.dateRequired` });
      return z.NEVER;
    }
    const iso = `${y.padStart(4, '0')}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;
    if (!/^\d{4}$/.test(y) || !/^\d{1,2}$/.test(m) || !/^\d{1,2}$/.test(d) || !isIsoDate(iso)) {
      ctx.addIssue({ code: 'custom', path: ['happenedOn'], message: `${E}.dateInvalid` });
      return z.NEVER;
    }
    return { happenedOn: iso };
  });

const list = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (v === undefined ? [] : [v].flat()));

export const CommitmentsForm = z
  .object({ commitmentIds: list })
  .transform((v) => {
    const notSure = v.commitmentIds.includes('not-sure');
    return { commitmentIds: v.commitmentIds.filter((id) => id !== 'not-sure'), commitmentsNotSure: notSure };
  })
  .superRefine((v, ctx) => {
    // The page offers commitments by id; any other value was not one of its boxes, and as a uuid the
    // submission's lookup would fail on it.
    const notOffered = v.commitmentIds.some((id) => !z.uuid().safeParse(id).success);
    if (notOffered || (!v.commitmentsNotSure && v.commitmentIds.length === 0))
      ctx.addIssue({ code: 'custom', path: ['commitmentIds'], message: `${E}.commitmentsRequired` });
  });

/** Impact and outcome are required for a problem; a question or good practice may leave them blank. */
export const impactForm = (required: boolean) =>
  z.object({
    impact: required ? text(5000, 'impactRequired', 'impactTooLong') : optionalText(5000, 'impactTooLong'),
  });
export const outcomeForm = (required: boolean) =>
  z.object({
    outcomeWanted: required
      ? text(5000, 'outcomeRequired', 'outcomeTooLong')
      : optionalText(5000, 'outcomeTooLong'),
  });

export const ConfidentialityForm = z
  .object({
    confidentiality: z.enum(confidentialityModes, { error: `${E}.confidentialityRequired` }),
    memberOrganisation: typed(
      z.string().trim().max(200, `${E}.memberOrganisationTooLong`).optional().default(''),
    ),
    memberContactName: typed(z.string().trim().max(100, `${E}.nameTooLong`).optional().default('')),
    memberContactEmail: typed(z.string().trim().max(254, `${E}.emailInvalid`).optional().default('')),
  })
  .superRefine((v, ctx) => {
    if (v.confidentiality !== 'intermediary') return;
    if (!v.memberOrganisation)
      ctx.addIssue({
        code: 'custom',
        path: ['memberOrganisation'],
        message: `${E}.memberOrganisationRequired`,
      });
    if (v.memberContactEmail && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v.memberContactEmail))
      ctx.addIssue({ code: 'custom', path: ['memberContactEmail'], message: `${E}.emailInvalid` });
  });

export const DetailsForm = z.object({
  name: text(100, 'nameRequired', 'nameTooLong'),
  email: typed(emailField),
  phone: z
    .string()
    .trim()
    .max(30, `${E}.phoneInvalid`)
    .regex(/^[+\d\s()-]*$/, `${E}.phoneInvalid`)
    .optional()
    .transform((v) => v || undefined),
  organisationName: optionalText(200, 'organisationTooLong'),
});

/** Everything a draft can hold, as saved page by page. */
export interface ReportAnswers {
  kind?: (typeof caseKinds)[number];
  /** What the report is about (the triage categories; used by routing and for the deadlines). */
  category?: CaseCategory;
  bodyId?: string;
  bodyName?: string;
  bodyNameGiven?: string;
  title?: string;
  whatHappened?: string;
  happenedOn?: string;
  commitmentIds?: string[];
  commitmentsNotSure?: boolean;
  impact?: string;
  /** The reporter has been past the evidence page (files are optional). */
  evidenceSeen?: boolean;
  outcomeWanted?: string;
  confidentiality?: (typeof confidentialityModes)[number];
  memberOrganisation?: string;
  memberContactName?: string;
  memberContactEmail?: string;
  name?: string;
  email?: string;
  phone?: string;
  organisationName?: string;
  /** The one-time key the check-answers form carries (ARCHITECTURE: a double submit creates one case). */
  submissionKey?: string;
}

export const SubmitForm = z.object({ submissionKey: z.string().min(16).max(100) });

// Triage (Covenant team).
const T = 'cases.triage.errors';
/** What the triage page can decide (the lifecycle table says which apply in the case's state). */
export const triageFormActions = [
  'accept',
  'request_information',
  'reject_out_of_scope',
  'mark_duplicate',
  'reroute',
] as const;
export const TriageActionForm = z
  .object({
    action: z.enum(triageFormActions, {
      error: `${T}.actionRequired`,
    }),
    version: z.coerce.number().int().min(1),
    bodyId: z.string().trim().optional().default(''),
    category: z.enum(caseCategories).optional().default('other'),
    text: z.string().trim().max(5000, `${T}.textTooLong`).optional().default(''),
    duplicateOf: z.string().trim().optional().default(''),
  })
  .superRefine((v, ctx) => {
    if ((v.action === 'accept' || v.action === 'reroute') && !v.bodyId)
      ctx.addIssue({ code: 'custom', path: ['bodyId'], message: `${T}.bodyRequired` });
    if (
      (v.action === 'request_information' || v.action === 'reject_out_of_scope' || v.action === 'reroute') &&
      !v.text
    )
      ctx.addIssue({ code: 'custom', path: ['text'], message: `${T}.textRequired` });
    if (v.action === 'mark_duplicate' && !v.duplicateOf)
      ctx.addIssue({ code: 'custom', path: ['duplicateOf'], message: `${T}.duplicateRequired` });
  });
export type TriageAction = z.infer<typeof TriageActionForm>;

// Routing rules (administrators).
const R = 'cases.routing.errors';
const optionalId = z
  .string()
  .trim()
  .optional()
  .transform((v) => v || null);
/** A whole number of working days from 1 to `max` (one message for anything else, typed or not). */
const days = (max: number, invalid: string) =>
  z.coerce.number({ error: invalid }).int(invalid).min(1, invalid).max(max, invalid);
/** Optional working days: blank means "not set" (null). */
const optionalDays = (max: number, invalid: string) =>
  z
    .preprocess(
      (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
      days(max, invalid).optional(),
    )
    .transform((v) => v ?? null);
/** Required working days: blank gets its own message. */
const requiredDays = (max: number, required: string, invalid: string) =>
  z
    .string({ error: required })
    .trim()
    .min(1, required)
    .pipe(z.coerce.number<string>({ error: invalid }).int(invalid).min(1, invalid).max(max, invalid));
export const RoutingRuleForm = z
  .object({
    bodyId: z
      .string({ error: `${R}.bodyRequired` })
      .trim()
      .min(1, `${R}.bodyRequired`),
    category: z
      .union([z.enum(caseCategories), z.literal('')])
      .optional()
      .transform((v) => v || null),
    nation: z
      .union([z.enum(['england', 'wales', 'scotland', 'northern-ireland']), z.literal('')])
      .optional()
      .transform((v) => v || null),
    areaGss: z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^([ENSW]\d{8})?$/, `${R}.areaInvalid`)
      .optional()
      .transform((v) => v || null),
    routeToBodyId: optionalId,
    assigneeUserId: optionalId,
    acknowledgeWithinDays: optionalDays(60, `${R}.ackDaysInvalid`),
    respondWithinDays: optionalDays(120, `${R}.respondDaysInvalid`),
  })
  .refine(
    (v) => !v.acknowledgeWithinDays || !v.respondWithinDays || v.respondWithinDays >= v.acknowledgeWithinDays,
    { path: ['respondWithinDays'], message: `${R}.respondBeforeAck` },
  );
export type RoutingRuleInput = z.infer<typeof RoutingRuleForm>;

/** The working days a category gives bodies (administrators; issue 4: "configurable per category"). */
export const CategoryDeadlineForm = z
  .object({
    acknowledgeWithinDays: requiredDays(60, `${R}.ackDaysRequired`, `${R}.ackDaysInvalid`),
    respondWithinDays: requiredDays(120, `${R}.respondDaysRequired`, `${R}.respondDaysInvalid`),
  })
  .refine((v) => v.respondWithinDays >= v.acknowledgeWithinDays, {
    path: ['respondWithinDays'],
    message: `${R}.respondBeforeAck`,
  });
