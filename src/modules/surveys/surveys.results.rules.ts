/**
 * The annual review's results rules, pure (issue 6, item 3): per-question aggregates from the counts cube,
 * 95% Wilson intervals for proportions, small-cell suppression with complementary suppression across linked
 * tables, and year-on-year change by stable question key.
 *
 * Suppression (the "fewer than 10" rule). A published set of figures is a system of additive equations: a
 * group's option counts add up to its base (single choice, agreement, ratings), every breakdown's groups add
 * up to the whole, and some breakdowns are linked to each other (the English regions and "outside England"
 * add up to nations). Any equation that contains exactly one withheld figure lets a reader work that figure
 * out by subtraction. So: withhold every figure under the threshold (primary), then, while some equation
 * withholds exactly one figure, also withhold that equation's smallest published inner figure (secondary;
 * a total only when nothing else is left). The figures shared by several tables (the whole's row) are the
 * same cells in every equation, so a complement chosen for one table holds in all of them.
 * src/platform/stats/suppression.ts does the same for a single two-way table; this generalises it to the
 * linked tables one question publishes (tested to agree with it on single tables).
 */
import {
  SMALL_CELL_THRESHOLD,
  differenceInterval,
  wilsonInterval,
  type CellState,
} from '../../platform/stats/index.ts';
import { attributeValues, NOT_STATED, type AttributeName } from './surveys.attributes.ts';
import { agreementValues, bodyRatingValues, type QuestionType } from './questions/types.ts';

export { SMALL_CELL_THRESHOLD, type CellState };

/** The option that carries a group's number of respondents (the base), as in the counts cube. */
export const BASE = '*';
/** The group value of the whole (no breakdown). */
export const ALL = 'all';

/** Breakdowns a result can be shown by: the whole, a respondent attribute, or (ratings) the rated body. */
export type Breakdown = typeof ALL | AttributeName | 'body';

/** One row of the counts cube, summed for a grouping: `grp` is the group's value, `option` an answer. */
export interface CountCell {
  grp: string;
  option: string;
  n: number;
  /** Sum of the values (number questions), else 0. */
  total: number;
}

/** What kind of figures a question type gives. */
export function resultKindOf(type: QuestionType): 'distribution' | 'multiple' | 'number' | 'text' {
  if (type === 'multiple_choice') return 'multiple';
  if (type === 'number') return 'number';
  if (type === 'free_text') return 'text';
  return 'distribution';
}

/** The answer options in the order tables list them. Ratings run from very good (5) to very poor (1). */
export function optionOrderOf(type: QuestionType, options: readonly { value: string }[] | null = null) {
  if (type === 'agreement') return [...agreementValues] as string[];
  if (type === 'body_rating') return bodyRatingValues.map(String);
  if (type === 'single_choice' || type === 'multiple_choice') return (options ?? []).map((o) => o.value);
  return [];
}

/** Options counted as the "positive" answer for headlines: agree (either), good (either). */
export function positiveOptionsOf(type: QuestionType): string[] {
  if (type === 'agreement') return ['strongly_agree', 'agree'];
  if (type === 'body_rating') return ['5', '4'];
  return [];
}

// ── Generic suppression over linked additive equations ────────────────────────────────────────────────

/** Cells whose sum relation is published: `cells` are the parts, `total` the whole (if published). */
export interface Equation {
  cells: string[];
  total: string | null;
}

/**
 * Withholds every cell under `threshold`, then complements until no equation withholds exactly one of its
 * cells. Returns each cell's state. Cells not in `values` are known (zero, not published) and ignored.
 */
export function suppressLinked(
  values: ReadonlyMap<string, number>,
  equations: readonly Equation[],
  threshold = SMALL_CELL_THRESHOLD,
): Map<string, CellState> {
  const state = new Map<string, CellState>();
  for (const [id, n] of values) state.set(id, n < threshold ? 'primary' : 'shown');
  const lines = equations.map((e) => ({
    inner: e.cells.filter((c) => values.has(c)),
    total: e.total !== null && values.has(e.total) ? e.total : null,
  }));
  let changed = true;
  while (changed) {
    changed = false;
    for (const line of lines) {
      const all = line.total ? [...line.inner, line.total] : line.inner;
      const hidden = all.filter((c) => state.get(c) !== 'shown');
      if (hidden.length !== 1) continue;
      const candidates = line.inner
        .filter((c) => state.get(c) === 'shown')
        .sort((a, b) => values.get(a)! - values.get(b)! || a.localeCompare(b));
      const pick = candidates[0] ?? (line.total && state.get(line.total) === 'shown' ? line.total : null);
      if (!pick) continue;
      state.set(pick, 'secondary');
      changed = true;
    }
  }
  return state;
}

// ── Tables of one question ────────────────────────────────────────────────────────────────────────────

export interface ResultCell {
  option: string;
  /** Withheld figures are null. */
  n: number | null;
  state: CellState;
  /** n / base as a proportion 0–1, with its 95% Wilson interval; null when n or the base is withheld. */
  percent: number | null;
  lower: number | null;
  upper: number | null;
}

export interface ResultGroup {
  /** `all`, an attribute value, or a body id. */
  value: string;
  base: number | null;
  baseState: CellState;
  cells: ResultCell[];
  /** Number questions: the mean, when the base is published. */
  mean: number | null;
}

export interface ResultTable {
  breakdown: Breakdown;
  options: string[];
  all: ResultGroup;
  groups: ResultGroup[];
}

export interface QuestionCounts {
  type: QuestionType;
  options: string[];
  /** Cells of the whole, `grp` = `all`. */
  all: CountCell[];
  /** Cells by breakdown (each exhaustive: every answer belongs to exactly one group). */
  breakdowns: Partial<Record<Exclude<Breakdown, typeof ALL>, CountCell[]>>;
}

const id = (breakdown: string, group: string, option: string) => `${breakdown}|${group}|${option}`;

/** The order groups of a breakdown are listed in: the attribute's values, then not stated. */
export function groupOrder(breakdown: Breakdown, present: Iterable<string>): string[] {
  const seen = new Set(present);
  if (breakdown === ALL) return [ALL];
  if (breakdown === 'body') return [...seen].sort();
  const known = [...attributeValues[breakdown], NOT_STATED];
  return [...known.filter((v) => seen.has(v)), ...[...seen].filter((v) => !known.includes(v)).sort()];
}

/**
 * Builds the suppressed tables a question publishes: the whole and each breakdown, linked. Groups with no
 * answers at all are left out (there is nobody to disclose). Options of a distribution add up to the base;
 * multiple-choice options do not (one respondent may pick several); numbers publish only n and the mean.
 */
export function buildTables(
  counts: QuestionCounts,
  threshold = SMALL_CELL_THRESHOLD,
): { all: ResultGroup; tables: ResultTable[] } {
  const kind = resultKindOf(counts.type);
  const columns = kind === 'distribution' || kind === 'multiple' ? counts.options : [];
  const rowsAdd = kind === 'distribution';
  const values = new Map<string, number>();
  const sums = new Map<string, number>();
  const groupsOf = new Map<string, string[]>();

  const take = (breakdown: string, cells: CountCell[]) => {
    const bases = new Map<string, number>();
    for (const c of cells) if (c.option === BASE) bases.set(c.grp, (bases.get(c.grp) ?? 0) + c.n);
    const groups = groupOrder(
      breakdown as Breakdown,
      [...bases.keys()].filter((g) => bases.get(g)! > 0),
    );
    groupsOf.set(breakdown, groups);
    for (const g of groups) {
      values.set(id(breakdown, g, BASE), bases.get(g)!);
      for (const o of columns) values.set(id(breakdown, g, o), 0);
    }
    for (const c of cells) {
      if (!groups.includes(c.grp)) continue;
      if (c.option !== BASE && columns.includes(c.option))
        values.set(id(breakdown, c.grp, c.option), values.get(id(breakdown, c.grp, c.option))! + c.n);
      sums.set(`${breakdown}|${c.grp}`, (sums.get(`${breakdown}|${c.grp}`) ?? 0) + c.total);
    }
  };
  take(
    ALL,
    counts.all.map((c) => ({ ...c, grp: ALL })),
  );
  for (const [breakdown, cells] of Object.entries(counts.breakdowns)) take(breakdown, cells ?? []);

  const equations: Equation[] = [];
  const allColumns = [BASE, ...columns];
  for (const [breakdown, groups] of groupsOf) {
    // Each group's options add up to its base.
    if (rowsAdd)
      for (const g of groups)
        equations.push({ cells: columns.map((o) => id(breakdown, g, o)), total: id(breakdown, g, BASE) });
    // Each breakdown's groups add up to the whole, option by option.
    if (breakdown !== ALL)
      for (const o of allColumns)
        equations.push({ cells: groups.map((g) => id(breakdown, g, o)), total: id(ALL, ALL, o) });
  }
  // Regions and nations are linked: "outside England" is the other nations; England and nation-not-stated
  // together are the English regions and region-not-stated (attributesFrom, surveys.attributes.ts).
  if (groupsOf.has('nation') && groupsOf.has('region'))
    for (const o of allColumns) {
      const others = ['wales', 'scotland', 'northern-ireland', 'uk-wide'].map((g) => id('nation', g, o));
      equations.push({ cells: others, total: id('region', 'outside-england', o) });
      equations.push({
        cells: [id('nation', 'england', o), id('nation', NOT_STATED, o)],
        total: null,
      });
      equations[equations.length - 1]!.cells.push(
        ...[...attributeValues.region.filter((r) => r !== 'outside-england'), NOT_STATED].map((g) =>
          id('region', g, o),
        ),
      );
    }

  const state = suppressLinked(values, equations, threshold);

  const group = (breakdown: string, g: string): ResultGroup => {
    const baseId = id(breakdown, g, BASE);
    const baseState = state.get(baseId) ?? 'shown';
    const base = baseState === 'shown' ? (values.get(baseId) ?? 0) : null;
    const cells = columns.map((o): ResultCell => {
      const cellState = state.get(id(breakdown, g, o)) ?? 'shown';
      const n = cellState === 'shown' ? values.get(id(breakdown, g, o))! : null;
      const ci = n !== null && base !== null ? wilsonInterval(n, base) : null;
      return {
        option: o,
        n,
        state: cellState,
        percent: ci?.estimate ?? null,
        lower: ci?.lower ?? null,
        upper: ci?.upper ?? null,
      };
    });
    const sum = sums.get(`${breakdown}|${g}`) ?? 0;
    const mean = kind === 'number' && base !== null && base > 0 ? sum / base : null;
    return { value: g, base, baseState, cells, mean };
  };

  const all = group(ALL, ALL);
  const tables: ResultTable[] = [];
  for (const [breakdown, groups] of groupsOf)
    tables.push({
      breakdown: breakdown as Breakdown,
      options: columns,
      all,
      groups: breakdown === ALL ? [] : groups.map((g) => group(breakdown, g)),
    });
  return { all, tables };
}

/**
 * A derived headline (e.g. "agree" = strongly agree + agree), only when every part is published: adding a
 * withheld part to a published one would give the withheld part away.
 */
export function combined(group: ResultGroup, options: readonly string[]) {
  if (options.length === 0 || group.base === null) return null;
  let n = 0;
  for (const o of options) {
    const cell = group.cells.find((c) => c.option === o);
    if (!cell || cell.n === null) return null;
    n += cell.n;
  }
  const ci = wilsonInterval(n, group.base);
  return ci ? { n, base: group.base, percent: ci.estimate, lower: ci.lower, upper: ci.upper } : null;
}

// ── Year on year ──────────────────────────────────────────────────────────────────────────────────────

export interface Change {
  option: string;
  /** Percentage points, as proportions (0.05 = 5 points); null when either year's figure is withheld. */
  change: number | null;
  lower: number | null;
  upper: number | null;
  /** The 95% interval of the change excludes zero. */
  significant: boolean;
  previousPercent: number | null;
}

/**
 * Change in each option's share from `previous` to `current` (the same stable question key in two
 * editions), with Newcombe's interval for the difference. Options asked in only one year have no change.
 */
export function yearOnYear(current: ResultGroup, previous: ResultGroup | null): Change[] {
  return current.cells.map((cell) => {
    const before = previous?.cells.find((c) => c.option === cell.option);
    const none = {
      option: cell.option,
      change: null,
      lower: null,
      upper: null,
      significant: false,
      previousPercent: before?.percent ?? null,
    };
    if (!before || cell.n === null || before.n === null || current.base === null || !previous?.base)
      return none;
    const d = differenceInterval(cell.n, current.base, before.n, previous.base);
    if (!d) return none;
    return { ...none, change: d.estimate, lower: d.lower, upper: d.upper, significant: d.significant };
  });
}

/** The change in a combined headline (e.g. agree) between two years, when both are published. */
export function combinedChange(
  current: ReturnType<typeof combined>,
  previous: ReturnType<typeof combined>,
): Omit<Change, 'option'> | null {
  if (!current || !previous) return null;
  const d = differenceInterval(current.n, current.base, previous.n, previous.base);
  if (!d) return null;
  return {
    change: d.estimate,
    lower: d.lower,
    upper: d.upper,
    significant: d.significant,
    previousPercent: previous.percent,
  };
}

// ── Formatting helpers shared by pages, CSV and API ───────────────────────────────────────────────────

/** A proportion as a whole per cent ("45%"), or null. */
export function percentText(value: number | null): string | null {
  return value === null ? null : `${Math.round(value * 100)}%`;
}

/** A change in percentage points, signed ("+5", "−3", "0"). */
export function pointsText(value: number | null): string | null {
  if (value === null) return null;
  const points = Math.round(value * 100);
  return points > 0 ? `+${points}` : points < 0 ? `−${Math.abs(points)}` : '0';
}

/**
 * A CSV cell that a spreadsheet will not run as a formula (OWASP "CSV injection"): values starting with
 * = + − @ tab or carriage return get a leading apostrophe; quotes are doubled; fields with commas, quotes or
 * line breaks are quoted.
 */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value !== 'number' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(values: (string | number | null | undefined)[]): string {
  return values.map(csvCell).join(',');
}
