/**
 * The Covenant team's consultation pages (issue 7, items 1 and 3): the list, creating and editing a
 * consultation (the 12-week warning and its required reason), its questions (the survey builder's question
 * form and the question engine), publishing, and moderation (publish redacted or hold back each response).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../container.ts';
import { toIsoParts } from './consultations.present.ts';
import { actorOf, userOf } from '../../platform/http/context.ts';
import { requireSignIn } from '../../platform/http/guards.ts';
import { govukError, parseForm, type GovukErrors } from '../../platform/views/form-errors.ts';
import { questionFieldValues } from '../surveys/surveys.schema.ts';
import { joinDateFields } from '../exchange/exchange.schema.ts';
import { consultationPaths as p } from './consultations.paths.ts';
import { canConsultation } from './consultations.policy.ts';
import { isShortPeriod, periodLength } from './consultations.rules.ts';
import {
  consultationForm,
  consultationQuestionForm,
  consultationQuestionTypes,
  ModerateForm,
  QuestionTypeForm,
} from './consultations.schema.ts';
import { ConsultationRuleError } from './consultations.service.ts';
import { moderationStates, type ModerationState } from './consultations.tables.ts';
import { ForbiddenError } from '../../platform/http/errors.ts';
import type { QuestionDefinition } from '../surveys/questions/types.ts';

const V = 'modules/consultations/views/manage/';
type Params = Record<string, string>;
type Body = Record<string, unknown>;
const DATES = ['opensOn', 'closesOn'] as const;

export function registerConsultationsManageRoutes(app: FastifyInstance, deps: Deps) {
  const { consultations } = deps;
  const view = (reply: FastifyReply, template: string, data: Body) =>
    reply.view(`${V}${template}`, { p, questionTypes: consultationQuestionTypes, ...data });
  const slugOf = (request: FastifyRequest) => (request.params as Params).slug ?? '';
  const team = { preHandler: requireSignIn };
  const guard = (request: FastifyRequest, action: 'manage' | 'moderate') => {
    if (!canConsultation(request.currentUser, action)) throw new ForbiddenError(`Consultations: ${action}`);
  };

  /** Runs a service call; a broken rule re-shows the page (422) with the error against its field. */
  const attempt = async (
    request: FastifyRequest,
    run: () => Promise<unknown>,
    again: (e: GovukErrors) => unknown,
  ) => {
    try {
      await run();
      return null;
    } catch (error) {
      if (!(error instanceof ConsultationRuleError)) throw error;
      return again(govukError(error.field, request.t(error.messageKey, { key: '' })));
    }
  };

  app.get(p.admin.pattern, team, async (request, reply) =>
    view(reply, 'index.njk', { consultations: await consultations.adminList(request.currentUser) }),
  );

  // ── Creating and editing ──────────────────────────────────────────────────────────────────────────────

  const formPage = async (reply: FastifyReply, data: Body & { values: Body }) => {
    const v = data.values as Record<string, string>;
    const short = v.opensOn && v.closesOn && v.closesOn >= v.opensOn && isShortPeriod(v.opensOn, v.closesOn);
    return view(reply, 'form.njk', {
      ...(await consultations.formOptions()),
      dates: Object.fromEntries(DATES.map((d) => [d, toIsoParts(data.values, d)])),
      short,
      length: short ? periodLength(v.opensOn!, v.closesOn!) : null,
      ...data,
    });
  };
  const parseDetails = async (request: FastifyRequest) => {
    const { versions, subCovenants } = await consultations.formOptions();
    const body = joinDateFields((request.body ?? {}) as Body, DATES);
    return {
      body,
      parsed: parseForm(
        consultationForm(
          versions.map((x) => x.id),
          subCovenants.map((x) => x.id),
        ),
        body,
        request.t,
      ),
    };
  };

  app.get(p.create.pattern, team, async (request, reply) => {
    guard(request, 'manage');
    const { versions } = await consultations.formOptions();
    return formPage(reply, { mode: 'new', values: { versionId: versions[0]?.id } });
  });
  app.post(p.create.pattern, team, async (request, reply) => {
    guard(request, 'manage');
    const { body, parsed } = await parseDetails(request);
    if (!parsed.success)
      return formPage(reply.code(422), { mode: 'new', errors: parsed.errors, values: body });
    const c = await consultations.create(userOf(request), actorOf(request), parsed.data);
    reply.flash(request.t('consultations.manage.created'));
    return reply.redirect(p.manage({ slug: c.slug }), 303);
  });

  app.get(p.edit.pattern, team, async (request, reply) => {
    const { consultation } = await consultations.manage(request.currentUser, slugOf(request));
    return formPage(reply, { mode: 'edit', consultation, values: consultation });
  });
  app.post(p.edit.pattern, team, async (request, reply) => {
    const { consultation } = await consultations.manage(request.currentUser, slugOf(request));
    const { body, parsed } = await parseDetails(request);
    const again = (errors: GovukErrors) =>
      formPage(reply.code(422), { mode: 'edit', consultation, errors, values: body });
    if (!parsed.success) return again(parsed.errors);
    const failed = await attempt(
      request,
      () => consultations.update(userOf(request), actorOf(request), consultation.slug, parsed.data),
      again,
    );
    if (failed) return failed;
    reply.flash(request.t('consultations.manage.saved'));
    return reply.redirect(p.manage({ slug: consultation.slug }), 303);
  });

  // ── The consultation's page for the team, publishing ─────────────────────────────────────────────────

  const managePage = async (request: FastifyRequest, reply: FastifyReply, extra: Body = {}) =>
    view(reply, 'show.njk', {
      ...(await consultations.manage(request.currentUser, slugOf(request))),
      ...extra,
    });
  app.get(p.manage.pattern, team, (request, reply) => managePage(request, reply));
  app.post(p.publish.pattern, team, async (request, reply) => {
    const failed = await attempt(
      request,
      () => consultations.publish(userOf(request), actorOf(request), slugOf(request)),
      (errors) => managePage(request, reply.code(422), { errors }),
    );
    if (failed) return failed;
    reply.flash(request.t('consultations.manage.published'));
    return reply.redirect(p.manage({ slug: slugOf(request) }), 303);
  });

  // ── Questions (the survey builder's question form) ───────────────────────────────────────────────────

  const questionPage = async (request: FastifyRequest, reply: FastifyReply, extra: Body) => {
    const { consultation } = await consultations.manage(request.currentUser, slugOf(request));
    return view(reply, 'question.njk', { consultation, values: { required: 'yes' }, ...extra });
  };
  const typeOf = (request: FastifyRequest) => {
    const parsed = QuestionTypeForm.safeParse({ type: (request.query as Params | undefined)?.type });
    return parsed.success ? parsed.data.type : null;
  };
  app.get(p.newQuestion.pattern, team, async (request, reply) => {
    const type = typeOf(request);
    const given = (request.query as Params | undefined)?.type;
    if (!type) {
      const { consultation } = await consultations.manage(request.currentUser, slugOf(request));
      const errors =
        given !== undefined
          ? govukError('type', request.t('consultations.errors.questionTypeRequired'))
          : undefined;
      return view(reply.code(errors ? 422 : 200), 'question-type.njk', { consultation, errors });
    }
    return questionPage(request, reply, { type, mode: 'new' });
  });

  const saveQuestion = async (
    request: FastifyRequest,
    reply: FastifyReply,
    page: Body & { type: QuestionDefinition['type']; mode: 'new' | 'edit' },
    save: (q: QuestionDefinition) => Promise<unknown>,
  ) => {
    const parsed = parseForm(
      consultationQuestionForm(page.type, page.mode === 'new'),
      request.body,
      request.t,
    );
    const again = (errors: GovukErrors) =>
      questionPage(request, reply.code(422), { ...page, errors, values: request.body });
    if (!parsed.success) return again(parsed.errors);
    const failed = await attempt(request, () => save(parsed.data), again);
    if (failed) return failed;
    reply.flash(request.t('consultations.manage.questionSaved'));
    return reply.redirect(`${p.manage({ slug: slugOf(request) })}#questions`, 303);
  };
  app.post(p.newQuestion.pattern, team, async (request, reply) => {
    const type = typeOf(request);
    if (!type) return reply.redirect(p.newQuestion({ slug: slugOf(request) }), 303);
    return saveQuestion(request, reply, { type, mode: 'new' }, (q) =>
      consultations.addQuestion(userOf(request), actorOf(request), slugOf(request), q),
    );
  });
  app.get<{ Params: Params }>(p.question.pattern, team, async (request, reply) => {
    const { question, locked } = await consultations.question(
      request.currentUser,
      slugOf(request),
      request.params.key ?? '',
    );
    return questionPage(request, reply, {
      type: question.type,
      mode: 'edit',
      question,
      locked,
      values: questionFieldValues({
        ...question,
        help: question.help ?? null,
        settings: question,
        principleId: null,
        signKey: null,
      }),
    });
  });
  app.post<{ Params: Params }>(p.question.pattern, team, async (request, reply) => {
    const { question } = await consultations.question(
      request.currentUser,
      slugOf(request),
      request.params.key ?? '',
    );
    return saveQuestion(request, reply, { type: question.type, mode: 'edit', question }, (q) =>
      consultations.updateQuestion(userOf(request), actorOf(request), slugOf(request), question.key, q),
    );
  });
  app.post<{ Params: Params }>(p.removeQuestion.pattern, team, async (request, reply) => {
    const failed = await attempt(
      request,
      () =>
        consultations.removeQuestion(
          userOf(request),
          actorOf(request),
          slugOf(request),
          request.params.key ?? '',
        ),
      (errors) => managePage(request, reply.code(422), { errors }),
    );
    if (failed) return failed;
    reply.flash(request.t('consultations.manage.questionRemoved'));
    return reply.redirect(`${p.manage({ slug: slugOf(request) })}#questions`, 303);
  });

  // ── Moderation ────────────────────────────────────────────────────────────────────────────────────────

  app.get(p.moderation.pattern, team, async (request, reply) => {
    guard(request, 'moderate');
    const given = (request.query as Params | undefined)?.state;
    const state: ModerationState = (moderationStates as readonly string[]).includes(given ?? '')
      ? (given as ModerationState)
      : 'pending';
    return view(reply, 'moderation.njk', {
      ...(await consultations.moderationQueue(request.currentUser, slugOf(request), state)),
      states: moderationStates,
    });
  });

  const moderatePage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    extra: Body & { values?: Body } = {},
  ) => {
    const id = (request.params as Params).responseId ?? '';
    const phrases = String((extra.values as Body | undefined)?.phrases ?? '');
    return view(reply, 'moderate.njk', {
      values: {},
      ...(await consultations.moderationView(request.currentUser, slugOf(request), id, phrases)),
      ...extra,
    });
  };
  app.get(p.moderate.pattern, team, async (request, reply) => {
    guard(request, 'moderate');
    return moderatePage(request, reply);
  });
  app.post<{ Params: Params }>(p.moderate.pattern, team, async (request, reply) => {
    guard(request, 'moderate');
    const body = (request.body ?? {}) as Body;
    // "Preview" re-shows the page with the moderator's phrases applied, deciding nothing.
    if (body.preview === '1') return moderatePage(request, reply, { values: body });
    const parsed = parseForm(ModerateForm, body, request.t);
    if (!parsed.success)
      return moderatePage(request, reply.code(422), { errors: parsed.errors, values: body });
    await consultations.moderate(
      userOf(request),
      actorOf(request),
      slugOf(request),
      request.params.responseId ?? '',
      parsed.data,
    );
    reply.flash(
      request.t(
        parsed.data.decision === 'hold'
          ? 'consultations.moderation.heldDone'
          : 'consultations.moderation.publishedDone',
      ),
    );
    return reply.redirect(p.moderation({ slug: slugOf(request) }), 303);
  });
}
