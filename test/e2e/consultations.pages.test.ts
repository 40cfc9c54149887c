/**
 * Consultations in a real browser against the real server with the demo data, JavaScript OFF throughout:
 * axe (WCAG 2.2 AA, 0 violations) on every consultation page, including forms submitted empty; a whole
 * response (about you, a comment on one paragraph with a suggested change shown as a diff, the principles,
 * the questions, consent, check and send); then the team's pages and moderation as the demo administrator.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { DEMO_PASSWORD, demoAccounts } from '../../src/modules/accounts/accounts.demo.ts';
import { DEMO_CONSULTATION_SLUG } from '../../src/modules/consultations/consultations.demo.ts';
import { consultationPaths as p } from '../../src/modules/consultations/consultations.paths.ts';
import { deferredAxe } from './support/axe.ts';
import { launchBrowser, openContext } from './support/browser.ts';
import { choose, signIn, submitForm } from './support/pages.ts';
import { startServer, type RunningServer } from './support/server.ts';

const slug = DEMO_CONSULTATION_SLUG;
const admin = {
  ...demoAccounts.find((a) => a.email === 'admin@demo.covenant-hub.local')!,
  password: DEMO_PASSWORD,
};
const pathOf = (page: Page) => new URL(page.url()).pathname;

describe('consultations in the browser, JavaScript off', () => {
  let server: RunningServer;
  let browser: Browser;
  const problems: string[] = [];
  before(async () => {
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
    axe = deferredAxe(browser, server.baseUrl + p.index(), problems);
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  // axe needs JavaScript: each page's basics are checked as it is seen, axe runs on the kept HTML later.
  let axe: ReturnType<typeof deferredAxe>;
  const check = (page: Page, label: string) => axe.check(page, label);
  const axeEverySeenPage = () => axe.axeAll();

  test('responding without JavaScript, with axe on every page', { timeout: 300_000 }, async () => {
    const context = await openContext(browser, { javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(server.baseUrl + p.index());
    await check(page, 'list');
    await page.goto(server.baseUrl + p.show({ slug }));
    await check(page, 'consultation page');
    const firstKey = await page.locator('main .app-numbered-paragraph').first().getAttribute('id');
    assert.ok(firstKey, 'paragraphs carry their stable key as an anchor');
    await page.goto(server.baseUrl + p.responses({ slug }));
    await check(page, 'published responses');
    const responseHref = await page.locator('main a[href*="/responses/CR-"]').first().getAttribute('href');
    assert.ok(responseHref, 'a published demo response is listed');
    await page.goto(server.baseUrl + responseHref);
    await check(page, 'one published response');
    await page.goto(server.baseUrl + p.responses({ slug }, { q: 'timetable' }));
    await check(page, 'search');

    await page.goto(server.baseUrl + p.show({ slug }));
    await page.locator('main form button').click();
    await page.waitForLoadState('load');
    assert.equal(pathOf(page), p.tasks({ slug }));
    await check(page, 'task list');

    await page.goto(server.baseUrl + p.about({ slug }));
    await submitForm(page, {});
    assert.ok(await page.locator('.govuk-error-summary').isVisible());
    await check(page, 'about you with errors');
    await choose(page, 'respondentType', 'individual');
    await submitForm(page, {
      respondentName: 'Browser Tester',
      respondentEmail: 'browser.tester@example.org',
    });
    assert.equal(pathOf(page), p.tasks({ slug }));

    await page.goto(server.baseUrl + p.document({ slug }));
    await check(page, 'document');
    await page.goto(server.baseUrl + p.comment({ slug, key: firstKey }));
    await check(page, 'comment form');
    await choose(page, 'stance', 'suggest_change');
    await submitForm(page, {});
    assert.ok(await page.locator('.govuk-error-summary').isVisible());
    await check(page, 'comment form with errors');
    const original = await page.locator('#paragraph-text').innerText();
    await choose(page, 'stance', 'suggest_change');
    await submitForm(page, { comment: 'Say when.', suggestedText: `${original} Every year.` });
    assert.equal(pathOf(page), p.document({ slug }));
    assert.ok(await page.locator(`#${firstKey} ins`).count(), 'the suggested change shows as a diff');
    await check(page, 'document with a comment');

    await page.goto(server.baseUrl + p.principles({ slug }));
    await submitForm(page, {});
    await check(page, 'principles with errors');
    for (const radio of await page.locator('main input[type="radio"][value="support"]').all())
      await radio.check();
    await submitForm(page, {});
    assert.equal(pathOf(page), p.tasks({ slug }));

    await page.goto(server.baseUrl + p.questions({ slug, section: 'questions' }));
    await submitForm(page, {});
    await check(page, 'questions with errors');
    await choose(page, 'clear', 'agree');
    await submitForm(page, { missing: 'A timetable.' });

    await page.goto(server.baseUrl + p.consent({ slug }));
    await submitForm(page, {});
    await check(page, 'consent with errors');
    await choose(page, 'consent', 'anonymised');
    await submitForm(page, {});

    await page.goto(server.baseUrl + p.saved({ slug }));
    await check(page, 'saved');
    await page.goto(server.baseUrl + p.check({ slug }));
    await check(page, 'check your response');
    await page.locator('main form button').last().click();
    await page.waitForLoadState('load');
    assert.equal(pathOf(page), p.submitted({ slug }));
    assert.match(await page.locator('main').innerText(), /Response sent/);
    await check(page, 'sent');
    // After sending, the old draft is refused politely.
    await page.goto(server.baseUrl + p.tasks({ slug }));
    await check(page, 'refusal');
    await context.close();
    await axeEverySeenPage();
    assert.deepEqual(problems, []);
  });

  test('the team’s pages and moderation, JavaScript off, with axe', { timeout: 300_000 }, async () => {
    const context = await openContext(browser, { javaScriptEnabled: false });
    const page = await context.newPage();
    await signIn(page, server.baseUrl, admin);
    for (const [label, path] of [
      ['admin list', p.admin()],
      ['manage', p.manage({ slug })],
      ['edit', p.edit({ slug })],
      ['moderation', p.moderation({ slug })],
      ['moderation published', p.moderation({ slug }, { state: 'published' })],
    ] as const) {
      await page.goto(server.baseUrl + path);
      assert.ok((await page.title()).length > 0);
      await check(page, label);
    }
    await page.goto(server.baseUrl + p.create());
    await submitForm(page, {});
    assert.ok(
      await page.locator('.govuk-error-summary').isVisible(),
      `${pathOf(page)}: ${(await page.locator('main').innerText()).slice(0, 300)}`,
    );
    await check(page, 'create with errors');
    await submitForm(page, {
      title: 'Browser test consultation',
      summary: 'Summary',
      howResponsesUsed: 'How used',
      'opensOn-day': '1',
      'opensOn-month': '1',
      'opensOn-year': '2030',
      'closesOn-day': '15',
      'closesOn-month': '1',
      'closesOn-year': '2030',
    });
    assert.match(await page.locator('main').innerText(), /shorter than the 12 weeks/);
    await check(page, 'create with the 12-week warning');
    await submitForm(page, { shortPeriodReason: 'A browser test.' });
    const manage = pathOf(page);
    await check(page, 'new consultation');
    await page.goto(server.baseUrl + manage.replace(/\/manage$/, '/manage/questions/new'));
    await check(page, 'question type');
    await choose(page, 'type', 'free_text');
    await page.locator('main form button').click();
    await page.waitForLoadState('load');
    await check(page, 'question form');
    await submitForm(page, {});
    await check(page, 'question form with errors');

    await page.goto(server.baseUrl + p.moderation({ slug }));
    const first = await page.locator('main a[href*="/manage/moderation/"]').first().getAttribute('href');
    assert.ok(first, 'a response waits for moderation');
    await page.goto(server.baseUrl + first);
    await check(page, 'moderate');
    await submitForm(page, {});
    await check(page, 'moderate with errors');
    await choose(page, 'decision', 'publish');
    await page.locator('main form button').last().click();
    await page.waitForLoadState('load');
    assert.equal(pathOf(page), p.moderation({ slug }));
    await context.close();
    await axeEverySeenPage();
    assert.deepEqual(problems, []);
  });
});
