import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { csrfTokenIn } from '../../../test/helpers/agent.ts';
import { createUser, signIn, TEST_PASSWORD } from '../../../test/helpers/accounts.ts';
import { lockoutMinutes } from './accounts.service.ts';

const MINUTE = 60_000;

describe('sign in, sessions and sign out', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp({
      RATE_LIMIT_FORMS_PER_MINUTE: '1000',
      RATE_LIMIT_SIGN_IN_PER_15_MINUTES: '1000',
    });
  });
  after(() => t.close());

  const attempt = (email: string, password: string) => t.agent().submit('/sign-in', { email, password });

  test('sign-in form: each missing answer has its own message', async () => {
    const noEmail = await t.agent().submit('/sign-in', { email: '', password: 'x' });
    assert.equal(noEmail.statusCode, 422);
    assert.match(noEmail.body, /govuk-error-summary/);
    assert.match(noEmail.body, /Enter your email address/);
    const noPassword = await t.agent().submit('/sign-in', { email: 'someone@example.org', password: '' });
    assert.equal(noPassword.statusCode, 422);
    assert.match(noPassword.body, /Enter your password/);
    assert.match(noPassword.body, /value="someone@example.org"/);
    const badEmail = await t.agent().submit('/sign-in', { email: 'nope', password: 'x' });
    assert.match(badEmail.body, /Enter an email address in the correct format/);
  });

  test('signs in with a new session id (rotation), a session cookie, and returns to a safe path', async () => {
    const user = await createUser(t.deps);
    const agent = t.agent();
    await agent.get('/sign-in');
    agent.cookies.set('covenant_session', 'planted-by-an-attacker');
    const res = await agent.submit('/sign-in', {
      email: user.email,
      password: TEST_PASSWORD,
      returnTo: '/account',
    });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/account');
    const cookie = String(res.headers['set-cookie'])
      .split(/,(?=\s*covenant)/)
      .find((c) => c.includes('covenant_session='))!;
    assert.ok(!cookie.includes('planted-by-an-attacker'));
    assert.match(cookie, /HttpOnly/i);
    assert.match(cookie, /SameSite=Lax/i);
    assert.match(cookie, /Path=\//);
    assert.doesNotMatch(cookie, /Max-Age|Expires/i, 'a browser-session cookie');
    assert.equal((await agent.get('/account')).statusCode, 200);
  });

  test('returnTo refuses other sites', async () => {
    const user = await createUser(t.deps);
    const res = await signIn(t.agent(), user, '//evil.example/steal');
    assert.equal(res.headers.location, '/account');
  });

  test('the same message for an unknown address and a wrong password', async () => {
    const user = await createUser(t.deps);
    const unknown = await attempt('nobody-here@example.org', TEST_PASSWORD);
    const wrong = await attempt(user.email, 'not the password');
    for (const res of [unknown, wrong]) {
      assert.equal(res.statusCode, 422);
      assert.match(res.body, /Enter a correct email address and password/);
      assert.ok(!res.body.includes('not the password'));
    }
  });

  test('lockout: 5 failures lock for 1 minute, each further failure doubles it up to an hour', async () => {
    assert.deepEqual([4, 5, 6, 7, 8, 10, 11, 20].map(lockoutMinutes), [0, 1, 2, 4, 8, 32, 60, 60]);
    const user = await createUser(t.deps);
    for (let i = 0; i < 4; i++)
      assert.match((await attempt(user.email, 'wrong')).body, /Enter a correct email/);
    const fifth = await attempt(user.email, 'wrong');
    assert.match(
      fifth.body,
      /Your account is locked because of too many attempts to sign in. Try again in 1 minute/,
    );
    // While locked, even the right password gets the locked message: it does not say whether it was right.
    const right = await attempt(user.email, TEST_PASSWORD);
    assert.equal(right.statusCode, 422);
    assert.match(right.body, /account is locked/);
    const wrongWhileLocked = await attempt(user.email, 'wrong');
    assert.equal(
      wrongWhileLocked.body.match(/account is locked[^<]*/)?.[0],
      right.body.match(/account is locked[^<]*/)?.[0],
    );

    t.clock.advance(MINUTE + 1000);
    const sixth = await attempt(user.email, 'wrong');
    assert.match(sixth.body, /Try again in 2 minutes/);
    t.clock.advance(2 * MINUTE + 1000);
    assert.match((await attempt(user.email, 'wrong')).body, /Try again in 4 minutes/);

    const audits = await t.deps.audit.list({ entityType: 'user', entityId: user.id });
    assert.equal(audits.filter((a) => a.action === 'account.locked').length, 3);
  });

  test('a successful sign-in resets the failure count', async () => {
    const user = await createUser(t.deps);
    for (let i = 0; i < 4; i++) await attempt(user.email, 'wrong');
    assert.equal((await signIn(t.agent(), user)).statusCode, 303);
    for (let i = 0; i < 4; i++) await attempt(user.email, 'wrong');
    assert.equal((await signIn(t.agent(), user)).statusCode, 303, 'still not locked: the count restarted');
  });

  test('session idle expiry after 30 minutes without a request', async () => {
    const user = await createUser(t.deps);
    const agent = t.agent();
    await signIn(agent, user);
    t.clock.advance(29 * MINUTE);
    assert.equal((await agent.get('/account')).statusCode, 200, 'activity keeps it alive');
    t.clock.advance(29 * MINUTE);
    assert.equal((await agent.get('/account')).statusCode, 200);
    t.clock.advance(31 * MINUTE);
    const res = await agent.get('/account');
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/sign-in?returnTo=%2Faccount');
  });

  test('session absolute expiry after 12 hours, however active', async () => {
    const user = await createUser(t.deps);
    const agent = t.agent();
    await signIn(agent, user);
    for (let i = 0; i < 24; i++) {
      t.clock.advance(29 * MINUTE);
      await agent.get('/account');
    }
    // 11 h 36 min so far: still signed in.
    assert.equal((await agent.get('/account')).statusCode, 200);
    t.clock.advance(25 * MINUTE);
    assert.equal((await agent.get('/account')).statusCode, 303);
  });

  test('sign out ends the session; the GET page offers a button', async () => {
    const user = await createUser(t.deps);
    const agent = t.agent();
    await signIn(agent, user);
    const page = await agent.get('/sign-out');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<form method="post" action="\/sign-out"/);
    const stolenCookie = agent.cookies.get('covenant_session')!;
    const res = await agent.submit('/sign-out', {});
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/sign-in');
    const replay = t.agent();
    replay.cookies.set('covenant_session', stolenCookie);
    assert.equal((await replay.get('/account')).statusCode, 303, 'the old cookie no longer works');
  });

  test('sign out everywhere ends every session, this one included', async () => {
    const user = await createUser(t.deps);
    const laptop = t.agent();
    const phone = t.agent();
    await signIn(laptop, user);
    await signIn(phone, user);
    const account = await laptop.get('/account');
    assert.match(account.body, /Devices signed in[\s\S]*?2\s*</);
    const res = await laptop.submit('/account/sign-out-everywhere', {});
    assert.equal(res.statusCode, 303);
    assert.equal((await laptop.get('/account')).statusCode, 303);
    assert.equal((await phone.get('/account')).statusCode, 303);
    const audits = await t.deps.audit.list({ entityId: user.id });
    assert.ok(audits.some((a) => a.action === 'account.signed_out_everywhere'));
  });

  test('change password: checks the current one, applies the rules, ends other sessions', async () => {
    const user = await createUser(t.deps);
    const laptop = t.agent();
    const phone = t.agent();
    await signIn(laptop, user);
    await signIn(phone, user);
    const wrong = await laptop.submit('/account/change-password', {
      currentPassword: 'not it',
      password: 'pebble thunder mango',
      confirmPassword: 'pebble thunder mango',
    });
    assert.equal(wrong.statusCode, 422);
    assert.match(wrong.body, /The current password you entered is not right/);
    const short = await laptop.submit('/account/change-password', {
      currentPassword: TEST_PASSWORD,
      password: 'short',
      confirmPassword: 'short',
    });
    assert.equal(short.statusCode, 422);
    assert.match(short.body, /Password must be 12 characters or more/);
    const ok = await laptop.submit('/account/change-password', {
      currentPassword: TEST_PASSWORD,
      password: 'pebble thunder mango',
      confirmPassword: 'pebble thunder mango',
    });
    assert.equal(ok.statusCode, 303);
    assert.equal((await laptop.get('/account')).statusCode, 200, 'this session stays');
    assert.equal((await phone.get('/account')).statusCode, 303, 'the other session ended');
    const again = await signIn(t.agent(), { ...user, password: 'pebble thunder mango' });
    assert.equal(again.headers.location, '/account');
  });

  test('a disabled account cannot sign in', async () => {
    const user = await createUser(t.deps);
    await t.deps.accountsRepository.updateUser(user.id, { disabledAt: t.clock.now() });
    const res = await attempt(user.email, TEST_PASSWORD);
    assert.equal(res.statusCode, 422);
    assert.match(res.body, /This account has been disabled/);
  });

  test('CSRF: a POST without a token, or with a wrong one, gets the 403 page', async () => {
    const user = await createUser(t.deps);
    const agent = t.agent();
    await signIn(agent, user);
    const none = await agent.request('POST', '/account/sign-out-everywhere', { form: {} });
    assert.equal(none.statusCode, 403);
    assert.match(none.body, /Your form could not be sent/);
    const page = await agent.get('/account/sign-out-everywhere');
    assert.ok(csrfTokenIn(page.body));
    const wrong = await agent.request('POST', '/account/sign-out-everywhere', {
      form: { _csrf: 'forged-token' },
    });
    assert.equal(wrong.statusCode, 403);
    assert.equal((await agent.get('/account')).statusCode, 200, 'nothing happened');
    const anonymous = await t
      .agent()
      .request('POST', '/sign-in', { form: { email: user.email, password: TEST_PASSWORD } });
    assert.equal(anonymous.statusCode, 403);
  });

  test('signed-in pages send anonymous people to sign in', async () => {
    for (const url of [
      '/account',
      '/account/change-password',
      '/account/sign-out-everywhere',
      '/your-organisations',
    ]) {
      const res = await t.agent().get(url);
      assert.equal(res.statusCode, 303, url);
      assert.equal(res.headers.location, `/sign-in?returnTo=${encodeURIComponent(url)}`);
    }
  });
});

describe('rate limits', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp({ RATE_LIMIT_SIGN_IN_PER_15_MINUTES: '3', RATE_LIMIT_FORMS_PER_MINUTE: '2' });
  });
  after(() => t.close());

  test('sign-in returns the 429 page after the limit', async () => {
    const agent = t.agent();
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++)
      statuses.push((await agent.submit('/sign-in', { email: 'x@example.org', password: 'y' })).statusCode);
    assert.deepEqual(statuses, [422, 422, 422, 429]);
    const last = await agent.submit('/sign-in', { email: 'x@example.org', password: 'y' });
    assert.match(last.body, /Too many attempts/);
  });

  test('forgot password and register are limited too', async () => {
    const agent = t.agent();
    const forgot: number[] = [];
    for (let i = 0; i < 4; i++)
      forgot.push((await agent.submit('/forgot-password', { email: 'x@example.org' })).statusCode);
    assert.deepEqual(forgot, [303, 303, 303, 429]);
    const register: number[] = [];
    for (let i = 0; i < 3; i++) register.push((await agent.submit('/register', { name: '' })).statusCode);
    assert.deepEqual(register, [422, 422, 429]);
  });
});
