/**
 * Forms of consultations, validated once at the edge. Messages are catalogue keys (`consultations.errors.*`).
 * Dates come from GOV.UK date inputs joined into `YYYY-MM-DD` (joinDateFields). Consultation questions use
 * the survey builder's question form (surveys.schema.ts `questionForm`), so a question is checked the same
 * way wherever it is built.
 */
import { z } from 'zod';
import { isIsoDate } from '../../platform/calendar/iso-date.ts';
import { questionForm } from '../surveys/surveys.schema.ts';
import type { QuestionDefinition, QuestionType } from '../surveys/questions/types.ts';
import { isShortPeriod } from './consultations.rules.ts';
import { commentStances, consentChoices, principleViews, respondentTypes } from './consultations.tables.ts';

const E = 'consultations.errors';

const required = (max: number, name: string) =>
  z
    .string({ error: `${E}.${name}Required` })
    .trim()
    .min(1, `${E}.${name}Required`)
    .max(max, `${E}.${name}TooLong`);
const optional = (max: number, name: string) =>
  z
    .string()
    .trim()
    .max(max, `${E}.${name}TooLong`)
    .optional()
    .transform((v) => (v ? v : null));
const date = (name: string) =>
  z
    .string({ error: `${E}.${name}Required` })
    .min(1, `${E}.${name}Required`)
    .refine(isIsoDate, `${E}.${name}Invalid`);

/** Organisation types and sizes recorded for responses on behalf of an organisation. */
export const organisationTypes = [
  'charity',
  'community_group',
  'social_enterprise',
  'faith_group',
  'infrastructure',
  'public_body',
  'business',
  'other',
] as const;
export const organisationSizes = ['micro', 'small', 'medium', 'large', 'major'] as const;

/** The question types a consultation can ask (rating public bodies is the annual review's, not ours). */
export const consultationQuestionTypes = [
  'single_choice',
  'multiple_choice',
  'agreement',
  'free_text',
  'number',
] as const satisfies readonly QuestionType[];

/** The consultation's details (the Covenant team). `versionIds` are the versions offered. */
export function consultationForm(versionIds: readonly string[], subCovenantIds: readonly string[]) {
  return z
    .object({
      title: required(200, 'title'),
      summary: required(5000, 'summary'),
      howResponsesUsed: required(5000, 'howResponsesUsed'),
      versionId: z
        .string({ error: `${E}.versionRequired` })
        .refine((v) => versionIds.includes(v), `${E}.versionRequired`),
      subCovenantId: z
        .string()
        .optional()
        .refine((v) => !v || subCovenantIds.includes(v), `${E}.subCovenantInvalid`)
        .transform((v) => v || null),
      opensOn: date('opensOn'),
      closesOn: date('closesOn'),
      shortPeriodReason: optional(2000, 'shortPeriodReason'),
    })
    .superRefine((v, ctx) => {
      // zod runs this even when a date failed its own check: compare only real dates.
      if (!isIsoDate(v.opensOn) || !isIsoDate(v.closesOn)) return;
      if (v.closesOn < v.opensOn) {
        ctx.addIssue({ code: 'custom', path: ['closesOn'], message: `${E}.closesBeforeOpens` });
        return;
      }
      // Compact 2010, 2.4: shorter than 12 weeks needs a reason, given here and shown with the warning.
      if (isShortPeriod(v.opensOn, v.closesOn) && !v.shortPeriodReason)
        ctx.addIssue({
          code: 'custom',
          path: ['shortPeriodReason'],
          message: `${E}.shortPeriodReasonRequired`,
        });
    })
    .transform((v) => ({
      ...v,
      shortPeriodReason: isShortPeriod(v.opensOn, v.closesOn) ? v.shortPeriodReason : null,
    }));
}
export type ConsultationInput = z.infer<ReturnType<typeof consultationForm>>;

export const QuestionTypeForm = z.object({
  type: z.enum(consultationQuestionTypes, { error: `${E}.questionTypeRequired` }),
});

/**
 * A consultation question: the survey builder's question form for the chosen type, turned into a
 * question-engine definition (no principle link or progress sign: those are the annual review's).
 */
export function consultationQuestionForm(type: QuestionType, withKey: boolean) {
  return questionForm(type, [], withKey).transform((q): QuestionDefinition => ({
    key: q.key,
    type: q.type,
    text: q.text,
    help: q.help,
    required: q.required,
    ...(q.settings.options ? { options: q.settings.options } : {}),
    ...(q.settings.number ? { number: q.settings.number } : {}),
    ...(q.settings.maxLength ? { maxLength: q.settings.maxLength } : {}),
  }));
}

/** About you: individual or organisation; the organisation's type and size when for one. */
export const AboutForm = z
  .object({
    respondentType: z.enum(respondentTypes, { error: `${E}.respondentTypeRequired` }),
    respondentName: optional(200, 'respondentName'),
    respondentEmail: z
      .string()
      .trim()
      .max(320, `${E}.emailInvalid`)
      .optional()
      .transform((v) => (v ? v.toLowerCase() : null))
      .refine((v) => v === null || z.email().safeParse(v).success, `${E}.emailInvalid`),
    organisationName: optional(300, 'organisationName'),
    organisationType: z.string().optional(),
    organisationSize: z.string().optional(),
  })
  .superRefine((v, ctx) => {
    if (v.respondentType !== 'organisation') return;
    if (!v.organisationName)
      ctx.addIssue({ code: 'custom', path: ['organisationName'], message: `${E}.organisationNameRequired` });
    if (!(organisationTypes as readonly string[]).includes(v.organisationType ?? ''))
      ctx.addIssue({ code: 'custom', path: ['organisationType'], message: `${E}.organisationTypeRequired` });
    if (!(organisationSizes as readonly string[]).includes(v.organisationSize ?? ''))
      ctx.addIssue({ code: 'custom', path: ['organisationSize'], message: `${E}.organisationSizeRequired` });
  })
  .transform((v) => {
    const organisation = v.respondentType === 'organisation';
    return {
      respondentType: v.respondentType,
      respondentName: v.respondentName,
      respondentEmail: v.respondentEmail,
      organisationName: organisation ? v.organisationName : null,
      organisationType: organisation ? (v.organisationType ?? null) : null,
      organisationSize: organisation ? (v.organisationSize ?? null) : null,
    };
  });
export type AboutInput = z.infer<typeof AboutForm>;

/** A comment on one paragraph. A suggested change needs the suggested wording. */
export const CommentForm = z
  .object({
    stance: z.enum(commentStances, { error: `${E}.stanceRequired` }),
    comment: optional(5000, 'comment'),
    suggestedText: optional(5000, 'suggestedText'),
  })
  .superRefine((v, ctx) => {
    if (v.stance === 'suggest_change' && !v.suggestedText)
      ctx.addIssue({ code: 'custom', path: ['suggestedText'], message: `${E}.suggestedTextRequired` });
    if (v.stance === 'disagree' && !v.comment)
      ctx.addIssue({ code: 'custom', path: ['comment'], message: `${E}.commentRequiredDisagree` });
  })
  .transform((v) => ({
    stance: v.stance,
    comment: v.comment ?? '',
    suggestedText: v.stance === 'suggest_change' ? v.suggestedText : null,
  }));
export type CommentInput = z.infer<typeof CommentForm>;

/** A view on each principle (`view-<slug>`) with an optional comment (`comment-<slug>`). */
export function principlesForm(principles: readonly { id: string; slug: string }[]) {
  const shape: Record<string, z.ZodType> = {};
  for (const p of principles) {
    shape[`view-${p.slug}`] = z.enum(principleViews, { error: `${E}.principleViewRequired` });
    shape[`comment-${p.slug}`] = optional(2000, 'principleComment');
  }
  return z.object(shape).transform((v) =>
    principles.map((p) => ({
      principleId: p.id,
      view: v[`view-${p.slug}`] as (typeof principleViews)[number],
      comment: (v[`comment-${p.slug}`] as string | null) ?? '',
    })),
  );
}
export type PrincipleViewInput = z.infer<ReturnType<typeof principlesForm>>;

export const ConsentForm = z.object({
  consent: z.enum(consentChoices, { error: `${E}.consentRequired` }),
});

export const ResumeEmailForm = z.object({
  email: z
    .string({ error: `${E}.emailRequired` })
    .trim()
    .min(1, `${E}.emailRequired`)
    .pipe(z.email(`${E}.emailInvalid`)),
});

/** The moderator's decision on one response. */
export const ModerateForm = z
  .object({
    decision: z.enum(['publish', 'hold'], { error: `${E}.decisionRequired` }),
    note: optional(2000, 'note'),
    phrases: optional(2000, 'phrases'),
    holdComments: z
      .union([z.string(), z.array(z.string())])
      .optional()
      .transform((v) => (v === undefined ? [] : [v].flat())),
  })
  .superRefine((v, ctx) => {
    if (v.decision === 'hold' && !v.note)
      ctx.addIssue({ code: 'custom', path: ['note'], message: `${E}.noteRequired` });
  });
export type ModerateInput = z.infer<typeof ModerateForm>;

export const SearchQuery = z.object({
  q: z
    .string()
    .trim()
    .max(200)
    .optional()
    .transform((v) => v || null),
  page: z.coerce.number().int().min(1).max(10_000).optional().default(1),
});
