/**
 * A breadth-first crawl of the pages a visitor can reach by following links, checking each page's
 * accessibility. Only same-origin GET links are followed; sign-out, static assets, downloads and other
 * sites are skipped. Pages that differ only by a record id count as one page shape, and at most
 * `perShape` of each shape are visited, so long lists do not make the crawl slow.
 */
import type { BrowserContext } from 'playwright-core';
import { accessibilityProblems } from './axe.ts';

export interface CrawlOptions {
  /** Where to start (a path). */
  start?: string;
  /** Stop after this many pages. */
  maxPages?: number;
  perShape?: number;
}

export interface CrawlResult {
  visited: string[];
  /** One line per problem, prefixed with the page it was found on. */
  problems: string[];
}

const skippedPrefixes = ['/sign-out', '/assets/', '/public/', '/metrics', '/healthz', '/readyz'];
const downloadExtension = /\.(csv|json|xlsx?|ods|pdf|zip|eml|txt|xml|ics|png|jpe?g|svg)$/i;

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
  const { start = '/', maxPages = 40, perShape = 2 } = options;
  const origin = new URL(baseUrl).origin;
  const queue = [new URL(start, baseUrl).href];
  const seen = new Set(queue);
  const shapes = new Map<string, number>();
  const visited: string[] = [];
  const problems: string[] = [];
  const page = await context.newPage();
  try {
    while (queue.length > 0 && visited.length < maxPages) {
      const href = queue.shift()!;
      const response = await page.goto(href);
      const at = new URL(page.url());
      const label = at.pathname + at.search;
      visited.push(label);
      const status = response?.status() ?? 0;
      if (status >= 400) problems.push(`${label}: status ${status} (linked from the crawl)`);
      for (const problem of await accessibilityProblems(page)) problems.push(`${label}: ${problem}`);

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
        const count = shapes.get(shape) ?? 0;
        if (count >= perShape) continue;
        shapes.set(shape, count + 1);
        queue.push(url.href);
      }
    }
  } finally {
    await page.close();
  }
  return { visited, problems };
}
