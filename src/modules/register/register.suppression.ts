/**
 * Small-number suppression for the register's published counts (SPEC §3: "small numbers (fewer than 5)
 * suppressed so nobody can be identified"). Pure.
 *
 * Rule (docs/modules/register.md):
 * 1. Primary: a count of 1 to 4 is not shown; it reads "fewer than 5". Zero is shown (it identifies nobody).
 * 2. Total: a total of 1 to 4 is itself suppressed, and so is every non-zero cell.
 * 3. Complementary: if exactly one cell in a table is suppressed and the total is shown, that cell could be
 *    worked out as total − the others. So the smallest other non-zero cell is suppressed as well (shown as
 *    "withheld", because it is not itself a small number); if there is no such cell, the total is withheld.
 *    With two or more cells hidden, only their sum can be worked out, and each could be anything from 1 to
 *    the sum − 1 (or, for a complementary cell, 5 or more), so no single cell is disclosed.
 * Tables whose cells overlap (a case can concern several commitments) are treated as if additive, which
 * suppresses at least as much as needed.
 */

export const SUPPRESSION_THRESHOLD = 5;

export type SuppressionReason = 'small' | 'complementary';

export interface CountCell<K extends string = string> {
  key: K;
  count: number;
}

export interface ShownCell<K extends string = string> {
  key: K;
  /** Null when suppressed. */
  count: number | null;
  suppressed: SuppressionReason | null;
}

export interface SuppressedTable<K extends string = string> {
  cells: ShownCell<K>[];
  total: { count: number | null; suppressed: SuppressionReason | null };
  /** True when anything in the table is hidden (the page then explains why). */
  anySuppressed: boolean;
}

const isSmall = (n: number, threshold: number) => n > 0 && n < threshold;

/**
 * Applies primary and complementary suppression to a one-way table. `total` defaults to the sum of the cells
 * (pass the number of distinct cases when the cells overlap).
 */
export function suppressCounts<K extends string>(
  cells: readonly CountCell<K>[],
  options: { total?: number; threshold?: number } = {},
): SuppressedTable<K> {
  const threshold = options.threshold ?? SUPPRESSION_THRESHOLD;
  const totalCount = options.total ?? cells.reduce((sum, c) => sum + c.count, 0);
  const shown: ShownCell<K>[] = cells.map((c) => ({
    key: c.key,
    count: isSmall(c.count, threshold) ? null : c.count,
    suppressed: isSmall(c.count, threshold) ? 'small' : null,
  }));
  let total: SuppressedTable<K>['total'] = { count: totalCount, suppressed: null };

  if (isSmall(totalCount, threshold)) {
    total = { count: null, suppressed: 'small' };
    for (const cell of shown) {
      if (cell.count !== null && cell.count > 0) {
        cell.count = null;
        cell.suppressed = 'small';
      }
    }
  } else {
    const hidden = shown.filter((c) => c.suppressed !== null).length;
    if (hidden === 1) {
      // The smallest shown non-zero cell (the one whose hiding loses least), ties to the first.
      let partner: ShownCell<K> | null = null;
      for (const cell of shown) {
        if (cell.count !== null && cell.count > 0 && (partner === null || cell.count < partner.count!))
          partner = cell;
      }
      if (partner) {
        partner.count = null;
        partner.suppressed = 'complementary';
      } else total = { count: null, suppressed: 'complementary' };
    }
  }
  return {
    cells: shown,
    total,
    anySuppressed: total.suppressed !== null || shown.some((c) => c.suppressed !== null),
  };
}
