/** Forms and query strings of the directory, validated once at the edge. Messages are catalogue keys. */
import { z } from 'zod';
import {
  areasOfWork,
  incomeBands,
  leadRoles,
  nations,
  publicBodyTypes,
  type LeadRole,
} from './directory.taxonomy.ts';

const optionalEnum = <T extends readonly [string, ...string[]]>(values: T) =>
  z.preprocess((v) => (v === '' || v === undefined ? undefined : v), z.enum(values).optional());

/** The directory search page and the list API share these parameters. */
export const SearchQuery = z.object({
  q: z.preprocess((v) => (typeof v === 'string' ? v.trim().slice(0, 200) : undefined), z.string().optional()),
  kind: optionalEnum(['public_body', 'cso'] as const),
  type: optionalEnum(publicBodyTypes),
  nation: optionalEnum(nations),
  region: z.preprocess((v) => (v === '' ? undefined : v), z.string().max(100).optional()),
  income: optionalEnum(incomeBands),
  area: optionalEnum(areasOfWork),
  page: z.coerce.number().int().min(1).max(1000).catch(1),
});
export type SearchQuery = z.infer<typeof SearchQuery>;

const text = (max: number, tooLong: string) =>
  z.preprocess((v) => (typeof v === 'string' ? v.trim() : ''), z.string().max(max, tooLong));

/** One lead's fields as posted: `<role>-name`, `<role>-roleTitle`, `<role>-contact`. */
const LeadFields = z
  .object({
    name: text(200, 'directory.leads.errors.nameTooLong'),
    roleTitle: text(200, 'directory.leads.errors.roleTitleTooLong'),
    contact: text(300, 'directory.leads.errors.contactTooLong'),
  })
  .superRefine((lead, ctx) => {
    const any = lead.name || lead.roleTitle || lead.contact;
    if (!any) return;
    if (!lead.name)
      ctx.addIssue({ code: 'custom', path: ['name'], message: 'directory.leads.errors.nameRequired' });
    if (!lead.roleTitle)
      ctx.addIssue({
        code: 'custom',
        path: ['roleTitle'],
        message: 'directory.leads.errors.roleTitleRequired',
      });
    const isEmail = z.email().safeParse(lead.contact).success;
    const isUrl = /^https:\/\/[^\s]+\.[^\s]+$/.test(lead.contact);
    if (!isEmail && !isUrl)
      ctx.addIssue({ code: 'custom', path: ['contact'], message: 'directory.leads.errors.contactInvalid' });
  });

/** The edit-leads form, turned into one optional lead per role (a blank role means "no lead"). */
export const LeadsFormSchema = z
  .object({
    ...Object.fromEntries(leadRoles.map((r) => [r, LeadFields])),
    confirm: z.preprocess((v) => v === 'yes', z.boolean()),
  })
  .transform((form) => {
    const out = { confirm: form.confirm } as LeadsForm;
    for (const role of leadRoles) {
      const lead = (form as Record<string, unknown>)[role] as z.infer<typeof LeadFields>;
      out[role] =
        lead.name && lead.roleTitle
          ? {
              name: lead.name,
              roleTitle: lead.roleTitle,
              contactEmail:
                lead.contact.includes('@') && !lead.contact.startsWith('https://') ? lead.contact : null,
              contactUrl: lead.contact.startsWith('https://') ? lead.contact : null,
            }
          : null;
    }
    return out;
  });

export type LeadInput = {
  name: string;
  roleTitle: string;
  contactEmail: string | null;
  contactUrl: string | null;
};
export type LeadsForm = { confirm: boolean } & Record<LeadRole, LeadInput | null>;

/** Turns the flat posted form (`ministerial-name`) into the nested shape LeadsFormSchema reads. */
export function nestLeadsForm(body: Record<string, unknown>): Record<string, unknown> {
  const nested: Record<string, unknown> = { confirm: body.confirm };
  for (const role of leadRoles)
    nested[role] = {
      name: body[`${role}-name`],
      roleTitle: body[`${role}-roleTitle`],
      contact: body[`${role}-contact`],
    };
  return nested;
}
