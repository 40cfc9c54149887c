/**
 * The scorecard pages in a browser against the demo data: axe (WCAG 2.2 AA) on the index, a body's
 * scorecard (reached from the directory's body page, as a visitor would), a commitment's scorecard, the
 * league table and its error state; then the same pages with JavaScript off, where the charts must still be
 * there (server-rendered SVG with a title) with their data tables, and the league form must still work.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { directoryPaths } from '../../src/modules/directory/directory.paths.ts';
import { scorecardPaths } from '../../src/modules/scorecards/scorecards.paths.ts';
import { accessibilityProblems, pageBasicsProblems } from './support/axe.ts';
import { launchBrowser, openContext } from './support/browser.ts';
import { startServer, type RunningServer } from './support/server.ts';

async function optionalLink(page: Page, baseUrl: string, from: string, pattern: RegExp) {
  await page.goto(baseUrl + from);
  const hrefs = await page
    .locator('main a[href]')
    .evaluateAll((anchors) => anchors.map((a) => a.getAttribute('href') ?? ''));
  return hrefs.find((href) => pattern.test(href)) ?? null;
}

async function firstLink(page: Page, baseUrl: string, from: string, pattern: RegExp): Promise<string> {
  await page.goto(baseUrl + from);
  const hrefs = await page
    .locator('main a[href]')
    .evaluateAll((anchors) => anchors.map((a) => a.getAttribute('href') ?? ''));
  const found = hrefs.find((href) => pattern.test(href));
  assert.ok(found, `no link matching ${String(pattern)} on ${from}`);
  return found;
}

describe('scorecard pages', () => {
  let server: RunningServer;
  let browser: Browser;
  const pages: string[] = [];
  let bodyScorecard = '';

  before(async () => {
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
    // The pages a visitor reaches: the index, a body's scorecard from the directory, a commitment, a league.
    const context = await openContext(browser);
    const page = await context.newPage();
    // A body with cases when the demo data has any (from a league table), so the charts are checked too;
    // and the link from the directory's body page, as a visitor would find it.
    const bodyPage = await firstLink(
      page,
      server.baseUrl,
      directoryPaths.search({ kind: 'public_body' }),
      /^\/directory\/bodies\/[^/]+$/,
    );
    const fromDirectory = await firstLink(page, server.baseUrl, bodyPage, /^\/scorecards\/bodies\/[^/]+$/);
    const league = await optionalLink(page, server.baseUrl, scorecardPaths.home(), /^\/scorecards\/league\?/);
    const withCases = league
      ? await optionalLink(page, server.baseUrl, league, /^\/scorecards\/bodies\/[^/]+$/)
      : null;
    const scorecard = withCases ?? fromDirectory;
    const commitment = await firstLink(
      page,
      server.baseUrl,
      scorecardPaths.home(),
      /^\/scorecards\/commitments\/[^/]+$/,
    );
    pages.push(
      scorecardPaths.home(),
      scorecard,
      commitment,
      scorecardPaths.league(),
      scorecardPaths.league({ type: 'local_authority', measure: 'acknowledged', year: 'all' }),
    );
    if (scorecard !== fromDirectory) pages.push(fromDirectory);
    bodyScorecard = scorecard;
    await context.close();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test(
    'axe finds nothing on every scorecard page, the error state included',
    { timeout: 180_000 },
    async () => {
      const context = await openContext(browser);
      const page = await context.newPage();
      const problems: string[] = [];
      for (const path of [...pages, scorecardPaths.league({ type: 'castle', year: '1066' })]) {
        const response = await page.goto(server.baseUrl + path);
        const status = response?.status() ?? 0;
        if (status !== 200 && !path.includes('castle')) problems.push(`${path}: status ${status}`);
        for (const problem of await accessibilityProblems(page)) problems.push(`${path}: ${problem}`);
      }
      assert.deepEqual(problems, []);
      // The error state shows the summary and keeps the page usable.
      assert.equal(await page.locator('.govuk-error-summary').count(), 1);
      await context.close();
    },
  );

  test(
    'with JavaScript off the charts, their summaries and tables are there, and the league form works',
    { timeout: 120_000 },
    async () => {
      const context = await openContext(browser, { javaScriptEnabled: false });
      const page = await context.newPage();
      const problems: string[] = [];
      for (const path of pages) {
        await page.goto(server.baseUrl + path);
        for (const p of await pageBasicsProblems(page)) problems.push(`${path}: ${p}`);
      }
      assert.deepEqual(problems, []);
      // A body's scorecard: if it has cases, each chart is an SVG image with a title, followed by its table.
      await page.goto(server.baseUrl + bodyScorecard);
      const charts = page.locator('main svg[role="img"]');
      const count = await charts.count();
      if (count > 0) {
        assert.ok((await charts.first().locator('title').textContent())?.trim());
        assert.ok((await page.locator('main figure table').count()) >= count);
      } else {
        assert.match(
          (await page.locator('main').textContent()) ?? '',
          /No cases have been reported about this body yet/,
        );
      }
      assert.match((await page.locator('main').textContent()) ?? '', /Annual review results/);
      // The league form is a plain GET form: choose and show.
      await page.goto(server.baseUrl + scorecardPaths.league());
      await page.selectOption('#measure', 'answered');
      await page.selectOption('#year', 'all');
      await page.locator('main form button').click();
      await page.waitForLoadState();
      assert.match(new URL(page.url()).search, /measure=answered/);
      assert.equal(await page.locator('h1').count(), 1);
      await context.close();
    },
  );
});
