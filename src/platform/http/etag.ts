/**
 * Conditional GET for public pages that change rarely (the Covenant, a principle, a body's page): the ETag is
 * a hash of the data the page shows, the template and the language, so an unchanged page costs a query and a
 * hash, and a repeat visit gets 304 Not Modified with no body. The rendered HTML cannot be hashed: it carries
 * a fresh CSP nonce on every response.
 *
 * Only anonymous visitors without a pending message get an ETag: a signed-in page shows the person's name
 * and navigation, which are not in the data.
 *
 * The HTML of such a page is rendered once per ETag and kept (a bounded cache): the page is rendered with a
 * placeholder where the CSP nonce goes, and each response swaps in its own nonce. Anonymous public pages
 * then cost a few queries and a hash, not a Nunjucks render (issue 3: at least a quarter of a bare Fastify
 * route's throughput).
 */
import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { FLASH_COOKIE } from './context.ts';

export function etagOf(...parts: unknown[]): string {
  const hash = createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 27);
  return `W/"${hash}"`;
}

function matches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  const bare = (tag: string) => tag.trim().replace(/^W\//, '');
  return header.split(',').some((candidate) => bare(candidate) === bare(etag));
}

/** Stands in for the per-response CSP nonce in cached HTML; long and random enough never to occur in text. */
const NONCE_PLACEHOLDER = 'nonce-placeholder-7f3c9a1e5b2d4c86';
const MAX_CACHED_PAGES = 300;
const pageCache = new Map<string, string>();

function remember(etag: string, html: string) {
  // Oldest first out: a Map iterates in insertion order.
  if (pageCache.size >= MAX_CACHED_PAGES) pageCache.delete(pageCache.keys().next().value!);
  pageCache.set(etag, html);
}

/** Forgets every cached page (tests; a deploy starts with an empty cache anyway). */
export function clearPageCache() {
  pageCache.clear();
}

/** Renders `template` with `data`, or answers 304 when the visitor already has this exact page. */
export async function viewWithEtag(
  request: FastifyRequest,
  reply: FastifyReply,
  template: string,
  data: Record<string, unknown>,
) {
  const cacheable =
    request.currentUser === null && request.session.kind === 'none' && !request.cookies[FLASH_COOKIE];
  if (!cacheable) {
    reply.header('cache-control', 'private, no-cache');
    return reply.view(template, data);
  }
  const etag = etagOf(template, request.locale, request.url, data);
  reply.header('etag', etag);
  reply.header('cache-control', 'public, no-cache');
  reply.header('vary', 'Cookie');
  if (matches(request.headers['if-none-match'], etag)) return reply.code(304).send();
  let html = pageCache.get(etag);
  if (html === undefined) {
    html = await reply.viewAsync(template, { ...data, cspNonce: NONCE_PLACEHOLDER });
    remember(etag, html);
  }
  const nonce = String(reply.locals.cspNonce ?? '');
  return reply.type('text/html; charset=utf-8').send(html.replaceAll(NONCE_PLACEHOLDER, nonce));
}
