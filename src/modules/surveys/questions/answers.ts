/**
 * Answers: one zod schema per question (built from its definition) turns the submitted form fields into a
 * stored answer or GOV.UK error messages; view models give the govuk-frontend macros what they need to show
 * a question (with the respondent's earlier answer or the values they just submitted); summary rows show
 * answers on a check-your-answers page, and plain text copies them into an email.
 *
 * Field names: a question's field is its key (`listened`); a body rating's rows are `<key>-body-<n>` and
 * `<key>-rating-<n>`. Error links point at the first input of the field, as GOV.UK's error summary asks.
 */
import { z } from 'zod';
import type { GovukErrors } from '../../../platform/views/form-errors.ts';
import type { Translate } from '../../../platform/i18n/i18n.ts';
import {
  DEFAULT_MAX_BODIES,
  DEFAULT_MAX_LENGTH,
  agreementValues,
  bodyRatingValues,
  optionValuesOf,
  type AnswerValue,
  type Answers,
  type BodyRating,
  type QuestionDefinition,
} from './types.ts';

/** What a page needs from outside the definitions: the public bodies a respondent may rate. */
export interface AnswerContext {
  bodies?: readonly { id: string; name: string }[];
}

type Raw = Record<string, unknown>;
const M = 'questionEngine.errors.';

function str(value: unknown): string {
  if (Array.isArray(value)) return str(value[0]);
  return typeof value === 'string' ? value.trim() : '';
}

function list(value: unknown): string[] {
  const values = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  return values.map((v) => (typeof v === 'string' ? v.trim() : '')).filter((v) => v !== '');
}

/** Issue params travel with the issue, so messages can name the question, limits and bodies. */
interface IssueParams {
  field: string;
  [name: string]: string | number;
}

function issue(ctx: z.RefinementCtx, message: string, params: IssueParams) {
  ctx.addIssue({ code: 'custom', message, path: [params.field], params });
}

/**
 * The schema for one question: input is the whole submitted body (a question may own several fields),
 * output is the answer, or null when an optional question was left blank.
 */
export function answerSchema(
  question: QuestionDefinition,
  context: AnswerContext = {},
): z.ZodType<AnswerValue | null, Raw> {
  const key = question.key;
  const base = z.record(z.string(), z.unknown());
  switch (question.type) {
    case 'single_choice':
    case 'agreement': {
      const options = optionValuesOf(question);
      return base.transform((raw, ctx) => {
        const value = str(raw[key]);
        if (value === '') {
          if (question.required)
            issue(ctx, M + (question.type === 'agreement' ? 'agreementRequired' : 'choiceRequired'), {
              field: key,
            });
          return null;
        }
        if (!options.includes(value)) {
          issue(ctx, M + 'choiceInvalid', { field: key });
          return null;
        }
        return value;
      });
    }
    case 'multiple_choice': {
      const options = optionValuesOf(question);
      const exclusive = new Set((question.options ?? []).filter((o) => o.exclusive).map((o) => o.value));
      return base.transform((raw, ctx) => {
        const values = [...new Set(list(raw[key]))];
        if (values.length === 0) {
          if (question.required) issue(ctx, M + 'multipleRequired', { field: key });
          return null;
        }
        if (values.some((v) => !options.includes(v))) {
          issue(ctx, M + 'choiceInvalid', { field: key });
          return null;
        }
        const chosenExclusive = values.find((v) => exclusive.has(v));
        if (chosenExclusive && values.length > 1) {
          const label = question.options?.find((o) => o.value === chosenExclusive)?.label ?? chosenExclusive;
          issue(ctx, M + 'exclusive', { field: key, option: label });
          return null;
        }
        // Stored in the order the options are offered, so equal answers compare equal.
        return options.filter((o) => values.includes(o));
      });
    }
    case 'free_text': {
      const max = question.maxLength ?? DEFAULT_MAX_LENGTH;
      return base.transform((raw, ctx) => {
        const value = typeof raw[key] === 'string' ? (raw[key] as string).replace(/\r\n/g, '\n').trim() : '';
        if (value === '') {
          if (question.required) issue(ctx, M + 'textRequired', { field: key });
          return null;
        }
        if (value.length > max) {
          issue(ctx, M + 'textTooLong', { field: key, max });
          return null;
        }
        return value;
      });
    }
    case 'number': {
      const { min, max, integer } = question.number ?? {};
      return base.transform((raw, ctx) => {
        const text = str(raw[key]).replace(/,/g, '');
        if (text === '') {
          if (question.required) issue(ctx, M + 'numberRequired', { field: key });
          return null;
        }
        if (!/^-?\d+(\.\d+)?$/.test(text)) {
          issue(ctx, M + 'numberInvalid', { field: key });
          return null;
        }
        const value = Number(text);
        if (integer && !Number.isInteger(value)) {
          issue(ctx, M + 'numberWhole', { field: key });
          return null;
        }
        if (min != null && value < min) {
          issue(ctx, M + 'numberTooSmall', { field: key, min });
          return null;
        }
        if (max != null && value > max) {
          issue(ctx, M + 'numberTooLarge', { field: key, max });
          return null;
        }
        return value;
      });
    }
    case 'body_rating': {
      const rows = question.maxBodies ?? DEFAULT_MAX_BODIES;
      const names = new Map((context.bodies ?? []).map((b) => [b.id, b.name]));
      return base.transform((raw, ctx) => {
        const ratings: BodyRating[] = [];
        let failed = false;
        for (let n = 1; n <= rows; n++) {
          const bodyField = `${key}-body-${n}`;
          const ratingField = `${key}-rating-${n}`;
          const bodyId = str(raw[bodyField]);
          const rating = str(raw[ratingField]);
          if (bodyId === '' && rating === '') continue;
          if (bodyId === '') {
            issue(ctx, M + 'bodyRequired', { field: bodyField, n });
            failed = true;
          } else if (!names.has(bodyId)) {
            issue(ctx, M + 'bodyUnknown', { field: bodyField, n });
            failed = true;
          } else if (ratings.some((r) => r.bodyId === bodyId)) {
            issue(ctx, M + 'bodyRepeated', { field: bodyField, body: names.get(bodyId)! });
            failed = true;
          } else if (rating === '') {
            issue(ctx, M + 'ratingRequired', { field: `${ratingField}`, body: names.get(bodyId)! });
            failed = true;
          } else if (!(bodyRatingValues as readonly number[]).includes(Number(rating))) {
            issue(ctx, M + 'choiceInvalid', { field: ratingField });
            failed = true;
          } else ratings.push({ bodyId, rating: Number(rating) });
        }
        if (failed) return null;
        if (ratings.length === 0) {
          if (question.required) issue(ctx, M + 'bodyRatingRequired', { field: `${key}-body-1` });
          return null;
        }
        return ratings;
      });
    }
  }
}

export type PageResult =
  | { success: true; answers: Answers; cleared: string[] }
  | { success: false; errors: GovukErrors; values: Raw };

/**
 * Validates the answers to the questions on one page. On success, `answers` has a value for each answered
 * question and `cleared` lists the questions left blank (so a saved answer can be removed).
 */
export function parsePage(
  questions: readonly QuestionDefinition[],
  body: unknown,
  t: Translate,
  context: AnswerContext = {},
): PageResult {
  const raw: Raw = typeof body === 'object' && body !== null ? (body as Raw) : {};
  const errors: GovukErrors = { list: [], byField: {} };
  const answers: Answers = {};
  const cleared: string[] = [];
  for (const q of questions) {
    const result = answerSchema(q, context).safeParse(raw);
    if (result.success) {
      if (result.data === null) cleared.push(q.key);
      else answers[q.key] = result.data;
      continue;
    }
    for (const found of result.error.issues) {
      const params = ((found as { params?: IssueParams }).params ?? { field: q.key }) as IssueParams;
      if (errors.byField[params.field]) continue;
      const text = t(found.message, { ...params, question: q.text });
      errors.byField[params.field] = { text };
      errors.list.push({ text, href: `#${params.field}` });
    }
  }
  if (errors.list.length > 0) return { success: false, errors, values: raw };
  return { success: true, answers, cleared };
}

/** The form fields an answer came from, so a page can show a saved answer the way it was typed. */
export function toFieldValues(question: QuestionDefinition, value: AnswerValue | undefined): Raw {
  if (value === undefined) return {};
  if (question.type === 'body_rating') {
    const out: Raw = {};
    (value as BodyRating[]).forEach((r, i) => {
      out[`${question.key}-body-${i + 1}`] = r.bodyId;
      out[`${question.key}-rating-${i + 1}`] = String(r.rating);
    });
    return out;
  }
  return { [question.key]: typeof value === 'number' ? String(value) : value };
}

/** Field values for a page: what was just submitted, or else the saved answers. */
export function fieldValuesFor(questions: readonly QuestionDefinition[], answers: Answers): Raw {
  return Object.assign({}, ...questions.map((q) => toFieldValues(q, answers[q.key])));
}

// ---------------------------------------------------------------------------------------------------------
// Showing questions

export interface QuestionView {
  key: string;
  component: 'radios' | 'checkboxes' | 'characterCount' | 'input' | 'bodyRating';
  /** Parameters for the govuk-frontend macro (or, for bodyRating, the fieldset and its rows). */
  params: Record<string, unknown>;
}

function labelFor(t: Translate, key: string) {
  return t(`questionEngine.${key}`);
}

/**
 * The view model for one question: the govuk-frontend macro and its parameters, with the value and error.
 * `headingLevel`: when the page asks a single question its legend is the page's h1 (GOV.UK pattern).
 */
export function questionView(
  question: QuestionDefinition,
  values: Raw,
  errors: GovukErrors | undefined,
  t: Translate,
  options: AnswerContext & { asPageHeading?: boolean } = {},
): QuestionView {
  const key = question.key;
  const error = errors?.byField[key];
  const heading = options.asPageHeading
    ? { text: question.text, isPageHeading: true, classes: 'govuk-fieldset__legend--l' }
    : { text: question.text, classes: 'govuk-fieldset__legend--m' };
  const labelHeading = options.asPageHeading
    ? { text: question.text, isPageHeading: true, classes: 'govuk-label--l' }
    : { text: question.text, classes: 'govuk-label--m' };
  const hint = question.help ? { text: question.help } : undefined;
  const optionalSuffix = question.required ? '' : ` ${labelFor(t, 'optional')}`;
  const withOptional = <T extends { text: string }>(h: T): T => ({ ...h, text: h.text + optionalSuffix });
  switch (question.type) {
    case 'single_choice':
    case 'agreement': {
      const current = str(values[key]);
      const items =
        question.type === 'agreement'
          ? agreementValues.map((v) => ({
              value: v,
              text: labelFor(t, `agreement.${v}`),
              checked: current === v,
            }))
          : (question.options ?? []).map((o) => ({
              value: o.value,
              text: o.label,
              hint: o.hint ? { text: o.hint } : undefined,
              checked: current === o.value,
            }));
      return {
        key,
        component: 'radios',
        params: {
          name: key,
          idPrefix: key,
          fieldset: { legend: withOptional(heading) },
          hint,
          items,
          errorMessage: error,
        },
      };
    }
    case 'multiple_choice': {
      const current = list(values[key]);
      const items: Record<string, unknown>[] = [];
      for (const o of question.options ?? []) {
        if (o.exclusive && items.length > 0) items.push({ divider: labelFor(t, 'or') });
        items.push({
          value: o.value,
          text: o.label,
          hint: o.hint ? { text: o.hint } : undefined,
          checked: current.includes(o.value),
          behaviour: o.exclusive ? 'exclusive' : undefined,
        });
      }
      return {
        key,
        component: 'checkboxes',
        params: {
          name: key,
          idPrefix: key,
          fieldset: { legend: withOptional(heading) },
          hint: { text: [question.help, labelFor(t, 'selectAll')].filter(Boolean).join(' ') },
          items,
          errorMessage: error,
        },
      };
    }
    case 'free_text':
      return {
        key,
        component: 'characterCount',
        params: {
          name: key,
          id: key,
          label: withOptional(labelHeading),
          hint,
          value: typeof values[key] === 'string' ? values[key] : '',
          maxlength: question.maxLength ?? DEFAULT_MAX_LENGTH,
          rows: 6,
          errorMessage: error,
        },
      };
    case 'number':
      return {
        key,
        component: 'input',
        params: {
          name: key,
          id: key,
          label: withOptional(labelHeading),
          hint,
          value: str(values[key]),
          inputmode: question.number?.integer ? 'numeric' : 'decimal',
          spellcheck: false,
          classes: 'govuk-input--width-10',
          suffix: question.number?.suffix ? { text: question.number.suffix } : undefined,
          errorMessage: error,
        },
      };
    case 'body_rating': {
      const rows = question.maxBodies ?? DEFAULT_MAX_BODIES;
      const bodies = options.bodies ?? [];
      const rowViews = [];
      for (let n = 1; n <= rows; n++) {
        const bodyField = `${key}-body-${n}`;
        const ratingField = `${key}-rating-${n}`;
        const chosen = str(values[bodyField]);
        const rating = str(values[ratingField]);
        rowViews.push({
          legend: t('questionEngine.bodyRow', { n }),
          select: {
            id: bodyField,
            name: bodyField,
            label: { text: labelFor(t, 'bodyLabel') },
            items: [
              { value: '', text: labelFor(t, 'bodyNone'), selected: chosen === '' },
              ...bodies.map((b) => ({ value: b.id, text: b.name, selected: chosen === b.id })),
            ],
            errorMessage: errors?.byField[bodyField],
          },
          radios: {
            name: ratingField,
            idPrefix: ratingField,
            classes: 'govuk-radios--small',
            fieldset: { legend: { text: labelFor(t, 'ratingLabel'), classes: 'govuk-fieldset__legend--s' } },
            items: bodyRatingValues.map((v) => ({
              value: String(v),
              text: labelFor(t, `rating.${v}`),
              checked: rating === String(v),
            })),
            errorMessage: errors?.byField[ratingField],
          },
        });
      }
      return {
        key,
        component: 'bodyRating',
        params: {
          fieldset: { legend: withOptional(heading) },
          hint: {
            text: [question.help, t('questionEngine.bodyHint', { n: rows })].filter(Boolean).join(' '),
          },
          rows: rowViews,
          hasError: rowViews.some((r) => r.select.errorMessage || r.radios.errorMessage),
        },
      };
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// Showing answers

/** An answer as words: option labels, scale labels, "Home Office: Good", or "Not answered". */
export function formatAnswer(
  question: QuestionDefinition,
  value: AnswerValue | undefined,
  t: Translate,
  context: AnswerContext = {},
): string {
  if (value === undefined) return labelFor(t, 'notAnswered');
  const optionLabel = (v: string) => question.options?.find((o) => o.value === v)?.label ?? v;
  switch (question.type) {
    case 'agreement':
      return labelFor(t, `agreement.${value as string}`);
    case 'single_choice':
      return optionLabel(value as string);
    case 'multiple_choice':
      return (value as string[]).map(optionLabel).join(', ');
    case 'free_text':
      return value as string;
    case 'number':
      return [String(value), question.number?.suffix].filter(Boolean).join(' ');
    case 'body_rating': {
      const names = new Map((context.bodies ?? []).map((b) => [b.id, b.name]));
      return (value as BodyRating[])
        .map((r) => `${names.get(r.bodyId) ?? r.bodyId}: ${labelFor(t, `rating.${r.rating}`)}`)
        .join('; ');
    }
  }
}

/** Rows for govukSummaryList: one per question, with a Change link when `changeHref` is given. */
export function answerSummaryRows(
  questions: readonly QuestionDefinition[],
  answers: Answers,
  t: Translate,
  options: AnswerContext & { changeHref?: (question: QuestionDefinition) => string } = {},
) {
  return questions.map((q) => ({
    key: { text: q.text },
    value: { text: formatAnswer(q, answers[q.key], t, options) },
    actions: options.changeHref
      ? {
          items: [
            {
              href: options.changeHref(q),
              text: t('common.change'),
              visuallyHiddenText: q.text,
            },
          ],
        }
      : undefined,
  }));
}

/** Plain text (for an email copy): each question, then its answer, separated by blank lines. */
export function answersAsText(
  questions: readonly QuestionDefinition[],
  answers: Answers,
  t: Translate,
  context: AnswerContext = {},
): string {
  return questions.map((q) => `${q.text}\n${formatAnswer(q, answers[q.key], t, context)}`).join('\n\n');
}
