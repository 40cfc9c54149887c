/**
 * Small-cell suppression for published tables of counts, shared by the annual review and the scorecards.
 *
 * Primary suppression: any cell (margins included) with fewer than `threshold` answers is withheld.
 * Secondary (complementary) suppression: a table publishes its totals, so a single withheld cell in a row or
 * column could be worked out by subtracting the others from the total. Every "line" whose cells add up to
 * its total (a row when `rowsAdd`, a column when `columnsAdd`, each with its margin) must therefore withhold
 * either none or at least two of its cells. While some line withholds exactly one, we also withhold that
 * line's smallest published cell (an inner cell first; the margin only if nothing else is left), and repeat
 * until no line withholds exactly one. This is the standard "hypercube"-style heuristic on a two-way table
 * with margins; it protects against subtraction within the table as published. (Linked tables are protected
 * by publishing each figure from one table only: see docs/modules/surveys.md.)
 */

export const SMALL_CELL_THRESHOLD = 10;

export interface CountTable {
  /** counts[r][c] for the inner cells. */
  counts: number[][];
  /** One per row (e.g. respondents in the group). */
  rowTotals: number[];
  /** One per column. */
  columnTotals: number[];
  grandTotal: number;
  /** The inner cells of a row add up to the row total (true for single-choice answers). */
  rowsAdd: boolean;
  /** The inner cells of a column add up to the column total (true when every answer has one row value). */
  columnsAdd: boolean;
}

export type CellState = 'shown' | 'primary' | 'secondary';

export interface SuppressedTable {
  cells: CellState[][];
  rowTotals: CellState[];
  columnTotals: CellState[];
  grandTotal: CellState;
}

export function suppressTable(table: CountTable, threshold = SMALL_CELL_THRESHOLD): SuppressedTable {
  const R = table.rowTotals.length;
  const C = table.columnTotals.length;
  // The full matrix with margins: row R is the column totals, column C the row totals.
  const value = (r: number, c: number): number =>
    r === R
      ? c === C
        ? table.grandTotal
        : table.columnTotals[c]!
      : c === C
        ? table.rowTotals[r]!
        : table.counts[r]![c]!;
  const state: CellState[][] = [];
  for (let r = 0; r <= R; r++) {
    state.push([]);
    for (let c = 0; c <= C; c++) state[r]!.push(value(r, c) < threshold ? 'primary' : 'shown');
  }

  // Lines: [cells..., margin] as coordinates.
  const lines: [number, number][][] = [];
  if (table.rowsAdd)
    for (let r = 0; r <= R; r++)
      lines.push([...Array.from({ length: C + 1 }, (_, c) => [r, c] as [number, number])]);
  if (table.columnsAdd)
    for (let c = 0; c <= C; c++)
      lines.push([...Array.from({ length: R + 1 }, (_, r) => [r, c] as [number, number])]);

  let changed = true;
  while (changed) {
    changed = false;
    for (const line of lines) {
      const hidden = line.filter(([r, c]) => state[r]![c] !== 'shown');
      if (hidden.length !== 1) continue;
      const margin = line[line.length - 1]!;
      const candidates = line
        .slice(0, -1)
        .filter(([r, c]) => state[r]![c] === 'shown')
        .sort((a, b) => value(a[0], a[1]) - value(b[0], b[1]));
      const pick = candidates[0] ?? (state[margin[0]]![margin[1]] === 'shown' ? margin : undefined);
      if (!pick) continue;
      state[pick[0]]![pick[1]] = 'secondary';
      changed = true;
    }
  }
  return {
    cells: state.slice(0, R).map((row) => row.slice(0, C)),
    rowTotals: state.slice(0, R).map((row) => row[C]!),
    columnTotals: state[R]!.slice(0, C),
    grandTotal: state[R]![C]!,
  };
}

/** A one-way table (one group's answers across options), for when no breakdown is shown. */
export function suppressOneWay(
  counts: number[],
  total: number,
  countsAdd: boolean,
  threshold = SMALL_CELL_THRESHOLD,
): { cells: CellState[]; total: CellState } {
  const result = suppressTable(
    {
      counts: counts.map((n) => [n]),
      rowTotals: counts,
      columnTotals: [total],
      grandTotal: total,
      rowsAdd: false,
      columnsAdd: countsAdd,
    },
    threshold,
  );
  return { cells: result.cells.map((row) => row[0]!), total: result.columnTotals[0]! };
}
