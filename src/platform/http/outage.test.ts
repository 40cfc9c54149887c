import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../../config.ts';
import { createDeps } from '../../container.ts';
import { createApp } from '../../app.ts';
import { openDatabase } from '../db/database.ts';
import { createTestDatabase } from '../../../test/helpers/test-db.ts';
import { createMemoryTransport } from '../../../test/helpers/app.ts';
import { isDatabaseUnavailable } from './errors.ts';

const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DEMO_DATA: 'off' });

test('when PostgreSQL cannot be reached, pages are a 503 page and /readyz is red', async () => {
  // Nothing listens on port 1: every connection is refused.
  const db = await openDatabase({ url: 'postgres://nobody@127.0.0.1:1/none', poolSize: 1 });
  const deps = await createDeps(config, { db, transport: createMemoryTransport(), runWorker: false });
  const app = await createApp(deps);
  try {
    const page = await app.inject({
      url: '/',
      headers: { cookie: 'covenant_session=abc', accept: 'text/html' },
    });
    assert.equal(page.statusCode, 503);
    assert.match(page.body, /Sorry, the service is unavailable/);
    assert.match(page.body, /Anything you had already saved has been kept/);
    assert.equal(page.headers['retry-after'], '30');
    const ready = await app.inject('/readyz');
    assert.equal(ready.statusCode, 503);
    assert.equal(ready.json().reason, 'database unreachable');
    assert.equal((await app.inject('/healthz')).statusCode, 200);
  } finally {
    await app.close();
    await db.close();
  }
});

test('when the database has gone (embedded closed, or pool ended), pages are a 503 page', async () => {
  const tdb = await createTestDatabase();
  const deps = await createDeps(config, { db: tdb.db, transport: createMemoryTransport(), runWorker: false });
  const app = await createApp(deps);
  await tdb.close();
  try {
    const page = await app.inject({
      url: '/',
      headers: { cookie: 'covenant_session=abc', accept: 'text/html' },
    });
    assert.equal(page.statusCode, 503);
    assert.equal((await app.inject('/readyz')).statusCode, 503);
  } finally {
    await app.close();
  }
});

test('isDatabaseUnavailable looks through wrapped errors', () => {
  const wrapped = new Error('Failed query', {
    cause: Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }),
  });
  assert.equal(isDatabaseUnavailable(wrapped), true);
  assert.equal(isDatabaseUnavailable(Object.assign(new Error('x'), { code: '23505' })), false);
  assert.equal(isDatabaseUnavailable(new Error('Cannot use a pool after calling end on the pool')), true);
  assert.equal(isDatabaseUnavailable(null), false);
});
