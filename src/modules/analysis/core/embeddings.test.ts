import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { suggestCodes } from './classify.ts';
import {
  VocabularyError,
  createWordPieceTokenizer,
  denseRows,
  embedAnswers,
  l2NormaliseRows,
  meanPool,
  parseVocab,
} from './embeddings.ts';
import type { DenseVectors, Embedder } from './embeddings.ts';
import { discoverThemes } from './themes.ts';
import type { Answer } from './types.ts';

// Ids are line numbers: [PAD]=0 [UNK]=1 [CLS]=2 [SEP]=3 un=4 ##aff=5 ##able=6 hello=7 !=8 ,=9 world=10
// ##s=11 cafe=12 ##a=13 a=14
const VOCAB = [
  '[PAD]',
  '[UNK]',
  '[CLS]',
  '[SEP]',
  'un',
  '##aff',
  '##able',
  'hello',
  '!',
  ',',
  'world',
  '##s',
  'cafe',
  '##a',
  'a',
].join('\n');

describe('WordPiece tokenizer', () => {
  const tokenizer = createWordPieceTokenizer(parseVocab(`${VOCAB}\n`));

  it('reads vocab.txt by line number and finds the special tokens', () => {
    assert.equal(tokenizer.vocabSize, 15);
    assert.deepEqual(tokenizer.ids, { pad: 0, unk: 1, cls: 2, sep: 3 });
    assert.equal(parseVocab(VOCAB.replaceAll('\n', '\r\n')).get('cafe'), 12);
    assert.throws(() => parseVocab('[PAD]\n[UNK]\n[CLS]\nhello\n'), VocabularyError);
  });

  it('lower-cases, strips accents and splits punctuation before WordPiece', () => {
    assert.deepEqual(tokenizer.basicTokens('  Unaffable\tHELLO, worlds!! Café  '), [
      'unaffable',
      'hello',
      ',',
      'worlds',
      '!',
      '!',
      'cafe',
    ]);
  });

  it('matches the longest piece first and continues with ## pieces', () => {
    // un ##aff ##able / hello / , / world ##s / !
    assert.deepEqual(tokenizer.encode('Unaffable hello, worlds!'), [2, 4, 5, 6, 7, 9, 10, 11, 8, 3]);
    // "aa" is a + ##a, not [UNK]; "café" loses its accent and is one piece.
    assert.deepEqual(tokenizer.pieces('aa Café'), [14, 13, 12]);
  });

  it('makes a word [UNK] when any part of it cannot be covered, as BERT does', () => {
    assert.deepEqual(tokenizer.pieces('xyz'), [1]);
    // "un" matches but "##x" does not: the whole word is one [UNK], not "un [UNK]".
    assert.deepEqual(tokenizer.pieces('unx hello'), [1, 7]);
    assert.deepEqual(
      createWordPieceTokenizer(parseVocab(VOCAB), { maxCharsPerWord: 4 }).pieces('hello'),
      [1],
    );
  });

  it('keeps case and accents when the model is cased', () => {
    const cased = createWordPieceTokenizer(parseVocab(VOCAB), { doLowerCase: false });
    assert.deepEqual(cased.pieces('Hello hello Café'), [1, 7, 1]);
  });

  it('cuts texts to max length, keeping [CLS] and [SEP]', () => {
    const short = createWordPieceTokenizer(parseVocab(VOCAB), { maxLength: 5 });
    assert.deepEqual(short.encode('Unaffable hello, worlds!'), [2, 4, 5, 6, 3]);
    assert.deepEqual(short.encode(''), [2, 3]);
    assert.throws(() => createWordPieceTokenizer(parseVocab(VOCAB), { maxLength: 2 }), VocabularyError);
  });

  it('pads a batch to its longest text with [PAD] and a zero attention mask', () => {
    const batch = tokenizer.encodeBatch(['hello', 'hello world', 'Worlds']);
    assert.equal(batch.batch, 3);
    assert.equal(batch.length, 4);
    assert.deepEqual(Array.from(batch.inputIds), [2, 7, 3, 0, 2, 7, 10, 3, 2, 10, 11, 3]);
    assert.deepEqual(Array.from(batch.attentionMask), [1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1]);
  });
});

describe('pooling', () => {
  it('averages the token vectors the mask keeps, then normalises to unit length', () => {
    // batch 2, length 3, dim 2; row 0 keeps all three tokens, row 1 only the first two.
    const hidden = Float32Array.from([1, 0, 3, 4, 2, 2, 0, 6, 8, 0, 100, 100]);
    const pooled = meanPool(hidden, [1, 1, 1, 1, 1, 0], 2, 3, 2);
    assert.deepEqual(Array.from(pooled), [2, 2, 4, 3]);
    const unit = l2NormaliseRows(pooled, 2);
    assert.deepEqual(
      Array.from(unit).map((v) => Math.round(v * 1e6) / 1e6),
      [0.707107, 0.707107, 0.8, 0.6],
    );
  });

  it('pools a row with no kept token to zeros and leaves zero rows alone', () => {
    const pooled = meanPool(Float32Array.from([5, 5, 5, 5]), [0, 0], 1, 2, 2);
    assert.deepEqual(Array.from(l2NormaliseRows(pooled, 2)), [0, 0]);
    assert.throws(() => meanPool(new Float32Array(3), [1], 1, 1, 2), RangeError);
  });

  it('turns dense rows into the CSR form the clustering code uses, zeros left out', () => {
    const m = denseRows({ dim: 3, data: Float32Array.from([1, 0, 0, 0, 0.6, 0.8]) }, [1, 0]);
    assert.deepEqual(Array.from(m.indptr), [0, 2, 3]);
    assert.deepEqual(Array.from(m.indices), [1, 2, 0]);
    assert.deepEqual(
      Array.from(m.values).map((v) => Math.round(v * 10) / 10),
      [0.6, 0.8, 1],
    );
  });
});

/** A fake embedder: each text's vector is the unit sum of its words' fixed vectors. */
function fakeEmbedder(table: Record<string, number[]>, calls: string[][] = []): Embedder {
  const dim = (Object.values(table)[0] as number[]).length;
  return {
    dim,
    description: 'fake',
    async embed(texts) {
      calls.push([...texts]);
      const data = new Float32Array(texts.length * dim);
      texts.forEach((text, i) => {
        for (const word of text.toLowerCase().split(/\W+/)) {
          (table[word] ?? []).forEach((v, d) => {
            data[i * dim + d] = (data[i * dim + d] as number) + v;
          });
        }
      });
      return { dim, data: l2NormaliseRows(data, dim) };
    },
  };
}

// Two meanings the words do not show: fruit (apple, banana, cherry) and vehicles (car, truck, lorry).
// The colour words are shared across meanings, so TF-IDF alone would group by colour.
const TABLE = {
  apple: [1, 0],
  banana: [1, 0],
  cherry: [1, 0],
  car: [0, 1],
  truck: [0, 1],
  lorry: [0, 1],
};
const ANSWERS: Answer[] = [
  { id: 'a1', text: 'apple crimson scarlet' },
  { id: 'a2', text: 'banana azure cobalt' },
  { id: 'a3', text: 'cherry crimson scarlet' },
  { id: 'v1', text: 'car azure cobalt' },
  { id: 'v2', text: 'truck crimson scarlet' },
  { id: 'v3', text: 'lorry azure cobalt' },
  { id: 'e', text: '' },
  { id: 'dup', text: 'apple crimson scarlet' },
];

function mainTheme(result: ReturnType<typeof discoverThemes>, id: string): string {
  return result.assignments.find((a) => a.id === id)?.themes[0] as string;
}

describe('themes and suggested codes with embeddings', () => {
  it('embeds each distinct non-empty text once, and gives empty answers a zero row', async () => {
    const calls: string[][] = [];
    const vectors = await embedAnswers(ANSWERS, fakeEmbedder(TABLE, calls));
    assert.equal(calls.length, 1);
    assert.equal(calls[0]?.length, 6);
    assert.equal(vectors.data.length, ANSWERS.length * 2);
    assert.deepEqual(Array.from(vectors.data.subarray(12, 14)), [0, 0]);
    assert.deepEqual(Array.from(vectors.data.subarray(14, 16)), [1, 0]);
  });

  it('clusters by the vectors and keeps key phrases from the words', async () => {
    const vectors = await embedAnswers(ANSWERS, fakeEmbedder(TABLE));
    const withVectors = discoverThemes(ANSWERS, { k: 2, vectors });
    const fruit = mainTheme(withVectors, 'a1');
    const vehicles = mainTheme(withVectors, 'v1');
    assert.notEqual(fruit, vehicles);
    for (const id of ['a2', 'a3', 'dup']) assert.equal(mainTheme(withVectors, id), fruit, id);
    for (const id of ['v2', 'v3']) assert.equal(mainTheme(withVectors, id), vehicles, id);
    const theme = withVectors.themes.find((t) => t.id === fruit);
    assert.ok(theme && theme.keyPhrases.length > 0, 'key phrases come from TF-IDF words');
    // Without vectors the same answers group by their shared colour words instead.
    const plain = discoverThemes(ANSWERS, { k: 2 });
    assert.equal(mainTheme(plain, 'a1'), mainTheme(plain, 'v2'));
    assert.notEqual(mainTheme(plain, 'a1'), mainTheme(plain, 'a2'));
    // And the same vectors and seed give the same result.
    assert.deepEqual(discoverThemes(ANSWERS, { k: 2, vectors }), withVectors);
  });

  it('suggests codes from the vectors', async () => {
    const vectors = await embedAnswers(ANSWERS, fakeEmbedder(TABLE));
    const suggestions = suggestCodes({
      answers: ANSWERS,
      coded: [
        { id: 'a1', labels: ['fruit'] },
        { id: 'v2', labels: ['vehicle'] },
      ],
      options: { vectors },
    });
    const labelOf = new Map(suggestions.map((s) => [s.id, s.labels[0]]));
    assert.equal(labelOf.get('a2'), 'fruit');
    assert.equal(labelOf.get('a3'), 'fruit');
    assert.equal(labelOf.get('v1'), 'vehicle');
    assert.equal(labelOf.get('v3'), 'vehicle');
  });

  it('refuses vectors that do not match the answers', () => {
    const wrong: DenseVectors = { dim: 2, data: new Float32Array(4) };
    assert.throws(() => discoverThemes(ANSWERS, { k: 2, vectors: wrong }), RangeError);
    assert.throws(
      () =>
        suggestCodes({ answers: ANSWERS, coded: [{ id: 'a1', labels: ['x'] }], options: { vectors: wrong } }),
      RangeError,
    );
  });
});
