/**
 * The government response pages (issue 7, item 5): the Covenant team's editor (summary, "what we heard and
 * what we did" entries, the next draft, publishing) and the public "you said, we did" page.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../container.ts';
import { actorOf, userOf } from '../../platform/http/context.ts';
import { requireRole } from '../../platform/http/guards.ts';
import { govukError, parseForm, type GovukErrors } from '../../platform/views/form-errors.ts';
import { analysisPaths as ap, responsePaths as p } from './consultations.analysis.paths.ts';
import { EntryForm, SummaryForm } from './consultations.analysis.schema.ts';
import { ConsultationAnalysisRuleError } from './consultations.analysis.service.ts';

const V = 'modules/consultations/views/response/';
type Params = { slug: string };

export function registerConsultationResponseRoutes(app: FastifyInstance, deps: Deps) {
  const service = deps.consultationResponse;
  const team = { preHandler: requireRole('admin') };
  const view = (reply: FastifyReply, template: string, data: Record<string, unknown>) =>
    reply.view(`${V}${template}`, { p, ap, ...data });

  const showEditor = async (request: FastifyRequest<{ Params: Params }>, reply: FastifyReply, extra = {}) =>
    view(reply, 'edit.njk', { ...(await service.editor(userOf(request), request.params.slug)), ...extra });

  /** Runs a service call; a broken rule re-renders the editor (422) with the message against its field. */
  async function act(
    request: FastifyRequest<{ Params: Params }>,
    reply: FastifyReply,
    run: () => Promise<unknown>,
    flashKey: string,
    values: Record<string, unknown> = {},
  ) {
    try {
      await run();
    } catch (error) {
      if (!(error instanceof ConsultationAnalysisRuleError)) throw error;
      const errors: GovukErrors = govukError(error.field, request.t(error.messageKey));
      return showEditor(request, reply.code(422), { errors, values });
    }
    reply.flash(request.t(flashKey));
    return reply.redirect(p.edit({ slug: request.params.slug }), 303);
  }

  app.get<{ Params: Params }>(p.show.pattern, async (request, reply) =>
    view(reply, 'show.njk', await service.published(request.params.slug)),
  );

  app.get<{ Params: Params }>(p.edit.pattern, team, (request, reply) => showEditor(request, reply));

  app.post<{ Params: Params }>(p.summary.pattern, team, async (request, reply) => {
    const parsed = parseForm(SummaryForm, request.body, request.t);
    if (!parsed.success)
      return showEditor(request, reply.code(422), { errors: parsed.errors, values: parsed.values });
    return act(
      request,
      reply,
      () => service.saveSummary(userOf(request), actorOf(request), request.params.slug, parsed.data.summary),
      'consultationResponse.summary.saved',
      parsed.data,
    );
  });

  app.post<{ Params: Params }>(p.addEntry.pattern, team, async (request, reply) => {
    const parsed = parseForm(EntryForm, request.body, request.t);
    if (!parsed.success)
      return showEditor(request, reply.code(422), { errors: parsed.errors, values: parsed.values });
    return act(
      request,
      reply,
      () => service.addEntry(userOf(request), actorOf(request), request.params.slug, parsed.data),
      'consultationResponse.entries.added',
      parsed.data,
    );
  });

  app.post<{ Params: Params & { entryId: string } }>(p.removeEntry.pattern, team, async (request, reply) =>
    act(
      request,
      reply,
      () =>
        service.removeEntry(userOf(request), actorOf(request), request.params.slug, request.params.entryId),
      'consultationResponse.entries.removed',
    ),
  );

  app.post<{ Params: Params }>(p.nextVersion.pattern, team, async (request, reply) =>
    act(
      request,
      reply,
      () => service.createNextVersion(userOf(request), actorOf(request), request.params.slug),
      'consultationResponse.nextVersion.flash',
    ),
  );

  app.post<{ Params: Params }>(p.publish.pattern, team, async (request, reply) =>
    act(
      request,
      reply,
      () => service.publish(userOf(request), actorOf(request), request.params.slug),
      'consultationResponse.publish.done',
    ),
  );
}
