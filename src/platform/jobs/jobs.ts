/**
 * Background jobs on pg-boss. On PostgreSQL pg-boss opens its own pool; on PGlite it runs in-process through
 * an adapter over the single embedded connection. Tasks are plain functions, so `covenant jobs run-once`
 * and tests can run them directly without a queue.
 */
import PgBoss from 'pg-boss';
import type { Database } from '../db/database.ts';

export interface Task {
  name: string;
  /** Cron schedule (pg-boss runs crons at minute resolution). */
  cron: string;
  run(): Promise<unknown>;
}

export interface JobRunner {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Asks the worker to run a task soon (e.g. send the outbox now rather than at the next minute). */
  trigger(name: string): Promise<void>;
  /** Runs every task once, in order, now; returns each task's result. */
  runOnce(): Promise<Record<string, unknown>>;
}

export interface JobRunnerOptions {
  db: Database;
  url?: string;
  tasks: Task[];
  enabled: boolean;
  onError?: (error: unknown, task: string) => void;
}

export function createJobRunner(options: JobRunnerOptions): JobRunner {
  let boss: PgBoss | null = null;
  const byName = new Map(options.tasks.map((t) => [t.name, t]));
  // Debounce for trigger(): when this process last queued a run of each task that has not started yet.
  // A run clears its entry as it starts, so work committed while it runs queues the next run. (pg-boss's
  // singletonSeconds throttle dropped such a trigger when it fell in the same slot as the running job,
  // leaving the work for the next cron minute.) An entry older than `pendingForgetMs` is forgotten, in
  // case another process's worker took the job.
  const pendingSince = new Map<string, number>();
  const pendingForgetMs = 10_000;

  function makeBoss(): PgBoss {
    if (options.url) return new PgBoss({ connectionString: options.url, max: 2 });
    const lite = options.db.pglite!;
    return new PgBoss({
      db: {
        async executeSql(text: string, values: unknown[]) {
          if (values?.length) return lite.query(text, values);
          const results = await lite.exec(text);
          // pg-boss expects one result for one statement, an array for several.
          return (results.length === 1 ? results[0] : results) as { rows: unknown[] };
        },
      },
    });
  }

  return {
    async start() {
      if (!options.enabled || boss) return;
      boss = makeBoss();
      boss.on('error', (error) => options.onError?.(error, 'pg-boss'));
      await boss.start();
      for (const task of options.tasks) {
        await boss.createQueue(task.name);
        await boss.schedule(task.name, task.cron);
        await boss.work(task.name, { pollingIntervalSeconds: 2 }, async () => {
          pendingSince.delete(task.name);
          try {
            await task.run();
          } catch (error) {
            options.onError?.(error, task.name);
            throw error;
          }
        });
      }
    },
    async stop() {
      if (!boss) return;
      const b = boss;
      boss = null;
      await b.stop({ graceful: true, wait: true, timeout: 10_000 });
    },
    async trigger(name) {
      if (!byName.has(name)) throw new Error(`Unknown task ${name}`);
      if (!boss) return;
      // One pending run per task is enough: a burst of emails needs one sweep.
      const since = pendingSince.get(name);
      if (since !== undefined && Date.now() - since < pendingForgetMs) return;
      pendingSince.set(name, Date.now());
      try {
        await boss.send(name, {});
      } catch (error) {
        pendingSince.delete(name);
        throw error;
      }
    },
    async runOnce() {
      const results: Record<string, unknown> = {};
      for (const task of options.tasks) results[task.name] = await task.run();
      return results;
    },
  };
}
