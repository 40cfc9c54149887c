/**
 * The question engine's vocabulary: a form is sections of questions; each question has a stable key, a
 * type, text, optional help, whether it is required, and an optional condition (skip logic) on earlier
 * answers. Used by the annual review (surveys) and the Covenant consultation. Plain data, so definitions can
 * be stored as JSON and compared across editions.
 */

export const questionTypes = [
  'single_choice',
  'multiple_choice',
  'agreement',
  'free_text',
  'body_rating',
  'number',
] as const;
export type QuestionType = (typeof questionTypes)[number];

/** The 5-point agreement scale, most positive first (the order GOV.UK surveys show it in). */
export const agreementValues = [
  'strongly_agree',
  'agree',
  'neither',
  'disagree',
  'strongly_disagree',
] as const;
export type AgreementValue = (typeof agreementValues)[number];

/** Ratings for a public body: 1 (very poor) to 5 (very good). */
export const bodyRatingValues = [5, 4, 3, 2, 1] as const;

export interface ChoiceOption {
  /** Stored value; stable across editions like the question key. */
  value: string;
  label: string;
  hint?: string | null;
  /** Multiple choice only: "None of these" style answer that cannot be combined with others. */
  exclusive?: boolean;
}

export interface NumberSettings {
  min?: number | null;
  max?: number | null;
  /** Whole numbers only. */
  integer?: boolean;
  /** Shown after the box, e.g. "people" or "%". */
  suffix?: string | null;
}

export const operators = [
  'equals',
  'not_equals',
  'any_of',
  'includes',
  'answered',
  'not_answered',
  'at_least',
  'at_most',
] as const;
export type Operator = (typeof operators)[number];

/** One test on an earlier answer: `{ question: 'engaged', operator: 'equals', value: 'yes' }`. */
export interface Clause {
  question: string;
  operator: Operator;
  /** equals / not_equals / includes: one option value; any_of: several; at_least / at_most: a number. */
  value?: string | string[] | number | null;
}

/** Skip logic: the question or section is shown only when all (or any) of the clauses hold. */
export interface Condition {
  match: 'all' | 'any';
  clauses: Clause[];
}

export interface QuestionDefinition {
  /** Stable identifier: lower-case letters, digits and hyphens, unique in the form, kept across editions. */
  key: string;
  type: QuestionType;
  text: string;
  help?: string | null;
  required: boolean;
  /** single_choice and multiple_choice. */
  options?: ChoiceOption[] | null;
  number?: NumberSettings | null;
  /** free_text: the longest answer accepted (default 5,000 characters). */
  maxLength?: number | null;
  /** body_rating: how many bodies a respondent may rate on the page (default 3). */
  maxBodies?: number | null;
  showIf?: Condition | null;
}

export interface SectionDefinition {
  key: string;
  title: string;
  intro?: string | null;
  showIf?: Condition | null;
  questions: QuestionDefinition[];
}

export interface FormDefinition {
  sections: SectionDefinition[];
}

export interface BodyRating {
  bodyId: string;
  rating: number;
}

export type AnswerValue = string | string[] | number | BodyRating[];
/** Answers by question key. A question that was not answered has no entry. */
export type Answers = Record<string, AnswerValue>;

export const DEFAULT_MAX_LENGTH = 5000;
export const DEFAULT_MAX_BODIES = 3;
export const KEY_PATTERN = /^[a-z][a-z0-9-]{0,62}$/;

/** The choices a question offers, for choice-like types (agreement has a fixed scale). */
export function optionValuesOf(question: QuestionDefinition): string[] {
  if (question.type === 'agreement') return [...agreementValues];
  if (question.type === 'single_choice' || question.type === 'multiple_choice')
    return (question.options ?? []).map((o) => o.value);
  return [];
}
