/**
 * The pure parts of optional sentence embeddings (issue 8, item 5): a BERT WordPiece tokenizer, mean pooling
 * with the attention mask, L2 normalisation, and dense vectors in the CSR form the rest of the core uses.
 * The ONNX runtime itself lives outside the core (`../embeddings.onnx.ts`); the core only ever sees an
 * `Embedder`, so nothing here loads a model, touches the disk or downloads anything.
 *
 * The tokenizer follows BERT's reference implementation (tokenization.py): clean the text, split on white
 * space, lower-case and strip accents, split off every punctuation character, then WordPiece each word by
 * greedy longest-match-first with `##` continuation pieces; a word that cannot be covered is one [UNK].
 */
import { normaliseText, truncateForModelling } from './normalise.ts';
import type { Answer } from './types.ts';
import type { SparseMatrix } from './vectorise.ts';

/** One vector per row, row-major: row r is data[r * dim .. (r + 1) * dim). */
export type DenseVectors = { dim: number; data: Float32Array };

/** Turns texts into unit-length sentence vectors (one row per text, in order). */
export interface Embedder {
  readonly dim: number;
  /** Shown in logs and run records, e.g. the model folder. */
  readonly description: string;
  embed(texts: readonly string[]): Promise<DenseVectors>;
}

export type WordPieceOptions = {
  /** Lower-case (and by default strip accents) before WordPiece, as uncased BERT models expect (default true). */
  doLowerCase?: boolean;
  /** Strip accents (default: the same as doLowerCase, as in Hugging Face's BertTokenizer). */
  stripAccents?: boolean;
  /** Tokens per text including [CLS] and [SEP]; longer texts are cut (default 256). */
  maxLength?: number;
  /** Words longer than this many characters become [UNK] without trying WordPiece (default 100). */
  maxCharsPerWord?: number;
};

export type EncodedBatch = {
  batch: number;
  /** Tokens per row after padding to the longest row of the batch. */
  length: number;
  /** Row-major [batch, length] token ids, [PAD] after each row's [SEP]. */
  inputIds: Int32Array;
  /** 1 for real tokens, 0 for padding. */
  attentionMask: Int32Array;
};

export type WordPieceTokenizer = {
  readonly vocabSize: number;
  readonly maxLength: number;
  readonly ids: { pad: number; unk: number; cls: number; sep: number };
  /** The basic tokenizer's words and punctuation, before WordPiece. */
  basicTokens(text: string): string[];
  /** WordPiece ids of a text without special tokens or truncation. */
  pieces(text: string): number[];
  /** [CLS] pieces [SEP], cut to maxLength. */
  encode(text: string): number[];
  /** Several texts padded to the longest. */
  encodeBatch(texts: readonly string[]): EncodedBatch;
};

/** A problem with the vocabulary or tokenizer settings (a configuration problem, not a bug). */
export class VocabularyError extends Error {
  override name = 'VocabularyError';
}

const SPECIAL = ['[PAD]', '[UNK]', '[CLS]', '[SEP]'] as const;

/** Reads a BERT `vocab.txt`: one token per line, the line number (from 0) is its id. */
export function parseVocab(text: string): Map<string, number> {
  const lines = text.replace(/^\ufeff/, '').split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  const vocab = new Map<string, number>();
  lines.forEach((line, id) => {
    const token = line.replace(/\r$/, '');
    // The first occurrence wins, as in BERT's load_vocab (later duplicates would shadow nothing useful).
    if (token !== '' && !vocab.has(token)) vocab.set(token, id);
  });
  for (const token of SPECIAL) {
    if (!vocab.has(token)) throw new VocabularyError(`the vocabulary has no ${token} token`);
  }
  return vocab;
}

// Characters BERT's _clean_text drops: NUL, U+FFFD and control characters other than white space.
const CONTROL = /[\p{Cc}\p{Cf}]/u;
const WHITESPACE = /\s/u;
const PUNCTUATION = /[\p{P}]/u;
/** CJK ideographs are split one per token, as BERT's _tokenize_chinese_chars does. */
const CJK =
  /[\u4e00-\u9fff\u3400-\u4dbf\u{20000}-\u{2a6df}\u{2a700}-\u{2b73f}\u{2b740}-\u{2b81f}\u{2b820}-\u{2ceaf}\uf900-\ufaff\u{2f800}-\u{2fa1f}]/u;

/** BERT counts every non-letter, non-number ASCII printable character as punctuation (so `$`, `+`, `^` split). */
function isPunctuation(ch: string): boolean {
  const cp = ch.codePointAt(0) as number;
  if ((cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) || (cp >= 123 && cp <= 126))
    return true;
  return PUNCTUATION.test(ch);
}

function stripAccents(text: string): string {
  return text.normalize('NFD').replace(/\p{Mn}/gu, '');
}

/** Builds a tokenizer over a parsed vocabulary. Throws VocabularyError for unusable settings. */
export function createWordPieceTokenizer(
  vocab: ReadonlyMap<string, number>,
  options: WordPieceOptions = {},
): WordPieceTokenizer {
  const doLowerCase = options.doLowerCase ?? true;
  const strip = options.stripAccents ?? doLowerCase;
  const maxLength = options.maxLength ?? 256;
  const maxChars = options.maxCharsPerWord ?? 100;
  if (!Number.isInteger(maxLength) || maxLength < 3)
    throw new VocabularyError(`max_length must be a whole number of at least 3, got ${maxLength}`);
  const id = (token: string): number => {
    const found = vocab.get(token);
    if (found === undefined) throw new VocabularyError(`the vocabulary has no ${token} token`);
    return found;
  };
  const ids = { pad: id('[PAD]'), unk: id('[UNK]'), cls: id('[CLS]'), sep: id('[SEP]') };

  function basicTokens(text: string): string[] {
    // Clean: drop control characters, turn all white space into spaces, space out CJK ideographs.
    let cleaned = '';
    for (const ch of text) {
      if (ch === '\u0000' || ch === '\ufffd') continue;
      if (WHITESPACE.test(ch)) cleaned += ' ';
      else if (CONTROL.test(ch)) continue;
      else if (CJK.test(ch)) cleaned += ` ${ch} `;
      else cleaned += ch;
    }
    const out: string[] = [];
    for (let word of cleaned.split(' ')) {
      if (word === '') continue;
      if (doLowerCase) word = word.toLowerCase();
      if (strip) word = stripAccents(word);
      let current = '';
      for (const ch of word) {
        if (isPunctuation(ch)) {
          if (current !== '') out.push(current);
          out.push(ch);
          current = '';
        } else current += ch;
      }
      if (current !== '') out.push(current);
    }
    return out;
  }

  function wordPiece(word: string, out: number[]): void {
    const chars = Array.from(word);
    if (chars.length > maxChars) {
      out.push(ids.unk);
      return;
    }
    const found: number[] = [];
    let start = 0;
    while (start < chars.length) {
      let end = chars.length;
      let match = -1;
      while (start < end) {
        const piece = (start > 0 ? '##' : '') + chars.slice(start, end).join('');
        const pieceId = vocab.get(piece);
        if (pieceId !== undefined) {
          match = pieceId;
          break;
        }
        end--;
      }
      if (match < 0) {
        // Any uncovered part makes the whole word unknown, as in BERT.
        out.push(ids.unk);
        return;
      }
      found.push(match);
      start = end;
    }
    out.push(...found);
  }

  function pieces(text: string): number[] {
    const out: number[] = [];
    for (const token of basicTokens(text)) wordPiece(token, out);
    return out;
  }

  function encode(text: string): number[] {
    return [ids.cls, ...pieces(text).slice(0, maxLength - 2), ids.sep];
  }

  function encodeBatch(texts: readonly string[]): EncodedBatch {
    const rows = texts.map(encode);
    const length = rows.reduce((m, r) => Math.max(m, r.length), 0);
    const inputIds = new Int32Array(rows.length * length).fill(ids.pad);
    const attentionMask = new Int32Array(rows.length * length);
    rows.forEach((row, b) => {
      inputIds.set(row, b * length);
      attentionMask.fill(1, b * length, b * length + row.length);
    });
    return { batch: rows.length, length, inputIds, attentionMask };
  }

  return { vocabSize: vocab.size, maxLength, ids, basicTokens, pieces, encode, encodeBatch };
}

/**
 * Mean of each row's token vectors over the positions its attention mask keeps (sentence-transformers'
 * mean pooling), from a [batch, length, dim] hidden state. A row with no kept token pools to zeros.
 */
export function meanPool(
  hidden: Float32Array,
  mask: ArrayLike<number>,
  batch: number,
  length: number,
  dim: number,
): Float32Array {
  if (hidden.length !== batch * length * dim)
    throw new RangeError(`hidden state has ${hidden.length} values, expected ${batch}×${length}×${dim}`);
  const out = new Float32Array(batch * dim);
  const sum = new Float64Array(dim);
  for (let b = 0; b < batch; b++) {
    sum.fill(0);
    let count = 0;
    for (let t = 0; t < length; t++) {
      if ((mask[b * length + t] as number) === 0) continue;
      count++;
      const base = (b * length + t) * dim;
      for (let d = 0; d < dim; d++) sum[d] = (sum[d] as number) + (hidden[base + d] as number);
    }
    const scale = 1 / Math.max(count, 1e-9);
    for (let d = 0; d < dim; d++) out[b * dim + d] = (sum[d] as number) * scale;
  }
  return out;
}

/** Scales every row to unit length in place (zero rows stay zero); returns the same array. */
export function l2NormaliseRows(data: Float32Array, dim: number): Float32Array {
  for (let start = 0; start < data.length; start += dim) {
    let norm = 0;
    for (let d = 0; d < dim; d++) norm += (data[start + d] as number) ** 2;
    if (norm === 0) continue;
    const scale = 1 / Math.sqrt(norm);
    for (let d = 0; d < dim; d++) data[start + d] = (data[start + d] as number) * scale;
  }
  return data;
}

/** Checks that vectors have one row per answer, or throws RangeError. */
export function checkVectors(vectors: DenseVectors, rows: number): void {
  if (!Number.isInteger(vectors.dim) || vectors.dim < 1 || vectors.data.length !== rows * vectors.dim)
    throw new RangeError(
      `vectors must have one row of ${vectors.dim} numbers per answer (${rows} answers, ${vectors.data.length} numbers)`,
    );
}

/** Some rows of dense vectors as a CSR matrix (zeros left out), so clustering and scoring code works unchanged. */
export function denseRows(vectors: DenseVectors, rows: readonly number[]): SparseMatrix {
  const { dim, data } = vectors;
  const indptr = new Int32Array(rows.length + 1);
  let nnz = 0;
  rows.forEach((r, i) => {
    for (let d = 0; d < dim; d++) if (data[r * dim + d] !== 0) nnz++;
    indptr[i + 1] = nnz;
  });
  const indices = new Int32Array(nnz);
  const values = new Float32Array(nnz);
  let p = 0;
  for (const r of rows) {
    for (let d = 0; d < dim; d++) {
      const v = data[r * dim + d] as number;
      if (v === 0) continue;
      indices[p] = d;
      values[p] = v;
      p++;
    }
  }
  return { rows: rows.length, cols: dim, indptr, indices, values };
}

/** Whether row r has any non-zero entry. */
export function hasVector(vectors: DenseVectors, r: number): boolean {
  for (let d = r * vectors.dim, end = d + vectors.dim; d < end; d++) if (vectors.data[d] !== 0) return true;
  return false;
}

/**
 * Embeds answers for the core: each distinct non-empty text once (normalised and cut as for TF-IDF), in a
 * single call so the embedder can batch. Empty answers get a zero row.
 */
export async function embedAnswers(
  answers: readonly Answer[],
  embedder: Embedder,
  maxModelChars?: number,
): Promise<DenseVectors> {
  const texts: string[] = [];
  const rowOfText = new Map<string, number>();
  const rowOf = answers.map((a) => {
    const text = truncateForModelling(normaliseText(a.text), maxModelChars);
    if (text === '') return -1;
    let row = rowOfText.get(text);
    if (row === undefined) {
      row = texts.length;
      rowOfText.set(text, row);
      texts.push(text);
    }
    return row;
  });
  const dim = embedder.dim;
  const data = new Float32Array(answers.length * dim);
  if (texts.length > 0) {
    const unique = await embedder.embed(texts);
    checkVectors(unique, texts.length);
    if (unique.dim !== dim)
      throw new RangeError(`embedder returned ${unique.dim} dimensions, expected ${dim}`);
    rowOf.forEach((row, i) => {
      if (row >= 0) data.set(unique.data.subarray(row * dim, (row + 1) * dim), i * dim);
    });
  }
  return { dim, data };
}
