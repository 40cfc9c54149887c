/**
 * Axe on every page a visitor can reach: a crawl from the home page as an anonymous visitor, then as each
 * demo account (one for every role), then the error states: forms submitted empty (with JavaScript on, focus
 * moves to the error summary) and the 404 page. WCAG 2.2 AA tags, 0 violations; every page also has a
 * title, exactly one h1 and a language.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { accountPaths } from '../../src/modules/accounts/accounts.paths.ts';
import { DEMO_PASSWORD, demoAccounts } from '../../src/modules/accounts/accounts.demo.ts';
import { accessibilityProblems } from './support/axe.ts';
import { launchBrowser, openContext } from './support/browser.ts';
import { crawl, type CrawlResult } from './support/crawl.ts';
import { signIn, submitForm } from './support/pages.ts';
import { startServer, type RunningServer } from './support/server.ts';

function report(who: string, result: CrawlResult) {
  console.log(
    `${who}: visited ${result.visited.length} pages, checked ${result.checkedPages.length}: ${result.checkedPages.join(' ')}`,
  );
}

describe('accessibility of every page', () => {
  let server: RunningServer;
  let browser: Browser;
  before(async () => {
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('every page an anonymous visitor can reach from the home page', { timeout: 120_000 }, async () => {
    const context = await openContext(browser);
    const result = await crawl(context, server.baseUrl);
    await context.close();
    report('anonymous', result);
    for (const path of [accountPaths.signIn(), accountPaths.register(), '/accessibility-statement'])
      assert.ok(result.visited.includes(path), `the crawl reached ${path}`);
    assert.deepEqual(result.problems, []);
  });

  // Pages that look the same for every signed-in person are checked once, by the first who reaches them.
  const checkedWhenSignedIn = new Set<string>();
  for (const account of demoAccounts) {
    test(`every page ${account.email} (${account.role}) can reach`, { timeout: 180_000 }, async () => {
      const context = await openContext(browser);
      const page = await context.newPage();
      await signIn(page, server.baseUrl, { ...account, password: DEMO_PASSWORD });
      await page.close();
      const result = await crawl(context, server.baseUrl, { checked: checkedWhenSignedIn });
      await context.close();
      report(account.email, result);
      assert.ok(result.visited.includes(accountPaths.account()), 'the crawl reached the account page');
      assert.deepEqual(result.problems, []);
    });
  }

  for (const path of [accountPaths.register(), accountPaths.signIn()]) {
    test(`${path} submitted empty: the error summary is shown, focused and accessible`, async () => {
      const context = await openContext(browser);
      const page = await context.newPage();
      await page.goto(server.baseUrl + path);
      await submitForm(page, {});
      const summary = page.locator('.govuk-error-summary');
      assert.ok(await summary.isVisible(), 'the error summary is visible');
      assert.match(await page.title(), /^Error:/);
      // govuk-frontend moves focus to the summary so a screen reader announces it.
      await page.waitForFunction('document.activeElement?.closest(".govuk-error-summary") !== null');
      // Each summary link leads to a field on the page.
      for (const href of await summary
        .locator('a')
        .evaluateAll((as) => as.map((a) => a.getAttribute('href'))))
        assert.equal(await page.locator(href!).count(), 1, `the field ${href} exists`);
      assert.deepEqual(await accessibilityProblems(page), []);
      await context.close();
    });
  }

  test('the 404 page', async () => {
    const context = await openContext(browser);
    const page = await context.newPage();
    const response = await page.goto(`${server.baseUrl}/no-such-page`);
    assert.equal(response?.status(), 404);
    assert.deepEqual(await accessibilityProblems(page), []);
    await context.close();
  });
});
