/**
 * Starts the real server (`node --import tsx src/server.ts`, exactly what `npm start` runs) as a child
 * process on a free port with a fresh temporary DATA_DIR, so demo data loads into the empty embedded
 * database as it does for a new user. Waits for /readyz; `stop()` ends the process and removes the folder.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../../..');

export interface RunningServer {
  baseUrl: string;
  dataDir: string;
  /** Everything the server printed so far (stdout and stderr). */
  output(): string;
  /** The newest `.eml` file the file transport wrote to DATA_DIR/outbox, or undefined. */
  newestEmail(): string | undefined;
  /** Waits (the worker sends within seconds) for the newest email to `to`; returns the .eml text. */
  waitForEmail(to: string, timeoutMs?: number): Promise<string>;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject()));
    });
  });
}

export async function startServer(env: Record<string, string> = {}): Promise<RunningServer> {
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'covenant-e2e-'));
  const baseUrl = `http://localhost:${port}`;
  // Only the variables a new user's shell would have: no test database, no DATABASE_URL.
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^(TEST_|DATABASE_URL$|NODE_ENV$|NODE_TEST)/.test(k)),
  );
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...inherited,
      NODE_ENV: 'development',
      HOST: '127.0.0.1',
      PORT: String(port),
      BASE_URL: baseUrl,
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      ...env,
    },
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  // If the test process ends without stop() (a crash, a cancelled run), do not leave the server behind.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const stop = async () => {
    process.off('exit', killOnExit);
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dataDir, { recursive: true, force: true });
  };

  // A few seconds normally; allow for a machine busy with other work.
  const readyWithinMs = Number(process.env.E2E_SERVER_READY_MS ?? 180_000);
  const deadline = Date.now() + readyWithinMs;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`The server exited with code ${child.exitCode} before it was ready:\n${output}`);
    }
    const ready = await fetch(`${baseUrl}/readyz`)
      .then((r) => r.ok)
      .catch(() => false);
    if (ready) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`The server was not ready after ${readyWithinMs / 1000} s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }

  const outbox = path.join(dataDir, 'outbox');
  /** The .eml files, newest first. */
  const emails = (): string[] => {
    let files: string[];
    try {
      files = readdirSync(outbox).filter((f) => f.endsWith('.eml'));
    } catch {
      return [];
    }
    return files
      .map((f) => ({ f, at: statSync(path.join(outbox, f)).mtimeMs }))
      .sort((a, b) => b.at - a.at)
      .map(({ f }) => readFileSync(path.join(outbox, f), 'utf8'));
  };

  return {
    baseUrl,
    dataDir,
    output: () => output,
    newestEmail: () => emails()[0],
    async waitForEmail(to, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = emails().find((eml) => eml.split(/\r?\n/).includes(`To: ${to}`));
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`No email to ${to} in ${outbox} after ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 250));
      }
    },
    stop,
  };
}
