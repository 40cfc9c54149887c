/**
 * Axe on every page a visitor can reach: an anonymous crawl from the home page, then the error pages.
 * WCAG 2.2 AA tags, 0 violations; every page has a title, one h1 and a language.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { accessibilityProblems } from './support/axe.ts';
import { launchBrowser } from './support/browser.ts';
import { crawl } from './support/crawl.ts';
import { startServer, type RunningServer } from './support/server.ts';

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

  test('every page an anonymous visitor can reach from the home page', async () => {
    const context = await browser.newContext();
    const result = await crawl(context, server.baseUrl);
    await context.close();
    console.log(`anonymous crawl: ${result.visited.length} pages: ${result.visited.join(' ')}`);
    assert.ok(result.visited.length >= 4, 'the crawl should reach the home page and the footer pages');
    assert.deepEqual(result.problems, []);
  });

  test('the 404 page', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const response = await page.goto(`${server.baseUrl}/no-such-page`);
    assert.equal(response?.status(), 404);
    assert.deepEqual(await accessibilityProblems(page), []);
    await context.close();
  });
});
