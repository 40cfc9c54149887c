/**
 * Roll-ups of local covenant partnerships to national reporting (issue 9, item 4): per-partnership counts
 * (partners, officers, actions done and overdue, cases in the area, plans published) and totals by nation,
 * by region within a nation, and for the whole UK. Pure functions: the repository supplies the rows, so the
 * rules are tested on fixed examples. Overdue is never stored: it is worked out from today's date.
 */
import { suppressCounts, type SuppressionReason } from '../register/register.suppression.ts';
import type { PartnershipActionStatus } from './partnerships.tables.ts';

export interface ActionFacts {
  status: PartnershipActionStatus;
  /** ISO date (YYYY-MM-DD) or null when the action has no due date. */
  dueOn: string | null;
}

/** An action is overdue when it is not done and its due date is before today (due today is not overdue). */
export function isOverdue(action: ActionFacts, today: string): boolean {
  return action.status !== 'done' && action.dueOn !== null && action.dueOn < today;
}

export interface PartnershipFacts {
  id: string;
  name: string;
  nation: string | null;
  region: string | null;
  partners: number;
  officers: number;
  actions: readonly ActionFacts[];
  /**
   * Reported problems (duplicates left out) about the public bodies of the area. A raw count: anything
   * public goes through `suppressCasesInArea` first (the register's small-number rule).
   */
  casesInArea: number;
  /** Published action plans of bodies in the area. */
  plansPublished: number;
}

export interface Counts {
  partnerships: number;
  partners: number;
  officers: number;
  actions: number;
  actionsDone: number;
  actionsOverdue: number;
  casesInArea: number;
  plansPublished: number;
}

export interface PartnershipRow extends Counts {
  id: string;
  name: string;
  nation: string | null;
  region: string | null;
}

export interface RollUp {
  rows: PartnershipRow[];
  byNation: { nation: string; counts: Counts; regions: { region: string; counts: Counts }[] }[];
  total: Counts;
}

const UNKNOWN = 'unknown';

export function emptyCounts(): Counts {
  return {
    partnerships: 0,
    partners: 0,
    officers: 0,
    actions: 0,
    actionsDone: 0,
    actionsOverdue: 0,
    casesInArea: 0,
    plansPublished: 0,
  };
}

function add(into: Counts, c: Counts): void {
  for (const key of Object.keys(into) as (keyof Counts)[]) into[key] += c[key];
}

/** The counts of one partnership on `today`. */
export function countsOf(p: PartnershipFacts, today: string): PartnershipRow {
  return {
    id: p.id,
    name: p.name,
    nation: p.nation,
    region: p.region,
    partnerships: 1,
    partners: p.partners,
    officers: p.officers,
    actions: p.actions.length,
    actionsDone: p.actions.filter((a) => a.status === 'done').length,
    actionsOverdue: p.actions.filter((a) => isOverdue(a, today)).length,
    casesInArea: p.casesInArea,
    plansPublished: p.plansPublished,
  };
}

/**
 * Rolls partnerships up by nation, then region within the nation, then the whole. Nations and regions are
 * sorted by name; a partnership without a nation or region is counted under "unknown", never dropped, so
 * the totals always equal the sum of the rows.
 */
export function rollUp(partnerships: readonly PartnershipFacts[], today: string): RollUp {
  const rows = partnerships.map((p) => countsOf(p, today)).sort((a, b) => a.name.localeCompare(b.name));
  const total = emptyCounts();
  const nations = new Map<string, { counts: Counts; regions: Map<string, Counts> }>();
  for (const row of rows) {
    add(total, row);
    const nationKey = row.nation ?? UNKNOWN;
    const nation = nations.get(nationKey) ?? { counts: emptyCounts(), regions: new Map<string, Counts>() };
    nations.set(nationKey, nation);
    add(nation.counts, row);
    const regionKey = row.region ?? UNKNOWN;
    const region = nation.regions.get(regionKey) ?? emptyCounts();
    nation.regions.set(regionKey, region);
    add(region, row);
  }
  const byName = <T>(m: Map<string, T>) => [...m.entries()].sort(([a], [b]) => a.localeCompare(b));
  return {
    rows,
    byNation: byName(nations).map(([nation, n]) => ({
      nation,
      counts: n.counts,
      regions: byName(n.regions).map(([region, counts]) => ({ region, counts })),
    })),
    total,
  };
}

const CSV_COLUMNS: (keyof PartnershipRow)[] = [
  'name',
  'nation',
  'region',
  'partners',
  'officers',
  'actions',
  'actionsDone',
  'actionsOverdue',
  'casesInArea',
  'plansPublished',
];

/** Quotes a CSV cell; a leading =, +, - or @ is prefixed with ' so spreadsheets do not run it as a formula. */
function cell(value: unknown): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A count as published: the number, or null with why it is hidden. */
export interface ShownCount {
  count: number | null;
  suppressed: SuppressionReason | null;
}

export interface SuppressedCases {
  byPartnership: Map<string, ShownCount>;
  byNation: Map<string, ShownCount>;
  total: ShownCount;
  anySuppressed: boolean;
}

/**
 * Cases in each area are counts of reported problems, so before they are published they get the register's
 * small-number suppression (register.suppression.ts, complementary suppression included) across the
 * partnerships, against the national total. A nation's figure is a sum of partnerships' figures, so it is
 * shown only when every partnership's figure is shown (it then tells nothing new); if any is hidden, every
 * non-zero nation figure is withheld too, or a nation with one hidden area would give that area away.
 */
export function suppressCasesInArea(r: RollUp): SuppressedCases {
  const rows = suppressCounts(
    r.rows.map((row) => ({ key: row.id, count: row.casesInArea })),
    { total: r.total.casesInArea },
  );
  const byNation = new Map<string, ShownCount>(
    r.byNation.map((n) => {
      const count = n.counts.casesInArea;
      const hide = rows.anySuppressed && count > 0;
      return [n.nation, { count: hide ? null : count, suppressed: hide ? 'complementary' : null }];
    }),
  );
  return {
    byPartnership: new Map(rows.cells.map((c) => [c.key, { count: c.count, suppressed: c.suppressed }])),
    byNation,
    total: rows.total,
    anySuppressed: rows.anySuppressed,
  };
}

/** How a suppressed count is written in the CSV (the page explains both words). */
const shownCsv = (c: ShownCount | undefined) =>
  c?.count ?? (c?.suppressed === 'small' ? 'fewer than 5' : 'withheld');

/**
 * The national roll-up as CSV: one line per partnership, then a "Total" line. With `cases`, the cases
 * column carries the suppressed figures (as the public download must); without, the raw counts.
 */
export function rollUpCsv(r: RollUp, cases?: SuppressedCases): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const row of r.rows)
    lines.push(
      CSV_COLUMNS.map((c) =>
        cell(c === 'casesInArea' && cases ? shownCsv(cases.byPartnership.get(row.id)) : row[c]),
      ).join(','),
    );
  const t = r.total;
  lines.push(
    [
      'Total',
      '',
      '',
      t.partners,
      t.officers,
      t.actions,
      t.actionsDone,
      t.actionsOverdue,
      cases ? shownCsv(cases.total) : t.casesInArea,
      t.plansPublished,
    ]
      .map(cell)
      .join(','),
  );
  return `${lines.join('\r\n')}\r\n`;
}
