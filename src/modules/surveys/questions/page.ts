/**
 * One page of questions (a section) as the question-page template wants it: the title, whether the single
 * question is the page heading, and a view model per visible question.
 */
import type { Translate } from '../../../platform/i18n/i18n.ts';
import type { GovukErrors } from '../../../platform/views/form-errors.ts';
import { questionView, type AnswerContext, type QuestionView } from './answers.ts';
import type { FormProblem } from './logic.ts';
import type { QuestionDefinition, SectionDefinition } from './types.ts';

export interface PageView {
  pageTitle: string;
  sectionIntro: string | null;
  /** A page with one question uses the question as its h1 (GOV.UK "one thing per page"). */
  singleQuestion: boolean;
  caption: string | null;
  questionViews: QuestionView[];
}

export function pageView(
  section: SectionDefinition,
  questions: readonly QuestionDefinition[],
  values: Record<string, unknown>,
  errors: GovukErrors | undefined,
  t: Translate,
  context: AnswerContext = {},
): PageView {
  const single = questions.length === 1 && !section.intro;
  return {
    pageTitle: single ? questions[0]!.text : section.title,
    sectionIntro: section.intro ?? null,
    singleQuestion: single,
    caption: single ? section.title : null,
    questionViews: questions.map((q) =>
      questionView(q, values, errors, t, { ...context, asPageHeading: single }),
    ),
  };
}

/** Form-design problems in words, e.g. for a builder's "cannot publish" summary. */
export function formProblemMessages(problems: readonly FormProblem[], t: Translate): string[] {
  return problems.map((p) => t(`questionEngine.problems.${p.code}`, { key: p.key, ...p.params }));
}
