/**
 * The ONNX wrapper end to end, with a tiny model written at test time (embeddings.testmodel.ts): token ids
 * look up rows of a fixed matrix, so the expected mean-pooled vectors can be worked out by hand. Skipped,
 * with the reason printed, when the optional onnxruntime-node package is not installed.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import type { TestContext } from 'node:test';
import { runAnalyseCommand } from './analysis.cli.ts';
import { suggestCodes } from './core/classify.ts';
import { embedAnswers } from './core/embeddings.ts';
import { discoverThemes } from './core/themes.ts';
import type { Answer } from './core/types.ts';
import { EmbeddingsError, createEmbedderProvider, loadOnnxEmbedder } from './embeddings.onnx.ts';
import { buildGatherModel } from './embeddings.testmodel.ts';
import type { TestModelOptions } from './embeddings.testmodel.ts';

const runtimeInstalled = await import('onnxruntime-node').then(
  () => true,
  () => false,
);
const SKIP = 'onnxruntime-node not installed';

// Line number = token id. [PAD] has a non-zero row on purpose: if padding were pooled, vectors would show it.
const VOCAB = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', 'apple', 'banana', 'cherry', 'car', 'truck', 'lorry'];
const FRUIT = [3, 0, 0];
const VEHICLE = [0, 4, 0];
const MATRIX = [[0, 0, 9], [0, 0, 0], [0, 0, 0], [0, 0, 0], FRUIT, FRUIT, FRUIT, VEHICLE, VEHICLE, VEHICLE];

let root = '';
let counter = 0;

/** A model folder with the given pieces; anything left undefined is not written. */
async function folder(files: {
  model?: TestModelOptions | string;
  vocab?: string;
  tokenizerConfig?: string;
}): Promise<string> {
  const dir = path.join(root, `m${counter++}`);
  await mkdir(dir);
  if (files.model !== undefined)
    await writeFile(
      path.join(dir, 'model.onnx'),
      typeof files.model === 'string' ? files.model : buildGatherModel(files.model),
    );
  if (files.vocab !== undefined) await writeFile(path.join(dir, 'vocab.txt'), files.vocab);
  if (files.tokenizerConfig !== undefined)
    await writeFile(path.join(dir, 'tokenizer_config.json'), files.tokenizerConfig);
  return dir;
}

const good = () => folder({ model: { embeddings: MATRIX }, vocab: `${VOCAB.join('\n')}\n` });

const round = (values: ArrayLike<number>): number[] => Array.from(values, (v) => Math.round(v * 1e6) / 1e6);

function skipWithoutRuntime(t: TestContext): boolean {
  if (runtimeInstalled) return false;
  t.skip(SKIP);
  return true;
}

describe('ONNX sentence embeddings', () => {
  before(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'covenant-embeddings-'));
  });
  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('mean-pools the model output over real tokens and normalises it', async (t) => {
    if (skipWithoutRuntime(t)) return;
    const embedder = await loadOnnxEmbedder(await good(), { batchSize: 8 });
    assert.equal(embedder.dim, 3);
    // "zzz", "," and "!" are [UNK] (zero row); [CLS] and [SEP] are zero rows; "apple" alone is padded in
    // the batch with [PAD], whose row (0, 0, 9) must not count.
    const { dim, data } = await embedder.embed(['Apple car zzz', 'apple', 'lorry, TRUCK!', 'zzz']);
    assert.equal(dim, 3);
    // (3,0,0) + (0,4,0) = (3,4,0) → (0.6, 0.8, 0); apple → (1,0,0); two vehicles → (0,1,0); nothing → 0.
    assert.deepEqual(round(data), [0.6, 0.8, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0]);
  });

  it('gives the same vectors whatever the batch size', async (t) => {
    if (skipWithoutRuntime(t)) return;
    const dir = await good();
    const texts = ['apple', 'car truck', 'banana cherry apple lorry', 'zzz apple', 'truck'];
    const one = await (await loadOnnxEmbedder(dir, { batchSize: 1 })).embed(texts);
    const many = await (await loadOnnxEmbedder(dir, { batchSize: 32 })).embed(texts);
    assert.deepEqual(round(one.data), round(many.data));
  });

  it('makes themes from the vectors: answers with no word in common share a theme', async (t) => {
    if (skipWithoutRuntime(t)) return;
    const embedder = await loadOnnxEmbedder(await good());
    // Colour words are not in the vocabulary; they are shared across meanings, so TF-IDF alone would
    // group by colour. apple/banana/cherry share one embedding row, car/truck/lorry another.
    const answers: Answer[] = [
      { id: 'a1', text: 'apple crimson scarlet' },
      { id: 'a2', text: 'banana azure cobalt' },
      { id: 'a3', text: 'cherry crimson scarlet' },
      { id: 'v1', text: 'car azure cobalt' },
      { id: 'v2', text: 'truck crimson scarlet' },
      { id: 'v3', text: 'lorry azure cobalt' },
    ];
    const vectors = await embedAnswers(answers, embedder);
    const result = discoverThemes(answers, { k: 2, vectors });
    const theme = (id: string) => result.assignments.find((a) => a.id === id)?.themes[0];
    assert.equal(theme('a2'), theme('a1'));
    assert.equal(theme('a3'), theme('a1'));
    assert.equal(theme('v2'), theme('v1'));
    assert.equal(theme('v3'), theme('v1'));
    assert.notEqual(theme('a1'), theme('v1'));
    const plain = discoverThemes(answers, { k: 2 });
    const plainTheme = (id: string) => plain.assignments.find((a) => a.id === id)?.themes[0];
    assert.notEqual(plainTheme('a1'), plainTheme('a2'), 'without embeddings the colours decide');

    const suggestions = suggestCodes({
      answers,
      coded: [
        { id: 'a1', labels: ['fruit'] },
        { id: 'v1', labels: ['vehicle'] },
      ],
      options: { vectors },
    });
    assert.deepEqual(
      suggestions.map((s) => [s.id, s.labels[0]]),
      [
        ['a2', 'fruit'],
        ['a3', 'fruit'],
        ['v2', 'vehicle'],
        ['v3', 'vehicle'],
      ],
    );
  });

  it('reads tokenizer_config.json: max_length cuts long texts, cased models keep case', async (t) => {
    if (skipWithoutRuntime(t)) return;
    const dir = await folder({
      model: { embeddings: MATRIX },
      vocab: VOCAB.join('\n'),
      tokenizerConfig: JSON.stringify({ do_lower_case: false, max_length: 3 }),
    });
    const embedder = await loadOnnxEmbedder(dir);
    // max_length 3 keeps [CLS] apple [SEP]; "Car" is [UNK] for a cased vocabulary.
    assert.deepEqual(round((await embedder.embed(['apple car', 'Car'])).data), [1, 0, 0, 0, 0, 0]);
  });

  it('explains every problem with the folder', async (t) => {
    if (skipWithoutRuntime(t)) return;
    const vocab = VOCAB.join('\n');
    const cases: [string, Promise<string>, RegExp][] = [
      ['no folder', Promise.resolve(path.join(root, 'missing')), /does not exist/],
      ['no model', folder({ vocab }), /has no model\.onnx/],
      ['no vocabulary', folder({ model: { embeddings: MATRIX } }), /has no vocab\.txt/],
      [
        'vocabulary without [UNK]',
        folder({ model: { embeddings: MATRIX }, vocab: vocab.replace('[UNK]', 'unk') }),
        /vocab\.txt .*no \[UNK\] token/,
      ],
      [
        'bad tokenizer_config.json',
        folder({ model: { embeddings: MATRIX }, vocab, tokenizerConfig: '{ nope' }),
        /tokenizer_config\.json .* not valid JSON/,
      ],
      ['not a model', folder({ model: 'not a model', vocab }), /model\.onnx .* could not be loaded/],
      [
        'wrong inputs',
        folder({
          model: { embeddings: MATRIX, inputNames: ['ids', 'attention_mask', 'token_type_ids'] },
          vocab,
        }),
        /has inputs ids, attention_mask, token_type_ids; expected input_ids and attention_mask/,
      ],
      [
        'wrong output',
        folder({ model: { embeddings: MATRIX, outputName: 'hidden' }, vocab }),
        /expected last_hidden_state or sentence_embedding/,
      ],
    ];
    for (const [label, dir, message] of cases) {
      await assert.rejects(
        loadOnnxEmbedder(await dir),
        (error: unknown) => error instanceof EmbeddingsError && message.test(error.message),
        label,
      );
    }
  });

  it('covenant analyse themes|code take --embeddings DIR, or the configured default', async (t) => {
    if (skipWithoutRuntime(t)) return;
    const dir = await good();
    const work = await folder({});
    const input = path.join(work, 'answers.csv');
    await writeFile(
      input,
      'id,text\na1,apple crimson scarlet\na2,banana azure cobalt\na3,cherry crimson scarlet\nv1,car azure cobalt\nv2,truck crimson scarlet\nv3,lorry azure cobalt\n',
    );
    await writeFile(path.join(work, 'coded.csv'), 'id,labels\na1,fruit\nv1,vehicle\n');
    const cli = async (argv: string[], defaults = {}) => {
      const stdout = new PassThrough();
      const stderr = new PassThrough();
      let out = '';
      let err = '';
      stdout.on('data', (c: Buffer) => (out += c.toString()));
      stderr.on('data', (c: Buffer) => (err += c.toString()));
      const code = await runAnalyseCommand(argv, { stdout, stderr }, defaults);
      return { code, out, err };
    };
    const themesJson = path.join(work, 'themes.json');
    const themes = await cli([
      'themes',
      '--input',
      input,
      '--k',
      '2',
      '--output',
      themesJson,
      '--embeddings',
      dir,
    ]);
    assert.equal(themes.code, 0, themes.err);
    assert.match(themes.out, /sentence embeddings from .* \(3 dimensions\) for 6 answers/);
    const written = JSON.parse(await readFile(themesJson, 'utf8')) as {
      assignments: { id: string; themes: string[] }[];
      meta: { vectors?: string };
    };
    const themeOf = new Map(written.assignments.map((a) => [a.id, a.themes[0]]));
    assert.equal(themeOf.get('a2'), themeOf.get('a1'));
    assert.equal(themeOf.get('v3'), themeOf.get('v1'));
    assert.notEqual(themeOf.get('a1'), themeOf.get('v1'));
    assert.equal(written.meta.vectors, 'sentence embeddings');

    const suggested = path.join(work, 'suggested.csv');
    const codeArgs = [
      'code',
      '--input',
      input,
      '--coded',
      path.join(work, 'coded.csv'),
      '--output',
      suggested,
    ];
    const code = await cli(codeArgs, { embeddingsDir: dir });
    assert.equal(code.code, 0, code.err);
    assert.match(await readFile(suggested, 'utf8'), /^a2,fruit,/m);

    // A configured folder that cannot be used is an error, not a quiet fall-back to TF-IDF.
    const broken = await cli(codeArgs, { embeddingsDir: path.join(root, 'nowhere') });
    assert.equal(broken.code, 1);
    assert.match(
      broken.err,
      /^covenant analyse: embeddings: the embeddings folder .*nowhere does not exist\n$/,
    );
  });

  it('loads a folder once, and tries again after a failure', async (t) => {
    if (skipWithoutRuntime(t)) return;
    let loads = 0;
    const dir = await good();
    const provider = createEmbedderProvider(dir, {}, async (d, o) => {
      loads++;
      if (loads === 1) throw new EmbeddingsError('first try fails');
      return loadOnnxEmbedder(d, o);
    });
    await assert.rejects(provider(), /first try fails/);
    const first = await provider();
    assert.equal(await provider(), first);
    assert.equal(loads, 2);
  });
});
