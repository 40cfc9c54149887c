/**
 * The reporter's side, through the real app: answering the Covenant team's request for information on
 * /my-cases (needs_information → submitted: back in the triage queue; no body's clock runs yet), and the
 * evidence links on the staff case page (cleared files only, random ids, neutral names unless public).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { and, eq } from 'drizzle-orm';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import type { Agent } from '../../../test/helpers/agent.ts';
import { buildCase, createTestPerson, type BuiltCase } from '../../../test/helpers/cases.ts';
import { SESSION_COOKIE } from '../../platform/http/context.ts';
import type { CurrentUser } from '../../platform/auth/roles.ts';
import { auditLog } from '../../platform/audit/audit.tables.ts';
import { caseAttachments, caseEvents, cases, reportDrafts } from './cases.tables.ts';
import { intakePaths } from './cases.intake.paths.ts';
import { casePaths } from './cases.paths.ts';
import type { Uploads } from './cases.uploads.ts';

async function agentAs(t: TestApp, user: CurrentUser): Promise<Agent> {
  const agent = t.agent();
  agent.cookies.set(SESSION_COOKIE, await t.deps.sessions.start(user.id, { secondFactorDone: true }));
  return agent;
}

const author = 'Jane Whistleblower';
const pdf = () =>
  Buffer.from(
    `%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n2 0 obj << /Author (${author}) >> endobj\ntrailer << /Root 1 0 R /Info 2 0 R >>\n%%EOF\n`,
    'latin1',
  );

/** Files uploaded with the report as the journey does (draft, then attached at submission). */
async function attach(t: TestApp, uploads: Uploads, c: BuiltCase, names: string[]) {
  const [draft] = await t.deps.db
    .get()
    .insert(reportDrafts)
    .values({ userId: c.reporter.id, updatedAt: new Date(), expiresAt: new Date(Date.now() + 1e9) })
    .returning();
  await uploads.addToDraft(
    draft!.id,
    names.map((fileName) => ({ fileName, data: pdf(), truncated: false })),
  );
  await uploads.attachDraftFilesToCase(draft!.id, c.id);
  return t.deps.db.get().select().from(caseAttachments).where(eq(caseAttachments.caseId, c.id));
}

describe('the reporter answers a request for information', () => {
  let t: TestApp;
  let triager: CurrentUser;
  before(async () => {
    t = await createTestApp();
    triager = await createTestPerson(t.deps, 'admin');
  });
  after(() => t.close());

  async function askedCase() {
    const c = await buildCase(t.deps, { state: 'submitted' });
    await t.deps.intake.triage({ userId: triager.id, requestId: 'test' }, triager, c.id, {
      action: 'request_information',
      version: 1,
      bodyId: '',
      category: 'other',
      text: 'Which grant was cut, and when were you told?',
      duplicateOf: '',
    });
    return c;
  }

  test('the page shows what was asked and a form; bad input is 422 and keeps nothing half-done', async () => {
    const c = await askedCase();
    const agent = await agentAs(t, c.reporter);
    const url = casePaths.myCase({ caseId: c.id });
    const page = await agent.get(url);
    assert.equal(page.statusCode, 200);
    assert.ok(page.body.includes('Which grant was cut, and when were you told?'));
    assert.ok(
      page.body.includes(
        `action="${casePaths.myCaseAction({ caseId: c.id, action: 'provide_information' })}"`,
      ),
    );
    const action = casePaths.myCaseAction({ caseId: c.id, action: 'provide_information' });
    const empty = await agent.post(action, { expectedVersion: '2', text: '  ' }, url);
    assert.equal(empty.statusCode, 422);
    assert.match(empty.body, /govuk-error-summary/);
    assert.ok(empty.body.includes('Enter the information asked for'));
    assert.ok(empty.body.includes('href="#provide_information-text"'));
    const noVersion = await agent.post(action, { text: 'The youth grant.' }, url);
    assert.equal(noVersion.statusCode, 422);
    // A stale page (the version moved on): one wins, the other is told and keeps the text (409).
    const stale = await agent.post(action, { expectedVersion: '1', text: 'My long answer' }, url);
    assert.equal(stale.statusCode, 409);
    assert.ok(stale.body.includes('My long answer'));
    assert.equal(
      (await t.deps.db.get().select().from(cases).where(eq(cases.id, c.id)))[0]!.state,
      'needs_information',
    );
  });

  test('sending it returns the case to the triage queue, in the timeline and audited', async () => {
    const c = await askedCase();
    const agent = await agentAs(t, c.reporter);
    const url = casePaths.myCase({ caseId: c.id });
    const r = await agent.submit(
      url,
      { expectedVersion: '2', text: 'The youth grant; told on 1 March.' },
      casePaths.myCaseAction({ caseId: c.id, action: 'provide_information' }),
    );
    assert.equal(r.statusCode, 303, r.body.slice(0, 500));
    assert.equal(r.headers.location, url);
    const [row] = await t.deps.db.get().select().from(cases).where(eq(cases.id, c.id));
    assert.equal(row!.state, 'submitted');
    assert.equal(row!.nextDueOn, null, 'no body has the case yet, so no deadline runs');
    const [event] = await t.deps.db
      .get()
      .select()
      .from(caseEvents)
      .where(and(eq(caseEvents.caseId, c.id), eq(caseEvents.action, 'provide_information')));
    assert.equal(event!.text, 'The youth grant; told on 1 March.');
    assert.equal(event!.actorPart, 'reporter');
    const audits = await t.deps.db
      .get()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityId, c.id), eq(auditLog.action, 'case.provide_information')));
    assert.equal(audits.length, 1);
    const admin = await agentAs(t, triager);
    assert.ok((await admin.get(intakePaths.triage())).body.includes(c.reference));
    const triagePage = await admin.get(intakePaths.triageCase({ caseId: c.id }));
    assert.ok(triagePage.body.includes('The youth grant; told on 1 March.'));
    assert.match(triagePage.body, /value="accept"/);
    // Sent once: the form is gone.
    const after = await agent.get(url);
    assert.ok(!after.body.includes('provide_information-text'));
  });

  test('another person’s case is 404, and staff cannot answer for the reporter', async () => {
    const c = await askedCase();
    const stranger = await agentAs(t, await createTestPerson(t.deps, 'cso_member'));
    const action = casePaths.myCaseAction({ caseId: c.id, action: 'provide_information' });
    assert.equal((await stranger.get(casePaths.myCase({ caseId: c.id }))).statusCode, 404);
    const r = await stranger.post(action, { expectedVersion: '2', text: 'Not mine' }, casePaths.myCases());
    assert.equal(r.statusCode, 404);
    const admin = await agentAs(t, triager);
    const staff = await admin.post(
      casePaths.action({ caseId: c.id, action: 'provide_information' }),
      { expectedVersion: '2', text: 'For them' },
      casePaths.show({ caseId: c.id }),
    );
    assert.equal(staff.statusCode, 422);
    assert.equal(
      (await t.deps.db.get().select().from(cases).where(eq(cases.id, c.id)))[0]!.state,
      'needs_information',
    );
  });
});

describe('evidence on the staff case page', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(() => t.close());

  test('cleared files link by a random id with a neutral name; others are listed without a link', async () => {
    const c = await buildCase(t.deps, { state: 'with_body', confidentiality: 'withheld' });
    const [first, second] = await attach(t, t.deps.uploads, c, [
      `Letter from ${author}.pdf`,
      'Second letter.pdf',
    ]);
    await t.deps.db
      .get()
      .update(caseAttachments)
      .set({ scanStatus: 'pending' })
      .where(eq(caseAttachments.id, second!.id));
    const officer = await agentAs(
      t,
      await createTestPerson(t.deps, 'body_officer', { organisationId: c.body!.id }),
    );
    const page = await officer.get(casePaths.show({ caseId: c.id }));
    assert.equal(page.statusCode, 200);
    const href = intakePaths.attachment({ attachmentId: first!.id });
    assert.ok(page.body.includes(`href="${href}"`));
    assert.match(first!.id, /^[0-9a-f-]{36}$/, 'a random UUID, not a counter');
    assert.ok(!page.body.includes(intakePaths.attachment({ attachmentId: second!.id })), 'pending: no link');
    assert.ok(page.body.includes('not available until the virus check passes'));
    assert.ok(!page.body.includes('Jane'), 'a withheld case shows no file name that could name the reporter');
    assert.ok(page.body.includes(`evidence-${first!.id.slice(0, 8)}.pdf`));
    const file = await officer.get(href);
    assert.equal(file.statusCode, 200);
    assert.ok(!file.body.includes(author), 'metadata stripped');
    assert.ok(!String(file.headers['content-disposition']).includes('Jane'));
    assert.equal((await officer.get(intakePaths.attachment({ attachmentId: second!.id }))).statusCode, 403);
    assert.equal((await officer.get(intakePaths.attachment({ attachmentId: 'guess-1' }))).statusCode, 404);
    const stranger = await agentAs(t, await createTestPerson(t.deps, 'body_officer'));
    assert.equal((await stranger.get(href)).statusCode, 404);
    assert.equal((await t.agent().get(href)).statusCode, 303, 'anonymous: sent to sign in');
  });

  test('a public case shows the file’s own name', async () => {
    const c = await buildCase(t.deps, { state: 'with_body', confidentiality: 'public' });
    const [file] = await attach(t, t.deps.uploads, c, ['Council letter.pdf']);
    const officer = await agentAs(
      t,
      await createTestPerson(t.deps, 'body_officer', { organisationId: c.body!.id }),
    );
    const page = await officer.get(casePaths.show({ caseId: c.id }));
    assert.ok(page.body.includes('Council letter.pdf'));
    assert.ok(page.body.includes(intakePaths.attachment({ attachmentId: file!.id })));
  });
});

describe('evidence with malware scanning switched on', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp({ MALWARE_SCAN_COMMAND: 'true {file}' });
  });
  after(() => t.close());

  test('a file never scanned gets no link; one scanned clean does', async () => {
    const c = await buildCase(t.deps, { state: 'with_body' });
    const [file] = await attach(t, t.deps.uploads, c, ['Scanned.pdf']);
    assert.equal(file!.scanStatus, 'clean');
    const officer = await agentAs(
      t,
      await createTestPerson(t.deps, 'body_officer', { organisationId: c.body!.id }),
    );
    const href = intakePaths.attachment({ attachmentId: file!.id });
    assert.ok((await officer.get(casePaths.show({ caseId: c.id }))).body.includes(`href="${href}"`));
    await t.deps.db
      .get()
      .update(caseAttachments)
      .set({ scanStatus: 'not_scanned' })
      .where(eq(caseAttachments.id, file!.id));
    const page = await officer.get(casePaths.show({ caseId: c.id }));
    assert.ok(!page.body.includes(`href="${href}"`));
    assert.equal((await officer.get(href)).statusCode, 403);
  });
});
