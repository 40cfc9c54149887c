/**
 * Public pages for anonymous visitors (issue 3 acceptance): the Covenant page and a body's page, as a ratio of
 * a bare Fastify route's throughput measured in the same run on the same machine (target ≥ 0.25), and p95
 * latency at 50 concurrent connections. Each page is measured as browsers ask for it (Accept-Encoding):
 * first visits (200, the HTML rendered once per ETag, gzipped once, served from memory as bytes) and repeat
 * visits that send If-None-Match (304, no body); and, shown but not judged, first visits from a client that
 * accepts no encoding. The load comes from the minimal client in load-worker.ts (BENCH_CLIENT=autocannon
 * for autocannon), so that decoding 29 kB answers does not take the app's second core.
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

/** What browsers send (Chrome's value). */
const browser = { 'accept-encoding': 'gzip, deflate, br, zstd' };

export async function runPublicPagesBench(options: { seconds?: number } = {}) {
  const seconds = options.seconds ?? 10;
  // BENCH_CLIENT=autocannon measures with autocannon instead of the minimal client (see load-worker.ts).
  const client = process.env.BENCH_CLIENT === 'autocannon' ? 'autocannon' : 'raw';
  const run = (baseUrl: string, path: string, headers?: Record<string, string>) =>
    load(baseUrl, [{ path, headers }], {
      connections: publicPagesTarget.connections,
      seconds,
      maxRequests: 400_000,
      client,
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
    await run(bareUrl, '/bare', browser); // warm-up
    rows.push({ name: 'bare Fastify route', result: await run(bareUrl, '/bare', browser) });
    for (const [name, path] of Object.entries(pages)) {
      const first = await fetch(running.baseUrl + path);
      if (first.status !== 200) throw new Error(`${path} answered ${first.status}`);
      const etag = first.headers.get('etag');
      if (!etag) throw new Error(`${path} sent no ETag`);
      // As browsers ask (Accept-Encoding): a first visit gets the page gzipped once per ETag, a repeat
      // visit sends If-None-Match and gets 304. These two are judged.
      rows.push({ name: `${name} (200)`, result: await run(running.baseUrl, path, browser) });
      rows.push({
        name: `${name} (304)`,
        result: await run(running.baseUrl, path, { ...browser, 'if-none-match': etag }),
      });
      // A client that accepts no encoding (curl, some bots): the 29 kB as they are. Shown, not judged.
      rows.push({ name: `${name} (200, identity)`, result: await run(running.baseUrl, path) });
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
    const judged = name !== 'bare Fastify route' && !name.includes('identity');
    if (failed || (judged && ratio < publicPagesTarget.ratio)) ok = false;
    console.log(
      `public-pages: ${name.padEnd(29)} ${fmt(result.perSecond, 0).padStart(7)} req/s  ratio ${ratio.toFixed(2)}  p95 ${fmt(result.p95)} ms (p50 ${fmt(result.p50)}, p99 ${fmt(result.p99)})  statuses ${JSON.stringify(result.statuses)}`,
    );
  }
  console.log(
    `public-pages: target ratio ≥ ${publicPagesTarget.ratio} at ${publicPagesTarget.connections} connections: ${ok ? 'met' : 'NOT met'}`,
  );
  return { rows, ok };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await runPublicPagesBench();
