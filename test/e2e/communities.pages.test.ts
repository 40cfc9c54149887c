/**
 * Communities of practice in a real browser against the real server with the demo data: axe (WCAG 2.2 AA,
 * 0 violations) on every communities page as a visitor, a member and a moderator, including the forms
 * submitted empty; then the journey with JavaScript off: join a group, start a discussion (the error
 * summary first), reply, register for an event, and get the confirmation email.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DEMO_PASSWORD, demoAccounts } from '../../src/modules/accounts/accounts.demo.ts';
import { communityPaths as p } from '../../src/modules/communities/communities.paths.ts';
import { accessibilityProblems, pageBasicsProblems } from './support/axe.ts';
import { openContext } from './support/browser.ts';
import { signIn, submitForm } from './support/pages.ts';
import type { RunningServer } from './support/server.ts';
import { startServerAndBrowser, stopServerAndBrowser } from './support/setup.ts';

const account = (email: string) => {
  const a = demoAccounts.find((x) => x.email === email)!;
  return { ...a, password: DEMO_PASSWORD };
};
const member = account('cso.member@demo.covenant-hub.local');
const moderator = account('cso.admin@demo.covenant-hub.local');
const GROUP = 'commissioning-and-grants';
const pathOf = (page: Page) => new URL(page.url()).pathname;

describe('communities of practice in the browser', () => {
  let server: RunningServer;
  let browser: Browser;
  before(async () => ({ server, browser } = await startServerAndBrowser()));
  after(() => stopServerAndBrowser(server, browser));

  /** Opens each path (or the first link on `from` matching `pattern`) and runs axe; returns the problems. */
  async function check(context: BrowserContext, entries: (string | { from: string; pattern: RegExp })[]) {
    const page = await context.newPage();
    const problems: string[] = [];
    for (const entry of entries) {
      let path = entry as string;
      if (typeof entry !== 'string') {
        await page.goto(server.baseUrl + entry.from);
        const hrefs = await page
          .locator('main a[href]')
          .evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
        const found = hrefs.find((h) => entry.pattern.test(h));
        if (!found) {
          problems.push(`no link matching ${String(entry.pattern)} on ${entry.from}`);
          continue;
        }
        path = found;
      }
      const response = await page.goto(server.baseUrl + path);
      if ((response?.status() ?? 0) >= 400) problems.push(`${path}: status ${response?.status()}`);
      for (const problem of await accessibilityProblems(page)) problems.push(`${path}: ${problem}`);
    }
    await page.close();
    return problems;
  }

  const uuid = '[0-9a-f-]{36}';
  const eventLink = { from: p.events(), pattern: new RegExp(`^/support/communities/events/${uuid}$`) };
  const threadLink = {
    from: p.group({ slug: GROUP }),
    pattern: new RegExp(`^/support/communities/threads/${uuid}$`),
  };

  test(
    'axe: every communities page, as a visitor, a member and a moderator',
    { timeout: 300_000 },
    async () => {
      const problems: string[] = [];
      const anonymous = await openContext(browser);
      problems.push(
        ...(await check(anonymous, [
          p.index(),
          p.events(),
          p.group({ slug: GROUP }),
          p.group({ slug: 'youth-and-volunteering' }),
          eventLink,
        ])),
      );
      await anonymous.close();

      for (const [who, pages] of [
        [
          moderator,
          [
            p.group({ slug: GROUP }),
            threadLink,
            p.members({ slug: GROUP }),
            p.flags({ slug: GROUP }),
            p.newEvent({ slug: GROUP }),
            eventLink,
            p.settings(),
          ],
        ],
        [member, [p.index(), p.group({ slug: GROUP }), p.settings(), eventLink]],
      ] as const) {
        const context = await openContext(browser);
        const page = await context.newPage();
        await signIn(page, server.baseUrl, who);
        await page.close();
        problems.push(...(await check(context, [...pages])));
        await context.close();
      }

      // Forms submitted empty: the error summary, and still no violations.
      const context = await openContext(browser);
      const page = await context.newPage();
      await signIn(page, server.baseUrl, moderator);
      for (const [path, field] of [
        [p.newEvent({ slug: GROUP }), 'title'],
        [p.newThread({ slug: GROUP }), 'title'],
      ] as const) {
        await page.goto(server.baseUrl + path);
        await submitForm(page, { [field]: '' });
        assert.ok(await page.locator('.govuk-error-summary').isVisible(), `${path}: error summary`);
        for (const problem of await accessibilityProblems(page))
          problems.push(`${path} (errors): ${problem}`);
      }
      // The flag page and a thread with the reply form open.
      await page.goto(server.baseUrl + p.group({ slug: GROUP }));
      const thread = await page
        .locator('main a[href^="/support/communities/threads/"]')
        .first()
        .getAttribute('href');
      await page.goto(server.baseUrl + thread!);
      for (const problem of await accessibilityProblems(page)) problems.push(`${thread}: ${problem}`);
      const flag = await page.locator('main a[href*="/flag"]').first().getAttribute('href');
      await page.goto(server.baseUrl + flag!);
      for (const problem of await accessibilityProblems(page)) problems.push(`${flag}: ${problem}`);
      // Changing an event: the edit page, then the same page with an error.
      await page.goto(server.baseUrl + p.events());
      await page.getByRole('link', { name: 'Fair funding workshop, Leeds' }).click();
      await page.getByRole('link', { name: 'Change the event' }).click();
      const edit = pathOf(page);
      for (const problem of await accessibilityProblems(page)) problems.push(`${edit}: ${problem}`);
      await submitForm(page, { capacity: '0' });
      assert.ok(await page.locator('.govuk-error-summary').isVisible(), 'edit: error summary');
      for (const problem of await accessibilityProblems(page)) problems.push(`${edit} (errors): ${problem}`);
      await context.close();
      assert.deepEqual(problems, []);
    },
  );

  test(
    'with JavaScript off: join a group, start a discussion, reply, register for an event',
    { timeout: 180_000 },
    async () => {
      const context = await openContext(browser, { javaScriptEnabled: false });
      const page = await context.newPage();
      const problems: string[] = [];
      const basics = async (step: string) => {
        for (const problem of await pageBasicsProblems(page)) problems.push(`${step}: ${problem}`);
      };
      await signIn(page, server.baseUrl, member);

      await page.goto(server.baseUrl + p.group({ slug: GROUP }));
      await basics('group');
      assert.match(await page.locator('main').innerText(), /Only members can read/);
      await page.getByRole('button', { name: 'Join this group' }).click();
      await page.waitForLoadState('load');
      assert.match(
        await page.locator('.govuk-notification-banner').innerText(),
        /You have joined Commissioning and grants practice/,
      );
      await basics('joined');

      await page.getByRole('link', { name: 'Start a discussion' }).click();
      await submitForm(page, { title: '', body: '' });
      assert.ok(await page.locator('.govuk-error-summary').isVisible());
      assert.match(await page.title(), /^Error:/);
      await basics('thread errors');
      await submitForm(page, {
        title: 'Small grants: one-page reports?',
        body: 'Would funders accept a one-page report for grants under £5,000?',
      });
      assert.match(pathOf(page), /^\/support\/communities\/threads\//);
      assert.match(await page.locator('h1').innerText(), /Small grants: one-page reports\?/);
      await basics('thread');
      await submitForm(page, { body: 'To add: we already count attendance, so that part is easy.' });
      assert.match(await page.locator('.govuk-notification-banner').innerText(), /Reply posted/);
      assert.match(await page.locator('main').innerText(), /we already count attendance/);

      await page.goto(server.baseUrl + p.events());
      await page.getByRole('link', { name: 'Fair funding workshop, Leeds' }).click();
      await basics('event');
      await page.getByRole('button', { name: 'Register for a place' }).click();
      await page.waitForLoadState('load');
      assert.match(await page.locator('.govuk-notification-banner').innerText(), /You have a place/);
      assert.equal(
        await page.getByRole('button', { name: 'Register for a place' }).count(),
        0,
        'no second registration',
      );
      assert.equal(await page.getByRole('button', { name: 'Cancel my place' }).count(), 1);
      await basics('registered');
      const eml = await server.waitForEmail(member.email, 30_000);
      assert.match(eml, /You have a place/);
      // The full online clinic puts a new person on the waiting list.
      await page.goto(server.baseUrl + p.events());
      await page.getByRole('link', { name: 'Online clinic: writing a fair grant agreement' }).click();
      await page.getByRole('button', { name: 'Join the waiting list' }).click();
      await page.waitForLoadState('load');
      assert.match(await page.locator('main').innerText(), /number 2 on the waiting list/);
      await context.close();

      // The organiser adds places with JavaScript off: the first person waiting gets one.
      const organiser = await openContext(browser, { javaScriptEnabled: false });
      const o = await organiser.newPage();
      await signIn(o, server.baseUrl, moderator);
      await o.goto(server.baseUrl + p.events());
      await o.getByRole('link', { name: 'Online clinic: writing a fair grant agreement' }).click();
      await o.getByRole('link', { name: 'Change the event' }).click();
      const capacity = Number(await o.locator('#capacity').inputValue());
      await submitForm(o, { capacity: String(capacity + 1) });
      assert.match(
        await o.locator('.govuk-notification-banner').innerText(),
        /1 people moved from the waiting list/,
      );
      for (const problem of await pageBasicsProblems(o)) problems.push(`edited: ${problem}`);
      await organiser.close();
      assert.deepEqual(problems, []);
    },
  );
});
