/**
 * Query strings and forms of the public register, validated once at the edge. Messages are catalogue keys.
 * The search page, the feed and the API share `RegisterSearchQuery`.
 */
import { z } from 'zod';
import { outcomeCodes } from '../cases/cases.lifecycle.ts';
import { REGISTER_MAX_PAGE } from './register.service.ts';
import { registerFields, registerStatuses } from './register.tables.ts';

/** Longest search text accepted (longer is refused, not cut: the person should know). */
export const MAX_QUERY_LENGTH = 200;
/** Case references are CH-YYYY-NNNNNN; anything far longer names no case. */
export const MAX_REFERENCE_LENGTH = 40;

const blankToUndefined = (v: unknown) => (v === '' || v === undefined || v === null ? undefined : v);
const optionalText = (max: number, message: string) =>
  z.preprocess(
    (v) => (typeof v === 'string' ? v.trim() || undefined : undefined),
    z.string().max(max, message).optional(),
  );

/** A page number: a whole number from 1 to REGISTER_MAX_PAGE (anything else is a bad request). */
export const PageNumber = z.preprocess(
  blankToUndefined,
  z.coerce.number().int().min(1).max(REGISTER_MAX_PAGE).default(1),
);

export const RegisterSearchQuery = z.object({
  q: optionalText(MAX_QUERY_LENGTH, 'register.search.errors.queryTooLong'),
  body: z.preprocess(blankToUndefined, z.string().max(200).optional()),
  commitment: z.preprocess(blankToUndefined, z.string().max(50).optional()),
  outcome: z.preprocess(blankToUndefined, z.enum(outcomeCodes).optional()),
  year: z.preprocess(blankToUndefined, z.coerce.number().int().min(2000).max(2100).optional()),
  page: PageNumber,
});
export type RegisterSearchQuery = z.infer<typeof RegisterSearchQuery>;

export const StatisticsQuery = z.object({
  year: z.preprocess(
    blankToUndefined,
    z.coerce
      .number()
      .int('register.statistics.errors.year')
      .min(2000, 'register.statistics.errors.year')
      .max(2100, 'register.statistics.errors.year')
      .optional(),
  ),
});

export const ModerationQuery = z.object({
  status: z.preprocess(blankToUndefined, z.enum(registerStatuses).default('pending')),
  page: PageNumber,
});

const version = z.coerce.number().int().min(1);
const fieldName = z.enum(registerFields, { message: 'register.errors.fieldInvalid' });
const reason = z.preprocess(
  (v) => (typeof v === 'string' ? v.trim() : ''),
  z.string().min(1, 'register.errors.reasonRequired').max(2000, 'register.errors.reasonTooLong'),
);

export const RedactionForm = z.object({
  field: fieldName,
  spanId: z.string().regex(/^[am]\d{1,5}$/),
  decision: z.enum(['undo', 'restore', 'remove']),
  version,
});

export const AddRedactionForm = z.object({
  field: fieldName,
  phrase: z.preprocess(
    (v) => (typeof v === 'string' ? v.trim() : ''),
    z.string().min(1, 'register.errors.phraseRequired').max(200, 'register.errors.phraseTooLong'),
  ),
  version,
});

export const EditTextForm = z.object({
  field: fieldName,
  text: z.preprocess(
    (v) => (typeof v === 'string' ? v.replace(/\r\n/g, '\n').trim() : ''),
    z.string().max(10_000, 'register.errors.textTooLong'),
  ),
  version,
});

export const VersionForm = z.object({ version });
export const ReasonForm = z.object({ reason, version });
