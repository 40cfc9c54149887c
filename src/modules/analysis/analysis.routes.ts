/**
 * The analyst pages: sets, upload, themes and their edits, codebook, coding, suggestions and agreement.
 * Handlers parse, call the service and render or redirect; a broken rule re-renders the same page with the
 * GOV.UK error summary (422). Every page works without JavaScript.
 */
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { Deps } from '../../container.ts';
import { actorOf, userOf } from '../../platform/http/context.ts';
import { requireRole } from '../../platform/http/guards.ts';
import { govukError, parseForm, type GovukErrors } from '../../platform/views/form-errors.ts';
import { analysisPaths as p } from './analysis.paths.ts';
import { analystRoles } from './analysis.policy.ts';
import {
  AgreementQuery,
  CodeForm,
  CodingForm,
  DeleteForm,
  MergeForm,
  MoveForm,
  NewSetForm,
  RenameForm,
  RunForm,
  SplitForm,
} from './analysis.schema.ts';
import { AnalysisRuleError, type AnalysisService } from './analysis.service.ts';

const V = 'modules/analysis/views/';
type Params = Record<string, string>;
type Body = Record<string, unknown>;

/** Largest CSV accepted by upload: 100,000 answers of a few hundred characters each. */
const MAX_UPLOAD_BYTES = 50 * 1024 * 1024;

const view = async (reply: FastifyReply, template: string, data: Body): Promise<unknown> =>
  reply.view(`${V}${template}`, { p, ...data });

/** Runs a service call; a broken rule re-renders the page (422) with the message against its field. */
async function orRuleError(
  request: FastifyRequest,
  reply: FastifyReply,
  run: () => Promise<unknown>,
  rerender: (errors: GovukErrors) => Promise<unknown>,
): Promise<{ ok: true } | { ok: false; sent: unknown }> {
  try {
    await run();
    return { ok: true };
  } catch (error) {
    if (!(error instanceof AnalysisRuleError)) throw error;
    reply.code(422);
    return {
      ok: false,
      sent: await rerender(govukError(error.field, request.t(error.messageKey, error.params))),
    };
  }
}

export function registerAnalysisRoutes(app: FastifyInstance, deps: Deps) {
  const analysis: AnalysisService = deps.analysis;
  const analyst = requireRole(...analystRoles);
  const me = (request: FastifyRequest) => userOf(request);

  app.get(p.sets.pattern, { preHandler: analyst }, async (request, reply) =>
    view(reply, 'sets.njk', { sets: await analysis.listSets(me(request)) }),
  );

  app.get(p.newSet.pattern, { preHandler: analyst }, async (_request, reply) =>
    view(reply, 'new-set.njk', {}),
  );

  // The upload takes a file (multipart) or pasted text; multipart is parsed only in this scope.
  void app.register(async (scope) => {
    await scope.register(multipart, {
      attachFieldsToBody: 'keyValues',
      limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 5 },
    });
    scope.post(p.newSet.pattern, { preHandler: analyst }, async (request, reply) => {
      const body = (request.body ?? {}) as Record<string, unknown>;
      const file =
        body.file instanceof Buffer && body.file.length > 0 ? new Uint8Array(body.file) : undefined;
      const values = {
        name: typeof body.name === 'string' ? body.name : '',
        csv: typeof body.csv === 'string' ? body.csv : '',
      };
      const rerender = (errors: GovukErrors) => view(reply.code(422), 'new-set.njk', { errors, values });
      const parsed = parseForm(NewSetForm, values, request.t);
      if (!parsed.success) return rerender(parsed.errors);
      const csv = file ?? parsed.data.csv;
      if (!file && parsed.data.csv.trim() === '')
        return rerender(govukError('file', request.t('analysis.errors.fileRequired')));
      let setId = '';
      const result = await orRuleError(
        request,
        reply,
        async () => {
          setId = (
            await analysis.createSetFromCsv(me(request), actorOf(request), { name: parsed.data.name, csv })
          ).id;
        },
        rerender,
      );
      if (!result.ok) return result.sent;
      reply.flash(request.t('analysis.flash.setCreated'));
      return reply.redirect(p.set({ setId }), 303);
    });
  });

  const showSet = async (
    request: FastifyRequest<{ Params: Params }>,
    reply: FastifyReply,
    extra: Body = {},
  ) => view(reply, 'set.njk', { ...(await analysis.overview(me(request), request.params.setId!)), ...extra });

  app.get<{ Params: Params }>(p.set.pattern, { preHandler: analyst }, (request, reply) =>
    showSet(request, reply),
  );

  app.post<{ Params: Params }>(p.run.pattern, { preHandler: analyst }, async (request, reply) => {
    const parsed = parseForm(RunForm, request.body, request.t);
    if (!parsed.success)
      return showSet(request, reply.code(422), { errors: parsed.errors, values: parsed.values });
    const result = await orRuleError(
      request,
      reply,
      () => analysis.requestRun(me(request), actorOf(request), request.params.setId!, { k: parsed.data.k }),
      (errors) => showSet(request, reply, { errors }),
    );
    if (!result.ok) return result.sent;
    reply.flash(request.t('analysis.flash.runQueued'));
    return reply.redirect(p.set({ setId: request.params.setId! }), 303);
  });

  const showTheme = async (
    request: FastifyRequest<{ Params: Params }>,
    reply: FastifyReply,
    extra: Body = {},
  ) =>
    view(reply, 'theme.njk', {
      ...(await analysis.theme(me(request), request.params.setId!, request.params.themeId!)),
      ...extra,
    });

  app.get<{ Params: Params }>(p.theme.pattern, { preHandler: analyst }, (request, reply) =>
    showTheme(request, reply),
  );

  /** The theme page's four forms share one shape: parse, act, redirect; or re-render with errors. */
  function themeAction<S extends z.ZodType>(
    pattern: string,
    schema: S,
    act: (request: FastifyRequest<{ Params: Params }>, data: z.infer<S>) => Promise<unknown>,
    flashKey: string,
    redirectTo: (params: Params) => string,
  ) {
    app.post<{ Params: Params }>(pattern, { preHandler: analyst }, async (request, reply) => {
      const parsed = parseForm(schema, request.body, request.t);
      if (!parsed.success)
        return showTheme(request, reply.code(422), { errors: parsed.errors, values: parsed.values });
      const result = await orRuleError(
        request,
        reply,
        () => act(request, parsed.data),
        (errors) => showTheme(request, reply, { errors, values: request.body }),
      );
      if (!result.ok) return result.sent;
      reply.flash(request.t(flashKey));
      return reply.redirect(redirectTo(request.params), 303);
    });
  }
  const backToTheme = (params: Params) => p.theme({ setId: params.setId!, themeId: params.themeId! });
  const backToSet = (params: Params) => p.set({ setId: params.setId! });

  themeAction(
    p.rename.pattern,
    RenameForm,
    (r, d) => analysis.renameTheme(me(r), actorOf(r), r.params.setId!, r.params.themeId!, d.label),
    'analysis.flash.renamed',
    backToTheme,
  );
  themeAction(
    p.merge.pattern,
    MergeForm,
    (r, d) => analysis.mergeThemes(me(r), actorOf(r), r.params.setId!, r.params.themeId!, d.into),
    'analysis.flash.merged',
    backToSet,
  );
  themeAction(
    p.split.pattern,
    SplitForm,
    (r, d) => analysis.splitTheme(me(r), actorOf(r), r.params.setId!, r.params.themeId!, d.parts),
    'analysis.flash.split',
    backToSet,
  );
  themeAction(
    p.remove.pattern,
    DeleteForm,
    (r) => analysis.deleteTheme(me(r), actorOf(r), r.params.setId!, r.params.themeId!),
    'analysis.flash.deleted',
    backToSet,
  );
  themeAction(
    p.move.pattern,
    MoveForm,
    (r, d) => analysis.moveItems(me(r), actorOf(r), r.params.setId!, r.params.themeId!, d.items, d.to),
    'analysis.flash.moved',
    backToTheme,
  );

  // Codebook

  const showCodebook = async (
    request: FastifyRequest<{ Params: Params }>,
    reply: FastifyReply,
    extra: Body = {},
  ) =>
    view(reply, 'codebook.njk', {
      ...(await analysis.codebook(me(request), request.params.setId!)),
      ...extra,
    });

  app.get<{ Params: Params }>(p.codebook.pattern, { preHandler: analyst }, (request, reply) =>
    showCodebook(request, reply),
  );

  app.post<{ Params: Params }>(p.codebook.pattern, { preHandler: analyst }, async (request, reply) => {
    const parsed = parseForm(CodeForm, request.body, request.t);
    if (!parsed.success)
      return showCodebook(request, reply.code(422), { errors: parsed.errors, values: parsed.values });
    const result = await orRuleError(
      request,
      reply,
      () => analysis.addCode(me(request), actorOf(request), request.params.setId!, parsed.data),
      (errors) => showCodebook(request, reply, { errors, values: parsed.data }),
    );
    if (!result.ok) return result.sent;
    reply.flash(request.t('analysis.flash.codeAdded'));
    return reply.redirect(p.codebook({ setId: request.params.setId! }), 303);
  });

  const showCode = async (
    request: FastifyRequest<{ Params: Params }>,
    reply: FastifyReply,
    extra: Body = {},
  ) => {
    const book = await analysis.codebook(me(request), request.params.setId!);
    const code = book.codes.find((c) => c.id === request.params.codeId);
    if (!code) return reply.callNotFound();
    return view(reply, 'code.njk', { set: book.set, code, values: code, ...extra });
  };

  app.get<{ Params: Params }>(p.code.pattern, { preHandler: analyst }, (request, reply) =>
    showCode(request, reply),
  );

  app.post<{ Params: Params }>(p.code.pattern, { preHandler: analyst }, async (request, reply) => {
    const parsed = parseForm(CodeForm, request.body, request.t);
    if (!parsed.success)
      return showCode(request, reply.code(422), { errors: parsed.errors, values: parsed.values });
    const { setId, codeId } = request.params as { setId: string; codeId: string };
    const result = await orRuleError(
      request,
      reply,
      () => analysis.editCode(me(request), actorOf(request), setId, codeId, parsed.data),
      (errors) => showCode(request, reply, { errors, values: parsed.data }),
    );
    if (!result.ok) return result.sent;
    reply.flash(request.t('analysis.flash.codeSaved'));
    return reply.redirect(p.codebook({ setId }), 303);
  });

  // Coding one answer

  const showItem = async (
    request: FastifyRequest<{ Params: Params }>,
    reply: FastifyReply,
    extra: Body = {},
  ) =>
    view(reply, 'item.njk', {
      ...(await analysis.itemForCoding(me(request), request.params.setId!, request.params.itemId!)),
      ...extra,
    });

  app.get<{ Params: Params }>(p.item.pattern, { preHandler: analyst }, (request, reply) =>
    showItem(request, reply),
  );

  app.post<{ Params: Params }>(p.item.pattern, { preHandler: analyst }, async (request, reply) => {
    const { setId, itemId } = request.params as { setId: string; itemId: string };
    const parsed = parseForm(CodingForm, request.body, request.t);
    if (!parsed.success) return showItem(request, reply.code(422), { errors: parsed.errors });
    const result = await orRuleError(
      request,
      reply,
      () => analysis.codeItem(me(request), actorOf(request), setId, itemId, parsed.data.codes),
      (errors) => showItem(request, reply, { errors }),
    );
    if (!result.ok) return result.sent;
    reply.flash(request.t('analysis.flash.coded'));
    if (parsed.data.then === 'suggestions') return reply.redirect(p.suggestions({ setId }), 303);
    const { nextId } = await analysis.itemForCoding(me(request), setId, itemId);
    const target = parsed.data.then === 'next' && nextId ? nextId : itemId;
    return reply.redirect(p.item({ setId, itemId: target }), 303);
  });

  // Suggestions

  const showSuggestions = async (
    request: FastifyRequest<{ Params: Params }>,
    reply: FastifyReply,
    extra: Body = {},
  ) =>
    view(reply, 'suggestions.njk', {
      ...(await analysis.suggestions(me(request), request.params.setId!)),
      ...extra,
    });

  app.get<{ Params: Params }>(p.suggestions.pattern, { preHandler: analyst }, (request, reply) =>
    showSuggestions(request, reply),
  );

  app.post<{ Params: Params }>(p.suggestions.pattern, { preHandler: analyst }, async (request, reply) => {
    const setId = request.params.setId!;
    let counts = { trainedOn: 0, suggested: 0 };
    const result = await orRuleError(
      request,
      reply,
      async () => {
        counts = await analysis.suggest(me(request), actorOf(request), setId);
      },
      (errors) => showSuggestions(request, reply, { errors }),
    );
    if (!result.ok) return result.sent;
    reply.flash(request.t('analysis.flash.suggested', counts));
    return reply.redirect(p.suggestions({ setId }), 303);
  });

  app.post<{ Params: Params }>(p.accept.pattern, { preHandler: analyst }, async (request, reply) => {
    const { setId, itemId } = request.params as { setId: string; itemId: string };
    await analysis.acceptSuggestion(me(request), actorOf(request), setId, itemId);
    reply.flash(request.t('analysis.flash.accepted'));
    return reply.redirect(p.suggestions({ setId }), 303);
  });

  // Agreement

  app.get<{ Params: Params; Querystring: Params }>(
    p.agreement.pattern,
    { preHandler: analyst },
    async (request, reply) => {
      const query = AgreementQuery.safeParse(request.query ?? {});
      const choice = query.success ? query.data : {};
      return view(
        reply,
        'agreement.njk',
        await analysis.agreement(me(request), request.params.setId!, choice),
      );
    },
  );
}
