/**
 * Identity escrow (SPEC §3 "Confidentiality"; ARCHITECTURE example 3). The ONLY module that reads or writes
 * `case_identities`. Every read goes through `readIdentity`, which checks the policy and, for any case that
 * is not public, writes a `case.identity_viewed` audit row (who, which case, what they were shown; never the
 * identity itself).
 *
 * Who may see the reporter's identity:
 * - the reporter themselves (the account that filed);
 * - the Covenant team (`admin`), who triage and relay;
 * - oversight panel members, once the case has been escalated, unless conflicted (they belong to the body
 *   concerned, the reporter's organisation or the intermediary), and unless they declared a conflict with the
 *   case or an organisation in it (`hasConflict`, supplied by the panel module);
 * - the body's own staff: for a `public` case the organisation's name only (never personal contact
 *   details); for `anonymised`, `withheld` and `intermediary` cases nothing at all.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import { insertRows } from '../../platform/db/insert-rows.ts';
import type { Actor, AuditLog } from '../../platform/audit/audit.ts';
import { hasRole, type CurrentUser } from '../../platform/auth/roles.ts';
import type { Database } from '../../platform/db/database.ts';
import { caseIdentities, cases, type Confidentiality } from './cases.tables.ts';

/** What the escrow holds for one case. */
export interface ReporterIdentity {
  reporterUserId: string | null;
  reporterOrganisationId: string | null;
  name: string | null;
  email: string | null;
  phone: string | null;
  organisationName: string | null;
}

/** What one person may be shown: everything, the organisation's name only, or nothing ("identity withheld"). */
export type IdentityView =
  | { access: 'full'; identity: ReporterIdentity }
  | { access: 'organisation'; organisationName: string | null }
  | { access: 'none' };

export type IdentityAccess = IdentityView['access'];

interface CaseFacts {
  confidentiality: Confidentiality;
  bodyId: string | null;
  intermediaryOrganisationId: string | null;
  escalatedAt: Date | null;
}

/** The policy, as a pure function (so pages can ask "may I?" without reading anything). */
export function identityAccess(
  user: CurrentUser | null,
  facts: CaseFacts,
  identity: Pick<ReporterIdentity, 'reporterUserId' | 'reporterOrganisationId'>,
): IdentityAccess {
  if (!user) return 'none';
  if (identity.reporterUserId && identity.reporterUserId === user.id) return 'full';
  if (hasRole(user, 'admin')) return 'full';
  if (hasRole(user, 'panel_member') && facts.escalatedAt && !isConflicted(user, facts, identity))
    return 'full';
  const bodyStaff =
    facts.bodyId !== null &&
    (hasRole(user, 'body_officer', facts.bodyId) || hasRole(user, 'body_lead', facts.bodyId));
  // SPEC §3: for withheld, anonymised and intermediary cases the body never learns who reported.
  if (bodyStaff && facts.confidentiality === 'public') return 'organisation';
  return 'none';
}

/** A panel member who belongs to the body, the reporter's organisation or the intermediary is conflicted. */
function isConflicted(
  user: CurrentUser,
  facts: CaseFacts,
  identity: Pick<ReporterIdentity, 'reporterOrganisationId'>,
): boolean {
  const involved = [facts.bodyId, identity.reporterOrganisationId, facts.intermediaryOrganisationId].filter(
    (id): id is string => Boolean(id),
  );
  return user.memberships.some((m) => involved.includes(m.organisationId));
}

export function createCaseIdentity(deps: {
  db: Database;
  audit: AuditLog;
  /** Declared conflicts of interest (the panel module's): a conflicted panel member is shown nothing. */
  hasConflict?: (userId: string, caseId: string) => Promise<boolean>;
}) {
  const { db, audit } = deps;

  return {
    /**
     * Stores who filed a case. Called once, by the intake service, inside the submitting transaction.
     */
    async store(caseId: string, identity: ReporterIdentity): Promise<void> {
      await db
        .get()
        .insert(caseIdentities)
        .values({ caseId, ...identity });
    },

    /** Stores who filed each of several cases in one statement (reports submitted together). */
    async storeMany(rows: (ReporterIdentity & { caseId: string })[]): Promise<void> {
      await insertRows(db.get(), caseIdentities, rows);
    },

    /**
     * Reads the reporter's identity for `user`, checking the policy above. Writes a `case.identity_viewed`
     * audit row for every read of a case that is not public (and for every refused attempt on one).
     * Returns `{ access: 'none' }` when there is nothing the person may see, or no such case.
     */
    async readIdentity(actor: Actor, user: CurrentUser | null, caseId: string): Promise<IdentityView> {
      const [row] = await db
        .get()
        .select({
          confidentiality: cases.confidentiality,
          bodyId: cases.bodyId,
          intermediaryOrganisationId: cases.intermediaryOrganisationId,
          escalatedAt: cases.escalatedAt,
          reporterUserId: caseIdentities.reporterUserId,
          reporterOrganisationId: caseIdentities.reporterOrganisationId,
          name: caseIdentities.name,
          email: caseIdentities.email,
          phone: caseIdentities.phone,
          organisationName: caseIdentities.organisationName,
        })
        .from(cases)
        .innerJoin(caseIdentities, eq(caseIdentities.caseId, cases.id))
        .where(eq(cases.id, caseId));
      if (!row) return { access: 'none' };
      let access = identityAccess(user, row, row);
      // Full access that comes only from the panel's rule also needs no declared conflict.
      if (
        access === 'full' &&
        user &&
        row.reporterUserId !== user.id &&
        !hasRole(user, 'admin') &&
        (await deps.hasConflict?.(user.id, caseId))
      )
        access = 'none';
      if (row.confidentiality !== 'public') {
        await audit.record(actor, {
          action: 'case.identity_viewed',
          entityType: 'case',
          entityId: caseId,
          details: { confidentiality: row.confidentiality, access },
        });
      }
      if (access === 'full') {
        const {
          confidentiality: _c,
          bodyId: _b,
          intermediaryOrganisationId: _i,
          escalatedAt: _e,
          ...identity
        } = row;
        return { access, identity };
      }
      if (access === 'organisation') return { access, organisationName: row.organisationName };
      return { access: 'none' };
    },

    /** True when this account filed the case (for the reporter's own pages; returns no identity data). */
    async isReporter(userId: string, caseId: string): Promise<boolean> {
      const rows = await db
        .get()
        .select({ caseId: caseIdentities.caseId })
        .from(caseIdentities)
        .where(and(eq(caseIdentities.caseId, caseId), eq(caseIdentities.reporterUserId, userId)));
      return rows.length > 0;
    },

    /**
     * SQL: the reference of the case with this idempotency key when this account filed it, else null (the
     * same check as a lookup by key and isReporter, as one subquery another query can carry).
     */
    reporterCaseReferenceByKey(userId: string, idempotencyKey: string) {
      return sql<string | null>`(select c.reference from ${cases} c
        where c.idempotency_key = ${idempotencyKey}
          and exists (select 1 from ${caseIdentities} i
                      where i.case_id = c.id and i.reporter_user_id = ${userId}))`;
    },

    /** The ids of the cases this account filed (newest first is the caller's business). */
    async caseIdsForReporter(userId: string): Promise<string[]> {
      const rows = await db
        .get()
        .select({ caseId: caseIdentities.caseId })
        .from(caseIdentities)
        .where(eq(caseIdentities.reporterUserId, userId));
      return rows.map((r) => r.caseId);
    },

    /**
     * The reporting organisation of each case, for conflict-of-interest checks only (panel.conflicts.ts):
     * organisation ids, never a name or contact detail, and never shown to anyone.
     */
    async reporterOrganisationIds(caseIds: string[]): Promise<Map<string, string>> {
      if (caseIds.length === 0) return new Map();
      const rows = await db
        .get()
        .select({ caseId: caseIdentities.caseId, organisationId: caseIdentities.reporterOrganisationId })
        .from(caseIdentities)
        .where(inArray(caseIdentities.caseId, caseIds));
      return new Map(rows.filter((r) => r.organisationId).map((r) => [r.caseId, r.organisationId!]));
    },

    /**
     * The reporter's email address, for the platform's own relayed notifications only (acknowledgement,
     * relayed-message alerts). Never put it on a page or in an email to anyone but the reporter.
     */
    async reporterEmails(caseIds: string[]): Promise<Map<string, string>> {
      if (caseIds.length === 0) return new Map();
      const rows = await db
        .get()
        .select({ caseId: caseIdentities.caseId, email: caseIdentities.email })
        .from(caseIdentities)
        .where(inArray(caseIdentities.caseId, caseIds));
      return new Map(rows.filter((r) => r.email).map((r) => [r.caseId, r.email!]));
    },

    /**
     * Every reporter's name and organisation name held in escrow, for automatic redaction only (the public
     * register removes them from anything published, platform/redaction). Returned as a bare list with no
     * case attached, so it reveals nothing about who filed what, and is never shown to anyone.
     */
    async namesForRedaction(): Promise<{ names: string[]; organisations: string[] }> {
      const rows = await db
        .get()
        .selectDistinct({ name: caseIdentities.name, organisation: caseIdentities.organisationName })
        .from(caseIdentities);
      return {
        names: [...new Set(rows.map((r) => r.name).filter((n): n is string => Boolean(n)))],
        organisations: [...new Set(rows.map((r) => r.organisation).filter((n): n is string => Boolean(n)))],
      };
    },

    /**
     * One case's reporter identity, for the public register's redaction and its last check before
     * publication only (register.service.ts): the text about to be published must not contain any of it.
     * Never shown to anyone; returns null when the case has no escrowed identity.
     */
    async termsForRedaction(
      caseId: string,
    ): Promise<Omit<ReporterIdentity, 'reporterUserId' | 'reporterOrganisationId'> | null> {
      const [row] = await db
        .get()
        .select({
          name: caseIdentities.name,
          email: caseIdentities.email,
          phone: caseIdentities.phone,
          organisationName: caseIdentities.organisationName,
        })
        .from(caseIdentities)
        .where(eq(caseIdentities.caseId, caseId));
      return row ?? null;
    },
  };
}

export type CaseIdentity = ReturnType<typeof createCaseIdentity>;
