/**
 * The agreement check form, validated once at the edge. The form posts either pasted text or one file; the
 * file's bytes are checked by content (clauses/extract.ts), so the schema only bounds the pasted text.
 */
import { z } from 'zod';

/** The most text that can be pasted (characters): about 50 pages; longer agreements are uploaded as files. */
export const MAX_PASTED_CHARACTERS = 200_000;

export const CheckAgreementForm = z.object({
  /** The pasted agreement text; empty when a file is uploaded instead. */
  text: z
    .string()
    .max(MAX_PASTED_CHARACTERS, 'clauses.errors.textTooLong')
    .optional()
    .transform((value) => value ?? ''),
});
export type CheckAgreementInput = z.infer<typeof CheckAgreementForm>;
