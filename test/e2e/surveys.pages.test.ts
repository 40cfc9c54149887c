/**
 * The annual review in a browser (issue 6, acceptance). A whole response with JavaScript OFF, on the demo's
 * open edition: the start page, every question page (one section per page, with the error summary on an empty
 * page), check your answers and the confirmation. Axe needs JavaScript, so each page the JavaScript-off
 * browser saw is captured and served again, byte for byte, to a JavaScript-on page where axe runs (0
 * violations, WCAG 2.2 AA, plus the page basics). Then the builder's pages, signed in as the demo
 * administrator, each checked with axe.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { DEMO_PASSWORD, demoAccounts } from '../../src/modules/accounts/accounts.demo.ts';
import { toUkIsoDate } from '../../src/platform/calendar/iso-date.ts';
import { surveyPaths as sp } from '../../src/modules/surveys/surveys.paths.ts';
import { accessibilityProblems, pageBasicsProblems } from './support/axe.ts';
import { openContext } from './support/browser.ts';
import { choose, continueOn, signIn } from './support/pages.ts';
import type { RunningServer } from './support/server.ts';
import { startServerAndBrowser, stopServerAndBrowser } from './support/setup.ts';

const pathOf = (page: Page) => new URL(page.url()).pathname;
const year = toUkIsoDate(new Date()).slice(0, 4);
const questions = (section: string) => sp.page({ year, section });

describe('the annual review in a browser', () => {
  let server: RunningServer;
  let browser: Browser;
  before(async () => ({ server, browser } = await startServerAndBrowser()));
  after(() => stopServerAndBrowser(server, browser));

  /**
   * A browser signed in as the demo administrator, on the demo edition's builder page, with the ids of its
   * first section and of its first or last question that has a show-if link.
   */
  async function asDemoAdmin(which: 'first' | 'last') {
    const adminAccount = demoAccounts.find((a) => a.role === 'admin')!;
    const context = await openContext(browser);
    const page = await context.newPage();
    await signIn(page, server.baseUrl, { ...adminAccount, password: DEMO_PASSWORD });
    await page.goto(server.baseUrl + sp.admin());
    const editionHref = await page
      .locator('main table a[href*="/annual-review/admin/editions/"]')
      .first()
      .getAttribute('href');
    assert.ok(editionHref, 'the demo edition is listed');
    await page.goto(server.baseUrl + editionHref);
    const sectionHref = await page
      .locator('main a[href*="/sections/"][href$="/show-if"]')
      .first()
      .getAttribute('href');
    const questions = page.locator('main a[href*="/questions/"][href$="/show-if"]');
    const questionHref = await (which === 'first' ? questions.first() : questions.last()).getAttribute(
      'href',
    );
    return {
      context,
      page,
      editionId: /editions\/([0-9a-f-]{36})/.exec(editionHref)![1]!,
      sectionId: /sections\/([0-9a-f-]{36})/.exec(sectionHref!)![1]!,
      questionId: /questions\/([0-9a-f-]{36})/.exec(questionHref!)![1]!,
    };
  }

  test(
    'a whole response with JavaScript off; axe on every page it showed',
    { timeout: 240_000 },
    async () => {
      const context = await openContext(browser, { javaScriptEnabled: false });
      const page = await context.newPage();
      const seen: { step: string; url: string; html: string }[] = [];
      const problems: string[] = [];
      const capture = async (step: string) => {
        for (const p of await pageBasicsProblems(page)) problems.push(`${step} (${pathOf(page)}): ${p}`);
        seen.push({ step, url: page.url(), html: await page.content() });
      };

      await page.goto(server.baseUrl + sp.start({ year }));
      await capture('start');
      await page.getByRole('button', { name: /start now/i }).click();
      assert.equal(pathOf(page), questions('about-your-organisation'));
      await capture('about your organisation');

      // An empty page comes back with the error summary, without JavaScript.
      await continueOn(page);
      assert.equal(pathOf(page), questions('about-your-organisation'));
      assert.ok(await page.locator('.govuk-error-summary').isVisible(), 'the error summary is shown');
      assert.match(await page.title(), /^Error:/);
      await capture('about your organisation with errors');
      await choose(page, 'organisation-type', 'charity');
      await choose(page, 'income-band', 'small');
      await choose(page, 'nation', 'england');
      await choose(page, 'role', 'chief_executive');
      await continueOn(page);

      assert.equal(pathOf(page), questions('your-region'));
      await capture('region');
      await choose(page, 'region', 'north-east');
      await continueOn(page);

      assert.equal(pathOf(page), questions('your-work'));
      await capture('your work');
      await choose(page, 'worked-with-government', 'yes');
      await page.locator('input[name="paid-staff"]').fill('4');
      await continueOn(page);

      assert.equal(pathOf(page), questions('how-you-worked'));
      await capture('how you worked');
      await choose(page, 'engagement-ways', 'consultation');
      await choose(page, 'engagement-ways', 'grant-or-contract');
      const firstBody = page.locator('select[name="body-ratings-body-1"] option').nth(1);
      if ((await firstBody.count()) > 0) {
        await page.selectOption('select[name="body-ratings-body-1"]', { index: 1 });
        await choose(page, 'body-ratings-rating-1', '4');
      }
      await continueOn(page);

      assert.equal(pathOf(page), questions('recognition'));
      await capture('recognition');
      for (const key of ['expertise-listened', 'implications-assessed', 'mutual-respect', 'fair-process'])
        await choose(page, key, 'agree');
      await continueOn(page);

      assert.equal(pathOf(page), questions('speaking-out'));
      await capture('speaking out');
      await choose(page, 'campaign-freely', 'disagree');
      await choose(page, 'self-censorship', 'sometimes');
      await continueOn(page);

      assert.equal(pathOf(page), questions('understanding'));
      await capture('understanding');
      await page.locator('textarea[name="self-censorship-detail"]').fill('We worried about our funding.');
      await choose(page, 'constraints-understood', 'neither');
      await continueOn(page);

      assert.equal(pathOf(page), questions('anything-else'));
      await capture('anything else');
      await page.locator('textarea[name="one-improvement"]').fill('Give longer notice of funding changes.');
      await continueOn(page);

      assert.equal(pathOf(page), sp.check({ year }));
      await capture('check your answers');
      assert.match(await page.locator('main').innerText(), /We worried about our funding\./);
      await page.getByRole('button', { name: 'Send answers' }).click();
      await page.waitForLoadState('load');
      assert.equal(pathOf(page), sp.submitted({ year }));
      assert.match(await page.locator('h1').innerText(), /Answers sent/);
      await capture('submitted');
      await context.close();
      assert.deepEqual(problems, []);

      // Axe on exactly what the JavaScript-off browser was shown (assets still come from the server).
      const axeContext = await openContext(browser);
      const axePage = await axeContext.newPage();
      const violations: string[] = [];
      for (const { step, url, html } of seen) {
        await axePage.route(url, (route) =>
          route.fulfill({ status: 200, contentType: 'text/html', body: html }),
        );
        await axePage.goto(url);
        for (const p of await accessibilityProblems(axePage)) violations.push(`${step}: ${p}`);
        await axePage.unroute(url);
      }
      await axeContext.close();
      assert.deepEqual(violations, []);
    },
  );

  test('the builder’s pages pass axe for the demo administrator', { timeout: 240_000 }, async () => {
    const { context, page, editionId, sectionId, questionId } = await asDemoAdmin('last');
    const paths = [
      sp.admin(),
      sp.adminNew(),
      sp.adminEdition({ editionId }),
      sp.adminSettings({ editionId }),
      sp.adminPreview({ editionId }),
      sp.adminPublish({ editionId }),
      sp.adminCopy({ editionId }),
      sp.adminSectionNew({ editionId }),
      sp.adminSection({ editionId, sectionId }),
      sp.adminSectionLogic({ editionId, sectionId }),
      sp.adminQuestionNew({ editionId, sectionId }),
      `${sp.adminQuestionNew({ editionId, sectionId })}?type=multiple_choice`,
      `${sp.adminQuestionNew({ editionId, sectionId })}?type=number`,
      sp.adminQuestion({ editionId, questionId }),
      sp.adminQuestionLogic({ editionId, questionId }),
      sp.adminInvitations({ editionId }),
      sp.index(),
    ];
    const problems: string[] = [];
    for (const path of paths) {
      const response = await page.goto(server.baseUrl + path);
      if ((response?.status() ?? 0) >= 400) problems.push(`${path}: status ${response?.status()}`);
      for (const p of await accessibilityProblems(page)) problems.push(`${path}: ${p}`);
    }
    // An empty form's error summary, too.
    await page.goto(server.baseUrl + sp.adminNew());
    await page.locator('main input[name="year"]').fill('');
    await page.getByRole('button', { name: 'Create an edition' }).click();
    await page.waitForLoadState('load');
    assert.ok(await page.locator('.govuk-error-summary').isVisible());
    for (const p of await accessibilityProblems(page)) problems.push(`new edition with errors: ${p}`);
    await context.close();
    assert.deepEqual(problems, []);
  });

  test(
    'the other pages pass axe: every type of question form, replacing, the invitations check, saved for later, a refused link',
    { timeout: 240_000 },
    async () => {
      const { context, page, editionId, sectionId, questionId } = await asDemoAdmin('first');
      const problems: string[] = [];
      const look = async (step: string) => {
        await page.waitForLoadState('load');
        for (const p of await accessibilityProblems(page)) problems.push(`${step}: ${p}`);
      };
      const visit = async (path: string, expected = 200) => {
        const response = await page.goto(server.baseUrl + path);
        if (response?.status() !== expected) problems.push(`${path}: status ${response?.status()}`);
        await look(path);
      };
      for (const type of ['single_choice', 'agreement', 'free_text', 'body_rating'])
        await visit(`${sp.adminQuestionNew({ editionId, sectionId })}?type=${type}`);
      await visit(sp.adminQuestionReplace({ editionId, questionId }));
      await visit(`${sp.adminQuestionReplace({ editionId, questionId })}?type=agreement`);

      // The invitations check (a dry run): one good row, one bad.
      await page.goto(server.baseUrl + sp.adminInvitations({ editionId }));
      await page.locator('input[name="file"]').setInputFiles({
        name: 'contacts.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from('email\nsomeone@example.org\nnot an address\n'),
      });
      await page.locator('main form[enctype="multipart/form-data"] button').click();
      await look('invitations check');
      assert.match(await page.locator('main').innerText(), /not an address/);

      // Saved for later, from a response in progress; and a refused (unknown) invitation link.
      await page.goto(server.baseUrl + sp.start({ year }));
      await page.getByRole('button', { name: /start now/i }).click();
      await page.waitForLoadState('load');
      await visit(sp.saved({ year }));
      await visit(sp.invitation({ token: 'x'.repeat(43) }), 404);
      assert.match(await page.locator('h1').innerText(), /.+/);
      await context.close();
      assert.deepEqual(problems, []);
    },
  );
});
