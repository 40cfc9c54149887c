/**
 * Annual review results in a browser, against the real server with demo data: axe (WCAG 2.2 AA, 0
 * violations) on every results page and the published review; the analyst's journey with JavaScript off
 * (filter, break down, read free text, publish with a bad then a good form); the review's print stylesheet.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { DEMO_PASSWORD, demoAccounts } from '../../src/modules/accounts/accounts.demo.ts';
import { resultsPaths as rp } from '../../src/modules/surveys/surveys.results.paths.ts';
import { accessibilityProblems, pageBasicsProblems } from './support/axe.ts';
import { openContext } from './support/browser.ts';
import { signIn, submitForm } from './support/pages.ts';
import type { RunningServer } from './support/server.ts';
import { startServerAndBrowser, stopServerAndBrowser } from './support/setup.ts';

const account = (email: string) => ({
  ...demoAccounts.find((a) => a.email === email)!,
  password: DEMO_PASSWORD,
});
const year = new Date().getUTCFullYear();
const last = String(year - 1);

describe('annual review results pages', () => {
  let server: RunningServer;
  let browser: Browser;
  before(async () => ({ server, browser } = await startServerAndBrowser()));
  after(() => stopServerAndBrowser(server, browser));

  async function check(page: Page, path: string, problems: string[]) {
    const response = await page.goto(server.baseUrl + path);
    assert.equal(response?.status(), 200, path);
    for (const p of await accessibilityProblems(page)) problems.push(`${path}: ${p}`);
  }

  test('the public review pages pass axe, and print without the header', { timeout: 180_000 }, async () => {
    const context = await openContext(browser);
    const page = await context.newPage();
    const problems: string[] = [];
    await check(page, rp.reviews(), problems);
    await check(page, rp.review({ year: last }), problems);
    await check(page, rp.review({ year: String(year - 2) }), problems);
    assert.deepEqual(problems, []);
    await page.goto(server.baseUrl + rp.review({ year: last }));
    assert.ok(await page.locator('svg.app-chart').first().isVisible());
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.locator('.govuk-header').first().isVisible(), false);
    assert.equal(await page.locator('.govuk-footer').isVisible(), false);
    assert.ok(await page.locator('h1').isVisible());
    await context.close();
  });

  test(
    'an analyst with JavaScript off: results, filters, breakdowns, free text, publishing',
    { timeout: 240_000 },
    async () => {
      // axe needs JavaScript: the journey checks page basics, and every page it saw is checked by axe after.
      const context = await openContext(browser, { javaScriptEnabled: false });
      const page = await context.newPage();
      await signIn(page, server.baseUrl, account('admin@demo.covenant-hub.local'));
      const problems: string[] = [];
      const seen: string[] = [];
      const look = async () => {
        const url = new URL(page.url());
        seen.push(url.pathname + url.search);
        for (const p of await pageBasicsProblems(page)) problems.push(`${url.pathname}: ${p}`);
      };
      await page.goto(server.baseUrl + rp.index());
      await look();
      await page.getByRole('link', { name: `Annual review of stakeholder experiences ${last}` }).click();
      await page.waitForLoadState('load');
      await look();
      const overview = new URL(page.url()).pathname;

      // A question's results, then filtered and broken down through the GET form.
      await page.getByRole('link', { name: /results for ‘Our expertise was listened to/ }).click();
      await page.waitForLoadState('load');
      await look();
      assert.ok(await page.locator('svg.app-chart').isVisible());
      await page.locator('select[name="nation"]').selectOption('england');
      await page.locator('select[name="by"]').selectOption('role');
      await page.getByRole('button', { name: 'Apply filters' }).click();
      await page.waitForLoadState('load');
      assert.match(page.url(), /nation=england/);
      assert.ok(await page.getByRole('heading', { name: 'Filtered results' }).isVisible());
      assert.ok(await page.getByRole('heading', { name: 'By role' }).isVisible());
      await look();

      // A body rating broken down by body.
      await page.goto(server.baseUrl + overview);
      await page.getByRole('link', { name: /results for ‘How well do these public bodies work/ }).click();
      await page.waitForLoadState('load');
      await page.locator('select[name="by"]').selectOption('body');
      await page.getByRole('button', { name: 'Apply filters' }).click();
      await page.waitForLoadState('load');
      assert.ok(await page.getByRole('heading', { name: 'By public body' }).isVisible());
      await look();

      // Free text, raw, for analysts.
      await page.goto(server.baseUrl + overview);
      await page.getByRole('link', { name: /answers to ‘What one thing should government do/ }).click();
      await page.waitForLoadState('load');
      assert.ok(
        await page
          .getByText(/\d+ answers/)
          .first()
          .isVisible(),
      );
      await look();

      // Publishing again: empty summary first (error summary), then a real one.
      await page.goto(server.baseUrl + overview);
      await page.locator('textarea[name="summary"]').fill('');
      await page.getByRole('button', { name: 'Publish again' }).click();
      await page.waitForLoadState('load');
      assert.ok(await page.locator('.govuk-error-summary').isVisible());
      assert.match(await page.title(), /^Error:/);
      await submitForm(page, { summary: 'Demo data: published again from the browser test.' });
      assert.equal(new URL(page.url()).pathname, rp.review({ year: last }));
      assert.ok(await page.getByText('published again from the browser test').isVisible());
      await context.close();

      // axe on every page of the journey, and on the publish form's error state.
      const withJs = await openContext(browser);
      const checked = await withJs.newPage();
      await signIn(checked, server.baseUrl, account('admin@demo.covenant-hub.local'));
      for (const path of seen) await check(checked, path, problems);
      await checked.goto(server.baseUrl + overview);
      await submitForm(checked, { summary: '' });
      assert.ok(await checked.locator('.govuk-error-summary').isVisible());
      for (const p of await accessibilityProblems(checked)) problems.push(`publish error: ${p}`);
      await withJs.close();
      assert.deepEqual(problems, []);
    },
  );

  test('a panel member sees results; a charity member does not', { timeout: 120_000 }, async () => {
    const context = await openContext(browser);
    const page = await context.newPage();
    await signIn(page, server.baseUrl, account('panel@demo.covenant-hub.local'));
    const response = await page.goto(server.baseUrl + rp.index());
    assert.equal(response?.status(), 200);
    assert.deepEqual(await accessibilityProblems(page), []);
    await context.close();
    const other = await openContext(browser);
    const cso = await other.newPage();
    await signIn(cso, server.baseUrl, account('cso.member@demo.covenant-hub.local'));
    assert.equal((await cso.goto(server.baseUrl + rp.index()))?.status(), 403);
    await other.close();
  });
});
