/**
 * One autocannon run in a worker thread (see `load` in support.ts): the load generator parses every response
 * on its own thread, so its work neither delays the app's event loop nor counts as the app's time.
 * Posts back every response time and status, so percentiles come from all of them.
 */
import { parentPort, workerData } from 'node:worker_threads';
import autocannon from 'autocannon';

export interface LoadJob {
  url: string;
  requests: { path: string; headers?: Record<string, string> }[];
  connections: number;
  seconds: number;
  maxRequests?: number;
}

export interface LoadOutcome {
  times: Float64Array;
  statuses: Record<string, number>;
  duration: number;
  errors: number;
}

const job = workerData as LoadJob;
const times: number[] = [];
const statuses: Record<string, number> = {};
const instance = autocannon({
  url: job.url,
  connections: job.connections,
  duration: job.seconds,
  requests: job.requests.map((r) => ({ method: 'GET', path: r.path, headers: r.headers })),
});
instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
  times.push(responseTime);
  statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
  // autocannon's `amount` would override `duration`: bound the run by both here instead.
  if (job.maxRequests && times.length === job.maxRequests) instance.stop();
});
const result = await instance;
const outcome: LoadOutcome = {
  times: Float64Array.from(times),
  statuses,
  duration: result.duration,
  errors: result.errors + result.timeouts,
};
parentPort!.postMessage(outcome, [outcome.times.buffer as ArrayBuffer]);
