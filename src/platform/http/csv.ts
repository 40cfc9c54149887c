/**
 * CSV downloads: RFC 4180 text (analysis/core/csv.ts) with every cell defused for spreadsheets, sent as an
 * attachment with a safe file name.
 */
import type { FastifyReply } from 'fastify';
import { stringifyCsv } from '../../modules/analysis/core/csv.ts';

/** A leading =, +, -, @, tab or carriage return would run as a formula in a spreadsheet: prefix with '. */
export const defuseCell = (value: string) => (/^[=+\-@\t\r]/.test(value) ? `'${value}` : value);

export function toCsv(rows: readonly (readonly string[])[]): string {
  return stringifyCsv(rows.map((r) => r.map(defuseCell)));
}

/** Sends `rows` as `name.csv` (anything but letters, digits and hyphens in the name becomes a hyphen). */
export function sendCsv(reply: FastifyReply, name: string, rows: readonly (readonly string[])[]) {
  return reply
    .header('content-type', 'text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${name.replace(/[^a-z0-9-]/gi, '-')}.csv"`)
    .header('x-content-type-options', 'nosniff')
    .send(toCsv(rows));
}
