/**
 * PostgreSQL text search, evaluated in memory: the text forms of `tsvector` and `tsquery` parsed, and
 * `vector @@ query` worked out the way PostgreSQL does, so the directory's in-memory index
 * (directory.search-index.ts) finds exactly what the SQL search finds. PostgreSQL still does the language
 * work (stemming, stop words, the websearch syntax): the index stores each organisation's `search` vector as
 * PostgreSQL made it, and each query arrives as the `tsquery` PostgreSQL built from the words typed.
 *
 * Supported: lexemes, prefixes (`'hosp':*`), `&`, `|`, `!` and phrases (`<->`, `<N>`) of lexemes and
 * phrases. Anything else (weights in a query, `|` or `!` inside a phrase) is reported as unsupported, and
 * the caller searches with SQL instead.
 */

export type TsQuery =
  | { op: 'lexeme'; value: string; prefix: boolean }
  | { op: 'and' | 'or'; left: TsQuery; right: TsQuery }
  | { op: 'not'; arg: TsQuery }
  | { op: 'phrase'; left: TsQuery; right: TsQuery; distance: number };

/** One document's lexemes with their positions (ascending), as in PostgreSQL's text form. */
export interface TsVector {
  lexemes: string[];
  positions: number[][];
}

/** A document as the evaluator reads it (the index keeps its documents packed; tests use a TsVector). */
export interface TsDocument {
  /** The positions (ascending) of `lexeme`, or null when the document does not hold it. */
  positionsOf(lexeme: string): ArrayLike<number> | null;
  /** Every lexeme of the document, for prefix matches. */
  forEachLexeme(fn: (lexeme: string, positions: ArrayLike<number>) => void): void;
}

/** A parsed vector as a TsDocument. */
export function documentOf(vector: TsVector): TsDocument {
  return {
    positionsOf(lexeme) {
      const k = vector.lexemes.indexOf(lexeme);
      return k < 0 ? null : vector.positions[k]!;
    },
    forEachLexeme(fn) {
      vector.lexemes.forEach((lexeme, k) => fn(lexeme, vector.positions[k]!));
    },
  };
}

export class UnsupportedQueryError extends Error {}

/** Reads a quoted lexeme starting at `text[start] === "'"`; returns it and the index after it. */
function readQuoted(text: string, start: number): [string, number] {
  let i = start + 1;
  let out = '';
  for (;;) {
    const c = text[i];
    if (c === undefined) throw new Error(`Unterminated lexeme in ${JSON.stringify(text)}`);
    if (c === '\\') {
      out += text[i + 1] ?? '';
      i += 2;
    } else if (c === "'") {
      if (text[i + 1] === "'") {
        out += "'";
        i += 2;
      } else return [out, i + 1];
    } else {
      out += c;
      i++;
    }
  }
}

/** Parses `tsvector::text`, e.g. `'hospit':3A 'leed':1A,5`. */
export function parseTsVector(text: string): TsVector {
  const lexemes: string[] = [];
  const positions: number[][] = [];
  let i = 0;
  while (i < text.length) {
    if (text[i] === ' ') {
      i++;
      continue;
    }
    if (text[i] !== "'") throw new Error(`Unexpected ${JSON.stringify(text[i])} in a tsvector`);
    const [lexeme, next] = readQuoted(text, i);
    i = next;
    const found: number[] = [];
    if (text[i] === ':') {
      i++;
      for (;;) {
        let digits = '';
        while (i < text.length && text[i]! >= '0' && text[i]! <= '9') digits += text[i++];
        found.push(Number(digits));
        while (i < text.length && /[A-D]/.test(text[i]!)) i++;
        if (text[i] === ',') i++;
        else break;
      }
    }
    lexemes.push(lexeme);
    positions.push(found);
  }
  return { lexemes, positions };
}

/**
 * Parses `tsquery::text`, e.g. `'food' & 'bank' | 'leed' <-> 'hospit':*`. Returns null for the empty query
 * (PostgreSQL's form of a query of stop words only, which matches nothing). Precedence as PostgreSQL's:
 * `!` binds tightest, then phrases, then `&`, then `|`; all left-associative.
 */
export function parseTsQuery(text: string): TsQuery | null {
  let i = 0;
  const skip = () => {
    while (text[i] === ' ') i++;
  };
  const fail = (what: string): never => {
    throw new Error(`${what} at ${i} in tsquery ${JSON.stringify(text)}`);
  };

  function primary(): TsQuery {
    skip();
    const c = text[i];
    if (c === '!') {
      i++;
      return { op: 'not', arg: primary() };
    }
    if (c === '(') {
      i++;
      const inner = or();
      skip();
      if (text[i] !== ')') fail('Expected )');
      i++;
      return inner;
    }
    if (c !== "'") return fail('Expected a lexeme');
    const [value, next] = readQuoted(text, i);
    i = next;
    let prefix = false;
    if (text[i] === ':') {
      i++;
      while (i < text.length && /[*A-D]/.test(text[i]!)) {
        if (text[i] === '*') prefix = true;
        else throw new UnsupportedQueryError('Weights in a query');
        i++;
      }
    }
    return { op: 'lexeme', value, prefix };
  }

  function phrase(): TsQuery {
    let left = primary();
    for (;;) {
      skip();
      const m = /^<(-|\d+)>/.exec(text.slice(i, i + 8));
      if (!m) return left;
      i += m[0].length;
      const right = primary();
      left = { op: 'phrase', left, right, distance: m[1] === '-' ? 1 : Number(m[1]) };
    }
  }

  function and(): TsQuery {
    let left = phrase();
    for (;;) {
      skip();
      if (text[i] !== '&') return left;
      i++;
      left = { op: 'and', left, right: phrase() };
    }
  }

  function or(): TsQuery {
    let left = and();
    for (;;) {
      skip();
      if (text[i] !== '|') return left;
      i++;
      left = { op: 'or', left, right: and() };
    }
  }

  skip();
  if (i >= text.length) return null;
  const query = or();
  skip();
  if (i < text.length) fail('Unexpected text');
  assertSupported(query, false);
  return query;
}

function assertSupported(q: TsQuery, inPhrase: boolean): void {
  switch (q.op) {
    case 'lexeme':
      return;
    case 'not':
      if (inPhrase) throw new UnsupportedQueryError('! inside a phrase');
      return assertSupported(q.arg, false);
    case 'and':
    case 'or':
      if (inPhrase) throw new UnsupportedQueryError(`${q.op} inside a phrase`);
      assertSupported(q.left, false);
      return assertSupported(q.right, false);
    case 'phrase':
      assertSupported(q.left, true);
      return assertSupported(q.right, true);
  }
}

/** How many positions a phrase spans after its first word (0 for a lexeme). */
function widthOf(q: TsQuery): number {
  return q.op === 'phrase' ? widthOf(q.left) + q.distance + widthOf(q.right) : 0;
}

/** The positions (ascending) where `q` ends in `doc`; `q` is a lexeme or a phrase. */
function endPositions(q: TsQuery, doc: TsDocument): ArrayLike<number> {
  if (q.op === 'lexeme') {
    if (!q.prefix) return doc.positionsOf(q.value) ?? [];
    const all = new Set<number>();
    doc.forEachLexeme((lexeme, positions) => {
      if (lexeme.startsWith(q.value)) for (let k = 0; k < positions.length; k++) all.add(positions[k]!);
    });
    return [...all].sort((a, b) => a - b);
  }
  if (q.op !== 'phrase') throw new UnsupportedQueryError(`${q.op} inside a phrase`);
  const left = endPositions(q.left, doc);
  if (left.length === 0) return [];
  const shift = widthOf(q.right) + q.distance;
  const right = endPositions(q.right, doc);
  const out: number[] = [];
  for (let k = 0; k < right.length; k++) {
    const end = right[k]!;
    for (let j = 0; j < left.length; j++)
      if (left[j] === end - shift) {
        out.push(end);
        break;
      }
  }
  return out;
}

function hasPrefix(doc: TsDocument, prefix: string): boolean {
  let found = false;
  doc.forEachLexeme((lexeme) => {
    if (!found && lexeme.startsWith(prefix)) found = true;
  });
  return found;
}

/** `doc @@ q`, as PostgreSQL evaluates it. */
export function matches(q: TsQuery, doc: TsDocument): boolean {
  switch (q.op) {
    case 'lexeme':
      return q.prefix ? hasPrefix(doc, q.value) : doc.positionsOf(q.value) !== null;
    case 'and':
      return matches(q.left, doc) && matches(q.right, doc);
    case 'or':
      return matches(q.left, doc) || matches(q.right, doc);
    case 'not':
      return !matches(q.arg, doc);
    case 'phrase':
      return endPositions(q, doc).length > 0;
  }
}
