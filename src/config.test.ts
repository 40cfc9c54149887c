/**
 * Configuration: the README's table documents exactly the keys config.ts reads (both directions, with the
 * same defaults), and invalid configuration stops with a message naming the variable and what is wrong.
 * The README's demo accounts table is checked here too, against the list the demo data is loaded from.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { ConfigError, configKeys, loadConfig } from './config.ts';
import { DEMO_PASSWORD, demoAccounts } from './modules/accounts/accounts.demo.ts';

const readme = readFileSync(path.resolve(import.meta.dirname, '..', 'README.md'), 'utf8');

/** The text under a README heading, up to the next heading of the same level. */
function readmeSection(heading: string): string {
  const section = new RegExp(`^## ${heading}\\s*$([\\s\\S]*?)(?=^## )`, 'm').exec(readme)?.[1];
  assert.ok(section, `the README has a "## ${heading}" section`);
  return section;
}

/** The rows of the table under the README's "## Configuration" heading: key → default cell. */
function readmeConfigTable(): Map<string, string> {
  const rows = new Map<string, string>();
  for (const line of readmeSection('Configuration').split('\n')) {
    const row = /^\|\s*`([A-Z][A-Z0-9_]*)`\s*\|\s*(.*?)\s*\|/.exec(line);
    if (row) rows.set(row[1]!, row[2]!);
  }
  return rows;
}

/** How the README writes a key's default: the value in backticks, or "(none)". */
function documentedDefault(key: keyof typeof configKeys): string {
  const value = configKeys[key].schema.safeParse(undefined).data;
  return value === undefined ? '(none)' : `\`${String(value)}\``;
}

function configError(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
    return error.message;
  }
  assert.fail(`loadConfig accepted ${JSON.stringify(env)}`);
}

describe('configuration', () => {
  test('the README table lists every key config.ts reads, and no other', () => {
    const documented = [...readmeConfigTable().keys()].sort();
    const read = Object.keys(configKeys).sort();
    assert.deepEqual(
      documented.filter((k) => !read.includes(k)),
      [],
      'keys in the README that config.ts does not read',
    );
    assert.deepEqual(
      read.filter((k) => !documented.includes(k)),
      [],
      'keys config.ts reads that the README does not document',
    );
  });

  test('the README gives each key the default config.ts uses', () => {
    const table = readmeConfigTable();
    for (const key of Object.keys(configKeys) as (keyof typeof configKeys)[])
      assert.equal(table.get(key), documentedDefault(key), `default of ${key}`);
  });

  test('with nothing set, the defaults serve http://localhost:3000 on the embedded database in ./data', () => {
    const config = loadConfig({});
    assert.equal(config.PORT, 3000);
    assert.equal(config.BASE_URL, 'http://localhost:3000');
    assert.equal(config.DATABASE_URL, undefined);
    assert.equal(config.DATA_DIR, path.resolve('data'));
    assert.equal(config.isDevelopment, true);
    assert.equal(config.EMAIL_TRANSPORT, 'file');
    assert.equal(config.SESSION_IDLE_MINUTES, 30);
    assert.equal(config.SESSION_ABSOLUTE_HOURS, 12);
    assert.equal(config.RUN_WORKER, true);
    assert.equal(config.oidcEnabled, false);
    // Loopback over plain http still gets Secure cookies: browsers accept them on localhost.
    assert.equal(config.COOKIE_SECURE, true);
  });

  test('an empty variable counts as unset', () => {
    assert.equal(loadConfig({ PORT: '', DATABASE_URL: '' }).PORT, 3000);
  });

  test('values are converted: numbers, booleans, a trailing slash on BASE_URL', () => {
    const config = loadConfig({ PORT: '8080', TRUST_PROXY: 'yes', BASE_URL: 'https://hub.example.org/' });
    assert.equal(config.PORT, 8080);
    assert.equal(config.TRUST_PROXY, true);
    assert.equal(config.BASE_URL, 'https://hub.example.org');
  });

  test('COOKIE_SECURE defaults to false for plain http on a non-loopback host', () => {
    assert.equal(loadConfig({ BASE_URL: 'http://hub.internal' }).COOKIE_SECURE, false);
  });

  const invalid: [string, Record<string, string>, RegExp[]][] = [
    ['a port that is not a number', { PORT: 'abc' }, [/PORT: must be a whole number/]],
    ['a port out of range', { PORT: '70000' }, [/PORT: must be from 0 to 65535/]],
    [
      'a database URL that is not PostgreSQL',
      { DATABASE_URL: 'mysql://user@host/db' },
      [/DATABASE_URL: must start with postgres:\/\//],
    ],
    [
      'production without secrets',
      { NODE_ENV: 'production' },
      [/SECRET_KEY: is required in production/, /METRICS_TOKEN: is required in production/],
    ],
    ['a short secret key', { SECRET_KEY: 'too-short' }, [/SECRET_KEY: must be at least 32 characters/]],
    ['the SMTP transport without SMTP_URL', { EMAIL_TRANSPORT: 'smtp' }, [/SMTP_URL: is required/]],
    ['the Notify transport without a key', { EMAIL_TRANSPORT: 'notify' }, [/NOTIFY_API_KEY:/]],
    [
      'an OIDC issuer without a client',
      { OIDC_ISSUER: 'https://issuer.example' },
      [/OIDC_CLIENT_ID: is required with OIDC_ISSUER/, /OIDC_CLIENT_SECRET: or OIDC_PRIVATE_KEY/],
    ],
    [
      'an OIDC private key that is not JSON',
      { OIDC_ISSUER: 'https://issuer.example', OIDC_CLIENT_ID: 'hub', OIDC_PRIVATE_KEY: 'not json' },
      [/OIDC_PRIVATE_KEY: must be a JSON Web Key/],
    ],
    ['an unknown log level', { LOG_LEVEL: 'verbose' }, [/LOG_LEVEL:/]],
    ['a session length of 0', { SESSION_IDLE_MINUTES: '0' }, [/SESSION_IDLE_MINUTES: must be more than 0/]],
    ['a boolean that is not one', { RUN_WORKER: 'maybe' }, [/RUN_WORKER:/]],
    [
      'a malware-scan command without {file}, which would never see the upload',
      { MALWARE_SCAN_COMMAND: 'clamdscan --no-summary' },
      [/MALWARE_SCAN_COMMAND: must contain \{file\}/],
    ],
  ];
  for (const [name, env, expected] of invalid) {
    test(`stops on ${name}, naming the variable`, () => {
      const message = configError(env);
      for (const pattern of expected) assert.match(message, pattern);
    });
  }

  test('the message shows the value given, but never a secret', () => {
    assert.match(configError({ PORT: 'abc' }), /got "abc"/);
    assert.doesNotMatch(configError({ SECRET_KEY: 'too-short' }), /too-short/);
  });

  test('the server stops with exit code 78 and the message on invalid configuration', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
      cwd: path.resolve(import.meta.dirname, '..'),
      env: { ...process.env, NODE_ENV: 'development', PORT: 'abc', DATABASE_URL: '' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    assert.equal(result.status, 78, result.stderr);
    assert.match(result.stderr, /PORT: must be a whole number/);
  });
});

describe('README demo accounts', () => {
  test('the table lists every demo account, with its roles, password and TOTP secret, and no other', () => {
    const rows = readmeSection('Demo accounts')
      .split('\n')
      .filter((line) => /^\|\s*`[^`]+@/.test(line))
      .map((line) => line.split('|').map((cell) => cell.trim()));
    assert.deepEqual(
      rows.map((cells) => cells[1]),
      demoAccounts.map((a) => `\`${a.email}\``),
    );
    for (const [i, account] of demoAccounts.entries()) {
      const cells = rows[i]!;
      assert.equal(
        cells[2],
        account.roles.map((r) => `\`${r.role}\``).join(', '),
        `roles of ${account.email}`,
      );
      assert.equal(cells[4], `\`${DEMO_PASSWORD}\``, `password of ${account.email}`);
      assert.equal(
        cells[5],
        account.totpSecret ? `\`${account.totpSecret}\`` : '(not needed)',
        `TOTP secret of ${account.email}`,
      );
    }
  });
});
