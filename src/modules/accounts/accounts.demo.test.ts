import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { checkNewPassword } from '../../platform/auth/passwords.ts';
import { isStaff } from '../../platform/auth/roles.ts';
import { roles } from './accounts.tables.ts';
import { totpCode } from '../../platform/auth/totp.ts';
import { DEMO_PASSWORD, demoAccounts, seedAccountsDemo } from './accounts.demo.ts';

describe('demo accounts', () => {
  let t: TestApp;
  let lines: string[];
  before(async () => {
    t = await createTestApp({ RATE_LIMIT_SIGN_IN_PER_15_MINUTES: '1000' });
    lines = await seedAccountsDemo(t.deps);
  });
  after(() => t.close());

  test('one account for every role; staff have distinct fixed TOTP secrets; the password is acceptable', () => {
    for (const role of roles)
      assert.ok(
        demoAccounts.some((a) => a.roles.some((r) => r.role === role)),
        role,
      );
    const secrets = demoAccounts.map((a) => a.totpSecret).filter(Boolean);
    assert.equal(new Set(secrets).size, secrets.length);
    assert.equal(checkNewPassword(DEMO_PASSWORD), null);
    assert.ok(
      demoAccounts.some((a) => new Set(a.roles.map((r) => r.organisationSlug)).size > 1),
      'two organisations',
    );
    assert.equal(lines.length, demoAccounts.length);
    assert.match(
      lines[0]!,
      /admin@demo\.covenant-hub\.local +\(admin, Covenant team\) {2}password covenant-demo-2026 {2}TOTP secret [A-Z2-7]{32}/,
    );
  });

  test('every demo account signs in, staff with their published TOTP secret', async () => {
    for (const demo of demoAccounts) {
      const agent = t.agent();
      const res = await agent.submit('/sign-in', { email: demo.email, password: DEMO_PASSWORD });
      assert.equal(res.statusCode, 303, demo.email);
      const user = await t.deps.sessionsRepository.loadUser(
        (await t.deps.accountsRepository.findUserByEmail(demo.email))!.id,
      );
      assert.equal(Boolean(demo.totpSecret), isStaff(user), `${demo.email}: a secret exactly when staff`);
      if (demo.totpSecret) {
        assert.match(String(res.headers.location), /^\/sign-in\/two-factor/);
        const code = await agent.submit('/sign-in/two-factor', {
          code: totpCode(demo.totpSecret, t.clock.now()),
        });
        assert.equal(code.statusCode, 303, demo.email);
      }
      assert.equal((await agent.get('/account')).statusCode, 200, demo.email);
    }
  });
});
