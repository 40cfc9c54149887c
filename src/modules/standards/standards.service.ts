/**
 * Standards monitoring (issue 5 item 2): the consultations and funding records of public bodies, checked
 * against C1, C3 and F1–F4 (domain.md §5), and reviews of agreement texts (A1–A3): the clause checker
 * proposes clauses and the reviewer confirms or sets aside each one; the decisions are stored with the
 * review. Consultation and funding findings are computed from the records whenever they are read
 * (standards.rules.ts), so they are always current.
 *
 * `findingsForBody` and `findingCountsByBody` are the contract the scorecards rely on
 * (docs/modules/standards.md): they need no signed-in user, since findings are public information.
 */
import type { Clock } from '../../platform/clock.ts';
import type { Database } from '../../platform/db/database.ts';
import type { AuditLog } from '../../platform/audit/audit.ts';
import { toUkIsoDate } from '../../platform/calendar/iso-date.ts';
import { checkClauses } from './clauses/checker.ts';
import type { Actor } from '../../platform/audit/audit.ts';
import type { CurrentUser } from '../../platform/auth/roles.ts';
import { isAdmin } from '../../platform/auth/roles.ts';
import { ForbiddenError, NotFoundError } from '../../platform/http/errors.ts';
import type { StandardsRepository } from './standards.repository.ts';
import { canRecordFor, recordBodies } from './standards.policy.ts';
import { piecesOf } from './standards.clauses.service.ts';
import { readImportFile, type ParsedImport, type RowError } from './standards.import.ts';
import type {
  AgreementInput,
  ChangeInput,
  ConsultationInput,
  ImportKind,
  ReviewDecision,
  ReviewInput,
} from './standards.schema.ts';
import type { ConsultationRow, FundingAgreementRow, ReviewFindingRow } from './standards.tables.ts';
import {
  assessRecords,
  emptyTally,
  type Finding,
  type FindingTally,
  type ReviewedClause,
  type StandardCode,
  type StandardsRecords,
} from './standards.rules.ts';

export interface FindingsForBody extends FindingTally {
  findings: Finding[];
}

export function createStandardsService(deps: {
  db: Database;
  audit: AuditLog;
  clock: Clock;
  repo: StandardsRepository;
  /** Called after a change to a body's records (the scorecards' cache). */
  changed?: (bodyId: string) => void;
}) {
  const { repo, clock } = deps;
  const today = () => toUkIsoDate(clock.now());

  /** Every record of one body (or of all bodies), in the shape the rules take. */
  async function loadRecords(bodyId?: string): Promise<StandardsRecords> {
    const [consultations, agreements, changes, reviews, clauses] = await Promise.all([
      repo.consultations(bodyId),
      repo.agreements(bodyId),
      repo.changes(bodyId),
      repo.reviews(bodyId),
      repo.reviewClauses(bodyId),
    ]);
    const clausesOf = new Map<string, ReviewedClause[]>();
    for (const c of clauses) clausesOf.set(c.reviewId, [...(clausesOf.get(c.reviewId) ?? []), c]);
    return {
      consultations,
      agreements: agreements.map((a) => ({ ...a, bodyId: a.funderBodyId })),
      changes: changes.map((c) => ({
        ...c.change,
        bodyId: c.funderBodyId,
        agreementTitle: c.agreementTitle,
        recipientName: c.recipientName,
      })),
      reviews: reviews.map((r) => ({ ...r, clauses: clausesOf.get(r.id) ?? [] })),
    };
  }

  /**
   * All findings for one body, newest first, optionally for one standard, with counts for every standard
   * (0 when none) and the number of records checked against each.
   */
  async function findingsForBody(
    bodyId: string,
    options: { standard?: StandardCode; year?: number } = {},
  ): Promise<FindingsForBody> {
    const assessed = assessRecords(await loadRecords(bodyId), {
      today: today(),
      year: options.year,
    }).get(bodyId);
    const tally = assessed?.tally ?? emptyTally();
    const findings = (assessed?.findings ?? []).filter(
      (f) => !options.standard || f.standard === options.standard,
    );
    return { ...tally, findings };
  }

  /** Counts for every body with records, optionally for one calendar year (league tables, trends). */
  async function findingCountsByBody(options: { year?: number } = {}): Promise<Map<string, FindingTally>> {
    const assessed = assessRecords(await loadRecords(), { today: today(), year: options.year });
    return new Map([...assessed].map(([bodyId, e]) => [bodyId, e.tally]));
  }

  /** Every finding of every body (the public list and its CSV), with the body's name and slug. */
  async function allFindings(filter: { standard?: StandardCode; bodyId?: string; year?: number } = {}) {
    const assessed = assessRecords(await loadRecords(filter.bodyId), {
      today: today(),
      year: filter.year,
    });
    const bodies = new Map((await repo.bodiesWithRecords()).map((b) => [b.id, b]));
    const rows = [...assessed].flatMap(([bodyId, e]) =>
      e.findings
        .filter((f) => !filter.standard || f.standard === filter.standard)
        .map((f) => ({
          ...f,
          bodyId,
          bodyName: bodies.get(bodyId)?.name ?? '',
          bodySlug: bodies.get(bodyId)?.slug ?? '',
        })),
    );
    return rows.sort((x, y) =>
      x.date === y.date
        ? x.bodyName.localeCompare(y.bodyName) || x.id.localeCompare(y.id)
        : x.date < y.date
          ? 1
          : -1,
    );
  }

  // ── Keeping a body's records (its staff and administrators) ─────────────────────────────────────────

  type Body = NonNullable<Awaited<ReturnType<StandardsRepository['findBodyBySlug']>>>;

  /** The public body with this slug, or 404. */
  async function publicBody(slug: string): Promise<Body> {
    const body = await repo.findBodyBySlug(slug);
    if (!body || body.kind !== 'public_body') throw new NotFoundError('No such public body');
    return body;
  }

  /** The body whose records the person may keep, or 404 (no such body) / 403 (not theirs). */
  async function bodyToRecord(user: CurrentUser, slug: string): Promise<Body> {
    const body = await publicBody(slug);
    if (!canRecordFor(user, body.id))
      throw new ForbiddenError('Only the body’s own staff can keep its standards records');
    return body;
  }

  const changed = (bodyId: string) => deps.changed?.(bodyId);

  async function consultationOf(bodyId: string, consultationId: string): Promise<ConsultationRow> {
    const row = await repo.findConsultation(consultationId);
    if (!row || row.bodyId !== bodyId) throw new NotFoundError('No such consultation');
    return row;
  }
  async function agreementOf(bodyId: string, agreementId: string): Promise<FundingAgreementRow> {
    const row = await repo.findAgreement(agreementId);
    if (!row || row.funderBodyId !== bodyId) throw new NotFoundError('No such funding agreement');
    return row;
  }

  /** What an import would do: each good row as new, changed or unchanged, and every row error. */
  interface ImportRun {
    kind: ImportKind;
    format: 'csv' | 'json';
    rows: { line: number; title: string; externalId: string; action: 'new' | 'update' | 'unchanged' }[];
    errors: RowError[];
  }

  const sameConsultation = (row: ConsultationRow, input: ConsultationInput) =>
    row.title === input.title &&
    row.url === input.url &&
    row.opensOn === input.opensOn &&
    row.closesOn === input.closesOn &&
    row.responsePublishedOn === input.responsePublishedOn &&
    row.shortReason === input.shortReason &&
    row.lateResponseReason === input.lateResponseReason;
  const sameAgreement = (row: FundingAgreementRow, input: AgreementInput, unstated: string[]) =>
    (Object.keys(input) as (keyof AgreementInput)[]).every(
      (k) => unstated.includes(k) || row[k] === input[k],
    );
  /** An update from a file leaves alone what the file does not say (see ImportedRow.unstated). */
  const stated = <T extends object>(record: T, unstated: string[]) =>
    Object.fromEntries(Object.entries(record).filter(([k]) => !unstated.includes(k))) as Partial<T>;

  async function planImport(body: Body, kind: ImportKind, text: string) {
    const parsed = readImportFile(kind, text, body);
    const ids = parsed.rows.map((r) => r.externalId);
    const existing =
      kind === 'consultations'
        ? new Map((await repo.consultationsByExternalId(body.id, ids)).map((r) => [r.externalId!, r]))
        : new Map((await repo.agreementsByExternalId(body.id, ids)).map((r) => [r.externalId!, r]));
    const run: ImportRun = { kind, format: parsed.format, rows: [], errors: parsed.errors };
    for (const row of parsed.rows) {
      const found = existing.get(row.externalId);
      const unchanged =
        found &&
        (kind === 'consultations'
          ? sameConsultation(found as ConsultationRow, row.record as ConsultationInput)
          : sameAgreement(found as FundingAgreementRow, row.record as AgreementInput, row.unstated));
      run.rows.push({
        line: row.line,
        title: (row.record as { title: string }).title,
        externalId: row.externalId,
        action: !found ? 'new' : unchanged ? 'unchanged' : 'update',
      });
    }
    run.errors.sort((a, b) => a.line - b.line);
    return { run, parsed, existing };
  }

  /** The checker's proposals for a text, each with its clause split into marked and unmarked pieces. */
  const proposalsOf = (text: string) => checkClauses(text).map((f) => ({ ...f, pieces: piecesOf(f) }));

  /** A stored clause with its matched words marked again (by checking the text again; staff pages only). */
  const withPieces = (text: string, clause: ReviewFindingRow) => {
    const again = checkClauses(text).find((f) => f.start === clause.start && f.rule === clause.rule);
    const pieces = again ? piecesOf(again) : [{ text: clause.text, marked: false }];
    return { ...clause, pieces };
  };

  const records = {
    /** Bodies the person keeps records for (every public body for an administrator). */
    async bodiesFor(user: CurrentUser) {
      return isAdmin(user) ? repo.publicBodies() : repo.bodiesByIds(recordBodies(user));
    },

    bodyToRecord,
    publicBody,

    /** A body's records for its staff: consultations, agreements with their changes, current findings. */
    async bodyRecords(user: CurrentUser, slug: string) {
      const body = await bodyToRecord(user, slug);
      const [consultations, agreements, changes, reviews, found] = await Promise.all([
        repo.consultations(body.id),
        repo.agreements(body.id),
        repo.changes(body.id),
        repo.reviews(body.id),
        findingsForBody(body.id),
      ]);
      const findingsBySubject = new Map<string, Finding[]>();
      for (const f of found.findings)
        findingsBySubject.set(f.subjectId, [...(findingsBySubject.get(f.subjectId) ?? []), f]);
      return {
        body,
        consultations: consultations.map((c) => ({ ...c, findings: findingsBySubject.get(c.id) ?? [] })),
        agreements: agreements.map((a) => ({
          ...a,
          findings: findingsBySubject.get(a.id) ?? [],
          changes: changes
            .filter((c) => c.change.agreementId === a.id)
            .map((c) => ({ ...c.change, findings: findingsBySubject.get(c.change.id) ?? [] })),
        })),
        reviews: reviews.map((r) => ({ ...r, findings: findingsBySubject.get(r.id) ?? [] })),
        total: found.total,
      };
    },

    async consultation(user: CurrentUser, slug: string, consultationId: string) {
      const body = await bodyToRecord(user, slug);
      return { body, consultation: await consultationOf(body.id, consultationId) };
    },

    async agreement(user: CurrentUser, slug: string, agreementId: string) {
      const body = await bodyToRecord(user, slug);
      const agreement = await agreementOf(body.id, agreementId);
      return { body, agreement, changes: await repo.changesOfAgreement(agreement.id) };
    },

    async addConsultation(user: CurrentUser, actor: Actor, slug: string, input: ConsultationInput) {
      const body = await bodyToRecord(user, slug);
      const row = await deps.db.transaction(async () => {
        const inserted = await repo.insertConsultation({
          ...input,
          bodyId: body.id,
          source: 'form',
          createdBy: user.id,
        });
        await deps.audit.record(actor, {
          action: 'standards.consultation_recorded',
          entityType: 'standards_consultation',
          entityId: inserted.id,
          details: { bodyId: body.id, opensOn: input.opensOn, closesOn: input.closesOn },
        });
        return inserted;
      });
      changed(body.id);
      return row;
    },

    async updateConsultation(
      user: CurrentUser,
      actor: Actor,
      slug: string,
      consultationId: string,
      input: ConsultationInput,
    ) {
      const body = await bodyToRecord(user, slug);
      await deps.db.transaction(async () => {
        const before = await consultationOf(body.id, consultationId);
        await repo.updateConsultation(consultationId, { ...input, updatedAt: clock.now() });
        await deps.audit.record(actor, {
          action: 'standards.consultation_updated',
          entityType: 'standards_consultation',
          entityId: consultationId,
          details: {
            bodyId: body.id,
            before: {
              opensOn: before.opensOn,
              closesOn: before.closesOn,
              response: before.responsePublishedOn,
            },
            after: { opensOn: input.opensOn, closesOn: input.closesOn, response: input.responsePublishedOn },
          },
        });
      });
      changed(body.id);
    },

    async addAgreement(user: CurrentUser, actor: Actor, slug: string, input: AgreementInput) {
      const body = await bodyToRecord(user, slug);
      const row = await deps.db.transaction(async () => {
        const inserted = await repo.insertAgreement({
          ...input,
          funderBodyId: body.id,
          source: 'form',
          createdBy: user.id,
        });
        await deps.audit.record(actor, {
          action: 'standards.agreement_recorded',
          entityType: 'standards_funding_agreement',
          entityId: inserted.id,
          details: { bodyId: body.id, amountPence: input.amountPence, startsOn: input.startsOn },
        });
        return inserted;
      });
      changed(body.id);
      return row;
    },

    async updateAgreement(
      user: CurrentUser,
      actor: Actor,
      slug: string,
      agreementId: string,
      input: AgreementInput,
    ) {
      const body = await bodyToRecord(user, slug);
      await deps.db.transaction(async () => {
        await agreementOf(body.id, agreementId);
        await repo.updateAgreement(agreementId, { ...input, updatedAt: clock.now() });
        await deps.audit.record(actor, {
          action: 'standards.agreement_updated',
          entityType: 'standards_funding_agreement',
          entityId: agreementId,
          details: { bodyId: body.id, amountPence: input.amountPence, startsOn: input.startsOn },
        });
      });
      changed(body.id);
    },

    async addChange(user: CurrentUser, actor: Actor, slug: string, agreementId: string, input: ChangeInput) {
      const body = await bodyToRecord(user, slug);
      const row = await deps.db.transaction(async () => {
        await agreementOf(body.id, agreementId);
        const inserted = await repo.insertChange({ ...input, agreementId, createdBy: user.id });
        await deps.audit.record(actor, {
          action: 'standards.funding_change_recorded',
          entityType: 'standards_funding_change',
          entityId: inserted.id,
          details: { bodyId: body.id, agreementId, noticeOn: input.noticeOn, effectiveOn: input.effectiveOn },
        });
        return inserted;
      });
      changed(body.id);
      return row;
    },

    async change(user: CurrentUser, slug: string, agreementId: string, changeId: string) {
      const { body, agreement } = await records.agreement(user, slug, agreementId);
      const change = await repo.findChange(changeId);
      if (!change || change.agreementId !== agreement.id) throw new NotFoundError('No such funding change');
      return { body, agreement, change };
    },

    async updateChange(
      user: CurrentUser,
      actor: Actor,
      slug: string,
      agreementId: string,
      changeId: string,
      input: ChangeInput,
    ) {
      const { body } = await records.change(user, slug, agreementId, changeId);
      await deps.db.transaction(async () => {
        await repo.updateChange(changeId, { ...input, updatedAt: clock.now() });
        await deps.audit.record(actor, {
          action: 'standards.funding_change_updated',
          entityType: 'standards_funding_change',
          entityId: changeId,
          details: { bodyId: body.id, agreementId, noticeOn: input.noticeOn, effectiveOn: input.effectiveOn },
        });
      });
      changed(body.id);
    },

    /**
     * The clause checker's proposals for an agreement under review (nothing is saved): each clause that may
     * conflict with A1–A3, with its matched words marked, for the reviewer to confirm or set aside.
     */
    async proposeReview(user: CurrentUser, slug: string, input: ReviewInput) {
      const body = await bodyToRecord(user, slug);
      return { body, proposals: proposalsOf(input.text) };
    },

    /**
     * Saves a review with the reviewer's decision on every proposal, in one transaction with an audit row.
     * The checker is run again on the same text (it is deterministic), so the stored clauses are the
     * checker's, never what a form said they were; a decision list of another length means the form is not
     * the one the check page sent (or the checker changed meanwhile) and nothing is saved.
     */
    async saveReview(
      user: CurrentUser,
      actor: Actor,
      slug: string,
      input: ReviewInput,
      decisions: readonly ReviewDecision[],
    ) {
      const body = await bodyToRecord(user, slug);
      const proposals = proposalsOf(input.text);
      if (proposals.length !== decisions.length)
        throw new ReviewOutOfDateError('The review form does not match the agreement text');
      const review = await deps.db.transaction(async () => {
        const inserted = await repo.insertReview(
          { ...input, bodyId: body.id, createdBy: user.id },
          proposals.map((f, i) => ({
            rule: f.rule,
            start: f.start,
            end: f.end,
            text: f.text,
            why: f.why,
            confirmed: decisions[i]!.confirmed,
            note: decisions[i]!.note,
          })),
        );
        await deps.audit.record(actor, {
          action: 'standards.agreement_reviewed',
          entityType: 'standards_agreement_review',
          entityId: inserted.id,
          details: {
            bodyId: body.id,
            reviewedOn: input.reviewedOn,
            proposed: proposals.length,
            confirmed: decisions.filter((d) => d.confirmed).length,
          },
        });
        return inserted;
      });
      changed(body.id);
      return review;
    },

    /** A stored review for the body's staff: the agreement, and each proposed clause with its decision. */
    async review(user: CurrentUser, slug: string, reviewId: string) {
      const body = await bodyToRecord(user, slug);
      const review = await repo.findReview(reviewId);
      if (!review || review.bodyId !== body.id) throw new NotFoundError('No such agreement review');
      const clauses = (await repo.clausesOfReview(review.id)).map((c) => withPieces(review.text, c));
      return { body, review, clauses };
    },

    /** The dry run: reads the file and says what each row would do, saving nothing. */
    async dryRunImport(user: CurrentUser, slug: string, kind: ImportKind, text: string) {
      const body = await bodyToRecord(user, slug);
      return { body, run: (await planImport(body, kind, text)).run };
    },

    /**
     * Imports after the dry run: the file is checked again in full, and saved only when no row has a problem,
     * all in one transaction with one audit row. Rows matching an earlier import (same identifier) update it;
     * unchanged rows are left alone, so importing the same file twice changes nothing.
     */
    async confirmImport(user: CurrentUser, actor: Actor, slug: string, kind: ImportKind, text: string) {
      const body = await bodyToRecord(user, slug);
      const outcome = await deps.db.transaction(async () => {
        const { run, parsed, existing } = await planImport(body, kind, text);
        if (run.errors.length > 0) return { imported: false as const, run };
        const now = clock.now();
        for (const [index, row] of parsed.rows.entries()) {
          const action = run.rows[index]!.action;
          const found = existing.get(row.externalId);
          if (action === 'unchanged') continue;
          if (kind === 'consultations') {
            const record = (row as ParsedImport<ConsultationInput>['rows'][number]).record;
            if (found)
              await repo.updateConsultation(found.id, { ...record, source: parsed.source, updatedAt: now });
            else
              await repo.insertConsultation({
                ...record,
                bodyId: body.id,
                source: parsed.source,
                externalId: row.externalId,
                createdBy: user.id,
              });
          } else {
            const record = (row as ParsedImport<AgreementInput>['rows'][number]).record;
            if (found)
              await repo.updateAgreement(found.id, {
                ...stated(record, row.unstated),
                source: parsed.source,
                updatedAt: now,
              });
            else
              await repo.insertAgreement({
                ...record,
                funderBodyId: body.id,
                source: parsed.source,
                externalId: row.externalId,
                createdBy: user.id,
              });
          }
        }
        const count = (a: string) => run.rows.filter((r) => r.action === a).length;
        await deps.audit.record(actor, {
          action: 'standards.imported',
          entityType: 'organisation',
          entityId: body.id,
          details: {
            kind,
            format: run.format,
            created: count('new'),
            updated: count('update'),
            unchanged: count('unchanged'),
          },
        });
        return { imported: true as const, run };
      });
      if (outcome.imported) changed(body.id);
      return { body, ...outcome };
    },
  };

  return {
    findingsForBody,
    findingCountsByBody,
    allFindings,
    records,
  };
}

export type StandardsService = ReturnType<typeof createStandardsService>;

/** The review's decisions do not match the checker's proposals for its text (see `saveReview`). */
export class ReviewOutOfDateError extends Error {}
