/**
 * Engagement action plans through the real app (issue 5 item 1): a body officer writes a plan, the
 * accountable lead signs it off and publishes it, the public reads it, the panel comments, the body records
 * quarterly progress by form and by CSV (dry run, then confirm), and overdue milestones follow the injected
 * clock. Bad input answers 422 with the GOV.UK error summary and saves nothing.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { eq } from 'drizzle-orm';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { createUser, signIn, type TestUser } from '../../../test/helpers/accounts.ts';
import { createTestOrganisation } from '../../../test/helpers/cases.ts';
import { csrfTokenIn, type Agent } from '../../../test/helpers/agent.ts';
import { auditLog } from '../../platform/audit/audit.tables.ts';
import { ensureCovenantReference } from '../covenant/covenant.seed.ts';
import { covenantCommitments } from '../covenant/covenant.tables.ts';
import { planPaths as p } from './plans.paths.ts';
import { actionPlans, planActions, planUpdates } from './plans.tables.ts';

/** Posts a progress CSV as a browser would: multipart/form-data with the import page's CSRF token. */
async function uploadCsv(agent: Agent, planId: string, quarter: string, csv: string) {
  const page = await agent.get(p.importCsv({ planId }));
  const token = csrfTokenIn(page.body);
  const boundary = '----plans-test-boundary';
  const payload = [
    `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${token}\r\n`,
    `--${boundary}\r\nContent-Disposition: form-data; name="quarter"\r\n\r\n${quarter}\r\n`,
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="progress.csv"\r\nContent-Type: text/csv\r\n\r\n${csv}\r\n`,
    `--${boundary}--\r\n`,
  ].join('');
  const cookie = [...agent.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  return agent.app.inject({
    method: 'POST',
    url: p.importCsv({ planId }),
    headers: { cookie, 'content-type': `multipart/form-data; boundary=${boundary}`, accept: 'text/html' },
    payload,
  });
}

const dateFields = (name: string, iso: string) => {
  const [y, m, d] = iso.split('-');
  return { [`${name}-day`]: d!, [`${name}-month`]: m!, [`${name}-year`]: y! };
};

/** The GOV.UK error summary with every message in it, or fails. */
function errorSummary(html: string): string {
  const match = /<div class="govuk-error-summary"[\s\S]*?<\/ul>/.exec(html);
  assert.ok(match, 'no error summary on the page');
  return match[0];
}

const decode = (html: string) =>
  html
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');

describe('engagement action plans: the whole workflow', () => {
  let t: TestApp;
  let bodyId: string;
  let officer: Agent;
  let officerUser: TestUser;
  let lead: Agent;
  let panel: Agent;
  let admin: Agent;
  let anonymous: Agent;
  let planId: string;
  let commitmentId: string;
  const actionIds: string[] = [];

  before(async () => {
    t = await createTestApp();
    await ensureCovenantReference(t.deps.db, t.clock);
    const [commitment] = await t.deps.db
      .get()
      .select({ id: covenantCommitments.id })
      .from(covenantCommitments)
      .where(eq(covenantCommitments.code, 'PC-G1'));
    commitmentId = commitment!.id;
    const body = await createTestOrganisation(t.deps, { name: 'Department of Examples' });
    bodyId = body.id;
    const panelOrg = await createTestOrganisation(t.deps, { kind: 'panel' });
    const team = await createTestOrganisation(t.deps, { kind: 'covenant_team' });
    const staff = async (role: 'body_officer' | 'body_lead' | 'panel_member' | 'admin', org: string) => {
      const user = await createUser(t.deps, {
        roles: [{ role, organisationId: org }],
        totp: true,
        name: `Demo ${role}`,
      });
      const agent = t.agent();
      await signIn(agent, user);
      return { agent, user };
    };
    ({ agent: officer, user: officerUser } = await staff('body_officer', bodyId));
    lead = (await staff('body_lead', bodyId)).agent;
    panel = (await staff('panel_member', panelOrg.id)).agent;
    admin = (await staff('admin', team.id)).agent;
    anonymous = t.agent();
  });
  after(() => t.close());

  const planRow = async () =>
    (await t.deps.db.get().select().from(actionPlans).where(eq(actionPlans.id, planId)))[0]!;
  const actionRows = async () =>
    t.deps.db.get().select().from(planActions).where(eq(planActions.planId, planId)).orderBy(planActions.ref);
  const updateCount = async () =>
    (await t.deps.db.get().select().from(planUpdates).where(eq(planUpdates.planId, planId))).length;

  test('an officer creates a plan; bad dates and overlapping years are refused with the error summary', async () => {
    const form = {
      bodyId,
      title: 'Engagement action plan 2025 to 2026',
      ...dateFields('startsOn', '2025-04-01'),
      ...dateFields('endsOn', '2026-03-31'),
      summary: 'Our promises this year.',
    };
    const missing = await officer.submit(p.create(), {
      ...form,
      title: '',
      ...dateFields('endsOn', '2025-03-01'),
    });
    assert.equal(missing.statusCode, 422);
    const summary = errorSummary(missing.body);
    assert.match(summary, /Enter a title/);
    assert.match(summary, /The last day of the plan year must be after the first day/);
    assert.match(summary, /href="#endsOn-day"/);
    assert.match(missing.body, /<title>Error: /);
    const unreal = await officer.submit(p.create(), { ...form, ...dateFields('startsOn', '2025-02-30') });
    assert.equal(unreal.statusCode, 422);
    assert.match(errorSummary(unreal.body), /must be a real date/);

    const created = await officer.submit(p.create(), form);
    assert.equal(created.statusCode, 303);
    planId = /\/plans\/([0-9a-f-]{36})$/.exec(String(created.headers.location))![1]!;
    assert.equal((await planRow()).status, 'draft');

    const overlapping = await officer.submit(p.create(), {
      ...form,
      title: 'Another plan',
      ...dateFields('startsOn', '2026-03-31'),
      ...dateFields('endsOn', '2027-03-30'),
    });
    assert.equal(overlapping.statusCode, 422);
    assert.match(
      decode(errorSummary(overlapping.body)),
      /already has a plan, “Engagement action plan 2025 to 2026”, for 1 April 2025 to 31 March 2026/,
    );
    const plans = await t.deps.db.get().select().from(actionPlans).where(eq(actionPlans.bodyId, bodyId));
    assert.equal(plans.length, 1, 'nothing half-saved');
  });

  test('actions linked to commitments, with owner, due date, status, weight and an overridden progress', async () => {
    const url = p.addAction({ planId });
    const good = {
      commitmentId,
      title: 'Publish the grant timetable',
      owner: 'Head of Partnerships',
      ...dateFields('dueOn', '2026-03-01'),
      weight: '2',
      status: 'on_track',
      progress: '70',
    };
    const notAllowed = await officer.submit(url, { ...good, status: 'not_started' });
    assert.equal(notAllowed.statusCode, 422);
    assert.match(errorSummary(notAllowed.body), /Progress can only be set for an action on track/);
    const badWeight = await officer.submit(url, { ...good, weight: '500', progress: '101' });
    assert.equal(badWeight.statusCode, 422);
    assert.match(errorSummary(badWeight.body), /Weight must be a whole number from 0 to 100/);
    assert.match(errorSummary(badWeight.body), /Progress must be a whole number from 0 to 100/);
    const noCommitment = await officer.submit(url, { ...good, commitmentId: '' });
    assert.equal(noCommitment.statusCode, 422);
    assert.match(errorSummary(noCommitment.body), /Select the commitment this action is for/);
    const unknownCommitment = await officer.submit(url, {
      ...good,
      commitmentId: '00000000-0000-4000-8000-000000000000',
    });
    assert.equal(unknownCommitment.statusCode, 422);
    assert.equal((await actionRows()).length, 0);

    assert.equal((await officer.submit(url, good)).statusCode, 303);
    const second = await officer.submit(url, {
      ...good,
      title: 'Listening events for small groups',
      weight: '1',
      status: 'not_started',
      progress: '',
      ...dateFields('dueOn', '2026-02-15'),
    });
    assert.equal(second.statusCode, 303);
    const rows = await actionRows();
    assert.deepEqual(
      rows.map((r) => [r.ref, r.status, r.progressOverride, r.weight, r.commitmentId]),
      [
        ['A1', 'on_track', 70, 2, commitmentId],
        ['A2', 'not_started', null, 1, commitmentId],
      ],
    );
    actionIds.push(...rows.map((r) => r.id));
    const page = await officer.get(p.show({ planId }));
    // Weighted roll-up: (2 × 70 + 1 × 0) / 3 = 46.7.
    assert.match(page.body, /<strong>46\.7%<\/strong>/);
    assert.match(page.body, /70% \(set by the body\)/);
    assert.match(page.body, /0% \(default for status\)/);
    assert.match(page.body, /PC-G1/);
  });

  test('milestones and evidence links; overdue milestones are flagged by the injected clock', async () => {
    const actionUrl = p.action({ planId, actionId: actionIds[0]! });
    const milestoneUrl = p.addMilestone({ planId, actionId: actionIds[0]! });
    const empty = await officer.submit(
      actionUrl,
      { title: '', ...dateFields('dueOn', '2025-12-20') },
      milestoneUrl,
    );
    assert.equal(empty.statusCode, 422);
    assert.match(errorSummary(empty.body), /Enter the milestone/);
    for (const [title, due] of [
      ['Draft timetable shared', '2025-12-20'],
      ['Timetable published', '2026-02-01'],
    ] as const)
      assert.equal(
        (await officer.submit(actionUrl, { title, ...dateFields('dueOn', due) }, milestoneUrl)).statusCode,
        303,
      );

    const evidenceUrl = p.addEvidence({ planId, actionId: actionIds[0]! });
    const badLink = await officer.submit(
      actionUrl,
      { title: 'Notes', url: 'javascript:alert(1)' },
      evidenceUrl,
    );
    assert.equal(badLink.statusCode, 422);
    assert.match(errorSummary(badLink.body), /Enter a web address starting with https:\/\//);
    assert.match(errorSummary(badLink.body), /href="#url"/);
    const noTitle = await officer.submit(actionUrl, { title: '', url: 'https://example.org/x' }, evidenceUrl);
    assert.match(errorSummary(noTitle.body), /href="#evidence-title"/);
    const added = await officer.submit(
      actionUrl,
      { title: 'Draft timetable', url: 'https://example.org/timetable' },
      evidenceUrl,
    );
    assert.equal(added.statusCode, 303);

    // 5 January 2026: the December milestone is overdue, February's is not.
    let page = await officer.get(p.show({ planId }));
    assert.match(page.body, /href="https:\/\/example.org\/timetable"/);
    assert.match(page.body, /Overdue as of 5 January 2026\. Actions: 0\. Milestones: 1\./);
    assert.match(
      page.body,
      /Draft timetable shared \(20 December 2025\) <strong class="govuk-tag govuk-tag--red">/,
    );
    assert.doesNotMatch(page.body, /Timetable published \(1 February 2026\) <strong/);

    // A month later, both milestones and action A2 (due 15 February) are overdue. (Sessions end after 30
    // idle minutes, so the officer signs in afresh in February; the other agents are not used then.)
    t.clock.set('2026-02-20T10:00:00Z');
    const february = t.agent();
    await signIn(february, officerUser);
    page = await february.get(p.show({ planId }));
    assert.match(page.body, /Overdue as of 20 February 2026\. Actions: 1\. Milestones: 2\./);
    const list = await february.get(p.list());
    assert.match(list.body, /Actions: 1, milestones: 2/);

    // Marking one complete clears its flag.
    const [first] = await t.deps.plansRepository.milestonesOf([actionIds[0]!]);
    const done = await february.post(
      p.milestoneDone({ planId, milestoneId: first!.id }),
      { done: 'true', actionId: actionIds[0]! },
      actionUrl,
    );
    assert.equal(done.statusCode, 303);
    assert.equal(done.headers.location, actionUrl);
    page = await february.get(p.show({ planId }));
    assert.match(page.body, /Actions: 1\. Milestones: 1\./);
    assert.match(page.body, /Completed 20 February 2026/);
    t.clock.set('2026-01-05T09:00:00Z');
  });

  test('draft → submitted → returned → submitted → signed off by the lead only → published', async () => {
    // Nobody outside the body sees a draft.
    assert.equal((await panel.get(p.show({ planId }))).statusCode, 404);
    assert.equal((await anonymous.get(p.published({ planId }))).statusCode, 404);

    const submitUrl = p.transition({ planId, transition: 'submit' });
    assert.equal((await officer.submit(submitUrl, {})).statusCode, 303);
    assert.equal((await planRow()).status, 'submitted');
    // The structure is fixed once submitted.
    assert.equal((await officer.get(p.edit({ planId }))).statusCode, 403);
    assert.equal((await officer.get(p.addAction({ planId }))).statusCode, 403);

    const returnUrl = p.transition({ planId, transition: 'return' });
    const noReason = await lead.submit(returnUrl, { reason: '  ' });
    assert.equal(noReason.statusCode, 422);
    assert.match(errorSummary(noReason.body), /Enter the reason/);
    assert.equal((await planRow()).status, 'submitted');
    assert.equal((await lead.submit(returnUrl, { reason: 'Add a milestone for A2.' })).statusCode, 303);
    assert.equal((await planRow()).status, 'draft');
    assert.match((await officer.get(p.show({ planId }))).body, /Returned to draft: Add a milestone for A2\./);
    assert.equal((await officer.submit(submitUrl, {})).statusCode, 303);

    // Sign-off is the accountable lead's alone: not the officer, not an administrator.
    const signOffUrl = p.transition({ planId, transition: 'sign_off' });
    assert.equal((await officer.get(signOffUrl)).statusCode, 403);
    const token = csrfTokenIn((await officer.get(p.show({ planId }))).body);
    assert.equal((await officer.request('POST', signOffUrl, { form: { _csrf: token } })).statusCode, 403);
    const adminToken = csrfTokenIn((await admin.get(p.show({ planId }))).body);
    assert.equal((await admin.request('POST', signOffUrl, { form: { _csrf: adminToken } })).statusCode, 403);
    assert.equal((await planRow()).status, 'submitted');
    // The panel sees the submitted plan, but no sign-off button.
    const panelView = await panel.get(p.show({ planId }));
    assert.equal(panelView.statusCode, 200);
    assert.doesNotMatch(panelView.body, /Sign off the plan/);
    const leadView = await lead.get(p.show({ planId }));
    assert.match(leadView.body, new RegExp(`href="${signOffUrl}"`));

    assert.equal((await lead.submit(signOffUrl, {})).statusCode, 303);
    const signed = await planRow();
    assert.equal(signed.status, 'signed_off');
    assert.ok(signed.signedOffBy);
    assert.equal((await anonymous.get(p.published({ planId }))).statusCode, 404);

    assert.equal((await lead.submit(p.transition({ planId, transition: 'publish' }), {})).statusCode, 303);
    const published = await planRow();
    assert.equal(published.status, 'published');
    assert.ok(published.publishedAt);
    const audited = await t.deps.db.get().select().from(auditLog).where(eq(auditLog.entityId, planId));
    for (const action of ['plan.created', 'plan.submit', 'plan.return', 'plan.sign_off', 'plan.publish'])
      assert.ok(
        audited.some((a) => a.action === action),
        `audit row ${action}`,
      );
  });

  test('a plan with no actions cannot be submitted', async () => {
    const created = await officer.submit(p.create(), {
      bodyId,
      title: 'Next year',
      ...dateFields('startsOn', '2026-04-01'),
      ...dateFields('endsOn', '2027-03-31'),
    });
    assert.equal(created.statusCode, 303, 'the next plan year does not overlap');
    const nextId = /\/plans\/([0-9a-f-]{36})$/.exec(String(created.headers.location))![1]!;
    const res = await officer.submit(p.transition({ planId: nextId, transition: 'submit' }), {});
    assert.equal(res.statusCode, 422);
    assert.match(errorSummary(res.body), /Add at least one action before submitting the plan/);
    const [row] = await t.deps.db.get().select().from(actionPlans).where(eq(actionPlans.id, nextId));
    assert.equal(row!.status, 'draft');
  });

  test('the public reads a published plan: page, list and API, without the panel’s comments', async () => {
    const comment = await panel.submit(
      p.show({ planId }),
      { body: '', actionId: '' },
      p.comments({ planId }),
    );
    assert.equal(comment.statusCode, 422);
    assert.match(errorSummary(comment.body), /Enter your comment/);
    const posted = await panel.submit(
      p.show({ planId }),
      { body: 'Why is A2 not started yet?', actionId: actionIds[1]! },
      p.comments({ planId }),
    );
    assert.equal(posted.statusCode, 303);
    const staffPage = await officer.get(p.show({ planId }));
    assert.match(staffPage.body, /Why is A2 not started yet\?/);
    assert.match(staffPage.body, /Oversight panel/);
    assert.match(staffPage.body, /On action A2/);

    const page = await anonymous.get(p.published({ planId }));
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Engagement action plan 2025 to 2026/);
    assert.match(page.body, /<strong>46\.7%<\/strong>/);
    assert.match(page.body, /Publish the grant timetable/);
    assert.doesNotMatch(page.body, /Why is A2 not started yet/);
    assert.doesNotMatch(page.body, /Add a comment|Record a quarterly progress update/);
    const list = await anonymous.get(p.publishedList());
    assert.equal(list.statusCode, 200);
    assert.match(list.body, new RegExp(`href="${p.published({ planId })}"`));

    // The downloads: the plan's actions, and every published plan with its total.
    assert.ok(page.body.includes(`href="${p.publishedCsv({ planId })}"`));
    const actionsCsv = await anonymous.get(p.publishedCsv({ planId }));
    assert.equal(actionsCsv.statusCode, 200);
    assert.match(String(actionsCsv.headers['content-type']), /^text\/csv/);
    assert.match(
      String(actionsCsv.headers['content-disposition']),
      /^attachment; filename="action-plan-.*\.csv"$/,
    );
    const actionLines = actionsCsv.body.trim().split(/\r?\n/);
    assert.match(
      actionLines[0]!,
      /^ref,action,commitment,owner,due_on,status,progress_percent,weight,overdue/,
    );
    assert.equal(actionLines.length, 3, 'a header and the two actions');
    assert.match(actionLines[1]!, /^A1,.*,PC-G1,.*,70,/);
    assert.match(actionLines[2]!, /^A2,.*,not_started,0,/);
    assert.ok(list.body.includes(`href="${p.publishedListCsv()}"`));
    const listCsv = await anonymous.get(p.publishedListCsv());
    assert.equal(listCsv.statusCode, 200);
    const planLine = listCsv.body.split(/\r?\n/).find((l) => l.includes(p.published({ planId })));
    assert.ok(planLine, 'the plan is listed');
    assert.match(planLine, /,46\.7,,/);
    assert.doesNotMatch(actionsCsv.body + listCsv.body, /Why is A2 not started yet/);

    const api = await anonymous.get(p.api.plan({ planId }), { accept: 'application/json' });
    assert.equal(api.statusCode, 200);
    const json = api.json();
    assert.equal(json.plan.status, 'published');
    assert.equal(json.plan.total.total, 46.7);
    assert.deepEqual(
      json.actions.map((a: { ref: string; progress: number; progressOverridden: boolean }) => [
        a.ref,
        a.progress,
        a.progressOverridden,
      ]),
      [
        ['A1', 70, true],
        ['A2', 0, false],
      ],
    );
    assert.equal(json.actions[0].commitment, 'PC-G1');
    assert.equal(json.actions[0].milestones.length, 2);
    assert.ok(!('createdBy' in json.plan) && !('comments' in json), 'only declared fields leave the server');
  });

  test('a quarterly update by form is kept in the history; bad input is refused whole', async () => {
    const url = p.update({ planId });
    const [a1, a2] = actionIds as [string, string];
    const good = {
      quarter: '2026-Q1',
      [`status-${a1}`]: 'at_risk',
      [`progress-${a1}`]: '',
      [`note-${a1}`]: 'Printing delayed.',
      [`status-${a2}`]: 'on_track',
      [`progress-${a2}`]: '30',
      summary: 'A slow quarter.',
    };
    const bad = await officer.submit(url, { ...good, quarter: '2026-Q5', [`progress-${a2}`]: '150' });
    assert.equal(bad.statusCode, 422);
    const summary = errorSummary(bad.body);
    assert.match(summary, /Enter the quarter like 2026-Q2/);
    assert.match(summary, /A2: Progress must be a whole number from 0 to 100/);
    assert.match(summary, new RegExp(`href="#progress-${a2}"`));
    const outside = await officer.submit(url, { ...good, quarter: '2027-Q2' });
    assert.equal(outside.statusCode, 422);
    assert.match(
      errorSummary(outside.body),
      /2027-Q2 is outside the plan year \(1 April 2025 to 31 March 2026\)/,
    );
    assert.equal(await updateCount(), 0);
    assert.deepEqual(
      (await actionRows()).map((r) => r.status),
      ['on_track', 'not_started'],
    );

    const saved = await officer.submit(url, good);
    assert.equal(saved.statusCode, 303);
    // (2 × 40 + 1 × 30) / 3 = 36.7
    const show = await officer.get(String(saved.headers.location));
    assert.match(show.body, /Overall progress is now 36\.7%/);
    t.clock.set('2026-01-05T09:10:00Z');
    assert.equal(
      (await officer.submit(url, { ...good, [`status-${a1}`]: 'done', summary: 'Timetable out.' }))
        .statusCode,
      303,
    );

    const history = await officer.get(p.history({ planId }));
    assert.equal(history.statusCode, 200);
    const text = decode(history.body);
    assert.ok(text.indexOf('Timetable out.') < text.indexOf('A slow quarter.'), 'newest first');
    assert.match(
      text,
      /A1 Publish the grant timetable: On track \(70%\) → At risk \(40%\)\. Printing delayed\./,
    );
    assert.match(text, /A1 Publish the grant timetable: At risk \(40%\) → Done \(100%\)/);
    assert.match(text, /Overall progress after this update: 36\.7%/);
    assert.match(text, /Overall progress after this update: 76\.7%/);
    assert.match(text, /from the form/);
    // The public page shows the history's totals too.
    assert.match((await anonymous.get(p.published({ planId }))).body, /Quarter 2026-Q1/);
  });

  test('CSV progress import: a dry run with row errors saves nothing; a clean file is confirmed whole', async () => {
    const before = (await actionRows()).map((r) => [r.status, r.progressOverride]);
    const updatesBefore = await updateCount();

    const broken = [
      'action,status,progress,note',
      'A1,on track,55,fine', // a good row: must not be saved while another row is bad
      'A9,done,,',
      'A2,finished,,',
      'a1,done,,twice',
      'A2,done,80,',
    ].join('\n');
    const dry = await uploadCsv(officer, planId, '2026-Q1', broken);
    assert.equal(dry.statusCode, 422);
    const summary = decode(errorSummary(dry.body));
    assert.match(summary, /Row 3: There is no action A9 in this plan/);
    assert.match(summary, /Row 4: “finished” is not a status/);
    assert.match(summary, /Row 5: Action A1 appears more than once/);
    assert.match(summary, /Row 6: Progress can only be given for an action on track, at risk or off track/);
    assert.match(summary, /href="#row-3"/);
    assert.match(dry.body, /id="row-3"/);
    assert.match(dry.body, /<title>Error: /);
    assert.doesNotMatch(dry.body, /Import these changes/);
    assert.deepEqual(
      (await actionRows()).map((r) => [r.status, r.progressOverride]),
      before,
    );
    assert.equal(await updateCount(), updatesBefore);

    const unreadable = await uploadCsv(officer, planId, '2026-Q1', 'action,status\n"A1,done\n');
    assert.equal(unreadable.statusCode, 422);
    assert.match(errorSummary(unreadable.body), /could not be read as CSV/);
    const wrongHeader = await uploadCsv(officer, planId, '2026-Q1', 'ref,state\nA1,done\n');
    assert.match(errorSummary(wrongHeader.body), /The first row must name the columns/);
    const outside = await uploadCsv(officer, planId, '2024-Q1', 'action,status\nA1,done\n');
    assert.equal(outside.statusCode, 422);
    assert.match(errorSummary(outside.body), /outside the plan year/);

    // A clean file: the dry run shows the change and saves nothing until confirmed.
    const clean = 'action,status,progress,note\r\nA1,off track,10%,Printer went bust\r\nA2,Done,,\r\n';
    const checked = await uploadCsv(officer, planId, '2026-Q1', clean);
    assert.equal(checked.statusCode, 200);
    assert.match(checked.body, /Rows that can be imported: 2\. Nothing has been saved yet\./);
    assert.match(checked.body, /Overall progress would go from 76\.7% to 40%/);
    assert.deepEqual(
      (await actionRows()).map((r) => [r.status, r.progressOverride]),
      before,
    );
    assert.equal(await updateCount(), updatesBefore);

    // The confirm form carries the checked text back; an altered file is checked again and refused whole.
    const token = csrfTokenIn(checked.body);
    const tampered = await officer.request('POST', p.importConfirm({ planId }), {
      form: { _csrf: token, quarter: '2026-Q1', csv: `${clean}A7,done,,\r\n` },
    });
    assert.equal(tampered.statusCode, 422);
    assert.match(errorSummary(decode(tampered.body)), /Row 4: There is no action A7 in this plan/);
    assert.equal(await updateCount(), updatesBefore);

    const csvField = decode(/name="csv" value="([^"]*)"/.exec(checked.body)![1]!);
    const confirmed = await officer.request('POST', p.importConfirm({ planId }), {
      form: { _csrf: token, quarter: '2026-Q1', csv: csvField },
    });
    assert.equal(confirmed.statusCode, 303);
    assert.equal(confirmed.headers.location, p.history({ planId }));
    assert.deepEqual(
      (await actionRows()).map((r) => [r.status, r.progressOverride]),
      [
        ['off_track', 10],
        ['done', null],
      ],
    );
    assert.equal(await updateCount(), updatesBefore + 1);
    const history = decode((await officer.get(p.history({ planId }))).body);
    assert.match(history, /imported from a CSV file/);
    assert.match(history, /Done \(100%\) → Off track \(10%\)\. Printer went bust/);
  });

  test('a file over the size limit is refused with a message', async () => {
    const big = `action,status,note\n${'A1,done,'.padEnd(300 * 1024, 'x')}\n`;
    const res = await uploadCsv(officer, planId, '2026-Q1', big);
    assert.ok([413, 422].includes(res.statusCode), `got ${res.statusCode}`);
    assert.match(res.body, /smaller than 256 KB|too large/i);
  });

  test('malformed ids are 404, never a database error', async () => {
    assert.equal((await officer.get(p.show({ planId: 'not-a-uuid' }))).statusCode, 404);
    assert.equal((await anonymous.get(p.published({ planId: 'x' }))).statusCode, 404);
    assert.equal((await officer.get(p.action({ planId, actionId: 'nope' }))).statusCode, 404);
    const api = await anonymous.get(p.api.plan({ planId: 'x' }), { accept: 'application/json' });
    assert.ok([400, 404].includes(api.statusCode));
    const none = await anonymous.get(p.api.bodyPlans({ slug: 'no-such-body' }), {
      accept: 'application/json',
    });
    assert.equal(none.statusCode, 404);
  });
});
