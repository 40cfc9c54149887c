/**
 * The public pages' cache through the real routes: an anonymous repeat visit does no database work, a
 * matching If-None-Match gets 304, and an administrator's edit shows on the very next anonymous request.
 *
 * The registry version is rechecked only once a minute here (production: once a second), so a fresh page
 * after an edit proves that the write itself told the cache (the onSend hook in app.ts → changed()).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import type { Agent } from '../../../test/helpers/agent.ts';
import { createOrganisation, createUser, signIn } from '../../../test/helpers/accounts.ts';
import { ensureCovenantReference } from '../../modules/covenant/covenant.seed.ts';
import { covenantPaths } from '../../modules/covenant/covenant.paths.ts';
import { seedDirectoryDemo } from '../../modules/directory/directory.demo.ts';
import { directoryPaths } from '../../modules/directory/directory.paths.ts';
import { acceptsGzip } from './etag.ts';

describe('public pages from the page cache', () => {
  let t: TestApp;
  let adminAgent: Agent;
  before(async () => {
    t = await createTestApp({}, { pageCacheOptions: { recheckMs: 60_000 } });
    await ensureCovenantReference(t.deps.db, t.clock);
    await t.deps.db.transaction(() => seedDirectoryDemo(t.deps));
    const team = await createOrganisation(t.deps, { kind: 'covenant_team' });
    const admin = await createUser(t.deps, {
      roles: [{ role: 'admin', organisationId: team.id }],
      totp: true,
    });
    adminAgent = t.agent();
    await signIn(adminAgent, admin);
  });
  after(() => t.close());

  /** Runs `fn` counting every database query the app makes meanwhile. */
  async function queriesDuring(fn: () => Promise<unknown>): Promise<number> {
    const db = t.deps.db;
    const real = db.get;
    let queries = 0;
    (db as { get: typeof real }).get = () => {
      queries++;
      return real();
    };
    try {
      await fn();
    } finally {
      (db as { get: typeof real }).get = real;
    }
    return queries;
  }

  test('an anonymous repeat visit makes no query; If-None-Match answers 304 with no body', async () => {
    const pages = [
      covenantPaths.show(),
      covenantPaths.principle({ slug: 'recognition-and-value' }),
      covenantPaths.signatories(),
      directoryPaths.body({ slug: 'department-for-culture-media-and-sport' }),
      directoryPaths.search({ q: 'food bank', kind: 'cso' }),
    ];
    for (const url of pages) {
      const first = await t.agent().get(url);
      assert.equal(first.statusCode, 200, url);
      const etag = String(first.headers.etag);
      assert.match(etag, /^W\/"/);
      let again: Awaited<ReturnType<Agent['get']>> | undefined;
      assert.equal(await queriesDuring(async () => (again = await t.agent().get(url))), 0, url);
      assert.equal(again!.statusCode, 200);
      assert.equal(again!.headers.etag, etag);
      // The same bytes for every anonymous visitor: pages carry no per-response nonce.
      assert.equal(again!.body, first.body);
      assert.doesNotMatch(first.body, /nonce=/);

      const notModified = await t.agent().get(url, { 'if-none-match': etag });
      assert.equal(notModified.statusCode, 304, url);
      assert.equal(notModified.body, '');
    }
    // Unknown query parameters share the cached search (keyed by the parsed query), not a new load.
    const extra = directoryPaths.search({ q: 'food bank', kind: 'cso' }) + '&utm_source=x';
    assert.equal(await queriesDuring(() => t.agent().get(extra)), 0);
  });

  test('a browser that accepts gzip gets the same page compressed, with the same ETag', async () => {
    const url = covenantPaths.show();
    const plain = await t.app.inject({ method: 'GET', url });
    const zipped = await t.app.inject({
      method: 'GET',
      url,
      headers: { 'accept-encoding': 'gzip, deflate, br, zstd' },
    });
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.equal(zipped.statusCode, 200);
    assert.equal(zipped.headers['content-encoding'], 'gzip');
    assert.equal(zipped.headers.vary, 'Cookie, Accept-Encoding');
    assert.equal(zipped.headers.etag, plain.headers.etag);
    assert.equal(gunzipSync(zipped.rawPayload).toString('utf8'), plain.body);
    assert.ok(zipped.rawPayload.length * 3 < plain.rawPayload.length);
    // gzip refused with q=0: the plain page.
    const refused = await t.app.inject({
      method: 'GET',
      url,
      headers: { 'accept-encoding': 'gzip;q=0, br' },
    });
    assert.equal(refused.headers['content-encoding'], undefined);
    assert.equal(refused.body, plain.body);
  });

  test('Accept-Encoding: gzip named, with q, as x-gzip, or through *', () => {
    assert.equal(acceptsGzip(undefined), false);
    assert.equal(acceptsGzip(''), false);
    assert.equal(acceptsGzip('gzip'), true);
    assert.equal(acceptsGzip('br, GZIP;q=0.5'), true);
    assert.equal(acceptsGzip('gzip;q=0'), false);
    assert.equal(acceptsGzip('gzip;q=0.0, *'), false);
    assert.equal(acceptsGzip('x-gzip'), true);
    assert.equal(acceptsGzip('*'), true);
    assert.equal(acceptsGzip('*;q=0'), false);
    assert.equal(acceptsGzip('br, deflate'), false);
    assert.equal(acceptsGzip('identity'), false);
  });

  test('signed-in visitors get the data fresh and no ETag', async () => {
    const url = directoryPaths.body({ slug: 'department-for-culture-media-and-sport' });
    await t.agent().get(url);
    let res: Awaited<ReturnType<Agent['get']>> | undefined;
    assert.ok((await queriesDuring(async () => (res = await adminAgent.get(url)))) > 0);
    assert.equal(res!.headers.etag, undefined);
    assert.equal(res!.headers['cache-control'], 'private, no-cache');
  });

  test("an admin's change to a body's leads shows on the next anonymous request, with a new ETag", async () => {
    const url = directoryPaths.body({ slug: 'leeds-city-council' });
    const before = await t.agent().get(url);
    assert.doesNotMatch(before.body, /Robin Fresh/);
    const oldEtag = String(before.headers.etag);

    const saved = await adminAgent.submit(directoryPaths.leads({ slug: 'leeds-city-council' }), {
      'local_accountable_officer-name': 'Robin Fresh',
      'local_accountable_officer-roleTitle': 'Director of Communities',
      'local_accountable_officer-contact': 'https://www.leeds.gov.uk/covenant',
      confirm: 'yes',
    });
    assert.equal(saved.statusCode, 303);

    const after = await t.agent().get(url);
    assert.match(after.body, /Robin Fresh/);
    assert.notEqual(after.headers.etag, oldEtag);
    // The old ETag no longer matches: the browser gets the new page, not 304.
    const revalidated = await t.agent().get(url, { 'if-none-match': oldEtag });
    assert.equal(revalidated.statusCode, 200);
    assert.match(revalidated.body, /Robin Fresh/);
    // A search that lists the body is refreshed too (every entry goes when the version moves).
    const found = await t.agent().get(directoryPaths.search({ q: 'leeds' }));
    assert.equal(found.statusCode, 200);
  });

  test('a newly published Covenant shows on the next anonymous request', async () => {
    const before = await t.agent().get(covenantPaths.show());
    assert.match(before.body, /Version 1/);
    const oldEtag = String(before.headers.etag);

    assert.equal(
      (await adminAgent.post(covenantPaths.adminDraft(), {}, covenantPaths.admin())).statusCode,
      303,
    );
    const edited = await adminAgent.submit(covenantPaths.adminParagraph({ key: 'p-in5d8c4r' }), {
      kind: 'text',
      text: 'A freshly published introduction that no cache may hide.',
    });
    assert.equal(edited.statusCode, 303);
    // A draft is not public: the anonymous page is unchanged (and may still be served from the cache).
    const during = await t.agent().get(covenantPaths.show(), { 'if-none-match': oldEtag });
    assert.equal(during.statusCode, 304);
    const published = await adminAgent.submit(covenantPaths.adminPublish(), {
      changeSummary: 'New introduction.',
    });
    assert.equal(published.statusCode, 303);

    const after = await t.agent().get(covenantPaths.show(), { 'if-none-match': oldEtag });
    assert.equal(after.statusCode, 200);
    assert.match(after.body, /Version 2/);
    assert.match(after.body, /A freshly published introduction that no cache may hide\./);
  });
});
