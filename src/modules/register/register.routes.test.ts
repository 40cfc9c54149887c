/**
 * The public register through the real app (issue 4, item 8): nothing is public before approval; the
 * automatic redactions are applied on the page, in the feed and in the API; a withheld reporter is never
 * published; small numbers are suppressed; search, paging, the feed and bad input; moderation end to end.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { eq } from 'drizzle-orm';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { createUser, signIn } from '../../../test/helpers/accounts.ts';
import { buildCase, createTestOrganisation, type BuiltCase } from '../../../test/helpers/cases.ts';
import type { Agent } from '../../../test/helpers/agent.ts';
import type { CurrentUser } from '../../platform/auth/roles.ts';
import { cases } from '../cases/cases.tables.ts';
import { registerPaths as rp } from './register.paths.ts';
import { REGISTER_PREPARE_TASK } from './register.service.ts';
import { checkAtom } from '../../../test/helpers/atom.ts';

const KNOWN_PERSON = 'Priyanka Okonkwo-Reyes';
const WITHHELD = {
  name: 'Thaddeus Wolverhampton-Quill',
  email: 'thaddeus.quill@secret-trust.example.org',
  phone: '07700 900456',
  organisationName: 'Quillwort Hidden Trust',
};
const withheldSecrets = [
  WITHHELD.name,
  'Wolverhampton-Quill',
  WITHHELD.email,
  WITHHELD.phone,
  '07700900456',
  WITHHELD.organisationName,
];

describe('public register', () => {
  let t: TestApp;
  let admin: CurrentUser;
  let adminAgent: Agent;
  let anon: Agent;
  let contact: BuiltCase;
  let withheld: BuiltCase;
  let escaped: BuiltCase;
  const body = { name: 'Borsetshire County Council' } as { id: string; name: string };

  /** Pending entries by case reference. */
  async function pending() {
    const { entries } = await t.deps.register.queue(admin, 'pending', 1);
    return new Map(entries.map((e) => [e.reference, e]));
  }
  async function entryOf(c: BuiltCase) {
    const e = (await pending()).get(c.reference);
    assert.ok(e, `no pending entry for ${c.reference}`);
    return e;
  }
  async function versionOf(entryId: string) {
    return String((await t.deps.register.review(admin, entryId)).entry.version);
  }
  async function approve(c: BuiltCase) {
    const e = await entryOf(c);
    const res = await adminAgent.submit(
      rp.review({ entryId: e.id }),
      { version: await versionOf(e.id) },
      rp.approve({ entryId: e.id }),
    );
    assert.equal(res.statusCode, 303, res.body);
    return e;
  }
  async function publicText(reference: string) {
    const [page, api, feed, list] = await Promise.all([
      anon.get(rp.entry({ reference })),
      anon.get(rp.api.case({ reference }), { accept: 'application/json' }),
      anon.get(rp.feed()),
      anon.get(rp.api.cases(), { accept: 'application/json' }),
    ]);
    return { page, api, feed, list, all: [page.body, api.body, feed.body, list.body].join('\n') };
  }

  before(async () => {
    t = await createTestApp();
    const created = await createTestOrganisation(t.deps, { name: body.name });
    body.id = created.id;
    const team = await createTestOrganisation(t.deps, { kind: 'covenant_team' });
    const adminUser = await createUser(t.deps, {
      name: 'Moderator Person',
      roles: [{ role: 'admin', organisationId: team.id }],
      totp: true,
    });
    admin = (await t.deps.sessionsRepository.loadUser(adminUser.id))!;
    adminAgent = t.agent();
    await signIn(adminAgent, adminUser);
    anon = t.agent();
    // A person known to the system, named in a case's text.
    await createUser(t.deps, { name: KNOWN_PERSON });

    contact = await buildCase(t.deps, {
      state: 'resolved',
      body: created,
      title: 'Grant letter sent to the wrong address',
      whatHappened: `Our grant officer ${KNOWN_PERSON} wrote from jo.bloggs@borsetshire.example.gov.uk and asked us to ring 0161 496 0000 or visit BS1 4DJ about the hopscotch scheme.`,
    });
    withheld = await buildCase(t.deps, {
      state: 'resolved',
      body: created,
      confidentiality: 'withheld',
      identity: WITHHELD,
      title: 'Contract threatened after criticism',
      whatHappened: `I am ${WITHHELD.name} of ${WITHHELD.organisationName}. Call me on ${WITHHELD.phone} or write to ${WITHHELD.email}. The council threatened our marmalade contract.`,
    });
    escaped = await buildCase(t.deps, {
      state: 'resolved',
      body: created,
      title: 'Budget <script>alert(1)</script> & "quotes"',
      whatHappened: 'Tags like <b>bold</b> & ampersands must stay text in the xylophone case.',
    });
    // Not candidates: still open, a question, withdrawn by the reporter.
    await buildCase(t.deps, { state: 'with_body', body: created, title: 'Open case about zeppelins' });
    await buildCase(t.deps, {
      state: 'resolved',
      kind: 'question',
      body: created,
      title: 'Question about zeppelins',
    });
    await buildCase(t.deps, { state: 'closed', body: created, title: 'Withdrawn case about zeppelins' });
  });
  after(() => t.close());

  test('the background task prepares candidates: only ended problems with a publishable outcome', async () => {
    const results = await t.deps.jobs.runOnce();
    assert.equal(results[REGISTER_PREPARE_TASK], 3);
    const refs = [...(await pending()).keys()].sort();
    assert.deepEqual(refs, [contact.reference, withheld.reference, escaped.reference].sort());
    // Running again adds nothing.
    assert.equal(await t.deps.register.prepareCandidates(), 0);
  });

  test('nothing is public before a moderator approves', async () => {
    for (const c of [contact, withheld, escaped]) {
      const { page, api, feed, list } = await publicText(c.reference);
      assert.equal(page.statusCode, 404);
      assert.equal(api.statusCode, 404);
      assert.ok(!feed.body.includes(c.reference));
      assert.ok(!list.body.includes(c.reference));
    }
    const search = await anon.get(rp.home({ q: 'hopscotch' }));
    assert.equal(search.statusCode, 200);
    assert.match(search.body, /No published cases match your search/);
  });

  test('the review page shows each automatic redaction highlighted, with undo', async () => {
    const e = await entryOf(contact);
    const res = await adminAgent.get(rp.review({ entryId: e.id }));
    assert.equal(res.statusCode, 200);
    for (const original of [KNOWN_PERSON, 'jo.bloggs@borsetshire.example.gov.uk', '0161 496 0000', 'BS1 4DJ'])
      assert.match(
        res.body,
        new RegExp(`<mark data-redaction="a\\d+">.*?${original.replace(/[.]/g, '\\.')}</mark>`),
        original,
      );
    assert.match(res.body, /Keep as written/);
    for (const replacement of [
      '[name removed]',
      '[email address removed]',
      '[phone number removed]',
      '[postcode removed]',
    ])
      assert.ok(res.body.includes(replacement), replacement);
    assert.equal((res.body.match(/<h1/g) ?? []).length, 1);
  });

  test('undo, restore, a manual redaction and an edit change the preview, not the public site', async () => {
    const e = await entryOf(contact);
    const page = rp.review({ entryId: e.id });
    const { entry } = await t.deps.register.review(admin, e.id);
    const postcode = entry.draft.summary!.spans.find((s) => s.kind === 'postcode')!;
    let res = await adminAgent.submit(
      page,
      { field: 'summary', spanId: postcode.id, decision: 'undo', version: String(entry.version) },
      rp.redaction({ entryId: e.id }),
    );
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, `${page}#field-summary`);
    let preview = (await t.deps.register.review(admin, e.id)).preview.summary!;
    assert.ok(preview.includes('BS1 4DJ'));
    res = await adminAgent.submit(
      page,
      { field: 'summary', spanId: postcode.id, decision: 'restore', version: await versionOf(e.id) },
      rp.redaction({ entryId: e.id }),
    );
    assert.equal(res.statusCode, 303);
    preview = (await t.deps.register.review(admin, e.id)).preview.summary!;
    assert.ok(!preview.includes('BS1 4DJ'));

    res = await adminAgent.submit(
      page,
      { field: 'summary', phrase: 'hopscotch scheme', version: await versionOf(e.id) },
      rp.addRedaction({ entryId: e.id }),
    );
    assert.equal(res.statusCode, 303);
    preview = (await t.deps.register.review(admin, e.id)).preview.summary!;
    assert.ok(preview.includes('the [removed]') && !preview.includes('hopscotch'));

    // A phrase that is not there is refused, on the page, with the error summary.
    res = await adminAgent.submit(
      page,
      { field: 'summary', phrase: 'not in the text', version: await versionOf(e.id) },
      rp.addRedaction({ entryId: e.id }),
    );
    assert.equal(res.statusCode, 422);
    assert.match(res.body, /There is a problem/);
    assert.match(res.body, /Those words do not appear/);
    res = await adminAgent.submit(
      page,
      { field: 'summary', phrase: '', version: await versionOf(e.id) },
      rp.addRedaction({ entryId: e.id }),
    );
    assert.equal(res.statusCode, 422);
    assert.match(res.body, /href="#add-phrase"/);

    // Editing the title redacts the new text again.
    res = await adminAgent.submit(
      page,
      {
        field: 'title',
        text: 'Grant letter: contact jo@borsetshire.example.gov.uk',
        version: await versionOf(e.id),
      },
      rp.editText({ entryId: e.id }),
    );
    assert.equal(res.statusCode, 303);
    const after = await t.deps.register.review(admin, e.id);
    assert.equal(after.preview.title, 'Grant letter: contact [email address removed]');

    // A stale version loses: 409, page shown again with the message.
    res = await adminAgent.submit(
      page,
      { field: 'summary', phrase: 'grant officer', version: '1' },
      rp.addRedaction({ entryId: e.id }),
    );
    assert.equal(res.statusCode, 409);
    assert.match(res.body, /Someone else changed this entry/);
    assert.equal((await anon.get(rp.entry({ reference: contact.reference }))).statusCode, 404);
  });

  test('approved: the redacted text is what the page, the feed and the API show', async () => {
    await approve(contact);
    const { page, api, feed, all } = await publicText(contact.reference);
    assert.equal(page.statusCode, 200);
    assert.equal(api.statusCode, 200);
    for (const secret of [
      KNOWN_PERSON,
      'jo.bloggs',
      '0161 496 0000',
      'BS1 4DJ',
      'hopscotch',
      'jo@borsetshire',
    ])
      assert.ok(!all.includes(secret), `published text contains ${secret}`);
    for (const shown of [
      '[name removed]',
      '[email address removed]',
      '[phone number removed]',
      '[postcode removed]',
    ])
      assert.ok(page.body.includes(shown) && api.body.includes(shown) && feed.body.includes(shown), shown);
    const json = JSON.parse(api.body).data;
    assert.equal(json.reference, contact.reference);
    assert.equal(json.outcome, 'resolved');
    assert.equal(json.body.name, body.name);
    assert.deepEqual(
      json.timeline.map((s: { state: string }) => s.state),
      ['submitted'],
    );
    assert.ok(!('draft' in json) && !('reason' in json));
    // The page has its timeline and outcome.
    assert.match(page.body, /What happened and when/);
    assert.match(page.body, /Resolved/);
    // The review page no longer offers redaction changes once published.
    const e = (await t.deps.register.queue(admin, 'published', 1)).entries.find(
      (x) => x.reference === contact.reference,
    )!;
    const review = await adminAgent.get(rp.review({ entryId: e.id }));
    assert.ok(!review.body.includes('Keep as written'));
    assert.match(review.body, /Withdraw from the register/);
  });

  test('a withheld reporter is redacted, and approval is refused while any of them shows', async () => {
    const e = await entryOf(withheld);
    const page = rp.review({ entryId: e.id });
    const { entry } = await t.deps.register.review(admin, e.id);
    const kinds = entry.draft.summary!.spans.map((s) => s.kind).sort();
    assert.deepEqual(kinds, ['email', 'name', 'organisation', 'phone']);
    // The moderator undoes the name redaction: approval is refused.
    const name = entry.draft.summary!.spans.find((s) => s.kind === 'name')!;
    await adminAgent.submit(
      page,
      { field: 'summary', spanId: name.id, decision: 'undo', version: String(entry.version) },
      rp.redaction({ entryId: e.id }),
    );
    let res = await adminAgent.submit(
      page,
      { version: await versionOf(e.id) },
      rp.approve({ entryId: e.id }),
    );
    assert.equal(res.statusCode, 422);
    assert.match(res.body, /still contains the reporter’s name/);
    // An edit that writes the organisation back in is refused too, even though it is redacted again...
    await adminAgent.submit(
      page,
      { field: 'summary', spanId: name.id, decision: 'restore', version: await versionOf(e.id) },
      rp.redaction({ entryId: e.id }),
    );
    res = await adminAgent.submit(
      page,
      {
        field: 'title',
        text: `Contract threatened (${WITHHELD.organisationName})`,
        version: await versionOf(e.id),
      },
      rp.editText({ entryId: e.id }),
    );
    assert.equal(res.statusCode, 303);
    const title = (await t.deps.register.review(admin, e.id)).entry.draft.title!;
    assert.equal(title.spans[0]?.kind, 'organisation');
    // ...unless it is undone, which is refused at approval.
    await adminAgent.submit(
      page,
      { field: 'title', spanId: title.spans[0]!.id, decision: 'undo', version: await versionOf(e.id) },
      rp.redaction({ entryId: e.id }),
    );
    res = await adminAgent.submit(page, { version: await versionOf(e.id) }, rp.approve({ entryId: e.id }));
    assert.equal(res.statusCode, 422);
    await adminAgent.submit(
      page,
      { field: 'title', spanId: title.spans[0]!.id, decision: 'restore', version: await versionOf(e.id) },
      rp.redaction({ entryId: e.id }),
    );
    await approve(withheld);

    const { page: shown, all } = await publicText(withheld.reference);
    assert.equal(shown.statusCode, 200);
    for (const secret of withheldSecrets)
      assert.ok(!all.includes(secret), `public output contains ${secret}`);
    for (const q of ['Thaddeus', 'Quillwort', 'thaddeus.quill@secret-trust.example.org']) {
      const search = await anon.get(rp.api.cases({ q }), { accept: 'application/json' });
      assert.equal(JSON.parse(search.body).total, 0, `search for ${q} finds the case`);
    }
    assert.ok((await anon.get(rp.home({ q: 'marmalade' }))).body.includes(withheld.reference));
  });

  test('text people typed is escaped on the page and in a valid Atom feed', async () => {
    await approve(escaped);
    const page = await anon.get(rp.entry({ reference: escaped.reference }));
    assert.ok(!page.body.includes('<script>alert(1)</script>'));
    assert.ok(page.body.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
    const feed = await anon.get(rp.feed());
    assert.equal(feed.statusCode, 200);
    assert.match(String(feed.headers['content-type']), /^application\/atom\+xml/);
    const parsed = checkAtom(feed.body);
    assert.equal(parsed.entries, 3);
    assert.ok(feed.body.includes('Budget &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;'));
    assert.ok(
      feed.body.includes(`<id>${t.config.BASE_URL}${rp.entry({ reference: escaped.reference })}</id>`),
    );
  });

  test('search: words, filters, paging and bad input', async () => {
    let res = await anon.get(rp.home({ q: 'xylophone' }));
    assert.equal(res.statusCode, 200);
    assert.ok(res.body.includes(escaped.reference) && !res.body.includes(contact.reference));
    assert.match(res.body, /1 case\s*<\/h2>/);
    res = await anon.get(rp.home({ q: contact.reference }));
    assert.ok(res.body.includes(contact.reference));
    res = await anon.get(rp.home({ outcome: 'not_upheld' }));
    assert.match(res.body, /No published cases match/);
    const api = JSON.parse(
      (await anon.get(rp.api.cases({ body: 'no-such-body' }), { accept: 'application/json' })).body,
    );
    assert.equal(api.total, 0);
    const all = JSON.parse((await anon.get(rp.api.cases(), { accept: 'application/json' })).body);
    assert.equal(all.total, 3);
    assert.equal(all.pages, 1);

    // Bad page numbers: not a number, zero, too deep; a page past the last one does not exist.
    for (const page of ['abc', '0', '-1', '501', '1.5'])
      assert.equal((await anon.get(`${rp.home()}?page=${page}`)).statusCode, 400, `page=${page}`);
    assert.equal((await anon.get(rp.home({ page: '2' }))).statusCode, 404);
    for (const page of ['abc', '0', '501'])
      assert.equal(
        (await anon.get(`${rp.api.cases()}?page=${page}`, { accept: 'application/json' })).statusCode,
        400,
      );
    assert.equal((await anon.get(`${rp.home()}?year=nineteen`)).statusCode, 400);
    assert.equal((await anon.get(`${rp.home()}?outcome=bogus`)).statusCode, 400);

    // A search text that is too long: the form again, with the error, and no results.
    const long = 'a'.repeat(201);
    res = await anon.get(rp.home({ q: long }));
    assert.equal(res.statusCode, 422);
    assert.match(res.body, /Search words must be 200 characters or fewer/);
    assert.match(res.body, /href="#q"/);
    assert.match(res.body, /<title>Error:/);
    res = await anon.get(rp.api.cases({ q: long }), { accept: 'application/json' });
    assert.equal(res.statusCode, 400);
    assert.match(String(res.headers['content-type']), /problem\+json/);
    // Search syntax people type does not break the query.
    for (const q of ['"unclosed', 'a & | ! ( )', "o'neill", '-', '\\'])
      assert.equal((await anon.get(rp.home({ q }))).statusCode, 200, q);
  });

  test('unknown or malformed references are 404, on the page and in the API', async () => {
    for (const reference of ['CH-2026-999999', 'nonsense', 'x'.repeat(60)]) {
      assert.equal((await anon.get(rp.entry({ reference }))).statusCode, 404, reference.slice(0, 20));
      const api = await anon.get(rp.api.case({ reference }), { accept: 'application/json' });
      assert.ok([400, 404].includes(api.statusCode), `api ${reference.slice(0, 20)}: ${api.statusCode}`);
    }
    // Far too long for a path parameter: refused before routing.
    assert.equal((await anon.get(rp.entry({ reference: 'x'.repeat(300) }))).statusCode, 414);
    assert.equal((await adminAgent.get(rp.review({ entryId: 'not-a-uuid' }))).statusCode, 404);
    assert.equal(
      (await adminAgent.get(rp.review({ entryId: '00000000-0000-4000-8000-000000000000' }))).statusCode,
      404,
    );
  });

  test('statistics: counts under 5 are suppressed on the page and in the API', async () => {
    // Borsetshire: 3 resolved + 1 withdrawn (and 1 question, not counted). Another body: 6 resolved.
    const big = await createTestOrganisation(t.deps, { name: 'Ambridge Borough Council' });
    for (let i = 0; i < 6; i++) await buildCase(t.deps, { state: 'resolved', body: big });
    t.deps.register.invalidate();
    const api = JSON.parse((await anon.get(rp.api.statistics(), { accept: 'application/json' })).body);
    assert.deepEqual(api.total, { count: 10, suppressed: null });
    type Table = { cells: { label: string; count: number | null; suppressed: string | null }[] };
    const cell = (table: Table, label: string) => table.cells.find((c) => c.label === label)!;
    assert.equal(cell(api.byBody, body.name).count, null);
    assert.equal(cell(api.byBody, body.name).suppressed, 'small');
    // The only other cell would give the small one away (10 − 6 = 4), so it is withheld too.
    assert.equal(cell(api.byBody, 'Ambridge Borough Council').count, null);
    assert.equal(cell(api.byBody, 'Ambridge Borough Council').suppressed, 'complementary');
    // Outcomes: 1 withdrawn (small), so the 9 resolved are withheld as well; zeros are shown.
    assert.equal(cell(api.byOutcome, 'Withdrawn').suppressed, 'small');
    assert.equal(cell(api.byOutcome, 'Resolved').suppressed, 'complementary');
    assert.equal(cell(api.byOutcome, 'Not upheld').count, 0);
    const counts = JSON.stringify(api);
    for (const n of [1, 4, 6, 9]) assert.ok(!counts.includes(`"count":${n},`), `count ${n} is shown`);

    const page = await anon.get(rp.statistics());
    assert.equal(page.statusCode, 200);
    assert.match(
      page.body,
      /<caption class="govuk-table__caption govuk-table__caption--m">By public body<\/caption>/,
    );
    const bodyTable = page.body.slice(
      page.body.indexOf('id="by-body"'),
      page.body.indexOf('id="by-commitment"'),
    );
    assert.match(bodyTable, /Borsetshire County Council<\/th>\s*<td[^>]*>\s*Fewer than 5/);
    assert.match(bodyTable, /Ambridge Borough Council<\/th>\s*<td[^>]*>\s*Withheld/);
    assert.ok(!/>\s*4\s*</.test(bodyTable));
    // A year with fewer than 5 cases in total: the total and every non-zero cell are hidden.
    await t.deps.db
      .get()
      .update(cases)
      .set({ closedAt: new Date('2025-06-01T12:00:00Z') })
      .where(eq(cases.id, contact.id));
    t.deps.register.invalidate();
    const year = JSON.parse(
      (await anon.get(rp.api.statistics({ year: '2025' }), { accept: 'application/json' })).body,
    );
    assert.deepEqual(year.total, { count: null, suppressed: 'small' });
    assert.ok(year.byBody.cells.every((c: { count: number | null }) => c.count === null || c.count === 0));
    for (const bad of ['abc', '1800'])
      assert.equal((await anon.get(`${rp.statistics()}?year=${bad}`)).statusCode, 400);
  });

  test('reject needs a reason; reconsider puts it back; withdraw removes the public text', async () => {
    const extra = await buildCase(t.deps, {
      state: 'resolved',
      body: { id: body.id, name: body.name },
      title: 'Rejected candidate about quinces',
    });
    await t.deps.register.prepareCandidates();
    const e = await entryOf(extra);
    const page = rp.review({ entryId: e.id });
    let res = await adminAgent.submit(
      page,
      { reason: '  ', version: await versionOf(e.id) },
      rp.reject({ entryId: e.id }),
    );
    assert.equal(res.statusCode, 422);
    assert.match(res.body, /href="#reject-reason"/);
    res = await adminAgent.submit(
      page,
      { reason: 'Too little detail to be useful', version: await versionOf(e.id) },
      rp.reject({ entryId: e.id }),
    );
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, rp.moderation());
    assert.equal((await anon.get(rp.entry({ reference: extra.reference }))).statusCode, 404);
    // Approving a rejected entry is refused.
    res = await adminAgent.submit(page, { version: await versionOf(e.id) }, rp.approve({ entryId: e.id }));
    assert.equal(res.statusCode, 422);
    res = await adminAgent.submit(page, { version: await versionOf(e.id) }, rp.reconsider({ entryId: e.id }));
    assert.equal(res.statusCode, 303);
    assert.ok((await pending()).has(extra.reference));

    // Withdraw the published contact case: the page says so (410) and shows none of its text.
    const published = (await t.deps.register.queue(admin, 'published', 1)).entries.find(
      (x) => x.reference === contact.reference,
    )!;
    const reviewPage = rp.review({ entryId: published.id });
    res = await adminAgent.submit(
      reviewPage,
      { reason: '', version: await versionOf(published.id) },
      rp.withdraw({ entryId: published.id }),
    );
    assert.equal(res.statusCode, 422);
    res = await adminAgent.submit(
      reviewPage,
      { reason: 'The body asked for a correction', version: await versionOf(published.id) },
      rp.withdraw({ entryId: published.id }),
    );
    assert.equal(res.statusCode, 303);
    const gone = await anon.get(rp.entry({ reference: contact.reference }));
    assert.equal(gone.statusCode, 410);
    assert.match(gone.body, /removed from the register/);
    assert.ok(!gone.body.includes('Grant letter') && !gone.body.includes('correction'));
    assert.equal(
      (await anon.get(rp.api.case({ reference: contact.reference }), { accept: 'application/json' }))
        .statusCode,
      410,
    );
    assert.ok(!(await anon.get(rp.feed())).body.includes(contact.reference));
    assert.ok(!(await anon.get(rp.home({ q: 'grant' }))).body.includes(contact.reference));
  });

  test('the moderation queue lists each status with counts and pages', async () => {
    const res = await adminAgent.get(rp.moderation());
    assert.equal(res.statusCode, 200);
    // Opening the queue prepares new candidates: the six cases of the statistics test are waiting too.
    assert.match(res.body, /Waiting for review \(7\)/);
    assert.match(res.body, /Rejected \(0\)/);
    assert.match(res.body, /Published \(2\)/);
    assert.match(res.body, /Withdrawn \(1\)/);
    assert.equal((await adminAgent.get(`${rp.moderation()}?status=bogus`)).statusCode, 400);
    assert.equal((await adminAgent.get(`${rp.moderation()}?page=zero`)).statusCode, 400);
    assert.equal((await adminAgent.get(rp.moderation({ page: '3' }))).statusCode, 404);
    // The navigation offers moderation to the admin only.
    assert.match(res.body, /Moderate the register/);
    assert.ok(!(await anon.get(rp.home())).body.includes('Moderate the register'));
  });

  test('the register API is in the OpenAPI document', async () => {
    const doc = JSON.parse((await anon.get('/api/openapi.json', { accept: 'application/json' })).body);
    for (const path of [
      '/api/v1/register/cases',
      '/api/v1/register/cases/{reference}',
      '/api/v1/register/statistics',
    ])
      assert.ok(doc.paths[path]?.get, path);
    assert.ok(
      doc.paths['/api/v1/register/cases'].get.parameters.some((p: { name: string }) => p.name === 'q'),
    );
    assert.ok(!Object.keys(doc.paths).some((p) => p.includes('moderation')));
  });
});
