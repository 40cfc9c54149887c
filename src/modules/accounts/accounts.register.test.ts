import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, linkFrom, type TestApp } from '../../../test/helpers/app.ts';
import { createUser, signIn } from '../../../test/helpers/accounts.ts';

const GOOD = 'velvet orbit canyon';

describe('registration and email verification', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp({
      RATE_LIMIT_FORMS_PER_MINUTE: '1000',
      RATE_LIMIT_SIGN_IN_PER_15_MINUTES: '1000',
    });
  });
  after(() => t.close());

  const register = (form: Record<string, string>) =>
    t.agent().submit('/register', {
      name: 'Ada Lovelace',
      email: 'ada@example.org',
      password: GOOD,
      confirmPassword: GOOD,
      ...form,
    });

  const rules: [string, Record<string, string>, string, string][] = [
    ['name missing', { name: '  ' }, 'name', 'Enter your full name'],
    ['name too long', { name: 'x'.repeat(101) }, 'name', 'Full name must be 100 characters or fewer'],
    ['email missing', { email: '' }, 'email', 'Enter your email address'],
    [
      'email malformed',
      { email: 'ada.example.org' },
      'email',
      'Enter an email address in the correct format, like name@example.com',
    ],
    [
      'email too long',
      { email: `${'a'.repeat(250)}@example.org` },
      'email',
      'Email address must be 254 characters or fewer',
    ],
    ['password missing', { password: '', confirmPassword: '' }, 'password', 'Enter a password'],
    [
      'password too short',
      { password: 'short pass', confirmPassword: 'short pass' },
      'password',
      'Password must be 12 characters or more',
    ],
    [
      'password too long',
      { password: 'a1'.repeat(129), confirmPassword: 'a1'.repeat(129) },
      'password',
      'Password must be 256 characters or fewer',
    ],
    [
      'password on the blocklist',
      { password: 'password1234', confirmPassword: 'password1234' },
      'password',
      'Choose a password that is harder to guess',
    ],
    [
      'password contains the email',
      { email: 'lovelace@example.org', password: 'lovelace-rules-ok', confirmPassword: 'lovelace-rules-ok' },
      'password',
      'Password must not contain your email address',
    ],
    [
      'confirmation missing',
      { confirmPassword: '' },
      'confirmPassword',
      'Enter your password again to confirm it',
    ],
    [
      'confirmation different',
      { confirmPassword: `${GOOD}!` },
      'confirmPassword',
      'The passwords you entered do not match',
    ],
  ];
  for (const [name, form, field, message] of rules) {
    test(`refuses ${name} with a 422 error summary, keeping the answers but not the password`, async () => {
      const res = await register(form);
      assert.equal(res.statusCode, 422);
      assert.match(res.body, /govuk-error-summary/);
      assert.ok(res.body.includes(`href="#${field}"`), `summary links to #${field}`);
      assert.ok(res.body.includes(message), message);
      assert.match(res.body, /<title>Error: /);
      if (field !== 'name') assert.ok(res.body.includes('value="Ada Lovelace"'), 'name kept');
      const password = form.password ?? GOOD;
      if (password) assert.ok(!res.body.includes(`value="${password}"`), 'password not echoed');
    });
  }

  test('a new person gets a single-use verification link that confirms the address', async () => {
    const res = await register({ email: 'grace@example.org', name: 'Grace Hopper' });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/register/check-your-email');
    await t.deliverEmails();
    const link = linkFrom(t.mail.lastTo('grace@example.org'), '/verify-email/');
    const agent = t.agent();
    const user = await t.deps.accountsRepository.findUserByEmail('grace@example.org');
    assert.equal(user?.emailVerifiedAt, null);

    const first = await agent.get(link);
    assert.equal(first.statusCode, 200);
    assert.match(first.body, /Email address confirmed/);
    assert.ok((await t.deps.accountsRepository.findUserByEmail('grace@example.org'))?.emailVerifiedAt);

    const second = await agent.get(link);
    assert.equal(second.statusCode, 400);
    assert.match(second.body, /expired or has already been used/);
  });

  test('a verification link expires after 24 hours', async () => {
    await register({ email: 'late@example.org' });
    await t.deliverEmails();
    const link = linkFrom(t.mail.lastTo('late@example.org'), '/verify-email/');
    t.clock.advance(24 * 3_600_000 + 1000);
    const res = await t.agent().get(link);
    assert.equal(res.statusCode, 400);
    assert.equal(
      (await t.deps.accountsRepository.findUserByEmail('late@example.org'))?.emailVerifiedAt,
      null,
    );
  });

  test('registering a known address reveals nothing and emails its owner instead', async () => {
    const existing = await createUser(t.deps, { email: 'known@example.org' });
    const res = await register({ email: 'KNOWN@example.org' });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/register/check-your-email');
    await t.deliverEmails();
    const email = t.mail.lastTo(existing.email);
    assert.equal(email?.subject, 'You already have an account');
    const row = await t.deps.accountsRepository.findUserByEmail('known@example.org');
    assert.equal(row?.displayName, 'Test Person', 'the existing account is unchanged');
  });

  test('an unverified person can sign in, sees a banner, and can ask for a new link', async () => {
    const user = await createUser(t.deps, { verified: false });
    const agent = t.agent();
    const res = await signIn(agent, user);
    assert.equal(res.statusCode, 303);
    const account = await agent.get('/account');
    assert.match(account.body, /Confirm your email address to act for an organisation/);
    const resend = await agent.submit('/account/verify-email', {});
    assert.equal(resend.statusCode, 303);
    await t.deliverEmails();
    const link = linkFrom(t.mail.lastTo(user.email), '/verify-email/');
    assert.equal((await agent.get(link)).statusCode, 200);
    const after = await agent.get('/account');
    assert.doesNotMatch(after.body, /Confirm your email address to act for an organisation/);
  });
});
