/**
 * One command for the benchmarks:
 *
 *   npm run bench -- directory      directory search p95 with 200,000 organisations on PostgreSQL
 *   npm run bench -- public-pages   the Covenant page and a body's page against a bare Fastify route
 *   npm run bench -- analysis       the thematic analysis engine (bench/analysis/bench.ts)
 *   npm run bench -- clauses        precision and recall of the agreement clause checker (no database)
 *   npm run bench -- submissions    report submissions per second through POST /report/submit on PostgreSQL
 *   npm run bench -- inbox          body inbox and register search p95 with 1,000,000 generated cases
 *   npm run bench -- surveys        annual review results page p95 for a question with 1,000,000 answers
 *   npm run bench -- scorecards     a body's scorecard page p95 with 1,000,000 cases and 100,000 survey answers
 *   npm run bench -- consultations  consultation analysis pages p95 with 20,000 responses and 200,000 comments
 *   npm run bench -- all            all of them, one after another
 *
 * The HTTP benchmarks need PostgreSQL at 127.0.0.1:5432 with trust auth for `postgres` (or BENCH_PG_URL).
 * Exit code 1 when a target is not met.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runDirectoryBench } from './directory/search.ts';
import { runPublicPagesBench } from './public-pages.ts';
import { runClausesBench } from './clauses/evaluate.ts';
import { runSubmissionsBench } from './cases/submissions.ts';
import { runInboxBench } from './cases/inbox.ts';
import { runSurveysBench } from './surveys/results.ts';
import { runScorecardsBench } from './scorecards/page.ts';
import { runConsultationsBench } from './consultations/analysis.ts';

const runAnalysis = async () => {
  // Each analysis case runs in its own child process for its own peak memory; run the script as it is.
  const script = fileURLToPath(new URL('./analysis/bench.ts', import.meta.url));
  const child = spawnSync(process.execPath, ['--import', 'tsx', script], { stdio: 'inherit' });
  return { ok: child.status === 0 };
};

const benches: Record<string, () => Promise<{ ok: boolean }>> = {
  directory: () => runDirectoryBench(),
  'public-pages': () => runPublicPagesBench(),
  analysis: runAnalysis,
  clauses: () => runClausesBench(),
  submissions: () => runSubmissionsBench(),
  inbox: () => runInboxBench(),
  surveys: () => runSurveysBench(),
  scorecards: () => runScorecardsBench(),
  consultations: () => runConsultationsBench(),
};

const wanted = process.argv.slice(2);
const names = wanted.includes('all') ? Object.keys(benches) : wanted;
if (names.length === 0 || names.some((n) => !benches[n])) {
  console.error(`Usage: npm run bench -- ${[...Object.keys(benches), 'all'].join('|')}`);
  process.exit(2);
}
let ok = true;
for (const name of names) {
  console.log(`\n== ${name} ==`);
  ok = (await benches[name]!()).ok && ok;
}
process.exitCode = ok ? 0 : 1;
