/**
 * The register's rules, as pure functions: which cases may be published, and how a moderator's review of
 * the automatic redactions turns a draft into published text.
 */
import {
  applyRedactions,
  compileNames,
  findNames,
  findPhones,
  findTerms,
  type RedactionResult,
  type RedactionSpan,
} from '../../platform/redaction/redaction.ts';
import type { CaseKind, Confidentiality } from '../cases/cases.tables.ts';
import type { CaseState, OutcomeCode } from '../cases/cases.lifecycle.ts';
import type { DraftField, RegisterDraft, RegisterField, ReviewedSpan } from './register.tables.ts';

/**
 * Confidentiality modes whose reporter agreed to publication. Every mode does, because publication is ALWAYS
 * anonymised (the reporter, their organisation and their contact details never appear, whatever the
 * mode): "public" and "anonymised" reporters were told the case may be published; "withheld" and
 * "intermediary" keep the identity from the body, which anonymised publication respects. Kept as a list so
 * a future "do not publish" choice is one line.
 */
export const publishableModes: readonly Confidentiality[] = [
  'public',
  'anonymised',
  'withheld',
  'intermediary',
];

/** Only cases that have ended are published. */
export const endedStates: readonly CaseState[] = ['resolved', 'closed'];

/**
 * Ended cases NOT published: the reporter withdrew (they asked us to stop), a duplicate (the other case is
 * the record), out of scope (not a Covenant matter).
 */
export const unpublishedOutcomes: readonly OutcomeCode[] = ['withdrawn', 'duplicate', 'out_of_scope'];

export interface PublishabilityFacts {
  kind: CaseKind;
  state: CaseState;
  outcome: OutcomeCode | null;
  confidentiality: Confidentiality;
  bodyId: string | null;
}

/**
 * A case may be put to the moderators when it is a reported problem (questions and good practice are not
 * breaches), about a known body, has ended with a publishable outcome, and its confidentiality mode allows.
 */
export function isPublishable(c: PublishabilityFacts): boolean {
  return (
    c.kind === 'problem' &&
    c.bodyId !== null &&
    endedStates.includes(c.state) &&
    (c.outcome === null || !unpublishedOutcomes.includes(c.outcome)) &&
    publishableModes.includes(c.confidentiality)
  );
}

// --------------------------------------------------------------------------------------- draft review

/** A draft field from a text and its automatic redaction. */
export function draftFieldFrom(original: string, result: RedactionResult): DraftField {
  return {
    original,
    spans: result.spans.map((s, i) => ({ ...s, id: `a${i + 1}`, source: 'automatic', undone: false })),
  };
}

/** The spans that will be applied (undone ones are not). */
export function activeSpans(field: DraftField): RedactionSpan[] {
  return field.spans.filter((s) => !s.undone);
}

/** The text the public will see for one field. */
export function publishedText(field: DraftField | undefined): string | null {
  if (!field || field.original.trim() === '') return null;
  return applyRedactions(field.original, activeSpans(field));
}

export class ReviewError extends Error {
  readonly messageKey: string;
  constructor(messageKey: string) {
    super(messageKey);
    this.name = 'ReviewError';
    this.messageKey = messageKey;
  }
}

/** Undoes (keeps the text) or restores one redaction. */
export function setSpanUndone(field: DraftField, spanId: string, undone: boolean): DraftField {
  if (!field.spans.some((s) => s.id === spanId)) throw new ReviewError('register.errors.spanNotFound');
  return { ...field, spans: field.spans.map((s) => (s.id === spanId ? { ...s, undone } : s)) };
}

/**
 * Adds a moderator's own redaction: every whole-word occurrence of the phrase in the field. A phrase that
 * does not occur is refused (so a typo is not silently ignored).
 */
export function addManualRedaction(field: DraftField, phrase: string): DraftField {
  const found = findTerms(field.original, [phrase], 'manual');
  const fresh = found.filter(
    (f) => !field.spans.some((s) => !s.undone && s.start === f.start && s.end === f.end),
  );
  if (found.length === 0) throw new ReviewError('register.errors.phraseNotFound');
  const next = field.spans.reduce((max, s) => Math.max(max, Number(s.id.slice(1)) || 0), 0);
  const added: ReviewedSpan[] = fresh.map((f, i) => ({
    ...f,
    id: `m${next + i + 1}`,
    source: 'manual',
    undone: false,
  }));
  return { ...field, spans: [...field.spans, ...added].sort((a, b) => a.start - b.start) };
}

/** Removes a manual redaction altogether (an automatic one is undone instead, so the record stays). */
export function removeManualRedaction(field: DraftField, spanId: string): DraftField {
  const span = field.spans.find((s) => s.id === spanId);
  if (!span) throw new ReviewError('register.errors.spanNotFound');
  if (span.source !== 'manual') return setSpanUndone(field, spanId, true);
  return { ...field, spans: field.spans.filter((s) => s.id !== spanId) };
}

/** A piece of a field for the review page: plain text, or a redaction with what replaces it. */
export type Segment =
  { text: string } | { text: string; span: ReviewedSpan; replacement: string; overlapped: boolean };

/** Splits a field into text and redactions, in order, for highlighting each redaction on the review page. */
export function segmentsOf(field: DraftField, replacementFor: (s: ReviewedSpan) => string): Segment[] {
  const segments: Segment[] = [];
  let at = 0;
  const ordered = [...field.spans].sort((a, b) => a.start - b.start || b.end - a.end);
  for (const s of ordered) {
    const overlapped = s.start < at;
    if (overlapped) {
      // Shown after the text it overlaps, so the moderator still sees and can undo it.
      segments.push({ text: '', span: s, replacement: replacementFor(s), overlapped: true });
      continue;
    }
    if (s.start > at) segments.push({ text: field.original.slice(at, s.start) });
    segments.push({ text: s.original, span: s, replacement: replacementFor(s), overlapped: false });
    at = s.end;
  }
  if (at < field.original.length) segments.push({ text: field.original.slice(at) });
  return segments;
}

/** The published texts of a whole draft. */
export function publishedTexts(draft: RegisterDraft): Record<RegisterField, string | null> {
  return {
    title: publishedText(draft.title),
    summary: publishedText(draft.summary),
    response: publishedText(draft.response),
    determination: publishedText(draft.determination),
  };
}

// ------------------------------------------------------------------------------ the last check

/** One case's reporter, as the identity escrow gives it for this check (never shown). */
export interface ReporterTerms {
  name: string | null;
  email: string | null;
  phone: string | null;
  organisationName: string | null;
}

/** A phone number's national digits (+44 and 0044 become 0), to compare however it is written. */
function phoneDigits(value: string): string {
  const digits = value.replace(/\D/g, '');
  if (digits.startsWith('0044')) return '0' + digits.slice(4);
  if (digits.startsWith('44') && value.trim().startsWith('+')) return '0' + digits.slice(2);
  return digits;
}

/**
 * Which parts of the reporter's identity a text still contains: the name (in full, or a distinctive part
 * of it, or title and surname, by the redaction rules), the email address, the phone number however it is
 * written, or the organisation's name. Publication is always anonymised (see publishableModes), so a
 * moderator's undo or edit can never put the reporter back into public text: approval is refused instead.
 */
export function identityLeaks(
  text: string | null,
  terms: ReporterTerms | null,
): ('name' | 'email' | 'phone' | 'organisation')[] {
  if (!text || !terms) return [];
  const found = new Set<'name' | 'email' | 'phone' | 'organisation'>();
  if (terms.name && findNames(text, compileNames([terms.name])).length > 0) found.add('name');
  if (terms.email && text.toLowerCase().includes(terms.email.trim().toLowerCase())) found.add('email');
  if (terms.phone) {
    const wanted = phoneDigits(terms.phone);
    if (wanted.length >= 10 && findPhones(text).some((p) => phoneDigits(p.original) === wanted))
      found.add('phone');
  }
  if (terms.organisationName && findTerms(text, [terms.organisationName], 'organisation').length > 0)
    found.add('organisation');
  return [...found];
}
