import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'drizzle-orm';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/test-db.ts';
import { createFixedClock } from '../clock.ts';
import type { Database } from '../db/database.ts';
import { rowsOf } from '../db/database.ts';
import { createPageCache, hashOf } from './page-cache.ts';

/** The test database, counting every query made through it (the cache must make none on a hit). */
function counting(db: Database) {
  const counter = { queries: 0 };
  const wrapped: Database = {
    ...db,
    get: () => {
      counter.queries++;
      return db.get();
    },
  };
  return { db: wrapped, counter };
}

/** A loader that counts its calls and returns a new value each time. */
function loader(label = 'page') {
  const calls = { n: 0 };
  return { calls, load: async () => ({ label, call: ++calls.n }) };
}

const deferred = <T>() => {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
};

describe('page cache', () => {
  let testDb: TestDatabase;
  const clock = createFixedClock('2026-01-05T09:00:00Z');
  before(async () => {
    testDb = await createTestDatabase();
  });
  after(() => testDb.close());
  beforeEach(() => clock.set('2026-01-05T09:00:00Z'));

  /** What another process (or a job) does: a write to a registry table moves the version by trigger. */
  async function writeToRegistry() {
    const before = await registryVersion();
    await testDb.db.get().execute(sql`update covenant_principles set title = title where false`);
    assert.ok((await registryVersion()) > before);
  }
  async function registryVersion() {
    const rows = rowsOf<{ version: string }>(
      await testDb.db.get().execute(sql`select version from registry_changes where id = 1`),
    );
    return Number(rows[0]!.version);
  }

  test('a hit makes no query and keeps the value and its ETag; the ETag is a hash of the value', async () => {
    const { db, counter } = counting(testDb.db);
    const cache = createPageCache(db, clock, { recheckMs: 60_000 });
    const { calls, load } = loader();
    const first = await cache.get('k', load);
    const queries = counter.queries;
    const second = await cache.get('k', load);
    assert.equal(calls.n, 1);
    assert.equal(counter.queries, queries, 'no query on a hit');
    assert.deepEqual(second, first);
    assert.equal(first.etag, hashOf(first.value));
    // Another key is loaded on its own.
    assert.equal((await cache.get('other', load)).value.call, 2);
  });

  test('a moved registry version drops every entry (at the next recheck)', async () => {
    const cache = createPageCache(testDb.db, clock, { recheckMs: 0 });
    const { calls, load } = loader();
    await cache.get('k', load);
    await cache.get('k', load);
    assert.equal(calls.n, 1);
    await writeToRegistry();
    const after = await cache.get('k', load);
    assert.equal(calls.n, 2);
    assert.equal(after.value.call, 2);
    assert.notEqual(after.etag, hashOf({ label: 'page', call: 1 }));
  });

  test('the registry triggers move the version on a write to any registry or directory table', async () => {
    for (const table of [
      'organisations',
      'accountable_leads',
      'covenant_signatures',
      'covenant_paragraphs',
    ]) {
      const before = await registryVersion();
      await testDb.db.get().execute(sql.raw(`delete from ${table} where false`));
      assert.ok((await registryVersion()) > before, table);
    }
  });

  test('between rechecks a change elsewhere is not seen; changed() makes the next read check', async () => {
    const cache = createPageCache(testDb.db, clock, { recheckMs: 60_000 });
    const { calls, load } = loader();
    await cache.get('k', load);
    await writeToRegistry();
    assert.equal((await cache.get('k', load)).value.call, 1, 'within recheckMs: still the old entry');
    cache.changed();
    assert.equal((await cache.get('k', load)).value.call, 2, 'after changed(): reloaded');
    assert.equal((await cache.get('k', load)).value.call, 2, 'and kept again');
    assert.equal(calls.n, 2);
  });

  test('changed() before the write commits still catches it: reads keep checking until the version moves', async () => {
    const cache = createPageCache(testDb.db, clock, { recheckMs: 60_000 });
    const { load } = loader();
    await cache.get('k', load);
    cache.changed();
    assert.equal((await cache.get('k', load)).value.call, 1, 'nothing written yet');
    await writeToRegistry();
    assert.equal((await cache.get('k', load)).value.call, 2);
  });

  test('loading is single-flight: many readers at once cause one load', async () => {
    const cache = createPageCache(testDb.db, clock, { recheckMs: 60_000 });
    const gate = deferred<void>();
    let calls = 0;
    const load = async () => {
      calls++;
      await gate.promise;
      return { rows: [1, 2, 3] };
    };
    const readers = Array.from({ length: 20 }, () => cache.get('k', load));
    gate.resolve();
    const results = await Promise.all(readers);
    assert.equal(calls, 1);
    assert.ok(results.every((r) => r.etag === results[0]!.etag));
  });

  test('a failed load is not kept: the next read tries again', async () => {
    const cache = createPageCache(testDb.db, clock, { recheckMs: 60_000 });
    let calls = 0;
    const load = async () => {
      calls++;
      if (calls === 1) throw new Error('database away');
      return { ok: true };
    };
    await assert.rejects(cache.get('k', load), /database away/);
    assert.deepEqual((await cache.get('k', load)).value, { ok: true });
    assert.equal(calls, 2);
  });

  test('entries expire maxAgeMs after loading, by the app clock', async () => {
    const cache = createPageCache(testDb.db, clock, { recheckMs: 60_000, maxAgeMs: 60_000 });
    const { calls, load } = loader();
    await cache.get('k', load);
    clock.advance(59_000);
    await cache.get('k', load);
    assert.equal(calls.n, 1);
    clock.advance(2_000);
    await cache.get('k', load);
    assert.equal(calls.n, 2);
    // A clock set back (a test or a corrected server clock) expires it too.
    clock.advance(-3_600_000);
    await cache.get('k', load);
    assert.equal(calls.n, 3);
  });

  test('a value loaded while the version moved is returned but not kept', async () => {
    const cache = createPageCache(testDb.db, clock, { recheckMs: 0 });
    const { load: warm } = loader();
    await cache.get('warm', warm);
    const gate = deferred<void>();
    let calls = 0;
    const slow = async () => {
      calls++;
      if (calls === 1) await gate.promise;
      return { call: calls };
    };
    const pending = cache.get('k', slow);
    await writeToRegistry();
    // Another reader sees the new version (dropping everything), then the slow load finishes.
    await cache.get('warm', warm);
    gate.resolve();
    assert.equal((await pending).value.call, 1);
    assert.equal((await cache.get('k', slow)).value.call, 2, 'the stale value was not kept');
  });

  test('at most maxEntries are kept, oldest out first; maxEntries 0 turns the cache off', async () => {
    const cache = createPageCache(testDb.db, clock, { recheckMs: 60_000, maxEntries: 2 });
    const { calls, load } = loader();
    await cache.get('a', load);
    await cache.get('b', load);
    await cache.get('c', load);
    assert.equal(cache.size, 2);
    await cache.get('c', load);
    await cache.get('b', load);
    assert.equal(calls.n, 3);
    await cache.get('a', load);
    assert.equal(calls.n, 4, 'a was dropped');

    const { db, counter } = counting(testDb.db);
    const off = createPageCache(db, clock, { maxEntries: 0 });
    const other = loader();
    await off.get('a', other.load);
    await off.get('a', other.load);
    assert.equal(other.calls.n, 2);
    assert.equal(counter.queries, 0, 'no version check either');
    assert.equal(off.size, 0);
  });
});
