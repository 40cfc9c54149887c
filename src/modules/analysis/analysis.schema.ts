/**
 * Forms of the analysis pages, validated once at the edge. Messages are catalogue keys (`analysis.errors.*`),
 * translated by toGovukErrors.
 */
import { z } from 'zod';

const text = (max: number, required: string, tooLong: string) =>
  z.string({ error: required }).trim().min(1, required).max(max, tooLong);

/** A checkbox group arrives as nothing, one string or several. */
const many = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (v === undefined ? [] : [v].flat()));

export const NewSetForm = z.object({
  name: text(200, 'analysis.errors.setNameRequired', 'analysis.errors.setNameTooLong'),
  /** Pasted CSV, for people who cannot upload a file; the file input wins when both are given. */
  csv: z.string().optional().default(''),
});

export const RunForm = z.object({
  k: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? Number(v) : undefined))
    .pipe(
      z
        .number({ error: 'analysis.errors.kRange' })
        .int('analysis.errors.kRange')
        .min(2, 'analysis.errors.kRange')
        .max(50, 'analysis.errors.kRange')
        .optional(),
    ),
});

export const RenameForm = z.object({
  label: text(120, 'analysis.errors.themeNameRequired', 'analysis.errors.themeNameTooLong'),
});

export const MergeForm = z.object({
  into: z.string({ error: 'analysis.errors.chooseTheme' }).min(1, 'analysis.errors.chooseTheme'),
});

/** Deleting a theme asks for nothing but the CSRF token. */
export const DeleteForm = z.object({});

export const SplitForm = z.object({
  parts: z.coerce
    .number({ error: 'analysis.errors.splitParts' })
    .int('analysis.errors.splitParts')
    .min(2, 'analysis.errors.splitParts')
    .max(10, 'analysis.errors.splitParts'),
});

export const MoveForm = z.object({
  items: many.refine((v) => v.length > 0, 'analysis.errors.chooseItems'),
  to: z.string({ error: 'analysis.errors.chooseTheme' }).min(1, 'analysis.errors.chooseTheme'),
});

export const CodeForm = z.object({
  name: text(80, 'analysis.errors.codeNameRequired', 'analysis.errors.codeNameTooLong'),
  description: z.string().trim().max(1000, 'analysis.errors.codeDescriptionTooLong').optional().default(''),
});

export const CodingForm = z.object({
  codes: many,
  /** Where to go after saving: the next answer, or back to the suggestions. */
  then: z.enum(['next', 'stay', 'suggestions']).optional().default('next'),
});

export const AgreementQuery = z.object({
  first: z.string().optional(),
  second: z.string().optional(),
});
