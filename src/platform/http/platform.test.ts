import { createHash } from 'node:crypto';
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

  test('the CSP allows our own script files and, by hash, only the inline scripts the pages contain', async () => {
    for (const url of ['/', '/covenant', '/sign-in', '/no-such-page']) {
      const res = await t.agent().get(url);
      const csp = String(res.headers['content-security-policy']);
      const scriptSrc = /script-src ([^;]+)/.exec(csp)?.[1]?.split(' ') ?? [];
      assert.deepEqual(scriptSrc.slice(0, 1), ["'self'"], csp);
      assert.ok(!scriptSrc.includes("'unsafe-inline'") && !csp.includes('nonce-'), csp);
      const inline = [...res.body.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)].filter(
        ([, attributes]) => !/\bsrc=/.test(attributes!),
      );
      assert.ok(inline.length >= 1, url);
      for (const [, , code] of inline) {
        const hash = `'sha256-${createHash('sha256').update(code!).digest('base64')}'`;
        assert.ok(scriptSrc.includes(hash), `${url}: an inline script is not allowed by ${csp}`);
      }
      assert.match(res.body, /<script type="module" src="\/public\/app.js"><\/script>/);
      assert.equal(res.headers['x-content-type-options'], 'nosniff');
      assert.match(csp, /frame-ancestors 'none'/);
    }
    const script = await t.agent().get('/public/app.js');
    assert.equal(script.statusCode, 200);
    assert.match(String(script.headers['content-type']), /javascript/);
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
