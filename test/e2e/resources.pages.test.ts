/**
 * The resource library in a real browser against the real server with the demo data: axe (WCAG 2.2 AA,
 * 0 violations) on every library page as a visitor and as the Covenant team, including forms submitted with
 * errors; then, with JavaScript off, the team's journey: add a resource (the error summary first), edit it
 * into version 2, upload a file of the wrong type (a clear error) and then a right one, publish, mark it
 * reviewed, and a visitor finds it by search and downloads the file.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DEMO_PASSWORD, demoAccounts } from '../../src/modules/accounts/accounts.demo.ts';
import { resourcePaths as p } from '../../src/modules/resources/resources.paths.ts';
import {
  DEMO_DRAFT_SLUG,
  DEMO_OVERDUE_SLUG,
  DEMO_VERSIONED_SLUG,
} from '../../src/modules/resources/resources.demo.ts';
import { accessibilityProblems, pageBasicsProblems } from './support/axe.ts';
import { openContext } from './support/browser.ts';
import { choose, signIn, submitForm } from './support/pages.ts';
import type { RunningServer } from './support/server.ts';
import { startServerAndBrowser, stopServerAndBrowser } from './support/setup.ts';

const admin = {
  ...demoAccounts.find((a) => a.email === 'admin@demo.covenant-hub.local')!,
  password: DEMO_PASSWORD,
};

describe('resource library in the browser', () => {
  let server: RunningServer;
  let browser: Browser;
  before(async () => ({ server, browser } = await startServerAndBrowser()));
  after(() => stopServerAndBrowser(server, browser));

  async function check(context: BrowserContext, paths: string[]) {
    const page = await context.newPage();
    const problems: string[] = [];
    for (const path of paths) {
      const response = await page.goto(server.baseUrl + path);
      if ((response?.status() ?? 0) >= 400) problems.push(`${path}: status ${response?.status()}`);
      for (const problem of await accessibilityProblems(page)) problems.push(`${path}: ${problem}`);
    }
    await page.close();
    return problems;
  }

  test('axe: every library page, as a visitor and as the Covenant team', { timeout: 300_000 }, async () => {
    const problems: string[] = [];
    const anonymous = await openContext(browser);
    problems.push(
      ...(await check(anonymous, [
        p.index(),
        p.index({ q: 'consultation', kind: 'guidance', audience: 'public_body', nation: 'wales' }),
        p.index({ q: 'nothing matches this zebra' }),
        p.show({ slug: 'how-to-report-an-issue' }),
        p.show({ slug: 'case-study-three-year-grants' }),
        p.show({ slug: 'template-letter-funding-notice' }),
        p.versions({ slug: DEMO_VERSIONED_SLUG }),
        p.version({ slug: DEMO_VERSIONED_SLUG, version: '1' }),
      ])),
    );
    await anonymous.close();

    const context = await openContext(browser);
    const page = await context.newPage();
    await signIn(page, server.baseUrl, admin);
    problems.push(
      ...(await check(context, [
        p.index(),
        p.manage(),
        p.create(),
        p.show({ slug: DEMO_OVERDUE_SLUG }),
        p.show({ slug: DEMO_DRAFT_SLUG }),
        p.edit({ slug: DEMO_VERSIONED_SLUG }),
        p.attachments({ slug: DEMO_VERSIONED_SLUG }),
      ])),
    );
    // Forms with errors: the error summary, and still no violations.
    await page.goto(server.baseUrl + p.create());
    await submitForm(page, { title: '' });
    assert.ok(await page.locator('.govuk-error-summary').isVisible(), 'create: error summary');
    for (const problem of await accessibilityProblems(page)) problems.push(`create (errors): ${problem}`);
    await page.goto(server.baseUrl + p.edit({ slug: DEMO_VERSIONED_SLUG }));
    await submitForm(page, { changeNote: '' });
    assert.ok(await page.locator('.govuk-error-summary').isVisible(), 'edit: error summary');
    for (const problem of await accessibilityProblems(page)) problems.push(`edit (errors): ${problem}`);
    await page.goto(server.baseUrl + p.attachments({ slug: DEMO_VERSIONED_SLUG }));
    await page.locator('main form[enctype="multipart/form-data"] button').click();
    await page.waitForLoadState('load');
    assert.ok(await page.locator('.govuk-error-summary').isVisible(), 'upload: error summary');
    for (const problem of await accessibilityProblems(page)) problems.push(`upload (errors): ${problem}`);
    await context.close();
    assert.deepEqual(problems, []);
  });

  test(
    'with JavaScript off: add, edit, attach, publish, review; a visitor finds and downloads it',
    { timeout: 240_000 },
    async () => {
      const context = await openContext(browser, { javaScriptEnabled: false });
      const page = await context.newPage();
      const problems: string[] = [];
      const basics = async (step: string) => {
        for (const problem of await pageBasicsProblems(page)) problems.push(`${step}: ${problem}`);
      };
      await signIn(page, server.baseUrl, admin);
      const pathOf = (pg: Page) => new URL(pg.url()).pathname;

      // Add: first with a missing summary, so the error summary shows and the title stays.
      await page.goto(server.baseUrl + p.manage());
      await page.locator('main a', { hasText: 'Add a resource' }).click();
      await submitForm(page, {
        title: 'Running a joint away day',
        body: '## Before the day\n\nAgree the purpose together.',
      });
      assert.ok(await page.locator('.govuk-error-summary').isVisible());
      assert.equal(await page.locator('input[name="title"]').inputValue(), 'Running a joint away day');
      await basics('create with errors');
      await choose(page, 'kind', 'guidance');
      await choose(page, 'audience', 'both');
      await choose(page, 'principles', 'partnership-and-collaboration');
      await choose(page, 'status', 'draft');
      await submitForm(page, { summary: 'How a public body and local charities can plan a day together.' });
      assert.equal(pathOf(page), p.show({ slug: 'running-a-joint-away-day' }));
      assert.match(await page.locator('main').innerText(), /This resource is a draft/);
      await basics('created');

      // Edit into version 2.
      await page.locator('main a', { hasText: /^Edit/ }).click();
      await page
        .locator('textarea[name="body"]')
        .fill('## Before the day\n\nAgree the purpose together.\n\n## On the day\n\nMix the tables.');
      await submitForm(page, { changeNote: 'Added a section on the day itself.' });
      assert.match(await page.locator('main').innerText(), /Version 2/);

      // Files: a wrong type first, then a text file.
      await page.locator('main a', { hasText: 'Add or remove files' }).click();
      await page.setInputFiles('input[name="file"]', {
        name: 'agenda.pdf',
        mimeType: 'application/pdf',
        buffer: Buffer.from([0x00, 0x01, 0x02, 0xff, 0xfe]),
      });
      await page.locator('main form[enctype="multipart/form-data"] button').click();
      await page.waitForLoadState('load');
      assert.match(await page.locator('.govuk-error-summary').innerText(), /must be a PDF, Word document/);
      await basics('wrong file type');
      await page.setInputFiles('input[name="file"]', {
        name: 'agenda.txt',
        mimeType: 'text/plain',
        buffer: Buffer.from('Agenda\n10:00 Welcome\n10:30 What is working\n'),
      });
      await page.locator('main form[enctype="multipart/form-data"] button').click();
      await page.waitForLoadState('load');
      assert.match(await page.locator('main').innerText(), /agenda\.txt/);
      await page.locator('a.govuk-back-link', { hasText: 'Back to the resource' }).click();

      // Publish and mark reviewed.
      await page.locator('main button', { hasText: 'Publish' }).click();
      await page.waitForLoadState('load');
      assert.match(await page.locator('.govuk-notification-banner').innerText(), /Resource published/);
      await page.locator('main button', { hasText: 'Mark as reviewed today' }).click();
      await page.waitForLoadState('load');
      assert.match(await page.locator('.govuk-notification-banner').innerText(), /Marked as reviewed today/);
      await context.close();

      // A visitor searches, opens it, and downloads the file.
      const visitor = await openContext(browser, { javaScriptEnabled: false });
      const vpage = await visitor.newPage();
      await vpage.goto(server.baseUrl + p.index());
      await submitForm(vpage, { q: 'away day' });
      await vpage.locator('main a', { hasText: 'Running a joint away day' }).click();
      assert.equal(new URL(vpage.url()).pathname, p.show({ slug: 'running-a-joint-away-day' }));
      assert.match(await vpage.locator('main').innerText(), /On the day/);
      const href = await vpage.locator('main a', { hasText: 'Download agenda.txt' }).getAttribute('href');
      const download = await fetch(server.baseUrl + href!);
      assert.equal(download.status, 200);
      assert.match(await download.text(), /10:30 What is working/);
      await visitor.close();
      assert.deepEqual(problems, []);
    },
  );
});
