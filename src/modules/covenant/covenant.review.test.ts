import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { eq } from 'drizzle-orm';
import { createTestApp, linkFrom, type TestApp } from '../../../test/helpers/app.ts';
import type { Agent } from '../../../test/helpers/agent.ts';
import { createOrganisation, createUser, signIn, type TestUser } from '../../../test/helpers/accounts.ts';
import { auditLog } from '../../platform/audit/audit.tables.ts';
import { seedAccountsDemo } from '../accounts/accounts.demo.ts';
import { seedDirectoryDemo } from '../directory/directory.demo.ts';
import { directoryPaths } from '../directory/directory.paths.ts';
import { seedCovenantDemo } from './covenant.demo.ts';
import { reviewDueOn } from './covenant.keys.ts';
import { covenantPaths as p } from './covenant.paths.ts';
import { addYear, reviewIsDue, reviewReminderDue } from './covenant.review.ts';
import { ensureCovenantReference } from './covenant.seed.ts';
import { covenantSignatures } from './covenant.tables.ts';

const DAY = 86_400_000;

describe('yearly review rules', () => {
  test('a review is due from its due date on', () => {
    assert.equal(reviewIsDue('2027-01-05', new Date('2027-01-04T23:59:59Z')), false);
    assert.equal(reviewIsDue('2027-01-05', new Date('2027-01-05T00:00:00Z')), true);
    assert.equal(reviewIsDue('2027-01-05', new Date('2028-03-01T12:00:00Z')), true);
  });

  test('one year on, clamped at the end of February', () => {
    assert.equal(addYear(new Date('2026-01-05T09:00:00Z')).toISOString(), '2027-01-05T09:00:00.000Z');
    assert.equal(addYear(new Date('2028-02-29T10:00:00Z')).toISOString(), '2029-02-28T10:00:00.000Z');
    assert.equal(reviewDueOn(new Date('2028-02-29T10:00:00Z')), '2029-02-28');
  });

  test('a reminder once per cycle, and again a year later if the review is still not done', () => {
    const due = '2027-01-05';
    const onTheDay = new Date('2027-01-05T07:15:00Z');
    assert.equal(
      reviewReminderDue({ reviewDueOn: due, reviewRemindedAt: null }, new Date('2027-01-04T07:15:00Z')),
      false,
    );
    assert.equal(reviewReminderDue({ reviewDueOn: due, reviewRemindedAt: null }, onTheDay), true);
    // Reminded on the due date: not again that day, nor 11 months later …
    const remindedAt = onTheDay;
    assert.equal(reviewReminderDue({ reviewDueOn: due, reviewRemindedAt: remindedAt }, onTheDay), false);
    assert.equal(
      reviewReminderDue({ reviewDueOn: due, reviewRemindedAt: remindedAt }, new Date('2027-12-05T07:15:00Z')),
      false,
    );
    // … but a year later, still not reviewed: yes.
    assert.equal(
      reviewReminderDue({ reviewDueOn: due, reviewRemindedAt: remindedAt }, new Date('2028-01-05T07:15:00Z')),
      true,
    );
    // A reminder from an earlier cycle (before the review moved the due date on) does not count.
    assert.equal(
      reviewReminderDue(
        { reviewDueOn: '2028-01-05', reviewRemindedAt: new Date('2027-01-05T07:15:00Z') },
        new Date('2028-01-05T07:15:00Z'),
      ),
      true,
    );
  });
});

describe('yearly review reminders and the review page', () => {
  let t: TestApp;
  let pledgeIds: string[];
  before(async () => {
    t = await createTestApp();
    await ensureCovenantReference(t.deps.db, t.clock);
    pledgeIds = (await t.deps.covenant.pledges()).map((x) => x.id);
  });
  after(() => t.close());

  /** A signature made `daysAgo` days ago, as signing would store it. */
  async function signature(organisationId: string, daysAgo: number) {
    const signedAt = new Date(t.clock.now().getTime() - daysAgo * DAY);
    const row = await t.deps.covenant.repo.insertSignature({
      organisationId,
      subCovenantId: null,
      signatoryName: 'Pat Signer',
      signatoryRole: 'Chair',
      signedAt,
      reviewDueOn: reviewDueOn(signedAt),
    });
    await t.deps.covenant.repo.insertSignaturePledges([
      { signatureId: row.id, pledgeId: pledgeIds[0]!, text: 'Bank pledge', position: 1 },
    ]);
    return row;
  }

  async function signatureRow(id: string) {
    const [row] = await t.deps.db
      .get()
      .select()
      .from(covenantSignatures)
      .where(eq(covenantSignatures.id, id));
    return row!;
  }

  test('the task is registered with the job runner', async () => {
    await t.deps.jobs.trigger('covenant-review-reminder');
    await assert.rejects(t.deps.jobs.trigger('covenant-no-such-task'), /Unknown task/);
  });

  test('emails the authorised people when a signature is a year old, once per year', async () => {
    const start = t.clock.now();
    const due = await createOrganisation(t.deps, { name: 'Due Review Trust' });
    const recent = await createOrganisation(t.deps, { name: 'Recent Signer Trust' });
    const orphan = await createOrganisation(t.deps, { name: 'Nobody Here Trust' });
    const admin = await createUser(t.deps, { roles: [{ role: 'cso_admin', organisationId: due.id }] });
    const member = await createUser(t.deps, { roles: [{ role: 'cso_member', organisationId: due.id }] });
    await createUser(t.deps, { roles: [{ role: 'cso_admin', organisationId: recent.id }] });
    const old = await signature(due.id, 365);
    await signature(recent.id, 100);
    const unattended = await signature(orphan.id, 400);

    const first = await t.deps.covenant.remindReviews();
    assert.deepEqual(first.emailed, [{ signatureId: old.id, organisation: due.name, recipients: 1 }]);
    assert.deepEqual(first.needAdminAttention, [{ signatureId: unattended.id, organisation: orphan.name }]);
    await t.deliverEmails();
    const email = t.mail.lastTo(admin.email);
    assert.ok(email, 'the organisation’s administrator was emailed');
    assert.match(email.subject, /review the Covenant pledges of Due Review Trust/);
    assert.match(email.text, /signed the Civil Society Covenant/);
    assert.match(email.text, /5 January 2026/);
    assert.equal(linkFrom(email, '/covenant/signatures/'), p.review({ signatureId: old.id }));
    assert.equal(t.mail.lastTo(member.email), undefined, 'members who cannot sign are not emailed');
    assert.equal((await signatureRow(old.id)).reviewRemindedAt?.getTime(), start.getTime());

    // Once: not the next day, nor 11 months on …
    assert.deepEqual((await t.deps.covenant.remindReviews()).emailed, []);
    t.clock.set(new Date(start.getTime() + DAY));
    assert.deepEqual((await t.deps.covenant.remindReviews()).emailed, []);
    t.clock.set(new Date(start.getTime() + 264 * DAY));
    assert.deepEqual((await t.deps.covenant.remindReviews()).emailed, [], 'the recent one is not due yet');
    // 265 days on, the recent signature is a year old: its first reminder; the old one is not reminded again.
    t.clock.set(new Date(start.getTime() + 265 * DAY));
    assert.deepEqual(
      (await t.deps.covenant.remindReviews()).emailed.map((e) => e.organisation),
      [recent.name],
    );
    // A year after its reminder, still not reviewed: the old one again.
    t.clock.set(addYear(start));
    const again = await t.deps.covenant.remindReviews();
    assert.deepEqual(
      again.emailed.map((e) => e.organisation),
      [due.name],
    );
    const audits = await t.deps.db
      .get()
      .select()
      .from(auditLog)
      .where(eq(auditLog.action, 'covenant.review_reminders_sent'));
    assert.equal(audits.length, 3);
    t.clock.set(start);
  });

  test('the organisation reviews its pledges on a page, which starts a new year', async () => {
    const start = t.clock.now();
    const org = await createOrganisation(t.deps, { name: 'Reviewing Group' });
    const reviewer = await createUser(t.deps, {
      email: 'reviewer@reviewing.example.org',
      roles: [{ role: 'cso_admin', organisationId: org.id }],
    });
    const member = await createUser(t.deps, { roles: [{ role: 'cso_member', organisationId: org.id }] });
    const stranger = await createUser(t.deps, {
      roles: [{ role: 'cso_admin', organisationId: (await createOrganisation(t.deps)).id }],
    });
    const signIn2 = async (user: TestUser) => {
      const agent = t.agent();
      await signIn(agent, user);
      return agent;
    };
    const agent: Agent = await signIn2(reviewer);
    const sig = await signature(org.id, 370);
    const page = p.review({ signatureId: sig.id });

    // Who may see the page.
    const anon = await t.agent().get(page);
    assert.equal(anon.statusCode, 303);
    assert.match(String(anon.headers.location), /^\/sign-in/);
    assert.equal((await (await signIn2(member)).get(page)).statusCode, 403);
    assert.equal((await (await signIn2(stranger)).get(page)).statusCode, 403);
    assert.equal((await agent.get(p.review({ signatureId: 'not-an-id' }))).statusCode, 404);
    assert.equal(
      (await agent.get(p.review({ signatureId: '00000000-0000-4000-8000-000000000000' }))).statusCode,
      404,
    );

    // The list of the person's signatures, with this one due.
    const list = await agent.get(p.reviews());
    assert.equal(list.statusCode, 200);
    assert.match(list.body, /Reviewing Group/);
    assert.match(list.body, /Review due/);
    assert.ok(list.body.includes(`href="${page}"`));

    const form = await agent.get(page);
    assert.equal(form.statusCode, 200);
    assert.match(form.body, new RegExp(`value="${pledgeIds[0]}" checked`));

    // Bad input: no confirmation, nothing pledged, a pledge that is not in the bank, too many own pledges.
    const noConfirm = await agent.submit(page, { pledges: [pledgeIds[0]!] });
    assert.equal(noConfirm.statusCode, 422);
    assert.match(noConfirm.body, /govuk-error-summary/);
    assert.match(noConfirm.body, /Confirm that these are your organisation’s pledges/);
    const nothing = await agent.submit(page, { confirm: 'yes' });
    assert.equal(nothing.statusCode, 422);
    assert.match(nothing.body, /Choose at least one pledge or write your own/);
    const unknown = await agent.submit(page, {
      confirm: 'yes',
      pledges: ['00000000-0000-4000-8000-000000000000'],
    });
    assert.equal(unknown.statusCode, 422);
    assert.match(unknown.body, /Choose pledges from the list/);
    const tooMany = await agent.submit(page, {
      confirm: 'yes',
      ownPledges: Array.from({ length: 11 }, (_, i) => `Pledge ${i}`).join('\n'),
    });
    assert.equal(tooMany.statusCode, 422);
    assert.match(tooMany.body, /Write 10 pledges or fewer/);
    assert.equal((await signatureRow(sig.id)).reviewedAt, null, 'nothing was saved');

    // Review: drop the bank pledge, take another, add one in the organisation's own words.
    const done = await agent.submit(page, {
      confirm: 'yes',
      pledges: [pledgeIds[1]!],
      ownPledges: 'We will publish our grant criteria every April.',
    });
    assert.equal(done.statusCode, 303);
    assert.equal(done.headers.location, p.reviews());
    const row = await signatureRow(sig.id);
    assert.equal(row.reviewedAt?.getTime(), start.getTime());
    assert.equal(row.reviewDueOn, '2027-01-05');
    const [stored] = await t.deps.covenant.signaturesOfOrganisation(org.id);
    assert.deepEqual(
      stored!.pledges.map((x) => [x.pledgeId, x.position]),
      [
        [pledgeIds[1], 1],
        [null, 2],
      ],
    );
    assert.equal(stored!.pledges[1]!.text, 'We will publish our grant criteria every April.');
    const [audit] = await t.deps.db
      .get()
      .select()
      .from(auditLog)
      .where(eq(auditLog.action, 'covenant.signature_reviewed'));
    assert.equal(audit?.entityId, sig.id);
    assert.equal(audit?.actorUserId, reviewer.id);

    // The public page shows the new pledges and the review.
    const publicPage = await t.agent().get(directoryPaths.organisation({ slug: org.slug }));
    assert.match(publicPage.body, /We will publish our grant criteria every April\./);
    assert.match(publicPage.body, /Last reviewed on 5 January 2026/);
    assert.match(publicPage.body, /Pledges to be reviewed by 5 January 2027/);

    // Reviewed: no reminder now, a new one when the new year is up.
    assert.ok(!(await t.deps.covenant.remindReviews()).emailed.some((e) => e.signatureId === sig.id));
    t.clock.set(addYear(start));
    const later = await t.deps.covenant.remindReviews();
    assert.ok(later.emailed.some((e) => e.signatureId === sig.id));
    t.clock.set(start);
  });
});

describe('yearly review in the demo data', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
    await t.deps.db.transaction(() => seedDirectoryDemo(t.deps));
    await seedAccountsDemo(t.deps);
    await seedCovenantDemo(t.deps);
  });
  after(() => t.close());

  test("the demo CSO administrator's organisation has a review due, and is reminded", async () => {
    const riverside = (await t.deps.directoryRepository.findBySlug('riverside-community-trust'))!;
    const [signature] = await t.deps.covenant.signaturesOfOrganisation(riverside.id);
    assert.ok(signature, 'Riverside Community Trust has signed');
    assert.ok(reviewIsDue(signature.reviewDueOn, t.clock.now()));
    const result = await t.deps.covenant.remindReviews();
    assert.ok(result.emailed.some((e) => e.signatureId === signature.id && e.recipients >= 1));
    await t.deliverEmails();
    assert.ok(t.mail.lastTo('cso.admin@demo.covenant-hub.local'), 'the demo CSO administrator was emailed');
  });
});
