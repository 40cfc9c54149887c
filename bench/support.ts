/**
 * What the HTTP benchmarks share: a fresh PostgreSQL database (trust auth as `postgres` on 127.0.0.1:5432,
 * or BENCH_PG_URL), the real app on loopback (production settings: cached templates, no request logging),
 * and autocannon runs bounded in time and requests that report p95 from every response time.
 */
import type { AddressInfo } from 'node:net';
import autocannon from 'autocannon';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { createApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { createDeps, type Deps, type DepsOverrides } from '../src/container.ts';

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
 * Runs autocannon against `baseUrl` for `seconds` (and at most `maxRequests`), cycling through `requests`.
 * Latency percentiles come from every response, not autocannon's buckets (it has no p95).
 */
export async function load(
  baseUrl: string,
  requests: { path: string; headers?: Record<string, string> }[],
  options: { connections: number; seconds: number; maxRequests?: number },
): Promise<LoadResult> {
  const times: number[] = [];
  const statuses: Record<string, number> = {};
  const instance = autocannon({
    url: baseUrl,
    connections: options.connections,
    duration: options.seconds,
    requests: requests.map((r) => ({ method: 'GET', path: r.path, headers: r.headers })),
  });
  instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
    times.push(responseTime);
    statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
    // autocannon's `amount` would override `duration`: bound the run by both here instead.
    if (options.maxRequests && times.length === options.maxRequests) instance.stop();
  });
  const result = await instance;
  times.sort((a, b) => a - b);
  return {
    requests: times.length,
    perSecond: times.length / (result.duration || options.seconds),
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    p99: percentile(times, 99),
    statuses,
    errors: result.errors + result.timeouts,
  };
}

export const fmt = (n: number, digits = 1) => n.toLocaleString('en-GB', { maximumFractionDigits: digits });
