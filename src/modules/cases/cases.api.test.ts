import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { eq } from 'drizzle-orm';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { createUser, signIn, type TestUser } from '../../../test/helpers/accounts.ts';
import { buildCase, createTestOrganisation } from '../../../test/helpers/cases.ts';
import type { Agent } from '../../../test/helpers/agent.ts';
import { apiTokens } from './cases.handling.tables.ts';
import { casePaths } from './cases.paths.ts';

describe('body API', () => {
  let t: TestApp;
  let bodyA: { id: string; name: string };
  let bodyB: { id: string; name: string };
  let lead: TestUser;
  let leadAgent: Agent;

  before(async () => {
    t = await createTestApp();
    bodyA = await createTestOrganisation(t.deps, { name: 'Body A' });
    bodyB = await createTestOrganisation(t.deps, { name: 'Body B' });
    lead = await createUser(t.deps, { roles: [{ role: 'body_lead', organisationId: bodyA.id }], totp: true });
    leadAgent = t.agent();
    await signIn(leadAgent, lead);
  });
  after(() => t.close());

  async function createToken(name = 'Case system') {
    const res = await leadAgent.submit(casePaths.apiTokens(), { bodyId: bodyA.id, name });
    assert.equal(res.statusCode, 201);
    const token = /(chb_[A-Za-z0-9_-]+)/.exec(res.body)?.[1];
    assert.ok(token, 'the token is shown once on the page');
    return token;
  }
  const api = (token: string | null, method: 'GET' | 'POST', url: string, payload?: object) =>
    t.app.inject({
      method,
      url,
      headers: token ? { authorization: `Bearer ${token}` } : {},
      ...(payload ? { payload } : {}),
    });

  test('a token is stored hashed, lists and reads only its own body’s cases, and acts with a version', async () => {
    const token = await createToken();
    const rows = await t.deps.db.get().select().from(apiTokens).where(eq(apiTokens.bodyId, bodyA.id));
    assert.equal(rows.length, 1);
    assert.notEqual(rows[0]!.tokenHash, token);
    assert.ok(!rows[0]!.tokenHash.includes(token));
    const again = await leadAgent.get(casePaths.apiTokens());
    assert.ok(!again.body.includes(token), 'never shown again');

    const mine = await buildCase(t.deps, { state: 'with_body', body: bodyA, confidentiality: 'withheld' });
    const theirs = await buildCase(t.deps, { state: 'with_body', body: bodyB });
    const list = await api(token, 'GET', casePaths.apiCases());
    assert.equal(list.statusCode, 200);
    const refs = list.json().data.map((c: { reference: string }) => c.reference);
    assert.deepEqual(refs, [mine.reference]);
    assert.equal(list.json().data[0].reporter, 'Identity withheld');

    const read = await api(token, 'GET', casePaths.apiCase({ reference: mine.reference }));
    assert.equal(read.statusCode, 200);
    assert.equal(read.json().respondBy.due, '2026-02-02');
    const other = await api(token, 'GET', casePaths.apiCase({ reference: theirs.reference }));
    assert.equal(other.statusCode, 404);
    assert.equal(other.json().status, 404);
    const otherAct = await api(token, 'POST', casePaths.apiCaseActions({ reference: theirs.reference }), {
      action: 'acknowledge',
      expectedVersion: 1,
    });
    assert.equal(otherAct.statusCode, 404);

    const ack = await api(token, 'POST', casePaths.apiCaseActions({ reference: mine.reference }), {
      action: 'acknowledge',
      expectedVersion: 1,
    });
    assert.equal(ack.statusCode, 200);
    assert.equal(ack.json().version, 2);
    const stale = await api(token, 'POST', casePaths.apiCaseActions({ reference: mine.reference }), {
      action: 'respond',
      expectedVersion: 1,
      text: 'Answer',
    });
    assert.equal(stale.statusCode, 409);
    assert.match(String(stale.headers['content-type']), /problem\+json/);
    const noText = await api(token, 'POST', casePaths.apiCaseActions({ reference: mine.reference }), {
      action: 'respond',
      expectedVersion: 2,
    });
    assert.equal(noText.statusCode, 422);
    const respond = await api(token, 'POST', casePaths.apiCaseActions({ reference: mine.reference }), {
      action: 'respond',
      expectedVersion: 2,
      text: 'Answer',
    });
    assert.equal(respond.json().state, 'responded');
    const bad = await api(token, 'POST', casePaths.apiCaseActions({ reference: mine.reference }), {
      action: 'close',
      expectedVersion: 3,
    });
    assert.equal(bad.statusCode, 400, 'only the API’s actions are accepted');
  });

  test('no token, a wrong token and a revoked token get 401', async () => {
    const token = await createToken('To revoke');
    assert.equal((await api(null, 'GET', casePaths.apiCases())).statusCode, 401);
    assert.equal((await api('chb_nope', 'GET', casePaths.apiCases())).statusCode, 401);
    assert.equal((await api(token, 'GET', casePaths.apiCases())).statusCode, 200);
    const [row] = await t.deps.db.get().select().from(apiTokens).where(eq(apiTokens.name, 'To revoke'));
    assert.ok(row!.lastUsedAt, 'last use is recorded');
    const revoke = await leadAgent.submit(
      casePaths.apiTokens(),
      {},
      casePaths.apiTokenRevoke({ tokenId: row!.id }),
    );
    assert.equal(revoke.statusCode, 303);
    assert.equal((await api(token, 'GET', casePaths.apiCases())).statusCode, 401);
  });

  test('an officer (not the lead) cannot manage tokens; the endpoints are in the OpenAPI document', async () => {
    const officer = await createUser(t.deps, {
      roles: [{ role: 'body_officer', organisationId: bodyA.id }],
      totp: true,
    });
    const agent = t.agent();
    await signIn(agent, officer);
    assert.equal((await agent.get(casePaths.apiTokens())).statusCode, 403);
    const doc = await t.app.inject({ url: '/api/openapi.json' });
    assert.equal(doc.statusCode, 200);
    const paths = Object.keys(doc.json().paths);
    assert.ok(paths.includes('/api/v1/body/cases'));
    assert.ok(paths.includes('/api/v1/body/cases/{reference}/actions'));
    assert.equal(doc.json().components.securitySchemes.bearerAuth.scheme, 'bearer');
  });
});
