/**
 * Standards monitoring through the real app (issue 5 item 2): a body officer records consultations, funding
 * agreements and funding changes (bad input answers 422 with the GOV.UK error summary and saves nothing);
 * imports consultations (CSV, GOV.UK JSON) and funding (360Giving CSV and JSON) with a dry run, duplicates
 * and row errors reported, and an idempotent re-import; the public reads findings as pages, CSV and JSON.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { eq } from 'drizzle-orm';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { createUser, signIn } from '../../../test/helpers/accounts.ts';
import { createTestOrganisation } from '../../../test/helpers/cases.ts';
import type { Agent } from '../../../test/helpers/agent.ts';
import { uploadFile } from './standards.test-support.ts';
import { auditLog } from '../../platform/audit/audit.tables.ts';
import { organisations } from '../directory/directory.tables.ts';
import { standardsPaths as p } from './standards.paths.ts';
import {
  standardsConsultations,
  standardsFundingAgreements,
  standardsFundingChanges,
} from './standards.tables.ts';

const dateFields = (name: string, iso: string) => {
  const [y, m, d] = iso.split('-');
  return { [`${name}-day`]: d!, [`${name}-month`]: m!, [`${name}-year`]: y! };
};

function errorSummary(html: string): string {
  const match = /<div class="govuk-error-summary"[\s\S]*?<\/ul>/.exec(html);
  assert.ok(match, 'no error summary on the page');
  return decode(match[0]);
}

const decode = (html: string) =>
  html
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');

/** The hidden text of the dry-run report's confirm form, as the browser would send it back. */
function confirmFields(html: string) {
  const text = /name="text" value="([^"]*)"/.exec(html)?.[1];
  const kind = /name="kind" value="([^"]*)"/.exec(html)?.[1];
  assert.ok(text !== undefined && kind, 'no confirm form on the report');
  const unescape = (v: string) =>
    v
      .replace(/&#39;/g, "'")
      .replace(/&quot;/g, '"')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&');
  return { text: unescape(text), kind };
}

describe('standards monitoring: records, imports and public findings', () => {
  let t: TestApp;
  let bodyId: string;
  let slug: string;
  let officer: Agent;
  let anonymous: Agent;

  before(async () => {
    t = await createTestApp();
    const body = await createTestOrganisation(t.deps, { name: 'Department for Examples' });
    bodyId = body.id;
    slug = (await t.deps.db.get().select().from(organisations).where(eq(organisations.id, bodyId)))[0]!.slug;
    const user = await createUser(t.deps, {
      roles: [{ role: 'body_officer', organisationId: bodyId }],
      totp: true,
    });
    officer = t.agent();
    await signIn(officer, user);
    anonymous = t.agent();
  });
  after(() => t.close());

  const consultations = () =>
    t.deps.db.get().select().from(standardsConsultations).where(eq(standardsConsultations.bodyId, bodyId));
  const agreements = () =>
    t.deps.db
      .get()
      .select()
      .from(standardsFundingAgreements)
      .where(eq(standardsFundingAgreements.funderBodyId, bodyId));

  test('a consultation with bad input is refused with the error summary and nothing is saved', async () => {
    const form = {
      title: '',
      url: 'javascript:alert(1)',
      ...dateFields('opensOn', '2026-03-01'),
      ...dateFields('closesOn', '2026-02-01'),
    };
    const bad = await officer.submit(p.addConsultation({ slug }), form);
    assert.equal(bad.statusCode, 422);
    const summary = errorSummary(bad.body);
    assert.match(summary, /Enter the title of the consultation/);
    assert.match(summary, /web address starting with https:\/\//);
    assert.match(summary, /closed must be the same as or after the date it opened/);
    assert.match(summary, /href="#closesOn-day"/);

    // Under 12 weeks: the form asks whether a reason is stated, and "yes" needs the reason.
    const short = {
      title: 'Short consultation',
      ...dateFields('opensOn', '2026-01-05'),
      ...dateFields('closesOn', '2026-03-29'),
    };
    const unanswered = await officer.submit(p.addConsultation({ slug }), short);
    assert.equal(unanswered.statusCode, 422);
    assert.match(errorSummary(unanswered.body), /ran for less than 12 weeks: say whether/);
    const noReason = await officer.submit(p.addConsultation({ slug }), {
      ...short,
      shortReasonStated: 'yes',
    });
    assert.equal(noReason.statusCode, 422);
    assert.match(errorSummary(noReason.body), /Enter the reason the consultation document gives/);
    const beforeClose = await officer.submit(p.addConsultation({ slug }), {
      ...short,
      shortReasonStated: 'no',
      ...dateFields('responsePublishedOn', '2026-03-01'),
    });
    assert.equal(beforeClose.statusCode, 422);
    assert.match(errorSummary(beforeClose.body), /response date must be the same as or after/);
    assert.equal((await consultations()).length, 0);
  });

  test('an 83-day consultation with no stated reason is saved, audited and becomes a public C1 finding', async () => {
    const saved = await officer.submit(p.addConsultation({ slug }), {
      title: 'Future of village halls',
      url: 'https://www.gov.uk/government/consultations/village-halls',
      ...dateFields('opensOn', '2025-09-01'),
      ...dateFields('closesOn', '2025-11-23'),
      shortReasonStated: 'no',
      ...dateFields('responsePublishedOn', '2025-12-10'),
    });
    assert.equal(saved.statusCode, 303);
    assert.equal(saved.headers.location, p.bodyRecords({ slug }));
    const [row] = await consultations();
    assert.ok(row);
    assert.equal(row.shortReason, null);
    const audit = await t.deps.db.get().select().from(auditLog).where(eq(auditLog.entityId, row.id));
    assert.equal(audit[0]?.action, 'standards.consultation_recorded');

    const page = await anonymous.get(p.bodyFindings({ slug }));
    assert.equal(page.statusCode, 200);
    const html = decode(page.body);
    assert.match(html, /C1 Consultation length: Future of village halls/);
    assert.match(html, /83 days \(11 weeks and 6 days\)/);
    assert.match(html, /Compact 2010/);
    assert.doesNotMatch(html, /C3 Publishing the response: Future/);

    // The officer changes it to 84 days: the finding goes away.
    const edit = await officer.get(p.editConsultation({ slug, consultationId: row.id }));
    assert.equal(edit.statusCode, 200);
    assert.match(edit.body, /value="Future of village halls"/);
    const changed = await officer.submit(p.editConsultation({ slug, consultationId: row.id }), {
      title: 'Future of village halls',
      ...dateFields('opensOn', '2025-09-01'),
      ...dateFields('closesOn', '2025-11-24'),
      ...dateFields('responsePublishedOn', '2025-12-10'),
    });
    assert.equal(changed.statusCode, 303);
    const after = decode((await anonymous.get(p.bodyFindings({ slug }))).body);
    assert.doesNotMatch(after, /C1 Consultation length: Future of village halls/);
  });

  test('funding agreements and changes: bad input refused; F1, F2 and F3 findings from good records', async () => {
    const good = {
      title: 'Advice services grant',
      recipientName: 'Example Advice Centre',
      amount: '12,500.50',
      ...dateFields('startsOn', '2025-04-01'),
      ...dateFields('endsOn', '2026-03-31'),
      multiYearPossible: 'yes',
      overheadsAllowed: 'no',
      paymentTiming: 'advance',
      advanceNeeded: 'no',
    };
    const bad = await officer.submit(p.addAgreement({ slug }), {
      ...good,
      amount: '12.5.0',
      ...dateFields('endsOn', '2025-03-31'),
      overheadsAllowed: '',
    });
    assert.equal(bad.statusCode, 422);
    const summary = errorSummary(bad.body);
    assert.match(summary, /amount must be in pounds/);
    assert.match(summary, /end date must be the same as or after the start date/);
    assert.match(summary, /Say whether the agreement allows a share of overheads/);
    assert.equal((await agreements()).length, 0);

    assert.equal((await officer.submit(p.addAgreement({ slug }), good)).statusCode, 303);
    const [agreement] = await agreements();
    assert.equal(agreement!.amountPence, 1_250_050);

    const change = {
      kind: 'end',
      ...dateFields('noticeOn', '2025-11-30'),
      ...dateFields('effectiveOn', '2026-02-27'),
      reason: 'The programme is closing.',
    };
    const outOfOrder = await officer.submit(p.addChange({ slug, agreementId: agreement!.id }), {
      ...change,
      ...dateFields('effectiveOn', '2025-11-01'),
      reason: '',
    });
    assert.equal(outOfOrder.statusCode, 422);
    assert.match(errorSummary(outOfOrder.body), /takes effect must be the same as or after the notice date/);
    assert.match(errorSummary(outOfOrder.body), /Enter the reasons given with the notice/);
    assert.equal(
      (await officer.submit(p.addChange({ slug, agreementId: agreement!.id }), change)).statusCode,
      303,
    );
    const changes = await t.deps.db
      .get()
      .select()
      .from(standardsFundingChanges)
      .where(eq(standardsFundingChanges.agreementId, agreement!.id));
    assert.equal(changes.length, 1);

    const result = await t.deps.standards.findingsForBody(bodyId);
    assert.equal(result.byStandard.F1, 1);
    assert.equal(result.byStandard.F2, 1);
    assert.equal(result.byStandard.F3, 1);
    const f1 = result.findings.find((f) => f.standard === 'F1')!;
    assert.match(f1.explanation, /2026-02-28 or later/);

    // Editing the change to exactly 3 months (30 November → 28 February) clears F1.
    const edited = await officer.submit(
      p.editChange({ slug, agreementId: agreement!.id, changeId: changes[0]!.id }),
      { ...change, ...dateFields('effectiveOn', '2026-02-28') },
    );
    assert.equal(edited.statusCode, 303);
    assert.equal((await t.deps.standards.findingsForBody(bodyId)).byStandard.F1, 0);

    const records = await officer.get(p.bodyRecords({ slug }));
    assert.equal(records.statusCode, 200);
    assert.match(decode(records.body), /£12,500.50/);
  });

  test('consultations CSV: the dry run reports row errors and duplicates, saves nothing; then imports once', async () => {
    const before = (await consultations()).length;
    const badCsv = [
      'id,title,url,opens_on,closes_on,response_published_on,short_reason',
      'c-1,Bus routes,https://example.gov.uk/bus,2026-01-05,2026-02-02,,Urgent',
      'c-1,Bus routes again,,2026-01-05,2026-02-02,,',
      'c-2,,,2026-01-05,2026-01-01,,',
      'c-3,Parks,,05/01/2026,30/02/2026,,',
    ].join('\n');
    const dry = await uploadFile(officer, slug, 'consultations', 'c.csv', badCsv);
    assert.equal(dry.statusCode, 422);
    const summary = errorSummary(dry.body);
    assert.match(summary, /Row 3: This record appears twice in the file \(first on row 2\)/);
    assert.match(summary, /Row 4: Enter the title of the consultation/);
    assert.match(summary, /Row 4: The date it closed must be the same as or after/);
    assert.match(summary, /Row 5: The date it closed must be a real date/);
    assert.equal((await consultations()).length, before);

    const goodCsv = [
      'id,title,url,opens_on,closes_on,response_published_on,short_reason',
      'c-1,Bus routes,https://example.gov.uk/bus,2025-06-02,2025-06-30,2025-08-01,',
      'c-2,"Parks, play areas",,02/06/2025,25/08/2025,,',
    ].join('\r\n');
    const ok = await uploadFile(officer, slug, 'consultations', 'c.csv', goodCsv);
    assert.equal(ok.statusCode, 200);
    assert.match(decode(ok.body), /2 new, 0 changed, 0 unchanged/);
    assert.equal((await consultations()).length, before, 'the dry run saved something');
    const confirm = await officer.post(
      p.importConfirm({ slug }),
      confirmFields(ok.body),
      p.importFile({ slug }),
    );
    assert.equal(confirm.statusCode, 303);
    assert.equal((await consultations()).length, before + 2);
    const audit = await t.deps.db
      .get()
      .select()
      .from(auditLog)
      .where(eq(auditLog.action, 'standards.imported'));
    assert.equal(audit.length, 1);

    // The same file again: nothing new, nothing changed.
    const again = await uploadFile(officer, slug, 'consultations', 'c.csv', goodCsv);
    assert.match(decode(again.body), /0 new, 0 changed, 2 unchanged/);
    await officer.post(p.importConfirm({ slug }), confirmFields(again.body), p.importFile({ slug }));
    assert.equal((await consultations()).length, before + 2);

    const result = await t.deps.standards.findingsForBody(bodyId, { standard: 'C1' });
    assert.ok(result.findings.some((f) => f.title === 'Bus routes'));
    // Parks closed 84 days after opening: no C1; no response 100+ days after closing: C3.
    assert.ok(!result.findings.some((f) => f.title === 'Parks, play areas'));
    const c3 = await t.deps.standards.findingsForBody(bodyId, { standard: 'C3' });
    assert.ok(c3.findings.some((f) => f.title === 'Parks, play areas'));
  });

  test('GOV.UK consultation JSON: a single content item and search results; bad JSON is a clear message', async () => {
    const item = {
      title: 'Reforming the allotment rules',
      base_path: '/government/consultations/allotments',
      document_type: 'consultation_outcome',
      details: {
        opening_date: '2025-07-01T09:00:00.000+01:00',
        closing_date: '2025-09-23T23:59:00.000+01:00',
        final_outcome_publication_date: '2025-12-20T10:00:00.000+00:00',
      },
    };
    const one = await uploadFile(officer, slug, 'consultations', 'item.json', JSON.stringify(item));
    assert.equal(one.statusCode, 200);
    assert.match(decode(one.body), /1 new/);
    await officer.post(p.importConfirm({ slug }), confirmFields(one.body), p.importFile({ slug }));
    const [row] = (await consultations()).filter((c) => c.title === 'Reforming the allotment rules');
    assert.ok(row);
    assert.equal(row.opensOn, '2025-07-01');
    assert.equal(row.closesOn, '2025-09-23');
    assert.equal(row.responsePublishedOn, '2025-12-20');
    assert.equal(row.url, 'https://www.gov.uk/government/consultations/allotments');
    assert.equal(row.source, 'govuk_json');

    const search = {
      results: [
        { ...item, details: { ...item.details, closing_date: '2025-09-30T23:59:00.000+01:00' } },
        { title: 'No dates here', base_path: '/government/consultations/no-dates' },
      ],
    };
    const report = await uploadFile(officer, slug, 'consultations', 'search.json', JSON.stringify(search));
    assert.equal(report.statusCode, 422);
    assert.match(errorSummary(report.body), /Row 2: Enter the date the consultation opened/);

    const broken = await uploadFile(officer, slug, 'consultations', 'broken.json', '{"title": ');
    assert.equal(broken.statusCode, 422);
    assert.match(errorSummary(broken.body), /could not be read as JSON/);
    const wrong = await uploadFile(officer, slug, 'consultations', 'wrong.json', '{"grants": 3}');
    assert.equal(wrong.statusCode, 422);
    assert.match(errorSummary(wrong.body), /not a GOV.UK consultation/);
    const header = await uploadFile(officer, slug, 'consultations', 'x.csv', 'name,date\nA,2026-01-01\n');
    assert.match(errorSummary(header.body), /must have the columns title, opens_on and closes_on/);
    const nothing = await uploadFile(officer, slug, 'consultations', 'x.csv', '');
    assert.match(errorSummary(nothing.body), /Select a file|empty/);
  });

  test('360Giving CSV and JSON import funding agreements; another funder’s grant is a row error', async () => {
    const csv = [
      'Identifier,Title,Amount Awarded,Currency,Award Date,Planned Dates:Start Date,Planned Dates:End Date,Recipient Org:Identifier,Recipient Org:Name,Funding Org:Name,Overheads Allowed,Payment Timing,Advance Needed',
      '360G-ex-001,Youth work,"25,000",GBP,2025-03-01,2025-04-01,2026-03-31,GB-CHC-1,Youth Club,Department for Examples,no,arrears,yes',
      '360G-ex-002,Food bank,5000,GBP,2025-03-01,2025-04-01,2028-03-31,GB-CHC-2,Food Bank,Other Council,,,',
      '360G-ex-003,Lunch club,lots,GBP,2025-03-01,2025-04-01,2026-03-31,GB-CHC-3,Lunch Club,,,,',
    ].join('\n');
    const bad = await uploadFile(officer, slug, 'funding', 'grants.csv', csv);
    assert.equal(bad.statusCode, 422);
    const summary = errorSummary(bad.body);
    assert.match(summary, /Row 3: This grant was made by Other Council, not by this body/);
    assert.match(summary, /Row 4: Amount Awarded must be an amount in pounds/);

    const good = csv.split('\n').slice(0, 2).join('\n');
    const ok = await uploadFile(officer, slug, 'funding', 'grants.csv', good);
    assert.equal(ok.statusCode, 200);
    await officer.post(p.importConfirm({ slug }), confirmFields(ok.body), p.importFile({ slug }));
    const imported = (await agreements()).find((a) => a.externalId === '360G-ex-001');
    assert.ok(imported);
    assert.equal(imported.amountPence, 2_500_000);
    assert.equal(imported.overheadsAllowed, false);
    assert.equal(imported.paymentTiming, 'arrears');
    assert.equal(imported.source, '360giving');

    const json = {
      grants: [
        {
          id: '360G-ex-001',
          title: 'Youth work (revised)',
          amountAwarded: 30000,
          currency: 'GBP',
          awardDate: '2025-03-01',
          plannedDates: [{ startDate: '2025-04-01', duration: 36 }],
          recipientOrganization: [{ id: 'GB-CHC-1', name: 'Youth Club' }],
          fundingOrganization: [{ name: 'Department for Examples' }],
        },
      ],
    };
    const update = await uploadFile(officer, slug, 'funding', 'grants.json', JSON.stringify(json));
    assert.equal(update.statusCode, 200);
    assert.match(decode(update.body), /0 new, 1 changed/);
    await officer.post(p.importConfirm({ slug }), confirmFields(update.body), p.importFile({ slug }));
    const revised = (await agreements()).find((a) => a.externalId === '360G-ex-001')!;
    assert.equal(revised.title, 'Youth work (revised)');
    assert.equal(revised.endsOn, '2028-03-31');
    assert.equal(revised.amountPence, 3_000_000);
    // The JSON says nothing about overheads or payment: what was recorded before stays.
    assert.equal(revised.overheadsAllowed, false);
    assert.equal(revised.paymentTiming, 'arrears');
    const shape = await uploadFile(officer, slug, 'funding', 'g.json', '{"items": []}');
    assert.match(errorSummary(shape.body), /not 360Giving data/);
  });

  test('the confirm form is checked again: a tampered file saves nothing', async () => {
    const before = (await consultations()).length;
    const form = { kind: 'consultations', text: 'title,opens_on,closes_on\nX,2026-02-01,2026-01-01\n' };
    const response = await officer.post(p.importConfirm({ slug }), form, p.importFile({ slug }));
    assert.equal(response.statusCode, 422);
    assert.match(errorSummary(response.body), /Row 2/);
    assert.equal((await consultations()).length, before);
  });

  test('public findings: the list filters by standard and body, the CSV is formula-safe, the API answers', async () => {
    // A record whose title a spreadsheet would run as a formula.
    await officer.submit(p.addConsultation({ slug }), {
      title: '=HYPERLINK("http://evil.example","x")',
      ...dateFields('opensOn', '2026-01-05'),
      ...dateFields('closesOn', '2026-01-19'),
      shortReasonStated: 'no',
    });
    const all = await anonymous.get(p.findings());
    assert.equal(all.statusCode, 200);
    assert.match(decode(all.body), /Department for Examples/);
    const f2 = decode((await anonymous.get(p.findings({ standard: 'F2', body: slug }))).body);
    assert.match(f2, /F2 Full cost recovery: Youth work/);
    assert.doesNotMatch(f2, /C1 Consultation length:/);
    const unknown = decode((await anonymous.get(p.findings({ body: 'no-such-body' }))).body);
    assert.match(unknown, /There are no findings for these filters/);
    // Nonsense filters are ignored, not an error page.
    assert.equal((await anonymous.get(`${p.findings()}?standard=ZZ&body=%3Cscript%3E`)).statusCode, 200);

    const csv = await anonymous.get(p.findingsCsv({ body: slug }));
    assert.equal(csv.statusCode, 200);
    assert.match(String(csv.headers['content-type']), /text\/csv/);
    assert.match(csv.body, /^\uFEFFstandard,standard_name,body,body_slug,title,date,explanation,rule,source/);
    assert.match(csv.body, /"'=HYPERLINK\(""http:\/\/evil.example"",""x""\)"/);
    assert.doesNotMatch(csv.body, /(^|,)=HYPERLINK/m);

    const api = await anonymous.get(p.api.bodyFindings({ slug }), { accept: 'application/json' });
    assert.equal(api.statusCode, 200);
    const json = api.json() as {
      total: number;
      byStandard: Record<string, number>;
      findings: { rule: string }[];
    };
    assert.equal(json.total, json.findings.length);
    assert.ok(json.byStandard.C1! >= 2);
    assert.ok(json.findings.every((f) => f.rule.length > 0));
    const list = await anonymous.get(p.api.findings({ standard: 'F2' }), { accept: 'application/json' });
    const listed = list.json() as { findings: { standard: string; body: { slug: string } }[] };
    assert.ok(listed.findings.length >= 1);
    assert.ok(listed.findings.every((f) => f.standard === 'F2'));
    assert.equal((await anonymous.get(p.api.bodyFindings({ slug: 'no-such-body' }))).statusCode, 404);

    const openapi = (await anonymous.get('/api/openapi.json')).json() as { paths: Record<string, unknown> };
    assert.ok(openapi.paths['/api/v1/standards/findings']);
    assert.ok(openapi.paths['/api/v1/bodies/{slug}/findings']);
  });
});
