import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough, Readable } from 'node:stream';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { createOrganisation, createUser } from '../../../test/helpers/accounts.ts';
import { runCreateAdminCommand, runUsersCommand } from './accounts.cli.ts';

function io(stdinText?: string) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  return {
    io: { stdout, stderr, stdin: stdinText === undefined ? undefined : Readable.from([stdinText]) },
    out: () => out,
    err: () => err,
  };
}

describe('accounts CLI', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp({ RATE_LIMIT_SIGN_IN_PER_15_MINUTES: '1000' });
  });
  after(() => t.close());

  test('create-admin with a generated password prints it once with the TOTP secret', async () => {
    const c = io();
    const code = await runCreateAdminCommand(
      ['--email', 'Root@Example.org', '--name', 'Rosa Root'],
      c.io,
      t.deps,
    );
    assert.equal(code, 0, c.err());
    const password = /Password \(shown once, store it safely\): (\S+)/.exec(c.out())?.[1];
    assert.ok(password && password.length >= 20);
    assert.match(c.out(), /TOTP secret for an authenticator app: [A-Z2-7]{32}/);
    const res = await t.agent().submit('/sign-in', { email: 'root@example.org', password });
    assert.match(
      String(res.headers.location),
      /^\/sign-in\/two-factor/,
      'an admin, so the second factor follows',
    );
  });

  test('create-admin --password-stdin reads the password and applies the rules', async () => {
    const ok = io('velvet orbit canyon\n');
    assert.equal(
      await runCreateAdminCommand(
        ['--email', 'stdin@example.org', '--name', 'Stan', '--password-stdin'],
        ok.io,
        t.deps,
      ),
      0,
    );
    assert.doesNotMatch(ok.out(), /Password \(shown once/);
    const weak = io('password1234\n');
    assert.equal(
      await runCreateAdminCommand(
        ['--email', 'weak@example.org', '--name', 'W', '--password-stdin'],
        weak.io,
        t.deps,
      ),
      1,
    );
    assert.match(weak.err(), /harder to guess/);
  });

  test('create-admin refuses a bad email, a duplicate, and missing arguments', async () => {
    const bad = io();
    assert.equal(await runCreateAdminCommand(['--email', 'not-an-email', '--name', 'X'], bad.io, t.deps), 1);
    assert.match(bad.err(), /is not an email address/);
    const dup = io();
    assert.equal(
      await runCreateAdminCommand(['--email', 'ROOT@example.org', '--name', 'Again'], dup.io, t.deps),
      1,
    );
    assert.match(dup.err(), /already exists/);
    const usage = io();
    assert.equal(await runCreateAdminCommand(['--email', 'x@example.org'], usage.io, t.deps), 2);
    assert.match(usage.err(), /Usage: covenant create-admin/);
  });

  test('users list, filtered by role, as text or JSON', async () => {
    const org = await createOrganisation(t.deps, { kind: 'cso', name: 'CLI Charity' });
    await createUser(t.deps, {
      email: 'member@example.org',
      roles: [{ role: 'cso_member', organisationId: org.id }],
    });
    const all = io();
    assert.equal(await runUsersCommand(['list'], all.io, t.deps), 0);
    assert.match(all.out(), /member@example\.org/);
    assert.match(all.out(), /root@example\.org/);
    const admins = io();
    assert.equal(await runUsersCommand(['list', '--role', 'admin', '--json'], admins.io, t.deps), 0);
    const rows = JSON.parse(admins.out()) as { email: string; roles: { role: string }[] }[];
    assert.ok(rows.length >= 2);
    assert.ok(rows.every((r) => r.roles.some((x) => x.role === 'admin')));
    assert.ok(!rows.some((r) => r.email === 'member@example.org'));
    const unknown = io();
    assert.equal(await runUsersCommand(['list', '--role', 'king'], unknown.io, t.deps), 2);
    assert.equal(await runUsersCommand(['delete'], io().io, t.deps), 2);
  });
});
