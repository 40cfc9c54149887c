/**
 * Turns zod validation errors into what govukErrorSummary and each field's errorMessage need.
 *
 * Schemas carry catalogue keys as their messages (e.g. `accounts.register.errors.emailRequired`), so errors
 * are translated here, in the reader's language. The first error per field wins, in form order, as the GOV.UK
 * pattern asks.
 */
import { BadRequestError } from '../http/errors.ts';
import type { z } from 'zod';
import { hasMessage, type Translate } from '../i18n/i18n.ts';

export interface GovukErrors {
  list: { text: string; href: string }[];
  byField: Record<string, { text: string }>;
}

export function fieldId(pathParts: readonly PropertyKey[]): string {
  return pathParts.map(String).join('-');
}

export function toGovukErrors(error: z.ZodError, t: Translate): GovukErrors {
  const errors: GovukErrors = { list: [], byField: {} };
  for (const issue of error.issues) {
    const field = fieldId(issue.path) || 'form';
    if (errors.byField[field]) continue;
    // A message that is not a catalogue key means a schema was written without one: show a generic message
    // rather than zod's English-only wording.
    const text = hasMessage('en', issue.message) ? t(issue.message) : t('validation.invalid');
    errors.byField[field] = { text };
    errors.list.push({ text, href: `#${field}` });
  }
  return errors;
}

/** Builds errors by hand, for rules checked outside zod (e.g. "email already registered"). */
export function govukError(field: string, text: string): GovukErrors {
  return { list: [{ text, href: `#${field}` }], byField: { [field]: { text } } };
}

export type FormResult<T> =
  { success: true; data: T } | { success: false; errors: GovukErrors; values: Record<string, unknown> };

/** Parses a submitted form with a schema; on failure returns translated errors and the submitted values. */
export function parseForm<S extends z.ZodType>(
  schema: S,
  body: unknown,
  t: Translate,
  /** Fields whose names look secret but are not (a pledge's or commitment's code), echoed back all the same. */
  notSecret: readonly string[] = [],
): FormResult<z.infer<S>> {
  const result = schema.safeParse(body ?? {});
  if (result.success) return { success: true, data: result.data };
  const values = typeof body === 'object' && body !== null ? { ...(body as Record<string, unknown>) } : {};
  // Never echo secrets back into a page.
  for (const key of Object.keys(values))
    if (/password|code|token/i.test(key) && !notSecret.includes(key)) delete values[key];
  return { success: false, errors: toGovukErrors(result.error, t), values };
}

/**
 * Parses the hidden fields of a form the page wrote itself (an id, a version, an action button): when they
 * do not parse, the request did not come from our page, so it is refused as malformed (400) rather than
 * shown as a form error a person could fix.
 */
export function parseHidden<T>(
  schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } },
  body: unknown,
): T {
  const result = schema.safeParse(body ?? {});
  if (!result.success) throw new BadRequestError('Malformed form');
  return result.data;
}
