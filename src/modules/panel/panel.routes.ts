/**
 * Pages of the joint oversight panel (SPEC §4; issue 4, item 7): the escalated queue, the case pack with the
 * proposal, votes, decision and closing forms, recommendations, members and terms, conflicts, quorum
 * settings, meetings (agenda, attendance, minutes, actions), and the body's page to reply to a
 * recommendation. HTTP only: parse → service → render or redirect.
 *
 * Who reaches what: the panel's pages need the `panel_member` role or `admin` (the route guard); each case
 * page then answers 404 to a member conflicted with the case (the service asks `hasConflict`). The body's
 * recommendation page needs a signed-in person with a part in the case.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { Deps } from '../../container.ts';
import { isAdmin } from '../../platform/auth/roles.ts';
import { actorOf, userOf } from '../../platform/http/context.ts';
import { requireRole, requireSignIn } from '../../platform/http/guards.ts';
import { govukError, parseForm, type GovukErrors } from '../../platform/views/form-errors.ts';
import { hasMessage } from '../../platform/i18n/i18n.ts';
import { casePaths } from '../cases/cases.paths.ts';
import { CaseConflictError, CaseInputError } from '../cases/cases.service.ts';
import { caseStates } from '../cases/cases.lifecycle.ts';
import { panelPaths } from './panel.paths.ts';
import { panelStates } from './panel.repository.ts';
import {
  ActionForm,
  ActionStatusForm,
  AgendaItemForm,
  AttendanceForm,
  CaseConflictForm,
  CloseForm,
  ConflictForm,
  DecideForm,
  EmptyForm,
  MeetingForm,
  MinutesForm,
  ProposalForm,
  QueueQuery,
  ReplyForm,
  SettingsForm,
  TermEditForm,
  TermForm,
  VersionForm,
  VoteForm,
} from './panel.schema.ts';
import { ChooseOrganisationError, PanelInputError, type PanelService } from './panel.service.ts';
import {
  panelActionStatuses,
  panelAttendanceStatuses,
  panelMeetingStatuses,
  panelOutcomes,
  panelReplyPositions,
  panelSides,
  panelVoteChoices,
} from './panel.tables.ts';

const V = 'modules/panel/views/';
type Params = Record<string, string>;
type Values = Record<string, unknown>;

/** What a page shown again carries: which form, what was typed, what went wrong, and extra choices. */
interface PageExtra {
  form?: string;
  values?: Values;
  errors?: GovukErrors;
  conflict?: { state: string };
  choices?: { id: string; name: string }[];
}

const common = {
  panelPaths,
  casePaths,
  caseStates,
  panelStates,
  panelSides,
  panelOutcomes,
  panelVoteChoices,
  panelReplyPositions,
  panelMeetingStatuses,
  panelAttendanceStatuses,
  panelActionStatuses,
  closeOutcomes: ['resolved', 'partly_resolved', 'not_upheld', 'referred_elsewhere'],
};

/** Date fields of each form (GOV.UK date inputs): the error summary points at the day box. */
const dateFields = ['termStart', 'termEnd', 'recommendationDueOn', 'date', 'dueOn'];

/**
 * Field ids on pages with several forms carry the form's name (`vote-reason`), so each form has its own
 * errors; date fields point at their day box.
 */
function forForm(form: string | null, errors: GovukErrors): GovukErrors {
  // The version seen is a hidden field: its error belongs to the form as a whole.
  const id = (field: string) => {
    const named = field === 'expectedVersion' ? 'form' : field;
    return form ? `${form}-${named}` : named;
  };
  const byField: GovukErrors['byField'] = {};
  for (const [field, error] of Object.entries(errors.byField)) byField[id(field)] = error;
  return {
    byField,
    list: errors.list.map((e) => {
      const field = e.href.slice(1);
      return { ...e, href: `#${id(field)}${dateFields.includes(field) ? '-day' : ''}` };
    }),
  };
}

/** A rule only the service could check, as GOV.UK errors on the form's field. */
function ruleErrors(request: FastifyRequest, form: string | null, error: PanelInputError | CaseInputError) {
  const params = error instanceof PanelInputError ? error.params : undefined;
  const key = error instanceof CaseInputError && error.field === 'action' ? 'form' : error.field;
  return forForm(form, govukError(key, request.t(error.message, params)));
}

export function registerPanelRoutes(app: FastifyInstance, deps: Deps) {
  const panel: PanelService = deps.panel;
  const viewers = { preHandler: requireRole('panel_member', 'admin') };
  const admins = { preHandler: requireRole('admin') };
  const signedIn = { preHandler: requireSignIn };
  const caseIdOf = (request: FastifyRequest) => (request.params as Params).caseId ?? '';
  const meetingIdOf = (request: FastifyRequest) => (request.params as Params).meetingId ?? '';

  /**
   * Runs a change; a rule broken (422) or a lost race on the case (409) shows the page again with what the
   * person typed; otherwise a flash message and a redirect (303).
   */
  async function change(
    request: FastifyRequest,
    reply: FastifyReply,
    form: string | null,
    run: () => Promise<unknown>,
    render: (extra: PageExtra, status: number) => Promise<unknown>,
    done: { flash: string; to: string } | ((result: unknown) => { flash: string; to: string }),
  ) {
    const values = (request.body ?? {}) as Values;
    let result: unknown;
    try {
      result = await run();
    } catch (error) {
      if (error instanceof ChooseOrganisationError)
        return render(
          {
            form: form ?? undefined,
            values,
            errors: ruleErrors(request, form, error),
            choices: error.choices,
          },
          422,
        );
      if (error instanceof PanelInputError || error instanceof CaseInputError)
        return render({ form: form ?? undefined, values, errors: ruleErrors(request, form, error) }, 422);
      if (error instanceof CaseConflictError) {
        const errors = forForm(form, govukError('form', request.t('panel.case.conflictSummary')));
        return render(
          { form: form ?? undefined, values, errors, conflict: { state: error.currentState } },
          409,
        );
      }
      throw error;
    }
    const next = typeof done === 'function' ? done(result) : done;
    reply.flash(request.t(next.flash));
    return reply.redirect(next.to, 303);
  }

  // ---- The queue and recommendations --------------------------------------------------------------------

  app.get(panelPaths.queue.pattern, viewers, async (request, reply) => {
    const query = (request.query ?? {}) as Params;
    const filters = QueueQuery.parse(query);
    const page = Math.max(1, Number.parseInt(query.page ?? '1', 10) || 1);
    const result = await panel.queue(userOf(request), { ...filters, page });
    const q = {
      state: filters.state,
      body: filters.body,
      recommendation: filters.recommendation,
      q: filters.q,
    };
    return reply.view(`${V}queue.njk`, {
      ...common,
      ...result,
      filters,
      pageHref: (n: number) => panelPaths.queue({ ...q, sort: filters.sort, page: String(n) }),
    });
  });

  app.get(panelPaths.recommendations.pattern, viewers, async (request, reply) => {
    const wanted = (request.query as Params | undefined)?.status;
    const status = (['awaiting', 'overdue', 'replied'] as const).find((s) => s === wanted);
    const rows = await panel.recommendations(userOf(request), status);
    return reply.view(`${V}recommendations.njk`, { ...common, rows, status });
  });

  // ---- The case pack and its forms ----------------------------------------------------------------------

  async function casePage(request: FastifyRequest, reply: FastifyReply, extra: PageExtra = {}, status = 200) {
    const user = userOf(request);
    const data = await panel.pack(actorOf(request), user, caseIdOf(request));
    return reply.code(status).view(`${V}case.njk`, {
      ...common,
      ...data,
      ...extra,
      values: extra.values ?? {},
      isAdmin: isAdmin(user),
      earliestDueOn: panel.earliestDueOn(),
      messagesIntro: 'panel.case.messagesIntro',
      // A catalogue label for a coded value on the timeline, or the value itself (intake's own actions).
      label: (prefix: string, value: string | null | undefined) =>
        value && hasMessage('en', `${prefix}.${value}`) ? request.t(`${prefix}.${value}`) : (value ?? ''),
      senderLabel: (side: string) =>
        side === 'reporter'
          ? request.t('panel.case.reporterSide')
          : side === 'body'
            ? (data.bodyName ?? '')
            : request.t('cases.messages.covenantTeam'),
    });
  }

  /** One POST route on the case page: parse with the form's schema, run, show the page again on error. */
  function casePost<S extends z.ZodType>(
    path: { pattern: string },
    form: string,
    schema: S,
    run: (request: FastifyRequest, input: z.infer<S>) => Promise<unknown>,
    done: (request: FastifyRequest, result: unknown) => { flash: string; to: string },
  ) {
    app.post(path.pattern, viewers, async (request, reply) => {
      const parsed = parseForm(schema, request.body, request.t);
      const render = (extra: PageExtra, status: number) => casePage(request, reply, extra, status);
      if (!parsed.success)
        return render({ form, values: parsed.values, errors: forForm(form, parsed.errors) }, 422);
      return change(
        request,
        reply,
        form,
        () => run(request, parsed.data),
        render,
        (result) => done(request, result),
      );
    });
  }

  app.get(panelPaths.case.pattern, viewers, async (request, reply) => casePage(request, reply));

  const backToCase = (flash: string) => (request: FastifyRequest) => ({
    flash,
    to: panelPaths.case({ caseId: caseIdOf(request) }),
  });

  casePost(
    panelPaths.startReview,
    'start',
    VersionForm,
    (r, input) => panel.startReview(actorOf(r), userOf(r), caseIdOf(r), input.expectedVersion),
    backToCase('panel.done.startReview'),
  );
  casePost(
    panelPaths.propose,
    'proposal',
    ProposalForm,
    (r, input) => panel.propose(actorOf(r), userOf(r), caseIdOf(r), input),
    backToCase('panel.done.propose'),
  );
  casePost(
    panelPaths.withdrawProposal,
    'withdraw',
    EmptyForm,
    (r) => panel.withdrawProposal(actorOf(r), userOf(r), caseIdOf(r)),
    backToCase('panel.done.withdrawProposal'),
  );
  casePost(
    panelPaths.vote,
    'vote',
    VoteForm,
    (r, input) => panel.vote(actorOf(r), userOf(r), caseIdOf(r), input),
    backToCase('panel.done.vote'),
  );
  casePost(
    panelPaths.decide,
    'decide',
    DecideForm,
    (r, input) => panel.decide(actorOf(r), userOf(r), caseIdOf(r), input),
    (r, result) => ({
      flash: result === 'rejected' ? 'panel.done.rejected' : 'panel.done.adopted',
      to: panelPaths.case({ caseId: caseIdOf(r) }),
    }),
  );
  casePost(
    panelPaths.close,
    'close',
    CloseForm,
    (r, input) => panel.close(actorOf(r), userOf(r), caseIdOf(r), input),
    backToCase('panel.done.close'),
  );
  // Declaring a conflict hides the case from the person at once: back to the queue, not the case.
  casePost(
    panelPaths.declareCaseConflict,
    'conflict',
    CaseConflictForm,
    (r, input) => panel.declareCaseConflict(actorOf(r), userOf(r), caseIdOf(r), input.reason),
    () => ({ flash: 'panel.done.caseConflict', to: panelPaths.queue() }),
  );

  // ---- The body's reply to a recommendation ---------------------------------------------------------------

  async function recommendationPage(
    request: FastifyRequest,
    reply: FastifyReply,
    extra: PageExtra = {},
    status = 200,
  ) {
    const data = await panel.recommendationView(userOf(request), caseIdOf(request));
    return reply
      .code(status)
      .view(`${V}recommendation.njk`, { ...common, ...data, ...extra, values: extra.values ?? {} });
  }

  app.get(panelPaths.recommendation.pattern, signedIn, async (request, reply) =>
    recommendationPage(request, reply),
  );
  app.post(panelPaths.recommendation.pattern, signedIn, async (request, reply) => {
    const parsed = parseForm(ReplyForm, request.body, request.t);
    const render = (extra: PageExtra, status: number) => recommendationPage(request, reply, extra, status);
    if (!parsed.success) return render({ values: parsed.values, errors: parsed.errors }, 422);
    return change(
      request,
      reply,
      null,
      () => panel.reply(actorOf(request), userOf(request), caseIdOf(request), parsed.data),
      render,
      { flash: 'panel.done.reply', to: casePaths.show({ caseId: caseIdOf(request) }) },
    );
  });

  // ---- Members, terms and settings ------------------------------------------------------------------------

  app.get(panelPaths.members.pattern, viewers, async (request, reply) => {
    const user = userOf(request);
    const [members, rule] = await Promise.all([panel.members(), panel.rule()]);
    return reply.view(`${V}members.njk`, { ...common, members, rule, isAdmin: isAdmin(user) });
  });

  async function termPage(request: FastifyRequest, reply: FastifyReply, extra: PageExtra = {}, status = 200) {
    const termId = (request.params as Params).termId;
    const user = userOf(request);
    const term = termId ? await panel.term(user, termId) : null;
    const candidates = term ? [] : await panel.memberCandidates();
    const values = extra.values ?? (term ? { ...term } : {});
    return reply.code(status).view(`${V}term-form.njk`, { ...common, ...extra, term, candidates, values });
  }

  app.get(panelPaths.newTerm.pattern, admins, async (request, reply) => termPage(request, reply));
  app.post(panelPaths.newTerm.pattern, admins, async (request, reply) => {
    const parsed = parseForm(TermForm, request.body, request.t);
    const render = (extra: PageExtra, status: number) => termPage(request, reply, extra, status);
    if (!parsed.success) return render({ values: parsed.values, errors: forForm(null, parsed.errors) }, 422);
    return change(
      request,
      reply,
      null,
      () => panel.addTerm(actorOf(request), userOf(request), parsed.data),
      render,
      { flash: 'panel.done.termAdded', to: panelPaths.members() },
    );
  });
  app.get(panelPaths.term.pattern, admins, async (request, reply) => termPage(request, reply));
  app.post(panelPaths.term.pattern, admins, async (request, reply) => {
    const termId = (request.params as Params).termId ?? '';
    const parsed = parseForm(TermEditForm, request.body, request.t);
    const render = (extra: PageExtra, status: number) => termPage(request, reply, extra, status);
    if (!parsed.success) return render({ values: parsed.values, errors: forForm(null, parsed.errors) }, 422);
    return change(
      request,
      reply,
      null,
      () => panel.updateTerm(actorOf(request), userOf(request), termId, parsed.data),
      render,
      { flash: 'panel.done.termUpdated', to: panelPaths.members() },
    );
  });

  async function settingsPage(
    request: FastifyRequest,
    reply: FastifyReply,
    extra: PageExtra = {},
    status = 200,
  ) {
    const rule = await panel.rule();
    const values = extra.values ?? {
      quorumMinimum: String(rule.minimum),
      quorumEachSide: rule.eachSide ? 'yes' : 'no',
    };
    return reply.code(status).view(`${V}settings.njk`, { ...common, ...extra, values });
  }
  app.get(panelPaths.settings.pattern, admins, async (request, reply) => settingsPage(request, reply));
  app.post(panelPaths.settings.pattern, admins, async (request, reply) => {
    const parsed = parseForm(SettingsForm, request.body, request.t);
    if (!parsed.success) return settingsPage(request, reply, parsed, 422);
    await panel.updateSettings(actorOf(request), userOf(request), parsed.data);
    reply.flash(request.t('panel.done.settings'));
    return reply.redirect(panelPaths.members(), 303);
  });

  // ---- Conflicts of interest ------------------------------------------------------------------------------

  async function conflictsPage(
    request: FastifyRequest,
    reply: FastifyReply,
    extra: PageExtra = {},
    status = 200,
  ) {
    const user = userOf(request);
    const admin = isAdmin(user);
    const [conflicts, candidates] = await Promise.all([
      panel.listConflicts(user),
      admin ? panel.memberCandidates() : Promise.resolve([]),
    ]);
    return reply.code(status).view(`${V}conflicts.njk`, {
      ...common,
      ...extra,
      values: extra.values ?? {},
      conflicts,
      candidates,
      isAdmin: admin,
      canDeclare: user.memberships.some((m) => m.role === 'panel_member') || admin,
      me: user.id,
    });
  }
  app.get(panelPaths.conflicts.pattern, viewers, async (request, reply) => conflictsPage(request, reply));
  app.post(panelPaths.conflicts.pattern, viewers, async (request, reply) => {
    const parsed = parseForm(ConflictForm, request.body, request.t);
    const render = (extra: PageExtra, status: number) => conflictsPage(request, reply, extra, status);
    if (!parsed.success) return render({ values: parsed.values, errors: parsed.errors }, 422);
    return change(
      request,
      reply,
      null,
      () => panel.declareConflict(actorOf(request), userOf(request), parsed.data),
      render,
      { flash: 'panel.done.conflictDeclared', to: panelPaths.conflicts() },
    );
  });
  app.post(panelPaths.withdrawConflict.pattern, viewers, async (request, reply) => {
    const conflictId = (request.params as Params).conflictId ?? '';
    await panel.withdrawConflict(actorOf(request), userOf(request), conflictId);
    reply.flash(request.t('panel.done.conflictWithdrawn'));
    return reply.redirect(panelPaths.conflicts(), 303);
  });

  // ---- Meetings -------------------------------------------------------------------------------------------

  app.get(panelPaths.meetings.pattern, viewers, async (request, reply) => {
    const data = await panel.meetings(userOf(request));
    return reply.view(`${V}meetings.njk`, { ...common, ...data });
  });

  async function newMeetingPage(
    request: FastifyRequest,
    reply: FastifyReply,
    extra: PageExtra = {},
    status = 200,
  ) {
    return reply
      .code(status)
      .view(`${V}meeting-form.njk`, { ...common, ...extra, values: extra.values ?? {} });
  }
  app.get(panelPaths.newMeeting.pattern, viewers, async (request, reply) => newMeetingPage(request, reply));
  app.post(panelPaths.newMeeting.pattern, viewers, async (request, reply) => {
    const parsed = parseForm(MeetingForm, request.body, request.t);
    if (!parsed.success)
      return newMeetingPage(
        request,
        reply,
        { values: parsed.values, errors: forForm(null, parsed.errors) },
        422,
      );
    const meetingId = await panel.createMeeting(actorOf(request), userOf(request), parsed.data);
    reply.flash(request.t('panel.done.meetingScheduled'));
    return reply.redirect(panelPaths.meeting({ meetingId }), 303);
  });

  async function meetingPage(
    request: FastifyRequest,
    reply: FastifyReply,
    extra: PageExtra = {},
    status = 200,
  ) {
    const data = await panel.meeting(userOf(request), meetingIdOf(request));
    const values = { minutes: data.meeting.minutes ?? '', status: data.meeting.status, ...extra.values };
    return reply.code(status).view(`${V}meeting.njk`, { ...common, ...data, ...extra, values });
  }

  /** One POST route on the meeting page. */
  function meetingPost<S extends z.ZodType>(
    path: { pattern: string },
    form: string,
    schema: S,
    run: (request: FastifyRequest, input: z.infer<S>) => Promise<unknown>,
    flash: string,
    anchor: string,
  ) {
    app.post(path.pattern, viewers, async (request, reply) => {
      const parsed = parseForm(schema, request.body, request.t);
      const render = (extra: PageExtra, status: number) => meetingPage(request, reply, extra, status);
      if (!parsed.success)
        return render({ form, values: parsed.values, errors: forForm(form, parsed.errors) }, 422);
      return change(request, reply, form, () => run(request, parsed.data), render, {
        flash,
        to: `${panelPaths.meeting({ meetingId: meetingIdOf(request) })}#${anchor}`,
      });
    });
  }

  app.get(panelPaths.meeting.pattern, viewers, async (request, reply) => meetingPage(request, reply));
  meetingPost(
    panelPaths.agendaItem,
    'agenda',
    AgendaItemForm,
    (r, input) => panel.addAgendaItem(actorOf(r), userOf(r), meetingIdOf(r), input.title),
    'panel.done.agendaItem',
    'agenda',
  );
  meetingPost(
    panelPaths.agendaRefresh,
    'refresh',
    EmptyForm,
    (r) => panel.refreshAgenda(actorOf(r), userOf(r), meetingIdOf(r)),
    'panel.done.agendaRefreshed',
    'agenda',
  );
  meetingPost(
    panelPaths.agendaItemRemove,
    'remove',
    EmptyForm,
    (r) => panel.removeAgendaItem(actorOf(r), userOf(r), meetingIdOf(r), (r.params as Params).itemId ?? ''),
    'panel.done.agendaItemRemoved',
    'agenda',
  );
  meetingPost(
    panelPaths.attendance,
    'attendance',
    AttendanceForm,
    (r, input) => panel.recordAttendance(actorOf(r), userOf(r), meetingIdOf(r), input),
    'panel.done.attendance',
    'attendance',
  );
  meetingPost(
    panelPaths.minutes,
    'minutes',
    MinutesForm,
    (r, input) => panel.saveMinutes(actorOf(r), userOf(r), meetingIdOf(r), input),
    'panel.done.minutes',
    'minutes',
  );
  meetingPost(
    panelPaths.actions,
    'action',
    ActionForm,
    (r, input) => panel.addAction(actorOf(r), userOf(r), meetingIdOf(r), input),
    'panel.done.actionAdded',
    'actions',
  );
  app.post(panelPaths.actionStatus.pattern, viewers, async (request, reply) => {
    const actionId = (request.params as Params).actionId ?? '';
    const parsed = parseForm(ActionStatusForm, request.body, request.t);
    // A status comes from a fixed list of radios; anything else is a tampered form.
    if (!parsed.success) {
      reply.flash(request.t('panel.errors.actionStatusRequired'));
      return reply.redirect(panelPaths.meetings(), 303);
    }
    const meetingId = await panel.setActionStatus(
      actorOf(request),
      userOf(request),
      actionId,
      parsed.data.status,
    );
    reply.flash(request.t('panel.done.actionStatus'));
    return reply.redirect(
      meetingId ? `${panelPaths.meeting({ meetingId })}#actions` : panelPaths.meetings(),
      303,
    );
  });
}
