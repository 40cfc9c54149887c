/**
 * Pages of engagement action plans: the list, a plan (for its body's staff, the panel and administrators),
 * actions with milestones and evidence, the quarterly update, the CSV import with a dry run, the history,
 * sign-off and publication, comments, and the public page of a published plan. Handlers parse, call the
 * service, and render or redirect.
 */
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../container.ts';
import { actorOf, userOf } from '../../platform/http/context.ts';
import { BadRequestError, ForbiddenError, NotFoundError } from '../../platform/http/errors.ts';
import { isIsoDate } from '../../platform/calendar/iso-date.ts';
import { formatDate } from '../../platform/i18n/i18n.ts';
import { requireSignIn } from '../../platform/http/guards.ts';
import { govukError, parseForm, type GovukErrors } from '../../platform/views/form-errors.ts';
import { sendCsv } from '../../platform/http/csv.ts';
import { planActionsCsvRows, publishedPlansCsvRows } from './plans.csv.ts';
import { directoryPaths } from '../directory/directory.paths.ts';
import { planPaths as p } from './plans.paths.ts';
import {
  MAX_PROGRESS_CSV_BYTES,
  planTransitions,
  ProgressCsvError,
  type PlanTransition,
} from './plans.rules.ts';
import {
  ActionForm,
  CommentForm,
  EvidenceForm,
  ImportForm,
  joinDateFields,
  MilestoneForm,
  PlanForm,
  ReturnForm,
  UpdateHeaderForm,
  UpdateItemForm,
} from './plans.schema.ts';
import { PlanRuleError, type PlansService, type UpdateItemInput } from './plans.service.ts';
import { actionStatuses } from './plans.tables.ts';

type DryRun = Awaited<ReturnType<PlansService['dryRunCsv']>>;

const V = 'modules/plans/views/';
type Params = Record<string, string>;
type Body = Record<string, unknown>;

const view = (reply: FastifyReply, template: string, data: Body) =>
  reply.view(`${V}${template}`, { p, actionStatuses, ...data });

/** GOV.UK date inputs are three fields: point the error summary at the first of them. */
function dateErrorsToDay(errors: GovukErrors, dateFields: readonly string[]): GovukErrors {
  return {
    ...errors,
    list: errors.list.map((e) =>
      dateFields.some((f) => e.href === `#${f}`) ? { ...e, href: `${e.href}-day` } : e,
    ),
  };
}

function ruleErrors(request: FastifyRequest, error: PlanRuleError): GovukErrors {
  const field = ['startsOn', 'endsOn', 'dueOn'].includes(error.field) ? `${error.field}-day` : error.field;
  // Dates in the message are written as GOV.UK writes them ("1 April 2026"), not as stored.
  const params = Object.fromEntries(
    Object.entries(error.params).map(([k, v]) => [k, isIsoDate(v) ? formatDate(v, request.locale) : v]),
  );
  const errors = govukError(error.field, request.t(error.key, params));
  errors.list = errors.list.map((e) => ({ ...e, href: `#${field}` }));
  return errors;
}

/** Two forms on one page both have a `title`: give the second one's error its own field id. */
function renameField(errors: GovukErrors, from: string, to: string): GovukErrors {
  const byField = { ...errors.byField };
  if (byField[from]) {
    byField[to] = byField[from]!;
    delete byField[from];
  }
  return { byField, list: errors.list.map((e) => (e.href === `#${from}` ? { ...e, href: `#${to}` } : e)) };
}

function isTransition(value: string | undefined): value is PlanTransition {
  return (planTransitions as readonly string[]).includes(value ?? '');
}

export function registerPlansRoutes(app: FastifyInstance, deps: Deps) {
  const plans: PlansService = deps.plans;
  const signedIn = { preHandler: requireSignIn };

  /**
   * Checks the permission before a form is parsed, so someone who may see the plan but not change it gets
   * 403 rather than a form's error page (the service checks again when it saves).
   */
  const mayOrRefuse = async (
    request: FastifyRequest,
    planId: string,
    need: 'edit' | 'report' | 'comment',
  ) => {
    const page = await plans.planView(userOf(request), planId);
    if (!page.can[need]) throw new ForbiddenError('You cannot make this change to the plan');
  };

  app.get(p.list.pattern, signedIn, async (request, reply) => {
    const user = userOf(request);
    const [rows, bodies] = await Promise.all([plans.listPlans(user), plans.bodiesFor(user)]);
    return view(reply, 'list.njk', { rows, canCreate: bodies.length > 0 });
  });

  // ── Creating and editing a plan ─────────────────────────────────────────────────────────────────────

  const planForm = async (request: FastifyRequest, reply: FastifyReply, extra: Body = {}) =>
    view(reply, 'plan-form.njk', { bodies: await plans.bodiesFor(userOf(request)), values: {}, ...extra });

  // Only a public body's own officers and lead start its plan.
  const bodyStaffOnly = async (request: FastifyRequest) => {
    if ((await plans.bodiesFor(userOf(request))).length === 0)
      throw new ForbiddenError('Only a public body’s staff can start its plan');
  };

  app.get(p.create.pattern, signedIn, async (request, reply) => {
    await bodyStaffOnly(request);
    return planForm(request, reply);
  });

  app.post(p.create.pattern, signedIn, async (request, reply) => {
    await bodyStaffOnly(request);
    const body = joinDateFields(request.body, ['startsOn', 'endsOn']);
    const parsed = parseForm(PlanForm, body, request.t);
    if (!parsed.success)
      return planForm(request, reply.code(422), {
        errors: dateErrorsToDay(parsed.errors, ['startsOn', 'endsOn']),
        values: body,
      });
    try {
      const plan = await plans.createPlan(userOf(request), actorOf(request), parsed.data);
      reply.flash(request.t('plans.create.created'));
      return reply.redirect(p.show({ planId: plan.id }), 303);
    } catch (error) {
      if (!(error instanceof PlanRuleError)) throw error;
      return planForm(request, reply.code(422), { errors: ruleErrors(request, error), values: body });
    }
  });

  app.get<{ Params: Params }>(p.edit.pattern, signedIn, async (request, reply) => {
    const page = await plans.planView(userOf(request), request.params.planId!);
    if (!page.can.edit) throw new ForbiddenError('This plan cannot be changed now');
    return view(reply, 'plan-form.njk', { page, values: page.plan, editing: true });
  });

  app.post<{ Params: Params }>(p.edit.pattern, signedIn, async (request, reply) => {
    const planId = request.params.planId!;
    const page = await plans.planView(userOf(request), planId);
    if (!page.can.edit) throw new ForbiddenError('This plan cannot be changed now');
    const body = { ...joinDateFields(request.body, ['startsOn', 'endsOn']), bodyId: page.plan.bodyId };
    const parsed = parseForm(PlanForm, body, request.t);
    const again = (errors: GovukErrors) =>
      view(reply.code(422), 'plan-form.njk', { page, values: body, editing: true, errors });
    if (!parsed.success) return again(dateErrorsToDay(parsed.errors, ['startsOn', 'endsOn']));
    try {
      const { bodyId: _bodyId, ...input } = parsed.data;
      await plans.updatePlan(userOf(request), actorOf(request), planId, input);
    } catch (error) {
      if (!(error instanceof PlanRuleError)) throw error;
      return again(ruleErrors(request, error));
    }
    reply.flash(request.t('plans.create.saved'));
    return reply.redirect(p.show({ planId }), 303);
  });

  // ── The plan page and comments ──────────────────────────────────────────────────────────────────────

  const showPage = async (request: FastifyRequest, reply: FastifyReply, planId: string, extra: Body = {}) =>
    view(reply, 'show.njk', {
      page: await plans.planView(request.currentUser, planId),
      values: {},
      ...extra,
    });

  app.get<{ Params: Params }>(p.show.pattern, signedIn, (request, reply) =>
    showPage(request, reply, request.params.planId!),
  );

  app.post<{ Params: Params }>(p.comments.pattern, signedIn, async (request, reply) => {
    const planId = request.params.planId!;
    await mayOrRefuse(request, planId, 'comment');
    const parsed = parseForm(CommentForm, request.body, request.t);
    if (!parsed.success)
      return showPage(request, reply.code(422), planId, { errors: parsed.errors, values: parsed.values });
    await plans.comment(userOf(request), actorOf(request), planId, parsed.data);
    reply.flash(request.t('plans.show.commentPosted'));
    return reply.redirect(`${p.show({ planId })}#comments`, 303);
  });

  // ── Actions, milestones, evidence ───────────────────────────────────────────────────────────────────

  const actionForm = async (
    request: FastifyRequest,
    reply: FastifyReply,
    planId: string,
    extra: Body = {},
  ) => {
    const page = await plans.planView(userOf(request), planId);
    if (!page.can.edit) throw new ForbiddenError('This plan cannot be changed now');
    return view(reply, 'action-form.njk', {
      page,
      commitments: await plans.commitments(),
      values: { weight: '1', status: 'not_started' },
      ...extra,
    });
  };

  app.get<{ Params: Params }>(p.addAction.pattern, signedIn, (request, reply) =>
    actionForm(request, reply, request.params.planId!),
  );

  const saveAction = async (request: FastifyRequest<{ Params: Params }>, reply: FastifyReply) => {
    const { planId, actionId } = request.params as { planId: string; actionId?: string };
    const body = joinDateFields(request.body, ['dueOn']);
    const parsed = parseForm(ActionForm, body, request.t);
    const again = (errors: GovukErrors) =>
      actionForm(request, reply.code(422), planId, { errors, values: body, actionId });
    if (!parsed.success) return again(dateErrorsToDay(parsed.errors, ['dueOn']));
    try {
      if (actionId)
        await plans.updateAction(userOf(request), actorOf(request), planId, actionId, parsed.data);
      else await plans.addAction(userOf(request), actorOf(request), planId, parsed.data);
    } catch (error) {
      if (!(error instanceof PlanRuleError)) throw error;
      return again(ruleErrors(request, error));
    }
    reply.flash(request.t(actionId ? 'plans.action.saved' : 'plans.action.added'));
    return reply.redirect(p.show({ planId }), 303);
  };
  app.post<{ Params: Params }>(p.addAction.pattern, signedIn, saveAction);

  app.get<{ Params: Params }>(p.editAction.pattern, signedIn, async (request, reply) => {
    const { planId, actionId } = request.params as { planId: string; actionId: string };
    const page = await plans.planView(userOf(request), planId);
    const action = page.actions.find((a) => a.id === actionId);
    if (!action) throw new NotFoundError('No such action');
    return actionForm(request, reply, planId, {
      actionId,
      action,
      values: { ...action, weight: String(action.weight), progress: action.progressOverride ?? '' },
    });
  });
  app.post<{ Params: Params }>(p.editAction.pattern, signedIn, saveAction);

  app.post<{ Params: Params }>(p.removeAction.pattern, signedIn, async (request, reply) => {
    const { planId, actionId } = request.params as { planId: string; actionId: string };
    await plans.removeAction(userOf(request), actorOf(request), planId, actionId);
    reply.flash(request.t('plans.action.removed'));
    return reply.redirect(p.show({ planId }), 303);
  });

  const actionPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    planId: string,
    actionId: string,
    extra: Body = {},
  ) => {
    const page = await plans.planView(userOf(request), planId);
    const action = page.actions.find((a) => a.id === actionId);
    if (!action) throw new NotFoundError('No such action');
    return view(reply, 'action.njk', { page, action, values: {}, ...extra });
  };

  app.get<{ Params: Params }>(p.action.pattern, signedIn, (request, reply) =>
    actionPage(request, reply, request.params.planId!, request.params.actionId!),
  );

  app.post<{ Params: Params }>(p.addMilestone.pattern, signedIn, async (request, reply) => {
    const { planId, actionId } = request.params as { planId: string; actionId: string };
    await mayOrRefuse(request, planId, 'edit');
    const body = joinDateFields(request.body, ['dueOn']);
    const parsed = parseForm(MilestoneForm, body, request.t);
    if (!parsed.success)
      return actionPage(request, reply.code(422), planId, actionId, {
        errors: dateErrorsToDay(parsed.errors, ['dueOn']),
        values: body,
      });
    await plans.addMilestone(userOf(request), actorOf(request), planId, actionId, parsed.data);
    reply.flash(request.t('plans.action.milestoneAdded'));
    return reply.redirect(p.action({ planId, actionId }), 303);
  });

  app.post<{ Params: Params }>(p.milestoneDone.pattern, signedIn, async (request, reply) => {
    const { planId, milestoneId } = request.params as { planId: string; milestoneId: string };
    const done = (request.body as Body | undefined)?.done !== 'false';
    await plans.setMilestoneDone(userOf(request), actorOf(request), planId, milestoneId, done);
    reply.flash(request.t('plans.action.milestoneSaved'));
    const back = String((request.body as Body | undefined)?.actionId ?? '');
    return reply.redirect(back ? p.action({ planId, actionId: back }) : p.show({ planId }), 303);
  });

  app.post<{ Params: Params }>(p.addEvidence.pattern, signedIn, async (request, reply) => {
    const { planId, actionId } = request.params as { planId: string; actionId: string };
    await mayOrRefuse(request, planId, 'report');
    const parsed = parseForm(EvidenceForm, request.body, request.t);
    if (!parsed.success)
      return actionPage(request, reply.code(422), planId, actionId, {
        errors: renameField(parsed.errors, 'title', 'evidence-title'),
        evidenceValues: parsed.values,
      });
    await plans.addEvidence(userOf(request), actorOf(request), planId, actionId, parsed.data);
    reply.flash(request.t('plans.action.evidenceAdded'));
    return reply.redirect(p.action({ planId, actionId }), 303);
  });

  // ── Quarterly progress: the form, the CSV import with its dry run, the history ──────────────────────

  const updatePage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    planId: string,
    extra: Body = {},
  ) => {
    const page = await plans.planView(userOf(request), planId);
    if (!page.can.report) throw new ForbiddenError('Only the body’s staff report progress');
    const values: Body = { quarter: plans.currentQuarter() };
    for (const a of page.actions) {
      values[`status-${a.id}`] = a.status;
      values[`progress-${a.id}`] = a.progressOverride ?? '';
    }
    return view(reply, 'update.njk', { page, values, ...extra });
  };

  app.get<{ Params: Params }>(p.update.pattern, signedIn, (request, reply) =>
    updatePage(request, reply, request.params.planId!),
  );

  app.post<{ Params: Params }>(p.update.pattern, signedIn, async (request, reply) => {
    const planId = request.params.planId!;
    const body = (request.body ?? {}) as Body;
    const page = await plans.planView(userOf(request), planId);
    if (!page.can.report) throw new ForbiddenError('Only the body’s staff report progress');
    const header = parseForm(UpdateHeaderForm, body, request.t);
    const errors: GovukErrors = header.success ? { list: [], byField: {} } : header.errors;
    const items: UpdateItemInput[] = [];
    for (const action of page.actions) {
      const parsed = parseForm(
        UpdateItemForm,
        {
          status: body[`status-${action.id}`],
          progress: body[`progress-${action.id}`],
          note: body[`note-${action.id}`],
        },
        request.t,
      );
      if (parsed.success) items.push({ actionId: action.id, ...parsed.data });
      else
        for (const [field, message] of Object.entries(parsed.errors.byField)) {
          const id = `${field}-${action.id}`;
          errors.byField[id] = message;
          errors.list.push({ text: `${action.ref}: ${message.text}`, href: `#${id}` });
        }
    }
    if (!header.success || errors.list.length > 0)
      return updatePage(request, reply.code(422), planId, { errors, values: body });
    let update;
    try {
      update = await plans.recordUpdate(userOf(request), actorOf(request), planId, {
        ...header.data,
        items,
        source: 'form',
      });
    } catch (error) {
      if (!(error instanceof PlanRuleError)) throw error;
      return updatePage(request, reply.code(422), planId, {
        errors: ruleErrors(request, error),
        values: body,
      });
    }
    reply.flash(
      update.totalProgress === null
        ? request.t('plans.update.savedNoTotal')
        : request.t('plans.update.saved', { total: `${update.totalProgress}%` }),
    );
    return reply.redirect(p.show({ planId }), 303);
  });

  const importPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    planId: string,
    extra: Body = {},
  ) => {
    const page = await plans.planView(userOf(request), planId);
    if (!page.can.report) throw new ForbiddenError('Only the body’s staff report progress');
    return view(reply, 'import.njk', { page, values: { quarter: plans.currentQuarter() }, ...extra });
  };

  /** The dry run's report: what would change, or every row error (422, each in the error summary). */
  const reportPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    planId: string,
    run: DryRun,
    quarter: string,
    csv: string,
  ) => {
    const page = await plans.planView(userOf(request), planId);
    const errors: GovukErrors = {
      byField: {},
      list: run.errors.map((e) => ({
        text: request.t('plans.import.rowError', { line: e.line, problem: request.t(e.key, e.params) }),
        href: `#row-${e.line}`,
      })),
    };
    return view(reply.code(run.errors.length ? 422 : 200), 'import-report.njk', {
      page,
      run,
      quarter,
      csv,
      errors: run.errors.length ? errors : undefined,
    });
  };

  app.get<{ Params: Params }>(p.importCsv.pattern, signedIn, (request, reply) =>
    importPage(request, reply, request.params.planId!),
  );

  // The upload is multipart, parsed only in this scope; the confirm form is an ordinary form carrying the
  // checked text back, and is checked again in full before anything is saved.
  void app.register(async (scope) => {
    await scope.register(multipart, {
      attachFieldsToBody: 'keyValues',
      limits: { fileSize: MAX_PROGRESS_CSV_BYTES, files: 1, fields: 3 },
      async onFile(part) {
        (part as unknown as { value: Buffer }).value = await part.toBuffer();
      },
    });
    scope.post<{ Params: Params }>(p.importCsv.pattern, signedIn, async (request, reply) => {
      const planId = request.params.planId!;
      const body = (request.body ?? {}) as Body;
      const values = { quarter: String(body.quarter ?? '') };
      const header = parseForm(ImportForm, body, request.t);
      if (!header.success)
        return importPage(request, reply.code(422), planId, { errors: header.errors, values });
      const file = body.file;
      const fail = (key: string) =>
        importPage(request, reply.code(422), planId, { errors: govukError('file', request.t(key)), values });
      if (!(file instanceof Buffer) || file.length === 0) return fail('plans.import.errors.fileRequired');
      if ((file as Buffer & { truncated?: boolean }).truncated) return fail('plans.import.errors.tooBig');
      const text = file.toString('utf8');
      try {
        const run = await plans.dryRunCsv(userOf(request), planId, header.data.quarter, text);
        return reportPage(request, reply, planId, run, header.data.quarter, text);
      } catch (error) {
        if (error instanceof PlanRuleError)
          return importPage(request, reply.code(422), planId, { errors: ruleErrors(request, error), values });
        if (!(error instanceof ProgressCsvError)) throw error;
        return fail(error.key);
      }
    });
  });

  app.post<{ Params: Params }>(p.importConfirm.pattern, signedIn, async (request, reply) => {
    const planId = request.params.planId!;
    const body = (request.body ?? {}) as Body;
    const page = await plans.planView(userOf(request), planId);
    if (!page.can.report) throw new ForbiddenError('Only the body’s staff report progress');
    const header = parseForm(ImportForm, body, request.t);
    const csv = typeof body.csv === 'string' ? body.csv : '';
    // The confirm form only carries back what the check page put in it: anything else is not a browser.
    if (!header.success || !csv) throw new BadRequestError('The import form is incomplete');
    const quarter = header.data.quarter;
    try {
      const result = await plans.importCsv(userOf(request), actorOf(request), planId, quarter, csv);
      // The file no longer passes (the plan changed since the check): show the problems, save nothing.
      if (!result.imported) return reportPage(request, reply, planId, result.run, quarter, csv);
    } catch (error) {
      const retry = (errors: GovukErrors) =>
        importPage(request, reply.code(422), planId, { errors, values: { quarter } });
      if (error instanceof PlanRuleError) return retry(ruleErrors(request, error));
      if (error instanceof ProgressCsvError) return retry(govukError('file', request.t(error.key)));
      throw error;
    }
    reply.flash(request.t('plans.import.imported'));
    return reply.redirect(p.history({ planId }), 303);
  });

  app.get<{ Params: Params }>(p.history.pattern, signedIn, async (request, reply) =>
    view(reply, 'history.njk', { page: await plans.planView(userOf(request), request.params.planId!) }),
  );

  // ── Workflow: submit, sign off, publish, return ─────────────────────────────────────────────────────

  const transitionPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    planId: string,
    transition: PlanTransition,
    extra: Body = {},
  ) => {
    const page = await plans.planView(userOf(request), planId);
    if (!page.can.transitions.includes(transition))
      throw new ForbiddenError('You cannot make this change to the plan');
    return view(reply, 'transition.njk', { page, transition, values: {}, ...extra });
  };

  app.get<{ Params: Params }>(p.transition.pattern, signedIn, async (request, reply) => {
    const { planId, transition } = request.params;
    if (!isTransition(transition)) throw new NotFoundError('No such change');
    return transitionPage(request, reply, planId!, transition);
  });

  app.post<{ Params: Params }>(p.transition.pattern, signedIn, async (request, reply) => {
    const { planId, transition } = request.params as { planId: string; transition: string };
    if (!isTransition(transition)) throw new NotFoundError('No such change');
    let reason: string | undefined;
    if (transition === 'return') {
      const parsed = parseForm(ReturnForm, request.body, request.t);
      if (!parsed.success)
        return transitionPage(request, reply.code(422), planId, transition, {
          errors: parsed.errors,
          values: parsed.values,
        });
      reason = parsed.data.reason;
    }
    try {
      await plans.transition(userOf(request), actorOf(request), planId, transition, reason);
    } catch (error) {
      if (!(error instanceof PlanRuleError)) throw error;
      return transitionPage(request, reply.code(422), planId, transition, {
        errors: govukError('plan', request.t(error.key)),
      });
    }
    reply.flash(request.t(`plans.transitionDone.${transition}`));
    return reply.redirect(p.show({ planId }), 303);
  });

  // ── The public page of a published plan ─────────────────────────────────────────────────────────────

  app.get(p.publishedList.pattern, async (_request, reply) =>
    view(reply, 'published-list.njk', { rows: await plans.publishedPlans() }),
  );

  app.get(p.publishedListCsv.pattern, async (_request, reply) =>
    sendCsv(
      reply,
      'action-plans',
      publishedPlansCsvRows(
        await plans.publishedPlans(),
        (planId) => `${deps.config.BASE_URL}${p.published({ planId })}`,
      ),
    ),
  );

  app.get<{ Params: Params }>(p.publishedCsv.pattern, async (request, reply) => {
    const page = await plans.planView(null, request.params.planId!);
    return sendCsv(
      reply,
      `action-plan-${page.body.slug}-${page.plan.startsOn.slice(0, 4)}`,
      planActionsCsvRows(page.actions),
    );
  });

  app.get<{ Params: Params }>(p.published.pattern, async (request, reply) => {
    const page = await plans.planView(null, request.params.planId!);
    const { comments: _c, can: _can, ...shown } = page;
    return view(reply, 'published.njk', {
      ...shown,
      bodyHref: directoryPaths.body({ slug: page.body.slug }),
    });
  });
}
