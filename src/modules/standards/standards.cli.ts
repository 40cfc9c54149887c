/**
 * `covenant clauses check FILE…`: checks agreements for clauses that conflict with the Covenant (A1–A3) and
 * prints one JSON object per line per finding: { rule, start, end, text, why }, where text is
 * input.slice(start, end) of the file's text (for .docx and .pdf, the extracted text). A clean agreement
 * prints nothing. Exit code 0 whether or not anything was found; 1 when a file cannot be read (the message
 * on stderr says why); 2 for a usage error. FILE may be `-` for standard input.
 */
import { readFile } from 'node:fs/promises';
import type { CliIo } from '../../cli.ts';
import { checkClauses } from './clauses/checker.ts';
import { ExtractError, extractAgreementText, MAX_AGREEMENT_BYTES } from './clauses/extract.ts';

const USAGE =
  'Usage: covenant clauses check FILE [FILE…]   (FILE: .txt, .docx or .pdf; - for standard input)\n';

async function readInput(file: string, io: CliIo): Promise<Buffer> {
  if (file !== '-') return readFile(file);
  if (!io.stdin) throw new Error('no standard input');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of io.stdin) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > MAX_AGREEMENT_BYTES)
      throw new ExtractError('tooLarge', 'The input must be smaller than 10 MB.');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

function describeReadError(error: unknown): string {
  if (error instanceof ExtractError) return error.message;
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === 'ENOENT') return 'there is no such file.';
  if (code === 'EISDIR') return 'it is a folder, not a file.';
  if (code === 'EACCES' || code === 'EPERM') return 'permission to read it was refused.';
  return error instanceof Error ? error.message : String(error);
}

export async function runClausesCommand(argv: string[], io: CliIo): Promise<number> {
  const [sub, ...files] = argv;
  if (sub === '--help' || sub === '-h') {
    io.stdout.write(USAGE);
    return 0;
  }
  if (sub !== 'check' || files.length === 0) {
    io.stderr.write(USAGE);
    return 2;
  }
  let failed = false;
  for (const file of files) {
    let text: string;
    try {
      const bytes = await readInput(file, io);
      ({ text } = await extractAgreementText(bytes));
    } catch (error) {
      // An empty file is clean text, not an unreadable one.
      if (error instanceof ExtractError && error.code === 'empty') continue;
      io.stderr.write(
        `covenant clauses: cannot read ${file === '-' ? 'standard input' : file}: ${describeReadError(error)}\n`,
      );
      failed = true;
      continue;
    }
    for (const finding of checkClauses(text)) {
      const line: Record<string, unknown> = {
        rule: finding.rule,
        start: finding.start,
        end: finding.end,
        text: finding.text,
        why: finding.why,
      };
      if (files.length > 1) line.file = file;
      io.stdout.write(`${JSON.stringify(line)}\n`);
    }
  }
  return failed ? 1 : 0;
}
