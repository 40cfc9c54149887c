/**
 * Measures start-up as a new user sees it: seconds from `npm start` to the first page served, first with
 * no data folder (create the embedded database, migrate, load demo data) and then again with the folder the
 * first start left (migrations already applied). Uses a temporary DATA_DIR and a free port; prints a line
 * per run. Usage: node --import tsx scripts/measure-start.ts [runs=3]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const runs = Number(process.argv[2] ?? 3);

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const address = probe.address() as { port: number };
      probe.close(() => resolve(address.port));
    });
  });
}

/** Starts `npm start`, returns seconds until GET / answers 200, then stops it. */
async function timeStart(dataDir: string): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn('npm', ['start', '--silent'], {
    cwd: root,
    detached: true, // its own process group, so npm and the node it starts stop together
    stdio: 'ignore',
    env: {
      ...process.env,
      NODE_ENV: 'development',
      PORT: String(port),
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
    },
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    for (;;) {
      const ok = await fetch(`http://127.0.0.1:${port}/`)
        .then((r) => r.status === 200)
        .catch(() => false);
      if (ok) return (performance.now() - started) / 1000;
      if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode}`);
      if (performance.now() - started > 120_000) throw new Error('no page after 120 s');
      await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    process.kill(-child.pid!, 'SIGTERM');
    await exited;
  }
}

const fresh: number[] = [];
const existing: number[] = [];
for (let i = 0; i < runs; i++) {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'covenant-start-'));
  try {
    fresh.push(await timeStart(dataDir));
    existing.push(await timeStart(dataDir));
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  console.log(
    `run ${i + 1}: no data folder ${fresh.at(-1)!.toFixed(2)} s; existing data folder ${existing.at(-1)!.toFixed(2)} s`,
  );
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(
  `median of ${runs}: no data folder ${median(fresh).toFixed(2)} s; existing data folder ${median(existing).toFixed(2)} s`,
);
