/**
 * The joint oversight panel (SPEC §4; issue 4, item 7): membership with terms and sides, declared conflicts,
 * the escalated queue, case packs, proposals decided by recorded votes or consensus with a quorum, the
 * published determination, the recommendation to the body and its reply, meetings with agenda, attendance,
 * minutes and actions, and the daily reminders about recommendations.
 *
 * Rules that matter here:
 * - Who sees a case: `cases.caseFor` (cases.policy `partsFor`), which asks `hasConflict`, so a conflicted
 *   member gets "not found" on every case page, pack, list entry, vote and agenda item.
 * - Who votes and decides: a `panel_member` inside a term today (panel.rules.ts `sideOn`), not conflicted.
 * - The case moves only through the transition table (`cases.transition`, with `viaPanel` for the decision
 *   and the reply), so the lifecycle stays in one place.
 * - Identity: the pack shows what cases.identity.ts's policy allows (and audits the read). The texts the
 *   body and the public will read are checked for the reporter's name, email, phone and organisation.
 */
import type { Actor, AuditLog } from '../../platform/audit/audit.ts';
import { hasAnyRole, hasRole, isAdmin, type CurrentUser } from '../../platform/auth/roles.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Database } from '../../platform/db/database.ts';
import type { Outbox } from '../../platform/email/outbox.ts';
import { ForbiddenError, HttpError, NotFoundError } from '../../platform/http/errors.ts';
import { formatDate, translator, type Params } from '../../platform/i18n/i18n.ts';
import { reminderDates } from '../../platform/calendar/clock.ts';
import { addCalendarDays, toUkIsoDate } from '../../platform/calendar/iso-date.ts';
import type { CaseClock } from '../cases/cases.clock.ts';
import type { CaseIdentity } from '../cases/cases.identity.ts';
import type { CaseActor } from '../cases/cases.lifecycle.ts';
import { isBodyStaff } from '../cases/cases.policy.ts';
import { intakePaths } from '../cases/cases.intake.paths.ts';
import type { CaseRow, CasesService } from '../cases/cases.service.ts';
import { caseReminders } from '../cases/cases.handling.tables.ts';
import type { PanelConflicts } from './panel.conflicts.ts';
import { identityLeaks } from '../register/register.rules.ts';
import { panelPaths } from './panel.paths.ts';
import { createPanelRepository, panelStates } from './panel.repository.ts';
import {
  defaultQuorum,
  inTerm,
  quorum,
  sideOn,
  tally,
  voteCarries,
  type QuorumResult,
  type QuorumRule,
} from './panel.rules.ts';
import type { ConflictInput, MeetingInput, ProposalInput, QueueFilters, TermInput } from './panel.schema.ts';
import type {
  PanelActionStatus,
  PanelAttendanceStatus,
  PanelDecisionMethod,
  PanelSide,
  PanelReplyPosition,
  PanelVoteChoice,
} from './panel.tables.ts';

export const QUEUE_PAGE_SIZE = 50;

/** The daily task's name (src/container.ts schedules it; `covenant jobs run-once` runs it by hand). */
export const PANEL_DAILY_TASK = 'panel-daily';

/** A rule a form broke that only the service can see. `field` is the form field the message belongs to. */
export class PanelInputError extends HttpError {
  override name = 'PanelInputError';
  readonly field: string;
  readonly params?: Params;
  constructor(field: string, messageKey: string, params?: Params) {
    super(422, messageKey, messageKey);
    this.field = field;
    this.params = params;
  }
}

/** Several organisations match the name typed: the person picks one (the form is shown again with them). */
export class ChooseOrganisationError extends PanelInputError {
  override name = 'ChooseOrganisationError';
  readonly choices: { id: string; name: string }[];
  constructor(choices: { id: string; name: string }[]) {
    super('organisationId', 'panel.errors.chooseOrganisation');
    this.choices = choices;
  }
}

export interface PanelServiceDeps {
  db: Database;
  audit: AuditLog;
  clock: Clock;
  outbox: Outbox;
  cases: CasesService;
  caseClock: CaseClock;
  identity: CaseIdentity;
  conflicts: PanelConflicts;
  baseUrl: string;
  /** Whether uploaded evidence is scanned (then only files scanned clean are linked). */
  scanEnabled: boolean;
  emailsQueued?: () => Promise<unknown>;
}

/** A time of day in the UK on a date, as an instant (handles GMT and BST). */
export function ukDateTime(date: string, time: string): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const [hh, mm] = time.split(':').map(Number) as [number, number];
  const guess = Date.UTC(y, m - 1, d, hh, mm);
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/London',
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
  }).formatToParts(new Date(guess));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const seenInLondon = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'));
  return new Date(guess - (seenInLondon - guess));
}

export function createPanelService(deps: PanelServiceDeps) {
  const { db, audit, clock, outbox, cases, identity, conflicts } = deps;
  const repo = createPanelRepository(db);
  const t = translator('en');
  const today = () => toUkIsoDate(clock.now());
  const link = (path: string) => `${deps.baseUrl.replace(/\/$/, '')}${path}`;

  // ---- Who may do what --------------------------------------------------------------------------------

  /** Panel pages are for panel members and the Covenant team (the route guard says so too). */
  function requireViewer(user: CurrentUser) {
    if (!hasAnyRole(user, ['panel_member', 'admin'])) throw new ForbiddenError('Panel members only');
  }

  function requireAdmin(user: CurrentUser) {
    if (!isAdmin(user)) throw new ForbiddenError('Administrators only');
  }

  async function rule(): Promise<QuorumRule> {
    const row = await repo.settings();
    return row ? { minimum: row.quorumMinimum, eachSide: row.quorumEachSide } : defaultQuorum;
  }

  /** The side the person sits on today, or null (no panel role, or outside every term). */
  async function sideToday(user: CurrentUser): Promise<PanelSide | null> {
    if (!hasRole(user, 'panel_member')) return null;
    return sideOn(await repo.terms([user.id]), today());
  }

  /** A voter: a panel member in a term today. Conflicts are checked by `panelCase`. */
  async function requireVoter(user: CurrentUser): Promise<PanelSide> {
    const side = await sideToday(user);
    if (!side) throw new PanelInputError('form', 'panel.errors.outsideTerm');
    return side;
  }

  /**
   * The case as the panel sees it: "not found" unless the person plays the panel's part (an unconflicted
   * member, after escalation) or the Covenant team's.
   */
  async function panelCase(user: CurrentUser, caseId: string) {
    const { row, parts } = await cases.caseFor(user, caseId);
    if (!row.escalatedAt || !(parts.includes('panel') || parts.includes('triage'))) throw new NotFoundError();
    return { row, parts };
  }

  /**
   * Proposing, voting and deciding are the panel's own: the Covenant team sees the case (403, not 404), anyone
   * else is told it does not exist.
   */
  function requirePanelPart(parts: readonly CaseActor[]) {
    if (parts.includes('panel')) return;
    if (parts.includes('triage')) throw new ForbiddenError('Only panel members propose, vote and decide');
    throw new NotFoundError();
  }

  /** The text must not carry the reporter's identity (checked against the escrow, as the policy allows). */
  async function assertAnonymous(
    actor: Actor,
    user: CurrentUser,
    row: CaseRow,
    texts: { field: string; value: string; always: boolean }[],
  ) {
    const view = await identity.readIdentity(actor, user, row.id);
    if (view.access !== 'full') return;
    for (const { field, value, always } of texts) {
      if (!always && row.confidentiality === 'public') continue;
      // The register's check (names as whole words and distinctive parts, email, phone however written,
      // organisation), so the panel and the register refuse the same texts.
      const found = identityLeaks(value, view.identity).length > 0;
      if (found) throw new PanelInputError(field, `panel.errors.identifies.${field}`);
    }
  }

  // ---- Emails -------------------------------------------------------------------------------------------

  /**
   * Emails every panel member in a term today, except those conflicted with `caseId` (they must not even
   * learn of it). No case details beyond the reference.
   */
  async function emailPanel(caseId: string | null, template: string, params: Record<string, string>) {
    const day = today();
    const terms = await repo.terms();
    const active = [
      ...new Set(terms.filter((r) => r.termStart <= day && day <= r.termEnd).map((r) => r.userId)),
    ];
    let recipients = active;
    if (caseId) {
      const kept: string[] = [];
      for (const userId of active)
        if (!(await conflicts.conflictedCaseIds(userId, [caseId])).has(caseId)) kept.push(userId);
      recipients = kept;
    }
    for (const r of await repo.userEmails(recipients)) await outbox.queue({ to: r.email, template, params });
  }

  // ---- Settings -----------------------------------------------------------------------------------------

  async function updateSettings(
    actor: Actor,
    user: CurrentUser,
    input: { quorumMinimum: number; quorumEachSide: 'yes' | 'no' },
  ) {
    requireAdmin(user);
    const values = { quorumMinimum: input.quorumMinimum, quorumEachSide: input.quorumEachSide === 'yes' };
    await db.transaction(async () => {
      await repo.saveSettings({ ...values, updatedBy: actor.userId });
      await audit.record(actor, {
        action: 'panel.settings.updated',
        entityType: 'panel_settings',
        entityId: '1',
        details: values,
      });
    });
  }

  // ---- Members and terms --------------------------------------------------------------------------------

  /** Members with their terms, current side and whether they may vote today. */
  async function members() {
    const day = today();
    const rows = await repo.terms();
    const byUser = new Map<
      string,
      { userId: string; name: string; email: string; terms: typeof rows; side: PanelSide | null }
    >();
    for (const r of rows) {
      const entry = byUser.get(r.userId) ?? {
        userId: r.userId,
        name: r.name,
        email: r.email,
        terms: [],
        side: null,
      };
      entry.terms.push(r);
      byUser.set(r.userId, entry);
    }
    return [...byUser.values()].map((m) => ({
      ...m,
      terms: m.terms.map((r) => ({ ...r, current: inTerm([r], day) })),
      side: sideOn(m.terms, day),
      current: inTerm(m.terms, day),
    }));
  }

  async function checkOverlap(userId: string, start: string, end: string, exceptTermId?: string) {
    const others = (await repo.terms([userId])).filter((r) => r.id !== exceptTermId);
    if (others.some((r) => r.termStart <= end && start <= r.termEnd))
      throw new PanelInputError('termStart', 'panel.errors.termOverlaps');
  }

  async function addTerm(actor: Actor, user: CurrentUser, input: TermInput) {
    requireAdmin(user);
    if (!(await repo.hasPanelRole(input.userId)))
      throw new PanelInputError('userId', 'panel.errors.notPanelRole');
    await checkOverlap(input.userId, input.termStart, input.termEnd);
    await db.transaction(async () => {
      const id = await repo.insertTerm({ ...input, createdBy: actor.userId });
      await audit.record(actor, {
        action: 'panel.term.added',
        entityType: 'panel_member',
        entityId: id,
        details: { ...input },
      });
    });
  }

  async function updateTerm(
    actor: Actor,
    user: CurrentUser,
    termId: string,
    input: { side: PanelSide; termStart: string; termEnd: string },
  ) {
    requireAdmin(user);
    const term = /^[0-9a-f-]{36}$/i.test(termId) ? await repo.term(termId) : null;
    if (!term) throw new NotFoundError();
    await checkOverlap(term.userId, input.termStart, input.termEnd, termId);
    await db.transaction(async () => {
      await repo.updateTerm(termId, { ...input, updatedAt: clock.now() });
      await audit.record(actor, {
        action: 'panel.term.updated',
        entityType: 'panel_member',
        entityId: termId,
        details: { from: { side: term.side, termStart: term.termStart, termEnd: term.termEnd }, to: input },
      });
    });
  }

  async function term(user: CurrentUser, termId: string) {
    requireAdmin(user);
    const row = /^[0-9a-f-]{36}$/i.test(termId) ? await repo.term(termId) : null;
    if (!row) throw new NotFoundError();
    const [person] = await repo.terms([row.userId]);
    return { ...row, name: person?.name ?? '' };
  }

  // ---- Conflicts ----------------------------------------------------------------------------------------

  /** The person's own declared conflicts; an administrator sees everyone's. */
  async function listConflicts(user: CurrentUser) {
    requireViewer(user);
    return repo.conflicts(isAdmin(user) ? undefined : user.id);
  }

  /**
   * Declares a conflict for the person (source `member`), or, for an administrator, records one for any
   * panel member (source `admin`). Throws {@link ChooseOrganisationError} when the name matches several.
   */
  async function declareConflict(actor: Actor, user: CurrentUser, input: ConflictInput) {
    requireViewer(user);
    const forUserId = input.userId ?? user.id;
    if (forUserId !== user.id && !isAdmin(user))
      throw new ForbiddenError('Only administrators record conflicts for others');
    if (!(await repo.hasPanelRole(forUserId)))
      throw new PanelInputError('userId', 'panel.errors.notPanelRole');
    let organisationId: string | null = null;
    let caseId: string | null = null;
    if (input.about === 'organisation') {
      if (input.organisationId) {
        const org = await repo.organisation(input.organisationId);
        if (!org) throw new PanelInputError('organisationQuery', 'panel.errors.organisationNotFound');
        organisationId = org.id;
      } else {
        const found = await repo.findOrganisations(input.organisationQuery ?? '');
        const exact = found.filter((o) => o.name.toLowerCase() === input.organisationQuery?.toLowerCase());
        const choices = exact.length === 1 ? exact : found;
        if (choices.length === 0)
          throw new PanelInputError('organisationQuery', 'panel.errors.organisationNotFound');
        if (choices.length > 1) throw new ChooseOrganisationError(choices);
        organisationId = choices[0]!.id;
      }
    } else {
      const row = await cases.loadByReference((input.caseReference ?? '').toUpperCase());
      if (!row) throw new PanelInputError('caseReference', 'panel.errors.caseNotFound');
      caseId = row.id;
    }
    const source = forUserId === user.id ? 'member' : 'admin';
    await db.transaction(async () => {
      const id = await repo.insertConflict({
        userId: forUserId,
        organisationId,
        caseId,
        reason: input.reason,
        source,
        declaredBy: actor.userId,
      });
      await audit.record(actor, {
        action: 'panel.conflict.declared',
        entityType: 'panel_conflict',
        entityId: id,
        details: { userId: forUserId, organisationId, caseId, source },
      });
    });
  }

  async function withdrawConflict(actor: Actor, user: CurrentUser, conflictId: string) {
    requireViewer(user);
    const row = /^[0-9a-f-]{36}$/i.test(conflictId) ? await repo.conflict(conflictId) : null;
    if (!row || (row.userId !== user.id && !isAdmin(user))) throw new NotFoundError();
    if (row.withdrawnAt) return;
    await db.transaction(async () => {
      await repo.withdrawConflict(conflictId, actor.userId, clock.now());
      await audit.record(actor, {
        action: 'panel.conflict.withdrawn',
        entityType: 'panel_conflict',
        entityId: conflictId,
        details: { userId: row.userId },
      });
    });
  }

  // ---- The queue and the figures ------------------------------------------------------------------------

  type RecommendationStatus = 'awaiting' | 'overdue' | 'replied' | 'none';

  function recommendationStatus(
    d: { recommendationDueOn: string; repliedAt: Date | null } | undefined,
  ): RecommendationStatus {
    if (!d) return 'none';
    if (d.repliedAt) return 'replied';
    return d.recommendationDueOn < today() ? 'overdue' : 'awaiting';
  }

  /** Drops the cases the person is conflicted with (administrators have no conflicts to declare). */
  async function visibleTo<T extends { id: string }>(user: CurrentUser, rows: T[]): Promise<T[]> {
    if (isAdmin(user)) return rows;
    const hidden = await conflicts.conflictedCaseIds(
      user.id,
      rows.map((r) => r.id),
    );
    return rows.filter((r) => !hidden.has(r.id));
  }

  /**
   * The escalated queue: cases escalated to the panel and not yet closed, filtered by state, body, text and
   * the recommendation's status, without the cases the person is conflicted with. Paged.
   */
  async function queue(user: CurrentUser, filters: QueueFilters & { page?: number }) {
    requireViewer(user);
    const states = filters.state && panelStates.includes(filters.state) ? [filters.state] : panelStates;
    const rows = await visibleTo(
      user,
      await repo.queueRows({
        states,
        bodyId: filters.body,
        text: filters.q,
        oldestFirst: filters.sort !== 'newest',
      }),
    );
    const decisions = await repo.decisionsFor(rows.map((r) => r.id));
    const adopted = new Map(decisions.filter((d) => d.status === 'adopted').map((d) => [d.caseId, d]));
    const proposed = new Set(decisions.filter((d) => d.status === 'proposed').map((d) => d.caseId));
    let listed = rows.map((r) => ({
      ...r,
      hasProposal: proposed.has(r.id),
      decision: adopted.get(r.id) ?? null,
      recommendation: recommendationStatus(adopted.get(r.id)),
    }));
    if (filters.recommendation) listed = listed.filter((r) => r.recommendation === filters.recommendation);
    const page = Math.max(1, filters.page ?? 1);
    return {
      rows: listed.slice((page - 1) * QUEUE_PAGE_SIZE, page * QUEUE_PAGE_SIZE),
      total: listed.length,
      page,
      pages: Math.max(1, Math.ceil(listed.length / QUEUE_PAGE_SIZE)),
      bodies: await repo.queueBodies(),
    };
  }

  /**
   * The current figures for an agenda: cases by state, cases overdue with their body (computed from the
   * clock, never stored), recommendations outstanding and overdue, proposals open.
   */
  async function figures(): Promise<Record<string, number>> {
    const result: Record<string, number> = {};
    for (const { state, n } of await repo.countsByState()) result[`state:${state}`] = n;
    const withBody = await repo.withBodyCases();
    const deadlines = await deps.caseClock.deadlinesFor(withBody as never, today());
    let overdue = 0;
    let longOverdue = 0;
    for (const d of deadlines.values()) {
      if (d.status === 'overdue') overdue += 1;
      if (d.status === 'long_overdue') longOverdue += 1;
    }
    result.overdueWithBody = overdue;
    result.longOverdueWithBody = longOverdue;
    const outstanding = await repo.outstandingRecommendations();
    result.recommendationsOutstanding = outstanding.length;
    result.recommendationsOverdue = outstanding.filter((r) => r.dueOn < today()).length;
    result.openProposals = await repo.countOpenProposals();
    return result;
  }

  // ---- The case: pack, proposal, votes, decision --------------------------------------------------------

  /**
   * Everything the panel reads about a case: the staff view (timeline, messages, evidence, commitments,
   * deadlines), the body's response, the reporter as the identity policy allows (the read is audited),
   * the proposals with their votes, the quorum so far, and what this person may do.
   */
  async function pack(actor: Actor, user: CurrentUser, caseId: string) {
    const { parts } = await panelCase(user, caseId);
    const view = await cases.staffView(user, caseId);
    const reporter = await identity.readIdentity(actor, user, caseId);
    const responses = view.timeline.filter((e) => e.action === 'respond');
    const history = await repo.caseDecisions(caseId);
    const proposal = history.find((h) => h.decision.status === 'proposed')?.decision ?? null;
    const decision = history.find((h) => h.decision.status === 'adopted')?.decision ?? null;
    const current = proposal ?? decision;
    const votes = current ? await repo.votes(current.id) : [];
    const side = await sideToday(user);
    const quorumNow = proposal ? await voteQuorum(proposal.id, caseId) : null;
    const evidence = view.attachments.map((f) => ({
      ...f,
      cleared: f.scanStatus === 'clean' || (!deps.scanEnabled && f.scanStatus === 'not_scanned'),
      href: intakePaths.attachment({ attachmentId: f.id }),
    }));
    return {
      ...view,
      evidence,
      responses,
      identity: reporter,
      history,
      proposal,
      decision,
      votes,
      myVote: votes.find((v) => v.userId === user.id) ?? null,
      quorum: quorumNow,
      rule: await rule(),
      panelParts: parts,
      canAct: parts.includes('panel') && side !== null,
      side,
      meetings: proposal ? await repo.meetingsHeldBy(clock.now()) : [],
      recommendationStatus: recommendationStatus(decision ?? undefined),
    };
  }

  /** The quorum of the votes cast on a proposal so far, leaving out voters now conflicted. */
  async function voteQuorum(
    decisionId: string,
    caseId: string,
  ): Promise<QuorumResult & { tally: ReturnType<typeof tally> }> {
    const votes = await countedVotes(decisionId, caseId);
    return { ...quorum(votes, await rule()), tally: tally(votes) };
  }

  async function countedVotes(decisionId: string, caseId: string) {
    const votes = await repo.votes(decisionId);
    const kept = [];
    for (const v of votes)
      if (!(await conflicts.conflictedCaseIds(v.userId, [caseId])).has(caseId)) kept.push(v);
    return kept;
  }

  /** The case text on the timeline when a decision is recorded: for the reporter and the body. */
  function decisionText(d: {
    outcome: string;
    reasons: string;
    recommendation: string;
    recommendationDueOn: string;
  }) {
    return t('panel.timeline.decision', {
      outcome: t(`panel.outcomes.${d.outcome}`),
      reasons: d.reasons,
      recommendation: d.recommendation,
      due: formatDate(d.recommendationDueOn, 'en'),
    });
  }

  async function startReview(actor: Actor, user: CurrentUser, caseId: string, expectedVersion: number) {
    await panelCase(user, caseId);
    await cases.transition(
      actor,
      user,
      caseId,
      'start_panel_review',
      { expectedVersion },
      { restrictTo: ['panel', 'triage'] },
    );
  }

  /**
   * Puts a proposed decision to the panel. An escalated case moves into panel review first (through the
   * transition table). One open proposal per case; the texts must not identify the reporter.
   */
  async function propose(actor: Actor, user: CurrentUser, caseId: string, input: ProposalInput) {
    const { row, parts } = await panelCase(user, caseId);
    requirePanelPart(parts);
    await requireVoter(user);
    if (row.state !== 'escalated' && row.state !== 'panel_review')
      throw new PanelInputError('outcome', 'panel.errors.notInReview');
    if (input.recommendationDueOn <= today())
      throw new PanelInputError('recommendationDueOn', 'panel.errors.dueInPast');
    await assertAnonymous(actor, user, row, [
      { field: 'determination', value: input.determination, always: true },
      { field: 'reasons', value: input.reasons, always: false },
      { field: 'recommendation', value: input.recommendation, always: false },
    ]);
    await db.transaction(async () => {
      if (await repo.openProposal(caseId)) throw new PanelInputError('outcome', 'panel.errors.proposalOpen');
      // One decision per case (panel_decisions_open_idx): a case decided once and later re-escalated keeps
      // that decision; refuse plainly rather than fail on the unique index.
      if (await repo.adoptedDecision(caseId))
        throw new PanelInputError('outcome', 'panel.errors.alreadyDecided');
      if (row.state === 'escalated')
        await cases.transition(
          actor,
          user,
          caseId,
          'start_panel_review',
          { expectedVersion: row.version },
          { restrictTo: ['panel'] },
        );
      const id = await repo.insertDecision({
        caseId,
        ...input,
        proposedBy: actor.userId,
        proposedAt: clock.now(),
      });
      await audit.record(actor, {
        action: 'panel.proposal.made',
        entityType: 'panel_decision',
        entityId: id,
        details: { caseId, outcome: input.outcome, due: input.recommendationDueOn },
      });
    });
  }

  async function withdrawProposal(actor: Actor, user: CurrentUser, caseId: string) {
    const { parts } = await panelCase(user, caseId);
    requirePanelPart(parts);
    await requireVoter(user);
    const proposal = await repo.openProposal(caseId);
    if (!proposal) throw new PanelInputError('form', 'panel.errors.noProposal');
    await db.transaction(async () => {
      if (
        !(await repo.closeProposal(proposal.id, {
          status: 'withdrawn',
          decidedAt: clock.now(),
          decidedBy: actor.userId,
        }))
      )
        throw new PanelInputError('form', 'panel.errors.noProposal');
      await audit.record(actor, {
        action: 'panel.proposal.withdrawn',
        entityType: 'panel_decision',
        entityId: proposal.id,
        details: { caseId },
      });
    });
  }

  /** Records (or changes) the person's vote on the open proposal, with a reason. */
  async function vote(
    actor: Actor,
    user: CurrentUser,
    caseId: string,
    input: { vote: PanelVoteChoice; reason: string },
  ) {
    const { parts } = await panelCase(user, caseId);
    requirePanelPart(parts);
    const side = await requireVoter(user);
    const proposal = await repo.openProposal(caseId);
    if (!proposal) throw new PanelInputError('vote', 'panel.errors.noProposal');
    await db.transaction(async () => {
      await repo.upsertVote({
        decisionId: proposal.id,
        userId: user.id,
        side,
        ...input,
        castAt: clock.now(),
      });
      await audit.record(actor, {
        action: 'panel.vote.cast',
        entityType: 'panel_decision',
        entityId: proposal.id,
        details: { caseId, vote: input.vote, side },
      });
    });
  }

  /**
   * Decides the open proposal. By vote: the votes cast (by members not now conflicted) must make a quorum,
   * and the proposal is adopted when more vote for than against, otherwise rejected. By consensus: the
   * members present at the chosen meeting (in a term on its day, not conflicted) must make a quorum. An
   * adopted proposal records the decision through the transition table and tells the body (its
   * recommendation and due date) and the reporter (through the relay).
   */
  async function decide(
    actor: Actor,
    user: CurrentUser,
    caseId: string,
    input: { expectedVersion: number; method: PanelDecisionMethod; meetingId?: string },
  ): Promise<'adopted' | 'rejected'> {
    const { row, parts } = await panelCase(user, caseId);
    requirePanelPart(parts);
    await requireVoter(user);
    if (row.state !== 'panel_review') throw new PanelInputError('method', 'panel.errors.notInReview');
    const proposal = await repo.openProposal(caseId);
    if (!proposal) throw new PanelInputError('method', 'panel.errors.noProposal');
    const quorumRule = await rule();
    let participants: { userId: string; side: PanelSide }[];
    let votes: ReturnType<typeof tally> | undefined;
    let meetingId: string | null = null;
    if (input.method === 'vote') {
      const counted = await countedVotes(proposal.id, caseId);
      participants = counted.map((v) => ({ userId: v.userId, side: v.side }));
      votes = tally(counted);
    } else {
      const meeting = await repo.meeting(input.meetingId ?? '');
      if (!meeting || meeting.status === 'cancelled' || meeting.startsAt > clock.now())
        throw new PanelInputError('meetingId', 'panel.errors.meetingNotHeld');
      meetingId = meeting.id;
      participants = await presentMembers(meeting.id, toUkIsoDate(meeting.startsAt), caseId);
    }
    const q = quorum(participants, quorumRule);
    if (!q.met)
      throw new PanelInputError(input.method === 'vote' ? 'method' : 'meetingId', 'panel.errors.noQuorum', {
        missing: q.missing.map((m) => t(`panel.quorum.missing.${m}`, { n: quorumRule.minimum })).join('; '),
      });
    const adopted = input.method === 'consensus' || voteCarries(votes!);
    const record = { participants, votes, minimum: quorumRule.minimum, eachSide: quorumRule.eachSide };
    const now = clock.now();
    await db.transaction(async () => {
      const closed = await repo.closeProposal(proposal.id, {
        status: adopted ? 'adopted' : 'rejected',
        method: input.method,
        meetingId,
        decidedAt: now,
        decidedBy: actor.userId,
        quorum: record,
      });
      if (!closed) throw new PanelInputError('method', 'panel.errors.noProposal');
      await audit.record(actor, {
        action: adopted ? 'panel.decision.adopted' : 'panel.proposal.rejected',
        entityType: 'panel_decision',
        entityId: proposal.id,
        details: { caseId, method: input.method, meetingId, outcome: proposal.outcome, ...record },
      });
      if (!adopted) return;
      const next = await cases.transition(
        actor,
        user,
        caseId,
        'record_decision',
        { expectedVersion: input.expectedVersion, text: decisionText(proposal) },
        { restrictTo: ['panel'], viaPanel: true, silent: true },
      );
      const due = formatDate(proposal.recommendationDueOn, 'en');
      // The body: the recommendation and its due date, on its recommendation page. Never the reporter.
      await cases.emailBody(next, 'panelRecommendationForBody', {
        due,
        link: link(panelPaths.recommendation({ caseId })),
      });
      // The reporter, through the relay (no address crosses): the outcome, on their own case page.
      await cases.emailReporter(actor, next, 'panelDecisionForReporter', {
        outcome: t(`panel.outcomes.${proposal.outcome}`),
      });
    });
    await deps.emailsQueued?.();
    return adopted ? 'adopted' : 'rejected';
  }

  /** Members present at a meeting who count for a case's quorum: in a term that day and not conflicted. */
  async function presentMembers(meetingId: string, day: string, caseId: string) {
    const present = (await repo.attendance(meetingId))
      .filter((a) => a.status === 'present')
      .map((a) => a.userId);
    const terms = await repo.terms(present);
    const result: { userId: string; side: PanelSide }[] = [];
    for (const userId of present) {
      const side = sideOn(
        terms.filter((r) => r.userId === userId),
        day,
      );
      if (!side) continue;
      if ((await conflicts.conflictedCaseIds(userId, [caseId])).has(caseId)) continue;
      result.push({ userId, side });
    }
    return result;
  }

  /** Closes a case after the body's reply (the transition table's `close`, with the outcome chosen). */
  async function close(
    actor: Actor,
    user: CurrentUser,
    caseId: string,
    input: {
      expectedVersion: number;
      outcome: 'resolved' | 'partly_resolved' | 'not_upheld' | 'referred_elsewhere';
      text?: string;
    },
  ) {
    await panelCase(user, caseId);
    await cases.transition(actor, user, caseId, 'close', input, { restrictTo: ['panel', 'triage'] });
  }

  /** A member declares a conflict with the case in front of them; from then on it is hidden from them. */
  async function declareCaseConflict(actor: Actor, user: CurrentUser, caseId: string, reason: string) {
    const { row } = await panelCase(user, caseId);
    // Only a panel member declares their own conflict here (the team records one on the conflicts page).
    if (!hasRole(user, 'panel_member')) throw new ForbiddenError('Only panel members declare conflicts');
    await declareConflict(actor, user, {
      about: 'case',
      caseReference: row.reference,
      reason,
    } as ConflictInput);
  }

  // ---- Recommendations and the body's reply -------------------------------------------------------------

  /** The adopted decision's recommendation on a case, for the staff case page (no identity in it). */
  async function recommendationSummary(caseId: string) {
    const d = await repo.adoptedDecision(caseId);
    if (!d) return null;
    return {
      outcome: d.outcome,
      recommendation: d.recommendation,
      dueOn: d.recommendationDueOn,
      repliedAt: d.repliedAt,
      replyPosition: d.replyPosition,
      status: recommendationStatus(d),
      href: panelPaths.recommendation({ caseId }),
    };
  }

  /**
   * The recommendation page: the body's staff (and the panel, the Covenant team) see the decision's
   * outcome, reasons, determination, recommendation and due date; the body replies while the case waits.
   */
  async function recommendationView(user: CurrentUser, caseId: string) {
    const { row, parts } = await cases.caseFor(user, caseId);
    const allowed: CaseActor[] = ['body', 'body_lead', 'panel', 'triage'];
    if (!parts.some((p) => allowed.includes(p))) throw new NotFoundError();
    const decision = await repo.adoptedDecision(caseId);
    if (!decision) throw new NotFoundError();
    const bodyName = (await cases.staffView(user, caseId)).bodyName;
    return {
      caseRow: row,
      bodyName,
      decision,
      status: recommendationStatus(decision),
      canReply: isBodyStaff(parts) && row.state === 'panel_decided' && !decision.repliedAt,
    };
  }

  /** The body's reply (accept, partly, reject, with text): moves the case on and tells the panel. */
  async function reply(
    actor: Actor,
    user: CurrentUser,
    caseId: string,
    input: { expectedVersion: number; position: PanelReplyPosition; text: string },
  ) {
    const { parts } = await cases.caseFor(user, caseId);
    if (!isBodyStaff(parts)) throw new NotFoundError();
    const decision = await repo.adoptedDecision(caseId);
    if (!decision) throw new NotFoundError();
    if (decision.repliedAt) throw new PanelInputError('position', 'panel.errors.alreadyReplied');
    await db.transaction(async () => {
      const next = await cases.transition(
        actor,
        user,
        caseId,
        'reply_to_recommendation',
        {
          expectedVersion: input.expectedVersion,
          text: t('panel.timeline.reply', {
            position: t(`panel.replyPositions.${input.position}`),
            text: input.text,
          }),
        },
        { restrictTo: ['body', 'body_lead'], viaPanel: true, silent: true },
      );
      if (
        !(await repo.recordReply(decision.id, {
          replyPosition: input.position,
          replyText: input.text,
          repliedAt: clock.now(),
          repliedBy: actor.userId,
        }))
      )
        throw new PanelInputError('position', 'panel.errors.alreadyReplied');
      await audit.record(actor, {
        action: 'panel.recommendation.replied',
        entityType: 'panel_decision',
        entityId: decision.id,
        details: { caseId, position: input.position },
      });
      await cases.emailReporter(actor, next, 'caseUpdated', { status: t(`cases.states.${next.state}`) });
      await emailPanel(caseId, 'panelReplyForPanel', {
        reference: next.reference,
        position: t(`panel.replyPositions.${input.position}`),
        link: link(panelPaths.case({ caseId })),
      });
    });
    await deps.emailsQueued?.();
  }

  /** Every recommendation with its status (awaiting, overdue, replied), without conflicted cases. */
  async function recommendations(user: CurrentUser, status?: RecommendationStatus) {
    requireViewer(user);
    const rows = (
      await visibleTo(
        user,
        (await repo.recommendations()).map((r) => ({ ...r, id: r.caseId })),
      )
    ).map((r) => ({
      ...r,
      status: recommendationStatus({ recommendationDueOn: r.dueOn, repliedAt: r.repliedAt }),
    }));
    return status ? rows.filter((r) => r.status === status) : rows;
  }

  // ---- Meetings -----------------------------------------------------------------------------------------

  async function meetings(user: CurrentUser) {
    requireViewer(user);
    const all = await repo.meetings();
    const now = clock.now();
    return {
      upcoming: all.filter((m) => m.startsAt >= now && m.status !== 'cancelled').reverse(),
      past: all.filter((m) => m.startsAt < now || m.status === 'cancelled'),
      actions: (await repo.actions({ open: true })).map((a) => ({ ...a, overdue: a.dueOn < today() })),
    };
  }

  /** Agenda items for the queue's cases not yet on the agenda, and for overdue recommendations. */
  async function agendaFromQueue(meetingId: string, existing: { caseId: string | null }[], startAt: number) {
    const onAgenda = new Set(existing.map((e) => e.caseId).filter(Boolean));
    const waiting = await repo.queueRows({ states: ['escalated', 'panel_review'], oldestFirst: true });
    const overdue = new Set(
      (await repo.outstandingRecommendations()).filter((r) => r.dueOn < today()).map((r) => r.caseId),
    );
    const overdueRows = overdue.size
      ? await repo.queueRows({ states: ['panel_decided'], oldestFirst: true })
      : [];
    const items = [
      ...waiting.map((c) => ({
        caseId: c.id,
        title: t('panel.agenda.caseItem', { reference: c.reference, title: c.title }),
      })),
      ...overdueRows
        .filter((c) => overdue.has(c.id))
        .map((c) => ({ caseId: c.id, title: t('panel.agenda.overdueItem', { reference: c.reference }) })),
    ].filter((i) => !onAgenda.has(i.caseId));
    return items.map((i, n) => ({ meetingId, position: startAt + n, ...i }));
  }

  /**
   * Schedules a meeting: the agenda is drawn from the queue (cases waiting for the panel, oldest first,
   * then overdue recommendations) after the standing items, and the current figures are kept with it.
   * Members in a term are told the date (no case details).
   */
  async function createMeeting(actor: Actor, user: CurrentUser, input: MeetingInput) {
    requireViewer(user);
    const startsAt = ukDateTime(input.date, input.time);
    const id = await db.transaction(async () => {
      const meetingId = await repo.insertMeeting({
        title: input.title,
        startsAt,
        location: input.location,
        figures: await figures(),
        createdBy: actor.userId,
      });
      const standing = [
        t('panel.agenda.apologies'),
        t('panel.agenda.lastMinutes'),
        t('panel.agenda.figures'),
      ].map((title, position) => ({ meetingId, position, title, caseId: null }));
      await repo.insertAgendaItems([...standing, ...(await agendaFromQueue(meetingId, [], standing.length))]);
      await audit.record(actor, {
        action: 'panel.meeting.scheduled',
        entityType: 'panel_meeting',
        entityId: meetingId,
        details: { startsAt: startsAt.toISOString() },
      });
      await emailPanel(null, 'panelMeetingScheduled', {
        title: input.title,
        when: formatDate(startsAt, 'en', true),
        location: input.location,
        link: link(panelPaths.meeting({ meetingId })),
      });
      return meetingId;
    });
    await deps.emailsQueued?.();
    return id;
  }

  async function requireMeeting(meetingId: string) {
    const meeting = await repo.meeting(meetingId);
    if (!meeting) throw new NotFoundError();
    return meeting;
  }

  /**
   * A meeting as the person may see it: agenda items about cases they are conflicted with are left out
   * (counted, not named); attendance lists the members in a term on the meeting's day.
   */
  async function meeting(user: CurrentUser, meetingId: string) {
    requireViewer(user);
    const row = await requireMeeting(meetingId);
    const day = toUkIsoDate(row.startsAt);
    const agenda = await repo.agenda(meetingId);
    const caseIds = agenda.map((a) => a.caseId).filter((c): c is string => Boolean(c));
    const hidden = isAdmin(user) ? new Set<string>() : await conflicts.conflictedCaseIds(user.id, caseIds);
    const visible = agenda.filter((a) => !a.caseId || !hidden.has(a.caseId));
    const attendance = new Map((await repo.attendance(meetingId)).map((a) => [a.userId, a.status]));
    const eligible = (await members()).filter((m) => inTerm(m.terms, day));
    return {
      meeting: row,
      agenda: visible,
      hiddenItems: agenda.length - visible.length,
      members: eligible.map((m) => ({
        ...m,
        side: sideOn(m.terms, day),
        attendance: attendance.get(m.userId) ?? null,
      })),
      actions: (await repo.actions({ meetingId })).map((a) => ({
        ...a,
        overdue: a.dueOn < today() && (a.status === 'open' || a.status === 'in_progress'),
      })),
      owners: await repo.actionOwners(),
      presentCount: [...attendance.values()].filter((s) => s === 'present').length,
    };
  }

  async function refreshAgenda(actor: Actor, user: CurrentUser, meetingId: string) {
    requireViewer(user);
    await requireMeeting(meetingId);
    await db.transaction(async () => {
      const existing = await repo.agenda(meetingId);
      const next = existing.reduce((max, a) => Math.max(max, a.position), -1) + 1;
      const items = await agendaFromQueue(meetingId, existing, next);
      await repo.insertAgendaItems(items);
      await repo.updateMeeting(meetingId, { figures: await figures() });
      await audit.record(actor, {
        action: 'panel.meeting.agenda_refreshed',
        entityType: 'panel_meeting',
        entityId: meetingId,
        details: { added: items.length },
      });
    });
  }

  async function addAgendaItem(actor: Actor, user: CurrentUser, meetingId: string, title: string) {
    requireViewer(user);
    await requireMeeting(meetingId);
    await db.transaction(async () => {
      const existing = await repo.agenda(meetingId);
      const position = existing.reduce((max, a) => Math.max(max, a.position), -1) + 1;
      await repo.insertAgendaItems([{ meetingId, position, title, caseId: null }]);
      await audit.record(actor, {
        action: 'panel.meeting.agenda_item_added',
        entityType: 'panel_meeting',
        entityId: meetingId,
      });
    });
  }

  async function removeAgendaItem(actor: Actor, user: CurrentUser, meetingId: string, itemId: string) {
    requireViewer(user);
    await requireMeeting(meetingId);
    const item = await repo.agendaItem(itemId);
    // A conflicted member cannot touch (or learn of) an item about the case.
    if (!item || item.meetingId !== meetingId) throw new NotFoundError();
    if (
      item.caseId &&
      !isAdmin(user) &&
      (await conflicts.conflictedCaseIds(user.id, [item.caseId])).has(item.caseId)
    )
      throw new NotFoundError();
    await db.transaction(async () => {
      await repo.deleteAgendaItem(meetingId, itemId);
      await audit.record(actor, {
        action: 'panel.meeting.agenda_item_removed',
        entityType: 'panel_meeting',
        entityId: meetingId,
        details: { itemId },
      });
    });
  }

  /** Records who attended; only members in a term on the meeting's day can be marked. */
  async function recordAttendance(
    actor: Actor,
    user: CurrentUser,
    meetingId: string,
    entries: { userId: string; status: PanelAttendanceStatus }[],
  ) {
    requireViewer(user);
    const row = await requireMeeting(meetingId);
    if (entries.length === 0) throw new PanelInputError('attendance', 'panel.errors.attendanceRequired');
    const day = toUkIsoDate(row.startsAt);
    const eligible = new Set((await members()).filter((m) => inTerm(m.terms, day)).map((m) => m.userId));
    const unknown = entries.find((e) => !eligible.has(e.userId));
    if (unknown) throw new PanelInputError('attendance', 'panel.errors.notMemberThatDay');
    await db.transaction(async () => {
      for (const e of entries) await repo.setAttendance(meetingId, e.userId, e.status);
      await audit.record(actor, {
        action: 'panel.meeting.attendance',
        entityType: 'panel_meeting',
        entityId: meetingId,
        details: { attendance: entries },
      });
    });
  }

  async function saveMinutes(
    actor: Actor,
    user: CurrentUser,
    meetingId: string,
    input: { status: 'scheduled' | 'held' | 'cancelled'; minutes?: string },
  ) {
    requireViewer(user);
    const row = await requireMeeting(meetingId);
    if (input.status === 'held' && row.startsAt > clock.now())
      throw new PanelInputError('status', 'panel.errors.notYetHeld');
    await db.transaction(async () => {
      await repo.updateMeeting(meetingId, {
        status: input.status,
        minutes: input.minutes ?? null,
        minutesUpdatedAt: clock.now(),
      });
      await audit.record(actor, {
        action: 'panel.meeting.minutes',
        entityType: 'panel_meeting',
        entityId: meetingId,
        details: { status: input.status, minutesLength: input.minutes?.length ?? 0 },
      });
    });
  }

  async function addAction(
    actor: Actor,
    user: CurrentUser,
    meetingId: string,
    input: { description: string; ownerUserId: string; dueOn: string },
  ) {
    requireViewer(user);
    const row = await requireMeeting(meetingId);
    const owner = (await repo.actionOwners()).find((o) => o.id === input.ownerUserId);
    if (!owner) throw new PanelInputError('ownerUserId', 'panel.errors.ownerRequired');
    await db.transaction(async () => {
      const id = await repo.insertAction({ meetingId, ...input, createdBy: actor.userId });
      await audit.record(actor, {
        action: 'panel.action.added',
        entityType: 'panel_action',
        entityId: id,
        details: { meetingId, ownerUserId: owner.id, dueOn: input.dueOn },
      });
      await outbox.queue({
        to: owner.email,
        template: 'panelActionAssigned',
        params: {
          meeting: row.title,
          action: input.description,
          due: formatDate(input.dueOn, 'en'),
          link: link(panelPaths.meeting({ meetingId })),
        },
      });
    });
    await deps.emailsQueued?.();
  }

  async function setActionStatus(
    actor: Actor,
    user: CurrentUser,
    actionId: string,
    status: PanelActionStatus,
  ) {
    requireViewer(user);
    const row = await repo.action(actionId);
    if (!row) throw new NotFoundError();
    await db.transaction(async () => {
      await repo.setActionStatus(actionId, status, clock.now());
      await audit.record(actor, {
        action: 'panel.action.status',
        entityType: 'panel_action',
        entityId: actionId,
        details: { from: row.status, to: status },
      });
    });
    return row.meetingId;
  }

  // ---- The daily task -----------------------------------------------------------------------------------

  const systemActor: Actor = { userId: null, requestId: 'system:panel-daily' };

  /**
   * Reminders about recommendations awaiting the body's reply: 5 and 1 working days before the due date
   * (on the case's nation's calendar), and once when overdue, to the body and (overdue only) to the panel.
   * Idempotent: each reminder is claimed in `case_reminders` first, in the same transaction as its emails.
   */
  async function runDaily(): Promise<{ reminders: number; overdue: number }> {
    const day = today();
    const result = { reminders: 0, overdue: 0 };
    for (const r of await repo.outstandingRecommendations()) {
      if (r.state !== 'panel_decided') continue;
      const row = await cases.loadCase(r.caseId);
      if (!row) continue;
      let kind: string | null = null;
      if (r.dueOn < day) kind = 'recommendation:overdue';
      else {
        const reached = reminderDates({
          due: r.dueOn,
          calendar: deps.caseClock.calendar,
          nation: row.clockNation,
        })
          .filter((d) => d.date <= day)
          .at(-1);
        if (reached) kind = `recommendation:${reached.workingDaysBefore}`;
      }
      if (!kind) continue;
      const claimed = kind;
      await db.transaction(async () => {
        const rows = await db
          .get()
          .insert(caseReminders)
          .values({ caseId: r.caseId, kind: claimed, dueOn: r.dueOn, sentAt: clock.now() })
          .onConflictDoNothing()
          .returning({ id: caseReminders.id });
        if (rows.length === 0) return;
        const params = {
          due: formatDate(r.dueOn, 'en'),
          link: link(panelPaths.recommendation({ caseId: r.caseId })),
        };
        if (claimed === 'recommendation:overdue') {
          await cases.emailBody(row, 'panelRecommendationOverdue', params);
          await emailPanel(r.caseId, 'panelRecommendationOverdueForPanel', {
            reference: row.reference,
            due: params.due,
            link: link(panelPaths.case({ caseId: r.caseId })),
          });
          result.overdue += 1;
        } else {
          await cases.emailBody(row, 'panelRecommendationReminder', params);
          result.reminders += 1;
        }
        await audit.record(systemActor, {
          action: 'panel.recommendation.reminded',
          entityType: 'case',
          entityId: r.caseId,
          details: { kind: claimed },
        });
      });
    }
    if (result.reminders + result.overdue > 0) await deps.emailsQueued?.();
    return result;
  }

  return {
    rule,
    updateSettings,
    members,
    memberCandidates: () => repo.panelRoleHolders(),
    addTerm,
    updateTerm,
    term,
    listConflicts,
    declareConflict,
    withdrawConflict,
    queue,
    figures,
    pack,
    startReview,
    propose,
    withdrawProposal,
    vote,
    decide,
    close,
    declareCaseConflict,
    recommendationSummary,
    recommendationView,
    reply,
    recommendations,
    meetings,
    createMeeting,
    meeting,
    refreshAgenda,
    addAgendaItem,
    removeAgendaItem,
    recordAttendance,
    saveMinutes,
    addAction,
    setActionStatus,
    runDaily,
    /** Due dates in the past are refused; this is the earliest allowed (tomorrow), for form hints. */
    earliestDueOn: () => addCalendarDays(today(), 1),
  };
}

export type PanelService = ReturnType<typeof createPanelService>;
