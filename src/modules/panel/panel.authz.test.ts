/**
 * The panel's authorisation matrix: every panel route × anonymous, the reporter (cso_member), the body's
 * officer and lead, a panel member, a panel member conflicted with the case, and an administrator → allowed,
 * or denied the right way (anonymous: sent to sign in; others: 403 from the route guard, or 404 where the
 * case is not theirs to know about). Mutating routes get a deliberately incomplete form, so an allowed person
 * gets the 422 page and nothing changes between rows. Then: a conflicted member cannot vote, and what the
 * body and the public read never carries a withheld reporter's identity.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { eq } from 'drizzle-orm';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { createUser, signIn } from '../../../test/helpers/accounts.ts';
import { buildCase, createTestOrganisation, type BuiltCase } from '../../../test/helpers/cases.ts';
import { csrfTokenIn, type Agent } from '../../../test/helpers/agent.ts';
import { caseVersion, createPanelMember, type TestPanelMember } from '../../../test/helpers/panel.ts';
import { panelPaths } from './panel.paths.ts';
import { panelConflicts, panelDecisions, panelVotes } from './panel.tables.ts';

const people = ['anonymous', 'reporter', 'officer', 'lead', 'panel', 'conflicted', 'admin'] as const;
type Person = (typeof people)[number];
type Expect = 'allow' | 'signIn' | 403 | 404;

const IDENTITY = {
  name: 'Hester Marlowe',
  phone: '07700 900777',
  organisationName: 'Marlowe Arts Collective',
};

describe('oversight panel: authorisation matrix', () => {
  let t: TestApp;
  let escalated: BuiltCase;
  let decided: BuiltCase;
  let meetingId: string;
  let itemId: string;
  let actionId: string;
  let termId: string;
  let otherConflictId: string;
  const agents = new Map<Person, Agent>();
  let members: {
    gov: TestPanelMember;
    cso: TestPanelMember;
    chair: TestPanelMember;
    conflicted: TestPanelMember;
  };

  before(async () => {
    t = await createTestApp();
    const body = await createTestOrganisation(t.deps, { name: 'Matrix Department' });
    const cso = await createTestOrganisation(t.deps, { kind: 'cso', name: 'Matrix Charity' });
    const team = await createTestOrganisation(t.deps, { kind: 'covenant_team' });
    agents.set('anonymous', t.agent());
    const staff = async (role: 'body_officer' | 'body_lead' | 'admin', organisationId: string) => {
      const user = await createUser(t.deps, { roles: [{ role, organisationId }], totp: true });
      const agent = t.agent();
      await signIn(agent, user);
      return agent;
    };
    const reporterUser = await createUser(t.deps, {
      roles: [{ role: 'cso_member', organisationId: cso.id }],
    });
    const reporterAgent = t.agent();
    await signIn(reporterAgent, reporterUser);
    agents.set('reporter', reporterAgent);
    agents.set('officer', await staff('body_officer', body.id));
    agents.set('lead', await staff('body_lead', body.id));
    agents.set('admin', await staff('admin', team.id));
    members = {
      gov: await createPanelMember(t, 'government'),
      cso: await createPanelMember(t, 'civil_society'),
      chair: await createPanelMember(t, 'independent_chair'),
      conflicted: await createPanelMember(t, 'civil_society', { name: 'Conflicted Member' }),
    };
    agents.set('panel', members.gov.agent);
    agents.set('conflicted', members.conflicted.agent);

    const reporter = (await t.deps.sessionsRepository.loadUser(reporterUser.id))!;
    const options = { body, reporter, confidentiality: 'withheld' as const, identity: IDENTITY };
    escalated = await buildCase(t.deps, { ...options, state: 'escalated', title: 'Matrix escalated case' });
    decided = await buildCase(t.deps, { ...options, state: 'escalated', title: 'Matrix decided case' });
    // The conflicted member declared an interest in the body: both cases are hidden from them.
    await t.deps.db.get().insert(panelConflicts).values({
      userId: members.conflicted.user.id,
      organisationId: body.id,
      reason: 'I used to work there.',
      source: 'member',
    });
    const [other] = await t.deps.db
      .get()
      .insert(panelConflicts)
      .values({
        userId: members.chair.user.id,
        caseId: escalated.id,
        reason: 'Old conflict',
        source: 'member',
      })
      .returning({ id: panelConflicts.id });
    otherConflictId = other!.id;
    await t.deps.db
      .get()
      .update(panelConflicts)
      .set({ withdrawnAt: t.clock.now() })
      .where(eq(panelConflicts.id, otherConflictId));

    // Decide the second case through the pages, with a quorum of three.
    const actor = { userId: null, requestId: 'matrix' };
    await t.deps.panel.propose(actor, members.gov.current, decided.id, {
      outcome: 'upheld',
      reasons: 'The department ended the grant without notice.',
      determination: 'An arts organisation’s grant was ended without notice. The panel upheld the complaint.',
      recommendation: 'Give at least three months’ notice before ending a grant.',
      recommendationDueOn: '2026-03-02',
    });
    for (const m of [members.gov, members.cso, members.chair])
      await t.deps.panel.vote(actor, m.current, decided.id, { vote: 'for', reason: 'Agreed.' });
    await t.deps.panel.decide(actor, members.gov.current, decided.id, {
      expectedVersion: Number(await caseVersion(t, decided.id)),
      method: 'vote',
    });

    meetingId = await t.deps.panel.createMeeting(actor, members.gov.current, {
      title: 'Matrix meeting',
      date: '2026-01-02',
      time: '10:00',
      location: 'Online',
    });
    const meeting = await t.deps.panel.meeting(members.gov.current, meetingId);
    itemId = meeting.agenda.find((a) => a.caseId === escalated.id)!.id;
    await t.deps.panel.addAction(actor, members.gov.current, meetingId, {
      description: 'Matrix action',
      ownerUserId: members.gov.user.id,
      dueOn: '2026-02-01',
    });
    actionId = (await t.deps.panel.meeting(members.gov.current, meetingId)).actions[0]!.id;
    termId = (await t.deps.panel.members())[0]!.terms[0]!.id;
  });
  after(() => t.close());

  const viewers = { panel: 'allow', conflicted: 'allow', admin: 'allow' } as const;
  const adminOnly = { admin: 'allow' } as const;
  const caseViewers = { panel: 'allow', conflicted: 404, admin: 'allow' } as const;

  const rows: {
    name: string;
    method: 'GET' | 'POST';
    url: () => string;
    form?: Record<string, string>;
    expect: Partial<Record<Person, Expect>>;
    otherwise: Expect;
  }[] = [
    ...[
      ['queue', () => panelPaths.queue()],
      ['recommendations', () => panelPaths.recommendations()],
      ['members', () => panelPaths.members()],
      ['conflicts', () => panelPaths.conflicts()],
      ['meetings', () => panelPaths.meetings()],
      ['new meeting', () => panelPaths.newMeeting()],
      ['meeting', () => panelPaths.meeting({ meetingId })],
    ].map(([name, url]) => ({
      name: `GET ${name as string}`,
      method: 'GET' as const,
      url: url as () => string,
      expect: viewers,
      otherwise: 403 as const,
    })),
    ...[
      ['new term', () => panelPaths.newTerm()],
      ['term', () => panelPaths.term({ termId })],
      ['settings', () => panelPaths.settings()],
    ].flatMap(([name, url]) => [
      {
        name: `GET ${name as string}`,
        method: 'GET' as const,
        url: url as () => string,
        expect: adminOnly,
        otherwise: 403 as const,
      },
      {
        name: `POST ${name as string}`,
        method: 'POST' as const,
        url: url as () => string,
        form: {},
        expect: adminOnly,
        otherwise: 403 as const,
      },
    ]),
    {
      name: 'GET case pack',
      method: 'GET',
      url: () => panelPaths.case({ caseId: escalated.id }),
      expect: caseViewers,
      otherwise: 403,
    },
    {
      name: 'GET decided case pack',
      method: 'GET',
      url: () => panelPaths.case({ caseId: decided.id }),
      expect: caseViewers,
      otherwise: 403,
    },
    ...(
      [
        ['start review', panelPaths.startReview, {}],
        ['propose', panelPaths.propose, {}],
        ['vote', panelPaths.vote, {}],
        ['decide', panelPaths.decide, {}],
        ['close', panelPaths.close, {}],
        ['declare conflict', panelPaths.declareCaseConflict, {}],
      ] as const
    ).map(([name, path, form]) => ({
      name: `POST ${name}`,
      method: 'POST' as const,
      url: () => path({ caseId: escalated.id }),
      form: { ...form },
      expect: caseViewers,
      otherwise: 403 as const,
    })),
    // Withdrawing a proposal needs no form: a member finds none open (422); the team may not act for the panel.
    {
      name: 'POST withdraw proposal',
      method: 'POST',
      url: () => panelPaths.withdrawProposal({ caseId: escalated.id }),
      expect: { panel: 'allow', conflicted: 404, admin: 403 },
      otherwise: 403,
    },
    {
      name: 'GET recommendation (the body’s page)',
      method: 'GET',
      url: () => panelPaths.recommendation({ caseId: decided.id }),
      expect: { officer: 'allow', lead: 'allow', panel: 'allow', admin: 'allow' },
      otherwise: 404,
    },
    {
      name: 'POST recommendation reply',
      method: 'POST',
      url: () => panelPaths.recommendation({ caseId: decided.id }),
      form: {},
      expect: { officer: 'allow', lead: 'allow', panel: 'allow', admin: 'allow' },
      otherwise: 404,
    },
    {
      name: 'POST declare a conflict',
      method: 'POST',
      url: () => panelPaths.conflicts(),
      form: {},
      expect: viewers,
      otherwise: 403,
    },
    {
      name: 'POST withdraw someone else’s conflict',
      method: 'POST',
      url: () => panelPaths.withdrawConflict({ conflictId: otherConflictId }),
      expect: { panel: 404, conflicted: 404, admin: 'allow' },
      otherwise: 403,
    },
    ...(
      [
        ['new meeting', () => panelPaths.newMeeting()],
        ['agenda item', () => panelPaths.agendaItem({ meetingId })],
        ['attendance', () => panelPaths.attendance({ meetingId })],
        ['minutes', () => panelPaths.minutes({ meetingId })],
        ['actions', () => panelPaths.actions({ meetingId })],
        ['action status', () => panelPaths.actionStatus({ actionId })],
      ] as const
    ).map(([name, url]) => ({
      name: `POST ${name}`,
      method: 'POST' as const,
      url,
      form: {},
      expect: viewers,
      otherwise: 403 as const,
    })),
    {
      name: 'POST remove an agenda item that does not exist',
      method: 'POST',
      url: () => panelPaths.agendaItemRemove({ meetingId, itemId: '00000000-0000-4000-8000-000000000000' }),
      expect: { panel: 404, conflicted: 404, admin: 404 },
      otherwise: 403,
    },
  ];

  for (const row of rows) {
    test(row.name, async () => {
      for (const person of people) {
        const expected: Expect = person === 'anonymous' ? 'signIn' : (row.expect[person] ?? row.otherwise);
        const agent = agents.get(person)!;
        let status: number;
        let location: string;
        if (row.method === 'GET') {
          const res = await agent.get(row.url());
          status = res.statusCode;
          location = String(res.headers.location ?? '');
        } else {
          // A token from a page the person can load (the layout's sign-out form carries one).
          const token = csrfTokenIn(
            (await agent.get(person === 'anonymous' ? '/sign-in' : '/my-cases')).body,
          );
          const res = await agent.request('POST', row.url(), { form: { _csrf: token, ...row.form } });
          status = res.statusCode;
          location = String(res.headers.location ?? '');
        }
        const where = `${row.name} as ${person}: got ${status}`;
        if (expected === 'allow')
          assert.ok([200, 303, 409, 422].includes(status) && !location.startsWith('/sign-in'), where);
        else if (expected === 'signIn') assert.ok(status === 303 && location.startsWith('/sign-in'), where);
        else assert.equal(status, expected, where);
      }
    });
  }

  test('a conflicted member cannot vote, even with a complete form, and never sees the case anywhere', async () => {
    const m = members.conflicted;
    const token = csrfTokenIn((await m.agent.get('/my-cases')).body);
    const res = await m.agent.request('POST', panelPaths.vote({ caseId: escalated.id }), {
      form: { _csrf: token, vote: 'for', reason: 'I should not be able to do this.' },
    });
    assert.equal(res.statusCode, 404);
    const votes = await t.deps.db.get().select().from(panelVotes).where(eq(panelVotes.userId, m.user.id));
    assert.equal(votes.length, 0);
    for (const url of [panelPaths.queue(), panelPaths.recommendations(), panelPaths.meeting({ meetingId })]) {
      const page = await m.agent.get(url);
      assert.equal(page.statusCode, 200, url);
      for (const c of [escalated, decided])
        assert.ok(!page.body.includes(c.reference), `${url} shows ${c.reference}`);
    }
    assert.match(
      (await m.agent.get(panelPaths.meeting({ meetingId }))).body,
      /agenda items about cases you have a conflict with/,
    );
    const remove = await m.agent.request('POST', panelPaths.agendaItemRemove({ meetingId, itemId }), {
      form: { _csrf: token },
    });
    assert.equal(remove.statusCode, 404);
    assert.equal((await m.agent.get(`/cases/${escalated.id}`)).statusCode, 404);
  });

  test('what the body and the public read never carries the withheld reporter’s identity', async () => {
    const [decision] = await t.deps.db
      .get()
      .select()
      .from(panelDecisions)
      .where(eq(panelDecisions.caseId, decided.id));
    const secrets = [
      IDENTITY.name,
      IDENTITY.phone,
      IDENTITY.organisationName,
      decided.identity.email,
      'Hester',
      'Marlowe',
    ];
    for (const text of [decision!.determination, decision!.recommendation, decision!.reasons])
      for (const s of secrets) assert.ok(!text.includes(s), s);
    for (const person of ['officer', 'lead'] as const) {
      for (const url of [panelPaths.recommendation({ caseId: decided.id }), `/cases/${decided.id}`]) {
        const page = await agents.get(person)!.get(url);
        assert.equal(page.statusCode, 200, `${person} ${url}`);
        assert.match(page.body, /three months’ notice/);
        for (const s of secrets) assert.ok(!page.body.includes(s), `${person} sees ${s} on ${url}`);
      }
    }
    // The panel itself is shown the reporter (the policy allows it, the read is audited).
    assert.match(
      (await members.gov.agent.get(panelPaths.case({ caseId: decided.id }))).body,
      /Hester Marlowe/,
    );
  });
});
