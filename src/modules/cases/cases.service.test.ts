import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { and, eq } from 'drizzle-orm';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { buildCase, createTestOrganisation, createTestPerson } from '../../../test/helpers/cases.ts';
import type { CurrentUser } from '../../platform/auth/roles.ts';
import type { Actor } from '../../platform/audit/audit.ts';
import { auditLog } from '../../platform/audit/audit.tables.ts';
import { emailOutbox } from '../../platform/email/email.tables.ts';
import { caseClockEvents, caseEvents, cases } from './cases.tables.ts';
import { CaseConflictError, CaseInputError } from './cases.service.ts';

const actorFor = (user: CurrentUser): Actor => ({ userId: user.id, requestId: 'test' });

describe('case service: transitions', () => {
  let t: TestApp;
  let body: { id: string; name: string };
  let officer: CurrentUser;
  let lead: CurrentUser;
  let otherOfficer: CurrentUser;
  let admin: CurrentUser;
  let panel: CurrentUser;

  before(async () => {
    t = await createTestApp();
    body = await createTestOrganisation(t.deps, { name: 'Department for Testing' });
    officer = await createTestPerson(t.deps, 'body_officer', {
      organisationId: body.id,
      email: 'officer@body.example.gov.uk',
    });
    lead = await createTestPerson(t.deps, 'body_lead', {
      organisationId: body.id,
      email: 'lead@body.example.gov.uk',
    });
    otherOfficer = await createTestPerson(t.deps, 'body_officer');
    admin = await createTestPerson(t.deps, 'admin');
    panel = await createTestPerson(t.deps, 'panel_member');
  });
  after(() => t.close());

  const version = async (caseId: string) =>
    (await t.deps.db.get().select({ v: cases.version }).from(cases).where(eq(cases.id, caseId)))[0]!.v;
  const move = async (
    user: CurrentUser,
    caseId: string,
    action: Parameters<TestApp['deps']['cases']['transition']>[3],
    extra: Record<string, unknown> = {},
  ) =>
    t.deps.cases.transition(actorFor(user), user, caseId, action, {
      expectedVersion: await version(caseId),
      ...extra,
    });
  const emailsTo = async (address: string) =>
    t.deps.db.get().select().from(emailOutbox).where(eq(emailOutbox.toAddress, address));

  test('acknowledge: timestamp, version, timeline event, audit row and an email to the reporter only', async () => {
    const c = await buildCase(t.deps, { state: 'with_body', body, confidentiality: 'withheld' });
    const updated = await move(officer, c.id, 'acknowledge');
    assert.equal(updated.state, 'with_body');
    assert.ok(updated.acknowledgedAt);
    assert.equal(updated.version, 2);
    const events = await t.deps.db
      .get()
      .select()
      .from(caseEvents)
      .where(and(eq(caseEvents.caseId, c.id), eq(caseEvents.action, 'acknowledge')));
    assert.equal(events.length, 1);
    assert.equal(events[0]!.actorPart, 'body');
    const audits = await t.deps.db
      .get()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityId, c.id), eq(auditLog.action, 'case.acknowledge')));
    assert.equal(audits.length, 1);
    const mail = await emailsTo(c.identity.email);
    assert.equal(mail.length, 1);
    assert.match(mail[0]!.bodyText, new RegExp(c.reference));
    // No staff address or name in the reporter's email.
    assert.doesNotMatch(mail[0]!.bodyText, /officer@|lead@|Person /);
  });

  test('the happy path: respond (text required) → the reporter confirms resolved with an outcome', async () => {
    const c = await buildCase(t.deps, { state: 'with_body', body });
    await assert.rejects(
      move(officer, c.id, 'respond', { text: '  ' }),
      (e: unknown) => e instanceof CaseInputError && e.message === 'cases.errors.textRequired.respond',
    );
    const responded = await move(officer, c.id, 'respond', {
      text: 'We have restored the grant.',
      position: 'resolved',
    });
    assert.equal(responded.state, 'responded');
    assert.ok(responded.respondedAt);
    assert.ok(responded.acknowledgedAt, 'a response also counts as acknowledgement');
    await assert.rejects(move(c.reporter, c.id, 'confirm_resolved'), CaseInputError);
    const resolved = await move(c.reporter, c.id, 'confirm_resolved', { outcome: 'partly_resolved' });
    assert.equal(resolved.state, 'resolved');
    assert.equal(resolved.outcome, 'partly_resolved');
    assert.ok(resolved.closedAt);
    // The body hears about the reporter's answer; the lead is always told.
    assert.ok((await emailsTo('lead@body.example.gov.uk')).some((e) => e.bodyText.includes(c.reference)));
  });

  test('the escalation path: reporter escalates → panel review → decision → body replies → closed', async () => {
    const c = await buildCase(t.deps, { state: 'with_body', body });
    await assert.rejects(move(c.reporter, c.id, 'escalate'), CaseInputError);
    const escalated = await move(c.reporter, c.id, 'escalate', { text: 'No reply for months.' });
    assert.equal(escalated.state, 'escalated');
    assert.ok(escalated.escalatedAt);
    assert.equal((await move(panel, c.id, 'start_panel_review')).state, 'panel_review');
    // The decision and the reply belong to the panel module (votes, quorum, recommendation): refused here.
    await assert.rejects(
      move(panel, c.id, 'record_decision', { text: 'Upheld; restore the grant.' }),
      (e: unknown) => e instanceof CaseInputError && e.message === 'cases.errors.panelOnly',
    );
    const viaPanel = async (
      user: CurrentUser,
      action: 'record_decision' | 'reply_to_recommendation',
      text: string,
    ) =>
      t.deps.cases.transition(
        actorFor(user),
        user,
        c.id,
        action,
        { expectedVersion: await version(c.id), text },
        { viaPanel: true },
      );
    assert.equal(
      (await viaPanel(panel, 'record_decision', 'Upheld; restore the grant.')).state,
      'panel_decided',
    );
    assert.equal((await viaPanel(lead, 'reply_to_recommendation', 'Agreed.')).state, 'body_replied');
    const closed = await move(admin, c.id, 'close', { outcome: 'resolved' });
    assert.equal(closed.state, 'closed');
    assert.equal(closed.outcome, 'resolved');
  });

  test('withdraw, and reopen only within four weeks for the reporter', async () => {
    const c = await buildCase(t.deps, { state: 'with_body', body });
    const withdrawn = await move(c.reporter, c.id, 'withdraw');
    assert.equal(withdrawn.outcome, 'withdrawn');
    const r = await buildCase(t.deps, { state: 'resolved', body });
    t.clock.set('2026-03-01T09:00:00Z');
    await assert.rejects(
      move(r.reporter, r.id, 'reopen', { text: 'It happened again' }),
      (e: unknown) => e instanceof CaseInputError && e.message === 'cases.errors.reopenWindow',
    );
    t.clock.set('2026-01-05T09:00:00Z');
    const reopened = await move(r.reporter, r.id, 'reopen', { text: 'It happened again' });
    assert.equal(reopened.state, 'with_body');
    assert.equal(reopened.outcome, null);
    const clock = await t.deps.db
      .get()
      .select()
      .from(caseClockEvents)
      .where(eq(caseClockEvents.caseId, r.id));
    assert.ok(
      clock.some((e) => e.type === 'started'),
      'reopening starts a fresh clock',
    );
  });

  test('refusals: the wrong part, the wrong state, another body, triage-only actions', async () => {
    const c = await buildCase(t.deps, { state: 'with_body', body });
    await assert.rejects(
      move(officer, c.id, 'confirm_resolved', { outcome: 'resolved' }),
      (e: unknown) => e instanceof CaseInputError && e.message === 'cases.errors.invalidTransition',
    );
    await assert.rejects(move(otherOfficer, c.id, 'acknowledge'), { statusCode: 404 });
    await assert.rejects(
      move(panel, c.id, 'start_panel_review'),
      { statusCode: 404 },
      'the panel has no part before escalation',
    );
    await assert.rejects(
      move(admin, c.id, 'mark_duplicate'),
      (e: unknown) => e instanceof CaseInputError && e.message === 'cases.errors.triageOnly',
    );
  });

  test('pause needs a reason, cannot pause twice, resume restarts; both are clock events', async () => {
    const c = await buildCase(t.deps, { state: 'with_body', body });
    await assert.rejects(move(officer, c.id, 'pause_clock'), CaseInputError);
    await move(officer, c.id, 'pause_clock', { text: 'Waiting for the reporter’s evidence' });
    await assert.rejects(
      move(officer, c.id, 'pause_clock', { text: 'again' }),
      (e: unknown) => e instanceof CaseInputError && e.message === 'cases.errors.alreadyPaused',
    );
    const view = await t.deps.cases.staffView(officer, c.id);
    assert.equal(view.deadlines.paused?.reason, 'Waiting for the reporter’s evidence');
    await move(officer, c.id, 'resume_clock');
    await assert.rejects(
      move(officer, c.id, 'resume_clock'),
      (e: unknown) => e instanceof CaseInputError && e.message === 'cases.errors.notPaused',
    );
    const clock = await t.deps.db
      .get()
      .select()
      .from(caseClockEvents)
      .where(eq(caseClockEvents.caseId, c.id));
    assert.deepEqual(
      clock.map((e) => e.type),
      ['started', 'paused', 'resumed'],
    );
  });

  test('two agents with the same version: one wins, the other gets a conflict with the current state', async () => {
    const c = await buildCase(t.deps, { state: 'with_body', body });
    const seen = await version(c.id);
    const results = await Promise.allSettled([
      t.deps.cases.transition(actorFor(officer), officer, c.id, 'respond', {
        expectedVersion: seen,
        text: 'First',
      }),
      t.deps.cases.transition(actorFor(lead), lead, c.id, 'acknowledge', { expectedVersion: seen }),
    ]);
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
    const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    assert.ok(lost.reason instanceof CaseConflictError);
    assert.equal(lost.reason.currentVersion, seen + 1);
  });

  test('assignment only to staff of the case’s body, recorded for staff only', async () => {
    const c = await buildCase(t.deps, { state: 'with_body', body });
    await assert.rejects(
      t.deps.cases.assign(actorFor(lead), lead, c.id, {
        assigneeUserId: otherOfficer.id,
        expectedVersion: await version(c.id),
      }),
      CaseInputError,
    );
    await t.deps.cases.assign(actorFor(lead), lead, c.id, {
      assigneeUserId: officer.id,
      expectedVersion: await version(c.id),
    });
    const view = await t.deps.cases.staffView(lead, c.id);
    assert.equal(view.assignee?.id, officer.id);
    const mine = await t.deps.cases.reporterView(c.reporter, c.id);
    assert.ok(
      !mine.timeline.some((e) => e.action === 'assign'),
      'the reporter does not see staff-only events',
    );
  });

  test('messages are relayed: the other side gets a link, never an address', async () => {
    const c = await buildCase(t.deps, { state: 'with_body', body, confidentiality: 'withheld' });
    await t.deps.cases.sendMessage(actorFor(officer), officer, c.id, 'staff', 'Could you send the letter?');
    await t.deps.cases.sendMessage(actorFor(c.reporter), c.reporter, c.id, 'reporter', 'Attached by post.');
    const toReporter = (await emailsTo(c.identity.email)).at(-1)!;
    assert.match(toReporter.subject, /New message/);
    assert.doesNotMatch(toReporter.bodyText, /officer@body/);
    const toBody = (await emailsTo('officer@body.example.gov.uk')).at(-1)!;
    assert.match(toBody.subject, /New message/);
    assert.ok(!toBody.bodyText.includes(c.identity.email) && !toBody.bodyText.includes(c.identity.name));
    const view = await t.deps.cases.staffView(officer, c.id);
    assert.equal(view.messages.length, 2);
    assert.equal(view.reporter.key, 'cases.reporter.withheld');
  });

  test('internal notes are for the body’s own staff', async () => {
    const c = await buildCase(t.deps, { state: 'with_body', body });
    await t.deps.cases.addNote(actorFor(officer), officer, c.id, 'Call finance on Monday');
    assert.equal((await t.deps.cases.staffView(lead, c.id)).notes.length, 1);
    await assert.rejects(t.deps.cases.addNote(actorFor(c.reporter), c.reporter, c.id, 'x'), {
      statusCode: 404,
    });
    assert.equal(
      (await t.deps.cases.staffView(admin, c.id)).notes.length,
      0,
      'triage sees only its own notes',
    );
  });
});
