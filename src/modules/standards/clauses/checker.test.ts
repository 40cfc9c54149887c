import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { docxOf, pdfOf, sampleAgreement, scannedPdf, zipOf } from '../standards.clauses.samples.ts';
import { checkClauses, MAX_CLAUSE_TEXT } from './checker.ts';
import { readCorpus, scoreCorpus } from './corpus.ts';
import { detectFormat, ExtractError, extractAgreementText, MAX_AGREEMENT_BYTES } from './extract.ts';
import { segmentClauses } from './segment.ts';

const fixtures = fileURLToPath(new URL('../../../../test/fixtures/clauses/', import.meta.url));
const demo = fileURLToPath(new URL('../demo/agreement.txt', import.meta.url));

/** Every finding's offsets point at its text, and its matches sit inside it. */
function assertOffsets(input: string) {
  const findings = checkClauses(input);
  for (const f of findings) {
    assert.equal(input.slice(f.start, f.end), f.text);
    assert.ok(f.matches.length > 0, 'a finding says which words matched');
    for (const m of f.matches) assert.ok(m.start >= f.start && m.end <= f.end && m.end > m.start);
  }
  return findings;
}

describe('clause checker', () => {
  test('offsets point into the original text, with CRLF line ends, labels and wrapped lines', () => {
    const text = [
      '9. Publicity\r\n',
      '9.1 The Grantee shall not make any press announcement about the Project without the\r\n',
      'Department’s prior written approval.\r\n\r\n',
      '  (a)  No part of the Grant may be used to lobby Ministers.   \r\n',
    ].join('');
    const findings = assertOffsets(text);
    assert.deepEqual(
      findings.map((f) => f.rule),
      ['A3', 'A1'],
    );
    assert.ok(
      findings[0]!.text.startsWith('The Grantee shall not'),
      'the clause number is left out of the span',
    );
    assert.ok(findings[1]!.text.endsWith('Ministers.'), 'trailing spaces are left out');
  });

  test('the demo agreement: the 2016 clause, publicity approval, reputation, consultations', () => {
    const text = readFileSync(demo, 'utf8');
    const findings = assertOffsets(text);
    assert.deepEqual(
      findings.map((f) => f.rule),
      ['A1', 'A3', 'A3', 'A2'],
    );
    assert.match(findings[0]!.why, /2016 anti-advocacy clause/);
    assert.match(findings[2]!.why, /reputation/);
  });

  test('a clean text gives no findings; so do empty and whitespace-only input', () => {
    assert.deepEqual(checkClauses(''), []);
    assert.deepEqual(checkClauses('   \n\n  '), []);
    assert.deepEqual(
      checkClauses(
        'The Recipient shall keep accurate records. The Provider shall process personal data in line with the UK GDPR. Tender prices are commercially confidential.',
      ),
      [],
    );
  });

  test('a saving anywhere in the numbered clause keeps what it names free', () => {
    const text =
      '12.1 The Grantee shall not campaign using the Grant. Nothing in this clause 12 prevents the Grantee from responding to consultations.';
    assert.deepEqual(checkClauses(text), []);
  });

  test('a list lead-in applies to its items only, not to the next numbered clause', () => {
    const text = [
      '12.1 The Recipient shall not:',
      '(a) use the Grant for lobbying of any kind;',
      '(b) employ staff who have not had a DBS check.',
      '12.2 The Recipient shall keep proper accounts.',
      '13. Publicity',
      'The Recipient shall acknowledge the Department’s support in all publicity.',
    ].join('\n');
    const findings = assertOffsets(text);
    assert.deepEqual(
      findings.map((f) => [f.rule, f.text]),
      [['A1', 'use the Grant for lobbying of any kind;']],
    );
  });

  test('one finding per clause and rule; a clause can break two rules', () => {
    const text =
      'The Grantee shall not use the Grant to lobby Parliament and shall not speak to the media without the Department’s approval.';
    const findings = assertOffsets(text);
    assert.deepEqual(findings.map((f) => f.rule).sort(), ['A1', 'A3']);
    assert.equal(new Set(findings.map((f) => `${f.start}:${f.rule}`)).size, findings.length);
  });

  test('a huge input within the limit is checked in reasonable time', () => {
    const base = readFileSync(demo, 'utf8');
    let text = '';
    while (text.length < MAX_CLAUSE_TEXT - base.length) text += `${base}\n\n`;
    const started = performance.now();
    const findings = checkClauses(text);
    const elapsed = performance.now() - started;
    assert.equal(findings.length % 4, 0);
    assert.ok(findings.length > 1000);
    assert.ok(elapsed < 20_000, `took ${Math.round(elapsed)} ms`);
    // Pathological text: long "sentences" without any full stop, repeating words the patterns look for
    // (an unbounded look-behind once made the first of these take seconds).
    for (const phrase of [
      'The Grantee may publish reports without delay and ',
      'shall not ',
      'whether or ',
    ]) {
      const started2 = performance.now();
      assert.deepEqual(checkClauses(phrase.repeat(Math.ceil(200_000 / phrase.length))), []);
      assert.ok(performance.now() - started2 < 5_000, `"${phrase}" took too long`);
    }
  });

  test('segments never overlap and stay in order', () => {
    const text = readFileSync(demo, 'utf8');
    let last = 0;
    for (const s of segmentClauses(text)) {
      assert.ok(s.start >= last);
      assert.equal(text.slice(s.start, s.end), s.text);
      last = s.end;
    }
  });
});

describe('the labelled corpus', () => {
  for (const part of ['tuning', 'heldout', 'extra', 'fresh', 'blind']) {
    test(`${part}: precision and recall at least 0.9`, () => {
      const clauses = readCorpus(`${fixtures}${part}.jsonl`);
      assert.ok(clauses.length >= 30);
      const half = clauses.filter((c) => c.conflicting).length / clauses.length;
      assert.ok(half > 0.4 && half < 0.6, 'about half conflict');
      const score = scoreCorpus(clauses);
      assert.ok(score.precision >= 0.9, `precision ${score.precision}`);
      assert.ok(score.recall >= 0.9, `recall ${score.recall}`);
    });
  }
  test('every corpus line is well formed and ids are unique', () => {
    const all = ['tuning', 'heldout', 'extra', 'fresh', 'blind'].flatMap((p) =>
      readCorpus(`${fixtures}${p}.jsonl`),
    );
    assert.ok(all.length >= 60);
    assert.equal(new Set(all.map((c) => c.id)).size, all.length);
    for (const c of all) {
      assert.equal(typeof c.text, 'string');
      assert.equal(c.conflicting, c.rule !== null, c.id);
      if (c.rule) assert.match(c.rule, /^A[123]$/);
    }
  });
});

describe('agreement text extraction', () => {
  test('plain text: UTF-8, UTF-16 with a byte-order mark, Windows-1252', async () => {
    assert.equal(
      (await extractAgreementText(Buffer.from('Grant terms ’ok’', 'utf8'))).text,
      'Grant terms ’ok’',
    );
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Grant terms', 'utf16le')]);
    assert.equal((await extractAgreementText(utf16)).text, 'Grant terms');
    assert.equal((await extractAgreementText(Buffer.from([0x93, 0x41, 0x94]))).text, '“A”');
  });

  test('DOCX: one line per paragraph, runs joined, entities decoded', async () => {
    const { text, format } = await extractAgreementText(docxOf(['A & B shall not lobby.', 'Second <para>.']));
    assert.equal(format, 'docx');
    assert.equal(text, 'A & B shall not lobby.\nSecond <para>.');
    const findings = checkClauses(text);
    assert.equal(findings[0]?.rule, 'A1');
    assert.equal(text.slice(findings[0]!.start, findings[0]!.end), findings[0]!.text);
  });

  test('PDF with a text layer: the text and the findings come through', async () => {
    const lines = sampleAgreement.map((s) => s.replace(/’/g, "'"));
    const { text, format } = await extractAgreementText(pdfOf(lines));
    assert.equal(format, 'pdf');
    assert.equal(text, lines.join('\n'));
    assert.deepEqual(
      checkClauses(text).map((f) => f.rule),
      ['A3', 'A1'],
    );
  });

  test('a scanned PDF with no text layer says so', async () => {
    await assert.rejects(extractAgreementText(scannedPdf()), (error: unknown) => {
      assert.ok(error instanceof ExtractError);
      assert.equal(error.code, 'noTextLayer');
      assert.match(error.message, /no text layer/);
      assert.match(error.message, /scanned/);
      return true;
    });
  });

  test('bad files: empty, binary, a ZIP that is not Word, a broken PDF, too big, too much text', async () => {
    const code = async (bytes: Buffer) => {
      try {
        await extractAgreementText(bytes);
        return 'none';
      } catch (error) {
        return error instanceof ExtractError ? error.code : 'other';
      }
    };
    assert.equal(await code(Buffer.alloc(0)), 'empty');
    assert.equal(await code(Buffer.from('  \n ')), 'empty');
    assert.equal(await code(Buffer.concat([Buffer.from('MZ'), Buffer.alloc(100)])), 'unsupported');
    assert.equal(await code(zipOf([{ name: 'a.txt', data: Buffer.from('hi') }])), 'unsupported');
    assert.equal(await code(Buffer.from('PK\u0003\u0004 broken', 'latin1')), 'unsupported');
    assert.equal(await code(Buffer.from('%PDF-1.7\nnot really')), 'unreadable');
    assert.equal(await code(Buffer.alloc(MAX_AGREEMENT_BYTES + 1, 'a')), 'tooLarge');
    assert.equal(await code(Buffer.alloc(MAX_CLAUSE_TEXT + 1, 'a')), 'tooLarge');
    assert.equal(detectFormat(docxOf(['x'])), 'docx');
  });
});
