/**
 * Evidence files (SPEC §3; issue 4 item 1): PDF, DOCX, ODT, PNG, JPEG and TXT, at most 10 MB each and 5 per
 * report. The type is decided by the CONTENT (magic bytes; for DOCX and ODT the ZIP's own manifest; for TXT
 * valid UTF-8 without NUL bytes), never by the file name or the browser's claimed type.
 *
 * Author and location metadata are stripped before the file is stored (identity escrow: a withheld
 * reporter's name must not ride along in a photo's EXIF or a document's properties):
 * - JPEG: APP1 (EXIF, XMP), APP13 (Photoshop/IPTC) and COM segments are dropped, between scans too, and
 *   anything after the image's end (a second image or preview, with its own EXIF);
 * - PNG: tEXt, zTXt, iTXt, eXIf and tIME chunks are dropped;
 * - DOCX: docProps/core.xml's creator, last-modified-by and keywords, and docProps/app.xml's Company and
 *   Manager are emptied; the ZIP is rewritten;
 * - ODT: meta.xml's initial-creator, creator and user-defined fields are removed; the ZIP is rewritten;
 * - PDF: the Info dictionary's /Author, /Creator, /Producer and /Title strings and an uncompressed XMP
 *   packet's dc:creator and xmp:CreatorTool are blanked IN PLACE (same byte length, so the cross-reference
 *   offsets stay right). Known limit: metadata inside compressed object streams, and names typed into the
 *   document's own text or comments (in any format), are not touched.
 *
 * Files live under `DATA_DIR/uploads/<random key>` with no URL of their own; they are served only through
 * `openAttachment`, which checks the policy. With `MALWARE_SCAN_COMMAND` set, every file is scanned when it
 * arrives (exit 0 = clean, 1 = infected and refused); until a scan has passed, nobody but the reporter who
 * uploaded it can open it.
 */
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { crc32, deflateRawSync, inflateRawSync } from 'node:zlib';
import { and, count, eq, isNull, sql } from 'drizzle-orm';
import { hasRole, type CurrentUser } from '../../platform/auth/roles.ts';
import type { Database } from '../../platform/db/database.ts';
import { ForbiddenError, NotFoundError } from '../../platform/http/errors.ts';
import { identityAccess, type CaseIdentity } from './cases.identity.ts';
import { caseAttachments, caseIdentities, cases, reportDrafts } from './cases.tables.ts';

export const MAX_FILE_BYTES = 10 * 1024 * 1024;
export const MAX_FILES_PER_REPORT = 5;

export const allowedTypes = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  odt: 'application/vnd.oasis.opendocument.text',
  png: 'image/png',
  jpg: 'image/jpeg',
  txt: 'text/plain; charset=utf-8',
} as const;
export type FileKind = keyof typeof allowedTypes;

// ---------------------------------------------------------------------------------------------------------
// ZIP: just enough to read the entries of an OOXML or ODF package and write them back.

interface ZipEntry {
  name: string;
  data: Buffer;
}

/** Reads every entry of a ZIP archive (stored or deflated); throws on anything malformed. */
export function readZip(buf: Buffer): ZipEntry[] {
  // End of central directory: the last 22+ bytes, signature 0x06054b50 (the comment may follow it).
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65_557); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('not a zip');
  const total = buf.readUInt16LE(eocd + 10);
  let offset = buf.readUInt32LE(eocd + 16);
  const entries: ZipEntry[] = [];
  let inflated = 0;
  for (let i = 0; i < total; i++) {
    if (buf.readUInt32LE(offset) !== 0x02014b50) throw new Error('bad central directory');
    const method = buf.readUInt16LE(offset + 10);
    const compressedSize = buf.readUInt32LE(offset + 20);
    const size = buf.readUInt32LE(offset + 24);
    const nameLength = buf.readUInt16LE(offset + 28);
    const extraLength = buf.readUInt16LE(offset + 30);
    const commentLength = buf.readUInt16LE(offset + 32);
    const localOffset = buf.readUInt32LE(offset + 42);
    const name = buf.toString('utf8', offset + 46, offset + 46 + nameLength);
    offset += 46 + nameLength + extraLength + commentLength;
    if (buf.readUInt32LE(localOffset) !== 0x04034b50) throw new Error('bad local header');
    const start = localOffset + 30 + buf.readUInt16LE(localOffset + 26) + buf.readUInt16LE(localOffset + 28);
    const raw = buf.subarray(start, start + compressedSize);
    // A zip bomb guard: a 10 MB upload may not unpack to more than 200 MB.
    inflated += size;
    if (inflated > 200 * 1024 * 1024) throw new Error('zip too large when unpacked');
    let data: Buffer;
    if (method === 0) data = Buffer.from(raw);
    else if (method === 8) data = inflateRawSync(raw, { maxOutputLength: Math.max(size, 1) });
    else throw new Error(`unsupported zip method ${method}`);
    entries.push({ name, data });
  }
  return entries;
}

/** Writes entries as a ZIP; `storedFirst` entries (ODF's `mimetype`) are stored uncompressed. */
export function writeZip(entries: ZipEntry[], stored: (name: string) => boolean = () => false): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const store = stored(entry.name);
    const body = store ? entry.data : deflateRawSync(entry.data);
    const crc = crc32(entry.data) >>> 0;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(store ? 0 : 8, 8);
    local.writeUInt16LE(0, 10);
    local.writeUInt16LE(0x21, 12); // 1980-01-01: no timestamp carried over
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(entry.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(store ? 0 : 8, 10);
    central.writeUInt16LE(0, 12);
    central.writeUInt16LE(0x21, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(entry.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += 30 + name.length + body.length;
  }
  const centralSize = centrals.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, ...centrals, end]);
}

// ---------------------------------------------------------------------------------------------------------
// Type by content.

const startsWith = (buf: Buffer, bytes: number[]) => bytes.every((b, i) => buf[i] === b);

const MARKUP_START =
  /^\ufeff?[\t\n\f\r ]*(?:<(?:!doctype html|html|head|script|iframe|h1|div|font|table|a|style|title|b|body|br|p|svg)[ >]|<!--|<\?xml)/i;

/** The file's kind, judged by its bytes only; null when it is none of the allowed kinds. */
export function detectFileKind(buf: Buffer): FileKind | null {
  if (buf.length === 0) return null;
  if (buf.subarray(0, 5).toString('latin1') === '%PDF-') return 'pdf';
  if (startsWith(buf, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(buf, [0xff, 0xd8, 0xff])) return 'jpg';
  if (startsWith(buf, [0x50, 0x4b, 0x03, 0x04])) {
    try {
      const entries = readZip(buf);
      const mimetype = entries.find((e) => e.name === 'mimetype');
      if (mimetype?.data.toString('utf8').trim() === allowedTypes.odt) return 'odt';
      const types = entries.find((e) => e.name === '[Content_Types].xml');
      if (types?.data.toString('utf8').includes('wordprocessingml.document.main+xml')) return 'docx';
    } catch {
      return null;
    }
    return null;
  }
  // Text: valid UTF-8, no NUL and no other control characters but tab, line feed, form feed and return.
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(buf);
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u0008\u000b\u000e-\u001f\u007f]/.test(text)) return null;
    // A web page or markup file is not plain text, whatever its name: refused when it starts as browsers
    // recognise HTML and XML (the WHATWG MIME Sniffing patterns), after any byte order mark and white space.
    if (MARKUP_START.test(text)) return null;
    return 'txt';
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Metadata stripping.

function stripJpeg(buf: Buffer): Buffer {
  const parts: Buffer[] = [buf.subarray(0, 2)];
  let i = 2;
  while (i + 4 <= buf.length) {
    if (buf[i] !== 0xff) break;
    const marker = buf[i + 1]!;
    if (marker === 0xff) {
      i += 1; // a fill byte before a marker
      continue;
    }
    if (marker === 0xd9) break;
    const end = i + 2 + buf.readUInt16BE(i + 2);
    if (marker === 0xda) {
      // Start of scan: its header and compressed data, up to the next marker that is neither a stuffed byte
      // (FF 00) nor a restart (FF D0-D7). A progressive image has several scans, and segments between them
      // (an APP1 there is metadata too), so the walk goes on after each scan.
      let j = end;
      while (j + 1 < buf.length) {
        const next = buf[j + 1]!;
        if (buf[j] === 0xff && next !== 0 && (next < 0xd0 || next > 0xd7)) break;
        j += 1;
      }
      parts.push(buf.subarray(i, j));
      i = j;
      continue;
    }
    // APP1 (EXIF, XMP: camera, GPS position, author), APP13 (IPTC: by-line), COM (comments).
    if (marker !== 0xe1 && marker !== 0xed && marker !== 0xfe) parts.push(buf.subarray(i, end));
    i = end;
  }
  // The image ends here. What follows its end (a phone's second image or preview with its own EXIF and GPS,
  // a maker's trailer) is not kept.
  parts.push(Buffer.from([0xff, 0xd9]));
  return Buffer.concat(parts);
}

const PNG_DROP = new Set(['tEXt', 'zTXt', 'iTXt', 'eXIf', 'tIME']);

function stripPng(buf: Buffer): Buffer {
  const parts: Buffer[] = [buf.subarray(0, 8)];
  let i = 8;
  while (i + 12 <= buf.length) {
    const length = buf.readUInt32BE(i);
    const type = buf.toString('latin1', i + 4, i + 8);
    const end = i + 12 + length;
    if (!PNG_DROP.has(type)) parts.push(buf.subarray(i, end));
    i = end;
    if (type === 'IEND') break;
  }
  return Buffer.concat(parts);
}

/** Replaces each match's captured value with spaces of the same length (byte offsets stay valid). */
function blankInPlace(text: string, pattern: RegExp): string {
  return text.replace(pattern, (whole, prefix: string, value: string, suffix: string) => {
    void whole;
    return prefix + ' '.repeat(value.length) + suffix;
  });
}

function stripPdf(buf: Buffer): Buffer {
  let text = buf.toString('latin1');
  for (const key of ['Author', 'Creator', 'Producer', 'Title']) {
    // Literal strings (balanced parentheses are rare in these fields; escaped ones are handled) and hex strings.
    text = blankInPlace(text, new RegExp(`(/${key}\\s*\\()((?:\\\\.|[^\\\\)])*)(\\))`, 'g'));
    text = blankInPlace(text, new RegExp(`(/${key}\\s*<)([0-9A-Fa-f\\s]*)(>)`, 'g'));
  }
  text = blankInPlace(text, /(<dc:creator>)([\s\S]*?)(<\/dc:creator>)/g);
  text = blankInPlace(text, /(<xmp:CreatorTool>)([\s\S]*?)(<\/xmp:CreatorTool>)/g);
  text = blankInPlace(text, /(<pdf:Producer>)([\s\S]*?)(<\/pdf:Producer>)/g);
  return Buffer.from(text, 'latin1');
}

function emptyElements(xml: string, names: string[]): string {
  let out = xml;
  for (const name of names) {
    const n = name.replace(':', '\\:');
    out = out.replace(new RegExp(`<${n}(\\s[^>]*)?>[\\s\\S]*?</${n}>`, 'g'), `<${name}></${name}>`);
  }
  return out;
}

function removeElements(xml: string, names: string[]): string {
  let out = xml;
  for (const name of names) {
    const n = name.replace(':', '\\:');
    out = out.replace(new RegExp(`<${n}(\\s[^>]*)?(/>|>[\\s\\S]*?</${n}>)`, 'g'), '');
  }
  return out;
}

function stripDocx(buf: Buffer): Buffer {
  const entries = readZip(buf).map((entry) => {
    if (entry.name === 'docProps/core.xml') {
      const xml = emptyElements(entry.data.toString('utf8'), [
        'dc:creator',
        'cp:lastModifiedBy',
        'cp:keywords',
      ]);
      return { name: entry.name, data: Buffer.from(xml, 'utf8') };
    }
    if (entry.name === 'docProps/app.xml') {
      const xml = emptyElements(entry.data.toString('utf8'), ['Company', 'Manager']);
      return { name: entry.name, data: Buffer.from(xml, 'utf8') };
    }
    return entry;
  });
  return writeZip(entries);
}

function stripOdt(buf: Buffer): Buffer {
  const entries = readZip(buf).map((entry) => {
    if (entry.name !== 'meta.xml') return entry;
    const xml = removeElements(entry.data.toString('utf8'), [
      'meta:initial-creator',
      'dc:creator',
      'meta:user-defined',
      'meta:printed-by',
    ]);
    return { name: entry.name, data: Buffer.from(xml, 'utf8') };
  });
  // ODF: `mimetype` must come first and be stored uncompressed.
  entries.sort((a, b) => (a.name === 'mimetype' ? -1 : b.name === 'mimetype' ? 1 : 0));
  return writeZip(entries, (name) => name === 'mimetype');
}

/** The file without author and location metadata (see the module comment for what each format loses). */
export function stripMetadata(kind: FileKind, buf: Buffer): Buffer {
  switch (kind) {
    case 'jpg':
      return stripJpeg(buf);
    case 'png':
      return stripPng(buf);
    case 'pdf':
      return stripPdf(buf);
    case 'docx':
      return stripDocx(buf);
    case 'odt':
      return stripOdt(buf);
    case 'txt':
      return buf;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Scanning.

export type ScanResult = 'clean' | 'infected' | 'error';

/** Runs the configured scan command on a file: exit 0 clean, 1 infected (ClamAV's convention), else error. */
export function runMalwareScan(command: string, file: string, timeoutMs = 120_000): Promise<ScanResult> {
  // No shell: the command is split on spaces and `{file}` replaced, so a file path cannot inject anything.
  const [program, ...args] = command
    .trim()
    .split(/\s+/)
    .map((part) => part.replaceAll('{file}', file));
  return new Promise((resolve) => {
    execFile(program!, args, { timeout: timeoutMs }, (error) => {
      if (!error) return resolve('clean');
      const code = (error as { code?: unknown }).code;
      resolve(code === 1 ? 'infected' : 'error');
    });
  });
}

// ---------------------------------------------------------------------------------------------------------
// Storage and access.

export type UploadRefusal = 'type' | 'size' | 'count' | 'empty' | 'infected';

export interface IncomingFile {
  fileName: string;
  data: Buffer;
  /** The upload went past the size limit and was cut short. */
  truncated: boolean;
}

/** A file name safe to show and to send in Content-Disposition: no path, no control characters. */
export function cleanFileName(name: string, kind: FileKind): string {
  const base = path
    .basename(name.replaceAll('\\', '/'))
    .replace(/[^\p{L}\p{N} ._()-]/gu, '_')
    .slice(0, 120);
  const stem = base.replace(/\.[^.]*$/, '') || 'evidence';
  return `${stem}.${kind}`;
}

/**
 * Whether staff may open a file: it scanned clean, or no scan command is configured and it was never
 * scanned (issue 4: "a configurable malware-scan command (off by default) that must pass before staff can
 * open a file"). The one rule for both the link on the case page and the download itself.
 */
export function evidenceCleared(scanStatus: string, scanningOn: boolean): boolean {
  return scanStatus === 'clean' || (!scanningOn && scanStatus === 'not_scanned');
}

/**
 * The name staff see for a file: its own for a public case, a neutral one otherwise, because a file name
 * can carry the reporter's name ("letter-from-jane-smith.pdf").
 */
export function staffFileName(file: { id: string; fileName: string }, confidentiality: string): string {
  if (confidentiality === 'public') return file.fileName;
  const extension = file.fileName.includes('.') ? file.fileName.split('.').pop() : 'bin';
  return `evidence-${file.id.slice(0, 8)}.${extension}`;
}

export function createUploads(deps: {
  db: Database;
  dataDir: string;
  scanCommand?: string;
  identity: CaseIdentity;
  /** Declared conflicts of interest (the panel module's): a conflicted panel member cannot open the file. */
  hasConflict?: (userId: string, caseId: string) => Promise<boolean>;
}) {
  const { db, identity } = deps;
  const folder = path.resolve(deps.dataDir, 'uploads');

  async function attachedCount(draftId: string): Promise<number> {
    const [row] = await db
      .get()
      .select({ n: count() })
      .from(caseAttachments)
      .where(and(eq(caseAttachments.draftId, draftId), isNull(caseAttachments.caseId)));
    return row?.n ?? 0;
  }

  return {
    folder,

    /**
     * Checks, cleans, scans and stores files for a report draft. Files are taken in order until one is
     * refused; the refusal says why (the page shows it and keeps every other answer).
     */
    async addToDraft(
      draftId: string,
      files: IncomingFile[],
    ): Promise<{ stored: number; refusal?: { reason: UploadRefusal; fileName: string } }> {
      let existing = await attachedCount(draftId);
      let stored = 0;
      for (const file of files) {
        const refuse = (reason: UploadRefusal) => ({ stored, refusal: { reason, fileName: file.fileName } });
        // First: the route does not read files past the limit (their data is empty), so this must decide them.
        if (existing >= MAX_FILES_PER_REPORT) return refuse('count');
        if (file.truncated || file.data.length > MAX_FILE_BYTES) return refuse('size');
        if (file.data.length === 0) return refuse('empty');
        const kind = detectFileKind(file.data);
        if (!kind) return refuse('type');
        const clean = stripMetadata(kind, file.data);
        await mkdir(folder, { recursive: true });
        const storageKey = randomBytes(24).toString('hex');
        const full = path.join(folder, storageKey);
        await writeFile(full, clean, { mode: 0o600 });
        let scanStatus: 'not_scanned' | 'clean' | 'error' = 'not_scanned';
        if (deps.scanCommand) {
          const result = await runMalwareScan(deps.scanCommand, full);
          if (result === 'infected') {
            await rm(full, { force: true });
            return refuse('infected');
          }
          scanStatus = result;
        }
        // The count is checked again with the draft locked, because two uploads at once (a double click on
        // "Upload files") each read the count before either stored its file, and both were kept: 6 files.
        const kept = await db.transaction(async () => {
          await db.get().execute(sql`select id from ${reportDrafts} where id = ${draftId} for update`);
          if ((await attachedCount(draftId)) >= MAX_FILES_PER_REPORT) return false;
          await db
            .get()
            .insert(caseAttachments)
            .values({
              draftId,
              storageKey,
              fileName: cleanFileName(file.fileName, kind),
              contentType: allowedTypes[kind],
              sizeBytes: clean.length,
              sha256: createHash('sha256').update(clean).digest('hex'),
              scanStatus,
              uploadedBySide: 'reporter',
            });
          return true;
        });
        if (!kept) {
          await rm(full, { force: true });
          return refuse('count');
        }
        existing++;
        stored++;
      }
      return { stored };
    },

    async listForDraft(draftId: string) {
      return db
        .get()
        .select({
          id: caseAttachments.id,
          fileName: caseAttachments.fileName,
          sizeBytes: caseAttachments.sizeBytes,
          scanStatus: caseAttachments.scanStatus,
        })
        .from(caseAttachments)
        .where(and(eq(caseAttachments.draftId, draftId), isNull(caseAttachments.caseId)))
        .orderBy(caseAttachments.createdAt);
    },

    async removeFromDraft(draftId: string, attachmentId: string): Promise<void> {
      const [row] = await db
        .get()
        .delete(caseAttachments)
        .where(
          and(
            eq(caseAttachments.id, attachmentId),
            eq(caseAttachments.draftId, draftId),
            isNull(caseAttachments.caseId),
          ),
        )
        .returning({ storageKey: caseAttachments.storageKey });
      if (row) await rm(path.join(folder, row.storageKey), { force: true });
    },

    /** Moves a draft's files onto the case (inside the submitting transaction). */
    /** The same for several drafts in one statement: how many files each draft gave its case. */
    async attachDraftFilesToCases(
      pairs: { draftId: string; caseId: string }[],
    ): Promise<Map<string, number>> {
      const counts = new Map<string, number>();
      if (pairs.length === 0) return counts;
      const rows = await db.get().execute(sql`
        update ${caseAttachments} set case_id = v.case_id
        from unnest(${sql.param(pairs.map((p) => p.draftId))}::uuid[], ${sql.param(pairs.map((p) => p.caseId))}::uuid[])
          as v(draft_id, case_id)
        where ${caseAttachments.draftId} = v.draft_id and ${caseAttachments.caseId} is null
        returning ${caseAttachments.draftId} as draft_id`);
      for (const row of (rows as unknown as { rows: { draft_id: string }[] }).rows)
        counts.set(row.draft_id, (counts.get(row.draft_id) ?? 0) + 1);
      return counts;
    },

    async attachDraftFilesToCase(draftId: string, caseId: string): Promise<number> {
      const rows = await db
        .get()
        .update(caseAttachments)
        .set({ caseId })
        .where(and(eq(caseAttachments.draftId, draftId), isNull(caseAttachments.caseId)))
        .returning({ id: caseAttachments.id });
      return rows.length;
    },

    /**
     * Opens an evidence file for `user`, or throws NotFound / Forbidden. Who may open it:
     * - the reporter who filed the case (or owns the draft), always;
     * - the Covenant team, the body's own staff and (after escalation, unless conflicted) panel members,
     *   and only once the file is cleared: scanned clean, or scanning is switched off.
     * For cases that are not public, everyone but the reporter gets a neutral file name, because a file
     * name can carry the reporter's name ("letter-from-jane-smith.pdf").
     */
    async openAttachment(
      user: CurrentUser | null,
      attachmentId: string,
    ): Promise<{ data: Buffer; fileName: string; contentType: string }> {
      if (!user) throw new ForbiddenError('Sign in to open evidence');
      if (!/^[0-9a-f-]{36}$/i.test(attachmentId)) throw new NotFoundError('No such file');
      const [row] = await db.get().select().from(caseAttachments).where(eq(caseAttachments.id, attachmentId));
      if (!row) throw new NotFoundError('No such file');
      const read = () => readFile(path.join(folder, row.storageKey));
      if (!row.caseId) {
        const [draft] = await db
          .get()
          .select({ userId: reportDrafts.userId })
          .from(reportDrafts)
          .where(eq(reportDrafts.id, row.draftId ?? ''));
        if (!draft || draft.userId !== user.id) throw new NotFoundError('No such file');
        return { data: await read(), fileName: row.fileName, contentType: row.contentType };
      }
      if (await identity.isReporter(user.id, row.caseId)) {
        return { data: await read(), fileName: row.fileName, contentType: row.contentType };
      }
      const [facts] = await db
        .get()
        .select({
          confidentiality: cases.confidentiality,
          bodyId: cases.bodyId,
          intermediaryOrganisationId: cases.intermediaryOrganisationId,
          escalatedAt: cases.escalatedAt,
          reporterOrganisationId: caseIdentities.reporterOrganisationId,
        })
        .from(cases)
        .leftJoin(caseIdentities, eq(caseIdentities.caseId, cases.id))
        .where(eq(cases.id, row.caseId));
      if (!facts) throw new NotFoundError('No such file');
      const bodyStaff =
        facts.bodyId !== null &&
        (hasRole(user, 'body_officer', facts.bodyId) || hasRole(user, 'body_lead', facts.bodyId));
      // The panel's rule is the identity rule's (escalated, not conflicted): reused rather than restated.
      const panel =
        hasRole(user, 'panel_member') &&
        identityAccess(user, facts, {
          reporterUserId: null,
          reporterOrganisationId: facts.reporterOrganisationId,
        }) === 'full' &&
        !(await deps.hasConflict?.(user.id, row.caseId));
      if (!hasRole(user, 'admin') && !bodyStaff && !panel) throw new NotFoundError('No such file');
      if (!evidenceCleared(row.scanStatus, !!deps.scanCommand))
        throw new ForbiddenError('This file has not passed its malware scan yet');
      const fileName = staffFileName(row, facts.confidentiality);
      return { data: await read(), fileName, contentType: row.contentType };
    },
  };
}

export type Uploads = ReturnType<typeof createUploads>;
