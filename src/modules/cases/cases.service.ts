/**
 * Case handling (SPEC §3, issue 4 items 5, 6 and 9): every transition except triage and intake, the body
 * inbox and the staff case page, the reporter's side, assignment, relayed messages, internal notes, response
 * templates and the presenters each audience sees.
 *
 * Identity rules (SPEC §3 "Confidentiality"): nothing here reads `case_identities`; the escrow
 * (cases.identity.ts) is asked, and only for a PUBLIC case's organisation name (`reporterLabel`). Emails to the body carry the reference and the status only; emails to the reporter
 * carry no staff name or address. The reporter's address is read through the one audited function
 * `ReporterDirectory.contactForRelay`.
 */
import { and, asc, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Actor, AuditLog } from '../../platform/audit/audit.ts';
import { isAdmin, organisationsWithRole, type CurrentUser } from '../../platform/auth/roles.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Database } from '../../platform/db/database.ts';
import type { Outbox } from '../../platform/email/outbox.ts';
import { translator } from '../../platform/i18n/i18n.ts';
import { ConflictError, HttpError, NotFoundError } from '../../platform/http/errors.ts';
import { addCalendarDays, toUkIsoDate } from '../../platform/calendar/iso-date.ts';
import { users, memberships } from '../accounts/accounts.tables.ts';
import { organisations } from '../directory/directory.tables.ts';
import { covenantCommitments } from '../covenant/covenant.tables.ts';
import {
  applyTransition,
  availableActions,
  findTransition,
  type CaseAction,
  type CaseActor,
  type CaseState,
  type OutcomeCode,
  type Transition,
} from './cases.lifecycle.ts';
import {
  caseAttachments,
  caseClockEvents,
  caseCommitments,
  caseEvents,
  caseMessages,
  caseNotes,
  cases,
} from './cases.tables.ts';
import { responseTemplates } from './cases.handling.tables.ts';
import type { CaseIdentity } from './cases.identity.ts';
import { evidenceCleared, staffFileName } from './cases.uploads.ts';
import type { CaseClock, CaseDeadlines } from './cases.clock.ts';
import { createInboxRepository, textSearchUses, type InboxQuery } from './cases.inbox.repository.ts';
import {
  canMessageReporter,
  canView,
  canViewAsStaff,
  canUseBody,
  canManageBody,
  isBodyStaff,
  partsFor,
  type PartsContext,
} from './cases.policy.ts';
import { casePaths } from './cases.paths.ts';
import type { InboxFilters, TransitionInput } from './cases.schema.ts';

/**
 * Transitions owned by the triage and routing pages (cases.intake.*, cases.routing.ts). The reporter's
 * answer to a request for information (`provide_information`) is not among them: it is the reporter's
 * action on /my-cases, taken through {@link transition} like their other actions, and sends the case back
 * to the triage queue (needs_information → submitted; no body's clock runs before triage accepts).
 */
export const triageActions: readonly CaseAction[] = [
  'accept',
  'request_information',
  'reject_out_of_scope',
  'mark_duplicate',
  'reroute',
];

/**
 * Transitions owned by the panel module (src/modules/panel): a decision needs a quorate vote or consensus and
 * records a determination and recommendation; the body's reply records its position. The generic case page
 * offers neither, and `transition` refuses them unless the panel service asks (`viaPanel`).
 */
export const panelActions: readonly CaseAction[] = ['record_decision', 'reply_to_recommendation'];

/** How long after a resolution the reporter may reopen it themselves (cases.lifecycle.ts "reopen window"). */
export const REPORTER_REOPEN_DAYS = 28;
/** The question "was it resolved?" is asked this many days after a case ends (issue 4, item 9). */
export const RESOLVED_QUESTION_AFTER_DAYS = 28;

export const INBOX_PAGE_SIZE = 25;
/** The inbox counts matching cases up to this many, then says "more than" (an exact count costs too much). */
export const INBOX_COUNT_CAP = 1000;

/** Two people acted on one case at once and this one lost: the page shows the current state and keeps the text. */
export class CaseConflictError extends ConflictError {
  override name = 'CaseConflictError';
  readonly currentState: CaseState;
  readonly currentVersion: number;
  constructor(state: CaseState, version: number) {
    super('Someone else changed this case while you were working on it');
    this.currentState = state;
    this.currentVersion = version;
  }
}

/** A rule a form broke that only the service can see (e.g. a reason is needed for this action). */
export class CaseInputError extends HttpError {
  override name = 'CaseInputError';
  readonly field: string;
  constructor(field: string, messageKey: string) {
    super(422, messageKey, messageKey);
    this.field = field;
  }
}

/**
 * Who reported, behind one door: an adapter over the escrow (cases.identity.ts), so this service never
 * touches `case_identities` itself.
 */
export interface ReporterDirectory {
  isReporter(userId: string, caseId: string): Promise<boolean>;
  caseIdsForReporter(userId: string): Promise<string[]>;
  /** The reporter's address, to relay an email. Audited; never shown to anyone. */
  contactForRelay(actor: Actor, caseId: string, purpose: string): Promise<{ email: string } | null>;
  /** The reporting organisation's name, as the escrow lets `user` see it (public cases only), else null. */
  publicOrganisationName(actor: Actor, user: CurrentUser, caseId: string): Promise<string | null>;
}

export function reporterDirectoryFrom(identity: CaseIdentity, audit: AuditLog): ReporterDirectory {
  return {
    isReporter: (userId, caseId) => identity.isReporter(userId, caseId),
    caseIdsForReporter: (userId) => identity.caseIdsForReporter(userId),
    async contactForRelay(actor, caseId, purpose) {
      const email = (await identity.reporterEmails([caseId])).get(caseId);
      await audit.record(actor, {
        action: 'case.reporter_emailed',
        entityType: 'case',
        entityId: caseId,
        details: { purpose },
      });
      return email ? { email } : null;
    },
    async publicOrganisationName(actor, user, caseId) {
      const view = await identity.readIdentity(actor, user, caseId);
      if (view.access === 'organisation') return view.organisationName;
      if (view.access === 'full') return view.identity.organisationName;
      return null;
    },
  };
}

export interface CasesServiceDeps {
  db: Database;
  audit: AuditLog;
  clock: Clock;
  outbox: Outbox;
  caseClock: CaseClock;
  reporters: ReporterDirectory;
  baseUrl: string;
  emailsQueued?: () => Promise<unknown>;
  /** Panel conflicts of interest (the panel module's `hasConflict`). */
  hasConflict?: (userId: string, caseId: string) => Promise<boolean>;
  /** A malware-scan command is configured: evidence opens only once scanned clean (cases.uploads.ts). */
  scanningOn?: boolean;
  /** The panel's recommendation on a case, for the staff case page (the panel module supplies it). */
  recommendationFor?: (caseId: string) => Promise<unknown>;
}

/** Columns of `cases` that any audience may see: never anything from the identity escrow. */
const caseColumns = {
  id: cases.id,
  reference: cases.reference,
  kind: cases.kind,
  state: cases.state,
  outcome: cases.outcome,
  confidentiality: cases.confidentiality,
  bodyId: cases.bodyId,
  category: cases.category,
  clockNation: cases.clockNation,
  title: cases.title,
  whatHappened: cases.whatHappened,
  happenedOn: cases.happenedOn,
  impact: cases.impact,
  outcomeWanted: cases.outcomeWanted,
  intermediaryOrganisationId: cases.intermediaryOrganisationId,
  assigneeUserId: cases.assigneeUserId,
  submittedAt: cases.submittedAt,
  acknowledgedAt: cases.acknowledgedAt,
  respondedAt: cases.respondedAt,
  escalatedAt: cases.escalatedAt,
  closedAt: cases.closedAt,
  version: cases.version,
  reporterSaysResolved: cases.reporterSaysResolved,
  acknowledgeWithinDays: cases.acknowledgeWithinDays,
  respondWithinDays: cases.respondWithinDays,
};
export type CaseRow = Pick<typeof cases.$inferSelect, keyof typeof caseColumns>;

export type Audience = 'staff' | 'reporter';

/** What a transition needs beyond the action: the version the person saw, and the form's fields. */
export type TransitionRequest = Pick<TransitionInput, 'expectedVersion'> &
  Partial<Pick<TransitionInput, 'text' | 'outcome' | 'commitmentIds' | 'position'>>;

export function createCasesService(deps: CasesServiceDeps) {
  const { db, audit, clock, outbox, caseClock, reporters } = deps;
  const context: PartsContext = { isReporter: reporters.isReporter, hasConflict: deps.hasConflict };
  const link = (path: string) => `${deps.baseUrl.replace(/\/$/, '')}${path}`;
  const today = () => toUkIsoDate(clock.now());
  const inboxRepo = createInboxRepository(db);

  async function loadCase(caseId: string): Promise<CaseRow | undefined> {
    if (!/^[0-9a-f-]{36}$/i.test(caseId)) return undefined;
    const [row] = await db.get().select(caseColumns).from(cases).where(eq(cases.id, caseId));
    return row as CaseRow | undefined;
  }

  async function loadByReference(reference: string): Promise<CaseRow | undefined> {
    const [row] = await db.get().select(caseColumns).from(cases).where(eq(cases.reference, reference));
    return row as CaseRow | undefined;
  }

  /** The case and the person's parts in it; "not found" for anyone without a part (no existence leak). */
  async function caseFor(user: CurrentUser, caseId: string) {
    const row = await loadCase(caseId);
    if (!row) throw new NotFoundError();
    const parts = await partsFor(user, row, context);
    if (!canView(parts)) throw new NotFoundError();
    return { row, parts };
  }

  async function bodyName(bodyId: string | null): Promise<string | null> {
    if (!bodyId) return null;
    const [row] = await db
      .get()
      .select({ name: organisations.name })
      .from(organisations)
      .where(eq(organisations.id, bodyId));
    return row?.name ?? null;
  }

  /**
   * How staff see who reported: the organisation for a public case, the intermediary for an intermediary
   * case, otherwise a label. Never a person's name or address.
   */
  async function reporterLabel(user: CurrentUser, row: CaseRow): Promise<{ key: string; name?: string }> {
    if (row.confidentiality === 'public') {
      // A public case's read is not audited by the escrow, so no request actor is needed here.
      const name = await reporters.publicOrganisationName(
        { userId: null, requestId: 'reporter-label' },
        user,
        row.id,
      );
      return name ? { key: 'cases.reporter.organisation', name } : { key: 'cases.reporter.theReporter' };
    }
    if (row.confidentiality === 'intermediary' && row.intermediaryOrganisationId) {
      const name = await bodyName(row.intermediaryOrganisationId);
      if (name) return { key: 'cases.reporter.intermediary', name };
    }
    if (row.confidentiality === 'withheld') return { key: 'cases.reporter.withheld' };
    return { key: 'cases.reporter.theReporter' };
  }

  async function bodyRecipients(row: CaseRow): Promise<string[]> {
    if (!row.bodyId) return [];
    // The assignee and the body's leads; when nobody is assigned, every officer of the body.
    const staff = await db
      .get()
      .select({ id: users.id, email: users.email, role: memberships.role })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(
        and(
          eq(memberships.organisationId, row.bodyId),
          inArray(memberships.role, ['body_officer', 'body_lead']),
          isNull(users.disabledAt),
        ),
      );
    const chosen = staff.filter(
      (s) => s.role === 'body_lead' || (row.assigneeUserId ? s.id === row.assigneeUserId : true),
    );
    return [...new Set(chosen.map((s) => s.email))];
  }

  async function emailBody(row: CaseRow, template: string, params: Record<string, string> = {}) {
    for (const to of await bodyRecipients(row)) {
      await outbox.queue({
        to,
        template,
        params: { reference: row.reference, link: link(casePaths.show({ caseId: row.id })), ...params },
      });
    }
  }

  async function emailReporter(
    actor: Actor,
    row: CaseRow,
    template: string,
    params: Record<string, string> = {},
    path = casePaths.myCase({ caseId: row.id }),
  ) {
    const contact = await reporters.contactForRelay(actor, row.id, template);
    if (!contact) return;
    await outbox.queue({
      to: contact.email,
      template,
      params: { reference: row.reference, link: link(path), ...params },
    });
  }

  /** Reads the current clock state (running or paused) from the events since the last start. */
  async function clockPaused(caseId: string): Promise<boolean> {
    const rows = await db
      .get()
      .select({ type: caseClockEvents.type })
      .from(caseClockEvents)
      .where(eq(caseClockEvents.caseId, caseId))
      .orderBy(desc(caseClockEvents.id))
      .limit(1);
    return rows[0]?.type === 'paused';
  }

  async function deadlinesOf(row: CaseRow): Promise<CaseDeadlines> {
    const map = await caseClock.deadlinesFor([row], today());
    return map.get(row.id)!;
  }

  /** Which part the person acts in for this transition: the first of the transition's parts they hold. */
  const actingPart = (t: Transition, parts: readonly CaseActor[]) => t.by.find((p) => parts.includes(p))!;

  /** What the other side is told, per action. Keys under `emails.*`. */
  const notify: Partial<Record<CaseAction, { reporter?: string; body?: string }>> = {
    acknowledge: { reporter: 'caseAcknowledged' },
    pause_clock: { reporter: 'caseUpdated' },
    resume_clock: { reporter: 'caseUpdated' },
    respond: { reporter: 'caseResponded' },
    confirm_resolved: { body: 'caseUpdatedForBody' },
    escalate: { reporter: 'caseEscalated', body: 'caseEscalatedForBody' },
    start_panel_review: { reporter: 'caseUpdated', body: 'caseUpdatedForBody' },
    record_decision: { reporter: 'caseUpdated', body: 'caseDecisionForBody' },
    reply_to_recommendation: { reporter: 'caseUpdated' },
    close: { reporter: 'caseClosed', body: 'caseUpdatedForBody' },
    withdraw: { body: 'caseUpdatedForBody' },
    reopen: { reporter: 'caseUpdated', body: 'caseReopenedForBody' },
  };

  /**
   * Moves a case by one transition of the lifecycle table. Checks the person's parts, the table, the
   * required text and the version they saw (optimistic concurrency: a stale version is refused with
   * {@link CaseConflictError}); writes the case, its timeline event, clock event, audit row and the other
   * side's emails in one transaction.
   */
  async function transition(
    actor: Actor,
    user: CurrentUser | null,
    caseId: string,
    action: CaseAction,
    input: TransitionRequest,
    options: {
      /** Parts given by a trusted caller (the API token's body; the daily job's `system`). */
      parts?: CaseActor[];
      /** Act only in these parts (the reporter's pages act as the reporter, staff pages as staff). */
      restrictTo?: readonly CaseActor[];
      apiTokenId?: string;
      /** The panel service is asking (panelActions are refused otherwise). */
      viaPanel?: boolean;
      /** Send no emails to the other side: the caller sends its own (the panel's decision and reply). */
      silent?: boolean;
    } = {},
  ) {
    const row = await loadCase(caseId);
    if (!row) throw new NotFoundError();
    let parts = options.parts ?? (user ? await partsFor(user, row, context) : []);
    if (options.restrictTo) parts = parts.filter((p) => options.restrictTo!.includes(p));
    if (!canView(parts)) throw new NotFoundError();
    if (triageActions.includes(action)) throw new CaseInputError('action', 'cases.errors.triageOnly');
    if (panelActions.includes(action) && !options.viaPanel)
      throw new CaseInputError('action', 'cases.errors.panelOnly');
    const found = findTransition(row.state, action, parts);
    if (!found) {
      // Stale page: the case moved on since it was loaded; say so rather than "not allowed".
      if (input.expectedVersion !== row.version) throw new CaseConflictError(row.state, row.version);
      throw new CaseInputError('action', 'cases.errors.invalidTransition');
    }
    const text = input.text?.trim() || null;
    if (found.needsText && !text) throw new CaseInputError('text', `cases.errors.textRequired.${action}`);
    if (found.choosesOutcome && !input.outcome)
      throw new CaseInputError('outcome', 'cases.errors.outcomeRequired');
    const { to, outcome } = applyTransition(
      row.state,
      action,
      parts,
      input.outcome as OutcomeCode | undefined,
    );
    const part = actingPart(found, parts);
    if (action === 'reopen' && part === 'reporter' && !parts.includes('triage')) {
      const closed = row.closedAt ? toUkIsoDate(row.closedAt) : today();
      if (addCalendarDays(closed, REPORTER_REOPEN_DAYS) < today())
        throw new CaseInputError('text', 'cases.errors.reopenWindow');
    }
    const now = clock.now();
    const result = await db.transaction(async () => {
      if (action === 'pause_clock' && (await clockPaused(row.id)))
        throw new CaseInputError('text', 'cases.errors.alreadyPaused');
      if (action === 'resume_clock' && !(await clockPaused(row.id)))
        throw new CaseInputError('action', 'cases.errors.notPaused');
      const ends = to === 'closed' || to === 'resolved';
      const [updated] = await db
        .get()
        .update(cases)
        .set({
          state: to,
          ...(outcome ? { outcome } : {}),
          ...(to === 'with_body' && action === 'reopen'
            ? { outcome: null, closedAt: null, reporterSaysResolved: null }
            : {}),
          ...(action === 'acknowledge' ? { acknowledgedAt: now } : {}),
          ...(action === 'respond'
            ? { respondedAt: now, ...(row.acknowledgedAt ? {} : { acknowledgedAt: now }) }
            : {}),
          ...(action === 'escalate' ? { escalatedAt: now } : {}),
          ...(ends ? { closedAt: now } : {}),
          version: sql`${cases.version} + 1`,
        })
        .where(and(eq(cases.id, row.id), eq(cases.version, input.expectedVersion)))
        .returning(caseColumns);
      if (!updated) {
        const current = (await loadCase(row.id))!;
        throw new CaseConflictError(current.state, current.version);
      }
      const details: Record<string, unknown> = {};
      if (outcome) details.outcome = outcome;
      if (input.position) details.position = input.position;
      if (input.commitmentIds?.length) details.commitmentIds = input.commitmentIds;
      if (options.apiTokenId) details.apiTokenId = options.apiTokenId;
      await db.get().insert(caseEvents).values({
        caseId: row.id,
        at: now,
        actorUserId: actor.userId,
        actorPart: part,
        action,
        fromState: row.state,
        toState: to,
        text,
        details,
        visibleTo: 'parties',
      });
      const clockEvent =
        action === 'pause_clock'
          ? 'paused'
          : action === 'resume_clock'
            ? 'resumed'
            : action === 'reopen'
              ? 'started'
              : null;
      if (clockEvent) {
        await db
          .get()
          .insert(caseClockEvents)
          .values({
            caseId: row.id,
            type: clockEvent,
            on: toUkIsoDate(now),
            reason: text,
            actorUserId: actor.userId,
          });
      }
      // The stored due dates move with the case (acknowledged, paused, resumed, responded, reopened).
      await caseClock.settle([row.id]);
      await audit.record(actor, {
        action: `case.${action}`,
        entityType: 'case',
        entityId: row.id,
        details: { from: row.state, to, part, ...(outcome ? { outcome } : {}) },
      });
      const mail = notify[action];
      const next = updated as CaseRow;
      const status = translator('en')(`cases.states.${to}`);
      if (options.silent) return next;
      if (mail?.reporter && part !== 'reporter') await emailReporter(actor, next, mail.reporter, { status });
      if (mail?.body && part !== 'body' && part !== 'body_lead') await emailBody(next, mail.body, { status });
      return next;
    });
    await deps.emailsQueued?.();
    return result;
  }

  /** Assigns the case to an officer or lead of its body (or nobody). Body staff and admins only. */
  async function assign(
    actor: Actor,
    user: CurrentUser,
    caseId: string,
    input: { assigneeUserId: string | null; expectedVersion: number },
  ) {
    const { row, parts } = await caseFor(user, caseId);
    if (!isBodyStaff(parts) && !parts.includes('triage')) throw new NotFoundError();
    if (input.assigneeUserId) {
      const options = await assigneeOptions(row.bodyId);
      if (!options.some((o) => o.id === input.assigneeUserId))
        throw new CaseInputError('assigneeUserId', 'cases.errors.assigneeNotOfBody');
    }
    await db.transaction(async () => {
      const [updated] = await db
        .get()
        .update(cases)
        .set({ assigneeUserId: input.assigneeUserId, version: sql`${cases.version} + 1` })
        .where(and(eq(cases.id, row.id), eq(cases.version, input.expectedVersion)))
        .returning({ id: cases.id });
      if (!updated) {
        const current = (await loadCase(row.id))!;
        throw new CaseConflictError(current.state, current.version);
      }
      await db
        .get()
        .insert(caseEvents)
        .values({
          caseId: row.id,
          at: clock.now(),
          actorUserId: actor.userId,
          actorPart: parts.includes('body_lead') ? 'body_lead' : parts.includes('body') ? 'body' : 'triage',
          action: 'assign',
          details: { assigneeUserId: input.assigneeUserId },
          visibleTo: 'staff',
        });
      await audit.record(actor, {
        action: 'case.assign',
        entityType: 'case',
        entityId: row.id,
        details: { assigneeUserId: input.assigneeUserId },
      });
    });
  }

  async function assigneeOptions(bodyId: string | null) {
    if (!bodyId) return [];
    const rows = await db
      .get()
      .selectDistinct({ id: users.id, displayName: users.displayName })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(
        and(
          eq(memberships.organisationId, bodyId),
          inArray(memberships.role, ['body_officer', 'body_lead']),
          isNull(users.disabledAt),
        ),
      )
      .orderBy(asc(users.displayName));
    return rows;
  }

  /** A message in the relayed thread. The other side gets an email with a link, never an address. */
  async function sendMessage(
    actor: Actor,
    user: CurrentUser,
    caseId: string,
    side: 'staff' | 'reporter',
    message: string,
  ) {
    const { row, parts } = await caseFor(user, caseId);
    if (side === 'reporter' && !parts.includes('reporter')) throw new NotFoundError();
    if (side === 'staff' && !canMessageReporter(parts)) throw new NotFoundError();
    const fromSide = side === 'reporter' ? 'reporter' : isBodyStaff(parts) ? 'body' : 'triage';
    await db.transaction(async () => {
      await db
        .get()
        .insert(caseMessages)
        .values({ caseId: row.id, fromSide, authorUserId: actor.userId, body: message });
      await audit.record(actor, {
        action: 'case.message',
        entityType: 'case',
        entityId: row.id,
        details: { fromSide },
      });
      if (fromSide === 'reporter') await emailBody(row, 'caseMessageForBody');
      else await emailReporter(actor, row, 'caseMessageForReporter');
    });
    await deps.emailsQueued?.();
  }

  /** An internal note: seen by the body's own staff (or, for the Covenant team's notes, by the team). */
  async function addNote(actor: Actor, user: CurrentUser, caseId: string, note: string) {
    const { row, parts } = await caseFor(user, caseId);
    const side = isBodyStaff(parts) ? 'body' : parts.includes('triage') ? 'triage' : null;
    if (!side) throw new NotFoundError();
    await db.transaction(async () => {
      await db
        .get()
        .insert(caseNotes)
        .values({
          caseId: row.id,
          side,
          organisationId: side === 'body' ? row.bodyId : null,
          authorUserId: actor.userId,
          body: note,
        });
      await audit.record(actor, {
        action: 'case.note',
        entityType: 'case',
        entityId: row.id,
        details: { side },
      });
    });
  }

  async function commitmentsOf(caseId: string) {
    return db
      .get()
      .select({ id: covenantCommitments.id, code: covenantCommitments.code, text: covenantCommitments.text })
      .from(caseCommitments)
      .innerJoin(covenantCommitments, eq(covenantCommitments.id, caseCommitments.commitmentId))
      .where(eq(caseCommitments.caseId, caseId))
      .orderBy(asc(covenantCommitments.code));
  }

  async function timelineOf(caseId: string, audience: Audience) {
    const visible = audience === 'staff' ? ['everyone', 'parties', 'staff'] : ['everyone', 'parties'];
    return db
      .get()
      .select({
        at: caseEvents.at,
        actorPart: caseEvents.actorPart,
        action: caseEvents.action,
        fromState: caseEvents.fromState,
        toState: caseEvents.toState,
        text: caseEvents.text,
        details: caseEvents.details,
      })
      .from(caseEvents)
      .where(
        and(
          eq(caseEvents.caseId, caseId),
          inArray(caseEvents.visibleTo, visible as ('everyone' | 'parties' | 'staff')[]),
        ),
      )
      .orderBy(desc(caseEvents.at), desc(caseEvents.id));
  }

  async function messagesOf(caseId: string) {
    return db
      .get()
      .select({ fromSide: caseMessages.fromSide, body: caseMessages.body, createdAt: caseMessages.createdAt })
      .from(caseMessages)
      .where(eq(caseMessages.caseId, caseId))
      .orderBy(asc(caseMessages.createdAt));
  }

  /** Actions this person may take here, excluding triage's own (those live on the triage pages). */
  const actionsFor = (row: CaseRow, parts: readonly CaseActor[], audience: Audience) =>
    availableActions(
      row.state,
      parts.filter((p) => (audience === 'reporter' ? p === 'reporter' : p !== 'reporter')),
    ).filter((t) => !triageActions.includes(t.action) && !panelActions.includes(t.action));

  /**
   * Everything the staff case page shows, for a person with a staff part: no identity beyond the label,
   * notes only for their own side.
   */
  async function staffView(user: CurrentUser, caseId: string) {
    const { row, parts } = await caseFor(user, caseId);
    if (!canViewAsStaff(parts)) throw new NotFoundError();
    const bodyStaff = isBodyStaff(parts);
    const noteSides = [
      ...(bodyStaff ? (['body'] as const) : []),
      ...(parts.includes('triage') ? (['triage'] as const) : []),
    ];
    const [
      commitments,
      timeline,
      messages,
      notes,
      attachments,
      deadlines,
      reporter,
      body,
      assignees,
      templates,
    ] = await Promise.all([
      commitmentsOf(row.id),
      timelineOf(row.id, 'staff'),
      messagesOf(row.id),
      noteSides.length
        ? db
            .get()
            .select({
              side: caseNotes.side,
              body: caseNotes.body,
              createdAt: caseNotes.createdAt,
              author: users.displayName,
            })
            .from(caseNotes)
            .leftJoin(users, eq(users.id, caseNotes.authorUserId))
            .where(and(eq(caseNotes.caseId, row.id), inArray(caseNotes.side, [...noteSides])))
            .orderBy(desc(caseNotes.createdAt))
        : Promise.resolve([]),
      db
        .get()
        .select({
          id: caseAttachments.id,
          fileName: caseAttachments.fileName,
          sizeBytes: caseAttachments.sizeBytes,
          scanStatus: caseAttachments.scanStatus,
        })
        .from(caseAttachments)
        .where(eq(caseAttachments.caseId, row.id)),
      deadlinesOf(row),
      reporterLabel(user, row),
      bodyName(row.bodyId),
      bodyStaff || parts.includes('triage') ? assigneeOptions(row.bodyId) : Promise.resolve([]),
      bodyStaff && row.bodyId ? listTemplates(user, row.bodyId) : Promise.resolve([]),
    ]);
    const recommendation = row.escalatedAt ? ((await deps.recommendationFor?.(row.id)) ?? null) : null;
    const assignee = assignees.find((a) => a.id === row.assigneeUserId) ?? null;
    // Evidence as staff see it: a neutral name unless the case is public, and a link (the attachment's
    // random id, opened through the policy-checked download) only once the file is cleared.
    const evidence = attachments.map((f) => ({
      id: f.id,
      name: staffFileName(f, row.confidentiality),
      sizeBytes: f.sizeBytes,
      available: evidenceCleared(f.scanStatus, !!deps.scanningOn),
    }));
    return {
      caseRow: row,
      parts,
      bodyStaff,
      canMessage: canMessageReporter(parts),
      commitments,
      timeline,
      messages,
      notes,
      /** Raw rows (the panel's case pack reads them); pages for body staff show `evidence`. */
      attachments,
      evidence,
      deadlines,
      reporter,
      bodyName: body,
      assignees,
      assignee,
      templates,
      recommendation,
      actions: actionsFor(row, parts, 'staff'),
    };
  }

  /** The reporter's view of their case: parties-visible timeline, messages, their actions. */
  async function reporterView(user: CurrentUser, caseId: string) {
    const { row, parts } = await caseFor(user, caseId);
    if (!parts.includes('reporter')) throw new NotFoundError();
    const [commitments, timeline, messages, body] = await Promise.all([
      commitmentsOf(row.id),
      timelineOf(row.id, 'reporter'),
      messagesOf(row.id),
      bodyName(row.bodyId),
    ]);
    const withinReopen =
      !row.closedAt || addCalendarDays(toUkIsoDate(row.closedAt), REPORTER_REOPEN_DAYS) >= today();
    return {
      caseRow: row,
      commitments,
      timeline,
      messages,
      bodyName: body,
      actions: actionsFor(row, parts, 'reporter').filter((t) => t.action !== 'reopen' || withinReopen),
      canAnswerResolved: canAskResolved(row),
    };
  }

  const canAskResolved = (row: CaseRow) =>
    (row.state === 'closed' || row.state === 'resolved') &&
    row.outcome !== 'out_of_scope' &&
    row.outcome !== 'duplicate';

  async function myCases(user: CurrentUser) {
    const ids = await reporters.caseIdsForReporter(user.id);
    if (ids.length === 0) return [];
    return db
      .get()
      .select({
        id: cases.id,
        reference: cases.reference,
        title: cases.title,
        state: cases.state,
        outcome: cases.outcome,
        submittedAt: cases.submittedAt,
        bodyName: organisations.name,
      })
      .from(cases)
      .leftJoin(organisations, eq(organisations.id, cases.bodyId))
      .where(inArray(cases.id, ids))
      .orderBy(desc(cases.submittedAt));
  }

  /** The four-week question: "was it resolved?" (issue 4, item 9). Answerable once, by the reporter. */
  async function answerResolved(actor: Actor, user: CurrentUser, caseId: string, resolved: boolean) {
    const { row, parts } = await caseFor(user, caseId);
    if (!parts.includes('reporter') || !canAskResolved(row)) throw new NotFoundError();
    await db.transaction(async () => {
      await db.get().update(cases).set({ reporterSaysResolved: resolved }).where(eq(cases.id, row.id));
      await db.get().insert(caseEvents).values({
        caseId: row.id,
        at: clock.now(),
        actorUserId: actor.userId,
        actorPart: 'reporter',
        action: 'answer_resolved_question',
        details: { resolved },
        visibleTo: 'parties',
      });
      await audit.record(actor, {
        action: 'case.resolved_question',
        entityType: 'case',
        entityId: row.id,
        details: { resolved },
      });
    });
  }

  /** The bodies whose inbox this person may read (admins: every body; `null` means all). */
  function inboxBodies(user: CurrentUser): string[] | null {
    if (isAdmin(user)) return null;
    return organisationsWithRole(user, ['body_officer', 'body_lead']);
  }

  /**
   * The body inbox: the person's own bodies' cases (all bodies for admins), filtered, sorted and paged in
   * SQL. The deadline filters compare the stored due dates with today's thresholds (cases.clock.ts); rows
   * written without the clock (bulk loads) are settled first so none is missed.
   */
  async function inbox(
    user: CurrentUser,
    filters: Partial<InboxFilters>,
    options: { all?: boolean; exactCount?: boolean } = {},
  ) {
    if (filters.deadline) await caseClock.settleStale();
    const query: InboxQuery = {
      bodies: inboxBodies(user),
      userId: user.id,
      filters,
      deadline: filters.deadline ? caseClock.deadlineCondition(filters.deadline, today()) : undefined,
    };
    const page = filters.page ?? 1;
    const pageOf = options.all ? undefined : { limit: INBOX_PAGE_SIZE, offset: (page - 1) * INBOX_PAGE_SIZE };
    // Counted up to the cap only: past it, a busy body's filtered count costs a heap read per case (text
    // search, commitments) and "more than 1,000" tells staff all they need (narrow the filters).
    const countOf = (q: InboxQuery) =>
      options.all
        ? Promise.resolve(null)
        : inboxRepo.count(q, options.exactCount ? undefined : INBOX_COUNT_CAP + 1);
    let rows: Awaited<ReturnType<typeof inboxRepo.list>>;
    let counted: number | null;
    if (textSearchUses(query) === 'body') {
      // A word search within known bodies: the body-marked index finds and counts the matches. With more
      // matches than the cap, the page is read in date order instead, stopping after 25 (cheaper than
      // reading every match to sort them).
      const byBody: InboxQuery = { ...query, textIndex: 'body' };
      counted = await countOf(byBody);
      const many = counted !== null && counted > INBOX_COUNT_CAP;
      rows = await inboxRepo.list(many ? query : byBody, pageOf);
    } else {
      [rows, counted] = await Promise.all([inboxRepo.list(query, pageOf), countOf(query)]);
    }
    const matched = counted ?? rows.length;
    const totalCapped = !options.exactCount && matched > INBOX_COUNT_CAP;
    const total = totalCapped ? INBOX_COUNT_CAP : matched;
    const deadlines = await caseClock.deadlinesFor(rows, today());
    return {
      rows: rows.map((r) => ({ ...r, deadlines: deadlines.get(r.id)! })),
      total,
      /** True when more than `total` cases match (the count stops at INBOX_COUNT_CAP). */
      totalCapped,
      page,
      pages: Math.max(1, Math.ceil(total / INBOX_PAGE_SIZE)),
    };
  }

  /** Filter choices for the inbox: the person's bodies, their staff, the commitments in their cases. */
  async function inboxOptions(user: CurrentUser) {
    const bodies = inboxBodies(user);
    const bodyRows = await db
      .get()
      .select({ id: organisations.id, name: organisations.name })
      .from(organisations)
      .where(
        bodies === null
          ? eq(organisations.kind, 'public_body')
          : bodies.length
            ? inArray(organisations.id, bodies)
            : sql`false`,
      )
      .orderBy(asc(organisations.name))
      .limit(500);
    const staff = bodies === null ? [] : (await Promise.all(bodies.map((b) => assigneeOptions(b)))).flat();
    const commitments = await db
      .get()
      .selectDistinct({ id: covenantCommitments.id, code: covenantCommitments.code })
      .from(covenantCommitments)
      .orderBy(asc(covenantCommitments.code));
    const unique = new Map(staff.map((s) => [s.id, s]));
    return { bodies: bodyRows, staff: [...unique.values()], commitments };
  }

  // ---- Response templates ------------------------------------------------------------------------------

  async function listTemplates(user: CurrentUser, bodyId: string) {
    if (!canUseBody(user, bodyId)) throw new NotFoundError();
    return db
      .get()
      .select({ id: responseTemplates.id, title: responseTemplates.title, body: responseTemplates.body })
      .from(responseTemplates)
      .where(eq(responseTemplates.bodyId, bodyId))
      .orderBy(asc(responseTemplates.title));
  }

  async function createTemplate(
    actor: Actor,
    user: CurrentUser,
    input: { bodyId: string; title: string; body: string },
  ) {
    if (!canManageBody(user, input.bodyId)) throw new NotFoundError();
    await db.transaction(async () => {
      const [row] = await db
        .get()
        .insert(responseTemplates)
        .values({ ...input, createdBy: actor.userId })
        .returning({ id: responseTemplates.id });
      await audit.record(actor, {
        action: 'case.template.created',
        entityType: 'response_template',
        entityId: row!.id,
      });
    });
  }

  async function deleteTemplate(actor: Actor, user: CurrentUser, templateId: string) {
    const [row] = await db.get().select().from(responseTemplates).where(eq(responseTemplates.id, templateId));
    if (!row || !canManageBody(user, row.bodyId)) throw new NotFoundError();
    await db.transaction(async () => {
      await db.get().delete(responseTemplates).where(eq(responseTemplates.id, templateId));
      await audit.record(actor, {
        action: 'case.template.deleted',
        entityType: 'response_template',
        entityId: templateId,
      });
    });
    return row.bodyId;
  }

  /** The template's text for the response box of a case the person handles. */
  async function templateText(user: CurrentUser, caseId: string, templateId: string) {
    const { row, parts } = await caseFor(user, caseId);
    if (!isBodyStaff(parts) || !row.bodyId) throw new NotFoundError();
    const [template] = await db
      .get()
      .select({ body: responseTemplates.body })
      .from(responseTemplates)
      .where(and(eq(responseTemplates.id, templateId), eq(responseTemplates.bodyId, row.bodyId)));
    if (!template) throw new CaseInputError('templateId', 'cases.errors.templateRequired');
    return template.body;
  }

  /** The bodies whose templates and tokens this person manages (body leads; admins every body they pick). */
  async function managedBodies(user: CurrentUser) {
    const ids = isAdmin(user) ? null : organisationsWithRole(user, ['body_lead']);
    return db
      .get()
      .select({ id: organisations.id, name: organisations.name })
      .from(organisations)
      .where(
        ids === null
          ? eq(organisations.kind, 'public_body')
          : ids.length
            ? inArray(organisations.id, ids)
            : sql`false`,
      )
      .orderBy(asc(organisations.name))
      .limit(500);
  }

  return {
    loadCase,
    loadByReference,
    caseFor,
    transition,
    assign,
    assigneeOptions,
    sendMessage,
    addNote,
    staffView,
    reporterView,
    myCases,
    answerResolved,
    inbox,
    inboxOptions,
    reporterLabel,
    listTemplates,
    createTemplate,
    deleteTemplate,
    templateText,
    managedBodies,
    deadlinesOf,
    emailBody,
    emailReporter,
    canAskResolved,
  };
}
export type CasesService = ReturnType<typeof createCasesService>;
