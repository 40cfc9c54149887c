/**
 * An in-memory cache for the data of public pages that change rarely (the Covenant, principles, versions,
 * sub-covenants, signatories, body and organisation pages, directory searches), so an anonymous visit costs
 * no database work at all on most requests.
 *
 * How it stays fresh, in one process and across several:
 * - Every entry records the registry version it was loaded at: `registry_changes.version`, a counter that
 *   statement-level triggers on every registry and directory table add one to inside the writing
 *   transaction (migration 0012), whichever module or process writes. The cache reads that one-row table at
 *   most once every `recheckMs` (one query shared by all requests in flight); when it has moved, every entry
 *   is dropped. Another process's change therefore shows within `recheckMs` (1 second by default).
 * - A write in this process calls `changed()` after it: the next reads check the version every time until
 *   they see it move (the write committed) or 5 seconds pass, so the writer's own next page is fresh.
 * - Entries also expire `maxAgeMs` after loading, by the app's clock and by real time, because some pages
 *   depend on the date (leads that need confirming, reviews that are due).
 * - Loading is single-flight per key: many visitors arriving at once after a change cause one load.
 */
import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Clock } from '../clock.ts';
import type { Database } from '../db/database.ts';
import { rowsOf } from '../db/database.ts';

export interface PageCacheOptions {
  /** How often to read the registry version while nothing is known to have changed here. */
  recheckMs?: number;
  /** Entries older than this are loaded again (some pages depend on the date). */
  maxAgeMs?: number;
  /** Entries kept; the oldest goes first. 0 turns the cache off (every read loads). */
  maxEntries?: number;
}

export interface Cached<T> {
  value: T;
  /** A hash of the value: the part of a page's ETag that depends on data. */
  etag: string;
}

interface Entry {
  value: unknown;
  etag: string;
  version: number;
  loadedAt: number;
  loadedAtReal: number;
}

/** After a local write, check the version on every read for this long (or until it moves). */
const WATCH_AFTER_WRITE_MS = 5_000;

export function hashOf(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('base64url').slice(0, 22);
}

export function createPageCache(db: Database, clock: Clock, options: PageCacheOptions = {}) {
  const recheckMs = options.recheckMs ?? 1_000;
  const maxAgeMs = options.maxAgeMs ?? 60_000;
  const maxEntries = options.maxEntries ?? 2_000;
  const entries = new Map<string, Entry>();
  const loading = new Map<string, Promise<Entry>>();
  let version = -1;
  let checkedAt = -Infinity;
  let checking: Promise<number> | null = null;
  let watch: { until: number; from: number } | null = null;

  async function readVersion(): Promise<number> {
    const rows = rowsOf<{ version: string | number }>(
      await db.get().execute(sql`select version from registry_changes where id = 1`),
    );
    return Number(rows[0]?.version ?? 0);
  }

  function needsCheck(now: number): boolean {
    if (watch) {
      if (now > watch.until || version !== watch.from) watch = null;
      else return true;
    }
    return now - checkedAt >= recheckMs;
  }

  /** The registry version now (from memory when checked recently). */
  async function currentVersion(): Promise<number> {
    const now = performance.now();
    if (!needsCheck(now)) return version;
    // One read shared by every request in flight (changed() drops a read that began before the write).
    if (!checking) {
      const read: Promise<number> = readVersion().finally(() => {
        if (checking === read) checking = null;
      });
      checking = read;
    }
    const seen = await checking;
    checkedAt = performance.now();
    if (seen !== version) {
      entries.clear();
      version = seen;
    }
    return version;
  }

  function fresh(entry: Entry | undefined, current: number): entry is Entry {
    if (!entry || entry.version !== current) return false;
    return (
      Math.abs(clock.now().getTime() - entry.loadedAt) < maxAgeMs &&
      performance.now() - entry.loadedAtReal < maxAgeMs
    );
  }

  return {
    /** The value for `key`, loaded by `load` at most once per registry version (and per `maxAgeMs`). */
    async get<T>(key: string, load: () => Promise<T>): Promise<Cached<T>> {
      if (maxEntries === 0) {
        const value = await load();
        return { value, etag: hashOf(value) };
      }
      const current = await currentVersion();
      const entry = entries.get(key);
      if (fresh(entry, current)) return entry as Cached<T>;
      const loadKey = `${current}:${key}`;
      let pending = loading.get(loadKey);
      if (!pending) {
        pending = (async () => {
          const value = await load();
          const loaded: Entry = {
            value,
            etag: hashOf(value),
            version: current,
            loadedAt: clock.now().getTime(),
            loadedAtReal: performance.now(),
          };
          // Keep it only if no change was seen while loading (a later reader would otherwise get old data).
          if (current === version) {
            if (entries.size >= maxEntries) entries.delete(entries.keys().next().value!);
            entries.delete(key);
            entries.set(key, loaded);
          }
          return loaded;
        })().finally(() => loading.delete(loadKey));
        loading.set(loadKey, pending);
      }
      return (await pending) as Cached<T>;
    },

    /**
     * The registry version now, read as the cache reads it (at most once every `recheckMs`, at once after a
     * local write): for other in-memory copies of registry data, such as the directory's search index.
     */
    version(): Promise<number> {
      return currentVersion();
    },

    /** Call after a write that changes public pages: this process's next reads see it at once. */
    changed(): void {
      watch = { until: performance.now() + WATCH_AFTER_WRITE_MS, from: version };
      checking = null;
    },

    /** Forgets everything (tests). */
    clear(): void {
      entries.clear();
      version = -1;
      checkedAt = -Infinity;
      checking = null;
      watch = null;
    },

    get size() {
      return entries.size;
    },
  };
}

export type PageCache = ReturnType<typeof createPageCache>;
