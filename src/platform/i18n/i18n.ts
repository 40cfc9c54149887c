/**
 * Interface text: every string a person reads comes from a message catalogue, so the Welsh catalogue can be
 * added without touching templates or code. Keys are dotted paths (`accounts.signIn.title`); `{name}`
 * placeholders are filled from params. A missing key is a programming error: in development and tests it
 * throws, in production it shows the key so the page still renders.
 */
import { en } from './en.ts';

export type Catalogue = { [key: string]: string | Catalogue };
export const locales = ['en'] as const;
export type Locale = (typeof locales)[number];

const catalogues: Record<Locale, Catalogue> = { en };

/** The BCP 47 tag used for `lang` attributes and Intl formatting. */
export const languageTags: Record<Locale, string> = { en: 'en-GB' };

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (locales as readonly string[]).includes(value);
}

function lookup(catalogue: Catalogue, key: string): string | undefined {
  let node: string | Catalogue | undefined = catalogue;
  for (const part of key.split('.')) {
    if (node === undefined || typeof node === 'string') return undefined;
    node = node[part];
  }
  return typeof node === 'string' ? node : undefined;
}

export class MissingMessageError extends Error {
  override name = 'MissingMessageError';
}

export type Params = Record<string, string | number | undefined | null>;
export type Translate = (key: string, params?: Params) => string;

export function hasMessage(locale: Locale, key: string): boolean {
  return lookup(catalogues[locale], key) !== undefined;
}

/** Returns a translator for one locale. */
export function translator(locale: Locale, strict = process.env.NODE_ENV !== 'production'): Translate {
  return (key, params) => {
    const message = lookup(catalogues[locale], key) ?? lookup(catalogues.en, key);
    if (message === undefined) {
      if (strict) throw new MissingMessageError(`No message for "${key}"`);
      return key;
    }
    if (!params) return message;
    return message.replace(/\{(\w+)\}/g, (whole, name: string) =>
      params[name] === undefined || params[name] === null ? whole : String(params[name]),
    );
  };
}

/** Dates as GOV.UK writes them: "25 November 2026"; with time: "25 November 2026 at 3:04pm". */
export function formatDate(
  value: Date | string | null | undefined,
  locale: Locale,
  withTime = false,
): string {
  if (value === null || value === undefined || value === '') return '';
  const date =
    typeof value === 'string' ? new Date(value.length === 10 ? `${value}T00:00:00Z` : value) : value;
  const tag = languageTags[locale];
  const day = new Intl.DateTimeFormat(tag, {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'Europe/London',
  }).format(date);
  if (!withTime) return day;
  const time = new Intl.DateTimeFormat(tag, {
    hour: 'numeric',
    minute: '2-digit',
    hour12: true,
    timeZone: 'Europe/London',
  })
    .format(date)
    .replace(/\s/g, '')
    .toLowerCase();
  return translator(locale)('common.dateAtTime', { date: day, time });
}

export function formatNumber(value: number, locale: Locale): string {
  return new Intl.NumberFormat(languageTags[locale]).format(value);
}
