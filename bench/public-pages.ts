/**
 * Public pages for anonymous visitors (issue 3 acceptance): the Covenant page and a body's page, as a ratio of
 * a bare Fastify route's throughput measured in the same run on the same machine (target ≥ 0.25), and p95
 * latency at 50 concurrent connections. Each page is measured twice: first visits (200, the HTML rendered
 * once per ETag and served from memory with a fresh CSP nonce) and repeat visits that send If-None-Match
 * (304, no body).
 *
 *   npm run bench -- public-pages
 *
 * Uses a fresh PostgreSQL database `covenant_bench_pages` (127.0.0.1:5432 or BENCH_PG_URL) with the
 * reference data. Every run is 50 connections for 10 seconds, at most 400,000 requests.
 */
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { ensureCovenantReference } from '../src/modules/covenant/covenant.seed.ts';
import { covenantPaths } from '../src/modules/covenant/covenant.paths.ts';
import { directoryPaths } from '../src/modules/directory/directory.paths.ts';
import { fmt, freshDatabase, load, startApp, type LoadResult } from './support.ts';

export const publicPagesTarget = { ratio: 0.25, connections: 50 };

export async function runPublicPagesBench(options: { seconds?: number } = {}) {
  const seconds = options.seconds ?? 10;
  const run = (baseUrl: string, path: string, headers?: Record<string, string>) =>
    load(baseUrl, [{ path, headers }], {
      connections: publicPagesTarget.connections,
      seconds,
      maxRequests: 400_000,
    });

  const bare = Fastify();
  bare.get('/bare', () => 'ok');
  await bare.listen({ host: '127.0.0.1', port: 0 });
  const bareUrl = `http://127.0.0.1:${(bare.server.address() as AddressInfo).port}`;

  const url = await freshDatabase('covenant_bench_pages');
  const running = await startApp(url);
  const rows: { name: string; result: LoadResult }[] = [];
  try {
    await ensureCovenantReference(running.deps.db, running.deps.clock);
    await running.deps.directory.ensureReferenceData();
    const pages = {
      'Covenant page': covenantPaths.show(),
      "A body's page": directoryPaths.body({ slug: 'department-for-culture-media-and-sport' }),
    };
    await run(bareUrl, '/bare'); // warm-up
    rows.push({ name: 'bare Fastify route', result: await run(bareUrl, '/bare') });
    for (const [name, path] of Object.entries(pages)) {
      const first = await fetch(running.baseUrl + path);
      if (first.status !== 200) throw new Error(`${path} answered ${first.status}`);
      const etag = first.headers.get('etag');
      if (!etag) throw new Error(`${path} sent no ETag`);
      rows.push({ name: `${name} (200)`, result: await run(running.baseUrl, path) });
      rows.push({
        name: `${name} (304)`,
        result: await run(running.baseUrl, path, { 'if-none-match': etag }),
      });
    }
  } finally {
    await running.close();
    await bare.close();
  }

  const base = rows[0]!.result.perSecond;
  let ok = true;
  for (const { name, result } of rows) {
    const ratio = result.perSecond / base;
    const failed = result.errors > 0 || Object.keys(result.statuses).some((s) => s.startsWith('5'));
    if (name !== 'bare Fastify route' && (ratio < publicPagesTarget.ratio || failed)) ok = false;
    console.log(
      `public-pages: ${name.padEnd(22)} ${fmt(result.perSecond, 0).padStart(7)} req/s  ratio ${ratio.toFixed(2)}  p95 ${fmt(result.p95)} ms (p50 ${fmt(result.p50)}, p99 ${fmt(result.p99)})  statuses ${JSON.stringify(result.statuses)}`,
    );
  }
  console.log(
    `public-pages: target ratio ≥ ${publicPagesTarget.ratio} at ${publicPagesTarget.connections} connections: ${ok ? 'met' : 'NOT met'}`,
  );
  return { rows, ok };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await runPublicPagesBench();
