import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { compareParagraphs, tokenise, wordDiff, type DiffPart } from './covenant.diff.ts';
import { commitmentsWithInheritance } from './covenant.inheritance.ts';
import { isParagraphKey, newParagraphKey, reviewDueOn } from './covenant.keys.ts';

const side = (parts: DiffPart[], which: 'from' | 'to') =>
  parts
    .filter((p) => p.op === 'equal' || p.op === (which === 'from' ? 'delete' : 'insert'))
    .map((p) => p.text)
    .join('');

describe('word diff', () => {
  test('tokenises words, spaces and punctuation separately', () => {
    assert.deepEqual(tokenise('Don’t stop, now.'), ['Don’t', ' ', 'stop', ',', ' ', 'now', '.']);
  });

  test('an insertion', () => {
    const parts = wordDiff('at least 12 weeks', 'at least 12 full weeks');
    assert.deepEqual(parts, [
      { op: 'equal', text: 'at least 12 ' },
      { op: 'insert', text: 'full ' },
      { op: 'equal', text: 'weeks' },
    ]);
  });

  test('a deletion', () => {
    const parts = wordDiff('give clear written notice', 'give notice');
    assert.equal(side(parts, 'from'), 'give clear written notice');
    assert.equal(side(parts, 'to'), 'give notice');
    assert.deepEqual(
      parts.filter((p) => p.op === 'delete').map((p) => p.text),
      ['clear written '],
    );
  });

  test('a replacement reads as one deletion then one insertion', () => {
    const parts = wordDiff('at least 3 months notice', 'at least twelve full weeks notice');
    assert.deepEqual(parts, [
      { op: 'equal', text: 'at least ' },
      { op: 'delete', text: '3 months' },
      { op: 'insert', text: 'twelve full weeks' },
      { op: 'equal', text: ' notice' },
    ]);
  });

  test('punctuation changes are found without touching the words', () => {
    const parts = wordDiff('Listen, then act.', 'Listen; then act!');
    assert.deepEqual(
      parts.filter((p) => p.op !== 'equal'),
      [
        { op: 'delete', text: ',' },
        { op: 'insert', text: ';' },
        { op: 'delete', text: '.' },
        { op: 'insert', text: '!' },
      ],
    );
  });

  test('empty texts', () => {
    assert.deepEqual(wordDiff('', ''), []);
    assert.deepEqual(wordDiff('', 'new'), [{ op: 'insert', text: 'new' }]);
    assert.deepEqual(wordDiff('old', ''), [{ op: 'delete', text: 'old' }]);
    assert.deepEqual(wordDiff('same', 'same'), [{ op: 'equal', text: 'same' }]);
  });

  test('both sides can always be rebuilt from the diff', () => {
    const pairs = [
      ['The quick brown fox jumps over the lazy dog.', 'A quick red fox jumped over the dog!'],
      ['a b c d e f', 'f e d c b a'],
      ['one', 'one two three'],
    ];
    for (const [a, b] of pairs) {
      const parts = wordDiff(a!, b!);
      assert.equal(side(parts, 'from'), a);
      assert.equal(side(parts, 'to'), b);
    }
  });
});

describe('paragraph comparison by stable key', () => {
  const p = (key: string, text: string) => ({ key, text, kind: 'text' });

  test('added, removed, changed and unchanged paragraphs', () => {
    const from = [p('p-a', 'Alpha'), p('p-b', 'Bravo'), p('p-c', 'Charlie')];
    const to = [p('p-a', 'Alpha'), p('p-c', 'Charlie two'), p('p-d', 'Delta')];
    const { changes, summary } = compareParagraphs(from, to);
    assert.deepEqual(
      changes.map((c) => [c.key, c.status, c.moved]),
      [
        ['p-a', 'unchanged', false],
        ['p-b', 'removed', false],
        ['p-c', 'changed', false],
        ['p-d', 'added', false],
      ],
    );
    assert.deepEqual(summary, { added: 1, removed: 1, changed: 1, moved: 0, unchanged: 1 });
    assert.deepEqual(changes[2]!.words, [
      { op: 'equal', text: 'Charlie' },
      { op: 'insert', text: ' two' },
    ]);
  });

  test('a moved paragraph is matched by key, not by position', () => {
    const from = [p('p-a', 'Alpha'), p('p-b', 'Bravo'), p('p-c', 'Charlie')];
    const to = [p('p-c', 'Charlie'), p('p-a', 'Alpha'), p('p-b', 'Bravo')];
    const { changes, summary } = compareParagraphs(from, to);
    assert.deepEqual(
      changes.map((c) => [c.key, c.status, c.moved]),
      [
        ['p-c', 'unchanged', true],
        ['p-a', 'unchanged', false],
        ['p-b', 'unchanged', false],
      ],
    );
    assert.equal(summary.moved, 1);
  });

  test('a paragraph removed at the start is listed first', () => {
    const { changes } = compareParagraphs([p('p-a', 'A'), p('p-b', 'B')], [p('p-b', 'B')]);
    assert.deepEqual(
      changes.map((c) => [c.key, c.status]),
      [
        ['p-a', 'removed'],
        ['p-b', 'unchanged'],
      ],
    );
  });

  test('same text with a different key is a removal and an addition', () => {
    const { summary } = compareParagraphs([p('p-a', 'Same')], [p('p-z', 'Same')]);
    assert.equal(summary.added, 1);
    assert.equal(summary.removed, 1);
  });
});

describe('paragraph keys, inheritance and review dates', () => {
  test('new keys are short, random and well formed', () => {
    const keys = new Set(Array.from({ length: 200 }, () => newParagraphKey()));
    assert.equal(keys.size, 200);
    for (const k of keys) assert.ok(isParagraphKey(k), k);
    assert.equal(
      newParagraphKey(() => new Uint8Array(8)),
      'p-aaaaaaaa',
    );
  });

  test('a sub-covenant shows every national commitment as inherited, then its own', () => {
    const national = [
      { id: '1', code: 'RV-G1' },
      { id: '2', code: 'PC-G1' },
    ];
    const own = [{ id: '3', code: 'RV-G1-LOCAL' }];
    const result = commitmentsWithInheritance(national, own);
    assert.deepEqual(
      result.map((c) => [c.code, c.inherited]),
      [
        ['RV-G1', true],
        ['PC-G1', true],
        ['RV-G1-LOCAL', false],
      ],
    );
  });

  test('own commitments override nothing, even with overlapping wording', () => {
    const national = [{ id: '1', code: 'C', text: 'national' }];
    const own = [{ id: '2', code: 'C-OWN', text: 'national' }];
    assert.equal(commitmentsWithInheritance(national, own).length, 2);
    assert.equal(commitmentsWithInheritance(national, []).length, 1);
  });

  test('review falls due a year after signing', () => {
    assert.equal(reviewDueOn(new Date('2026-01-05T09:00:00Z')), '2027-01-05');
    assert.equal(reviewDueOn(new Date('2028-02-29T12:00:00Z')), '2029-02-28');
  });
});
