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
import { identifierSchemes } from './directory.identifiers.ts';

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

/** What the in-memory index (directory.search-index.ts) holds of an organisation. */
export interface IndexRow extends SearchHit {
  lowerName: string;
  /** Place in `lower(name)` order by code point (PostgreSQL's COLLATE "C"), then name order: 0, 1, 2… */
  lowerRank: number;
  status: string;
  odsCode: string | null;
  areasOfWork: string[] | null;
  /** `search::text`: the vector exactly as PostgreSQL made it. */
  search: string | null;
  orgIds: string[] | null;
}

/** The text forms of a search's tsqueries, as the SQL search builds them (`prefix` only with a prefix). */
export interface SearchQueries {
  words: string;
  phrase: string;
  prefix: string | null;
}

/** Totals are counted up to this many matches (see `search`). */
export const SEARCH_COUNT_CAP = 1_000;

/** Escapes LIKE wildcards so a search for "50%" means the characters, not a pattern. */
function likePrefix(q: string): string {
  return `${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * The query as a prefix search in to_tsquery syntax: every word as typed, the last one as a prefix
 * (`leeds & hosp:*`), so "hosp" finds "Leeds Teaching Hospitals". Only letters and digits are kept, so the
 * result is always valid syntax. Null when the last word is shorter than 3 characters (too broad).
 */
export function prefixTsQuery(q: string): string | null {
  const words = q.toLowerCase().match(/[\p{L}\p{N}]+/gu);
  if (!words || words.at(-1)!.length < 3) return null;
  return words.map((w, i) => (i === words.length - 1 ? `${w}:*` : w)).join(' & ');
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

    /**
     * Points each GOV.UK body at the first of its parents that is in the directory, and clears the parent of
     * one whose parents are all gone (a newer file dropped or changed them).
     */
    async linkGovukParents(): Promise<number> {
      const result = await db.get().execute(sql`
        update organisations o set parent_id = x.parent_id
        from (
          select c.id, (
            select p.id from unnest(c.parent_slugs) with ordinality as s(slug, n)
            join organisations p on p.govuk_slug = s.slug and p.id <> c.id
            order by s.n limit 1
          ) as parent_id
          from organisations c where c.govuk_slug is not null
        ) x
        where o.id = x.id and o.parent_id is distinct from x.parent_id`);
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
     * Full-text search with filters, in tiers that each read an index in order and stop early, so a broad
     * query over 200,000 organisations costs about as much as a narrow one (see docs/modules/directory.md):
     *
     *   0. an exact match: the name (case-insensitive), a GSS, ODS or GOV.UK code, or a registered number
     *      (charity or company number, or its org-id such as GB-CHC-1234567);
     *   1. names starting with the query, in name order (the lower(name) text_pattern_ops index);
     *   2. names containing the query's words as a phrase, then 3. all its words anywhere (English-stemmed
     *      or as typed), each in name order (the GIN index, or the (name, id) index for common words).
     *
     * Each tier reads at most offset + limit rows; the page is cut from their union. Nothing ranks every
     * match, which is what made broad searches slow. Plain PostgreSQL 12+ (websearch_to_tsquery), so it
     * runs the same on PGlite and PostgreSQL 15.
     *
     * The total is counted separately and capped at SEARCH_COUNT_CAP: counting every match of a broad search
     * costs more than the page itself, and nobody pages past the first few hundred results (the page says
     * "more than 1,000").
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
      const columns = sql`o.id, o.slug, o.name, o.kind, o.public_body_type as "publicBodyType", o.nation,
        o.region, o.income_band as "incomeBand", o.gss_code as "gssCode", o.govuk_slug as "govukSlug"`;
      const raw = sql`o.id, o.slug, o.name, o.kind, o.public_body_type, o.nation, o.region, o.income_band,
        o.gss_code, o.govuk_slug`;
      const where = sql.join(filters, sql` and `);
      // Past the counted results there is nothing to show (the page offers no link there).
      if (params.offset >= SEARCH_COUNT_CAP + params.limit) return { total: 0, totalCapped: true, hits: [] };
      let query: SQL;
      let count: SQL;
      if (!q) {
        query = sql`select ${columns} from organisations o
          where ${where} order by o.name, o.id limit ${params.limit} offset ${params.offset}`;
        count = sql`select count(*)::int as n from (select 1 from organisations o where ${where}
          limit ${SEARCH_COUNT_CAP + 1}) x`;
      } else {
        const lower = q.toLowerCase();
        const prefix = likePrefix(q);
        const code = q.toUpperCase().replace(/\s+/g, '');
        const orgIds = [code, ...identifierSchemes.map((scheme) => `${scheme}-${code}`)];
        if (code.startsWith('NIC')) orgIds.push(`GB-NIC-${code.slice(3)}`);
        const words = sql`(websearch_to_tsquery('english', ${q}) || websearch_to_tsquery('simple', ${q}))`;
        const phrase = sql`(phraseto_tsquery('english', ${q}) || phraseto_tsquery('simple', ${q}))`;
        // Index lookups only (an OR across columns would scan the table).
        const exactIds = sql`select x.id from organisations x where lower(x.name) = ${lower}
          union select x.id from organisations x where x.gss_code = ${code}
          union select x.id from organisations x where x.ods_code = ${code}
          union select x.id from organisations x where x.govuk_slug = ${lower}
          union select i.organisation_id from organisation_identifiers i where i.org_id in (${sql.join(
            orgIds.map((id) => sql`${id}`),
            sql`, `,
          )})`;
        const exact = sql`o.id in (${exactIds})`;
        const starts = sql`lower(o.name) like ${prefix}`;
        const cap = SEARCH_COUNT_CAP + 1;
        const pq = prefixTsQuery(q);
        // Candidates: every exact match, the first names (in order) starting with the query, and up to the cap
        // of the word matches (as the index finds them, unranked); then ranked, counted and cut to a page in
        // one statement. With more matches than the cap, the later tiers show a subset (the page says "more
        // than 1,000"; a narrower search lists them all). When that finds less than a page, the search runs
        // again with a last tier of words starting with the last word typed ("hosp" → "Hospitals"): a prefix
        // over the whole index is slow for broad searches, and they never need it.
        const statement = (withPrefix: boolean) => sql`with candidates as materialized (
            (select 0 as tier, ${raw} from organisations o where ${exact} and ${where})
            union all
            (select 1, ${raw} from organisations o where ${starts} and ${where}
              order by lower(o.name) using ~<~, o.id limit ${cap})
            union all
            (select case when o.search @@ ${phrase} then 2 else 3 end, ${raw} from organisations o
              where o.search @@ ${words} and ${where} limit ${cap})
            ${
              withPrefix
                ? sql`union all (select 4, ${raw} from organisations o
                    where o.search @@ to_tsquery('simple', ${pq}) and ${where} limit ${cap})`
                : sql``
            }
          ), ranked as (
            select distinct on (o.id) o.* from candidates o order by o.id, o.tier
          )
          select ${columns}, (select count(*)::int from ranked) as total from ranked o
          order by o.tier, case when o.tier = 1 then lower(o.name) end using ~<~, o.name, o.id
          limit ${params.limit} offset ${params.offset}`;
        let rows = rowsOf<SearchHit & { total: number }>(await db.get().execute(statement(false)));
        if (pq && rows.length < params.limit)
          rows = rowsOf<SearchHit & { total: number }>(await db.get().execute(statement(true)));
        const n = rows[0]?.total ?? 0;
        const hits = rows.map(({ total: _total, ...hit }) => hit);
        // A page past the last one has no rows to carry the total: count again without paging.
        if (rows.length === 0 && params.offset > 0)
          return this.search({ ...params, offset: 0, limit: 1 }).then((r) => ({ ...r, hits: [] }));
        return { total: Math.min(n, SEARCH_COUNT_CAP), totalCapped: n > SEARCH_COUNT_CAP, hits };
      }
      const found = await db.get().execute(query);
      const n = rowsOf<{ n: number }>(await db.get().execute(count))[0]?.n ?? 0;
      return {
        total: Math.min(n, SEARCH_COUNT_CAP),
        totalCapped: n > SEARCH_COUNT_CAP,
        hits: rowsOf<SearchHit>(found),
      };
    },

    /**
     * Every organisation as the search index needs it, in name order, with the registry version: one
     * statement, so one snapshot (the version is exactly the one these rows are at).
     */
    async searchIndexRows(): Promise<{ version: number; rows: IndexRow[] }> {
      // The left join gives one row (of nulls) when there are no organisations, still carrying the version.
      const rows = rowsOf<IndexRow & { version: string | number }>(
        await db.get().execute(sql`
          select v.version,
            o.id, o.slug, o.name, lower(o.name) as "lowerName",
            (row_number() over (order by lower(o.name) collate "C", o.name, o.id) - 1)::int as "lowerRank",
            o.kind, o.status,
            o.public_body_type as "publicBodyType", o.nation, o.region, o.income_band as "incomeBand",
            o.gss_code as "gssCode", o.ods_code as "odsCode", o.govuk_slug as "govukSlug",
            o.areas_of_work as "areasOfWork", o.search::text as search,
            array(select i.org_id from organisation_identifiers i where i.organisation_id = o.id) as "orgIds"
          from (select version from registry_changes where id = 1) v
            left join organisations o on true
          order by o.name, o.id`),
      );
      const version = Number(rows[0]?.version ?? 0);
      return { version, rows: rows.filter((r) => r.id !== null).map(({ version: _v, ...row }) => row) };
    },

    /** The tsqueries the SQL search would run for `q` (and `prefix`, from prefixTsQuery), as text. */
    async searchQueries(q: string, prefix: string | null): Promise<SearchQueries> {
      const rows = rowsOf<SearchQueries>(
        await db.get().execute(sql`select
          (websearch_to_tsquery('english', ${q}) || websearch_to_tsquery('simple', ${q}))::text as words,
          (phraseto_tsquery('english', ${q}) || phraseto_tsquery('simple', ${q}))::text as phrase,
          ${prefix === null ? sql`null::text` : sql`to_tsquery('simple', ${prefix})::text`} as prefix`),
      );
      return rows[0]!;
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
