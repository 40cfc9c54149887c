/** Partnership roll-ups on fixed examples (issue 9, item 4 acceptance: "tests for partnership roll-ups"). */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  isOverdue,
  rollUp,
  rollUpCsv,
  suppressCasesInArea,
  type PartnershipFacts,
} from './partnerships.rollup.ts';

const TODAY = '2026-12-03';

const leeds: PartnershipFacts = {
  id: 'a',
  name: 'Leeds Compact Partnership',
  nation: 'england',
  region: 'Yorkshire and The Humber',
  partners: 4,
  officers: 2,
  actions: [
    { status: 'done', dueOn: '2026-10-01' },
    { status: 'in_progress', dueOn: '2026-11-30' },
    { status: 'not_started', dueOn: TODAY },
    { status: 'not_started', dueOn: null },
  ],
  casesInArea: 3,
  plansPublished: 1,
};
const sheffield: PartnershipFacts = {
  ...leeds,
  id: 'b',
  name: 'Sheffield City Partnership',
  partners: 2,
  officers: 1,
  actions: [{ status: 'not_started', dueOn: '2026-01-01' }],
  casesInArea: 0,
  plansPublished: 0,
};
const cardiff: PartnershipFacts = {
  id: 'c',
  name: 'Cardiff Third Sector Partnership',
  nation: 'wales',
  region: null,
  partners: 3,
  officers: 1,
  actions: [],
  casesInArea: 1,
  plansPublished: 2,
};

describe('partnership roll-ups', () => {
  test('overdue: not done and due before today; due today, done or undated is not overdue', () => {
    assert.equal(isOverdue({ status: 'in_progress', dueOn: '2026-12-02' }, TODAY), true);
    assert.equal(isOverdue({ status: 'not_started', dueOn: TODAY }, TODAY), false);
    assert.equal(isOverdue({ status: 'done', dueOn: '2026-01-01' }, TODAY), false);
    assert.equal(isOverdue({ status: 'not_started', dueOn: null }, TODAY), false);
  });

  test('counts per partnership, by nation and region, and totals', () => {
    const r = rollUp([sheffield, cardiff, leeds], TODAY);
    assert.deepEqual(
      r.rows.map((x) => [x.name, x.actions, x.actionsDone, x.actionsOverdue]),
      [
        ['Cardiff Third Sector Partnership', 0, 0, 0],
        ['Leeds Compact Partnership', 4, 1, 1],
        ['Sheffield City Partnership', 1, 0, 1],
      ],
    );
    assert.deepEqual(r.total, {
      partnerships: 3,
      partners: 9,
      officers: 4,
      actions: 5,
      actionsDone: 1,
      actionsOverdue: 2,
      casesInArea: 4,
      plansPublished: 3,
    });
    assert.deepEqual(
      r.byNation.map((n) => [
        n.nation,
        n.counts.partnerships,
        n.regions.map((g) => [g.region, g.counts.partners]),
      ]),
      [
        ['england', 2, [['Yorkshire and The Humber', 6]]],
        ['wales', 1, [['unknown', 3]]],
      ],
    );
  });

  test('no partnerships: zero totals, no nations', () => {
    const r = rollUp([], TODAY);
    assert.equal(r.total.partnerships, 0);
    assert.deepEqual(r.byNation, []);
  });

  test('CSV has a header, one line per partnership and a total line; formula-like text is defused', () => {
    const csv = rollUpCsv(rollUp([leeds, { ...cardiff, name: '=HYPERLINK("x")' }], TODAY));
    const lines = csv.trimEnd().split('\r\n');
    assert.equal(
      lines[0],
      'name,nation,region,partners,officers,actions,actionsDone,actionsOverdue,casesInArea,plansPublished',
    );
    assert.equal(lines[1], `"'=HYPERLINK(""x"")",wales,,3,1,0,0,0,1,2`);
    assert.equal(lines[2], 'Leeds Compact Partnership,england,Yorkshire and The Humber,4,2,4,1,1,3,1');
    assert.equal(lines[3], 'Total,,,7,3,4,1,1,4,3');
  });

  test('cases in the area: small counts hidden, with a complementary one, and nations withheld then', () => {
    // Leeds 3 (small), Sheffield 0, Cardiff 1 (small): two hidden cells, total 4 is small itself.
    const small = suppressCasesInArea(rollUp([leeds, sheffield, cardiff], TODAY));
    assert.deepEqual(small.total, { count: null, suppressed: 'small' });
    assert.deepEqual(small.byPartnership.get('b'), { count: 0, suppressed: null });
    assert.equal(small.byPartnership.get('a')!.count, null);
    // Leeds 20, Sheffield 7, Cardiff 2: Cardiff is small, so the smallest other (Sheffield) is withheld too;
    // the nation figures would give Cardiff away (Wales = Cardiff), so they are withheld.
    const r = rollUp(
      [
        { ...leeds, casesInArea: 20 },
        { ...sheffield, casesInArea: 7 },
        { ...cardiff, casesInArea: 2 },
      ],
      TODAY,
    );
    const c = suppressCasesInArea(r);
    assert.deepEqual(c.byPartnership.get('a'), { count: 20, suppressed: null });
    assert.deepEqual(c.byPartnership.get('b'), { count: null, suppressed: 'complementary' });
    assert.deepEqual(c.byPartnership.get('c'), { count: null, suppressed: 'small' });
    assert.deepEqual(c.total, { count: 29, suppressed: null });
    assert.deepEqual(c.byNation.get('wales'), { count: null, suppressed: 'complementary' });
    assert.deepEqual(c.byNation.get('england'), { count: null, suppressed: 'complementary' });
    assert.equal(c.anySuppressed, true);
    // The public CSV carries the suppressed figures, never the raw ones.
    const lines = rollUpCsv(r, c).trimEnd().split('\r\n');
    assert.equal(lines[1], 'Cardiff Third Sector Partnership,wales,,3,1,0,0,0,fewer than 5,2');
    assert.equal(
      lines[3],
      'Sheffield City Partnership,england,Yorkshire and The Humber,2,1,1,0,1,withheld,0',
    );
    assert.equal(lines[4], 'Total,,,9,4,5,1,2,29,3');
    // Nothing small: every figure and the nations are shown.
    const big = suppressCasesInArea(
      rollUp(
        [
          { ...leeds, casesInArea: 20 },
          { ...cardiff, casesInArea: 6 },
        ],
        TODAY,
      ),
    );
    assert.equal(big.anySuppressed, false);
    assert.deepEqual(big.byNation.get('wales'), { count: 6, suppressed: null });
  });
});
