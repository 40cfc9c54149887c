/**
 * The register's Atom 1.0 feed (RFC 4287): the newest published entries. Built as a string with every text
 * and attribute escaped, because a case's text is whatever people typed. Pure: the route supplies the
 * entries, the absolute base address and the translated feed texts.
 */
import type { PublicEntry } from './register.repository.ts';

/** Escapes text for XML content and attribute values, and drops characters XML 1.0 does not allow. */
export function xmlEscape(value: string): string {
  return (
    value
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
      .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;')
  );
}

export interface FeedTexts {
  title: string;
  subtitle: string;
  author: string;
}

export interface FeedOptions {
  /** The service's public address, without a trailing slash (config BASE_URL). */
  baseUrl: string;
  selfPath: string;
  registerPath: string;
  entryPath: (reference: string) => string;
  texts: FeedTexts;
  /** Used for the feed's <updated> when nothing is published yet. */
  now: Date;
}

const element = (name: string, text: string) => `<${name}>${xmlEscape(text)}</${name}>`;

export function atomFeed(
  entries: Pick<
    PublicEntry,
    'reference' | 'title' | 'summary' | 'bodyName' | 'outcome' | 'publishedAt' | 'updatedAt'
  >[],
  options: FeedOptions,
): string {
  const base = options.baseUrl.replace(/\/+$/, '');
  const changed = (e: (typeof entries)[number]) => e.updatedAt ?? e.publishedAt ?? options.now;
  const updated = entries.reduce<Date>(
    (latest, e) => (changed(e) > latest ? changed(e) : latest),
    entries.length ? new Date(0) : options.now,
  );
  const lines = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en-GB">',
    `  ${element('id', base + options.registerPath)}`,
    `  ${element('title', options.texts.title)}`,
    `  ${element('subtitle', options.texts.subtitle)}`,
    `  ${element('updated', updated.toISOString())}`,
    `  <link rel="self" type="application/atom+xml" href="${xmlEscape(base + options.selfPath)}"/>`,
    `  <link rel="alternate" type="text/html" href="${xmlEscape(base + options.registerPath)}"/>`,
    `  <author>${element('name', options.texts.author)}</author>`,
  ];
  for (const e of entries) {
    const url = base + options.entryPath(e.reference);
    const title = e.title ?? e.reference;
    lines.push(
      '  <entry>',
      `    ${element('id', url)}`,
      `    ${element('title', `${e.reference}: ${title}`)}`,
      `    <link rel="alternate" type="text/html" href="${xmlEscape(url)}"/>`,
      `    ${element('published', (e.publishedAt ?? changed(e)).toISOString())}`,
      `    ${element('updated', changed(e).toISOString())}`,
      `    <category term="${xmlEscape(e.bodyName)}"/>`,
      `    <summary type="text">${xmlEscape(e.summary ?? '')}</summary>`,
      '  </entry>',
    );
  }
  lines.push('</feed>', '');
  return lines.join('\n');
}
