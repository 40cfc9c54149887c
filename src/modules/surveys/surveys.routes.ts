/**
 * The survey builder's pages (administrators): editions, sections, questions, show-if rules, preview,
 * publishing, copying to a new year, and invitations with a dry run and reminders. Handlers parse, call the
 * service (which checks the policy again), and render or redirect.
 */
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../container.ts';
import { actorOf, userOf } from '../../platform/http/context.ts';
import { BadRequestError, NotFoundError } from '../../platform/http/errors.ts';
import { requireRole } from '../../platform/http/guards.ts';
import {
  govukError,
  parseForm,
  type FormResult,
  type GovukErrors,
} from '../../platform/views/form-errors.ts';
import { operatorsFor, questionView, questionTypes, type QuestionType } from './questions/index.ts';
import { can } from './surveys.policy.ts';
import {
  builderErrors,
  conditionFieldValues,
  describeCondition,
  earlierQuestions,
  MAX_CLAUSES,
  parseConditionRows,
  valuesOf,
} from './surveys.present.ts';
import { surveyPaths as sp } from './surveys.paths.ts';
import {
  MAX_INVITATIONS_PER_FILE,
  MAX_REMINDERS,
  REMINDER_INTERVAL_DAYS,
  RespondRefusal,
} from './surveys.respond.ts';
import {
  CopyForm,
  dateFieldValues,
  EditionForm,
  joinDateFields,
  MatchForm,
  PublishForm,
  questionFieldValues,
  questionForm,
  SectionEditForm,
  SectionForm,
  TypeForm,
} from './surveys.schema.ts';
import { formOf, type EditionModel, type QuestionInput } from './surveys.service.ts';
import { signs } from './surveys.signs.ts';

const V = 'modules/surveys/views/';
type Params = Record<string, string>;
type Body = Record<string, unknown>;

/** GOV.UK date inputs are three fields: point the error summary at the day. */
function dateErrorsToDay(errors: GovukErrors, names: readonly string[]): GovukErrors {
  return {
    ...errors,
    list: errors.list.map((e) =>
      names.some((n) => e.href === `#${n}`) ? { ...e, href: `${e.href}-day` } : e,
    ),
  };
}

export function registerSurveysRoutes(app: FastifyInstance, deps: Deps) {
  const { surveys, surveysRespond: respond } = deps;
  const admin = { preHandler: requireRole('admin') };
  const view = (reply: FastifyReply, template: string, data: Body) =>
    reply.view(`${V}${template}`, { sp, signs, now: deps.clock.now(), ...data });

  /** Runs a builder action; a broken rule re-renders `again` with the errors (422). */
  const attempt = async (
    request: FastifyRequest,
    field: string,
    action: () => Promise<unknown>,
    again: (errors: GovukErrors) => unknown,
  ): Promise<{ ok: true } | { ok: false; page: unknown }> => {
    try {
      await action();
      return { ok: true };
    } catch (error) {
      const errors = builderErrors(error, request.t, field);
      if (!errors) throw error;
      return { ok: false, page: await again(errors) };
    }
  };

  /**
   * A builder form's POST: joins the `dates` fields, parses, and on bad input shows the form again (422) with
   * the errors (date errors pointing at the day) and what was typed (`values`, or the body); then `save`s,
   * where a broken rule shows the form again against `field`; on success flashes `flash` and goes where
   * `save` says.
   */
  const submitForm = async <T>(
    request: FastifyRequest,
    reply: FastifyReply,
    form: {
      parse: (body: Body) => FormResult<T> | Promise<FormResult<T>>;
      dates?: readonly string[];
      values?: unknown;
      again: (reply: FastifyReply, extra: { errors: GovukErrors; values: unknown }) => unknown;
      field: string;
      save: (data: T) => Promise<string>;
      flash: string;
    },
  ) => {
    const dates = form.dates ?? [];
    const body = joinDateFields(request.body, dates);
    const again = (errors: GovukErrors) =>
      form.again(reply.code(422), { errors: dateErrorsToDay(errors, dates), values: form.values ?? body });
    const parsed = await form.parse(body);
    if (!parsed.success) return again(parsed.errors);
    let to = '';
    const result = await attempt(
      request,
      form.field,
      async () => {
        to = await form.save(parsed.data);
      },
      again,
    );
    if (!result.ok) return result.page;
    reply.flash(request.t(form.flash));
    return reply.redirect(to, 303);
  };

  // ── Editions ─────────────────────────────────────────────────────────────────────────────────────────

  app.get(sp.admin.pattern, admin, async (request, reply) =>
    view(reply, 'admin-list.njk', { editions: await surveys.listEditions(userOf(request)) }),
  );

  const editionForm = (reply: FastifyReply, extra: Body) =>
    view(reply, 'edition-form.njk', { values: { openLink: 'yes' }, ...extra });

  app.get(sp.adminNew.pattern, admin, async (request, reply) =>
    editionForm(reply, { values: { openLink: 'yes', year: String(deps.clock.now().getUTCFullYear()) } }),
  );

  app.post(sp.adminNew.pattern, admin, (request, reply) =>
    submitForm(request, reply, {
      parse: (body) => parseForm(EditionForm, body, request.t),
      dates: ['closesAt'],
      again: editionForm,
      field: 'year',
      save: async (data) =>
        sp.adminEdition({
          editionId: (await surveys.createEdition(userOf(request), actorOf(request), data)).id,
        }),
      flash: 'surveys.admin.created',
    }),
  );

  /** The edition page: settings, problems, sections and questions with their rules, and actions. */
  const editionPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    editionId: string,
    extra: Body = {},
  ) => {
    const page = await surveys.editionForBuilder(userOf(request), editionId);
    const form = formOf(page);
    return view(reply, 'edition.njk', {
      page,
      problems: page.problems.map((p) =>
        request.t(`questionEngine.problems.${p.code}`, { key: p.key, ...p.params }),
      ),
      rule: (c: Parameters<typeof describeCondition>[0]) => describeCondition(c, form, request.t),
      principles: new Map((await surveys.principles()).map((p) => [p.id, p.title])),
      respondLink: `${deps.config.BASE_URL}${sp.start({ year: String(page.edition.year) })}`,
      canSeeResults: can(request.currentUser, 'viewResults'),
      ...extra,
    });
  };

  app.get<{ Params: Params }>(sp.adminEdition.pattern, admin, (request, reply) =>
    editionPage(request, reply, request.params.editionId!),
  );

  app.get<{ Params: Params }>(sp.adminSettings.pattern, admin, async (request, reply) => {
    const { edition } = await surveys.editionForBuilder(userOf(request), request.params.editionId!);
    const values = {
      ...edition,
      year: String(edition.year),
      openLink: edition.openLink ? 'yes' : 'no',
      ...dateFieldValues('closesAt', edition.closesAt),
    };
    return editionForm(reply, { edition, values });
  });

  app.post<{ Params: Params }>(sp.adminSettings.pattern, admin, async (request, reply) => {
    const editionId = request.params.editionId!;
    const { edition } = await surveys.editionForBuilder(userOf(request), editionId);
    return submitForm(request, reply, {
      parse: (body) => parseForm(EditionForm, body, request.t),
      dates: ['closesAt'],
      again: (r, extra) => editionForm(r, { edition, ...extra }),
      field: 'year',
      save: async (data) => {
        await surveys.updateEdition(userOf(request), actorOf(request), editionId, data);
        return sp.adminEdition({ editionId });
      },
      flash: 'surveys.admin.saved',
    });
  });

  const copyPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    editionId: string,
    extra: Body = {},
  ) => {
    const { edition } = await surveys.editionForBuilder(userOf(request), editionId);
    return view(reply, 'copy.njk', { edition, values: { year: String(edition.year + 1) }, ...extra });
  };
  app.get<{ Params: Params }>(sp.adminCopy.pattern, admin, (request, reply) =>
    copyPage(request, reply, request.params.editionId!),
  );
  app.post<{ Params: Params }>(sp.adminCopy.pattern, admin, (request, reply) => {
    const editionId = request.params.editionId!;
    return submitForm(request, reply, {
      parse: (body) => parseForm(CopyForm, body, request.t),
      dates: ['closesAt'],
      again: (r, extra) => copyPage(request, r, editionId, extra),
      field: 'year',
      save: async ({ year, closesAt }) => {
        const copy = await surveys.copyEdition(userOf(request), actorOf(request), editionId, year, closesAt);
        return sp.adminEdition({ editionId: copy.id });
      },
      flash: 'surveys.copy.copied',
    });
  });

  app.get<{ Params: Params }>(sp.adminPreview.pattern, admin, async (request, reply) => {
    const model = await surveys.editionForBuilder(userOf(request), request.params.editionId!);
    const form = formOf(model);
    const bodies = await surveys.bodies();
    const pages = form.sections.map((section) => ({
      section,
      rule: describeCondition(section.showIf, form, request.t),
      questions: section.questions.map((q) => ({
        rule: describeCondition(q.showIf, form, request.t),
        view: questionView(q, {}, undefined, request.t, { bodies }),
      })),
    }));
    return view(reply, 'preview.njk', { edition: model.edition, pages });
  });

  const publishPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    editionId: string,
    extra: Body = {},
  ) => {
    const page = await surveys.editionForBuilder(userOf(request), editionId);
    const values = {
      ...dateFieldValues('opensAt', deps.clock.now()),
      ...dateFieldValues('closesAt', page.edition.closesAt),
    };
    return view(reply, 'publish.njk', { page, values, ...extra });
  };
  app.get<{ Params: Params }>(sp.adminPublish.pattern, admin, (request, reply) =>
    publishPage(request, reply, request.params.editionId!),
  );
  app.post<{ Params: Params }>(sp.adminPublish.pattern, admin, (request, reply) => {
    const editionId = request.params.editionId!;
    return submitForm(request, reply, {
      parse: (body) => parseForm(PublishForm, body, request.t),
      dates: ['opensAt', 'closesAt'],
      again: (r, extra) => publishPage(request, r, editionId, extra),
      field: 'opensAt',
      save: async (data) => {
        await surveys.publish(userOf(request), actorOf(request), editionId, data);
        return sp.adminEdition({ editionId });
      },
      flash: 'surveys.publish.published',
    });
  });

  // ── Sections ─────────────────────────────────────────────────────────────────────────────────────────

  const sectionForm = async (
    request: FastifyRequest,
    reply: FastifyReply,
    editionId: string,
    extra: Body,
  ) => {
    const { edition } = await surveys.editionForBuilder(userOf(request), editionId);
    return view(reply, 'section-form.njk', { edition, values: {}, ...extra });
  };

  app.get<{ Params: Params }>(sp.adminSectionNew.pattern, admin, (request, reply) =>
    sectionForm(request, reply, request.params.editionId!, {}),
  );
  app.post<{ Params: Params }>(sp.adminSectionNew.pattern, admin, (request, reply) => {
    const editionId = request.params.editionId!;
    return submitForm(request, reply, {
      parse: (body) => parseForm(SectionForm, body, request.t),
      again: (r, extra) => sectionForm(request, r, editionId, extra),
      field: 'key',
      save: async (data) => {
        await surveys.addSection(userOf(request), actorOf(request), editionId, data);
        return sp.adminEdition({ editionId });
      },
      flash: 'surveys.section.added',
    });
  });

  const sectionIn = (model: EditionModel, sectionId: string) => {
    const section = model.sections.find((s) => s.id === sectionId);
    if (!section) throw new NotFoundError('No such section');
    return section;
  };

  app.get<{ Params: Params }>(sp.adminSection.pattern, admin, async (request, reply) => {
    const { editionId, sectionId } = request.params as { editionId: string; sectionId: string };
    const section = sectionIn(await surveys.load(editionId), sectionId);
    return sectionForm(request, reply, editionId, { section, values: section });
  });
  app.post<{ Params: Params }>(sp.adminSection.pattern, admin, async (request, reply) => {
    const { editionId, sectionId } = request.params as { editionId: string; sectionId: string };
    const section = sectionIn(await surveys.load(editionId), sectionId);
    const parsed = parseForm(SectionEditForm, request.body, request.t);
    if (!parsed.success)
      return sectionForm(request, reply.code(422), editionId, {
        section,
        errors: parsed.errors,
        values: { ...(request.body as Body), key: section.key },
      });
    await surveys.updateSection(userOf(request), actorOf(request), editionId, sectionId, parsed.data);
    reply.flash(request.t('surveys.section.saved'));
    return reply.redirect(sp.adminEdition({ editionId }), 303);
  });

  /** Move, retire and remove are buttons on the edition page: a refusal shows there (422). */
  const editionAction = (
    pattern: string,
    run: (request: FastifyRequest, p: Params) => Promise<unknown>,
    done: string,
  ) =>
    app.post<{ Params: Params }>(pattern, admin, async (request, reply) => {
      const editionId = request.params.editionId!;
      const result = await attempt(
        request,
        'sections',
        () => run(request, request.params),
        (errors) => editionPage(request, reply.code(422), editionId, { errors }),
      );
      if (!result.ok) return result.page;
      reply.flash(request.t(done));
      return reply.redirect(sp.adminEdition({ editionId }), 303);
    });

  const direction = (request: FastifyRequest) => {
    const d = (request.body as Body | undefined)?.direction;
    if (d !== 'up' && d !== 'down') throw new BadRequestError('Direction must be up or down');
    return d;
  };
  editionAction(
    sp.adminSectionMove.pattern,
    (r, p) => surveys.moveSection(userOf(r), actorOf(r), p.editionId!, p.sectionId!, direction(r)),
    'surveys.edition.sectionMoved',
  );
  editionAction(
    sp.adminSectionRemove.pattern,
    (r, p) => surveys.removeSection(userOf(r), actorOf(r), p.editionId!, p.sectionId!),
    'surveys.edition.sectionRemoved',
  );
  editionAction(
    sp.adminQuestionMove.pattern,
    (r, p) => surveys.moveQuestion(userOf(r), actorOf(r), p.editionId!, p.questionId!, direction(r)),
    'surveys.edition.questionMoved',
  );
  editionAction(
    sp.adminQuestionRetire.pattern,
    (r, p) => surveys.retireQuestion(userOf(r), actorOf(r), p.editionId!, p.questionId!),
    'surveys.edition.questionRetired',
  );
  editionAction(
    sp.adminQuestionRemove.pattern,
    (r, p) => surveys.removeQuestion(userOf(r), actorOf(r), p.editionId!, p.questionId!),
    'surveys.edition.questionRemoved',
  );

  // ── Questions ────────────────────────────────────────────────────────────────────────────────────────

  const typeOf = (request: FastifyRequest): QuestionType | null => {
    const type = (request.query as Record<string, string> | undefined)?.type;
    return (questionTypes as readonly string[]).includes(type ?? '') ? (type as QuestionType) : null;
  };

  /** The type is chosen first (a GET form), so the question form only asks what that type needs. */
  const typePage = (request: FastifyRequest, reply: FastifyReply, extra: Body) => {
    const given = (request.query as Record<string, string> | undefined)?.type;
    const errors = given !== undefined ? parseForm(TypeForm, { type: given }, request.t) : null;
    return view(reply.code(errors && !errors.success ? 422 : 200), 'question-type.njk', {
      questionTypes,
      errors: errors && !errors.success ? errors.errors : undefined,
      ...extra,
    });
  };

  const questionPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    editionId: string,
    extra: Body & { type: QuestionType; mode: 'new' | 'edit' | 'replace' },
  ) => {
    const model = await surveys.editionForBuilder(userOf(request), editionId);
    return view(reply, 'question-form.njk', {
      edition: model.edition,
      principles: await surveys.principles(),
      values: { required: 'yes' },
      ...extra,
    });
  };

  const parseQuestion = async (request: FastifyRequest, type: QuestionType, withKey: boolean) => {
    const principleIds = (await surveys.principles()).map((p) => p.id);
    return parseForm(questionForm(type, principleIds, withKey), request.body, request.t);
  };

  app.get<{ Params: Params }>(sp.adminQuestionNew.pattern, admin, async (request, reply) => {
    const { editionId, sectionId } = request.params as { editionId: string; sectionId: string };
    const section = sectionIn(await surveys.load(editionId), sectionId);
    const type = typeOf(request);
    if (!type) return typePage(request, reply, { section, back: sp.adminEdition({ editionId }) });
    return questionPage(request, reply, editionId, { type, mode: 'new', section });
  });

  /**
   * Saves the question form, for adding, editing and replacing alike: parsed for the question's type (the key
   * is asked except when editing); `save` is the service call, `field` where its rule errors show.
   */
  const saveQuestion = (
    request: FastifyRequest,
    reply: FastifyReply,
    editionId: string,
    form: Body & {
      type: QuestionType;
      mode: 'new' | 'edit' | 'replace';
      section: EditionModel['sections'][number];
      values: unknown;
      field: string;
      flash: string;
      save: (input: QuestionInput) => Promise<unknown>;
    },
  ) => {
    const { field, flash, save, values, ...page } = form;
    return submitForm(request, reply, {
      parse: () => parseQuestion(request, form.type, form.mode !== 'edit'),
      values,
      again: (r, extra) => questionPage(request, r, editionId, { ...page, ...extra }),
      field,
      save: async (input) => {
        await save(input);
        return `${sp.adminEdition({ editionId })}#section-${form.section.key}`;
      },
      flash,
    });
  };

  /** The type chosen on the type page, which a POST of the question form must carry. */
  const chosenType = (request: FastifyRequest) => {
    const type = typeOf(request);
    if (!type) throw new BadRequestError('Choose the type of question first');
    return type;
  };

  app.post<{ Params: Params }>(sp.adminQuestionNew.pattern, admin, async (request, reply) => {
    const { editionId, sectionId } = request.params as { editionId: string; sectionId: string };
    const section = sectionIn(await surveys.load(editionId), sectionId);
    return saveQuestion(request, reply, editionId, {
      type: chosenType(request),
      mode: 'new',
      section,
      values: request.body,
      field: 'key',
      flash: 'surveys.question.added',
      save: (input) => surveys.addQuestion(userOf(request), actorOf(request), editionId, sectionId, input),
    });
  });

  const questionIn = (model: EditionModel, questionId: string) => {
    for (const s of model.sections) {
      const question = s.questions.find((q) => q.id === questionId);
      if (question) return { section: s, question };
    }
    throw new NotFoundError('No such question');
  };

  app.get<{ Params: Params }>(sp.adminQuestion.pattern, admin, async (request, reply) => {
    const { editionId, questionId } = request.params as { editionId: string; questionId: string };
    const model = await surveys.editionForBuilder(userOf(request), editionId);
    const { section, question } = questionIn(model, questionId);
    return questionPage(request, reply, editionId, {
      type: question.type,
      mode: 'edit',
      section,
      question,
      locked: model.keysWithAnswers.has(question.key),
      values: questionFieldValues(question),
    });
  });

  app.post<{ Params: Params }>(sp.adminQuestion.pattern, admin, async (request, reply) => {
    const { editionId, questionId } = request.params as { editionId: string; questionId: string };
    const model = await surveys.editionForBuilder(userOf(request), editionId);
    const { section, question } = questionIn(model, questionId);
    return saveQuestion(request, reply, editionId, {
      type: question.type,
      mode: 'edit',
      section,
      question,
      locked: model.keysWithAnswers.has(question.key),
      values: { ...(request.body as Body), key: question.key },
      field: 'text',
      flash: 'surveys.question.saved',
      // The key is a question's stable identifier: it never changes once made.
      save: ({ key: _key, ...input }) =>
        surveys.updateQuestion(userOf(request), actorOf(request), editionId, questionId, input),
    });
  });

  app.get<{ Params: Params }>(sp.adminQuestionReplace.pattern, admin, async (request, reply) => {
    const { editionId, questionId } = request.params as { editionId: string; questionId: string };
    const { section, question } = questionIn(await surveys.load(editionId), questionId);
    const type = typeOf(request);
    if (!type)
      return typePage(request, reply, {
        section,
        question,
        back: sp.adminEdition({ editionId }),
        replacing: true,
      });
    const values = { ...questionFieldValues(question), key: '', type };
    return questionPage(request, reply, editionId, { type, mode: 'replace', section, question, values });
  });

  app.post<{ Params: Params }>(sp.adminQuestionReplace.pattern, admin, async (request, reply) => {
    const { editionId, questionId } = request.params as { editionId: string; questionId: string };
    const { section, question } = questionIn(await surveys.load(editionId), questionId);
    return saveQuestion(request, reply, editionId, {
      type: chosenType(request),
      mode: 'replace',
      section,
      question,
      values: request.body,
      field: 'key',
      flash: 'surveys.question.replaced',
      save: (input) =>
        surveys.replaceQuestion(userOf(request), actorOf(request), editionId, questionId, input),
    });
  });

  // ── Show-if rules ────────────────────────────────────────────────────────────────────────────────────

  /** The rule editor for a section (`sectionId`) or a question (`questionId`). */
  const logicTarget = async (request: FastifyRequest, editionId: string, p: Params) => {
    const model = await surveys.editionForBuilder(userOf(request), editionId);
    const form = formOf(model);
    if (p.questionId) {
      const { section, question } = questionIn(model, p.questionId);
      return {
        model,
        form,
        sectionKey: section.key,
        name: question.text,
        condition: question.showIf,
        target: { questionId: question.id },
        action: sp.adminQuestionLogic({ editionId, questionId: question.id }),
      };
    }
    const section = sectionIn(model, p.sectionId!);
    return {
      model,
      form,
      sectionKey: section.key,
      name: section.title,
      condition: section.showIf,
      target: { sectionId: section.id },
      action: sp.adminSectionLogic({ editionId, sectionId: section.id }),
    };
  };

  const logicPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    extra: Body & { editionId: string; p: Params },
  ) => {
    const target = await logicTarget(request, extra.editionId, extra.p);
    const earlier = earlierQuestions(target.form, target.sectionKey);
    return view(reply, 'logic.njk', {
      edition: target.model.edition,
      name: target.name,
      action: target.action,
      earlier: earlier.map((q) => ({ q, values: valuesOf(q, request.t), operators: operatorsFor[q.type] })),
      operators: [...new Set(earlier.flatMap((q) => operatorsFor[q.type]))],
      clauses: Array.from({ length: MAX_CLAUSES }, (_, i) => i + 1),
      hasRule: Boolean(target.condition),
      values: conditionFieldValues(target.condition),
      ...extra,
    });
  };

  const saveLogic = async (request: FastifyRequest<{ Params: Params }>, reply: FastifyReply) => {
    const editionId = request.params.editionId!;
    const target = await logicTarget(request, editionId, request.params);
    const body = (request.body ?? {}) as Body;
    const again = (errors: GovukErrors) =>
      logicPage(request, reply.code(422), { editionId, p: request.params, errors, values: body });
    let condition = null;
    if (body.clear !== '1') {
      const match = parseForm(MatchForm, body, request.t);
      if (!match.success) return again(match.errors);
      const rows = parseConditionRows(
        body,
        match.data.match,
        earlierQuestions(target.form, target.sectionKey),
        request.t,
      );
      if ('errors' in rows) return again(rows.errors);
      condition = rows.condition;
    }
    const result = await attempt(
      request,
      'clause-1-question',
      () => surveys.setCondition(userOf(request), actorOf(request), editionId, target.target, condition),
      again,
    );
    if (!result.ok) return result.page;
    reply.flash(request.t(condition ? 'surveys.logic.saved' : 'surveys.logic.cleared'));
    return reply.redirect(`${sp.adminEdition({ editionId })}#section-${target.sectionKey}`, 303);
  };

  for (const path of [sp.adminSectionLogic, sp.adminQuestionLogic]) {
    app.get<{ Params: Params }>(path.pattern, admin, (request, reply) =>
      logicPage(request, reply, { editionId: request.params.editionId!, p: request.params }),
    );
    app.post<{ Params: Params }>(path.pattern, admin, saveLogic);
  }

  // ── Invitations ──────────────────────────────────────────────────────────────────────────────────────

  const invitationsPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    editionId: string,
    extra: Body = {},
  ) => {
    const page = await surveys.editionForBuilder(userOf(request), editionId);
    return view(reply, 'invitations.njk', {
      page,
      maxReminders: MAX_REMINDERS,
      reminderDays: REMINDER_INTERVAL_DAYS,
      maxRows: MAX_INVITATIONS_PER_FILE,
      ...extra,
    });
  };

  app.get<{ Params: Params }>(sp.adminInvitations.pattern, admin, (request, reply) =>
    invitationsPage(request, reply, request.params.editionId!),
  );

  /** The dry run's report: who would be invited, and every row that would be skipped and why. */
  const reportPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    editionId: string,
    bytes: Uint8Array,
  ) => {
    const plan = await respond.checkInvitations(userOf(request), editionId, bytes);
    if ('fileError' in plan)
      return invitationsPage(request, reply.code(422), editionId, {
        errors: govukError('file', request.t(plan.fileError!.key, plan.fileError!.params)),
      });
    const page = await surveys.editionForBuilder(userOf(request), editionId);
    return view(reply, 'invitations-report.njk', { page, plan });
  };

  // The upload is multipart, parsed only in this scope; the confirm form carries the checked file back.
  void app.register(async (scope) => {
    await scope.register(multipart, {
      attachFieldsToBody: 'keyValues',
      limits: { fileSize: 512 * 1024, files: 1, fields: 2 },
      async onFile(part) {
        (part as unknown as { value: Buffer }).value = await part.toBuffer();
      },
    });
    scope.post<{ Params: Params }>(sp.adminInvitations.pattern, admin, async (request, reply) => {
      const editionId = request.params.editionId!;
      const file = ((request.body ?? {}) as Body).file;
      if (!(file instanceof Buffer) || file.length === 0)
        return invitationsPage(request, reply.code(422), editionId, {
          errors: govukError('file', request.t('surveys.invite.fileRequired')),
        });
      return reportPage(request, reply, editionId, file);
    });
  });

  app.post<{ Params: Params }>(sp.adminInvitationsSend.pattern, admin, async (request, reply) => {
    const editionId = request.params.editionId!;
    const csv = String(((request.body ?? {}) as Body).csv ?? '');
    if (!csv || !/^[A-Za-z0-9+/=]+$/.test(csv)) throw new BadRequestError('The checked file is missing');
    let outcome: Awaited<ReturnType<typeof respond.sendInvitations>>;
    try {
      outcome = await respond.sendInvitations(
        userOf(request),
        actorOf(request),
        editionId,
        Buffer.from(csv, 'base64'),
      );
    } catch (error) {
      if (!(error instanceof RespondRefusal)) throw error;
      return invitationsPage(request, reply.code(422), editionId, {
        errors: govukError('file', request.t('surveys.invite.notOpen')),
      });
    }
    if (outcome.fileError)
      return invitationsPage(request, reply.code(422), editionId, {
        errors: govukError('file', request.t(outcome.fileError.key, outcome.fileError.params)),
      });
    reply.flash(request.t('surveys.invite.sent', { sent: outcome.sent, skipped: outcome.skipped ?? 0 }));
    return reply.redirect(sp.adminInvitations({ editionId }), 303);
  });

  app.post<{ Params: Params }>(sp.adminInvitationsRemind.pattern, admin, async (request, reply) => {
    const editionId = request.params.editionId!;
    const { sent } = await respond.remindNow(userOf(request), actorOf(request), editionId);
    reply.flash(request.t('surveys.invite.reminded', { sent }));
    return reply.redirect(sp.adminInvitations({ editionId }), 303);
  });
}
