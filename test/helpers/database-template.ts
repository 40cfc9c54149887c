/**
 * Builds one migrated database per test run for every test file to clone (about 0.9 s per clone instead of
 * about 4 s of initdb). PGlite: a data-directory dump in a temporary file. PostgreSQL (TEST_DATABASE_URL):
 * a template database that each file copies with CREATE DATABASE … TEMPLATE.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { openDatabase } from '../../src/platform/db/database.ts';

export interface PreparedTemplate {
  env: Record<string, string>;
  cleanup(): Promise<void>;
}

export function templateDatabaseName(): string {
  return `covenant_template_${process.pid}`;
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export async function prepareTestDatabaseTemplate(): Promise<PreparedTemplate> {
  const url = process.env.TEST_DATABASE_URL;
  if (url) {
    const name = templateDatabaseName();
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${name}`);
    await admin.query(`CREATE DATABASE ${name}`);
    const db = await openDatabase({ url: withDatabase(url, name), poolSize: 1 });
    await db.migrate();
    await db.close();
    await admin.end();
    return {
      env: { TEST_PG_TEMPLATE: name },
      async cleanup() {
        const c = new pg.Client({ connectionString: url });
        await c.connect();
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
        await c.end();
      },
    };
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'covenant-test-'));
  const lite = await PGlite.create();
  const db = await openDatabase({ pglite: lite });
  await db.migrate();
  const dump = await lite.dumpDataDir('none');
  const file = path.join(dir, 'template.tar');
  writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  await lite.close();
  return {
    env: { TEST_PGLITE_TEMPLATE: file },
    async cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
