/**
 * Responding to the annual review: the index, the start page, the open link and emailed invitations, one
 * page per section (saved page by page), save and return, check your answers and the anonymous submission.
 * No account is needed. The respondent's draft is found by the resume token in a cookie scoped to
 * /annual-review; every refusal (unknown or used invitation, closed review, lost draft) has its own page.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../container.ts';
import { NotFoundError } from '../../platform/http/errors.ts';
import { parseForm, type GovukErrors } from '../../platform/views/form-errors.ts';
import {
  answerSummaryRows,
  fieldValuesFor,
  nextSection,
  pageView,
  previousSection,
} from './questions/index.ts';
import { surveyPaths as sp } from './surveys.paths.ts';
import { RespondRefusal, type Session } from './surveys.respond.ts';
import { CopyAnswersForm } from './surveys.schema.ts';
import type { Edition } from './surveys.repository.ts';
import { z } from 'zod';

const V = 'modules/surveys/views/';
type Params = Record<string, string>;
type Body = Record<string, unknown>;

export const SURVEY_COOKIE = 'covenant_survey';

const refusalStatus: Record<RespondRefusal['reason'], number> = {
  unknown_invitation: 404,
  used_invitation: 410,
  closed: 410,
  not_open: 404,
  no_open_link: 403,
  no_draft: 404,
};

const ResumeEmailForm = z.object({
  email: z
    .string({ error: 'surveys.respond.copyEmailRequired' })
    .trim()
    .min(1, 'surveys.respond.copyEmailRequired')
    .pipe(z.email('surveys.respond.copyEmailInvalid')),
});

export function registerSurveysRespondRoutes(app: FastifyInstance, deps: Deps) {
  const { surveysRespond: respond, config } = deps;
  // Token links and form posts are rate limited: a token cannot be guessed by trying many.
  const limited = {
    config: { rateLimit: { max: config.RATE_LIMIT_FORMS_PER_MINUTE, timeWindow: '1 minute' } },
  };

  const view = (reply: FastifyReply, template: string, data: Body) =>
    reply.view(`${V}${template}`, { sp, ...data });

  const yearOf = (request: FastifyRequest) => {
    const year = (request.params as Params).year ?? '';
    if (!/^\d{4}$/.test(year)) throw new NotFoundError('No such review');
    return Number(year);
  };

  const setToken = (reply: FastifyReply, token: string, edition: Edition) =>
    reply.setCookie(SURVEY_COOKIE, token, {
      httpOnly: true,
      sameSite: 'lax',
      secure: config.COOKIE_SECURE,
      path: '/annual-review',
      // Until the review closes (by the injected clock; the draft is useless after that).
      maxAge: Math.max(60, Math.floor((edition.closesAt.getTime() - deps.clock.now().getTime()) / 1000)),
    });
  const tokenOf = (request: FastifyRequest) => request.cookies[SURVEY_COOKIE];

  /** Runs a respondent's step; a refusal gets its polite page. */
  const refusable =
    (handler: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>) =>
    async (request: FastifyRequest, reply: FastifyReply) => {
      try {
        return await handler(request, reply);
      } catch (error) {
        if (!(error instanceof RespondRefusal)) throw error;
        return view(reply.code(refusalStatus[error.reason]), 'refused.njk', {
          reason: error.reason,
          edition: error.edition,
        });
      }
    };

  const session = (request: FastifyRequest) => respond.session(yearOf(request), tokenOf(request));
  const year = (s: Session) => String(s.edition.year);

  /** Where a respondent carries on: the first page that needs attention, or check your answers. */
  const whereNext = async (s: Session) => {
    const { firstIncomplete } = await respond.review(s);
    return firstIncomplete
      ? sp.page({ year: year(s), section: firstIncomplete })
      : sp.check({ year: year(s) });
  };

  app.get(sp.index.pattern, async (_request, reply) => view(reply, 'index.njk', await respond.index()));

  app.get(
    sp.start.pattern,
    refusable(async (request, reply) => view(reply, 'start.njk', await respond.startPage(yearOf(request)))),
  );

  app.post(
    sp.begin.pattern,
    limited,
    refusable(async (request, reply) => {
      const { edition, token } = await respond.startOpen(yearOf(request));
      setToken(reply, token, edition);
      const first = (await respond.session(edition.year, token)).form.sections[0]!;
      return reply.redirect(sp.page({ year: String(edition.year), section: first.key }), 303);
    }),
  );

  app.get<{ Params: Params }>(
    sp.invitation.pattern,
    limited,
    refusable(async (request, reply) => {
      const { edition, token } = await respond.openInvitation((request.params as Params).token ?? '');
      setToken(reply, token, edition);
      return reply.redirect(await whereNext(await respond.session(edition.year, token)), 303);
    }),
  );

  app.get<{ Params: Params }>(
    sp.resume.pattern,
    limited,
    refusable(async (request, reply) => {
      const token = (request.params as Params).token ?? '';
      const edition = await respond.resume(token);
      setToken(reply, token, edition);
      return reply.redirect(await whereNext(await respond.session(edition.year, token)), 303);
    }),
  );

  // ── Question pages ───────────────────────────────────────────────────────────────────────────────────

  const questionPage = (
    request: FastifyRequest,
    reply: FastifyReply,
    s: Session,
    sectionKey: string,
    submitted?: { values: Body; errors: GovukErrors },
  ) => {
    const page = respond.pageQuestions(s, sectionKey);
    if (!page) throw new NotFoundError('No such page');
    const values = submitted?.values ?? fieldValuesFor(page.questions, s.answers);
    const previous = previousSection(s.form, s.answers, sectionKey);
    return reply.view('modules/surveys/questions/views/question-page.njk', {
      ...pageView(page.section, page.questions, values, submitted?.errors, request.t, { bodies: s.bodies }),
      errors: submitted?.errors,
      formAction: sp.page({ year: year(s), section: sectionKey }),
      backHref: previous ? sp.page({ year: year(s), section: previous.key }) : sp.start({ year: year(s) }),
      continueText: request.t('common.continue'),
      saveLaterText: request.t('surveys.respond.saveLater'),
    });
  };

  app.get<{ Params: Params }>(
    sp.page.pattern,
    refusable(async (request, reply) =>
      questionPage(request, reply, await session(request), (request.params as Params).section ?? ''),
    ),
  );

  app.post<{ Params: Params }>(
    sp.page.pattern,
    limited,
    refusable(async (request, reply) => {
      const s = await session(request);
      const sectionKey = (request.params as Params).section ?? '';
      if (!respond.pageQuestions(s, sectionKey)) throw new NotFoundError('No such page');
      const result = await respond.savePage(s, sectionKey, request.body, request.t);
      if (!result.success)
        return questionPage(request, reply.code(422), s, sectionKey, {
          values: result.values,
          errors: result.errors,
        });
      if ((request.body as Body | undefined)?.saveLater === '1')
        return reply.redirect(sp.saved({ year: year(s) }), 303);
      const next = nextSection(s.form, s.answers, sectionKey);
      return reply.redirect(
        next ? sp.page({ year: year(s), section: next.key }) : sp.check({ year: year(s) }),
        303,
      );
    }),
  );

  // ── Save and return ──────────────────────────────────────────────────────────────────────────────────

  const savedPage = async (request: FastifyRequest, reply: FastifyReply, extra: Body = {}) => {
    const s = await session(request);
    return view(reply, 'saved.njk', {
      edition: s.edition,
      link: `${config.BASE_URL}${sp.resume({ token: tokenOf(request)! })}`,
      next: await whereNext(s),
      values: {},
      ...extra,
    });
  };
  app.get(sp.saved.pattern, refusable(savedPage));
  app.post(
    sp.saved.pattern,
    limited,
    refusable(async (request, reply) => {
      const parsed = parseForm(ResumeEmailForm, request.body, request.t);
      if (!parsed.success)
        return savedPage(request, reply.code(422), { errors: parsed.errors, values: parsed.values });
      await respond.emailResumeLink(await session(request), tokenOf(request)!, parsed.data.email);
      return savedPage(request, reply, { emailed: parsed.data.email });
    }),
  );

  // ── Check your answers, submission ───────────────────────────────────────────────────────────────────

  const checkPage = async (request: FastifyRequest, reply: FastifyReply, s: Session, extra: Body = {}) => {
    const { answers, firstIncomplete, sections } = await respond.review(s);
    return view(reply, 'check.njk', {
      edition: s.edition,
      firstIncomplete: firstIncomplete ? s.form.sections.find((x) => x.key === firstIncomplete) : null,
      sections: sections.map(({ section, questions }) => ({
        section,
        rows: answerSummaryRows(questions, answers, request.t, {
          bodies: s.bodies,
          changeHref: () => sp.page({ year: year(s), section: section.key }),
        }),
      })),
      values: {},
      ...extra,
    });
  };

  app.get(
    sp.check.pattern,
    refusable(async (request, reply) => checkPage(request, reply, await session(request))),
  );

  app.post(
    sp.check.pattern,
    limited,
    refusable(async (request, reply) => {
      const s = await session(request);
      const parsed = parseForm(CopyAnswersForm, request.body, request.t);
      if (!parsed.success)
        return checkPage(request, reply.code(422), s, { errors: parsed.errors, values: parsed.values });
      const result = await respond.submit(s, parsed.data, request.t);
      if (!result.submitted)
        return reply.redirect(sp.page({ year: year(s), section: result.firstIncomplete }), 303);
      reply.clearCookie(SURVEY_COOKIE, { path: '/annual-review' });
      const copy = result.copySent === null ? '' : result.copySent ? 'sent' : 'failed';
      return reply.redirect(sp.submitted({ year: year(s) }, { copy }), 303);
    }),
  );

  app.get(
    sp.submitted.pattern,
    refusable(async (request, reply) => {
      const { edition } = await respond.startPage(yearOf(request));
      const copy = (request.query as Record<string, string> | undefined)?.copy;
      return view(reply, 'submitted.njk', { edition, copy });
    }),
  );
}
