/** At phone width (375×667) the pages fit: nothing scrolls sideways. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { openContext } from './support/browser.ts';
import type { RunningServer } from './support/server.ts';
import { startServerAndBrowser, stopServerAndBrowser } from './support/setup.ts';

describe('phone width', () => {
  let server: RunningServer;
  let browser: Browser;
  before(async () => ({ server, browser } = await startServerAndBrowser()));
  after(() => stopServerAndBrowser(server, browser));

  for (const path of ['/', '/sign-in']) {
    test(`${path} has no horizontal scroll at 375 px`, async () => {
      const context = await openContext(browser, { viewport: { width: 375, height: 667 } });
      const page = await context.newPage();
      const response = await page.goto(server.baseUrl + path);
      assert.equal(response?.status(), 200);
      const widths = (await page.evaluate(
        '({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth })',
      )) as { scroll: number; client: number };
      assert.ok(
        widths.scroll <= widths.client,
        `page is ${widths.scroll} px wide in a ${widths.client} px window`,
      );
      await context.close();
    });
  }
});
