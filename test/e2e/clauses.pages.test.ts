/**
 * The public agreement check in a real browser: axe (WCAG 2.2 AA, 0 violations) on the form, the form with
 * errors, a results page with findings and the clean-text results page; then the same journey with
 * JavaScript off (paste, upload a Word file and a scanned PDF), with the page-basics checks on every page.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { clausesPaths } from '../../src/modules/standards/standards.clauses.paths.ts';
import {
  docxOf,
  sampleAgreement,
  scannedPdf,
} from '../../src/modules/standards/standards.clauses.samples.ts';
import { accessibilityProblems, pageBasicsProblems } from './support/axe.ts';
import { launchBrowser, openContext } from './support/browser.ts';
import { startServer, type RunningServer } from './support/server.ts';

async function press(page: Page) {
  await page.locator('main form button').first().click();
  await page.waitForLoadState('load');
}

describe('check an agreement for gagging clauses (browser)', () => {
  let server: RunningServer;
  let browser: Browser;
  before(async () => {
    // The page needs no demo data; without it the test does not depend on other modules' seeds.
    [server, browser] = await Promise.all([startServer({ DEMO_DATA: 'off' }), launchBrowser()]);
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test(
    'axe: the form, the form with errors, results with findings, clean results',
    { timeout: 180_000 },
    async () => {
      const context = await openContext(browser);
      const page = await context.newPage();
      const problems: string[] = [];
      const check = async (step: string) => {
        for (const p of await accessibilityProblems(page)) problems.push(`${step}: ${p}`);
      };
      await page.goto(server.baseUrl + clausesPaths.check());
      await check('form');

      await press(page);
      assert.ok(await page.locator('.govuk-error-summary').isVisible());
      await check('form with errors');

      await page.locator('textarea[name="text"]').fill(sampleAgreement.join('\n'));
      await press(page);
      assert.equal(await page.locator('main mark').count(), 2);
      assert.match(await page.locator('h1').innerText(), /Results of the agreement check/);
      await check('results with findings');

      await page.goto(server.baseUrl + clausesPaths.check());
      await page.locator('textarea[name="text"]').fill('The Grantee shall keep accurate records.');
      await press(page);
      assert.ok(await page.getByText('No gagging or anti-advocacy clauses found').isVisible());
      await check('clean results');
      await context.close();
      assert.deepEqual(problems, []);
    },
  );

  test(
    'with JavaScript off: paste, upload a Word file, a scanned PDF is refused',
    { timeout: 180_000 },
    async () => {
      const context = await openContext(browser, { javaScriptEnabled: false });
      const page = await context.newPage();
      const problems: string[] = [];
      const check = async (step: string) => {
        for (const p of await pageBasicsProblems(page)) problems.push(`${step}: ${p}`);
      };
      await page.goto(server.baseUrl + clausesPaths.check());
      await check('form');
      await page.locator('textarea[name="text"]').fill(sampleAgreement.join('\n'));
      await press(page);
      assert.deepEqual(await page.locator('main mark').allInnerTexts(), [
        'press announcement about the Project without',
        'lobby Ministers or Members of Parliament',
      ]);
      await check('results');

      await page.goto(server.baseUrl + clausesPaths.check());
      await page.locator('input[name="file"]').setInputFiles({
        name: 'agreement.docx',
        mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
        buffer: docxOf(sampleAgreement),
      });
      await press(page);
      assert.ok(await page.getByText('We found 2 clauses that may conflict with the Covenant.').isVisible());
      await check('results from a Word file');

      await page.goto(server.baseUrl + clausesPaths.check());
      await page.locator('input[name="file"]').setInputFiles({
        name: 'scan.pdf',
        mimeType: 'application/pdf',
        buffer: scannedPdf(),
      });
      await press(page);
      assert.ok(await page.locator('.govuk-error-summary').isVisible());
      assert.match(await page.locator('.govuk-error-summary').innerText(), /no text layer/);
      assert.match(await page.title(), /^Error:/);
      await check('scanned PDF refused');
      await context.close();
      assert.deepEqual(problems, []);
    },
  );
});
