/** Forms and queries of the admin pages. Messages are catalogue keys. */
import { z } from 'zod';
import { roles } from '../accounts/accounts.tables.ts';
import { organisationKinds } from '../directory/directory.tables.ts';

const E = 'admin.errors';

export const UserSearchQuery = z.object({
  q: z.string().trim().max(200).catch(''),
  page: z.coerce.number().int().min(1).max(10_000).catch(1),
});

export const AddRoleForm = z.object({
  organisationId: z.uuid({ error: `${E}.organisationRequired` }),
  role: z.enum(roles, { error: `${E}.roleRequired` }),
});
export type AddRoleInput = z.infer<typeof AddRoleForm>;

export const OrganisationForm = z.object({
  name: z
    .string({ error: `${E}.nameRequired` })
    .trim()
    .min(1, `${E}.nameRequired`)
    .max(200, `${E}.nameTooLong`),
  slug: z
    .string({ error: `${E}.slugRequired` })
    .trim()
    .toLowerCase()
    .min(1, `${E}.slugRequired`)
    .max(80, `${E}.slugTooLong`)
    .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, `${E}.slugInvalid`),
  kind: z.enum(organisationKinds, { error: `${E}.kindRequired` }),
});
export type OrganisationInput = z.infer<typeof OrganisationForm>;
