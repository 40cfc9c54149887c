/** Steps shared by the standards route and role tests (not a test file itself). */
import { eq } from 'drizzle-orm';
import { csrfTokenIn, type Agent } from '../../../test/helpers/agent.ts';
import { createUser, signIn } from '../../../test/helpers/accounts.ts';
import type { TestApp } from '../../../test/helpers/app.ts';
import { createTestOrganisation } from '../../../test/helpers/cases.ts';
import type { Role } from '../../platform/auth/roles.ts';
import { organisations } from '../directory/directory.tables.ts';
import { standardsPaths as p } from './standards.paths.ts';

/** Posts a file as a browser would: multipart/form-data with the import page's CSRF token. */
export async function uploadFile(
  agent: Agent,
  slug: string,
  kind: string,
  filename: string,
  content: string,
) {
  const page = await agent.get(p.importFile({ slug }));
  const token = csrfTokenIn(page.body);
  const boundary = '----standards-test-boundary';
  const payload = [
    `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${token}\r\n`,
    `--${boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\n${kind}\r\n`,
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: text/plain\r\n\r\n${content}\r\n`,
    `--${boundary}--\r\n`,
  ].join('');
  const cookie = [...agent.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  return agent.app.inject({
    method: 'POST',
    url: p.importFile({ slug }),
    headers: { cookie, 'content-type': `multipart/form-data; boundary=${boundary}`, accept: 'text/html' },
    payload,
  });
}

/**
 * The people the role tests sign in as, each with their own agent: the body's officer (and lead and an
 * administrator when asked), another body's officer, a cso member, a panel member, and an anonymous visitor.
 * Returns the agents and the two bodies' slugs.
 */
export async function standardsPeople(t: TestApp, names: { body: string; other: string }, extra = false) {
  const body = await createTestOrganisation(t.deps, { name: names.body });
  const other = await createTestOrganisation(t.deps, { name: names.other });
  const cso = await createTestOrganisation(t.deps, { kind: 'cso' });
  const panel = await createTestOrganisation(t.deps, { kind: 'panel' });
  const slugOf = async (id: string) =>
    (await t.deps.db.get().select().from(organisations).where(eq(organisations.id, id)))[0]!.slug;
  const agents: Record<string, Agent> = {};
  const person = async (name: string, role: Role, organisationId: string) => {
    const user = await createUser(t.deps, { roles: [{ role, organisationId }], totp: role !== 'cso_member' });
    agents[name] = t.agent();
    await signIn(agents[name], user);
  };
  await person('officer', 'body_officer', body.id);
  await person('otherOfficer', 'body_officer', other.id);
  await person('csoMember', 'cso_member', cso.id);
  await person('panel', 'panel_member', panel.id);
  if (extra) {
    await person('lead', 'body_lead', body.id);
    await person('admin', 'admin', (await createTestOrganisation(t.deps, { kind: 'covenant_team' })).id);
  }
  agents.anonymous = t.agent();
  return { body, agents, slug: await slugOf(body.id), otherSlug: await slugOf(other.id) };
}
