import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import type { Agent } from '../../../test/helpers/agent.ts';
import {
  createOrganisation,
  createUser,
  signIn,
  TEST_PASSWORD,
  type TestUser,
} from '../../../test/helpers/accounts.ts';
import { hotp, totpCode, totpStep } from '../../platform/auth/totp.ts';

const STEP = 30_000;

describe('two-factor authentication', () => {
  let t: TestApp;
  let bodyId: string;
  before(async () => {
    t = await createTestApp({
      RATE_LIMIT_FORMS_PER_MINUTE: '1000',
      RATE_LIMIT_SIGN_IN_PER_15_MINUTES: '1000',
    });
    bodyId = (await createOrganisation(t.deps, { kind: 'public_body' })).id;
  });
  after(() => t.close());

  /** Email and password only: leaves the agent at the second-factor step. */
  async function firstFactor(agent: Agent, user: TestUser) {
    const res = await agent.submit('/sign-in', { email: user.email, password: TEST_PASSWORD });
    assert.equal(res.statusCode, 303);
    return String(res.headers.location);
  }
  const sendCode = (agent: Agent, code: string) => agent.submit('/sign-in/two-factor', { code });
  const stepCode = (user: TestUser, offset: number) =>
    hotp(user.totpSecret!, totpStep(t.clock.now()) + offset);

  test('a staff member cannot reach any signed-in page before setting up 2FA, then sets it up', async () => {
    const officer = await createUser(t.deps, { roles: [{ role: 'body_officer', organisationId: bodyId }] });
    const agent = t.agent();
    assert.equal(await firstFactor(agent, officer), '/account/two-factor/set-up?returnTo=%2Faccount');
    for (const url of [
      '/account',
      '/your-organisations',
      '/account/change-password',
      `/organisations/${bodyId}/members`,
    ]) {
      const res = await agent.get(url);
      assert.equal(res.statusCode, 303, url);
      assert.equal(res.headers.location, '/account/two-factor/set-up', url);
    }
    const page = await agent.get('/account/two-factor/set-up');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Your role needs two-factor authentication/);
    const secret = /data-testid="totp-secret">([A-Z2-7]+)</.exec(page.body)?.[1];
    assert.ok(secret, 'the base32 secret is shown');
    assert.match(page.body, /otpauth:\/\/totp\//);
    assert.equal(
      (await agent.get('/account/two-factor/set-up')).body.includes(secret),
      true,
      'stable on reload',
    );

    const wrong = await agent.submit('/account/two-factor/set-up', { code: '000000' });
    assert.equal(wrong.statusCode, 422);
    assert.match(wrong.body, /The security code is not right/);
    const malformed = await agent.submit('/account/two-factor/set-up', { code: '12ab' });
    assert.match(malformed.body, /Enter the 6-digit security code/);
    const empty = await agent.submit('/account/two-factor/set-up', { code: '' });
    assert.match(empty.body, /Enter the security code/);

    const before = agent.cookies.get('covenant_session');
    const done = await agent.submit('/account/two-factor/set-up', { code: totpCode(secret, t.clock.now()) });
    assert.equal(done.statusCode, 200);
    const codes = [...done.body.matchAll(/<li>([a-z2-7]{5}-[a-z2-7]{5})<\/li>/g)].map((m) => m[1]);
    assert.equal(codes.length, 10, 'ten recovery codes shown once');
    assert.notEqual(
      agent.cookies.get('covenant_session'),
      before,
      'a new session id after the second factor',
    );
    assert.equal((await agent.get('/account')).statusCode, 200);
  });

  test('a staff member with 2FA must pass it: pending sessions open only the code page', async () => {
    const lead = await createUser(t.deps, {
      roles: [{ role: 'body_lead', organisationId: bodyId }],
      totp: true,
    });
    const agent = t.agent();
    assert.equal(await firstFactor(agent, lead), '/sign-in/two-factor?returnTo=%2Faccount');
    const blocked = await agent.get('/account');
    assert.equal(blocked.headers.location, '/sign-in/two-factor');
    const page = await agent.get('/sign-in/two-factor');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /autocomplete="one-time-code"/);
    const empty = await sendCode(agent, '');
    assert.equal(empty.statusCode, 422);
    assert.match(empty.body, /Enter the security code/);
    const ok = await sendCode(agent, stepCode(lead, 0));
    assert.equal(ok.statusCode, 303);
    assert.equal((await agent.get('/account')).statusCode, 200);
  });

  test('TOTP window: one step either side is accepted, two steps are refused', async () => {
    for (const offset of [-1, 1]) {
      const user = await createUser(t.deps, { totp: true });
      const agent = t.agent();
      await firstFactor(agent, user);
      assert.equal((await sendCode(agent, stepCode(user, offset))).statusCode, 303, `offset ${offset}`);
    }
    for (const offset of [-2, 2]) {
      const user = await createUser(t.deps, { totp: true });
      const agent = t.agent();
      await firstFactor(agent, user);
      const res = await sendCode(agent, stepCode(user, offset));
      assert.equal(res.statusCode, 422, `offset ${offset}`);
      assert.match(res.body, /Enter a correct security code or recovery code/);
    }
  });

  test('replay: the same code cannot be used twice, nor an earlier one', async () => {
    const user = await createUser(t.deps, { totp: true });
    const code = stepCode(user, 0);
    const first = t.agent();
    await firstFactor(first, user);
    assert.equal((await sendCode(first, code)).statusCode, 303);
    const second = t.agent();
    await firstFactor(second, user);
    assert.equal((await sendCode(second, code)).statusCode, 422, 'same code refused');
    assert.equal((await sendCode(second, stepCode(user, -1))).statusCode, 422, 'earlier step refused');
    t.clock.advance(STEP);
    assert.equal((await sendCode(second, stepCode(user, 0))).statusCode, 303, 'the next step works');
  });

  test('recovery codes: each works once, and can be regenerated from the account page', async () => {
    const user = await createUser(t.deps, { totp: true });
    const agent = t.agent();
    await signIn(agent, user);
    const regenerate = await agent.get('/account/two-factor/recovery-codes');
    assert.match(regenerate.body, /You have 0 recovery codes left/);
    const page = await agent.submit('/account/two-factor/recovery-codes', {});
    const codes = [...page.body.matchAll(/<li>([a-z2-7]{5}-[a-z2-7]{5})<\/li>/g)].map((m) => m[1]!);
    assert.equal(codes.length, 10);

    const phoneless = t.agent();
    await firstFactor(phoneless, user);
    const used = await sendCode(phoneless, codes[0]!.toUpperCase().replace('-', ' '));
    assert.equal(used.statusCode, 303, 'case and separators do not matter');
    assert.match((await phoneless.get('/account')).body, /You have 9 left/);

    const again = t.agent();
    await firstFactor(again, user);
    assert.equal((await sendCode(again, codes[0]!)).statusCode, 422, 'a used code is refused');
    assert.equal((await sendCode(again, codes[1]!)).statusCode, 303);

    await agent.submit('/account/two-factor/recovery-codes', {});
    const old = t.agent();
    await firstFactor(old, user);
    assert.equal((await sendCode(old, codes[2]!)).statusCode, 422, 'old codes stop working when regenerated');
  });

  test('wrong codes count towards the lockout', async () => {
    const user = await createUser(t.deps, { totp: true });
    const agent = t.agent();
    await firstFactor(agent, user);
    for (let i = 0; i < 4; i++) assert.equal((await sendCode(agent, '999999')).statusCode, 422);
    const locked = await sendCode(agent, '999999');
    assert.match(locked.body, /account is locked/);
    const right = await sendCode(agent, stepCode(user, 0));
    assert.match(right.body, /account is locked/, 'not checked while locked');
  });

  test('a person without a staff role can turn 2FA on; their next sign-in asks for a code', async () => {
    const user = await createUser(t.deps);
    const agent = t.agent();
    await signIn(agent, user);
    const page = await agent.get('/account/two-factor/set-up');
    const secret = /data-testid="totp-secret">([A-Z2-7]+)</.exec(page.body)![1]!;
    const done = await agent.submit('/account/two-factor/set-up', { code: totpCode(secret, t.clock.now()) });
    assert.equal(done.statusCode, 200);
    assert.match((await agent.get('/account')).body, /On \(authenticator app\)/);
    const next = t.agent();
    assert.match(await firstFactor(next, user), /^\/sign-in\/two-factor/);
  });
});
