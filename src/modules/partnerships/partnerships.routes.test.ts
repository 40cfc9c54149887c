/**
 * Local covenant partnerships through the real app (issue 9, item 4): an administrator starts a partnership
 * for a council's area under a local sub-covenant; its linked officer adds partners, officers, meetings with
 * minutes and actions; the public page shows them with the local view (cases by status with the register's
 * suppression, published plans); the national page, its CSV and the API roll them up. Bad input: 422 with
 * the GOV.UK error summary and what was typed kept; tampered forms 400; unknown ids 404.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { eq } from 'drizzle-orm';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { createOrganisation, createUser, signIn, type TestUser } from '../../../test/helpers/accounts.ts';
import type { Agent } from '../../../test/helpers/agent.ts';
import { buildCase } from '../../../test/helpers/cases.ts';
import { auditLog } from '../../platform/audit/audit.tables.ts';
import { subCovenants } from '../covenant/covenant.tables.ts';
import { partnershipPaths as p } from './partnerships.paths.ts';
import { partnershipOfficers } from './partnerships.tables.ts';
import { insertArea } from './partnerships.testing.ts';

type Form = Record<string, string>;
const errorSummary = (body: string) => /govuk-error-summary/.test(body);

describe('local covenant partnerships: pages', () => {
  let t: TestApp;
  let admin: TestUser;
  let officer: TestUser;
  const agents = new Map<TestUser, Agent>();
  const as = (u: TestUser) => agents.get(u)!;
  let council: { id: string; name: string };
  let slug: string;

  const form = (o: Form = {}): Form => ({
    name: 'Testford Covenant Partnership',
    summary: 'The council and local charities, together.',
    area: 'testford-council',
    subCovenant: 'testford-local-covenant',
    forumName: 'Testford Voluntary Sector Assembly',
    forumUrl: '',
    ...o,
  });

  before(async () => {
    t = await createTestApp();
    const team = await createOrganisation(t.deps, { kind: 'covenant_team' });
    council = await insertArea(t, 'testford-council', 'Testford Council');
    await insertArea(t, 'testshire-ca', 'Testshire Combined Authority', 'combined_authority');
    await createOrganisation(t.deps, { kind: 'cso', name: 'Testford Food Bank', slug: 'testford-food-bank' });
    await t.deps.db.get().insert(subCovenants).values({
      slug: 'testford-local-covenant',
      kind: 'local',
      title: 'Testford local covenant',
      summary: 'A local covenant.',
    });
    admin = await createUser(t.deps, {
      name: 'Ada Admin',
      roles: [{ role: 'admin', organisationId: team.id }],
      totp: true,
    });
    officer = await createUser(t.deps, {
      name: 'Lou Local',
      email: 'lou@testford.example.gov.uk',
      roles: [{ role: 'body_officer', organisationId: council.id }],
      totp: true,
    });
    for (const u of [admin, officer]) {
      const a = t.agent();
      await signIn(a, u);
      agents.set(u, a);
    }
  });
  after(() => t.close());

  test('an administrator starts a partnership; bad input keeps what was typed', async () => {
    const formPage = await as(admin).get(p.create());
    assert.equal(formPage.statusCode, 200, formPage.body.slice(0, 2000));
    const empty = await as(admin).submit(p.create(), form({ name: '', area: '', forumName: '' }));
    assert.equal(empty.statusCode, 422);
    assert.ok(errorSummary(empty.body));
    assert.match(empty.body, /Enter the name of the partnership/);
    assert.match(empty.body, /Choose a council or combined authority/);
    assert.match(empty.body, /Enter the local forum/);
    assert.match(empty.body, /The council and local charities, together\./);
    const badUrl = await as(admin).submit(p.create(), form({ forumUrl: 'http://insecure.example' }));
    assert.equal(badUrl.statusCode, 422);
    assert.match(badUrl.body, /starting with https:\/\//);
    // A body that is not a council or combined authority, and a sub-covenant that is not local.
    const notArea = await as(admin).submit(p.create(), form({ area: 'testford-food-bank' }));
    assert.equal(notArea.statusCode, 422);
    assert.match(notArea.body, /Choose a council or combined authority from the list/);
    const noSub = await as(admin).submit(p.create(), form({ subCovenant: 'nope' }));
    assert.equal(noSub.statusCode, 422);
    assert.match(noSub.body, /Choose a local covenant from the list/);
    const res = await as(admin).submit(p.create(), form());
    assert.equal(res.statusCode, 303, res.body);
    slug = String(res.headers.location).split('/').at(-2)!;
    assert.equal(slug, 'testford-covenant-partnership');
    // The same name again gets its own address.
    const again = await as(admin).submit(p.create(), form({ area: 'testshire-ca' }));
    assert.match(String(again.headers.location), /testford-covenant-partnership-2\/manage$/);
  });

  test('officers: contact checked; only administrators link an account, which lets the officer manage', async () => {
    const bad = await as(admin).submit(
      p.manage({ slug }),
      {
        officerName: 'Lou Local',
        roleTitle: 'Head of Communities',
        contact: 'not a contact',
        accountEmail: '',
      },
      p.addOfficer({ slug }),
    );
    assert.equal(bad.statusCode, 422);
    assert.match(bad.body, /Enter an email address, like name@example.gov.uk, or a web page/);
    assert.match(bad.body, /value="Head of Communities"/);
    const unknown = await as(admin).submit(
      p.manage({ slug }),
      {
        officerName: 'Lou Local',
        roleTitle: 'Head',
        contact: 'lou@testford.example.gov.uk',
        accountEmail: 'nobody@example.org',
      },
      p.addOfficer({ slug }),
    );
    assert.equal(unknown.statusCode, 422);
    assert.match(unknown.body, /No Covenant Hub account uses that email address/);
    assert.equal((await as(officer).get(p.manage({ slug }))).statusCode, 403, 'not linked yet');
    const ok = await as(admin).submit(
      p.manage({ slug }),
      {
        officerName: 'Lou Local',
        roleTitle: 'Head of Communities',
        contact: 'lou@testford.example.gov.uk',
        accountEmail: 'LOU@testford.example.gov.uk',
      },
      p.addOfficer({ slug }),
    );
    assert.equal(ok.statusCode, 303, ok.body);
    const [row] = await t.deps.db
      .get()
      .select()
      .from(partnershipOfficers)
      .where(eq(partnershipOfficers.name, 'Lou Local'));
    assert.equal(row!.userId, officer.id);
    const page = await as(officer).get(p.manage({ slug }));
    assert.equal(page.statusCode, 200);
    assert.doesNotMatch(page.body, /name="accountEmail"/, 'officers do not see the account field');
    // An officer trying to link an account anyway is refused clearly.
    const sneaky = await as(officer).post(
      p.addOfficer({ slug }),
      {
        officerName: 'Friend',
        roleTitle: 'Helper',
        contact: 'https://example.org/friend',
        accountEmail: admin.email,
      },
      p.manage({ slug }),
    );
    assert.equal(sneaky.statusCode, 422);
    assert.match(sneaky.body, /Only administrators can link an officer to an account/);
    const plain = await as(officer).post(
      p.addOfficer({ slug }),
      { officerName: 'Vic Voluntary', roleTitle: 'Co-chair', contact: 'https://example.org/assembly' },
      p.manage({ slug }),
    );
    assert.equal(plain.statusCode, 303);
    // The linked officer cannot remove themself (or any linked officer): administrators only.
    const refused = await as(officer).post(
      p.removeOfficer({ slug, officerId: row!.id }),
      {},
      p.manage({ slug }),
    );
    assert.equal(refused.statusCode, 422);
    assert.match(refused.body, /Only administrators can remove an officer who signs in/);
  });

  test('partners: found by name or directory address; unknown and duplicate refused; removable', async () => {
    const send = (organisation: string, role = 'Member') =>
      as(officer).post(p.addPartner({ slug }), { organisation, role }, p.manage({ slug }));
    const empty = await send('', '');
    assert.equal(empty.statusCode, 422);
    assert.ok(errorSummary(empty.body));
    assert.match(empty.body, /Enter the organisation’s name/);
    const unknown = await send('Nowhere Trust');
    assert.equal(unknown.statusCode, 422);
    assert.match(unknown.body, /No organisation in the directory has that name or address/);
    assert.match(unknown.body, /value="Nowhere Trust"/);
    assert.equal((await send('testford food bank', 'Co-chair')).statusCode, 303);
    const twice = await send('testford-food-bank');
    assert.equal(twice.statusCode, 422);
    assert.match(twice.body, /already a partner/);
    const page = await as(officer).get(p.manage({ slug }));
    assert.match(page.body, /Testford Food Bank/);
    assert.equal(
      (await as(officer).post(p.removePartner({ slug, partnerId: 'not-a-uuid' }), {}, p.manage({ slug })))
        .statusCode,
      404,
    );
    assert.equal((await send('testford-council', 'Accountable body')).statusCode, 303);
  });

  test('meetings with minutes and actions with owner, due date and status', async () => {
    const badDate = await as(officer).post(
      p.addMeeting({ slug }),
      {
        'heldOn-day': '31',
        'heldOn-month': '2',
        'heldOn-year': '2026',
        meetingTitle: 'Quarterly',
        minutes: 'Agreed things.',
      },
      p.manage({ slug }),
    );
    assert.equal(badDate.statusCode, 422);
    assert.match(badDate.body, /Enter a real date/);
    assert.match(badDate.body, /Agreed things\./);
    const meeting = await as(officer).post(
      p.addMeeting({ slug }),
      {
        'heldOn-day': '10',
        'heldOn-month': '12',
        'heldOn-year': '2025',
        meetingTitle: 'Quarterly meeting',
        minutes: 'We agreed 3 months’ notice of funding changes.',
      },
      p.manage({ slug }),
    );
    assert.equal(meeting.statusCode, 303, meeting.body);
    const emptyAction = await as(officer).post(
      p.addAction({ slug }),
      { actionTitle: '', owner: '', status: 'nope' },
      p.manage({ slug }),
    );
    assert.equal(emptyAction.statusCode, 422);
    assert.match(emptyAction.body, /Enter what will be done/);
    assert.match(emptyAction.body, /Enter who owns the action/);
    assert.match(emptyAction.body, /Choose a status/);
    const wrongMeeting = await as(officer).post(
      p.addAction({ slug }),
      {
        actionTitle: 'X',
        owner: 'Y',
        status: 'not_started',
        meetingId: '00000000-0000-4000-8000-000000000000',
      },
      p.manage({ slug }),
    );
    assert.equal(wrongMeeting.statusCode, 422);
    assert.match(wrongMeeting.body, /Choose a meeting of this partnership/);
    // Due before today (5 January 2026 on the test clock): overdue.
    const action = await as(officer).post(
      p.addAction({ slug }),
      {
        actionTitle: 'Publish the grants timetable',
        owner: 'Testford Council',
        'dueOn-day': '1',
        'dueOn-month': '1',
        'dueOn-year': '2026',
        status: 'in_progress',
      },
      p.manage({ slug }),
    );
    assert.equal(action.statusCode, 303, action.body);
    const show = await t.agent().get(p.show({ slug }));
    assert.equal(show.statusCode, 200);
    assert.match(show.body, /Quarterly meeting/);
    assert.match(show.body, /We agreed 3 months’ notice/);
    assert.match(show.body, /Publish the grants timetable/);
    assert.match(show.body, /Overdue/);
    const actionId = (
      await t.deps.partnerships.repo.actions((await t.deps.partnerships.repo.findBySlug(slug))!.id)
    )[0]!.id;
    const tampered = await as(officer).post(
      p.actionStatus({ slug, actionId }),
      { status: 'finished' },
      p.manage({ slug }),
    );
    assert.equal(tampered.statusCode, 400);
    const done = await as(officer).post(
      p.actionStatus({ slug, actionId }),
      { status: 'done' },
      p.manage({ slug }),
    );
    assert.equal(done.statusCode, 303);
    assert.doesNotMatch((await t.agent().get(p.show({ slug }))).body, /Overdue/);
    const audited = await t.deps.db
      .get()
      .select()
      .from(auditLog)
      .where(eq(auditLog.action, 'partnerships.action.status'));
    assert.equal(audited.length, 1);
  });

  test('the public page: local covenant link, officers’ contact, and the local view with suppression', async () => {
    for (let i = 0; i < 3; i++) await buildCase(t.deps, { state: 'with_body', body: council });
    const page = await t.agent().get(p.show({ slug }));
    assert.match(page.body, /href="\/covenant\/sub-covenants\/testford-local-covenant"/);
    assert.match(page.body, /href="mailto:lou@testford.example.gov.uk"/);
    assert.doesNotMatch(page.body, new RegExp(officer.id), 'account ids never shown');
    // 3 cases with the body: shown as "fewer than 5", and the total too.
    assert.match(page.body, /With the body<\/td>\s*<td[^>]*>fewer than 5/);
    assert.doesNotMatch(page.body, />3<\/td>/);
    for (let i = 0; i < 4; i++) await buildCase(t.deps, { state: 'with_body', body: council });
    await buildCase(t.deps, { state: 'closed', body: council });
    const more = await t.agent().get(p.show({ slug }));
    // One ended case is small, so the smallest other figure (7 with the body) is withheld with it; the
    // total (8) is shown.
    assert.match(more.body, /Ended<\/td>\s*<td[^>]*>fewer than 5/);
    assert.match(more.body, /With the body<\/td>\s*<td[^>]*>withheld/);
    assert.match(more.body, /Total<\/td>\s*<td[^>]*>8</);
    assert.equal((await t.agent().get(p.show({ slug: 'no-such-partnership' }))).statusCode, 404);
  });

  test('national roll-up page, CSV and API, with the cases figures suppressed', async () => {
    const page = await t.agent().get(p.national());
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Testford Covenant Partnership/);
    assert.match(page.body, /UK total/);
    const csv = await t.agent().get(p.nationalCsv());
    assert.equal(csv.statusCode, 200);
    assert.match(String(csv.headers['content-type']), /^text\/csv/);
    const lines = csv.body.trimEnd().split('\r\n');
    assert.equal(lines.length, 4);
    // Testford: 8 problems (shown), its twin in Testshire: 0. Actions: 1, done 1, overdue 0.
    assert.match(
      lines.find((l) => l.startsWith('Testford Covenant Partnership,'))!,
      /,1,1,0,8,0$/,
    );
    const api = await t.agent().get(p.api.list());
    assert.equal(api.statusCode, 200);
    const items = JSON.parse(api.body).items as { slug: string; counts: { casesInArea: number | null } }[];
    assert.equal(items.find((i) => i.slug === slug)!.counts.casesInArea, 8);
    const one = JSON.parse((await t.agent().get(p.api.one({ slug }))).body);
    assert.equal(one.officers[0].contact, 'lou@testford.example.gov.uk');
    assert.equal(one.officers[0].userId, undefined);
    assert.equal((await t.agent().get(p.api.one({ slug: 'nope' }))).statusCode, 404);
    const spec = JSON.parse((await t.agent().get('/api/openapi.json')).body);
    assert.ok(spec.paths['/api/v1/partnerships'], 'in the OpenAPI document');
    assert.ok(spec.paths['/api/v1/partnerships/{slug}']);
    // Issue 9 item 5: events (with the iCalendar feed) and exchange opportunities are documented too.
    for (const path of ['/api/v1/events', '/api/v1/events.ics', '/api/v1/opportunities', '/api/v1/resources'])
      assert.ok(spec.paths[path], path);
  });
});
