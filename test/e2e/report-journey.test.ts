/**
 * The report journey with JavaScript off (issue 4, acceptance): a member of a small charity signs in, finds
 * the council with the search step (no typeahead without JavaScript), answers one question per page, meets
 * the error summary on an empty page, uploads a text file as evidence, chooses to keep their identity from
 * the body, checks their answers and submits. The confirmation page gives a CH-YYYY-NNNNNN reference and the
 * acknowledgement email arrives through the outbox. Every page gets the page-basics checks (axe needs
 * JavaScript; the crawl in accessibility.test.ts runs it on these pages).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { DEMO_PASSWORD, demoAccounts } from '../../src/modules/accounts/accounts.demo.ts';
import { intakePaths } from '../../src/modules/cases/cases.intake.paths.ts';
import { pageBasicsProblems } from './support/axe.ts';
import { openContext } from './support/browser.ts';
import { choose, continueOn, signIn, submitForm } from './support/pages.ts';
import type { RunningServer } from './support/server.ts';
import { startServerAndBrowser, stopServerAndBrowser } from './support/setup.ts';

const pathOf = (page: Page) => new URL(page.url()).pathname;

describe('the report journey with JavaScript off', () => {
  let server: RunningServer;
  let browser: Browser;
  before(async () => ({ server, browser } = await startServerAndBrowser()));
  after(() => stopServerAndBrowser(server, browser));

  test(
    'report a problem about a council, with evidence, identity withheld',
    { timeout: 180_000 },
    async () => {
      const reporter = demoAccounts.find((a) => a.role === 'cso_member');
      assert.ok(reporter, 'a demo civil society member');
      const context = await openContext(browser, { javaScriptEnabled: false });
      const page = await context.newPage();
      const problems: string[] = [];
      const check = async (step: string) => {
        for (const p of await pageBasicsProblems(page)) problems.push(`${step} (${pathOf(page)}): ${p}`);
      };
      await signIn(page, server.baseUrl, { ...reporter, password: DEMO_PASSWORD });

      await page.goto(server.baseUrl + intakePaths.start());
      await check('start');
      await page.getByRole('button', { name: /start now/i }).click();
      assert.equal(pathOf(page), intakePaths.kind());
      await check('kind');

      // An empty answer comes back with the error summary, without JavaScript.
      await continueOn(page);
      assert.equal(pathOf(page), intakePaths.kind());
      assert.ok(await page.locator('.govuk-error-summary').isVisible(), 'the error summary is shown');
      assert.match(await page.title(), /^Error:/);
      await check('kind with errors');
      await choose(page, 'kind', 'problem');
      await continueOn(page);

      // Which body: the search step is an ordinary GET form, its results a list of radios.
      assert.equal(pathOf(page), intakePaths.body());
      await check('body');
      await submitForm(page, { q: 'Leeds City Council' });
      await check('body results');
      const leeds = page.getByLabel('Leeds City Council', { exact: true });
      await leeds.check();
      await continueOn(page);

      assert.equal(pathOf(page), intakePaths.whatHappened());
      await check('what happened');
      await submitForm(page, {
        title: 'Grant cut with two weeks notice',
        whatHappened:
          'The council told us on 3 November that our youth work grant would end on 17 November. ' +
          'We were given no reason and no chance to respond, and the funding notice was far shorter than three months.',
      });

      assert.equal(pathOf(page), intakePaths.category());
      await check('category');
      await page.locator('input[name="category"]').first().check();
      await continueOn(page);

      assert.equal(pathOf(page), intakePaths.when());
      await check('when');
      await submitForm(page, { 'happenedOn-day': '3', 'happenedOn-month': '11', 'happenedOn-year': '2025' });

      assert.equal(pathOf(page), intakePaths.commitments());
      await check('commitments');
      await page.locator('input[name="commitmentIds"]').first().check();
      await continueOn(page);

      assert.equal(pathOf(page), intakePaths.impact());
      await check('impact');
      await submitForm(page, {
        impact: 'Two part-time youth workers lose their jobs and 40 young people lose the club.',
      });
      assert.equal(pathOf(page), intakePaths.outcome());
      await check('outcome');
      await submitForm(page, { outcomeWanted: 'Three months of funding while the decision is reviewed.' });

      // Evidence: a text file, uploaded by the form's own upload button (a multipart POST, no script).
      assert.equal(pathOf(page), intakePaths.evidence());
      await check('evidence');
      await page.locator('input[name="files"]').setInputFiles({
        name: 'letter.txt',
        mimeType: 'text/plain',
        buffer: Buffer.from('Letter from the council dated 3 November ending the grant.\n'),
      });
      await page.getByRole('button', { name: /upload/i }).click();
      await page.waitForLoadState('load');
      assert.equal(pathOf(page), intakePaths.evidence());
      assert.match(await page.locator('main').innerText(), /letter\.txt/);
      await continueOn(page);

      assert.equal(pathOf(page), intakePaths.confidentiality());
      await check('confidentiality');
      await choose(page, 'confidentiality', 'withheld');
      await continueOn(page);

      assert.equal(pathOf(page), intakePaths.details());
      await check('details');
      await submitForm(page, { name: 'Sam Reporter', email: reporter.email });

      assert.equal(pathOf(page), intakePaths.checkAnswers());
      await check('check answers');
      const summary = await page.locator('main').innerText();
      assert.match(summary, /Leeds City Council/);
      assert.match(summary, /Grant cut with two weeks notice/);
      assert.match(summary, /letter\.txt/);
      await page.locator(`main form[action="${intakePaths.submit()}"] button`).first().click();
      await page.waitForLoadState('load');

      assert.match(pathOf(page), /^\/report\/confirmation\/CH-\d{4}-\d{6}$/);
      await check('confirmation');
      const reference = /CH-\d{4}-\d{6}/.exec(pathOf(page))![0];
      assert.match(await page.locator('main').innerText(), new RegExp(reference));

      const eml = await server.waitForEmail(reporter.email);
      assert.match(eml, new RegExp(reference), 'the acknowledgement email gives the reference');

      await context.close();
      assert.deepEqual(problems, []);
    },
  );
});
