import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { suppressTable } from '../../platform/stats/index.ts';
import { attributeValues, NOT_STATED } from './surveys.attributes.ts';
import { barChartSvg } from './surveys.results.chart.ts';
import {
  BASE,
  buildTables,
  combined,
  combinedChange,
  csvCell,
  csvLine,
  pointsText,
  suppressLinked,
  yearOnYear,
  type CountCell,
  type Equation,
  type QuestionCounts,
  type ResultGroup,
  type ResultTable,
} from './surveys.results.rules.ts';

const close = (actual: number | null, expected: number, digits = 4) => {
  assert.notEqual(actual, null);
  assert.equal(Number(actual!.toFixed(digits)), expected, `${actual} ≈ ${expected}`);
};

/** Cube cells for one group: option counts plus the base (their sum unless given). */
function group(grp: string, counts: Record<string, number>, base?: number): CountCell[] {
  const cells = Object.entries(counts).map(([option, n]) => ({ grp, option, n, total: 0 }));
  const b = base ?? Object.values(counts).reduce((a, n) => a + n, 0);
  return [...cells, { grp, option: BASE, n: b, total: 0 }];
}

const agreement = ['strongly_agree', 'agree', 'neither', 'disagree', 'strongly_disagree'];

/** Every published line (row with base, column with the whole) withholds none or at least two figures. */
function assertNotRecoverable(tables: ResultTable[], rowsAdd: boolean) {
  const hidden = (x: { state: string } | { baseState: string }) =>
    ('state' in x ? x.state : x.baseState) !== 'shown';
  const check = (line: boolean[], what: string) =>
    assert.notEqual(line.filter(Boolean).length, 1, `one withheld figure in ${what}`);
  for (const t of tables) {
    const rows = [t.all, ...t.groups];
    if (rowsAdd)
      for (const g of rows) check([...g.cells.map(hidden), hidden(g)], `${t.breakdown} ${g.value} row`);
    if (t.groups.length === 0) continue;
    check([...t.groups.map(hidden), hidden(t.all)], `${t.breakdown} bases`);
    t.options.forEach((o, i) =>
      check([...t.groups.map((g) => hidden(g.cells[i]!)), hidden(t.all.cells[i]!)], `${t.breakdown} ${o}`),
    );
  }
}

describe('suppressLinked', () => {
  test('withholds cells under 10, and the smallest other cell when one would be recoverable', () => {
    const values = new Map([
      ['a', 20],
      ['b', 15],
      ['c', 12],
      ['d', 3],
      ['t', 50],
    ]);
    const state = suppressLinked(values, [{ cells: ['a', 'b', 'c', 'd'], total: 't' }]);
    assert.deepEqual(Object.fromEntries(state), {
      a: 'shown',
      b: 'shown',
      c: 'secondary',
      d: 'primary',
      t: 'shown',
    });
  });

  test('two small cells protect each other; a small total is withheld too', () => {
    const state = suppressLinked(
      new Map([
        ['a', 20],
        ['b', 5],
        ['c', 11],
        ['d', 4],
        ['t', 40],
      ]),
      [{ cells: ['a', 'b', 'c', 'd'], total: 't' }],
    );
    assert.equal(state.get('c'), 'shown');
    assert.equal(state.get('b'), 'primary');
    const tiny = suppressLinked(
      new Map([
        ['a', 5],
        ['b', 3],
        ['t', 8],
      ]),
      [{ cells: ['a', 'b'], total: 't' }],
    );
    assert.deepEqual([...tiny.values()], ['primary', 'primary', 'primary']);
  });

  test('a complement chosen for one equation is carried into a linked one', () => {
    // x is shared: the complement for {a, x} (x) then leaves {x, y} with one withheld, so y goes too.
    const state = suppressLinked(
      new Map([
        ['a', 4],
        ['x', 30],
        ['s', 34],
        ['y', 40],
        ['u', 70],
      ]),
      [
        { cells: ['a', 'x'], total: 's' },
        { cells: ['x', 'y'], total: 'u' },
      ],
    );
    assert.equal(state.get('x'), 'secondary');
    assert.notEqual(state.get('y'), 'shown');
  });

  test('agrees with the platform two-way table suppression on random tables', () => {
    let seed = 11;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 200; i++) {
      const R = 1 + Math.floor(rand() * 4);
      const C = 2 + Math.floor(rand() * 4);
      const counts = Array.from({ length: R }, () =>
        Array.from({ length: C }, () => Math.floor(rand() * 40)),
      );
      const rowTotals = counts.map((row) => row.reduce((a, b) => a + b, 0));
      const columnTotals = Array.from({ length: C }, (_, c) => counts.reduce((a, row) => a + row[c]!, 0));
      const grandTotal = rowTotals.reduce((a, b) => a + b, 0);
      const platform = suppressTable({
        counts,
        rowTotals,
        columnTotals,
        grandTotal,
        rowsAdd: true,
        columnsAdd: true,
      });
      const values = new Map<string, number>();
      counts.forEach((row, r) => row.forEach((n, c) => values.set(`${r},${c}`, n)));
      rowTotals.forEach((n, r) => values.set(`${r},T`, n));
      columnTotals.forEach((n, c) => values.set(`T,${c}`, n));
      values.set('T,T', grandTotal);
      const equations: Equation[] = [];
      for (let r = 0; r < R; r++)
        equations.push({ cells: counts[r]!.map((_, c) => `${r},${c}`), total: `${r},T` });
      equations.push({ cells: columnTotals.map((_, c) => `T,${c}`), total: 'T,T' });
      for (let c = 0; c < C; c++)
        equations.push({ cells: counts.map((_, r) => `${r},${c}`), total: `T,${c}` });
      equations.push({ cells: rowTotals.map((_, r) => `${r},T`), total: 'T,T' });
      const mine = suppressLinked(values, equations);
      // Same primaries; both leave no line with exactly one withheld cell.
      counts.forEach((row, r) =>
        row.forEach((n, c) => {
          assert.equal(mine.get(`${r},${c}`) === 'primary', n < 10);
          assert.equal(platform.cells[r]![c] === 'primary', n < 10);
        }),
      );
      for (const e of equations) {
        const ids = [...e.cells, e.total!];
        assert.notEqual(ids.filter((id) => mine.get(id) !== 'shown').length, 1);
      }
    }
  });
});

describe('buildTables', () => {
  test('shares have 95% Wilson intervals (Newcombe 1998 values)', () => {
    const { all } = buildTables({
      type: 'single_choice',
      options: ['yes', 'no'],
      all: group('all', { yes: 81, no: 182 }),
      breakdowns: {},
    });
    assert.equal(all.base, 263);
    const yes = all.cells[0]!;
    close(yes.percent, 0.308);
    close(yes.lower, 0.2553);
    close(yes.upper, 0.3662);
    const fifteen = buildTables({
      type: 'single_choice',
      options: ['yes', 'no'],
      all: group('all', { yes: 15, no: 133 }),
      breakdowns: {},
    }).all.cells[0]!;
    close(fifteen.lower, 0.0624);
    close(fifteen.upper, 0.1605);
  });

  test('a lone small cell in a distribution gets a complement; its share is withheld too', () => {
    const { all } = buildTables({
      type: 'agreement',
      options: agreement,
      all: group('all', { strongly_agree: 40, agree: 60, neither: 25, disagree: 12, strongly_disagree: 4 }),
      breakdowns: {},
    });
    const states = all.cells.map((c) => c.state);
    assert.deepEqual(states, ['shown', 'shown', 'shown', 'secondary', 'primary']);
    assert.equal(all.cells[3]!.n, null);
    assert.equal(all.cells[3]!.percent, null);
    assert.equal(all.base, 141);
  });

  test('breakdowns: a small group is withheld with a complement in every column, whole row shared', () => {
    const counts: QuestionCounts = {
      type: 'agreement',
      options: agreement,
      all: group('all', { strongly_agree: 70, agree: 90, neither: 40, disagree: 30, strongly_disagree: 20 }),
      breakdowns: {
        role: [
          ...group('chief_executive', {
            strongly_agree: 40,
            agree: 50,
            neither: 20,
            disagree: 15,
            strongly_disagree: 10,
          }),
          ...group('trustee', {
            strongly_agree: 27,
            agree: 35,
            neither: 18,
            disagree: 13,
            strongly_disagree: 10,
          }),
          ...group('volunteer', {
            strongly_agree: 3,
            agree: 5,
            neither: 2,
            disagree: 2,
            strongly_disagree: 0,
          }),
        ],
      },
    };
    const { tables } = buildTables(counts);
    const role = tables.find((t) => t.breakdown === 'role')!;
    const volunteer = role.groups.find((g) => g.value === 'volunteer')!;
    // 12 volunteers answered (published), but every one of their cells is under 10.
    assert.equal(volunteer.base, 12);
    assert.ok(volunteer.cells.every((c) => c.state === 'primary'));
    // Each withheld volunteer cell could be worked out from the whole minus the other roles, so in every
    // column another role's figure is withheld as well.
    assertNotRecoverable(tables, true);
    const trustee = role.groups.find((g) => g.value === 'trustee')!;
    assert.ok(trustee.cells.some((c) => c.state === 'secondary') || trustee.baseState === 'secondary');
  });

  test('multiple choice: options do not add up to the base, columns still do', () => {
    const { all, tables } = buildTables({
      type: 'multiple_choice',
      options: ['funding', 'time'],
      all: group('all', { funding: 60, time: 35 }, 70),
      breakdowns: {
        nation: [
          ...group('england', { funding: 55, time: 30 }, 62),
          ...group('wales', { funding: 5, time: 5 }, 8),
        ],
      },
    });
    // No complement within the whole's row: 60 and 35 out of 70 respondents are both published.
    assert.deepEqual(
      all.cells.map((c) => c.state),
      ['shown', 'shown'],
    );
    const nation = tables.find((t) => t.breakdown === 'nation')!;
    // Wales is withheld; England would give it away by subtraction from the whole, so it goes too.
    assert.ok(nation.groups.every((g) => g.cells.every((c) => c.state !== 'shown')));
    assertNotRecoverable(tables, false);
  });

  test('regions and nations are linked: outside England is the other nations', () => {
    const regionGroups = [
      ...group('london', { yes: 30, no: 30 }),
      ...group('north-east', { yes: 20, no: 25 }),
      ...group('outside-england', { yes: 16, no: 20 }),
    ];
    const nationGroups = [
      ...group('england', { yes: 50, no: 55 }),
      ...group('wales', { yes: 11, no: 12 }),
      ...group('scotland', { yes: 5, no: 8 }),
    ];
    const { tables } = buildTables({
      type: 'single_choice',
      options: ['yes', 'no'],
      all: group('all', { yes: 66, no: 75 }),
      breakdowns: { nation: nationGroups, region: regionGroups },
    });
    const nation = tables.find((t) => t.breakdown === 'nation')!;
    const region = tables.find((t) => t.breakdown === 'region')!;
    const scotlandYes = nation.groups.find((g) => g.value === 'scotland')!.cells[0]!;
    assert.equal(scotlandYes.state, 'primary');
    // Outside England (16 yes) minus Wales (11 yes) would give Scotland's 5: one of them is withheld.
    const outsideYes = region.groups.find((g) => g.value === 'outside-england')!.cells[0]!;
    const walesYes = nation.groups.find((g) => g.value === 'wales')!.cells[0]!;
    assert.ok(outsideYes.state !== 'shown' || walesYes.state !== 'shown');
    assertNotRecoverable(tables, true);
  });

  test('random cubes with every breakdown: no withheld figure can be worked out from one line', () => {
    let seed = 3;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 60; i++) {
      const people = 20 + Math.floor(rand() * 400);
      const cube = new Map<string, number>();
      const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
      const respondents = Array.from({ length: people }, () => {
        const nation = pick([...attributeValues.nation, NOT_STATED]);
        return {
          organisationType: pick([...attributeValues.organisationType, NOT_STATED]),
          incomeBand: pick(attributeValues.incomeBand),
          nation,
          region:
            nation === 'england'
              ? pick([...attributeValues.region.slice(0, 3), NOT_STATED])
              : nation === NOT_STATED
                ? NOT_STATED
                : 'outside-england',
          role: pick(attributeValues.role),
          answer: pick(agreement.slice(0, 3 + Math.floor(rand() * 3))),
        };
      });
      const cells = (attr: keyof (typeof respondents)[number] | null) => {
        cube.clear();
        for (const r of respondents) {
          const g = attr ? String(r[attr]) : 'all';
          for (const option of [r.answer, BASE])
            cube.set(`${g}|${option}`, (cube.get(`${g}|${option}`) ?? 0) + 1);
        }
        return [...cube].map(([k, n]) => {
          const [grp, option] = k.split('|') as [string, string];
          return { grp, option, n, total: 0 };
        });
      };
      const { tables } = buildTables({
        type: 'agreement',
        options: agreement,
        all: cells(null),
        breakdowns: {
          organisationType: cells('organisationType'),
          incomeBand: cells('incomeBand'),
          nation: cells('nation'),
          region: cells('region'),
          role: cells('role'),
        },
      });
      assertNotRecoverable(tables, true);
      for (const t of tables)
        for (const g of t.groups)
          for (const c of g.cells) if (c.n !== null) assert.ok(c.n >= 10, 'a published cell is 10 or more');
    }
  });

  test('numbers publish the count and the mean, and no mean for a withheld group', () => {
    const { all, tables } = buildTables({
      type: 'number',
      options: [],
      all: [
        { grp: 'all', option: '', n: 30, total: 600 },
        { grp: 'all', option: BASE, n: 30, total: 0 },
      ],
      breakdowns: {
        role: [
          { grp: 'staff', option: '', n: 24, total: 480 },
          { grp: 'staff', option: BASE, n: 24, total: 0 },
          { grp: 'trustee', option: '', n: 6, total: 120 },
          { grp: 'trustee', option: BASE, n: 6, total: 0 },
        ],
      },
    });
    assert.equal(all.mean, 20);
    const role = tables.find((t) => t.breakdown === 'role')!;
    assert.deepEqual(
      role.groups.map((g) => [g.value, g.baseState, g.mean]),
      [
        ['trustee', 'primary', null],
        ['staff', 'secondary', null],
      ],
    );
  });

  test('groups with no answers are left out, not shown as withheld', () => {
    const { tables } = buildTables({
      type: 'single_choice',
      options: ['yes', 'no'],
      all: group('all', { yes: 40, no: 30 }),
      breakdowns: { role: [...group('staff', { yes: 40, no: 30 }), ...group('trustee', { yes: 0, no: 0 })] },
    });
    assert.deepEqual(
      tables.find((t) => t.breakdown === 'role')!.groups.map((g) => g.value),
      ['staff'],
    );
  });
});

describe('headlines and year-on-year change', () => {
  const g = (counts: Record<string, number>, base: number): ResultGroup =>
    buildTables({
      type: 'agreement',
      options: agreement,
      all: group('all', counts, base),
      breakdowns: {},
    }).all;

  test('change between two years uses Newcombe’s interval (1998, table II: 56/70 − 48/80)', () => {
    const now = g({ strongly_agree: 56, agree: 14, neither: 0, disagree: 0, strongly_disagree: 0 }, 70);
    const before = g({ strongly_agree: 48, agree: 32, neither: 0, disagree: 0, strongly_disagree: 0 }, 80);
    const [first] = yearOnYear(now, before);
    close(first!.change, 0.2);
    close(first!.lower, 0.0524);
    close(first!.upper, 0.3339);
    assert.equal(first!.significant, true);
    assert.equal(pointsText(first!.change), '+20');
  });

  test('no change where either year is withheld or the question was not asked', () => {
    const now = g({ strongly_agree: 56, agree: 14, neither: 12, disagree: 10, strongly_disagree: 5 }, 97);
    const before = g(
      { strongly_agree: 48, agree: 32, neither: 20, disagree: 15, strongly_disagree: 15 },
      130,
    );
    const changes = yearOnYear(now, before);
    assert.equal(changes[4]!.change, null);
    assert.ok(changes.some((c) => c.change !== null));
    assert.ok(yearOnYear(now, null).every((c) => c.change === null));
  });

  test('a combined headline needs every part published', () => {
    const shown = g({ strongly_agree: 30, agree: 40, neither: 20, disagree: 15, strongly_disagree: 12 }, 117);
    const agree = combined(shown, ['strongly_agree', 'agree'])!;
    assert.equal(agree.n, 70);
    close(agree.percent, 0.5983);
    const partly = g({ strongly_agree: 3, agree: 40, neither: 20, disagree: 15, strongly_disagree: 12 }, 90);
    assert.equal(combined(partly, ['strongly_agree', 'agree']), null);
    assert.equal(combinedChange(agree, null), null);
    const before = g(
      { strongly_agree: 20, agree: 30, neither: 20, disagree: 15, strongly_disagree: 15 },
      100,
    );
    close(combinedChange(agree, combined(before, ['strongly_agree', 'agree']))!.change, 0.0983);
  });
});

describe('CSV and charts', () => {
  test('cells cannot run as spreadsheet formulas', () => {
    assert.equal(csvCell('=HYPERLINK("x")'), `"'=HYPERLINK(""x"")"`);
    assert.equal(csvCell('+44'), "'+44");
    assert.equal(csvCell('-1+2'), "'-1+2");
    assert.equal(csvCell('@SUM(A1)'), "'@SUM(A1)");
    assert.equal(csvCell(-3), '-3');
    assert.equal(csvCell(null), '');
    assert.equal(csvLine(['a,b', 'c\nd', 1]), '"a,b","c\nd",1');
  });

  test('charts say every figure in text, escape labels and mark withheld bars in words', () => {
    const svg = barChartSvg(
      [
        { label: 'Agree <b>', percent: 0.45, lower: 0.4, upper: 0.5, previous: 0.4 },
        { label: 'Disagree', percent: null, lower: null, upper: null },
      ],
      {
        title: 'Chart & title',
        withheldText: 'Withheld',
        previousLabel: '2025',
        intervalLabel: '95% interval',
      },
    );
    assert.match(svg, /role="img"/);
    assert.match(svg, /<title>Chart &amp; title<\/title>/);
    assert.match(svg, /Agree &lt;b&gt;/);
    assert.match(svg, />45%</);
    assert.match(svg, />Withheld</);
    assert.match(svg, />2025</);
    assert.doesNotMatch(svg, /<b>/);
  });
});
