/**
 * The whole journey of a case through the real pages in Chromium, with JavaScript on (issue 4, acceptance):
 * a civil society member reports a problem about a body they cannot find in the directory, so it lands in
 * triage; the Covenant team routes it to the Department for Culture, Media and Sport; the department's
 * accountable lead acknowledges and answers it; the reporter is not satisfied and escalates; a panel member
 * starts the review and proposes a determination and a recommendation, which the panel adopts by consensus
 * at the held meeting; the department replies to the recommendation; the Covenant team closes the case; a
 * moderator approves its register entry, and the public page shows the case without the reporter's name.
 *
 * axe (WCAG 2.2 AA) and the page basics run on every page each person sees on the way.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DEMO_PASSWORD, demoAccounts } from '../../src/modules/accounts/accounts.demo.ts';
import { intakePaths } from '../../src/modules/cases/cases.intake.paths.ts';
import { casePaths } from '../../src/modules/cases/cases.paths.ts';
import { panelPaths } from '../../src/modules/panel/panel.paths.ts';
import { registerPaths } from '../../src/modules/register/register.paths.ts';
import { accessibilityProblems } from './support/axe.ts';
import { openContext } from './support/browser.ts';
import { choose, continueOn, signIn, submitForm } from './support/pages.ts';
import type { RunningServer } from './support/server.ts';
import { startServerAndBrowser, stopServerAndBrowser } from './support/setup.ts';

const pathOf = (page: Page) => new URL(page.url()).pathname;
const account = (role: string) => {
  const found = demoAccounts.find((a) => a.role === role);
  assert.ok(found, `a demo account with the role ${role}`);
  return { ...found, password: DEMO_PASSWORD };
};
const TITLE = 'Arts grant withdrawn with ten days notice';
const DCMS = 'Department for Culture, Media and Sport';

describe('the journey of a case: report, triage, respond, escalate, panel decision, reply, close, publish', () => {
  let server: RunningServer;
  let browser: Browser;
  const problems: string[] = [];
  const visited: string[] = [];

  before(async () => ({ server, browser } = await startServerAndBrowser()));
  after(() => stopServerAndBrowser(server, browser));

  /** axe and the page basics on the page as it is now, remembered under the step's name. */
  async function check(page: Page, step: string) {
    visited.push(`${step} ${pathOf(page)}`);
    for (const p of await accessibilityProblems(page)) problems.push(`${step} (${pathOf(page)}): ${p}`);
  }

  /** A signed-in browser context for one person; the sign-in pages are checked too. */
  async function as(role: string): Promise<{ context: BrowserContext; page: Page }> {
    const context = await openContext(browser);
    const page = await context.newPage();
    await signIn(page, server.baseUrl, account(role));
    return { context, page };
  }

  /** Fills the text of the action form `#action-<name>` on a case page and presses its button. */
  async function act(page: Page, action: string, text?: string) {
    const form = page.locator(`#action-${action} form`).last();
    assert.equal(await form.count(), 1, `the ${action} form is offered on ${pathOf(page)}`);
    if (text !== undefined) await form.locator('textarea[name="text"]').fill(text);
    await form.locator('button').last().click();
    await page.waitForLoadState('load');
  }

  async function expectNoErrorSummary(page: Page, step: string) {
    const summary = page.locator('.govuk-error-summary');
    if (await summary.count()) assert.fail(`${step}: ${await summary.innerText()}`);
  }

  test('one case from report to the public register', { timeout: 600_000 }, async () => {
    // 1. The reporter: the body is not in the directory, so the case goes to triage.
    const reporter = await as('cso_member');
    let page = reporter.page;
    await page.goto(server.baseUrl + intakePaths.start());
    await check(page, 'start');
    await page.getByRole('button', { name: /start now/i }).click();
    await page.waitForLoadState('load');
    await check(page, 'kind');
    await choose(page, 'kind', 'problem');
    await continueOn(page);
    assert.equal(pathOf(page), intakePaths.body());
    await check(page, 'body');
    await page.locator('main form[role="search"] input[name="q"]').fill('Regional Arts Fund Board');
    await page.locator('main form[role="search"] button').click();
    await page.waitForLoadState('load');
    await check(page, 'body results');
    await choose(page, 'bodyId', 'not-found');
    await continueOn(page);
    assert.equal(pathOf(page), intakePaths.whatHappened());
    await submitForm(page, {
      title: TITLE,
      whatHappened:
        'The board wrote on 2 October to say our arts grant for the winter programme would stop on ' +
        '12 October. No reason was given and we had no chance to respond.',
    });
    await check(page, 'category');
    await page.locator('input[name="category"]').first().check();
    await continueOn(page);
    await check(page, 'when');
    await submitForm(page, { 'happenedOn-day': '2', 'happenedOn-month': '10', 'happenedOn-year': '2026' });
    await check(page, 'commitments');
    await page.locator('input[name="commitmentIds"]').first().check();
    await continueOn(page);
    await check(page, 'impact');
    await submitForm(page, {
      impact: 'Three artists lose their work and 60 older people lose the weekly class.',
    });
    await check(page, 'outcome');
    await submitForm(page, { outcomeWanted: 'Three months notice, as the Covenant promises.' });
    await check(page, 'evidence');
    await continueOn(page);
    await check(page, 'confidentiality');
    await choose(page, 'confidentiality', 'anonymised');
    await continueOn(page);
    await check(page, 'details');
    await submitForm(page, { name: 'Mo Member', email: account('cso_member').email });
    assert.equal(pathOf(page), intakePaths.checkAnswers());
    await check(page, 'check answers');
    await page.locator(`main form[action="${intakePaths.submit()}"] button`).first().click();
    await page.waitForLoadState('load');
    assert.match(pathOf(page), /^\/report\/confirmation\/CH-\d{4}-\d{6}$/);
    await check(page, 'confirmation');
    const reference = /CH-\d{4}-\d{6}/.exec(pathOf(page))![0];

    // 2. Triage: the Covenant team routes it to the department.
    const admin = await as('admin');
    page = admin.page;
    await page.goto(server.baseUrl + intakePaths.triage());
    await check(page, 'triage queue');
    await page.locator('main a', { hasText: reference }).first().click();
    await page.waitForLoadState('load');
    await check(page, 'triage case');
    const caseId = pathOf(page).split('/').pop()!;
    await choose(page, 'action', 'accept');
    await page.locator('select[name="bodyId"]').first().selectOption({ label: DCMS });
    await page.locator('textarea[name="text"]').fill('The board is funded and overseen by DCMS.');
    await page.getByRole('button', { name: /save/i }).click();
    await page.waitForLoadState('load');
    await expectNoErrorSummary(page, 'triage');
    await check(page, 'triage queue after the decision');

    // 3. The body: its accountable lead acknowledges and answers from the inbox.
    const lead = await as('body_lead');
    page = lead.page;
    await page.goto(server.baseUrl + casePaths.inbox());
    await check(page, 'inbox');
    assert.match(await page.locator('main').innerText(), new RegExp(reference), 'the case is in the inbox');
    await page
      .locator(`main a[href="${casePaths.show({ caseId })}"]`)
      .first()
      .click();
    await page.waitForLoadState('load');
    assert.equal(pathOf(page), casePaths.show({ caseId }));
    await check(page, 'case page (body)');
    await act(page, 'acknowledge', 'Thank you, we are looking into this.');
    await expectNoErrorSummary(page, 'acknowledge');
    await check(page, 'case page after acknowledging');
    await page.locator('#action-respond input[name="position"][value="not_upheld"]').check();
    await act(
      page,
      'respond',
      'The board followed its published funding policy, which allows ten days notice for small grants.',
    );
    await expectNoErrorSummary(page, 'respond');
    await check(page, 'case page after responding');

    // 4. The reporter escalates to the joint oversight panel.
    page = reporter.page;
    await page.goto(server.baseUrl + casePaths.myCases());
    await check(page, 'my cases');
    await page.goto(server.baseUrl + casePaths.myCase({ caseId }));
    await check(page, 'my case');
    await act(page, 'escalate', 'Ten days is far short of the three months the Covenant promises.');
    await expectNoErrorSummary(page, 'escalate');
    await check(page, 'my case after escalating');

    // 5. The panel: review, proposal, decision by consensus at the held meeting.
    const panel = await as('panel_member');
    page = panel.page;
    await page.goto(server.baseUrl + panelPaths.queue());
    await check(page, 'panel queue');
    await page.goto(server.baseUrl + panelPaths.case({ caseId }));
    await check(page, 'panel case pack');
    await page.locator('#start-form button').click();
    await page.waitForLoadState('load');
    await expectNoErrorSummary(page, 'start the review');
    const due = new Date(Date.now() + 60 * 86_400_000);
    const proposal = page.locator('#proposal-form');
    await proposal.locator('input[name="outcome"]').first().check();
    await proposal
      .locator('textarea[name="reasons"]')
      .fill('Notice of ten days breaks the funding commitment.');
    await proposal
      .locator('textarea[name="determination"]')
      .fill('The board did not give the notice of changes to funding that the Covenant asks for.');
    await proposal
      .locator('textarea[name="recommendation"]')
      .fill('Restore the grant for three months and publish a notice policy.');
    await proposal.locator('input[name="recommendationDueOn-day"]').fill(String(due.getUTCDate()));
    await proposal.locator('input[name="recommendationDueOn-month"]').fill(String(due.getUTCMonth() + 1));
    await proposal.locator('input[name="recommendationDueOn-year"]').fill(String(due.getUTCFullYear()));
    await proposal.locator('button').click();
    await page.waitForLoadState('load');
    await expectNoErrorSummary(page, 'propose');
    await check(page, 'panel case with a proposal');
    assert.equal(
      await page.locator('#decide-form').count(),
      1,
      'the proposal is open for the panel to decide',
    );

    // 6. The panel adopts it by consensus at the demo meeting that has been held.
    const decide = page.locator('#decide-form');
    await decide.locator('input[name="method"][value="consensus"]').check();
    await decide.locator('select[name="meetingId"]').selectOption({ index: 1 });
    await decide.locator('button').click();
    await page.waitForLoadState('load');
    await expectNoErrorSummary(page, 'decide');
    await check(page, 'panel case with a decision');
    assert.equal(await page.locator('#decision').count(), 1, 'the decision is recorded');

    // 7. The department replies to the recommendation.
    page = lead.page;
    await page.goto(server.baseUrl + panelPaths.recommendation({ caseId }));
    await check(page, 'recommendation (body)');
    await page.locator('input[name="position"]').first().check();
    await page
      .locator('textarea[name="text"]')
      .fill('We accept the recommendation: the grant is restored until March and the policy is published.');
    await page.locator('main form#form button').click();
    await page.waitForLoadState('load');
    await expectNoErrorSummary(page, 'reply to the recommendation');
    await check(page, 'after the reply');

    // 8. The Covenant team closes the case.
    page = admin.page;
    await page.goto(server.baseUrl + casePaths.show({ caseId }));
    await check(page, 'case page (Covenant team)');
    await page.locator('#action-close input[name="outcome"][value="resolved"]').check();
    await act(page, 'close', 'The department restored the grant and published its notice policy.');
    await expectNoErrorSummary(page, 'close');
    await check(page, 'case page after closing');

    // 9. A moderator approves the register entry; the public page shows it, without the reporter's name.
    await page.goto(server.baseUrl + registerPaths.moderation());
    await check(page, 'moderation queue');
    await page.locator('main a', { hasText: reference }).first().click();
    await page.waitForLoadState('load');
    await check(page, 'moderation review');
    await page.locator('#approve-form button').click();
    await page.waitForLoadState('load');
    await expectNoErrorSummary(page, 'approve');

    const publicContext = await openContext(browser);
    const visitor = await publicContext.newPage();
    await visitor.goto(server.baseUrl + registerPaths.entry({ reference }));
    await check(visitor, 'public register entry');
    const entryText = await visitor.locator('main').innerText();
    assert.match(entryText, new RegExp(reference), 'the entry is public');
    assert.doesNotMatch(entryText, /Mo Member/, "the reporter's name is not on the public page");
    assert.doesNotMatch(entryText, new RegExp(account('cso_member').email), "nor the reporter's email");
    await publicContext.close();

    for (const c of [reporter.context, admin.context, lead.context, panel.context]) await c.close();
    console.log(`whole journey: checked ${visited.length} pages`);
    assert.deepEqual(problems, []);
  });
});
