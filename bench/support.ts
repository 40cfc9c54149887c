/**
 * What the HTTP benchmarks share: a fresh PostgreSQL database (trust auth as `postgres` on 127.0.0.1:5432,
 * or BENCH_PG_URL), the real app on loopback (production settings: cached templates, no request logging),
 * and autocannon runs in a worker thread, bounded in time and requests, that report p95 from every response time.
 */
import type { AddressInfo } from 'node:net';
import { Worker } from 'node:worker_threads';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { createApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { createDeps, type Deps, type DepsOverrides } from '../src/container.ts';
import type { LoadJob, LoadOutcome } from './load-worker.ts';

export const pgServerUrl = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432';

/** Drops and creates `name`; returns its URL. */
export async function freshDatabase(name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: `${pgServerUrl}/postgres` });
  await admin.connect();
  try {
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  return `${pgServerUrl}/${name}`;
}

export interface RunningApp {
  deps: Deps;
  app: FastifyInstance;
  baseUrl: string;
  close(): Promise<void>;
}

/** The production app against `url`, listening on a free loopback port. */
/** Production settings for a benchmark's app on `url`: no worker, no demo data, silent logs. */
export function benchConfig(url: string) {
  return loadConfig({
    NODE_ENV: 'production',
    LOG_LEVEL: 'silent',
    DATABASE_URL: url,
    SECRET_KEY: 'bench-secret-key-that-is-long-enough-0123456789',
    METRICS_TOKEN: 'bench-metrics-token-0123456789',
    BASE_URL: 'http://127.0.0.1',
    COOKIE_SECURE: 'false',
    RUN_WORKER: 'false',
    DEMO_DATA: 'off',
  });
}

export async function startApp(url: string, overrides: DepsOverrides = {}): Promise<RunningApp> {
  const config = benchConfig(url);
  const deps = await createDeps(config, { runWorker: false, ...overrides });
  await deps.db.migrate();
  const app = await createApp(deps);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  return {
    deps,
    app,
    baseUrl: `http://127.0.0.1:${port}`,
    async close() {
      await app.close();
      await deps.db.close();
    },
  };
}

export interface LoadResult {
  requests: number;
  perSecond: number;
  p50: number;
  p95: number;
  p99: number;
  statuses: Record<string, number>;
  errors: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/**
 * Runs autocannon against `baseUrl` for `seconds` (and at most `maxRequests`), cycling through `requests`, in
 * a worker thread (load-worker.ts) so that parsing the responses does not share the app's event loop.
 * Latency percentiles come from every response, not autocannon's buckets (it has no p95).
 */
export async function load(
  baseUrl: string,
  requests: { path: string; headers?: Record<string, string> }[],
  options: { connections: number; seconds: number; maxRequests?: number; client?: 'autocannon' | 'raw' },
): Promise<LoadResult> {
  const job: LoadJob = { url: baseUrl, requests, ...options };
  // tsx's loader does not reach a worker's entry file: the worker registers it, then imports the TypeScript.
  const entry = new URL('./load-worker.ts', import.meta.url).href;
  const bootstrap = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); })`;
  const worker = new Worker(bootstrap, { eval: true, workerData: job });
  const outcome = await new Promise<LoadOutcome>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the load worker stopped (exit code ${code})`)));
  });
  await worker.terminate();
  const times = Array.from(outcome.times).sort((a, b) => a - b);
  return {
    requests: times.length,
    perSecond: times.length / (outcome.duration || options.seconds),
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    p99: percentile(times, 99),
    statuses: outcome.statuses,
    errors: outcome.errors,
  };
}

export interface AloneTiming<R> {
  request: R;
  /** Median and slowest of the runs, in milliseconds, and the last status. */
  median: number;
  max: number;
  status: number;
}

/**
 * Each request on its own, `runs` times in a row, before any load: the slow kinds of request stand out.
 * Redirects are not followed (a 303 counts as it is).
 */
export async function timeEachAlone<R extends { path: string; headers?: Record<string, string> }>(
  baseUrl: string,
  requests: R[],
  runs = 10,
): Promise<AloneTiming<R>[]> {
  const timings: AloneTiming<R>[] = [];
  for (const request of requests) {
    const times: number[] = [];
    let status = 0;
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      const res = await fetch(baseUrl + request.path, { headers: request.headers, redirect: 'manual' });
      await res.arrayBuffer();
      status = res.status;
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    const middle = Math.floor(runs / 2);
    const median = runs % 2 ? times[middle]! : (times[middle - 1]! + times[middle]!) / 2;
    timings.push({ request, median, max: times[runs - 1]!, status });
  }
  return timings;
}

export const fmt = (n: number, digits = 1) => n.toLocaleString('en-GB', { maximumFractionDigits: digits });
