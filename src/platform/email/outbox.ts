/**
 * The outbox. `queue()` renders an email from the message catalogue and stores it with the caller's open
 * transaction, so the email exists exactly when the change that caused it commits. `sendDue()` is the
 * worker's step: it leases due rows (so two workers never send the same row at once), sends each through the
 * transport, and on failure schedules a retry with exponential back-off, giving up after `maxAttempts`.
 * A crash mid-send leaves the lease to expire and the row is sent again: delivery is at least once.
 */
import { and, asc, eq, inArray, lte, sql } from 'drizzle-orm';
import type { Clock } from '../clock.ts';
import type { Database } from '../db/database.ts';
import { insertRows } from '../db/insert-rows.ts';
import { translator, type Locale, type Params } from '../i18n/i18n.ts';
import { emailOutbox } from './email.tables.ts';
import type { EmailTransport } from './transports.ts';

export interface QueueEmail {
  to: string;
  /** Catalogue key under `emails.`: `emails.<template>.subject` and `emails.<template>.body`. */
  template: string;
  params?: Params;
  locale?: Locale;
}

export interface SendResult {
  sent: number;
  retried: number;
  failed: number;
}

export interface Outbox {
  queue(email: QueueEmail): Promise<string>;
  /** Several emails in one statement, with the caller's open transaction; returns their ids in order. */
  queueMany(emails: QueueEmail[]): Promise<string[]>;
  sendDue(limit?: number): Promise<SendResult>;
  pendingCount(): Promise<number>;
}

export interface OutboxOptions {
  maxAttempts?: number;
  /** First retry delay; each later retry doubles it, capped at `maxDelayMs`. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** How long a leased row is reserved for the worker sending it. */
  leaseMs?: number;
  onError?: (error: unknown, emailId: string) => void;
}

export function retryDelayMs(attempt: number, base: number, max: number): number {
  return Math.min(max, base * 2 ** Math.max(0, attempt - 1));
}

export function createOutbox(
  db: Database,
  clock: Clock,
  transport: EmailTransport,
  options: OutboxOptions = {},
): Outbox {
  const maxAttempts = options.maxAttempts ?? 8;
  const base = options.baseDelayMs ?? 60_000;
  const max = options.maxDelayMs ?? 3_600_000;
  const lease = options.leaseMs ?? 300_000;

  /** The row for an email, rendered from the message catalogue. */
  const render = (email: QueueEmail) => {
    const locale = email.locale ?? 'en';
    const t = translator(locale);
    const params = { ...email.params };
    const subject = t(`emails.${email.template}.subject`, params);
    const body = `${t(`emails.${email.template}.body`, params)}\n\n${t('emails.signature', params)}`;
    return {
      toAddress: email.to,
      template: email.template,
      locale,
      subject,
      bodyText: body,
      nextAttemptAt: clock.now(),
    };
  };

  return {
    async queue(email) {
      const [row] = await db
        .get()
        .insert(emailOutbox)
        .values(render(email))
        .returning({ id: emailOutbox.id });
      return row!.id;
    },

    async queueMany(emails) {
      if (emails.length === 0) return [];
      return (await insertRows(db.get(), emailOutbox, emails.map(render), emailOutbox.id)) as string[];
    },

    async sendDue(limit = 50) {
      const now = clock.now();
      // Lease: claim due rows in one statement, pushing their next attempt past the lease.
      const due = db
        .get()
        .select({ id: emailOutbox.id })
        .from(emailOutbox)
        .where(and(eq(emailOutbox.status, 'pending'), lte(emailOutbox.nextAttemptAt, now)))
        .orderBy(asc(emailOutbox.nextAttemptAt))
        .limit(limit)
        .for('update', { skipLocked: true });
      const leased = await db
        .get()
        .update(emailOutbox)
        .set({
          attempts: sql`${emailOutbox.attempts} + 1`,
          nextAttemptAt: new Date(now.getTime() + lease),
        })
        .where(inArray(emailOutbox.id, due))
        .returning();
      const result: SendResult = { sent: 0, retried: 0, failed: 0 };
      for (const row of leased) {
        try {
          await transport.send({ id: row.id, to: row.toAddress, subject: row.subject, text: row.bodyText });
          await db
            .get()
            .update(emailOutbox)
            .set({ status: 'sent', sentAt: clock.now(), lastError: null })
            .where(eq(emailOutbox.id, row.id));
          result.sent++;
        } catch (error) {
          options.onError?.(error, row.id);
          const giveUp = row.attempts >= maxAttempts;
          // Keep only the error's class and message: never the email body or address.
          const message =
            error instanceof Error ? `${error.name}: ${error.message}`.slice(0, 500) : 'Unknown error';
          await db
            .get()
            .update(emailOutbox)
            .set({
              status: giveUp ? 'failed' : 'pending',
              lastError: message,
              nextAttemptAt: new Date(clock.now().getTime() + retryDelayMs(row.attempts, base, max)),
            })
            .where(eq(emailOutbox.id, row.id));
          if (giveUp) result.failed++;
          else result.retried++;
        }
      }
      return result;
    },

    async pendingCount() {
      const [row] = await db
        .get()
        .select({ n: sql<number>`count(*)::int` })
        .from(emailOutbox)
        .where(eq(emailOutbox.status, 'pending'));
      return row?.n ?? 0;
    },
  };
}
