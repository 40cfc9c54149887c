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

/** Every message of a catalogue by its dotted key, built once: a lookup is one map read. */
function flatten(catalogue: Catalogue, prefix = '', into = new Map<string, string>()): Map<string, string> {
  for (const [name, node] of Object.entries(catalogue)) {
    const key = prefix ? `${prefix}.${name}` : name;
    if (typeof node === 'string') into.set(key, node);
    else flatten(node, key, into);
  }
  return into;
}

const messages = Object.fromEntries(locales.map((locale) => [locale, flatten(catalogues[locale])])) as Record<
  Locale,
  Map<string, string>
>;

function lookup(locale: Locale, key: string): string | undefined {
  return messages[locale].get(key);
}

export class MissingMessageError extends Error {
  override name = 'MissingMessageError';
}

export type Params = Record<string, string | number | undefined | null>;
export type Translate = (key: string, params?: Params) => string;

export function hasMessage(locale: Locale, key: string): boolean {
  return lookup(locale, key) !== undefined;
}

const translators = new Map<string, Translate>();

/** Returns a translator for one locale (one per locale and mode, made once). */
export function translator(locale: Locale, strict = process.env.NODE_ENV !== 'production'): Translate {
  const id = `${locale}:${strict}`;
  let translate = translators.get(id);
  if (!translate) {
    translate = (key, params) => {
      const message = lookup(locale, key) ?? lookup('en', key);
      if (message === undefined) {
        if (strict) throw new MissingMessageError(`No message for "${key}"`);
        return key;
      }
      if (!params) return message;
      return message.replace(/\{(\w+)\}/g, (whole, name: string) =>
        params[name] === undefined || params[name] === null ? whole : String(params[name]),
      );
    };
    translators.set(id, translate);
  }
  return translate;
}

/** Intl formatters are costly to make and safe to share: one of each kind per locale. */
function memo<T>(make: (tag: string) => T): (locale: Locale) => T {
  const made = new Map<Locale, T>();
  return (locale) => {
    let value = made.get(locale);
    if (value === undefined) made.set(locale, (value = make(languageTags[locale])));
    return value;
  };
}
const dayFormat = memo(
  (tag) =>
    new Intl.DateTimeFormat(tag, {
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      timeZone: 'Europe/London',
    }),
);
const timeFormat = memo(
  (tag) =>
    new Intl.DateTimeFormat(tag, {
      hour: 'numeric',
      minute: '2-digit',
      hour12: true,
      timeZone: 'Europe/London',
    }),
);
const numberFormat = memo((tag) => new Intl.NumberFormat(tag));

/** Dates as GOV.UK writes them: "25 November 2026"; with time: "25 November 2026 at 3:04pm". */
export function formatDate(
  value: Date | string | null | undefined,
  locale: Locale,
  withTime = false,
): string {
  if (value === null || value === undefined || value === '') return '';
  const date =
    typeof value === 'string' ? new Date(value.length === 10 ? `${value}T00:00:00Z` : value) : value;
  const day = dayFormat(locale).format(date);
  if (!withTime) return day;
  const time = timeFormat(locale).format(date).replace(/\s/g, '').toLowerCase();
  return translator(locale)('common.dateAtTime', { date: day, time });
}

export function formatNumber(value: number, locale: Locale): string {
  return numberFormat(locale).format(value);
}
