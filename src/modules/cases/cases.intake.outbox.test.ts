/**
 * Issue 4, "Bad input and failure": a crash or restart between acknowledgement and email still sends the
 * email (the outbox row is written in the submission's transaction and sent by whichever worker runs
 * next), and a failure anywhere in the submission leaves neither a case nor an email. The double-clicked
 * submit (one case) is tested in cases.intake.routes.test.ts; here the same key sent again after a
 * success returns the same case too.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { eq, like } from 'drizzle-orm';
import { createMemoryTransport, createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import type { Agent } from '../../../test/helpers/agent.ts';
import { createTestOrganisation, createTestPerson } from '../../../test/helpers/cases.ts';
import { createDeps } from '../../container.ts';
import { SESSION_COOKIE } from '../../platform/http/context.ts';
import type { CurrentUser } from '../../platform/auth/roles.ts';
import { emailOutbox } from '../../platform/email/email.tables.ts';
import { ensureCovenantReference } from '../covenant/covenant.seed.ts';
import { cases } from './cases.tables.ts';
import { intakePaths } from './cases.intake.paths.ts';

async function agentAs(t: TestApp, user: CurrentUser): Promise<Agent> {
  const agent = t.agent();
  agent.cookies.set(SESSION_COOKIE, await t.deps.sessions.start(user.id, { secondFactorDone: true }));
  return agent;
}

/** A whole report (every page answered) for `email`; returns the check-answers page's submission key. */
async function fillReport(agent: Agent, bodyId: string, email: string): Promise<string> {
  assert.equal((await agent.submit(intakePaths.kind(), { kind: 'problem' })).statusCode, 303);
  const steps: [string, Record<string, string>][] = [
    [intakePaths.whatHappened(), { title: 'Notice too short', whatHappened: 'Two weeks notice of a cut.' }],
    [intakePaths.category(), { category: 'funding' }],
    [intakePaths.when(), { 'happenedOn-day': '2', 'happenedOn-month': '1', 'happenedOn-year': '2026' }],
    [intakePaths.commitments(), { commitmentIds: 'not-sure' }],
    [intakePaths.impact(), { impact: 'A service stopped.' }],
    [intakePaths.outcome(), { outcomeWanted: 'Three months notice.' }],
    [intakePaths.confidentiality(), { confidentiality: 'public' }],
    [intakePaths.details(), { name: 'Rita Reporter', email, phone: '' }],
  ];
  const body = await agent.post(intakePaths.body(), { bodyId, q: 'Zeta' }, intakePaths.kind());
  assert.equal(body.statusCode, 303);
  for (const [url, form] of steps) {
    const r = await agent.submit(url, form);
    assert.equal(r.statusCode, 303, `${url}: ${r.body.slice(0, 300)}`);
  }
  assert.equal((await agent.post(intakePaths.evidence(), {}, intakePaths.kind())).statusCode, 303);
  const check = await agent.get(intakePaths.checkAnswers());
  assert.equal(check.statusCode, 200);
  return /name="submissionKey" value="([^"]+)"/.exec(check.body)![1]!;
}

describe('submission and its acknowledgement email', () => {
  let t: TestApp;
  let bodyId: string;
  before(async () => {
    t = await createTestApp();
    await ensureCovenantReference(t.deps.db, t.deps.clock);
    bodyId = (await createTestOrganisation(t.deps, { name: 'Zeta Trust', nation: 'england' })).id;
    await createTestPerson(t.deps, 'body_officer', { organisationId: bodyId });
  });
  after(() => t.close());

  const outboxTo = (email: string) =>
    t.deps.db.get().select().from(emailOutbox).where(eq(emailOutbox.toAddress, email));

  test('a restart between the acknowledgement and the email still sends it, once', async () => {
    const email = 'restart@example.org';
    const agent = await agentAs(t, await createTestPerson(t.deps, 'cso_member'));
    const key = await fillReport(agent, bodyId, email);
    const r = await agent.post(intakePaths.submit(), { submissionKey: key }, intakePaths.checkAnswers());
    assert.equal(r.statusCode, 303);
    const reference = /CH-2026-\d{6}/.exec(String(r.headers.location))![0];
    // The reporter has seen the confirmation; the process "dies" before its worker sends anything.
    const [queued] = await outboxTo(email);
    assert.equal(queued?.status, 'pending');
    assert.ok(queued!.bodyText.includes(reference));
    assert.equal(t.mail.sent.length, 0);
    // A new process (fresh dependencies, a new transport) on the same database sends it.
    const transport = createMemoryTransport();
    const restarted = await createDeps(t.config, {
      db: t.deps.db,
      clock: t.clock,
      transport,
      runWorker: false,
    });
    await restarted.outbox.sendDue();
    assert.equal(transport.sent.filter((m) => m.to === email).length, 1);
    assert.ok(transport.lastTo(email)!.text.includes(reference));
    // Sent means sent: neither worker sends it again.
    await restarted.outbox.sendDue();
    await t.deliverEmails();
    assert.equal(transport.sent.filter((m) => m.to === email).length, 1);
    assert.equal(t.mail.sent.filter((m) => m.to === email).length, 0);
    assert.equal((await outboxTo(email))[0]!.status, 'sent');
  });

  test('a failure inside the submission leaves no case and no email; trying again makes exactly one', async () => {
    const email = 'rollback@example.org';
    const agent = await agentAs(t, await createTestPerson(t.deps, 'cso_member'));
    const key = await fillReport(agent, bodyId, email);
    const before = (await t.deps.db.get().select({ id: cases.id }).from(cases)).length;
    // The acknowledgement is the last write of the submission: make it fail once it has been written.
    // (Whichever of the outbox's two writers the submission uses.)
    const { queue, queueMany } = t.deps.outbox;
    const crash = (): never => {
      throw new Error('simulated crash after the email was queued');
    };
    t.deps.outbox.queue = async (message) => {
      await queue(message);
      return crash();
    };
    t.deps.outbox.queueMany = async (messages) => {
      await queueMany(messages);
      return crash();
    };
    try {
      const failed = await agent.post(
        intakePaths.submit(),
        { submissionKey: key },
        intakePaths.checkAnswers(),
      );
      assert.equal(failed.statusCode, 500);
    } finally {
      Object.assign(t.deps.outbox, { queue, queueMany });
    }
    assert.equal((await t.deps.db.get().select({ id: cases.id }).from(cases)).length, before);
    assert.equal((await outboxTo(email)).length, 0, 'the email went with the rolled-back case');
    assert.equal((await t.deps.db.get().select().from(cases).where(eq(cases.idempotencyKey, key))).length, 0);
    // The draft is intact: the same key submits now, and again returns the same case.
    const check = await agent.get(intakePaths.checkAnswers());
    assert.equal(check.statusCode, 200, `${check.statusCode} ${String(check.headers.location)}`);
    const ok = await agent.post(intakePaths.submit(), { submissionKey: key }, intakePaths.checkAnswers());
    assert.equal(ok.statusCode, 303);
    // (The check page now starts a new report, so the token comes from another page, as a second tab's would.)
    const again = await agent.post(intakePaths.submit(), { submissionKey: key }, intakePaths.start());
    assert.equal(again.headers.location, ok.headers.location);
    assert.equal((await t.deps.db.get().select().from(cases).where(eq(cases.idempotencyKey, key))).length, 1);
    assert.equal((await outboxTo(email)).length, 1);
    const reference = /CH-2026-\d{6}/.exec(String(ok.headers.location))![0];
    assert.equal(
      (
        await t.deps.db
          .get()
          .select()
          .from(emailOutbox)
          .where(like(emailOutbox.bodyText, `%${reference}%`))
      ).length,
      1,
    );
  });
});
