import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, linkFrom, type TestApp } from '../../../test/helpers/app.ts';
import { createUser, signIn, type TestUser } from '../../../test/helpers/accounts.ts';

const NEW = 'pebble thunder mango';

describe('password reset', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp({
      RATE_LIMIT_FORMS_PER_MINUTE: '1000',
      RATE_LIMIT_SIGN_IN_PER_15_MINUTES: '1000',
    });
  });
  after(() => t.close());

  async function requestLink(user: TestUser): Promise<string> {
    const res = await t.agent().submit('/forgot-password', { email: user.email });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/forgot-password/check-your-email');
    await t.deliverEmails();
    return linkFrom(t.mail.lastTo(user.email), '/reset-password/');
  }
  const reset = (link: string, password = NEW, confirmPassword = password) =>
    t.agent().submit(link, { password, confirmPassword });

  test('forgot password: email missing or malformed is a 422 with the error summary', async () => {
    const empty = await t.agent().submit('/forgot-password', { email: '' });
    assert.equal(empty.statusCode, 422);
    assert.match(empty.body, /govuk-error-summary[\s\S]*Enter your email address/);
    const bad = await t.agent().submit('/forgot-password', { email: 'bad@' });
    assert.match(bad.body, /Enter an email address in the correct format/);
    assert.match(bad.body, /value="bad@"/);
  });

  test('an unknown address gets the same page and no email', async () => {
    const before = t.mail.sent.length;
    const res = await t.agent().submit('/forgot-password', { email: 'nobody@example.org' });
    assert.equal(res.headers.location, '/forgot-password/check-your-email');
    await t.deliverEmails();
    assert.equal(t.mail.sent.length, before);
  });

  test('a reset link works once, ends every session and clears the lockout', async () => {
    const user = await createUser(t.deps);
    const signedIn = t.agent();
    await signIn(signedIn, user);
    await t.deps.accountsRepository.updateUser(user.id, {
      failedSignIns: 7,
      lockedUntil: new Date(t.clock.now().getTime() + 3_600_000),
    });
    const link = await requestLink(user);
    assert.equal((await t.agent().get(link)).statusCode, 200);
    const res = await reset(link);
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/sign-in');
    assert.equal((await signedIn.get('/account')).statusCode, 303, 'existing sessions ended');
    assert.equal((await signIn(t.agent(), { ...user, password: NEW })).headers.location, '/account');

    const twice = await t.agent().get(link);
    assert.equal(twice.statusCode, 400);
    assert.match(twice.body, /expired or has already been used/);
    assert.equal(
      (await t.agent().request('POST', link, { form: { password: NEW, confirmPassword: NEW } })).statusCode,
      403,
      'no token, no post',
    );
  });

  test('a used link is refused when posted again', async () => {
    const user = await createUser(t.deps);
    const link = await requestLink(user);
    const agent = t.agent();
    const page = await agent.get(link);
    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
    assert.equal(
      (await agent.request('POST', link, { form: { _csrf: token, password: NEW, confirmPassword: NEW } }))
        .statusCode,
      303,
    );
    const again = await agent.request('POST', link, {
      form: { _csrf: token, password: 'other words here', confirmPassword: 'other words here' },
    });
    assert.equal(again.statusCode, 400);
  });

  test('a reset link expires after 1 hour', async () => {
    const user = await createUser(t.deps);
    const link = await requestLink(user);
    t.clock.advance(59 * 60_000);
    assert.equal((await t.agent().get(link)).statusCode, 200);
    t.clock.advance(60_000 + 1);
    assert.equal((await t.agent().get(link)).statusCode, 400);
    const late = await t.agent().post(link, { password: NEW, confirmPassword: NEW }, '/forgot-password');
    assert.equal(late.statusCode, 400);
  });

  test('a new link invalidates the old one; so does a password change', async () => {
    const user = await createUser(t.deps);
    const first = await requestLink(user);
    const second = await requestLink(user);
    assert.notEqual(first, second);
    assert.equal((await t.agent().get(first)).statusCode, 400);
    assert.equal((await t.agent().get(second)).statusCode, 200);

    const agent = t.agent();
    await signIn(agent, user);
    await agent.submit('/account/change-password', {
      currentPassword: user.password,
      password: NEW,
      confirmPassword: NEW,
    });
    assert.equal((await t.agent().get(second)).statusCode, 400);
  });

  test('the new password follows the rules, each with its own message', async () => {
    const user = await createUser(t.deps);
    const link = await requestLink(user);
    const cases: [string, string, string][] = [
      ['', '', 'Enter a password'],
      ['short one', 'short one', 'Password must be 12 characters or more'],
      ['password1234', 'password1234', 'Choose a password that is harder to guess'],
      [NEW, '', 'Enter your password again to confirm it'],
      [NEW, `${NEW}x`, 'The passwords you entered do not match'],
    ];
    for (const [password, confirmPassword, message] of cases) {
      const res = await reset(link, password, confirmPassword);
      assert.equal(res.statusCode, 422, message);
      assert.match(res.body, /govuk-error-summary/);
      assert.ok(res.body.includes(message), message);
      if (password) assert.ok(!res.body.includes(`value="${password}"`));
    }
    assert.equal((await reset(link)).statusCode, 303, 'the link still works after mistakes');
  });
});
