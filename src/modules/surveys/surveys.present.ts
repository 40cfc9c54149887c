/**
 * Words for the builder's pages: a show-if rule as a sentence, the questions a rule may use (those on
 * earlier pages, with their stored values), and the builder's rule errors as GOV.UK errors.
 */
import type { Translate } from '../../platform/i18n/i18n.ts';
import { govukError, type GovukErrors } from '../../platform/views/form-errors.ts';
import { formProblemMessages } from './questions/page.ts';
import { operatorsFor } from './questions/logic.ts';
import {
  agreementValues,
  type Clause,
  type Condition,
  type FormDefinition,
  type QuestionDefinition,
} from './questions/types.ts';
import { LogicError, SurveyRuleError } from './surveys.service.ts';

/** The label of a stored answer value, for rule sentences. */
function valueLabel(q: QuestionDefinition | undefined, value: string, t: Translate) {
  if (!q) return value;
  if (q.type === 'agreement') return t(`questionEngine.agreement.${value}`);
  return q.options?.find((o) => o.value === value)?.label ?? value;
}

export function describeClause(clause: Clause, byKey: Map<string, QuestionDefinition>, t: Translate) {
  const q = byKey.get(clause.question);
  const name = `‘${q?.text ?? clause.question}’`;
  const op = t(`questionEngine.operators.${clause.operator}`);
  if (clause.operator === 'answered' || clause.operator === 'not_answered') return `${name} ${op}`;
  const value = Array.isArray(clause.value)
    ? clause.value.map((v) => `‘${valueLabel(q, v, t)}’`).join(', ')
    : typeof clause.value === 'number'
      ? String(clause.value)
      : `‘${valueLabel(q, String(clause.value ?? ''), t)}’`;
  return `${name} ${op} ${value}`;
}

/** "‘Have you worked with a public body?’ is ‘Yes’ and …", or null when always shown. */
export function describeCondition(
  condition: Condition | null | undefined,
  form: FormDefinition,
  t: Translate,
): string | null {
  if (!condition || condition.clauses.length === 0) return null;
  const byKey = new Map(form.sections.flatMap((s) => s.questions).map((q) => [q.key, q]));
  const joiner = t(condition.match === 'any' ? 'surveys.logic.describeAny' : 'surveys.logic.describeAll');
  return condition.clauses.map((c) => describeClause(c, byKey, t)).join(joiner);
}

/** The questions a rule on `sectionKey` (or on a question in it) may test: those on earlier pages. */
export function earlierQuestions(form: FormDefinition, sectionKey: string): QuestionDefinition[] {
  const index = form.sections.findIndex((s) => s.key === sectionKey);
  return form.sections.slice(0, Math.max(0, index)).flatMap((s) => s.questions);
}

/** Stored values a rule can test, for the reference table under the rule editor. */
export function valuesOf(q: QuestionDefinition, t: Translate): string {
  if (q.type === 'agreement')
    return agreementValues.map((v) => `${v} (${t(`questionEngine.agreement.${v}`)})`).join(', ');
  if (q.options) return q.options.map((o) => `${o.value} (${o.label})`).join(', ');
  return '';
}

export const MAX_CLAUSES = 3;

/**
 * Reads the rule editor's rows (`clause-N-question`, `-operator`, `-value`) into a condition, or field errors.
 * Rows with no question are ignored; a rule needs at least one row.
 */
export function parseConditionRows(
  body: Record<string, unknown>,
  match: 'all' | 'any',
  earlier: readonly QuestionDefinition[],
  t: Translate,
): { condition: Condition } | { errors: GovukErrors } {
  const errors: GovukErrors = { list: [], byField: {} };
  const fail = (field: string, key: string, n: number) => {
    const text = t(key, { n });
    errors.byField[field] = { text };
    errors.list.push({ text, href: `#${field}` });
  };
  const clauses: Clause[] = [];
  for (let n = 1; n <= MAX_CLAUSES; n++) {
    const field = (part: string) => `clause-${n}-${part}`;
    const questionKey = String(body[field('question')] ?? '').trim();
    if (!questionKey) continue;
    const q = earlier.find((e) => e.key === questionKey);
    if (!q) {
      fail(field('question'), 'surveys.logic.clauseQuestionInvalid', n);
      continue;
    }
    const operator = String(body[field('operator')] ?? '');
    if (!(operatorsFor[q.type] as readonly string[]).includes(operator)) {
      fail(field('operator'), 'surveys.logic.clauseOperatorRequired', n);
      continue;
    }
    const clause: Clause = { question: q.key, operator: operator as Clause['operator'] };
    const raw = String(body[field('value')] ?? '').trim();
    if (operator !== 'answered' && operator !== 'not_answered') {
      if (!raw) {
        fail(field('value'), 'surveys.logic.clauseValueRequired', n);
        continue;
      }
      if (operator === 'at_least' || operator === 'at_most') {
        if (!/^-?\d+(\.\d+)?$/.test(raw)) {
          fail(field('value'), 'surveys.logic.clauseNumberInvalid', n);
          continue;
        }
        clause.value = Number(raw);
      } else if (operator === 'any_of')
        clause.value = raw
          .split(',')
          .map((v) => v.trim())
          .filter(Boolean);
      else clause.value = raw;
    }
    clauses.push(clause);
  }
  if (errors.list.length > 0) return { errors };
  if (clauses.length === 0) return { errors: govukError('clause-1-question', t('surveys.logic.noneGiven')) };
  return { condition: { match, clauses } };
}

/** Field values that show a stored rule in the editor. */
export function conditionFieldValues(condition: Condition | null | undefined): Record<string, string> {
  const values: Record<string, string> = { match: condition?.match ?? 'all' };
  (condition?.clauses ?? []).forEach((c, i) => {
    values[`clause-${i + 1}-question`] = c.question;
    values[`clause-${i + 1}-operator`] = c.operator;
    values[`clause-${i + 1}-value`] = Array.isArray(c.value) ? c.value.join(', ') : String(c.value ?? '');
  });
  return values;
}

/** A builder rule or skip-logic refusal as GOV.UK errors against `field` (or the given fallback). */
export function builderErrors(error: unknown, t: Translate, fallbackField: string): GovukErrors | null {
  if (error instanceof SurveyRuleError) {
    const text = t(error.messageKey, error.params);
    const field =
      error.field === 'publish' || error.field === 'section' || error.field === 'question'
        ? fallbackField
        : error.field;
    return govukError(field, text);
  }
  if (error instanceof LogicError) {
    const messages = formProblemMessages(error.problems, t);
    return {
      list: messages.map((text) => ({ text, href: `#${fallbackField}` })),
      byField: { [fallbackField]: { text: messages.join('. ') } },
    };
  }
  return null;
}
