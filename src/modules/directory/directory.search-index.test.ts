/**
 * The in-memory directory index (directory.search-index.ts) must answer exactly as the SQL search does:
 * the same hits in the same order and the same capped total, for every kind of query, filter and page, on
 * PGlite and on PostgreSQL. It must also never answer from old data.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type pg from 'pg';
import { sql } from 'drizzle-orm';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { generateOrganisations } from '../../../bench/directory/generate.ts';
import { rowsOf } from '../../platform/db/database.ts';
import { SEARCH_COUNT_CAP, type SearchParams } from './directory.repository.ts';
import { compareCodePoints, createDirectorySearch } from './directory.search-index.ts';
import {
  documentOf,
  matches,
  parseTsQuery,
  parseTsVector,
  UnsupportedQueryError,
} from './directory.tsquery.ts';
import { organisationIdentifiers, organisations } from './directory.tables.ts';

const awkwardNames = [
  'Food Bank',
  'food bank',
  'Harbour Food Bank',
  'Bank of England Staff Choir',
  'The Bank',
  'The',
  'Long-term Care Trust',
  'O’Brien’s Youth Club',
  "O'Neill's Bakery Trust",
  'Café Connect',
  'CAFE CONNECT',
  'Élan Arts',
  'Zebra Crossing Ltd',
  'Women’s Aid Federation',
  '50% Club',
  'A_B Club',
  'Back\\Slash Society',
  'Hospice Friends',
  'Leeds Teaching Hospitals Charity',
  'St Mungo’s',
  'Trust Trust Trust',
  'Youth & Community Partnership',
  '123 Numbers Group',
  'Ångström Science',
  'ǅemal Club',
];

const queries = [
  'food bank',
  'Food Bank',
  '"food bank"',
  'food -bank',
  'food or bank',
  'bank of england',
  '"bank of england"',
  'the',
  'the bank',
  '   ',
  '!!!',
  "o'brien",
  'O’Brien’s',
  'obrien',
  'long-term',
  'long term care',
  'café',
  'cafe',
  'élan',
  'ångström',
  '50%',
  '50',
  'a_b',
  'back\\slash',
  'hosp',
  'hospital',
  'leeds hosp',
  'trust',
  'trust trust',
  '-trust',
  'youth & community',
  'riverside',
  'riverside food',
  'riverside food bank',
  'meadow carers network',
  'kings',
  'spring',
  'E08000035',
  'e08000035',
  'department for education',
  'education',
  'council',
  'borough council',
  'GB-CHC-5000010',
  '5000010',
  'SC500011',
  'GB-COH-70000015',
  '70000015',
  'nic100000',
  'zzzzzzzz',
  'x',
  'ab',
  'abc',
  'st mungo',
  'women’s aid',
  'womens aid',
  'community',
  'club 12',
  'foundation 1',
  '"youth project" -trust',
  'ǆemal',
];

const filterSets: Omit<SearchParams, 'q' | 'limit' | 'offset'>[] = [
  { kinds: ['cso', 'infrastructure'] },
  { kinds: ['public_body'] },
  { kinds: ['cso', 'infrastructure', 'public_body'] },
  { kinds: ['cso'], nation: 'wales' },
  { kinds: ['cso'], incomeBand: 'small', areaOfWork: 'housing' },
  { kinds: ['public_body'], publicBodyType: 'local_authority' },
  { kinds: ['cso', 'infrastructure'], region: 'North West' },
];

describe('directory search index', () => {
  let t: TestApp;

  before(async () => {
    // Loads of the index always happen before answering here (see 'a large directory…' for the other way).
    t = await createTestApp({}, { directorySearchOptions: { syncLoadMs: Infinity } });
    await t.deps.directory.ensureReferenceData();
    // The driver's own client (a PGlite instance or a pg pool): both take `query(text, params)`.
    const client = (t.deps.db.get() as unknown as { $client: pg.ClientBase }).$client;
    await generateOrganisations(client, 2_500, 7);
    const rows = await t.deps.db
      .get()
      .insert(organisations)
      .values(
        awkwardNames.map((name, i) => ({
          name,
          slug: `awkward-${i}`,
          kind: i % 5 === 0 ? ('infrastructure' as const) : ('cso' as const),
          nation: i % 2 === 0 ? ('wales' as const) : ('england' as const),
          incomeBand: i % 3 === 0 ? ('small' as const) : null,
          areasOfWork: i % 4 === 0 ? ['housing'] : [],
          status: i === 4 ? ('closed' as const) : ('live' as const),
        })),
      )
      .returning({ id: organisations.id, name: organisations.name });
    await t.deps.db
      .get()
      .insert(organisationIdentifiers)
      .values({ organisationId: rows[2]!.id, scheme: 'GB-NIC', value: '100000', orgId: 'GB-NIC-100000' });
    await t.deps.directorySearch.warm();
  });
  after(() => t.close());

  const sqlSearch = (params: SearchParams) => t.deps.directoryRepository.search(params);

  test('answers every query, filter and page exactly as the SQL search does', async () => {
    let compared = 0;
    // Every query with the default filters and four kinds of page; every third with each other filter.
    const pages = [
      [0, 20],
      [20, 20],
      [0, 3],
      [3000, 20],
    ] as const;
    for (const [f, filters] of filterSets.entries())
      for (const q of [...queries, undefined].filter((_, k) => f === 0 || k % 3 === 0))
        for (const [offset, limit] of f === 0 ? pages : pages.slice(1, 3)) {
          const params: SearchParams = { ...filters, q, limit, offset };
          const fromIndex = await t.deps.directorySearch.search(params);
          const fromSql = await sqlSearch(params);
          const { from, ...result } = fromIndex;
          assert.equal(from, 'index', JSON.stringify(params));
          // Past the cap SQL keeps whichever matches its index reads first (the index: the first in name
          // order), so only the counts can agree; the next test checks the index's choice.
          if (fromSql.totalCapped && params.q?.trim())
            assert.deepEqual([result.total, result.totalCapped], [fromSql.total, fromSql.totalCapped]);
          else {
            assert.deepEqual(result, fromSql, JSON.stringify(params));
            compared++;
          }
        }
    assert.ok(compared > 400, `compared ${compared}`);
  });

  test('a new, renamed or closed organisation shows in the next search', async () => {
    const search = (q: string) =>
      t.deps.directorySearch.search({ q, kinds: ['cso', 'infrastructure'], limit: 20, offset: 0 });
    assert.equal((await search('quokka')).total, 0);
    const [row] = await t.deps.db
      .get()
      .insert(organisations)
      .values({ name: 'Quokka Rescue', slug: 'quokka-rescue', kind: 'cso' })
      .returning({ id: organisations.id });
    t.deps.pageCache.changed();
    let found = await search('quokka');
    assert.equal(found.from, 'index');
    assert.deepEqual(
      found.hits.map((h) => h.name),
      ['Quokka Rescue'],
    );
    await t.deps.db
      .get()
      .update(organisations)
      .set({ name: 'Wombat Rescue' })
      .where(sql`${organisations.id} = ${row!.id}`);
    t.deps.pageCache.changed();
    assert.equal((await search('quokka')).total, 0);
    assert.equal((await search('wombat')).total, 1);
    await t.deps.db
      .get()
      .update(organisations)
      .set({ status: 'closed' })
      .where(sql`${organisations.id} = ${row!.id}`);
    t.deps.pageCache.changed();
    found = await search('wombat');
    assert.equal(found.total, 0);
    assert.equal(found.from, 'index');
  });

  test('inside a transaction the SQL search answers (it sees the transaction’s own writes)', async () => {
    await t.deps.db.transaction(async () => {
      await t.deps.db
        .get()
        .insert(organisations)
        .values({ name: 'Axolotl Friends', slug: 'axolotl-friends', kind: 'cso' });
      const found = await t.deps.directorySearch.search({
        q: 'axolotl',
        kinds: ['cso'],
        limit: 20,
        offset: 0,
      });
      assert.equal(found.from, 'sql');
      assert.equal(found.total, 1);
    });
  });

  test('past the cap, the first 1,001 matches in name order are kept and counted as "more than"', async () => {
    await t.deps.db
      .get()
      .insert(organisations)
      .values(
        Array.from({ length: SEARCH_COUNT_CAP + 20 }, (_, i) => ({
          name: `Gadget Guild ${String(SEARCH_COUNT_CAP + 20 - i).padStart(4, '0')}`,
          slug: `gadget-${i}`,
          kind: 'cso' as const,
        })),
      );
    t.deps.pageCache.changed();
    const found = await t.deps.directorySearch.search({ q: 'guild', kinds: ['cso'], limit: 5, offset: 0 });
    assert.equal(found.from, 'index');
    assert.equal(found.total, SEARCH_COUNT_CAP);
    assert.equal(found.totalCapped, true);
    assert.deepEqual(
      found.hits.map((h) => h.name),
      [
        'Gadget Guild 0001',
        'Gadget Guild 0002',
        'Gadget Guild 0003',
        'Gadget Guild 0004',
        'Gadget Guild 0005',
      ],
    );
  });

  test('DIRECTORY_SEARCH_INDEX=sql always asks PostgreSQL', async () => {
    const other = await createTestApp({ DIRECTORY_SEARCH_INDEX: 'sql' });
    try {
      const found = await other.deps.directorySearch.search({
        q: 'leeds',
        kinds: ['cso'],
        limit: 5,
        offset: 0,
      });
      assert.equal(found.from, 'sql');
    } finally {
      await other.close();
    }
  });
});

describe('directory search index loading', () => {
  const row = (name: string, lowerRank: number) => ({
    id: name,
    slug: name,
    name,
    lowerName: name.toLowerCase(),
    lowerRank,
    kind: 'cso' as const,
    status: 'live',
    publicBodyType: null,
    nation: null,
    region: null,
    incomeBand: null,
    gssCode: null,
    odsCode: null,
    govukSlug: null,
    areasOfWork: null,
    search: `'${name.toLowerCase()}':1A`,
    orgIds: null,
  });
  const fake = (syncLoadMs: number) => {
    const state = { version: 1, names: ['alpha'], loads: 0, failLoad: false, sqlCalls: 0 };
    const search = createDirectorySearch(
      {
        sqlSearch: async () => {
          state.sqlCalls++;
          return { total: 0, totalCapped: false, hits: [] };
        },
        loadRows: async () => {
          state.loads++;
          if (state.failLoad) throw new Error('connection lost');
          return { version: state.version, rows: state.names.map(row) };
        },
        searchQueries: async (q) => ({ words: `'${q}'`, phrase: `'${q}'`, prefix: null }),
        currentVersion: async () => state.version,
        inTransaction: () => false,
      },
      { syncLoadMs },
    );
    const find = (q: string) => search.search({ q, kinds: ['cso'], limit: 10, offset: 0 });
    return { state, search, find };
  };

  test('a large directory is loaded again in the background after a change; SQL answers meanwhile', async () => {
    const { state, search, find } = fake(-1);
    // The first load happens before answering: there is nothing else to answer from.
    assert.equal((await find('alpha')).from, 'index');
    state.version = 2;
    state.names = ['alpha', 'beta'];
    const during = await find('beta');
    assert.equal(during.from, 'sql');
    await search.warm();
    const afterLoad = await find('beta');
    assert.equal(afterLoad.from, 'index');
    assert.deepEqual(
      afterLoad.hits.map((h) => h.name),
      ['beta'],
    );
    assert.equal(search.loadedVersion, 2);
  });

  test('a failed load is reported and SQL answers; the next search tries again', async () => {
    const { state, search, find } = fake(Infinity);
    const errors: unknown[] = [];
    search.onError((error) => errors.push(error));
    state.failLoad = true;
    assert.equal((await find('alpha')).from, 'sql');
    assert.equal(errors.length, 1);
    state.failLoad = false;
    assert.equal((await find('alpha')).from, 'index');
    assert.equal(state.loads, 2);
  });
});

describe('tsvector and tsquery in memory', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(() => t.close());

  const texts = [
    'Leeds Teaching Hospitals Charity',
    'Long-term Care Trust',
    'Bank of England Staff Choir',
    'The Bank of the River',
    'O’Brien’s Youth Club',
    'Youth Project Trust',
    'Trust Youth Project',
    'food bank food bank',
    'Café Élan 2026',
    'Women’s Aid',
  ];
  const typed = [
    'youth project',
    '"youth project"',
    '"project youth"',
    'youth -trust',
    '-trust',
    'bank or choir',
    '"bank of england"',
    '"bank of the river"',
    'long-term',
    '"long-term care"',
    'hospital',
    'food bank',
    '"bank food"',
    'women’s',
    'café',
  ];

  test('matches exactly what PostgreSQL matches, for websearch and phrase queries and prefixes', async () => {
    for (const text of texts)
      for (const q of typed) {
        const rows = rowsOf<{
          vector: string;
          words: string;
          phrase: string;
          prefix: string;
          words_match: boolean;
          phrase_match: boolean;
          prefix_match: boolean;
        }>(
          await t.deps.db.get().execute(sql`
            with d as (select
              setweight(to_tsvector('english', ${text}), 'A') || setweight(to_tsvector('simple', ${text}), 'A') as v,
              websearch_to_tsquery('english', ${q}) || websearch_to_tsquery('simple', ${q}) as w,
              phraseto_tsquery('english', ${q}) || phraseto_tsquery('simple', ${q}) as p,
              to_tsquery('simple', ${
                q
                  .replace(/[^\p{L}\p{N}]+/gu, ' ')
                  .trim()
                  .split(' ')
                  .join(' & ') + ':*'
              }) as x)
            select v::text as vector, w::text as words, p::text as phrase, x::text as prefix,
              v @@ w as words_match, v @@ p as phrase_match, v @@ x as prefix_match from d`),
        );
        const r = rows[0]!;
        const doc = documentOf(parseTsVector(r.vector));
        const check = (query: string, expected: boolean) => {
          const parsed = parseTsQuery(query);
          assert.equal(parsed ? matches(parsed, doc) : false, expected, `${text} @@ ${query}`);
        };
        check(r.words, r.words_match);
        check(r.phrase, r.phrase_match);
        check(r.prefix, r.prefix_match);
      }
  });

  test('parses quoting, precedence and the empty query', () => {
    assert.equal(parseTsQuery(''), null);
    assert.deepEqual(parseTsQuery("'o''neill' & 'a\\\\b':*"), {
      op: 'and',
      left: { op: 'lexeme', value: "o'neill", prefix: false },
      right: { op: 'lexeme', value: 'a\\b', prefix: true },
    });
    const q = parseTsQuery("'a' | 'b' & !'c' & 'd' <2> 'e'");
    assert.equal(q?.op, 'or');
    assert.deepEqual(parseTsVector("'a''b':1A,3 'c':2"), {
      lexemes: ["a'b", 'c'],
      positions: [[1, 3], [2]],
    });
  });

  test('refuses what the index cannot evaluate, so SQL answers instead', () => {
    assert.throws(() => parseTsQuery("'a':A"), UnsupportedQueryError);
    assert.throws(() => parseTsQuery("'a' <-> ( 'b' | 'c' )"), UnsupportedQueryError);
    assert.throws(() => parseTsQuery("'a' <-> !'b'"), UnsupportedQueryError);
    assert.throws(() => parseTsQuery("'a' &"), /Expected a lexeme/);
  });

  test('orders strings by code point, as PostgreSQL orders bytes of UTF-8', () => {
    const words = ['b', 'a', 'é', 'z', '\u{1F600}', '\uFF21', 'ab', ''];
    const sorted = [...words].sort(compareCodePoints);
    assert.deepEqual(sorted, ['', 'a', 'ab', 'b', 'z', 'é', '\uFF21', '\u{1F600}']);
  });
});
