/**
 * Directory search from memory. The SQL search (`repo.search`) costs 2–22 ms of PostgreSQL time on 200,000
 * organisations (planning, GIN bitmaps, the capped count); twenty visitors at once on two cores queue behind
 * each other. This index holds what a search needs (names, codes, filters and each organisation's `search`
 * vector exactly as PostgreSQL made it) and answers with the same tiers, order and capped total as the SQL
 * search, from memory. PostgreSQL still does the language work: each query's words become a tsquery in one
 * small statement (`repo.searchQueries`), which the index evaluates (directory.tsquery.ts).
 *
 * Freshness, as for the page cache (src/platform/http/page-cache.ts): every write to organisations or their
 * identifiers adds one to `registry_changes.version` in the writing transaction. The index records the
 * version it was loaded at (read in the same statement, so the same snapshot); a search first asks the page
 * cache for the version now, which another process's change reaches within a second and this process's at
 * once. When the index is behind, a small directory is loaded again before answering; a large one (a load
 * that took over `syncLoadMs`) is loaded again in the background while SQL answers, so nobody waits and
 * nobody sees old results. Inside a transaction SQL answers (it sees the transaction's own writes).
 *
 * One difference from SQL, on purpose: where more than SEARCH_COUNT_CAP organisations match the words, SQL
 * keeps whichever 1,001 its index reads first; the index keeps the first 1,001 in name order.
 */
import { identifierSchemes } from './directory.identifiers.ts';
import {
  SEARCH_COUNT_CAP,
  prefixTsQuery,
  type IndexRow,
  type SearchHit,
  type SearchParams,
  type SearchQueries,
  type SearchResult,
} from './directory.repository.ts';
import {
  matches,
  parseTsQuery,
  parseTsVector,
  UnsupportedQueryError,
  type TsDocument,
  type TsQuery,
} from './directory.tsquery.ts';

/** Compares strings by code point, which is PostgreSQL's byte order for UTF-8 (`~<~`, COLLATE "C"). */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let k = 0; k < n; k++) {
    let x = a.charCodeAt(k);
    let y = b.charCodeAt(k);
    if (x === y) continue;
    // Surrogates (U+D800–DFFF) encode code points above U+FFFF: move them above U+E000–FFFF.
    x = x >= 0xd800 && x <= 0xdfff ? x + 0x2000 : x >= 0xe000 ? x - 0x800 : x;
    y = y >= 0xd800 && y <= 0xdfff ? y + 0x2000 : y >= 0xe000 ? y - 0x800 : y;
    return x - y;
  }
  return a.length - b.length;
}

/** Sorted ascending list of document numbers. */
type Postings = Int32Array;

const EMPTY: Postings = new Int32Array(0);

function intersect(a: Postings, b: Postings): Postings {
  const out = new Int32Array(Math.min(a.length, b.length));
  let i = 0;
  let j = 0;
  let n = 0;
  while (i < a.length && j < b.length) {
    if (a[i]! < b[j]!) i++;
    else if (a[i]! > b[j]!) j++;
    else {
      out[n++] = a[i]!;
      i++;
      j++;
    }
  }
  return out.subarray(0, n);
}

function union(a: Postings, b: Postings): Postings {
  const out = new Int32Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let n = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i]! < b[j]!)) out[n++] = a[i++]!;
    else if (i >= a.length || b[j]! < a[i]!) out[n++] = b[j++]!;
    else {
      out[n++] = a[i++]!;
      j++;
    }
  }
  return out.subarray(0, n);
}

/** Lists by key. Most keys (a name, a number) name one document: kept as that number, not an array. */
function toPostings(lists: Map<string, number[]>) {
  const map = new Map<string, number | Postings>();
  for (const [key, list] of lists) map.set(key, list.length === 1 ? list[0]! : Int32Array.from(list));
  return {
    get(key: string): Postings | undefined {
      const found = map.get(key);
      return typeof found === 'number' ? Int32Array.of(found) : found;
    },
  };
}

function push(map: Map<string, number[]>, key: string | null, doc: number): void {
  if (key === null) return;
  const list = map.get(key);
  if (!list) map.set(key, [doc]);
  else if (list.at(-1) !== doc) list.push(doc);
}

/** The tsqueries of one search, parsed. */
export interface ParsedQueries {
  words: TsQuery | null;
  phrase: TsQuery | null;
  prefix: TsQuery | null;
}

/** Parses what `repo.searchQueries` returned; throws UnsupportedQueryError for forms the index cannot run. */
export function parseQueries(queries: SearchQueries): ParsedQueries {
  return {
    words: parseTsQuery(queries.words),
    phrase: parseTsQuery(queries.phrase),
    prefix: queries.prefix === null ? null : parseTsQuery(queries.prefix),
  };
}

export interface DirectoryIndex {
  /** `registry_changes.version` when the rows were read. */
  readonly version: number;
  readonly size: number;
  search(params: SearchParams, parsed: ParsedQueries): SearchResult;
}

/** Lets other requests run between slices of a long load (a build of 200,000 takes about 1.5 s of CPU). */
const breathe = () => new Promise<void>((resolve) => setImmediate(resolve));
const SLICE = 5_000;

/**
 * Builds the index from rows in name order (`order by name, id`, the database's collation), each carrying
 * its place in lower-cased code-point order (`lowerRank`). Yields to the event loop every 5,000 rows.
 */
export async function buildDirectoryIndex(rows: IndexRow[], version: number): Promise<DirectoryIndex> {
  const n = rows.length;
  const hits: SearchHit[] = new Array<SearchHit>(n);
  const lowerNames: string[] = new Array<string>(n);
  const kinds: string[] = new Array<string>(n);
  const closed = new Uint8Array(n);
  const types: (string | null)[] = new Array<string | null>(n);
  const nations: (string | null)[] = new Array<string | null>(n);
  const regions: (string | null)[] = new Array<string | null>(n);
  const incomes: (string | null)[] = new Array<string | null>(n);
  const areas: string[][] = new Array<string[]>(n);
  const exactLists = new Map<string, number[]>();
  const lexemeLists = new Map<string, number[]>();
  const filterLists = new Map<string, number[]>();
  // Each document's lexemes as numbers into `lexicon`, with their positions, packed.
  const lexiconIds = new Map<string, number>();
  const lexicon: string[] = [];
  const docLexStart = new Int32Array(n + 1);
  const docLex: number[] = [];
  const posStart: number[] = [0];
  const positions: number[] = [];

  const byLower = new Int32Array(n);
  const lowerRank = new Int32Array(n);
  for (let doc = 0; doc < n; doc++) {
    if (doc % SLICE === SLICE - 1) await breathe();
    const row = rows[doc]!;
    byLower[row.lowerRank] = doc;
    lowerRank[doc] = row.lowerRank;
    hits[doc] = {
      id: row.id,
      slug: row.slug,
      name: row.name,
      kind: row.kind,
      publicBodyType: row.publicBodyType,
      nation: row.nation,
      region: row.region,
      incomeBand: row.incomeBand,
      gssCode: row.gssCode,
      govukSlug: row.govukSlug,
    };
    lowerNames[doc] = row.lowerName;
    kinds[doc] = row.kind;
    closed[doc] = row.status === 'closed' ? 1 : 0;
    types[doc] = row.publicBodyType;
    nations[doc] = row.nation;
    regions[doc] = row.region;
    incomes[doc] = row.incomeBand;
    areas[doc] = row.areasOfWork ?? [];
    push(exactLists, `n:${row.lowerName}`, doc);
    if (row.gssCode) push(exactLists, `c:${row.gssCode}`, doc);
    if (row.odsCode) push(exactLists, `c:${row.odsCode}`, doc);
    if (row.govukSlug) push(exactLists, `n:${row.govukSlug}`, doc);
    for (const orgId of row.orgIds ?? []) push(exactLists, `o:${orgId}`, doc);
    push(filterLists, `kind:${row.kind}`, doc);
    if (row.publicBodyType) push(filterLists, `type:${row.publicBodyType}`, doc);
    if (row.nation) push(filterLists, `nation:${row.nation}`, doc);
    if (row.region) push(filterLists, `region:${row.region}`, doc);
    if (row.incomeBand) push(filterLists, `income:${row.incomeBand}`, doc);
    for (const area of row.areasOfWork ?? []) push(filterLists, `area:${area}`, doc);
    const vector = parseTsVector(row.search ?? '');
    docLexStart[doc] = docLex.length;
    vector.lexemes.forEach((lexeme, k) => {
      let id = lexiconIds.get(lexeme);
      if (id === undefined) {
        id = lexicon.length;
        lexicon.push(lexeme);
        lexiconIds.set(lexeme, id);
      }
      docLex.push(id);
      positions.push(...vector.positions[k]!);
      posStart.push(positions.length);
      push(lexemeLists, lexeme, doc);
    });
  }
  await breathe();
  docLexStart[n] = docLex.length;
  const packedLex = Int32Array.from(docLex);
  const packedPosStart = Int32Array.from(posStart);
  const packedPositions = Uint16Array.from(positions);
  const exact = toPostings(exactLists);
  const postings = toPostings(lexemeLists);
  const filters = toPostings(filterLists);
  const sortedLexicon = [...lexicon].sort();
  await breathe();
  function document(doc: number): TsDocument {
    const from = docLexStart[doc]!;
    const to = docLexStart[doc + 1]!;
    const at = (k: number) => packedPositions.subarray(packedPosStart[k]!, packedPosStart[k + 1]!);
    return {
      positionsOf(lexeme) {
        const id = lexiconIds.get(lexeme);
        if (id === undefined) return null;
        for (let k = from; k < to; k++) if (packedLex[k] === id) return at(k);
        return null;
      },
      forEachLexeme(fn) {
        for (let k = from; k < to; k++) fn(lexicon[packedLex[k]!]!, at(k));
      },
    };
  }

  /** Documents that may match `q` (a superset; null: any document may). */
  function candidates(q: TsQuery): Postings | null {
    switch (q.op) {
      case 'lexeme': {
        if (!q.prefix) return postings.get(q.value) ?? EMPTY;
        // Every lexeme starting with the prefix: a range of the sorted lexicon.
        let lo = 0;
        let hi = sortedLexicon.length;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (sortedLexicon[mid]! < q.value) lo = mid + 1;
          else hi = mid;
        }
        const marks = new Uint8Array(n);
        let any = false;
        for (let k = lo; k < sortedLexicon.length && sortedLexicon[k]!.startsWith(q.value); k++) {
          for (const doc of postings.get(sortedLexicon[k]!)!) marks[doc] = 1;
          any = true;
        }
        if (!any) return EMPTY;
        const out: number[] = [];
        for (let doc = 0; doc < n; doc++) if (marks[doc]) out.push(doc);
        return Int32Array.from(out);
      }
      case 'not':
        return null;
      case 'or': {
        const a = candidates(q.left);
        const b = candidates(q.right);
        return a === null || b === null ? null : union(a, b);
      }
      case 'and':
      case 'phrase': {
        const a = candidates(q.left);
        const b = candidates(q.right);
        return a === null ? b : b === null ? a : intersect(a, b);
      }
    }
  }

  function filterOf(params: SearchParams): { passes: (doc: number) => boolean; base: Postings | null } {
    const wanted = new Set<string>(params.kinds);
    const lists: Postings[] = [];
    const listOf = (key: string) => lists.push(filters.get(key) ?? EMPTY);
    if (params.kinds.length === 1) listOf(`kind:${params.kinds[0]}`);
    if (params.publicBodyType) listOf(`type:${params.publicBodyType}`);
    if (params.nation) listOf(`nation:${params.nation}`);
    if (params.region) listOf(`region:${params.region}`);
    if (params.incomeBand) listOf(`income:${params.incomeBand}`);
    if (params.areaOfWork) listOf(`area:${params.areaOfWork}`);
    const base = lists.length === 0 ? null : lists.reduce((a, b) => (b.length < a.length ? b : a));
    const passes = (doc: number) =>
      closed[doc] === 0 &&
      wanted.has(kinds[doc]!) &&
      (!params.publicBodyType || types[doc] === params.publicBodyType) &&
      (!params.nation || nations[doc] === params.nation) &&
      (!params.region || regions[doc] === params.region) &&
      (!params.incomeBand || incomes[doc] === params.incomeBand) &&
      (!params.areaOfWork || areas[doc]!.includes(params.areaOfWork));
    return { passes, base };
  }

  const cap = SEARCH_COUNT_CAP + 1;

  /** The first `cap` documents of `list` (or of all, in name order) that pass and match `q`. */
  function firstMatches(
    list: Postings | null,
    passes: (doc: number) => boolean,
    q: TsQuery,
    found: (doc: number) => void,
  ): void {
    let taken = 0;
    const end = list === null ? n : list.length;
    for (let k = 0; k < end && taken < cap; k++) {
      const doc = list === null ? k : list[k]!;
      if (passes(doc) && matches(q, document(doc))) {
        found(doc);
        taken++;
      }
    }
  }

  function searchWithQuery(params: SearchParams, q: string, parsed: ParsedQueries, withPrefix: boolean) {
    const { passes } = filterOf(params);
    const tiers = new Map<number, number>();
    const add = (doc: number, tier: number) => {
      if (!tiers.has(doc)) tiers.set(doc, tier);
    };
    // 0. Exact: the name, a code or a registered number.
    const lower = q.toLowerCase();
    const code = q.toUpperCase().replace(/\s+/g, '');
    const orgIds = [code, ...identifierSchemes.map((scheme) => `${scheme}-${code}`)];
    if (code.startsWith('NIC')) orgIds.push(`GB-NIC-${code.slice(3)}`);
    for (const key of [`n:${lower}`, `c:${code}`, ...orgIds.map((id) => `o:${id}`)])
      for (const doc of exact.get(key) ?? EMPTY) if (passes(doc)) add(doc, 0);
    // 1. Names starting with the query, in lower-cased name order.
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compareCodePoints(lowerNames[byLower[mid]!]!, lower) < 0) lo = mid + 1;
      else hi = mid;
    }
    for (let k = lo, taken = 0; k < n && taken < cap; k++) {
      const doc = byLower[k]!;
      if (!lowerNames[doc]!.startsWith(lower)) break;
      if (passes(doc)) {
        add(doc, 1);
        taken++;
      }
    }
    // 2–3. The words (2 when they also match as a phrase); 4. the last word as a prefix.
    if (parsed.words)
      firstMatches(candidates(parsed.words), passes, parsed.words, (doc) =>
        add(doc, parsed.phrase && matches(parsed.phrase, document(doc)) ? 2 : 3),
      );
    if (withPrefix && parsed.prefix)
      firstMatches(candidates(parsed.prefix), passes, parsed.prefix, (doc) => add(doc, 4));
    const ranked = [...tiers].sort(
      ([a, ta], [b, tb]) => ta - tb || (ta === 1 ? lowerRank[a]! - lowerRank[b]! : a - b),
    );
    return {
      total: ranked.length,
      page: ranked.slice(params.offset, params.offset + params.limit).map(([doc]) => hits[doc]!),
    };
  }

  const index: DirectoryIndex = {
    version,
    size: n,
    search(params, parsed) {
      const q = params.q?.trim() ?? '';
      if (params.offset >= SEARCH_COUNT_CAP + params.limit) return { total: 0, totalCapped: true, hits: [] };
      if (!q) {
        const { passes, base } = filterOf(params);
        const page: SearchHit[] = [];
        const stop = Math.max(cap, params.offset + params.limit);
        let count = 0;
        const end = base === null ? n : base.length;
        for (let k = 0; k < end && count < stop; k++) {
          const doc = base === null ? k : base[k]!;
          if (!passes(doc)) continue;
          if (count >= params.offset && page.length < params.limit) page.push(hits[doc]!);
          count++;
        }
        const counted = Math.min(count, cap);
        return {
          total: Math.min(counted, SEARCH_COUNT_CAP),
          totalCapped: counted > SEARCH_COUNT_CAP,
          hits: page,
        };
      }
      let result = searchWithQuery(params, q, parsed, false);
      if (prefixTsQuery(q) && result.page.length < params.limit)
        result = searchWithQuery(params, q, parsed, true);
      // A page past the last one: the total as the first page counts it (as the SQL search does).
      if (result.page.length === 0 && params.offset > 0)
        return { ...index.search({ ...params, offset: 0, limit: 1 }, parsed), hits: [] };
      return {
        total: Math.min(result.total, SEARCH_COUNT_CAP),
        totalCapped: result.total > SEARCH_COUNT_CAP,
        hits: result.page,
      };
    },
  };
  return index;
}

export interface DirectorySearchDeps {
  /** The SQL search: the reference, and the answer while the index loads or inside a transaction. */
  sqlSearch(params: SearchParams): Promise<SearchResult>;
  loadRows(): Promise<{ version: number; rows: IndexRow[] }>;
  searchQueries(q: string, prefix: string | null): Promise<SearchQueries>;
  /** The registry version now (the page cache's shared, rate-limited read). */
  currentVersion(): Promise<number>;
  inTransaction(): boolean;
}

export interface DirectorySearchOptions {
  /** false: always SQL (DIRECTORY_SEARCH_INDEX=sql). */
  enabled?: boolean;
  /** A load that took longer than this happens in the background next time (SQL answers meanwhile). */
  syncLoadMs?: number;
  /** Parsed queries kept (the tsquery of a given text never changes); 0 asks PostgreSQL every time. */
  queryCacheSize?: number;
}

export type SearchAnswer = SearchResult & { from: 'index' | 'sql' };

/** The directory's search: from the index when it is current, else SQL (see the top of this file). */
export function createDirectorySearch(deps: DirectorySearchDeps, options: DirectorySearchOptions = {}) {
  const enabled = options.enabled ?? true;
  const syncLoadMs = options.syncLoadMs ?? 250;
  const queryCacheSize = options.queryCacheSize ?? 5_000;
  let index: DirectoryIndex | null = null;
  let loading: Promise<DirectoryIndex> | null = null;
  let lastLoadMs = 0;
  const parsedCache = new Map<string, ParsedQueries | 'unsupported'>();
  let reportError: (error: unknown) => void = () => undefined;

  function load(): Promise<DirectoryIndex> {
    loading ??= (async () => {
      const started = performance.now();
      const { version, rows } = await deps.loadRows();
      const built = await buildDirectoryIndex(rows, version);
      lastLoadMs = performance.now() - started;
      if (!index || built.version >= index.version) index = built;
      return built;
    })().finally(() => {
      loading = null;
    });
    return loading;
  }

  async function parsedFor(q: string): Promise<ParsedQueries | 'unsupported'> {
    const known = parsedCache.get(q);
    if (known) return known;
    let parsed: ParsedQueries | 'unsupported';
    try {
      parsed = parseQueries(await deps.searchQueries(q, prefixTsQuery(q)));
    } catch (error) {
      if (!(error instanceof UnsupportedQueryError)) throw error;
      parsed = 'unsupported';
    }
    if (queryCacheSize > 0) {
      if (parsedCache.size >= queryCacheSize) parsedCache.delete(parsedCache.keys().next().value!);
      parsedCache.set(q, parsed);
    }
    return parsed;
  }

  /** The index when it is at least as new as `version`, loading it first when that is quick. */
  async function currentIndex(version: number): Promise<DirectoryIndex | null> {
    if (index && index.version >= version) return index;
    if (!index || lastLoadMs <= syncLoadMs) {
      try {
        const loaded = await load();
        return loaded.version >= version ? loaded : null;
      } catch (error) {
        reportError(error);
        return null;
      }
    }
    load().catch((error: unknown) => reportError(error));
    return null;
  }

  return {
    async search(params: SearchParams): Promise<SearchAnswer> {
      if (!enabled || deps.inTransaction()) return { ...(await deps.sqlSearch(params)), from: 'sql' };
      const current = await currentIndex(await deps.currentVersion());
      const q = params.q?.trim() ?? '';
      const parsed = current && q ? await parsedFor(q) : { words: null, phrase: null, prefix: null };
      if (!current || parsed === 'unsupported') return { ...(await deps.sqlSearch(params)), from: 'sql' };
      return { ...current.search(params, parsed), from: 'index' };
    },

    /** Loads the index now (at start-up, so the first visitor does not wait; and in tests). */
    async warm(): Promise<void> {
      if (!enabled) return;
      try {
        await load();
      } catch (error) {
        reportError(error);
        throw error;
      }
    },

    /** Where a failed background load is reported (the app's log). */
    onError(handler: (error: unknown) => void): void {
      reportError = handler;
    },

    /** Organisations in the loaded index (0 before the first load). */
    get size(): number {
      return index?.size ?? 0;
    },

    get loadedVersion(): number | null {
      return index?.version ?? null;
    },
  };
}

export type DirectorySearch = ReturnType<typeof createDirectorySearch>;
