/**
 * Directory SQL. Every function asks `db.get()` at the moment it queries, so it joins the caller's open
 * transaction (PGlite has one connection: the outer handle inside a transaction would deadlock).
 */
import { and, asc, eq, getTableColumns, inArray, isNotNull, or, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../../platform/db/database.ts';
import { rowsOf } from '../../platform/db/database.ts';
import {
  accountableLeads,
  directoryImports,
  organisationIdentifiers,
  organisations,
  type OrganisationKind,
} from './directory.tables.ts';
import type { LeadRole } from './directory.taxonomy.ts';

/** An organisation as read back: everything but the (large) generated search vector. */
export type OrganisationRow = Omit<typeof organisations.$inferSelect, 'search'>;
export type NewOrganisation = typeof organisations.$inferInsert;
export type IdentifierRow = typeof organisationIdentifiers.$inferSelect;
export type NewIdentifier = typeof organisationIdentifiers.$inferInsert;
export type LeadRow = typeof accountableLeads.$inferSelect;

/** Bind-parameter budget per statement: PostgreSQL allows 65,535; stay well below it. */
const BATCH = 1000;

export interface SearchParams {
  q?: string;
  kinds: OrganisationKind[];
  publicBodyType?: string;
  nation?: string;
  region?: string;
  incomeBand?: string;
  areaOfWork?: string;
  limit: number;
  offset: number;
}

export interface SearchHit {
  id: string;
  slug: string;
  name: string;
  kind: OrganisationKind;
  publicBodyType: string | null;
  nation: string | null;
  region: string | null;
  incomeBand: string | null;
  gssCode: string | null;
  govukSlug: string | null;
}

export interface SearchResult {
  /** Matches, up to SEARCH_COUNT_CAP. */
  total: number;
  /** More than SEARCH_COUNT_CAP organisations match. */
  totalCapped: boolean;
  hits: SearchHit[];
}

/** Totals are counted up to this many matches (see `search`). */
export const SEARCH_COUNT_CAP = 1_000;

/** Escapes LIKE wildcards so a search for "50%" means the characters, not a pattern. */
function likePrefix(q: string): string {
  return `${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export function createDirectoryRepository(db: Database) {
  // Columns without the generated search vector (never read back; it is large).
  const { search: _search, ...columns } = getTableColumns(organisations);
  void _search;

  return {
    async insertOrganisations(rows: NewOrganisation[]): Promise<void> {
      for (let i = 0; i < rows.length; i += BATCH)
        await db
          .get()
          .insert(organisations)
          .values(rows.slice(i, i + BATCH));
    },

    async insertIdentifiers(rows: NewIdentifier[]): Promise<void> {
      for (let i = 0; i < rows.length; i += BATCH)
        await db
          .get()
          .insert(organisationIdentifiers)
          .values(rows.slice(i, i + BATCH));
    },

    async updateOrganisation(id: string, patch: Partial<NewOrganisation>): Promise<void> {
      await db.get().update(organisations).set(patch).where(eq(organisations.id, id));
    },

    /** Reference records (GOV.UK, ONS, NHS) keyed for idempotent re-import. */
    async referenceBodies(): Promise<OrganisationRow[]> {
      return db
        .get()
        .select(columns)
        .from(organisations)
        .where(
          or(
            isNotNull(organisations.govukSlug),
            isNotNull(organisations.gssCode),
            isNotNull(organisations.odsCode),
          ),
        );
    },

    async allSlugs(): Promise<Set<string>> {
      const rows = await db.get().select({ slug: organisations.slug }).from(organisations);
      return new Set(rows.map((r) => r.slug));
    },

    /** Points each GOV.UK body at the first of its parents that is in the directory. */
    async linkGovukParents(): Promise<number> {
      const result = await db.get().execute(sql`
        update organisations o set parent_id = p.id
        from organisations p
        where o.govuk_slug is not null and p.govuk_slug = o.parent_slugs[1]
          and o.parent_id is distinct from p.id`);
      return (result as unknown as { rowCount?: number; affectedRows?: number }).rowCount ?? 0;
    },

    /** Councils and combined authorities by GSS code, with the nation and region a CSO there is in. */
    async localAuthorities(): Promise<Map<string, { nation: string | null; region: string | null }>> {
      const rows = await db
        .get()
        .select({ gss: organisations.gssCode, nation: organisations.nation, region: organisations.region })
        .from(organisations)
        .where(isNotNull(organisations.gssCode));
      return new Map(rows.map((r) => [r.gss as string, { nation: r.nation, region: r.region }]));
    },

    /** Which organisation holds each org-id (for duplicates against the database). */
    async ownersOfOrgIds(orgIds: string[]): Promise<Map<string, string>> {
      const owners = new Map<string, string>();
      for (let i = 0; i < orgIds.length; i += 5000) {
        const rows = await db
          .get()
          .select({
            orgId: organisationIdentifiers.orgId,
            organisationId: organisationIdentifiers.organisationId,
          })
          .from(organisationIdentifiers)
          .where(inArray(organisationIdentifiers.orgId, orgIds.slice(i, i + 5000)));
        for (const r of rows) owners.set(r.orgId, r.organisationId);
      }
      return owners;
    },

    async organisationsByIds(ids: string[]): Promise<OrganisationRow[]> {
      const out: OrganisationRow[] = [];
      for (let i = 0; i < ids.length; i += 5000) {
        const rows = await db
          .get()
          .select(columns)
          .from(organisations)
          .where(inArray(organisations.id, ids.slice(i, i + 5000)));
        out.push(...rows);
      }
      return out;
    },

    /** CSOs without any identifier, keyed by lower-cased name and local authority (how they are matched). */
    async csosWithoutIdentifiers(): Promise<Map<string, string>> {
      const rows = rowsOf<{ id: string; key: string }>(
        await db.get().execute(sql`
          select o.id, lower(o.name) || '|' || coalesce(o.local_authority_gss, '') as key
          from organisations o
          where o.kind = 'cso'
            and not exists (select 1 from organisation_identifiers i where i.organisation_id = o.id)`),
      );
      return new Map(rows.map((r) => [r.key, r.id]));
    },

    async identifiersOf(organisationIds: string[]): Promise<IdentifierRow[]> {
      if (organisationIds.length === 0) return [];
      const out: IdentifierRow[] = [];
      for (let i = 0; i < organisationIds.length; i += 5000)
        out.push(
          ...(await db
            .get()
            .select()
            .from(organisationIdentifiers)
            .where(inArray(organisationIdentifiers.organisationId, organisationIds.slice(i, i + 5000)))
            .orderBy(asc(organisationIdentifiers.orgId))),
        );
      return out;
    },

    async findBySlug(slug: string, kinds?: OrganisationKind[]): Promise<OrganisationRow | undefined> {
      const conditions: SQL[] = [eq(organisations.slug, slug)];
      if (kinds) conditions.push(inArray(organisations.kind, kinds));
      const rows = await db
        .get()
        .select(columns)
        .from(organisations)
        .where(and(...conditions))
        .limit(1);
      return rows[0];
    },

    /** Slugs of organisations by id (for parent links in the API). */
    async slugsOf(ids: (string | null)[]): Promise<Map<string, string>> {
      const wanted = [...new Set(ids.filter((id): id is string => !!id))];
      if (wanted.length === 0) return new Map();
      const rows = await db
        .get()
        .select({ id: organisations.id, slug: organisations.slug })
        .from(organisations)
        .where(inArray(organisations.id, wanted));
      return new Map(rows.map((r) => [r.id, r.slug]));
    },

    async findByGss(gssCode: string): Promise<{ slug: string; name: string } | undefined> {
      const rows = await db
        .get()
        .select({ slug: organisations.slug, name: organisations.name })
        .from(organisations)
        .where(eq(organisations.gssCode, gssCode))
        .limit(1);
      return rows[0];
    },

    async findById(id: string): Promise<OrganisationRow | undefined> {
      const rows = await db
        .get()
        .select(columns)
        .from(organisations)
        .where(eq(organisations.id, id))
        .limit(1);
      return rows[0];
    },

    async childrenOf(id: string): Promise<{ slug: string; name: string }[]> {
      return db
        .get()
        .select({ slug: organisations.slug, name: organisations.name })
        .from(organisations)
        .where(eq(organisations.parentId, id))
        .orderBy(asc(organisations.name));
    },

    async countBy(kind: OrganisationKind, source?: string): Promise<number> {
      const conditions: SQL[] = [eq(organisations.kind, kind)];
      if (source) conditions.push(sql`${organisations.source} = ${source}`);
      const rows = await db
        .get()
        .select({ n: sql<number>`count(*)::int` })
        .from(organisations)
        .where(and(...conditions));
      return rows[0]?.n ?? 0;
    },

    /**
     * Full-text search with filters. Matches the English-stemmed and the unstemmed vectors and a name prefix;
     * ranks an exact name first, then names starting with the query, then ts_rank. Plain PostgreSQL 12+
     * (websearch_to_tsquery), so it runs the same on PGlite and PostgreSQL 15.
     *
     * The total is counted separately and capped at SEARCH_COUNT_CAP: counting every match of a broad search
     * over 200,000 organisations costs more than the page itself, and nobody pages past the first few hundred
     * results (the page says "more than 1,000").
     */
    async search(params: SearchParams): Promise<SearchResult> {
      const q = params.q?.trim() ?? '';
      const filters: SQL[] = [
        sql`o.kind in (${sql.join(
          params.kinds.map((k) => sql`${k}`),
          sql`, `,
        )})`,
      ];
      filters.push(sql`o.status <> 'closed'`);
      if (params.publicBodyType) filters.push(sql`o.public_body_type = ${params.publicBodyType}`);
      if (params.nation) filters.push(sql`o.nation = ${params.nation}`);
      if (params.region) filters.push(sql`o.region = ${params.region}`);
      if (params.incomeBand) filters.push(sql`o.income_band = ${params.incomeBand}`);
      if (params.areaOfWork) filters.push(sql`o.areas_of_work @> array[${params.areaOfWork}]::text[]`);
      const select = sql`o.id, o.slug, o.name, o.kind, o.public_body_type as "publicBodyType", o.nation,
        o.region, o.income_band as "incomeBand", o.gss_code as "gssCode", o.govuk_slug as "govukSlug"`;
      const where = sql.join(filters, sql` and `);
      let query: SQL;
      let count: SQL;
      if (!q) {
        query = sql`select ${select} from organisations o
          where ${where} order by o.name, o.id limit ${params.limit} offset ${params.offset}`;
        count = sql`select count(*)::int as n from (select 1 from organisations o where ${where}
          limit ${SEARCH_COUNT_CAP + 1}) x`;
      } else {
        // The tsqueries are written inline (not in a CTE) so the planner sees constants and estimates well.
        const prefix = likePrefix(q);
        const e = sql`websearch_to_tsquery('english', ${q})`;
        const s = sql`websearch_to_tsquery('simple', ${q})`;
        const match = sql`(o.search @@ ${e} or o.search @@ ${s} or lower(o.name) like ${prefix}) and ${where}`;
        query = sql`select ${select} from organisations o where ${match}
          order by (lower(o.name) = ${q.toLowerCase()}) desc, (lower(o.name) like ${prefix}) desc,
            ts_rank(o.search, ${e} || ${s}) desc, o.name, o.id
          limit ${params.limit} offset ${params.offset}`;
        count = sql`select count(*)::int as n from (select 1 from organisations o where ${match}
          limit ${SEARCH_COUNT_CAP + 1}) x`;
      }
      const hits = rowsOf<SearchHit>(await db.get().execute(query));
      const counted = rowsOf<{ n: number }>(await db.get().execute(count))[0]?.n ?? 0;
      return {
        total: Math.min(counted, SEARCH_COUNT_CAP),
        totalCapped: counted > SEARCH_COUNT_CAP,
        hits,
      };
    },

    async leadsOf(organisationId: string): Promise<LeadRow[]> {
      return db
        .get()
        .select()
        .from(accountableLeads)
        .where(eq(accountableLeads.organisationId, organisationId))
        .orderBy(asc(accountableLeads.role));
    },

    async allLeadsWithBodies(): Promise<
      (LeadRow & { slug: string; bodyName: string; remindedAt: Date | null })[]
    > {
      return db
        .get()
        .select({
          ...getTableColumns(accountableLeads),
          slug: organisations.slug,
          bodyName: organisations.name,
          remindedAt: organisations.leadsRemindedAt,
        })
        .from(accountableLeads)
        .innerJoin(organisations, eq(organisations.id, accountableLeads.organisationId))
        .orderBy(asc(organisations.name));
    },

    async upsertLead(
      organisationId: string,
      role: LeadRole,
      values: { name: string; roleTitle: string; contactEmail: string | null; contactUrl: string | null },
      now: Date,
      confirm: boolean,
    ): Promise<void> {
      await db
        .get()
        .insert(accountableLeads)
        .values({ organisationId, role, ...values, confirmedAt: confirm ? now : null, updatedAt: now })
        .onConflictDoUpdate({
          target: [accountableLeads.organisationId, accountableLeads.role],
          set: { ...values, updatedAt: now, ...(confirm ? { confirmedAt: now } : {}) },
        });
    },

    async removeLead(organisationId: string, role: LeadRole): Promise<void> {
      await db
        .get()
        .delete(accountableLeads)
        .where(and(eq(accountableLeads.organisationId, organisationId), eq(accountableLeads.role, role)));
    },

    async markReminded(organisationIds: string[], at: Date): Promise<void> {
      if (organisationIds.length === 0) return;
      await db
        .get()
        .update(organisations)
        .set({ leadsRemindedAt: at })
        .where(inArray(organisations.id, organisationIds));
    },

    /** Email addresses of people holding `body_lead` in each organisation (for reminders). */
    async bodyLeadEmails(organisationIds: string[]): Promise<Map<string, string[]>> {
      const out = new Map<string, string[]>();
      if (organisationIds.length === 0) return out;
      const rows = rowsOf<{ organisation_id: string; email: string }>(
        await db.get().execute(sql`
          select m.organisation_id, u.email from memberships m join users u on u.id = m.user_id
          where m.role = 'body_lead' and u.disabled_at is null
            and m.organisation_id in (${sql.join(
              organisationIds.map((id) => sql`${id}::uuid`),
              sql`, `,
            )})
          order by u.email`),
      );
      for (const r of rows) out.set(r.organisation_id, [...(out.get(r.organisation_id) ?? []), r.email]);
      return out;
    },

    async saveImport(values: typeof directoryImports.$inferInsert): Promise<string> {
      const rows = await db
        .get()
        .insert(directoryImports)
        .values(values)
        .returning({ id: directoryImports.id });
      return rows[0]!.id;
    },

    async findImport(id: string) {
      const rows = await db.get().select().from(directoryImports).where(eq(directoryImports.id, id)).limit(1);
      return rows[0];
    },

    async markImportApplied(id: string, at: Date): Promise<void> {
      await db.get().update(directoryImports).set({ appliedAt: at }).where(eq(directoryImports.id, id));
    },
  };
}

export type DirectoryRepository = ReturnType<typeof createDirectoryRepository>;
