/**
 * Standards monitoring (issue 5 item 2): the consultations and funding records of public bodies, checked
 * against C1, C3 and F1–F4 (domain.md §5), and reviewed agreement texts checked by the clause checker
 * (A1–A3). Findings are computed from the records whenever they are read (standards.rules.ts), so they are
 * always current; nothing about a finding is stored.
 *
 * `findingsForBody` and `findingCountsByBody` are the contract the scorecards rely on
 * (docs/modules/standards.md): they need no signed-in user, since findings are public information.
 */
import type { Clock } from '../../platform/clock.ts';
import type { Database } from '../../platform/db/database.ts';
import type { AuditLog } from '../../platform/audit/audit.ts';
import { toUkIsoDate } from '../../platform/calendar/iso-date.ts';
import { checkClauses } from './clauses/checker.ts';
import type { StandardsRepository } from './standards.repository.ts';
import {
  assessRecords,
  emptyTally,
  type Finding,
  type FindingTally,
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

  // Reviewed agreements never change once saved, so each text is checked once per process.
  const clauseCache = new Map<string, ReturnType<typeof checkClauses>>();
  const checkText = (review: { id: string; text: string }) => {
    let found = clauseCache.get(review.id);
    if (!found) {
      found = checkClauses(review.text);
      clauseCache.set(review.id, found);
    }
    return found;
  };

  /** Every record of one body (or of all bodies), in the shape the rules take. */
  async function loadRecords(bodyId?: string): Promise<StandardsRecords> {
    const [consultations, agreements, changes, reviews] = await Promise.all([
      repo.consultations(bodyId),
      repo.agreements(bodyId),
      repo.changes(bodyId),
      repo.reviews(bodyId),
    ]);
    return {
      consultations,
      agreements: agreements.map((a) => ({ ...a, bodyId: a.funderBodyId })),
      changes: changes.map((c) => ({
        ...c.change,
        bodyId: c.funderBodyId,
        agreementTitle: c.agreementTitle,
        recipientName: c.recipientName,
      })),
      reviews,
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
      checkText,
    }).get(bodyId);
    const tally = assessed?.tally ?? emptyTally();
    const findings = (assessed?.findings ?? []).filter(
      (f) => !options.standard || f.standard === options.standard,
    );
    return { ...tally, findings };
  }

  /** Counts for every body with records, optionally for one calendar year (league tables, trends). */
  async function findingCountsByBody(options: { year?: number } = {}): Promise<Map<string, FindingTally>> {
    const assessed = assessRecords(await loadRecords(), { today: today(), year: options.year, checkText });
    return new Map([...assessed].map(([bodyId, e]) => [bodyId, e.tally]));
  }

  /** Every finding of every body (the public list and its CSV), with the body's name and slug. */
  async function allFindings(filter: { standard?: StandardCode; bodyId?: string; year?: number } = {}) {
    const assessed = assessRecords(await loadRecords(filter.bodyId), {
      today: today(),
      year: filter.year,
      checkText,
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

  return {
    findingsForBody,
    findingCountsByBody,
    allFindings,
  };
}

export type StandardsService = ReturnType<typeof createStandardsService>;
