/**
 * Demo accounts: one verified account for every role, one person with roles in two organisations, all with
 * the same password. Staff roles (roles.ts) need a second factor, so their accounts have FIXED, published
 * TOTP secrets: add the secret to any authenticator app to sign in. Demo data only ever goes into an empty,
 * non-production database (platform/db/demo.ts).
 *
 * The README and the browser tests import `demoAccounts` and `DEMO_PASSWORD` from here, so they cannot drift.
 */
import type { Deps } from '../../container.ts';
import { systemActor } from '../../platform/audit/audit.ts';
import { hashPassword } from '../../platform/auth/passwords.ts';
import type { Role } from '../../platform/auth/roles.ts';
import type { OrganisationKind } from '../directory/directory.tables.ts';

/** At least 12 characters and not on the blocklist (checkNewPassword accepts it). */
export const DEMO_PASSWORD = 'covenant-demo-2026';

export interface DemoOrganisation {
  slug: string;
  name: string;
  kind: OrganisationKind;
}

/** Found by slug when the directory's demo data already has them, created otherwise. */
export const demoOrganisations = {
  team: { slug: 'covenant-team', name: 'Covenant team', kind: 'covenant_team' },
  panel: { slug: 'joint-oversight-panel', name: 'Joint Oversight Panel', kind: 'panel' },
  infrastructure: {
    slug: 'voluntary-action-network',
    name: 'Voluntary Action Network',
    kind: 'infrastructure',
  },
  riverside: { slug: 'riverside-community-trust', name: 'Riverside Community Trust', kind: 'cso' },
  northernLights: {
    slug: 'northern-lights-youth-project',
    name: 'Northern Lights Youth Project',
    kind: 'cso',
  },
  dcms: {
    slug: 'department-for-culture-media-and-sport',
    name: 'Department for Culture, Media and Sport',
    kind: 'public_body',
  },
  leeds: { slug: 'leeds-city-council', name: 'Leeds City Council', kind: 'public_body' },
} satisfies Record<string, DemoOrganisation>;

export interface DemoAccount {
  email: string;
  name: string;
  /** The main role, and the organisation it is held in (by name). */
  role: Role;
  organisation: string;
  /** Every role held, by organisation slug. */
  roles: { role: Role; organisationSlug: string }[];
  /** Base32 TOTP secret (staff roles only): enter it in an authenticator app. */
  totpSecret?: string;
}

const o = demoOrganisations;
const account = (
  email: string,
  name: string,
  roles: [Role, DemoOrganisation][],
  totpSecret?: string,
): DemoAccount => ({
  email,
  name,
  role: roles[0]![0],
  organisation: roles[0]![1].name,
  roles: roles.map(([role, org]) => ({ role, organisationSlug: org.slug })),
  totpSecret,
});

export const demoAccounts: DemoAccount[] = [
  account(
    'admin@demo.covenant-hub.local',
    'Alex Admin',
    [['admin', o.team]],
    'IFSG22LOHJBW65TFNZQW45CIOVRCGMBR',
  ),
  account(
    'panel@demo.covenant-hub.local',
    'Pat Panel',
    [['panel_member', o.panel]],
    'KBQW4ZLMHJBW65TFNZQW45CIOVRCGMBS',
  ),
  account(
    'body.lead@demo.covenant-hub.local',
    'Lee Lead',
    [['body_lead', o.dcms]],
    'JRSWCZB2INXXMZLOMFXHISDVMIRSGMBT',
  ),
  account(
    'body.officer@demo.covenant-hub.local',
    'Olu Officer',
    [['body_officer', o.leeds]],
    'J5TGM2LDMVZDUQ3POZSW4YLOORECGMBU',
  ),
  account('cso.admin@demo.covenant-hub.local', 'Sam Charity-Admin', [['cso_admin', o.riverside]]),
  account('cso.member@demo.covenant-hub.local', 'Mo Member', [['cso_member', o.northernLights]]),
  // One person with roles in two organisations: an infrastructure body's intermediary who is also a member
  // of a local charity.
  account('intermediary@demo.covenant-hub.local', 'Indi Intermediary', [
    ['intermediary', o.infrastructure],
    ['cso_member', o.riverside],
  ]),
];

/** Seeds the demo organisations (unless present) and accounts; returns one console line per account. */
export async function seedAccountsDemo(deps: Deps): Promise<string[]> {
  const repo = deps.accountsRepository;
  const ids = new Map<string, string>();
  for (const org of Object.values(demoOrganisations)) {
    const existing = await repo.findOrganisationBySlug(org.slug);
    ids.set(org.slug, (existing ?? (await repo.insertOrganisation(org))).id);
  }
  // One argon2id hash for all: the same password, and seeding stays quick.
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const lines: string[] = [];
  for (const demo of demoAccounts) {
    await deps.accounts.createAccount(systemActor, {
      email: demo.email,
      displayName: demo.name,
      passwordHash,
      emailVerified: true,
      totpSecret: demo.totpSecret,
      roles: demo.roles.map((r) => ({ role: r.role, organisationId: ids.get(r.organisationSlug)! })),
    });
    const roles = demo.roles
      .map(
        (r) =>
          `${r.role}, ${Object.values(demoOrganisations).find((x) => x.slug === r.organisationSlug)!.name}`,
      )
      .join('; ');
    const totp = demo.totpSecret ? `  TOTP secret ${demo.totpSecret}` : '';
    lines.push(`${demo.email.padEnd(38)} (${roles})  password ${DEMO_PASSWORD}${totp}`);
  }
  return lines;
}
