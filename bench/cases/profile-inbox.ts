/**
 * Where an inbox request's time goes, without HTTP: the service calls the inbox page makes (the page of
 * cases with its count, and the filter choices), timed one at a time for the busiest body's officer on the
 * inbox benchmark's database (run `npm run bench -- inbox` once first).
 *
 *   node --import tsx bench/cases/profile-inbox.ts      (BENCH_PG_URL to point elsewhere)
 *
 * Prints the median and the slowest of 7 runs of each, in milliseconds.
 */
import pg from 'pg';
import { createDeps } from '../../src/container.ts';
import { benchConfig, fmt, pgServerUrl } from '../support.ts';

const url = `${pgServerUrl}/covenant_bench_inbox`;
const deps = await createDeps(benchConfig(url), { runWorker: false });
try {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const {
    rows: [officer],
  } = await client
    .query<{ id: string }>(`select id from users where email = 'officer-0-0@bench.invalid'`)
    .finally(() => client.end());
  if (!officer) throw new Error('No generated officer: run `npm run bench -- inbox` first.');
  const user = (await deps.sessionsRepository.loadUser(officer.id))!;
  const filters: Record<string, Record<string, string>> = {
    none: {},
    'state with_body': { state: 'with_body' },
    'deadline overdue': { deadline: 'overdue' },
    'category funding': { category: 'funding' },
    'assignee me': { assignee: 'me' },
    unassigned: { assignee: 'unassigned' },
    'oldest, page 40': { sort: 'oldest', page: '40' },
    'words "grant notice"': { q: 'grant notice' },
  };
  const time = async (fn: () => Promise<unknown>) => {
    const runs: number[] = [];
    for (let i = 0; i < 7; i++) {
      const t = performance.now();
      await fn();
      runs.push(performance.now() - t);
    }
    runs.sort((a, b) => a - b);
    return `median ${fmt(runs[3]!).padStart(7)}  max ${fmt(runs[6]!).padStart(7)}`;
  };
  console.log(`inbox options (filter choices): ${await time(() => deps.cases.inboxOptions(user))}`);
  for (const [name, f] of Object.entries(filters)) {
    const parsed = { ...f, page: f.page ? Number(f.page) : undefined } as Parameters<
      typeof deps.cases.inbox
    >[1];
    console.log(`inbox ${name.padEnd(22)}: ${await time(() => deps.cases.inbox(user, parsed))}`);
  }
} finally {
  await deps.db.close();
}
