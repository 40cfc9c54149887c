/**
 * The resource library through the real app (issue 9, item 1): the starting set; search and every filter;
 * a resource's page with its review date and files; adding, editing (a new version with a change note,
 * old versions kept and readable), publishing and marking reviewed; uploads checked by content and size;
 * the daily review reminder; the API. Bad input: 422 with the error summary and nothing typed lost.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { createOrganisation, createUser, signIn, type TestUser } from '../../../test/helpers/accounts.ts';
import type { Agent } from '../../../test/helpers/agent.ts';
import { ensureCovenantReference } from '../covenant/covenant.seed.ts';
import { resourcePaths as p } from './resources.paths.ts';
import { ensureResourceLibrary, resourceSeeds } from './resources.seed.ts';
import { resources } from './resources.tables.ts';
import { resourceForm, tinyPdf, uploadAttachment } from './resources.test-support.ts';

const errorSummary = (body: string) => body.includes('govuk-error-summary');
const titlesIn = (body: string) =>
  [...body.matchAll(/<h3 class="govuk-heading-s[^"]*"><a class="govuk-link" href="\/support\/resources\/([^"]+)"/g)].map(
    (m) => m[1],
  );

describe('resource library: pages, versions, files, reminders, API', () => {
  let t: TestApp;
  let admin: TestUser;
  let secondAdmin: TestUser;
  let adminAgent: Agent;
  let visitor: Agent;
  let dataDir: string;

  before(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'resources-test-'));
    t = await createTestApp({ DATA_DIR: dataDir });
    await ensureCovenantReference(t.deps.db, t.clock);
    const team = await createOrganisation(t.deps, { kind: 'covenant_team' });
    admin = await createUser(t.deps, { name: 'Alex Admin', roles: [{ role: 'admin', organisationId: team.id }], totp: true });
    secondAdmin = await createUser(t.deps, { name: 'Bo Admin', roles: [{ role: 'admin', organisationId: team.id }], totp: true });
    assert.equal(await ensureResourceLibrary(t.deps.db, t.clock, { ownerId: admin.id }), true);
    adminAgent = t.agent();
    await signIn(adminAgent, admin);
    visitor = t.agent();
  });
  after(async () => {
    await t.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('the starting set loads once, published, each with its first version', async () => {
    assert.equal(await ensureResourceLibrary(t.deps.db, t.clock), false, 'idempotent');
    const page = await visitor.get(p.index());
    assert.equal(page.statusCode, 200);
    assert.match(page.body, new RegExp(`${resourceSeeds.length} resources`));
    const versions = await visitor.get(p.versions({ slug: 'how-to-report-an-issue' }));
    assert.match(versions.body, /First version, written for the Covenant Hub library/);
  });

  test('full-text search ranks the best match first; filters narrow the list', async () => {
    const search = await visitor.get(p.index({ q: 'notice funding ends' }));
    assert.equal(titlesIn(search.body)[0], 'notice-before-funding-ends');
    const phrase = await visitor.get(p.index({ q: '"gagging"' }));
    assert.ok(titlesIn(phrase.body).includes('no-gagging-clauses'));
    assert.deepEqual(titlesIn((await visitor.get(p.index({ kind: 'template' }))).body), [
      'template-letter-funding-notice',
    ]);
    assert.deepEqual(titlesIn((await visitor.get(p.index({ kind: 'case_study' }))).body), [
      'case-study-three-year-grants',
    ]);
    // For public bodies: theirs and those for both sides, never those only for civil society.
    const forBodies = titlesIn((await visitor.get(p.index({ audience: 'public_body' }))).body);
    assert.ok(forBodies.includes('writing-an-engagement-action-plan'));
    assert.ok(forBodies.includes('consultation-length-in-practice'), 'for both sides');
    assert.ok(!forBodies.includes('how-to-report-an-issue'), 'civil society only');
    // Wales: UK-wide resources are in, the England-only case study is not.
    const wales = titlesIn((await visitor.get(p.index({ nation: 'wales' }))).body);
    assert.ok(wales.includes('consultation-length-in-practice'));
    assert.ok(!wales.includes('case-study-three-year-grants'));
    const byCommitment = titlesIn((await visitor.get(p.index({ commitment: 'TD-G1' }))).body);
    assert.ok(byCommitment.includes('publishing-the-consultation-response'));
    assert.ok(byCommitment.includes('how-to-report-an-issue'));
    assert.ok(!byCommitment.includes('full-cost-recovery'));
    const byPrinciple = titlesIn((await visitor.get(p.index({ principle: 'recognition-and-value' }))).body);
    assert.ok(byPrinciple.includes('no-gagging-clauses'));
    assert.ok(!byPrinciple.includes('multi-year-funding'));
    // Combined: search within a filter.
    assert.deepEqual(titlesIn((await visitor.get(p.index({ q: 'overheads', kind: 'code_of_practice' }))).body), [
      'code-of-practice-fair-funding',
    ]);
    const none = await visitor.get(p.index({ q: 'zebra crossing' }));
    assert.match(none.body, /No resources match your search/);
    // Unknown filter values are ignored rather than an error page; odd search syntax is harmless.
    const odd = await visitor.get(`${p.index()}?kind=nonsense&nation=mars&page=-3&q=${encodeURIComponent('!!:& (')}`);
    assert.equal(odd.statusCode, 200);
    // The chosen filters stay selected on the page.
    assert.match((await visitor.get(p.index({ kind: 'template' }))).body, /value="template" selected/);
  });

  test('a resource page shows its text, tags, last reviewed date, version and downloads', async () => {
    const page = await visitor.get(p.show({ slug: 'notice-before-funding-ends' }));
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<h2 class="govuk-heading-m" id="section-\d+">Exceptional circumstances<\/h2>/);
    assert.match(page.body, /Last reviewed/);
    assert.match(page.body, /5 January 2026/);
    assert.match(page.body, /5 January 2027/, 'next review, 12 months on');
    assert.match(page.body, /Version 1/);
    assert.match(page.body, /Partnership and collaboration/);
    assert.match(page.body, /The whole UK/);
    assert.doesNotMatch(page.body, /Manage this resource/, 'no management for visitors');
    const study = await visitor.get(p.show({ slug: 'case-study-three-year-grants' }));
    assert.match(study.body, /This case study is illustrative/);
    assert.equal((await visitor.get(p.show({ slug: 'no-such-thing' }))).statusCode, 404);
  });

  test('adding a resource: missing fields are listed, nothing typed is lost; then draft → published', async () => {
    const empty = await adminAgent.submit(p.create(), {
      title: 'Half-written guide',
      body: 'Some text I typed.',
      ownerId: admin.id,
    });
    assert.equal(empty.statusCode, 422);
    assert.ok(errorSummary(empty.body));
    for (const message of ['Select the type of resource', 'Enter a summary', 'Select who it is for', 'Select whether to publish it now'])
      assert.ok(empty.body.includes(message), message);
    assert.match(empty.body, /value="Half-written guide"/);
    assert.match(empty.body, />Some text I typed.<\/textarea>/);

    const unknown = await adminAgent.submit(p.create(), resourceForm(admin.id, { commitments: ['ZZ-9'] }));
    assert.equal(unknown.statusCode, 422);
    assert.match(unknown.body, /Select commitments from the list/);
    assert.match(unknown.body, /value="Running a fair consultation"/);

    const notAnOwner = await adminAgent.submit(p.create(), resourceForm('00000000-0000-4000-8000-000000000000'));
    assert.equal(notAnOwner.statusCode, 422);
    assert.match(notAnOwner.body, /Select an owner from the Covenant team/);

    const created = await adminAgent.submit(p.create(), resourceForm(secondAdmin.id, { title: 'Manage' }));
    assert.equal(created.statusCode, 303);
    const slug = String(created.headers.location).split('/').pop()!;
    assert.equal(slug, 'manage-2', 'reserved address avoided');
    assert.equal((await visitor.get(p.show({ slug }))).statusCode, 404, 'a draft is not public');
    assert.equal((await visitor.get(p.api.one({ slug }))).statusCode, 404);
    const asAdmin = await adminAgent.get(p.show({ slug }));
    assert.match(asAdmin.body, /This resource is a draft/);
    assert.match(asAdmin.body, /Bo Admin/, 'the owner is shown to the team');
    const published = await adminAgent.post(p.status({ slug }), { status: 'published' }, p.show({ slug }));
    assert.equal(published.statusCode, 303);
    assert.equal((await visitor.get(p.show({ slug }))).statusCode, 200);
    assert.ok(titlesIn((await visitor.get(p.index({ nation: 'wales', q: 'consultation' }))).body).includes(slug));
    await adminAgent.post(p.status({ slug }), { status: 'draft' }, p.show({ slug }));
    assert.equal((await visitor.get(p.show({ slug }))).statusCode, 404, 'unpublished');
    const tampered = await adminAgent.post(p.status({ slug }), { status: 'deleted' }, p.show({ slug }));
    assert.equal(tampered.statusCode, 400);
  });

  test('editing makes a new version with its change note; old versions stay readable', async () => {
    const slug = 'multi-year-funding';
    const editPage = await adminAgent.get(p.edit({ slug }));
    assert.equal(editPage.statusCode, 200);
    assert.match(editPage.body, /name="startedFrom" value="1"/);
    const current = (await t.deps.resources.repo.findBySlug(slug))!;
    const form = {
      title: current.title,
      kind: current.kind,
      summary: current.summary,
      body: `${current.body}\n\n## Annual reviews\n\nA new section I wrote.`,
      audience: current.audience,
      principles: current.principles,
      commitments: current.commitments,
      ownerId: admin.id,
      reviewIntervalMonths: '12',
      startedFrom: '1',
    };
    const noNote = await adminAgent.submit(p.edit({ slug }), { ...form, changeNote: '' });
    assert.equal(noNote.statusCode, 422);
    assert.match(noNote.body, /Enter what has changed/);
    assert.match(noNote.body, /A new section I wrote./, 'the edited text is kept');

    const saved = await adminAgent.submit(p.edit({ slug }), { ...form, changeNote: 'Added a section on annual reviews.' });
    assert.equal(saved.statusCode, 303);
    const page = await visitor.get(p.show({ slug }));
    assert.match(page.body, /Version 2/);
    assert.match(page.body, /Annual reviews/);

    // Someone else's edit, started from version 1, arrives after: refused, their text kept on the page.
    const stale = await adminAgent.submit(p.edit({ slug }), {
      ...form,
      body: 'A rival edit that must not be lost.',
      changeNote: 'Rival change',
    });
    assert.equal(stale.statusCode, 422);
    assert.match(stale.body, /Someone else saved a new version/);
    assert.match(stale.body, /A rival edit that must not be lost./);
    assert.equal((await t.deps.resources.repo.findBySlug(slug))!.version, 2);

    const history = await visitor.get(p.versions({ slug }));
    assert.match(history.body, /Added a section on annual reviews./);
    assert.match(history.body, /Alex Admin/);
    const v1 = await visitor.get(p.version({ slug, version: '1' }));
    assert.equal(v1.statusCode, 200);
    assert.match(v1.body, /It is not the current version/);
    assert.doesNotMatch(v1.body, /A new section I wrote/);
    const v2 = await visitor.get(p.version({ slug, version: '2' }));
    assert.match(v2.body, /A new section I wrote/);
    assert.equal((await visitor.get(p.version({ slug, version: '9' }))).statusCode, 404);
    assert.equal((await visitor.get(p.version({ slug, version: 'x' }))).statusCode, 404);
  });

  test('files: checked by content and size, with clear messages; downloads for everyone', async () => {
    const slug = 'template-letter-funding-notice';
    const noFile = await uploadAttachment(adminAgent, slug, null);
    assert.equal(noFile.statusCode, 422);
    assert.match(noFile.body, /Select a file to upload/);
    // An executable renamed to .pdf: refused by its bytes, whatever its name says.
    const exe = await uploadAttachment(adminAgent, slug, {
      name: 'letter.pdf',
      data: Buffer.from([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04, 0x00]),
    });
    assert.equal(exe.statusCode, 422);
    assert.ok(errorSummary(exe.body));
    assert.match(exe.body, /must be a PDF, Word document \(DOCX\)/);
    const big = await uploadAttachment(adminAgent, slug, {
      name: 'huge.txt',
      data: Buffer.alloc(10 * 1024 * 1024 + 10, 'a'),
    });
    assert.equal(big.statusCode, 422);
    assert.match(big.body, /smaller than 10 MB/);
    const empty = await uploadAttachment(adminAgent, slug, { name: 'empty.txt', data: Buffer.alloc(0) });
    assert.equal(empty.statusCode, 422);
    assert.match(empty.body, /is empty/);

    const ok = await uploadAttachment(adminAgent, slug, { name: '../../Funding letter.pdf', data: tinyPdf });
    assert.equal(ok.statusCode, 303);
    const [file] = await t.deps.resources.repo.attachments((await t.deps.resources.repo.findBySlug(slug))!.id);
    assert.equal(file!.filename, 'Funding letter.pdf');
    assert.equal(file!.fileKind, 'pdf');
    assert.match(file!.sha256, /^[0-9a-f]{64}$/);
    const page = await visitor.get(p.show({ slug }));
    assert.match(page.body, /Download Funding letter.pdf \(PDF, \d+ bytes\)/);
    const download = await visitor.get(p.attachment({ slug, id: file!.id }));
    assert.equal(download.statusCode, 200);
    assert.equal(download.headers['content-type'], 'application/pdf');
    assert.match(String(download.headers['content-disposition']), /attachment; filename="Funding letter.pdf"/);
    assert.ok(download.rawPayload.subarray(0, 5).equals(Buffer.from('%PDF-')));
    const api = JSON.parse((await visitor.get(p.api.one({ slug }))).body);
    assert.equal(api.attachments[0].sha256, file!.sha256);

    const removed = await adminAgent.post(p.removeAttachment({ slug, id: file!.id }), {}, p.attachments({ slug }));
    assert.equal(removed.statusCode, 303);
    assert.equal((await visitor.get(p.attachment({ slug, id: file!.id }))).statusCode, 404);
  });

  test('marking reviewed moves the dates on; the daily task reminds the owner when due, at its boundaries', async () => {
    const slug = 'full-cost-recovery';
    const svc = t.deps.resources;
    // Reviewed 5 January 2026 on a 12-month cycle: due 5 January 2027.
    t.clock.set('2027-01-04T09:00:00Z');
    t.mail.sent.length = 0;
    assert.ok(!(await svc.remindReviews()).reminded.includes(slug), 'not the day before');
    t.clock.set('2027-01-05T09:00:00Z');
    assert.ok((await svc.remindReviews()).reminded.includes(slug), 'on the day');
    await t.deliverEmails();
    // Every starting resource was reviewed the same day, so all fall due together: find this one's email.
    const email = t.mail.sent.find((e) => e.to === admin.email && e.subject.includes('Full cost recovery'));
    assert.ok(email, 'the owner is emailed');
    assert.equal(email!.subject, 'Review due: Full cost recovery: paying a fair share of overheads');
    assert.ok(
      !t.mail.sent.some((e) => e.to === secondAdmin.email && e.subject.includes('Full cost recovery')),
      'only the owner',
    );
    assert.match(email!.text, /\/support\/resources\/full-cost-recovery/);
    assert.equal((await svc.remindReviews()).reminded.length, 0, 'not twice');
    t.clock.set('2027-02-04T09:00:00Z');
    assert.ok((await svc.remindReviews()).reminded.includes(slug), 'again 30 days later');

    // A year on, the earlier session has expired: sign in again, as the owner would from the email.
    adminAgent = t.agent();
    await signIn(adminAgent, admin);
    const reviewed = await adminAgent.post(p.reviewed({ slug }), {}, p.show({ slug }));
    assert.equal(reviewed.statusCode, 303);
    const row = (await svc.repo.findBySlug(slug))!;
    assert.equal(row.lastReviewedOn, '2027-02-04');
    assert.equal(row.reviewRemindedAt, null);
    t.clock.set('2027-03-04T09:00:00Z');
    assert.ok(!(await svc.remindReviews()).reminded.includes(slug), 'reviewed: nothing due');

    // A resource with no owner: every administrator hears.
    await t.deps.db.get().update(resources).set({ ownerId: null, reviewRemindedAt: null })
      .where(eq(resources.slug, 'multi-year-funding'));
    t.mail.sent.length = 0;
    await svc.remindReviews();
    await t.deliverEmails();
    for (const person of [admin, secondAdmin])
      assert.ok(t.mail.sent.some((e) => e.to === person.email && e.subject === 'Review due: Multi-year funding'));
    t.clock.set('2026-01-05T09:00:00Z');
  });

  test('the API lists published resources with the same filters, and documents itself', async () => {
    const list = await visitor.get(p.api.list({ kind: 'guidance', audience: 'civil_society' }), {
      accept: 'application/json',
    });
    assert.equal(list.statusCode, 200);
    const data = JSON.parse(list.body);
    assert.ok(data.items.length > 0);
    assert.ok(data.items.every((r: { kind: string; audience: string }) => r.kind === 'guidance' && r.audience !== 'public_body'));
    assert.ok(data.items.every((r: { body?: string }) => r.body === undefined), 'summaries only');
    const search = JSON.parse((await visitor.get(p.api.list({ q: 'gagging' }))).body);
    assert.equal(search.items[0].slug, 'no-gagging-clauses');
    const one = JSON.parse((await visitor.get(p.api.one({ slug: 'how-to-report-an-issue' }))).body);
    assert.equal(one.kind, 'guidance');
    assert.match(one.body, /## What the front door is for/);
    assert.equal(one.lastReviewedOn, '2026-01-05');
    assert.equal(one.nextReviewDueOn, '2027-01-05');
    const bad = await visitor.get(`${p.api.list()}?kind=nonsense`, { accept: 'application/json' });
    assert.equal(bad.statusCode, 400);
    const doc = JSON.parse((await visitor.get('/api/openapi.json')).body);
    assert.ok(doc.paths['/api/v1/resources']);
    assert.ok(doc.paths['/api/v1/resources/{slug}']);
  });
});
