/**
 * The authorisation matrix for exchange opportunities: every page route and API endpoint × anonymous and
 * each role, host and non-host. Mutating routes get a deliberately incomplete or refused form (a 422 for
 * someone allowed), so nothing changes between rows. A council (public body) hosts one opportunity and a
 * charity another; the cso_member is the applicant, whose application has been accepted.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { createOrganisation, createUser, signIn, type TestUser } from '../../../test/helpers/accounts.ts';
import { csrfTokenIn, type Agent } from '../../../test/helpers/agent.ts';
import { systemActor } from '../../platform/audit/audit.ts';
import type { Role } from '../../platform/auth/roles.ts';
import { exchangePaths as p } from './exchange.paths.ts';
import type { OpportunityInput } from './exchange.schema.ts';

const people = ['anonymous', 'csoMember', 'csoAdmin', 'officer', 'lead', 'otherOfficer', 'admin'] as const;
type Person = (typeof people)[number];
/** 'allow': 200, 303 (not to sign in) or 422; 'signIn': sent to sign in; a number: that status. */
type Expect = 'allow' | 'signIn' | number;

const councilHosts = { officer: 'allow', lead: 'allow', admin: 'allow' } as const;
const signedIn = Object.fromEntries(people.slice(1).map((x) => [x, 'allow'])) as Record<Person, Expect>;

describe('exchange opportunities: authorisation matrix', () => {
  let t: TestApp;
  const agents = new Map<Person, Agent>();
  const users = new Map<Person, TestUser>();
  let councilOpp: string;
  let charityOpp: string;
  let applicationId: string;
  let hiddenPerson: TestUser;

  before(async () => {
    t = await createTestApp();
    const council = await createOrganisation(t.deps, { kind: 'public_body', name: 'Matrix Council' });
    const dept = await createOrganisation(t.deps, { kind: 'public_body', name: 'Matrix Department' });
    const charity = await createOrganisation(t.deps, { kind: 'cso', name: 'Matrix Charity' });
    const small = await createOrganisation(t.deps, { kind: 'cso', name: 'Matrix Small Charity' });
    const team = await createOrganisation(t.deps, { kind: 'covenant_team' });
    const roles: Record<Exclude<Person, 'anonymous'>, { role: Role; organisationId: string }> = {
      csoMember: { role: 'cso_member', organisationId: small.id },
      csoAdmin: { role: 'cso_admin', organisationId: charity.id },
      officer: { role: 'body_officer', organisationId: council.id },
      lead: { role: 'body_lead', organisationId: council.id },
      otherOfficer: { role: 'body_officer', organisationId: dept.id },
      admin: { role: 'admin', organisationId: team.id },
    };
    agents.set('anonymous', t.agent());
    for (const [person, role] of Object.entries(roles) as [
      Exclude<Person, 'anonymous'>,
      typeof roles.admin,
    ][]) {
      const user = await createUser(t.deps, {
        roles: [role],
        totp: !['cso_member', 'cso_admin'].includes(role.role),
      });
      users.set(person, user);
      const agent = t.agent();
      await signIn(agent, user);
      agents.set(person, agent);
    }
    hiddenPerson = await createUser(t.deps);

    const load = async (person: Person) => (await t.deps.sessionsRepository.loadUser(users.get(person)!.id))!;
    const input = (organisationId: string, title: string): OpportunityInput => ({
      organisationId,
      kind: 'secondment',
      title,
      description: 'A month with the team.',
      skillsWanted: ['grant_making'],
      skillsOffered: [],
      tags: [],
      workMode: 'remote',
      placeName: null,
      localAuthorityGss: null,
      region: null,
      nation: undefined,
      startsOn: '2026-03-02',
      endsOn: '2026-03-31',
      durationValue: 4,
      durationUnit: 'weeks',
      clearance: 'none',
      eligibleSides: [],
      eligibleSectors: [],
      eligibleNations: [],
      closesOn: '2026-02-15',
    });
    const ex = t.deps.exchange;
    councilOpp = (
      await ex.createOpportunity(await load('officer'), systemActor, input(council.id, 'Council'))
    ).id;
    charityOpp = (
      await ex.createOpportunity(await load('csoAdmin'), systemActor, input(charity.id, 'Charity'))
    ).id;
    const member = await load('csoMember');
    await ex.saveProfile(member, systemActor, {
      side: 'civil_society',
      organisationId: null,
      headline: 'Applicant',
      skillsOffered: ['grant_making'],
      skillsWanted: [],
      tags: [],
      sectors: [],
      localAuthorityGss: null,
      region: null,
      nation: 'england',
      remoteOnly: false,
      availableFrom: null,
      availableTo: null,
      clearance: 'none',
      discoverable: false,
    });
    applicationId = await ex.apply(member, systemActor, councilOpp, { kind: 'application', statement: 'Me' });
    await ex.decide(await load('officer'), systemActor, applicationId, 'accepted');
  });
  after(() => t.close());

  const rows: {
    name: string;
    method: 'GET' | 'POST';
    url: () => string;
    form?: () => Record<string, string>;
    expect: Partial<Record<Person, Expect>>;
    otherwise: Expect;
    anonymous?: Expect;
  }[] = [
    {
      name: 'GET list',
      method: 'GET',
      url: () => p.index(),
      expect: {},
      otherwise: 'allow',
      anonymous: 'allow',
    },
    {
      name: 'GET opportunity',
      method: 'GET',
      url: () => p.show({ id: councilOpp }),
      expect: {},
      otherwise: 'allow',
      anonymous: 'allow',
    },
    // Posting: people who speak for a public body or a charity; the Covenant team does not host.
    ...(['GET', 'POST'] as const).map((method) => ({
      name: `${method} new opportunity`,
      method,
      url: () => p.create(),
      form: () => ({ title: '' }),
      expect: { csoAdmin: 'allow', officer: 'allow', lead: 'allow', otherOfficer: 'allow' } as const,
      otherwise: 403,
    })),
    ...(['GET', 'POST'] as const).map((method) => ({
      name: `${method} change opportunity (council's)`,
      method,
      url: () => p.edit({ id: councilOpp }),
      form: () => ({ title: '' }),
      expect: councilHosts,
      otherwise: 403,
    })),
    {
      name: 'POST apply (incomplete form)',
      method: 'POST',
      url: () => p.apply({ id: councilOpp }),
      form: () => ({}),
      expect: signedIn,
      otherwise: 'allow',
    },
    {
      name: "GET manage (council's)",
      method: 'GET',
      url: () => p.manage({ id: councilOpp }),
      expect: councilHosts,
      otherwise: 403,
    },
    {
      name: "GET manage (charity's)",
      method: 'GET',
      url: () => p.manage({ id: charityOpp }),
      expect: { csoAdmin: 'allow', admin: 'allow' },
      otherwise: 403,
    },
    {
      name: 'POST status (to open again: no change)',
      method: 'POST',
      url: () => p.status({ id: councilOpp }),
      form: () => ({ status: 'open' }),
      expect: councilHosts,
      otherwise: 403,
    },
    {
      name: 'POST invite (a person who chose not to be found)',
      method: 'POST',
      url: () => p.invite({ id: councilOpp }),
      form: () => ({ userId: hiddenPerson.id }),
      expect: { officer: 404, lead: 404, admin: 404 },
      otherwise: 403,
    },
    {
      name: 'POST decide (already accepted: refused)',
      method: 'POST',
      url: () => p.decide({ applicationId }),
      form: () => ({ decision: 'accepted' }),
      expect: councilHosts,
      otherwise: 403,
    },
    {
      name: 'POST withdraw (accepted: refused with a message)',
      method: 'POST',
      url: () => p.withdraw({ applicationId }),
      expect: { csoMember: 'allow' },
      otherwise: 403,
    },
    ...(['GET', 'POST'] as const).map((method) => ({
      name: `${method} reflection`,
      method,
      url: () => p.reflection({ applicationId }),
      form: () => ({ outcome: '' }),
      expect: { csoMember: 'allow', ...councilHosts } as const,
      otherwise: 403,
    })),
    ...[p.profile(), p.suggestions(), p.mine()].map((url) => ({
      name: `GET ${url}`,
      method: 'GET' as const,
      url: () => url,
      expect: {},
      otherwise: 'allow' as const,
    })),
    {
      name: 'POST profile (incomplete form)',
      method: 'POST',
      url: () => p.profile(),
      form: () => ({ headline: '' }),
      expect: {},
      otherwise: 'allow',
    },
    {
      name: 'GET annual review',
      method: 'GET',
      url: () => p.review(),
      expect: { admin: 'allow' },
      otherwise: 403,
    },
  ];

  for (const row of rows) {
    test(row.name, async () => {
      for (const person of people) {
        const expected: Expect =
          person === 'anonymous' ? (row.anonymous ?? 'signIn') : (row.expect[person] ?? row.otherwise);
        const agent = agents.get(person)!;
        let res;
        if (row.method === 'GET') res = await agent.get(row.url());
        else {
          // A token from a page the person can load (the layout's sign-out form carries one).
          const token = csrfTokenIn((await agent.get(person === 'anonymous' ? '/sign-in' : p.mine())).body);
          res = await agent.request('POST', row.url(), { form: { _csrf: token, ...row.form?.() } });
        }
        const status = res.statusCode;
        const location = String(res.headers.location ?? '');
        const where = `${row.name} as ${person}: got ${status} ${location}`;
        if (expected === 'allow')
          assert.ok([200, 303, 422].includes(status) && !location.startsWith('/sign-in'), where);
        else if (expected === 'signIn') assert.ok(status === 303 && location.startsWith('/sign-in'), where);
        else assert.equal(status, expected, where);
      }
    });
  }

  test('nothing changed while the matrix ran', async () => {
    const application = await t.deps.exchange.repo.findApplication(applicationId);
    assert.equal(application!.state, 'accepted');
    assert.equal((await t.deps.exchange.repo.reflectionsFor([applicationId])).length, 0);
    assert.equal((await t.deps.exchange.opportunity(councilOpp)).status, 'open');
    assert.equal((await t.deps.exchange.hosted([])).length, 0);
    assert.equal(t.mail.sent.filter((m) => m.to === hiddenPerson.email).length, 0);
  });

  test('the API is public and read-only: everyone gets the same 200; writes are not routes', async () => {
    for (const person of people) {
      const agent = agents.get(person)!;
      for (const url of [p.api.list(), p.api.one({ id: councilOpp })]) {
        const res = await agent.get(url, { accept: 'application/json' });
        assert.equal(res.statusCode, 200, `${url} as ${person}`);
        assert.doesNotMatch(res.body, /Applicant|statement/);
      }
    }
    const post = await t.app.inject({ method: 'POST', url: p.api.list(), payload: {} });
    assert.equal(post.statusCode, 404);
  });
});
