/**
 * A fresh, migrated, isolated database for one test file: a clone of the run's template (see
 * database-template.ts). Works when a single test file is run on its own, too: it then prepares a template.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { openDatabase, type Database } from '../../src/platform/db/database.ts';
import { prepareTestDatabaseTemplate, withDatabase } from './database-template.ts';

export interface TestDatabase {
  db: Database;
  /** A postgres:// URL for this file's database (PostgreSQL only). */
  url?: string;
  close(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const url = process.env.TEST_DATABASE_URL;
  if (!process.env.TEST_PGLITE_TEMPLATE && !process.env.TEST_PG_TEMPLATE) {
    const prepared = await prepareTestDatabaseTemplate();
    Object.assign(process.env, prepared.env);
    process.once('exit', () => void prepared.cleanup());
  }
  if (url) {
    const name = `covenant_t_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    // Two files can copy the same template at once; PostgreSQL may refuse while another copy holds it.
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.query(`CREATE DATABASE ${name} TEMPLATE ${process.env.TEST_PG_TEMPLATE}`);
        break;
      } catch (error) {
        if (attempt > 20) throw error;
        await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
      }
    }
    await admin.end();
    const fileUrl = withDatabase(url, name);
    const db = await openDatabase({ url: fileUrl, poolSize: 4 });
    return {
      db,
      url: fileUrl,
      async close() {
        await db.close();
        const c = new pg.Client({ connectionString: url });
        await c.connect();
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
        await c.end();
      },
    };
  }
  const tar = readFileSync(process.env.TEST_PGLITE_TEMPLATE!);
  const lite = await PGlite.create({ loadDataDir: new Blob([tar]) });
  const db = await openDatabase({ pglite: lite });
  return { db, close: () => db.close() };
}
