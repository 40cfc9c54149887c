/** Forms for communities of practice (messages are catalogue keys under `communities.errors.`). */
import { z } from 'zod';
import { isIsoDate } from '../../platform/calendar/iso-date.ts';
import { londonTimeToUtc } from './communities.rules.ts';
import {
  eventModes,
  eventVisibilities,
  joinPolicies,
  notificationFrequencies,
} from './communities.tables.ts';

const E = 'communities.errors.';

const text = (max: number, required: string, tooLong: string) =>
  z
    .string({ message: `${E}${required}` })
    .trim()
    .min(1, `${E}${required}`)
    .max(max, `${E}${tooLong}`);

const optionalText = (max: number, tooLong: string) =>
  z.preprocess(
    (v) => (typeof v === 'string' && v.trim() ? v.trim() : null),
    z.string().max(max, `${E}${tooLong}`).nullable(),
  );

export const GroupForm = z.object({
  name: text(120, 'nameRequired', 'nameTooLong'),
  description: text(2000, 'descriptionRequired', 'descriptionTooLong'),
  joinPolicy: z.enum(joinPolicies, { message: `${E}joinPolicyRequired` }),
});
export type GroupInput = z.infer<typeof GroupForm>;

export const JoinForm = z.object({ note: optionalText(500, 'noteTooLong') });

export const ThreadForm = z.object({
  title: text(150, 'titleRequired', 'titleTooLong'),
  body: text(5000, 'bodyRequired', 'bodyTooLong'),
});
export type ThreadInput = z.infer<typeof ThreadForm>;

export const ReplyForm = z.object({
  body: text(5000, 'bodyRequired', 'bodyTooLong'),
  parentId: z.preprocess(
    (v) => (v === '' || v === undefined ? null : v),
    z
      .string()
      .uuid({ message: `${E}parentInvalid` })
      .nullable(),
  ),
});
export type ReplyInput = z.infer<typeof ReplyForm>;

export const FlagForm = z.object({ reason: text(500, 'reasonRequired', 'reasonTooLong') });

export const HideForm = z.object({
  action: z.enum(['hide', 'show']),
  reason: optionalText(500, 'reasonTooLong'),
});
export const LockForm = z.object({ action: z.enum(['lock', 'unlock']) });
export const DecideMemberForm = z.object({ decision: z.enum(['approve', 'decline']) });
export const RoleForm = z.object({ role: z.enum(['member', 'moderator']) });
export const ResolveFlagForm = z.object({ decision: z.enum(['upheld', 'dismissed']) });

export const SettingsForm = z.object({
  frequency: z.enum(notificationFrequencies, { message: `${E}frequencyRequired` }),
});

const time = z
  .string({ message: `${E}timeInvalid` })
  .trim()
  .regex(/^([01]?\d|2[0-3]):[0-5]\d$/, { message: `${E}timeInvalid` });

/** The event form; `date` comes joined from the GOV.UK date input (see `joinDateFields`). */
export const EventForm = z
  .object({
    title: text(150, 'titleRequired', 'titleTooLong'),
    description: text(5000, 'descriptionRequired', 'descriptionTooLong'),
    mode: z.enum(eventModes, { message: `${E}modeRequired` }),
    location: text(300, 'locationRequired', 'locationTooLong'),
    joinUrl: z.preprocess(
      (v) => (typeof v === 'string' && v.trim() ? v.trim() : null),
      z
        .string()
        .url({ message: `${E}joinUrlInvalid` })
        .refine((u) => /^https:\/\//i.test(u), { message: `${E}joinUrlInvalid` })
        .nullable(),
    ),
    date: z.string({ message: `${E}dateInvalid` }).refine(isIsoDate, { message: `${E}dateInvalid` }),
    startTime: time,
    endTime: time,
    capacity: z.coerce
      .number({ message: `${E}capacityInvalid` })
      .int({ message: `${E}capacityInvalid` })
      .min(1, { message: `${E}capacityInvalid` })
      .max(5000, { message: `${E}capacityInvalid` }),
    visibility: z.enum(eventVisibilities, { message: `${E}visibilityRequired` }),
  })
  .superRefine((v, ctx) => {
    if (v.mode === 'online' && !v.joinUrl)
      ctx.addIssue({ code: 'custom', path: ['joinUrl'], message: `${E}joinUrlRequired` });
    const start = londonTimeToUtc(v.date, v.startTime);
    const end = londonTimeToUtc(v.date, v.endTime);
    if (start && end && end.getTime() <= start.getTime())
      ctx.addIssue({ code: 'custom', path: ['endTime'], message: `${E}endBeforeStart` });
  })
  .transform((v) => ({
    ...v,
    startsAt: londonTimeToUtc(v.date, v.startTime)!,
    endsAt: londonTimeToUtc(v.date, v.endTime)!,
  }));
export type EventInput = z.infer<typeof EventForm>;

export const NotesForm = z.object({ notes: text(20000, 'notesRequired', 'notesTooLong') });
