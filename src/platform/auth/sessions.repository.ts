/** SQL for server-side sessions and for loading the person behind one. */
import { and, eq, gt, isNull, ne, sql } from 'drizzle-orm';
import type { Database, Executor } from '../db/database.ts';
import { memberships, sessions, users } from '../../modules/accounts/accounts.tables.ts';
import { organisations } from '../../modules/directory/directory.tables.ts';
import type { CurrentUser, Membership } from './roles.ts';

export type SessionRow = typeof sessions.$inferSelect;

type UserColumns = Pick<
  typeof users.$inferSelect,
  'id' | 'email' | 'displayName' | 'locale' | 'emailVerifiedAt' | 'totpEnabledAt'
>;

/** The signed-in person as requests see them, from their row and memberships. */
function currentUserOf(user: UserColumns, memberships: Membership[]): CurrentUser {
  return {
    id: user.id,
    email: user.email,
    displayName: user.displayName,
    locale: user.locale,
    emailVerified: user.emailVerifiedAt !== null,
    totpEnabled: user.totpEnabledAt !== null,
    memberships,
  };
}

export function createSessionsRepository(db: Database) {
  /**
   * The query behind every signed-in request, built once per executor (the pool, or an open transaction)
   * and sent as a named prepared statement: neither drizzle nor PostgreSQL works it out again each time.
   */
  const prepared = new WeakMap<Executor, ReturnType<typeof buildLiveWithUser>>();
  const buildLiveWithUser = (executor: Executor) =>
    executor
      .select({
        session: sessions,
        user: {
          id: users.id,
          email: users.email,
          displayName: users.displayName,
          locale: users.locale,
          emailVerifiedAt: users.emailVerifiedAt,
          totpEnabledAt: users.totpEnabledAt,
        },
        // The same rows and order as loadUser's memberships query.
        memberships: sql<Membership[] | null>`(
          select coalesce(json_agg(json_build_object(
              'organisationId', m.organisation_id, 'role', m.role, 'organisationName', o.name,
              'organisationSlug', o.slug, 'organisationKind', o.kind) order by o.name, m.role), '[]'::json)
          from ${memberships} m join ${organisations} o on o.id = m.organisation_id
          where m.user_id = ${users.id})`,
      })
      .from(sessions)
      .leftJoin(users, and(eq(users.id, sessions.userId), isNull(users.disabledAt)))
      .where(
        and(
          eq(sessions.idHash, sql.placeholder('idHash')),
          isNull(sessions.revokedAt),
          gt(sessions.absoluteExpiresAt, sql.placeholder('now')),
        ),
      )
      .prepare('sessions_live_with_user');
  const liveWithUser = () => {
    const executor = db.get();
    let query = prepared.get(executor);
    if (!query) prepared.set(executor, (query = buildLiveWithUser(executor)));
    return query;
  };
  return {
    async insert(row: typeof sessions.$inferInsert) {
      await db.get().insert(sessions).values(row);
    },
    async findLive(idHash: string, now: Date): Promise<SessionRow | undefined> {
      const [row] = await db
        .get()
        .select()
        .from(sessions)
        .where(
          and(eq(sessions.idHash, idHash), isNull(sessions.revokedAt), gt(sessions.absoluteExpiresAt, now)),
        );
      return row;
    },
    /**
     * The live session (not revoked, before its absolute expiry) with its person and their memberships, in
     * one query: `user` is undefined when the person is disabled or gone. Idle expiry is the caller's
     * check (it revokes the session), as with findLive.
     */
    async findLiveWithUser(
      idHash: string,
      now: Date,
    ): Promise<{ session: SessionRow; user: CurrentUser | undefined } | undefined> {
      const [row] = await liveWithUser().execute({ idHash, now: now.toISOString() });
      if (!row) return undefined;
      const { session, user } = row;
      return {
        session,
        user: user ? currentUserOf(user, row.memberships ?? []) : undefined,
      };
    },
    async touch(idHash: string, now: Date) {
      await db.get().update(sessions).set({ lastSeenAt: now }).where(eq(sessions.idHash, idHash));
    },
    async revoke(idHash: string, now: Date) {
      await db.get().update(sessions).set({ revokedAt: now }).where(eq(sessions.idHash, idHash));
    },
    /** Revokes every live session of a person, except `keep` when given. Returns how many. */
    async revokeAllForUser(userId: string, now: Date, keep?: string): Promise<number> {
      const rows = await db
        .get()
        .update(sessions)
        .set({ revokedAt: now })
        .where(
          and(
            eq(sessions.userId, userId),
            isNull(sessions.revokedAt),
            keep ? ne(sessions.idHash, keep) : undefined,
          ),
        )
        .returning({ idHash: sessions.idHash });
      return rows.length;
    },
    async markSecondFactor(idHash: string, now: Date) {
      await db.get().update(sessions).set({ secondFactorAt: now }).where(eq(sessions.idHash, idHash));
    },
    async countLive(userId: string, now: Date): Promise<number> {
      const [row] = await db
        .get()
        .select({ n: sql<number>`count(*)::int` })
        .from(sessions)
        .where(
          and(eq(sessions.userId, userId), isNull(sessions.revokedAt), gt(sessions.absoluteExpiresAt, now)),
        );
      return row?.n ?? 0;
    },
    /** The person with their memberships, or undefined when disabled or gone. */
    async loadUser(userId: string): Promise<CurrentUser | undefined> {
      const [user] = await db
        .get()
        .select()
        .from(users)
        .where(and(eq(users.id, userId), isNull(users.disabledAt)));
      if (!user) return undefined;
      const rows = await db
        .get()
        .select({
          organisationId: memberships.organisationId,
          role: memberships.role,
          organisationName: organisations.name,
          organisationSlug: organisations.slug,
          organisationKind: organisations.kind,
        })
        .from(memberships)
        .innerJoin(organisations, eq(organisations.id, memberships.organisationId))
        .where(eq(memberships.userId, userId))
        .orderBy(organisations.name, memberships.role);
      return currentUserOf(user, rows);
    },
  };
}
export type SessionsRepository = ReturnType<typeof createSessionsRepository>;
