/**
 * RFC 4180 CSV reading and writing, generic enough for any module (imports, exports, analysis).
 *
 * Why hand-written: survey and consultation exports come from Excel, SmartSurvey, Citizen Space and the like,
 * with quoted fields holding commas, quotes and line breaks, CRLF line ends and a UTF-8 byte-order mark. The
 * reader accepts all of that, and turns the usual mistakes (UTF-16 "Unicode text" exports, Windows-1252 files,
 * wrong headers, an unclosed quote) into one clear sentence instead of garbage or a stack trace.
 */

/** A CSV problem the user can fix; `line` is 1-based when known. */
export class CsvError extends Error {
  readonly line: number | undefined;
  constructor(message: string, line?: number) {
    super(message);
    this.name = 'CsvError';
    this.line = line;
  }
}

export type CsvParseOptions = {
  /** Field separator; a comma unless told otherwise. */
  delimiter?: string;
};

/**
 * Returns the byte offset of the first byte that is not valid UTF-8, or -1 when the whole buffer is valid.
 * TextDecoder's fatal mode only says "invalid", and a line number makes the message actionable.
 */
export function findInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  const n = bytes.length;
  while (i < n) {
    const b = bytes[i] as number;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else return i;
    if (i + need >= n) return i; // truncated sequence at the end of the file
    let cp = b & (need === 1 ? 0x1f : need === 2 ? 0x0f : 0x07);
    for (let j = 1; j <= need; j++) {
      const c = bytes[i + j];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    // Overlong forms, UTF-16 surrogates and code points above U+10FFFF are not valid UTF-8.
    if (cp < min || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff) return i;
    i += need + 1;
  }
  return -1;
}

/**
 * Decodes a file's bytes as UTF-8 text, dropping a byte-order mark. Throws CsvError for UTF-16 (with or
 * without BOM) and for bytes that are not UTF-8, naming the line so the user can find the culprit.
 */
export function decodeCsvBytes(bytes: Uint8Array): string {
  if (
    bytes.length >= 2 &&
    ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))
  ) {
    throw new CsvError(
      'The file is encoded as UTF-16 ("Unicode text"); save it as "CSV UTF-8" and try again.',
    );
  }
  // UTF-16 without a BOM shows up as a NUL in every other byte of ASCII text.
  const probe = Math.min(bytes.length, 4096);
  let nuls = 0;
  for (let i = 0; i < probe; i++) if (bytes[i] === 0) nuls++;
  if (probe > 0 && nuls > probe / 8) {
    throw new CsvError('The file looks like UTF-16 or binary data, not CSV text; save it as "CSV UTF-8".');
  }
  let start = 0;
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) start = 3;
  const body = bytes.subarray(start);
  const bad = findInvalidUtf8(body);
  if (bad >= 0) {
    let line = 1;
    for (let i = 0; i < bad; i++) if (body[i] === 0x0a) line++;
    throw new CsvError(
      `The file is not valid UTF-8 (first bad byte 0x${(body[bad] as number).toString(16)} on line ${line}); ` +
        'it may be Windows-1252 or Latin-1: save it as "CSV UTF-8" and try again.',
      line,
    );
  }
  return new TextDecoder('utf-8').decode(body);
}

/**
 * Parses CSV text into rows of fields. Accepts LF, CRLF and lone CR line ends, quoted fields with doubled
 * quotes and embedded line breaks, and a leading BOM character. A quote inside an unquoted field is kept as a
 * literal (Excel writes such files); an unclosed quote or text after a closing quote is an error.
 */
export function parseCsv(input: string, options: CsvParseOptions = {}): string[][] {
  const delimiter = options.delimiter ?? ',';
  if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') {
    throw new CsvError(`Invalid delimiter ${JSON.stringify(delimiter)}.`);
  }
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  let line = 1;
  const n = text.length;
  // True once anything (even an empty quoted field) has been read on the current row.
  let rowStarted = false;

  const endField = (): void => {
    row.push(field);
    field = '';
  };
  const endRow = (): void => {
    endField();
    rows.push(row);
    row = [];
    rowStarted = false;
  };

  while (i < n) {
    const ch = text[i] as string;
    if (ch === '"' && field.length === 0) {
      // Quoted field: read to the closing quote, unescaping "" pairs.
      const quoteLine = line;
      rowStarted = true;
      i++;
      let closed = false;
      let chunkStart = i;
      while (i < n) {
        const c = text[i] as string;
        if (c === '"') {
          field += text.slice(chunkStart, i);
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            chunkStart = i;
            continue;
          }
          i++;
          closed = true;
          break;
        }
        if (c === '\n') line++;
        else if (c === '\r' && text[i + 1] !== '\n') line++;
        i++;
      }
      if (!closed)
        throw new CsvError(`A quoted field opened on line ${quoteLine} is never closed.`, quoteLine);
      const next = text[i];
      if (next !== undefined && next !== delimiter && next !== '\n' && next !== '\r') {
        throw new CsvError(`Unexpected text after a closing quote on line ${line}.`, line);
      }
      continue;
    }
    if (ch === delimiter) {
      rowStarted = true;
      endField();
      i++;
      continue;
    }
    if (ch === '\n' || ch === '\r') {
      if (rowStarted || field.length > 0) endRow();
      else rows.push(['']); // a blank line; callers decide whether to skip it
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
      line++;
      continue;
    }
    // Plain run of characters up to the next special character.
    let j = i + 1;
    while (j < n) {
      const c = text[j];
      if (c === delimiter || c === '\n' || c === '\r') break;
      j++;
    }
    field += text.slice(i, j);
    rowStarted = true;
    i = j;
  }
  if (rowStarted || field.length > 0) endRow();
  return rows;
}

export type CsvTable = {
  /** Header names as written in the file (trimmed). */
  header: string[];
  /** One record per data row, keyed by lower-cased header name. */
  records: Record<string, string>[];
  /** 1-based line number of each record's first line, for error messages. */
  lines: number[];
};

export type ReadTableOptions = CsvParseOptions & {
  /** Columns that must be present (matched case-insensitively); others are allowed and kept. */
  required: readonly string[];
  /** Short name of the file for messages, e.g. "answers.csv". */
  fileLabel?: string;
};

/**
 * Parses CSV text with a header row and checks the required columns, e.g. `required: ['id', 'text']`.
 * Blank lines are skipped; a row with more fields than the header is an error (usually an unquoted comma),
 * a row with fewer is padded with empty strings (spreadsheets drop trailing empty cells).
 */
export function readCsvTable(text: string, options: ReadTableOptions): CsvTable {
  const label = options.fileLabel ?? 'the CSV file';
  const expected = options.required.join(',');
  const rows = parseCsvWithLines(text, options);
  const first = rows.find((r) => !(r.fields.length === 1 && r.fields[0] === ''));
  if (!first) throw new CsvError(`${label} is empty; expected a header row "${expected}".`);
  const header = first.fields.map((h) => h.trim());
  const keys = header.map((h) => h.toLowerCase());
  const missing = options.required.filter((r) => !keys.includes(r.toLowerCase()));
  if (missing.length > 0) {
    throw new CsvError(
      `${label} has header "${header.join(',')}" but expected "${expected}" (missing ${missing.join(', ')}).`,
      first.line,
    );
  }
  const records: Record<string, string>[] = [];
  const lines: number[] = [];
  for (const row of rows) {
    if (row === first) continue;
    if (row.fields.length === 1 && row.fields[0] === '' && header.length > 1) continue;
    if (row.line < first.line) continue;
    if (row.fields.length > header.length) {
      throw new CsvError(
        `${label} line ${row.line} has ${row.fields.length} fields but the header has ${header.length}; ` +
          'put text containing commas in double quotes.',
        row.line,
      );
    }
    const record: Record<string, string> = {};
    keys.forEach((k, idx) => {
      record[k] = row.fields[idx] ?? '';
    });
    records.push(record);
    lines.push(row.line);
  }
  return { header, records, lines };
}

/** parseCsv plus the starting line of each row (kept separate so parseCsv stays a plain string[][] API). */
function parseCsvWithLines(text: string, options: CsvParseOptions): { fields: string[]; line: number }[] {
  const rows = parseCsv(text, options);
  // Recover line numbers by counting the physical lines each parsed row spans.
  const out: { fields: string[]; line: number }[] = [];
  let line = 1;
  for (const fields of rows) {
    out.push({ fields, line });
    let breaks = 0;
    for (const f of fields) {
      for (let i = 0; i < f.length; i++) {
        const c = f.charCodeAt(i);
        if (c === 10) breaks++;
        else if (c === 13 && f.charCodeAt(i + 1) !== 10) breaks++;
      }
    }
    line += 1 + breaks;
  }
  return out;
}

export type CsvWriteOptions = {
  delimiter?: string;
  /** Line ending; RFC 4180 says CRLF, which Excel and every CSV reader accept. */
  eol?: string;
  /** Prefix a UTF-8 BOM so Excel opens accented and Welsh characters (ŵ, ŷ) correctly. */
  bom?: boolean;
};

/** Quotes a field only when it needs it: delimiter, quote, line break, or edge whitespace. */
export function formatCsvField(value: string, delimiter = ','): string {
  if (
    value.includes(delimiter) ||
    value.includes('"') ||
    value.includes('\n') ||
    value.includes('\r') ||
    value !== value.trim()
  ) {
    return `"${value.replaceAll('"', '""')}"`;
  }
  return value;
}

/** Serialises rows (header first, if any) to RFC 4180 CSV text, ending with a line break. */
export function stringifyCsv(rows: readonly (readonly string[])[], options: CsvWriteOptions = {}): string {
  const delimiter = options.delimiter ?? ',';
  const eol = options.eol ?? '\r\n';
  const body = rows.map((r) => r.map((f) => formatCsvField(f, delimiter)).join(delimiter)).join(eol);
  return (options.bom ? '\ufeff' : '') + body + (rows.length > 0 ? eol : '');
}
