/** Forms for local covenant partnerships (messages are catalogue keys under `partnerships.errors.`). */
import { z } from 'zod';
import { isIsoDate } from '../../platform/calendar/iso-date.ts';
import { partnershipActionStatuses } from './partnerships.tables.ts';

const E = 'partnerships.errors.';

const text = (max: number, required: string, tooLong: string) =>
  z
    .string({ message: `${E}${required}` })
    .trim()
    .min(1, `${E}${required}`)
    .max(max, `${E}${tooLong}`);

/** Empty → null; otherwise trimmed and at most `max` characters. */
const optional = <T extends z.ZodType<string>>(inner: T) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() ? v.trim() : null), inner.nullable());

const httpsUrl = z
  .string()
  .max(500, `${E}urlInvalid`)
  .url({ message: `${E}urlInvalid` })
  .refine((u) => /^https:\/\//i.test(u), { message: `${E}urlInvalid` });

export const PartnershipForm = z.object({
  name: text(150, 'nameRequired', 'nameTooLong'),
  summary: text(2000, 'summaryRequired', 'summaryTooLong'),
  /** The directory slug of the council or combined authority. */
  area: z
    .string({ message: `${E}areaRequired` })
    .trim()
    .min(1, `${E}areaRequired`)
    .max(200),
  /** The slug of a local sub-covenant, or empty for none yet. */
  subCovenant: optional(z.string().max(200)),
  forumName: text(200, 'forumNameRequired', 'forumNameTooLong'),
  forumUrl: optional(httpsUrl),
});
export type PartnershipInput = z.infer<typeof PartnershipForm>;

export const PartnerForm = z.object({
  /** The organisation's name as in the directory, or its directory address (slug). */
  organisation: text(200, 'organisationRequired', 'organisationNotFound'),
  role: text(150, 'roleRequired', 'roleTooLong'),
});
export type PartnerInput = z.infer<typeof PartnerForm>;

/** An email address or an https web page: the officer's public contact route. */
const contact = z
  .string({ message: `${E}contactRequired` })
  .trim()
  .min(1, `${E}contactRequired`)
  .max(300, `${E}contactInvalid`)
  .refine((v) => z.email().safeParse(v).success || httpsUrl.safeParse(v).success, {
    message: `${E}contactInvalid`,
  });

export const OfficerForm = z.object({
  officerName: text(150, 'officerNameRequired', 'officerNameTooLong'),
  roleTitle: text(150, 'roleTitleRequired', 'roleTitleTooLong'),
  contact,
  /** The email address of their account, to let them sign in and manage (administrators only). */
  accountEmail: optional(z.email({ message: `${E}accountEmailInvalid` }).max(300)),
});
export type OfficerInput = z.infer<typeof OfficerForm>;

const isoDate = (required: string) =>
  z
    .string({ message: `${E}${required}` })
    .min(1, `${E}${required}`)
    .refine((v) => isIsoDate(v), `${E}dateInvalid`);

export const MeetingForm = z.object({
  heldOn: isoDate('heldOnRequired'),
  meetingTitle: text(200, 'meetingTitleRequired', 'meetingTitleTooLong'),
  minutes: z
    .string()
    .trim()
    .max(20000, `${E}minutesTooLong`)
    .optional()
    .transform((v) => v ?? ''),
});
export type MeetingInput = z.infer<typeof MeetingForm>;

export const ActionForm = z.object({
  actionTitle: text(300, 'actionTitleRequired', 'actionTitleTooLong'),
  owner: text(150, 'ownerRequired', 'ownerTooLong'),
  dueOn: z.preprocess(
    (v) => (v === '' || v === undefined ? null : v),
    z
      .string()
      .refine((v) => isIsoDate(v), `${E}dateInvalid`)
      .nullable(),
  ),
  status: z.enum(partnershipActionStatuses, { message: `${E}statusRequired` }),
  /** The meeting that agreed it, or empty. */
  meetingId: optional(z.uuid({ message: `${E}meetingInvalid` })),
});
export type ActionInput = z.infer<typeof ActionForm>;

export const ActionStatusForm = z.object({
  status: z.enum(partnershipActionStatuses, { message: `${E}statusRequired` }),
});
