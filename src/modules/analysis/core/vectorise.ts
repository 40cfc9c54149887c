/**
 * Sparse TF-IDF vectors in compressed sparse row (CSR) form, built on typed arrays so 100,000 answers fit in
 * a few tens of megabytes and dot products run without allocating.
 *
 * Weighting: sublinear term frequency (1 + ln tf), smoothed idf (ln((1 + n) / (1 + df)) + 1) and unit
 * length rows, the usual choice for short texts: a word repeated in an angry answer counts a little more,
 * not ten times more, and long answers do not outweigh short ones.
 */

/** A CSR matrix: row r holds indices[indptr[r]..indptr[r+1]) with the matching values, indices ascending. */
export type SparseMatrix = {
  rows: number;
  cols: number;
  indptr: Int32Array;
  indices: Int32Array;
  values: Float32Array;
};

export type VocabularyOptions = {
  /** Keep features seen in at least this many answers (default: 2, or 1 for fewer than 50 answers). */
  minDf?: number;
  /** Drop features seen in more than this share of answers (default 0.5): they separate nothing. */
  maxDfRatio?: number;
  /** Keep at most this many features, the most frequent first (default 20,000). */
  maxFeatures?: number;
};

export type Vocabulary = {
  /** Term id (from the tokeniser) → feature column, or -1 when pruned. */
  columnOfTerm: Int32Array;
  /** Feature column → term id. */
  termOfColumn: Int32Array;
  /** Inverse document frequency of each column. */
  idf: Float32Array;
};

/**
 * Chooses the feature columns from tokenised answers: counts document frequencies, prunes rare and
 * ubiquitous terms and caps the total, ordering columns by frequency then term id so the result is stable.
 */
export function buildVocabulary(
  docs: readonly Int32Array[],
  termCount: number,
  options: VocabularyOptions = {},
): Vocabulary {
  const n = docs.length;
  const minDf = options.minDf ?? (n < 50 ? 1 : 2);
  const maxDf = Math.max(minDf, Math.floor((options.maxDfRatio ?? 0.5) * n));
  const maxFeatures = options.maxFeatures ?? 20000;
  const df = new Int32Array(termCount);
  const lastSeen = new Int32Array(termCount).fill(-1);
  for (let d = 0; d < n; d++) {
    const ids = docs[d] as Int32Array;
    for (let i = 0; i < ids.length; i++) {
      const t = ids[i] as number;
      if (lastSeen[t] !== d) {
        lastSeen[t] = d;
        df[t] = (df[t] as number) + 1;
      }
    }
  }
  const kept: number[] = [];
  for (let t = 0; t < termCount; t++) {
    const f = df[t] as number;
    if (f >= minDf && f <= maxDf) kept.push(t);
  }
  kept.sort((a, b) => (df[b] as number) - (df[a] as number) || a - b);
  const chosen = kept.slice(0, maxFeatures);
  const columnOfTerm = new Int32Array(termCount).fill(-1);
  const termOfColumn = Int32Array.from(chosen);
  const idf = new Float32Array(chosen.length);
  chosen.forEach((t, col) => {
    columnOfTerm[t] = col;
    idf[col] = Math.log((1 + n) / (1 + (df[t] as number))) + 1;
  });
  return { columnOfTerm, termOfColumn, idf };
}

/**
 * Turns tokenised answers into unit-length TF-IDF rows over the vocabulary's columns. An answer whose terms
 * were all pruned gets an empty row; callers treat it as "not themeable" rather than dividing by zero.
 */
export function tfidfMatrix(docs: readonly Int32Array[], vocabulary: Vocabulary): SparseMatrix {
  const cols = vocabulary.termOfColumn.length;
  const counts = new Float64Array(cols);
  const touched: number[] = [];
  const indptr = new Int32Array(docs.length + 1);
  let indices = new Int32Array(Math.max(16, docs.length * 24));
  let values = new Float32Array(indices.length);
  let nnz = 0;
  for (let d = 0; d < docs.length; d++) {
    const ids = docs[d] as Int32Array;
    touched.length = 0;
    for (let i = 0; i < ids.length; i++) {
      const col = vocabulary.columnOfTerm[ids[i] as number] as number;
      if (col < 0) continue;
      if (counts[col] === 0) touched.push(col);
      counts[col] = (counts[col] as number) + 1;
    }
    touched.sort((a, b) => a - b);
    if (nnz + touched.length > indices.length) {
      const size = Math.max(indices.length * 2, nnz + touched.length);
      const grownIdx = new Int32Array(size);
      grownIdx.set(indices.subarray(0, nnz));
      const grownVal = new Float32Array(size);
      grownVal.set(values.subarray(0, nnz));
      indices = grownIdx;
      values = grownVal;
    }
    let norm = 0;
    for (const col of touched) {
      const w = (1 + Math.log(counts[col] as number)) * (vocabulary.idf[col] as number);
      counts[col] = w;
      norm += w * w;
    }
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (const col of touched) {
      indices[nnz] = col;
      values[nnz] = (counts[col] as number) * scale;
      counts[col] = 0;
      nnz++;
    }
    indptr[d + 1] = nnz;
  }
  return { rows: docs.length, cols, indptr, indices: indices.slice(0, nnz), values: values.slice(0, nnz) };
}

/** Number of stored entries in row r. */
export function rowLength(m: SparseMatrix, r: number): number {
  return (m.indptr[r + 1] as number) - (m.indptr[r] as number);
}

/** Dot product of row r of `m` with a dense vector. */
export function dotDense(m: SparseMatrix, r: number, dense: Float32Array | Float64Array): number {
  let s = 0;
  for (let p = m.indptr[r] as number, end = m.indptr[r + 1] as number; p < end; p++) {
    s += (m.values[p] as number) * (dense[m.indices[p] as number] as number);
  }
  return s;
}

/** Dot product of two sparse rows (from the same or different matrices with the same columns). */
export function dotRows(a: SparseMatrix, i: number, b: SparseMatrix, j: number): number {
  let p = a.indptr[i] as number;
  const pEnd = a.indptr[i + 1] as number;
  let q = b.indptr[j] as number;
  const qEnd = b.indptr[j + 1] as number;
  let s = 0;
  while (p < pEnd && q < qEnd) {
    const x = a.indices[p] as number;
    const y = b.indices[q] as number;
    if (x === y) {
      s += (a.values[p] as number) * (b.values[q] as number);
      p++;
      q++;
    } else if (x < y) p++;
    else q++;
  }
  return s;
}

/** A matrix made of some rows of another, in the order given (shares no storage with the source). */
export function selectRows(m: SparseMatrix, rows: readonly number[]): SparseMatrix {
  const indptr = new Int32Array(rows.length + 1);
  let nnz = 0;
  rows.forEach((r, i) => {
    nnz += rowLength(m, r);
    indptr[i + 1] = nnz;
  });
  const indices = new Int32Array(nnz);
  const values = new Float32Array(nnz);
  rows.forEach((r, i) => {
    const start = m.indptr[r] as number;
    const end = m.indptr[r + 1] as number;
    indices.set(m.indices.subarray(start, end), indptr[i] as number);
    values.set(m.values.subarray(start, end), indptr[i] as number);
  });
  return { rows: rows.length, cols: m.cols, indptr, indices, values };
}
