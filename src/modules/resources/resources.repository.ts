/** SQL for the resource library. Asks `db.get()` at query time, so it runs in the caller's transaction. */
import { and, asc, count, desc, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../../platform/db/database.ts';
import { memberships, users } from '../accounts/accounts.tables.ts';
import { covenantCommitments, covenantPrinciples } from '../covenant/covenant.tables.ts';
import { resourceAttachments, resources, resourceVersions } from './resources.tables.ts';

export type ResourceRow = Omit<typeof resources.$inferSelect, 'search'>;
export type VersionRow = typeof resourceVersions.$inferSelect;
export type AttachmentRow = typeof resourceAttachments.$inferSelect;

/** Filters of the public list; `audience` includes resources for both sides, `nation` UK-wide ones. */
export interface ResourceFilter {
  q?: string;
  kind?: string;
  principle?: string;
  commitment?: string;
  audience?: string;
  nation?: string;
  status?: 'published';
}

const columns = {
  id: resources.id,
  slug: resources.slug,
  kind: resources.kind,
  title: resources.title,
  summary: resources.summary,
  body: resources.body,
  audience: resources.audience,
  principles: resources.principles,
  commitments: resources.commitments,
  nations: resources.nations,
  status: resources.status,
  version: resources.version,
  ownerId: resources.ownerId,
  lastReviewedOn: resources.lastReviewedOn,
  reviewIntervalMonths: resources.reviewIntervalMonths,
  reviewRemindedAt: resources.reviewRemindedAt,
  createdAt: resources.createdAt,
  updatedAt: resources.updatedAt,
};

export function createResourcesRepository(db: Database) {
  const q = () => db.get();

  function where(f: ResourceFilter): SQL | undefined {
    const parts: (SQL | undefined)[] = [];
    if (f.status) parts.push(eq(resources.status, f.status));
    if (f.kind) parts.push(sql`${resources.kind} = ${f.kind}`);
    if (f.principle) parts.push(sql`${f.principle} = any(${resources.principles})`);
    if (f.commitment) parts.push(sql`${f.commitment} = any(${resources.commitments})`);
    if (f.audience) parts.push(sql`${resources.audience} in (${f.audience}, 'both')`);
    if (f.nation)
      parts.push(sql`(cardinality(${resources.nations}) = 0 or ${f.nation} = any(${resources.nations}))`);
    if (f.q) parts.push(sql`${resources.search} @@ websearch_to_tsquery('english', ${f.q})`);
    return and(...parts);
  }

  return {
    async insert(values: typeof resources.$inferInsert): Promise<ResourceRow> {
      const [row] = await q().insert(resources).values(values).returning(columns);
      return row!;
    },
    async update(id: string, values: Partial<typeof resources.$inferInsert>): Promise<ResourceRow> {
      const [row] = await q().update(resources).set(values).where(eq(resources.id, id)).returning(columns);
      return row!;
    },
    async findBySlug(slug: string): Promise<ResourceRow | undefined> {
      const [row] = await q().select(columns).from(resources).where(eq(resources.slug, slug));
      return row;
    },
    /** The same row locked for an edit, so two saves of one resource queue rather than both win. */
    async lockBySlug(slug: string): Promise<ResourceRow | undefined> {
      const [row] = await q().select(columns).from(resources).where(eq(resources.slug, slug)).for('update');
      return row;
    },
    async slugsLike(base: string): Promise<Set<string>> {
      const rows = await q()
        .select({ slug: resources.slug })
        .from(resources)
        .where(sql`${resources.slug} = ${base} or ${resources.slug} like ${`${base}-%`}`);
      return new Set(rows.map((r) => r.slug));
    },
    async count(): Promise<number> {
      const [row] = await q().select({ n: count() }).from(resources);
      return row?.n ?? 0;
    },

    /** One page of matches: best match first when searching, otherwise by title. */
    async search(f: ResourceFilter, limit: number, offset: number) {
      const condition = where(f);
      const order = f.q
        ? [
            desc(sql`ts_rank(${resources.search}, websearch_to_tsquery('english', ${f.q}))`),
            asc(resources.title),
          ]
        : [asc(resources.title)];
      const [rows, [total]] = await Promise.all([
        q()
          .select(columns)
          .from(resources)
          .where(condition)
          .orderBy(...order)
          .limit(limit)
          .offset(offset),
        q().select({ n: count() }).from(resources).where(condition),
      ]);
      return { rows, total: total?.n ?? 0 };
    },
    /** Everything, drafts too, for the management page (by title). */
    async listAll(): Promise<ResourceRow[]> {
      return q().select(columns).from(resources).orderBy(asc(resources.title));
    },
    /** Candidates for a review reminder (the exact rule is resources.rules.ts#reviewReminderDue). */
    async dueForReview(today: string): Promise<ResourceRow[]> {
      return q()
        .select(columns)
        .from(resources)
        .where(
          sql`(${resources.lastReviewedOn} + make_interval(months => ${resources.reviewIntervalMonths}))::date <= ${today}::date`,
        );
    },
    async markReminded(ids: string[], at: Date) {
      if (ids.length === 0) return;
      await q().update(resources).set({ reviewRemindedAt: at }).where(inArray(resources.id, ids));
    },

    // Versions

    async insertVersion(values: typeof resourceVersions.$inferInsert) {
      const [row] = await q().insert(resourceVersions).values(values).returning();
      return row!;
    },
    async versions(resourceId: string) {
      return q()
        .select({
          version: resourceVersions.version,
          changeNote: resourceVersions.changeNote,
          createdAt: resourceVersions.createdAt,
          author: users.displayName,
        })
        .from(resourceVersions)
        .leftJoin(users, eq(users.id, resourceVersions.createdBy))
        .where(eq(resourceVersions.resourceId, resourceId))
        .orderBy(desc(resourceVersions.version));
    },
    async version(resourceId: string, version: number): Promise<VersionRow | undefined> {
      const [row] = await q()
        .select()
        .from(resourceVersions)
        .where(and(eq(resourceVersions.resourceId, resourceId), eq(resourceVersions.version, version)));
      return row;
    },

    // Attachments

    async insertAttachment(values: typeof resourceAttachments.$inferInsert) {
      const [row] = await q().insert(resourceAttachments).values(values).returning();
      return row!;
    },
    async attachments(resourceId: string): Promise<AttachmentRow[]> {
      return q()
        .select()
        .from(resourceAttachments)
        .where(eq(resourceAttachments.resourceId, resourceId))
        .orderBy(asc(resourceAttachments.createdAt));
    },
    async attachmentCounts(resourceIds: string[]): Promise<Map<string, number>> {
      if (resourceIds.length === 0) return new Map();
      const rows = await q()
        .select({ id: resourceAttachments.resourceId, n: count() })
        .from(resourceAttachments)
        .where(inArray(resourceAttachments.resourceId, resourceIds))
        .groupBy(resourceAttachments.resourceId);
      return new Map(rows.map((r) => [r.id, r.n]));
    },
    async attachment(resourceId: string, id: string): Promise<AttachmentRow | undefined> {
      const [row] = await q()
        .select()
        .from(resourceAttachments)
        .where(and(eq(resourceAttachments.resourceId, resourceId), eq(resourceAttachments.id, id)));
      return row;
    },
    async deleteAttachment(id: string) {
      await q().delete(resourceAttachments).where(eq(resourceAttachments.id, id));
    },

    // People and the registry's vocabulary

    /** The Covenant team's administrators: who can own a resource, and who hears when an owner is gone. */
    async administrators(): Promise<{ id: string; displayName: string; email: string }[]> {
      return q()
        .selectDistinct({ id: users.id, displayName: users.displayName, email: users.email })
        .from(users)
        .innerJoin(memberships, eq(memberships.userId, users.id))
        .where(and(eq(memberships.role, 'admin'), isNull(users.disabledAt)))
        .orderBy(asc(users.displayName));
    },
    async userContact(id: string): Promise<{ email: string; displayName: string } | undefined> {
      const [row] = await q()
        .select({ email: users.email, displayName: users.displayName })
        .from(users)
        .where(eq(users.id, id));
      return row;
    },
    /** The national Covenant's principles and commitments, in the registry's order. */
    async vocabulary() {
      const [principles, commitments] = await Promise.all([
        q()
          .select({ slug: covenantPrinciples.slug, title: covenantPrinciples.title })
          .from(covenantPrinciples)
          .orderBy(asc(covenantPrinciples.position)),
        q()
          .select({
            code: covenantCommitments.code,
            text: covenantCommitments.text,
            principleSlug: covenantPrinciples.slug,
          })
          .from(covenantCommitments)
          .innerJoin(covenantPrinciples, eq(covenantPrinciples.id, covenantCommitments.principleId))
          .where(isNull(covenantCommitments.subCovenantId))
          .orderBy(asc(covenantPrinciples.position), asc(covenantCommitments.position)),
      ]);
      return { principles, commitments };
    },
  };
}

export type ResourcesRepository = ReturnType<typeof createResourcesRepository>;
