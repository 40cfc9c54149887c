/**
 * Agreement reviews (A1–A3) in a browser with JavaScript off, as the demo body officer (Leeds): axe on the
 * review form, its error state, the page of suggested clauses and its error state, the stored review and
 * the records page; then the confirmed clause is on the body's public findings page and its scorecard, and
 * axe finds nothing on the scorecard (its standards and annual-review sections) either.
 */
import assert from 'node:assert/strict';
import { appendFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { DEMO_PASSWORD, demoAccounts } from '../../src/modules/accounts/accounts.demo.ts';
import { scorecardPaths } from '../../src/modules/scorecards/scorecards.paths.ts';
import { standardsPaths as p } from '../../src/modules/standards/standards.paths.ts';
import { deferredAxe } from './support/axe.ts';
import { launchBrowser, openContext } from './support/browser.ts';
import { choose, signIn, submitForm } from './support/pages.ts';
import { startServer, type RunningServer } from './support/server.ts';

const LEEDS = 'leeds-city-council';
/** Progress to a file when E2E_TRACE names one (a slow machine's timeout then says where it was). */
const trace = (step: string) => {
  if (process.env.E2E_TRACE) appendFileSync(process.env.E2E_TRACE, `${new Date().toISOString()} ${step}\n`);
};
const officer = demoAccounts.find((a) => a.email === 'body.officer@demo.covenant-hub.local')!;

const AGREEMENT = [
  'GRANT AGREEMENT: Neighbourhood Advice Fund',
  '',
  '3.1 The Grantee shall acknowledge the Council’s support in publicity about the Project.',
  '3.2 The Grantee shall not make any press announcement or public statement about the Project or the Council without the Council’s prior written approval.',
  '3.3 The Grantee shall ensure that any statement it makes about the Project is factually accurate.',
  '5.1 The Grantee shall not disclose personal data of service users except as the UK GDPR allows.',
].join('\n');

describe('agreement review pages', () => {
  let server: RunningServer;
  let browser: Browser;

  before(async () => {
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
    trace('server and browser started');
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test(
    'with JavaScript off the officer reviews an agreement; axe finds nothing on any page',
    { timeout: 480_000 },
    async () => {
      const context = await openContext(browser, { javaScriptEnabled: false });
      const page: Page = await context.newPage();
      const problems: string[] = [];
      // axe needs JavaScript: the page basics are checked as each page is seen, axe runs on its HTML later.
      const axe = deferredAxe(browser, server.baseUrl + p.bodyFindings({ slug: LEEDS }), problems);
      const audit = async (label: string) => {
        await axe.check(page, label);
        trace(`checked ${label}`);
      };
      trace('signing in');
      await signIn(page, server.baseUrl, { ...officer, password: DEMO_PASSWORD });
      trace('signed in');

      const form = await page.goto(server.baseUrl + p.addReview({ slug: LEEDS }));
      assert.equal(form?.status(), 200);
      await audit('review form');
      // Sent without a name or a text: the error summary, and nothing for axe to find.
      await submitForm(page, { title: '' });
      assert.match(
        (await page.locator('.govuk-error-summary').textContent()) ?? '',
        /Enter the name of the agreement[\s\S]*Paste the text of the agreement/,
      );
      await audit('review form (errors)');

      await submitForm(page, { title: 'Neighbourhood Advice Fund', reference: 'NAF-7', text: AGREEMENT });
      assert.match((await page.locator('h1').textContent()) ?? '', /Check the suggested clauses/);
      const suggested = await page.locator('main input[name="decision-0"]').count();
      assert.ok(suggested > 0, 'the press-approval clause is suggested');
      assert.match((await page.locator('main').textContent()) ?? '', /prior written approval/);
      await audit('suggested clauses');

      // Saved without deciding: every decision is asked for.
      await page.locator('main form button').first().click();
      await page.waitForLoadState('load');
      assert.equal(await page.locator('.govuk-error-summary').count(), 1);
      await audit('suggested clauses (errors)');

      const decisions = await page
        .locator('main input[type="radio"][value="yes"]')
        .evaluateAll((inputs) => inputs.map((i) => i.getAttribute('name') ?? ''));
      for (const name of decisions) await choose(page, name, 'yes');
      await page.locator('main form button').first().click();
      await page.waitForLoadState('load');
      assert.equal(new URL(page.url()).pathname, p.bodyRecords({ slug: LEEDS }));
      assert.match((await page.locator('main').textContent()) ?? '', /Neighbourhood Advice Fund/);
      await audit('records with a review');

      await page
        .locator('main a', { hasText: /^\s*View\b/ })
        .first()
        .click();
      await page.waitForLoadState('load');
      assert.match(
        (await page.locator('h1').textContent()) ?? '',
        /Agreement review: Neighbourhood Advice Fund/,
      );
      await audit('stored review');

      await page.goto(server.baseUrl + p.bodyFindings({ slug: LEEDS }));
      assert.match(
        (await page.locator('main').textContent()) ?? '',
        /A3 Gagging or publicity clause: Neighbourhood Advice Fund/,
      );
      await audit('public findings');

      await page.goto(server.baseUrl + scorecardPaths.body({ slug: LEEDS }));
      const main = (await page.locator('main').textContent()) ?? '';
      assert.match(main, /A3: Gagging or publicity clause/);
      assert.match(main, /Annual review results/);
      await audit('scorecard');
      await context.close();
      await axe.axeAll();
      trace('axe done');
      assert.deepEqual(problems, []);
    },
  );
});
