import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { eq } from 'drizzle-orm';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { createTestOrganisation, createTestPerson } from '../../../test/helpers/cases.ts';
import { SESSION_COOKIE } from '../../platform/http/context.ts';
import type { CurrentUser } from '../../platform/auth/roles.ts';
import { ensureCovenantReference } from '../covenant/covenant.seed.ts';
import { caseClockEvents, caseEvents, cases } from './cases.tables.ts';
import { intakePaths } from './cases.intake.paths.ts';
import { csrfTokenIn, type Agent } from '../../../test/helpers/agent.ts';

async function agentAs(t: TestApp, user: CurrentUser): Promise<Agent> {
  const agent = t.agent();
  agent.cookies.set(SESSION_COOKIE, await t.deps.sessions.start(user.id, { secondFactorDone: true }));
  return agent;
}

/** Answers every page with valid values; returns the check-answers page. */
async function fillReport(agent: Agent, bodyId: string | null, q = 'Ministry') {
  const ok = (r: { statusCode: number; body: string }) =>
    assert.equal(r.statusCode, 303, r.body.slice(0, 2000));
  ok(await agent.submit(intakePaths.kind(), { kind: 'problem' }));
  ok(
    await agent.post(
      intakePaths.body(),
      bodyId ? { bodyId, q } : { bodyId: 'not-found', q },
      intakePaths.kind(),
    ),
  );
  ok(
    await agent.submit(intakePaths.whatHappened(), {
      title: 'Grant cut with two weeks notice',
      whatHappened: 'The department cut our funding with two weeks notice and did not consult us.',
    }),
  );
  ok(await agent.submit(intakePaths.category(), { category: 'funding' }));
  ok(
    await agent.submit(intakePaths.when(), {
      'happenedOn-day': '3',
      'happenedOn-month': '12',
      'happenedOn-year': '2025',
    }),
  );
  ok(await agent.submit(intakePaths.commitments(), { commitmentIds: 'not-sure' }));
  ok(await agent.submit(intakePaths.impact(), { impact: 'We had to stop a service.' }));
  ok(await agent.submit(intakePaths.outcome(), { outcomeWanted: 'Proper notice next time.' }));
  ok(await agent.post(intakePaths.evidence(), {}, intakePaths.kind()));
  ok(await agent.submit(intakePaths.confidentiality(), { confidentiality: 'withheld' }));
  ok(
    await agent.submit(intakePaths.details(), {
      name: 'Asha Reporter',
      email: 'asha@example.org',
      phone: '',
    }),
  );
  return agent.get(intakePaths.checkAnswers());
}

const keyOf = (html: string) => /name="submissionKey" value="([^"]+)"/.exec(html)?.[1] ?? '';

describe('report journey', () => {
  let t: TestApp;
  let body: { id: string; name: string };
  before(async () => {
    t = await createTestApp();
    await ensureCovenantReference(t.deps.db, t.deps.clock);
    body = await createTestOrganisation(t.deps, { name: 'Ministry of Examples', nation: 'scotland' });
    await createTestPerson(t.deps, 'body_officer', { organisationId: body.id });
  });
  after(() => t.close());

  test('the start page is public; the questions need an account', async () => {
    const agent = t.agent();
    assert.equal((await agent.get(intakePaths.start())).statusCode, 200);
    const r = await agent.get(intakePaths.kind());
    assert.equal(r.statusCode, 303);
    assert.match(String(r.headers.location), /^\/sign-in\?returnTo=/);
  });

  test('body staff cannot file', async () => {
    const officer = await createTestPerson(t.deps, 'body_officer', { organisationId: body.id });
    const agent = await agentAs(t, officer);
    assert.equal((await agent.get(intakePaths.kind())).statusCode, 403);
  });

  test('every question page validates with 422, an error summary and the value kept', async () => {
    const agent = await agentAs(t, await createTestPerson(t.deps, 'cso_member'));
    const cases: [string, Record<string, string>, string, string?][] = [
      [intakePaths.kind(), {}, 'Select what you would like to do'],
      [
        intakePaths.whatHappened(),
        { title: 'Kept title', whatHappened: '' },
        'Enter what happened',
        'Kept title',
      ],
      [
        intakePaths.when(),
        { 'happenedOn-day': '31', 'happenedOn-month': '2', 'happenedOn-year': '2025' },
        'Date it happened must be a real date',
        'value="31"',
      ],
      [
        intakePaths.when(),
        { 'happenedOn-day': '1', 'happenedOn-month': '1', 'happenedOn-year': '2027' },
        'Date it happened must be today or in the past',
      ],
      [intakePaths.commitments(), {}, 'Select the commitments it concerns'],
      [intakePaths.confidentiality(), {}, 'Select who should know it was you'],
      [
        intakePaths.details(),
        { name: 'Kept Name', email: 'not-an-email' },
        'Enter an email address in the correct format',
        'Kept Name',
      ],
    ];
    await agent.submit(intakePaths.kind(), { kind: 'problem' });
    for (const [url, form, message, kept] of cases) {
      const r = await agent.submit(url, form);
      assert.equal(r.statusCode, 422, url);
      assert.match(r.body, /govuk-error-summary/, url);
      assert.ok(r.body.includes(message.replace(/'/g, '&#39;')), `${url}: ${message}`);
      if (kept) assert.ok(r.body.includes(kept), `${url} keeps ${kept}`);
    }
    // Impact and outcome are required for a problem.
    assert.equal((await agent.submit(intakePaths.impact(), { impact: '' })).statusCode, 422);
    assert.equal((await agent.submit(intakePaths.outcome(), { outcomeWanted: '' })).statusCode, 422);
    // The body step: nothing chosen, or "not found" with no name typed.
    assert.equal((await agent.post(intakePaths.body(), {}, intakePaths.kind())).statusCode, 422);
    const notFound = await agent.post(intakePaths.body(), { bodyId: 'not-found', q: '' }, intakePaths.kind());
    assert.equal(notFound.statusCode, 422);
    // Only an intermediary may choose the intermediary option.
    const r = await agent.submit(intakePaths.confidentiality(), {
      confidentiality: 'intermediary',
      memberOrganisation: 'X',
    });
    assert.equal(r.statusCode, 422);
  });

  test('control characters are removed from answers: NUL is not a server error, and alone it is empty', async () => {
    const agent = await agentAs(t, await createTestPerson(t.deps, 'cso_member'));
    await agent.submit(intakePaths.kind(), { kind: 'problem' });
    const saved = await agent.submit(intakePaths.whatHappened(), {
      title: 'Grant\u0000 cut\u0007',
      whatHappened: 'Line one\r\n\tLine\u001b two\u007f',
    });
    assert.equal(saved.statusCode, 303, saved.body.slice(0, 500));
    const page = await agent.get(intakePaths.whatHappened());
    assert.ok(page.body.includes('value="Grant cut"'), 'the title is kept without its control characters');
    assert.ok(page.body.includes('Line one\r\n\tLine two'), 'tab and line breaks are kept');
    const empty = await agent.submit(intakePaths.whatHappened(), {
      title: '\u0000\u0001',
      whatHappened: 'x',
    });
    assert.equal(empty.statusCode, 422);
    assert.ok(empty.body.includes('Enter a title for your report'));
    for (const [url, form] of [
      [intakePaths.impact(), { impact: 'Stopped\u0000' }],
      [intakePaths.outcome(), { outcomeWanted: 'Notice\u0000' }],
      [
        intakePaths.details(),
        { name: 'Asha\u0000', email: 'asha\u0000@example.org', organisationName: 'X\u0000' },
      ],
    ] as const) {
      const r = await agent.submit(url, form);
      assert.equal(r.statusCode, 303, `${url}: ${r.body.slice(0, 300)}`);
    }
    const named = await agent.post(
      intakePaths.body(),
      { bodyId: 'not-found', q: 'Office\u0000 of Nowhere' },
      intakePaths.kind(),
    );
    assert.equal(named.statusCode, 303);
    assert.equal((await agent.get(intakePaths.body({ q: 'exam\u0000ples' }))).statusCode, 200);
  });

  test('the body step: an id that is not a body, or a name over 200 characters, gets its message', async () => {
    const agent = await agentAs(t, await createTestPerson(t.deps, 'cso_member'));
    await agent.submit(intakePaths.kind(), { kind: 'problem' });
    for (const bodyId of ['garbage', '12345', '00000000-0000-4000-8000-000000000000']) {
      const r = await agent.post(intakePaths.body(), { bodyId }, intakePaths.kind());
      assert.equal(r.statusCode, 422, `${bodyId}: ${r.body.slice(0, 300)}`);
      assert.ok(r.body.includes('Search for the public body and select it'), bodyId);
    }
    const tooLong = 'x'.repeat(201);
    const named = await agent.post(
      intakePaths.body(),
      { bodyId: 'not-found', q: tooLong },
      intakePaths.kind(),
    );
    assert.equal(named.statusCode, 422);
    assert.ok(named.body.includes('Name of the public body must be 200 characters or less'));
    const search = await agent.get(intakePaths.body({ q: tooLong }));
    assert.equal(search.statusCode, 200, search.body.slice(0, 300));
    assert.ok(search.body.includes('Name of the public body must be 200 characters or less'));
    assert.ok(search.body.includes(`value="${tooLong}"`), 'the search is kept');
    assert.equal((await agent.get(intakePaths.body({ q: 'x'.repeat(200) }))).statusCode, 200);
  });

  test('the body search works without JavaScript', async () => {
    const agent = await agentAs(t, await createTestPerson(t.deps, 'cso_member'));
    const r = await agent.get(intakePaths.body({ q: 'examples' }));
    assert.equal(r.statusCode, 200);
    assert.ok(r.body.includes('Ministry of Examples'));
    assert.ok(r.body.includes(`value="${body.id}"`));
    assert.ok(r.body.includes('value="not-found"'));
  });

  test('the typeahead suggests bodies as JSON, for signed-in reporters only', async () => {
    const agent = await agentAs(t, await createTestPerson(t.deps, 'cso_member'));
    const page = await agent.get(intakePaths.body());
    assert.ok(page.body.includes(`data-body-search="${intakePaths.bodySuggestions()}"`));
    assert.match(
      page.body,
      /<form method="post" action="\/report\/body" novalidate hidden data-body-choose>/,
    );
    assert.ok(page.body.includes('/vendor/accessible-autocomplete/accessible-autocomplete.min.js'));
    const r = await agent.get(`${intakePaths.bodySuggestions()}?q=examp`);
    assert.equal(r.statusCode, 200);
    assert.equal(r.headers['cache-control'], 'no-store');
    const { data } = JSON.parse(r.body) as { data: { id: string; name: string }[] };
    assert.deepEqual(data[0], { id: body.id, name: 'Ministry of Examples' });
    assert.ok(data.length <= 10);
    // Too short, too long or missing: no suggestions, no error.
    for (const q of ['', 'x', 'y'.repeat(201)]) {
      const none = await agent.get(`${intakePaths.bodySuggestions()}?q=${q}`);
      assert.equal(none.statusCode, 200, q);
      assert.deepEqual(JSON.parse(none.body), { data: [] });
    }
    assert.deepEqual(JSON.parse((await agent.get(intakePaths.bodySuggestions())).body), { data: [] });
    // Signed out: sent to sign in, no data.
    const anonymous = await t.agent().get(`${intakePaths.bodySuggestions()}?q=examp`);
    assert.notEqual(anonymous.statusCode, 200);
    assert.ok(!anonymous.body.includes('Ministry of Examples'));
    const script = await t.agent().get('/vendor/accessible-autocomplete/accessible-autocomplete.min.js');
    assert.equal(script.statusCode, 200);
  });

  test('check answers: Change links go to the page and come back', async () => {
    const agent = await agentAs(t, await createTestPerson(t.deps, 'cso_member'));
    const check = await fillReport(agent, body.id);
    assert.equal(check.statusCode, 200);
    assert.ok(check.body.includes('Grant cut with two weeks notice'));
    const changeLink = intakePaths.whatHappened({ change: '1' });
    assert.ok(check.body.includes(changeLink.replace('?', '?')));
    const page = await agent.get(changeLink);
    assert.ok(page.body.includes('name="change" value="1"'));
    const r = await agent.submit(
      changeLink,
      { change: '1', title: 'A new title', whatHappened: 'Changed text.' },
      intakePaths.whatHappened(),
    );
    assert.equal(r.headers.location, intakePaths.checkAnswers());
    assert.ok((await agent.get(intakePaths.checkAnswers())).body.includes('A new title'));
  });

  test('a double-clicked submit creates one case; both end on the same confirmation; one email to the reporter', async () => {
    const reporter = await createTestPerson(t.deps, 'cso_member');
    const agent = await agentAs(t, reporter);
    const check = await fillReport(agent, body.id);
    const key = keyOf(check.body);
    assert.ok(key.length >= 16);
    // A double click sends the same form twice from the one page: same token, same key. (Loading the page
    // again for each would race: the first submission can finish before the second load.)
    const form = { _csrf: csrfTokenIn(check.body), submissionKey: key };
    const [a, b] = await Promise.all([
      agent.request('POST', intakePaths.submit(), { form }),
      agent.request('POST', intakePaths.submit(), { form }),
    ]);
    assert.equal(a.statusCode, 303);
    assert.equal(b.statusCode, 303);
    assert.equal(a.headers.location, b.headers.location);
    const reference = /CH-2026-\d{6}/.exec(String(a.headers.location))![0];
    const rows = await t.deps.db.get().select().from(cases).where(eq(cases.idempotencyKey, key));
    assert.equal(rows.length, 1);
    const confirmation = await agent.get(String(a.headers.location));
    assert.equal(confirmation.statusCode, 200);
    assert.ok(confirmation.body.includes(reference));
    assert.match(confirmation.body, /govuk-panel/);
    // Routed to a known body with staff: accepted by the system, clock started today, on Scotland's calendar.
    const [created] = rows;
    assert.equal(created!.state, 'with_body');
    assert.equal(created!.clockNation, 'scotland');
    const events = await t.deps.db.get().select().from(caseEvents).where(eq(caseEvents.caseId, created!.id));
    assert.deepEqual(events.map((e) => e.action).sort(), ['accept', 'submit']);
    const clock = await t.deps.db
      .get()
      .select()
      .from(caseClockEvents)
      .where(eq(caseClockEvents.caseId, created!.id));
    assert.deepEqual(
      clock.map((c) => [c.type, c.on]),
      [['started', '2026-01-05']],
    );
    // Someone else cannot see the confirmation.
    const other = await agentAs(t, await createTestPerson(t.deps, 'cso_member'));
    assert.equal((await other.get(String(a.headers.location))).statusCode, 404);
    // The acknowledgement: queued once, to the reporter only.
    await t.deliverEmails();
    const acks = t.mail.sent.filter((m) => m.text.includes(reference));
    assert.equal(acks.length, 1);
    assert.equal(acks[0]!.to, 'asha@example.org');
  });

  test('a commitment id that is not a commitment is refused on its page, not a server error at submit', async () => {
    const agent = await agentAs(t, await createTestPerson(t.deps, 'cso_member'));
    await fillReport(agent, body.id);
    const r = await agent.submit(intakePaths.commitments(), { commitmentIds: ['not-a-uuid', 'not-sure'] });
    assert.equal(r.statusCode, 422);
    assert.ok(r.body.includes('Select the commitments it concerns'));
    const check = await agent.get(intakePaths.checkAnswers());
    const submitted = await agent.post(
      intakePaths.submit(),
      { submissionKey: keyOf(check.body) },
      intakePaths.checkAnswers(),
    );
    assert.equal(submitted.statusCode, 303, submitted.body.slice(0, 300));
    assert.match(String(submitted.headers.location), /CH-2026-\d{6}/);
  });

  test('an unknown body stays in the triage queue', async () => {
    const agent = await agentAs(t, await createTestPerson(t.deps, 'cso_member'));
    const check = await fillReport(agent, null, 'Office of Nowhere');
    const r = await agent.post(
      intakePaths.submit(),
      { submissionKey: keyOf(check.body) },
      intakePaths.checkAnswers(),
    );
    const reference = /CH-2026-\d{6}/.exec(String(r.headers.location))![0];
    const [row] = await t.deps.db.get().select().from(cases).where(eq(cases.reference, reference));
    assert.equal(row!.state, 'submitted');
    assert.equal(row!.bodyNameGiven, 'Office of Nowhere');
    const admin = await agentAs(t, await createTestPerson(t.deps, 'admin'));
    const queue = await admin.get(intakePaths.triage());
    assert.equal(queue.statusCode, 200);
    assert.ok(queue.body.includes(reference));
  });

  test('save and return: by account, and by the emailed link (reusable until submitted; own account only)', async () => {
    const reporter = await createTestPerson(t.deps, 'cso_member');
    const agent = await agentAs(t, reporter);
    await agent.submit(intakePaths.kind(), { kind: 'question' });
    const saved = await agent.submit(intakePaths.whatHappened(), {
      title: 'Saved title',
      whatHappened: 'Saved text',
      saveLater: '1',
    });
    assert.equal(saved.headers.location, intakePaths.saved());
    // Signed in again later (a new browser): the draft is there.
    const later = await agentAs(t, reporter);
    assert.ok((await later.get(intakePaths.whatHappened())).body.includes('Saved title'));
    await t.deliverEmails();
    const link = /https?:\/\/[^\s]+(\/report\/resume\/[^\s]+)/.exec(t.mail.lastTo(reporter.email)!.text)![1]!;
    for (let i = 0; i < 2; i++) {
      const r = await later.get(link);
      assert.equal(r.statusCode, 303);
      assert.equal(r.headers.location, intakePaths.body());
    }
    const stranger = await agentAs(t, await createTestPerson(t.deps, 'cso_member'));
    assert.equal((await stranger.get(link)).statusCode, 404);
    const anonymous = await t.agent().get(link);
    assert.equal(anonymous.statusCode, 303);
    // Expired after 30 days.
    t.clock.advance(31 * 86_400_000);
    const month = await agentAs(t, reporter);
    assert.equal((await month.get(link)).statusCode, 404);
    t.clock.set('2026-01-05T09:00:00Z');
  });
});
