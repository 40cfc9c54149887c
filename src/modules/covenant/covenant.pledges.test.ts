import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { and, eq } from 'drizzle-orm';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import type { Agent } from '../../../test/helpers/agent.ts';
import { createOrganisation, createUser, signIn, type TestUser } from '../../../test/helpers/accounts.ts';
import { auditLog } from '../../platform/audit/audit.tables.ts';
import { reviewDueOn } from './covenant.keys.ts';
import { covenantPaths as p } from './covenant.paths.ts';
import { ensureCovenantReference } from './covenant.seed.ts';
import { covenantPledges } from './covenant.tables.ts';

describe('the pledge bank: administrators add, change and withdraw pledges', () => {
  let t: TestApp;
  let admin: TestUser;
  let adminAgent: Agent;
  let signer: Agent;
  let orgId: string;
  before(async () => {
    t = await createTestApp();
    await ensureCovenantReference(t.deps.db, t.clock);
    const team = await createOrganisation(t.deps, { kind: 'covenant_team' });
    admin = await createUser(t.deps, { roles: [{ role: 'admin', organisationId: team.id }], totp: true });
    adminAgent = t.agent();
    await signIn(adminAgent, admin);
    const org = await createOrganisation(t.deps, { name: 'Pledging Group' });
    orgId = org.id;
    signer = t.agent();
    await signIn(
      signer,
      await createUser(t.deps, { roles: [{ role: 'cso_admin', organisationId: org.id }] }),
    );
  });
  after(() => t.close());

  const pledgeByCode = async (code: string) => {
    const [row] = await t.deps.db.get().select().from(covenantPledges).where(eq(covenantPledges.code, code));
    return row;
  };
  const audited = async (action: string, entityId: string) =>
    t.deps.db
      .get()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, action), eq(auditLog.entityId, entityId)));

  test('only administrators reach the pages', async () => {
    const anon = await t.agent().get(p.adminPledges());
    assert.equal(anon.statusCode, 303);
    assert.match(String(anon.headers.location), /^\/sign-in/);
    assert.equal((await signer.get(p.adminPledges())).statusCode, 403);
    assert.equal((await signer.get(p.adminPledgeNew())).statusCode, 403);
    const post = await signer.submit(p.adminPledgeNew(), { code: 'X-1', side: 'both', text: 'We will.' });
    assert.equal(post.statusCode, 403);
    assert.equal(await pledgeByCode('X-1'), undefined);
    const list = await adminAgent.get(p.adminPledges());
    assert.equal(list.statusCode, 200);
    assert.match(list.body, /The pledge bank/);
    assert.equal((await adminAgent.get(p.adminPledge({ id: 'nope' }))).statusCode, 404);
  });

  test('adding a pledge: bad input is explained and kept, codes are unique, the change is audited', async () => {
    const bad = await adminAgent.submit(p.adminPledgeNew(), {
      code: 'bad code!',
      text: '  ',
      commitmentCode: 'NOPE-1',
      position: 'first',
    });
    assert.equal(bad.statusCode, 422);
    assert.match(bad.body, /govuk-error-summary/);
    assert.match(bad.body, /Enter a code with capital letters/);
    assert.match(bad.body, /Select who commits/);
    assert.match(bad.body, /Enter the pledge/);
    assert.match(bad.body, /Enter the position as a whole number/);
    assert.match(bad.body, /value="bad code!"/, 'what was typed is kept');

    const existing = (await t.deps.covenant.pledges())[0]!;
    const taken = await adminAgent.submit(p.adminPledgeNew(), {
      code: existing.code,
      side: 'both',
      text: 'We will meet twice a year.',
    });
    assert.equal(taken.statusCode, 422);
    assert.match(taken.body, /That code is already used/);
    assert.match(taken.body, /We will meet twice a year\./);

    const unknownCommitment = await adminAgent.submit(p.adminPledgeNew(), {
      code: 'p-test-1',
      side: 'both',
      text: 'We will meet twice a year.',
      commitmentCode: 'NOPE-1',
    });
    assert.equal(unknownCommitment.statusCode, 422);

    const added = await adminAgent.submit(p.adminPledgeNew(), {
      code: 'p-test-1',
      side: 'government',
      text: 'We will meet twice a year.',
    });
    assert.equal(added.statusCode, 303);
    assert.equal(added.headers.location, p.adminPledges());
    const row = await pledgeByCode('P-TEST-1');
    assert.ok(row, 'the code is stored in capitals');
    assert.equal(row.side, 'government');
    const max = Math.max(...(await t.deps.covenant.pledges()).map((x) => x.position));
    assert.equal(row.position, max, 'a new pledge goes at the end');
    assert.equal((await audited('covenant.pledge_created', row.id)).length, 1);
    const list = await adminAgent.get(p.adminPledges());
    assert.match(list.body, /P-TEST-1/);
    assert.match(list.body, /Pledge P-TEST-1 added/);
  });

  test('editing changes what is offered, not what signatures hold; withdrawing stops offering it', async () => {
    const pledge = (await pledgeByCode('P-TEST-1'))!;
    const signature = await t.deps.covenant.repo.insertSignature({
      organisationId: orgId,
      subCovenantId: null,
      signatoryName: 'Pat Signer',
      signatoryRole: 'Chair',
      signedAt: t.clock.now(),
      reviewDueOn: reviewDueOn(t.clock.now()),
    });
    await t.deps.covenant.repo.insertSignaturePledges([
      { signatureId: signature.id, pledgeId: pledge.id, text: pledge.text, position: 1 },
    ]);

    const edited = await adminAgent.submit(p.adminPledge({ id: pledge.id }), {
      code: 'P-TEST-1',
      side: 'both',
      text: 'We will meet every quarter.',
      position: '0',
    });
    assert.equal(edited.statusCode, 303);
    const after = (await pledgeByCode('P-TEST-1'))!;
    assert.equal(after.text, 'We will meet every quarter.');
    assert.equal(after.position, 0);
    const [held] = await t.deps.covenant.signaturesOfOrganisation(orgId);
    assert.equal(held!.pledges[0]!.text, 'We will meet twice a year.', 'the signature keeps its words');
    assert.equal((await audited('covenant.pledge_updated', pledge.id)).length, 1);
    const list = await adminAgent.get(p.adminPledges());
    assert.match(
      list.body,
      /P-TEST-1<\/a>[\s\S]*?<td class="govuk-table__cell govuk-table__cell--numeric">1<\/td>/,
    );

    const withdraw = await adminAgent.submit(p.adminPledgeWithdraw({ id: pledge.id }), { withdrawn: 'yes' });
    assert.equal(withdraw.statusCode, 303);
    assert.ok((await pledgeByCode('P-TEST-1'))!.withdrawnAt);
    assert.equal((await audited('covenant.pledge_withdrawn', pledge.id)).length, 1);

    // New signatories are not offered it, and cannot choose it by posting its id.
    const sign = await signer.get(p.sign());
    assert.equal(sign.statusCode, 200);
    assert.doesNotMatch(sign.body, new RegExp(`value="${pledge.id}"`));
    const other = await createOrganisation(t.deps);
    const otherSigner = t.agent();
    await signIn(
      otherSigner,
      await createUser(t.deps, { roles: [{ role: 'cso_admin', organisationId: other.id }] }),
    );
    const refused = await otherSigner.submit(p.sign(), {
      organisationId: other.id,
      signatoryName: 'Sam',
      signatoryRole: 'Chair',
      pledges: [pledge.id],
      confirm: 'yes',
    });
    assert.equal(refused.statusCode, 422);
    assert.match(refused.body, /Choose pledges from the list/);

    // The organisation that holds it is still offered it at review, and can keep it.
    const review = p.review({ signatureId: signature.id });
    const form = await signer.get(review);
    assert.match(form.body, new RegExp(`value="${pledge.id}" checked`));
    const kept = await signer.submit(review, { confirm: 'yes', pledges: [pledge.id] });
    assert.equal(kept.statusCode, 303);

    const restore = await adminAgent.submit(p.adminPledgeWithdraw({ id: pledge.id }), { withdrawn: 'no' });
    assert.equal(restore.statusCode, 303);
    assert.equal((await pledgeByCode('P-TEST-1'))!.withdrawnAt, null);
    assert.match((await signer.get(p.sign())).body, new RegExp(`value="${pledge.id}"`));
  });

  test('overdue reviews: listed for administrators, flagging signatures with nobody to email', async () => {
    const lonely = await createOrganisation(t.deps, { name: 'Nobody Home Trust' });
    const longAgo = new Date(t.clock.now().getTime() - 400 * 24 * 3600 * 1000);
    const make = (organisationId: string) =>
      t.deps.covenant.repo.insertSignature({
        organisationId,
        subCovenantId: null,
        signatoryName: 'Pat Signer',
        signatoryRole: 'Chair',
        signedAt: longAgo,
        reviewDueOn: reviewDueOn(longAgo),
      });
    await make(lonely.id);
    const reachable = await createOrganisation(t.deps, { name: 'Somebody Home Trust' });
    await createUser(t.deps, { roles: [{ role: 'cso_admin', organisationId: reachable.id }] });
    await make(reachable.id);

    assert.equal((await signer.get(p.adminReviews())).statusCode, 403);
    const page = await adminAgent.get(p.adminReviews());
    assert.equal(page.statusCode, 200);
    const rowOf = (name: string) => page.body.split('<tr').find((row) => row.includes(name)) ?? '';
    assert.match(rowOf('Nobody Home Trust'), /Nobody to email/);
    assert.doesNotMatch(rowOf('Somebody Home Trust'), /Nobody to email/);
    assert.match(rowOf('Somebody Home Trust'), /Not yet/);
    assert.match(page.body, /Signatures with nobody we can email: 1\./);
    assert.doesNotMatch(page.body, /Pledging Group/, 'a signature reviewed today is not overdue');
  });
});
