/**
 * Factories and steps for tests that need people: create an organisation, create a person with roles (and a
 * TOTP secret when asked), and sign a browser-like agent in, passing the second factor when there is one.
 */
import { randomBytes } from 'node:crypto';
import type { Deps } from '../../src/container.ts';
import type { Role } from '../../src/platform/auth/roles.ts';
import { generateTotpSecret, hotp, totpStep } from '../../src/platform/auth/totp.ts';
import { systemActor } from '../../src/platform/audit/audit.ts';
import type { OrganisationKind } from '../../src/modules/directory/directory.tables.ts';
import type { Agent } from './agent.ts';

export const TEST_PASSWORD = 'lantern meadow quartz';

export interface TestUser {
  id: string;
  email: string;
  displayName: string;
  password: string;
  /** Base32 TOTP secret, when the person has the second factor on. */
  totpSecret?: string;
  deps: Deps;
}

let counter = 0;
const unique = () => `${Date.now().toString(36)}${(counter++).toString(36)}${randomBytes(2).toString('hex')}`;

export async function createOrganisation(
  deps: Deps,
  options: { name?: string; kind?: OrganisationKind; slug?: string } = {},
): Promise<{ id: string; name: string; slug: string; kind: OrganisationKind }> {
  const id = unique();
  const row = await deps.accountsRepository.insertOrganisation({
    name: options.name ?? `Test organisation ${id}`,
    slug: options.slug ?? `test-org-${id}`,
    kind: options.kind ?? 'cso',
  });
  return { id: row.id, name: row.name, slug: row.slug, kind: row.kind };
}

/**
 * A person, verified unless told otherwise. `totp: true` turns on the second factor with a fresh secret
 * (staff roles need it; without it a staff member is sent to the set-up page after signing in).
 */
export async function createUser(
  deps: Deps,
  options: {
    email?: string;
    name?: string;
    password?: string;
    verified?: boolean;
    roles?: { role: Role; organisationId: string }[];
    totp?: boolean;
  } = {},
): Promise<TestUser> {
  const email = options.email ?? `person-${unique()}@example.org`;
  const password = options.password ?? TEST_PASSWORD;
  const totpSecret = options.totp ? generateTotpSecret() : undefined;
  const user = await deps.accounts.createAccount(systemActor, {
    email,
    displayName: options.name ?? 'Test Person',
    password,
    emailVerified: options.verified ?? true,
    totpSecret,
    roles: options.roles,
  });
  return { id: user.id, email: user.email, displayName: user.displayName, password, totpSecret, deps };
}

/** A TOTP code the service will accept now: the current step, or the next one if the current was used. */
export async function nextTotpCode(user: TestUser): Promise<string> {
  if (!user.totpSecret) throw new Error('This person has no TOTP secret');
  const row = await user.deps.accountsRepository.findUserById(user.id);
  const now = totpStep(user.deps.clock.now());
  const step = Math.max(now, (row?.totpLastStep ?? -1) + 1);
  if (step > now + 1) throw new Error('Both usable TOTP steps are spent: advance the clock 30 seconds');
  return hotp(user.totpSecret, step);
}

/**
 * Signs the agent in with email and password, then the TOTP code when the person has one. Returns the last
 * response (a redirect to `returnTo` or the account page on success).
 */
export async function signIn(agent: Agent, user: TestUser, returnTo?: string) {
  const form: Record<string, string> = { email: user.email, password: user.password };
  if (returnTo) form.returnTo = returnTo;
  const response = await agent.submit('/sign-in', form);
  const location = String(response.headers.location ?? '');
  if (!location.startsWith('/sign-in/two-factor')) return response;
  const next = new URL(location, 'http://localhost').searchParams.get('returnTo');
  const codeForm: Record<string, string> = { code: await nextTotpCode(user) };
  if (next) codeForm.returnTo = next;
  return agent.submit(location, codeForm, '/sign-in/two-factor');
}
