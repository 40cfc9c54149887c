/**
 * `covenant clauses check FILE` as a person runs it: the real command in a child process, through
 * bin/covenant.js (what `npx covenant` runs) and through src/cli.ts (what `npm run covenant --` runs).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { docxOf, pdfOf, sampleAgreement, scannedPdf } from './standards.clauses.samples.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const demo = path.join(root, 'src/modules/standards/demo/agreement.txt');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(args: string[], options: { via?: 'bin' | 'cli'; stdin?: Buffer } = {}): Promise<Run> {
  const entry = options.via === 'cli' ? ['--import', 'tsx', 'src/cli.ts'] : ['bin/covenant.js'];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...entry, 'clauses', ...args], {
      cwd: root,
      env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'silent' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.stdin ?? Buffer.alloc(0));
  });
}

const lines = (out: string) =>
  out
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('covenant clauses check', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'clauses-cli-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, data: string | Buffer) => {
    const p = path.join(dir, name);
    writeFileSync(p, data);
    return p;
  };

  test('the demo agreement: one JSON object per line per finding, offsets into the file text', async () => {
    const result = await run(['check', demo]);
    assert.equal(result.code, 0, result.stderr);
    const text = readFileSync(demo, 'utf8');
    const findings = lines(result.stdout);
    assert.deepEqual(
      findings.map((f) => f.rule),
      ['A1', 'A3', 'A3', 'A2'],
    );
    for (const f of findings) {
      assert.deepEqual(Object.keys(f), ['rule', 'start', 'end', 'text', 'why']);
      assert.equal(text.slice(f.start as number, f.end as number), f.text);
      assert.ok(typeof f.why === 'string' && f.why.length > 40);
    }
  });

  test('npm run covenant -- (src/cli.ts) prints the same', async () => {
    const [viaBin, viaCli] = await Promise.all([run(['check', demo]), run(['check', demo], { via: 'cli' })]);
    assert.equal(viaCli.code, 0);
    assert.equal(viaCli.stdout, viaBin.stdout);
  });

  test('a clean text prints nothing and exits 0; so does an empty file', async () => {
    const clean = await run(['check', file('clean.txt', 'The Grantee shall keep accurate records.\n')]);
    assert.deepEqual([clean.code, clean.stdout], [0, '']);
    const empty = await run(['check', file('empty.txt', '')]);
    assert.deepEqual([empty.code, empty.stdout], [0, '']);
  });

  test('DOCX and PDF: offsets into the extracted text', async () => {
    const docx = await run(['check', file('a.docx', docxOf(sampleAgreement))]);
    assert.equal(docx.code, 0, docx.stderr);
    const text = sampleAgreement.join('\n');
    const found = lines(docx.stdout);
    assert.deepEqual(
      found.map((f) => f.rule),
      ['A3', 'A1'],
    );
    for (const f of found) assert.equal(text.slice(f.start as number, f.end as number), f.text);
    const pdf = await run(['check', file('a.pdf', pdfOf(sampleAgreement.map((s) => s.replace(/’/g, "'"))))]);
    assert.equal(pdf.code, 0, pdf.stderr);
    assert.equal(lines(pdf.stdout).length, 2);
  });

  test('standard input with -', async () => {
    const result = await run(['check', '-'], { stdin: Buffer.from(sampleAgreement[2]!) });
    assert.equal(result.code, 0);
    assert.equal(lines(result.stdout)[0]?.rule, 'A1');
  });

  test('unreadable: missing file, a folder, a scanned PDF, a binary file: non-zero, reason on stderr', async () => {
    const missing = await run(['check', path.join(dir, 'no-such-file.txt')]);
    assert.notEqual(missing.code, 0);
    assert.equal(missing.stdout, '');
    assert.match(missing.stderr, /no such file/);
    const folder = await run(['check', dir]);
    assert.notEqual(folder.code, 0);
    assert.match(folder.stderr, /folder/);
    const scanned = await run(['check', file('scan.pdf', scannedPdf())]);
    assert.notEqual(scanned.code, 0);
    assert.match(scanned.stderr, /no text layer/);
    const binary = await run(['check', file('x.bin', Buffer.concat([Buffer.from('MZ'), Buffer.alloc(64)]))]);
    assert.notEqual(binary.code, 0);
  });

  test('usage errors exit 2', async () => {
    const none = await run(['check']);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /Usage/);
  });
});
