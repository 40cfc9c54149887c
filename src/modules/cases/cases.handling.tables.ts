/**
 * Case handling by bodies (SPEC §3, issue 4 items 4, 6 and 11): API tokens for a body's own systems, the log
 * of deadline reminders already sent (so the daily job is idempotent), and a body's response templates.
 */
import { index, pgTable, text, uniqueIndex, uuid, date } from 'drizzle-orm/pg-core';
import { createdAt, id, tstz } from '../../platform/db/columns.ts';
import { organisations } from '../directory/directory.tables.ts';
import { users } from '../accounts/accounts.tables.ts';
import { cases } from './cases.tables.ts';

/**
 * A body's API token: only the SHA-256 of the token is stored, it is shown once when created, and it can be
 * revoked. A token acts for one body only (a case of another body is "not found").
 */
export const apiTokens = pgTable(
  'api_tokens',
  {
    id: id(),
    bodyId: uuid('body_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    tokenHash: text('token_hash').notNull(),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    lastUsedAt: tstz('last_used_at'),
    revokedAt: tstz('revoked_at'),
  },
  (t) => [uniqueIndex('api_tokens_hash_idx').on(t.tokenHash), index('api_tokens_body_idx').on(t.bodyId)],
);

/**
 * Reminders and questions already sent, one row per (case, kind, due date): the daily job inserts first
 * and sends only when the insert happened, so a second run on the same day sends nothing. `kind` is e.g.
 * `acknowledge:5`, `respond:1`, `respond:overdue`, `resolved_question`.
 */
export const caseReminders = pgTable(
  'case_reminders',
  {
    id: id(),
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    dueOn: date('due_on').notNull(),
    sentAt: tstz('sent_at').notNull(),
  },
  (t) => [uniqueIndex('case_reminders_once_idx').on(t.caseId, t.kind, t.dueOn)],
);

/** A body's response templates, inserted into the response box on the case page. */
export const responseTemplates = pgTable(
  'response_templates',
  {
    id: id(),
    bodyId: uuid('body_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    body: text('body').notNull(),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [index('response_templates_body_idx').on(t.bodyId)],
);
