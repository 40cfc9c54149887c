/**
 * Precision and recall of the agreement clause checker on the written-for-purpose corpus:
 *
 *   npm run bench -- clauses          (or: node --import tsx bench/clauses/evaluate.ts [--mistakes])
 *
 * Prints figures for the tuning part and the held-out part separately. Exit code 1 when precision or recall
 * on either part is below 0.9. `--mistakes` lists the clauses it got wrong (for the tuning part only: the
 * held-out part is not looked at while tuning).
 */
import { fileURLToPath } from 'node:url';
import { readCorpus, scoreCorpus } from '../../src/modules/standards/clauses/corpus.ts';

const dir = fileURLToPath(new URL('../../test/fixtures/clauses/', import.meta.url));
const fmt = (n: number) => n.toFixed(3);

export async function runClausesBench(options: { mistakes?: boolean } = {}): Promise<{ ok: boolean }> {
  let ok = true;
  for (const part of ['tuning', 'heldout'] as const) {
    const score = scoreCorpus(readCorpus(`${dir}${part}.jsonl`));
    console.log(
      `${part.padEnd(8)} clauses ${score.clauses} (conflicting ${score.conflicting})  ` +
        `precision ${fmt(score.precision)}  recall ${fmt(score.recall)}  ` +
        `TP ${score.truePositives} FP ${score.falsePositives} FN ${score.falseNegatives}  ` +
        `rule right ${fmt(score.ruleAccuracy)}`,
    );
    if (options.mistakes && part === 'tuning') {
      for (const m of score.mistakes)
        console.log(`  ${m.id} expected ${m.expected} found [${m.found}] ${m.text}`);
    }
    ok = ok && score.precision >= 0.9 && score.recall >= 0.9;
  }
  return { ok };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { ok } = await runClausesBench({ mistakes: process.argv.includes('--mistakes') });
  process.exitCode = ok ? 0 : 1;
}
