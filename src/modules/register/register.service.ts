/**
 * The public register (issue 4, item 8): candidates from ended cases, automatic redaction, moderation
 * (review each redaction, add one's own, edit the public text, approve or reject with a reason, withdraw),
 * and the public reads (search, a case's page, the feed, suppressed counts).
 *
 * Nothing is public before a moderator approves: public reads take `published` rows only, and only the
 * published columns, which are filled from the reviewed draft at the moment of approval.
 */
import type { Actor, AuditLog } from '../../platform/audit/audit.ts';
import type { CurrentUser } from '../../platform/auth/roles.ts';
import { toUkIsoDate } from '../../platform/calendar/iso-date.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Database } from '../../platform/db/database.ts';
import { ConflictError, ForbiddenError, NotFoundError } from '../../platform/http/errors.ts';
import type {
  RedactionService,
  Redactor,
  RedactRequest,
} from '../../platform/redaction/redaction.service.ts';
import { outcomeCodes } from '../cases/cases.lifecycle.ts';
import { canModerate } from './register.policy.ts';
import type {
  NewRegisterEntry,
  RegisterEntryRow,
  RegisterRepository,
  SearchFilters,
} from './register.repository.ts';
import {
  addManualRedaction,
  draftFieldFrom,
  identityLeaks,
  isPublishable,
  publishedTexts,
  removeManualRedaction,
  ReviewError,
  setSpanUndone,
  type ReporterTerms,
} from './register.rules.ts';
import { suppressCounts, type ShownCell, type SuppressedTable } from './register.suppression.ts';
import type {
  DraftField,
  RegisterDraft,
  RegisterField,
  RegisterStatus,
  TimelineStep,
} from './register.tables.ts';

/** The background task that prepares candidates (container.ts schedules it). */
export const REGISTER_PREPARE_TASK = 'register-prepare';
export const REGISTER_PAGE_SIZE = 20;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Deep pages are refused: 500 pages of 20 is 10,000 results, the count cap. */
export const REGISTER_MAX_PAGE = 500;
/** Candidates prepared per run (a moderator opening the queue, or the background task). */
export const PREPARE_BATCH = 50;
/** Filters and counts are recomputed at most this often (they are aggregates over every case). */
export const AGGREGATE_TTL_MS = 5 * 60_000;

export class RegisterConflictError extends ConflictError {
  override name = 'RegisterConflictError';
  constructor() {
    super('The entry was changed by someone else');
  }
}

type CaseFacts = NonNullable<Awaited<ReturnType<RegisterRepository['caseFacts']>>>;

/** The dated states a case went through, for the public timeline (states and dates only, never text). */
export function timelineOf(facts: Pick<CaseFacts, 'submittedAt' | 'steps'>): TimelineStep[] {
  const steps: TimelineStep[] = [{ on: toUkIsoDate(facts.submittedAt), state: 'submitted' }];
  for (const step of facts.steps) {
    if (!step.toState) continue;
    const last = steps[steps.length - 1]!;
    if (last.state === step.toState) continue;
    steps.push({ on: toUkIsoDate(step.at), state: step.toState });
  }
  return steps;
}

/** The body's response: the last text it gave when responding. */
function responseOf(facts: CaseFacts): string | null {
  const responses = facts.steps.filter((s) => s.action === 'respond' && s.text);
  return responses.length ? responses[responses.length - 1]!.text : null;
}

/** The reporter's own name and organisation, redacted in their case whether or not others know them. */
function requestFor(terms: ReporterTerms | null): RedactRequest {
  return { names: [terms?.name], organisations: [terms?.organisationName] };
}

function field(
  redactor: Redactor,
  text: string | null | undefined,
  request: RedactRequest = {},
): DraftField | undefined {
  if (!text || !text.trim()) return undefined;
  return draftFieldFrom(text, redactor.redact(text, request));
}

/** The public facts of a case (no text): refreshed when the draft is prepared and again on approval. */
export function snapshotOf(facts: CaseFacts, now: Date) {
  const closedOn = toUkIsoDate(facts.closedAt ?? now);
  return {
    caseId: facts.id,
    reference: facts.reference,
    bodyId: facts.bodyId,
    bodyName: facts.bodyName ?? '',
    bodySlug: facts.bodySlug,
    commitmentCodes: facts.commitments.map((c) => c.code),
    commitments: facts.commitments,
    category: facts.category,
    outcome: facts.outcome,
    panelOutcome: facts.decision?.outcome ?? null,
    submittedOn: toUkIsoDate(facts.submittedAt),
    closedOn,
    year: Number(closedOn.slice(0, 4)),
    timeline: timelineOf(facts),
  };
}

/** The entry's snapshot of the case and its automatically redacted draft. */
export function entryFromCase(
  facts: CaseFacts,
  redactor: Redactor,
  now: Date,
  terms: ReporterTerms | null = null,
) {
  const request = requestFor(terms);
  const draft: RegisterDraft = {
    title: field(redactor, facts.title, request),
    summary: field(redactor, facts.whatHappened, request),
    response: field(redactor, responseOf(facts), request),
    determination: field(redactor, facts.decision?.determination, request),
  };
  return { ...snapshotOf(facts, now), draft };
}

export function createRegisterService(deps: {
  db: Database;
  audit: AuditLog;
  clock: Clock;
  repo: RegisterRepository;
  redaction: RedactionService;
  /** The identity escrow's one-case reader for redaction (cases.identity.ts `termsForRedaction`). */
  reporterTerms: (caseId: string) => Promise<ReporterTerms | null>;
}) {
  const { db, audit, clock, repo, redaction, reporterTerms } = deps;
  const cache = new Map<string, { at: number; value: unknown }>();
  async function cached<T>(key: string, load: () => Promise<T>): Promise<T> {
    const hit = cache.get(key);
    if (hit && clock.now().getTime() - hit.at < AGGREGATE_TTL_MS) return hit.value as T;
    const value = await load();
    cache.set(key, { at: clock.now().getTime(), value });
    return value;
  }

  function assertModerator(user: CurrentUser) {
    if (!canModerate(user)) throw new ForbiddenError('Only moderators can do this');
  }

  async function entryFor(user: CurrentUser, id: string) {
    assertModerator(user);
    // An id that is not a UUID names no entry (and must not reach PostgreSQL as one).
    if (!UUID.test(id)) throw new NotFoundError();
    const entry = await repo.get(id);
    if (!entry) throw new NotFoundError();
    return entry;
  }

  /** Applies a change to one field of a pending entry's draft, refusing a stale version. */
  async function changeDraft(
    user: CurrentUser,
    actor: Actor,
    id: string,
    expectedVersion: number,
    name: RegisterField,
    change: (f: DraftField | undefined) => DraftField | undefined,
    event: { action: string; details: Record<string, unknown> },
  ) {
    return db.transaction(async () => {
      const entry = await entryFor(user, id);
      if (entry.status !== 'pending') throw new ReviewError('register.errors.notPending');
      if (entry.version !== expectedVersion) throw new RegisterConflictError();
      const draft: RegisterDraft = { ...entry.draft };
      const next = change(draft[name]);
      if (next) draft[name] = next;
      else delete draft[name];
      const updated = await repo.update(id, expectedVersion, { draft, updatedAt: clock.now() });
      if (!updated) throw new RegisterConflictError();
      await audit.record(actor, {
        action: event.action,
        entityType: 'register_entry',
        entityId: id,
        details: { field: name, ...event.details },
      });
      return updated;
    });
  }

  function invalidate() {
    cache.clear();
  }

  /**
   * One moderation decision: the entry must be in `from` and unchanged since the moderator's page
   * (`version`); `patch` may refuse with a ReviewError; the change is audited, and public reads are
   * refreshed when it changes what the public sees.
   */
  async function decide(
    user: CurrentUser,
    actor: Actor,
    id: string,
    step: {
      from: RegisterStatus;
      notInState: string;
      version: number;
      patch: (
        entry: RegisterEntryRow,
        now: Date,
      ) => Promise<Partial<NewRegisterEntry>> | Partial<NewRegisterEntry>;
      action: string;
      details: (entry: RegisterEntryRow) => Record<string, unknown>;
      changesPublic: boolean;
    },
  ) {
    return db.transaction(async () => {
      const entry = await entryFor(user, id);
      if (entry.status !== step.from) throw new ReviewError(step.notInState);
      if (entry.version !== step.version) throw new RegisterConflictError();
      const now = clock.now();
      const updated = await repo.update(id, step.version, await step.patch(entry, now));
      if (!updated) throw new RegisterConflictError();
      await audit.record(actor, {
        action: step.action,
        entityType: 'register_entry',
        entityId: id,
        details: step.details(entry),
      });
      if (step.changesPublic) invalidate();
      return updated;
    });
  }

  return {
    /**
     * Creates pending entries, with their automatic redaction, for ended publishable cases that have none.
     * Returns how many were created. Safe to run concurrently (one entry per case).
     */
    async prepareCandidates(limit = PREPARE_BATCH): Promise<number> {
      const ids = await repo.casesAwaitingEntry(limit);
      if (ids.length === 0) return 0;
      const redactor = await redaction.prepare();
      let created = 0;
      for (const caseId of ids) {
        const facts = await repo.caseFacts(caseId);
        if (!facts || !isPublishable(facts)) continue;
        const now = clock.now();
        const terms = await reporterTerms(caseId);
        const inserted = await db.transaction(async () => {
          const row = await repo.insert({
            ...entryFromCase(facts, redactor, now, terms),
            status: 'pending',
            updatedAt: now,
          });
          if (row)
            await audit.record(
              { userId: null, requestId: 'system' },
              {
                action: 'register.candidate_prepared',
                entityType: 'register_entry',
                entityId: row.id,
                details: { caseId, redactions: countSpans(row.draft) },
              },
            );
          return row;
        });
        if (inserted) created += 1;
      }
      return created;
    },

    /** The moderation queue for one status, preparing new candidates first. */
    async queue(user: CurrentUser, status: RegisterStatus, page: number) {
      assertModerator(user);
      if (status === 'pending') await this.prepareCandidates();
      const { rows, counts } = await repo.listByStatus(status, page, REGISTER_PAGE_SIZE);
      return {
        entries: rows.map(({ draft, ...r }) => ({ ...r, redactions: countSpans(draft) })),
        counts,
        total: counts[status] ?? 0,
        pages: Math.max(1, Math.ceil((counts[status] ?? 0) / REGISTER_PAGE_SIZE)),
      };
    },

    /** One entry for review, with the text the public would see if it were approved now. */
    async review(user: CurrentUser, id: string) {
      const entry = await entryFor(user, id);
      return { entry, preview: publishedTexts(entry.draft) };
    },

    /** Undoes (keeps the text as written) or restores one automatic redaction; removes a manual one. */
    async setRedaction(
      user: CurrentUser,
      actor: Actor,
      id: string,
      input: {
        field: RegisterField;
        spanId: string;
        decision: 'undo' | 'restore' | 'remove';
        version: number;
      },
    ) {
      return changeDraft(
        user,
        actor,
        id,
        input.version,
        input.field,
        (f) => {
          if (!f) throw new ReviewError('register.errors.spanNotFound');
          if (input.decision === 'remove') return removeManualRedaction(f, input.spanId);
          return setSpanUndone(f, input.spanId, input.decision === 'undo');
        },
        { action: `register.redaction_${input.decision}`, details: { spanId: input.spanId } },
      );
    },

    /** Adds a moderator's redaction of every whole-word occurrence of a phrase in one field. */
    async addRedaction(
      user: CurrentUser,
      actor: Actor,
      id: string,
      input: { field: RegisterField; phrase: string; version: number },
    ) {
      return changeDraft(
        user,
        actor,
        id,
        input.version,
        input.field,
        (f) => {
          if (!f) throw new ReviewError('register.errors.phraseNotFound');
          return addManualRedaction(f, input.phrase);
        },
        // The phrase itself is personal data: the audit says that a redaction was added, not what.
        { action: 'register.redaction_added', details: {} },
      );
    },

    /**
     * Replaces the text of one field (the public summary, usually) and redacts the new text automatically;
     * an empty text removes the field from the entry.
     */
    async editText(
      user: CurrentUser,
      actor: Actor,
      id: string,
      input: { field: RegisterField; text: string; version: number },
    ) {
      assertModerator(user);
      const redactor = await redaction.prepare();
      const entry = await entryFor(user, id);
      const request = requestFor(await reporterTerms(entry.caseId));
      return changeDraft(
        user,
        actor,
        id,
        input.version,
        input.field,
        () => field(redactor, input.text, request),
        { action: 'register.text_edited', details: {} },
      );
    },

    /**
     * Publishes a pending entry: the public text is built from the reviewed draft now, and the case's public
     * facts (outcome, timeline) are refreshed. Refused when the case is no longer publishable (reopened
     * since) or when the text would still name or contact the reporter (a redaction undone, an edit).
     */
    async approve(user: CurrentUser, actor: Actor, id: string, input: { version: number }) {
      return decide(user, actor, id, {
        from: 'pending',
        notInState: 'register.errors.notPending',
        version: input.version,
        patch: async (entry, now) => {
          const facts = await repo.caseFacts(entry.caseId);
          if (!facts || !isPublishable(facts)) throw new ReviewError('register.errors.noLongerPublishable');
          const texts = publishedTexts(entry.draft);
          if (!texts.title || !texts.summary) throw new ReviewError('register.errors.needsTitleAndSummary');
          const terms = await reporterTerms(entry.caseId);
          if (Object.values(texts).some((text) => identityLeaks(text, terms).length > 0))
            throw new ReviewError('register.errors.identityLeak');
          const { caseId: _caseId, ...snapshot } = snapshotOf(facts, now);
          return {
            ...snapshot,
            status: 'published',
            pubTitle: texts.title,
            pubSummary: texts.summary,
            pubResponse: texts.response,
            pubDetermination: texts.determination,
            publishedAt: now,
            updatedAt: now,
            decidedBy: user.id,
            decidedAt: now,
            reason: null,
          };
        },
        action: 'register.published',
        details: (entry) => ({
          caseId: entry.caseId,
          reference: entry.reference,
          redactions: countSpans(entry.draft),
        }),
        changesPublic: true,
      });
    },

    /** Rejects a pending entry with a reason (kept for the audit; never published). */
    async reject(user: CurrentUser, actor: Actor, id: string, input: { reason: string; version: number }) {
      return decide(user, actor, id, {
        from: 'pending',
        notInState: 'register.errors.notPending',
        version: input.version,
        patch: (_entry, now) => ({
          status: 'rejected',
          decidedBy: user.id,
          decidedAt: now,
          updatedAt: now,
          reason: input.reason,
        }),
        action: 'register.rejected',
        details: (entry) => ({ caseId: entry.caseId, reason: input.reason }),
        changesPublic: false,
      });
    },

    /** Puts a rejected entry back in the queue (a moderator changed their mind). */
    async reconsider(user: CurrentUser, actor: Actor, id: string, input: { version: number }) {
      return decide(user, actor, id, {
        from: 'rejected',
        notInState: 'register.errors.notRejected',
        version: input.version,
        patch: (_entry, now) => ({ status: 'pending', decidedBy: null, decidedAt: null, updatedAt: now }),
        action: 'register.reconsidered',
        details: (entry) => ({ caseId: entry.caseId }),
        changesPublic: false,
      });
    },

    /** Withdraws a published entry: its public text is cleared and its page says it was removed. */
    async withdraw(user: CurrentUser, actor: Actor, id: string, input: { reason: string; version: number }) {
      return decide(user, actor, id, {
        from: 'published',
        notInState: 'register.errors.notPublished',
        version: input.version,
        patch: (_entry, now) => ({
          status: 'withdrawn',
          pubTitle: null,
          pubSummary: null,
          pubResponse: null,
          pubDetermination: null,
          withdrawnAt: now,
          updatedAt: now,
          decidedBy: user.id,
          decidedAt: now,
          reason: input.reason,
        }),
        action: 'register.withdrawn',
        details: (entry) => ({ caseId: entry.caseId, reference: entry.reference, reason: input.reason }),
        changesPublic: true,
      });
    },

    // --------------------------------------------------------------------------------------- public

    /** Search and filters over published entries, newest first. */
    async search(filters: SearchFilters, page: number) {
      const safePage = Math.min(Math.max(1, page), REGISTER_MAX_PAGE);
      const result = await repo.search(filters, safePage, REGISTER_PAGE_SIZE);
      const pages = Math.min(REGISTER_MAX_PAGE, Math.max(1, Math.ceil(result.total / REGISTER_PAGE_SIZE)));
      return { ...result, page: safePage, pageSize: REGISTER_PAGE_SIZE, pages };
    },

    /** The filter choices: bodies and years with published entries, and the Covenant's commitments. */
    async filterOptions() {
      return cached('facets', async () => ({
        ...(await repo.facets()),
        commitments: await repo.commitments(),
      }));
    },

    /** A published (or withdrawn) entry by case reference; null when there is none. */
    async publishedCase(reference: string) {
      return repo.byReference(reference);
    },

    /** The newest published entries (the Atom feed). */
    async latest(limit = 50) {
      return repo.latest(limit);
    },

    /**
     * Counts by body, commitment and outcome of every reported problem that has ended, with small numbers
     * suppressed (register.suppression.ts). Recomputed at most every AGGREGATE_TTL_MS.
     */
    async statistics(year?: number) {
      return cached(`stats:${year ?? ''}`, async () => {
        const raw = await repo.endedCaseCounts(year);
        const outcomeCells = [...outcomeCodes.filter((o) => o !== 'duplicate'), 'not_recorded'].map(
          (key) => ({
            key,
            count: raw.byOutcome.find((r) => (r.key || 'not_recorded') === key)?.count ?? 0,
          }),
        );
        const labels = new Map<string, string>();
        for (const r of [...raw.byBody, ...raw.byCommitment]) labels.set(r.key, r.label);
        // Every case has exactly one outcome, so the outcome table's total is the overall total, suppressed
        // by the same rule: the raw total never leaves this function.
        const byOutcome = suppressCounts(outcomeCells, { total: raw.total });
        return {
          year: year ?? null,
          total: byOutcome.total,
          byBody: withLabels(suppressCounts(raw.byBody, { total: raw.total }), labels),
          byCommitment: withLabels(suppressCounts(raw.byCommitment, { total: raw.total }), labels),
          byOutcome,
          computedAt: clock.now(),
        };
      });
    },

    /** Forgets cached aggregates (after a publication; tests). */
    invalidate,
  };
}

function withLabels(
  table: SuppressedTable,
  labels: Map<string, string>,
): Omit<SuppressedTable, 'cells'> & { cells: (ShownCell & { label: string })[] } {
  return { ...table, cells: table.cells.map((c) => ({ ...c, label: labels.get(c.key) ?? c.key })) };
}

/** How many redactions a draft applies, in all its fields. */
export function countSpans(draft: RegisterDraft): number {
  return Object.values(draft).reduce((n, f) => n + (f?.spans.filter((s) => !s.undone).length ?? 0), 0);
}

export type RegisterService = ReturnType<typeof createRegisterService>;
