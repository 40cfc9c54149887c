/**
 * The panel's pages through the real app (CSRF on): the queue, the pack, proposing with the anonymity check,
 * votes and quorum, decisions by vote and by consensus, the body's reply, closing, conflicts, terms,
 * meetings, and the daily reminders.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { and, eq } from 'drizzle-orm';
import { createTestApp, linkFrom, type TestApp } from '../../../test/helpers/app.ts';
import { createUser, signIn, type TestUser } from '../../../test/helpers/accounts.ts';
import { buildCase, createTestOrganisation, type BuiltCase } from '../../../test/helpers/cases.ts';
import type { Agent } from '../../../test/helpers/agent.ts';
import {
  caseState,
  caseVersion,
  createPanelMember,
  type TestPanelMember,
} from '../../../test/helpers/panel.ts';
import { auditLog as auditEvents } from '../../platform/audit/audit.tables.ts';
import { panelPaths } from './panel.paths.ts';
import { panelDecisions, panelVotes } from './panel.tables.ts';

describe('oversight panel pages', () => {
  let t: TestApp;
  let body: { id: string; name: string };
  let lead: TestUser;
  let leadAgent: Agent;
  let adminAgent: Agent;
  let gov: TestPanelMember;
  let cso: TestPanelMember;
  let chair: TestPanelMember;
  let lapsed: TestPanelMember;

  before(async () => {
    t = await createTestApp();
    body = await createTestOrganisation(t.deps, { name: 'Department of Examples' });
    lead = await createUser(t.deps, {
      roles: [{ role: 'body_lead', organisationId: body.id }],
      totp: true,
      email: 'lead@example.gov.uk',
    });
    leadAgent = t.agent();
    await signIn(leadAgent, lead);
    const team = await createTestOrganisation(t.deps, { kind: 'covenant_team' });
    const admin = await createUser(t.deps, {
      roles: [{ role: 'admin', organisationId: team.id }],
      totp: true,
    });
    adminAgent = t.agent();
    await signIn(adminAgent, admin);
    gov = await createPanelMember(t, 'government', { name: 'Gwen Government' });
    cso = await createPanelMember(t, 'civil_society', { name: 'Cerys Civil' });
    chair = await createPanelMember(t, 'independent_chair', { name: 'Chidi Chair' });
    lapsed = await createPanelMember(t, 'government', {
      name: 'Lapsed Member',
      term: { start: '2022-01-01', end: '2024-12-31' },
    });
  });
  after(() => t.close());

  const withheld = (title: string) =>
    buildCase(t.deps, {
      state: 'escalated',
      confidentiality: 'withheld',
      body,
      title,
      identity: { name: 'Rowena Quill', phone: '07700 900555', organisationName: 'Quill Youth Trust' },
    });

  const propose = (m: TestPanelMember, c: BuiltCase, overrides: Record<string, string> = {}) =>
    m.agent.submit(
      panelPaths.case({ caseId: c.id }),
      {
        outcome: 'upheld',
        reasons: 'The body cut the grant with two weeks’ notice, against the commitment to three months.',
        determination: 'A charity’s grant was cut with two weeks’ notice. The panel upheld the complaint.',
        recommendation: 'Give three months’ written notice before ending any grant.',
        'recommendationDueOn-day': '5',
        'recommendationDueOn-month': '3',
        'recommendationDueOn-year': '2026',
        ...overrides,
      },
      panelPaths.propose({ caseId: c.id }),
    );

  const vote = (m: TestPanelMember, c: BuiltCase, choice: string, reason = 'As the evidence shows.') =>
    m.agent.submit(
      panelPaths.case({ caseId: c.id }),
      { vote: choice, reason },
      panelPaths.vote({ caseId: c.id }),
    );

  const decide = async (m: TestPanelMember, c: BuiltCase, form: Record<string, string>) =>
    m.agent.submit(
      panelPaths.case({ caseId: c.id }),
      { expectedVersion: await caseVersion(t, c.id), ...form },
      panelPaths.decide({ caseId: c.id }),
    );

  test('the queue lists escalated cases with filters; the pack shows the reporter to the panel, audited', async () => {
    const c = await withheld('Grant ended without notice');
    await buildCase(t.deps, { state: 'with_body', body, title: 'Not escalated yet' });
    const queue = await gov.agent.get(panelPaths.queue());
    assert.equal(queue.statusCode, 200);
    assert.match(queue.body, /Grant ended without notice/);
    assert.doesNotMatch(queue.body, /Not escalated yet/);
    const filtered = await gov.agent.get(panelPaths.queue({ state: 'panel_decided' }));
    assert.doesNotMatch(filtered.body, /Grant ended without notice/);
    const searched = await gov.agent.get(panelPaths.queue({ q: c.reference }));
    assert.match(searched.body, /Grant ended without notice/);
    // Bad filter values are ignored, not refused.
    assert.equal(
      (await gov.agent.get(panelPaths.queue({ state: 'nonsense', body: 'x', page: '-3' }))).statusCode,
      200,
    );

    const pack = await gov.agent.get(panelPaths.case({ caseId: c.id }));
    assert.equal(pack.statusCode, 200);
    assert.match(pack.body, /Rowena Quill/);
    assert.match(pack.body, /The funding was cut with two weeks notice/);
    const audits = await t.deps.db
      .get()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'case.identity_viewed'), eq(auditEvents.entityId, c.id)));
    assert.ok(audits.some((a) => a.actorUserId === gov.user.id));
  });

  test('a proposal: bad input and identifying text are refused with GOV.UK errors; nothing is saved', async () => {
    const c = await withheld('Advisory group closed');
    const empty = await gov.agent.submit(
      panelPaths.case({ caseId: c.id }),
      {},
      panelPaths.propose({ caseId: c.id }),
    );
    assert.equal(empty.statusCode, 422);
    assert.match(empty.body, /There is a problem/);
    assert.match(empty.body, /href="#proposal-outcome"/);
    assert.match(empty.body, /href="#proposal-recommendationDueOn-day"/);

    const past = await propose(gov, c, { 'recommendationDueOn-year': '2025' });
    assert.equal(past.statusCode, 422);
    assert.match(past.body, /The due date must be in the future/);

    for (const [field, text] of [
      ['determination', 'Rowena Quill complained about the grant.'],
      ['determination', 'The QUILL YOUTH TRUST complained.'],
      ['recommendation', 'Call the reporter on 07700900555 to apologise.'],
      ['reasons', 'As Rowena Quill told us, the grant was cut.'],
    ] as const) {
      const res = await propose(gov, c, { [field]: text });
      assert.equal(res.statusCode, 422, `${field}: ${text}`);
      assert.match(res.body, new RegExp(`href="#proposal-${field}"`));
      assert.match(res.body, /Remove them/);
    }
    const saved = await t.deps.db.get().select().from(panelDecisions).where(eq(panelDecisions.caseId, c.id));
    assert.equal(saved.length, 0);
    assert.equal(await caseState(t, c.id), 'escalated');
  });

  test('votes and quorum: no quorum until both sides and three members vote; then adopted, body and reporter told', async () => {
    const c = await withheld('Grant cut mid-year');
    const proposed = await propose(gov, c);
    assert.equal(proposed.statusCode, 303);
    assert.equal(await caseState(t, c.id), 'panel_review');
    assert.equal((await propose(cso, c)).statusCode, 422, 'one open proposal per case');

    const noReason = await vote(gov, c, 'for', '');
    assert.equal(noReason.statusCode, 422);
    assert.match(noReason.body, /Enter the reason for your vote/);
    assert.equal((await vote(gov, c, 'for')).statusCode, 303);
    assert.equal((await vote(cso, c, 'for')).statusCode, 303);
    // A member outside their term can read the case but not vote.
    const outside = await vote(lapsed, c, 'for');
    assert.equal(outside.statusCode, 422);
    assert.match(outside.body, /only during your term/);

    const early = await decide(gov, c, { method: 'vote' });
    assert.equal(early.statusCode, 422);
    assert.match(early.body, /There is no quorum: at least 3 members must take part/);
    assert.equal((await vote(chair, c, 'against')).statusCode, 303);
    // Changing a vote replaces it.
    assert.equal((await vote(chair, c, 'abstain', 'I was not at the hearing.')).statusCode, 303);
    const rows = await t.deps.db.get().select().from(panelVotes).where(eq(panelVotes.userId, chair.user.id));
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.vote, 'abstain');

    const done = await decide(gov, c, { method: 'vote' });
    assert.equal(done.statusCode, 303);
    assert.equal(await caseState(t, c.id), 'panel_decided');
    const [decision] = await t.deps.db
      .get()
      .select()
      .from(panelDecisions)
      .where(and(eq(panelDecisions.caseId, c.id), eq(panelDecisions.status, 'adopted')));
    assert.deepEqual(decision!.quorum!.votes, { for: 2, against: 0, abstain: 1 });
    assert.equal(decision!.quorum!.participants.length, 3);

    await t.deps.outbox.sendDue(10_000);
    // The test clock stands still, so emails queued together have no order: find them by subject.
    const mailTo = (to: string, subject: RegExp) =>
      t.mail.sent.find((e) => e.to === to && subject.test(e.subject));
    const toBody = mailTo(lead.email, new RegExp(`recommendation on case ${c.reference}`));
    assert.ok(toBody);
    assert.equal(linkFrom(toBody, '/cases/'), panelPaths.recommendation({ caseId: c.id }));
    assert.doesNotMatch(toBody!.text, /Rowena|Quill|07700/);
    assert.ok(mailTo(c.identity.email, new RegExp(`decided your case ${c.reference}`)));
  });

  test('a majority against rejects the proposal and the case stays in review; a new one can be proposed', async () => {
    const c = await withheld('Consultation too short');
    await propose(gov, c);
    await vote(gov, c, 'against');
    await vote(cso, c, 'against');
    await vote(chair, c, 'for');
    const res = await decide(chair, c, { method: 'vote' });
    assert.equal(res.statusCode, 303);
    const page = await chair.agent.get(String(res.headers.location));
    assert.match(page.body, /rejected by the vote/);
    assert.equal(await caseState(t, c.id), 'panel_review');
    assert.equal((await propose(cso, c, { outcome: 'not_upheld' })).statusCode, 303);
  });

  test('consensus at a held meeting counts those present; a meeting without quorum or not yet held is refused', async () => {
    const c = await withheld('Payment terms of 90 days');
    await propose(cso, c);
    // A meeting in the past with two present: no quorum.
    const meetingAt = {
      title: 'December meeting',
      'date-day': '15',
      'date-month': '12',
      'date-year': '2025',
      time: '10:00',
      location: 'Online',
    };
    const created = await gov.agent.submit(panelPaths.newMeeting(), meetingAt);
    assert.equal(created.statusCode, 303);
    const meetingUrl = String(created.headers.location);
    const meetingId = meetingUrl.split('/').at(-1)!;
    await gov.agent.submit(
      meetingUrl,
      {
        [`attendance-${gov.user.id}`]: 'present',
        [`attendance-${cso.user.id}`]: 'present',
        [`attendance-${chair.user.id}`]: 'apologies',
      },
      panelPaths.attendance({ meetingId }),
    );
    const short = await decide(cso, c, { method: 'consensus', meetingId });
    assert.equal(short.statusCode, 422);
    assert.match(short.body, /at least 3 members must take part/);
    const noMeeting = await decide(cso, c, { method: 'consensus' });
    assert.equal(noMeeting.statusCode, 422);
    assert.match(noMeeting.body, /Choose the meeting where the consensus was reached/);
    // A future meeting cannot have reached a consensus.
    const future = await gov.agent.submit(panelPaths.newMeeting(), {
      ...meetingAt,
      'date-year': '2026',
      'date-month': '2',
    });
    const futureId = String(future.headers.location).split('/').at(-1)!;
    const notHeld = await decide(cso, c, { method: 'consensus', meetingId: futureId });
    assert.equal(notHeld.statusCode, 422);
    assert.match(notHeld.body, /has taken place/);

    await gov.agent.submit(
      meetingUrl,
      { [`attendance-${chair.user.id}`]: 'present' },
      panelPaths.attendance({ meetingId }),
    );
    const ok = await decide(cso, c, { method: 'consensus', meetingId });
    assert.equal(ok.statusCode, 303);
    assert.equal(await caseState(t, c.id), 'panel_decided');
  });

  test('the body replies on its recommendation page, which never shows the reporter; then the panel closes', async () => {
    const c = await withheld('Grant withdrawn after criticism');
    await propose(gov, c);
    for (const m of [gov, cso, chair]) await vote(m, c, 'for');
    await decide(gov, c, { method: 'vote' });

    const staffPage = await leadAgent.get(`/cases/${c.id}`);
    assert.equal(staffPage.statusCode, 200);
    assert.match(staffPage.body, new RegExp(panelPaths.recommendation({ caseId: c.id })));
    assert.match(staffPage.body, /Give three months’ written notice/);

    const page = await leadAgent.get(panelPaths.recommendation({ caseId: c.id }));
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Give three months’ written notice/);
    assert.match(page.body, /The panel upheld the complaint/);
    for (const secret of ['Rowena', 'Quill', '07700', c.identity.email])
      assert.ok(!page.body.includes(secret), secret);

    const empty = await leadAgent.submit(panelPaths.recommendation({ caseId: c.id }), {});
    assert.equal(empty.statusCode, 422);
    assert.match(empty.body, /Choose whether you accept the recommendation/);
    assert.match(empty.body, /Enter your reply/);
    const replied = await leadAgent.submit(panelPaths.recommendation({ caseId: c.id }), {
      expectedVersion: await caseVersion(t, c.id),
      position: 'partly',
      text: 'We will give notice from April; the current grant cannot be restored.',
    });
    assert.equal(replied.statusCode, 303);
    assert.equal(await caseState(t, c.id), 'body_replied');
    const again = await leadAgent.submit(panelPaths.recommendation({ caseId: c.id }), {
      expectedVersion: await caseVersion(t, c.id),
      position: 'accept',
      text: 'Twice',
    });
    assert.notEqual(again.statusCode, 303, 'a second reply is refused');
    // A panel member cannot reply for the body.
    const panelReply = await gov.agent.submit(panelPaths.recommendation({ caseId: c.id }), {
      expectedVersion: await caseVersion(t, c.id),
      position: 'accept',
      text: 'x',
    });
    assert.equal(panelReply.statusCode, 404);

    await t.deps.outbox.sendDue(10_000);
    assert.ok(
      t.mail.sent.some(
        (e) => e.to === cso.user.email && e.subject.includes(`has replied on case ${c.reference}`),
      ),
    );

    const noOutcome = await gov.agent.submit(
      panelPaths.case({ caseId: c.id }),
      { expectedVersion: await caseVersion(t, c.id) },
      panelPaths.close({ caseId: c.id }),
    );
    assert.equal(noOutcome.statusCode, 422);
    const closed = await gov.agent.submit(
      panelPaths.case({ caseId: c.id }),
      { expectedVersion: await caseVersion(t, c.id), outcome: 'partly_resolved' },
      panelPaths.close({ caseId: c.id }),
    );
    assert.equal(closed.statusCode, 303);
    assert.equal(await caseState(t, c.id), 'closed');
  });

  test('a stale page is a 409 with the case shown again, not a lost change', async () => {
    const c = await withheld('Two decisions at once');
    await propose(gov, c);
    for (const m of [gov, cso, chair]) await vote(m, c, 'for');
    const stale = await gov.agent.submit(
      panelPaths.case({ caseId: c.id }),
      { expectedVersion: '1', method: 'vote' },
      panelPaths.decide({ caseId: c.id }),
    );
    assert.equal(stale.statusCode, 409);
    assert.match(stale.body, /Someone else changed this case/);
    assert.equal(await caseState(t, c.id), 'panel_review');
  });

  test('declaring a conflict hides the case at once; withdrawing it shows it again', async () => {
    const c = await withheld('Conflict case');
    const declared = await cso.agent.submit(
      panelPaths.case({ caseId: c.id }),
      { reason: 'My partner works for this department.' },
      panelPaths.declareCaseConflict({ caseId: c.id }),
    );
    assert.equal(declared.statusCode, 303);
    assert.equal((await cso.agent.get(panelPaths.case({ caseId: c.id }))).statusCode, 404);
    assert.doesNotMatch((await cso.agent.get(panelPaths.queue())).body, /Conflict case/);
    const conflicts = await cso.agent.get(panelPaths.conflicts());
    assert.match(conflicts.body, new RegExp(c.reference));
    const conflictId = /\/panel\/conflicts\/([0-9a-f-]{36})\/withdraw/.exec(conflicts.body)![1]!;
    // Another member cannot withdraw it.
    assert.equal(
      (await gov.agent.post(panelPaths.withdrawConflict({ conflictId }), {}, panelPaths.conflicts()))
        .statusCode,
      404,
    );
    await cso.agent.post(panelPaths.withdrawConflict({ conflictId }), {}, panelPaths.conflicts());
    assert.equal((await cso.agent.get(panelPaths.case({ caseId: c.id }))).statusCode, 200);
  });

  test('a conflict with an organisation: by name, with a choice when several match, and bad input refused', async () => {
    const other = await createTestOrganisation(t.deps, { name: 'Department of Examples North' });
    const c = await buildCase(t.deps, { state: 'escalated', body: other, title: 'Northern case' });
    const missing = await chair.agent.submit(panelPaths.conflicts(), { about: 'organisation', reason: 'x' });
    assert.equal(missing.statusCode, 422);
    assert.match(missing.body, /Enter the organisation’s name/);
    const unknown = await chair.agent.submit(panelPaths.conflicts(), {
      about: 'organisation',
      organisationQuery: 'Nowhere at all',
      reason: 'x',
    });
    assert.match(unknown.body, /No organisation has that name/);
    const several = await chair.agent.submit(panelPaths.conflicts(), {
      about: 'organisation',
      organisationQuery: 'Department of Ex',
      reason: 'I advise them.',
    });
    assert.equal(several.statusCode, 422);
    assert.match(several.body, /Several organisations match/);
    assert.match(several.body, /Department of Examples North/);
    const chosen = await chair.agent.submit(panelPaths.conflicts(), {
      about: 'organisation',
      organisationQuery: 'Department of Ex',
      organisationId: other.id,
      reason: 'I advise them.',
    });
    assert.equal(chosen.statusCode, 303);
    assert.equal((await chair.agent.get(panelPaths.case({ caseId: c.id }))).statusCode, 404);
    // A member cannot record a conflict for someone else; the form has no member field for them anyway.
    const forOther = await chair.agent.submit(panelPaths.conflicts(), {
      userId: gov.user.id,
      about: 'case',
      caseReference: c.reference,
      reason: 'x',
    });
    assert.equal(forOther.statusCode, 403);
  });

  test('terms: administrators add and change them; overlapping or reversed terms are refused', async () => {
    const person = await createPanelMember(t, null, { name: 'New Member' });
    const form = {
      userId: person.user.id,
      side: 'civil_society',
      'termStart-day': '1',
      'termStart-month': '1',
      'termStart-year': '2026',
      'termEnd-day': '31',
      'termEnd-month': '12',
      'termEnd-year': '2027',
    };
    assert.equal((await adminAgent.submit(panelPaths.newTerm(), form)).statusCode, 303);
    const overlap = await adminAgent.submit(panelPaths.newTerm(), {
      ...form,
      'termStart-year': '2027',
      'termEnd-year': '2029',
    });
    assert.equal(overlap.statusCode, 422);
    assert.match(overlap.body, /overlaps another term/);
    const reversed = await adminAgent.submit(panelPaths.newTerm(), {
      ...form,
      'termStart-year': '2030',
      'termEnd-year': '2029',
    });
    assert.match(reversed.body, /must end on or after/);
    const invalid = await adminAgent.submit(panelPaths.newTerm(), {
      ...form,
      'termStart-day': '31',
      'termStart-month': '2',
    });
    assert.match(invalid.body, /Enter a real date/);
    const notPanel = await createUser(t.deps, { roles: [{ role: 'body_lead', organisationId: body.id }] });
    const wrongRole = await adminAgent.submit(panelPaths.newTerm(), { ...form, userId: notPanel.id });
    assert.match(wrongRole.body, /does not hold the panel member role/);
    const members = await gov.agent.get(panelPaths.members());
    assert.match(members.body, /New Member/);
    // Members see the list but cannot add terms.
    assert.equal((await gov.agent.get(panelPaths.newTerm())).statusCode, 403);

    const termId = /\/panel\/members\/terms\/([0-9a-f-]{36})/.exec(
      (await adminAgent.get(panelPaths.members())).body,
    )![1]!;
    assert.equal((await adminAgent.get(panelPaths.term({ termId }))).statusCode, 200);
    const settings = await adminAgent.submit(panelPaths.settings(), {
      quorumMinimum: '1',
      quorumEachSide: 'yes',
    });
    assert.equal(settings.statusCode, 422);
    assert.match(settings.body, /between 2 and 25/);
  });

  test('meetings: the agenda comes from the queue; attendance, minutes and actions are recorded', async () => {
    const c = await buildCase(t.deps, { state: 'escalated', body, title: 'Agenda case' });
    const bad = await gov.agent.submit(panelPaths.newMeeting(), {
      title: '',
      'date-day': '1',
      'date-month': '2',
      'date-year': '2026',
      time: '25:00',
      location: '',
    });
    assert.equal(bad.statusCode, 422);
    assert.match(bad.body, /Enter a title for the meeting/);
    assert.match(bad.body, /Enter the time as hours and minutes/);
    const created = await gov.agent.submit(panelPaths.newMeeting(), {
      title: 'February meeting',
      'date-day': '2',
      'date-month': '2',
      'date-year': '2026',
      time: '14:30',
      location: 'Room 1',
    });
    assert.equal(created.statusCode, 303);
    const url = String(created.headers.location);
    const meetingId = url.split('/').at(-1)!;
    const page = await gov.agent.get(url);
    assert.match(page.body, /Apologies for absence/);
    assert.match(page.body, new RegExp(`Case ${c.reference}: Agenda case`));
    await t.deps.outbox.sendDue(10_000);
    assert.ok(
      t.mail.sent.some((e) => e.to === chair.user.email && e.subject === 'Panel meeting: February meeting'),
    );
    assert.equal(t.mail.lastTo(lapsed.user.email), undefined, 'members out of term are not emailed');

    const notHeld = await gov.agent.submit(
      url,
      { status: 'held', minutes: 'Too early' },
      panelPaths.minutes({ meetingId }),
    );
    assert.equal(notHeld.statusCode, 422);
    assert.match(notHeld.body, /only once it has started/);
    assert.equal(
      (
        await gov.agent.submit(
          url,
          { status: 'scheduled', minutes: 'Draft agenda notes' },
          panelPaths.minutes({ meetingId }),
        )
      ).statusCode,
      303,
    );
    const outsider = await gov.agent.submit(
      url,
      { [`attendance-${lapsed.user.id}`]: 'present' },
      panelPaths.attendance({ meetingId }),
    );
    assert.equal(outsider.statusCode, 422);
    const noAction = await gov.agent.submit(
      url,
      { description: '', ownerUserId: '' },
      panelPaths.actions({ meetingId }),
    );
    assert.equal(noAction.statusCode, 422);
    assert.match(noAction.body, /href="#action-description"/);
    const action = await gov.agent.submit(
      url,
      {
        description: 'Ask the body for its data',
        ownerUserId: chair.user.id,
        'dueOn-day': '1',
        'dueOn-month': '3',
        'dueOn-year': '2026',
      },
      panelPaths.actions({ meetingId }),
    );
    assert.equal(action.statusCode, 303);
    const withAction = await gov.agent.get(url);
    assert.match(withAction.body, /Ask the body for its data/);
    const actionId = /\/panel\/actions\/([0-9a-f-]{36})/.exec(withAction.body)![1]!;
    assert.equal(
      (await gov.agent.post(panelPaths.actionStatus({ actionId }), { status: 'done' }, url)).statusCode,
      303,
    );
    assert.equal(
      (await gov.agent.submit(url, { title: 'Any other business' }, panelPaths.agendaItem({ meetingId })))
        .statusCode,
      303,
    );
    assert.match((await gov.agent.get(url)).body, /Any other business/);
    assert.equal((await gov.agent.get(panelPaths.meeting({ meetingId: 'not-a-meeting' }))).statusCode, 404);
  });

  test('the daily task reminds the body before the due date and once when overdue', async () => {
    const c = await withheld('Reminder case');
    await propose(gov, c);
    for (const m of [gov, cso, chair]) await vote(m, c, 'for');
    await decide(gov, c, { method: 'vote' });
    await t.deps.outbox.sendDue(10_000);
    const sent = () => t.mail.sent.filter((e) => e.to === lead.email && e.text.includes(c.reference));
    const before = sent().length;
    assert.deepEqual(await t.deps.panel.runDaily(), { reminders: 0, overdue: 0 });
    const saved = t.clock.now();
    try {
      t.clock.set('2026-03-04T08:00:00Z'); // the working day before 5 March
      const first = await t.deps.panel.runDaily();
      assert.ok(first.reminders >= 1);
      assert.equal((await t.deps.panel.runDaily()).reminders, 0, 'a second run the same day sends nothing');
      t.clock.set('2026-03-09T08:00:00Z');
      assert.ok((await t.deps.panel.runDaily()).overdue >= 1);
      assert.equal((await t.deps.panel.runDaily()).overdue, 0);
      await t.deps.outbox.sendDue(10_000);
      const subjects = sent()
        .slice(before)
        .map((e) => e.subject);
      assert.ok(subjects.some((s) => s.startsWith('Reminder:')));
      assert.ok(subjects.some((s) => s.startsWith('Overdue:')));
      for (const e of sent()) assert.doesNotMatch(e.text, /Rowena|Quill/);
    } finally {
      t.clock.set(saved);
    }
  });
});
