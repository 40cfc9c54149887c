/**
 * The audit log: append-only. A database trigger (migration 0001) refuses UPDATE, DELETE and TRUNCATE, so
 * not even a bug in the application can rewrite history.
 */
import { bigserial, index, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { tstz } from '../db/columns.ts';

export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: tstz('at').notNull(),
    /** Null for the system itself (jobs, start-up). */
    actorUserId: uuid('actor_user_id'),
    action: text('action').notNull(),
    entityType: text('entity_type').notNull(),
    entityId: text('entity_id'),
    requestId: text('request_id'),
    ip: text('ip'),
    /** Ids and codes only: never a password, token, withheld identity or full free text. */
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [index('audit_entity_idx').on(t.entityType, t.entityId), index('audit_actor_idx').on(t.actorUserId)],
);
