/**
 * People for the analysis tests, made straight in the tables (committed platform code only, so these tests do
 * not depend on the sign-in pages being finished): a person with one role in a fresh organisation, and an
 * agent carrying a session that has passed the second factor.
 */
import { randomBytes } from 'node:crypto';
import type { Deps } from '../../src/container.ts';
import type { CurrentUser, Role } from '../../src/platform/auth/roles.ts';
import { SESSION_COOKIE } from '../../src/platform/http/context.ts';
import { memberships, users } from '../../src/modules/accounts/accounts.tables.ts';
import { organisations } from '../../src/modules/directory/directory.tables.ts';
import type { TestApp } from './app.ts';
import type { Agent } from './agent.ts';

const kindOf: Record<Role, (typeof organisations.$inferInsert)['kind']> = {
  admin: 'covenant_team',
  panel_member: 'panel',
  body_officer: 'public_body',
  body_lead: 'public_body',
  cso_member: 'cso',
  cso_admin: 'cso',
  intermediary: 'infrastructure',
};

/** A verified person holding `role`; staff get a second factor so their sessions can be complete. */
export async function createPerson(deps: Deps, role: Role, name = `Analyst ${role}`): Promise<CurrentUser> {
  const tag = randomBytes(4).toString('hex');
  const now = deps.clock.now();
  const [org] = await deps.db
    .get()
    .insert(organisations)
    .values({ name: `Organisation ${tag}`, slug: `org-${tag}`, kind: kindOf[role] })
    .returning();
  const [user] = await deps.db
    .get()
    .insert(users)
    .values({ email: `${tag}@example.org`, displayName: name, emailVerifiedAt: now, totpEnabledAt: now })
    .returning();
  await deps.db.get().insert(memberships).values({ userId: user!.id, organisationId: org!.id, role });
  return (await deps.sessionsRepository.loadUser(user!.id))!;
}

/** A browser-like agent signed in as `person` (session started as after the second factor). */
export async function agentFor(test: TestApp, person: CurrentUser): Promise<Agent> {
  const agent = test.agent();
  agent.cookies.set(SESSION_COOKIE, await test.deps.sessions.start(person.id, { secondFactorDone: true }));
  return agent;
}
