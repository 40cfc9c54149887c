/**
 * Intake (SPEC §3 "Report"; issue 4 items 1–3 and 5): report drafts saved page by page, save and return by
 * an emailed link, the submission (reference, identity escrow, commitments, evidence, routing, the system's
 * accept and the clock's start, the acknowledgement email, all in one transaction), and triage by the
 * Covenant team.
 *
 * Decision: reporting needs an account (cso_member, cso_admin, intermediary, or any signed-in person with no
 * staff role). The reporter must stay reachable for relayed messages and the "was it resolved?" question,
 * and an account is what keeps a withheld identity out of every address the body can see. Anonymous visitors
 * are sent to sign in or create an account first (the start page says why). The "save and come back later"
 * link is then a convenience for another device: it works only for the same account, any number of times
 * until the report is submitted or the draft expires (30 days after the last change).
 */
import { randomUUID } from 'node:crypto';
import { and, desc, eq, gt, inArray, isNull, ne, or, sql } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Actor, AuditLog } from '../../platform/audit/audit.ts';
import { hasRole, type CurrentUser } from '../../platform/auth/roles.ts';
import { isLeadOfCaseBody } from './cases.policy.ts';
import { randomToken, sha256 } from '../../platform/auth/tokens.ts';
import { toUkIsoDate } from '../../platform/calendar/iso-date.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Database } from '../../platform/db/database.ts';
import type { Outbox } from '../../platform/email/outbox.ts';
import { NotFoundError } from '../../platform/http/errors.ts';
import { organisations } from '../directory/directory.tables.ts';
import { covenantCommitments, subCovenants } from '../covenant/covenant.tables.ts';
import { computeCaseDeadlines, dueDatesOf, type CaseClock } from './cases.clock.ts';
import type { CaseIdentity } from './cases.identity.ts';
import type { ReportAnswers, TriageAction } from './cases.intake.schema.ts';
import { intakePaths, reportPages, type ReportPage } from './cases.intake.paths.ts';
import { applyTransition, caseStates, isOpen, type CaseAction, type CaseState } from './cases.lifecycle.ts';
import {
  createSubmissionWriter,
  type PreparedSubmission,
  type SubmissionRequest,
} from './cases.submission.ts';
import { clockNationFor, type Routing, type RoutingDecision } from './cases.routing.ts';
import { bm25Rank, tfidfSimilar } from './cases.suggest.ts';
import type { Uploads } from './cases.uploads.ts';
import { caseClockEvents, caseEvents, cases, reportDrafts, type CaseCategory } from './cases.tables.ts';

const isUuid = (v: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v);

const DRAFT_DAYS = 30;
const DAY_MS = 86_400_000;

export type Draft = Omit<typeof reportDrafts.$inferSelect, 'answers'> & { answers: ReportAnswers };

/** One checked submission waiting for the writer: who submits which draft. */
interface CaseRequest extends SubmissionRequest {
  actor: Actor;
  user: CurrentUser;
  draft: Draft;
}

/** The first page whose answer is missing, or null when the report is ready to check. */
export function firstMissingPage(a: ReportAnswers): ReportPage | null {
  const problem = a.kind === 'problem';
  const missing: Record<ReportPage, boolean> = {
    kind: !a.kind,
    body: !a.bodyId && !a.bodyNameGiven,
    whatHappened: !a.title || !a.whatHappened,
    category: !a.category,
    when: !a.happenedOn,
    commitments: !a.commitmentsNotSure && !(a.commitmentIds && a.commitmentIds.length > 0),
    impact: problem ? !a.impact : a.impact === undefined && !a.evidenceSeen && !a.outcomeWanted,
    outcome: problem ? !a.outcomeWanted : a.outcomeWanted === undefined && !a.evidenceSeen,
    evidence: !a.evidenceSeen,
    confidentiality: !a.confidentiality || (a.confidentiality === 'intermediary' && !a.memberOrganisation),
    details: !a.name || !a.email,
  };
  return reportPages.find((page) => missing[page]) ?? null;
}

/** A triage decision names something that does not exist or changes nothing: shown on its field (422). */
export class TriageInputError extends Error {
  override name = 'TriageInputError';
  readonly field: string;
  constructor(field: string, messageKey: string) {
    super(messageKey);
    this.field = field;
  }
}

/** The case named as the original of a duplicate does not exist (or is the case itself). */
export class DuplicateNotFoundError extends TriageInputError {
  constructor() {
    super('duplicateOf', 'cases.triage.errors.duplicateNotFound');
  }
}

/** A re-route that would change nothing (same body and category): the reason would describe no change. */
export class RerouteUnchangedError extends TriageInputError {
  constructor() {
    super('bodyId', 'cases.triage.errors.rerouteUnchanged');
  }
}

/** Someone else changed the case since the page was loaded: the form is shown again with what changed. */
export class CaseChangedError extends Error {
  override name = 'CaseChangedError';
}

/** The Covenant team may file on nobody's behalf; reporters are people without a staff role in a body. */
export function canReport(user: CurrentUser | null): boolean {
  if (!user) return false;
  if (hasRole(user, 'body_officer') || hasRole(user, 'body_lead')) {
    return hasRole(user, 'cso_member') || hasRole(user, 'cso_admin') || hasRole(user, 'intermediary');
  }
  return true;
}

export function createIntakeService(deps: {
  db: Database;
  audit: AuditLog;
  clock: Clock;
  outbox: Outbox;
  baseUrl: string;
  identity: CaseIdentity;
  routing: Routing;
  uploads: Uploads;
  caseClock: CaseClock;
  emailsQueued: () => Promise<unknown>;
}) {
  const { db, audit, clock, outbox, identity, routing, uploads, caseClock } = deps;
  const expiry = (now: Date) => new Date(now.getTime() + DRAFT_DAYS * DAY_MS);
  const writer = createSubmissionWriter<CaseRequest>({
    db,
    audit,
    outbox,
    identity,
    uploads,
    prepare: (requests) => prepareCases(requests),
  });

  /** The person's drafts not yet submitted nor expired; the current one is the latest changed. */
  const currentDraftOf = (user: CurrentUser) =>
    and(
      eq(reportDrafts.userId, user.id),
      isNull(reportDrafts.submittedCaseId),
      gt(reportDrafts.expiresAt, clock.now()),
    );

  async function currentDraft(user: CurrentUser): Promise<Draft | undefined> {
    const [draft] = await db
      .get()
      .select()
      .from(reportDrafts)
      .where(currentDraftOf(user))
      .orderBy(desc(reportDrafts.updatedAt))
      .limit(1);
    return draft as Draft | undefined;
  }

  async function ensureDraft(user: CurrentUser): Promise<Draft> {
    const existing = await currentDraft(user);
    if (existing) return existing;
    const now = clock.now();
    const member = user.memberships.find((m) => m.role === 'cso_member' || m.role === 'cso_admin');
    // "Your details" start from the account (the reporter can change them).
    const answers: ReportAnswers = {
      name: user.displayName,
      email: user.email,
      organisationName: member?.organisationName,
    };
    const [row] = await db
      .get()
      .insert(reportDrafts)
      .values({
        userId: user.id,
        answers: answers as Record<string, unknown>,
        updatedAt: now,
        expiresAt: expiry(now),
      })
      .returning();
    return row as Draft;
  }

  return {
    currentDraft,
    ensureDraft,

    /** Saves one page's answers into the person's draft (creating it on the first page). */
    async saveAnswers(user: CurrentUser, patch: Partial<ReportAnswers>): Promise<Draft> {
      const draft = await ensureDraft(user);
      const answers: ReportAnswers = { ...draft.answers, ...patch };
      // A new check-answers page means a new submission key only after a change: a reload keeps it.
      delete answers.submissionKey;
      const now = clock.now();
      await db
        .get()
        .update(reportDrafts)
        .set({ answers: answers as Record<string, unknown>, updatedAt: now, expiresAt: expiry(now) })
        .where(eq(reportDrafts.id, draft.id));
      return { ...draft, answers };
    },

    /** Answers plus the one-time submission key the check-answers form carries. */
    async prepareCheck(user: CurrentUser): Promise<Draft> {
      const draft = await ensureDraft(user);
      if (draft.answers.submissionKey) return draft;
      const answers = { ...draft.answers, submissionKey: randomToken(18) };
      await db
        .get()
        .update(reportDrafts)
        .set({ answers: answers as Record<string, unknown> })
        .where(eq(reportDrafts.id, draft.id));
      return { ...draft, answers };
    },

    /**
     * "Save and come back later": emails the person a link to this draft. Only the token's hash is stored;
     * a new link replaces the old one.
     */
    async saveForLater(user: CurrentUser): Promise<void> {
      const draft = await ensureDraft(user);
      const token = randomToken();
      await db.transaction(async () => {
        await db
          .get()
          .update(reportDrafts)
          .set({ resumeTokenHash: sha256(token) })
          .where(eq(reportDrafts.id, draft.id));
        await outbox.queue({
          to: user.email,
          template: 'reportSaved',
          params: {
            name: user.displayName,
            link: `${deps.baseUrl}${intakePaths.resume({ token })}`,
            date: expiry(clock.now()).toISOString().slice(0, 10),
          },
        });
      });
      await deps.emailsQueued();
    },

    /** Opens a draft from a resume link for its own account; null when the link is wrong, used up or expired. */
    async resume(user: CurrentUser, token: string): Promise<Draft | null> {
      const [draft] = await db
        .get()
        .select()
        .from(reportDrafts)
        .where(eq(reportDrafts.resumeTokenHash, sha256(token)));
      if (!draft || draft.userId !== user.id || draft.submittedCaseId || draft.expiresAt <= clock.now())
        return null;
      // Touching it makes it the current draft again.
      await db
        .get()
        .update(reportDrafts)
        .set({ updatedAt: clock.now() })
        .where(eq(reportDrafts.id, draft.id));
      return draft as Draft;
    },

    /** Public bodies matching a name (full-text, prefix or substring), for the no-JavaScript search step. */
    async searchBodies(q: string, limit = 20) {
      const query = q.trim();
      if (query.length < 2) return [];
      const like = `%${query.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      const rows = await db.get().execute(sql`
        select o.id, o.name, o.nation from organisations o
        where o.kind = 'public_body' and o.status <> 'closed'
          and (o.search @@ websearch_to_tsquery('english', ${query})
            or o.search @@ websearch_to_tsquery('simple', ${query})
            or lower(o.name) like ${like})
        order by (lower(o.name) = ${query.toLowerCase()}) desc, (lower(o.name) like ${like.slice(1)}) desc,
          ts_rank(o.search, websearch_to_tsquery('english', ${query})) desc, o.name
        limit ${limit}`);
      return (rows as unknown as { rows: { id: string; name: string; nation: string | null }[] }).rows;
    },

    async bodyName(bodyId: string): Promise<string | undefined> {
      const [row] = await db
        .get()
        .select({ name: organisations.name })
        .from(organisations)
        .where(and(eq(organisations.id, bodyId), eq(organisations.kind, 'public_body')));
      return row?.name;
    },

    /**
     * The commitments a report can concern (national ones, plus the sub-covenant's own for a body whose
     * local or departmental sub-covenant exists), with the best matches for the report's text first.
     */
    async commitmentChoices(answers: ReportAnswers) {
      let areaCode: string | null = null;
      let bodyName: string | null = null;
      if (answers.bodyId) {
        const [body] = await db
          .get()
          .select({ gss: organisations.gssCode, name: organisations.name })
          .from(organisations)
          .where(eq(organisations.id, answers.bodyId));
        areaCode = body?.gss ?? null;
        bodyName = body?.name ?? null;
      }
      const rows = await db
        .get()
        .select({
          id: covenantCommitments.id,
          code: covenantCommitments.code,
          text: covenantCommitments.text,
          position: covenantCommitments.position,
        })
        .from(covenantCommitments)
        .leftJoin(subCovenants, eq(subCovenants.id, covenantCommitments.subCovenantId))
        .where(
          or(
            isNull(covenantCommitments.subCovenantId),
            areaCode ? eq(subCovenants.areaCode, areaCode) : sql`false`,
            bodyName ? eq(subCovenants.department, bodyName) : sql`false`,
          ),
        )
        .orderBy(covenantCommitments.position, covenantCommitments.code);
      const query = [answers.title, answers.whatHappened, answers.impact].filter(Boolean).join(' ');
      const suggested = bm25Rank(query, rows, (c) => `${c.code} ${c.text}`, 5);
      const suggestedIds = new Set(suggested.map((s) => s.item.id));
      return {
        suggested: suggested.map((s) => ({ ...s.item, score: s.score })),
        others: rows.filter((c) => !suggestedIds.has(c.id)),
      };
    },

    /**
     * Submits the person's draft as a case. Idempotent on the submission key: a second request with the
     * same key (a double click) returns the case the first one created. Everything is written in one
     * transaction: the case, its reference, the escrowed identity, commitments, evidence, the timeline, the
     * routing decision (with the system's accept and the clock's start), the audit row and the
     * acknowledgement email (cases.submission.ts: reports submitted at the same moment share it).
     */
    async submit(
      actor: Actor,
      user: CurrentUser,
      submissionKey: string,
    ): Promise<{ reference: string } | { missing: ReportPage } | { stale: true }> {
      const existing = async () => {
        const [row] = await db
          .get()
          .select({ id: cases.id, reference: cases.reference })
          .from(cases)
          .where(eq(cases.idempotencyKey, submissionKey));
        if (row && (await identity.isReporter(user.id, row.id))) return { reference: row.reference };
        return undefined;
      };
      try {
        // The person's current draft and, in the same query, the case this key already made (a double
        // click). Without a current draft (it is submitted once its case exists) the key is looked up alone.
        const [row] = await db
          .get()
          .select({ draft: reportDrafts, done: identity.reporterCaseReferenceByKey(user.id, submissionKey) })
          .from(reportDrafts)
          .where(currentDraftOf(user))
          .orderBy(desc(reportDrafts.updatedAt))
          .limit(1);
        if (row?.done) return { reference: row.done };
        if (!row) {
          const done = await existing();
          if (done) return done;
        }
        const draft = row?.draft as Draft | undefined;
        if (!draft || draft.answers.submissionKey !== submissionKey) return { stale: true as const };
        const missing = firstMissingPage(draft.answers);
        if (missing) return { missing };
        if (draft.answers.confidentiality === 'intermediary' && !hasRole(user, 'intermediary'))
          throw new NotFoundError('Not an intermediary');
        // One transaction for the case and everything with it (shared with reports submitted meanwhile).
        const reference = await writer.write({ actor, user, draft, submissionKey });
        await deps.emailsQueued();
        return { reference };
      } catch (error) {
        // Two requests raced past the check on PostgreSQL: the unique key let one win. Show its case.
        const done = await existing();
        if (done) return done;
        throw error;
      }
    },

    /** The case a reporter just filed, for the confirmation page (their own only). */
    async confirmation(user: CurrentUser, reference: string) {
      const [row] = await db
        .get()
        .select({ id: cases.id, reference: cases.reference, kind: cases.kind, state: cases.state })
        .from(cases)
        .where(eq(cases.reference, reference));
      if (!row || !(await identity.isReporter(user.id, row.id))) throw new NotFoundError('No such report');
      return row;
    },

    // ----- Triage (the Covenant team) -----

    /** Cases waiting in triage, oldest first, each with up to 3 similar open cases. */
    async triageQueue() {
      const queue = await db
        .get()
        .select({
          id: cases.id,
          reference: cases.reference,
          kind: cases.kind,
          title: cases.title,
          whatHappened: cases.whatHappened,
          bodyId: cases.bodyId,
          bodyName: organisations.name,
          bodyNameGiven: cases.bodyNameGiven,
          submittedAt: cases.submittedAt,
          confidentiality: cases.confidentiality,
        })
        .from(cases)
        .leftJoin(organisations, eq(organisations.id, cases.bodyId))
        .where(eq(cases.state, 'submitted'))
        .orderBy(cases.submittedAt);
      return Promise.all(queue.map(async (c) => ({ ...c, similar: await similarOpenCases(c) })));
    },

    /** One case for the triage page, with similar cases, its timeline and the bodies it can go to. */
    async triageCase(actor: Actor, user: CurrentUser, caseId: string) {
      if (!isUuid(caseId)) throw new NotFoundError('No such case');
      const [row] = await db
        .get()
        .select({ case: cases, bodyName: organisations.name })
        .from(cases)
        .leftJoin(organisations, eq(organisations.id, cases.bodyId))
        .where(eq(cases.id, caseId));
      if (!row) throw new NotFoundError('No such case');
      const events = await db
        .get()
        .select()
        .from(caseEvents)
        .where(eq(caseEvents.caseId, caseId))
        .orderBy(caseEvents.at, caseEvents.id);
      return {
        case: row.case,
        bodyName: row.bodyName,
        events,
        similar: await similarOpenCases(row.case),
        reporter: await identity.readIdentity(actor, user, caseId),
        bodies: await routing.publicBodies(),
      };
    },

    /** Timeline entries after `since`: what someone else did while this person had the page open. */
    async changesSince(caseId: string, since: Date) {
      return db
        .get()
        .select()
        .from(caseEvents)
        .where(and(eq(caseEvents.caseId, caseId), gt(caseEvents.at, since)))
        .orderBy(caseEvents.at, caseEvents.id);
    },

    /**
     * A triage decision: accept (setting or changing the body and category), request information, out of
     * scope, duplicate, or re-route a case already with a body (a reason is required; the body it left and
     * the body it went to stay in the timeline). Checked against the lifecycle table; refused with
     * CaseChangedError when the case is no longer at the version the person saw. The stored due dates are
     * worked out again in the same transaction (a new body or category can mean other working days).
     *
     * Decision: re-routing keeps the clock running from the day the case first reached a body. The reporter
     * has already waited; the new body gets its own working days (its rule or the category's) from that start.
     */
    async triage(
      actor: Actor,
      user: CurrentUser,
      caseId: string,
      input: TriageAction,
      /**
       * Who decides: the Covenant team (the triage page, every decision) or the accountable lead of the body
       * the case is with (the case's re-route page: re-routing only, and only their own body's cases).
       */
      part: 'triage' | 'body_lead' = 'triage',
    ): Promise<{ reference: string; bodyName: string | null }> {
      if (!isUuid(caseId)) throw new NotFoundError('No such case');
      let bodyName: string | null = null;
      const reference = await db.transaction(async () => {
        const [current] = await db.get().select().from(cases).where(eq(cases.id, caseId));
        if (!current) throw new NotFoundError('No such case');
        // A lead re-routes their own body's cases only; the transition table checks the state.
        if (part === 'body_lead' && (input.action !== 'reroute' || !isLeadOfCaseBody(user, current)))
          throw new NotFoundError('No such case');
        if (current.version !== input.version) throw new CaseChangedError();
        const { to, outcome } = applyTransition(current.state, input.action as CaseAction, [part]);
        const now = clock.now();
        const patch: Partial<typeof cases.$inferInsert> = { state: to };
        if (outcome) patch.outcome = outcome;
        let details: Record<string, unknown> = {};
        let days: { acknowledge: number; respond: number } | undefined;
        if (input.action === 'accept' || input.action === 'reroute') {
          const destinationName = isUuid(input.bodyId) ? await this.bodyName(input.bodyId) : undefined;
          if (!destinationName) throw new TriageInputError('bodyId', 'cases.triage.errors.bodyRequired');
          const category = input.category as CaseCategory;
          const decision = await routing.decide(input.bodyId, category);
          const destination = decision.kind === 'route' ? decision.bodyId : input.bodyId;
          if (input.action === 'reroute' && destination === current.bodyId && category === current.category)
            throw new RerouteUnchangedError();
          const [body] = await db
            .get()
            .select({ nation: organisations.nation })
            .from(organisations)
            .where(eq(organisations.id, destination));
          bodyName =
            (destination === input.bodyId ? destinationName : await this.bodyName(destination)) ?? null;
          Object.assign(patch, {
            bodyId: destination,
            category,
            clockNation: clockNationFor(body?.nation ?? null),
            assigneeUserId: decision.kind === 'route' ? decision.assigneeUserId : null,
          });
          days = await caseClock.daysFor(
            input.bodyId,
            category,
            decision.kind === 'route' ? decision.ruleId : null,
          );
          details = {
            fromBodyId: current.bodyId,
            toBodyId: destination,
            fromCategory: current.category,
            category,
            ruleId: decision.kind === 'route' ? decision.ruleId : null,
          };
          if (input.action === 'accept' && current.bodyId !== destination) {
            // Re-routing history: the body it was filed against and the body it went to.
            await event(
              caseId,
              now,
              user.id,
              'triage',
              'set_body',
              current.state,
              current.state,
              null,
              details,
              'staff',
            );
          }
        }
        if (input.action === 'mark_duplicate') {
          const [original] = await db
            .get()
            .select({ id: cases.id, reference: cases.reference })
            .from(cases)
            .where(
              or(
                eq(cases.reference, input.duplicateOf.toUpperCase()),
                sql`${cases.id}::text = ${input.duplicateOf}`,
              ),
            );
          if (!original || original.id === caseId) throw new DuplicateNotFoundError();
          patch.duplicateOfId = original.id;
          details = { duplicateOf: original.reference };
        }
        if (to === 'closed') patch.closedAt = now;
        const updated = await db
          .get()
          .update(cases)
          .set({ ...patch, version: sql`${cases.version} + 1` })
          .where(and(eq(cases.id, caseId), eq(cases.version, input.version)))
          .returning({ id: cases.id });
        if (updated.length === 0) throw new CaseChangedError();
        await event(caseId, now, user.id, part, input.action, current.state, to, input.text || null, details);
        if (input.action === 'accept') {
          await db
            .get()
            .insert(caseClockEvents)
            .values({ caseId, type: 'started', on: toUkIsoDate(now), actorUserId: user.id });
        }
        await caseClock.settle([caseId], days);
        await audit.record(actor, {
          action: `case.${input.action}`,
          entityType: 'case',
          entityId: caseId,
          details: { from: current.state, to, ...details },
        });
        if (input.action === 'request_information' || to === 'closed') {
          const emails = await identity.reporterEmails([caseId]);
          const email = emails.get(caseId);
          if (email) {
            await outbox.queue({
              to: email,
              template:
                input.action === 'request_information' ? 'caseInformationRequested' : 'caseTriageClosed',
              params: {
                reference: current.reference,
                text: input.text || '',
                link: `${deps.baseUrl}${intakePaths.myCases()}`,
              },
            });
          }
        }
        return current.reference;
      });
      await deps.emailsQueued();
      return { reference, bodyName: bodyName ?? null };
    },

    /** Open cases to choose from when marking a duplicate (same body first). */
    openCaseStates: caseStates.filter((s) => isOpen(s)),
  };

  async function event(
    caseId: string,
    at: Date,
    actorUserId: string | null,
    actorPart: string,
    action: string,
    fromState: CaseState | null,
    toState: CaseState | null,
    text: string | null = null,
    details: Record<string, unknown> = {},
    visibleTo: 'everyone' | 'parties' | 'staff' = 'parties',
  ) {
    await db
      .get()
      .insert(caseEvents)
      .values({ caseId, at, actorUserId, actorPart, action, fromState, toState, text, details, visibleTo });
  }

  /** TF-IDF cosine over title and text among open cases of the same body (all open cases when unknown). */
  async function similarOpenCases(c: {
    id: string;
    bodyId: string | null;
    title: string;
    whatHappened: string;
  }) {
    const open = caseStates.filter((s) => isOpen(s));
    const candidates = await db
      .get()
      .select({
        id: cases.id,
        reference: cases.reference,
        title: cases.title,
        whatHappened: cases.whatHappened,
        state: cases.state,
      })
      .from(cases)
      .where(
        and(
          inArray(cases.state, open),
          ne(cases.id, c.id),
          c.bodyId ? eq(cases.bodyId, c.bodyId) : undefined,
        ),
      )
      .orderBy(desc(cases.submittedAt))
      .limit(500);
    return tfidfSimilar(
      `${c.title} ${c.whatHappened}`,
      candidates,
      (x) => `${x.title} ${x.whatHappened}`,
      3,
    ).map((s) => ({
      id: s.item.id,
      reference: s.item.reference,
      title: s.item.title,
      state: s.item.state,
      score: Math.round(s.score * 100) / 100,
    }));
  }

  /**
   * Everything a batch of new cases needs, read once for the whole batch in the writing transaction (which
   * numbers the cases and writes them together, cases.submission.ts): whether each body is known, the
   * commitments that exist, the routing decisions (with the system's accept and the clock's start for a
   * body that has someone to receive the case) and the working days for the stored due dates.
   */
  /** Which of `ids` are rows of `table` (one query; none for no ids). */
  async function existingIds(table: PgTable, column: PgColumn, ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await db.get().select({ id: column }).from(table).where(inArray(column, ids));
    return new Set(rows.map((r) => r.id as string));
  }

  async function prepareCases(requests: readonly CaseRequest[]): Promise<PreparedSubmission[]> {
    const now = clock.now();
    const bodyIds = [
      ...new Set(requests.flatMap((r) => (r.draft.answers.bodyId ? [r.draft.answers.bodyId] : []))),
    ];
    const known = await existingIds(organisations, organisations.id, bodyIds);
    const asked = [...new Set(requests.flatMap((r) => r.draft.answers.commitmentIds ?? []))];
    const commitments = await existingIds(covenantCommitments, covenantCommitments.id, asked);
    const facts = requests.map((r) => {
      const a = r.draft.answers;
      return { bodyId: a.bodyId && known.has(a.bodyId) ? a.bodyId : null, category: a.category ?? 'other' };
    });
    const decisions = await routing.decideMany(facts);
    // The working days come from the rule chosen (or the category's setting), for the routed cases.
    const routedAt = decisions.flatMap((d, i) => (d.kind === 'route' ? [i] : []));
    const routedDays = await caseClock.daysForMany(
      routedAt.map((i) => {
        const d = decisions[i]!;
        return { ...facts[i]!, ruleId: d.kind === 'route' ? d.ruleId : null };
      }),
    );
    const days = new Map(routedAt.map((i, n) => [i, routedDays[n]!]));
    return requests.map((r, i) =>
      prepareCase(r, now, facts[i]!.bodyId, commitments, decisions[i]!, days.get(i)),
    );
  }

  /** One new case from its batch's facts (prepareCases). */
  function prepareCase(
    { actor, user, draft, submissionKey }: CaseRequest,
    now: Date,
    bodyId: string | null,
    knownCommitments: ReadonlySet<string>,
    decision: RoutingDecision,
    days: { acknowledge: number; respond: number } | undefined,
  ): PreparedSubmission {
    const a = draft.answers;
    const today = toUkIsoDate(now);
    const intermediaryOrg =
      a.confidentiality === 'intermediary'
        ? user.memberships.find((m) => m.role === 'intermediary')
        : undefined;
    if (a.confidentiality === 'intermediary' && !intermediaryOrg)
      throw new NotFoundError('Not an intermediary');
    const category: CaseCategory = a.category ?? 'other';
    const commitmentIds = [...new Set(a.commitmentIds ?? [])].filter((id) => knownCommitments.has(id));
    const caseId = randomUUID();
    const routed = decision.kind === 'route';
    const state: CaseState = routed ? applyTransition('submitted', 'accept', ['system']).to : 'submitted';
    const caseRow: PreparedSubmission['caseRow'] = {
      id: caseId,
      kind: a.kind!,
      state,
      confidentiality: a.confidentiality!,
      bodyId,
      bodyNameGiven: bodyId ? null : (a.bodyNameGiven ?? a.bodyName ?? null),
      category,
      title: a.title!,
      whatHappened: a.whatHappened!,
      happenedOn: a.happenedOn ?? null,
      impact: a.impact ?? null,
      outcomeWanted: a.outcomeWanted ?? null,
      intermediaryOrganisationId: intermediaryOrg?.organisationId ?? null,
      submittedAt: now,
      idempotencyKey: submissionKey,
      // No deadline runs until the case reaches a body.
      dueDatesStale: false,
    };
    if (decision.kind === 'route') {
      // The system's accept (one version step, as an update would make) and the stored due dates: the
      // working days come from the rule chosen (or the category's setting).
      if (!days) throw new Error('A routed case without its working days');
      Object.assign(caseRow, {
        bodyId: decision.bodyId,
        assigneeUserId: decision.assigneeUserId,
        clockNation: decision.clockNation,
        version: 2,
        acknowledgeWithinDays: days.acknowledge,
        respondWithinDays: days.respond,
        ...dueDatesOf(
          computeCaseDeadlines({
            calendar: caseClock.calendar,
            caseRow: {
              id: caseId,
              state,
              bodyId: decision.bodyId,
              category,
              clockNation: decision.clockNation,
              submittedAt: now,
              acknowledgedAt: null,
              respondedAt: null,
              acknowledgeWithinDays: days.acknowledge,
              respondWithinDays: days.respond,
            },
            events: [{ type: 'started', at: today }],
            today: null,
          }),
        ),
      });
    }
    const member = user.memberships.find((m) => m.role === 'cso_member' || m.role === 'cso_admin');
    return {
      year: Number(today.slice(0, 4)),
      caseRow,
      // For an intermediary case the escrow holds the member it speaks for; the filing account stays linked.
      identity: intermediaryOrg
        ? {
            reporterUserId: user.id,
            reporterOrganisationId: intermediaryOrg.organisationId,
            name: a.memberContactName || null,
            email: a.memberContactEmail || null,
            phone: null,
            organisationName: a.memberOrganisation ?? null,
          }
        : {
            reporterUserId: user.id,
            reporterOrganisationId: member?.organisationId ?? null,
            name: a.name ?? null,
            email: a.email ?? null,
            phone: a.phone ?? null,
            organisationName: a.organisationName ?? null,
          },
      commitmentIds,
      draftId: draft.id,
      clockStartedOn: routed ? today : null,
      finish: (reference, files) => ({
        events: [
          {
            at: now,
            actorUserId: user.id,
            actorPart: 'reporter',
            action: 'submit',
            fromState: null,
            toState: 'submitted',
            text: null,
            details: { files },
          },
          ...(decision.kind === 'route'
            ? [
                {
                  at: now,
                  actorUserId: null,
                  actorPart: 'system',
                  action: 'accept',
                  fromState: 'submitted' as const,
                  toState: state,
                  text: null,
                  details: { ruleId: decision.ruleId, toBodyId: decision.bodyId },
                },
              ]
            : []),
        ],
        audit: {
          actor,
          event: {
            action: 'case.submitted',
            entityType: 'case',
            entityId: caseId,
            details: {
              reference,
              state,
              routed,
              triageReason: decision.kind === 'triage' ? decision.reason : null,
            },
          },
        },
        // The acknowledgement goes to the reporter only (the address they gave), never to the body.
        email: a.email
          ? {
              to: a.email,
              template: 'reportReceived',
              params: { name: a.name ?? '', reference, link: `${deps.baseUrl}${intakePaths.myCases()}` },
            }
          : null,
      }),
    };
  }
}

export type IntakeService = ReturnType<typeof createIntakeService>;
