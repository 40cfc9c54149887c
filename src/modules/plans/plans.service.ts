/**
 * Engagement action plans (issue 5 item 1): the rules, permission checks, transactions and audit rows.
 * Every change is checked against plans.policy.ts / plans.rules.ts first, runs in one transaction with its
 * audit row, and tells the scorecards (`changed`) so a body's cached scorecard is rebuilt.
 */
import type { Clock } from '../../platform/clock.ts';
import type { Database } from '../../platform/db/database.ts';
import type { Actor, AuditLog } from '../../platform/audit/audit.ts';
import { isAdmin, type CurrentUser } from '../../platform/auth/roles.ts';
import { toUkIsoDate } from '../../platform/calendar/iso-date.ts';
import { ForbiddenError, NotFoundError } from '../../platform/http/errors.ts';
import type { PlansRepository, PlanRow } from './plans.repository.ts';
import {
  canComment,
  canEditPlan,
  canReadComments,
  canReportProgress,
  canViewPlan,
  isPanel,
  staffBodies,
} from './plans.policy.ts';
import {
  actionProgress,
  isActionOverdue,
  isBodyStaff,
  isMilestoneOverdue,
  mayTransition,
  nextStatus,
  periodsOverlap,
  planTransitions,
  quarterInPlan,
  quarterOf,
  readProgressCsv,
  rollUp,
  type PlanTransition,
  type ProgressRowError,
} from './plans.rules.ts';
import { isUuid } from '../accounts/accounts.repository.ts';
import type { ActionInput, PlanInput } from './plans.schema.ts';
import type { ActionStatus, PlanStatus } from './plans.tables.ts';

/** A rule broken by a valid-looking form (e.g. overlapping plan years): shown against the field. */
export class PlanRuleError extends Error {
  override name = 'PlanRuleError';
  readonly field: string;
  readonly key: string;
  readonly params: Record<string, string>;
  constructor(field: string, key: string, params: Record<string, string> = {}) {
    super(key);
    this.field = field;
    this.key = key;
    this.params = params;
  }
}

export interface UpdateItemInput {
  actionId: string;
  status: ActionStatus;
  progress: number | null;
  note: string | null;
}

export function createPlansService(deps: {
  db: Database;
  audit: AuditLog;
  clock: Clock;
  repo: PlansRepository;
  /** Called after a change that affects a body's published figures (the scorecards' cache). */
  changed?: (bodyId: string) => void;
}) {
  const { db, audit, clock, repo } = deps;
  const today = () => toUkIsoDate(clock.now());
  const changed = (bodyId: string) => deps.changed?.(bodyId);

  async function loadPlan(user: CurrentUser | null, planId: string) {
    const found = await repo.findPlan(planId);
    // Someone who may not see a plan is told it does not exist, so drafts do not leak.
    if (!found || !canViewPlan(user, found.plan)) throw new NotFoundError('No such plan');
    return found;
  }

  async function planForChange(user: CurrentUser, planId: string, check: (plan: PlanRow) => boolean) {
    const found = await loadPlan(user, planId);
    if (!check(found.plan)) throw new ForbiddenError('You cannot change this plan now');
    return found;
  }

  async function refuseOverlap(
    bodyId: string,
    input: { startsOn: string; endsOn: string },
    excludeId?: string,
  ) {
    await repo.lockBody(bodyId);
    const clash = (await repo.plansOfBody(bodyId, excludeId)).find((p) => periodsOverlap(p, input));
    if (clash)
      throw new PlanRuleError('startsOn', 'plans.errors.overlap', {
        title: clash.title,
        startsOn: clash.startsOn,
        endsOn: clash.endsOn,
      });
  }

  /** Quarterly updates report on the plan year: a quarter wholly outside it is a mistake in the form. */
  function refuseQuarterOutside(plan: PlanRow, quarter: string) {
    if (!quarterInPlan(quarter, plan))
      throw new PlanRuleError('quarter', 'plans.errors.quarterOutsidePlan', {
        quarter,
        startsOn: plan.startsOn,
        endsOn: plan.endsOn,
      });
  }

  async function assertCommitment(id: string) {
    if (!isUuid(id)) throw new PlanRuleError('commitmentId', 'plans.errors.commitmentRequired');
    if (!(await repo.findCommitment(id)))
      throw new PlanRuleError('commitmentId', 'plans.errors.commitmentRequired');
  }

  /** A plan with its actions, progress, overdue flags, history and comments, as the viewer may see it. */
  async function planView(user: CurrentUser | null, planId: string) {
    const { plan, bodyName, bodySlug, bodyType } = await loadPlan(user, planId);
    const now = today();
    const actionRows = await repo.actionsOf([plan.id]);
    const ids = actionRows.map((a) => a.action.id);
    const [milestones, evidence] = await Promise.all([repo.milestonesOf(ids), repo.evidenceOf(ids)]);
    const actions = actionRows.map(({ action, commitmentCode, commitmentText }) => {
      const ms = milestones
        .filter((m) => m.actionId === action.id)
        .map((m) => ({ ...m, overdue: isMilestoneOverdue(m, now) }));
      return {
        ...action,
        commitmentCode,
        commitmentText,
        progress: actionProgress(action),
        overdue: isActionOverdue(action, now),
        milestones: ms,
        overdueMilestones: ms.filter((m) => m.overdue).length,
        evidence: evidence.filter((e) => e.actionId === action.id),
      };
    });
    const total = rollUp(actions);
    const showComments = canReadComments(user, plan);
    return {
      plan,
      body: { id: plan.bodyId, name: bodyName, slug: bodySlug, type: bodyType },
      actions,
      total,
      today: now,
      overdueActions: actions.filter((a) => a.overdue).length,
      overdueMilestones: actions.reduce((n, a) => n + a.overdueMilestones, 0),
      updates: await repo.updatesOf(plan.id),
      comments: showComments ? await repo.commentsOf(plan.id) : [],
      can: {
        edit: canEditPlan(user, plan),
        report: canReportProgress(user, plan),
        comment: canComment(user, plan),
        readComments: showComments,
        transitions: planTransitions.filter((t) => mayTransition(user, plan, t)),
      },
    };
  }

  /** Each listed plan with its total and what is overdue today, for the lists of plans. */
  async function withFigures<R extends { plan: PlanRow }>(rows: R[]) {
    const now = today();
    const actions = (await repo.actionsOf(rows.map((r) => r.plan.id))).map((a) => a.action);
    const milestones = await repo.milestonesOf(actions.map((a) => a.id));
    return rows.map((r) => {
      const own = actions.filter((a) => a.planId === r.plan.id);
      const ids = new Set(own.map((a) => a.id));
      return {
        ...r,
        total: rollUp(own),
        overdueActions: own.filter((a) => isActionOverdue(a, now)).length,
        overdueMilestones: milestones.filter((m) => ids.has(m.actionId) && isMilestoneOverdue(m, now)).length,
      };
    });
  }

  const service = {
    planView,

    /** The plans a person works on or reviews: their body's (staff), submitted ones (panel), all (admin). */
    async listPlans(user: CurrentUser) {
      let rows;
      if (isAdmin(user)) rows = await repo.listPlans({});
      else {
        const own = await repo.listPlans({ bodyIds: staffBodies(user) });
        const reviewed = isPanel(user)
          ? await repo.listPlans({ statuses: ['submitted', 'signed_off', 'published'] })
          : [];
        const seen = new Set<string>();
        rows = [...own, ...reviewed].filter((r) => !seen.has(r.plan.id) && seen.add(r.plan.id));
      }
      return withFigures(rows);
    },

    /** Every published plan, newest plan year first: the public index of plans. */
    async publishedPlans() {
      return withFigures(await repo.listPlans({ statuses: ['published'] }));
    },

    /** Bodies the person may create plans for. */
    async bodiesFor(user: CurrentUser) {
      return repo.bodiesByIds(staffBodies(user));
    },

    commitments: () => repo.commitments(),

    /** Published plans of a body, newest first, each with its total (the body's public page, scorecards). */
    async publishedPlansOfBody(bodyId: string) {
      const plans = (await repo.plansOfBody(bodyId)).filter((p) => p.status === 'published');
      const actions = await repo.actionsOf(plans.map((p) => p.id));
      return plans.map((plan) => {
        const own = actions.filter((a) => a.action.planId === plan.id).map((a) => a.action);
        return {
          plan,
          total: rollUp(own),
          overdueActions: own.filter((a) => isActionOverdue(a, today())).length,
        };
      });
    },

    /** Published actions linked to a commitment, across bodies (the commitment's scorecard). */
    async publishedActionsForCommitment(commitmentId: string) {
      const plans = await repo.listPlans({ statuses: ['published'] });
      const actions = (await repo.actionsOf(plans.map((p) => p.plan.id))).filter(
        (a) => a.action.commitmentId === commitmentId,
      );
      return actions.map((a) => {
        const owner = plans.find((p) => p.plan.id === a.action.planId)!;
        return {
          ...a.action,
          progress: actionProgress(a.action),
          overdue: isActionOverdue(a.action, today()),
          bodyName: owner.bodyName,
          bodySlug: owner.bodySlug,
          planId: owner.plan.id,
          planTitle: owner.plan.title,
        };
      });
    },

    async createPlan(user: CurrentUser, actor: Actor, input: PlanInput) {
      if (!isBodyStaff(user, input.bodyId))
        throw new ForbiddenError('Only the body’s staff can create its plan');
      const body = await repo.findBody(input.bodyId);
      if (!body || body.kind !== 'public_body')
        throw new PlanRuleError('bodyId', 'plans.errors.bodyRequired');
      return db.transaction(async () => {
        await refuseOverlap(input.bodyId, input);
        const plan = await repo.insertPlan({ ...input, status: 'draft', createdBy: user.id });
        await audit.record(actor, {
          action: 'plan.created',
          entityType: 'action_plan',
          entityId: plan.id,
          details: { bodyId: input.bodyId, startsOn: input.startsOn, endsOn: input.endsOn },
        });
        return plan;
      });
    },

    async updatePlan(user: CurrentUser, actor: Actor, planId: string, input: Omit<PlanInput, 'bodyId'>) {
      return db.transaction(async () => {
        const { plan } = await planForChange(user, planId, (p) => canEditPlan(user, p));
        await refuseOverlap(plan.bodyId, input, plan.id);
        await repo.updatePlan(plan.id, { ...input, updatedAt: clock.now() });
        await audit.record(actor, {
          action: 'plan.updated',
          entityType: 'action_plan',
          entityId: plan.id,
          details: input,
        });
      });
    },

    async addAction(user: CurrentUser, actor: Actor, planId: string, input: ActionInput) {
      return db.transaction(async () => {
        const { plan } = await planForChange(user, planId, (p) => canEditPlan(user, p));
        await assertCommitment(input.commitmentId);
        const n = await repo.nextActionNumber(plan.id);
        const { progress, ...rest } = input;
        const action = await repo.insertAction({
          ...rest,
          planId: plan.id,
          ref: `A${n}`,
          position: n,
          progressOverride: progress,
        });
        await audit.record(actor, {
          action: 'plan.action_added',
          entityType: 'action_plan',
          entityId: plan.id,
          details: { actionId: action.id, ref: action.ref, ...rest, progressOverride: progress },
        });
        return action;
      });
    },

    async updateAction(
      user: CurrentUser,
      actor: Actor,
      planId: string,
      actionId: string,
      input: ActionInput,
    ) {
      return db.transaction(async () => {
        const { plan } = await planForChange(user, planId, (p) => canEditPlan(user, p));
        const action = await repo.findAction(actionId);
        if (!action || action.planId !== plan.id) throw new NotFoundError('No such action');
        await assertCommitment(input.commitmentId);
        const { progress, ...rest } = input;
        await repo.updateAction(action.id, { ...rest, progressOverride: progress, updatedAt: clock.now() });
        await audit.record(actor, {
          action: 'plan.action_updated',
          entityType: 'action_plan',
          entityId: plan.id,
          details: { actionId, ref: action.ref, ...rest, progressOverride: progress },
        });
      });
    },

    async removeAction(user: CurrentUser, actor: Actor, planId: string, actionId: string) {
      return db.transaction(async () => {
        const { plan } = await planForChange(user, planId, (p) => canEditPlan(user, p));
        const action = await repo.findAction(actionId);
        if (!action || action.planId !== plan.id) throw new NotFoundError('No such action');
        await repo.deleteAction(action.id);
        await audit.record(actor, {
          action: 'plan.action_removed',
          entityType: 'action_plan',
          entityId: plan.id,
          details: { actionId, ref: action.ref, title: action.title },
        });
      });
    },

    async addMilestone(
      user: CurrentUser,
      actor: Actor,
      planId: string,
      actionId: string,
      input: { title: string; dueOn: string },
    ) {
      return db.transaction(async () => {
        const { plan } = await planForChange(user, planId, (p) => canEditPlan(user, p));
        const action = await repo.findAction(actionId);
        if (!action || action.planId !== plan.id) throw new NotFoundError('No such action');
        const milestone = await repo.insertMilestone({ actionId, ...input });
        await audit.record(actor, {
          action: 'plan.milestone_added',
          entityType: 'action_plan',
          entityId: plan.id,
          details: { actionId, milestoneId: milestone.id, ...input },
        });
      });
    },

    /** Marks a milestone complete today (or not complete again). Progress reporting: any plan status. */
    async setMilestoneDone(
      user: CurrentUser,
      actor: Actor,
      planId: string,
      milestoneId: string,
      done: boolean,
    ) {
      return db.transaction(async () => {
        const { plan } = await planForChange(user, planId, (p) => canReportProgress(user, p));
        const milestone = await repo.findMilestone(milestoneId);
        const action = milestone ? await repo.findAction(milestone.actionId) : null;
        if (!milestone || !action || action.planId !== plan.id) throw new NotFoundError('No such milestone');
        const completedOn = done ? today() : null;
        await repo.updateMilestone(milestone.id, { completedOn });
        await audit.record(actor, {
          action: done ? 'plan.milestone_completed' : 'plan.milestone_reopened',
          entityType: 'action_plan',
          entityId: plan.id,
          details: { milestoneId, completedOn },
        });
        changed(plan.bodyId);
      });
    },

    async addEvidence(
      user: CurrentUser,
      actor: Actor,
      planId: string,
      actionId: string,
      input: { title: string; url: string },
    ) {
      return db.transaction(async () => {
        const { plan } = await planForChange(user, planId, (p) => canReportProgress(user, p));
        const action = await repo.findAction(actionId);
        if (!action || action.planId !== plan.id) throw new NotFoundError('No such action');
        const row = await repo.insertEvidence({ actionId, ...input, addedBy: user.id });
        await audit.record(actor, {
          action: 'plan.evidence_added',
          entityType: 'action_plan',
          entityId: plan.id,
          details: { actionId, evidenceId: row.id, ...input },
        });
      });
    },

    /**
     * A quarterly progress update: each action's new status and progress, recorded with what it was, in one
     * transaction (all or nothing) with the plan total after it.
     */
    async recordUpdate(
      user: CurrentUser,
      actor: Actor,
      planId: string,
      input: { quarter: string; summary: string | null; items: UpdateItemInput[]; source: 'form' | 'csv' },
    ) {
      return db.transaction(async () => {
        const { plan } = await planForChange(user, planId, (p) => canReportProgress(user, p));
        refuseQuarterOutside(plan, input.quarter);
        const actions = (await repo.actionsOf([plan.id])).map((a) => a.action);
        const byId = new Map(actions.map((a) => [a.id, a]));
        for (const item of input.items)
          if (!byId.has(item.actionId)) throw new NotFoundError('No such action');
        const after = actions.map((a) => {
          const item = input.items.find((i) => i.actionId === a.id);
          return item ? { ...a, status: item.status, progressOverride: item.progress } : a;
        });
        const total = rollUp(after).total;
        const update = await repo.insertUpdate({
          planId: plan.id,
          quarter: input.quarter,
          summary: input.summary,
          source: input.source,
          totalProgress: total,
          createdBy: user.id,
        });
        await repo.insertUpdateItems(
          input.items.map((item) => {
            const before = byId.get(item.actionId)!;
            return {
              updateId: update.id,
              actionId: item.actionId,
              fromStatus: before.status,
              toStatus: item.status,
              // The per cent complete as it counted (default or override), so the history reads on its own.
              fromProgress: actionProgress(before),
              toProgress: actionProgress({ status: item.status, progressOverride: item.progress }),
              note: item.note,
            };
          }),
        );
        for (const item of input.items)
          await repo.updateAction(item.actionId, {
            status: item.status,
            progressOverride: item.progress,
            updatedAt: clock.now(),
          });
        await audit.record(actor, {
          action: 'plan.progress_updated',
          entityType: 'action_plan',
          entityId: plan.id,
          details: {
            updateId: update.id,
            quarter: input.quarter,
            source: input.source,
            items: input.items.length,
            total,
          },
        });
        changed(plan.bodyId);
        return update;
      });
    },

    /**
     * The dry run of a progress CSV for a quarter: what would change, and every row error. Writes nothing.
     * Throws PlanRuleError for a quarter outside the plan year and ProgressCsvError for an unreadable file.
     */
    async dryRunCsv(user: CurrentUser, planId: string, quarter: string, text: string) {
      const { plan } = await planForChange(user, planId, (p) => canReportProgress(user, p));
      refuseQuarterOutside(plan, quarter);
      const actions = (await repo.actionsOf([plan.id])).map((a) => a.action);
      const byRef = new Map(actions.map((a) => [a.ref, a]));
      const { rows, errors } = readProgressCsv(text, new Set(byRef.keys()));
      const changes = rows.map((row) => {
        const action = byRef.get(row.ref)!;
        return {
          ...row,
          actionId: action.id,
          title: action.title,
          fromStatus: action.status,
          fromProgress: actionProgress(action),
          toProgress: actionProgress({ status: row.status, progressOverride: row.progress }),
        };
      });
      const after = actions.map((a) => {
        const row = rows.find((r) => r.ref === a.ref);
        return row ? { ...a, status: row.status, progressOverride: row.progress } : a;
      });
      return {
        changes,
        errors: errors as ProgressRowError[],
        totalBefore: rollUp(actions),
        totalAfter: rollUp(after),
      };
    },

    /**
     * Applies a progress CSV only when it passes its dry run again, against the plan as it is now, in the
     * same transaction as the update: the whole file or nothing. A file that no longer passes (the plan
     * changed since the check, or the text was altered) is not imported: `imported: false` with the run.
     */
    async importCsv(user: CurrentUser, actor: Actor, planId: string, quarter: string, text: string) {
      return db.transaction(async () => {
        const run = await service.dryRunCsv(user, planId, quarter, text);
        if (run.errors.length > 0) return { imported: false as const, run };
        const update = await service.recordUpdate(user, actor, planId, {
          quarter,
          summary: null,
          source: 'csv',
          items: run.changes.map((c) => ({
            actionId: c.actionId,
            status: c.status,
            progress: c.progress,
            note: c.note,
          })),
        });
        return { imported: true as const, run, update };
      });
    },

    /** Moves a plan along draft → submitted → signed off → published (or back to draft with a reason). */
    async transition(
      user: CurrentUser,
      actor: Actor,
      planId: string,
      transition: PlanTransition,
      reason?: string,
    ) {
      return db.transaction(async () => {
        const { plan } = await loadPlan(user, planId);
        if (!mayTransition(user, plan, transition))
          throw new ForbiddenError('You cannot make this change to the plan');
        if (transition === 'submit' && (await repo.actionsOf([plan.id])).length === 0)
          throw new PlanRuleError('plan', 'plans.errors.noActions');
        const now = clock.now();
        const to: PlanStatus = nextStatus(transition);
        const values: Parameters<PlansRepository['updatePlan']>[1] = { status: to, updatedAt: now };
        if (transition === 'submit')
          Object.assign(values, { submittedAt: now, submittedBy: user.id, returnedReason: null });
        if (transition === 'sign_off') Object.assign(values, { signedOffAt: now, signedOffBy: user.id });
        if (transition === 'publish') values.publishedAt = now;
        if (transition === 'return')
          Object.assign(values, { returnedReason: reason ?? null, signedOffAt: null, signedOffBy: null });
        await repo.updatePlan(plan.id, values);
        await audit.record(actor, {
          action: `plan.${transition}`,
          entityType: 'action_plan',
          entityId: plan.id,
          details: { from: plan.status, to, reason: reason ?? null },
        });
        if (transition === 'publish') changed(plan.bodyId);
      });
    },

    async comment(
      user: CurrentUser,
      actor: Actor,
      planId: string,
      input: { body: string; actionId: string | null },
    ) {
      return db.transaction(async () => {
        const { plan } = await planForChange(user, planId, (p) => canComment(user, p));
        if (input.actionId) {
          const action = await repo.findAction(input.actionId);
          if (!action || action.planId !== plan.id) throw new NotFoundError('No such action');
        }
        const authorPart = isBodyStaff(user, plan.bodyId) ? 'body' : isPanel(user) ? 'panel' : 'admin';
        const row = await repo.insertComment({
          planId: plan.id,
          actionId: input.actionId,
          authorUserId: user.id,
          authorPart,
          body: input.body,
        });
        await audit.record(actor, {
          action: 'plan.commented',
          entityType: 'action_plan',
          entityId: plan.id,
          details: { commentId: row.id, actionId: input.actionId, authorPart },
        });
      });
    },

    /** The current quarter, as the update forms suggest it. */
    currentQuarter: () => quarterOf(today()),
  };
  return service;
}

export type PlansService = ReturnType<typeof createPlansService>;
