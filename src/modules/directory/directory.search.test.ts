/**
 * Search ranking in tiers (directory.repository.ts `search`): an exact name or registered number first, then
 * names starting with the query, then the words as a phrase, then the words anywhere; and a broad search is
 * counted up to SEARCH_COUNT_CAP without ranking every match.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { prefixTsQuery, SEARCH_COUNT_CAP } from './directory.repository.ts';
import { organisationIdentifiers, organisations } from './directory.tables.ts';

describe('directory search ranking', () => {
  let t: TestApp;
  const search = (q: string, offset = 0, limit = 10) =>
    t.deps.directory.search({ q, kinds: ['cso', 'infrastructure'], limit, offset });
  before(async () => {
    t = await createTestApp();
    const names = [
      'Bank of Food Workers Harbour', // both words, not as a phrase
      'Harbour Food Bank', // the phrase
      'Food Bank Harbour', // starts with the query
      'Food Bank', // the exact name
      'Unrelated Choir',
      'Leeds Teaching Hospitals Charity', // found by the word prefix "hosp"
      'Hospice Friends', // starts with "hosp"
    ];
    const rows = await t.deps.db
      .get()
      .insert(organisations)
      .values(names.map((name, i) => ({ name, slug: `rank-${i}`, kind: 'cso' as const })))
      .returning();
    const choir = rows.find((r) => r.name === 'Unrelated Choir')!;
    await t.deps.db
      .get()
      .insert(organisationIdentifiers)
      .values({ organisationId: choir.id, scheme: 'GB-CHC', value: '1234567', orgId: 'GB-CHC-1234567' });
    await t.deps.db
      .get()
      .insert(organisations)
      .values(
        Array.from({ length: SEARCH_COUNT_CAP + 50 }, (_, i) => ({
          name: `Widget Club ${String(i).padStart(4, '0')}`,
          slug: `widget-${i}`,
          kind: 'cso' as const,
        })),
      );
  });
  after(() => t.close());

  test('exact name, then names starting with the query, then the phrase, then the words anywhere', async () => {
    const result = await search('food bank');
    assert.deepEqual(
      result.hits.map((h) => h.name),
      ['Food Bank', 'Food Bank Harbour', 'Harbour Food Bank', 'Bank of Food Workers Harbour'],
    );
    assert.equal(result.total, 4);
    assert.equal(result.totalCapped, false);
  });

  test('the last word typed also matches as the start of a word, after the whole-word matches', async () => {
    const hosp = await search('hosp');
    assert.deepEqual(
      hosp.hits.map((h) => h.name),
      ['Hospice Friends', 'Leeds Teaching Hospitals Charity'],
      'a name starting with it first, then a word starting with it',
    );
    assert.deepEqual(
      (await search('leeds hospi')).hits.map((h) => h.name),
      ['Leeds Teaching Hospitals Charity'],
    );
    assert.deepEqual(
      (await search('harbour foo')).hits.map((h) => h.name),
      ['Harbour Food Bank', 'Bank of Food Workers Harbour', 'Food Bank Harbour'],
      'the name starting with it, then every word typed matching, the last as a prefix, in name order',
    );
    assert.equal((await search('te')).total, 0, 'a prefix of two letters is too broad to expand');
  });

  test('the prefix query keeps only letters and digits, so it is always valid syntax', () => {
    assert.equal(prefixTsQuery('hosp'), 'hosp:*');
    assert.equal(prefixTsQuery("St John's Amb"), 'st & john & s & amb:*');
    assert.equal(prefixTsQuery('food & (bank | !x'), null, 'last word too short');
    assert.equal(prefixTsQuery('café:* ñan'), 'café & ñan:*');
    assert.equal(prefixTsQuery('!!!'), null);
    assert.equal(prefixTsQuery('leeds   '), 'leeds:*');
  });

  test('a registered charity number, bare or as an org-id, finds its organisation', async () => {
    for (const q of ['1234567', 'GB-CHC-1234567', 'gb-chc-1234567']) {
      const result = await search(q);
      assert.equal(result.hits[0]?.name, 'Unrelated Choir', q);
    }
    assert.equal((await search('7654321')).total, 0);
  });

  test('a broad search is capped, pages do not overlap, and past the cap there is nothing', async () => {
    const first = await search('widget club', 0, 20);
    assert.equal(first.total, SEARCH_COUNT_CAP);
    assert.equal(first.totalCapped, true);
    assert.equal(first.hits.length, 20);
    // Names starting with the query come in name order.
    assert.equal(first.hits[0]!.name, 'Widget Club 0000');
    const second = await search('widget club', 20, 20);
    const seen = new Set(first.hits.map((h) => h.id));
    assert.ok(second.hits.every((h) => !seen.has(h.id)));
    assert.equal(second.hits[0]!.name, 'Widget Club 0020');
    assert.deepEqual((await search('widget club', SEARCH_COUNT_CAP + 20, 20)).hits, []);
    // A page past the last one still reports the total.
    const late = await search('food bank', 40, 20);
    assert.deepEqual(late.hits, []);
    assert.equal(late.total, 4);
  });
});
