/**
 * CSV export of a body's own cases (issue 4, item 6), with the same filters as the inbox. It obeys the
 * identity rules: the reporter column says "Identity withheld", "The reporter", or an organisation name only
 * for public and intermediary cases; no name, email, phone or organisation of a withheld reporter is read.
 * Cells that a spreadsheet would run as a formula are prefixed with an apostrophe (CSV injection).
 */
import type { CurrentUser } from '../../platform/auth/roles.ts';
import type { Translate } from '../../platform/i18n/i18n.ts';
import { stringifyCsv } from '../analysis/core/csv.ts';
import type { InboxFilters } from './cases.schema.ts';
import type { CasesService } from './cases.service.ts';

const defuse = (value: string) => (/^[=+\-@\t\r]/.test(value) ? `'${value}` : value);
const iso = (d: Date | null) => (d ? d.toISOString() : '');

export async function exportCasesCsv(
  service: CasesService,
  user: CurrentUser,
  filters: InboxFilters,
  t: Translate,
) {
  const { rows } = await service.inbox(user, filters, { all: true });
  const header = [
    'reference',
    'title',
    'body',
    'kind',
    'category',
    'state',
    'outcome',
    'confidentiality',
    'reporter',
    'assignee',
    'submitted_at',
    'acknowledged_at',
    'responded_at',
    'closed_at',
    'acknowledge_by',
    'respond_by',
    'deadline_status',
  ];
  const lines: string[][] = [header];
  for (const r of rows) {
    // One query per row: exports are occasional, and the label needs the full (identity-free) case row.
    const label = await service.reporterLabel(user, (await service.loadCase(r.id))!);
    lines.push(
      [
        r.reference,
        r.title,
        r.bodyName ?? '',
        r.kind,
        r.category,
        r.state,
        r.outcome ?? '',
        r.confidentiality,
        t(label.key, { name: label.name }),
        r.assigneeName ?? '',
        iso(r.submittedAt),
        iso(r.acknowledgedAt),
        iso(r.respondedAt),
        iso(r.closedAt),
        r.deadlines.acknowledge?.due ?? '',
        r.deadlines.respond?.due ?? '',
        r.deadlines.status ?? '',
      ].map(defuse),
    );
  }
  return stringifyCsv(lines, { bom: true });
}
