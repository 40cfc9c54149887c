/**
 * The register's word search on more entries than it counts (TEXT_COUNT_CAP): a common word's page is read
 * from the newest entries in date order, a rarer or older one through the words' index, and both give
 * exactly the page the plain query gives, on every page asked for.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'drizzle-orm';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { buildCase, copyCase, createTestOrganisation } from '../../../test/helpers/cases.ts';
import { rowsOf } from '../../platform/db/database.ts';
import { TEXT_COUNT_CAP } from './register.repository.ts';

describe('register word search past the count cap', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
    const body = await createTestOrganisation(t.deps, { name: 'Seaside Borough Council' });
    const model = await buildCase(t.deps, { state: 'closed', body, title: 'Model case' });
    await copyCase(t.deps, model.id, 2300, 'CH-2098-');
    // Oldest first: 1,100 about a lantern grant, then 1,150 about harbour funding, then the newest 50
    // about both. Published a minute apart, in that order.
    await t.deps.db.get().execute(
      sql`insert into register_entries (case_id, status, reference, body_name, category, submitted_on,
            closed_on, year, pub_title, pub_summary, published_at, updated_at)
          select c.id, 'published', c.reference, 'Seaside Borough Council', 'funding', '2026-01-05', '2026-02-05',
            2026,
            case when g <= 1100 then 'Lantern grant withdrawn ' || g
                 when g <= 2250 then 'Harbour funding cut ' || g
                 else 'Lantern harbour festival ' || g end,
            'What happened, in the public words.',
            timestamptz '2026-03-01 00:00:00+00' + make_interval(mins => g), now()
          from cases c, lateral (select substring(c.reference from 9)::int as g) n
          where c.reference like 'CH-2098-%'`,
    );
  });
  after(() => t.close());

  async function expected(q: string, page: number): Promise<string[]> {
    return rowsOf<{ reference: string }>(
      await t.deps.db.get().execute(
        sql`select reference from register_entries
            where status = 'published' and search @@ websearch_to_tsquery('english', ${q})
            order by published_at desc, id desc limit 20 offset ${(page - 1) * 20}`,
      ),
    ).map((r) => r.reference);
  }

  test('every page matches the plain query; counts stop at the cap', async () => {
    const cases: [string, number[]][] = [
      ['harbour', [1, 2, 50]], // 1,200 matches among the newest: read in date order
      ['lantern', [1, 2, 3, 4, 40]], // 1,150: the newest 50, then 1,100 old ones (the window runs out)
      ['grant', [1, 2]], // 1,100, all old: the window holds none
      ['lantern harbour', [1, 3]], // 50: under the cap, the words' index
      ['festival -harbour', [1]], // none
    ];
    for (const [q, pages] of cases) {
      for (const page of pages) {
        const result = await t.deps.register.search({ q }, page);
        assert.deepEqual(
          result.rows.map((r) => r.reference),
          await expected(q, page),
          `${q}, page ${page}`,
        );
      }
    }
    const common = await t.deps.register.search({ q: 'harbour' }, 1);
    assert.equal(common.total, TEXT_COUNT_CAP);
    assert.equal(common.totalCapped, true);
    assert.equal(common.pages, TEXT_COUNT_CAP / 20);
    assert.equal(common.rows[0]!.title, 'Lantern harbour festival 2300');
    const rarer = await t.deps.register.search({ q: 'lantern harbour' }, 1);
    assert.equal(rarer.total, 50);
    assert.equal(rarer.totalCapped, false);
    // Without words the count still goes to 10,000.
    const all = await t.deps.register.search({}, 1);
    assert.equal(all.totalCapped, false);
    assert.ok(all.total >= 2300);
  });

  test('the page says "more than 1,000 cases" for a common word', async () => {
    const res = await t.agent().get('/public-register?q=harbour');
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /More than 1,000 cases/);
    assert.match(res.body, /Lantern harbour festival 2300/);
  });
});
