/**
 * Case references: `CH-YYYY-NNNNNN`, one counter per UK calendar year (SPEC §3: a confirmation page with a
 * reference like CH-2026-000123). The counter row is upserted and incremented inside the submitting
 * transaction, so concurrent submissions get distinct numbers (the row lock serialises them on PostgreSQL;
 * PGlite has one connection) and a rolled-back submission leaves no gap.
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../../platform/db/database.ts';
import { toUkIsoDate } from '../../platform/calendar/iso-date.ts';
import { caseReferenceCounters } from './cases.tables.ts';

/** Formats a year and sequence number as a reference: (2026, 123) → CH-2026-000123. */
export function formatCaseReference(year: number, sequence: number): string {
  return `CH-${year}-${String(sequence).padStart(6, '0')}`;
}

const REFERENCE = /^CH-(\d{4})-(\d{6,})$/;

/** True when the text has the shape of a case reference (what search boxes and the API accept). */
export function isCaseReference(value: string): boolean {
  return REFERENCE.test(value.trim().toUpperCase());
}

/**
 * Takes the next reference for the UK calendar year of `now`. Call it inside the transaction that inserts
 * the case: the counter and the case commit together.
 */
export async function nextCaseReference(db: Database, now: Date): Promise<string> {
  const year = Number(toUkIsoDate(now).slice(0, 4));
  const [row] = await db
    .get()
    .insert(caseReferenceCounters)
    .values({ year, last: 1 })
    .onConflictDoUpdate({
      target: caseReferenceCounters.year,
      set: { last: sql`${caseReferenceCounters.last} + 1` },
    })
    .returning({ last: caseReferenceCounters.last });
  return formatCaseReference(year, row!.last);
}
