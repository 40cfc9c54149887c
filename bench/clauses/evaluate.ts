/**
 * Precision and recall of the agreement clause checker on the written-for-purpose corpus:
 *
 *   npm run bench -- clauses          (or: node --import tsx bench/clauses/evaluate.ts [--mistakes])
 *
 * Prints figures for each part separately (tuning, held-out, extra, fresh, blind) and for all of them together, each with
 * its ratio to the 0.9 target (issue 5, Acceptance). Exit code 1 when precision or recall on any part is
 * below 0.9. `--mistakes` lists the clauses it got wrong (for the tuning part only: the other parts are not
 * looked at while tuning).
 */
import { fileURLToPath } from 'node:url';
import {
  readCorpus,
  scoreCorpus,
  type CorpusScore,
  type LabelledClause,
} from '../../src/modules/standards/clauses/corpus.ts';

const dir = fileURLToPath(new URL('../../test/fixtures/clauses/', import.meta.url));
const fmt = (n: number) => n.toFixed(3);

/** The target for precision and recall. */
export const CLAUSE_TARGET = 0.9;
export const CORPUS_PARTS = ['tuning', 'heldout', 'extra', 'fresh', 'blind'] as const;

function line(name: string, score: CorpusScore): string {
  const ratio = (n: number) => fmt(n / CLAUSE_TARGET);
  return (
    `${name.padEnd(8)} clauses ${String(score.clauses).padStart(3)} (conflicting ${score.conflicting})  ` +
    `precision ${fmt(score.precision)} (${ratio(score.precision)}× target)  ` +
    `recall ${fmt(score.recall)} (${ratio(score.recall)}× target)  ` +
    `TP ${score.truePositives} FP ${score.falsePositives} FN ${score.falseNegatives}  ` +
    `rule right ${fmt(score.ruleAccuracy)}`
  );
}

export async function runClausesBench(options: { mistakes?: boolean } = {}): Promise<{ ok: boolean }> {
  let ok = true;
  const all: LabelledClause[] = [];
  console.log(`target: precision and recall ≥ ${CLAUSE_TARGET} on every part`);
  for (const part of CORPUS_PARTS) {
    const clauses = readCorpus(`${dir}${part}.jsonl`);
    all.push(...clauses);
    const score = scoreCorpus(clauses);
    console.log(line(part, score));
    if (options.mistakes && part === 'tuning') {
      for (const m of score.mistakes)
        console.log(`  ${m.id} expected ${m.expected} found [${m.found}] ${m.text}`);
    }
    ok = ok && score.precision >= CLAUSE_TARGET && score.recall >= CLAUSE_TARGET;
  }
  console.log(line('all', scoreCorpus(all)));
  console.log(ok ? 'target met' : 'TARGET NOT MET');
  return { ok };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { ok } = await runClausesBench({ mistakes: process.argv.includes('--mistakes') });
  process.exitCode = ok ? 0 : 1;
}
