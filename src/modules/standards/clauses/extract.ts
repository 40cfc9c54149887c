/**
 * Text from an uploaded agreement: plain text (UTF-8 or UTF-16 with a byte-order mark), Word (.docx: the
 * paragraphs of word/document.xml, read with a small ZIP reader over node:zlib) or PDF (the text layer, read
 * with pdfjs-dist; a scanned PDF has none, and we say so). The file type is decided by its content, not its
 * name. Failures are ExtractError with a message fit to show the person who uploaded the file.
 */
import { inflateRawSync } from 'node:zlib';
import { MAX_CLAUSE_TEXT } from './checker.ts';

export class ExtractError extends Error {
  /** What went wrong; the check page shows `clauses.errors.<code>` (standards.clauses.messages.ts). */
  readonly code: 'empty' | 'unreadable' | 'noTextLayer' | 'unsupported' | 'tooLarge';
  constructor(code: ExtractError['code'], message: string) {
    super(message);
    this.name = 'ExtractError';
    this.code = code;
  }
}

export type AgreementFormat = 'text' | 'docx' | 'pdf';

/** Uploads larger than this are refused before reading (10 MB). */
export const MAX_AGREEMENT_BYTES = 10 * 1024 * 1024;

export function detectFormat(bytes: Uint8Array): AgreementFormat | 'zip' | 'binary' {
  const head = Buffer.from(bytes.subarray(0, 8)).toString('latin1');
  if (head.startsWith('%PDF-')) return 'pdf';
  if (head.startsWith('PK\u0003\u0004')) {
    return findZipEntry(Buffer.from(bytes), 'word/document.xml') ? 'docx' : 'zip';
  }
  // UTF-16 with a BOM is text; otherwise a NUL byte in the first 8 KB means a binary file.
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) return 'text';
  return bytes.subarray(0, 8192).includes(0) ? 'binary' : 'text';
}

/** Windows-1252's characters for bytes 0x80–0x9F (the rest is Latin-1); 0 where the byte is unassigned. */
const CP1252_HIGH = [
  0x20ac, 0, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0,
  0x017d, 0, 0, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a,
  0x0153, 0, 0x017e, 0x0178,
];

/**
 * Windows-1252 by hand: Node's TextDecoder treats the label as Latin-1 and turns curly quotes (0x93, 0x94)
 * into C1 control characters.
 */
function decodeWindows1252(bytes: Buffer): string {
  let out = '';
  for (const byte of bytes) {
    const high = byte >= 0x80 && byte <= 0x9f ? CP1252_HIGH[byte - 0x80] : byte;
    out += String.fromCharCode(high || byte);
  }
  return out;
}

/** Decodes plain text, refusing bytes that are not text. */
export function decodeText(bytes: Uint8Array): string {
  const buffer = Buffer.from(bytes);
  if (buffer[0] === 0xff && buffer[1] === 0xfe) return buffer.subarray(2).toString('utf16le');
  if (buffer[0] === 0xfe && buffer[1] === 0xff) {
    const swapped = Buffer.from(buffer.subarray(2));
    swapped.swap16();
    return swapped.toString('utf16le');
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(buffer);
  } catch {
    // Not UTF-8: Windows-1252 is what older Word "Save as text" produces.
    text = decodeWindows1252(buffer);
  }
  return text.replace(/^\uFEFF/, '');
}

interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  localHeaderOffset: number;
}

/** Reads the central directory of a ZIP file (no ZIP64; agreements are small). */
function zipEntries(zip: Buffer): ZipEntry[] {
  // The end-of-central-directory record is in the last 64 KB + 22 bytes.
  const min = Math.max(0, zip.length - 65_557);
  let eocd = -1;
  for (let i = zip.length - 22; i >= min; i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new ExtractError('unreadable', 'The file is not a complete Word document.');
  const count = zip.readUInt16LE(eocd + 10);
  let offset = zip.readUInt32LE(eocd + 16);
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (offset + 46 > zip.length || zip.readUInt32LE(offset) !== 0x02014b50) {
      throw new ExtractError('unreadable', 'The Word document is damaged.');
    }
    const method = zip.readUInt16LE(offset + 10);
    const compressedSize = zip.readUInt32LE(offset + 20);
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    const localHeaderOffset = zip.readUInt32LE(offset + 42);
    const name = zip.subarray(offset + 46, offset + 46 + nameLength).toString('utf8');
    entries.push({ name, method, compressedSize, localHeaderOffset });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

function findZipEntry(zip: Buffer, name: string): ZipEntry | undefined {
  try {
    return zipEntries(zip).find((e) => e.name === name);
  } catch {
    return undefined;
  }
}

function readZipEntry(zip: Buffer, entry: ZipEntry): Buffer {
  const at = entry.localHeaderOffset;
  if (at + 30 > zip.length || zip.readUInt32LE(at) !== 0x04034b50) {
    throw new ExtractError('unreadable', 'The Word document is damaged.');
  }
  const start = at + 30 + zip.readUInt16LE(at + 26) + zip.readUInt16LE(at + 28);
  const data = zip.subarray(start, start + entry.compressedSize);
  if (entry.method === 0) return Buffer.from(data);
  if (entry.method !== 8)
    throw new ExtractError('unreadable', 'The Word document uses an unknown compression.');
  try {
    // 50 MB of XML is far more than any agreement; the cap stops a ZIP bomb.
    return inflateRawSync(data, { maxOutputLength: 50 * 1024 * 1024 });
  } catch {
    throw new ExtractError('unreadable', 'The Word document is damaged.');
  }
}

const XML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeXml(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, entity: string) => {
    if (entity.startsWith('#x') || entity.startsWith('#X'))
      return String.fromCodePoint(parseInt(entity.slice(2), 16));
    if (entity.startsWith('#')) return String.fromCodePoint(parseInt(entity.slice(1), 10));
    return XML_ENTITIES[entity] ?? whole;
  });
}

/** The text of a .docx: one line per paragraph, tabs and line breaks kept, deleted revisions left out. */
export function docxText(bytes: Uint8Array): string {
  const zip = Buffer.from(bytes);
  const entry = findZipEntry(zip, 'word/document.xml');
  if (!entry) throw new ExtractError('unreadable', 'The file is not a Word (.docx) document.');
  const xml = readZipEntry(zip, entry).toString('utf8');
  const body = xml.replace(/<w:del\b[\s\S]*?<\/w:del>/g, '');
  const paragraphs: string[] = [];
  for (const p of body.match(/<w:p[\s>][\s\S]*?<\/w:p>|<w:p\/>/g) ?? []) {
    let line = '';
    for (const token of p.match(/<w:t(?:\s[^>]*)?>[\s\S]*?<\/w:t>|<w:tab\/>|<w:br[^>]*\/>|<w:cr\/>/g) ?? []) {
      if (token.startsWith('<w:tab')) line += '\t';
      else if (token.startsWith('<w:br') || token.startsWith('<w:cr')) line += '\n';
      else line += decodeXml(token.replace(/^<w:t(?:\s[^>]*)?>/, '').replace(/<\/w:t>$/, ''));
    }
    paragraphs.push(line);
  }
  return paragraphs.join('\n');
}

/** The text layer of a PDF, one line per text line, pages separated by a blank line. */
export async function pdfText(bytes: Uint8Array): Promise<string> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  let doc;
  try {
    doc = await pdfjs.getDocument({
      data: new Uint8Array(bytes),
      useSystemFonts: false,
      isEvalSupported: false,
      disableFontFace: true,
      verbosity: 0,
    }).promise;
  } catch (error) {
    const name = error instanceof Error ? error.name : '';
    if (name === 'PasswordException') {
      throw new ExtractError('unreadable', 'The PDF is protected by a password. Upload a copy without one.');
    }
    throw new ExtractError('unreadable', 'The PDF could not be read. It may be damaged.');
  }
  try {
    const pages: string[] = [];
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      const content = await page.getTextContent();
      let line = '';
      const lines: string[] = [];
      for (const item of content.items) {
        if (!('str' in item)) continue;
        line += item.str;
        if (item.hasEOL) {
          lines.push(line);
          line = '';
        }
      }
      if (line) lines.push(line);
      pages.push(lines.join('\n'));
    }
    const text = pages.join('\n\n');
    if (text.replace(/\s/g, '').length === 0) {
      throw new ExtractError(
        'noTextLayer',
        'This PDF has no text layer (it may be a scanned image). Upload the original document, or a PDF made from it, or paste the text.',
      );
    }
    return text;
  } finally {
    await doc.destroy();
  }
}

/** The text of an uploaded agreement, whatever its format. */
export async function extractAgreementText(
  bytes: Uint8Array,
): Promise<{ text: string; format: AgreementFormat }> {
  if (bytes.length === 0) throw new ExtractError('empty', 'The file is empty.');
  if (bytes.length > MAX_AGREEMENT_BYTES) {
    throw new ExtractError('tooLarge', 'The file must be smaller than 10 MB.');
  }
  const format = detectFormat(bytes);
  let text: string;
  if (format === 'pdf') text = await pdfText(bytes);
  else if (format === 'docx') text = docxText(bytes);
  else if (format === 'text') text = decodeText(bytes);
  else {
    throw new ExtractError(
      'unsupported',
      'The file must be a text file (.txt), a Word document (.docx) or a PDF.',
    );
  }
  if (text.trim() === '') throw new ExtractError('empty', 'The file has no text in it.');
  if (text.length > MAX_CLAUSE_TEXT) {
    throw new ExtractError(
      'tooLarge',
      `The document has more than ${MAX_CLAUSE_TEXT.toLocaleString('en-GB')} characters of text. Check it in parts.`,
    );
  }
  return { text, format: format === 'text' ? 'text' : format };
}
