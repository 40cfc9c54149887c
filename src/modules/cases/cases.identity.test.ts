import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { buildCase, createTestPerson } from '../../../test/helpers/cases.ts';
import { createCaseIdentity } from './cases.identity.ts';

describe('identity escrow', () => {
  let t: TestApp;
  let escrow: ReturnType<typeof createCaseIdentity>;
  const actor = { userId: null, requestId: 'test' };
  before(async () => {
    t = await createTestApp();
    escrow = createCaseIdentity({ db: t.deps.db, audit: t.deps.audit });
  });
  after(() => t.close());

  const viewsOf = async (caseId: string) =>
    (await t.deps.audit.list({ entityType: 'case', entityId: caseId })).filter(
      (r) => r.action === 'case.identity_viewed',
    );

  test('body staff get nothing for a withheld case, and each view is audited', async () => {
    const built = await buildCase(t.deps, { state: 'with_body', confidentiality: 'withheld' });
    const officer = await createTestPerson(t.deps, 'body_officer', { organisationId: built.body!.id });
    const lead = await createTestPerson(t.deps, 'body_lead', { organisationId: built.body!.id });
    for (const user of [officer, lead]) {
      const view = await escrow.readIdentity({ ...actor, userId: user.id }, user, built.id);
      assert.deepEqual(view, { access: 'none' });
      assert.ok(!JSON.stringify(view).includes(built.identity.email));
    }
    const admin = await createTestPerson(t.deps, 'admin');
    const adminView = await escrow.readIdentity({ ...actor, userId: admin.id }, admin, built.id);
    assert.equal(adminView.access, 'full');
    assert.equal(adminView.access === 'full' && adminView.identity.email, built.identity.email);
    const rows = await viewsOf(built.id);
    assert.equal(rows.length, 3);
    assert.deepEqual(rows.map((r) => (r.details as { access: string }).access).sort(), [
      'full',
      'none',
      'none',
    ]);
    assert.ok(rows.every((r) => !JSON.stringify(r.details).includes(built.identity.email)));
  });

  test('anonymised and intermediary cases are closed to body staff too', async () => {
    for (const confidentiality of ['anonymised', 'intermediary'] as const) {
      const built = await buildCase(t.deps, { state: 'with_body', confidentiality });
      const officer = await createTestPerson(t.deps, 'body_officer', { organisationId: built.body!.id });
      assert.deepEqual(await escrow.readIdentity(actor, officer, built.id), { access: 'none' });
    }
  });

  test('a public case shows body staff the organisation name and no contact details', async () => {
    const built = await buildCase(t.deps, { state: 'with_body', confidentiality: 'public' });
    const officer = await createTestPerson(t.deps, 'body_officer', { organisationId: built.body!.id });
    const view = await escrow.readIdentity(actor, officer, built.id);
    assert.deepEqual(view, { access: 'organisation', organisationName: built.identity.organisationName });
    // Staff of another body see nothing.
    const stranger = await createTestPerson(t.deps, 'body_officer');
    assert.deepEqual(await escrow.readIdentity(actor, stranger, built.id), { access: 'none' });
  });

  test('the reporter sees their own; a panel member only after escalation and without a conflict', async () => {
    const built = await buildCase(t.deps, { state: 'escalated', confidentiality: 'withheld' });
    assert.equal((await escrow.readIdentity(actor, built.reporter, built.id)).access, 'full');
    const panel = await createTestPerson(t.deps, 'panel_member');
    assert.equal((await escrow.readIdentity(actor, panel, built.id)).access, 'full');
    const conflicted = await createTestPerson(t.deps, 'panel_member', { organisationId: built.body!.id });
    assert.equal((await escrow.readIdentity(actor, conflicted, built.id)).access, 'none');
    const early = await buildCase(t.deps, { state: 'with_body', confidentiality: 'withheld' });
    assert.equal((await escrow.readIdentity(actor, panel, early.id)).access, 'none');
    assert.equal((await escrow.readIdentity(actor, null, early.id)).access, 'none');
  });

  test('isReporter and caseIdsForReporter return ids only', async () => {
    const first = await buildCase(t.deps, {});
    const second = await buildCase(t.deps, { reporter: first.reporter });
    const other = await buildCase(t.deps, {});
    assert.equal(await escrow.isReporter(first.reporter.id, first.id), true);
    assert.equal(await escrow.isReporter(first.reporter.id, other.id), false);
    assert.deepEqual(
      (await escrow.caseIdsForReporter(first.reporter.id)).sort(),
      [first.id, second.id].sort(),
    );
  });
});
