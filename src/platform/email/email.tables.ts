/**
 * The email outbox: a row is written in the same transaction as the change that causes the email, so an
 * email is never promised without the change, nor a change made without its email. A worker sends due rows
 * with retries and exponential back-off.
 */
import { index, integer, pgTable, text } from 'drizzle-orm/pg-core';
import { createdAt, id, tstz } from '../db/columns.ts';

export const outboxStatuses = ['pending', 'sent', 'failed'] as const;

export const emailOutbox = pgTable(
  'email_outbox',
  {
    id: id(),
    toAddress: text('to_address').notNull(),
    template: text('template').notNull(),
    locale: text('locale').notNull().default('en'),
    subject: text('subject').notNull(),
    bodyText: text('body_text').notNull(),
    status: text('status', { enum: outboxStatuses }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: tstz('next_attempt_at').notNull(),
    lastError: text('last_error'),
    sentAt: tstz('sent_at'),
    createdAt: createdAt(),
  },
  (t) => [index('email_outbox_due_idx').on(t.status, t.nextAttemptAt)],
);
