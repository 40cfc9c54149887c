import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../config.ts';
import { createDeps } from '../../container.ts';
import { createApp, redactUrl } from '../../app.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/test-db.ts';
import { createMemoryTransport } from '../../../test/helpers/app.ts';
import { Agent, csrfTokenIn } from '../../../test/helpers/agent.ts';
import { ForbiddenError } from './errors.ts';

describe('error pages and CSRF', () => {
  let tdb: TestDatabase;
  let app: FastifyInstance;

  before(async () => {
    tdb = await createTestDatabase();
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DEMO_DATA: 'off' });
    const deps = await createDeps(config, {
      db: tdb.db,
      transport: createMemoryTransport(),
      runWorker: false,
    });
    app = await createApp(deps);
    // Routes that exist only in this test, to exercise the shared error handling.
    app.get('/test/boom', async () => {
      throw new Error('secret internal detail: password=hunter2');
    });
    app.get('/test/forbidden', async () => {
      throw new ForbiddenError();
    });
    app.get('/test/form', (_request, reply) =>
      reply
        .type('text/html')
        .send(
          `<form method="post"><input type="hidden" name="_csrf" value="${reply.generateCsrf()}"></form>`,
        ),
    );
    const formPage = `<form method="post"><input type="hidden" name="_csrf" value="TOKEN"></form>`;
    app.post('/test/form', async () => ({ ok: true }));
    app.get('/test/limited', (_request, reply) =>
      reply.type('text/html').send(formPage.replace('TOKEN', reply.generateCsrf())),
    );
    app.post('/test/limited', { config: { rateLimit: { max: 3, timeWindow: '1 minute' } } }, async () => ({
      ok: true,
    }));
    app.post('/api/test/json', { config: { csrf: false } }, async (request) => ({ got: request.body }));
    await app.ready();
  });
  after(async () => {
    await app.close();
    await tdb.close();
  });

  test('an unexpected error is a GOV.UK 500 page with a reference and no internal detail', async () => {
    const res = await new Agent(app).get('/test/boom');
    assert.equal(res.statusCode, 500);
    assert.match(res.body, /Sorry, there is a problem with the service/);
    assert.match(res.body, /quote reference [0-9a-f-]{36}/);
    assert.doesNotMatch(res.body, /hunter2|secret internal detail|at .*\.ts:/);
  });

  test('an API error is problem JSON without internal detail', async () => {
    const res = await app.inject({ url: '/test/boom', headers: { accept: 'application/json' } });
    assert.equal(res.statusCode, 500);
    assert.equal(res.json().title, 'Internal Server Error');
    assert.doesNotMatch(res.body, /hunter2/);
  });

  test('a forbidden page is a GOV.UK 403 page', async () => {
    const res = await new Agent(app).get('/test/forbidden');
    assert.equal(res.statusCode, 403);
    assert.match(res.body, /You do not have permission to see this page/);
  });

  test('a POST without a CSRF token, or with a wrong one, is refused with a 403 page', async () => {
    const agent = new Agent(app);
    await agent.get('/test/form');
    const missing = await agent.request('POST', '/test/form', { form: { a: '1' } });
    assert.equal(missing.statusCode, 403);
    assert.match(missing.body, /Your form could not be sent/);
    const wrong = await agent.request('POST', '/test/form', { form: { _csrf: 'not-the-token', a: '1' } });
    assert.equal(wrong.statusCode, 403);
    // A token from another browser (another cookie secret) is refused too.
    const other = new Agent(app);
    const otherToken = csrfTokenIn((await other.get('/test/form')).body);
    const stolen = await agent.request('POST', '/test/form', { form: { _csrf: otherToken } });
    assert.equal(stolen.statusCode, 403);
  });

  test('a POST with the right token is accepted, until the rate limit gives a 429 page', async () => {
    const agent = new Agent(app);
    const ok = await agent.submit('/test/limited', { a: '1' });
    assert.equal(ok.statusCode, 200);
    await agent.submit('/test/limited', { a: '1' });
    await agent.submit('/test/limited', { a: '1' });
    const limited = await agent.submit('/test/limited', { a: '1' });
    assert.equal(limited.statusCode, 429);
    assert.match(limited.body, /Too many attempts/);
  });

  test('malformed JSON to the API is a 400 problem, and an oversized body a 413', async () => {
    const bad = await app.inject({
      method: 'POST',
      url: '/api/test/json',
      headers: { 'content-type': 'application/json' },
      payload: '{"a":',
    });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().status, 400);
    const big = await app.inject({
      method: 'POST',
      url: '/api/test/json',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ a: 'x'.repeat(1_100_000) }),
    });
    assert.equal(big.statusCode, 413);
  });

  test('logged URLs lose query strings and token-like path segments', () => {
    assert.equal(redactUrl('/reset-password/abcDEF0123456789abcdef_-xyz?x=1'), '/reset-password/:redacted');
    assert.equal(redactUrl('/cases/CH-2026-000123?token=secret'), '/cases/CH-2026-000123');
  });
});
