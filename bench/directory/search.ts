/**
 * Directory search with 200,000 organisations on PostgreSQL (issue 3 acceptance: p95 ≤ 50 ms at 20
 * concurrent requests), through the real HTTP route.
 *
 *   npm run bench -- directory
 *
 * Creates a fresh database `covenant_bench` (PostgreSQL at 127.0.0.1:5432, trust auth as postgres, or
 * BENCH_PG_URL), migrates it, loads the reference bodies, generates 200,000 organisations, then runs
 * autocannon on loopback: 20 connections for 20 seconds (at most 100,000 requests) cycling through searches
 * that real visitors make — names, prefixes, codes, filters alone and together, later pages.
 */
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { directoryPaths as p } from '../../src/modules/directory/directory.paths.ts';
import { fmt, freshDatabase, load, pgServerUrl, startApp } from '../support.ts';
import { generateOrganisations } from './generate.ts';

export const searchTarget = { p95Ms: 50, connections: 20 };

const searches: Record<string, string>[] = [
  { q: 'food bank' },
  { q: 'riverside' },
  { q: 'leeds' },
  { q: 'Department for Education' },
  { q: 'E08000035' },
  { q: 'youth project', nation: 'wales' },
  { q: 'mental health', kind: 'cso', income: 'small' },
  { q: 'hosp' },
  { q: 'carers network trust' },
  { kind: 'cso', nation: 'scotland' },
  { kind: 'cso', area: 'housing', region: 'North West' },
  { type: 'local_authority' },
  { kind: 'public_body', nation: 'england', page: '3' },
  {},
  { page: '5' },
  { q: 'community', page: '2' },
];

export async function runDirectoryBench(options: { count?: number; seconds?: number } = {}) {
  const count = options.count ?? 200_000;
  // BENCH_REUSE=1 keeps an existing covenant_bench database (to iterate on the search, not the generator).
  const reuse = process.env.BENCH_REUSE === '1';
  const url = reuse ? `${pgServerUrl}/covenant_bench` : await freshDatabase('covenant_bench');
  // BENCH_NO_CACHE=1 turns the page cache off, so every search reaches PostgreSQL (the benchmark repeats 16
  // searches, which the cache would otherwise answer from memory after the first of each).
  const noCache = process.env.BENCH_NO_CACHE === '1';
  const running = await startApp(url, noCache ? { pageCacheOptions: { maxEntries: 0 } } : {});
  try {
    let generateSeconds = 0;
    if (!reuse) {
      await running.deps.directory.ensureReferenceData();
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      generateSeconds = await generateOrganisations(client, count);
      await client.end();
      console.log(
        `directory: generated ${fmt(count, 0)} organisations in ${fmt(generateSeconds)} s (target < 60 s)`,
      );
    }

    const requests = searches.map((query) => ({ path: p.search(query) }));
    // Warm the pool, the plan cache and the page cache's neighbours before measuring.
    await load(running.baseUrl, requests, { connections: 4, seconds: 2, maxRequests: 400 });
    const result = await load(running.baseUrl, requests, {
      connections: searchTarget.connections,
      seconds: options.seconds ?? 20,
      maxRequests: 100_000,
    });
    const ok = result.p95 <= searchTarget.p95Ms && result.errors === 0 && !result.statuses['500'];
    console.log(
      `directory${noCache ? ' (page cache off)' : ''}: search p95 ${fmt(result.p95)} ms (p50 ${fmt(result.p50)}, p99 ${fmt(result.p99)}) at ${searchTarget.connections} concurrent requests, ${fmt(result.perSecond, 0)} req/s, ${fmt(result.requests, 0)} requests, statuses ${JSON.stringify(result.statuses)} — target p95 ≤ ${searchTarget.p95Ms} ms: ${ok ? 'met' : 'NOT met'}`,
    );
    return { generateSeconds, ...result, ok };
  } finally {
    await running.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await runDirectoryBench();
