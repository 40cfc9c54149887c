import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { runCli } from './cli.ts';
import { createTestDatabase, type TestDatabase } from '../test/helpers/test-db.ts';

function capture() {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += d));
  stderr.on('data', (d) => (err += d));
  return { io: { stdout, stderr }, out: () => out, err: () => err };
}

describe('covenant command', () => {
  let env: Record<string, string>;
  let tdb: TestDatabase | undefined;
  let dir: string | undefined;

  before(async () => {
    // The CLI opens the database itself from configuration: a test database on PostgreSQL, or a fresh
    // embedded one in a temporary folder.
    if (process.env.TEST_DATABASE_URL) {
      tdb = await createTestDatabase();
      await tdb.db.close();
      env = { NODE_ENV: 'test', DATABASE_URL: tdb.url! };
    } else {
      dir = mkdtempSync(path.join(os.tmpdir(), 'covenant-cli-'));
      env = { NODE_ENV: 'test', DATA_DIR: dir };
    }
  });
  after(async () => {
    await tdb?.close().catch(() => undefined);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('with no command it prints usage and exits 2; --help exits 0', async () => {
    const a = capture();
    assert.equal(await runCli([], a.io, env), 2);
    assert.match(a.out(), /Usage: covenant <command>/);
    const b = capture();
    assert.equal(await runCli(['--help'], b.io, env), 0);
    for (const name of [
      'migrate',
      'seed',
      'create-admin',
      'users',
      'jobs',
      'outbox',
      'working-days',
      'analyse',
    ])
      assert.match(b.out(), new RegExp(name));
  });

  test('an unknown command exits 2 and says which', async () => {
    const c = capture();
    assert.equal(await runCli(['frobnicate'], c.io, env), 2);
    assert.match(c.err(), /Unknown command "frobnicate"/);
  });

  test('invalid configuration exits 78 naming the variable', async () => {
    const c = capture();
    assert.equal(await runCli(['migrate'], c.io, { ...env, PORT: 'abc' }), 78);
    assert.match(c.err(), /PORT: must be a whole number/);
  });

  test('migrate applies migrations, then reports the database is up to date', async () => {
    const a = capture();
    assert.equal(await runCli(['migrate'], a.io, env), 0);
    assert.match(a.out(), /Applied \d+ migration|up to date/);
    const b = capture();
    assert.equal(await runCli(['migrate'], b.io, env), 0);
    assert.match(b.out(), /The database is up to date/);
  });

  test('seed needs --demo and never runs in production', async () => {
    const a = capture();
    assert.equal(await runCli(['seed'], a.io, env), 2);
    const b = capture();
    const production = {
      ...env,
      NODE_ENV: 'production',
      SECRET_KEY: 'x'.repeat(40),
      METRICS_TOKEN: 'y'.repeat(20),
    };
    assert.equal(await runCli(['seed', '--demo'], b.io, production), 1);
    assert.match(b.err(), /never loaded when NODE_ENV=production/);
  });

  test('jobs run-once runs every task and outbox send reports what it sent', async () => {
    const a = capture();
    assert.equal(await runCli(['jobs', 'run-once'], a.io, env), 0);
    assert.match(a.out(), /outbox-send: \{"sent":0,"retried":0,"failed":0\}/);
    const b = capture();
    assert.equal(await runCli(['outbox', 'send'], b.io, env), 0);
    assert.match(b.out(), /Sent 0, will retry 0, gave up on 0/);
    const c = capture();
    assert.equal(await runCli(['jobs'], c.io, env), 2);
  });

  test('seed --reference loads the Covenant text and the public bodies, and a second run changes nothing', async () => {
    const a = capture();
    assert.equal(await runCli(['seed', '--reference'], a.io, env), 0);
    assert.match(a.out(), /Reference data loaded: the Covenant text and \d+ public bodies/);
    const b = capture();
    assert.equal(await runCli(['seed', '--reference'], b.io, env), 0);
    assert.match(b.out(), /already loaded/);
  });

  test('create-admin makes an administrator that users list shows; a bad email exits 1', async () => {
    const a = capture();
    assert.equal(
      await runCli(['create-admin', '--email', 'ops@example.org', '--name', 'Ops Person'], a.io, env),
      0,
    );
    assert.match(a.out(), /TOTP secret/);
    const b = capture();
    assert.equal(await runCli(['users', 'list', '--role', 'admin'], b.io, env), 0);
    assert.match(b.out(), /ops@example.org/);
    const c = capture();
    assert.equal(await runCli(['create-admin', '--email', 'not-an-email', '--name', 'X'], c.io, env), 1);
    const d = capture();
    assert.equal(await runCli(['users', 'frobnicate'], d.io, env), 2);
  });

  test('working-days is reachable through the covenant command', async () => {
    const a = capture();
    assert.equal(
      await runCli(['working-days', 'add', '2025-12-19', '20', '--nation', 'scotland'], a.io, env),
      0,
    );
    assert.equal(a.out().trim(), '2026-01-22');
  });
});
