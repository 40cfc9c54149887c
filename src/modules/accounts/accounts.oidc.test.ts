/**
 * OpenID Connect sign-in against a mock issuer on 127.0.0.1 (node:http): discovery document, JWKS and a
 * token endpoint returning an ID token signed with a key made here. The browser's trip to /authorize is not
 * needed: the test reads state and nonce from the redirect and calls the callback with a code directly.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, jwtVerify, SignJWT, type JWK } from 'jose';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import type { Agent } from '../../../test/helpers/agent.ts';
import { createUser } from '../../../test/helpers/accounts.ts';

const CLIENT_ID = 'covenant-hub-test';
const CLIENT_SECRET = 'test-client-secret';

interface MockIssuer {
  url: string;
  /** Claims for the next ID token (sub, email, email_verified, name). */
  nextClaims: Record<string, unknown>;
  /** What the token endpoint last saw. */
  lastTokenRequest: { authorization?: string; body: URLSearchParams } | null;
  /** The PKCE challenge the authorisation request carried, by state. */
  challenges: Map<string, string>;
  clientKey?: JWK;
  close(): Promise<void>;
}

const readBody = (req: IncomingMessage) =>
  new Promise<string>((resolve) => {
    let data = '';
    req.on('data', (chunk: Buffer) => (data += chunk.toString()));
    req.on('end', () => resolve(data));
  });

async function startMockIssuer(): Promise<MockIssuer> {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
  const mock: MockIssuer = {
    url: '',
    nextClaims: {},
    lastTokenRequest: null,
    challenges: new Map(),
    close: async () => undefined,
  };
  const server: Server = createServer(async (req, res) => {
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.url === '/.well-known/openid-configuration')
      return json(200, {
        issuer: mock.url,
        authorization_endpoint: `${mock.url}/authorize`,
        token_endpoint: `${mock.url}/token`,
        jwks_uri: `${mock.url}/jwks`,
        response_types_supported: ['code'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256'],
        token_endpoint_auth_methods_supported: ['client_secret_basic', 'private_key_jwt'],
        code_challenge_methods_supported: ['S256'],
      });
    if (req.url === '/jwks') return json(200, { keys: [jwk] });
    if (req.url === '/token' && req.method === 'POST') {
      const body = new URLSearchParams(await readBody(req));
      mock.lastTokenRequest = { authorization: req.headers.authorization, body };
      const { nonce, state, ...claims } = mock.nextClaims as { nonce: string; state: string };
      // PKCE: the verifier must hash to the challenge sent with the authorisation request.
      const verifier = body.get('code_verifier') ?? '';
      const challenge = createHash('sha256').update(verifier).digest('base64url');
      if (mock.challenges.get(state) !== challenge) return json(400, { error: 'invalid_grant' });
      if (mock.clientKey) {
        const assertion = body.get('client_assertion') ?? '';
        try {
          await jwtVerify(assertion, mock.clientKey, { audience: [mock.url, `${mock.url}/token`] });
        } catch {
          return json(401, { error: 'invalid_client' });
        }
      }
      const now = Math.floor(Date.now() / 1000);
      const idToken = await new SignJWT({ ...claims, nonce })
        .setProtectedHeader({ alg: 'RS256', kid: 'test-key' })
        .setIssuer(mock.url)
        .setAudience(CLIENT_ID)
        .setIssuedAt(now)
        .setExpirationTime(now + 300)
        .sign(privateKey);
      return json(200, {
        access_token: 'mock-access-token',
        token_type: 'Bearer',
        expires_in: 300,
        id_token: idToken,
      });
    }
    json(404, { error: 'not_found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  mock.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  mock.close = () => new Promise((resolve) => server.close(() => resolve()));
  return mock;
}

/** Starts the flow, remembers what the authorisation request carried, and calls back with a code. */
async function oidcSignIn(
  t: TestApp,
  mock: MockIssuer,
  agent: Agent,
  claims: Record<string, unknown>,
  tamper: (params: URLSearchParams) => void = () => undefined,
) {
  const start = await agent.get('/sign-in/oidc?returnTo=%2Fyour-organisations');
  assert.equal(start.statusCode, 303);
  const authorize = new URL(String(start.headers.location));
  assert.equal(authorize.origin + authorize.pathname, `${mock.url}/authorize`);
  const state = authorize.searchParams.get('state')!;
  assert.equal(authorize.searchParams.get('code_challenge_method'), 'S256');
  assert.equal(authorize.searchParams.get('client_id'), CLIENT_ID);
  mock.challenges.set(state, authorize.searchParams.get('code_challenge')!);
  mock.nextClaims = { ...claims, nonce: authorize.searchParams.get('nonce'), state };
  const callback = new URLSearchParams({ code: 'mock-code', state });
  tamper(callback);
  return agent.get(`/sign-in/oidc/callback?${callback}`);
}

describe('OpenID Connect sign-in (client_secret_basic)', () => {
  let t: TestApp;
  let mock: MockIssuer;
  before(async () => {
    mock = await startMockIssuer();
    t = await createTestApp({
      OIDC_ISSUER: mock.url,
      OIDC_CLIENT_ID: CLIENT_ID,
      OIDC_CLIENT_SECRET: CLIENT_SECRET,
      OIDC_NAME: 'Test Login',
    });
  });
  after(async () => {
    await t.close();
    await mock.close();
  });

  test('the sign-in page offers the provider', async () => {
    const page = await t.agent().get('/sign-in');
    assert.match(page.body, /Sign in with Test Login/);
    assert.match(page.body, /href="\/sign-in\/oidc"/);
  });

  test('happy path: a new verified person gets an account, is signed in, and returns where they were', async () => {
    const agent = t.agent();
    const res = await oidcSignIn(t, mock, agent, {
      sub: 'subject-1',
      email: 'Olive@Example.org',
      email_verified: true,
      name: 'Olive Oidc',
    });
    assert.equal(res.statusCode, 303, res.body);
    assert.equal(res.headers.location, '/your-organisations');
    const basic = Buffer.from(
      String(mock.lastTokenRequest?.authorization).replace('Basic ', ''),
      'base64',
    ).toString();
    // RFC 6749 §2.3.1: both parts are form-urlencoded before base64.
    assert.deepEqual(basic.split(':').map(decodeURIComponent), [CLIENT_ID, CLIENT_SECRET]);
    const account = await agent.get('/account');
    assert.equal(account.statusCode, 200);
    assert.match(account.body, /Olive Oidc/);
    assert.match(account.body, /olive@example.org/);
    const user = await t.deps.accountsRepository.findUserByEmail('olive@example.org');
    assert.ok(user?.emailVerifiedAt);
    assert.equal(user?.passwordHash, null);

    const again = await oidcSignIn(t, mock, t.agent(), {
      sub: 'subject-1',
      email: 'changed@example.org',
      email_verified: true,
    });
    assert.equal(again.statusCode, 303);
    const identity = await t.deps.accountsRepository.findExternalIdentity(mock.url, 'subject-1');
    assert.equal(identity?.userId, user?.id, 'the same account by subject, whatever the email says now');
  });

  test('links an existing account when the provider has verified the address', async () => {
    const existing = await createUser(t.deps, { email: 'linked@example.org' });
    const res = await oidcSignIn(t, mock, t.agent(), {
      sub: 'subject-2',
      email: 'linked@example.org',
      email_verified: true,
    });
    assert.equal(res.statusCode, 303);
    assert.equal(
      (await t.deps.accountsRepository.findExternalIdentity(mock.url, 'subject-2'))?.userId,
      existing.id,
    );
  });

  test('an unverified address is not linked or used', async () => {
    await createUser(t.deps, { email: 'victim@example.org' });
    const res = await oidcSignIn(t, mock, t.agent(), {
      sub: 'subject-3',
      email: 'victim@example.org',
      email_verified: false,
    });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /did not confirm your email address/);
    assert.equal(await t.deps.accountsRepository.findExternalIdentity(mock.url, 'subject-3'), undefined);
  });

  test('a bad state is refused and nobody is signed in', async () => {
    const agent = t.agent();
    const res = await oidcSignIn(
      t,
      mock,
      agent,
      { sub: 'subject-4', email: 'x4@example.org', email_verified: true },
      (p) => p.set('state', 'forged-state'),
    );
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /we could not sign you in/);
    assert.equal((await agent.get('/account')).statusCode, 303);
    assert.equal(await t.deps.accountsRepository.findUserByEmail('x4@example.org'), undefined);
  });

  test('a callback without the flow cookie is refused', async () => {
    const res = await t.agent().get('/sign-in/oidc/callback?code=mock-code&state=anything');
    assert.equal(res.statusCode, 400);
  });
});

describe('OpenID Connect sign-in (private_key_jwt)', () => {
  let t: TestApp;
  let mock: MockIssuer;
  before(async () => {
    mock = await startMockIssuer();
    const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
    mock.clientKey = await exportJWK(publicKey);
    const privateJwk = { ...(await exportJWK(privateKey)), kid: 'client-key', alg: 'ES256' };
    t = await createTestApp({
      OIDC_ISSUER: mock.url,
      OIDC_CLIENT_ID: CLIENT_ID,
      OIDC_PRIVATE_KEY: JSON.stringify(privateJwk),
    });
  });
  after(async () => {
    await t.close();
    await mock.close();
  });

  test('authenticates to the token endpoint with a signed client assertion', async () => {
    const res = await oidcSignIn(t, mock, t.agent(), {
      sub: 'pk-1',
      email: 'pk@example.org',
      email_verified: true,
    });
    assert.equal(res.statusCode, 303, res.body);
    assert.equal(
      mock.lastTokenRequest?.body.get('client_assertion_type'),
      'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    );
    assert.equal(mock.lastTokenRequest?.authorization, undefined);
  });
});

describe('OpenID Connect when not configured', () => {
  test('the routes and the button do not exist', async () => {
    const t = await createTestApp();
    try {
      assert.equal((await t.agent().get('/sign-in/oidc')).statusCode, 404);
      assert.doesNotMatch((await t.agent().get('/sign-in')).body, /Sign in with/);
    } finally {
      await t.close();
    }
  });
});
