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

test('a trigger while the task runs queues another run; a burst before it starts queues one', async () => {
  // The outbox case: an email committed while a sweep is under way must not wait for the next cron minute.
  const tdb = await createTestDatabase();
  let runs = 0;
  let release: () => void = () => undefined;
  let started: () => void = () => undefined;
  const firstStarted = new Promise<void>((r) => (started = r));
  const jobs = createJobRunner({
    db: tdb.db,
    url: tdb.url,
    enabled: true,
    tasks: [
      {
        name: 'slow-sweep',
        cron: '0 0 1 1 *',
        run: async () => {
          runs += 1;
          started();
          if (runs === 1) await new Promise<void>((r) => (release = r));
        },
      },
    ],
  });
  const waitFor = async (what: string, done: () => boolean) => {
    const deadline = Date.now() + 20_000;
    while (!done()) {
      if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  try {
    await jobs.start();
    for (let i = 0; i < 20; i += 1) await jobs.trigger('slow-sweep');
    await firstStarted;
    // Work committed after the sweep began: this trigger must not be swallowed by the running one.
    await jobs.trigger('slow-sweep');
    release();
    await waitFor('the second run', () => runs >= 2);
    // The burst of 20 before the first run started made one run, not 20.
    await new Promise((r) => setTimeout(r, 5_000));
    assert.equal(runs, 2);
  } finally {
    release();
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
