/**
 * Consultation analysis and the government response in a browser with JavaScript off, against the real app
 * (in process, on loopback) with the analysis fixture: axe (WCAG 2.2 AA, 0 violations) on every analysis page,
 * the editor and the published "you said, we did"; tagging a response, writing an entry with a bad then a good
 * form, making the next draft and publishing, all by plain form posts.
 */
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { createPerson } from '../helpers/analysis.ts';
import { SESSION_COOKIE } from '../../src/platform/http/context.ts';
import {
  analysisPaths as p,
  responsePaths as rp,
} from '../../src/modules/consultations/consultations.analysis.paths.ts';
import {
  buildConsultationFixture,
  PRIVATE_MARKERS,
  TEST_SLUG,
  type ConsultationFixture,
} from '../../src/modules/consultations/consultations.analysis.testdata.ts';
import { accessibilityProblems } from './support/axe.ts';
import { launchBrowser, openContext } from './support/browser.ts';

const slug = TEST_SLUG;

describe('consultation analysis pages', () => {
  let t: TestApp;
  let browser: Browser;
  let baseUrl: string;
  let fx: ConsultationFixture;
  let session: string;
  let context: BrowserContext;
  let page: Page;
  /** A context signed in as the analyst; axe needs JavaScript, the journey runs without it. */
  async function signedIn(javaScriptEnabled: boolean) {
    const c = await openContext(browser, { javaScriptEnabled });
    await c.addCookies([{ name: SESSION_COOKIE, value: session, url: baseUrl }]);
    return c;
  }
  before(async () => {
    t = await createTestApp();
    fx = await buildConsultationFixture(t.deps.db, t.clock);
    const admin = await createPerson(t.deps, 'admin', 'Ada Admin');
    await t.deps.consultationAnalysis.runNow(admin, { userId: admin.id }, slug);
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    baseUrl = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    browser = await launchBrowser();
    session = await t.deps.sessions.start(admin.id, { secondFactorDone: true });
    context = await signedIn(true);
    page = await context.newPage();
  });
  after(async () => {
    await context?.close();
    await browser?.close();
    await t?.close();
  });

  async function check(path: string, problems: string[]) {
    const response = await page.goto(baseUrl + path);
    assert.equal(response?.status(), 200, path);
    for (const problem of await accessibilityProblems(page)) problems.push(`${path}: ${problem}`);
  }

  test('every analysis page passes axe', { timeout: 180_000 }, async () => {
    const problems: string[] = [];
    await check(p.overview({ slug }), problems);
    await page.getByRole('link', { name: 'Paragraph 1', exact: true }).click();
    const paragraphUrl = new URL(page.url()).pathname;
    await check(paragraphUrl, problems);
    await page.locator('h3 a').first().click();
    await check(new URL(page.url()).pathname, problems);
    await check(p.question({ slug, key: 'why' }), problems);
    await check(p.responses({ slug }), problems);
    await check(p.response({ slug, responseId: fx.responses.named[0]! }), problems);
    await check(rp.edit({ slug }), problems);
    assert.deepEqual(problems, []);
  });

  test(
    'JavaScript off: tag a response, write entries (bad then good), draft, publish; public page passes axe',
    { timeout: 180_000 },
    async () => {
      const noJs = await signedIn(false);
      const page = await noJs.newPage();
      await page.goto(baseUrl + p.response({ slug, responseId: fx.responses.named[0]! }));
      await page.fill('#tag', 'Funding');
      await page.getByRole('button', { name: 'Add tag' }).click();
      assert.match(await page.content(), /Tag added/);
      await page.goto(baseUrl + p.responses({ slug }, { tag: 'funding' }));
      assert.equal(await page.locator('tbody tr').count(), 1);

      await page.goto(baseUrl + rp.edit({ slug }));
      await page.fill('#summary', 'We heard you and changed the text.');
      await page.getByRole('button', { name: 'Save summary' }).click();
      await page.fill('#heard', 'Typed words are kept');
      await page.getByRole('button', { name: 'Add entry' }).click();
      assert.match(await page.content(), /govuk-error-summary/);
      assert.equal(await page.inputValue('#heard'), 'Typed words are kept');
      const problems: string[] = [];
      const themeOption = await page.locator('#about option[value^="theme:"]').first().getAttribute('value');
      await page.selectOption('#about', themeOption!);
      await page.fill('#changed', 'We now say grants are paid on time');
      await page.fill('#newText', 'Grants will be paid on time, and funders will say so early.');
      await page.getByRole('button', { name: 'Add entry' }).click();
      assert.match(await page.content(), /Entry added/);
      await page.getByRole('button', { name: 'Create the next draft' }).click();
      await page.getByRole('button', { name: 'Publish the response' }).click();
      assert.match(await page.content(), /Government response published/);

      await noJs.close();

      // The public page, for a visitor (not signed in), with axe in a JavaScript context.
      const visitor = await openContext(browser);
      const publicPage = await visitor.newPage();
      const response = await publicPage.goto(baseUrl + rp.show({ slug }));
      assert.equal(response?.status(), 200);
      const html = await publicPage.content();
      assert.match(html, /Typed words are kept/);
      for (const marker of PRIVATE_MARKERS) assert.ok(!html.includes(marker), `${marker} must not be public`);
      for (const problem of await accessibilityProblems(publicPage))
        problems.push(`public response: ${problem}`);
      await visitor.close();
      assert.deepEqual(problems, []);
    },
  );
});
