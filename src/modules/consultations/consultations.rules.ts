/**
 * The rules of consultations, as pure functions (no I/O): the consultation period and the Compact's 12-week
 * standard, whether responses are taken today, who and what of a response may be made public (consent and
 * moderation), anchoring paragraph comments to the version they were made on, suggested wording as a word
 * diff, and the redacted copy made at publication.
 */
import { randomInt } from 'node:crypto';
import { daysBetween, toUkIsoDate, type IsoDate } from '../../platform/calendar/iso-date.ts';
import type { Redactor } from '../../platform/redaction/redaction.service.ts';
import { findTerms, applyRedactions, resolveOverlaps } from '../../platform/redaction/redaction.ts';
import { wordDiff, type DiffPart } from '../covenant/covenant.diff.ts';
import type { Answers, FormDefinition } from '../surveys/questions/types.ts';
import { paragraphNumbers } from './consultations.analysis.rules.ts';
import type { ConsentChoice, ModerationState, PublishedResponseText } from './consultations.tables.ts';

/** Compact 2010, 2.4 (and the Cabinet Office consultation principles before 2012): 12 weeks' formal consultation. */
export const COMPACT_WEEKS = 12;
const COMPACT_DAYS = COMPACT_WEEKS * 7;

/** Days in the period, counting both the opening and the closing day (open all day on both). */
export function periodDays(opensOn: IsoDate, closesOn: IsoDate): number {
  return daysBetween(opensOn, closesOn) + 1;
}

/** Shorter than the Compact's 12 weeks: the team sees a warning and must give a reason. */
export function isShortPeriod(opensOn: IsoDate, closesOn: IsoDate): boolean {
  return periodDays(opensOn, closesOn) < COMPACT_DAYS;
}

/** Whole weeks and remaining days of the period, for the warning ("9 weeks and 3 days"). */
export function periodLength(opensOn: IsoDate, closesOn: IsoDate): { weeks: number; days: number } {
  const days = periodDays(opensOn, closesOn);
  return { weeks: Math.floor(days / 7), days: days % 7 };
}

export type ConsultationWindow = 'not_published' | 'not_open' | 'open' | 'closed';

/** Whether responses are taken now: from the start of `opensOn` to the end of `closesOn`, UK time. */
export function windowOf(
  c: { status: string; opensOn: IsoDate; closesOn: IsoDate },
  now: Date,
): ConsultationWindow {
  if (c.status !== 'published') return 'not_published';
  const today = toUkIsoDate(now);
  if (today < c.opensOn) return 'not_open';
  if (today > c.closesOn) return 'closed';
  return 'open';
}

/** The consent rule's fields of a response. */
export interface PublicityFields {
  status: string;
  moderation: ModerationState | string;
  consent: ConsentChoice | string | null;
}

/**
 * Public only when submitted, published by a moderator, and the respondent agreed to publication (named or
 * anonymised). A draft, a pending or held response, and consent `none` are never public anywhere.
 */
export function isPublicResponse(r: PublicityFields): boolean {
  return (
    r.status === 'submitted' &&
    r.moderation === 'published' &&
    (r.consent === 'named' || r.consent === 'anonymised')
  );
}

/** A comment is public when its response is and the moderator did not hold the comment back. */
export function isPublicComment(r: PublicityFields, comment: { moderation: string }): boolean {
  return isPublicResponse(r) && comment.moderation === 'published';
}

export interface IdentityFields {
  consent: string | null;
  respondentType: string | null;
  respondentName: string | null;
  organisationName: string | null;
  organisationType: string | null;
  organisationSize: string | null;
}

/** Who a public response is from: a name only with consent `named`; never an email address. */
export function publicIdentity(r: IdentityFields): {
  name: string | null;
  respondentType: string | null;
  organisationType: string | null;
  organisationSize: string | null;
} {
  const named = r.consent === 'named';
  const organisation = r.respondentType === 'organisation';
  return {
    name: named ? (organisation ? r.organisationName : r.respondentName) || null : null,
    respondentType: r.respondentType,
    organisationType: organisation ? r.organisationType : null,
    organisationSize: organisation ? r.organisationSize : null,
  };
}

export interface AnchoredParagraph {
  key: string;
  position: number;
  kind: string;
  text: string;
}

/**
 * Where a comment is shown: against the paragraph of the version it was made on (found by stable key), and
 * whether that paragraph is still in the version being read. A comment on a paragraph a later draft removed
 * is kept and shown against its own version (issue 7, "bad input"). Numbers count text paragraphs only
 * (headings are not numbered), as on the consultation page.
 */
export function anchorComment(
  comment: { versionId: string; paragraphKey: string },
  paragraphsByVersion: ReadonlyMap<string, readonly AnchoredParagraph[]>,
  readingVersionId: string,
): {
  paragraph: AnchoredParagraph | null;
  number: number | null;
  versionId: string;
  inReadingVersion: boolean;
  readingNumber: number | null;
} {
  const own = paragraphsByVersion.get(comment.versionId) ?? [];
  const reading = paragraphsByVersion.get(readingVersionId) ?? [];
  const inReading = reading.some((p) => p.key === comment.paragraphKey);
  return {
    paragraph: own.find((p) => p.key === comment.paragraphKey) ?? null,
    number: paragraphNumbers(own).get(comment.paragraphKey) ?? null,
    versionId: comment.versionId,
    inReadingVersion: inReading,
    readingNumber: inReading ? (paragraphNumbers(reading).get(comment.paragraphKey) ?? null) : null,
  };
}

/** The document as numbered paragraphs: headings carry no number, text paragraphs 1, 2, 3… */
export function numberedParagraphs<P extends AnchoredParagraph>(paragraphs: readonly P[]) {
  const numbers = paragraphNumbers(paragraphs);
  return [...paragraphs]
    .sort((a, b) => a.position - b.position)
    .map((p) => ({ ...p, number: numbers.get(p.key) ?? null }));
}

/** A suggested wording as a word diff against the paragraph it would replace (covenant.diff.ts). */
export function suggestionDiff(
  paragraphText: string,
  suggested: string | null | undefined,
): DiffPart[] | null {
  if (!suggested || !suggested.trim()) return null;
  return wordDiff(paragraphText, suggested.trim());
}

const REFERENCE_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';

/** A short reference for a response (CR-7K3M9X): no 0/O or 1/I, so it can be read out. */
export function newResponseReference(): string {
  let out = '';
  for (let i = 0; i < 6; i++) out += REFERENCE_ALPHABET[randomInt(REFERENCE_ALPHABET.length)];
  return `CR-${out}`;
}

/** Free-text question keys of a form: their answers are redacted before publication. */
export function freeTextKeys(form: FormDefinition): Set<string> {
  return new Set(
    form.sections.flatMap((s) => s.questions.filter((q) => q.type === 'free_text').map((q) => q.key)),
  );
}

/** Phrases a moderator asked to remove, one per line, as they typed them. */
export function phrasesFrom(text: string | null | undefined): string[] {
  return (text ?? '')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length >= 3);
}

export interface RedactionInput {
  form: FormDefinition;
  answers: Answers;
  consent: string | null;
  respondentName: string | null;
  organisationName: string | null;
  principleComments: Record<string, string>;
  comments: { id: string; comment: string; suggestedText: string | null }[];
  /** Extra phrases the moderator removes everywhere. */
  phrases: readonly string[];
}

/**
 * The redacted copies published for a response: every free-text answer, principle comment, paragraph
 * comment and suggested wording goes through the platform's redaction (the register's: emails, phones,
 * postcodes, known names), plus the moderator's own phrases. For an anonymised response the respondent's own
 * name and organisation are removed too.
 */
export function redactResponse(redactor: Redactor, input: RedactionInput) {
  const anonymised = input.consent !== 'named';
  const request = {
    names: anonymised ? [input.respondentName] : [],
    organisations: [anonymised ? input.organisationName : null],
  };
  let redactions = 0;
  const redact = (text: string) => {
    const auto = redactor.redact(text, request);
    const manual = input.phrases.flatMap((phrase) => findTerms(text, [phrase], 'manual'));
    const spans = resolveOverlaps([...auto.spans, ...manual]);
    redactions += spans.length;
    return applyRedactions(text, spans);
  };
  const freeText = freeTextKeys(input.form);
  const answers: Answers = {};
  for (const [key, value] of Object.entries(input.answers))
    answers[key] = freeText.has(key) && typeof value === 'string' ? redact(value) : value;
  const principleComments: Record<string, string> = {};
  for (const [id, text] of Object.entries(input.principleComments))
    if (text.trim()) principleComments[id] = redact(text);
  const publishedText: PublishedResponseText = { answers, principleComments };
  const comments = input.comments.map((c) => ({
    id: c.id,
    publishedComment: redact(c.comment),
    publishedSuggestedText: c.suggestedText ? redact(c.suggestedText) : null,
  }));
  return { publishedText, comments, redactions };
}

/** The words the published-responses search finds a response by (redacted text only; the name when named). */
export function searchTextOf(
  published: PublishedResponseText,
  comments: { publishedComment: string; publishedSuggestedText: string | null }[],
  name: string | null,
): string {
  const parts: string[] = [];
  if (name) parts.push(name);
  for (const v of Object.values(published.answers)) if (typeof v === 'string') parts.push(v);
  parts.push(...Object.values(published.principleComments));
  for (const c of comments) parts.push(c.publishedComment, c.publishedSuggestedText ?? '');
  return parts.filter(Boolean).join('\n');
}
