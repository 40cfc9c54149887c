/**
 * Automatic redaction of personal data in free text (SPEC §3 "Public register": emails, phone numbers,
 * UK postcodes and names of people known to the system are removed before a human approves publication).
 * Pure functions: the caller supplies the names; nothing here reads a database.
 *
 * The output is the redacted text AND the list of spans found, each with its kind and the original text, so
 * a moderator can review every one (accept it, undo it, add their own) and `applyRedactions` can rebuild the
 * text from the reviewed list. Spans are offsets in the ORIGINAL text (UTF-16 code units, like String.slice).
 *
 * Rules (docs/modules/register.md repeats them in plain English):
 * - Email: local@domain.tld (RFC 5322's common form; the domain needs a dot and a 2+ letter top level).
 * - UK phone: +44 / 0044 / 0 followed by 9 or 10 more digits, written with spaces, dashes, dots or
 *   brackets ("(020) 7946 0018", "+44 (0)161 496 0000", "07700-900-123"). The national number must be 10 or
 *   11 digits beginning 01, 02, 03, 05, 07, 08 or 09 (07 numbers are always 11). A number glued to letters,
 *   a hyphen, a slash or a currency sign is not a phone: case references (CH-2026-000123), dates
 *   (01/02/2026, 2026-01-15), money (£0.5m), statute numbers (SI 2010/1234) stay.
 * - UK postcode: every valid format (A9 9AA, A99 9AA, A9A 9AA, AA9 9AA, AA99 9AA, AA9A 9AA, and GIR 0AA),
 *   any case, with or without the space, as a whole word.
 * - Names of people known to the system, whole words, case-insensitive, accents and curly apostrophes
 *   folded, a possessive ’s left in place ("[name removed]’s"):
 *     * the full name, or first and last name without middle names;
 *     * a title (Mr, Mrs, Ms, Miss, Mx, Dr, Prof, Sir, Dame, Lord, Lady, Rev, Cllr) or an initial followed by
 *       the surname ("Ms Shah", "Dr. O'Neill", "P. Shah"), the title included in the span;
 *     * a first name or a surname on its own ONLY when it is distinctive (at least 3 letters and not a
 *       common English word or job title: COMMON_WORDS has "Mark", "Grace", "Green", "Hall", "Will",
 *       "Officer" ...) AND written with a capital letter, as a proper noun. A common part is redacted only
 *       with a title or the rest of the name, so "the green paper" and "we will" survive.
 * - Extra terms (e.g. the reporter's organisation name for one case): the exact phrase, whole words,
 *   case-insensitive.
 * Where spans overlap, the longer one wins (an email address beats the name inside it).
 */

export const redactionKinds = ['email', 'phone', 'postcode', 'name', 'organisation', 'manual'] as const;
export type RedactionKind = (typeof redactionKinds)[number];

export interface RedactionSpan {
  start: number;
  end: number;
  kind: RedactionKind;
  original: string;
}

export interface RedactionResult {
  text: string;
  spans: RedactionSpan[];
}

/** What replaces each kind of span in published text. Published content, so plain English, not a message key. */
export const replacementFor: Record<RedactionKind, string> = {
  email: '[email address removed]',
  phone: '[phone number removed]',
  postcode: '[postcode removed]',
  name: '[name removed]',
  organisation: '[organisation removed]',
  manual: '[removed]',
};

// ---------------------------------------------------------------------------------------------- emails

const EMAIL =
  /(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}(?![\p{L}\p{N}])/gu;

export function findEmails(text: string): RedactionSpan[] {
  return [...text.matchAll(EMAIL)].map((m) => span(text, m.index, m.index + m[0].length, 'email'));
}

// ---------------------------------------------------------------------------------------------- phones

/**
 * A candidate: an international or trunk prefix, then groups of digits with at most one separator (space,
 * dash, dot, or a closing bracket and a space) between groups. Validation happens on the digits.
 */
const PHONE_CANDIDATE =
  /(?<![\p{L}\p{N}_\-/.£$€+])(?:(?:\+|00)[ ]?44[ ]?(?:\(0\)[ ]?)?\(?|\(0|0)\d*(?:(?:[ \-.]|\)[ ]?)\(?\d+)*/gu;

/** A national UK number (with its leading 0): 10 or 11 digits, a known range, mobiles always 11. */
export function isUkNationalNumber(digits: string): boolean {
  if (!/^0\d+$/.test(digits)) return false;
  if (digits.length !== 10 && digits.length !== 11) return false;
  const range = digits[1]!;
  if (!'1235789'.includes(range)) return false;
  if (range === '7' && digits.length !== 11) return false;
  return true;
}

function nationalDigits(candidate: string): string {
  const trimmed = candidate.replace(/\(0\)/, '');
  const digits = trimmed.replace(/\D/g, '');
  if (trimmed.startsWith('+44') || /^\+ 44/.test(trimmed)) return '0' + digits.slice(2);
  if (digits.startsWith('0044')) return '0' + digits.slice(4);
  return digits;
}

export function findPhones(text: string): RedactionSpan[] {
  const spans: RedactionSpan[] = [];
  const re = new RegExp(PHONE_CANDIDATE.source, PHONE_CANDIDATE.flags);
  for (let m = re.exec(text); m; m = re.exec(text)) {
    // A candidate may run on into a following number ("0161 496 0000 2 times", or two numbers in a row):
    // take the longest run of whole groups that makes a valid number, then carry on scanning after it.
    let candidate = m[0];
    // "0.5" and "0.1234567890" are decimals, not numbers with dots.
    if (/^0\./.test(candidate)) candidate = '';
    for (;;) {
      candidate = candidate.replace(/[\s\-.(]+$/, '');
      if (!candidate || isUkNationalNumber(nationalDigits(candidate))) break;
      const shorter = candidate.replace(/(?:[ \-.]|\)[ ]?)\(?\d+$/, '');
      candidate = shorter === candidate ? '' : shorter;
    }
    const end = m.index + candidate.length;
    if (candidate && !/[\p{L}\p{N}]/u.test(text[end] ?? '')) {
      spans.push(span(text, m.index, end, 'phone'));
      re.lastIndex = end;
    } else {
      // Not a phone from here: try again after this candidate's first group of digits.
      const firstGroup = /^\D*\d+/.exec(m[0])?.[0].length ?? 1;
      re.lastIndex = m.index + Math.max(firstGroup, 1);
    }
  }
  return spans;
}

// ------------------------------------------------------------------------------------------- postcodes

// Royal Mail's formats (BS 7666): outward code then inward code 9AA.
const OUTWARD =
  '(?:[A-PR-UWYZ][0-9][0-9]?|[A-PR-UWYZ][A-HK-Y][0-9][0-9]?|[A-PR-UWYZ][0-9][A-HJKPSTUW]|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY])';
const INWARD = '[0-9][ABD-HJLNP-UW-Z]{2}';
const POSTCODE = new RegExp(
  `(?<![\\p{L}\\p{N}])(?:${OUTWARD}[ ]?${INWARD}|GIR[ ]?0AA)(?![\\p{L}\\p{N}])`,
  'giu',
);

export function findPostcodes(text: string): RedactionSpan[] {
  return [...text.matchAll(POSTCODE)].map((m) => span(text, m.index, m.index + m[0].length, 'postcode'));
}

// ----------------------------------------------------------------------------------------------- names

/** Titles that may precede a surname; matched with or without a full stop. */
export const TITLES = new Set([
  'mr',
  'mrs',
  'ms',
  'miss',
  'mx',
  'dr',
  'prof',
  'professor',
  'sir',
  'dame',
  'lord',
  'lady',
  'rev',
  'revd',
  'reverend',
  'cllr',
  'councillor',
]);

/**
 * Common English words that are also first names or surnames. Such a name part on its own is never
 * redacted (only with a title or the rest of the name): "Mark" the name and "mark" the verb cannot be told
 * apart without understanding the sentence, and redacting every "will", "green" or "hall" would wreck the text.
 */
export const COMMON_WORDS = new Set(
  `a an and are art as at august autumn baker ball bank banks barber bell best bill bird black bond bone
  born bow boy brand bright brook brooks brown bush butcher by can cannon carpenter carter case chance
  chase cherry church clay cliff close cole cook cooper cross crown dale dance dawn day dean dear dove
  down drew duke early east ebony eve fair faith field fields fish fisher ford forest fox frank free
  friend frost gale garden gay gem gene gift glass gold golden good grace grant gray green grey guy hall
  hand happy hardy harper hart hay hazel head heath hill holly home hope house hunt hunter in iris is it
  ivy jack jade jay jewel joy judge june just keen king knight lake lamb land lane law lawn lee light lily
  link little long lord love low lucky major march mark marsh mason may mayor meadow mercy miles mill
  miller mills moon moore moss new newman noble north oak of on or page park parker parks patience pearl
  penny pine pink pool pope power powers price prince read reed rich ring river robin rock rose rowan
  ruby rush sage sandy savage say scott sea sharp shepherd short silver sky small smart smith snow south
  spring stable star steel stone storm strong summer sun swan taylor the thatcher to town tree true
  turner victor wade walker wall ward warren water waters watts way weaver well wells west white will
  wise wolf wood woods worth wren wright young
  admin administrator officer director minister lead leader member panel manager chair secretary team
  council demo user test staff head chief clerk intermediary reporter charity body service support
  network project trust community group action youth voluntary`
    .split(/\s+/)
    .filter(Boolean),
);

/** Folds case, accents and apostrophe variants so "Siobhán O’Neill" matches "siobhan o'neill". */
export function foldName(value: string): string {
  return value
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[’‘`´]/g, "'")
    .toLowerCase();
}

/** Letters with inner apostrophes or hyphens: "O'Neill", "Anne-Marie", "Shah's". */
const WORD = /\p{L}+(?:['’‑-]\p{L}+)*/gu;

interface Token {
  start: number;
  end: number;
  folded: string;
}

function tokenize(text: string): Token[] {
  return [...text.matchAll(WORD)].map((m) => ({
    start: m.index,
    end: m.index + m[0].length,
    folded: foldName(m[0]),
  }));
}

/** One way of writing a known person's name: a sequence of folded words, perhaps needing a title before. */
interface NamePattern {
  parts: string[];
  /** Matches only after a title or an initial ("Ms Shah", "P. Shah"). */
  needsTitle: boolean;
  /** A lone name part: matches only written with a capital, as a proper noun ("Priya", not "priya"). */
  needsCapital: boolean;
  kind: 'name' | 'organisation';
}

/** The names, compiled once into an index keyed by the first word of each pattern. */
export interface NameIndex {
  byFirstPart: Map<string, NamePattern[]>;
}

function isDistinctive(part: string): boolean {
  return part.length >= 3 && !COMMON_WORDS.has(part) && !TITLES.has(part);
}

/**
 * Compiles the names of people known to the system (duplicates and blanks are fine) and, optionally,
 * organisation names to remove as whole phrases (only the full name, any case, never a part of it).
 */
export function compileNames(names: Iterable<string>, organisations: Iterable<string> = []): NameIndex {
  const byFirstPart = new Map<string, NamePattern[]>();
  const seen = new Set<string>();
  const add = (
    parts: string[],
    needsTitle: boolean,
    needsCapital = false,
    kind: NamePattern['kind'] = 'name',
  ) => {
    const key = `${kind}${needsTitle ? 't' : ''}${needsCapital ? 'c' : ''}|${parts.join(' ')}`;
    if (parts.length === 0 || seen.has(key)) return;
    seen.add(key);
    const list = byFirstPart.get(parts[0]!) ?? [];
    list.push({ parts, needsTitle, needsCapital, kind });
    byFirstPart.set(parts[0]!, list);
  };
  for (const organisation of organisations) {
    const parts = tokenize(organisation).map((t) => t.folded);
    // One short word ("Age") would remove ordinary words everywhere: an organisation needs 2+ words, or one
    // distinctive word written with a capital ("Oxfam", "Mind" but not "mind").
    if (parts.length > 1 || (parts.length === 1 && isDistinctive(parts[0]!)))
      add(parts, false, parts.length === 1, 'organisation');
  }
  for (const name of names) {
    const parts = tokenize(name)
      .map((t) => t.folded)
      .filter((p) => !TITLES.has(p));
    // A single-letter part is an initial in the stored name ("J Smith"): keep it out of the patterns.
    const words = parts.filter((p) => p.length > 1);
    if (words.length === 0) continue;
    const first = words[0]!;
    const last = words[words.length - 1]!;
    if (words.length > 1) {
      add(words, false);
      add([first, last], false);
    }
    add([last], true);
    if (words.length > 1) add([first, last], true);
    if (isDistinctive(last)) add([last], false, true);
    if (words.length > 1 && isDistinctive(first)) add([first], false, true);
  }
  return { byFirstPart };
}

/** "shah's" → "shah" (the possessive stays in the text, outside the span). */
function withoutPossessive(folded: string): string | null {
  return folded.endsWith("'s") ? folded.slice(0, -2) : null;
}

/** Only spaces (and at most one full stop after a title or initial) may separate the words of a name. */
function joinedBySpace(text: string, from: number, to: number, allowStop: boolean): boolean {
  const gap = text.slice(from, to);
  return allowStop ? /^\.?[ \t]+$|^\.$/.test(gap) && gap.length <= 3 : /^[ \t]{1,2}$/.test(gap);
}

export function findNames(text: string, index: NameIndex): RedactionSpan[] {
  if (index.byFirstPart.size === 0) return [];
  const tokens = tokenize(text);
  const spans: RedactionSpan[] = [];
  let i = 0;
  while (i < tokens.length) {
    const token = tokens[i]!;
    // A title or an initial opens a titled match starting at the next word.
    const prefixed =
      (TITLES.has(token.folded) || (token.folded.length === 1 && /\p{Lu}/u.test(text[token.start]!))) &&
      i + 1 < tokens.length &&
      joinedBySpace(text, token.end, tokens[i + 1]!.start, true);
    const titled = prefixed ? bestMatch(text, tokens, index, i + 1, true, token.start) : null;
    const plain = bestMatch(text, tokens, index, i, false, token.start);
    const best = titled && (!plain || titled.end - titled.start >= plain.end - plain.start) ? titled : plain;
    if (best) {
      spans.push(span(text, best.start, best.end, best.kind));
      i = best.endToken + 1;
    } else i += 1;
  }
  return spans;
}

interface NameMatch {
  start: number;
  end: number;
  endToken: number;
  kind: NamePattern['kind'];
}

/** The longest pattern matching from token `at` (`titled`: a title or initial starts at `titleStart`). */
function bestMatch(
  text: string,
  tokens: Token[],
  index: NameIndex,
  at: number,
  titled: boolean,
  titleStart: number,
): NameMatch | null {
  const first = tokens[at]!;
  const candidates = [
    ...(index.byFirstPart.get(first.folded) ?? []),
    ...(index.byFirstPart.get(withoutPossessive(first.folded) ?? '') ?? []),
  ];
  let best: NameMatch | null = null;
  for (const pattern of candidates) {
    if (pattern.needsTitle && !titled) continue;
    if (titled && pattern.kind !== 'name') continue;
    if (pattern.needsCapital && !/\p{Lu}/u.test(text[first.start]!)) continue;
    const end = matchPattern(text, tokens, at, pattern.parts);
    if (end === null) continue;
    const start = titled ? titleStart : first.start;
    if (!best || end - start > best.end - best.start)
      best = { start, end, endToken: at + pattern.parts.length - 1, kind: pattern.kind };
  }
  return best;
}

/** Returns the end offset of the match (before any possessive), or null. */
function matchPattern(text: string, tokens: Token[], at: number, parts: string[]): number | null {
  if (at + parts.length > tokens.length) return null;
  for (let k = 0; k < parts.length; k++) {
    const token = tokens[at + k]!;
    if (k > 0 && !joinedBySpace(text, tokens[at + k - 1]!.end, token.start, false)) return null;
    const isLast = k === parts.length - 1;
    if (token.folded === parts[k]) continue;
    if (isLast && withoutPossessive(token.folded) === parts[k]) return token.end - 2;
    return null;
  }
  return tokens[at + parts.length - 1]!.end;
}

// ------------------------------------------------------------------------------------------ extra terms

/** Exact phrases (e.g. the reporter's organisation name), whole words, case-insensitive. */
export function findTerms(text: string, terms: readonly string[], kind: RedactionKind): RedactionSpan[] {
  const spans: RedactionSpan[] = [];
  for (const term of terms) {
    const trimmed = term.trim();
    if (trimmed.length < 3) continue;
    const pattern = trimmed
      .split(/\s+/)
      .map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/['’]/g, "['’]"))
      .join('\\s+');
    const re = new RegExp(`(?<![\\p{L}\\p{N}])${pattern}(?![\\p{L}\\p{N}])`, 'giu');
    for (const m of text.matchAll(re)) spans.push(span(text, m.index, m.index + m[0].length, kind));
  }
  return spans;
}

// --------------------------------------------------------------------------------------------- combine

function span(text: string, start: number, end: number, kind: RedactionKind): RedactionSpan {
  return { start, end, kind, original: text.slice(start, end) };
}

/** Sorted, without overlaps: where two overlap the longer wins (then the earlier). */
export function resolveOverlaps(spans: readonly RedactionSpan[]): RedactionSpan[] {
  const byLength = [...spans].sort((a, b) => b.end - b.start - (a.end - a.start) || a.start - b.start);
  const kept: RedactionSpan[] = [];
  for (const s of byLength) {
    if (s.end <= s.start) continue;
    if (kept.some((k) => s.start < k.end && k.start < s.end)) continue;
    kept.push(s);
  }
  return kept.sort((a, b) => a.start - b.start);
}

/** Rebuilds the published text from the original and the (reviewed) spans. */
export function applyRedactions(original: string, spans: readonly RedactionSpan[]): string {
  let out = '';
  let at = 0;
  for (const s of resolveOverlaps(spans)) {
    if (s.start < at || s.end > original.length) continue;
    out += original.slice(at, s.start) + replacementFor[s.kind];
    at = s.end;
  }
  return out + original.slice(at);
}

export interface RedactOptions {
  names?: NameIndex;
  /** Phrases to remove wherever they occur, e.g. the reporter's organisation for one case. */
  organisations?: readonly string[];
  /** More personal names to remove, e.g. the reporter's own name for one case (always full-rule matched). */
  extraNames?: readonly string[];
}

/** Finds every span and returns the redacted text with the spans for review. */
export function redactText(original: string, options: RedactOptions = {}): RedactionResult {
  const found = [
    ...findEmails(original),
    ...findPhones(original),
    ...findPostcodes(original),
    ...(options.names ? findNames(original, options.names) : []),
    ...(options.extraNames?.length ? findNames(original, compileNames(options.extraNames)) : []),
    ...findTerms(original, options.organisations ?? [], 'organisation'),
  ];
  const spans = resolveOverlaps(found);
  return { text: applyRedactions(original, spans), spans };
}
