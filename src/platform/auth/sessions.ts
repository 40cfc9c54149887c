/**
 * Server-side sessions. The cookie holds a random id; the database holds its SHA-256 with the person, the
 * last request time and an absolute expiry. A session ends after SESSION_IDLE_MINUTES without a request or
 * SESSION_ABSOLUTE_HOURS after sign-in, and can be revoked (sign out, sign out everywhere, lockout).
 *
 * A session is "complete" once every factor the person needs is proven. Staff (see roles.ts) need a second
 * factor: until they pass it, or set it up, their session is "pending" and opens only the second-factor
 * pages.
 */
import type { Clock } from '../clock.ts';
import { randomToken, sha256 } from './tokens.ts';
import { isStaff, type CurrentUser } from './roles.ts';
import type { SessionsRepository } from './sessions.repository.ts';

export interface SessionPolicy {
  idleMinutes: number;
  absoluteHours: number;
}

export type SessionState =
  | { kind: 'none' }
  | { kind: 'complete'; user: CurrentUser; idHash: string }
  | { kind: 'pending'; user: CurrentUser; idHash: string; needs: 'second_factor' | 'second_factor_setup' };

/** Only write `last_seen_at` when it has moved this much: a read-heavy page should not write every time. */
const TOUCH_AFTER_MS = 60_000;

export function createSessionService(repo: SessionsRepository, clock: Clock, policy: SessionPolicy) {
  return {
    /** Starts a new session (a new id every sign-in, so a planted cookie is useless). Returns the cookie value. */
    async start(userId: string, opts: { secondFactorDone: boolean; userAgent?: string }): Promise<string> {
      const token = randomToken();
      const now = clock.now();
      await repo.insert({
        idHash: sha256(token),
        userId,
        lastSeenAt: now,
        absoluteExpiresAt: new Date(now.getTime() + policy.absoluteHours * 3_600_000),
        secondFactorAt: opts.secondFactorDone ? now : null,
        userAgent: opts.userAgent?.slice(0, 300) ?? null,
      });
      return token;
    },

    /** Reads a session from its cookie value, applying idle and absolute expiry. */
    async resolve(token: string | undefined): Promise<SessionState> {
      if (!token || token.length > 100) return { kind: 'none' };
      const idHash = sha256(token);
      const now = clock.now();
      // The session, its person (undefined when disabled or gone) and their memberships: one query.
      const found = await repo.findLiveWithUser(idHash, now);
      if (!found) return { kind: 'none' };
      const { session: row, user } = found;
      if (now.getTime() - row.lastSeenAt.getTime() > policy.idleMinutes * 60_000) {
        await repo.revoke(idHash, now);
        return { kind: 'none' };
      }
      if (!user) return { kind: 'none' };
      if (now.getTime() - row.lastSeenAt.getTime() > TOUCH_AFTER_MS) await repo.touch(idHash, now);
      if (isStaff(user) || user.totpEnabled) {
        if (!user.totpEnabled) return { kind: 'pending', user, idHash, needs: 'second_factor_setup' };
        if (!row.secondFactorAt) return { kind: 'pending', user, idHash, needs: 'second_factor' };
      }
      return { kind: 'complete', user, idHash };
    },

    async end(idHash: string) {
      await repo.revoke(idHash, clock.now());
    },

    async endAllFor(userId: string, keepIdHash?: string): Promise<number> {
      return repo.revokeAllForUser(userId, clock.now(), keepIdHash);
    },

    /** After the second factor: a fresh session id with the factor recorded; the old one is revoked. */
    async elevate(oldIdHash: string, userId: string, userAgent?: string): Promise<string> {
      await repo.revoke(oldIdHash, clock.now());
      return this.start(userId, { secondFactorDone: true, userAgent });
    },
  };
}
export type SessionService = ReturnType<typeof createSessionService>;
