/**
 * Factories for panel tests: members with a term (signed in as browser-like agents on request) and a
 * case's current version.
 */
import { eq } from 'drizzle-orm';
import type { TestApp } from './app.ts';
import { createUser, signIn, type TestUser } from './accounts.ts';
import { createTestOrganisation } from './cases.ts';
import type { Agent } from './agent.ts';
import type { CurrentUser } from '../../src/platform/auth/roles.ts';
import { cases } from '../../src/modules/cases/cases.tables.ts';
import { panelMembers, type PanelSide } from '../../src/modules/panel/panel.tables.ts';

export interface TestPanelMember {
  user: TestUser;
  current: CurrentUser;
  agent: Agent;
}

/** A person with the `panel_member` role and (unless `term: null`) a term covering the test clock's today. */
export async function createPanelMember(
  t: TestApp,
  side: PanelSide | null,
  options: { name?: string; term?: { start: string; end: string } | null; organisationId?: string } = {},
): Promise<TestPanelMember> {
  const organisationId =
    options.organisationId ?? (await createTestOrganisation(t.deps, { kind: 'panel' })).id;
  const user = await createUser(t.deps, {
    roles: [{ role: 'panel_member', organisationId }],
    totp: true,
    name: options.name ?? `Panel ${side ?? 'member'}`,
  });
  const term = options.term === undefined ? { start: '2025-06-01', end: '2027-05-31' } : options.term;
  if (side && term)
    await t.deps.db
      .get()
      .insert(panelMembers)
      .values({ userId: user.id, side, termStart: term.start, termEnd: term.end });
  const agent = t.agent();
  await signIn(agent, user);
  const current = (await t.deps.sessionsRepository.loadUser(user.id))!;
  return { user, current, agent };
}

export async function caseVersion(t: TestApp, caseId: string): Promise<string> {
  const [row] = await t.deps.db.get().select({ v: cases.version }).from(cases).where(eq(cases.id, caseId));
  return String(row!.v);
}

export async function caseState(t: TestApp, caseId: string): Promise<string> {
  const [row] = await t.deps.db.get().select({ s: cases.state }).from(cases).where(eq(cases.id, caseId));
  return row!.s;
}
