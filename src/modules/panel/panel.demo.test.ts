/** The panel's demo data loads after the casework demo and gives every panel screen something to show. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { eq } from 'drizzle-orm';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { seedAccountsDemo } from '../accounts/accounts.demo.ts';
import { seedCasesHandlingDemo } from '../cases/cases.handling.demo.ts';
import { users } from '../accounts/accounts.tables.ts';
import { cases } from '../cases/cases.tables.ts';
import { seedPanelDemo } from './panel.demo.ts';
import { panelDecisions } from './panel.tables.ts';

describe('panel demo data', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
    await t.deps.db.transaction(async () => {
      await seedAccountsDemo(t.deps);
      await seedCasesHandlingDemo(t.deps);
      const lines = await seedPanelDemo(t.deps);
      assert.equal(lines.length, 1);
    });
  });
  after(() => t.close());

  const person = async (email: string) => {
    const [row] = await t.deps.db.get().select({ id: users.id }).from(users).where(eq(users.email, email));
    return (await t.deps.sessionsRepository.loadUser(row!.id))!;
  };

  test('the demo member is in a term, has a conflict, sees the queue, two meetings and an open proposal', async () => {
    const member = await person('panel@demo.covenant-hub.local');
    const [me] = (await t.deps.panel.members()).filter((m) => m.userId === member.id);
    assert.equal(me!.current, true);
    assert.equal((await t.deps.panel.listConflicts(member)).length, 1);
    const queue = await t.deps.panel.queue(member, { q: undefined });
    assert.ok(queue.rows.some((r) => r.hasProposal));
    assert.ok(queue.rows.some((r) => r.recommendation === 'awaiting'));
    const meetings = await t.deps.panel.meetings(member);
    assert.equal(meetings.upcoming.length, 1);
    assert.equal(meetings.past.length, 1);
    const next = await t.deps.panel.meeting(member, meetings.upcoming[0]!.id);
    assert.ok(next.agenda.some((a) => a.caseId));
    // The open proposal has two votes: the demo member's makes the quorum.
    const open = queue.rows.find((r) => r.hasProposal)!;
    const pack = await t.deps.panel.pack({ userId: member.id, requestId: 'demo' }, member, open.id);
    assert.equal(pack.votes.length, 2);
    assert.equal(pack.canAct, true);
    assert.deepEqual(pack.quorum!.missing, ['number', 'civil_society']);
  });

  test('every adopted decision belongs to a decided case; the DCMS lead can reply to the one awaiting', async () => {
    const rows = await t.deps.db
      .get()
      .select({ state: cases.state, repliedAt: panelDecisions.repliedAt, caseId: cases.id })
      .from(panelDecisions)
      .innerJoin(cases, eq(cases.id, panelDecisions.caseId))
      .where(eq(panelDecisions.status, 'adopted'));
    assert.equal(rows.length, 3);
    for (const r of rows) assert.ok(['panel_decided', 'body_replied', 'closed'].includes(r.state));
    const awaiting = rows.find((r) => r.state === 'panel_decided' && !r.repliedAt)!;
    const lead = await person('body.lead@demo.covenant-hub.local');
    const view = await t.deps.panel.recommendationView(lead, awaiting.caseId);
    assert.equal(view.canReply, true);
  });
});
