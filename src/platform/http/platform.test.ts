import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';

describe('platform pages and operations', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp({ METRICS_TOKEN: 'metrics-token-for-tests' });
  });
  after(() => t.close());

  test('the home page is a GOV.UK page with a skip link, phase banner and footer links', async () => {
    const res = await t.agent().get('/');
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /<html lang="en-GB"/);
    assert.match(res.body, /href="#main-content"/);
    assert.match(res.body, /govuk-phase-banner/);
    for (const href of [
      '/accessibility-statement',
      '/privacy',
      '/cookies',
      '/report',
      '/covenant',
      '/directory',
    ])
      assert.ok(res.body.includes(`href="${href}"`), href);
  });

  test('security headers carry a CSP nonce that the inline script uses', async () => {
    const res = await t.agent().get('/');
    const csp = String(res.headers['content-security-policy']);
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    assert.ok(nonce, csp);
    assert.ok(res.body.includes(`nonce="${nonce}"`));
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.match(csp, /frame-ancestors 'none'/);
  });

  test('an unknown page is a GOV.UK 404 page', async () => {
    const res = await t.agent().get('/no-such-page');
    assert.equal(res.statusCode, 404);
    assert.match(res.body, /Page not found/);
  });

  test('an unknown API route is problem JSON', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/nothing-here' });
    assert.equal(res.statusCode, 404);
    assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
    assert.equal(res.json().status, 404);
  });

  test('healthz and readyz are green with a migrated database', async () => {
    assert.equal((await t.app.inject('/healthz')).statusCode, 200);
    const ready = await t.app.inject('/readyz');
    assert.equal(ready.statusCode, 200);
    assert.equal(ready.json().status, 'ready');
  });

  test('metrics need the configured token', async () => {
    assert.equal((await t.app.inject('/metrics')).statusCode, 401);
    assert.equal(
      (await t.app.inject({ url: '/metrics', headers: { authorization: 'Bearer wrong-token-wrong-token' } }))
        .statusCode,
      401,
    );
    const ok = await t.app.inject({
      url: '/metrics',
      headers: { authorization: 'Bearer metrics-token-for-tests' },
    });
    assert.equal(ok.statusCode, 200);
    assert.match(ok.body, /http_request_duration_seconds/);
    assert.match(ok.body, /covenant_outbox_pending 0/);
  });
});
