/**
 * Many rows into one table in one statement with one parameter per column, whatever the number of rows:
 *
 *   insert into t (a, b) select cast(v.c0 as uuid), cast(v.c1 as jsonb) from unnest($1::text[], $2::text[]) as v(c0, c1)
 *
 * Why: drizzle's multi-row `insert().values(rows)` builds one SQL chunk and one parameter per value (a batch
 * of 25 cases is about 600 parameters), which costs more CPU to build in Node and to parse in PostgreSQL
 * than the write itself. The statement text here depends only on the columns, not on the number of rows.
 *
 * The rows mean what they mean to drizzle: every value goes through its column's `mapToDriverValue`, and a
 * column a row leaves out gets the column's default (a constant default is filled in; a column no row
 * gives is left to the database). When that cannot be said with one array per column (a default that is
 * SQL or a function, for some rows only; a value that is not a scalar), the rows go through drizzle's
 * insert instead, so the result is the same either way.
 */
import { getTableColumns, is, SQL, sql, type SQLChunk } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Executor } from './database.ts';

type Scalar = string | number | boolean | bigint;

/** Inserts `rows`; with `returning`, the inserted rows' values of that column in insertion order. */
export async function insertRows<T extends PgTable>(
  executor: Executor,
  table: T,
  rows: readonly T['$inferInsert'][],
  returning?: PgColumn,
): Promise<unknown[]> {
  if (rows.length === 0) return [];
  const fallback = async () => {
    const query = executor.insert(table).values(rows as T['$inferInsert'][]);
    if (!returning) {
      await query;
      return [];
    }
    const out = (await query.returning({ value: returning })) as { value: unknown }[];
    return out.map((r) => r.value);
  };
  const names: SQLChunk[] = [];
  const casts: SQL[] = [];
  const arrays: SQL[] = [];
  for (const [key, column] of Object.entries(getTableColumns(table)) as [string, PgColumn][]) {
    // Generated columns, as drizzle leaves them out.
    if ((column as unknown as { shouldDisableInsert(): boolean }).shouldDisableInsert()) continue;
    const given = rows.filter((r) => (r as Record<string, unknown>)[key] !== undefined).length;
    if (given === 0) {
      // No row gives it: the database's default, as drizzle's `default` would be (a function default
      // would be called per row by drizzle).
      if (column.defaultFn !== undefined || (!column.default && column.onUpdateFn !== undefined))
        return fallback();
      continue;
    }
    let missing: Scalar | null = null;
    if (given < rows.length) {
      if (column.defaultFn !== undefined || column.onUpdateFn !== undefined) return fallback();
      if (column.hasDefault) {
        if (column.default === undefined || is(column.default, SQL)) return fallback();
        missing = column.default as Scalar;
      }
    }
    const values: (string | null)[] = new Array(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const raw = (rows[i] as Record<string, unknown>)[key];
      const value = raw === undefined ? missing : raw;
      if (value === null) {
        values[i] = null;
        continue;
      }
      const mapped = raw === undefined ? value : column.mapToDriverValue(value);
      if (
        typeof mapped !== 'string' &&
        typeof mapped !== 'number' &&
        typeof mapped !== 'boolean' &&
        typeof mapped !== 'bigint'
      )
        return fallback();
      values[i] = String(mapped);
    }
    const n = names.length;
    names.push(sql.identifier(column.name));
    casts.push(sql`cast(${sql.identifier(`c${n}`)} as ${sql.raw(column.getSQLType())})`);
    arrays.push(sql`${sql.param(values)}::text[]`);
  }
  if (names.length === 0) return fallback();
  const aliases = names.map((_, n) => sql.identifier(`c${n}`));
  const query = sql`insert into ${table} (${sql.join(names, sql`, `)})
    select ${sql.join(casts, sql`, `)} from unnest(${sql.join(arrays, sql`, `)}) as v(${sql.join(aliases, sql`, `)})`;
  if (!returning) {
    await executor.execute(query);
    return [];
  }
  const result = await executor.execute(sql`${query} returning ${sql.identifier(returning.name)} as value`);
  return (result as unknown as { rows: { value: unknown }[] }).rows.map((r) => r.value);
}
