/**
 * Public consultation pages and responding (issue 7, items 1–3): the list, a consultation's page (numbered
 * paragraphs, anchor per stable key), published comments on a paragraph, published responses with search,
 * and the respondent's journey: a task list, about you, the document with a simple form per paragraph, the
 * principles, the questions (the question engine's page), consent, check and send, save and return.
 * Everything works without JavaScript. Every refusal (not open yet, closed, no draft, already sent) has its
 * own polite page.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../container.ts';
import { actorOf } from '../../platform/http/context.ts';
import { NotFoundError } from '../../platform/http/errors.ts';
import { parseForm, type GovukErrors } from '../../platform/views/form-errors.ts';
import { answerSummaryRows, fieldValuesFor, pageView } from '../surveys/questions/index.ts';
import { consultationPaths as p } from './consultations.paths.ts';
import { RespondRefusal, type RespondSession } from './consultations.respond.ts';
import {
  AboutForm,
  CommentForm,
  ConsentForm,
  organisationSizes,
  organisationTypes,
  principlesForm,
  ResumeEmailForm,
  SearchQuery,
} from './consultations.schema.ts';
import { QUESTIONS_SECTION, questionsOf } from './consultations.service.ts';
import { commentStances, consentChoices, principleViews } from './consultations.tables.ts';

const V = 'modules/consultations/views/';
type Params = Record<string, string>;
type Body = Record<string, unknown>;

export const CONSULTATION_COOKIE = 'covenant_consultation';

const refusalStatus: Record<RespondRefusal['reason'], number> = {
  not_open: 403,
  closed: 410,
  no_draft: 404,
  already_sent: 410,
};

export function registerConsultationsRoutes(app: FastifyInstance, deps: Deps) {
  const { consultations, consultationsRespond: respond, config } = deps;
  const limited = {
    config: { rateLimit: { max: config.RATE_LIMIT_FORMS_PER_MINUTE, timeWindow: '1 minute' } },
  };
  const lists = {
    stances: commentStances,
    views: principleViews,
    consents: consentChoices,
    organisationTypes,
    organisationSizes,
  };
  const view = (reply: FastifyReply, template: string, data: Body) =>
    reply.view(`${V}${template}`, { p, lists, ...data });
  const slugOf = (request: FastifyRequest) => (request.params as Params).slug ?? '';

  const cookiePath = (slug: string) => p.show({ slug });
  const setToken = (reply: FastifyReply, slug: string, token: string) =>
    reply.setCookie(CONSULTATION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'lax',
      secure: config.COOKIE_SECURE,
      path: cookiePath(slug),
      maxAge: 60 * 60 * 24 * 180,
    });

  /** Runs a respondent's step; a refusal gets its polite page. */
  const refusable =
    (handler: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>) =>
    async (request: FastifyRequest, reply: FastifyReply) => {
      try {
        return await handler(request, reply);
      } catch (error) {
        if (!(error instanceof RespondRefusal)) throw error;
        return view(reply.code(refusalStatus[error.reason]), 'respond/refused.njk', {
          reason: error.reason,
          consultation: error.consultation,
        });
      }
    };
  const session = (request: FastifyRequest) =>
    respond.session(slugOf(request), request.cookies[CONSULTATION_COOKIE]);
  const slug = (s: RespondSession) => ({ slug: s.consultation.slug });

  // ── Public pages ──────────────────────────────────────────────────────────────────────────────────────

  app.get(p.index.pattern, async (_request, reply) =>
    view(reply, 'index.njk', await consultations.publicList()),
  );

  app.get(p.show.pattern, async (request, reply) =>
    view(reply, 'show.njk', await consultations.page(request.currentUser, slugOf(request))),
  );

  app.get<{ Params: Params }>(p.paragraph.pattern, async (request, reply) =>
    view(
      reply,
      'paragraph.njk',
      await consultations.paragraphComments(request.currentUser, slugOf(request), request.params.key ?? ''),
    ),
  );

  app.get(p.responses.pattern, async (request, reply) => {
    const query = SearchQuery.safeParse(request.query ?? {});
    const { q, page } = query.success ? query.data : { q: null, page: 1 };
    return view(
      reply,
      'responses.njk',
      await consultations.publishedResponses(request.currentUser, slugOf(request), q, page),
    );
  });

  app.get<{ Params: Params }>(p.response.pattern, async (request, reply) => {
    const page = await consultations.publishedResponse(
      request.currentUser,
      slugOf(request),
      request.params.reference ?? '',
    );
    const questions = questionsOf(page.consultation).filter(
      (q) => page.response.answers[q.key] !== undefined,
    );
    return view(reply, 'response.njk', {
      ...page,
      answerRows: answerSummaryRows(questions, page.response.answers, request.t),
    });
  });

  // ── Starting, resuming ────────────────────────────────────────────────────────────────────────────────

  app.post(
    p.start.pattern,
    limited,
    refusable(async (request, reply) => {
      const { consultation, token } = await respond.start(slugOf(request));
      setToken(reply, consultation.slug, token);
      return reply.redirect(p.tasks({ slug: consultation.slug }), 303);
    }),
  );

  app.get(
    p.resume.pattern,
    limited,
    refusable(async (request, reply) => {
      const token = (request.params as Params).token ?? '';
      const c = await respond.resume(slugOf(request), token);
      setToken(reply, c.slug, token);
      return reply.redirect(p.tasks({ slug: c.slug }), 303);
    }),
  );

  // ── The task list ─────────────────────────────────────────────────────────────────────────────────────

  app.get(
    p.tasks.pattern,
    refusable(async (request, reply) => {
      const s = await session(request);
      return view(reply, 'respond/tasks.njk', {
        ...s,
        ...(await respond.tasks(s)),
        section: QUESTIONS_SECTION,
      });
    }),
  );

  // ── About you ─────────────────────────────────────────────────────────────────────────────────────────

  const aboutPage = (reply: FastifyReply, s: RespondSession, extra: Body = {}) =>
    view(reply, 'respond/about.njk', { ...s, values: s.response, ...extra });
  app.get(
    p.about.pattern,
    refusable(async (request, reply) => aboutPage(reply, await session(request))),
  );
  app.post(
    p.about.pattern,
    limited,
    refusable(async (request, reply) => {
      const s = await session(request);
      const parsed = parseForm(AboutForm, request.body, request.t);
      if (!parsed.success)
        return aboutPage(reply.code(422), s, { errors: parsed.errors, values: parsed.values });
      await respond.saveAbout(s, parsed.data);
      return afterSave(request, reply, s);
    }),
  );

  /** After any saved part: "save and come back later" goes to the saved page, otherwise the task list. */
  const afterSave = (request: FastifyRequest, reply: FastifyReply, s: RespondSession, anchor = '') =>
    reply.redirect(
      (request.body as Body | undefined)?.saveLater === '1'
        ? p.saved(slug(s))
        : `${p.tasks(slug(s))}${anchor}`,
      303,
    );

  // ── The document, one paragraph at a time ─────────────────────────────────────────────────────────────

  app.get(
    p.document.pattern,
    refusable(async (request, reply) => {
      const s = await session(request);
      return view(reply, 'respond/document.njk', { ...s, paragraphs: await respond.document(s) });
    }),
  );

  const commentPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    s: RespondSession,
    extra: Body = {},
  ) => {
    const paragraph = await respond.paragraph(s, (request.params as Params).key ?? '');
    if (!paragraph) throw new NotFoundError('No such paragraph');
    return view(reply, 'respond/comment.njk', { ...s, paragraph, values: paragraph.comment ?? {}, ...extra });
  };
  app.get(
    p.comment.pattern,
    refusable(async (request, reply) => commentPage(request, reply, await session(request))),
  );
  app.post(
    p.comment.pattern,
    limited,
    refusable(async (request, reply) => {
      const s = await session(request);
      const paragraph = await respond.paragraph(s, (request.params as Params).key ?? '');
      if (!paragraph) throw new NotFoundError('No such paragraph');
      const parsed = parseForm(CommentForm, request.body, request.t);
      if (!parsed.success)
        return commentPage(request, reply.code(422), s, { errors: parsed.errors, values: parsed.values });
      await respond.saveComment(s, paragraph.key, parsed.data);
      reply.flash(request.t('consultations.respond.commentSaved', { number: paragraph.number ?? '' }));
      return reply.redirect(`${p.document(slug(s))}#${paragraph.key}`, 303);
    }),
  );
  app.post(
    p.removeComment.pattern,
    limited,
    refusable(async (request, reply) => {
      const s = await session(request);
      const paragraph = await respond.paragraph(s, (request.params as Params).key ?? '');
      if (!paragraph) throw new NotFoundError('No such paragraph');
      await respond.removeComment(s, paragraph.key);
      reply.flash(request.t('consultations.respond.commentRemoved', { number: paragraph.number ?? '' }));
      return reply.redirect(`${p.document(slug(s))}#${paragraph.key}`, 303);
    }),
  );

  // ── Principles ────────────────────────────────────────────────────────────────────────────────────────

  const principlesPage = async (reply: FastifyReply, s: RespondSession, extra: Body = {}) => {
    const items = await respond.principles(s);
    const values: Body = {};
    for (const { principle, saved } of items) {
      values[`view-${principle.slug}`] = saved?.view;
      values[`comment-${principle.slug}`] = saved?.comment;
    }
    return view(reply, 'respond/principles.njk', { ...s, items, values, ...extra });
  };
  app.get(
    p.principles.pattern,
    refusable(async (request, reply) => principlesPage(reply, await session(request))),
  );
  app.post(
    p.principles.pattern,
    limited,
    refusable(async (request, reply) => {
      const s = await session(request);
      const items = await respond.principles(s);
      const parsed = parseForm(principlesForm(items.map((i) => i.principle)), request.body, request.t);
      if (!parsed.success)
        return principlesPage(reply.code(422), s, { errors: parsed.errors, values: parsed.values });
      await respond.savePrinciples(s, parsed.data);
      return afterSave(request, reply, s);
    }),
  );

  // ── Questions (the question engine's page) ────────────────────────────────────────────────────────────

  const questionPage = (
    request: FastifyRequest,
    reply: FastifyReply,
    s: RespondSession,
    sectionKey: string,
    submitted?: { values: Body; errors: GovukErrors },
  ) => {
    const page = respond.pageQuestions(s, sectionKey);
    if (!page) throw new NotFoundError('No such page');
    const values = submitted?.values ?? fieldValuesFor(page.questions, s.response.answers);
    return reply.view('modules/surveys/questions/views/question-page.njk', {
      ...pageView(page.section, page.questions, values, submitted?.errors, request.t),
      caption: s.consultation.title,
      errors: submitted?.errors,
      formAction: p.questions({ ...slug(s), section: sectionKey }),
      backHref: p.tasks(slug(s)),
      continueText: request.t('consultations.respond.saveContinue'),
      saveLaterText: request.t('consultations.respond.saveLater'),
    });
  };
  app.get(
    p.questions.pattern,
    refusable(async (request, reply) =>
      questionPage(request, reply, await session(request), (request.params as Params).section ?? ''),
    ),
  );
  app.post(
    p.questions.pattern,
    limited,
    refusable(async (request, reply) => {
      const s = await session(request);
      const sectionKey = (request.params as Params).section ?? '';
      const result = await respond.saveQuestions(s, sectionKey, request.body, request.t);
      if (!result) throw new NotFoundError('No such page');
      if (!result.success)
        return questionPage(request, reply.code(422), s, sectionKey, {
          values: result.values,
          errors: result.errors,
        });
      return afterSave(request, reply, s);
    }),
  );

  // ── Consent ───────────────────────────────────────────────────────────────────────────────────────────

  const consentPage = (reply: FastifyReply, s: RespondSession, extra: Body = {}) =>
    view(reply, 'respond/consent.njk', {
      ...s,
      values: s.response,
      nameMissing: respond.nameMissing(s),
      ...extra,
    });
  app.get(
    p.consent.pattern,
    refusable(async (request, reply) => consentPage(reply, await session(request))),
  );
  app.post(
    p.consent.pattern,
    limited,
    refusable(async (request, reply) => {
      const s = await session(request);
      const parsed = parseForm(ConsentForm, request.body, request.t);
      if (!parsed.success)
        return consentPage(reply.code(422), s, { errors: parsed.errors, values: parsed.values });
      await respond.saveConsent(s, parsed.data.consent);
      return afterSave(request, reply, s);
    }),
  );

  // ── Save and return ───────────────────────────────────────────────────────────────────────────────────

  const savedPage = async (request: FastifyRequest, reply: FastifyReply, extra: Body = {}) => {
    const s = await session(request);
    return view(reply, 'respond/saved.njk', {
      ...s,
      link: `${config.BASE_URL}${p.resume({ ...slug(s), token: request.cookies[CONSULTATION_COOKIE]! })}`,
      values: { email: s.response.respondentEmail ?? '' },
      ...extra,
    });
  };
  app.get(p.saved.pattern, refusable(savedPage));
  app.post(
    p.saved.pattern,
    limited,
    refusable(async (request, reply) => {
      const parsed = parseForm(ResumeEmailForm, request.body, request.t);
      if (!parsed.success)
        return savedPage(request, reply.code(422), { errors: parsed.errors, values: parsed.values });
      await respond.emailResumeLink(
        await session(request),
        request.cookies[CONSULTATION_COOKIE]!,
        parsed.data.email,
      );
      return savedPage(request, reply, { emailed: parsed.data.email });
    }),
  );

  // ── Check and send ────────────────────────────────────────────────────────────────────────────────────

  const checkPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    s: RespondSession,
    extra: Body = {},
  ) =>
    view(reply, 'respond/check.njk', {
      ...s,
      ...(await respond.tasks(s)),
      nameMissing: respond.nameMissing(s),
      paragraphs: (await respond.document(s)).filter((x) => x.comment),
      principleItems: await respond.principles(s),
      answerRows: answerSummaryRows(questionsOf(s.consultation), s.response.answers, request.t, {
        changeHref: () => p.questions({ ...slug(s), section: QUESTIONS_SECTION }),
      }),
      section: QUESTIONS_SECTION,
      ...extra,
    });
  app.get(
    p.check.pattern,
    refusable(async (request, reply) => checkPage(request, reply, await session(request))),
  );
  app.post(
    p.check.pattern,
    limited,
    refusable(async (request, reply) => {
      const s = await session(request);
      const result = await respond.submit(s, actorOf(request), request.t);
      if (!result.submitted) return checkPage(request, reply.code(422), s, { notReady: true });
      reply.clearCookie(CONSULTATION_COOKIE, { path: cookiePath(s.consultation.slug) });
      return reply.redirect(
        p.submitted(slug(s), { reference: result.reference, copy: result.copySent ? 'sent' : '' }),
        303,
      );
    }),
  );

  app.get(p.submitted.pattern, async (request, reply) => {
    const page = await consultations.page(request.currentUser, slugOf(request));
    const query = (request.query ?? {}) as Record<string, string>;
    const reference = /^CR-[2-9A-Z]{6}$/.test(query.reference ?? '') ? query.reference : null;
    return view(reply, 'respond/submitted.njk', {
      consultation: page.consultation,
      reference,
      copy: query.copy === 'sent',
    });
  });
}
