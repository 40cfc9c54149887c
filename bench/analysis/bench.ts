/**
 * Benchmarks for the analysis engine (issue 8 acceptance):
 *   node --import tsx bench/analysis/bench.ts
 * Targets on the 2-core machine: themes 10,000 answers ≤ 5 s, 100,000 ≤ 60 s, code 100,000 ≤ 30 s, peak
 * memory ≤ 2 GiB. Each case runs in its own child process so its peak RSS is its own.
 *
 * Synthetic answers are made deterministically by recombining sentences of the evaluation set (fine for
 * timing, meaningless for quality), with a number or place woven in so that most answers are distinct texts
 * and the tokeniser's duplicate cache does not flatter the figures.
 */
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { suggestCodes } from '../../src/modules/analysis/core/classify.ts';
import { decodeCsvBytes, readCsvTable } from '../../src/modules/analysis/core/csv.ts';
import { createRng, randomInt } from '../../src/modules/analysis/core/prng.ts';
import { discoverThemes } from '../../src/modules/analysis/core/themes.ts';
import type { Answer, CodedAnswer } from '../../src/modules/analysis/core/types.ts';

const FIXTURES = new URL('../../test/fixtures/analysis/', import.meta.url);
const PLACES = [
  'Leeds',
  'Swansea',
  'Carlisle',
  'Hackney',
  'Norfolk',
  'Bolton',
  'Derry',
  'Truro',
  'Ipswich',
  'Wrexham',
];

type Synthetic = { answers: Answer[]; labels: Map<string, string[]> };

async function synthesise(count: number): Promise<Synthetic> {
  const read = async (name: string, required: string[]) =>
    readCsvTable(decodeCsvBytes(await readFile(new URL(name, FIXTURES))), { required }).records;
  const source = await read('answers.csv', ['id', 'text']);
  const truth = new Map(
    (await read('truth.csv', ['id', 'labels'])).map((r) => [r.id, (r.labels as string).split('|')]),
  );
  const sentences: { text: string; labels: string[] }[] = [];
  for (const r of source) {
    for (const s of (r.text as string).split(/(?<=[.!?])\s+/)) {
      if (s.trim().length > 0) sentences.push({ text: s.trim(), labels: truth.get(r.id as string) ?? [] });
    }
  }
  const rng = createRng('bench');
  const answers: Answer[] = [];
  const labels = new Map<string, string[]>();
  for (let i = 0; i < count; i++) {
    const parts = 1 + randomInt(rng, 4);
    const texts: string[] = [];
    const own = new Set<string>();
    for (let p = 0; p < parts; p++) {
      const s = sentences[randomInt(rng, sentences.length)] as { text: string; labels: string[] };
      texts.push(s.text);
      if (p === 0) s.labels.forEach((l) => own.add(l));
    }
    texts.push(
      `We are based in ${PLACES[randomInt(rng, PLACES.length)]} and support ${10 + randomInt(rng, 5000)} people.`,
    );
    const id = `s${i + 1}`;
    answers.push({ id, text: texts.join(' ') });
    labels.set(id, [...own]);
  }
  return { answers, labels };
}

async function worker(kind: string, count: number): Promise<void> {
  const data = await synthesise(count);
  const started = performance.now();
  let detail: string;
  if (kind === 'themes') {
    const result = discoverThemes(data.answers, { seed: 1 });
    detail = `k=${result.k}`;
  } else {
    // 5% coded, the smallest share the issue asks about.
    const coded: CodedAnswer[] = data.answers
      .filter((_, i) => i % 20 === 0)
      .map((a) => ({ id: a.id, labels: data.labels.get(a.id) as string[] }));
    const out = suggestCodes({ answers: data.answers, coded, options: { seed: 1 } });
    detail = `${coded.length} coded, ${out.length} suggested`;
  }
  const seconds = (performance.now() - started) / 1000;
  const peakMiB = process.resourceUsage().maxRSS / 1024;
  console.log(JSON.stringify({ kind, count, seconds, peakMiB, detail }));
}

const [mode, kind, countText] = process.argv.slice(2);
if (mode === 'worker') {
  await worker(kind as string, Number(countText));
} else {
  const cases: [string, number, number][] = [
    ['themes', 10000, 5],
    ['themes', 100000, 60],
    ['code', 100000, 30],
  ];
  console.log('case              answers   seconds  target  peak RSS (MiB)  notes');
  for (const [k, n, target] of cases) {
    const out = execFileSync(
      process.execPath,
      ['--import', 'tsx', fileURLToPath(import.meta.url), 'worker', k, String(n)],
      {
        encoding: 'utf8',
        maxBuffer: 1 << 20,
      },
    );
    const r = JSON.parse(out.trim().split('\n').pop() as string) as {
      seconds: number;
      peakMiB: number;
      detail: string;
    };
    console.log(
      `${k.padEnd(16)}  ${String(n).padStart(7)}  ${r.seconds.toFixed(2).padStart(8)}  ${`≤ ${target}`.padStart(6)}  ${r.peakMiB.toFixed(0).padStart(14)}  ${r.detail}${r.seconds > target ? '  OVER TARGET' : ''}`,
    );
  }
}
