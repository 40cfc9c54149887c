// Small-number suppression of the register's counts, primary and complementary.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { suppressCounts, type CountCell } from './register.suppression.ts';

const cells = (...counts: number[]): CountCell[] => counts.map((count, i) => ({ key: `k${i}`, count }));
const shownCounts = (table: ReturnType<typeof suppressCounts>) => table.cells.map((c) => c.count);
const reasons = (table: ReturnType<typeof suppressCounts>) => table.cells.map((c) => c.suppressed);

/** Can any hidden cell be worked out exactly from the total and the shown cells? */
function disclosed(table: ReturnType<typeof suppressCounts>): boolean {
  if (table.total.count === null) return false;
  const hidden = table.cells.filter((c) => c.count === null);
  return hidden.length === 1;
}

describe('suppressCounts', () => {
  it('shows everything when every cell is 5 or more, or zero', () => {
    const table = suppressCounts(cells(5, 12, 0, 40));
    assert.deepEqual(shownCounts(table), [5, 12, 0, 40]);
    assert.deepEqual(table.total, { count: 57, suppressed: null });
    assert.equal(table.anySuppressed, false);
  });

  it('hides 1 to 4 as small numbers', () => {
    const table = suppressCounts(cells(1, 4, 9, 3));
    assert.deepEqual(shownCounts(table), [null, null, 9, null]);
    assert.deepEqual(reasons(table), ['small', 'small', null, 'small']);
    assert.equal(table.total.count, 17);
    assert.equal(disclosed(table), false);
  });

  it('hides a second cell when only one is small, so it cannot be worked out from the total', () => {
    const table = suppressCounts(cells(20, 3, 7, 11));
    assert.deepEqual(shownCounts(table), [20, null, null, 11]);
    assert.deepEqual(reasons(table), [null, 'small', 'complementary', null]);
    assert.equal(table.total.count, 41);
    assert.equal(disclosed(table), false);
  });

  it('picks the smallest non-zero partner and never a zero', () => {
    const table = suppressCounts(cells(0, 2, 50, 6, 6));
    assert.deepEqual(reasons(table), [null, 'small', null, 'complementary', null]);
    assert.equal(table.cells[0]!.count, 0);
  });

  it('withholds the total when a lone small cell has no partner', () => {
    const table = suppressCounts(cells(0, 3, 0), { total: 8 });
    assert.deepEqual(shownCounts(table), [0, null, 0]);
    assert.deepEqual(table.total, { count: null, suppressed: 'complementary' });
    assert.equal(disclosed(table), false);
  });

  it('hides the total and every non-zero cell when the total is under 5', () => {
    const table = suppressCounts(cells(0, 4));
    assert.deepEqual(shownCounts(table), [0, null]);
    assert.deepEqual(table.total, { count: null, suppressed: 'small' });
  });

  it('takes a given total for overlapping cells', () => {
    const table = suppressCounts(cells(10, 8), { total: 12 });
    assert.deepEqual(shownCounts(table), [10, 8]);
    assert.equal(table.total.count, 12);
  });

  it('an empty table has a zero total and hides nothing', () => {
    const table = suppressCounts([]);
    assert.deepEqual(table.total, { count: 0, suppressed: null });
    assert.equal(table.anySuppressed, false);
  });

  it('never discloses a hidden cell, over many tables', () => {
    // Exhaustive over small tables of three cells (0..8 each): no table leaves exactly one hidden cell
    // next to a shown total, and no small number is ever shown.
    for (let a = 0; a <= 8; a++)
      for (let b = 0; b <= 8; b++)
        for (let c = 0; c <= 8; c++) {
          const table = suppressCounts(cells(a, b, c));
          assert.equal(disclosed(table), false, `${a},${b},${c}`);
          for (const cell of table.cells)
            assert.ok(cell.count === null || cell.count === 0 || cell.count >= 5);
          assert.ok(table.total.count === null || table.total.count === 0 || table.total.count >= 5);
        }
  });
});
