/**
 * Writes audit rows. Call it inside the same transaction as the change it records, so a change and its
 * audit row commit together or not at all (the Database handle routes it to the open transaction).
 */
import { and, desc, eq, type SQL } from 'drizzle-orm';
import type { Clock } from '../clock.ts';
import type { Database } from '../db/database.ts';
import { insertRows } from '../db/insert-rows.ts';
import { auditLog } from './audit.tables.ts';

/** Who is acting, and from which request: passed from routes into services. */
export interface Actor {
  userId: string | null;
  requestId?: string;
  ip?: string;
}

export const systemActor: Actor = { userId: null, requestId: 'system' };

export interface AuditEvent {
  action: string;
  entityType: string;
  entityId?: string | null;
  details?: Record<string, unknown>;
}

export interface AuditLog {
  record(actor: Actor, event: AuditEvent): Promise<void>;
  /** Several rows in one statement (changes made together in one transaction, e.g. reports submitted at once). */
  recordMany(entries: { actor: Actor; event: AuditEvent }[]): Promise<void>;
  list(filter: {
    entityType?: string;
    entityId?: string;
    actorUserId?: string;
    limit?: number;
  }): Promise<(typeof auditLog.$inferSelect)[]>;
}

export function createAuditLog(db: Database, clock: Clock): AuditLog {
  const row = (actor: Actor, event: AuditEvent) => ({
    at: clock.now(),
    actorUserId: actor.userId,
    action: event.action,
    entityType: event.entityType,
    entityId: event.entityId ?? null,
    requestId: actor.requestId ?? null,
    ip: actor.ip ?? null,
    details: event.details ?? {},
  });
  return {
    async record(actor, event) {
      await db.get().insert(auditLog).values(row(actor, event));
    },
    async recordMany(entries) {
      if (entries.length === 0) return;
      await insertRows(
        db.get(),
        auditLog,
        entries.map((e) => row(e.actor, e.event)),
      );
    },
    async list(filter) {
      const conditions: SQL[] = [];
      if (filter.entityType) conditions.push(eq(auditLog.entityType, filter.entityType));
      if (filter.entityId) conditions.push(eq(auditLog.entityId, filter.entityId));
      if (filter.actorUserId) conditions.push(eq(auditLog.actorUserId, filter.actorUserId));
      return db
        .get()
        .select()
        .from(auditLog)
        .where(conditions.length ? and(...conditions) : undefined)
        .orderBy(desc(auditLog.id))
        .limit(filter.limit ?? 100);
    },
  };
}
