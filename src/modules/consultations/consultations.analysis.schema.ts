/** zod schemas for the analysis and government response forms and queries (validation at the edge only). */
import { z } from 'zod';

const E = 'consultationResponse.errors.';
const text = (required: string, max = 5000) =>
  z.preprocess(
    (v) => (typeof v === 'string' ? v.trim() : ''),
    z
      .string()
      .min(1, { error: `${E}${required}` })
      .max(max, { error: `${E}tooLong` }),
  );
const optional = (max = 5000) =>
  z.preprocess((v) => (typeof v === 'string' ? v.trim() : ''), z.string().max(max, { error: `${E}tooLong` }));
const queryString = z.preprocess(
  (v) => (typeof v === 'string' ? v.slice(0, 100) : undefined),
  z.string().optional(),
);

export const TagForm = z.object({
  tag: z.preprocess(
    (v) => (typeof v === 'string' ? v : ''),
    z
      .string()
      .trim()
      .min(1, { error: 'consultationAnalysis.errors.tag' })
      .max(40, { error: 'consultationAnalysis.errors.tag' }),
  ),
});

export const ParagraphQuery = z.object({ stance: queryString, tag: queryString, page: queryString });
export const ListQuery = z.object({ tag: queryString, page: queryString });

export const SummaryForm = z.object({ summary: text('summaryRequired', 10_000) });

export const EntryForm = z.object({
  about: text('aboutRequired', 100),
  heard: text('heardRequired'),
  changed: text('changedRequired'),
  newText: optional(),
});
