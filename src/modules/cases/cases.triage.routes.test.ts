/**
 * Triage pages through the real app (issue 4, items 3 and 5): accept, request information, out of scope,
 * duplicate, re-route with a reason (history kept, the clock not restarted, the new body's working days),
 * the lost race (409, the text kept) and bad input (422 with the GOV.UK error summary).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { and, eq } from 'drizzle-orm';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import type { Agent } from '../../../test/helpers/agent.ts';
import {
  buildCase,
  createTestOrganisation,
  createTestPerson,
  type TestOrganisation,
} from '../../../test/helpers/cases.ts';
import { SESSION_COOKIE } from '../../platform/http/context.ts';
import type { CurrentUser } from '../../platform/auth/roles.ts';
import { auditLog } from '../../platform/audit/audit.tables.ts';
import { caseClockEvents, caseEvents, cases, routingRules } from './cases.tables.ts';
import { intakePaths } from './cases.intake.paths.ts';
import { casePaths } from './cases.paths.ts';

async function agentAs(t: TestApp, user: CurrentUser): Promise<Agent> {
  const agent = t.agent();
  agent.cookies.set(SESSION_COOKIE, await t.deps.sessions.start(user.id, { secondFactorDone: true }));
  return agent;
}

describe('triage pages', () => {
  let t: TestApp;
  let admin: Agent;
  let adminUser: CurrentUser;
  let bodyA: TestOrganisation;
  let bodyB: TestOrganisation;
  let officerA: CurrentUser;
  let officerB: CurrentUser;

  before(async () => {
    t = await createTestApp();
    adminUser = await createTestPerson(t.deps, 'admin');
    admin = await agentAs(t, adminUser);
    bodyA = await createTestOrganisation(t.deps, { name: 'Department of Alpha', nation: 'england' });
    bodyB = await createTestOrganisation(t.deps, { name: 'Borough of Beta', nation: 'england' });
    officerA = await createTestPerson(t.deps, 'body_officer', { organisationId: bodyA.id });
    officerB = await createTestPerson(t.deps, 'body_officer', { organisationId: bodyB.id });
  });
  after(() => t.close());

  const caseRow = async (id: string) =>
    (await t.deps.db.get().select().from(cases).where(eq(cases.id, id)))[0]!;
  const eventsOf = async (id: string, action: string) =>
    t.deps.db
      .get()
      .select()
      .from(caseEvents)
      .where(and(eq(caseEvents.caseId, id), eq(caseEvents.action, action)));
  const auditsOf = async (id: string, action: string) =>
    t.deps.db
      .get()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityId, id), eq(auditLog.action, action)));
  /** Posts a triage decision from the case's own page (CSRF token, version and loadedAt as a browser sends). */
  const decide = async (caseId: string, form: Record<string, string>) => {
    const url = intakePaths.triageCase({ caseId });
    const page = await admin.get(url);
    const version = /name="version" value="(\d+)"/.exec(page.body)?.[1] ?? '';
    const loadedAt = /name="loadedAt" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    return admin.submit(url, { version, loadedAt, ...form });
  };

  test('only the Covenant team reaches the triage pages', async () => {
    const c = await buildCase(t.deps, { state: 'submitted', body: null });
    const url = intakePaths.triageCase({ caseId: c.id });
    assert.equal((await (await agentAs(t, officerA)).get(url)).statusCode, 403);
    assert.equal((await (await agentAs(t, c.reporter)).get(url)).statusCode, 403);
    assert.equal((await t.agent().get(url)).statusCode, 303, 'anonymous: sent to sign in');
    assert.equal((await admin.get(url)).statusCode, 200);
    assert.equal((await admin.get(intakePaths.triageCase({ caseId: 'not-a-case' }))).statusCode, 404);
    assert.equal(
      (await admin.get(intakePaths.triageCase({ caseId: '00000000-0000-4000-8000-000000000000' })))
        .statusCode,
      404,
    );
  });

  test('accept: the body and category are set, the clock starts today, the due dates are stored', async () => {
    const c = await buildCase(t.deps, { state: 'submitted', body: null, bodyNameGiven: 'Alpha dept' });
    const page = await admin.get(intakePaths.triageCase({ caseId: c.id }));
    // The choices come from the transition table: a submitted case can be accepted, never re-routed.
    assert.match(page.body, /value="accept"/);
    assert.match(page.body, /value="request_information"/);
    assert.doesNotMatch(page.body, /value="reroute"/);
    const r = await decide(c.id, {
      action: 'accept',
      bodyId: bodyA.id,
      category: 'funding',
      reference: c.reference,
    });
    assert.equal(r.statusCode, 303, r.body.slice(0, 500));
    assert.equal(r.headers.location, intakePaths.triage());
    const row = await caseRow(c.id);
    assert.equal(row.state, 'with_body');
    assert.equal(row.bodyId, bodyA.id);
    assert.equal(row.category, 'funding');
    // Monday 5 January 2026: 5 and 20 working days (England and Wales).
    assert.equal(row.acknowledgeDueOn, '2026-01-12');
    assert.equal(row.respondDueOn, '2026-02-02');
    assert.equal(row.nextDueOn, '2026-01-12');
    const clock = await t.deps.db
      .get()
      .select()
      .from(caseClockEvents)
      .where(eq(caseClockEvents.caseId, c.id));
    assert.deepEqual(
      clock.map((e) => [e.type, e.on]),
      [['started', '2026-01-05']],
    );
    assert.equal((await eventsOf(c.id, 'set_body')).length, 1, 'the body it went to is in the history');
    assert.equal((await auditsOf(c.id, 'case.accept')).length, 1);
    // The body's officer now sees it; the flash names the case.
    assert.equal((await (await agentAs(t, officerA)).get(casePaths.show({ caseId: c.id }))).statusCode, 200);
    assert.ok((await admin.get(intakePaths.triage())).body.includes(c.reference));
  });

  test('request information: needs a message; the reporter is emailed it', async () => {
    const c = await buildCase(t.deps, { state: 'submitted', body: bodyA });
    const missing = await decide(c.id, { action: 'request_information', text: '' });
    assert.equal(missing.statusCode, 422);
    assert.match(missing.body, /govuk-error-summary/);
    assert.ok(missing.body.includes('Enter a message to the reporter, or the reason'));
    assert.match(missing.body, /value="request_information" checked/);
    const r = await decide(c.id, {
      action: 'request_information',
      text: 'Please send the letter that ended the grant.',
    });
    assert.equal(r.statusCode, 303);
    assert.equal((await caseRow(c.id)).state, 'needs_information');
    await t.deliverEmails();
    const mail = t.mail.lastTo(c.identity.email);
    assert.ok(mail?.text.includes('Please send the letter that ended the grant.'));
    assert.ok(mail?.text.includes(c.reference));
    // Nothing for triage to decide while the reporter is asked.
    const page = await admin.get(intakePaths.triageCase({ caseId: c.id }));
    assert.ok(
      page.body.includes('There is nothing for triage to decide while the case is Needs information'),
    );
    assert.doesNotMatch(page.body, /name="action"/);
  });

  test('out of scope: needs a reason; the case closes with that outcome', async () => {
    const c = await buildCase(t.deps, { state: 'submitted', body: bodyA });
    assert.equal((await decide(c.id, { action: 'reject_out_of_scope' })).statusCode, 422);
    const r = await decide(c.id, { action: 'reject_out_of_scope', text: 'This is about a private company.' });
    assert.equal(r.statusCode, 303);
    const row = await caseRow(c.id);
    assert.equal(row.state, 'closed');
    assert.equal(row.outcome, 'out_of_scope');
    assert.ok(row.closedAt);
    assert.equal(row.nextDueOn, null);
    assert.equal((await auditsOf(c.id, 'case.reject_out_of_scope')).length, 1);
  });

  test('duplicate: the original must exist and be another case', async () => {
    const original = await buildCase(t.deps, { state: 'with_body', body: bodyA });
    const c = await buildCase(t.deps, { state: 'submitted', body: bodyA });
    for (const duplicateOf of ['', 'CH-2026-999999', c.reference]) {
      const r = await decide(c.id, { action: 'mark_duplicate', duplicateOf });
      assert.equal(r.statusCode, 422, duplicateOf);
      assert.match(r.body, /govuk-error-summary/);
      assert.ok(r.body.includes('href="#duplicateOf"'), duplicateOf);
    }
    assert.equal((await caseRow(c.id)).state, 'submitted', 'nothing changed');
    const r = await decide(c.id, { action: 'mark_duplicate', duplicateOf: original.reference.toLowerCase() });
    assert.equal(r.statusCode, 303);
    const row = await caseRow(c.id);
    assert.equal(row.state, 'closed');
    assert.equal(row.outcome, 'duplicate');
    assert.equal(row.duplicateOfId, original.id);
  });

  test('re-route with a reason: the new body, its working days, the history, the clock not restarted', async () => {
    // Body B's rule gives 2 and 8 working days.
    await t.deps.db
      .get()
      .insert(routingRules)
      .values({ bodyId: bodyB.id, acknowledgeWithinDays: 2, respondWithinDays: 8 });
    const c = await buildCase(t.deps, { state: 'with_body', body: bodyA });
    const before = await caseRow(c.id);
    assert.equal(before.acknowledgeDueOn, '2026-01-12');
    const page = await admin.get(intakePaths.triageCase({ caseId: c.id }));
    assert.match(page.body, /value="reroute"/);
    assert.doesNotMatch(page.body, /value="accept"/);
    // The staff case page links to it for the Covenant team.
    const staffPage = await admin.get(casePaths.show({ caseId: c.id }));
    assert.ok(staffPage.body.includes(`href="${intakePaths.triageCase({ caseId: c.id })}"`));

    // Bad input: no reason, no body, an unknown body, the same body and category.
    const noReason = await decide(c.id, { action: 'reroute', bodyId: bodyB.id, category: 'other', text: '' });
    assert.equal(noReason.statusCode, 422);
    assert.ok(noReason.body.includes('href="#text"'));
    const noBody = await decide(c.id, { action: 'reroute', bodyId: '', text: 'Wrong body' });
    assert.equal(noBody.statusCode, 422);
    assert.ok(noBody.body.includes('Select the public body'));
    assert.ok(noBody.body.includes('Wrong body'), 'the reason typed is kept');
    const unknown = await decide(c.id, {
      action: 'reroute',
      bodyId: '00000000-0000-4000-8000-000000000000',
      text: 'Wrong body',
    });
    assert.equal(unknown.statusCode, 422);
    const same = await decide(c.id, { action: 'reroute', bodyId: bodyA.id, category: 'other', text: 'x' });
    assert.equal(same.statusCode, 422);
    assert.ok(same.body.includes('Select a different public body or category to re-route the case'));
    assert.equal((await caseRow(c.id)).version, before.version, 'nothing changed');

    const r = await decide(c.id, {
      action: 'reroute',
      bodyId: bodyB.id,
      category: 'other',
      text: 'The borough runs this service, not the department.',
      reference: c.reference,
    });
    assert.equal(r.statusCode, 303, r.body.slice(0, 500));
    const row = await caseRow(c.id);
    assert.equal(row.state, 'with_body');
    assert.equal(row.bodyId, bodyB.id);
    assert.equal(row.acknowledgeWithinDays, 2);
    assert.equal(row.respondWithinDays, 8);
    // Counted from the day the case first reached a body (5 January): 2 and 8 working days.
    assert.equal(row.acknowledgeDueOn, '2026-01-07');
    assert.equal(row.respondDueOn, '2026-01-15');
    const [event] = await eventsOf(c.id, 'reroute');
    assert.equal(event!.text, 'The borough runs this service, not the department.');
    assert.equal(event!.fromState, 'with_body');
    assert.deepEqual(
      [event!.details.fromBodyId, event!.details.toBodyId],
      [bodyA.id, bodyB.id],
      'the body it left and the body it went to are kept',
    );
    const clock = await t.deps.db
      .get()
      .select()
      .from(caseClockEvents)
      .where(eq(caseClockEvents.caseId, c.id));
    assert.equal(clock.filter((e) => e.type === 'started').length, 1, 'the clock was not restarted');
    const [audit] = await auditsOf(c.id, 'case.reroute');
    assert.equal(audit!.details.toBodyId, bodyB.id);
    // The old body loses the case; the new one has it.
    assert.equal((await (await agentAs(t, officerA)).get(casePaths.show({ caseId: c.id }))).statusCode, 404);
    const seen = await (await agentAs(t, officerB)).get(casePaths.show({ caseId: c.id }));
    assert.equal(seen.statusCode, 200);
    assert.ok(seen.body.includes('The borough runs this service, not the department.'));
  });

  test('two people at once: the second is told what changed and keeps what they typed (409)', async () => {
    const c = await buildCase(t.deps, { state: 'submitted', body: bodyA });
    const url = intakePaths.triageCase({ caseId: c.id });
    const page = await admin.get(url);
    const loadedAt = /name="loadedAt" value="([^"]+)"/.exec(page.body)![1]!;
    // Someone else asks for information first.
    t.clock.advance(60_000);
    const other = await agentAs(t, await createTestPerson(t.deps, 'admin'));
    const first = await other.submit(url, {
      version: '1',
      loadedAt,
      action: 'request_information',
      text: 'Which grant was it?',
    });
    assert.equal(first.statusCode, 303);
    const second = await admin.submit(url, {
      version: '1',
      loadedAt,
      action: 'reject_out_of_scope',
      text: 'My carefully typed reason',
    });
    assert.equal(second.statusCode, 409);
    assert.match(second.body, /id="conflict"/);
    assert.ok(second.body.includes('Which grant was it?'), 'what the other person did is shown');
    assert.ok(second.body.includes('My carefully typed reason'), 'the text is kept');
    const row = await caseRow(c.id);
    assert.equal(row.state, 'needs_information');
    assert.equal(row.outcome, null);
    t.clock.set('2026-01-05T09:00:00Z');
  });

  test('bad input: no decision, a missing version, a decision the state does not allow (422)', async () => {
    const c = await buildCase(t.deps, { state: 'submitted', body: bodyA });
    const url = intakePaths.triageCase({ caseId: c.id });
    const none = await admin.submit(url, { version: '1' });
    assert.equal(none.statusCode, 422);
    assert.ok(none.body.includes('Select what you want to do'));
    assert.ok(none.body.includes('href="#action"'));
    const noBody = await admin.submit(url, { version: '1', action: 'accept', bodyId: '' });
    assert.equal(noBody.statusCode, 422);
    assert.ok(noBody.body.includes('Select the public body'));
    const noVersion = await admin.submit(url, { action: 'accept', bodyId: bodyA.id });
    assert.equal(noVersion.statusCode, 422);
    const badAction = await admin.submit(url, { version: '1', action: 'respond' });
    assert.equal(badAction.statusCode, 422);
    const closed = await buildCase(t.deps, { state: 'closed', body: bodyA });
    const notAllowed = await admin.submit(intakePaths.triageCase({ caseId: closed.id }), {
      version: '1',
      action: 'accept',
      bodyId: bodyA.id,
    });
    assert.equal(notAllowed.statusCode, 422);
    assert.ok(notAllowed.body.includes('This case is Closed: that decision is not possible now.'));
    assert.equal((await caseRow(c.id)).state, 'submitted');
  });
});
