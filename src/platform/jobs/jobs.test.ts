import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDatabase } from '../../../test/helpers/test-db.ts';
import { createJobRunner } from './jobs.ts';

test('the pg-boss worker runs a triggered task (in-process on PGlite, pooled on PostgreSQL)', async () => {
  const tdb = await createTestDatabase();
  let runs = 0;
  const errors: unknown[] = [];
  const jobs = createJobRunner({
    db: tdb.db,
    url: tdb.url,
    enabled: true,
    tasks: [{ name: 'count-runs', cron: '0 0 1 1 *', run: async () => ++runs }],
    onError: (e) => errors.push(e),
  });
  try {
    await jobs.start();
    await jobs.trigger('count-runs');
    const deadline = Date.now() + 15_000;
    while (runs === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    assert.ok(runs >= 1, 'the task ran');
    assert.deepEqual(errors, []);
    await assert.rejects(jobs.trigger('no-such-task'), /Unknown task/);
  } finally {
    await jobs.stop();
    await tdb.close();
  }
});

test('runOnce runs every task directly, without a queue', async () => {
  const calls: string[] = [];
  const tdb = await createTestDatabase();
  const jobs = createJobRunner({
    db: tdb.db,
    enabled: false,
    tasks: [
      { name: 'a', cron: '* * * * *', run: async () => calls.push('a') },
      { name: 'b', cron: '* * * * *', run: async () => calls.push('b') },
    ],
  });
  assert.deepEqual(await jobs.runOnce(), { a: 1, b: 2 });
  assert.deepEqual(calls, ['a', 'b']);
  // Disabled runners accept triggers without a queue (the cron or run-once picks the work up).
  await jobs.trigger('a');
  await tdb.close();
});
