/** Forms and queries of the resource library (messages are catalogue keys under `resources.errors.`). */
import { z } from 'zod';
import { audiences, resourceKinds, resourceStatuses } from './resources.tables.ts';
import { reviewIntervals } from './resources.rules.ts';

const E = 'resources.errors.';

/** The four nations a resource can be tagged with; no nation means the whole UK. */
export const resourceNations = ['england', 'wales', 'scotland', 'northern-ireland'] as const;

const text = (max: number, required: string, tooLong: string) =>
  z
    .string({ message: `${E}${required}` })
    .trim()
    .min(1, `${E}${required}`)
    .max(max, `${E}${tooLong}`);

/** Checkboxes arrive as nothing, one string or several: always a list of distinct, non-empty strings. */
const list = (max: number, message: string) =>
  z.preprocess(
    (v) => [...new Set([v ?? []].flat().filter((x) => typeof x === 'string' && x !== ''))],
    z.array(z.string().max(80, `${E}${message}`)).max(max, `${E}${message}`),
  );

const fields = {
  title: text(150, 'titleRequired', 'titleTooLong'),
  kind: z.enum(resourceKinds, { message: `${E}kindRequired` }),
  summary: text(400, 'summaryRequired', 'summaryTooLong'),
  body: z.preprocess(
    (v) => (typeof v === 'string' ? v.replace(/\r\n/g, '\n') : v),
    text(60_000, 'bodyRequired', 'bodyTooLong'),
  ),
  audience: z.enum(audiences, { message: `${E}audienceRequired` }),
  principles: list(10, 'principleUnknown'),
  commitments: list(40, 'commitmentUnknown'),
  nations: z.preprocess(
    (v) => [...new Set([v ?? []].flat().filter((x) => x !== ''))],
    z.array(z.enum(resourceNations, { message: `${E}nationUnknown` })),
  ),
  reviewIntervalMonths: z.coerce
    .number({ message: `${E}intervalRequired` })
    .refine((n) => (reviewIntervals as readonly number[]).includes(n), { message: `${E}intervalRequired` }),
  ownerId: z
    .string({ message: `${E}ownerRequired` })
    .regex(/^[0-9a-f-]{36}$/i, { message: `${E}ownerRequired` }),
};

export const CreateResourceForm = z.object({
  ...fields,
  status: z.enum(resourceStatuses, { message: `${E}statusRequired` }),
});
export type CreateResourceInput = z.infer<typeof CreateResourceForm>;

export const EditResourceForm = z.object({
  ...fields,
  changeNote: text(500, 'changeNoteRequired', 'changeNoteTooLong'),
  /** The version the editor opened: if another save came first, the edit is refused, never lost. */
  startedFrom: z.coerce.number().int().min(1),
});
export type EditResourceInput = z.infer<typeof EditResourceForm>;

export const StatusForm = z.object({ status: z.enum(resourceStatuses) });

/** The public list's search and filters (a GET form; anything unknown is ignored, not an error). */
export const SearchQuery = z.object({
  q: z.preprocess((v) => (typeof v === 'string' ? v.trim().slice(0, 200) : ''), z.string()),
  kind: z.enum(resourceKinds).optional().catch(undefined),
  principle: z.string().max(80).optional().catch(undefined),
  commitment: z.string().max(20).optional().catch(undefined),
  audience: z.enum(audiences).optional().catch(undefined),
  nation: z.enum(resourceNations).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(1000).catch(1).default(1),
});
export type SearchInput = z.infer<typeof SearchQuery>;
