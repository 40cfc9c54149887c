/**
 * Axe on every page a visitor can reach: a crawl from the home page as an anonymous visitor, then as each
 * demo account (one for every role), then the error states: forms submitted empty (with JavaScript on, focus
 * moves to the error summary) and the 404 page. WCAG 2.2 AA tags, 0 violations; every page also has a
 * title, exactly one h1 and a language.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { accountPaths } from '../../src/modules/accounts/accounts.paths.ts';
import { covenantPaths } from '../../src/modules/covenant/covenant.paths.ts';
import { directoryPaths } from '../../src/modules/directory/directory.paths.ts';
import { planPaths } from '../../src/modules/plans/plans.paths.ts';
import { DEMO_PASSWORD, demoAccounts } from '../../src/modules/accounts/accounts.demo.ts';
import { accessibilityProblems } from './support/axe.ts';
import { openContext } from './support/browser.ts';
import { crawl, type CrawlResult } from './support/crawl.ts';
import { signIn, submitForm } from './support/pages.ts';
import type { RunningServer } from './support/server.ts';
import { startServerAndBrowser, stopServerAndBrowser } from './support/setup.ts';

/**
 * The crawl stops at about 40 pages, which the registry's and the directory's many pages (one per principle,
 * sub-covenant, body and organisation, and the admin forms) can miss, so they are also checked by name.
 * Pages whose address holds a record id are found from the links of the page that lists them.
 */
async function checkPages(context: BrowserContext, baseUrl: string, paths: (string | LinkedPage)[]) {
  const page = await context.newPage();
  const problems: string[] = [];
  const checked: string[] = [];
  try {
    for (const entry of paths) {
      const path = typeof entry === 'string' ? entry : await linkOn(page, baseUrl, entry);
      if (path === null) {
        const { from, pattern } = entry as LinkedPage;
        problems.push(`no link matching ${String(pattern)} on ${from}`);
        continue;
      }
      const response = await page.goto(baseUrl + path);
      const status = response?.status() ?? 0;
      if (status >= 400) problems.push(`${path}: status ${status}`);
      for (const problem of await accessibilityProblems(page)) problems.push(`${path}: ${problem}`);
      checked.push(path);
    }
  } finally {
    await page.close();
  }
  return { checked, problems };
}

interface LinkedPage {
  /** The page that links to it. */
  from: string;
  pattern: RegExp;
}

async function linkOn(page: Page, baseUrl: string, { from, pattern }: LinkedPage): Promise<string | null> {
  await page.goto(baseUrl + from);
  const hrefs = await page
    .locator('main a[href]')
    .evaluateAll((anchors) => anchors.map((a) => a.getAttribute('href') ?? ''));
  return hrefs.find((href) => pattern.test(href)) ?? null;
}

const uuid = '[0-9a-f-]{36}';
const principleSlugs = [
  'recognition-and-value',
  'partnership-and-collaboration',
  'participation-and-inclusion',
  'transparency-and-data',
];
const subCovenantSlugs = ['safer-streets-mission', 'leeds-local-covenant-partnership'];

function report(who: string, result: CrawlResult) {
  console.log(
    `${who}: visited ${result.visited.length} pages, checked ${result.checkedPages.length}: ${result.checkedPages.join(' ')}`,
  );
}

describe('accessibility of every page', () => {
  let server: RunningServer;
  let browser: Browser;
  before(async () => ({ server, browser } = await startServerAndBrowser()));
  after(() => stopServerAndBrowser(server, browser));

  test('every page an anonymous visitor can reach from the home page', { timeout: 300_000 }, async () => {
    const context = await openContext(browser);
    const result = await crawl(context, server.baseUrl);
    await context.close();
    report('anonymous', result);
    for (const path of [accountPaths.signIn(), accountPaths.register(), '/accessibility-statement'])
      assert.ok(result.visited.includes(path), `the crawl reached ${path}`);
    assert.deepEqual(result.problems, []);
  });

  // Pages that look the same for every signed-in person are checked once, by the first who reaches them.
  const checkedWhenSignedIn = new Set<string>();
  for (const account of demoAccounts) {
    test(`every page ${account.email} (${account.role}) can reach`, { timeout: 300_000 }, async () => {
      const context = await openContext(browser);
      const page = await context.newPage();
      await signIn(page, server.baseUrl, { ...account, password: DEMO_PASSWORD });
      await page.close();
      const result = await crawl(context, server.baseUrl, { checked: checkedWhenSignedIn });
      await context.close();
      report(account.email, result);
      assert.ok(result.visited.includes(accountPaths.account()), 'the crawl reached the account page');
      assert.deepEqual(result.problems, []);
    });
  }

  for (const path of [accountPaths.register(), accountPaths.signIn()]) {
    test(`${path} submitted empty: the error summary is shown, focused and accessible`, async () => {
      const context = await openContext(browser);
      const page = await context.newPage();
      await page.goto(server.baseUrl + path);
      await submitForm(page, {});
      const summary = page.locator('.govuk-error-summary');
      assert.ok(await summary.isVisible(), 'the error summary is visible');
      assert.match(await page.title(), /^Error:/);
      // govuk-frontend moves focus to the summary so a screen reader announces it.
      await page.waitForFunction('document.activeElement?.closest(".govuk-error-summary") !== null');
      // Each summary link leads to a field on the page.
      for (const href of await summary
        .locator('a')
        .evaluateAll((as) => as.map((a) => a.getAttribute('href'))))
        assert.equal(await page.locator(href!).count(), 1, `the field ${href} exists`);
      assert.deepEqual(await accessibilityProblems(page), []);
      await context.close();
    });
  }

  test('every page of the Covenant registry and the directory, by name', { timeout: 300_000 }, async () => {
    const c = covenantPaths;
    const d = directoryPaths;
    const account = (email: string) => demoAccounts.find((a) => a.email === email)!;
    const asPerson = async (email: string | null, paths: (string | LinkedPage)[]) => {
      const context = await openContext(browser);
      if (email) {
        const page = await context.newPage();
        await signIn(page, server.baseUrl, { ...account(email), password: DEMO_PASSWORD });
        await page.close();
      }
      const result = await checkPages(context, server.baseUrl, paths);
      await context.close();
      console.log(`${email ?? 'anonymous'}: checked ${result.checked.join(' ')}`);
      return result.problems;
    };

    const anonymous = await asPerson(null, [
      c.show(),
      ...principleSlugs.map((slug) => c.principle({ slug })),
      c.versions(),
      c.compare(),
      { from: c.versions(), pattern: new RegExp(`^/covenant/versions/${uuid}$`) },
      c.subCovenants(),
      ...subCovenantSlugs.map((slug) => c.subCovenant({ slug })),
      c.signatories(),
      d.search(),
      d.search({ q: 'leeds', kind: 'cso' }),
      d.body({ slug: 'department-for-culture-media-and-sport' }),
      d.body({ slug: 'leeds-city-council' }),
      d.organisation({ slug: 'riverside-community-trust' }),
      d.organisation({ slug: 'northern-lights-youth-project' }),
    ]);

    const admin = await asPerson('admin@demo.covenant-hub.local', [
      c.admin(),
      ...principleSlugs.map((slug) => c.adminPrinciple({ slug })),
      c.adminCommitmentNew(),
      { from: c.admin(), pattern: new RegExp(`^/covenant/admin/commitments/${uuid}$`) },
      c.adminStandardNew(),
      { from: c.admin(), pattern: new RegExp(`^/covenant/admin/standards/${uuid}$`) },
      c.adminSubCovenantNew(),
      ...subCovenantSlugs.flatMap((slug) => [
        c.adminSubCovenant({ slug }),
        c.adminSubCommitmentNew({ slug }),
        c.adminOfficers({ slug }),
        c.adminOfficerNew({ slug }),
      ]),
      {
        from: c.adminOfficers({ slug: subCovenantSlugs[1]! }),
        pattern: new RegExp(`/officers/${uuid}$`),
      },
      {
        from: c.adminOfficers({ slug: subCovenantSlugs[1]! }),
        pattern: new RegExp(`/officers/${uuid}/remove$`),
      },
      c.adminPledges(),
      c.adminReviews(),
      c.adminPledgeNew(),
      { from: c.adminPledges(), pattern: new RegExp(`^/covenant/admin/pledges/${uuid}$`) },
      d.adminImport(),
      d.leads({ slug: 'leeds-city-council' }),
    ]);

    // The draft pages need a draft: start one, as an administrator would (nothing public changes).
    const draftContext = await openContext(browser);
    const draftPage = await draftContext.newPage();
    await signIn(draftPage, server.baseUrl, {
      ...account('admin@demo.covenant-hub.local'),
      password: DEMO_PASSWORD,
    });
    await draftPage.goto(server.baseUrl + c.admin());
    const start = draftPage.locator(`main form[action="${c.adminDraft()}"] button`);
    if ((await start.count()) > 0) {
      await start.click();
      await draftPage.waitForLoadState('load');
    }
    await draftPage.close();
    const drafts = await checkPages(draftContext, server.baseUrl, [
      c.adminDraft(),
      c.adminParagraphNew(),
      { from: c.adminDraft(), pattern: /^\/covenant\/admin\/draft\/paragraphs\/p-[a-z0-9]+$/ },
      { from: c.adminDraft(), pattern: /^\/covenant\/admin\/draft\/paragraphs\/p-[a-z0-9]+\/remove$/ },
      c.adminPublish(),
    ]);
    await draftContext.close();

    const csoAdmin = await asPerson('cso.admin@demo.covenant-hub.local', [
      c.sign(),
      c.signSub({ slug: subCovenantSlugs[1]! }),
      c.reviews(),
      { from: c.reviews(), pattern: new RegExp(`^/covenant/signatures/${uuid}/review$`) },
    ]);
    const bodyLead = await asPerson('body.lead@demo.covenant-hub.local', [
      d.leads({ slug: 'department-for-culture-media-and-sport' }),
    ]);
    // Engagement action plans: the public list and a published plan; the staff list, a plan and the form.
    const plans = await asPerson(null, [
      planPaths.publishedList(),
      { from: planPaths.publishedList(), pattern: new RegExp(`^/action-plans/${uuid}$`) },
    ]);
    const officer = await asPerson('body.officer@demo.covenant-hub.local', [
      planPaths.list(),
      planPaths.create(),
      { from: planPaths.list(), pattern: new RegExp(`^/plans/${uuid}$`) },
    ]);

    assert.deepEqual(
      [...anonymous, ...admin, ...drafts.problems, ...csoAdmin, ...bodyLead, ...plans, ...officer],
      [],
    );
  });

  test('the 404 page', async () => {
    const context = await openContext(browser);
    const page = await context.newPage();
    const response = await page.goto(`${server.baseUrl}/no-such-page`);
    assert.equal(response?.status(), 404);
    assert.deepEqual(await accessibilityProblems(page), []);
    await context.close();
  });
});
