/**
 * Conflicts of interest, checked (SPEC §4: "a member with a conflict cannot see or decide that case"). This is
 * the one function behind `hasConflict` in cases.policy (every case page, pack, list and vote), the identity
 * escrow and evidence downloads; lists filter with the batch form, `conflictedCaseIds`.
 *
 * The reporter's organisation is asked of the escrow (cases.identity.ts `reporterOrganisationIds`): ids only.
 */
import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { Database } from '../../platform/db/database.ts';
import { memberships } from '../accounts/accounts.tables.ts';
import { organisations } from '../directory/directory.tables.ts';
import { cases } from '../cases/cases.tables.ts';
import { isConflicted } from './panel.rules.ts';
import { panelConflicts } from './panel.tables.ts';

/** How many levels of parent bodies a conflict with a parent reaches (department → agency → unit). */
const PARENT_DEPTH = 3;

export function createPanelConflicts(deps: {
  db: Database;
  reporterOrganisationIds: (caseIds: string[]) => Promise<Map<string, string>>;
}) {
  const { db } = deps;

  /** The organisations involved in each case: body and its parents, intermediary, reporter's organisation. */
  async function involvedOrganisations(caseIds: string[]): Promise<Map<string, string[]>> {
    const result = new Map<string, string[]>();
    if (caseIds.length === 0) return result;
    const rows = await db
      .get()
      .select({ id: cases.id, bodyId: cases.bodyId, intermediary: cases.intermediaryOrganisationId })
      .from(cases)
      .where(inArray(cases.id, caseIds));
    const reporters = await deps.reporterOrganisationIds(caseIds);
    // Parents of every body, level by level.
    const parentOf = new Map<string, string | null>();
    let frontier = [...new Set(rows.map((r) => r.bodyId).filter((b): b is string => Boolean(b)))];
    for (let depth = 0; depth < PARENT_DEPTH && frontier.length; depth++) {
      const parents = await db
        .get()
        .select({ id: organisations.id, parentId: organisations.parentId })
        .from(organisations)
        .where(inArray(organisations.id, frontier));
      for (const p of parents) parentOf.set(p.id, p.parentId);
      frontier = parents.map((p) => p.parentId).filter((p): p is string => Boolean(p) && !parentOf.has(p!));
    }
    for (const r of rows) {
      const involved: string[] = [];
      let body = r.bodyId;
      for (let depth = 0; body && depth <= PARENT_DEPTH; depth++) {
        involved.push(body);
        body = parentOf.get(body) ?? null;
      }
      if (r.intermediary) involved.push(r.intermediary);
      const reporter = reporters.get(r.id);
      if (reporter) involved.push(reporter);
      result.set(r.id, involved);
    }
    return result;
  }

  /** The person's active declared conflicts and the organisations they belong to. */
  async function memberFacts(userId: string) {
    const [declared, belongs] = await Promise.all([
      db
        .get()
        .select({ organisationId: panelConflicts.organisationId, caseId: panelConflicts.caseId })
        .from(panelConflicts)
        .where(and(eq(panelConflicts.userId, userId), isNull(panelConflicts.withdrawnAt))),
      db
        .get()
        .select({ organisationId: memberships.organisationId })
        .from(memberships)
        .where(eq(memberships.userId, userId)),
    ]);
    return { declared, memberOf: belongs.map((m) => m.organisationId) };
  }

  /** The cases among `caseIds` the person is conflicted with. */
  async function conflictedCaseIds(userId: string, caseIds: string[]): Promise<Set<string>> {
    const ids = caseIds.filter((id) => /^[0-9a-f-]{36}$/i.test(id));
    if (ids.length === 0) return new Set();
    const [member, involved] = await Promise.all([memberFacts(userId), involvedOrganisations(ids)]);
    const conflicted = new Set<string>();
    for (const caseId of ids) {
      if (isConflicted(member, { caseId, involvedOrganisationIds: involved.get(caseId) ?? [] }))
        conflicted.add(caseId);
    }
    return conflicted;
  }

  return {
    conflictedCaseIds,
    /** True when the person is conflicted with the case (cases.policy `hasConflict`). */
    async hasConflict(userId: string, caseId: string): Promise<boolean> {
      return (await conflictedCaseIds(userId, [caseId])).has(caseId);
    },
  };
}

export type PanelConflicts = ReturnType<typeof createPanelConflicts>;
