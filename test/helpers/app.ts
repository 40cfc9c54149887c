/**
 * Builds the real app (same createApp and createDeps as production, CSRF on) against an isolated test
 * database, with a fixed clock and an in-memory email transport.
 */
import type { FastifyInstance } from 'fastify';
import { loadConfig, type Config } from '../../src/config.ts';
import { createDeps, type Deps, type DepsOverrides } from '../../src/container.ts';
import { createApp } from '../../src/app.ts';
import { createFixedClock, type FixedClock } from '../../src/platform/clock.ts';
import type { EmailTransport, OutgoingEmail } from '../../src/platform/email/transports.ts';
import { createTestDatabase } from './test-db.ts';
import { Agent } from './agent.ts';

export interface MemoryTransport extends EmailTransport {
  sent: OutgoingEmail[];
  /** Make the next `n` sends fail (to test retries). */
  failNext(n: number): void;
  /** The last email sent to an address, or undefined. */
  lastTo(address: string): OutgoingEmail | undefined;
}

export function createMemoryTransport(): MemoryTransport {
  let failures = 0;
  const sent: OutgoingEmail[] = [];
  return {
    name: 'memory',
    sent,
    failNext(n) {
      failures = n;
    },
    lastTo(address) {
      return [...sent].reverse().find((e) => e.to.toLowerCase() === address.toLowerCase());
    },
    async send(email) {
      if (failures > 0) {
        failures--;
        throw new Error('simulated transport failure');
      }
      sent.push(email);
    },
  };
}

export interface TestApp {
  app: FastifyInstance;
  deps: Deps;
  clock: FixedClock;
  config: Config;
  mail: MemoryTransport;
  /** A new browser-like client with its own cookies. */
  agent(): Agent;
  /** Sends queued emails now (what the worker does every minute). */
  deliverEmails(): Promise<void>;
  close(): Promise<void>;
}

export async function createTestApp(
  env: Record<string, string> = {},
  overrides: Pick<DepsOverrides, 'pageCacheOptions' | 'outboxOptions' | 'directorySearchOptions'> = {},
): Promise<TestApp> {
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DEMO_DATA: 'off', ...env });
  const testDb = await createTestDatabase();
  const clock = createFixedClock('2026-01-05T09:00:00Z');
  const mail = createMemoryTransport();
  const deps = await createDeps(config, {
    ...overrides,
    db: testDb.db,
    clock,
    transport: mail,
    runWorker: false,
  });
  const app = await createApp(deps);
  await app.ready();
  return {
    app,
    deps,
    clock,
    config,
    mail,
    agent: () => new Agent(app),
    async deliverEmails() {
      await deps.outbox.sendDue();
    },
    async close() {
      await app.close();
      await testDb.close();
    },
  };
}

/** Pulls the first link matching a path out of an email body. */
export function linkFrom(email: OutgoingEmail | undefined, pathPrefix: string): string {
  if (!email) throw new Error('No email');
  const match = new RegExp(`https?://[^\\s]+(${pathPrefix.replace(/[/]/g, '\\/')}[^\\s]*)`).exec(email.text);
  if (!match) throw new Error(`No link to ${pathPrefix} in email: ${email.text}`);
  return match[1]!;
}
