import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runAnalyseCommand } from './analysis.cli.ts';
import { parseCsv } from './core/csv.ts';

const dir = mkdtempSync(join(tmpdir(), 'analyse-'));
const fixtures = fileURLToPath(new URL('../../../test/fixtures/analysis/', import.meta.url));

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  const code = await runAnalyseCommand(argv, { stdout, stderr });
  return { code, out, err };
}

// A small input written with CRLF, a BOM and quoted commas, like an Excel export.
const answersCsv = join(dir, 'answers.csv');
const lines = readFileSync(join(fixtures, 'answers.csv'), 'utf8').split('\n');
const rows = parseCsv(lines.join('\n')).slice(0, 161);
writeFileSync(
  answersCsv,
  `\ufeff${rows.map((r) => r.map((f) => `"${f.replaceAll('"', '""')}"`).join(',')).join('\r\n')}\r\n`,
);
const truthRows = parseCsv(readFileSync(join(fixtures, 'truth.csv'), 'utf8')).slice(0, 161);
const codedCsv = join(dir, 'coded.csv');
writeFileSync(
  codedCsv,
  truthRows
    .slice(0, 41)
    .map((r) => r.join(','))
    .join('\n'),
);

describe('covenant analyse', () => {
  it('themes writes the documented JSON shape', async () => {
    const output = join(dir, 'themes.json');
    const r = await run(['themes', '--input', answersCsv, '--k', '5', '--seed', '9', '--output', output]);
    assert.equal(r.code, 0, r.err);
    const json = JSON.parse(readFileSync(output, 'utf8')) as {
      themes: { id: string; label: string; keyPhrases: string[]; quotes: string[] }[];
      assignments: { id: string; themes: string[]; confidence: number }[];
    };
    assert.equal(json.themes.filter((t) => t.id.match(/^t\d+$/)).length, 5);
    assert.equal(json.assignments.length, 160);
    for (const a of json.assignments) assert.ok(a.themes.length > 0 && typeof a.confidence === 'number');
    // Same seed, same bytes.
    const second = join(dir, 'themes2.json');
    await run(['themes', '--input', answersCsv, '--k', '5', '--seed', '9', '--output', second]);
    assert.equal(readFileSync(second, 'utf8'), readFileSync(output, 'utf8'));
  });

  it('code writes id,labels,confidence for every uncoded answer, and evaluate scores it', async () => {
    const output = join(dir, 'suggested.csv');
    const r = await run(['code', '--input', answersCsv, '--coded', codedCsv, '--output', output]);
    assert.equal(r.code, 0, r.err);
    const out = parseCsv(readFileSync(output, 'utf8'));
    assert.deepEqual(out[0], ['id', 'labels', 'confidence']);
    assert.equal(out.length - 1, 120);
    const truthCsv = join(dir, 'truth.csv');
    writeFileSync(truthCsv, truthRows.map((x) => x.join(',')).join('\n'));
    const e = await run([
      'evaluate',
      '--predicted',
      output,
      '--truth',
      truthCsv,
      '--themes',
      join(dir, 'themes.json'),
    ]);
    assert.equal(e.code, 0, e.err);
    assert.match(e.out, /micro F1: 0\.\d{3}/);
    assert.match(e.out, /macro F1: 0\.\d{3}/);
    assert.match(e.out, /volunteers,\d\.\d{3},\d\.\d{3},\d\.\d{3},\d+/);
    assert.match(e.out, /NMI .*: 0\.\d{3}/);
  });

  it('returns 2 with a one-line message for usage errors', async () => {
    for (const argv of [
      [],
      ['frobnicate'],
      ['themes', '--input', answersCsv],
      ['themes', '--input', answersCsv, '--output', 'x', '--k', 'two'],
      ['code', '--bogus', '1'],
    ]) {
      const r = await run(argv);
      assert.equal(r.code, 2, argv.join(' '));
      assert.ok(r.err.length > 0);
    }
  });

  it('returns 1 for missing, mis-encoded or wrongly headed files', async () => {
    const missing = await run(['themes', '--input', join(dir, 'nope.csv'), '--output', join(dir, 'o.json')]);
    assert.equal(missing.code, 1);
    assert.match(missing.err, /cannot find/);
    const latin1 = join(dir, 'latin1.csv');
    writeFileSync(latin1, Buffer.from([...Buffer.from('id,text\n1,caf'), 0xe9, 0x0a]));
    const bad = await run(['themes', '--input', latin1, '--output', join(dir, 'o.json')]);
    assert.equal(bad.code, 1);
    assert.match(bad.err, /not valid UTF-8/);
    const wrong = join(dir, 'wrong.csv');
    writeFileSync(wrong, 'respondent,answer\n1,hello\n');
    const header = await run(['themes', '--input', wrong, '--output', join(dir, 'o.json')]);
    assert.equal(header.code, 1);
    assert.match(header.err, /expected "id,text"/);
    assert.equal(header.err.trim().split('\n').length, 1);
    const dup = join(dir, 'dup.csv');
    writeFileSync(dup, 'id,text\n1,a\n1,b\n');
    assert.equal((await run(['themes', '--input', dup, '--output', join(dir, 'o.json')])).code, 1);
  });
});
