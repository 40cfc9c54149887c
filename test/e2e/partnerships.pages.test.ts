/**
 * Local covenant partnerships in a real browser against the real server with the demo data: axe (WCAG 2.2
 * AA, 0 violations) on every partnerships page as a visitor, the Leeds partnership's linked officer and an
 * administrator, including forms submitted with errors; then, with JavaScript off, the officer records a
 * meeting with minutes and an action, marks it done, and sees both on the public page.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext } from 'playwright-core';
import { DEMO_PASSWORD, demoAccounts } from '../../src/modules/accounts/accounts.demo.ts';
import { partnershipPaths as p } from '../../src/modules/partnerships/partnerships.paths.ts';
import { accessibilityProblems, pageBasicsProblems } from './support/axe.ts';
import { openContext } from './support/browser.ts';
import { signIn, submitForm } from './support/pages.ts';
import type { RunningServer } from './support/server.ts';
import { startServerAndBrowser, stopServerAndBrowser } from './support/setup.ts';

const account = (email: string) => {
  const a = demoAccounts.find((x) => x.email === email)!;
  return { ...a, password: DEMO_PASSWORD };
};
const officer = account('body.officer@demo.covenant-hub.local');
const admin = account('admin@demo.covenant-hub.local');
const LEEDS = 'leeds-local-covenant-partnership-demo';
const WY = 'west-yorkshire-covenant-partnership-demo';

describe('local covenant partnerships in the browser', () => {
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

  test(
    'axe: every partnerships page, as a visitor, the officer and an administrator',
    { timeout: 300_000 },
    async () => {
      const problems: string[] = [];
      const anonymous = await openContext(browser);
      problems.push(
        ...(await check(anonymous, [p.index(), p.national(), p.show({ slug: LEEDS }), p.show({ slug: WY })])),
      );
      await anonymous.close();

      for (const [who, paths] of [
        [officer, [p.show({ slug: LEEDS }), p.manage({ slug: LEEDS }), p.edit({ slug: LEEDS })]],
        [admin, [p.index(), p.create(), p.manage({ slug: WY })]],
      ] as const) {
        const context = await openContext(browser);
        const page = await context.newPage();
        await signIn(page, server.baseUrl, who);
        problems.push(...(await check(context, [...paths])));
        // Forms sent with errors: the error summary, and still no violations.
        for (const [path, fields] of [
          [p.manage({ slug: who === admin ? WY : LEEDS }), { organisation: '', role: '' }],
          [
            p.manage({ slug: who === admin ? WY : LEEDS }),
            { 'heldOn-day': '31', 'heldOn-month': '2', 'heldOn-year': '2026', meetingTitle: '' },
          ],
          [who === admin ? p.create() : p.edit({ slug: LEEDS }), { name: '', forumName: '' }],
        ] as const) {
          await page.goto(server.baseUrl + path);
          await submitForm(page, fields);
          assert.ok(await page.locator('.govuk-error-summary').isVisible(), `${path}: error summary`);
          for (const problem of await accessibilityProblems(page))
            problems.push(`${path} (errors): ${problem}`);
        }
        await context.close();
      }
      assert.deepEqual(problems, []);
    },
  );

  test(
    'with JavaScript off: the officer records a meeting and an action, then marks it done',
    { timeout: 180_000 },
    async () => {
      const context = await openContext(browser, { javaScriptEnabled: false });
      const page = await context.newPage();
      const problems: string[] = [];
      const basics = async (step: string) => {
        for (const problem of await pageBasicsProblems(page)) problems.push(`${step}: ${problem}`);
      };
      await signIn(page, server.baseUrl, officer);
      await page.goto(server.baseUrl + p.show({ slug: LEEDS }));
      await page.getByRole('link', { name: 'Manage this partnership' }).click();
      await basics('manage');
      await submitForm(page, {
        'heldOn-day': '2',
        'heldOn-month': '3',
        'heldOn-year': '2026',
        meetingTitle: 'Spring partnership meeting',
        minutes: 'Agreed a joint session on the front door.',
      });
      assert.match(await page.locator('.govuk-notification-banner').innerText(), /Meeting recorded/);
      await submitForm(page, { actionTitle: 'Book the joint session', owner: 'Voluntary Action Network' });
      assert.match(await page.locator('.govuk-notification-banner').innerText(), /Action added/);
      const status = page.locator('form', { has: page.getByLabel('Status of “Book the joint session”') });
      await status.locator('select').selectOption('done');
      await status.getByRole('button', { name: 'Change status' }).click();
      await page.waitForLoadState('load');
      assert.match(await page.locator('.govuk-notification-banner').innerText(), /Action updated/);
      await basics('updated');
      await page.goto(server.baseUrl + p.show({ slug: LEEDS }));
      const main = await page.locator('main').innerText();
      assert.match(main, /Spring partnership meeting/);
      assert.match(main, /Book the joint session/);
      await basics('public page');
      await context.close();
      assert.deepEqual(problems, []);
    },
  );
});
