/**
 * Standards monitoring in a browser against the demo data: axe (WCAG 2.2 AA) on the public findings list,
 * a filtered list, a body's findings page, and, signed in as the demo body officer (Leeds), the records page,
 * each record form, the import page and the error states. Then, with JavaScript off, the officer records a
 * short consultation (first with mistakes, then correctly) and the finding appears on the public page.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { DEMO_PASSWORD, demoAccounts } from '../../src/modules/accounts/accounts.demo.ts';
import { standardsPaths as p } from '../../src/modules/standards/standards.paths.ts';
import { accessibilityProblems, pageBasicsProblems } from './support/axe.ts';
import { openContext } from './support/browser.ts';
import { choose, signIn, submitForm } from './support/pages.ts';
import type { RunningServer } from './support/server.ts';
import { startServerAndBrowser, stopServerAndBrowser } from './support/setup.ts';

const LEEDS = 'leeds-city-council';
const DCMS = 'department-for-culture-media-and-sport';
const officer = demoAccounts.find((a) => a.email === 'body.officer@demo.covenant-hub.local')!;

async function firstLink(page: Page, baseUrl: string, from: string, pattern: RegExp): Promise<string> {
  await page.goto(baseUrl + from);
  const hrefs = await page
    .locator('main a[href]')
    .evaluateAll((anchors) => anchors.map((a) => a.getAttribute('href') ?? ''));
  const found = hrefs.find((href) => pattern.test(href));
  assert.ok(found, `no link matching ${String(pattern)} on ${from}`);
  return found;
}

describe('standards pages', () => {
  let server: RunningServer;
  let browser: Browser;

  before(async () => ({ server, browser } = await startServerAndBrowser()));
  after(() => stopServerAndBrowser(server, browser));

  test('axe finds nothing on the public findings pages', { timeout: 120_000 }, async () => {
    const context = await openContext(browser);
    const page = await context.newPage();
    const problems: string[] = [];
    for (const path of [
      p.findings(),
      p.findings({ standard: 'C1' }),
      p.findings({ body: DCMS, standard: 'F1' }),
      p.bodyFindings({ slug: DCMS }),
      p.bodyFindings({ slug: LEEDS }),
    ]) {
      const response = await page.goto(server.baseUrl + path);
      if (response?.status() !== 200) problems.push(`${path}: status ${response?.status()}`);
      for (const problem of await accessibilityProblems(page)) problems.push(`${path}: ${problem}`);
    }
    assert.deepEqual(problems, []);
    await page.goto(server.baseUrl + p.bodyFindings({ slug: DCMS }));
    assert.match((await page.locator('main').textContent()) ?? '', /C1 Consultation length: Youth services/);
    await context.close();
  });

  test(
    'axe finds nothing on the officer’s record pages and their error states',
    { timeout: 180_000 },
    async () => {
      const context = await openContext(browser);
      const page = await context.newPage();
      await signIn(page, server.baseUrl, { ...officer, password: DEMO_PASSWORD });
      const agreement = await firstLink(
        page,
        server.baseUrl,
        p.bodyRecords({ slug: LEEDS }),
        /\/funding\/[0-9a-f-]{36}$/,
      );
      const change = await firstLink(
        page,
        server.baseUrl,
        p.bodyRecords({ slug: LEEDS }),
        /\/changes\/[0-9a-f-]{36}$/,
      );
      const consultation = await firstLink(
        page,
        server.baseUrl,
        p.bodyRecords({ slug: LEEDS }),
        /\/consultations\/[0-9a-f-]{36}$/,
      );
      const problems: string[] = [];
      const forms = [
        p.addConsultation({ slug: LEEDS }),
        p.addAgreement({ slug: LEEDS }),
        `${agreement}/changes/new`,
        p.importFile({ slug: LEEDS }),
      ];
      for (const path of [
        p.records(),
        p.bodyRecords({ slug: LEEDS }),
        ...forms,
        agreement,
        change,
        consultation,
      ]) {
        const response = await page.goto(server.baseUrl + path);
        if (response?.status() !== 200) problems.push(`${path}: status ${response?.status()}`);
        for (const problem of await accessibilityProblems(page)) problems.push(`${path}: ${problem}`);
      }
      // Each form sent empty: the error summary, and still nothing for axe to find.
      for (const path of forms) {
        await page.goto(server.baseUrl + path);
        await page.locator('main form button').first().click();
        await page.waitForLoadState('load');
        if ((await page.locator('.govuk-error-summary').count()) !== 1)
          problems.push(`${path}: no error summary`);
        for (const problem of await accessibilityProblems(page))
          problems.push(`${path} (errors): ${problem}`);
      }
      assert.deepEqual(problems, []);
      // Another body's records are refused.
      const refused = await page.goto(server.baseUrl + p.bodyRecords({ slug: DCMS }));
      assert.equal(refused?.status(), 403);
      await context.close();
    },
  );

  test(
    'with JavaScript off the officer records a short consultation and the finding is public',
    { timeout: 120_000 },
    async () => {
      const context = await openContext(browser, { javaScriptEnabled: false });
      const page = await context.newPage();
      await signIn(page, server.baseUrl, { ...officer, password: DEMO_PASSWORD });
      await page.goto(server.baseUrl + p.addConsultation({ slug: LEEDS }));
      const fields = {
        title: 'Parks and green spaces strategy',
        'opensOn-day': '1',
        'opensOn-month': '9',
        'opensOn-year': '2025',
        'closesOn-day': '1',
        'closesOn-month': '10',
        'closesOn-year': '2025',
      };
      // First without answering whether a reason was stated: the error summary says so.
      await submitForm(page, fields);
      assert.match(
        (await page.locator('.govuk-error-summary').textContent()) ?? '',
        /say whether the consultation document states a reason/,
      );
      for (const problem of await pageBasicsProblems(page)) assert.fail(problem);
      await choose(page, 'shortReasonStated', 'no');
      await page.locator('main form button').first().click();
      await page.waitForLoadState('load');
      assert.equal(new URL(page.url()).pathname, p.bodyRecords({ slug: LEEDS }));
      assert.match((await page.locator('main').textContent()) ?? '', /Parks and green spaces strategy/);

      await page.goto(server.baseUrl + p.findings());
      await page.selectOption('#body', LEEDS);
      await page.selectOption('#standard', 'C1');
      await page.locator('main form button').click();
      await page.waitForLoadState('load');
      const main = (await page.locator('main').textContent()) ?? '';
      assert.match(main, /C1 Consultation length: Parks and green spaces strategy/);
      assert.match(main, /30 days \(4 weeks and 2 days\)/);
      await context.close();
    },
  );
});
