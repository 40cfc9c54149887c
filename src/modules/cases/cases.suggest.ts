/**
 * Text matching for intake, small and dependency-free so it runs on every request:
 * - `rankCommitments`: BM25 over the Covenant's commitments, to suggest which ones a report concerns (the
 *   reporter confirms; SPEC §3 "which commitments it concerns (suggested from the text)");
 * - `similarCases`: TF-IDF cosine similarity between a case and other open cases, for duplicate detection
 *   at triage (SPEC §3 "similar open cases are suggested at triage").
 *
 * Tokens are lower-cased words without stop words, lightly stemmed ("funded", "funding", "funds" → "fund")
 * so a reporter's wording meets the Covenant's.
 */

const STOP_WORDS = new Set(
  (
    'a about above after again against all am an and any are as at be because been before being below between ' +
    'both but by can could did do does doing down during each few for from further had has have having he her ' +
    'here hers him his how i if in into is it its just me more most my no nor not now of off on once only or ' +
    'other our ours out over own same she should so some such than that the their theirs them then there these ' +
    'they this those through to too under until up very was we were what when where which while who whom why ' +
    'will with would you your yours also us may might must shall been get got us'
  ).split(' '),
);

/** Strips common English suffixes: enough to join "consulted"/"consultation"/"consulting", no more. */
export function lightStem(word: string): string {
  let w = word;
  if (w.length <= 3) return w;
  for (const [suffix, replacement] of [
    ['ations', ''],
    ['ation', ''],
    ['ments', ''],
    ['ment', ''],
    ['ings', ''],
    ['ing', ''],
    ['ies', 'y'],
    ['ied', 'y'],
    ['ness', ''],
    ['ed', ''],
    ['ly', ''],
    ['es', ''],
    ['s', ''],
  ] as const) {
    if (w.endsWith(suffix) && w.length - suffix.length >= 3) {
      w = w.slice(0, w.length - suffix.length) + replacement;
      break;
    }
  }
  // "funded" → "fund", "planned" → "plan": drop a doubled final consonant left behind.
  if (/([b-df-hj-np-tv-z])\1$/.test(w) && !/(ll|ss|ff|zz)$/.test(w)) w = w.slice(0, -1);
  return w;
}

export function tokenise(text: string): string[] {
  const words =
    text
      .toLowerCase()
      .normalize('NFKD')
      .match(/\p{L}[\p{L}'’-]*/gu) ?? [];
  const tokens: string[] = [];
  for (const raw of words) {
    const word = raw.replace(/['’]s$/, '').replace(/['’-]/g, '');
    if (word.length < 2 || STOP_WORDS.has(word)) continue;
    tokens.push(lightStem(word));
  }
  return tokens;
}

function counts(tokens: string[]): Map<string, number> {
  const map = new Map<string, number>();
  for (const t of tokens) map.set(t, (map.get(t) ?? 0) + 1);
  return map;
}

export interface RankedItem<T> {
  item: T;
  score: number;
}

/**
 * BM25 (k1 = 1.2, b = 0.75) of each document against the query. Returns items with a positive score, best
 * first, at most `limit`.
 */
export function bm25Rank<T>(
  query: string,
  items: readonly T[],
  textOf: (item: T) => string,
  limit = 5,
): RankedItem<T>[] {
  const docs = items.map((item) => counts(tokenise(textOf(item))));
  const lengths = docs.map((d) => [...d.values()].reduce((a, b) => a + b, 0));
  const avg = lengths.reduce((a, b) => a + b, 0) / Math.max(1, docs.length);
  const df = new Map<string, number>();
  for (const d of docs) for (const term of d.keys()) df.set(term, (df.get(term) ?? 0) + 1);
  const queryTerms = [...new Set(tokenise(query))];
  const k1 = 1.2;
  const b = 0.75;
  const n = docs.length;
  const ranked = items.map((item, i) => {
    let score = 0;
    for (const term of queryTerms) {
      const tf = docs[i]!.get(term) ?? 0;
      if (tf === 0) continue;
      const idf = Math.log(1 + (n - (df.get(term) ?? 0) + 0.5) / ((df.get(term) ?? 0) + 0.5));
      score += (idf * (tf * (k1 + 1))) / (tf + k1 * (1 - b + (b * lengths[i]!) / (avg || 1)));
    }
    return { item, score };
  });
  return ranked
    .filter((r) => r.score > 0)
    .sort((a, b) => b.score - a.score)
    .slice(0, limit);
}

/**
 * TF-IDF cosine similarity of `target` against each candidate (IDF over the candidates plus the target).
 * Returns candidates with a similarity of at least `minScore`, best first, at most `limit`; scores in [0, 1].
 */
export function tfidfSimilar<T>(
  target: string,
  candidates: readonly T[],
  textOf: (item: T) => string,
  limit = 3,
  minScore = 0.05,
): RankedItem<T>[] {
  const docs = [target, ...candidates.map(textOf)].map((text) => counts(tokenise(text)));
  const df = new Map<string, number>();
  for (const d of docs) for (const term of d.keys()) df.set(term, (df.get(term) ?? 0) + 1);
  const n = docs.length;
  const vectors = docs.map((d) => {
    const v = new Map<string, number>();
    let norm = 0;
    for (const [term, tf] of d) {
      const w = (1 + Math.log(tf)) * Math.log((n + 1) / ((df.get(term) ?? 0) + 1) + 1);
      v.set(term, w);
      norm += w * w;
    }
    return { v, norm: Math.sqrt(norm) };
  });
  const [query, ...others] = vectors;
  const scored = others.map((doc, i) => {
    let dot = 0;
    for (const [term, w] of query!.v) dot += w * (doc.v.get(term) ?? 0);
    const score = query!.norm && doc.norm ? dot / (query!.norm * doc.norm) : 0;
    return { item: candidates[i]!, score };
  });
  return scored
    .filter((s) => s.score >= minScore)
    .sort((a, b) => b.score - a.score)
    .slice(0, limit);
}
