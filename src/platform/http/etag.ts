/**
 * Conditional GET for public pages that change rarely (the Covenant, a principle, a body's page): the ETag is
 * a hash of the template, the language, the URL and a hash of the data the page shows (kept with the data in
 * the page cache, see page-cache.ts), so a repeat visit gets 304 Not Modified with no body and no database
 * work (hashing the rendered HTML instead would mean rendering it on every request).
 *
 * Only anonymous visitors without a pending message get an ETag: a signed-in page shows the person's name
 * and navigation, which are not in the data.
 *
 * The HTML of such a page is rendered once per ETag and kept as bytes (bounded in total): pages carry no
 * per-response nonce (the CSP allows our script files and one hashed inline script), so the same bytes are
 * right for every anonymous visitor. An anonymous public page then costs a map lookup, not a Nunjucks render,
 * a query or even a UTF-8 encoding. A visitor whose browser accepts gzip (every browser does) gets the same
 * page compressed, once per ETag (a Covenant page goes from about 29 kB to about 6 kB).
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { FLASH_COOKIE } from './context.ts';
import type { PageCache } from './page-cache.ts';

export function etagOf(...parts: unknown[]): string {
  const hash = createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 27);
  return `W/"${hash}"`;
}

/** A page's ETag by template, language, URL and data hash, worked out once (bounded like the pages). */
const pageEtags = new Map<string, string>();
function pageEtag(template: string, locale: string, url: string, dataEtag: string): string {
  const key = `${template}\n${locale}\n${url}\n${dataEtag}`;
  let etag = pageEtags.get(key);
  if (etag === undefined) {
    if (pageEtags.size >= 10_000) pageEtags.clear();
    pageEtags.set(key, (etag = etagOf(template, locale, url, dataEtag)));
  }
  return etag;
}

function matches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  const bare = (tag: string) => tag.trim().replace(/^W\//, '');
  return header.split(',').some((candidate) => bare(candidate) === bare(etag));
}

/** Rendered pages kept, by total size (a Covenant page is about 30 kB), with their gzip form once asked for. */
const MAX_CACHED_BYTES = 64 * 1024 * 1024;
interface CachedPage {
  html: Buffer;
  gzip?: Buffer;
}
const pageCache = new Map<string, CachedPage>();
let cachedBytes = 0;

function sizeOf(page: CachedPage): number {
  return page.html.length + (page.gzip?.length ?? 0);
}

function makeRoom(bytes: number): void {
  // Oldest first out: a Map iterates in insertion order.
  while (cachedBytes + bytes > MAX_CACHED_BYTES && pageCache.size > 0) {
    const [oldest, old] = pageCache.entries().next().value!;
    pageCache.delete(oldest);
    cachedBytes -= sizeOf(old);
  }
}

function remember(etag: string, html: string): CachedPage {
  const page: CachedPage = { html: Buffer.from(html, 'utf8') };
  makeRoom(page.html.length);
  pageCache.set(etag, page);
  cachedBytes += page.html.length;
  return page;
}

function gzipOf(etag: string, page: CachedPage): Buffer {
  if (!page.gzip) {
    const gzip = gzipSync(page.html);
    makeRoom(gzip.length);
    page.gzip = gzip;
    // Still cached (makeRoom may have dropped it when the cache is full): count what it now holds.
    if (pageCache.get(etag) === page) cachedBytes += gzip.length;
  }
  return page.gzip;
}

/** Whether an Accept-Encoding header accepts gzip (named with a q above 0, or `*` when gzip is not named). */
export function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  let star = false;
  for (const part of header.split(',')) {
    const [coding = '', ...params] = part.split(';').map((p) => p.trim().toLowerCase());
    const q = params.find((p) => p.startsWith('q='));
    const accepted = q === undefined || Number(q.slice(2)) > 0;
    if (coding === 'gzip' || coding === 'x-gzip') return accepted;
    if (coding === '*') star = accepted;
  }
  return star;
}

/** Forgets every cached page (tests; a deploy starts with an empty cache anyway). */
export function clearPageCache() {
  pageCache.clear();
  pageEtags.clear();
  cachedBytes = 0;
}

export function isCacheableRequest(request: FastifyRequest): boolean {
  return request.currentUser === null && request.session.kind === 'none' && !request.cookies[FLASH_COOKIE];
}

/**
 * Renders `template` with `data()`, or answers 304 when the visitor already has this exact page, or sends
 * the page rendered earlier for the same ETag. `dataEtag` identifies the data (see PageCache); everything
 * else the page shows must follow from the template, the language and the URL.
 */
export async function viewWithEtag(
  request: FastifyRequest,
  reply: FastifyReply,
  template: string,
  dataEtag: string,
  data: () => Record<string, unknown>,
) {
  if (!isCacheableRequest(request)) {
    reply.header('cache-control', 'private, no-cache');
    return reply.view(template, data());
  }
  const etag = pageEtag(template, request.locale, request.url, dataEtag);
  reply.header('etag', etag);
  reply.header('cache-control', 'public, no-cache');
  reply.header('vary', 'Cookie, Accept-Encoding');
  if (matches(request.headers['if-none-match'], etag)) return reply.code(304).send();
  let cached = pageCache.get(etag);
  if (cached === undefined) cached = remember(etag, await reply.viewAsync(template, data()));
  reply.type('text/html; charset=utf-8');
  if (!acceptsGzip(request.headers['accept-encoding'])) return reply.send(cached.html);
  // A weak ETag covers both encodings (the same page, semantically).
  return reply.header('content-encoding', 'gzip').send(gzipOf(etag, cached));
}

/**
 * A public page whose data comes from the page cache for anonymous visitors: a repeat visit does no database
 * work (and, with a matching If-None-Match, sends 304). Signed-in visitors get `load()` fresh every time.
 *
 * `key` names what `load` reads (for example `directory.body:leeds-city-council`); `load` must not depend on
 * the visitor or the language. `present` turns the data into the template's variables and may add what
 * follows from the URL and the language (the ETag covers both).
 */
export async function viewCached<T>(
  request: FastifyRequest,
  reply: FastifyReply,
  cache: PageCache,
  page: {
    template: string;
    key: string;
    load: () => Promise<T>;
    present: (data: T) => Record<string, unknown>;
  },
) {
  if (!isCacheableRequest(request)) {
    reply.header('cache-control', 'private, no-cache');
    return reply.view(page.template, page.present(await page.load()));
  }
  const { value, etag } = await cache.get(`${page.template}|${page.key}`, page.load);
  return viewWithEtag(request, reply, page.template, etag, () => page.present(value));
}

/**
 * A module's public-page renderer: its views folder and the variables every one of its pages gets (its
 * typed paths), around viewCached. Anonymous visitors get the data from the page cache and HTML rendered once
 * per ETag; signed-in visitors get it fresh.
 */
export function publicPages(cache: PageCache, viewsFolder: string, common: Record<string, unknown>) {
  return <T>(
    request: FastifyRequest,
    reply: FastifyReply,
    template: string,
    key: string,
    load: () => Promise<T>,
    present: (data: T) => Record<string, unknown>,
  ) =>
    viewCached(request, reply, cache, {
      template: `${viewsFolder}${template}`,
      key,
      load,
      present: (data) => ({ ...common, ...present(data) }),
    });
}
