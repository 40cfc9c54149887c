/**
 * The authorisation matrix (issue 4 acceptance): every case-handling route × every role and anonymous →
 * allowed, or denied the right way (anonymous: sent to sign in; others: 403 from the route guard or 404 when
 * the case is not theirs to know about). Mutating routes are sent a deliberately incomplete form, so an
 * allowed person gets the 422 page and nothing changes between rows of the matrix.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { createUser, signIn, type TestUser } from '../../../test/helpers/accounts.ts';
import { buildCase, createTestOrganisation, type BuiltCase } from '../../../test/helpers/cases.ts';
import { csrfTokenIn, type Agent } from '../../../test/helpers/agent.ts';
import type { Role } from '../../platform/auth/roles.ts';
import { casePaths } from './cases.paths.ts';

const people = [
  'anonymous',
  'reporter',
  'otherCso',
  'officer',
  'otherOfficer',
  'lead',
  'panel',
  'admin',
] as const;
type Person = (typeof people)[number];
type Expect = 'allow' | 'signIn' | 403 | 404 | 401;

describe('case handling: authorisation matrix', () => {
  let t: TestApp;
  let withBody: BuiltCase;
  let closed: BuiltCase;
  const agents = new Map<Person, Agent>();
  const users = new Map<Person, TestUser>();
  let bodyId: string;

  before(async () => {
    t = await createTestApp();
    const body = await createTestOrganisation(t.deps, { name: 'Matrix Body' });
    const other = await createTestOrganisation(t.deps, { name: 'Other Matrix Body' });
    bodyId = body.id;
    const cso = await createTestOrganisation(t.deps, { kind: 'cso' });
    const cso2 = await createTestOrganisation(t.deps, { kind: 'cso' });
    const panelOrg = await createTestOrganisation(t.deps, { kind: 'panel' });
    const team = await createTestOrganisation(t.deps, { kind: 'covenant_team' });
    const roles: Record<Exclude<Person, 'anonymous'>, { role: Role; organisationId: string }> = {
      reporter: { role: 'cso_member', organisationId: cso.id },
      otherCso: { role: 'cso_member', organisationId: cso2.id },
      officer: { role: 'body_officer', organisationId: body.id },
      otherOfficer: { role: 'body_officer', organisationId: other.id },
      lead: { role: 'body_lead', organisationId: body.id },
      panel: { role: 'panel_member', organisationId: panelOrg.id },
      admin: { role: 'admin', organisationId: team.id },
    };
    agents.set('anonymous', t.agent());
    for (const [person, role] of Object.entries(roles) as [
      Exclude<Person, 'anonymous'>,
      (typeof roles)['admin'],
    ][]) {
      const staff = role.role !== 'cso_member';
      const user = await createUser(t.deps, { roles: [role], totp: staff });
      users.set(person, user);
      const agent = t.agent();
      await signIn(agent, user);
      agents.set(person, agent);
    }
    const reporter = (await t.deps.sessionsRepository.loadUser(users.get('reporter')!.id))!;
    withBody = await buildCase(t.deps, { state: 'with_body', body, reporter });
    closed = await buildCase(t.deps, { state: 'closed', body, reporter });
  });
  after(() => t.close());

  const lead = () => t.deps.sessionsRepository.loadUser(users.get('lead')!.id).then((u) => u!);
  const actor = { userId: null };

  /** Each row: a request maker and the expected answer per person (anything not listed is the default). */
  const rows: {
    name: string;
    method: 'GET' | 'POST';
    url: () => Promise<string> | string;
    form?: Record<string, string>;
    expect: Partial<Record<Person, Expect>>;
    otherwise: Expect;
  }[] = [
    ...[casePaths.inbox(), casePaths.inboxExport()].map((url) => ({
      name: `GET ${url}`,
      method: 'GET' as const,
      url: () => url,
      expect: { officer: 'allow', otherOfficer: 'allow', lead: 'allow', admin: 'allow' } as const,
      otherwise: 403 as const,
    })),
    ...[casePaths.templates(), casePaths.apiTokens()].flatMap((url) => [
      {
        name: `GET ${url}`,
        method: 'GET' as const,
        url: () => url,
        expect: { lead: 'allow', admin: 'allow' } as const,
        otherwise: 403 as const,
      },
      {
        name: `POST ${url}`,
        method: 'POST' as const,
        url: () => url,
        form: { bodyId: '' },
        expect: { lead: 'allow', admin: 'allow' } as const,
        otherwise: 403 as const,
      },
    ]),
    {
      name: 'POST template delete',
      method: 'POST',
      url: async () => {
        await t.deps.cases.createTemplate(actor, await lead(), { bodyId, title: 'T', body: 'B' });
        const [tpl] = await t.deps.cases.listTemplates(await lead(), bodyId);
        return casePaths.templateDelete({ templateId: tpl!.id });
      },
      expect: { lead: 'allow', admin: 'allow' },
      otherwise: 403,
    },
    {
      name: 'POST token revoke',
      method: 'POST',
      url: async () => {
        await t.deps.apiTokens.create(actor, await lead(), { bodyId, name: 'matrix' });
        const [token] = await t.deps.apiTokens.list(await lead(), bodyId);
        return casePaths.apiTokenRevoke({ tokenId: token!.id });
      },
      expect: { lead: 'allow', admin: 'allow' },
      otherwise: 403,
    },
    {
      name: 'GET case page',
      method: 'GET',
      url: () => casePaths.show({ caseId: withBody.id }),
      expect: { officer: 'allow', lead: 'allow', admin: 'allow' },
      otherwise: 404,
    },
    ...(
      [
        ['action', casePaths.action({ caseId: '_', action: 'respond' }), { expectedVersion: '' }],
        ['use template', casePaths.useTemplate({ caseId: '_' }), { templateId: '' }],
        ['assign', casePaths.assign({ caseId: '_' }), { expectedVersion: '' }],
        ['message', casePaths.message({ caseId: '_' }), { message: '' }],
        ['note', casePaths.note({ caseId: '_' }), { note: '' }],
      ] as const
    ).map(([name, pattern, form]) => ({
      name: `POST case ${name}`,
      method: 'POST' as const,
      url: () => pattern.replace('/_/', `/${withBody.id}/`).replace(/\/_$/, `/${withBody.id}`),
      form: { ...form },
      expect: { officer: 'allow', lead: 'allow', admin: 'allow' } as const,
      otherwise: 404 as const,
    })),
    {
      name: 'GET my cases',
      method: 'GET',
      url: () => casePaths.myCases(),
      expect: {},
      otherwise: 'allow',
    },
    {
      name: 'GET my case',
      method: 'GET',
      url: () => casePaths.myCase({ caseId: withBody.id }),
      expect: { reporter: 'allow' },
      otherwise: 404,
    },
    {
      name: 'POST my case action',
      method: 'POST',
      url: () => casePaths.myCaseAction({ caseId: withBody.id, action: 'withdraw' }),
      form: { expectedVersion: '' },
      expect: { reporter: 'allow' },
      otherwise: 404,
    },
    {
      name: 'POST my case message',
      method: 'POST',
      url: () => casePaths.myCaseMessage({ caseId: withBody.id }),
      form: { message: '' },
      expect: { reporter: 'allow' },
      otherwise: 404,
    },
    {
      name: 'GET was it resolved',
      method: 'GET',
      url: () => casePaths.wasItResolved({ caseId: closed.id }),
      expect: { reporter: 'allow' },
      otherwise: 404,
    },
    {
      name: 'POST was it resolved',
      method: 'POST',
      url: () => casePaths.wasItResolved({ caseId: closed.id }),
      form: {},
      expect: { reporter: 'allow' },
      otherwise: 404,
    },
  ];

  for (const row of rows) {
    test(row.name, async () => {
      for (const person of people) {
        const expected: Expect = person === 'anonymous' ? 'signIn' : (row.expect[person] ?? row.otherwise);
        const agent = agents.get(person)!;
        const url = await row.url();
        let status: number;
        let location: string;
        if (row.method === 'GET') {
          const res = await agent.get(url);
          status = res.statusCode;
          location = String(res.headers.location ?? '');
        } else {
          // A token from a page the person can load (the layout's sign-out form carries one).
          const token = csrfTokenIn(
            (await agent.get(person === 'anonymous' ? '/sign-in' : '/my-cases')).body,
          );
          const res = await agent.request('POST', url, { form: { _csrf: token, ...row.form } });
          status = res.statusCode;
          location = String(res.headers.location ?? '');
        }
        const where = `${row.name} as ${person}: got ${status}`;
        if (expected === 'allow')
          assert.ok([200, 201, 303, 409, 422].includes(status) && !location.startsWith('/sign-in'), where);
        else if (expected === 'signIn') assert.ok(status === 303 && location.startsWith('/sign-in'), where);
        else assert.equal(status, expected, where);
      }
    });
  }

  test('the body API answers 401 to every signed-in person without a token', async () => {
    for (const person of people) {
      const agent = agents.get(person)!;
      for (const url of [casePaths.apiCases(), casePaths.apiCase({ reference: withBody.reference })]) {
        const res = await agent.get(url, { accept: 'application/json' });
        assert.equal(res.statusCode, 401, `${url} as ${person}`);
      }
    }
  });
});
