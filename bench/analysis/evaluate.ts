/**
 * Evaluation of the analysis engine on the labelled set in test/fixtures/analysis (issue 8, item 4):
 *   node --import tsx bench/analysis/evaluate.ts
 * For 5%, 10% and 20% of answers coded (5 seeded random samples each) it prints the mean ± sd of macro- and
 * micro-F1 of suggested codes on the uncoded answers, then the NMI between automatic themes and each
 * answer's first true code (3 seeds). Defaults are the engine's own; nothing here searches parameters.
 */
import { readFile } from 'node:fs/promises';
import { suggestCodes } from '../../src/modules/analysis/core/classify.ts';
import { decodeCsvBytes, readCsvTable } from '../../src/modules/analysis/core/csv.ts';
import { multiLabelScores, normalisedMutualInformation } from '../../src/modules/analysis/core/metrics.ts';
import { createRng, sampleIndices } from '../../src/modules/analysis/core/prng.ts';
import { discoverThemes } from '../../src/modules/analysis/core/themes.ts';
import type { Answer } from '../../src/modules/analysis/core/types.ts';

const FIXTURES = new URL('../../test/fixtures/analysis/', import.meta.url);
const FRACTIONS = [0.05, 0.1, 0.2];
const SAMPLES = 5;
const THEME_SEEDS = [1, 2, 3];

async function table(name: string, required: string[]): Promise<Record<string, string>[]> {
  const text = decodeCsvBytes(await readFile(new URL(name, FIXTURES)));
  return readCsvTable(text, { required, fileLabel: name }).records;
}

function meanSd(values: number[]): string {
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  const sd = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / Math.max(1, values.length - 1));
  return `${mean.toFixed(3)} ± ${sd.toFixed(3)}`;
}

const answers: Answer[] = (await table('answers.csv', ['id', 'text'])).map((r) => ({
  id: r.id as string,
  text: r.text as string,
}));
const truth = new Map(
  (await table('truth.csv', ['id', 'labels'])).map((r) => [r.id as string, (r.labels as string).split('|')]),
);
const codes = new Set([...truth.values()].flat());
console.log(`Evaluation set: ${answers.length} answers, ${codes.size} codes\n`);
console.log('Suggested codes (uncoded answers only), mean ± sd over 5 random samples:');
console.log('coded   answers  macro-F1         micro-F1         seconds');
for (const fraction of FRACTIONS) {
  const macro: number[] = [];
  const micro: number[] = [];
  const count = Math.round(answers.length * fraction);
  const started = performance.now();
  for (let s = 1; s <= SAMPLES; s++) {
    const picked = sampleIndices(answers.length, count, createRng(`eval-${fraction}-${s}`));
    const coded = picked.map((i) => {
      const id = (answers[i] as Answer).id;
      return { id, labels: truth.get(id) as string[] };
    });
    const suggestions = suggestCodes({ answers, coded, options: { seed: s } });
    const report = multiLabelScores(new Map(suggestions.map((x) => [x.id, x.labels])), truth);
    macro.push(report.macro.f1);
    micro.push(report.micro.f1);
  }
  const seconds = (performance.now() - started) / 1000 / SAMPLES;
  console.log(
    `${String(Math.round(fraction * 100)).padStart(3)}%    ${String(count).padStart(5)}    ${meanSd(macro)}    ${meanSd(micro)}    ${seconds.toFixed(2)}`,
  );
}

console.log('\nThemes (automatic k) vs first true code:');
const nmis: number[] = [];
for (const seed of THEME_SEEDS) {
  const result = discoverThemes(answers, { seed });
  const ids = result.assignments.filter((a) => truth.has(a.id));
  const nmi = normalisedMutualInformation(
    ids.map((a) => a.themes[0] as string),
    ids.map((a) => (truth.get(a.id) as string[])[0] as string),
  );
  nmis.push(nmi);
  console.log(`  seed ${seed}: k = ${result.k}, NMI = ${nmi.toFixed(3)}`);
}
console.log(`NMI mean ± sd: ${meanSd(nmis)}`);
