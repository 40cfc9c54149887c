/**
 * The survey builder's rules (administrators): editions, sections and questions, skip logic, publishing,
 * copying next year's edition with the same stable question keys, and the rule that a question's meaning
 * cannot change once it has answers (retire it and add a replacement instead).
 */
import type { AuditLog, Actor } from '../../platform/audit/audit.ts';
import type { CurrentUser } from '../../platform/auth/roles.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Database } from '../../platform/db/database.ts';
import { FieldRuleError, NotFoundError } from '../../platform/http/errors.ts';
import { translator, type Translate } from '../../platform/i18n/i18n.ts';
import {
  ATTRIBUTES_SECTION,
  attributeQuestionKeys,
  attributesSections,
  REGION_SECTION,
} from './surveys.attributes.ts';
import { check } from './surveys.policy.ts';
import type { Edition, Question, Section, SurveysRepository } from './surveys.repository.ts';
import type { QuestionSettings } from './surveys.tables.ts';
import { checkForm, type FormProblem } from './questions/logic.ts';
import type {
  Condition,
  FormDefinition,
  QuestionDefinition,
  QuestionType,
  SectionDefinition,
} from './questions/types.ts';

/** A rule broken by a builder action: shown against `field` with the catalogue message. */
export class SurveyRuleError extends FieldRuleError {
  override name = 'SurveyRuleError';
}

export interface EditionInput {
  year: number;
  title: string;
  intro: string;
  closesAt: Date;
  openLink: boolean;
}

export interface SectionInput {
  key: string;
  title: string;
  intro: string | null;
}

export interface QuestionInput {
  key: string;
  type: QuestionType;
  text: string;
  help: string | null;
  required: boolean;
  settings: QuestionSettings;
  principleId: string | null;
  signKey: string | null;
}

export interface EditionModel {
  edition: Edition;
  sections: (Section & { questions: Question[] })[];
}

const reservedKeys = new Set<string>([
  ATTRIBUTES_SECTION,
  REGION_SECTION,
  ...Object.values(attributeQuestionKeys),
]);

/** A question's meaning: what respondents were asked and could answer. Changing it breaks comparisons. */
export function meaningOf(q: { type: string; text: string; settings: QuestionSettings }) {
  return JSON.stringify({
    type: q.type,
    text: q.text.trim(),
    options: (q.settings.options ?? []).map((o) => [o.value, o.label.trim(), Boolean(o.exclusive)]),
    number: q.settings.number
      ? [q.settings.number.min ?? null, q.settings.number.max ?? null, Boolean(q.settings.number.integer)]
      : null,
  });
}

export function toDefinition(q: Question): QuestionDefinition {
  return {
    key: q.key,
    type: q.type,
    text: q.text,
    help: q.help,
    required: q.required,
    options: q.settings.options ?? null,
    number: q.settings.number ?? null,
    maxLength: q.settings.maxLength ?? null,
    maxBodies: q.settings.maxBodies ?? null,
    showIf: q.showIf ?? null,
  };
}

/**
 * The form respondents see: the attributes page, then each section's questions that are not retired.
 * Sections left with no questions are dropped.
 */
export function formOf(model: EditionModel, t: Translate = translator('en')): FormDefinition {
  const sections: SectionDefinition[] = attributesSections(t);
  for (const s of model.sections) {
    const questions = s.questions.filter((q) => !q.retiredAt).map(toDefinition);
    if (questions.length === 0) continue;
    sections.push({ key: s.key, title: s.title, intro: s.intro, showIf: s.showIf ?? null, questions });
  }
  return { sections };
}

/** Open for answers: published, past its opening moment (`publishedAt`) and before its closing moment. */
export function isOpen(edition: Edition, now: Date): boolean {
  return (
    edition.status === 'published' &&
    edition.publishedAt !== null &&
    edition.publishedAt <= now &&
    now < edition.closesAt
  );
}

export interface SurveysServiceDeps {
  db: Database;
  repo: SurveysRepository;
  audit: AuditLog;
  clock: Clock;
}

export function createSurveysService({ db, repo, audit, clock }: SurveysServiceDeps) {
  const record = (actor: Actor, action: string, entityId: string, details: Record<string, unknown> = {}) =>
    audit.record(actor, { action: `survey.${action}`, entityType: 'survey_edition', entityId, details });

  async function load(editionId: string): Promise<EditionModel> {
    const edition = await repo.editionById(editionId);
    if (!edition) throw new NotFoundError('No such edition');
    const [sections, questions] = await Promise.all([
      repo.sectionsOf(edition.id),
      repo.questionsOf(edition.id),
    ]);
    return {
      edition,
      sections: sections.map((s) => ({ ...s, questions: questions.filter((q) => q.sectionId === s.id) })),
    };
  }

  async function checkKeyFree(model: EditionModel, key: string, field = 'key') {
    if (reservedKeys.has(key)) throw new SurveyRuleError(field, 'surveys.errors.keyReserved', { key });
    const taken =
      model.sections.some((s) => s.key === key) ||
      model.sections.some((s) => s.questions.some((q) => q.key === key));
    if (taken) throw new SurveyRuleError(field, 'surveys.errors.keyTaken', { key });
  }

  async function sectionOf(editionId: string, sectionId: string) {
    const section = await repo.sectionById(sectionId);
    if (!section || section.editionId !== editionId) throw new NotFoundError('No such section');
    return section;
  }

  async function questionOf(editionId: string, questionId: string) {
    const question = await repo.questionById(questionId);
    if (!question || question.editionId !== editionId) throw new NotFoundError('No such question');
    return question;
  }

  /** Skip logic is checked on the whole form each time it changes, so a bad rule is refused at once. */
  async function assertLogicSound(editionId: string) {
    const problems = checkForm(formOf(await load(editionId)));
    if (problems.length > 0) throw new LogicError(problems);
  }

  const service = {
    load,

    async listEditions(user: CurrentUser | null) {
      check(user, 'build');
      const [editions, responses] = await Promise.all([repo.listEditions(), repo.responseCounts()]);
      return editions.map((e) => ({
        ...e,
        responses: responses.get(e.id) ?? 0,
        open: isOpen(e, clock.now()),
      }));
    },

    async editionForBuilder(user: CurrentUser | null, editionId: string) {
      check(user, 'build');
      const model = await load(editionId);
      const problems = checkForm(formOf(model));
      const keysWithAnswers = new Set<string>();
      for (const s of model.sections)
        for (const q of s.questions) if (await repo.answersExistForKey(q.key)) keysWithAnswers.add(q.key);
      return {
        ...model,
        problems,
        keysWithAnswers,
        responses: await repo.responseCount(editionId),
        invitations: await repo.invitationCounts(editionId),
        open: isOpen(model.edition, clock.now()),
      };
    },

    async createEdition(user: CurrentUser | null, actor: Actor, input: EditionInput) {
      check(user, 'build');
      return db.transaction(async () => {
        if (await repo.editionByYear(input.year))
          throw new SurveyRuleError('year', 'surveys.errors.yearTaken', { year: input.year });
        const edition = await repo.insertEdition({ ...input, status: 'draft' });
        await record(actor, 'edition.created', edition.id, { year: input.year });
        return edition;
      });
    },

    async updateEdition(user: CurrentUser | null, actor: Actor, editionId: string, input: EditionInput) {
      check(user, 'build');
      return db.transaction(async () => {
        const { edition } = await load(editionId);
        if (input.year !== edition.year) {
          if (edition.status === 'published') throw new SurveyRuleError('year', 'surveys.errors.yearLocked');
          if (await repo.editionByYear(input.year))
            throw new SurveyRuleError('year', 'surveys.errors.yearTaken', { year: input.year });
        }
        await repo.updateEdition(editionId, input);
        await record(actor, 'edition.updated', editionId);
      });
    },

    /**
     * Next year's edition from an earlier one: same sections, same questions with the same keys (so years
     * compare), same skip logic. Retired questions are not copied; their replacements are.
     */
    async copyEdition(user: CurrentUser | null, actor: Actor, fromId: string, year: number, closesAt: Date) {
      check(user, 'build');
      return db.transaction(async () => {
        const from = await load(fromId);
        if (await repo.editionByYear(year))
          throw new SurveyRuleError('year', 'surveys.errors.yearTaken', { year });
        const edition = await repo.insertEdition({
          year,
          title: from.edition.title.replace(String(from.edition.year), String(year)),
          intro: from.edition.intro,
          closesAt,
          openLink: from.edition.openLink,
          status: 'draft',
          copiedFromId: from.edition.id,
        });
        for (const s of from.sections) {
          const section = await repo.insertSection({
            editionId: edition.id,
            key: s.key,
            position: s.position,
            title: s.title,
            intro: s.intro,
            showIf: s.showIf,
          });
          for (const q of s.questions.filter((q) => !q.retiredAt))
            await repo.insertQuestion({
              editionId: edition.id,
              sectionId: section.id,
              key: q.key,
              position: q.position,
              type: q.type,
              text: q.text,
              help: q.help,
              required: q.required,
              settings: q.settings,
              showIf: q.showIf,
              principleId: q.principleId,
              signKey: q.signKey,
              replacesKey: q.replacesKey,
            });
        }
        await record(actor, 'edition.copied', edition.id, { from: from.edition.year, year });
        return edition;
      });
    },

    async addSection(user: CurrentUser | null, actor: Actor, editionId: string, input: SectionInput) {
      check(user, 'build');
      return db.transaction(async () => {
        const model = await load(editionId);
        await checkKeyFree(model, input.key);
        const position = Math.max(0, ...model.sections.map((s) => s.position)) + 1;
        const section = await repo.insertSection({ editionId, position, ...input });
        await record(actor, 'section.added', editionId, { key: input.key });
        return section;
      });
    },

    async updateSection(
      user: CurrentUser | null,
      actor: Actor,
      editionId: string,
      sectionId: string,
      input: Omit<SectionInput, 'key'>,
    ) {
      check(user, 'build');
      await db.transaction(async () => {
        await sectionOf(editionId, sectionId);
        await repo.updateSection(sectionId, input);
        await record(actor, 'section.updated', editionId, { sectionId });
      });
    },

    /** Moves a section up or down; refused if that breaks skip logic (a rule would look forward). */
    async moveSection(
      user: CurrentUser | null,
      actor: Actor,
      editionId: string,
      sectionId: string,
      direction: 'up' | 'down',
    ) {
      check(user, 'build');
      await db.transaction(async () => {
        const model = await load(editionId);
        const index = model.sections.findIndex((s) => s.id === sectionId);
        if (index < 0) throw new NotFoundError('No such section');
        const other = model.sections[direction === 'up' ? index - 1 : index + 1];
        if (!other) return;
        const me = model.sections[index]!;
        await repo.updateSection(me.id, { position: other.position });
        await repo.updateSection(other.id, { position: me.position });
        await assertLogicSound(editionId);
        await record(actor, 'section.moved', editionId, { sectionId, direction });
      });
    },

    async removeSection(user: CurrentUser | null, actor: Actor, editionId: string, sectionId: string) {
      check(user, 'build');
      await db.transaction(async () => {
        const model = await load(editionId);
        const section = model.sections.find((s) => s.id === sectionId);
        if (!section) throw new NotFoundError('No such section');
        for (const q of section.questions)
          if ((await repo.answersExistForKey(q.key)) || model.edition.status === 'published')
            throw new SurveyRuleError('section', 'surveys.errors.sectionHasAnswers');
        await repo.deleteSection(sectionId);
        await assertLogicSound(editionId);
        await record(actor, 'section.removed', editionId, { key: section.key });
      });
    },

    async addQuestion(
      user: CurrentUser | null,
      actor: Actor,
      editionId: string,
      sectionId: string,
      input: QuestionInput,
    ) {
      check(user, 'build');
      return db.transaction(async () => {
        const model = await load(editionId);
        await sectionOf(editionId, sectionId);
        await checkKeyFree(model, input.key);
        // A key used in an earlier edition means that question: reuse it only by copying the edition.
        const positions = model.sections.flatMap((s) => s.questions.map((q) => q.position));
        const question = await repo.insertQuestion({
          editionId,
          sectionId,
          position: Math.max(0, ...positions) + 1,
          ...input,
        });
        await record(actor, 'question.added', editionId, { key: input.key });
        return question;
      });
    },

    /**
     * Edits a question. Once any edition has answers to its key, its meaning (type, wording, answer options,
     * number limits) is locked: refused with a message that says to retire and replace it. Help text,
     * required, principle and sign can still change.
     */
    async updateQuestion(
      user: CurrentUser | null,
      actor: Actor,
      editionId: string,
      questionId: string,
      input: Omit<QuestionInput, 'key'>,
    ) {
      check(user, 'build');
      await db.transaction(async () => {
        const question = await questionOf(editionId, questionId);
        if (question.retiredAt) throw new SurveyRuleError('text', 'surveys.errors.retired');
        if (meaningOf(question) !== meaningOf(input) && (await repo.answersExistForKey(question.key)))
          throw new SurveyRuleError('text', 'surveys.errors.meaningLocked');
        await repo.updateQuestion(questionId, input);
        await assertLogicSound(editionId);
        await record(actor, 'question.updated', editionId, { key: question.key });
      });
    },

    /** Sets or clears a question's or section's skip logic; refused with the problems if it cannot work. */
    async setCondition(
      user: CurrentUser | null,
      actor: Actor,
      editionId: string,
      target: { questionId?: string; sectionId?: string },
      condition: Condition | null,
    ) {
      check(user, 'build');
      await db.transaction(async () => {
        if (target.questionId) {
          await questionOf(editionId, target.questionId);
          await repo.updateQuestion(target.questionId, { showIf: condition });
        } else if (target.sectionId) {
          await sectionOf(editionId, target.sectionId);
          await repo.updateSection(target.sectionId, { showIf: condition });
        }
        await assertLogicSound(editionId);
        await record(actor, 'logic.updated', editionId, { ...target, cleared: condition === null });
      });
    },

    async moveQuestion(
      user: CurrentUser | null,
      actor: Actor,
      editionId: string,
      questionId: string,
      direction: 'up' | 'down',
    ) {
      check(user, 'build');
      await db.transaction(async () => {
        const question = await questionOf(editionId, questionId);
        const model = await load(editionId);
        const siblings = model.sections.find((s) => s.id === question.sectionId)!.questions;
        const index = siblings.findIndex((q) => q.id === questionId);
        const other = siblings[direction === 'up' ? index - 1 : index + 1];
        if (!other) return;
        await repo.updateQuestion(questionId, { position: other.position });
        await repo.updateQuestion(other.id, { position: question.position });
        await record(actor, 'question.moved', editionId, { key: question.key, direction });
      });
    },

    /** Removes a question that has never been answered anywhere, from an edition not yet published. */
    async removeQuestion(user: CurrentUser | null, actor: Actor, editionId: string, questionId: string) {
      check(user, 'build');
      await db.transaction(async () => {
        const question = await questionOf(editionId, questionId);
        const { edition } = await load(editionId);
        if (edition.status === 'published' || (await repo.answersExistForKey(question.key)))
          throw new SurveyRuleError('question', 'surveys.errors.removeAnswered');
        await repo.deleteQuestion(questionId);
        await assertLogicSound(editionId);
        await record(actor, 'question.removed', editionId, { key: question.key });
      });
    },

    /** Stops asking a question; its answers stay and its key is never reused. */
    async retireQuestion(user: CurrentUser | null, actor: Actor, editionId: string, questionId: string) {
      check(user, 'build');
      await db.transaction(async () => {
        const question = await questionOf(editionId, questionId);
        if (question.retiredAt) return;
        await repo.updateQuestion(questionId, { retiredAt: clock.now() });
        await assertLogicSound(editionId);
        await record(actor, 'question.retired', editionId, { key: question.key });
      });
    },

    /** Retires a question and adds its replacement (new key, new meaning) in the same place. */
    async replaceQuestion(
      user: CurrentUser | null,
      actor: Actor,
      editionId: string,
      questionId: string,
      input: QuestionInput,
    ) {
      check(user, 'build');
      return db.transaction(async () => {
        const question = await questionOf(editionId, questionId);
        const model = await load(editionId);
        await checkKeyFree(model, input.key);
        await repo.updateQuestion(questionId, { retiredAt: question.retiredAt ?? clock.now() });
        const replacement = await repo.insertQuestion({
          editionId,
          sectionId: question.sectionId,
          position: question.position,
          ...input,
          showIf: question.showIf,
          replacesKey: question.key,
        });
        await assertLogicSound(editionId);
        await record(actor, 'question.replaced', editionId, { key: question.key, by: input.key });
        return replacement;
      });
    },

    /**
     * Opens the edition for answers from `dates.opensAt` (now, if that is already past) until
     * `dates.closesAt`. Refused while the form has problems or when the closing date has passed.
     */
    async publish(
      user: CurrentUser | null,
      actor: Actor,
      editionId: string,
      dates: { opensAt: Date; closesAt: Date },
    ) {
      check(user, 'build');
      await db.transaction(async () => {
        const model = await load(editionId);
        if (model.edition.status === 'published')
          throw new SurveyRuleError('publish', 'surveys.publish.already');
        const problems = checkForm(formOf(model));
        if (problems.length > 0) throw new LogicError(problems);
        if (!model.sections.some((s) => s.questions.some((q) => !q.retiredAt)))
          throw new SurveyRuleError('publish', 'surveys.errors.noQuestions');
        const now = clock.now();
        if (dates.closesAt <= now) throw new SurveyRuleError('closesAt', 'surveys.errors.closesInPast');
        const opensAt = dates.opensAt < now ? now : dates.opensAt;
        await repo.updateEdition(editionId, {
          status: 'published',
          publishedAt: opensAt,
          closesAt: dates.closesAt,
        });
        await record(actor, 'edition.published', editionId, {
          opensAt: opensAt.toISOString(),
          closesAt: dates.closesAt.toISOString(),
        });
      });
    },

    principles: () => repo.listPrinciples(),
    bodies: () => repo.listBodies(),
  };
  return service;
}

/** Skip logic that cannot work: the problems, for the builder to list. */
export class LogicError extends Error {
  override name = 'LogicError';
  readonly problems: FormProblem[];
  constructor(problems: FormProblem[]) {
    super('Skip logic problems');
    this.problems = problems;
  }
}

export type SurveysService = ReturnType<typeof createSurveysService>;
