/**
 * Forms and API bodies for case handling, validated once at the edge. Messages are catalogue keys under
 * `cases.errors.*`.
 */
import { z } from 'zod';
import { caseStates, outcomeCodes } from './cases.lifecycle.ts';
import { caseCategories } from './cases.tables.ts';

const deadlineStatuses = ['on_track', 'due_soon', 'overdue', 'long_overdue'] as const;
const trimmed = (max: number, tooLong: string) =>
  z
    .string()
    .optional()
    .transform((v) => (v ?? '').trim())
    .pipe(z.string().max(max, tooLong));
const version = z.coerce.number({ message: 'cases.errors.version' }).int().min(1, 'cases.errors.version');
const asArray = (v: unknown) => (v === undefined || v === '' ? [] : [v].flat());

/** Any action button on a case page. `text` is required when the transition needs it (checked by the service). */
export const TransitionForm = z.object({
  expectedVersion: version,
  text: trimmed(10_000, 'cases.errors.textTooLong'),
  outcome: z
    .union([z.enum(outcomeCodes), z.literal('')])
    .optional()
    .transform((v) => v || undefined),
  /** The commitments a response addresses, recorded with the body's position. */
  commitmentIds: z.preprocess(asArray, z.array(z.uuid())).optional(),
  position: z
    .union([z.enum(['resolved', 'partly_resolved', 'not_upheld', 'referred_elsewhere']), z.literal('')])
    .optional()
    .transform((v) => v || undefined),
});
export type TransitionInput = z.infer<typeof TransitionForm>;

export const UseTemplateForm = z.object({
  templateId: z.uuid('cases.errors.templateRequired'),
  text: z.string().optional(),
});

export const AssignForm = z.object({
  expectedVersion: version,
  assigneeUserId: z.union([z.uuid(), z.literal('')]).transform((v) => v || null),
});

export const MessageForm = z.object({
  message: trimmed(5_000, 'cases.errors.messageTooLong').pipe(
    z.string().min(1, 'cases.errors.messageRequired'),
  ),
});

export const NoteForm = z.object({
  note: trimmed(5_000, 'cases.errors.noteTooLong').pipe(z.string().min(1, 'cases.errors.noteRequired')),
});

export const TemplateForm = z.object({
  bodyId: z.uuid('cases.errors.bodyRequired'),
  title: trimmed(120, 'cases.errors.templateTitleTooLong').pipe(
    z.string().min(1, 'cases.errors.templateTitleRequired'),
  ),
  body: trimmed(5_000, 'cases.errors.templateBodyTooLong').pipe(
    z.string().min(1, 'cases.errors.templateBodyRequired'),
  ),
});

export const TokenForm = z.object({
  bodyId: z.uuid('cases.errors.bodyRequired'),
  name: trimmed(80, 'cases.errors.tokenNameTooLong').pipe(
    z.string().min(1, 'cases.errors.tokenNameRequired'),
  ),
});

export const WasItResolvedForm = z.object({
  resolved: z.enum(['yes', 'no'], 'cases.errors.resolvedRequired'),
});

const optionalEnum = <T extends readonly [string, ...string[]]>(values: T) =>
  z
    .union([z.enum(values), z.literal('')])
    .optional()
    .catch(undefined)
    .transform((v) => v || undefined);

/** Inbox filters, sorting and paging (GET query; unknown values are ignored rather than refused). */
export const InboxQuery = z.object({
  state: optionalEnum(caseStates),
  deadline: optionalEnum(deadlineStatuses),
  category: optionalEnum(caseCategories),
  commitment: z.uuid().optional().catch(undefined),
  /** A user id, `me` or `unassigned`. */
  assignee: z
    .string()
    .regex(/^(me|unassigned|[0-9a-f-]{36})$/)
    .optional()
    .catch(undefined),
  q: z
    .string()
    .max(200)
    .optional()
    .catch(undefined)
    .transform((v) => v?.trim() || undefined),
  body: z.uuid().optional().catch(undefined),
  sort: z.enum(['newest', 'oldest', 'reference']).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).optional().catch(undefined),
});
export type InboxFilters = z.infer<typeof InboxQuery>;

/** The actions a body's systems may take through the API. */
export const apiActions = ['acknowledge', 'respond', 'pause_clock', 'resume_clock'] as const;

export const ApiActionBody = z.object({
  action: z.enum(apiActions),
  expectedVersion: z.number().int().min(1),
  text: z.string().max(10_000).optional(),
});
