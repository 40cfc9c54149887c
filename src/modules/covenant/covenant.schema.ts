/**
 * Forms and queries of the Covenant registry, validated once at the edge. Messages are catalogue keys
 * (`covenant.errors.*`), translated when the page is rendered.
 */
import { z } from 'zod';
import {
  commitmentSides,
  evaluationMethods,
  missions,
  paragraphKinds,
  subCovenantKinds,
} from './covenant.tables.ts';

const E = 'covenant.errors.';

/** An optional text field: empty or spaces only becomes undefined. */
const optionalText = (maxLength: number, tooLong: string) =>
  z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? undefined : typeof v === 'string' ? v.trim() : v),
    z.string().max(maxLength, tooLong).optional(),
  );

const requiredText = (required: string, maxLength: number, tooLong: string) =>
  z.preprocess(
    (v) => (typeof v === 'string' ? v.trim() : ''),
    z.string().min(1, required).max(maxLength, tooLong),
  );

const checkbox = z.preprocess((v) => v === 'yes' || v === 'on' || v === true, z.boolean());

const httpUrl = z.preprocess(
  (v) => (typeof v === 'string' && v.trim() === '' ? undefined : typeof v === 'string' ? v.trim() : v),
  z
    .string()
    .max(2000, `${E}urlTooLong`)
    .refine((v) => /^https?:\/\/[^\s]+$/i.test(v), `${E}urlInvalid`)
    .optional(),
);

/** Editing (or adding) one paragraph of a draft, with the feedback that caused the change. */
export const ParagraphForm = z
  .object({
    kind: z.enum(paragraphKinds, { error: `${E}kindRequired` }),
    text: requiredText(`${E}paragraphRequired`, 5000, `${E}paragraphTooLong`),
    commitmentCode: optionalText(40, `${E}commitmentUnknown`),
    citationReference: optionalText(500, `${E}citationTooLong`),
    citationUrl: httpUrl,
  })
  .superRefine((v, ctx) => {
    if (v.citationUrl && !v.citationReference)
      ctx.addIssue({ code: 'custom', path: ['citationReference'], message: `${E}citationReferenceRequired` });
  });
export type ParagraphInput = z.infer<typeof ParagraphForm>;

export const NewParagraphForm = ParagraphForm.and(
  z.object({ after: z.preprocess((v) => (typeof v === 'string' ? v : ''), z.string().max(40)) }),
);
export type NewParagraphInput = z.infer<typeof NewParagraphForm>;

export const MoveParagraphForm = z.object({ direction: z.enum(['up', 'down']) });

export const PublishForm = z.object({
  changeSummary: requiredText(`${E}changeSummaryRequired`, 2000, `${E}changeSummaryTooLong`),
});

export const CommitmentForm = z.object({
  code: z.preprocess(
    (v) => (typeof v === 'string' ? v.trim().toUpperCase() : ''),
    z
      .string()
      .min(1, `${E}codeRequired`)
      .regex(/^[A-Z][A-Z0-9]{0,5}(-[A-Z0-9]{1,10}){0,3}$/, `${E}codeInvalid`),
  ),
  principle: z.string({ error: `${E}principleRequired` }).min(1, `${E}principleRequired`),
  side: z.enum(commitmentSides, { error: `${E}sideRequired` }),
  text: requiredText(`${E}commitmentTextRequired`, 2000, `${E}commitmentTextTooLong`),
  source: requiredText(`${E}sourceRequired`, 500, `${E}sourceTooLong`),
  unverified: checkbox,
});
export type CommitmentInput = z.infer<typeof CommitmentForm>;

export const StandardForm = z.object({
  code: z.preprocess(
    (v) => (typeof v === 'string' ? v.trim().toUpperCase() : ''),
    z
      .string()
      .min(1, `${E}codeRequired`)
      .regex(/^[A-Z]{1,3}[0-9]{1,3}$/, `${E}standardCodeInvalid`),
  ),
  principle: z.string({ error: `${E}principleRequired` }).min(1, `${E}principleRequired`),
  commitmentCode: optionalText(40, `${E}commitmentUnknown`),
  title: requiredText(`${E}titleRequired`, 200, `${E}titleTooLong`),
  rule: requiredText(`${E}ruleRequired`, 2000, `${E}ruleTooLong`),
  threshold: z.preprocess(
    (v) => (typeof v === 'string' && v.trim() !== '' ? Number(v.trim()) : undefined),
    z
      .number({ error: `${E}thresholdInvalid` })
      .finite(`${E}thresholdInvalid`)
      .min(0, `${E}thresholdInvalid`)
      .optional(),
  ),
  unit: optionalText(40, `${E}unitTooLong`),
  evaluation: z.enum(evaluationMethods, { error: `${E}evaluationRequired` }),
  source: requiredText(`${E}sourceRequired`, 500, `${E}sourceTooLong`),
  unverified: checkbox,
});
export type StandardInput = z.infer<typeof StandardForm>;

/** GSS codes: a letter for the nation (E, W, S, N, K) and 8 digits, e.g. E08000035 (Leeds). */
export const gssCode = /^[EWSNK]\d{8}$/;

export const SubCovenantForm = z
  .object({
    kind: z.enum(subCovenantKinds, { error: `${E}subKindRequired` }),
    title: requiredText(`${E}titleRequired`, 200, `${E}titleTooLong`),
    summary: requiredText(`${E}summaryRequired`, 1000, `${E}summaryTooLong`),
    body: optionalText(20_000, `${E}bodyTooLong`),
    mission: z.preprocess((v) => (v === '' ? undefined : v), z.enum(missions).optional()),
    department: optionalText(200, `${E}departmentTooLong`),
    areaName: optionalText(200, `${E}areaTooLong`),
    areaCode: z.preprocess(
      (v) => (typeof v === 'string' && v.trim() !== '' ? v.trim().toUpperCase() : undefined),
      z.string().regex(gssCode, `${E}areaCodeInvalid`).optional(),
    ),
  })
  .superRefine((v, ctx) => {
    if (v.kind === 'mission' && !v.mission)
      ctx.addIssue({ code: 'custom', path: ['mission'], message: `${E}missionRequired` });
    if (v.kind === 'departmental' && !v.department)
      ctx.addIssue({ code: 'custom', path: ['department'], message: `${E}departmentRequired` });
    if (v.kind === 'local' && !v.areaName)
      ctx.addIssue({ code: 'custom', path: ['areaName'], message: `${E}areaRequired` });
  });
export type SubCovenantInput = z.infer<typeof SubCovenantForm>;

export const OfficerForm = z.object({
  name: requiredText(`${E}officerNameRequired`, 200, `${E}officerNameTooLong`),
  role: requiredText(`${E}officerRoleRequired`, 200, `${E}officerRoleTooLong`),
  contactRoute: requiredText(`${E}contactRouteRequired`, 500, `${E}contactRouteTooLong`),
});
export type OfficerInput = z.infer<typeof OfficerForm>;

/** Editing a principle (the four principles are fixed: they are edited, never added or removed). */
export const PrincipleForm = z.object({
  title: requiredText(`${E}titleRequired`, 200, `${E}titleTooLong`),
  purpose: requiredText(`${E}purposeRequired`, 2000, `${E}purposeTooLong`),
  source: requiredText(`${E}sourceRequired`, 500, `${E}sourceTooLong`),
  unverified: checkbox,
});
export type PrincipleInput = z.infer<typeof PrincipleForm>;

/** Up to 10 pledges of the organisation's own, one per line. */
const ownPledges = z.preprocess(
  (v) =>
    typeof v === 'string'
      ? v
          .split(/\r?\n/)
          .map((line) => line.trim())
          .filter(Boolean)
      : [],
  z.array(z.string().max(500, `${E}ownPledgeTooLong`)).max(10, `${E}ownPledgesTooMany`),
);

/** Pledges chosen from the bank: the ids of the ticked checkboxes. */
const bankPledges = z.preprocess(
  (v) => (v === undefined || v === '' ? [] : [v].flat().filter((x) => x !== '')),
  z.array(z.string().uuid(`${E}pledgeUnknown`)).max(20, `${E}pledgeUnknown`),
);

export const SignForm = z
  .object({
    organisationId: z.string({ error: `${E}organisationRequired` }).uuid(`${E}organisationRequired`),
    signatoryName: requiredText(`${E}signatoryNameRequired`, 200, `${E}signatoryNameTooLong`),
    signatoryRole: requiredText(`${E}signatoryRoleRequired`, 200, `${E}signatoryRoleTooLong`),
    pledges: bankPledges,
    ownPledges,
    confirm: z.preprocess((v) => v === 'yes', z.literal(true, { error: `${E}confirmRequired` })),
  })
  .superRefine((v, ctx) => {
    // Signing means promising something: at least one pledge from the bank or in the organisation's words.
    if (v.pledges.length === 0 && v.ownPledges.length === 0)
      ctx.addIssue({ code: 'custom', path: ['pledges'], message: `${E}pledgesRequired` });
  });
export type SignInput = z.infer<typeof SignForm>;

/**
 * The yearly review of a signature: the pledges that still stand (from the bank and in the organisation's own
 * words), confirmed by the person reviewing. Confirming restarts the year.
 */
export const ReviewForm = z
  .object({
    pledges: bankPledges,
    ownPledges,
    confirm: z.preprocess((v) => v === 'yes', z.literal(true, { error: `${E}reviewConfirmRequired` })),
  })
  .superRefine((v, ctx) => {
    if (v.pledges.length === 0 && v.ownPledges.length === 0)
      ctx.addIssue({ code: 'custom', path: ['pledges'], message: `${E}pledgesRequired` });
  });
export type ReviewInput = z.infer<typeof ReviewForm>;

export const CompareQuery = z.object({
  from: z.string().uuid(`${E}versionUnknown`),
  to: z.string().uuid(`${E}versionUnknown`),
});

/** A pledge in the pledge bank: a short code (P1, GOV-3), the side that makes it, its words. */
export const PledgeForm = z.object({
  code: z.preprocess(
    (v) => (typeof v === 'string' ? v.trim().toUpperCase() : ''),
    z
      .string()
      .min(1, `${E}codeRequired`)
      .regex(/^[A-Z][A-Z0-9]{0,5}(-[A-Z0-9]{1,10}){0,3}$/, `${E}codeInvalid`),
  ),
  side: z.enum(commitmentSides, { error: `${E}sideRequired` }),
  text: requiredText(`${E}pledgeTextRequired`, 500, `${E}pledgeTextTooLong`),
  commitmentCode: optionalText(40, `${E}commitmentUnknown`),
  position: z.preprocess(
    (v) => (typeof v === 'string' && v.trim() !== '' ? Number(v.trim()) : undefined),
    z
      .number({ error: `${E}positionInvalid` })
      .int(`${E}positionInvalid`)
      .min(0, `${E}positionInvalid`)
      .max(10_000, `${E}positionInvalid`)
      .optional(),
  ),
});
export type PledgeInput = z.infer<typeof PledgeForm>;

export const PledgeWithdrawForm = z.object({ withdrawn: z.enum(['yes', 'no']) });
