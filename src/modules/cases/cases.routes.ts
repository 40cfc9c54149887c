/**
 * Case handling pages: the body inbox (filters, paging, CSV export), the staff case page (actions from the
 * transition table, assignment, relayed messages, internal notes, response templates), the body's templates
 * and API tokens, and the reporter's side (/my-cases). HTTP only: parse → service → render or redirect.
 *
 * Who reaches what: the inbox needs a body role (or admin) and shows only the person's own bodies; a case
 * page answers 404 to anyone without a part in the case (no hint that it exists).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppModule } from '../../app.ts';
import type { Deps } from '../../container.ts';
import { hasAnyRole, type CurrentUser } from '../../platform/auth/roles.ts';
import { actorOf, userOf } from '../../platform/http/context.ts';
import { requireRole, requireSignIn } from '../../platform/http/guards.ts';
import { NotFoundError } from '../../platform/http/errors.ts';
import { govukError, parseForm, type GovukErrors } from '../../platform/views/form-errors.ts';
import { hasMessage } from '../../platform/i18n/i18n.ts';
import { caseActions, InvalidTransitionError, outcomeCodes, type CaseAction } from './cases.lifecycle.ts';
import { TriageActionForm } from './cases.intake.schema.ts';
import { CaseChangedError as TriageCaseChangedError, TriageInputError } from './cases.intake.service.ts';
import { caseCategories } from './cases.tables.ts';
import { casePaths } from './cases.paths.ts';
import { intakePaths } from './cases.intake.paths.ts';
import {
  AssignForm,
  InboxQuery,
  MessageForm,
  NoteForm,
  TemplateForm,
  TokenForm,
  TransitionForm,
  UseTemplateForm,
  WasItResolvedForm,
  type InboxFilters,
} from './cases.schema.ts';
import { CaseConflictError, CaseInputError } from './cases.service.ts';
import { exportCasesCsv } from './cases.export.ts';
import { canRerouteAsLead, staffParts } from './cases.policy.ts';
import { registerCasesApi } from './cases.api.ts';
import { caseStates } from './cases.lifecycle.ts';

const view = (name: string) => `modules/cases/views/${name}.njk`;
type Params = Record<string, string>;
const bodyRoles = ['body_officer', 'body_lead', 'admin'] as const;
const reporterRoles = ['cso_member', 'cso_admin', 'intermediary'] as const;

/** State kept when a page is shown again: what the person typed, for which form, and what went wrong. */
interface PageExtra {
  form?: string;
  values?: Record<string, unknown>;
  errors?: GovukErrors;
  conflict?: { state: string };
}

// intakePaths: the evidence download and the triage page, linked from the staff case page.
const common = { casePaths, intakePaths, caseStates, caseCategories, outcomeCodes };

/** A catalogue label for a coded value, or the value itself when the catalogue has none (e.g. intake's). */
function labeller(request: FastifyRequest) {
  return (prefix: string, value: string | null | undefined) =>
    value && hasMessage('en', `${prefix}.${value}`) ? request.t(`${prefix}.${value}`) : (value ?? '');
}

/** Field ids of an action's form carry the action's name, so each form on the page has its own errors. */
function forAction(action: string, errors: GovukErrors): GovukErrors {
  const byField: GovukErrors['byField'] = {};
  for (const [field, error] of Object.entries(errors.byField)) byField[`${action}-${field}`] = error;
  return { list: errors.list.map((e) => ({ ...e, href: `#${action}-${e.href.slice(1)}` })), byField };
}

function isAction(value: string | undefined): value is CaseAction {
  return (caseActions as readonly string[]).includes(value ?? '');
}

/** The query string of the current inbox filters, for paging links and the export link. */
function filterQuery(filters: InboxFilters): Record<string, string | undefined> {
  return {
    state: filters.state,
    deadline: filters.deadline,
    category: filters.category,
    commitment: filters.commitment,
    assignee: filters.assignee,
    q: filters.q,
    body: filters.body,
    sort: filters.sort,
  };
}

export function registerCasesRoutes(app: FastifyInstance, deps: Deps) {
  const { cases: service, apiTokens } = deps;
  const bodyOnly = { preHandler: requireRole(...bodyRoles) };
  const leadOnly = { preHandler: requireRole('body_lead', 'admin') };
  const signedIn = { preHandler: requireSignIn };

  // ---- Staff case page --------------------------------------------------------------------------------

  async function casePage(request: FastifyRequest, reply: FastifyReply, extra: PageExtra = {}, status = 200) {
    const { caseId = '' } = request.params as Params;
    const data = await service.staffView(userOf(request), caseId);
    const label = labeller(request);
    const reporter = request.t(data.reporter.key, { name: data.reporter.name });
    return reply.code(status).view(view('case/show'), {
      ...common,
      ...data,
      ...extra,
      values: extra.values ?? {},
      label,
      actionPath: (action: string) => casePaths.action({ caseId, action }),
      senderLabel: (side: string) =>
        side === 'reporter'
          ? reporter
          : side === 'body'
            ? (data.bodyName ?? '')
            : request.t('cases.messages.covenantTeam'),
    });
  }

  /** Runs a case change; on a rule broken or a lost race, shows the case again with the person's text. */
  async function caseChange(
    request: FastifyRequest,
    reply: FastifyReply,
    form: string,
    run: () => Promise<unknown>,
    render: (extra: PageExtra, status: number) => Promise<unknown>,
    done: { flash: string; to: string },
  ) {
    const values = (request.body ?? {}) as Record<string, unknown>;
    try {
      await run();
    } catch (error) {
      if (error instanceof CaseConflictError) {
        const errors = govukError(`${form}-text`, request.t('cases.conflict.summary'));
        return render({ form, values, errors, conflict: { state: error.currentState } }, 409);
      }
      if (error instanceof CaseInputError) {
        const errors = govukError(`${form}-${error.field}`, request.t(error.message));
        return render({ form, values, errors }, 422);
      }
      throw error;
    }
    reply.flash(request.t(done.flash));
    return reply.redirect(done.to, 303);
  }

  app.get(casePaths.show.pattern, signedIn, async (request, reply) => casePage(request, reply));

  app.post(casePaths.action.pattern, signedIn, async (request, reply) => {
    const { caseId = '', action } = request.params as Params;
    if (!isAction(action)) throw new NotFoundError();
    const parsed = parseForm(TransitionForm, request.body, request.t);
    if (!parsed.success)
      return casePage(
        request,
        reply,
        { form: action, values: parsed.values, errors: forAction(action, parsed.errors) },
        422,
      );
    return caseChange(
      request,
      reply,
      action,
      () =>
        service.transition(actorOf(request), userOf(request), caseId, action, parsed.data, {
          restrictTo: staffParts,
        }),
      (extra, status) => casePage(request, reply, extra, status),
      { flash: `cases.done.${action}`, to: casePaths.show({ caseId }) },
    );
  });

  // ---- Re-routing by the body's accountable lead -----------------------------------------------------

  async function reroutePage(
    request: FastifyRequest,
    reply: FastifyReply,
    extra: { values?: Record<string, unknown>; errors?: GovukErrors } = {},
    status = 200,
  ) {
    const { caseId = '' } = request.params as Params;
    const user = userOf(request);
    const data = await service.staffView(user, caseId);
    if (!canRerouteAsLead(user, data.caseRow)) throw new NotFoundError();
    return reply.code(status).view(view('case/reroute'), {
      ...common,
      caseRow: data.caseRow,
      bodyName: data.bodyName,
      bodies: await deps.routing.publicBodies(),
      categories: caseCategories,
      values: extra.values ?? {},
      errors: extra.errors,
    });
  }

  app.get(casePaths.reroute.pattern, leadOnly, async (request, reply) => reroutePage(request, reply));
  app.post(casePaths.reroute.pattern, leadOnly, async (request, reply) => {
    const { caseId = '' } = request.params as Params;
    const values = (request.body ?? {}) as Record<string, unknown>;
    const form = parseForm(TriageActionForm, { ...values, action: 'reroute' }, request.t);
    if (!form.success) return reroutePage(request, reply, { values, errors: form.errors }, 422);
    let done: { reference: string; bodyName: string | null };
    try {
      done = await deps.intake.triage(actorOf(request), userOf(request), caseId, form.data, 'body_lead');
    } catch (error) {
      if (error instanceof TriageInputError) {
        const errors = govukError(error.field, request.t(error.message));
        return reroutePage(request, reply, { values, errors }, 422);
      }
      if (error instanceof TriageCaseChangedError || error instanceof InvalidTransitionError) {
        const errors = govukError('text', request.t('cases.reroute.changed'));
        return reroutePage(request, reply, { values, errors }, 409);
      }
      throw error;
    }
    reply.flash(request.t('cases.reroute.done', { reference: done.reference, body: done.bodyName ?? '' }));
    return reply.redirect(casePaths.inbox(), 303);
  });

  app.post(casePaths.useTemplate.pattern, signedIn, async (request, reply) => {
    const { caseId = '' } = request.params as Params;
    const parsed = parseForm(UseTemplateForm, request.body, request.t);
    if (!parsed.success)
      return casePage(
        request,
        reply,
        { form: 'respond', values: parsed.values, errors: forAction('respond', parsed.errors) },
        422,
      );
    const text = await service.templateText(userOf(request), caseId, parsed.data.templateId);
    const typed = parsed.data.text?.trim();
    return casePage(request, reply, {
      form: 'respond',
      values: { text: typed ? `${typed}\n\n${text}` : text, templateId: parsed.data.templateId },
    });
  });

  app.post(casePaths.assign.pattern, signedIn, async (request, reply) => {
    const { caseId = '' } = request.params as Params;
    const parsed = parseForm(AssignForm, request.body, request.t);
    if (!parsed.success)
      return casePage(
        request,
        reply,
        { form: 'assign', values: parsed.values, errors: forAction('assign', parsed.errors) },
        422,
      );
    return caseChange(
      request,
      reply,
      'assign',
      () => service.assign(actorOf(request), userOf(request), caseId, parsed.data),
      (extra, status) => casePage(request, reply, extra, status),
      { flash: 'cases.done.assign', to: casePaths.show({ caseId }) },
    );
  });

  app.post(casePaths.message.pattern, signedIn, async (request, reply) => {
    const { caseId = '' } = request.params as Params;
    const parsed = parseForm(MessageForm, request.body, request.t);
    if (!parsed.success) return casePage(request, reply, { form: 'message', ...parsed }, 422);
    await service.sendMessage(actorOf(request), userOf(request), caseId, 'staff', parsed.data.message);
    reply.flash(request.t('cases.done.message'));
    return reply.redirect(`${casePaths.show({ caseId })}#messages`, 303);
  });

  app.post(casePaths.note.pattern, signedIn, async (request, reply) => {
    const { caseId = '' } = request.params as Params;
    const parsed = parseForm(NoteForm, request.body, request.t);
    if (!parsed.success) return casePage(request, reply, { form: 'note', ...parsed }, 422);
    await service.addNote(actorOf(request), userOf(request), caseId, parsed.data.note);
    reply.flash(request.t('cases.done.note'));
    return reply.redirect(`${casePaths.show({ caseId })}#notes`, 303);
  });

  // ---- Inbox and export ---------------------------------------------------------------------------------

  app.get(casePaths.inbox.pattern, bodyOnly, async (request, reply) => {
    const filters = InboxQuery.parse(request.query ?? {});
    const user = userOf(request);
    const [result, options] = await Promise.all([service.inbox(user, filters), service.inboxOptions(user)]);
    const query = filterQuery(filters);
    return reply.view(view('inbox/index'), {
      ...common,
      ...result,
      ...options,
      filters,
      query,
      // Templates and API tokens are managed by the body's lead (and admins): only they see the links.
      canManageBody: hasAnyRole(user, ['body_lead', 'admin']),
      exportHref: casePaths.inboxExport(query),
      pageHref: (page: number) => casePaths.inbox({ ...query, page: String(page) }),
    });
  });

  app.get(casePaths.inboxExport.pattern, bodyOnly, async (request, reply) => {
    const filters = InboxQuery.parse(request.query ?? {});
    const csv = await exportCasesCsv(service, userOf(request), filters, request.t);
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="cases.csv"')
      .header('cache-control', 'private, no-store')
      .send(csv);
  });

  // ---- Response templates and API tokens (a body's lead, or an admin) ------------------------------------

  async function bodyChoice(request: FastifyRequest, user: CurrentUser) {
    const bodies = await service.managedBodies(user);
    const wanted =
      (request.query as Params | undefined)?.body ?? (request.body as Params | undefined)?.bodyId;
    const body = bodies.find((b) => b.id === wanted) ?? bodies[0] ?? null;
    return { bodies, body };
  }

  async function templatesPage(
    request: FastifyRequest,
    reply: FastifyReply,
    extra: PageExtra = {},
    status = 200,
  ) {
    const user = userOf(request);
    const { bodies, body } = await bodyChoice(request, user);
    const templates = body ? await service.listTemplates(user, body.id) : [];
    return reply.code(status).view(view('inbox/templates'), { ...common, bodies, body, templates, ...extra });
  }

  app.get(casePaths.templates.pattern, leadOnly, async (request, reply) => templatesPage(request, reply));
  app.post(casePaths.templates.pattern, leadOnly, async (request, reply) => {
    const parsed = parseForm(TemplateForm, request.body, request.t);
    if (!parsed.success) return templatesPage(request, reply, parsed, 422);
    await service.createTemplate(actorOf(request), userOf(request), parsed.data);
    reply.flash(request.t('cases.templates.added'));
    return reply.redirect(casePaths.templates({ body: parsed.data.bodyId }), 303);
  });
  app.post(casePaths.templateDelete.pattern, leadOnly, async (request, reply) => {
    const { templateId = '' } = request.params as Params;
    const bodyId = await service.deleteTemplate(actorOf(request), userOf(request), templateId);
    reply.flash(request.t('cases.templates.deleted'));
    return reply.redirect(casePaths.templates({ body: bodyId }), 303);
  });

  async function tokensPage(
    request: FastifyRequest,
    reply: FastifyReply,
    extra: PageExtra & { newToken?: string } = {},
    status = 200,
  ) {
    const user = userOf(request);
    const { bodies, body } = await bodyChoice(request, user);
    const tokens = body ? await apiTokens.list(user, body.id) : [];
    reply.header('cache-control', 'no-store');
    return reply.code(status).view(view('inbox/api-tokens'), { ...common, bodies, body, tokens, ...extra });
  }

  app.get(casePaths.apiTokens.pattern, leadOnly, async (request, reply) => tokensPage(request, reply));
  app.post(casePaths.apiTokens.pattern, leadOnly, async (request, reply) => {
    const parsed = parseForm(TokenForm, request.body, request.t);
    if (!parsed.success) return tokensPage(request, reply, parsed, 422);
    const token = await apiTokens.create(actorOf(request), userOf(request), parsed.data);
    // Shown once, on this response only; never stored in clear or put in a redirect.
    return tokensPage(request, reply, { newToken: token }, 201);
  });
  app.post(casePaths.apiTokenRevoke.pattern, leadOnly, async (request, reply) => {
    const { tokenId = '' } = request.params as Params;
    const bodyId = await apiTokens.revoke(actorOf(request), userOf(request), tokenId);
    reply.flash(request.t('cases.tokens.revoked'));
    return reply.redirect(casePaths.apiTokens({ body: bodyId }), 303);
  });

  // ---- The reporter's side ------------------------------------------------------------------------------

  app.get(casePaths.myCases.pattern, signedIn, async (request, reply) => {
    const rows = await service.myCases(userOf(request));
    return reply.view(view('my-cases/index'), { ...common, rows });
  });

  async function myCasePage(
    request: FastifyRequest,
    reply: FastifyReply,
    extra: PageExtra = {},
    status = 200,
  ) {
    const { caseId = '' } = request.params as Params;
    const data = await service.reporterView(userOf(request), caseId);
    return reply.code(status).view(view('my-cases/show'), {
      ...common,
      ...data,
      ...extra,
      values: extra.values ?? {},
      label: labeller(request),
      actionPath: (action: string) => casePaths.myCaseAction({ caseId, action }),
      senderLabel: (side: string) =>
        side === 'reporter'
          ? request.t('cases.messages.you')
          : side === 'body'
            ? (data.bodyName ?? '')
            : request.t('cases.messages.covenantTeam'),
    });
  }

  app.get(casePaths.myCase.pattern, signedIn, async (request, reply) => myCasePage(request, reply));

  app.post(casePaths.myCaseAction.pattern, signedIn, async (request, reply) => {
    const { caseId = '', action } = request.params as Params;
    if (!isAction(action)) throw new NotFoundError();
    const parsed = parseForm(TransitionForm, request.body, request.t);
    if (!parsed.success)
      return myCasePage(
        request,
        reply,
        { form: action, values: parsed.values, errors: forAction(action, parsed.errors) },
        422,
      );
    const user = userOf(request);
    return caseChange(
      request,
      reply,
      action,
      // The reporter acts only as the reporter here, even if they also hold a staff role.
      () =>
        service.transition(actorOf(request), user, caseId, action, parsed.data, { restrictTo: ['reporter'] }),
      (extra, status) => myCasePage(request, reply, extra, status),
      { flash: `cases.done.${action}`, to: casePaths.myCase({ caseId }) },
    );
  });

  app.post(casePaths.myCaseMessage.pattern, signedIn, async (request, reply) => {
    const { caseId = '' } = request.params as Params;
    const parsed = parseForm(MessageForm, request.body, request.t);
    if (!parsed.success) return myCasePage(request, reply, { form: 'message', ...parsed }, 422);
    await service.sendMessage(actorOf(request), userOf(request), caseId, 'reporter', parsed.data.message);
    reply.flash(request.t('cases.done.message'));
    return reply.redirect(`${casePaths.myCase({ caseId })}#messages`, 303);
  });

  async function resolvedPage(
    request: FastifyRequest,
    reply: FastifyReply,
    extra: PageExtra = {},
    status = 200,
  ) {
    const { caseId = '' } = request.params as Params;
    const data = await service.reporterView(userOf(request), caseId);
    if (!data.canAnswerResolved) throw new NotFoundError();
    return reply
      .code(status)
      .view(view('my-cases/was-it-resolved'), { ...common, ...data, ...extra, values: extra.values ?? {} });
  }

  app.get(casePaths.wasItResolved.pattern, signedIn, async (request, reply) => resolvedPage(request, reply));
  app.post(casePaths.wasItResolved.pattern, signedIn, async (request, reply) => {
    const { caseId = '' } = request.params as Params;
    const parsed = parseForm(WasItResolvedForm, request.body, request.t);
    if (!parsed.success) return resolvedPage(request, reply, parsed, 422);
    await service.answerResolved(actorOf(request), userOf(request), caseId, parsed.data.resolved === 'yes');
    reply.flash(request.t('cases.myCases.thanks'));
    return reply.redirect(casePaths.myCase({ caseId }), 303);
  });

  registerCasesApi(app, deps);
}

/** The case handling module as the app sees it: routes, "Inbox" for body staff, "Your cases" for reporters. */
export const casesHandlingModule: AppModule = {
  register: registerCasesRoutes,
  navigation: [
    {
      textKey: 'cases.nav.inbox',
      href: casePaths.inbox(),
      visible: (user) => hasAnyRole(user, ['body_officer', 'body_lead']),
      activeFor: ['/inbox', '/cases'],
    },
    {
      textKey: 'cases.nav.myCases',
      href: casePaths.myCases(),
      visible: (user) => hasAnyRole(user, reporterRoles),
    },
  ],
};
