/**
 * The authorisation matrix of engagement action plans: every page, form and API endpoint × anonymous and
 * every role → allowed, or refused the right way. Anonymous visitors are sent to sign in (or read the public
 * pages); a person who may not know a plan exists gets 404; one who may see it but not make that change
 * gets 403. Mutating rows send a deliberately incomplete form, so an allowed person gets the 422 page and
 * nothing changes between rows; the few moves that change state get a fresh plan for each person.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { eq } from 'drizzle-orm';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { createUser, signIn } from '../../../test/helpers/accounts.ts';
import { createTestOrganisation } from '../../../test/helpers/cases.ts';
import { csrfTokenIn, type Agent } from '../../../test/helpers/agent.ts';
import type { CurrentUser, Role } from '../../platform/auth/roles.ts';
import { systemActor } from '../../platform/audit/audit.ts';
import { ensureCovenantReference } from '../covenant/covenant.seed.ts';
import { covenantCommitments } from '../covenant/covenant.tables.ts';
import { organisations } from '../directory/directory.tables.ts';
import { planPaths as p } from './plans.paths.ts';
import type { PlanStatus } from './plans.tables.ts';

const people = ['anonymous', 'cso', 'officer', 'otherOfficer', 'lead', 'panel', 'admin'] as const;
type Person = (typeof people)[number];
type Expect = 'allow' | 'signIn' | 403 | 404;

describe('engagement action plans: authorisation matrix', () => {
  let t: TestApp;
  const agents = new Map<Person, Agent>();
  let bodyId: string;
  let bodySlug: string;
  let commitmentId: string;
  let leadUser: CurrentUser;
  const plans = {} as Record<'draft' | 'submitted' | 'published', { planId: string; actionId: string }>;
  let milestoneId: string;
  let year = 2030;

  /** A plan of the body in `status`, with one action and one milestone, in a plan year of its own. */
  async function makePlan(status: PlanStatus) {
    const s = t.deps.plans;
    const y = year++;
    const plan = await s.createPlan(leadUser, systemActor, {
      bodyId,
      title: `Plan ${y}`,
      startsOn: `${y}-04-01`,
      endsOn: `${y + 1}-03-31`,
      summary: null,
    });
    const action = await s.addAction(leadUser, systemActor, plan.id, {
      commitmentId,
      title: 'An action',
      description: null,
      owner: 'A team',
      dueOn: `${y}-12-31`,
      weight: 1,
      status: 'on_track',
      progress: null,
    });
    await s.addMilestone(leadUser, systemActor, plan.id, action.id, { title: 'M', dueOn: `${y}-06-30` });
    const path = ['submit', 'sign_off', 'publish'] as const;
    const steps = { draft: 0, submitted: 1, signed_off: 2, published: 3 }[status];
    for (const move of path.slice(0, steps)) await s.transition(leadUser, systemActor, plan.id, move);
    return { planId: plan.id, actionId: action.id };
  }

  before(async () => {
    t = await createTestApp();
    await ensureCovenantReference(t.deps.db, t.clock);
    commitmentId = (
      await t.deps.db.get().select({ id: covenantCommitments.id }).from(covenantCommitments)
    )[0]!.id;
    const body = await createTestOrganisation(t.deps, { name: 'Matrix Body' });
    bodyId = body.id;
    bodySlug = (
      await t.deps.db
        .get()
        .select({ slug: organisations.slug })
        .from(organisations)
        .where(eq(organisations.id, bodyId))
    )[0]!.slug;
    const other = await createTestOrganisation(t.deps, { name: 'Other Matrix Body' });
    const cso = await createTestOrganisation(t.deps, { kind: 'cso' });
    const panelOrg = await createTestOrganisation(t.deps, { kind: 'panel' });
    const team = await createTestOrganisation(t.deps, { kind: 'covenant_team' });
    const roles: Record<Exclude<Person, 'anonymous'>, { role: Role; organisationId: string }> = {
      cso: { role: 'cso_member', organisationId: cso.id },
      officer: { role: 'body_officer', organisationId: body.id },
      otherOfficer: { role: 'body_officer', organisationId: other.id },
      lead: { role: 'body_lead', organisationId: body.id },
      panel: { role: 'panel_member', organisationId: panelOrg.id },
      admin: { role: 'admin', organisationId: team.id },
    };
    agents.set('anonymous', t.agent());
    for (const [person, role] of Object.entries(roles) as [
      Exclude<Person, 'anonymous'>,
      { role: Role; organisationId: string },
    ][]) {
      const user = await createUser(t.deps, { roles: [role], totp: role.role !== 'cso_member' });
      if (person === 'lead') leadUser = (await t.deps.sessionsRepository.loadUser(user.id))!;
      const agent = t.agent();
      await signIn(agent, user);
      agents.set(person, agent);
    }
    plans.draft = await makePlan('draft');
    plans.submitted = await makePlan('submitted');
    plans.published = await makePlan('published');
    milestoneId = (await t.deps.plansRepository.milestonesOf([plans.draft.actionId]))[0]!.id;
  });
  after(() => t.close());

  const staffOfBody = { officer: 'allow', lead: 'allow' } as const;
  /** Who knows a plan exists, by its status (everyone else gets 404). */
  const viewers = {
    draft: { ...staffOfBody, admin: 'allow' },
    submitted: { ...staffOfBody, admin: 'allow', panel: 'allow' },
    published: { ...staffOfBody, admin: 'allow', panel: 'allow', cso: 'allow', otherOfficer: 'allow' },
  } as const;
  /** Those who see the plan get `seen` (403 by default); those who do not, 404. */
  const seenBut = (
    status: keyof typeof viewers,
    allowed: Partial<Record<Person, Expect>>,
  ): Partial<Record<Person, Expect>> => {
    const out: Partial<Record<Person, Expect>> = {};
    for (const person of Object.keys(viewers[status]) as Person[]) out[person] = 403;
    return { ...out, ...allowed };
  };

  const rows: {
    name: string;
    method: 'GET' | 'POST';
    url: () => Promise<string> | string;
    form?: Record<string, string>;
    accept?: string;
    /** Open to anonymous visitors (otherwise they are sent to sign in). */
    open?: boolean;
    expect: Partial<Record<Person, Expect>>;
    otherwise: Expect;
  }[] = [
    { name: 'GET list', method: 'GET', url: () => p.list(), expect: {}, otherwise: 'allow' },
    ...(['GET', 'POST'] as const).map((method) => ({
      name: `${method} new plan`,
      method,
      url: () => p.create(),
      form: { title: '' },
      // Any public body's staff may start a plan (for their own body only: the form offers no other).
      expect: { ...staffOfBody, otherOfficer: 'allow' as const },
      otherwise: 403 as const,
    })),
    ...(['draft', 'submitted', 'published'] as const).flatMap((status) => [
      {
        name: `GET ${status} plan`,
        method: 'GET' as const,
        url: () => p.show({ planId: plans[status].planId }),
        expect: viewers[status],
        otherwise: 404 as const,
      },
      {
        name: `GET ${status} action`,
        method: 'GET' as const,
        url: () => p.action(plans[status]),
        expect: viewers[status],
        otherwise: 404 as const,
      },
      {
        name: `GET ${status} history`,
        method: 'GET' as const,
        url: () => p.history({ planId: plans[status].planId }),
        expect: viewers[status],
        otherwise: 404 as const,
      },
      {
        name: `GET ${status} public page`,
        method: 'GET' as const,
        url: () => p.published({ planId: plans[status].planId }),
        open: true,
        expect: {},
        otherwise: status === 'published' ? ('allow' as const) : (404 as const),
      },
      {
        name: `GET ${status} actions CSV`,
        method: 'GET' as const,
        url: () => p.publishedCsv({ planId: plans[status].planId }),
        open: true,
        expect: {},
        otherwise: status === 'published' ? ('allow' as const) : (404 as const),
      },
      {
        name: `GET ${status} plan API`,
        method: 'GET' as const,
        url: () => p.api.plan({ planId: plans[status].planId }),
        accept: 'application/json',
        open: true,
        expect: {},
        otherwise: status === 'published' ? ('allow' as const) : (404 as const),
      },
    ]),
    // Structure: only the body's staff, only while a draft.
    ...(['draft', 'published'] as const).flatMap((status) => {
      const allowed = status === 'draft' ? staffOfBody : {};
      return [
        ...(['GET', 'POST'] as const).flatMap((method) => [
          {
            name: `${method} edit ${status} plan`,
            method,
            url: () => p.edit({ planId: plans[status].planId }),
            form: { title: '' },
            expect: seenBut(status, allowed),
            otherwise: 404 as const,
          },
          {
            name: `${method} add action to ${status} plan`,
            method,
            url: () => p.addAction({ planId: plans[status].planId }),
            form: { title: '' },
            expect: seenBut(status, allowed),
            otherwise: 404 as const,
          },
          {
            name: `${method} edit action of ${status} plan`,
            method,
            url: () => p.editAction(plans[status]),
            form: { title: '' },
            expect: seenBut(status, allowed),
            otherwise: 404 as const,
          },
        ]),
        {
          name: `POST milestone on ${status} plan`,
          method: 'POST' as const,
          url: () => p.addMilestone(plans[status]),
          form: { title: '' },
          expect: seenBut(status, allowed),
          otherwise: 404 as const,
        },
      ];
    }),
    {
      name: 'POST remove action (a fresh action each time)',
      method: 'POST',
      url: async () => {
        const action = await t.deps.plans.addAction(leadUser, systemActor, plans.draft.planId, {
          commitmentId,
          title: 'To remove',
          description: null,
          owner: 'Someone',
          dueOn: '2030-12-01',
          weight: 1,
          status: 'not_started',
          progress: null,
        });
        return p.removeAction({ planId: plans.draft.planId, actionId: action.id });
      },
      expect: seenBut('draft', staffOfBody),
      otherwise: 404,
    },
    // Progress: the body's staff, at any stage.
    {
      name: 'POST milestone done (draft)',
      method: 'POST',
      url: () => p.milestoneDone({ planId: plans.draft.planId, milestoneId }),
      form: { done: 'false' },
      expect: seenBut('draft', staffOfBody),
      otherwise: 404,
    },
    ...(['GET', 'POST'] as const).flatMap((method) => [
      {
        name: `${method} quarterly update (published)`,
        method,
        url: () => p.update({ planId: plans.published.planId }),
        form: { quarter: '' },
        expect: seenBut('published', staffOfBody),
        otherwise: 404 as const,
      },
      {
        name: `${method} CSV import (published)`,
        method,
        url: () => p.importCsv({ planId: plans.published.planId }),
        form: { quarter: '' },
        expect: seenBut('published', staffOfBody),
        otherwise: 404 as const,
      },
    ]),
    {
      name: 'POST CSV import confirm (published, a file with a bad row)',
      method: 'POST',
      url: () => p.importConfirm({ planId: plans.published.planId }),
      // The published plan is the third made in before(): plan year 2032 to 2033.
      form: { quarter: '2032-Q3', csv: 'action,status\nA9,done\n' },
      expect: seenBut('published', staffOfBody),
      otherwise: 404,
    },
    {
      name: 'POST evidence (published)',
      method: 'POST',
      url: () => p.addEvidence(plans.published),
      form: { title: '' },
      expect: seenBut('published', staffOfBody),
      otherwise: 404,
    },
    {
      name: 'POST evidence (draft)',
      method: 'POST',
      url: () => p.addEvidence(plans.draft),
      form: { title: '' },
      expect: seenBut('draft', staffOfBody),
      otherwise: 404,
    },
    // Comments: the panel, administrators and the body's staff, once submitted.
    ...(['draft', 'submitted', 'published'] as const).map((status) => ({
      name: `POST comment (${status})`,
      method: 'POST' as const,
      url: () => p.comments({ planId: plans[status].planId }),
      form: { body: '' },
      expect:
        status === 'draft'
          ? seenBut('draft', {})
          : seenBut(status, { ...staffOfBody, panel: 'allow', admin: 'allow' }),
      otherwise: 404 as const,
    })),
    // The workflow. Moves that change state get a fresh plan in the right status for each person.
    ...(['GET', 'POST'] as const).flatMap((method) => [
      {
        name: `${method} submit (draft)`,
        method,
        url: async () => p.transition({ planId: (await makePlan('draft')).planId, transition: 'submit' }),
        expect: seenBut('draft', staffOfBody),
        otherwise: 404 as const,
      },
      {
        name: `${method} sign off (submitted): the body's lead only`,
        method,
        url: async () =>
          p.transition({ planId: (await makePlan('submitted')).planId, transition: 'sign_off' }),
        expect: seenBut('submitted', { lead: 'allow' }),
        otherwise: 404 as const,
      },
      {
        name: `${method} publish (signed off)`,
        method,
        url: async () =>
          p.transition({ planId: (await makePlan('signed_off')).planId, transition: 'publish' }),
        expect: seenBut('submitted', { lead: 'allow', admin: 'allow' }),
        otherwise: 404 as const,
      },
      {
        name: `${method} return to draft (submitted, no reason)`,
        method,
        url: () => p.transition({ planId: plans.submitted.planId, transition: 'return' }),
        form: { reason: '' },
        expect: seenBut('submitted', { lead: 'allow', admin: 'allow' }),
        otherwise: 404 as const,
      },
      {
        name: `${method} publish a draft: nobody`,
        method,
        url: () => p.transition({ planId: plans.draft.planId, transition: 'publish' }),
        expect: seenBut('draft', {}),
        otherwise: 404 as const,
      },
    ]),
    {
      name: 'GET public list',
      method: 'GET',
      url: () => p.publishedList(),
      open: true,
      expect: {},
      otherwise: 'allow',
    },
    {
      name: 'GET body plans API',
      method: 'GET',
      url: () => p.api.bodyPlans({ slug: bodySlug }),
      accept: 'application/json',
      open: true,
      expect: {},
      otherwise: 'allow',
    },
  ];

  for (const row of rows) {
    test(row.name, async () => {
      for (const person of people) {
        const expected: Expect =
          person === 'anonymous' && !row.open ? 'signIn' : (row.expect[person] ?? row.otherwise);
        const agent = agents.get(person)!;
        const url = await row.url();
        const headers = row.accept ? { accept: row.accept } : undefined;
        let res;
        if (row.method === 'GET') res = await agent.get(url, headers);
        else {
          const token = csrfTokenIn((await agent.get(person === 'anonymous' ? '/sign-in' : p.list())).body);
          res = await agent.request('POST', url, { form: { _csrf: token, ...row.form }, headers });
        }
        const location = String(res.headers.location ?? '');
        const where = `${row.name} as ${person}: got ${res.statusCode} ${location}`;
        if (expected === 'allow')
          assert.ok([200, 303, 422].includes(res.statusCode) && !location.startsWith('/sign-in'), where);
        else if (expected === 'signIn')
          assert.ok(res.statusCode === 303 && location.startsWith('/sign-in'), where);
        else assert.equal(res.statusCode, expected, where);
      }
    });
  }

  test('the API serves only published plans, and the OpenAPI document lists both endpoints', async () => {
    const list = await agents.get('anonymous')!.get(p.api.bodyPlans({ slug: bodySlug }), {
      accept: 'application/json',
    });
    const ids = (list.json().plans as { id: string; status: string }[]).map((x) => x.id);
    assert.ok(ids.includes(plans.published.planId));
    assert.ok(!ids.includes(plans.draft.planId) && !ids.includes(plans.submitted.planId));
    const doc = (await agents.get('anonymous')!.get('/api/openapi.json')).json();
    assert.ok(doc.paths['/api/v1/plans/{planId}']?.get, 'plan endpoint documented');
    assert.ok(doc.paths['/api/v1/bodies/{slug}/plans']?.get, 'body plans endpoint documented');
    assert.deepEqual(doc.paths['/api/v1/plans/{planId}'].get.tags, ['Action plans']);
    // Pages are not API: none of them is in the document.
    assert.ok(
      !Object.keys(doc.paths).some((path) => path.startsWith('/plans') || path.startsWith('/action-plans')),
    );
  });
});
