/**
 * Pure rules of the government response ("you said, we did", issue 7, item 5): which quotes may be shown in
 * public and how they are attributed, how each change in the next draft cites the feedback behind it, and
 * the paragraph-by-paragraph assembly of the published response. No I/O.
 *
 * Consent (shared schema, consult-schema.md): a response whose consent is `none` appears in no public page,
 * download or API: none of its words, name or organisation. `anonymised`: the redacted text, no name and no
 * organisation name. `named`: the name or organisation. Only moderation-published items are public.
 */
import { compareParagraphs, type DiffPart } from '../covenant/covenant.diff.ts';
import { paragraphNumbers, type StanceSplit } from './consultations.analysis.rules.ts';

export type Consent = 'named' | 'anonymised' | 'none';
export type Moderation = 'pending' | 'published' | 'held';

/** What the consent rule needs to know about one comment (or free-text answer) and its response. */
export interface QuoteSource {
  /** The comment's id (linked on the public page as an anchor in the published responses). */
  id: string;
  responseId: string;
  /** The moderation state of the item itself (a paragraph comment) or of the response (an answer). */
  moderation: Moderation;
  /** The redacted copy made at moderation; null when none was made. */
  publishedText: string | null;
  consent: Consent;
  responseStatus: 'draft' | 'submitted';
  respondentType: 'individual' | 'organisation';
  respondentName: string | null;
  organisationName: string | null;
  organisationType: string | null;
}

export interface PublicQuote {
  id: string;
  responseId: string;
  text: string;
  /** Named responses: the organisation's or person's name; otherwise null ("an individual"/"an organisation"). */
  attribution: string | null;
  respondentType: 'individual' | 'organisation';
  /** Type of organisation, shown for named and anonymised organisations alike (the schema allows it). */
  organisationType: string | null;
}

/**
 * The public form of a quote, or null when it must not be shown. Only the moderated (redacted) copy is ever
 * published: a moderator's redaction is what makes a text publishable, so an item without one stays private.
 */
export function publicQuote(source: QuoteSource): PublicQuote | null {
  if (source.responseStatus !== 'submitted') return null;
  if (source.consent === 'none') return null;
  if (source.moderation !== 'published') return null;
  const text = source.publishedText?.trim();
  if (!text) return null;
  const named = source.consent === 'named';
  return {
    id: source.id,
    responseId: source.responseId,
    text,
    attribution: named ? (source.organisationName ?? source.respondentName ?? null) : null,
    respondentType: source.respondentType,
    organisationType: source.respondentType === 'organisation' ? source.organisationType : null,
  };
}

/** Public quotes of `sources` in the order given, at most `limit`. */
export function publicQuotes(sources: readonly QuoteSource[], limit = 3): PublicQuote[] {
  const out: PublicQuote[] = [];
  for (const s of sources) {
    const q = publicQuote(s);
    if (q) out.push(q);
    if (out.length >= limit) break;
  }
  return out;
}

/**
 * The reference a change in the next draft carries (covenant_change_citations.reference, shown in public).
 * It never names an engine theme: a theme's label is made of words from every submitted comment, including
 * those whose authors did not agree to publication, so only the team's own words and numbers are public.
 */
export function citationReference(
  consultationTitle: string,
  cause: { kind: 'theme' | 'paragraph'; number: number | null; size?: number },
): string {
  const where = cause.number === null ? 'this heading' : `paragraph ${cause.number}`;
  return cause.kind === 'theme'
    ? `Consultation “${consultationTitle}”: a theme of ${cause.size ?? 0} comments on ${where}`
    : `Consultation “${consultationTitle}”: comments on ${where}`;
}

export interface ParagraphText {
  key: string;
  position: number;
  kind: string;
  text: string;
}

export interface ResponseEntry {
  id: string;
  paragraphKey: string | null;
  themeId: string | null;
  heard: string;
  changed: string;
  position: number;
}

export interface ThemeSummary {
  id: string;
  scope: 'paragraph' | 'question';
  scopeKey: string;
  /** Null in public output: engine labels are made from every comment's words, consented or not. */
  label: string | null;
  size: number;
  quotes: PublicQuote[];
}

export interface YouSaidSection {
  key: string;
  /** Number in the version consulted on (or, for a paragraph added since, in the next version). */
  number: number | null;
  kind: string;
  status: 'unchanged' | 'changed' | 'added' | 'removed';
  /** The text consulted on and the text now (either may be absent for added/removed paragraphs). */
  before: string | null;
  after: string | null;
  words: DiffPart[];
  counts: StanceSplit & { total: number };
  entries: { heard: string; changed: string; theme: ThemeSummary | null }[];
  themes: ThemeSummary[];
}

export interface YouSaidWeDid {
  sections: YouSaidSection[];
  /** Entries about a question or the consultation as a whole, not one paragraph. */
  general: { heard: string; changed: string; theme: ThemeSummary | null }[];
  /** Themes found in answers to the questions. */
  questionThemes: ThemeSummary[];
}

/**
 * Assembles "you said, we did": for each paragraph of the version consulted on (in the next version's order,
 * removed paragraphs where they were), the change (word diff), how many commented and how, what the team
 * heard and changed, and the themes with their public quotes. A paragraph appears when it changed, when the
 * team wrote about it or when people commented on it; untouched, uncommented paragraphs are left out.
 * Without a next version, every paragraph is "unchanged".
 */
export function assembleYouSaidWeDid(input: {
  consulted: readonly ParagraphText[];
  next: readonly ParagraphText[] | null;
  counts: ReadonlyMap<string, StanceSplit>;
  entries: readonly ResponseEntry[];
  themes: readonly ThemeSummary[];
}): YouSaidWeDid {
  const themeById = new Map(input.themes.map((t) => [t.id, t]));
  const paragraphOfEntry = (e: ResponseEntry): string | null => {
    if (e.paragraphKey) return e.paragraphKey;
    const theme = e.themeId ? themeById.get(e.themeId) : undefined;
    return theme?.scope === 'paragraph' ? theme.scopeKey : null;
  };
  const entriesByKey = new Map<string, ResponseEntry[]>();
  const general: ResponseEntry[] = [];
  for (const e of [...input.entries].sort((a, b) => a.position - b.position)) {
    const key = paragraphOfEntry(e);
    if (key === null) general.push(e);
    else entriesByKey.set(key, [...(entriesByKey.get(key) ?? []), e]);
  }
  const shape = (e: ResponseEntry) => ({
    heard: e.heard,
    changed: e.changed,
    theme: e.themeId ? (themeById.get(e.themeId) ?? null) : null,
  });
  const numbersBefore = paragraphNumbers(input.consulted);
  const numbersAfter = paragraphNumbers(input.next ?? []);
  const { changes } = compareParagraphs(input.consulted, input.next ?? input.consulted);
  const sections: YouSaidSection[] = [];
  for (const change of changes) {
    const split = input.counts.get(change.key) ?? { agree: 0, disagree: 0, suggest_change: 0 };
    const total = split.agree + split.disagree + split.suggest_change;
    const entries = (entriesByKey.get(change.key) ?? []).map(shape);
    const themes = input.themes.filter((t) => t.scope === 'paragraph' && t.scopeKey === change.key);
    if (change.status === 'unchanged' && entries.length === 0 && total === 0) continue;
    const before = change.from?.text ?? null;
    const after = change.to?.text ?? null;
    sections.push({
      key: change.key,
      number: numbersBefore.get(change.key) ?? numbersAfter.get(change.key) ?? null,
      kind: (change.to ?? change.from)?.kind ?? 'text',
      status: change.status,
      before,
      after,
      words:
        change.words ??
        (change.status === 'added'
          ? [{ op: 'insert', text: after ?? '' }]
          : change.status === 'removed'
            ? [{ op: 'delete', text: before ?? '' }]
            : [{ op: 'equal', text: before ?? '' }]),
      counts: { ...split, total },
      entries,
      themes,
    });
  }
  // Entries about a paragraph in neither version (e.g. a key mistyped in an import) are kept, as general.
  const shown = new Set(changes.map((c) => c.key));
  for (const [key, list] of entriesByKey) if (!shown.has(key)) general.push(...list);
  return {
    sections,
    general: general.map(shape),
    questionThemes: input.themes.filter((t) => t.scope === 'question'),
  };
}
