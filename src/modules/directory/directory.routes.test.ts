import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { csrfTokenIn, type Agent } from '../../../test/helpers/agent.ts';
import { createOrganisation, createUser, signIn } from '../../../test/helpers/accounts.ts';
import { auditLog } from '../../platform/audit/audit.tables.ts';
import { systemActor } from '../../platform/audit/audit.ts';
import { ensureCovenantReference } from '../covenant/covenant.seed.ts';
import { seedDirectoryDemo } from './directory.demo.ts';
import { directoryPaths as p } from './directory.paths.ts';
import { paginationItems } from './directory.routes.ts';

const CSV_HEADER =
  'name,charity_number,register,company_number,income_band,nation,region,local_authority_gss,areas_of_work';

/** Posts a CSV file as a browser would: multipart/form-data with the page's CSRF token. */
async function upload(agent: Agent, csv: string, filename = 'organisations.csv') {
  const page = await agent.get(p.adminImport());
  const token = csrfTokenIn(page.body);
  const boundary = '----covenant-test-boundary';
  const payload = [
    `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${token}\r\n`,
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: text/csv\r\n\r\n${csv}\r\n`,
    `--${boundary}--\r\n`,
  ].join('');
  const cookie = [...agent.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  return agent.app.inject({
    method: 'POST',
    url: p.adminImport(),
    headers: { cookie, 'content-type': `multipart/form-data; boundary=${boundary}`, accept: 'text/html' },
    payload,
  });
}

async function auditActions(t: TestApp): Promise<string[]> {
  const rows = await t.deps.db.get().select({ action: auditLog.action }).from(auditLog);
  return rows.map((r) => r.action);
}

describe('directory pages', () => {
  let t: TestApp;
  let adminAgent: Agent;
  let dcmsId: string;
  before(async () => {
    t = await createTestApp();
    await ensureCovenantReference(t.deps.db, t.clock);
    await t.deps.db.transaction(() => seedDirectoryDemo(t.deps));
    dcmsId = (await t.deps.directoryRepository.findBySlug('department-for-culture-media-and-sport'))!.id;
    const team = await createOrganisation(t.deps, { kind: 'covenant_team' });
    const admin = await createUser(t.deps, {
      roles: [{ role: 'admin', organisationId: team.id }],
      totp: true,
    });
    adminAgent = t.agent();
    await signIn(adminAgent, admin);
  });
  after(() => t.close());

  test('search works without JavaScript: a GET form with filters, results and GOV.UK pagination', async () => {
    const res = await t.agent().get(p.search());
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /<form method="get" action="\/directory"/);
    for (const name of ['q', 'kind', 'type', 'nation', 'region', 'income', 'area'])
      assert.match(res.body, new RegExp(`name="${name}"`), name);
    assert.match(res.body, /govuk-pagination/);
    assert.match(res.body, /href="\/directory\?page=2"/);

    const food = await t.agent().get(p.search({ q: 'food bank', kind: 'cso' }));
    assert.match(food.body, /Food Bank \(demo\)/);
    assert.doesNotMatch(food.body, /govuk-pagination/);

    const wales = await t.agent().get(p.search({ kind: 'cso', nation: 'wales', income: 'micro' }));
    assert.match(wales.body, /Cardiff/);
    assert.doesNotMatch(wales.body, /Leeds [A-Z][a-z]+ [A-Za-z ]*\(demo\)/);
    assert.match(wales.body, /<option value="wales" selected>/);

    const councils = await t.agent().get(p.search({ type: 'local_authority', q: 'leeds' }));
    assert.match(councils.body, /href="\/directory\/bodies\/leeds-city-council"/);
    // A nonsense filter is ignored rather than failing the page.
    assert.equal((await t.agent().get(p.search({ nation: 'atlantis', page: 'x' }))).statusCode, 200);
  });

  test('pagination items: first, last, neighbours and ellipses', () => {
    const items = paginationItems(10, 20, (n) => `/d?page=${n}`);
    assert.deepEqual(
      items.map((i) => ('ellipsis' in i ? '…' : i.number)),
      [1, '…', 8, 9, 10, 11, 12, '…', 20],
    );
  });

  test("a body's page: type, parent, nation, codes, leads with contact routes, stale notice, pledges", async () => {
    const dcms = await t.agent().get(p.body({ slug: 'department-for-culture-media-and-sport' }));
    assert.equal(dcms.statusCode, 200);
    assert.match(dcms.body, /Government department/);
    assert.match(dcms.body, /Demo Minister/);
    assert.match(dcms.body, /mailto:covenant-leads@department-for-culture-media-and-sport\.example\.gov\.uk/);
    assert.doesNotMatch(dcms.body, /have not all been confirmed/);
    assert.match(dcms.body, /has not signed the Covenant yet/);

    const leeds = await t.agent().get(p.body({ slug: 'leeds-city-council' }));
    assert.match(leeds.body, /E08000035/);
    assert.match(leeds.body, /have not all been confirmed in the last 6 months/);
    assert.match(leeds.body, /Needs confirming/);

    const agency = await t.deps.directoryRepository.findBySlug('arts-council-england');
    if (agency?.parentId) {
      const page = await t.agent().get(p.body({ slug: agency.slug }));
      assert.match(page.body, /Part of/);
    }
    assert.equal((await t.agent().get(p.body({ slug: 'no-such-body' }))).statusCode, 404);
    // An organisation is not a body, and the other way round.
    const [cso] = (await t.deps.directory.search({ kinds: ['cso'], limit: 1, offset: 0 })).hits;
    assert.equal((await t.agent().get(p.body({ slug: cso!.slug }))).statusCode, 404);
    assert.equal((await t.agent().get(p.organisation({ slug: 'leeds-city-council' }))).statusCode, 404);
  });

  test("an organisation's page: identifiers with org-ids, income band, place, areas, pledges", async () => {
    const [hit] = (
      await t.deps.directory.search({ q: 'Leeds Food Bank', kinds: ['cso'], limit: 1, offset: 0 })
    ).hits;
    const org = (await t.deps.directoryRepository.findBySlug(hit!.slug))!;
    const orgUser = await createUser(t.deps, { roles: [{ role: 'cso_admin', organisationId: org.id }] });
    const pledges = await t.deps.covenant.pledges();
    const session = await t.deps.sessions.resolve(
      await t.deps.sessions.start(orgUser.id, { secondFactorDone: true }),
    );
    assert.equal(session.kind, 'complete');
    await t.deps.covenant.sign(session.kind === 'complete' ? session.user : null, systemActor, null, {
      organisationId: org.id,
      signatoryName: 'Pat Chair',
      signatoryRole: 'Chair',
      pledges: [pledges[0]!.id],
      ownPledges: ['We answer every consultation in plain words.'],
      confirm: true,
    });
    const res = await t.agent().get(p.organisation({ slug: org.slug }));
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /GB-CHC-1999000/);
    assert.match(res.body, /Charity Commission for England and Wales/);
    assert.match(res.body, /GB-COH-09999000/);
    assert.match(res.body, /Micro \(under £10,000\)/);
    assert.match(res.body, /href="\/directory\/bodies\/leeds-city-council"/);
    assert.match(res.body, /Signed by Pat Chair, Chair/);
    assert.match(res.body, /We answer every consultation in plain words\./);
  });

  test('public pages carry an ETag for anonymous visitors and answer 304', async () => {
    for (const url of [p.body({ slug: 'leeds-city-council' }), p.search({ q: 'leeds' })]) {
      const first = await t.agent().get(url);
      const etag = String(first.headers.etag);
      assert.match(etag, /^W\/"/);
      const again = await t.agent().get(url, { 'if-none-match': etag });
      assert.equal(again.statusCode, 304);
      assert.equal(again.body, '');
    }
    // Signed in: the page names the person, so no ETag.
    const signedIn = await adminAgent.get(p.body({ slug: 'leeds-city-council' }));
    assert.equal(signedIn.headers.etag, undefined);
    assert.match(signedIn.body, /Change accountable leads/);
  });

  test('leads: only admins and the body’s own body_lead may edit; saving is validated, confirmed and audited', async () => {
    const url = p.leads({ slug: 'leeds-city-council' });
    const anon = await t.agent().get(url);
    assert.equal(anon.statusCode, 303);
    assert.match(String(anon.headers.location), /^\/sign-in/);

    const other = await createUser(t.deps, {
      roles: [{ role: 'body_lead', organisationId: dcmsId }],
      totp: true,
    });
    const otherAgent = t.agent();
    await signIn(otherAgent, other);
    assert.equal((await otherAgent.get(url)).statusCode, 403);
    assert.doesNotMatch(
      (await otherAgent.get(p.body({ slug: 'leeds-city-council' }))).body,
      /Change accountable leads/,
    );

    const leeds = (await t.deps.directoryRepository.findBySlug('leeds-city-council'))!;
    const lead = await createUser(t.deps, {
      roles: [{ role: 'body_lead', organisationId: leeds.id }],
      totp: true,
    });
    const agent = t.agent();
    await signIn(agent, lead);
    const form = await agent.get(url);
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /value="Demo Officer"/);

    const bad = await agent.submit(url, {
      'local_accountable_officer-name': 'Sam Officer',
      'local_accountable_officer-roleTitle': '',
      'local_accountable_officer-contact': 'not a contact',
    });
    assert.equal(bad.statusCode, 422);
    assert.match(bad.body, /govuk-error-summary/);
    assert.match(bad.body, /Enter the lead’s job title/);
    assert.match(bad.body, /Enter a public contact/);

    const saved = await agent.submit(url, {
      'local_accountable_officer-name': 'Sam Officer',
      'local_accountable_officer-roleTitle': 'Director of Communities',
      'local_accountable_officer-contact': 'https://www.leeds.gov.uk/covenant',
      'ministerial-name': '',
      confirm: 'yes',
    });
    assert.equal(saved.statusCode, 303);
    assert.equal(saved.headers.location, p.body({ slug: 'leeds-city-council' }));
    const page = await t.agent().get(p.body({ slug: 'leeds-city-council' }));
    assert.match(page.body, /Sam Officer/);
    assert.match(page.body, /href="https:\/\/www\.leeds\.gov\.uk\/covenant"/);
    assert.doesNotMatch(page.body, /have not all been confirmed/);
    assert.ok((await auditActions(t)).includes('directory.leads_saved'));
  });

  test('saveLeads: a blank role removes its lead; without confirm the confirmation date is kept', async () => {
    const body = (await t.deps.directoryRepository.findBySlug('department-for-culture-media-and-sport'))!;
    const before = await t.deps.directoryRepository.leadsOf(body.id);
    const minister = before.find((l) => l.role === 'ministerial')!;
    const res = await adminAgent.submit(p.leads({ slug: body.slug }), {
      'ministerial-name': 'New Minister',
      'ministerial-roleTitle': minister.roleTitle,
      'ministerial-contact': 'minister@dcms.example.gov.uk',
      'senior_civil_service-name': '',
      'senior_civil_service-roleTitle': '',
      'senior_civil_service-contact': '',
    });
    assert.equal(res.statusCode, 303);
    const leads = await t.deps.directoryRepository.leadsOf(body.id);
    assert.deepEqual(
      leads.map((l) => l.role),
      ['ministerial'],
    );
    assert.equal(leads[0]!.name, 'New Minister');
    assert.equal(leads[0]!.contactEmail, 'minister@dcms.example.gov.uk');
    assert.equal(leads[0]!.confirmedAt?.getTime(), minister.confirmedAt?.getTime());
  });

  test('the reminder emails the body_lead accounts of a body with stale leads, once in 30 days', async () => {
    const hartlepool = (await t.deps.directoryRepository.findBySlug('hartlepool-borough-council'))!;
    const longAgo = new Date(t.clock.now().getTime() - 200 * 86_400_000);
    await t.deps.directoryRepository.upsertLead(
      hartlepool.id,
      'local_accountable_officer',
      {
        name: 'Old Officer',
        roleTitle: 'Chief Executive',
        contactEmail: 'ceo@hartlepool.example.gov.uk',
        contactUrl: null,
      },
      longAgo,
      true,
    );
    const person = await createUser(t.deps, {
      email: 'lead@hartlepool.example.gov.uk',
      roles: [{ role: 'body_lead', organisationId: hartlepool.id }],
    });
    const first = await t.deps.directory.remindStaleLeads();
    assert.deepEqual(first.emailed, [{ slug: hartlepool.slug, recipients: 1 }]);
    await t.deliverEmails();
    const email = t.mail.lastTo(person.email);
    assert.ok(email, 'the body lead was emailed');
    assert.match(email.subject, /confirm the accountable leads for Hartlepool/);
    assert.match(email.text, /\/directory\/bodies\/hartlepool-borough-council\/leads/);
    assert.deepEqual((await t.deps.directory.remindStaleLeads()).emailed, []);
    const now = t.clock.now();
    t.clock.advance(31 * 86_400_000);
    assert.deepEqual((await t.deps.directory.remindStaleLeads()).emailed, [
      { slug: hartlepool.slug, recipients: 1 },
    ]);
    assert.ok((await auditActions(t)).includes('directory.leads_reminders_sent'));
    t.clock.set(now); // sessions in the other tests stay fresh
  });

  test('CSV import: admins only; upload → dry-run report with row errors → nothing imported', async () => {
    const org = await createOrganisation(t.deps);
    const member = await createUser(t.deps, { roles: [{ role: 'cso_admin', organisationId: org.id }] });
    const memberAgent = t.agent();
    await signIn(memberAgent, member);
    assert.equal((await memberAgent.get(p.adminImport())).statusCode, 403);

    const csv = `${CSV_HEADER}\nGood Group,1999500,,,small,england,,E08000035,community\nBad Group,12,,,huge,,,,\n`;
    const res = await upload(adminAgent, csv, 'bad.csv');
    assert.equal(res.statusCode, 303);
    const report = await adminAgent.get(String(res.headers.location));
    assert.equal(report.statusCode, 200);
    assert.match(report.body, /bad\.csv/);
    assert.match(report.body, /Rows with problems/);
    assert.match(report.body, /12 is not an England and Wales charity number/);
    assert.match(report.body, /Income band must be one of/);
    assert.doesNotMatch(report.body, /Import these organisations/);
    // Confirming anyway imports nothing.
    const confirm = await adminAgent.post(String(res.headers.location), {}, String(res.headers.location));
    assert.equal(confirm.statusCode, 303);
    assert.equal(
      (await t.deps.directory.search({ q: 'Good Group', kinds: ['cso'], limit: 5, offset: 0 })).total,
      0,
    );
  });

  test('CSV import: a file problem re-renders the form with 422; an empty form asks for a file', async () => {
    const wrong = await upload(adminAgent, 'title,number\nA,1\n');
    assert.equal(wrong.statusCode, 422);
    assert.match(wrong.body, /govuk-error-summary/);
    assert.match(wrong.body, /expected/);
    const empty = await upload(adminAgent, '');
    assert.equal(empty.statusCode, 422);
    assert.match(empty.body, /Select a CSV file/);
  });

  test('CSV import: confirm imports the checked file once; a second confirm changes nothing', async () => {
    const csv = `${CSV_HEADER}\nRiverside Tenants Group,1999600,,,small,england,,E08000035,housing\nValley Arts,SC099600,scotland,,medium,scotland,,S12000049,arts-culture\n`;
    const res = await upload(adminAgent, csv);
    const reportUrl = String(res.headers.location);
    const report = await adminAgent.get(reportUrl);
    assert.match(report.body, /2 rows: 2 new, 0 updated, 0 unchanged/);
    assert.match(report.body, /Import these organisations/);
    const confirmed = await adminAgent.submit(reportUrl, {});
    assert.equal(confirmed.statusCode, 303);
    const listed = await adminAgent.get(String(confirmed.headers.location));
    assert.match(listed.body, /Imported 2 rows: 2 new/);
    assert.equal(
      (await t.deps.directory.search({ q: 'Riverside Tenants', kinds: ['cso'], limit: 5, offset: 0 })).total,
      1,
    );
    assert.ok((await auditActions(t)).includes('directory.organisations_imported'));

    const again = await adminAgent.post(reportUrl, {}, p.adminImport());
    assert.equal(again.statusCode, 303);
    assert.match((await adminAgent.get(String(again.headers.location))).body, /already been imported/);
    // Uploading the same file again plans no change (idempotent re-import).
    const second = await upload(adminAgent, csv);
    assert.match(
      (await adminAgent.get(String(second.headers.location))).body,
      /2 rows: 0 new, 0 updated, 2 unchanged/,
    );
    assert.equal((await adminAgent.get(p.adminImportReport({ uploadId: 'nope' }))).statusCode, 404);
  });
});

describe('directory API', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
    await t.deps.db.transaction(() => seedDirectoryDemo(t.deps));
  });
  after(() => t.close());

  test('bodies, a body, its leads, organisations and an organisation, in the OpenAPI document', async () => {
    const api = (url: string) =>
      t.app.inject({ method: 'GET', url, headers: { accept: 'application/json' } });
    const bodies = await api(p.api.bodies({ q: 'leeds', type: 'local_authority' }));
    assert.equal(bodies.statusCode, 200);
    const list = bodies.json() as { total: number; data: { slug: string; gssCode: string }[] };
    assert.ok(list.data.some((b) => b.slug === 'leeds-city-council' && b.gssCode === 'E08000035'));

    const dcms = (await api(p.api.body({ slug: 'department-for-culture-media-and-sport' }))).json() as {
      data: { type: string; leads: { role: string; contactEmail: string; needsConfirming: boolean }[] };
    };
    assert.equal(dcms.data.type, 'department');
    assert.equal(dcms.data.leads.length, 2);

    const leads = (await api(p.api.bodyLeads({ slug: 'leeds-city-council' }))).json() as {
      data: { role: string }[];
      needsConfirming: boolean;
    };
    assert.equal(leads.data[0]!.role, 'local_accountable_officer');
    assert.equal(leads.needsConfirming, true);
    assert.equal((await api(p.api.body({ slug: 'nope' }))).statusCode, 404);

    const orgs = (await api(p.api.organisations({ nation: 'scotland' }))).json() as {
      data: { slug: string; nation: string; identifiers: { orgId: string }[] }[];
    };
    assert.ok(orgs.data.length > 0);
    assert.ok(orgs.data.every((o) => o.nation === 'scotland'));
    assert.ok(orgs.data.some((o) => o.identifiers.some((i) => /^GB-SC-SC/.test(i.orgId))));
    const one = (await api(p.api.organisation({ slug: orgs.data[0]!.slug }))).json() as {
      data: { slug: string };
    };
    assert.equal(one.data.slug, orgs.data[0]!.slug);
    assert.equal((await api(p.api.organisations({ nation: 'atlantis' }))).statusCode, 400);

    const doc = (await api('/api/openapi.json')).json() as { paths: Record<string, unknown> };
    for (const path of [
      '/api/v1/bodies',
      '/api/v1/bodies/{slug}',
      '/api/v1/bodies/{slug}/leads',
      '/api/v1/organisations',
      '/api/v1/organisations/{slug}',
    ])
      assert.ok(doc.paths[path], `${path} is in the OpenAPI document`);
  });
});
