/**
 * Theme discovery: the whole unsupervised pipeline, as one pure function.
 *
 *   normalise → set aside empty, Welsh/mixed and duplicate answers → lemmatise → TF-IDF (unigrams + bigrams)
 *   → choose k (silhouette on a sample) → spherical k-means → key phrases (class-based TF-IDF)
 *   → 3 representative quotes per theme → per-answer themes with confidence, plus sentiment.
 *
 * Same answers and seed give byte-identical results: every random choice comes from the seeded PRNG, and
 * every ordering has a tie-break on input position.
 */
import { chooseK, scoreRow, sphericalKMeans } from './cluster.ts';
import type { KMeansResult } from './cluster.ts';
import { groupDuplicates } from './duplicates.ts';
import { checkVectors, denseRows, hasVector } from './embeddings.ts';
import type { DenseVectors } from './embeddings.ts';
import type { Language } from './normalise.ts';
import { detectLanguage, isEmptyAnswer, normaliseText, truncateForModelling } from './normalise.ts';
import { createRng, sampleIndices } from './prng.ts';
import { createTokeniser } from './tokenise.ts';
import type { Tokeniser } from './tokenise.ts';
import type { Answer } from './types.ts';
import { buildVocabulary, dotRows, rowLength, selectRows, tfidfMatrix } from './vectorise.ts';
import type { SparseMatrix } from './vectorise.ts';

export type ThemeKind = 'topic' | 'language' | 'empty' | 'unthemed';

export type Theme = {
  id: string;
  label: string;
  keyPhrases: string[];
  /** Ids of up to 3 representative answers (closest to the theme's centre, not near-copies of each other). */
  quotes: string[];
  /** Answers whose main theme this is, counting every copy of a duplicated answer. */
  size: number;
  kind: ThemeKind;
  /** Mean sentiment of the theme's answers, in [-1, 1]. */
  sentiment: number;
};

export type ThemeAssignment = {
  id: string;
  /** Main theme first; a second or third theme when the answer sits almost as close to it. */
  themes: string[];
  /** How clearly the answer belongs to its main theme, in [0.5, 1] for topics; 1 for set-aside groups. */
  confidence: number;
  sentiment: number;
  language: Language;
  /** Id of the first answer this one duplicates (exactly or nearly), if any. */
  duplicateOf?: string;
};

export type ThemesResult = {
  themes: Theme[];
  assignments: ThemeAssignment[];
  /** Number of topic themes, and how it was chosen. */
  k: number;
  kChosenBy: 'given' | 'silhouette' | 'too-few-answers';
  silhouette: { k: number; silhouette: number }[];
};

export type ThemesOptions = {
  /** Number of topic themes; chosen automatically when absent. */
  k?: number;
  seed?: number | string;
  /** Characters of each answer used for modelling (default 3,000). */
  maxModelChars?: number;
  /** Above this many distinct answers, k-means is fitted on a sample and then refined on all (default 20,000). */
  sampleForFit?: number;
  /** Injected so repeated runs in one process can share a warmed-up wink instance. */
  tokeniser?: Tokeniser;
  /**
   * Sentence embeddings, one unit-length row per answer (see `embedAnswers`). When given, they are the
   * document vectors for clustering, the choice of k, confidence and quotes (cosine); key phrases still
   * come from TF-IDF, because labels need words. When absent, everything is TF-IDF, exactly as before.
   */
  vectors?: DenseVectors;
};

/** Special groups get fixed ids so analysts and tests can rely on them. */
export const LANGUAGE_THEME_ID = 't-welsh-mixed';
export const EMPTY_THEME_ID = 't-empty';
export const UNTHEMED_THEME_ID = 't-unthemed';

/** A second theme is added when its similarity is at least this share of the main theme's. */
const MULTI_THEME_RATIO = 0.85;
const KEY_PHRASES = 5;
const QUOTES = 3;

const round4 = (x: number): number => Math.round(x * 10000) / 10000 || 0;

/** Discovers themes in free-text answers. Throws RangeError for an invalid k; never for odd text. */
export function discoverThemes(answers: readonly Answer[], options: ThemesOptions = {}): ThemesResult {
  if (options.k !== undefined && (!Number.isInteger(options.k) || options.k < 1)) {
    throw new RangeError(`k must be a whole number of at least 1, got ${options.k}`);
  }
  const rng = createRng(options.seed ?? 1);
  const n = answers.length;
  const vectors = options.vectors;
  if (vectors) checkVectors(vectors, n);
  const normalised = answers.map((a) => normaliseText(a.text));
  const empty = normalised.map((t) => isEmptyAnswer(t));
  const language = normalised.map((t, i) => (empty[i] ? 'en' : detectLanguage(t)));
  const duplicates = groupDuplicates(normalised);
  const tokeniser = options.tokeniser ?? createTokeniser();
  const maxChars = options.maxModelChars;

  // Sentiment for every non-empty English answer; exact copies hit the tokeniser's cache.
  const sentiment = new Float64Array(n);
  const termsOf = new Map<number, Int32Array>();
  for (let i = 0; i < n; i++) {
    if (empty[i] || language[i] !== 'en') continue;
    const doc = tokeniser.tokenise(truncateForModelling(normalised[i] as string, maxChars));
    sentiment[i] = doc.sentiment;
    if (duplicates.representative[i] === i) termsOf.set(i, doc.termIds);
  }

  // Theme discovery uses each duplicate group once, through its first member.
  const reps = duplicates.representatives.filter((i) => !empty[i] && language[i] === 'en');
  const repDocs = reps.map((i) => termsOf.get(i) as Int32Array);
  const vocabulary = buildVocabulary(repDocs, tokeniser.terms.length);
  const matrix = tfidfMatrix(repDocs, vocabulary);
  const themeable: number[] = [];
  for (let r = 0; r < matrix.rows; r++) {
    // With embeddings an answer whose words were all pruned can still be themed by its vector.
    if (vectors ? hasVector(vectors, reps[r] as number) : rowLength(matrix, r) > 0) themeable.push(r);
  }
  // `words` (TF-IDF) gives key phrases; `x` is what is clustered: the same matrix unless embeddings are given.
  const words = selectRows(matrix, themeable);
  const themeableAnswer = themeable.map((r) => reps[r] as number);
  const x = vectors ? denseRows(vectors, themeableAnswer) : words;

  let k: number;
  let kChosenBy: ThemesResult['kChosenBy'];
  let silhouetteScores: ThemesResult['silhouette'] = [];
  if (x.rows < 2) {
    k = x.rows;
    kChosenBy = 'too-few-answers';
  } else if (options.k !== undefined) {
    k = Math.min(options.k, x.rows);
    kChosenBy = 'given';
  } else {
    const chosen = chooseK(x, rng);
    k = chosen.k;
    silhouetteScores = chosen.scores.map((s) => ({ k: s.k, silhouette: round4(s.silhouette) }));
    kChosenBy = x.rows <= 3 ? 'too-few-answers' : 'silhouette';
  }

  const clusters = k > 0 ? fitClusters(x, k, rng, options.sampleForFit ?? 20000) : null;

  // Per-answer scores for representatives, then copies inherit them.
  const themeOfRow = new Int32Array(x.rows);
  const secondary: number[][] = [];
  const confidenceOfRow = new Float64Array(x.rows);
  if (clusters) {
    const scores = new Float64Array(clusters.k);
    for (let r = 0; r < x.rows; r++) {
      scoreRow(x, r, clusters.centroids, clusters.k, scores);
      const order = Array.from(scores.keys()).sort(
        (a, b) => (scores[b] as number) - (scores[a] as number) || a - b,
      );
      const s1 = scores[order[0] as number] as number;
      const s2 = order.length > 1 ? Math.max(0, scores[order[1] as number] as number) : 0;
      themeOfRow[r] = order[0] as number;
      confidenceOfRow[r] = s1 + s2 > 0 ? s1 / (s1 + s2) : 1;
      const extra: number[] = [];
      for (const c of order.slice(1, 3)) {
        if ((scores[c] as number) > 0 && (scores[c] as number) >= MULTI_THEME_RATIO * s1) extra.push(c);
      }
      secondary.push(extra);
    }
  }

  // Order topic themes by how many answers they hold (all copies counted), largest first.
  const topicSize = new Array<number>(k).fill(0);
  for (let r = 0; r < x.rows; r++) {
    const c = themeOfRow[r] as number;
    topicSize[c] = (topicSize[c] as number) + (duplicates.groupSize[themeableAnswer[r] as number] as number);
  }
  const topicOrder = Array.from({ length: k }, (_, c) => c).sort(
    (a, b) => (topicSize[b] as number) - (topicSize[a] as number) || a - b,
  );
  const topicId = new Array<string>(k);
  topicOrder.forEach((c, rank) => {
    topicId[c] = `t${rank + 1}`;
  });

  const rowOfAnswer = new Map<number, number>();
  themeableAnswer.forEach((i, r) => rowOfAnswer.set(i, r));

  const assignments: ThemeAssignment[] = answers.map((answer, i) => {
    const rep = duplicates.representative[i] as number;
    const base = {
      id: answer.id,
      sentiment: round4(sentiment[i] as number),
      language: language[i] as Language,
      ...(rep !== i && !empty[i] ? { duplicateOf: (answers[rep] as Answer).id } : {}),
    };
    if (empty[i]) return { ...base, themes: [EMPTY_THEME_ID], confidence: 1 };
    if (language[i] !== 'en') return { ...base, themes: [LANGUAGE_THEME_ID], confidence: 1 };
    // A near-copy of a Welsh or empty answer cannot happen (grouping is on text), but guard anyway.
    const row = rowOfAnswer.get(language[rep] === 'en' && !empty[rep] ? rep : i);
    if (row === undefined) return { ...base, themes: [UNTHEMED_THEME_ID], confidence: 1 };
    const ids = [themeOfRow[row] as number, ...(secondary[row] ?? [])].map((c) => topicId[c] as string);
    return { ...base, themes: ids, confidence: round4(confidenceOfRow[row] as number) };
  });

  const themes: Theme[] = [];
  if (clusters) {
    const phrases = keyPhrases(words, themeOfRow, k, vocabulary.termOfColumn, tokeniser);
    for (const c of topicOrder) {
      const quoteRows = representativeRows(x, themeOfRow, clusters, c, (r) =>
        wordCount(normalised[themeableAnswer[r] as number] as string),
      );
      const kp = phrases[c] as string[];
      themes.push({
        id: topicId[c] as string,
        label: labelFrom(kp),
        keyPhrases: kp,
        quotes: quoteRows.map((r) => (answers[themeableAnswer[r] as number] as Answer).id),
        size: topicSize[c] as number,
        kind: 'topic',
        sentiment: 0,
      });
    }
  }
  const special: [string, string, ThemeKind][] = [
    [LANGUAGE_THEME_ID, 'Welsh or mixed-language answers (kept apart, not themed)', 'language'],
    [UNTHEMED_THEME_ID, 'Answers too short or unusual to theme', 'unthemed'],
    [EMPTY_THEME_ID, 'No substantive answer (blank, "n/a", "no comment")', 'empty'],
  ];
  for (const [id, label, kind] of special) {
    const members = assignments.filter((a) => a.themes[0] === id);
    if (members.length === 0) continue;
    const distinct = members.filter((a) => a.duplicateOf === undefined);
    themes.push({
      id,
      label,
      keyPhrases: [],
      quotes: kind === 'empty' ? [] : distinct.slice(0, QUOTES).map((a) => a.id),
      size: members.length,
      kind,
      sentiment: 0,
    });
  }
  // Mean sentiment per theme over its answers' main theme.
  const sums = new Map<string, { total: number; count: number }>();
  for (const a of assignments) {
    const s = sums.get(a.themes[0] as string) ?? { total: 0, count: 0 };
    s.total += a.sentiment;
    s.count++;
    sums.set(a.themes[0] as string, s);
  }
  for (const t of themes) {
    const s = sums.get(t.id);
    t.sentiment = s && t.kind === 'topic' ? round4(s.total / s.count) : 0;
  }
  return { themes, assignments, k, kChosenBy, silhouette: silhouetteScores };
}

/**
 * Fits k-means on all rows, or for large inputs on a random sample and then a few passes over all rows:
 * restarts on 20,000 rows find the same structure as on 100,000 at a fifth of the cost.
 */
function fitClusters(x: SparseMatrix, k: number, rng: () => number, sampleForFit: number): KMeansResult {
  if (x.rows <= sampleForFit) return sphericalKMeans(x, k, rng, { restarts: 3 });
  const sample = selectRows(
    x,
    sampleIndices(x.rows, sampleForFit, rng).sort((a, b) => a - b),
  );
  const fitted = sphericalKMeans(sample, k, rng, { restarts: 3 });
  return sphericalKMeans(x, k, rng, { initial: fitted.centroids, maxIterations: 10 });
}

/**
 * Key phrases by class-based TF-IDF (as in BERTopic's c-TF-IDF): a phrase scores high in a theme when it is
 * frequent there and rare across themes. A word already inside a chosen two-word phrase is not repeated.
 */
function keyPhrases(
  x: SparseMatrix,
  themeOfRow: Int32Array,
  k: number,
  termOfColumn: Int32Array,
  tokeniser: Tokeniser,
): string[][] {
  const cols = x.cols;
  // Weighted term mass per theme, from the unit TF-IDF rows so long answers do not dominate.
  const mass = new Float64Array(k * cols);
  const totals = new Float64Array(k);
  const termTotals = new Float64Array(cols);
  for (let r = 0; r < x.rows; r++) {
    const c = themeOfRow[r] as number;
    for (let p = x.indptr[r] as number, end = x.indptr[r + 1] as number; p < end; p++) {
      const col = x.indices[p] as number;
      const v = x.values[p] as number;
      mass[c * cols + col] = (mass[c * cols + col] as number) + v;
      totals[c] = (totals[c] as number) + v;
      termTotals[col] = (termTotals[col] as number) + v;
    }
  }
  let average = 0;
  for (let c = 0; c < k; c++) average += (totals[c] as number) / k;
  const result: string[][] = [];
  for (let c = 0; c < k; c++) {
    const scored: { col: number; score: number }[] = [];
    for (let col = 0; col < cols; col++) {
      const m = mass[c * cols + col] as number;
      if (m <= 0) continue;
      const score = (m / (totals[c] as number)) * Math.log(1 + average / (termTotals[col] as number));
      scored.push({ col, score });
    }
    scored.sort((a, b) => b.score - a.score || a.col - b.col);
    const chosen: { words: string[]; surface: string }[] = [];
    for (const { col } of scored.slice(0, 40)) {
      if (chosen.length >= KEY_PHRASES) break;
      const id = termOfColumn[col] as number;
      const words = (tokeniser.terms[id] as string).split(' ');
      const entry = { words, surface: tokeniser.surfaceOf(id) };
      if (words.length === 1) {
        if (chosen.some((p) => p.words.includes(words[0] as string))) continue;
        chosen.push(entry);
      } else {
        // A two-word phrase replaces the chosen single words it contains: "consultation period" beats
        // "consultation" and "period".
        const at = chosen.findIndex((p) => p.words.length === 1 && words.includes(p.words[0] as string));
        if (at < 0) chosen.push(entry);
        else {
          chosen[at] = entry;
          for (let j = chosen.length - 1; j > at; j--) {
            const p = chosen[j] as { words: string[] };
            if (p.words.length === 1 && words.includes(p.words[0] as string)) chosen.splice(j, 1);
          }
        }
      }
    }
    result.push(dedupe(chosen.map((p) => p.surface)));
  }
  return result;
}

function dedupe(items: string[]): string[] {
  return items.filter((item, i) => items.indexOf(item) === i);
}

function labelFrom(phrases: readonly string[]): string {
  if (phrases.length === 0) return 'Unlabelled theme';
  const top = phrases.slice(0, 3);
  const text =
    top.length > 1 ? `${top.slice(0, -1).join(', ')} and ${top[top.length - 1]}` : (top[0] as string);
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function wordCount(text: string): number {
  return text.split(' ').length;
}

/**
 * The answers closest to a theme's centre, skipping near-copies of a quote already chosen (cosine ≥ 0.9) and,
 * while longer ones remain, answers of fewer than 5 words, which rarely stand alone as a quote.
 */
function representativeRows(
  x: SparseMatrix,
  themeOfRow: Int32Array,
  clusters: KMeansResult,
  c: number,
  words: (row: number) => number,
): number[] {
  const members: number[] = [];
  for (let r = 0; r < x.rows; r++) if (themeOfRow[r] === c) members.push(r);
  const scores = new Float64Array(clusters.k);
  const sim = new Map<number, number>();
  for (const r of members) {
    scoreRow(x, r, clusters.centroids, clusters.k, scores);
    sim.set(r, scores[c] as number);
  }
  members.sort((a, b) => (sim.get(b) as number) - (sim.get(a) as number) || a - b);
  const chosen: number[] = [];
  for (const pass of [5, 0]) {
    for (const r of members) {
      if (chosen.length >= QUOTES) break;
      if (chosen.includes(r) || words(r) < pass) continue;
      if (chosen.some((q) => dotRows(x, q, x, r) >= 0.9)) continue;
      chosen.push(r);
    }
  }
  return chosen;
}
