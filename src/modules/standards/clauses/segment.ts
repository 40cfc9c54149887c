/**
 * Splits agreement text into clauses with character offsets into the original text, so a finding can be
 * highlighted exactly where it is. A clause is a sentence inside a paragraph, list item or numbered clause;
 * clause numbers ("9.3", "(a)", "•") are left out of the span. Pure and synchronous.
 */

export interface Segment {
  /** Offset of the first character of the clause in the original text. */
  start: number;
  /** Offset just past the last character (text === input.slice(start, end)). */
  end: number;
  text: string;
  /** Index of the paragraph or list item the clause belongs to: "nothing in this clause" reaches that far. */
  block: number;
  /**
   * The lead-in of the list the clause is an item of ("The Recipient shall not:"), read with the clause when
   * deciding whether it restricts; empty when the clause stands alone.
   */
  leadIn: string;
}

/** Words ending in a full stop that do not end a sentence. */
const ABBREVIATIONS = new Set([
  'e.g',
  'i.e',
  'eg',
  'ie',
  'etc',
  'no',
  'nos',
  'para',
  'paras',
  'cl',
  's',
  'ss',
  'art',
  'reg',
  'regs',
  'sch',
  'vol',
  'p',
  'pp',
  'mr',
  'mrs',
  'ms',
  'dr',
  'st',
  'ltd',
  'plc',
  'co',
  'inc',
  'approx',
  'fig',
  'viz',
  'cf',
]);

/** A clause number, bullet or list label at the start of a block: "9.3", "12.", "(a)", "iv)", "•", "-". */
const LEADING_LABEL =
  /^(?:(?:clause|section|article|paragraph)\s+)?(?:\d+(?:\.\d+)*\.?|\(?[a-z]\)|\(?[ivxlc]{1,6}\)|\(\d+\)|[•·▪◦‣*–—-])\s+/i;

/** The kind of a block's label, so a list ends where a label of the lead-in's own level starts. */
interface LabelKind {
  kind: 'number' | 'letter' | 'bullet' | 'none';
  /** For numbers: how many parts ("12.1" is 2). */
  depth: number;
}

function labelKind(blockText: string): LabelKind {
  const label = LEADING_LABEL.exec(blockText)?.[0]
    .trim()
    .replace(/^(?:clause|section|article|paragraph)\s+/i, '');
  if (!label) return { kind: 'none', depth: 0 };
  if (/^\d/.test(label)) return { kind: 'number', depth: label.replace(/\.$/, '').split('.').length };
  if (/^[•·▪◦‣*–—-]$/.test(label)) return { kind: 'bullet', depth: 0 };
  return { kind: 'letter', depth: 0 };
}

/** Whether a labelled block is still an item of the list opened by a lead-in with label `leadIn`. */
function continuesList(leadIn: LabelKind, firstItem: LabelKind | null, block: LabelKind): boolean {
  if (block.kind === 'none') return false;
  // "12.1 The Recipient shall not:" then "(a) …", "(b) …": "12.2" or "13." is the next clause, not an item.
  if (block.kind === 'number' && leadIn.kind === 'number' && block.depth <= leadIn.depth) return false;
  if (firstItem && block.kind !== firstItem.kind) return false;
  return true;
}

function isSentenceEnd(text: string, index: number): boolean {
  const ch = text[index];
  if (ch === '?' || ch === '!') return true;
  if (ch !== '.') return false;
  // A decimal or a clause reference ("clause 9.3", "£1.5m") is not an end.
  if (/\d/.test(text[index - 1] ?? '') && /\d/.test(text[index + 1] ?? '')) return false;
  const after = text.slice(index + 1);
  // The next sentence starts after whitespace with a capital, a digit, a quote or an opening bracket.
  if (!/^["'”’)]*\s+["'“‘(]*[A-Z0-9]/.test(after) && after.trim() !== '') return false;
  const word = /([A-Za-z.]+)$/.exec(text.slice(Math.max(0, index - 12), index))?.[1] ?? '';
  if (ABBREVIATIONS.has(word.toLowerCase())) return false;
  // A single capital letter followed by a full stop is an initial ("J. Smith").
  if (/^[A-Z]$/.test(word)) return false;
  return true;
}

/** Trims whitespace (and a leading clause label) from [start, end) and returns the narrowed range. */
function trimRange(text: string, start: number, end: number, stripLabel: boolean): [number, number] {
  while (start < end && /\s/.test(text[start]!)) start++;
  while (end > start && /\s/.test(text[end - 1]!)) end--;
  if (stripLabel) {
    const label = LEADING_LABEL.exec(text.slice(start, Math.min(end, start + 40)));
    if (label && label[0].length < end - start) {
      start += label[0].length;
      while (start < end && /\s/.test(text[start]!)) start++;
    }
  }
  return [start, end];
}

/**
 * Splits text into clauses. Blocks are separated by line breaks (a line that continues a sentence, as in
 * text copied from a PDF, is joined to the previous one); sentences within a block by their full stops.
 * Semicolon-separated list items ("(a) …; (b) …") become clauses of their own, keeping the lead-in.
 */
export function segmentClauses(text: string): Segment[] {
  const segments: Segment[] = [];
  // 1. Blocks: split at line breaks, but join a line to the previous one when the previous line does not
  //    end a sentence and this one does not start with a clause label (hard-wrapped text).
  const lines: { start: number; end: number }[] = [];
  const lineRe = /[^\r\n]*(?:\r\n|\r|\n|$)/g;
  let match: RegExpExecArray | null;
  while ((match = lineRe.exec(text)) !== null) {
    if (match[0] === '') {
      lineRe.lastIndex++;
      if (lineRe.lastIndex > text.length) break;
      continue;
    }
    const content = match[0].replace(/[\r\n]+$/, '');
    lines.push({ start: match.index, end: match.index + content.length });
  }
  const blocks: { start: number; end: number }[] = [];
  let previousBlank = true;
  for (const line of lines) {
    const body = text.slice(line.start, line.end);
    if (body.trim() === '') {
      previousBlank = true;
      continue;
    }
    const last = blocks[blocks.length - 1];
    const lastText = last ? text.slice(last.start, last.end).trimEnd() : '';
    const continues =
      last !== undefined &&
      !previousBlank &&
      !/[.;:!?]["'”’)]*$/.test(lastText) &&
      !LEADING_LABEL.test(body.trimStart()) &&
      // A lower-case start continues a sentence; so does any line after a long one (a wrapped line), while
      // a short line without a full stop is a heading.
      (/^\s*[a-z(£0-9“"]/.test(body) || lastText.length >= 60);
    if (continues) last.end = line.end;
    else blocks.push({ ...line });
    previousBlank = false;
  }

  // 2. Sentences and list items inside each block. A block ending with a colon is the lead-in of the
  //    labelled blocks after it ("The Recipient shall not:" then "(a) …", "(b) …").
  let listLeadIn = '';
  let leadInLabel: LabelKind = { kind: 'none', depth: 0 };
  let firstItem: LabelKind | null = null;
  blocks.forEach((block, blockIndex) => {
    const blockText = text.slice(block.start, block.end).trim();
    const ownLabel = labelKind(blockText);
    if (listLeadIn && continuesList(leadInLabel, firstItem, ownLabel)) firstItem ??= ownLabel;
    else listLeadIn = '';
    const colon = blockText.indexOf(':');
    const ownLeadIn = colon > 0 ? blockText.slice(0, colon) : '';
    let sentenceStart = block.start;
    let splitByList = false;
    const cut = (end: number) => {
      const [s, e] = trimRange(text, sentenceStart, end, true);
      if (e > s && /[A-Za-z]/.test(text.slice(s, e))) {
        const leadIn = [listLeadIn, splitByList ? ownLeadIn : ''].filter(Boolean).join(' ');
        segments.push({ start: s, end: e, text: text.slice(s, e), block: blockIndex, leadIn });
      }
    };
    for (let i = block.start; i < block.end; i++) {
      const ch = text[i];
      if ((ch === '.' || ch === '?' || ch === '!') && isSentenceEnd(text, i)) {
        let end = i + 1;
        while (end < block.end && /["'”’)]/.test(text[end]!)) end++;
        cut(end);
        sentenceStart = end;
        i = end - 1;
      } else if (
        ch === ';' &&
        /^\s*(?:and\s+|or\s+)?\(?(?:[a-z]|[ivx]{1,4}|\d{1,2})\)\s/.test(text.slice(i + 1, i + 12))
      ) {
        // "…; (b) …": a new list item.
        cut(i + 1);
        sentenceStart = i + 1;
        splitByList = true;
      }
    }
    if (sentenceStart < block.end) cut(block.end);
    if (/:\s*$/.test(blockText)) {
      listLeadIn = blockText.replace(/:\s*$/, '');
      leadInLabel = ownLabel;
      firstItem = null;
    }
  });
  return segments;
}
