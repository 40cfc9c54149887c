import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'drizzle-orm';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/test-db.ts';
import { createFixedClock } from '../clock.ts';
import { createAuditLog } from '../audit/audit.ts';
import { organisations } from '../../modules/directory/directory.tables.ts';
import { rowsOf } from './database.ts';

const causeOf = (e: unknown) => String((e as { cause?: unknown }).cause ?? e);

describe('database layer', () => {
  let tdb: TestDatabase;
  before(async () => {
    tdb = await createTestDatabase();
  });
  after(() => tdb.close());

  test('migrations are all applied', async () => {
    assert.equal(await tdb.db.pendingMigrations(), 0);
  });

  test('inside a transaction, db.get() is the transaction: no deadlock, and a rollback undoes it', async () => {
    await assert.rejects(
      tdb.db.transaction(async () => {
        await tdb.db
          .get()
          .insert(organisations)
          .values({ slug: 'rolled-back', name: 'Rolled back', kind: 'cso' });
        // Reading through the handle inside the transaction sees the uncommitted row (same connection).
        const seen = await tdb.db.get().select().from(organisations);
        assert.ok(seen.some((o) => o.slug === 'rolled-back'));
        throw new Error('abort');
      }),
      /abort/,
    );
    const after = await tdb.db.get().select().from(organisations);
    assert.ok(!after.some((o) => o.slug === 'rolled-back'));
  });

  test('a nested transaction is a savepoint: its failure leaves the outer work intact', async () => {
    await tdb.db.transaction(async () => {
      await tdb.db.get().insert(organisations).values({ slug: 'outer', name: 'Outer', kind: 'cso' });
      await assert.rejects(
        tdb.db.transaction(async () => {
          await tdb.db.get().insert(organisations).values({ slug: 'inner', name: 'Inner', kind: 'cso' });
          throw new Error('inner fails');
        }),
      );
    });
    const slugs = (await tdb.db.get().select().from(organisations)).map((o) => o.slug);
    assert.ok(slugs.includes('outer'));
    assert.ok(!slugs.includes('inner'));
  });

  test('afterCommit waits for the outermost commit, sees committed rows, and never runs after a rollback', async () => {
    const seen: string[] = [];
    // Like the job worker, the callback queries outside the transaction (on PGlite: the raw connection,
    // which a call from inside the open transaction would deadlock on).
    const outside = async () => {
      const rows = tdb.db.pglite
        ? (
            await tdb.db.pglite.query<{ slug: string }>(
              "select slug from organisations where slug like 'ac-%'",
            )
          ).rows
        : await tdb.db.get().select({ slug: organisations.slug }).from(organisations);
      seen.push(rows.some((r) => r.slug === 'ac-committed') ? 'committed-visible' : 'not-visible');
    };
    await tdb.db.transaction(async () => {
      await tdb.db.get().insert(organisations).values({ slug: 'ac-committed', name: 'AC', kind: 'cso' });
      await tdb.db.transaction(async () => {
        await tdb.db.afterCommit(outside);
      });
      seen.push('still-in-transaction');
    });
    assert.deepEqual(seen, ['still-in-transaction', 'committed-visible']);

    let ranAfterRollback = false;
    await assert.rejects(
      tdb.db.transaction(async () => {
        await tdb.db.afterCommit(async () => {
          ranAfterRollback = true;
        });
        throw new Error('abort');
      }),
      /abort/,
    );
    assert.equal(ranAfterRollback, false);

    let ranNow = false;
    await tdb.db.afterCommit(async () => {
      ranNow = true;
    });
    assert.equal(ranNow, true, 'outside a transaction the callback runs at once');
  });

  test('concurrent transactions both complete (no single-connection deadlock)', async () => {
    const work = (slug: string) =>
      tdb.db.transaction(async () => {
        await tdb.db.get().insert(organisations).values({ slug, name: slug, kind: 'cso' });
        await new Promise((r) => setTimeout(r, 10));
        await tdb.db.get().select().from(organisations);
      });
    await Promise.all([work('c1'), work('c2'), work('c3')]);
    const slugs = (await tdb.db.get().select().from(organisations)).map((o) => o.slug);
    for (const s of ['c1', 'c2', 'c3']) assert.ok(slugs.includes(s));
  });

  test('the audit log is append-only: UPDATE, DELETE and TRUNCATE are refused by the database', async () => {
    const audit = createAuditLog(tdb.db, createFixedClock());
    await audit.record(
      { userId: null, requestId: 'r1' },
      { action: 'test.done', entityType: 'test', entityId: '1' },
    );
    const rows = await audit.list({ entityType: 'test' });
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.requestId, 'r1');
    for (const statement of [
      sql`update audit_log set action = 'x'`,
      sql`delete from audit_log`,
      sql`truncate audit_log`,
    ]) {
      await assert.rejects(tdb.db.get().execute(statement), (e) => /append-only/.test(causeOf(e)));
    }
    const count = rowsOf<{ n: number }>(
      await tdb.db.get().execute(sql`select count(*)::int as n from audit_log`),
    );
    assert.equal(count[0]!.n, 1);
  });

  test('an audit row written in a transaction that rolls back disappears with it', async () => {
    const audit = createAuditLog(tdb.db, createFixedClock());
    await assert.rejects(
      tdb.db.transaction(async () => {
        await audit.record({ userId: null }, { action: 'test.rolled-back', entityType: 'rollback' });
        throw new Error('abort');
      }),
    );
    assert.equal((await audit.list({ entityType: 'rollback' })).length, 0);
  });
});
