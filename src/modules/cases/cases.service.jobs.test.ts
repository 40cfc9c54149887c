import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { and, eq } from 'drizzle-orm';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { buildCase, createTestOrganisation, createTestPerson } from '../../../test/helpers/cases.ts';
import { emailOutbox } from '../../platform/email/email.tables.ts';
import { caseEvents, cases } from './cases.tables.ts';

describe('the daily casework task', () => {
  let t: TestApp;
  let body: { id: string; name: string };
  const leadEmail = 'lead@reminders.example.gov.uk';
  const officerEmail = 'officer@reminders.example.gov.uk';

  before(async () => {
    t = await createTestApp();
    body = await createTestOrganisation(t.deps, { name: 'Reminders Council' });
    await createTestPerson(t.deps, 'body_lead', { organisationId: body.id, email: leadEmail });
    await createTestPerson(t.deps, 'body_officer', { organisationId: body.id, email: officerEmail });
  });
  after(() => t.close());

  const mailTo = async (address: string) =>
    t.deps.db.get().select().from(emailOutbox).where(eq(emailOutbox.toAddress, address));

  test('reminders 5 and 1 working days before, and when overdue — each sent once', async () => {
    // Started Monday 5 January 2026: acknowledge by 12 January, respond by 2 February.
    t.clock.set('2026-01-05T09:00:00Z');
    const c = await buildCase(t.deps, { state: 'with_body', body });
    const before = (await mailTo(leadEmail)).length;
    // 5 January is itself 5 working days before the acknowledgement deadline.
    let run = await t.deps.casesJobs.runDaily();
    assert.equal(run.reminders, 1);
    assert.equal((await t.deps.casesJobs.runDaily()).reminders, 0, 'a second run the same day sends nothing');
    const first = (await mailTo(leadEmail)).slice(before);
    assert.equal(first.length, 1);
    assert.match(first[0]!.subject, new RegExp(`${c.reference}: Acknowledge by 12 January 2026`));
    assert.equal((await mailTo(officerEmail)).length, 1, 'unassigned: every officer of the body hears');

    t.clock.set('2026-01-09T09:00:00Z'); // Friday: 1 working day before Monday 12 January
    run = await t.deps.casesJobs.runDaily();
    assert.equal(run.reminders, 1);
    t.clock.set('2026-01-13T09:00:00Z'); // overdue to acknowledge
    run = await t.deps.casesJobs.runDaily();
    assert.equal(run.reminders, 1);
    assert.match((await mailTo(leadEmail)).at(-1)!.subject, /is overdue/);
    assert.equal((await t.deps.casesJobs.runDaily()).reminders, 0);
  });

  test('a long-overdue case escalates by itself, as the system, with emails', async () => {
    t.clock.set('2025-11-03T09:00:00Z');
    const c = await buildCase(t.deps, { state: 'with_body', body });
    // Respond by 1 December 2025; 20 working days later (31 December) it is long overdue.
    t.clock.set('2025-12-31T08:00:00Z');
    const run = await t.deps.casesJobs.runDaily();
    assert.ok(run.escalated >= 1);
    const row = (await t.deps.db.get().select().from(cases).where(eq(cases.id, c.id)))[0]!;
    assert.equal(row.state, 'escalated');
    assert.ok(row.escalatedAt);
    const [event] = await t.deps.db
      .get()
      .select()
      .from(caseEvents)
      .where(and(eq(caseEvents.caseId, c.id), eq(caseEvents.action, 'escalate')));
    assert.equal(event!.actorPart, 'system');
    assert.ok((await mailTo(c.identity.email)).some((e) => /oversight panel/.test(e.subject)));
    assert.ok((await mailTo(leadEmail)).some((e) => e.subject.includes(`${c.reference} has been escalated`)));
  });

  test('four weeks after a case ends the reporter is asked, once, whether it was resolved', async () => {
    t.clock.set('2026-01-05T09:00:00Z');
    const c = await buildCase(t.deps, { state: 'resolved', body });
    t.clock.set('2026-01-30T09:00:00Z');
    assert.equal((await t.deps.casesJobs.runDaily()).resolvedQuestions, 0, 'not before four weeks');
    t.clock.set('2026-02-02T09:00:00Z');
    assert.equal((await t.deps.casesJobs.runDaily()).resolvedQuestions, 1);
    assert.equal((await t.deps.casesJobs.runDaily()).resolvedQuestions, 0);
    const question = (await mailTo(c.identity.email)).at(-1)!;
    assert.match(question.subject, /Was your case .* resolved/);
    assert.match(question.bodyText, new RegExp(`/my-cases/${c.id}/was-it-resolved`));
    await t.deps.cases.answerResolved({ userId: c.reporter.id }, c.reporter, c.id, true);
    assert.equal((await t.deps.cases.loadCase(c.id))!.reporterSaysResolved, true);
  });
});
