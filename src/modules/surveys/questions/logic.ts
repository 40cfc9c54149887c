/**
 * Skip logic: which sections and questions a respondent sees, given their earlier answers, and the checks
 * that refuse logic which cannot work.
 *
 * The rules (precisely):
 * - A condition may refer only to questions in EARLIER sections. A section is one page, and pages work
 *   without JavaScript, so a question cannot depend on an answer typed on the same page.
 * - A condition holds when all (`match: 'all'`) or any (`match: 'any'`) of its clauses hold. A clause on a
 *   question that is hidden, or was not answered, holds only for `not_answered`.
 * - A question is shown when its section is shown and its own condition (if any) holds.
 * - Answers to questions that become hidden (because an earlier answer changed) are dropped.
 *
 * `checkForm` refuses: duplicate or badly formed keys; choice questions with fewer than two options or
 * repeated option values; a condition with no clauses; a clause on an unknown question, on itself, or on a
 * question in the same or a later section (forward reference); any cycle in the "depends on" graph
 * (reported as the cycle's path); an operator the referenced question's type does not support; a value that
 * is not one of its options; and a question that can never be shown (its or its section's condition can
 * never hold: contradictory clauses, or a clause on a question that itself can never be shown). A required
 * question that can never be shown gets its own message, because it would make the form impossible to
 * complete as designed.
 */
import {
  KEY_PATTERN,
  optionValuesOf,
  type AnswerValue,
  type Answers,
  type Clause,
  type Condition,
  type FormDefinition,
  type Operator,
  type QuestionDefinition,
  type QuestionType,
  type SectionDefinition,
} from './types.ts';

/** Operators each type of question can be tested with. */
export const operatorsFor: Record<QuestionType, readonly Operator[]> = {
  single_choice: ['equals', 'not_equals', 'any_of', 'answered', 'not_answered'],
  agreement: ['equals', 'not_equals', 'any_of', 'answered', 'not_answered'],
  multiple_choice: ['includes', 'answered', 'not_answered'],
  number: ['at_least', 'at_most', 'answered', 'not_answered'],
  free_text: ['answered', 'not_answered'],
  body_rating: ['answered', 'not_answered'],
};

function isAnswered(value: AnswerValue | undefined): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === 'string') return value.trim() !== '';
  if (Array.isArray(value)) return value.length > 0;
  return Number.isFinite(value);
}

/** Does one clause hold for these (already visibility-filtered) answers? */
export function clauseHolds(clause: Clause, answers: Answers): boolean {
  const value = answers[clause.question];
  const answered = isAnswered(value);
  switch (clause.operator) {
    case 'answered':
      return answered;
    case 'not_answered':
      return !answered;
    case 'equals':
      return answered && value === clause.value;
    case 'not_equals':
      return answered && value !== clause.value;
    case 'any_of':
      return answered && Array.isArray(clause.value) && clause.value.includes(value as string);
    case 'includes':
      return answered && Array.isArray(value) && (value as string[]).includes(clause.value as string);
    case 'at_least':
      return answered && typeof value === 'number' && value >= Number(clause.value);
    case 'at_most':
      return answered && typeof value === 'number' && value <= Number(clause.value);
  }
}

export function conditionHolds(condition: Condition | null | undefined, answers: Answers): boolean {
  if (!condition || condition.clauses.length === 0) return true;
  return condition.match === 'any'
    ? condition.clauses.some((c) => clauseHolds(c, answers))
    : condition.clauses.every((c) => clauseHolds(c, answers));
}

export interface Visibility {
  sections: Set<string>;
  questions: Set<string>;
  /** The answers to visible questions only. */
  answers: Answers;
}

/**
 * Works through the form in order, deciding what is shown from the answers to earlier visible questions.
 * Answers to hidden questions are left out of `answers`.
 */
export function resolveVisibility(form: FormDefinition, answers: Answers): Visibility {
  const visible: Visibility = { sections: new Set(), questions: new Set(), answers: {} };
  for (const section of form.sections) {
    if (!conditionHolds(section.showIf, visible.answers)) continue;
    visible.sections.add(section.key);
    // Conditions see only earlier sections, so add this section's answers after deciding its questions.
    const shown = section.questions.filter((q) => conditionHolds(q.showIf, visible.answers));
    for (const q of shown) {
      visible.questions.add(q.key);
      const value = answers[q.key];
      if (value !== undefined && isAnswered(value)) visible.answers[q.key] = value;
    }
  }
  return visible;
}

/** The answers that still count: answers to questions an earlier answer now hides are dropped. */
export function pruneHiddenAnswers(form: FormDefinition, answers: Answers): Answers {
  return resolveVisibility(form, answers).answers;
}

/** The visible questions of one section (empty if the section is hidden). */
export function visibleQuestionsOf(form: FormDefinition, sectionKey: string, answers: Answers) {
  const visibility = resolveVisibility(form, answers);
  const section = form.sections.find((s) => s.key === sectionKey);
  if (!section || !visibility.sections.has(section.key)) return [];
  return section.questions.filter((q) => visibility.questions.has(q.key));
}

/** The next visible section after `currentKey` (or the first when null); null when none is left. */
export function nextSection(
  form: FormDefinition,
  answers: Answers,
  currentKey: string | null,
): SectionDefinition | null {
  const visibility = resolveVisibility(form, answers);
  const start = currentKey === null ? 0 : form.sections.findIndex((s) => s.key === currentKey) + 1;
  for (const section of form.sections.slice(start)) {
    if (
      visibility.sections.has(section.key) &&
      section.questions.some((q) => visibility.questions.has(q.key))
    )
      return section;
  }
  return null;
}

/** The previous visible section before `currentKey`, for the back link. */
export function previousSection(
  form: FormDefinition,
  answers: Answers,
  currentKey: string,
): SectionDefinition | null {
  const visibility = resolveVisibility(form, answers);
  const index = form.sections.findIndex((s) => s.key === currentKey);
  for (const section of form.sections.slice(0, Math.max(0, index)).reverse()) {
    if (
      visibility.sections.has(section.key) &&
      section.questions.some((q) => visibility.questions.has(q.key))
    )
      return section;
  }
  return null;
}

/** Required questions that are shown but not answered, in form order. */
export function missingRequired(form: FormDefinition, answers: Answers) {
  const visibility = resolveVisibility(form, answers);
  const missing: { sectionKey: string; questionKey: string }[] = [];
  for (const section of form.sections) {
    for (const q of section.questions) {
      if (q.required && visibility.questions.has(q.key) && !(q.key in visibility.answers))
        missing.push({ sectionKey: section.key, questionKey: q.key });
    }
  }
  return missing;
}

// ---------------------------------------------------------------------------------------------------------
// Checking a form's design

export type FormProblemCode =
  | 'bad_key'
  | 'duplicate_key'
  | 'no_questions'
  | 'too_few_options'
  | 'duplicate_option'
  | 'empty_condition'
  | 'unknown_reference'
  | 'self_reference'
  | 'forward_reference'
  | 'cycle'
  | 'operator_not_allowed'
  | 'bad_value'
  | 'never_shown'
  | 'required_never_shown'
  | 'bad_number_range';

export interface FormProblem {
  code: FormProblemCode;
  /** The section or question the problem is on. */
  key: string;
  /** For messages: the referenced question, the cycle path, the bad value. */
  params: Record<string, string>;
}

interface Located {
  question: QuestionDefinition;
  sectionIndex: number;
  section: SectionDefinition;
}

/** Checks a form's structure and skip logic; an empty list means it can be published. */
export function checkForm(form: FormDefinition): FormProblem[] {
  const problems: FormProblem[] = [];
  const add = (code: FormProblemCode, key: string, params: Record<string, string> = {}) =>
    problems.push({ code, key, params });

  const byKey = new Map<string, Located>();
  const sectionKeys = new Set<string>();
  form.sections.forEach((section, sectionIndex) => {
    if (!KEY_PATTERN.test(section.key)) add('bad_key', section.key);
    if (sectionKeys.has(section.key)) add('duplicate_key', section.key);
    sectionKeys.add(section.key);
    if (section.questions.length === 0) add('no_questions', section.key);
    for (const question of section.questions) {
      if (!KEY_PATTERN.test(question.key)) add('bad_key', question.key);
      if (byKey.has(question.key)) add('duplicate_key', question.key);
      else byKey.set(question.key, { question, sectionIndex, section });
      checkOptions(question, add);
    }
  });

  // Every clause, with where it sits.
  const owners: { ownerKey: string; sectionIndex: number; condition: Condition }[] = [];
  form.sections.forEach((section, sectionIndex) => {
    if (section.showIf) owners.push({ ownerKey: section.key, sectionIndex, condition: section.showIf });
    for (const q of section.questions)
      if (q.showIf) owners.push({ ownerKey: q.key, sectionIndex, condition: q.showIf });
  });

  const badClause = new Set<Clause>();
  for (const { ownerKey, sectionIndex, condition } of owners) {
    if (condition.clauses.length === 0) add('empty_condition', ownerKey);
    for (const clause of condition.clauses) {
      const target = byKey.get(clause.question);
      if (!target) {
        add('unknown_reference', ownerKey, { question: clause.question });
        badClause.add(clause);
        continue;
      }
      if (clause.question === ownerKey) {
        add('self_reference', ownerKey, { question: clause.question });
        badClause.add(clause);
        continue;
      }
      if (!operatorsFor[target.question.type].includes(clause.operator)) {
        add('operator_not_allowed', ownerKey, { question: clause.question, operator: clause.operator });
        badClause.add(clause);
      } else if (!clauseValueValid(clause, target.question)) {
        add('bad_value', ownerKey, { question: clause.question, value: String(clause.value ?? '') });
        badClause.add(clause);
      }
      if (target.sectionIndex >= sectionIndex) {
        add('forward_reference', ownerKey, { question: clause.question });
        badClause.add(clause);
      }
    }
  }

  // Cycles in "depends on": a question depends on the questions its condition and its section's condition
  // name; a section depends on what its condition names and, through its questions, on theirs.
  const dependsOn = new Map<string, string[]>();
  for (const { ownerKey, condition } of owners)
    dependsOn.set(ownerKey, [
      ...(dependsOn.get(ownerKey) ?? []),
      ...condition.clauses.map((c) => c.question),
    ]);
  for (const section of form.sections)
    for (const q of section.questions) dependsOn.set(q.key, [...(dependsOn.get(q.key) ?? []), section.key]);
  for (const cycle of findCycles(dependsOn)) add('cycle', cycle[0]!, { path: cycle.join(' → ') });

  // Can each question ever be shown? Worked out in form order, so references (once valid) are resolved.
  const canShow = new Map<string, boolean>();
  const alwaysShown = new Map<string, boolean>();
  form.sections.forEach((section) => {
    const sectionShowable = conditionSatisfiable(section.showIf, byKey, canShow, alwaysShown, badClause);
    const sectionAlways = !section.showIf;
    for (const q of section.questions) {
      const own = conditionSatisfiable(q.showIf, byKey, canShow, alwaysShown, badClause);
      // The section's and the question's rules must also hold together (`equals yes` on the page, `equals
      // no` on the question): checked jointly when both are "all" rules (a one-clause rule is one too).
      const joint = jointAll(section.showIf, q.showIf);
      const showable =
        sectionShowable &&
        own &&
        (joint ? conditionSatisfiable(joint, byKey, canShow, alwaysShown, badClause) : true);
      canShow.set(q.key, showable);
      alwaysShown.set(q.key, sectionAlways && !q.showIf);
      // Only report when the logic itself is sound; a bad clause already has its own message.
      const hasBadClause = [section.showIf, q.showIf].some((c) => c?.clauses.some((cl) => badClause.has(cl)));
      if (!showable && !hasBadClause) add(q.required ? 'required_never_shown' : 'never_shown', q.key);
    }
  });
  return problems;
}

function checkOptions(
  question: QuestionDefinition,
  add: (code: FormProblemCode, key: string, params?: Record<string, string>) => void,
) {
  if (question.type === 'single_choice' || question.type === 'multiple_choice') {
    const values = (question.options ?? []).map((o) => o.value);
    if (values.length < 2) add('too_few_options', question.key);
    const seen = new Set<string>();
    for (const v of values) {
      if (seen.has(v)) add('duplicate_option', question.key, { value: v });
      seen.add(v);
    }
  }
  if (question.type === 'number') {
    const { min, max } = question.number ?? {};
    if (min != null && max != null && min > max) add('bad_number_range', question.key);
  }
}

function clauseValueValid(clause: Clause, target: QuestionDefinition): boolean {
  const options = optionValuesOf(target);
  switch (clause.operator) {
    case 'answered':
    case 'not_answered':
      return true;
    case 'equals':
    case 'not_equals':
    case 'includes':
      return typeof clause.value === 'string' && options.includes(clause.value);
    case 'any_of':
      return (
        Array.isArray(clause.value) &&
        clause.value.length > 0 &&
        clause.value.every((v) => options.includes(v))
      );
    case 'at_least':
    case 'at_most':
      return typeof clause.value === 'number' && Number.isFinite(clause.value);
  }
}

/** Could the condition ever hold, given each question's options and whether it can be shown at all? */
function conditionSatisfiable(
  condition: Condition | null | undefined,
  byKey: Map<string, Located>,
  canShow: Map<string, boolean>,
  alwaysShown: Map<string, boolean>,
  badClause: Set<Clause>,
): boolean {
  if (!condition || condition.clauses.length === 0) return true;
  const usable = condition.clauses.filter((c) => !badClause.has(c));
  if (usable.length < condition.clauses.length) return true; // reported elsewhere
  const single = (clause: Clause) => clauseSatisfiable([clause], byKey, canShow, alwaysShown);
  if (condition.match === 'any') return usable.some(single);
  // All: group the clauses by question and check each group jointly.
  const groups = new Map<string, Clause[]>();
  for (const c of usable) groups.set(c.question, [...(groups.get(c.question) ?? []), c]);
  return [...groups.values()].every((group) => clauseSatisfiable(group, byKey, canShow, alwaysShown));
}

/** Both conditions as one "all" condition, or null when either is missing or is an "any" of several. */
function jointAll(a: Condition | null | undefined, b: Condition | null | undefined): Condition | null {
  const isAll = (c: Condition) => c.match === 'all' || c.clauses.length === 1;
  if (!a || !b || a.clauses.length === 0 || b.clauses.length === 0 || !isAll(a) || !isAll(b)) return null;
  return { match: 'all', clauses: [...a.clauses, ...b.clauses] };
}

/** Can all these clauses (on one question) hold at once? */
function clauseSatisfiable(
  clauses: Clause[],
  byKey: Map<string, Located>,
  canShow: Map<string, boolean>,
  alwaysShown: Map<string, boolean>,
): boolean {
  const target = byKey.get(clauses[0]!.question)!;
  const q = target.question;
  const showable = canShow.get(q.key) ?? false;
  const wantsEmpty = clauses.some((c) => c.operator === 'not_answered');
  const wantsValue = clauses.some((c) => c.operator !== 'not_answered');
  if (wantsEmpty && wantsValue) return false;
  if (wantsEmpty) {
    // A required question that is always shown is always answered.
    return !(q.required && (alwaysShown.get(q.key) ?? false));
  }
  if (!showable) return false;
  if (q.type === 'number') {
    let lo = q.number?.min ?? -Infinity;
    let hi = q.number?.max ?? Infinity;
    for (const c of clauses) {
      if (c.operator === 'at_least') lo = Math.max(lo, Number(c.value));
      if (c.operator === 'at_most') hi = Math.min(hi, Number(c.value));
    }
    if (q.number?.integer) return Math.ceil(lo) <= Math.floor(hi);
    return lo <= hi;
  }
  if (q.type === 'single_choice' || q.type === 'agreement') {
    let allowed = new Set(optionValuesOf(q));
    for (const c of clauses) {
      if (c.operator === 'equals') allowed = new Set([...allowed].filter((v) => v === c.value));
      if (c.operator === 'not_equals') allowed.delete(c.value as string);
      if (c.operator === 'any_of')
        allowed = new Set([...allowed].filter((v) => (c.value as string[]).includes(v)));
    }
    return allowed.size > 0;
  }
  if (q.type === 'multiple_choice') {
    // An exclusive option ("None of these") cannot be chosen with anything else.
    const wanted = new Set(clauses.filter((c) => c.operator === 'includes').map((c) => c.value as string));
    const exclusive = (q.options ?? []).filter((o) => o.exclusive).map((o) => o.value);
    return !(wanted.size > 1 && exclusive.some((v) => wanted.has(v)));
  }
  return true;
}

/** Every elementary cycle's path (first node repeated at the end), each reported once. */
function findCycles(graph: Map<string, string[]>): string[][] {
  const cycles: string[][] = [];
  const seen = new Set<string>();
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string) => {
    state.set(node, 'visiting');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'visiting') {
        const path = [...stack.slice(stack.indexOf(next)), next];
        const id = [...path.slice(0, -1)].sort().join('|');
        if (!seen.has(id)) {
          seen.add(id);
          cycles.push(path);
        }
      } else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of graph.keys()) if (!state.has(node)) visit(node);
  return cycles;
}
