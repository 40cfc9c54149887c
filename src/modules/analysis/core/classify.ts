/**
 * Suggested codes: multi-label classification of uncoded answers from the few an analyst has coded.
 *
 * Two complementary models on the same TF-IDF vectors, blended 50/50:
 *  - one-vs-rest logistic regression with balanced class weights (good once a code has a dozen examples);
 *  - label propagation from the k nearest coded answers by cosine similarity (good with two or three
 *    examples, and for answers that paraphrase a coded one).
 * Per-code thresholds are calibrated on out-of-fold scores of the coded answers and shrunk towards one pooled
 * threshold, because with 30 coded answers a per-code threshold from four examples is mostly noise. Every
 * answer gets at least its best code. "Corrections improve the next suggestions" is simply retraining on the
 * enlarged coded set: nothing is stored between calls.
 *
 * Defaults were chosen from the literature and fixed before looking at evaluation results; they are not
 * tuned to our evaluation set (issue 8: judged on human-coded data we never see).
 */
import { checkVectors, denseRows } from './embeddings.ts';
import type { DenseVectors } from './embeddings.ts';
import { createRng, sampleIndices, shuffled } from './prng.ts';
import { createTokeniser } from './tokenise.ts';
import type { Tokeniser } from './tokenise.ts';
import type { Answer, CodedAnswer } from './types.ts';
import { normaliseText, truncateForModelling } from './normalise.ts';
import { buildVocabulary, selectRows, tfidfMatrix } from './vectorise.ts';
import type { SparseMatrix } from './vectorise.ts';

export type SuggestOptions = {
  seed?: number | string;
  /** Neighbours for label propagation (default 10). */
  neighbours?: number;
  /** Inverse regularisation strength of the logistic regression, as in scikit-learn (default 1). */
  c?: number;
  /** Weight of logistic regression in the blend; the rest goes to label propagation (default 0.5). */
  blend?: number;
  /** At most this many codes per answer (default 3). */
  maxLabels?: number;
  /** Characters of each answer used for modelling (default 3,000). */
  maxModelChars?: number;
  tokeniser?: Tokeniser;
  /**
   * Sentence embeddings, one unit-length row per answer (see `embedAnswers`): when given, both models work
   * on them (dense, cosine) instead of TF-IDF, and no tokenising is done. Absent: TF-IDF, as before.
   */
  vectors?: DenseVectors;
};

export type Suggestion = {
  id: string;
  /** Suggested codes, most confident first; never empty. */
  labels: string[];
  /** Confidence of the top suggested code, in [0, 1]. */
  confidence: number;
  /** Blended score of every code in the codebook seen in training. */
  perLabel: Record<string, number>;
};

export type SuggestInput = {
  answers: readonly Answer[];
  coded: readonly CodedAnswer[];
  options?: SuggestOptions;
};

const round4 = (x: number): number => Math.round(x * 10000) / 10000 || 0;
const sigmoid = (z: number): number => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

/**
 * Suggests codes for every answer that is not in `coded`. Throws RangeError when nothing usable was coded
 * (no coded id matches an answer, or no coded answer has a label).
 */
export function suggestCodes(input: SuggestInput): Suggestion[] {
  const options = input.options ?? {};
  const rng = createRng(options.seed ?? 1);
  const answers = input.answers;
  const indexOf = new Map<string, number>();
  answers.forEach((a, i) => indexOf.set(a.id, i));
  const coded = input.coded.filter((c) => indexOf.has(c.id) && c.labels.length > 0);
  if (coded.length === 0) {
    throw new RangeError('no coded answer matches an answer id, so there is nothing to learn codes from');
  }
  const labels = [...new Set(coded.flatMap((c) => c.labels))].sort();
  const codedIds = new Set(coded.map((c) => c.id));

  const x = options.vectors ? embeddingMatrix(options.vectors, answers.length) : wordMatrix(answers, options);

  const trainRows = coded.map((c) => indexOf.get(c.id) as number);
  const y = new Uint8Array(coded.length * labels.length);
  coded.forEach((c, i) => {
    for (const label of c.labels) y[i * labels.length + labels.indexOf(label)] = 1;
  });
  const model = { c: options.c ?? 1, k: options.neighbours ?? 10, blend: options.blend ?? 0.5 };

  // Thresholds need out-of-fold scores, not every coded answer: beyond 2,000 a random subset gives the same
  // thresholds and keeps `code` on 100,000 answers well inside its time budget.
  const calibration =
    trainRows.length > 2000 ? sampleIndices(trainRows.length, 2000, rng).sort((a, b) => a - b) : null;
  const thresholds = calibration
    ? calibrateThresholds(
        x,
        calibration.map((i) => trainRows[i] as number),
        pickRows(y, calibration, labels.length),
        labels.length,
        model,
        rng,
      )
    : calibrateThresholds(x, trainRows, y, labels.length, model, rng);
  const trainX = selectRows(x, trainRows);
  const weights = trainLogistic(trainX, y, labels.length, model.c);
  const index = buildIndex(trainX);
  const maxLabels = options.maxLabels ?? 3;

  const out: Suggestion[] = [];
  const scores = new Float64Array(labels.length);
  const scratch: Scratch = { sims: new Float64Array(trainX.rows), touched: [] };
  answers.forEach((answer, i) => {
    if (codedIds.has(answer.id)) return;
    blendScores(x, i, weights, index, trainX.rows, y, labels.length, model, scores, scratch);
    const order = labels
      .map((_, l) => l)
      .sort((a, b) => (scores[b] as number) - (scores[a] as number) || a - b);
    const chosen = order
      .filter((l) => (scores[l] as number) >= (thresholds[l] as number))
      .slice(0, maxLabels);
    if (chosen.length === 0) chosen.push(order[0] as number);
    const perLabel: Record<string, number> = {};
    labels.forEach((label, l) => {
      perLabel[label] = round4(scores[l] as number);
    });
    out.push({
      id: answer.id,
      labels: chosen.map((l) => labels[l] as string),
      confidence: round4(scores[chosen[0] as number] as number),
      perLabel,
    });
  });
  return out;
}

function embeddingMatrix(vectors: DenseVectors, rows: number): SparseMatrix {
  checkVectors(vectors, rows);
  return denseRows(
    vectors,
    Array.from({ length: rows }, (_, i) => i),
  );
}

function wordMatrix(answers: readonly Answer[], options: SuggestOptions): SparseMatrix {
  const tokeniser = options.tokeniser ?? createTokeniser({ sentiment: false });
  const docs = answers.map(
    (a) => tokeniser.tokenise(truncateForModelling(normaliseText(a.text), options.maxModelChars)).termIds,
  );
  // The vocabulary and idf come from all answers (no labels involved), which helps rare codes: a word seen
  // in only one coded answer but in many uncoded ones still gets a sensible weight.
  return tfidfMatrix(docs, buildVocabulary(docs, tokeniser.terms.length));
}

type ModelSettings = { c: number; k: number; blend: number };
type LogisticWeights = { w: Float64Array; b: Float64Array; labels: number };
/** Reusable buffers for blendScores: similarity per coded answer, and which entries are non-zero. */
type Scratch = { sims: Float64Array; touched: number[] };
type InvertedIndex = { starts: Int32Array; docs: Int32Array; values: Float32Array };

/**
 * One-vs-rest L2-regularised logistic regression for all codes at once, by full-batch Nesterov-accelerated
 * gradient descent. Objective per code: (1/Σv) Σ v_i log-loss_i + ||w||² / (2·C·n), i.e. scikit-learn's C
 * scaled per example, with balanced weights v (positives and negatives each carry half the mass) so a code
 * with three examples out of thirty is not simply predicted "no". Rows are unit length, so the gradient's
 * Lipschitz constant is at most 0.25·2 + λ (the 2 counts the intercept), which gives a safe fixed step.
 */
export function trainLogistic(
  x: SparseMatrix,
  y: Uint8Array,
  labelCount: number,
  c: number,
  iterations = 120,
): LogisticWeights {
  const n = x.rows;
  const L = labelCount;
  const lambda = 1 / (c * Math.max(1, n));
  const sampleWeight = new Float64Array(n * L);
  for (let l = 0; l < L; l++) {
    let pos = 0;
    for (let i = 0; i < n; i++) pos += y[i * L + l] as number;
    const neg = n - pos;
    for (let i = 0; i < n; i++) {
      const isPos = y[i * L + l] === 1;
      // Balanced: each class carries half the total weight (a class with no examples carries none).
      sampleWeight[i * L + l] = isPos ? (pos > 0 ? 0.5 / pos : 0) : neg > 0 ? 0.5 / neg : 0;
    }
  }
  const step = 1 / (0.5 + lambda);
  const cols = x.cols;
  let w = new Float64Array(cols * L);
  let b = new Float64Array(L);
  let wPrev = w.slice();
  let bPrev = b.slice();
  const gw = new Float64Array(cols * L);
  const gb = new Float64Array(L);
  const z = new Float64Array(L);
  for (let t = 1; t <= iterations; t++) {
    // Nesterov look-ahead point v = w + ((t − 1)/(t + 2))·(w − wPrev).
    const momentum = (t - 1) / (t + 2);
    const vw = new Float64Array(cols * L);
    const vb = new Float64Array(L);
    for (let j = 0; j < vw.length; j++)
      vw[j] = (w[j] as number) + momentum * ((w[j] as number) - (wPrev[j] as number));
    for (let l = 0; l < L; l++)
      vb[l] = (b[l] as number) + momentum * ((b[l] as number) - (bPrev[l] as number));
    gw.fill(0);
    gb.fill(0);
    for (let i = 0; i < n; i++) {
      for (let l = 0; l < L; l++) z[l] = vb[l] as number;
      const start = x.indptr[i] as number;
      const end = x.indptr[i + 1] as number;
      for (let p = start; p < end; p++) {
        const v = x.values[p] as number;
        const base = (x.indices[p] as number) * L;
        for (let l = 0; l < L; l++) z[l] = (z[l] as number) + v * (vw[base + l] as number);
      }
      for (let l = 0; l < L; l++) {
        const g = (sampleWeight[i * L + l] as number) * (sigmoid(z[l] as number) - (y[i * L + l] as number));
        z[l] = g;
        gb[l] = (gb[l] as number) + g;
      }
      for (let p = start; p < end; p++) {
        const v = x.values[p] as number;
        const base = (x.indices[p] as number) * L;
        for (let l = 0; l < L; l++) gw[base + l] = (gw[base + l] as number) + v * (z[l] as number);
      }
    }
    wPrev = w;
    bPrev = b;
    w = vw;
    b = vb;
    for (let j = 0; j < w.length; j++)
      w[j] = (w[j] as number) - step * ((gw[j] as number) + lambda * (w[j] as number));
    for (let l = 0; l < L; l++) b[l] = (b[l] as number) - step * (gb[l] as number);
  }
  return { w, b, labels: L };
}

/** Postings per feature column over the training rows, for fast cosine similarity to every coded answer. */
function buildIndex(x: SparseMatrix): InvertedIndex {
  const counts = new Int32Array(x.cols + 1);
  for (let p = 0; p < x.indices.length; p++) counts[(x.indices[p] as number) + 1]++;
  for (let col = 0; col < x.cols; col++)
    counts[col + 1] = (counts[col + 1] as number) + (counts[col] as number);
  const starts = counts.slice();
  const fill = counts.slice();
  const docs = new Int32Array(x.indices.length);
  const values = new Float32Array(x.indices.length);
  for (let r = 0; r < x.rows; r++) {
    for (let p = x.indptr[r] as number, end = x.indptr[r + 1] as number; p < end; p++) {
      const col = x.indices[p] as number;
      const at = fill[col] as number;
      docs[at] = r;
      values[at] = x.values[p] as number;
      fill[col] = at + 1;
    }
  }
  return { starts, docs, values };
}

/**
 * Blended code scores for row `row` of `x`: logistic regression probability and the similarity-weighted
 * share of each code among the k most similar coded answers.
 */
function blendScores(
  x: SparseMatrix,
  row: number,
  weights: LogisticWeights,
  index: InvertedIndex,
  trainCount: number,
  y: Uint8Array,
  L: number,
  model: ModelSettings,
  out: Float64Array,
  scratch: Scratch = { sims: new Float64Array(0), touched: [] },
): void {
  const start = x.indptr[row] as number;
  const end = x.indptr[row + 1] as number;
  for (let l = 0; l < L; l++) out[l] = weights.b[l] as number;
  // Scratch buffer reused across calls (allocating trainCount floats per answer dominated at 100,000).
  if (scratch.sims.length < trainCount) scratch.sims = new Float64Array(trainCount);
  const sims = scratch.sims;
  const touched = scratch.touched;
  touched.length = 0;
  for (let p = start; p < end; p++) {
    const col = x.indices[p] as number;
    const v = x.values[p] as number;
    const base = col * L;
    for (let l = 0; l < L; l++) out[l] = (out[l] as number) + v * (weights.w[base + l] as number);
    for (let q = index.starts[col] as number, qEnd = index.starts[col + 1] as number; q < qEnd; q++) {
      const d = index.docs[q] as number;
      if (sims[d] === 0) touched.push(d);
      sims[d] = (sims[d] as number) + v * (index.values[q] as number);
    }
  }
  for (let l = 0; l < L; l++) out[l] = sigmoid(out[l] as number);
  // Top-k neighbours by partial insertion (k is small; sorting thousands of candidates per answer is not).
  // Ties are broken by position so results are deterministic.
  const neighbours: number[] = [];
  for (const d of touched) {
    const s = sims[d] as number;
    // Only similar answers vote. TF-IDF similarities are never negative; embeddings' can be, and a dense
    // sum can pass through zero and list an answer twice in `touched`.
    if (s <= 0) continue;
    if (neighbours.length === model.k) {
      const last = neighbours[model.k - 1] as number;
      const ls = sims[last] as number;
      if (s < ls || (s === ls && d > last)) continue;
      if (neighbours.includes(d)) continue;
      neighbours.pop();
    } else if (neighbours.includes(d)) continue;
    let at = neighbours.length;
    while (at > 0) {
      const prev = neighbours[at - 1] as number;
      const ps = sims[prev] as number;
      if (ps > s || (ps === s && prev < d)) break;
      at--;
    }
    neighbours.splice(at, 0, d);
  }
  let total = 0;
  const knn = new Float64Array(L);
  for (const d of neighbours) {
    const s = sims[d] as number;
    total += s;
    for (let l = 0; l < L; l++) if (y[d * L + l] === 1) knn[l] = (knn[l] as number) + s;
  }
  for (const d of touched) sims[d] = 0;
  for (let l = 0; l < L; l++) {
    const vote = total > 0 ? (knn[l] as number) / total : 0;
    out[l] = model.blend * (out[l] as number) + (1 - model.blend) * vote;
  }
}

/**
 * Per-code decision thresholds from out-of-fold blended scores on the coded answers (up to 5 folds):
 * the F1-maximising threshold per code, shrunk towards the pooled F1-maximising threshold with the weight
 * of ten pseudo-examples, so rare codes lean on the pooled value.
 */
function calibrateThresholds(
  x: SparseMatrix,
  trainRows: readonly number[],
  y: Uint8Array,
  L: number,
  model: ModelSettings,
  rng: () => number,
): Float64Array {
  const n = trainRows.length;
  const fallback = new Float64Array(L).fill(0.5);
  if (n < 4) return fallback;
  const folds = Math.min(5, n);
  const order = shuffled(
    Array.from({ length: n }, (_, i) => i),
    rng,
  );
  const foldOf = new Int32Array(n);
  order.forEach((i, pos) => {
    foldOf[i] = pos % folds;
  });
  const oof = new Float64Array(n * L);
  const scores = new Float64Array(L);
  const scratch: Scratch = { sims: new Float64Array(n), touched: [] };
  for (let f = 0; f < folds; f++) {
    const inTrain: number[] = [];
    const inTest: number[] = [];
    for (let i = 0; i < n; i++) (foldOf[i] === f ? inTest : inTrain).push(i);
    const foldX = selectRows(
      x,
      inTrain.map((i) => trainRows[i] as number),
    );
    const foldY = pickRows(y, inTrain, L);
    const weights = trainLogistic(foldX, foldY, L, model.c);
    const index = buildIndex(foldX);
    for (const i of inTest) {
      blendScores(x, trainRows[i] as number, weights, index, foldX.rows, foldY, L, model, scores, scratch);
      oof.set(scores, i * L);
    }
  }
  const pooled = bestThreshold(
    Array.from({ length: n * L }, (_, j) => oof[j] as number),
    Array.from({ length: n * L }, (_, j) => y[j] as number),
  );
  const thresholds = new Float64Array(L);
  const prior = 10;
  for (let l = 0; l < L; l++) {
    const s: number[] = [];
    const t: number[] = [];
    let positives = 0;
    for (let i = 0; i < n; i++) {
      s.push(oof[i * L + l] as number);
      t.push(y[i * L + l] as number);
      positives += y[i * L + l] as number;
    }
    const own = bestThreshold(s, t);
    thresholds[l] = (positives * own + prior * pooled) / (positives + prior);
  }
  return thresholds;
}

/** The score cut-off that maximises F1 (midway between neighbouring scores), 0.5 without positives. */
export function bestThreshold(scores: readonly number[], truth: readonly number[]): number {
  const order = scores
    .map((_, i) => i)
    .sort((a, b) => (scores[b] as number) - (scores[a] as number) || a - b);
  const positives = truth.reduce((s, v) => s + v, 0);
  if (positives === 0) return 0.5;
  let tp = 0;
  let bestF1 = -1;
  let best = 0.5;
  for (let rank = 0; rank < order.length; rank++) {
    tp += truth[order[rank] as number] as number;
    const predicted = rank + 1;
    const f1 = (2 * tp) / (predicted + positives);
    const here = scores[order[rank] as number] as number;
    const next = rank + 1 < order.length ? (scores[order[rank + 1] as number] as number) : here - 0.05;
    if (f1 > bestF1 && here !== next) {
      bestF1 = f1;
      best = (here + next) / 2;
    }
  }
  return best;
}

/** The label rows of the given answers, in that order. */
function pickRows(y: Uint8Array, rows: readonly number[], L: number): Uint8Array {
  const out = new Uint8Array(rows.length * L);
  rows.forEach((i, r) => out.set(y.subarray(i * L, (i + 1) * L), r * L));
  return out;
}
