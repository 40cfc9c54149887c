/**
 * HTTP for intake: the report journey (`/report/...`), evidence files, the triage queue (`/triage`) and the
 * routing rules (`/admin/routing`). Handlers parse, call the intake service and render or redirect.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import type { Deps } from '../../container.ts';
import type { AppModule } from '../../app.ts';
import { hasRole, isAdmin } from '../../platform/auth/roles.ts';
import { toUkIsoDate } from '../../platform/calendar/iso-date.ts';
import { actorOf, userOf } from '../../platform/http/context.ts';
import { ForbiddenError, NotFoundError } from '../../platform/http/errors.ts';
import { requireRole, requireSignIn } from '../../platform/http/guards.ts';
import { govukError, parseForm, toGovukErrors, type GovukErrors } from '../../platform/views/form-errors.ts';
import type { z } from 'zod';
import { caseCategories, type CaseCategory } from './cases.tables.ts';
import { RoutingRuleInputError } from './cases.routing.ts';
import { availableActions, InvalidTransitionError } from './cases.lifecycle.ts';
import {
  BodyChoiceForm,
  BodySearchQuery,
  CategoryDeadlineForm,
  CategoryForm,
  CommitmentsForm,
  ConfidentialityForm,
  DetailsForm,
  KindForm,
  RoutingRuleForm,
  SubmitForm,
  TriageActionForm,
  triageFormActions,
  WhatHappenedForm,
  WhenForm,
  impactForm,
  outcomeForm,
  type ReportAnswers,
} from './cases.intake.schema.ts';
import { intakePaths, reportPages, type ReportPage } from './cases.intake.paths.ts';
import {
  CaseChangedError,
  TriageInputError,
  canReport,
  firstMissingPage,
  type IntakeService,
} from './cases.intake.service.ts';
import {
  MAX_FILE_BYTES,
  MAX_FILES_PER_REPORT,
  type IncomingFile,
  type UploadRefusal,
} from './cases.uploads.ts';

const view = (folder: string, name: string) => `modules/cases/views/${folder}/${name}.njk`;
type Params = Record<string, string>;
type Body = Record<string, unknown> | undefined;

const pageFile: Record<ReportPage, string> = {
  kind: 'kind',
  body: 'body',
  whatHappened: 'what-happened',
  category: 'category',
  when: 'when',
  commitments: 'commitments',
  impact: 'impact',
  outcome: 'outcome',
  evidence: 'evidence',
  confidentiality: 'confidentiality',
  details: 'details',
};

function nextPage(page: ReportPage): string {
  const next = reportPages[reportPages.indexOf(page) + 1];
  return next ? intakePaths[next]() : intakePaths.checkAnswers();
}

/** The report journey, triage and routing as one AppModule entry. */
export const casesIntakeModule: AppModule = {
  register: registerIntakeRoutes,
  navigation: [
    {
      textKey: 'cases.report.nav',
      href: intakePaths.start(),
      visible: (user) =>
        hasRole(user, 'cso_member') || hasRole(user, 'cso_admin') || hasRole(user, 'intermediary'),
      activeFor: ['/report'],
    },
    { textKey: 'cases.triage.nav', href: intakePaths.triage(), visible: (user) => isAdmin(user) },
  ],
};

export function registerIntakeRoutes(app: FastifyInstance, deps: Deps) {
  const intake: IntakeService = deps.intake;
  const reporterOnly = async (request: FastifyRequest, reply: FastifyReply) => {
    await requireSignIn.call(app, request, reply);
    if (reply.sent) return;
    if (!canReport(request.currentUser))
      throw new ForbiddenError('Body staff cannot file reports', 'cases.report.start.notAllowed');
  };
  const guard = { preHandler: reporterOnly };
  const adminOnly = { preHandler: requireRole('admin') };

  app.addHook('onRequest', (_request, reply, done) => {
    if (reply.locals) reply.locals.intakePaths = intakePaths;
    done();
  });

  /** Renders a question page with the draft's answers (or the submitted values and errors). */
  const renderPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    page: ReportPage,
    extra: { values?: Record<string, unknown>; errors?: GovukErrors } = {},
    status = 200,
  ) => {
    const user = userOf(request);
    const draft = await intake.ensureDraft(user);
    const answers = draft.answers;
    const data: Record<string, unknown> = {
      answers,
      values: extra.values ?? answers,
      errors: extra.errors,
      page,
    };
    const change = (request.query as Params)?.change ?? (request.body as Params | undefined)?.change;
    data.change = change === '1';
    if (page === 'body') {
      // A search that does not pass (too long) is shown with its message and no results, its words kept.
      const search = BodySearchQuery.safeParse(request.query ?? {});
      if (!search.success) {
        data.errors ??= toGovukErrors(search.error, request.t);
        data.searched = String((request.query as Params | undefined)?.q ?? '');
      }
      const q = (search.success ? search.data.q : '') || String(extra.values?.q ?? '');
      data.q = q;
      data.results = q ? await intake.searchBodies(q) : [];
    }
    if (page === 'commitments') data.choices = await intake.commitmentChoices(answers);
    if (page === 'evidence') {
      data.files = await deps.uploads.listForDraft(draft.id);
      data.maxFiles = MAX_FILES_PER_REPORT;
    }
    if (page === 'category') data.categories = caseCategories;
    if (page === 'confidentiality') data.isIntermediary = hasRole(user, 'intermediary');
    return reply.code(status).view(view('report', pageFile[page]), data);
  };

  /** After a page's answers are saved: save-for-later, back to check answers, or on to the next page. */
  const afterSave = async (request: FastifyRequest, reply: FastifyReply, page: ReportPage) => {
    const body = request.body as Params;
    if (body.saveLater) {
      await intake.saveForLater(userOf(request));
      return reply.redirect(intakePaths.saved(), 303);
    }
    return reply.redirect(body.change === '1' ? intakePaths.checkAnswers() : nextPage(page), 303);
  };

  /** A question page whose form maps straight onto answers. */
  const questionPage = (
    page: ReportPage,
    schema: (answers: ReportAnswers, request: FastifyRequest) => z.ZodType,
  ) => {
    app.get(intakePaths[page].pattern, guard, async (request, reply) => renderPage(request, reply, page));
    app.post(intakePaths[page].pattern, guard, async (request, reply) => {
      const draft = await intake.ensureDraft(userOf(request));
      const form = parseForm(schema(draft.answers, request), request.body, request.t);
      if (!form.success) return renderPage(request, reply, page, form, 422);
      await intake.saveAnswers(userOf(request), form.data as Partial<ReportAnswers>);
      return afterSave(request, reply, page);
    });
  };

  app.get(intakePaths.start.pattern, async (request, reply) =>
    reply.view(view('report', 'start'), { canReport: canReport(request.currentUser) }),
  );

  questionPage('kind', () => KindForm);
  questionPage('whatHappened', () => WhatHappenedForm);
  questionPage('category', () => CategoryForm);
  questionPage('when', () =>
    WhenForm.refine((v) => v.happenedOn <= toUkIsoDate(deps.clock.now()), {
      path: ['happenedOn'],
      message: 'cases.report.errors.dateFuture',
    }),
  );
  questionPage('commitments', () => CommitmentsForm);
  questionPage('impact', (a) => impactForm(a.kind === 'problem'));
  questionPage('outcome', (a) => outcomeForm(a.kind === 'problem'));
  questionPage('details', () => DetailsForm);

  // Which body: GET searches (works without JavaScript), POST chooses a result or keeps the typed name.
  app.get(intakePaths.body.pattern, guard, async (request, reply) => renderPage(request, reply, 'body'));
  // The typeahead's suggestions: the same search, fewer results, as JSON (no-store: it is per visitor).
  app.get(intakePaths.bodySuggestions.pattern, guard, async (request, reply) => {
    const query = BodySearchQuery.safeParse(request.query ?? {});
    const q = query.success ? query.data.q : '';
    const bodies = q ? await intake.searchBodies(q, 10) : [];
    reply.header('cache-control', 'no-store');
    return { data: bodies.map((b) => ({ id: b.id, name: b.name })) };
  });
  app.post(intakePaths.body.pattern, guard, async (request, reply) => {
    const form = parseForm(BodyChoiceForm, request.body, request.t);
    if (!form.success) return renderPage(request, reply, 'body', form, 422);
    const { bodyId, q } = form.data;
    const name = bodyId === 'not-found' ? undefined : await intake.bodyName(bodyId);
    if (bodyId !== 'not-found' && !name) {
      const errors = govukError('bodyId', request.t('cases.report.errors.bodyRequired'));
      return renderPage(request, reply, 'body', { values: form.data, errors }, 422);
    }
    await intake.saveAnswers(
      userOf(request),
      name
        ? { bodyId, bodyName: name, bodyNameGiven: undefined }
        : { bodyId: undefined, bodyName: undefined, bodyNameGiven: q },
    );
    return afterSave(request, reply, 'body');
  });

  app.get(intakePaths.confidentiality.pattern, guard, async (request, reply) =>
    renderPage(request, reply, 'confidentiality'),
  );
  app.post(intakePaths.confidentiality.pattern, guard, async (request, reply) => {
    const form = parseForm(ConfidentialityForm, request.body, request.t);
    if (!form.success) return renderPage(request, reply, 'confidentiality', form, 422);
    if (form.data.confidentiality === 'intermediary' && !hasRole(userOf(request), 'intermediary')) {
      const errors = govukError('confidentiality', request.t('cases.report.errors.intermediaryOnly'));
      return renderPage(request, reply, 'confidentiality', { values: form.data, errors }, 422);
    }
    await intake.saveAnswers(userOf(request), form.data);
    return afterSave(request, reply, 'confidentiality');
  });

  // Evidence: multipart, registered only in this scope, with limits. Files are read into memory up to the
  // size limit (busboy cuts them off beyond it, which is how "too big" is detected).
  app.get(intakePaths.evidence.pattern, guard, async (request, reply) =>
    renderPage(request, reply, 'evidence'),
  );
  // More files than a report may hold are not a parser error (that was a 413 "too large" page for six files
  // chosen at once): they reach addToDraft, which refuses the first one over the limit by count, with its
  // message, before reading it. So past the limit a file is drained rather than held in memory.
  const filesRead = new WeakMap<object, number>();
  void app.register(async (scope) => {
    await scope.register(multipart, {
      attachFieldsToBody: 'keyValues',
      throwFileSizeLimit: false,
      limits: { fileSize: MAX_FILE_BYTES, files: 40, fields: 10, parts: 50 },
      async onFile(this: FastifyRequest, part) {
        const seen = (filesRead.get(this) ?? 0) + 1;
        filesRead.set(this, seen);
        let data: Buffer = Buffer.alloc(0);
        if (seen > MAX_FILES_PER_REPORT) for await (const chunk of part.file) void chunk;
        else data = await part.toBuffer().catch(() => Buffer.alloc(0));
        (part as unknown as { value: IncomingFile }).value = {
          fileName: part.filename,
          data,
          truncated: part.file.truncated,
        };
      },
    });
    scope.post(intakePaths.evidence.pattern, guard, async (request, reply) => {
      const body = (request.body ?? {}) as Record<string, unknown>;
      const files = [body.files ?? []]
        .flat()
        .filter(
          (f): f is IncomingFile =>
            typeof f === 'object' && f !== null && 'data' in f && (f as IncomingFile).fileName !== '',
        );
      const user = userOf(request);
      const draft = await intake.ensureDraft(user);
      if (body.upload && files.length === 0) {
        const errors = govukError('files', request.t('cases.report.errors.fileRequired'));
        return renderPage(
          request,
          reply,
          'evidence',
          { values: draft.answers as Record<string, unknown>, errors },
          422,
        );
      }
      // Files chosen and "Continue" pressed count as an upload too: nothing the person picked is lost.
      if (files.length > 0) {
        const result = await deps.uploads.addToDraft(draft.id, files);
        if (result.refusal) {
          const keys: Record<UploadRefusal, string> = {
            type: 'fileType',
            size: 'fileSize',
            count: 'fileCount',
            empty: 'fileEmpty',
            infected: 'fileInfected',
          };
          const text = request.t(`cases.report.errors.${keys[result.refusal.reason]}`, {
            file: result.refusal.fileName,
          });
          const errors = govukError('files', text);
          return renderPage(
            request,
            reply,
            'evidence',
            { values: draft.answers as Record<string, unknown>, errors },
            422,
          );
        }
      }
      if (body.upload) return reply.redirect(intakePaths.evidence(), 303);
      await intake.saveAnswers(user, { evidenceSeen: true });
      return afterSave(request, reply, 'evidence');
    });
  });
  app.post(intakePaths.evidenceRemove.pattern, guard, async (request, reply) => {
    const draft = await intake.ensureDraft(userOf(request));
    await deps.uploads.removeFromDraft(draft.id, (request.params as Params).attachmentId ?? '');
    reply.flash(request.t('cases.report.evidence.removed'));
    return reply.redirect(intakePaths.evidence(), 303);
  });

  // Evidence files, through the policy only (the handling engineer links here from case pages).
  app.get(intakePaths.attachment.pattern, { preHandler: requireSignIn }, async (request, reply) => {
    const file = await deps.uploads.openAttachment(
      userOf(request),
      (request.params as Params).attachmentId ?? '',
    );
    return reply
      .header('content-type', file.contentType)
      .header('content-disposition', `attachment; filename="${file.fileName.replace(/"/g, '')}"`)
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', 'private, no-store')
      .send(file.data);
  });

  const renderCheck = async (request: FastifyRequest, reply: FastifyReply, stale = false) => {
    const draft = await intake.prepareCheck(userOf(request));
    const missing = firstMissingPage(draft.answers);
    if (missing) return reply.redirect(intakePaths[missing](), 303);
    const choices = await intake.commitmentChoices(draft.answers);
    const chosen = [...choices.suggested, ...choices.others].filter((c) =>
      draft.answers.commitmentIds?.includes(c.id),
    );
    const files = await deps.uploads.listForDraft(draft.id);
    return reply.view(view('report', 'check-answers'), { answers: draft.answers, chosen, files, stale });
  };
  app.get(intakePaths.checkAnswers.pattern, guard, async (request, reply) => renderCheck(request, reply));

  app.post(intakePaths.submit.pattern, guard, async (request, reply) => {
    const form = SubmitForm.safeParse(request.body);
    if (!form.success) return renderCheck(request, reply, true);
    const result = await intake.submit(actorOf(request), userOf(request), form.data.submissionKey);
    if ('reference' in result)
      return reply.redirect(intakePaths.confirmation({ reference: result.reference }), 303);
    if ('missing' in result) return reply.redirect(intakePaths[result.missing](), 303);
    return renderCheck(request, reply, true);
  });

  app.get(intakePaths.confirmation.pattern, guard, async (request, reply) => {
    const report = await intake.confirmation(userOf(request), (request.params as Params).reference ?? '');
    return reply.view(view('report', 'confirmation'), { report });
  });

  app.get(intakePaths.saved.pattern, guard, async (request, reply) =>
    reply.view(view('report', 'saved'), { email: userOf(request).email }),
  );

  app.get(intakePaths.resume.pattern, { preHandler: requireSignIn }, async (request, reply) => {
    const draft = await intake.resume(userOf(request), (request.params as Params).token ?? '');
    if (!draft) return reply.code(404).view(view('report', 'resume-invalid'));
    const missing = firstMissingPage(draft.answers as ReportAnswers);
    return reply.redirect(missing ? intakePaths[missing]() : intakePaths.checkAnswers(), 303);
  });

  // ----- Triage -----
  app.get(intakePaths.triage.pattern, adminOnly, async (_request, reply) =>
    reply.view(view('triage', 'queue'), { queue: await intake.triageQueue() }),
  );

  const triagePage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    extra: Record<string, unknown> = {},
    status = 200,
  ) => {
    const { caseId = '' } = request.params as Params;
    const detail = await intake.triageCase(actorOf(request), userOf(request), caseId);
    return reply.code(status).view(view('triage', 'case'), {
      ...detail,
      // The choices come from the one transition table: what triage may do in this state.
      actions: availableActions(detail.case.state, ['triage'])
        .map((tr) => tr.action)
        .filter((a) => (triageFormActions as readonly string[]).includes(a)),
      categories: caseCategories,
      loadedAt: deps.clock.now().toISOString(),
      values: { bodyId: detail.case.bodyId, category: detail.case.category, version: detail.case.version },
      ...extra,
    });
  };
  app.get(intakePaths.triageCase.pattern, adminOnly, async (request, reply) => triagePage(request, reply));
  app.post(intakePaths.triageCase.pattern, adminOnly, async (request, reply) => {
    const { caseId = '' } = request.params as Params;
    const form = parseForm(TriageActionForm, request.body, request.t);
    if (!form.success) return triagePage(request, reply, form, 422);
    const body = request.body as Params;
    try {
      await intake.triage(actorOf(request), userOf(request), caseId, form.data);
    } catch (error) {
      if (error instanceof CaseChangedError) {
        const since = new Date(body.loadedAt ?? 0);
        const changes = await intake.changesSince(
          caseId,
          Number.isNaN(since.getTime()) ? new Date(0) : since,
        );
        // The person's text is kept; the version is the new one, so saving again is a deliberate choice.
        const values = { ...body, version: undefined };
        return triagePage(request, reply, { conflict: true, changes, values: { ...values } }, 409);
      }
      if (error instanceof TriageInputError) {
        const errors = govukError(error.field, request.t(error.message));
        return triagePage(request, reply, { values: body, errors }, 422);
      }
      if (error instanceof InvalidTransitionError) {
        const state = request.t(`cases.states.${error.state}`);
        const errors = govukError('action', request.t('cases.triage.notAllowed', { state }));
        return triagePage(request, reply, { values: body, errors }, 422);
      }
      throw error;
    }
    reply.flash(request.t('cases.triage.done', { reference: body.reference ?? '' }));
    return reply.redirect(intakePaths.triage(), 303);
  });

  // ----- Routing rules -----
  const ruleForm = async (
    request: FastifyRequest,
    reply: FastifyReply,
    extra: { values?: Record<string, unknown>; errors?: GovukErrors; ruleId?: string } = {},
    status = 200,
  ) =>
    reply.code(status).view(view('routing', 'form'), {
      bodies: await deps.routing.publicBodies(),
      staff: await deps.routing.bodyStaff(),
      categories: caseCategories,
      ...extra,
    });
  app.get(intakePaths.routing.pattern, adminOnly, async (_request, reply) =>
    reply.view(view('routing', 'list'), { rules: await deps.routing.listRules() }),
  );
  app.get(intakePaths.routingNew.pattern, adminOnly, async (request, reply) =>
    ruleForm(request, reply, { values: {} }),
  );
  /** Saves a rule; a rule naming what does not exist or fit is shown again (422) with the person's values. */
  const saveRule = async (
    request: FastifyRequest,
    reply: FastifyReply,
    save: (input: z.infer<typeof RoutingRuleForm>) => Promise<unknown>,
    ruleId?: string,
  ) => {
    const form = parseForm(RoutingRuleForm, request.body, request.t);
    if (!form.success) return ruleForm(request, reply, { ...form, ruleId }, 422);
    try {
      await save(form.data);
    } catch (error) {
      if (!(error instanceof RoutingRuleInputError)) throw error;
      const errors = govukError(error.field, request.t(error.message));
      return ruleForm(request, reply, { values: request.body as Params, errors, ruleId }, 422);
    }
    reply.flash(request.t('cases.routing.saved'));
    return reply.redirect(intakePaths.routing(), 303);
  };
  app.post(intakePaths.routingNew.pattern, adminOnly, async (request, reply) =>
    saveRule(request, reply, (input) => deps.routing.addRule(actorOf(request), input)),
  );
  app.get(intakePaths.routingEdit.pattern, adminOnly, async (request, reply) => {
    const { ruleId = '' } = request.params as Params;
    const rule = await deps.routing.getRule(ruleId);
    return ruleForm(request, reply, { values: rule as unknown as Record<string, unknown>, ruleId });
  });
  app.post(intakePaths.routingEdit.pattern, adminOnly, async (request, reply) => {
    const { ruleId = '' } = request.params as Params;
    await deps.routing.getRule(ruleId);
    return saveRule(
      request,
      reply,
      (input) => deps.routing.updateRule(actorOf(request), ruleId, input),
      ruleId,
    );
  });
  app.post(intakePaths.routingDelete.pattern, adminOnly, async (request, reply) => {
    await deps.routing.deleteRule(actorOf(request), (request.params as Params).ruleId ?? '');
    reply.flash(request.t('cases.routing.deleted'));
    return reply.redirect(intakePaths.routing(), 303);
  });

  // ----- Deadlines by category (issue 4: "configurable per category") -----
  app.get(intakePaths.categoryDeadlines.pattern, adminOnly, async (_request, reply) =>
    reply.view(view('routing', 'deadlines'), { deadlines: await deps.caseClock.categoryDeadlines() }),
  );
  const categoryOf = (request: FastifyRequest): CaseCategory => {
    const { category = '' } = request.params as Params;
    if (!(caseCategories as readonly string[]).includes(category))
      throw new NotFoundError('No such category');
    return category as CaseCategory;
  };
  const deadlineForm = async (
    request: FastifyRequest,
    reply: FastifyReply,
    extra: { values?: Record<string, unknown>; errors?: GovukErrors } = {},
    status = 200,
  ) => {
    const category = categoryOf(request);
    const current = (await deps.caseClock.categoryDeadlines()).find((d) => d.category === category)!;
    const values = extra.values ?? {
      acknowledgeWithinDays: current.acknowledge,
      respondWithinDays: current.respond,
    };
    return reply
      .code(status)
      .view(view('routing', 'deadline-form'), { category, current, values, errors: extra.errors });
  };
  app.get(intakePaths.categoryDeadline.pattern, adminOnly, async (request, reply) =>
    deadlineForm(request, reply),
  );
  app.post(intakePaths.categoryDeadline.pattern, adminOnly, async (request, reply) => {
    const category = categoryOf(request);
    const form = parseForm(CategoryDeadlineForm, request.body, request.t);
    if (!form.success) return deadlineForm(request, reply, form, 422);
    await deps.caseClock.setCategoryDeadline(actorOf(request), category, {
      acknowledge: form.data.acknowledgeWithinDays,
      respond: form.data.respondWithinDays,
    });
    const name = request.t(`cases.triage.categories.${category}`);
    reply.flash(request.t('cases.routing.categoryDeadlines.saved', { category: name }));
    return reply.redirect(intakePaths.categoryDeadlines(), 303);
  });
}

/** Keeps the form body type honest for handlers that read raw fields. */
export type IntakeFormBody = Body;
