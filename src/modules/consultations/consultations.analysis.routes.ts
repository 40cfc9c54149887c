/**
 * The analysis pages for the Covenant team and the panel (issue 7, item 4): the overview (heat view of
 * paragraphs, principle views, respondent types, free-text questions, tags), a paragraph's themes and
 * comments, a question's themes, a theme's members, responses by tag, and one response with its tags.
 * Every page reads what the last analysis run stored; every form works without JavaScript.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../container.ts';
import { actorOf, userOf } from '../../platform/http/context.ts';
import { requireRole } from '../../platform/http/guards.ts';
import { govukError, parseForm } from '../../platform/views/form-errors.ts';
import { analystRoles } from '../analysis/analysis.policy.ts';
import { analysisPaths as p, responsePaths as rp } from './consultations.analysis.paths.ts';
import { canConsultationAnalysis } from './consultations.analysis.policy.ts';
import { pageOf } from './consultations.analysis.rules.ts';
import { ListQuery, ParagraphQuery, TagForm } from './consultations.analysis.schema.ts';
import { ConsultationAnalysisRuleError } from './consultations.analysis.service.ts';

const V = 'modules/consultations/views/analysis/';
type Params = Record<string, string>;
type Query = Record<string, unknown>;

export function registerConsultationAnalysisRoutes(app: FastifyInstance, deps: Deps) {
  const analysis = deps.consultationAnalysis;
  const analyst = { preHandler: requireRole(...analystRoles) };
  const view = (reply: FastifyReply, template: string, data: Record<string, unknown>) =>
    reply.view(`${V}${template}`, {
      p,
      rp,
      canWriteResponse: canConsultationAnalysis(userOf(reply.request), 'write_response'),
      ...data,
    });

  app.get<{ Params: Params }>(p.overview.pattern, analyst, async (request, reply) =>
    view(reply, 'overview.njk', await analysis.overview(userOf(request), request.params.slug!)),
  );

  app.post<{ Params: Params }>(p.run.pattern, analyst, async (request, reply) => {
    await analysis.requestRun(userOf(request), actorOf(request), request.params.slug!);
    reply.flash(request.t('consultationAnalysis.run.flash'));
    return reply.redirect(p.overview({ slug: request.params.slug! }), 303);
  });

  app.get<{ Params: Params; Querystring: Query }>(p.paragraph.pattern, analyst, async (request, reply) => {
    const query = ParagraphQuery.parse(request.query ?? {});
    const data = await analysis.paragraph(userOf(request), request.params.slug!, request.params.key!, {
      stance: query.stance,
      tag: query.tag,
      ...pageOf(query.page),
    });
    return view(reply, 'paragraph.njk', data);
  });

  app.get<{ Params: Params }>(p.question.pattern, analyst, async (request, reply) =>
    view(
      reply,
      'question.njk',
      await analysis.question(userOf(request), request.params.slug!, request.params.key!),
    ),
  );

  app.get<{ Params: Params; Querystring: Query }>(p.theme.pattern, analyst, async (request, reply) => {
    const query = ListQuery.parse(request.query ?? {});
    const data = await analysis.theme(
      userOf(request),
      request.params.slug!,
      request.params.themeId!,
      pageOf(query.page),
    );
    return view(reply, 'theme.njk', data);
  });

  app.get<{ Params: Params; Querystring: Query }>(p.responses.pattern, analyst, async (request, reply) => {
    const query = ListQuery.parse(request.query ?? {});
    const data = await analysis.responses(userOf(request), request.params.slug!, {
      tag: query.tag,
      ...pageOf(query.page),
    });
    return view(reply, 'responses.njk', data);
  });

  const showResponse = async (request: FastifyRequest<{ Params: Params }>, reply: FastifyReply, extra = {}) =>
    view(reply, 'response.njk', {
      ...(await analysis.response(userOf(request), request.params.slug!, request.params.responseId!)),
      ...extra,
    });

  app.get<{ Params: Params }>(p.response.pattern, analyst, (request, reply) => showResponse(request, reply));

  app.post<{ Params: Params }>(p.addTag.pattern, analyst, async (request, reply) => {
    const { slug, responseId } = request.params as { slug: string; responseId: string };
    const parsed = parseForm(TagForm, request.body, request.t);
    if (!parsed.success)
      return showResponse(request, reply.code(422), { errors: parsed.errors, values: parsed.values });
    try {
      await analysis.addTag(userOf(request), actorOf(request), slug, responseId, parsed.data.tag);
    } catch (error) {
      if (!(error instanceof ConsultationAnalysisRuleError)) throw error;
      return showResponse(request, reply.code(422), {
        errors: govukError(error.field, request.t(error.messageKey)),
        values: { tag: parsed.data.tag },
      });
    }
    reply.flash(request.t('consultationAnalysis.response.added'));
    return reply.redirect(p.response({ slug, responseId }), 303);
  });

  app.post<{ Params: Params }>(p.removeTag.pattern, analyst, async (request, reply) => {
    const { slug, responseId } = request.params as { slug: string; responseId: string };
    const body = (request.body ?? {}) as Record<string, unknown>;
    await analysis.removeTag(
      userOf(request),
      actorOf(request),
      slug,
      responseId,
      typeof body.tag === 'string' ? body.tag : '',
    );
    reply.flash(request.t('consultationAnalysis.response.removed'));
    return reply.redirect(p.response({ slug, responseId }), 303);
  });
}
