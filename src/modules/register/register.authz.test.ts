/**
 * Who reaches the register (issue 4, item 8): the public pages and API answer everyone alike; every
 * moderation route × anonymous and each role → only an administrator gets in (anonymous: sent to sign in;
 * others: 403 from the route guard). Mutating routes are sent an incomplete form, so an allowed person gets
 * the 422 page and nothing changes between rows.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { createUser, signIn } from '../../../test/helpers/accounts.ts';
import { buildCase, createTestOrganisation } from '../../../test/helpers/cases.ts';
import { csrfTokenIn, type Agent } from '../../../test/helpers/agent.ts';
import type { Role } from '../../platform/auth/roles.ts';
import { registerPaths as rp } from './register.paths.ts';

const people = ['anonymous', 'cso_member', 'body_officer', 'body_lead', 'panel_member', 'admin'] as const;
type Person = (typeof people)[number];

describe('public register: role matrix', () => {
  let t: TestApp;
  let entryId: string;
  let reference: string;
  const agents = new Map<Person, Agent>();

  before(async () => {
    t = await createTestApp();
    const body = await createTestOrganisation(t.deps, { name: 'Matrix Council' });
    const kinds = {
      cso_member: 'cso',
      body_officer: 'public_body',
      body_lead: 'public_body',
      panel_member: 'panel',
      admin: 'covenant_team',
    } as const;
    agents.set('anonymous', t.agent());
    let adminId = '';
    for (const person of people.filter((p): p is Exclude<Person, 'anonymous'> => p !== 'anonymous')) {
      const organisationId =
        person === 'body_officer' || person === 'body_lead'
          ? body.id
          : (await createTestOrganisation(t.deps, { kind: kinds[person] })).id;
      const user = await createUser(t.deps, {
        roles: [{ role: person as Role, organisationId }],
        totp: person !== 'cso_member',
      });
      if (person === 'admin') adminId = user.id;
      const agent = t.agent();
      await signIn(agent, user);
      agents.set(person, agent);
    }
    // The body's own staff are the likeliest to want a say: they get no more than anyone else.
    const c = await buildCase(t.deps, { state: 'resolved', body, title: 'Matrix case' });
    reference = c.reference;
    const admin = (await t.deps.sessionsRepository.loadUser(adminId))!;
    const { entries } = await t.deps.register.queue(admin, 'pending', 1);
    entryId = entries[0]!.id;
  });
  after(() => t.close());

  const moderationRows = () => [
    { method: 'GET' as const, url: rp.moderation() },
    { method: 'GET' as const, url: rp.moderation({ status: 'published' }) },
    { method: 'GET' as const, url: rp.review({ entryId }) },
    ...[rp.redaction, rp.addRedaction, rp.editText, rp.approve, rp.reject, rp.reconsider, rp.withdraw].map(
      (path) => ({ method: 'POST' as const, url: path({ entryId }) }),
    ),
  ];

  test('moderation routes: only an administrator', async () => {
    for (const row of moderationRows()) {
      for (const person of people) {
        const agent = agents.get(person)!;
        let res;
        if (row.method === 'GET') res = await agent.get(row.url);
        else {
          const token = csrfTokenIn((await agent.get(person === 'anonymous' ? '/sign-in' : '/account')).body);
          // No version: an allowed person gets the form back (422), and nothing changes.
          res = await agent.request('POST', row.url, { form: { _csrf: token } });
        }
        const location = String(res.headers.location ?? '');
        const where = `${row.method} ${row.url} as ${person}: ${res.statusCode} ${location}`;
        if (person === 'anonymous')
          assert.ok(res.statusCode === 303 && location.startsWith('/sign-in'), where);
        else if (person === 'admin') assert.equal(res.statusCode, row.method === 'GET' ? 200 : 422, where);
        else assert.equal(res.statusCode, 403, where);
      }
    }
    // Nobody's attempt changed the entry.
    const adminAgent = agents.get('admin')!;
    assert.match((await adminAgent.get(rp.moderation())).body, /Waiting for review \(1\)/);
  });

  test('public pages and the API answer everyone the same, and show nothing unpublished', async () => {
    for (const person of people) {
      const agent = agents.get(person)!;
      for (const url of [rp.home(), rp.statistics(), rp.feed()]) {
        const res = await agent.get(url);
        assert.equal(res.statusCode, 200, `${url} as ${person}`);
        assert.ok(!res.body.includes(reference), `${url} as ${person} shows the unpublished case`);
      }
      assert.equal((await agent.get(rp.entry({ reference }))).statusCode, 404, person);
      const api = await agent.get(rp.api.case({ reference }), { accept: 'application/json' });
      assert.equal(api.statusCode, 404, person);
    }
  });
});
