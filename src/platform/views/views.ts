/**
 * Nunjucks with govuk-frontend's macros. Search paths: our shared views (layouts, error pages), then `src/`
 * so each module's pages live next to its code (`modules/accounts/views/sign-in.njk`), then govuk-frontend.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import nunjucks from 'nunjucks';
import { formatDate, formatNumber, isLocale, type Locale } from '../i18n/i18n.ts';

const require = createRequire(import.meta.url);
export const govukFrontendDist = path.dirname(require.resolve('govuk-frontend/package.json'));
export const govukDist = path.join(govukFrontendDist, 'dist');
/** The built files of GOV.UK's accessible-autocomplete (served at /vendor/accessible-autocomplete/). */
export const accessibleAutocompleteDist = path.join(
  path.dirname(require.resolve('accessible-autocomplete/package.json')),
  'dist',
);
export const srcDir = path.resolve(import.meta.dirname, '../..');
export const viewPaths = [path.join(srcDir, 'views'), srcDir, govukDist];

function localeOf(ctx: unknown): Locale {
  const locale = (ctx as { locale?: unknown } | undefined)?.locale;
  return isLocale(locale) ? locale : 'en';
}

/** Adds our filters and globals to a Nunjucks environment (used by the web app and by email templates). */
export function configureNunjucks(env: nunjucks.Environment, globals: Record<string, unknown> = {}): void {
  env.addFilter('date', function (this: { ctx: unknown }, value: Date | string | null) {
    return formatDate(value, localeOf(this.ctx));
  });
  env.addFilter('dateTime', function (this: { ctx: unknown }, value: Date | string | null) {
    return formatDate(value, localeOf(this.ctx), true);
  });
  env.addFilter('number', function (this: { ctx: unknown }, value: number) {
    return formatNumber(value, localeOf(this.ctx));
  });
  for (const [name, value] of Object.entries(globals)) env.addGlobal(name, value);
}

/** A standalone environment for rendering outside a request (emails, CLI). */
export function createNunjucksEnvironment(production: boolean): nunjucks.Environment {
  const env = new nunjucks.Environment(new nunjucks.FileSystemLoader(viewPaths, { noCache: !production }), {
    autoescape: true,
    throwOnUndefined: false,
  });
  configureNunjucks(env);
  return env;
}

/**
 * The CSP `script-src` sources for the one inline script every page has: govuk-frontend's template adds
 * `js-enabled` to the body before anything paints. Allowed by its SHA-256 hash, read from the installed
 * template, so an upgrade that changes the script changes the hash with it. Our own scripts are files.
 * Pages therefore carry no per-response nonce, and a cached public page is the same bytes for everyone.
 */
export function inlineScriptHashes(): string[] {
  const template = fs.readFileSync(path.join(govukDist, 'govuk', 'template.njk'), 'utf8');
  const hashes: string[] = [];
  for (const match of template.matchAll(/<script\b[^>]*>([^<]+)<\/script>/g)) {
    hashes.push(`'sha256-${createHash('sha256').update(match[1]!).digest('base64')}'`);
  }
  if (hashes.length === 0) throw new Error('govuk-frontend template.njk has no inline script to allow');
  return hashes;
}
