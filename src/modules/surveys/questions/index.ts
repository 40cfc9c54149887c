/**
 * The question engine's public API (see README.md in this folder). Import from here, not from the files.
 */
export * from './types.ts';
export {
  checkForm,
  clauseHolds,
  conditionHolds,
  missingRequired,
  nextSection,
  operatorsFor,
  previousSection,
  pruneHiddenAnswers,
  resolveVisibility,
  visibleQuestionsOf,
  type FormProblem,
  type FormProblemCode,
  type Visibility,
} from './logic.ts';
export {
  answerSchema,
  answerSummaryRows,
  answersAsText,
  fieldValuesFor,
  formatAnswer,
  parsePage,
  questionView,
  toFieldValues,
  type AnswerContext,
  type PageResult,
  type QuestionView,
} from './answers.ts';
export { formProblemMessages, pageView, type PageView } from './page.ts';
export { questionEngineMessages } from './questions.messages.ts';
export { definitionSchema, formDefinitionSchema } from './definition.schema.ts';
