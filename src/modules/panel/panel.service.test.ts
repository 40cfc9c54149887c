/**
 * The panel service against a real database: who is conflicted with a case (declared, parent bodies,
 * membership of the reporter's organisation or the intermediary, withdrawn conflicts), a vote that stops
 * counting once its member is conflicted, term overlaps, and one decision per case.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { eq } from 'drizzle-orm';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { buildCase, createTestOrganisation, createTestPerson } from '../../../test/helpers/cases.ts';
import { caseVersion, createPanelMember, type TestPanelMember } from '../../../test/helpers/panel.ts';
import { memberships } from '../accounts/accounts.tables.ts';
import { organisations } from '../directory/directory.tables.ts';
import { PanelInputError } from './panel.service.ts';
import { panelConflicts } from './panel.tables.ts';

describe('panel service', () => {
  let t: TestApp;
  let gov: TestPanelMember;
  let cso: TestPanelMember;
  let chair: TestPanelMember;
  const actor = { userId: null, requestId: 'test' };

  before(async () => {
    t = await createTestApp();
    gov = await createPanelMember(t, 'government');
    cso = await createPanelMember(t, 'civil_society');
    chair = await createPanelMember(t, 'independent_chair');
  });
  after(() => t.close());

  const declare = (userId: string, values: { organisationId?: string; caseId?: string }) =>
    t.deps.db
      .get()
      .insert(panelConflicts)
      .values({ userId, reason: 'test', source: 'member', ...values })
      .returning({ id: panelConflicts.id });

  test('conflicts: with the case, a parent of the body, the reporter’s organisation or the intermediary', async () => {
    const department = await createTestOrganisation(t.deps, { name: 'Parent Department' });
    const agency = await createTestOrganisation(t.deps, { name: 'Child Agency' });
    await t.deps.db
      .get()
      .update(organisations)
      .set({ parentId: department.id })
      .where(eq(organisations.id, agency.id));
    const intermediary = await createTestOrganisation(t.deps, { kind: 'infrastructure' });
    const c = await buildCase(t.deps, {
      state: 'escalated',
      body: agency,
      intermediaryOrganisationId: intermediary.id,
    });
    const other = await buildCase(t.deps, { state: 'escalated' });
    const { conflictedCaseIds, hasConflict } = t.deps.panelConflicts;

    const m1 = await createPanelMember(t, 'government');
    assert.equal(await hasConflict(m1.user.id, c.id), false);
    const [row] = await declare(m1.user.id, { organisationId: department.id });
    assert.equal(
      await hasConflict(m1.user.id, c.id),
      true,
      'a conflict with the parent body reaches its agency',
    );
    assert.deepEqual([...(await conflictedCaseIds(m1.user.id, [c.id, other.id, 'not-a-uuid']))], [c.id]);
    await t.deps.panel.withdrawConflict(actor, m1.current, row!.id);
    assert.equal(await hasConflict(m1.user.id, c.id), false, 'a withdrawn conflict no longer counts');

    const m2 = await createPanelMember(t, 'civil_society');
    await t.deps.db.get().insert(memberships).values({
      userId: m2.user.id,
      organisationId: c.reporter.memberships[0]!.organisationId,
      role: 'cso_member',
    });
    assert.equal(await hasConflict(m2.user.id, c.id), true, 'belonging to the reporter’s organisation');

    const m3 = await createPanelMember(t, 'civil_society');
    await declare(m3.user.id, { organisationId: intermediary.id });
    assert.equal(await hasConflict(m3.user.id, c.id), true, 'a declared conflict with the intermediary');
    const m4 = await createPanelMember(t, 'civil_society');
    await declare(m4.user.id, { caseId: other.id });
    assert.equal(await hasConflict(m4.user.id, c.id), false);
    assert.equal(await hasConflict(m4.user.id, other.id), true);
    // The case's own pages agree: no panel part, so "not found".
    await assert.rejects(t.deps.panel.pack(actor, m4.current, other.id), { name: 'NotFoundError' });
  });

  test('a vote stops counting when its member becomes conflicted; one decision per case', async () => {
    const body = await createTestOrganisation(t.deps);
    const c = await buildCase(t.deps, { state: 'escalated', body });
    await t.deps.panel.propose(actor, gov.current, c.id, {
      outcome: 'upheld',
      reasons: 'Reasons.',
      determination: 'Determination.',
      recommendation: 'Recommendation.',
      recommendationDueOn: '2026-02-02',
    });
    for (const m of [gov, cso, chair])
      await t.deps.panel.vote(actor, m.current, c.id, { vote: 'for', reason: 'Yes.' });
    await declare(chair.user.id, { caseId: c.id });
    const decide = async () =>
      t.deps.panel.decide(actor, gov.current, c.id, {
        expectedVersion: Number(await caseVersion(t, c.id)),
        method: 'vote',
      });
    await assert.rejects(
      decide(),
      (e: unknown) => e instanceof PanelInputError && e.message === 'panel.errors.noQuorum',
    );
    await t.deps.db.get().delete(panelConflicts).where(eq(panelConflicts.caseId, c.id));
    assert.equal(await decide(), 'adopted');
    await assert.rejects(decide(), PanelInputError);
  });

  test('terms: an overlapping term is refused, an adjoining one is not; only administrators manage terms', async () => {
    const admin = await createTestPerson(t.deps, 'admin');
    const person = await createPanelMember(t, null);
    const add = (termStart: string, termEnd: string) =>
      t.deps.panel.addTerm(actor, admin, { userId: person.user.id, side: 'government', termStart, termEnd });
    await add('2026-01-01', '2026-12-31');
    await assert.rejects(add('2026-12-31', '2027-12-31'), PanelInputError, 'the last day is shared');
    await assert.rejects(add('2025-06-01', '2026-01-01'), PanelInputError);
    await add('2027-01-01', '2027-12-31');
    await assert.rejects(
      t.deps.panel.addTerm(actor, gov.current, {
        userId: person.user.id,
        side: 'government',
        termStart: '2030-01-01',
        termEnd: '2030-12-31',
      }),
      { name: 'ForbiddenError' },
    );
    const [first] = (await t.deps.panel.members()).find((m) => m.userId === person.user.id)!.terms;
    // Changing a term may keep its own dates (it does not overlap itself), not take the next term's.
    await t.deps.panel.updateTerm(actor, admin, first!.id, {
      side: 'civil_society',
      termStart: '2026-01-01',
      termEnd: '2026-12-31',
    });
    await assert.rejects(
      t.deps.panel.updateTerm(actor, admin, first!.id, {
        side: 'civil_society',
        termStart: '2026-01-01',
        termEnd: '2027-03-01',
      }),
      PanelInputError,
    );
  });
});
