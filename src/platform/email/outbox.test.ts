import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/test-db.ts';
import { createMemoryTransport, type MemoryTransport } from '../../../test/helpers/app.ts';
import { createFixedClock, type FixedClock } from '../clock.ts';
import { createOutbox, retryDelayMs, type Outbox } from './outbox.ts';
import { emailOutbox } from './email.tables.ts';
import { createFileTransport, renderEml } from './transports.ts';

describe('email outbox', () => {
  let tdb: TestDatabase;
  let clock: FixedClock;
  let mail: MemoryTransport;
  let outbox: Outbox;

  before(async () => {
    tdb = await createTestDatabase();
  });
  after(() => tdb.close());
  beforeEach(async () => {
    await tdb.db.get().delete(emailOutbox);
    clock = createFixedClock('2026-03-02T10:00:00Z');
    mail = createMemoryTransport();
    outbox = createOutbox(tdb.db, clock, mail, { baseDelayMs: 60_000, maxDelayMs: 600_000, maxAttempts: 3 });
  });

  test('an email queued in a transaction that rolls back is never sent', async () => {
    await assert.rejects(
      tdb.db.transaction(async () => {
        await outbox.queue({ to: 'a@example.org', template: 'test', params: { name: 'A' } });
        throw new Error('the change failed');
      }),
      /the change failed/,
    );
    assert.equal(await outbox.pendingCount(), 0);
    await outbox.sendDue();
    assert.equal(mail.sent.length, 0);
  });

  test('an email queued with a committed change is sent once, rendered from the catalogue', async () => {
    await tdb.db.transaction(() =>
      outbox.queue({ to: 'b@example.org', template: 'test', params: { name: 'Bea' } }),
    );
    assert.deepEqual(await outbox.sendDue(), { sent: 1, retried: 0, failed: 0 });
    assert.equal(mail.sent.length, 1);
    assert.equal(mail.sent[0]!.subject, 'Test email for Bea');
    assert.match(mail.sent[0]!.text, /Hello Bea/);
    assert.match(mail.sent[0]!.text, /Do not reply/);
    // Sent rows are not sent again.
    assert.deepEqual(await outbox.sendDue(), { sent: 0, retried: 0, failed: 0 });
    assert.equal(mail.sent.length, 1);
  });

  test('a failed send is retried with exponential back-off, then given up', async () => {
    await outbox.queue({ to: 'c@example.org', template: 'test', params: { name: 'C' } });
    mail.failNext(3);
    assert.deepEqual(await outbox.sendDue(), { sent: 0, retried: 1, failed: 0 });
    // Not due again until the first back-off (1 minute) has passed.
    clock.advance(59_000);
    assert.deepEqual(await outbox.sendDue(), { sent: 0, retried: 0, failed: 0 });
    clock.advance(1_000);
    assert.deepEqual(await outbox.sendDue(), { sent: 0, retried: 1, failed: 0 });
    // The second back-off is 2 minutes.
    clock.advance(119_000);
    assert.deepEqual(await outbox.sendDue(), { sent: 0, retried: 0, failed: 0 });
    clock.advance(1_000);
    assert.deepEqual(await outbox.sendDue(), { sent: 0, retried: 0, failed: 1 });
    const [row] = await tdb.db.get().select().from(emailOutbox);
    assert.equal(row!.status, 'failed');
    assert.equal(row!.attempts, 3);
    assert.match(row!.lastError ?? '', /simulated transport failure/);
  });

  test('a send that fails once then succeeds is delivered exactly once', async () => {
    await outbox.queue({ to: 'd@example.org', template: 'test', params: { name: 'D' } });
    mail.failNext(1);
    await outbox.sendDue();
    clock.advance(60_000);
    assert.deepEqual(await outbox.sendDue(), { sent: 1, retried: 0, failed: 0 });
    assert.equal(mail.sent.length, 1);
  });

  test('a row leased by a worker that crashed is sent again after the lease expires', async () => {
    const id = await outbox.queue({ to: 'e@example.org', template: 'test', params: { name: 'E' } });
    // Simulate a worker that leased the row and died before sending.
    await tdb.db
      .get()
      .update(emailOutbox)
      .set({ attempts: 1, nextAttemptAt: new Date(clock.now().getTime() + 300_000) })
      .where(eq(emailOutbox.id, id));
    assert.equal((await outbox.sendDue()).sent, 0);
    clock.advance(300_000);
    assert.equal((await outbox.sendDue()).sent, 1);
  });

  test('back-off doubles and is capped', () => {
    assert.equal(retryDelayMs(1, 1000, 10_000), 1000);
    assert.equal(retryDelayMs(2, 1000, 10_000), 2000);
    assert.equal(retryDelayMs(3, 1000, 10_000), 4000);
    assert.equal(retryDelayMs(10, 1000, 10_000), 10_000);
  });

  test('the file transport writes a complete .eml file', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'outbox-'));
    await createFileTransport(dir, 'Hub <hub@example.org>').send({
      id: 'abc',
      to: 'f@example.org',
      subject: 'Croeso — welcome',
      text: 'Line one\nLine two',
    });
    const files = readdirSync(dir);
    assert.equal(files.length, 1);
    assert.match(files[0]!, /\.eml$/);
    const eml = readFileSync(path.join(dir, files[0]!), 'utf8');
    assert.match(eml, /^From: Hub <hub@example.org>\r\n/);
    assert.match(eml, /To: f@example.org/);
    assert.match(eml, /Subject: =\?UTF-8\?B\?/);
    assert.match(eml, /\r\n\r\nLine one\r\nLine two/);
  });

  test('renderEml keeps an ASCII subject readable', () => {
    assert.match(
      renderEml({ id: '1', to: 'x@y.z', subject: 'Hello', text: 'Hi' }, 'a@b.c', new Date()),
      /Subject: Hello\r\n/,
    );
  });
});
