import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { eq } from 'drizzle-orm';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { createUser, signIn, type TestUser } from '../../../test/helpers/accounts.ts';
import { buildCase, copyCase, createTestOrganisation } from '../../../test/helpers/cases.ts';
import { csrfTokenIn, type Agent } from '../../../test/helpers/agent.ts';
import type { CurrentUser } from '../../platform/auth/roles.ts';
import { caseClockEvents, caseEvents, cases } from './cases.tables.ts';
import { casePaths } from './cases.paths.ts';
import { createInboxRepository, textSearchUses, type InboxQuery } from './cases.inbox.repository.ts';

describe('case handling pages', () => {
  let t: TestApp;
  let body: { id: string; name: string };
  let otherBody: { id: string; name: string };
  let officer: TestUser;
  let lead: TestUser;
  let officerAgent: Agent;
  let leadAgent: Agent;
  let reporterUser: TestUser;
  let reporter: CurrentUser;

  before(async () => {
    t = await createTestApp();
    body = await createTestOrganisation(t.deps, { name: 'Ministry of Examples' });
    otherBody = await createTestOrganisation(t.deps, { name: 'Other Agency' });
    officer = await createUser(t.deps, {
      roles: [{ role: 'body_officer', organisationId: body.id }],
      totp: true,
      name: 'Olive Officer',
    });
    lead = await createUser(t.deps, { roles: [{ role: 'body_lead', organisationId: body.id }], totp: true });
    const cso = await createTestOrganisation(t.deps, { kind: 'cso', name: 'Riverside Trust' });
    reporterUser = await createUser(t.deps, { roles: [{ role: 'cso_member', organisationId: cso.id }] });
    reporter = (await t.deps.sessionsRepository.loadUser(reporterUser.id))!;
    officerAgent = t.agent();
    await signIn(officerAgent, officer);
    leadAgent = t.agent();
    await signIn(leadAgent, lead);
  });
  after(() => t.close());

  const versionOf = async (caseId: string) =>
    String(
      (await t.deps.db.get().select({ v: cases.version }).from(cases).where(eq(cases.id, caseId)))[0]!.v,
    );

  test('the inbox shows only the body’s own cases, with filters, search and paging', async () => {
    for (let i = 0; i < 26; i++)
      await buildCase(t.deps, { state: 'with_body', body, title: `Grant cut number ${i}` });
    const closed = await buildCase(t.deps, { state: 'closed', body, title: 'A closed matter' });
    const foreign = await buildCase(t.deps, {
      state: 'with_body',
      body: otherBody,
      title: 'Someone else’s case',
    });

    const first = await officerAgent.get(casePaths.inbox());
    assert.equal(first.statusCode, 200);
    assert.match(first.body, /27 cases/);
    assert.doesNotMatch(first.body, new RegExp(foreign.reference));
    assert.match(first.body, /govuk-pagination/);
    // Officers are not offered the lead-only pages (templates, API tokens), which would answer 403.
    assert.ok(!first.body.includes(`href="${casePaths.templates()}"`));
    assert.ok(!first.body.includes(`href="${casePaths.apiTokens()}"`));
    const second = await officerAgent.get(casePaths.inbox({ page: '2' }));
    assert.equal((second.body.match(/href="\/cases\//g) ?? []).length, 2);

    const onlyClosed = await officerAgent.get(casePaths.inbox({ state: 'closed' }));
    assert.match(onlyClosed.body, /1 cases/);
    assert.match(onlyClosed.body, new RegExp(closed.reference));
    const byReference = await officerAgent.get(casePaths.inbox({ q: closed.reference }));
    assert.match(byReference.body, /1 cases/);
    const byWords = await officerAgent.get(casePaths.inbox({ q: 'closed matter' }));
    assert.match(byWords.body, new RegExp(closed.reference));
    const sorted = await officerAgent.get(casePaths.inbox({ sort: 'reference' }));
    assert.equal(sorted.statusCode, 200);
  });

  test('a word search finds the same cases through the body-marked index as through the words index', async () => {
    const a = await createTestOrganisation(t.deps, { name: 'Search Office A' });
    const b = await createTestOrganisation(t.deps, { name: 'Search Office B' });
    const titles = ['Funding notice too short', 'Grant notice missing', 'Consultation ignored', 'Grant cut'];
    for (const title of titles) {
      await buildCase(t.deps, { state: 'with_body', body: a, title });
      await buildCase(t.deps, { state: 'with_body', body: b, title: `${title} elsewhere` });
    }
    await buildCase(t.deps, { state: 'submitted', title: 'Grant notice in triage' });
    const repo = createInboxRepository(t.deps.db);
    const searches = [
      'grant notice',
      'grant',
      '"grant notice"',
      'grant -notice',
      'notice or consultation',
      'the',
      'zebra',
    ];
    for (const bodies of [[a.id], [a.id, b.id]]) {
      for (const q of searches) {
        const query: InboxQuery = { bodies, userId: officer.id, filters: { q } };
        assert.equal(textSearchUses(query), 'body', q);
        const words = (await repo.list(query)).map((r) => r.reference).sort();
        const byBody = (await repo.list({ ...query, textIndex: 'body' })).map((r) => r.reference).sort();
        assert.deepEqual(byBody, words, `${q} in ${bodies.length} bodies`);
        assert.equal(await repo.count({ ...query, textIndex: 'body' }), words.length, q);
      }
    }
    const one: InboxQuery = { bodies: [a.id], userId: officer.id, filters: { q: 'grant' } };
    assert.equal((await repo.list({ ...one, textIndex: 'body' })).length, 2);
    assert.equal(await repo.count({ ...one, filters: { q: 'the' }, textIndex: 'body' }), 0);
    // Admins (every body) and searches with a digit (references too) keep the words index.
    assert.equal(textSearchUses({ bodies: null, userId: officer.id, filters: { q: 'grant' } }), 'words');
    assert.equal(textSearchUses({ ...one, filters: { q: 'CH-2026' } }), 'words');
    assert.equal(
      textSearchUses({ bodies: null, userId: officer.id, filters: { q: 'grant', body: a.id } }),
      'body',
    );
    // Through the page: the body's own matches only.
    const page = await officerAgent.get(casePaths.inbox({ q: 'grant notice' }));
    assert.equal(page.statusCode, 200);
    assert.doesNotMatch(page.body, /Grant notice missing/);
  });

  test('past 1,000 matching cases the inbox says "more than 1,000"; the API still counts exactly', async () => {
    const busy = await createTestOrganisation(t.deps, { name: 'Busy Department' });
    const busyOfficer = await createUser(t.deps, {
      roles: [{ role: 'body_officer', organisationId: busy.id }],
      totp: true,
    });
    const agent = t.agent();
    await signIn(agent, busyOfficer);
    const model = await buildCase(t.deps, { state: 'with_body', body: busy, title: 'Copied case' });
    // 1,001 more copies of one case, in SQL.
    await copyCase(t.deps, model.id, 1001, 'CH-2099-');
    const page = await agent.get(casePaths.inbox());
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /More than 1,000 cases\. Narrow the filters to see them all\./);
    assert.match(page.body, /href="\/inbox\?page=40"/, 'paging reaches the 1,000th case');
    const one = await agent.get(casePaths.inbox({ q: model.reference }));
    assert.match(one.body, /1 cases/);
  });

  test('the body lead re-routes a case to another body with a reason; officers and other leads cannot', async () => {
    const c = await buildCase(t.deps, { state: 'with_body', body, title: 'Not ours at all' });
    const otherLead = await createUser(t.deps, {
      roles: [{ role: 'body_lead', organisationId: otherBody.id }],
      totp: true,
    });
    const otherLeadAgent = t.agent();
    await signIn(otherLeadAgent, otherLead);

    // The case page offers the lead the re-route page; an officer is not offered it and is refused it.
    const casePage = await leadAgent.get(casePaths.show({ caseId: c.id }));
    assert.ok(casePage.body.includes(`href="${casePaths.reroute({ caseId: c.id })}"`));
    const officerPage = await officerAgent.get(casePaths.show({ caseId: c.id }));
    assert.ok(!officerPage.body.includes(`href="${casePaths.reroute({ caseId: c.id })}"`));
    assert.equal((await officerAgent.get(casePaths.reroute({ caseId: c.id }))).statusCode, 403);
    assert.equal((await otherLeadAgent.get(casePaths.reroute({ caseId: c.id }))).statusCode, 404);
    const refused = await otherLeadAgent.post(
      casePaths.reroute({ caseId: c.id }),
      { bodyId: otherBody.id, category: 'other', text: 'Mine now', version: await versionOf(c.id) },
      casePaths.inbox(),
    );
    assert.equal(refused.statusCode, 404);

    const page = await leadAgent.get(casePaths.reroute({ caseId: c.id }));
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Other Agency/);
    // No reason, no body: 422 with both errors and nothing changed.
    const version = await versionOf(c.id);
    const missing = await leadAgent.submit(casePaths.reroute({ caseId: c.id }), {
      bodyId: '',
      text: '',
      version,
    });
    assert.equal(missing.statusCode, 422);
    assert.match(missing.body, /govuk-error-summary/);
    assert.match(missing.body, /href="#bodyId"/);
    assert.match(missing.body, /href="#text"/);
    // The same body and category: nothing would change.
    const unchanged = await leadAgent.submit(casePaths.reroute({ caseId: c.id }), {
      bodyId: body.id,
      category: 'other',
      text: 'Same place',
      version,
    });
    assert.equal(unchanged.statusCode, 422);
    const [before] = await t.deps.db.get().select().from(cases).where(eq(cases.id, c.id));
    assert.equal(before!.bodyId, body.id);

    const done = await leadAgent.submit(casePaths.reroute({ caseId: c.id }), {
      bodyId: otherBody.id,
      category: before!.category,
      text: 'The agency runs this grant scheme.',
      version,
    });
    assert.equal(done.statusCode, 303);
    assert.equal(done.headers.location, casePaths.inbox());
    const [after] = await t.deps.db.get().select().from(cases).where(eq(cases.id, c.id));
    assert.equal(after!.bodyId, otherBody.id);
    assert.equal(after!.state, 'with_body');
    // The other body's lead now has it; the first body no longer does.
    assert.equal((await otherLeadAgent.get(casePaths.show({ caseId: c.id }))).statusCode, 200);
    assert.equal((await officerAgent.get(casePaths.show({ caseId: c.id }))).statusCode, 404);
    const events = await t.deps.db.get().select().from(caseEvents).where(eq(caseEvents.caseId, c.id));
    const reroute = events.find((e) => e.action === 'reroute');
    assert.equal(reroute?.actorPart, 'body_lead');
    assert.equal(reroute?.text, 'The agency runs this grant scheme.');
  });

  test('deadline status is computed when read: the overdue filter finds a late case', async () => {
    t.clock.set('2025-12-19T09:00:00Z');
    const late = await buildCase(t.deps, { state: 'with_body', body, title: 'Late one' });
    t.clock.set('2026-01-05T09:00:00Z');
    const page = await officerAgent.get(casePaths.inbox({ deadline: 'overdue' }));
    assert.match(page.body, new RegExp(late.reference));
    assert.match(page.body, /Overdue/);
    const none = await officerAgent.get(casePaths.inbox({ deadline: 'long_overdue' }));
    assert.doesNotMatch(none.body, new RegExp(late.reference));
  });

  test('CSV export: the body’s own cases, identity withheld, formulas defused', async () => {
    const withheld = await buildCase(t.deps, {
      state: 'with_body',
      body,
      confidentiality: 'withheld',
      title: '=HYPERLINK("http://evil")',
      identity: {
        name: 'Wilhelmina Hidden',
        email: 'hidden@riverside.example.org',
        organisationName: 'Hidden Trust',
      },
    });
    const res = await officerAgent.get(casePaths.inboxExport());
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /text\/csv/);
    assert.match(res.body, /^\ufeffreference,title,body/);
    const line = res.body.split('\r\n').find((l) => l.startsWith(withheld.reference))!;
    assert.match(line, /Identity withheld/);
    assert.match(line, /'=HYPERLINK/);
    assert.doesNotMatch(res.body, /Wilhelmina|hidden@riverside|Hidden Trust|Other Agency/);
  });

  test('an action without its required text: 422 with the error summary; conflict: 409 with the text kept', async () => {
    const c = await buildCase(t.deps, { state: 'with_body', body });
    const page = await officerAgent.get(casePaths.show({ caseId: c.id }));
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Acknowledge within 5 working days/);
    const token = csrfTokenIn(page.body);
    const missing = await officerAgent.request(
      'POST',
      casePaths.action({ caseId: c.id, action: 'respond' }),
      {
        form: { _csrf: token, expectedVersion: await versionOf(c.id), text: '' },
      },
    );
    assert.equal(missing.statusCode, 422);
    assert.match(missing.body, /govuk-error-summary/);
    assert.match(missing.body, /Enter your response/);
    assert.match(missing.body, /href="#respond-text"/);

    // The lead acknowledges first; the officer's response, typed against the old version, is not lost.
    const stale = await versionOf(c.id);
    await leadAgent.submit(
      casePaths.show({ caseId: c.id }),
      { expectedVersion: stale },
      casePaths.action({ caseId: c.id, action: 'acknowledge' }),
    );
    const lost = await officerAgent.request('POST', casePaths.action({ caseId: c.id, action: 'respond' }), {
      form: { _csrf: token, expectedVersion: stale, text: 'Our long and careful answer' },
    });
    assert.equal(lost.statusCode, 409);
    assert.match(lost.body, /Someone else changed this case while you were working on it/);
    assert.match(lost.body, /Our long and careful answer/);

    const ok = await officerAgent.request('POST', casePaths.action({ caseId: c.id, action: 'respond' }), {
      form: { _csrf: token, expectedVersion: await versionOf(c.id), text: 'Our long and careful answer' },
    });
    assert.equal(ok.statusCode, 303);
    assert.equal((await t.deps.cases.loadCase(c.id))!.state, 'responded');
  });

  test('pause with a reason shows the paused deadline; templates are inserted server-side', async () => {
    const c = await buildCase(t.deps, { state: 'with_body', body });
    const paused = await officerAgent.submit(
      casePaths.show({ caseId: c.id }),
      { expectedVersion: await versionOf(c.id), text: 'Waiting for minutes' },
      casePaths.action({ caseId: c.id, action: 'pause_clock' }),
    );
    assert.equal(paused.statusCode, 303);
    const page = await officerAgent.get(casePaths.show({ caseId: c.id }));
    assert.match(page.body, /The clock is paused since .*Waiting for minutes/);
    assert.equal(
      (await t.deps.db.get().select().from(caseClockEvents).where(eq(caseClockEvents.caseId, c.id))).length,
      2,
    );

    const empty = await leadAgent.submit(casePaths.templates(), { bodyId: body.id, title: '', body: '' });
    assert.equal(empty.statusCode, 422);
    assert.match(empty.body, /Enter a name for the template/);
    const saved = await leadAgent.submit(casePaths.templates(), {
      bodyId: body.id,
      title: 'Holding reply',
      body: 'Thank you for raising this with us.',
    });
    assert.equal(saved.statusCode, 303);
    const [template] = await t.deps.cases.listTemplates(
      (await t.deps.sessionsRepository.loadUser(lead.id))!,
      body.id,
    );
    const resumed = await officerAgent.submit(
      casePaths.show({ caseId: c.id }),
      { expectedVersion: await versionOf(c.id) },
      casePaths.action({ caseId: c.id, action: 'resume_clock' }),
    );
    assert.equal(resumed.statusCode, 303);
    const used = await officerAgent.submit(
      casePaths.show({ caseId: c.id }),
      { templateId: template!.id, text: 'Dear reporter,' },
      casePaths.useTemplate({ caseId: c.id }),
    );
    assert.equal(used.statusCode, 200);
    assert.match(used.body, /Dear reporter,\n\nThank you for raising this with us\.<\/textarea>/);
  });

  test('staff of another body and the reporter get 404 on the staff page', async () => {
    const c = await buildCase(t.deps, { state: 'with_body', body, reporter });
    const stranger = await createUser(t.deps, {
      roles: [{ role: 'body_officer', organisationId: otherBody.id }],
      totp: true,
    });
    const agent = t.agent();
    await signIn(agent, stranger);
    assert.equal((await agent.get(casePaths.show({ caseId: c.id }))).statusCode, 404);
    const reporterAgent = t.agent();
    await signIn(reporterAgent, reporterUser);
    assert.equal((await reporterAgent.get(casePaths.show({ caseId: c.id }))).statusCode, 404);
    assert.equal((await reporterAgent.get(casePaths.myCase({ caseId: c.id }))).statusCode, 200);
  });

  test('the reporter: their cases, a reply, withdrawal, and the four-week question', async () => {
    const c = await buildCase(t.deps, { state: 'with_body', body, reporter, title: 'My own report' });
    const agent = t.agent();
    await signIn(agent, reporterUser);
    const list = await agent.get(casePaths.myCases());
    assert.match(list.body, /My own report/);
    assert.match(list.body, /Your cases/);
    const reply = await agent.submit(
      casePaths.myCase({ caseId: c.id }),
      { message: 'More detail here' },
      casePaths.myCaseMessage({ caseId: c.id }),
    );
    assert.equal(reply.statusCode, 303);
    const empty = await agent.submit(
      casePaths.myCase({ caseId: c.id }),
      { message: ' ' },
      casePaths.myCaseMessage({ caseId: c.id }),
    );
    assert.equal(empty.statusCode, 422);
    const withdraw = await agent.submit(
      casePaths.myCase({ caseId: c.id }),
      { expectedVersion: await versionOf(c.id) },
      casePaths.myCaseAction({ caseId: c.id, action: 'withdraw' }),
    );
    assert.equal(withdraw.statusCode, 303);
    const question = await agent.get(casePaths.wasItResolved({ caseId: c.id }));
    assert.equal(question.statusCode, 200);
    const noAnswer = await agent.submit(casePaths.wasItResolved({ caseId: c.id }), {});
    assert.equal(noAnswer.statusCode, 422);
    assert.match(noAnswer.body, /Select yes if the problem was resolved/);
    await agent.submit(casePaths.wasItResolved({ caseId: c.id }), { resolved: 'no' });
    assert.equal((await t.deps.cases.loadCase(c.id))!.reporterSaysResolved, false);
  });
});
