/**
 * The database: embedded PGlite (no DATABASE_URL) or PostgreSQL through node-postgres, with one schema, one
 * set of queries and one set of migrations.
 *
 * Transactions: PGlite is a single connection, so a query on the outer handle inside a transaction waits for
 * that transaction and deadlocks. To make that trap impossible, the open transaction lives in an
 * AsyncLocalStorage: repositories never hold a connection, they ask `db.get()` at the moment they query and
 * receive the transaction when one is open in their async context. `db.transaction()` inside a transaction
 * becomes a savepoint. (ADR 0002.)
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import * as schema from './schema.ts';

export type Schema = typeof schema;
export type Executor = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;

export const migrationsFolder = path.resolve(import.meta.dirname, '../../../migrations');

export interface Database {
  readonly dialect: 'pglite' | 'postgres';
  /** The executor for this moment: the open transaction in this async context, or the pool. */
  get(): Executor;
  /** Whether a transaction is open in this async context. */
  inTransaction(): boolean;
  /** Runs `fn` in a transaction (a savepoint when one is already open); commits when it resolves. */
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  /**
   * Runs `fn` once the outermost open transaction in this async context commits (never when it rolls back),
   * or now when none is open. For side effects that must see committed rows or that use their own handle,
   * such as waking the job worker: on PGlite such a call from inside a transaction would wait for that
   * transaction and deadlock.
   */
  afterCommit(fn: () => Promise<unknown>): Promise<void>;
  /** Applies pending migrations (forward-only). */
  migrate(): Promise<void>;
  /** Number of migrations in the folder that the database has not applied yet. */
  pendingMigrations(): Promise<number>;
  /** Throws when the database cannot be reached. */
  ping(): Promise<void>;
  close(): Promise<void>;
  /** The underlying PGlite instance, for tests and tools that need it (null on PostgreSQL). */
  readonly pglite: PGlite | null;
}

function wrap(
  dialect: Database['dialect'],
  root: Executor,
  doMigrate: () => Promise<void>,
  close: () => Promise<void>,
  pglite: PGlite | null,
): Database {
  const storage = new AsyncLocalStorage<Tx>();
  // Callbacks waiting for the outermost transaction of this async context to commit.
  const pending = new AsyncLocalStorage<(() => Promise<unknown>)[]>();
  const db: Database = {
    dialect,
    pglite,
    get: () => storage.getStore() ?? root,
    inTransaction: () => storage.getStore() !== undefined,
    transaction(fn) {
      const outer = storage.getStore();
      // A nested call becomes a savepoint on the open transaction, never a second connection.
      if (outer) return outer.transaction((tx) => storage.run(tx as Tx, () => fn(tx as Tx)));
      const callbacks: (() => Promise<unknown>)[] = [];
      return pending
        .run(callbacks, () => root.transaction((tx) => storage.run(tx as Tx, () => fn(tx as Tx))))
        .then(async (result) => {
          for (const callback of callbacks) await callback();
          return result;
        });
    },
    async afterCommit(fn) {
      const callbacks = storage.getStore() ? pending.getStore() : undefined;
      if (callbacks) callbacks.push(fn);
      else await fn();
    },
    migrate: doMigrate,
    async pendingMigrations() {
      const journal = await import(path.join(migrationsFolder, 'meta/_journal.json'), {
        with: { type: 'json' },
      });
      const expected = (journal.default as { entries: unknown[] }).entries.length;
      try {
        const rows = await root.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
        const applied = (rows as unknown as { rows: { n: number }[] }).rows[0]?.n ?? 0;
        return Math.max(0, expected - applied);
      } catch {
        return expected;
      }
    },
    async ping() {
      await root.execute(sql`select 1`);
    },
    close,
  };
  return db;
}

export interface OpenDatabaseOptions {
  /** A postgres:// URL; when absent the embedded PGlite database is used. */
  url?: string;
  /** Folder for the embedded database; absent means in memory. */
  dataDir?: string;
  /** An existing PGlite instance (tests clone one from a migrated template). */
  pglite?: PGlite;
  /** Pool size for PostgreSQL. */
  poolSize?: number;
}

/** Opens the database chosen by the options. Does not migrate: call `migrate()`. */
export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  if (options.url) {
    const pool = new pg.Pool({ connectionString: options.url, max: options.poolSize ?? 10 });
    // An idle client losing its connection (a database restart) must not crash the process.
    pool.on('error', () => undefined);
    const root = drizzlePg(pool, { schema }) as unknown as Executor;
    return wrap(
      'postgres',
      root,
      () => migratePg(drizzlePg(pool, { schema }), { migrationsFolder }),
      () => pool.end(),
      null,
    );
  }
  let lite = options.pglite;
  if (!lite) {
    if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
    lite = await PGlite.create(options.dataDir ? { dataDir: options.dataDir } : {});
  }
  const instance = lite;
  const root = drizzlePglite(instance, { schema }) as unknown as Executor;
  return wrap(
    'pglite',
    root,
    () => migratePglite(drizzlePglite(instance, { schema }), { migrationsFolder }),
    () => instance.close(),
    instance,
  );
}

/** Rows from `db.execute()` in the same shape on both drivers. */
export function rowsOf<T>(result: unknown): T[] {
  return (result as { rows: T[] }).rows;
}
