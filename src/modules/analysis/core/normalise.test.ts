import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { groupDuplicates } from './duplicates.ts';
import { detectLanguage, isEmptyAnswer, normaliseText, truncateForModelling } from './normalise.ts';
import { createRng, sampleIndices } from './prng.ts';

describe('normaliseText', () => {
  it('straightens quotes, removes control characters and collapses spaces', () => {
    assert.equal(normaliseText('  We\u2019re\u0007 \u201cfine\u201d\n\n ok '), 'We\'re "fine" ok');
  });
});

describe('isEmptyAnswer', () => {
  it('treats blanks, punctuation and placeholders as empty', () => {
    for (const t of ['', '   ', '-', '.', 'N/A', 'n/a.', 'No comment', 'none', 'Dim sylw'])
      assert.ok(isEmptyAnswer(t), t);
  });
  it('keeps real answers, however short', () => {
    for (const t of ['Late funding.', 'Too much paperwork', 'gagging clauses'])
      assert.equal(isEmptyAnswer(t), false, t);
  });
});

describe('detectLanguage', () => {
  it('detects Welsh', () => {
    assert.equal(detectLanguage('Mae cyfnod yr ymgynghoriad yn llawer rhy fyr i elusennau bach.'), 'cy');
    assert.equal(detectLanguage('Gormod o waith papur.'), 'en'); // too little evidence: themed with English
  });
  it('detects mixed Welsh and English', () => {
    assert.equal(
      detectLanguage(
        'The consultation was bilingual, ond doedd dim digon o amser i ymateb ac mae hyn yn anodd and we were not heard.',
      ),
      'mixed',
    );
  });
  it('keeps English answers that name Welsh bodies as English', () => {
    assert.equal(
      detectLanguage('We work closely with Llywodraeth Cymru and the local council on funding for carers.'),
      'en',
    );
  });
  it('flags non-Latin scripts', () => {
    assert.equal(detectLanguage('نحن نعمل مع المجلس المحلي'), 'other');
  });
});

describe('truncateForModelling', () => {
  it('leaves short text alone and cuts long text at a sentence end', () => {
    assert.equal(truncateForModelling('Short.', 100), 'Short.');
    const long = 'A sentence here. '.repeat(2000);
    const cut = truncateForModelling(long, 3000);
    assert.ok(cut.length <= 3000 && cut.length > 1800);
    assert.ok(cut.endsWith('.'));
  });
});

describe('groupDuplicates', () => {
  it('groups exact copies that differ only in case and punctuation', () => {
    const g = groupDuplicates(['Late funding!', 'late funding', 'Something else']);
    assert.deepEqual([...g.representative], [0, 0, 2]);
    assert.deepEqual([...g.groupSize], [2, 2, 1]);
    assert.deepEqual(g.representatives, [0, 2]);
  });
  it('groups near-duplicates of a campaign text but not different answers', () => {
    const base =
      'I am writing to object to the cuts to the community grants programme because they will close many small charities in our town and leave vulnerable people without support';
    const g = groupDuplicates([
      base,
      `${base} this winter`,
      'The consultation period was far too short for small charities like ours to respond with any evidence at all from our members',
    ]);
    assert.equal(g.representative[1], 0);
    assert.equal(g.representative[2], 2);
  });
});

describe('prng', () => {
  it('repeats for the same seed and differs for another', () => {
    const a = createRng(42);
    const b = createRng(42);
    const c = createRng(43);
    const xs = [a(), a(), a()];
    assert.deepEqual(xs, [b(), b(), b()]);
    assert.notDeepEqual(xs, [c(), c(), c()]);
    assert.ok(xs.every((x) => x >= 0 && x < 1));
  });
  it('samples distinct indices', () => {
    const s = sampleIndices(100, 30, createRng('s'));
    assert.equal(new Set(s).size, 30);
    assert.ok(s.every((i) => i >= 0 && i < 100));
  });
});
