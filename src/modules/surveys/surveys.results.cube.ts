/**
 * An in-process copy of one question's counts cube, for the live results pages (issue 6 benchmark: a
 * question with 1,000,000 answers, filtered, p95 ≤ 200 ms). The cube has one row per answer option × body ×
 * combination of respondent attributes (tens of thousands of rows however many answers there are); summing
 * it in SQL for every filter costs a scan of all of them per request. Instead the rows are loaded once into
 * typed arrays (values as small integer codes) and each filtered view is a single pass in memory.
 *
 * Freshness: a copy is reused for `ttlMs` (30 seconds by default), so live results can be up to that much
 * behind the latest submission; concurrent misses share one load. Published figures never come from here:
 * publishing sums the cube in SQL at that moment.
 */
import { attributeNames, type AttributeName } from './surveys.attributes.ts';
import type { Filters, SurveyResultsRepository } from './surveys.results.repository.ts';
import { ALL, type Breakdown, type CountCell } from './surveys.results.rules.ts';

interface Column {
  codes: Uint32Array;
  values: string[];
}

export interface CubeCopy {
  rows: number;
  option: Column;
  body: Column;
  attributes: Record<AttributeName, Column>;
  n: Float64Array;
  total: Float64Array;
  loadedAt: number;
}

function encode(values: string[]): Column {
  const dictionary = new Map<string, number>();
  const codes = new Uint32Array(values.length);
  values.forEach((v, i) => {
    let code = dictionary.get(v);
    if (code === undefined) dictionary.set(v, (code = dictionary.size));
    codes[i] = code;
  });
  return { codes, values: [...dictionary.keys()] };
}

/** Builds the copy from the cube's rows. */
export function cubeCopyOf(
  rows: ({ option: string; bodyKey: string; n: number; total: number } & Record<AttributeName, string>)[],
  now: number,
): CubeCopy {
  return {
    rows: rows.length,
    option: encode(rows.map((r) => r.option)),
    body: encode(rows.map((r) => r.bodyKey)),
    attributes: Object.fromEntries(
      attributeNames.map((name) => [name, encode(rows.map((r) => r[name]))]),
    ) as Record<AttributeName, Column>,
    n: Float64Array.from(rows, (r) => r.n),
    total: Float64Array.from(rows, (r) => r.total),
    loadedAt: now,
  };
}

/** The copy's cells summed by `breakdown` and option, under `filters` and (ratings) one body. */
export function aggregate(
  cube: CubeCopy,
  breakdown: Breakdown,
  filters: Filters = {},
  bodyId?: string | null,
): CountCell[] {
  // Each filter becomes "this column must hold this code"; a value absent from the copy matches nothing.
  const tests: { codes: Uint32Array; code: number }[] = [];
  for (const name of attributeNames) {
    const value = filters[name];
    if (value === undefined) continue;
    const column = cube.attributes[name];
    tests.push({ codes: column.codes, code: column.values.indexOf(value) });
  }
  if (bodyId) tests.push({ codes: cube.body.codes, code: cube.body.values.indexOf(bodyId) });
  if (tests.some((t) => t.code < 0)) return [];
  const group = breakdown === ALL ? null : breakdown === 'body' ? cube.body : cube.attributes[breakdown];
  const options = cube.option.values.length;
  const groups = group ? group.values.length : 1;
  const n = new Float64Array(options * groups);
  const total = new Float64Array(options * groups);
  outer: for (let i = 0; i < cube.rows; i++) {
    for (const t of tests) if (t.codes[i] !== t.code) continue outer;
    const slot = (group ? group.codes[i]! : 0) * options + cube.option.codes[i]!;
    n[slot]! += cube.n[i]!;
    total[slot]! += cube.total[i]!;
  }
  const out: CountCell[] = [];
  for (let g = 0; g < groups; g++)
    for (let o = 0; o < options; o++) {
      const slot = g * options + o;
      if (n[slot] === 0 && total[slot] === 0) continue;
      out.push({
        grp: group ? group.values[g]! : ALL,
        option: cube.option.values[o]!,
        n: n[slot]!,
        total: total[slot]!,
      });
    }
  return out;
}

export function createCubeCache(
  results: Pick<SurveyResultsRepository, 'cubeRows'>,
  options: { ttlMs?: number; now?: () => number } = {},
) {
  const ttl = options.ttlMs ?? 30_000;
  const now = options.now ?? Date.now;
  const copies = new Map<string, CubeCopy>();
  const loading = new Map<string, Promise<CubeCopy>>();
  return {
    /** The question's cube, loaded when missing or older than the time to live. */
    async get(questionId: string): Promise<CubeCopy> {
      const copy = copies.get(questionId);
      if (copy && now() - copy.loadedAt < ttl) return copy;
      let pending = loading.get(questionId);
      if (!pending) {
        pending = results
          .cubeRows(questionId)
          .then((rows) => {
            const fresh = cubeCopyOf(rows, now());
            copies.set(questionId, fresh);
            return fresh;
          })
          .finally(() => loading.delete(questionId));
        loading.set(questionId, pending);
      }
      return pending;
    },
    /** Forgets a question's copy (or every copy). */
    forget(questionId?: string) {
      if (questionId) copies.delete(questionId);
      else copies.clear();
    },
  };
}

export type CubeCache = ReturnType<typeof createCubeCache>;
