/**
 * Accessibility checks: axe-core with the WCAG 2.0, 2.1 and 2.2 A and AA rules, plus the page basics axe
 * does not insist on (a non-empty title, exactly one h1, a `lang` on the html element).
 */
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { openContext } from './browser.ts';

export const wcagTags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** Runs axe on the page as it is now; returns one readable line per violation (empty when there are none). */
export async function axeViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(wcagTags).analyze();
  return results.violations.map(
    (v) =>
      `${v.id} (${v.impact ?? 'unknown'}): ${v.help} [${v.nodes.map((n) => n.target.join(' ')).join(', ')}] ${v.helpUrl}`,
  );
}

/** The page basics: a title, one h1, a language. Returns one line per problem. */
export async function pageBasicsProblems(page: Page): Promise<string[]> {
  const problems: string[] = [];
  if (!(await page.title()).trim()) problems.push('the <title> is empty');
  const h1s = await page.locator('h1').count();
  if (h1s !== 1) problems.push(`${h1s} <h1> elements (want exactly 1)`);
  if (!(await page.locator('html').getAttribute('lang'))) problems.push('the <html> element has no lang');
  return problems;
}

/** Everything wrong with the page as it is now: axe violations and page basics. */
export async function accessibilityProblems(page: Page): Promise<string[]> {
  return [...(await pageBasicsProblems(page)), ...(await axeViolations(page))];
}

/**
 * axe needs JavaScript. For a journey with JavaScript off: `check(page, label)` checks the page basics as
 * the page is seen and keeps its HTML; `axeAll()` afterwards loads every kept page into a JavaScript-enabled
 * page on the same origin (`originUrl`, any page of the server) and runs axe on it. Problems go to `problems`.
 */
export function deferredAxe(browser: Browser, originUrl: string, problems: string[]) {
  const seen: { label: string; html: string }[] = [];
  return {
    async check(page: Page, label: string) {
      const at = `${label} (${new URL(page.url()).pathname})`;
      for (const problem of await pageBasicsProblems(page)) problems.push(`${at}: ${problem}`);
      seen.push({ label: at, html: await page.content() });
    },
    async axeAll() {
      const context = await openContext(browser);
      const page = await context.newPage();
      await page.goto(originUrl);
      for (const { label, html } of seen.splice(0)) {
        await page.setContent(html, { waitUntil: 'load' });
        for (const problem of await axeViolations(page)) problems.push(`${label}: ${problem}`);
      }
      await context.close();
    },
  };
}
