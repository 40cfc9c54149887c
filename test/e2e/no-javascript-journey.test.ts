/**
 * A whole journey with JavaScript switched off, as the GOV.UK Service Standard asks: register (with the
 * error summary on an empty submit), the check-your-email page, the verification link from the emailed
 * .eml file, sign in, the account page, sign out. Every page on the way gets the page-basics checks (axe
 * itself is a script, which a context without JavaScript cannot run: the crawl in accessibility.test.ts
 * runs axe on these pages).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { accountPaths } from '../../src/modules/accounts/accounts.paths.ts';
import { pageBasicsProblems } from './support/axe.ts';
import { openContext } from './support/browser.ts';
import { submitForm, signOut } from './support/pages.ts';
import type { RunningServer } from './support/server.ts';
import { startServerAndBrowser, stopServerAndBrowser } from './support/setup.ts';

const pathOf = (page: Page) => new URL(page.url()).pathname;

describe('a journey with JavaScript off', () => {
  let server: RunningServer;
  let browser: Browser;
  before(async () => ({ server, browser } = await startServerAndBrowser()));
  after(() => stopServerAndBrowser(server, browser));

  test(
    'register, verify the email address, sign in, see the account, sign out',
    { timeout: 120_000 },
    async () => {
      const context = await openContext(browser, { javaScriptEnabled: false });
      const page = await context.newPage();
      const problems: string[] = [];
      const check = async (step: string) => {
        for (const p of await pageBasicsProblems(page)) problems.push(`${step} (${pathOf(page)}): ${p}`);
      };
      const email = `e2e-${randomBytes(4).toString('hex')}@example.org`;
      const password = 'a long passphrase for the browser test';

      await page.goto(server.baseUrl + accountPaths.register());
      await check('register');

      // An empty form comes back with the error summary and a message on each field, without JavaScript.
      await submitForm(page, {});
      assert.equal(pathOf(page), accountPaths.register());
      assert.ok(await page.locator('.govuk-error-summary').isVisible(), 'the error summary is shown');
      assert.match(await page.title(), /^Error:/);
      assert.ok((await page.locator('.govuk-error-message').count()) >= 2, 'field messages are shown');
      await check('register with errors');

      await submitForm(page, { name: 'Browser Test', email, password, confirmPassword: password });
      assert.equal(pathOf(page), accountPaths.checkEmail());
      await check('check your email');

      const eml = await server.waitForEmail(email);
      const link = /https?:\/\/\S+\/verify-email\/\S+/.exec(eml)?.[0];
      assert.ok(link, `a verification link in the email:\n${eml}`);
      await page.goto(link);
      await check('email verified');

      // Registering may sign the person in already; start the sign-in from a signed-out browser either way.
      await page.goto(server.baseUrl + accountPaths.account());
      if (pathOf(page) === accountPaths.account()) await signOut(page);
      await page.goto(server.baseUrl + accountPaths.account());
      assert.equal(
        pathOf(page),
        accountPaths.signIn(),
        'the account page asks a signed-out visitor to sign in',
      );
      await check('sign in');
      await submitForm(page, {});
      assert.ok(await page.locator('.govuk-error-summary').isVisible(), 'sign-in errors are shown');
      await check('sign in with errors');
      await submitForm(page, { email, password });
      assert.equal(pathOf(page), accountPaths.account(), 'signed in, on the account page');
      assert.match(await page.locator('main').innerText(), new RegExp(email.replace(/[.]/g, '\\.')));
      await check('account');

      await signOut(page);
      await page.goto(server.baseUrl + accountPaths.account());
      assert.equal(pathOf(page), accountPaths.signIn(), 'signed out: the account page asks to sign in');

      await context.close();
      assert.deepEqual(problems, []);
    },
  );
});
