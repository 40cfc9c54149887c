/**
 * The typeahead on the report journey's "which body" page (issue 4: choosing the body works without
 * JavaScript and is enhanced with a typeahead). With JavaScript on, typing part of a name offers matching
 * bodies as a listbox; choosing one with the keyboard chooses that body and moves on, as the search results'
 * radios do. axe runs with the suggestions open. The page without JavaScript is covered by
 * report-journey.test.ts.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { DEMO_PASSWORD, demoAccounts } from '../../src/modules/accounts/accounts.demo.ts';
import { intakePaths } from '../../src/modules/cases/cases.intake.paths.ts';
import { accessibilityProblems } from './support/axe.ts';
import { openContext } from './support/browser.ts';
import { choose, continueOn, signIn } from './support/pages.ts';
import type { RunningServer } from './support/server.ts';
import { startServerAndBrowser, stopServerAndBrowser } from './support/setup.ts';

const pathOf = (page: Page) => new URL(page.url()).pathname;

describe('the body typeahead with JavaScript on', () => {
  let server: RunningServer;
  let browser: Browser;
  before(async () => ({ server, browser } = await startServerAndBrowser()));
  after(() => stopServerAndBrowser(server, browser));

  test('type part of a name, choose a suggestion with the keyboard', { timeout: 120_000 }, async () => {
    const reporter = demoAccounts.find((a) => a.role === 'cso_member');
    assert.ok(reporter, 'a demo civil society member');
    const context = await openContext(browser);
    const page = await context.newPage();
    const consoleErrors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    await signIn(page, server.baseUrl, { ...reporter, password: DEMO_PASSWORD });
    await page.goto(server.baseUrl + intakePaths.kind());
    await choose(page, 'kind', 'problem');
    await continueOn(page);
    assert.equal(pathOf(page), intakePaths.body());

    // The enhanced field is a combobox with the page's label; no search results are shown yet.
    const combobox = page.getByRole('combobox', { name: 'Name of the public body' });
    await combobox.waitFor();
    assert.equal(await page.locator('form[role="search"] input[name="q"]').count(), 1, 'one field named q');
    await combobox.pressSequentially('leeds ci', { delay: 40 });
    const option = page.getByRole('option', { name: 'Leeds City Council', exact: true });
    await option.waitFor();
    assert.deepEqual(await accessibilityProblems(page), [], 'axe with the suggestions open');

    // Arrow down to the suggestion and press Enter: the body is chosen and the journey moves on.
    const options = await page.getByRole('option').allInnerTexts();
    const index = options.indexOf('Leeds City Council');
    assert.ok(index >= 0, options.join(', '));
    for (let i = 0; i <= index; i++) await combobox.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.pathname === intakePaths.whatHappened());

    await page.goto(server.baseUrl + intakePaths.body());
    assert.match(await page.locator('main').innerText(), /You chose Leeds City Council\./);

    // A name with no match says so, and Search still gives the full results with "I cannot find it".
    await combobox.fill('');
    await combobox.pressSequentially('zzqx no such body', { delay: 20 });
    await page.getByText('No bodies match. Choose Search to see other options.').waitFor();
    await Promise.all([
      page.waitForURL((url) => url.searchParams.get('q') === 'zzqx no such body'),
      page.locator('main form[role="search"] button').click(),
    ]);
    assert.ok(await page.locator('input[name="bodyId"][value="not-found"]').count(), 'not-found option');
    assert.deepEqual(await accessibilityProblems(page), [], 'axe on the results');
    assert.deepEqual(consoleErrors, [], 'no script or CSP errors');
    await context.close();
  });
});
