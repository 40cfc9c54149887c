import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { csrfTokenIn } from '../../../test/helpers/agent.ts';
import { clausesPaths } from './standards.clauses.paths.ts';
import { docxOf, pdfOf, sampleAgreement, scannedPdf } from './standards.clauses.samples.ts';

const url = clausesPaths.check();

/** A multipart form as a browser sends it: the CSRF token, the textarea and (maybe) one file. */
function multipart(fields: Record<string, string>, file?: { name: string; data: Buffer }) {
  const boundary = '----clauses' + Math.random().toString(16).slice(2);
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  }
  const f = file ?? { name: '', data: Buffer.alloc(0) };
  parts.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${f.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    ),
    f.data,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  );
  return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

describe('check an agreement (public pages)', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(async () => t.close());

  /** Loads the form as an anonymous visitor and posts it back. */
  async function post(fields: Record<string, string>, file?: { name: string; data: Buffer }) {
    const agent = t.agent();
    const page = await agent.get(url);
    const body = multipart({ _csrf: csrfTokenIn(page.body), ...fields }, file);
    const cookie = [...agent.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    return t.app.inject({
      method: 'POST',
      url,
      payload: body.payload,
      headers: { cookie, 'content-type': body.contentType, accept: 'text/html' },
    });
  }

  const marked = (html: string) => [...html.matchAll(/<mark>([^<]*)<\/mark>/g)].map((m) => m[1]);

  test('the form needs no sign-in, says the text is not stored and states the limits', async () => {
    const page = await t.agent().get(url);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Check an agreement for gagging clauses/);
    assert.match(page.body, /We do not store the text/);
    assert.match(page.body, /200,000 characters/);
    assert.match(page.body, /smaller than 10 MB/);
    assert.match(page.body, /enctype="multipart\/form-data"/);
    assert.match(page.body, /A1: anti-advocacy/);
  });

  test('pasted text: each finding with its rule, the clause with the matched words marked, and why', async () => {
    const response = await post({ text: sampleAgreement.join('\n') });
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['cache-control'], 'no-store');
    assert.match(response.body, /We found 2 clauses that may conflict/);
    assert.match(response.body, /Finding 1: rule A3/);
    assert.match(response.body, /Finding 2: rule A1/);
    assert.deepEqual(marked(response.body), [
      'press announcement about the Project without',
      'lobby Ministers or Members of Parliament',
    ]);
    assert.match(response.body, /Why it conflicts with the Covenant/);
    assert.match(response.body, /right to campaign/);
    assert.doesNotMatch(response.body, /keep accurate records/, 'a clean clause is not listed');
  });

  test('a list item is shown with the lead-in it belongs to', async () => {
    const response = await post({
      text: 'The following costs are not Eligible Expenditure:\n(a) interest charges;\n(b) payments that support activity intended to influence Parliament.',
    });
    assert.equal(response.statusCode, 200);
    assert.match(response.body, /We found 1 clause that may conflict/);
    assert.match(
      response.body,
      /An item of the list that starts: “The following costs are not Eligible Expenditure:”/,
    );
    assert.deepEqual(marked(response.body), ['influence Parliament']);
  });

  test('a clean text says so', async () => {
    const response = await post({
      text: 'The Grantee shall keep accurate records. Any statement about results must be accurate and not misleading.',
    });
    assert.equal(response.statusCode, 200);
    assert.match(response.body, /No gagging or anti-advocacy clauses found/);
    assert.doesNotMatch(response.body, /<mark>/);
  });

  test('pasted text in an ordinary (urlencoded) form works too', async () => {
    const response = await t.agent().submit(url, { text: sampleAgreement[2]! });
    assert.equal(response.statusCode, 200);
    assert.match(response.body, /Finding 1: rule A1/);
  });

  for (const [kind, data, name] of [
    ['TXT', Buffer.from(sampleAgreement.join('\n'), 'utf8'), 'agreement.txt'],
    ['DOCX', docxOf(sampleAgreement), 'agreement.docx'],
    ['PDF', pdfOf(sampleAgreement.map((s) => s.replace(/’/g, "'"))), 'agreement.pdf'],
  ] as const) {
    test(`upload a ${kind} file: read by its content`, async () => {
      const response = await post({ text: '' }, { name, data });
      assert.equal(response.statusCode, 200, response.body.slice(0, 500));
      assert.match(response.body, /We found 2 clauses/);
      assert.ok(response.body.includes(name), 'the file name is shown');
    });
  }

  test('the type is decided by content: a PDF named .txt is read as a PDF', async () => {
    const response = await post({}, { name: 'renamed.txt', data: pdfOf([sampleAgreement[2]!]) });
    assert.equal(response.statusCode, 200);
    assert.match(response.body, /PDF file/);
    assert.match(response.body, /Finding 1: rule A1/);
  });

  test('bad input: nothing, both, too long, wrong type, unreadable, scanned PDF, empty file', async () => {
    const cases: [string, Record<string, string>, { name: string; data: Buffer } | undefined, RegExp][] = [
      ['nothing', { text: '  ' }, undefined, /Paste the text of the agreement or choose a file/],
      ['both', { text: 'Some text' }, { name: 'a.txt', data: Buffer.from('x') }, /not both/],
      ['too long', { text: 'a'.repeat(200_001) }, undefined, /200,000 characters or fewer/],
      [
        'wrong type',
        {},
        { name: 'picture.pdf', data: Buffer.concat([Buffer.from('MZ'), Buffer.alloc(300)]) },
        /must be a text file \(.txt\), a Word document \(.docx\) or a PDF/,
      ],
      [
        'unreadable PDF',
        {},
        { name: 'broken.pdf', data: Buffer.from('%PDF-1.4\ngarbage that is not a PDF') },
        /could not be read/,
      ],
      ['scanned PDF', {}, { name: 'scan.pdf', data: scannedPdf() }, /no text layer/],
      ['empty file', {}, { name: 'empty.txt', data: Buffer.alloc(0) }, /The file is empty/],
    ];
    for (const [label, fields, file, message] of cases) {
      const response = await post(fields, file);
      assert.equal(response.statusCode, 422, label);
      assert.match(response.body, /govuk-error-summary/, label);
      assert.match(response.body, message, label);
      assert.match(response.body, /<title>Error:/, label);
    }
  });

  test('a file over 10 MB is refused', async () => {
    const big = Buffer.alloc(10 * 1024 * 1024 + 10, 'a');
    const response = await post({}, { name: 'big.txt', data: big });
    assert.equal(response.statusCode, 422);
    assert.match(response.body, /smaller than 10 MB/);
  });

  test('the form is CSRF-protected', async () => {
    const body = multipart({ text: sampleAgreement[0]! });
    const response = await t.app.inject({
      method: 'POST',
      url,
      payload: body.payload,
      headers: { 'content-type': body.contentType, accept: 'text/html' },
    });
    assert.equal(response.statusCode, 403);
  });

  test('the pasted text is echoed back escaped, never as HTML', async () => {
    const response = await post({ text: '<script>alert(1)</script> The Grantee shall not lobby Ministers.' });
    assert.equal(response.statusCode, 200);
    assert.doesNotMatch(response.body, /<script>alert/);
    assert.match(response.body, /&lt;script&gt;/);
  });
});
