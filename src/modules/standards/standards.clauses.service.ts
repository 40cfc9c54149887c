/**
 * The public agreement check (issue 5, item 2): takes pasted text or an uploaded file, reads the file by its
 * content (TXT, DOCX, PDF), runs the clause checker and shapes the findings for the results page, with the
 * matched words of each clause marked. Nothing is stored: the text lives only for the request.
 */
import { checkClauses, type ClauseFinding, type ClauseRule } from './clauses/checker.ts';
import { ExtractError, extractAgreementText, type AgreementFormat } from './clauses/extract.ts';
import { MAX_CLAUSE_TEXT } from './clauses/checker.ts';

export interface UploadedAgreement {
  fileName: string;
  data: Buffer;
  /** True when the upload went past the size limit and was cut off. */
  truncated: boolean;
}

/** A problem with the input, for the error summary: the field it belongs to and a catalogue key. */
export interface CheckInputError {
  field: 'text' | 'file';
  key: string;
  params?: Record<string, string>;
}

/** One piece of a clause's text: marked pieces are the words the check matched. */
export interface ClausePiece {
  text: string;
  marked: boolean;
}

export interface PresentedFinding {
  rule: ClauseRule;
  start: number;
  end: number;
  pieces: ClausePiece[];
  why: string;
  /** The list lead-in the clause belongs to, shown for context ('' when none). */
  leadIn: string;
}

export interface CheckResult {
  characters: number;
  source: { kind: 'pasted' } | { kind: 'file'; name: string; format: AgreementFormat };
  findings: PresentedFinding[];
}

/** Splits a finding's clause into unmarked and marked pieces (its matches are offsets into the input). */
export function piecesOf(finding: ClauseFinding): ClausePiece[] {
  const pieces: ClausePiece[] = [];
  let at = finding.start;
  for (const match of finding.matches) {
    const from = Math.max(match.start, at);
    const to = Math.min(match.end, finding.end);
    if (to <= from) continue;
    if (from > at)
      pieces.push({ text: finding.text.slice(at - finding.start, from - finding.start), marked: false });
    pieces.push({ text: finding.text.slice(from - finding.start, to - finding.start), marked: true });
    at = to;
  }
  if (at < finding.end) pieces.push({ text: finding.text.slice(at - finding.start), marked: false });
  return pieces;
}

function present(text: string, source: CheckResult['source']): CheckResult {
  const findings = checkClauses(text).map((f) => ({
    rule: f.rule,
    start: f.start,
    end: f.end,
    pieces: piecesOf(f),
    why: f.why,
    leadIn: f.leadIn,
  }));
  return { characters: text.length, source, findings };
}

const extractErrorKeys: Record<ExtractError['code'], string> = {
  empty: 'clauses.errors.empty',
  unreadable: 'clauses.errors.unreadable',
  noTextLayer: 'clauses.errors.noTextLayer',
  unsupported: 'clauses.errors.unsupported',
  tooLarge: 'clauses.errors.tooLarge',
};

/**
 * Checks what the form sent: exactly one of pasted text (already bounded by the schema) or a file. Returns
 * the results, or the input problem to show against its field.
 */
export async function checkAgreement(input: {
  text: string;
  file?: UploadedAgreement;
}): Promise<{ result: CheckResult } | { error: CheckInputError }> {
  const pasted = input.text.trim() !== '';
  if (pasted && input.file) return { error: { field: 'text', key: 'clauses.errors.both' } };
  if (pasted) return { result: present(input.text, { kind: 'pasted' }) };
  if (!input.file) return { error: { field: 'text', key: 'clauses.errors.inputRequired' } };
  if (input.file.truncated) return { error: { field: 'file', key: 'clauses.errors.tooLarge' } };
  try {
    const { text, format } = await extractAgreementText(input.file.data);
    return { result: present(text, { kind: 'file', name: input.file.fileName, format }) };
  } catch (error) {
    if (!(error instanceof ExtractError)) throw error;
    // Too much text (rather than too many bytes) has its own message.
    if (error.code === 'tooLarge' && input.file.data.length <= 10 * 1024 * 1024) {
      return {
        error: {
          field: 'file',
          key: 'clauses.errors.textLayerTooLarge',
          params: { max: MAX_CLAUSE_TEXT.toLocaleString('en-GB') },
        },
      };
    }
    return {
      error: { field: 'file', key: extractErrorKeys[error.code], params: { detail: error.message } },
    };
  }
}
