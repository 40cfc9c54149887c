/**
 * Optional sentence embeddings from an ONNX model an operator placed in a folder (issue 8, item 5).
 *
 * Folder layout (`ANALYSIS_EMBEDDINGS_DIR` or `covenant analyse … --embeddings DIR`):
 *   model.onnx             inputs input_ids and attention_mask (int64 or int32), optionally token_type_ids;
 *                          output last_hidden_state [batch, seq, dim] (mean-pooled here) or a pooled
 *                          sentence_embedding [batch, dim]
 *   vocab.txt              BERT WordPiece vocabulary, one token per line, with [PAD] [UNK] [CLS] [SEP]
 *   tokenizer_config.json  optional: do_lower_case (default true), strip_accents, max_length (or
 *                          model_max_length; default 256)
 *
 * `onnxruntime-node` is an optional dependency, installed with its download script denied (package.json
 * `allowScripts`): the CPU runtime ships inside the package. It is imported only here, only when a folder is
 * configured, so the service starts and every other test passes without it. Nothing is ever downloaded.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type * as OnnxRuntime from 'onnxruntime-node';
import type { InferenceSession, Tensor } from 'onnxruntime-node';
import {
  VocabularyError,
  createWordPieceTokenizer,
  l2NormaliseRows,
  meanPool,
  parseVocab,
} from './core/embeddings.ts';
import type { DenseVectors, Embedder, WordPieceOptions, WordPieceTokenizer } from './core/embeddings.ts';

/** The folder cannot be used: the message says what to fix, and names the folder. */
export class EmbeddingsError extends Error {
  override name = 'EmbeddingsError';
}

export type OnnxEmbedderOptions = {
  /** Texts per model call (default 32). */
  batchSize?: number;
  /** Threads for one model call (default: onnxruntime's choice, one per core). */
  threads?: number;
};

type Ort = typeof OnnxRuntime;

/** Loads the runtime, or explains how to get it. */
async function loadRuntime(): Promise<Ort> {
  try {
    return await import('onnxruntime-node');
  } catch (error) {
    throw new EmbeddingsError(
      `sentence embeddings need the optional package onnxruntime-node, which is not installed (${
        error instanceof Error ? error.message.split('\n')[0] : String(error)
      }); run "npm ci" without --omit=optional, or unset the embeddings folder`,
    );
  }
}

async function readRequired(dir: string, name: string): Promise<Buffer> {
  try {
    return await readFile(path.join(dir, name));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new EmbeddingsError(
      code === 'ENOENT'
        ? `the embeddings folder ${dir} has no ${name}`
        : `cannot read ${name} in ${dir} (${code ?? 'error'})`,
    );
  }
}

/** Reads tokenizer_config.json when present: do_lower_case, strip_accents, max_length / model_max_length. */
async function readTokenizerConfig(dir: string): Promise<WordPieceOptions> {
  let text: string;
  try {
    text = await readFile(path.join(dir, 'tokenizer_config.json'), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new EmbeddingsError(`cannot read tokenizer_config.json in ${dir}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new EmbeddingsError(`tokenizer_config.json in ${dir} is not valid JSON`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new EmbeddingsError(`tokenizer_config.json in ${dir} must be a JSON object`);
  const config = parsed as Record<string, unknown>;
  const options: WordPieceOptions = {};
  if (typeof config.do_lower_case === 'boolean') options.doLowerCase = config.do_lower_case;
  if (typeof config.strip_accents === 'boolean') options.stripAccents = config.strip_accents;
  // Hugging Face writes a huge sentinel in model_max_length when a model sets none; ignore anything silly.
  const max = [config.max_length, config.model_max_length].find(
    (v): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 3 && v <= 8192,
  );
  if (max !== undefined) options.maxLength = max;
  return options;
}

type InputKind = 'int64' | 'int32';

function inputKind(session: InferenceSession, name: string, dir: string): InputKind {
  const meta = session.inputMetadata.find((m) => m.name === name);
  if (!meta || !meta.isTensor) return 'int64';
  if (meta.type === 'int64' || meta.type === 'int32') return meta.type;
  throw new EmbeddingsError(
    `model.onnx in ${dir}: input ${name} has type ${meta.type}; token ids must be int64 or int32`,
  );
}

/**
 * Opens and checks an embeddings folder: files present, vocabulary usable, model inputs and outputs as
 * documented, and one trial sentence through the model (which also tells the vector size). Throws
 * EmbeddingsError with a plain message for every problem an operator can fix.
 */
export async function loadOnnxEmbedder(dir: string, options: OnnxEmbedderOptions = {}): Promise<Embedder> {
  const folder = path.resolve(dir);
  let info;
  try {
    info = await stat(folder);
  } catch {
    throw new EmbeddingsError(`the embeddings folder ${folder} does not exist`);
  }
  if (!info.isDirectory()) throw new EmbeddingsError(`${folder} is not a folder`);
  const modelBytes = await readRequired(folder, 'model.onnx');
  const vocabText = (await readRequired(folder, 'vocab.txt')).toString('utf8');
  const tokenizerOptions = await readTokenizerConfig(folder);
  let tokenizer: WordPieceTokenizer;
  try {
    tokenizer = createWordPieceTokenizer(parseVocab(vocabText), tokenizerOptions);
  } catch (error) {
    if (error instanceof VocabularyError)
      throw new EmbeddingsError(`vocab.txt in ${folder}: ${error.message}`);
    throw error;
  }

  const ort = await loadRuntime();
  let session: InferenceSession;
  try {
    session = await ort.InferenceSession.create(modelBytes, {
      executionProviders: ['cpu'],
      graphOptimizationLevel: 'all',
      ...(options.threads ? { intraOpNumThreads: options.threads } : {}),
    });
  } catch (error) {
    throw new EmbeddingsError(
      `model.onnx in ${folder} could not be loaded: ${error instanceof Error ? error.message : String(error)}`,
    );
  }

  const inputs = session.inputNames;
  const missing = ['input_ids', 'attention_mask'].filter((n) => !inputs.includes(n));
  const unexpected = inputs.filter((n) => !['input_ids', 'attention_mask', 'token_type_ids'].includes(n));
  if (missing.length > 0 || unexpected.length > 0)
    throw new EmbeddingsError(
      `model.onnx in ${folder} has inputs ${inputs.join(', ') || '(none)'}; expected input_ids and attention_mask, optionally token_type_ids`,
    );
  const outputName = ['sentence_embedding', 'last_hidden_state'].find((n) => session.outputNames.includes(n));
  if (!outputName)
    throw new EmbeddingsError(
      `model.onnx in ${folder} has outputs ${session.outputNames.join(', ') || '(none)'}; expected last_hidden_state or sentence_embedding`,
    );
  const kinds = new Map(inputs.map((n) => [n, inputKind(session, n, folder)]));
  const batchSize = Math.max(1, options.batchSize ?? 32);

  function tensor(name: string, values: Int32Array, dims: number[]): Tensor {
    if (kinds.get(name) === 'int32') return new ort.Tensor('int32', values, dims);
    return new ort.Tensor(
      'int64',
      BigInt64Array.from(values, (v) => BigInt(v)),
      dims,
    );
  }

  /** One model call for up to batchSize texts: unit vectors, row-major. */
  async function run(texts: readonly string[]): Promise<{ dim: number; data: Float32Array }> {
    const encoded = tokenizer.encodeBatch(texts);
    const dims = [encoded.batch, encoded.length];
    const feeds: Record<string, Tensor> = {
      input_ids: tensor('input_ids', encoded.inputIds, dims),
      attention_mask: tensor('attention_mask', encoded.attentionMask, dims),
    };
    if (inputs.includes('token_type_ids'))
      feeds.token_type_ids = tensor('token_type_ids', new Int32Array(encoded.inputIds.length), dims);
    let output: Tensor | undefined;
    try {
      output = (await session.run(feeds, [outputName as string]))[outputName as string];
    } catch (error) {
      throw new EmbeddingsError(
        `model.onnx in ${folder} failed on a batch: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    if (!output || output.type !== 'float32')
      throw new EmbeddingsError(`model.onnx in ${folder}: ${outputName} must be float32`);
    const shape = output.dims;
    const values = output.data as Float32Array;
    if (outputName === 'sentence_embedding') {
      if (shape.length !== 2 || shape[0] !== encoded.batch)
        throw new EmbeddingsError(
          `model.onnx in ${folder}: sentence_embedding has shape [${shape.join(', ')}], expected [batch, dim]`,
        );
      return {
        dim: shape[1] as number,
        data: l2NormaliseRows(Float32Array.from(values), shape[1] as number),
      };
    }
    if (shape.length !== 3 || shape[0] !== encoded.batch || shape[1] !== encoded.length)
      throw new EmbeddingsError(
        `model.onnx in ${folder}: last_hidden_state has shape [${shape.join(', ')}], expected [batch, seq, dim]`,
      );
    const dim = shape[2] as number;
    return {
      dim,
      data: l2NormaliseRows(meanPool(values, encoded.attentionMask, encoded.batch, encoded.length, dim), dim),
    };
  }

  // A trial sentence checks that the model runs with these inputs and tells the vector size.
  const trial = await run(['Covenant Hub checks that the embedding model works.']);
  const dim = trial.dim;
  if (!Number.isInteger(dim) || dim < 1)
    throw new EmbeddingsError(`model.onnx in ${folder} returned vectors of size ${dim}`);

  return {
    dim,
    description: `onnx:${folder}`,
    async embed(texts: readonly string[]): Promise<DenseVectors> {
      const data = new Float32Array(texts.length * dim);
      // Texts of similar length share a batch, so little time goes on padding; results go back in order.
      const order = texts
        .map((t, i) => ({ i, length: t.length }))
        .sort((a, b) => a.length - b.length || a.i - b.i)
        .map((e) => e.i);
      for (let start = 0; start < order.length; start += batchSize) {
        const rows = order.slice(start, start + batchSize);
        const result = await run(rows.map((i) => texts[i] as string));
        if (result.dim !== dim)
          throw new EmbeddingsError(
            `model.onnx in ${folder} changed its vector size from ${dim} to ${result.dim}`,
          );
        rows.forEach((i, b) => data.set(result.data.subarray(b * dim, (b + 1) * dim), i * dim));
      }
      return { dim, data };
    },
  };
}

/**
 * A loader that opens the folder on first use and keeps the model for the life of the process; after a
 * failure the next call tries again, so an operator can fix the folder without a restart.
 */
export function createEmbedderProvider(
  dir: string,
  options: OnnxEmbedderOptions = {},
  load: (dir: string, options: OnnxEmbedderOptions) => Promise<Embedder> = loadOnnxEmbedder,
): () => Promise<Embedder> {
  let loading: Promise<Embedder> | null = null;
  return () => {
    if (!loading) {
      loading = load(dir, options);
      loading.catch(() => {
        loading = null;
      });
    }
    return loading;
  };
}
