/**
 * Comparing two versions of the Covenant text: paragraphs are matched by their stable key (never by
 * position or by similarity), and changed paragraphs get a word-level diff. Pure functions, no I/O.
 *
 * Word diff: longest common subsequence over word, space and punctuation tokens, after trimming the common
 * prefix and suffix (so a one-word change in a long paragraph costs almost nothing).
 */

export type DiffOp = 'equal' | 'insert' | 'delete';

export interface DiffPart {
  op: DiffOp;
  text: string;
}

/** Words (letters, digits, apostrophes and hyphens inside words), runs of spaces, and single punctuation marks. */
export function tokenise(text: string): string[] {
  return text.match(/\s+|[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*|[^\s\p{L}\p{N}]/gu) ?? [];
}

/** Above this many cells the LCS table is too big: the changed middle is shown as one replacement. */
const MAX_CELLS = 4_000_000;

function lcsOps(a: string[], b: string[]): DiffPart[] {
  const n = a.length;
  const m = b.length;
  if (n === 0) return b.map((text) => ({ op: 'insert' as const, text }));
  if (m === 0) return a.map((text) => ({ op: 'delete' as const, text }));
  if (n * m > MAX_CELLS) {
    return [
      { op: 'delete', text: a.join('') },
      { op: 'insert', text: b.join('') },
    ];
  }
  // table[i][j] = LCS length of a[i..] and b[j..], stored row-major in one typed array.
  const width = m + 1;
  const table = new Uint32Array((n + 1) * width);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      table[i * width + j] =
        a[i] === b[j]
          ? table[(i + 1) * width + j + 1]! + 1
          : Math.max(table[(i + 1) * width + j]!, table[i * width + j + 1]!);
    }
  }
  const parts: DiffPart[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      parts.push({ op: 'equal', text: a[i]! });
      i++;
      j++;
    } else if (table[(i + 1) * width + j]! >= table[i * width + j + 1]!) {
      parts.push({ op: 'delete', text: a[i]! });
      i++;
    } else {
      parts.push({ op: 'insert', text: b[j]! });
      j++;
    }
  }
  while (i < n) parts.push({ op: 'delete', text: a[i++]! });
  while (j < m) parts.push({ op: 'insert', text: b[j++]! });
  return parts;
}

/**
 * Groups a token-level diff into readable runs: a lone space between two changes joins them (so "old words"
 * → "new words" reads as one replacement, not four), deletions come before insertions, and runs of the
 * same kind are merged.
 */
function tidy(parts: DiffPart[]): DiffPart[] {
  const absorbed: DiffPart[] = [];
  for (let k = 0; k < parts.length; k++) {
    const part = parts[k]!;
    const prev = parts[k - 1];
    const next = parts[k + 1];
    if (
      part.op === 'equal' &&
      /^\s+$/.test(part.text) &&
      prev &&
      next &&
      prev.op !== 'equal' &&
      next.op !== 'equal'
    ) {
      absorbed.push({ op: 'delete', text: part.text }, { op: 'insert', text: part.text });
    } else absorbed.push(part);
  }
  // Within each run of changes, all deletions first, then all insertions.
  const ordered: DiffPart[] = [];
  let dels: string[] = [];
  let ins: string[] = [];
  const flush = () => {
    if (dels.length) ordered.push({ op: 'delete', text: dels.join('') });
    if (ins.length) ordered.push({ op: 'insert', text: ins.join('') });
    dels = [];
    ins = [];
  };
  for (const part of absorbed) {
    if (part.op === 'delete') dels.push(part.text);
    else if (part.op === 'insert') ins.push(part.text);
    else {
      flush();
      const last = ordered[ordered.length - 1];
      if (last?.op === 'equal') last.text += part.text;
      else ordered.push({ ...part });
    }
  }
  flush();
  return ordered;
}

/** Word-level diff of two texts. Joining the equal and delete parts gives `from`; equal and insert give `to`. */
export function wordDiff(from: string, to: string): DiffPart[] {
  if (from === to) return from ? [{ op: 'equal', text: from }] : [];
  const a = tokenise(from);
  const b = tokenise(to);
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const parts: DiffPart[] = [];
  if (start > 0) parts.push({ op: 'equal', text: a.slice(0, start).join('') });
  parts.push(...lcsOps(a.slice(start, endA), b.slice(start, endB)));
  if (endA < a.length) parts.push({ op: 'equal', text: a.slice(endA).join('') });
  return tidy(parts);
}

/** The fields of a paragraph that a comparison looks at. */
export interface ComparableParagraph {
  key: string;
  text: string;
  kind: string;
  commitmentCode?: string | null;
}

export type ParagraphStatus = 'unchanged' | 'changed' | 'added' | 'removed';

export interface ParagraphChange<P extends ComparableParagraph = ComparableParagraph> {
  key: string;
  status: ParagraphStatus;
  /** The paragraph is in both versions but its place relative to the others changed. */
  moved: boolean;
  from?: P;
  to?: P;
  /** Word-level diff, for changed paragraphs. */
  words?: DiffPart[];
}

export interface ComparisonSummary {
  added: number;
  removed: number;
  changed: number;
  moved: number;
  unchanged: number;
}

/** Longest common subsequence of two key lists (the keys that kept their relative order). */
function stableOrder(a: string[], b: string[]): Set<string> {
  const parts = lcsOps(a, b);
  return new Set(parts.filter((p) => p.op === 'equal').map((p) => p.text));
}

/**
 * Compares two ordered lists of paragraphs by stable key. The result follows the newer order; a removed
 * paragraph appears after the paragraph that preceded it in the older version.
 */
export function compareParagraphs<P extends ComparableParagraph>(
  from: readonly P[],
  to: readonly P[],
): { changes: ParagraphChange<P>[]; summary: ComparisonSummary } {
  const fromByKey = new Map(from.map((p) => [p.key, p]));
  const toByKey = new Map(to.map((p) => [p.key, p]));
  const commonFrom = from.filter((p) => toByKey.has(p.key)).map((p) => p.key);
  const commonTo = to.filter((p) => fromByKey.has(p.key)).map((p) => p.key);
  const inOrder = stableOrder(commonFrom, commonTo);

  // Removed paragraphs hang after the nearest earlier paragraph that survives ('' = the start).
  const removedAfter = new Map<string, P[]>();
  let anchor = '';
  for (const p of from) {
    if (toByKey.has(p.key)) anchor = p.key;
    else removedAfter.set(anchor, [...(removedAfter.get(anchor) ?? []), p]);
  }

  const changes: ParagraphChange<P>[] = [];
  const pushRemoved = (after: string) => {
    for (const p of removedAfter.get(after) ?? [])
      changes.push({ key: p.key, status: 'removed', moved: false, from: p });
  };
  pushRemoved('');
  for (const p of to) {
    const old = fromByKey.get(p.key);
    if (!old) changes.push({ key: p.key, status: 'added', moved: false, to: p });
    else {
      const changed =
        old.text !== p.text ||
        old.kind !== p.kind ||
        (old.commitmentCode ?? null) !== (p.commitmentCode ?? null);
      changes.push({
        key: p.key,
        status: changed ? 'changed' : 'unchanged',
        moved: !inOrder.has(p.key),
        from: old,
        to: p,
        words: changed ? wordDiff(old.text, p.text) : undefined,
      });
    }
    pushRemoved(p.key);
  }
  const summary: ComparisonSummary = { added: 0, removed: 0, changed: 0, moved: 0, unchanged: 0 };
  for (const c of changes) {
    summary[c.status]++;
    if (c.moved) summary.moved++;
  }
  return { changes, summary };
}
