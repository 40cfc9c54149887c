/**
 * One autocannon run in a worker thread (see `load` in support.ts): the load generator parses every response
 * on its own thread, so its work neither delays the app's event loop nor counts as the app's time.
 * Posts back every response time and status, so percentiles come from all of them.
 *
 * `client: 'raw'` uses a minimal keep-alive HTTP/1.1 client instead (rawLoad below): it reads each answer's
 * status line and Content-Length and skips the body bytes without decoding them. autocannon's parser turns
 * every response into a string, which for a 29 kB page costs the load generator more than the app spends
 * sending it; on two cores that cost is taken from the app being measured.
 */
import { connect, type Socket } from 'node:net';
import { parentPort, workerData } from 'node:worker_threads';
import autocannon from 'autocannon';

export interface LoadJob {
  url: string;
  requests: { path: string; headers?: Record<string, string> }[];
  connections: number;
  seconds: number;
  maxRequests?: number;
  client?: 'autocannon' | 'raw';
}

export interface LoadOutcome {
  times: Float64Array;
  statuses: Record<string, number>;
  duration: number;
  errors: number;
}

const HEADER_END = Buffer.from('\r\n\r\n');

/** `connections` keep-alive sockets, each sending the next request when the previous answer has arrived. */
function rawLoad(job: LoadJob): Promise<LoadOutcome> {
  const target = new URL(job.url);
  const port = Number(target.port);
  const requests = job.requests.map((r) =>
    Buffer.from(
      `GET ${r.path} HTTP/1.1\r\nHost: ${target.host}\r\n` +
        Object.entries(r.headers ?? {})
          .map(([k, v]) => `${k}: ${v}\r\n`)
          .join('') +
        '\r\n',
      'latin1',
    ),
  );
  const times: number[] = [];
  const statuses: Record<string, number> = {};
  let errors = 0;
  let sent = 0;
  const started = performance.now();
  const deadline = started + job.seconds * 1000;
  const max = job.maxRequests ?? Infinity;
  return new Promise((resolve) => {
    let open = job.connections;
    const finish = () => {
      if (--open > 0) return;
      resolve({
        times: Float64Array.from(times),
        statuses,
        duration: (performance.now() - started) / 1000,
        errors,
      });
    };
    for (let c = 0; c < job.connections; c++) {
      const socket: Socket = connect({ host: target.hostname, port, noDelay: true });
      let head: Buffer | null = null;
      let skip = -1; // body bytes still to come; -1 while reading the head
      let status = 0;
      let sentAt = 0;
      const sendNext = () => {
        if (performance.now() >= deadline || sent >= max) return socket.end();
        sentAt = performance.now();
        socket.write(requests[sent++ % requests.length]!);
      };
      const done = () => {
        times.push(performance.now() - sentAt);
        statuses[status] = (statuses[status] ?? 0) + 1;
        skip = -1;
        sendNext();
      };
      socket.on('connect', sendNext);
      socket.on('data', (chunk: Buffer) => {
        let data: Buffer = chunk;
        while (data.length > 0) {
          if (skip > 0) {
            const n = Math.min(skip, data.length);
            skip -= n;
            data = data.subarray(n);
            if (skip === 0) done();
            continue;
          }
          head = head ? Buffer.concat([head, data]) : data;
          const end = head.indexOf(HEADER_END);
          if (end < 0) return;
          const text = head.toString('latin1', 0, end);
          data = head.subarray(end + 4);
          head = null;
          status = Number(text.slice(9, 12));
          const length = /\r\ncontent-length:\s*(\d+)/i.exec(text);
          if (!length && status !== 304 && status !== 204) {
            errors++; // only answers with a Content-Length are understood
            return socket.destroy();
          }
          skip = length ? Number(length[1]) : 0;
          if (skip === 0) done();
        }
      });
      socket.on('error', () => errors++);
      socket.on('close', finish);
    }
  });
}

const job = workerData as LoadJob;
if (job.client === 'raw') {
  const outcome = await rawLoad(job);
  parentPort!.postMessage(outcome, [outcome.times.buffer as ArrayBuffer]);
} else await runAutocannon();

async function runAutocannon() {
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
}
