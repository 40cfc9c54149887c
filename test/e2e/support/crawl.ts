/**
 * A breadth-first crawl of the pages a visitor can reach by following links, checking each page's
 * accessibility. Only same-origin GET links are followed; sign-out, static assets, downloads and other
 * sites are skipped. Pages that differ only by a record id count as one page shape, and at most
 * `perShape` of each shape and `perParent` under one parent path are visited, so long lists do not make the
 * crawl slow or use up its page budget.
 */
import type { BrowserContext } from 'playwright-core';
import { accessibilityProblems } from './axe.ts';

export interface CrawlOptions {
  /** Where to start (a path). */
  start?: string;
  /** Stop after this many pages. */
  maxPages?: number;
  perShape?: number;
  /**
   * At most this many pages under one parent path below the top level (e.g. /directory/bodies/<slug>, whose
   * slugs are not ids).
   */
  perParent?: number;
  /**
   * Page shapes already checked by another crawl (shared between crawls as different people): these pages
   * are still visited, for their links, but not checked again. The start page is always checked, so each
   * person's header and navigation are. The crawl adds the shapes it checks.
   */
  checked?: Set<string>;
}

export interface CrawlResult {
  visited: string[];
  /** The pages checked (those not already checked by an earlier crawl). */
  checkedPages: string[];
  /** One line per problem, prefixed with the page it was found on. */
  problems: string[];
}

const skippedPrefixes = ['/sign-out', '/assets/', '/public/', '/metrics', '/healthz', '/readyz'];
const downloadExtension = /\.(csv|json|xlsx?|ods|pdf|zip|eml|txt|xml|atom|rss|ics|png|jpe?g|svg)$/i;

/** A page's shape: its path with ids replaced and its query's keys, so /cases/1 and /cases/2 are the same. */
export function pageShape(url: URL): string {
  const segments = url.pathname
    .split('/')
    .map((s) => (/^\d+$|^[0-9a-f-]{20,}$|^[A-Za-z0-9_-]{24,}$/i.test(s) ? ':id' : s));
  const keys = [...url.searchParams.keys()].sort().join('&');
  return segments.join('/') + (keys ? `?${keys}` : '');
}

export function shouldFollow(url: URL, origin: string): boolean {
  if (url.origin !== origin) return false;
  if (skippedPrefixes.some((p) => url.pathname === p.replace(/\/$/, '') || url.pathname.startsWith(p)))
    return false;
  return !downloadExtension.test(url.pathname);
}

export async function crawl(
  context: BrowserContext,
  baseUrl: string,
  options: CrawlOptions = {},
): Promise<CrawlResult> {
  const { start = '/', maxPages = 40, perShape = 2, perParent = 8, checked = new Set<string>() } = options;
  const origin = new URL(baseUrl).origin;
  const queue = [{ href: new URL(start, baseUrl).href, from: '(start)' }];
  const seen = new Set([queue[0]!.href]);
  const shapes = new Map<string, number>();
  const parents = new Map<string, number>();
  const visited: string[] = [];
  const checkedPages: string[] = [];
  /** Shapes this crawl checked first: every page of those shapes is checked. */
  const mine = new Set<string>();
  const problems: string[] = [];
  const page = await context.newPage();
  try {
    while (queue.length > 0 && visited.length < maxPages) {
      const { href, from } = queue.shift()!;
      const response = await page.goto(href);
      const at = new URL(page.url());
      const label = at.pathname + at.search;
      visited.push(label);
      const status = response?.status() ?? 0;
      if (status >= 400) problems.push(`${label}: status ${status}, linked from ${from}`);
      // Feeds and other machine-readable answers are not pages: nothing to check, no links to follow.
      if (!(response?.headers()['content-type'] ?? '').startsWith('text/html')) continue;
      const shape = pageShape(at);
      if (visited.length === 1 || !checked.has(shape) || mine.has(shape)) {
        checked.add(shape);
        mine.add(shape);
        checkedPages.push(label);
        for (const problem of await accessibilityProblems(page)) problems.push(`${label}: ${problem}`);
      }

      const links = await page
        .locator('a[href]:not([download])')
        .evaluateAll((anchors) => anchors.map((a) => (a as unknown as { href: string }).href));
      for (const link of links) {
        let url: URL;
        try {
          url = new URL(link, page.url());
        } catch {
          continue;
        }
        url.hash = '';
        if (!shouldFollow(url, origin) || seen.has(url.href)) continue;
        seen.add(url.href);
        const shape = pageShape(url);
        const parent = shape.split('?')[0]!.replace(/\/[^/]*$/, '');
        const shapeCount = shapes.get(shape) ?? 0;
        const parentCount = parents.get(parent) ?? 0;
        if (shapeCount >= perShape || (parent && parentCount >= perParent)) continue;
        shapes.set(shape, shapeCount + 1);
        parents.set(parent, parentCount + 1);
        queue.push({ href: url.href, from: label });
      }
    }
  } finally {
    await page.close();
  }
  return { visited, checkedPages, problems };
}
