import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  differenceInterval,
  suppressOneWay,
  suppressTable,
  wilsonInterval,
  type SuppressedTable,
} from './index.ts';

const close = (actual: number, expected: number, digits = 4) =>
  assert.ok(Math.abs(actual - expected) < 0.5 * 10 ** -digits, `${actual} ≈ ${expected}`);

test('Wilson intervals match Newcombe (1998), table I', () => {
  // Newcombe RG. Two-sided confidence intervals for the single proportion. Stat Med 1998;17:857-72.
  const cases: [number, number, number, number][] = [
    [81, 263, 0.2553, 0.3662],
    [15, 148, 0.0624, 0.1605],
    [0, 20, 0, 0.1611],
    [1, 29, 0.0061, 0.1718],
  ];
  for (const [x, n, lower, upper] of cases) {
    const ci = wilsonInterval(x, n)!;
    close(ci.lower, lower);
    close(ci.upper, upper);
    close(ci.estimate, x / n, 10);
  }
  // Symmetry and the ends.
  const half = wilsonInterval(5, 10)!;
  close(half.lower, 0.2366);
  close(half.upper, 0.7634);
  assert.equal(wilsonInterval(10, 10)!.upper, 1);
  assert.equal(wilsonInterval(0, 0), null);
  assert.throws(() => wilsonInterval(11, 10), RangeError);
});

test('difference of two proportions matches Newcombe (1998) method 10', () => {
  // Newcombe RG. Interval estimation for the difference between independent proportions. Stat Med
  // 1998;17:873-90, table II: 56/70 − 48/80 → 0.0524 to 0.3339; 9/10 − 3/10 → 0.1705 to 0.8090.
  const a = differenceInterval(56, 70, 48, 80)!;
  close(a.estimate, 0.2, 10);
  close(a.lower, 0.0524);
  close(a.upper, 0.3339);
  assert.equal(a.significant, true);
  const b = differenceInterval(9, 10, 3, 10)!;
  close(b.lower, 0.1705);
  close(b.upper, 0.809);
  const none = differenceInterval(50, 100, 48, 100)!;
  assert.equal(none.significant, false);
  assert.equal(differenceInterval(1, 0, 1, 2), null);
});

/** Every additive line withholds none or at least two cells, so nothing follows by subtraction. */
function assertNoLoneSuppression(result: SuppressedTable, rowsAdd: boolean, columnsAdd: boolean) {
  const rows = result.cells.map((row, r) => [...row, result.rowTotals[r]!]);
  rows.push([...result.columnTotals, result.grandTotal]);
  const lines: string[][] = [];
  if (rowsAdd) lines.push(...rows);
  if (columnsAdd) for (let c = 0; c < rows[0]!.length; c++) lines.push(rows.map((row) => row[c]!));
  for (const line of lines)
    assert.notEqual(line.filter((s) => s !== 'shown').length, 1, JSON.stringify(line));
}

test('cells under 10 are withheld, and so is a complement so they cannot be worked out', () => {
  // Two small cells protect each other: only their sum (9) follows from the total.
  const one = suppressOneWay([20, 5, 11, 4], 40, true);
  assert.deepEqual(one.cells, ['shown', 'primary', 'shown', 'primary']);
  assert.equal(one.total, 'shown');
  // One small cell: the next smallest (12) is withheld with it.
  const lone = suppressOneWay([20, 15, 12, 3], 50, true);
  assert.deepEqual(lone.cells, ['shown', 'shown', 'secondary', 'primary']);
  // Multiple choice: options do not add up to the total, so no complement is needed.
  assert.deepEqual(suppressOneWay([30, 3], 40, false).cells, ['shown', 'primary']);
  // Fewer than 10 answers in all: everything withheld.
  const tiny = suppressOneWay([5, 3], 8, true);
  assert.deepEqual(tiny, { cells: ['primary', 'primary'], total: 'primary' });
});

test('a two-way table gets complements in rows and columns, margins included', () => {
  // Rows: nations; columns: agree / neither / disagree.
  const table = {
    counts: [
      [120, 40, 60],
      [15, 4, 22],
      [30, 12, 18],
    ],
    rowTotals: [220, 41, 60],
    columnTotals: [165, 56, 100],
    grandTotal: 321,
    rowsAdd: true,
    columnsAdd: true,
  };
  const result = suppressTable(table);
  assert.equal(result.cells[1]![1], 'primary');
  assertNoLoneSuppression(result, true, true);
  // Nothing more than needed here: a 2×2 rectangle of withheld cells suffices.
  const hidden = result.cells.flat().filter((s) => s !== 'shown').length;
  assert.equal(hidden, 4);
  // A small row total forces its whole row, and complements elsewhere.
  const small = suppressTable({
    counts: [
      [50, 30],
      [6, 2],
      [25, 40],
    ],
    rowTotals: [80, 8, 65],
    columnTotals: [81, 72],
    grandTotal: 153,
    rowsAdd: true,
    columnsAdd: true,
  });
  assert.equal(small.rowTotals[1], 'primary');
  assertNoLoneSuppression(small, true, true);
  // Random tables: the property always holds.
  let seed = 7;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (let i = 0; i < 300; i++) {
    const R = 1 + Math.floor(rand() * 5);
    const C = 2 + Math.floor(rand() * 4);
    const counts = Array.from({ length: R }, () => Array.from({ length: C }, () => Math.floor(rand() * 30)));
    const rowTotals = counts.map((row) => row.reduce((a, b) => a + b, 0));
    const columnTotals = Array.from({ length: C }, (_, c) => counts.reduce((a, row) => a + row[c]!, 0));
    const grandTotal = rowTotals.reduce((a, b) => a + b, 0);
    const r = suppressTable({ counts, rowTotals, columnTotals, grandTotal, rowsAdd: true, columnsAdd: true });
    assertNoLoneSuppression(r, true, true);
    counts.forEach((row, ri) => row.forEach((n, ci) => n < 10 && assert.notEqual(r.cells[ri]![ci], 'shown')));
  }
});
