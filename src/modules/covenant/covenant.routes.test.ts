import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Validator } from '@seriousme/openapi-schema-validator';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import type { Agent } from '../../../test/helpers/agent.ts';
import { memberships, users, type Role } from '../accounts/accounts.tables.ts';
import { organisations, type OrganisationKind } from '../directory/directory.tables.ts';
import { auditLog } from '../../platform/audit/audit.tables.ts';
import { ensureCovenantReference } from './covenant.seed.ts';
import { covenantPaths as p } from './covenant.paths.ts';

/** Until shared account factories settle: a person with roles and a signed-in agent, made directly. */
async function organisation(t: TestApp, kind: OrganisationKind = 'cso') {
  const suffix = randomBytes(4).toString('hex');
  const [row] = await t.deps.db
    .get()
    .insert(organisations)
    .values({ name: `Organisation ${suffix}`, slug: `org-${suffix}`, kind })
    .returning();
  return row!;
}

async function signedIn(t: TestApp, roles: { role: Role; organisationId: string }[]): Promise<Agent> {
  const staff = roles.some((r) => ['body_officer', 'body_lead', 'panel_member', 'admin'].includes(r.role));
  const [user] = await t.deps.db
    .get()
    .insert(users)
    .values({
      email: `person-${randomBytes(4).toString('hex')}@example.org`,
      displayName: 'Test Person',
      emailVerifiedAt: t.clock.now(),
      totpEnabledAt: staff ? t.clock.now() : null,
    })
    .returning();
  if (roles.length)
    await t.deps.db
      .get()
      .insert(memberships)
      .values(roles.map((r) => ({ userId: user!.id, ...r })));
  const token = await t.deps.sessions.start(user!.id, { secondFactorDone: true });
  const agent = t.agent();
  agent.cookies.set('covenant_session', token);
  return agent;
}

describe('Covenant pages', () => {
  let t: TestApp;
  let adminAgent: Agent;
  before(async () => {
    t = await createTestApp();
    await ensureCovenantReference(t.deps.db, t.clock);
    const team = await organisation(t, 'covenant_team');
    adminAgent = await signedIn(t, [{ role: 'admin', organisationId: team.id }]);
  });
  after(() => t.close());

  test('public pages answer 200 for anonymous visitors', async () => {
    const anon = t.agent();
    for (const url of [
      p.show(),
      p.principle({ slug: 'recognition-and-value' }),
      p.versions(),
      p.compare(),
      p.subCovenants(),
      p.signatories(),
    ]) {
      const res = await anon.get(url);
      assert.equal(res.statusCode, 200, `${url}: ${res.body.slice(0, 300)}`);
    }
  });

  test('the Covenant page has an anchor per paragraph and marks unverified items', async () => {
    const res = await t.agent().get(p.show());
    assert.match(res.body, /id="p-in3f7a2k"/);
    assert.match(res.body, /href="#p-rvg1a8kd"/);
    assert.match(res.body, /To be confirmed/);
  });

  test('a principle page lists commitments by side and its measurable standards', async () => {
    const res = await t.agent().get(p.principle({ slug: 'partnership-and-collaboration' }));
    assert.match(res.body, /Government commits to/);
    assert.match(res.body, /PC-G1/);
    assert.match(res.body, /<strong>C1<\/strong>/);
    assert.match(res.body, /Compact 2010, outcome 4/);
    assert.equal((await t.agent().get(p.principle({ slug: 'nope' }))).statusCode, 404);
  });

  test('public pages carry an ETag and answer 304 when it matches', async () => {
    const first = await t.agent().get(p.show());
    const etag = String(first.headers.etag);
    assert.match(etag, /^W\/"/);
    const again = await t.agent().get(p.show(), { 'if-none-match': etag });
    assert.equal(again.statusCode, 304);
    assert.equal(again.body, '');
    const other = await t.agent().get(p.show(), { 'if-none-match': 'W/"something-else"' });
    assert.equal(other.statusCode, 200);
  });

  test('admin pages send anonymous visitors to sign in and refuse other roles', async () => {
    const anon = await t.agent().get(p.admin());
    assert.equal(anon.statusCode, 303);
    assert.match(String(anon.headers.location), /^\/sign-in/);
    const org = await organisation(t);
    const member = await signedIn(t, [{ role: 'cso_admin', organisationId: org.id }]);
    assert.equal((await member.get(p.admin())).statusCode, 403);
    assert.equal((await adminAgent.get(p.admin())).statusCode, 200);
  });

  test('edit a draft with a citation, publish, and compare: keys stay stable, words are diffed', async () => {
    const start = await adminAgent.post(p.adminDraft(), {}, p.admin());
    assert.equal(start.statusCode, 303);
    const draftPage = await adminAgent.get(p.adminDraft());
    assert.equal(draftPage.statusCode, 200);

    const key = 'p-in5d8c4r';
    const empty = await adminAgent.submit(p.adminParagraph({ key }), { kind: 'text', text: ' ' });
    assert.equal(empty.statusCode, 422);
    assert.match(empty.body, /govuk-error-summary/);
    assert.match(empty.body, /Enter the text of the paragraph/);

    const badUrl = await adminAgent.submit(p.adminParagraph({ key }), {
      kind: 'text',
      text: 'x',
      citationUrl: 'javascript:alert(1)',
    });
    assert.equal(badUrl.statusCode, 422);
    assert.match(badUrl.body, /Enter a link that starts with https/);

    const unknown = await adminAgent.submit(p.adminParagraph({ key }), {
      kind: 'text',
      text: 'x',
      commitmentCode: 'ZZ-9',
    });
    assert.equal(unknown.statusCode, 422);
    assert.match(unknown.body, /Enter the code of an existing commitment/);

    const saved = await adminAgent.submit(p.adminParagraph({ key }), {
      kind: 'text',
      text: 'The Civil Society Covenant is a partnership between government and civil society across the UK, published in July 2025. It replaces the Compact of 2010. It is not legally binding: it sets out principles that both sides commit to.',
      citationReference: 'Consultation 2026, response 14',
      citationUrl: 'https://example.org/responses/14',
    });
    assert.equal(saved.statusCode, 303);

    const added = await adminAgent.submit(p.adminParagraphNew(), {
      kind: 'text',
      text: 'A brand new paragraph.',
      after: key,
    });
    assert.equal(added.statusCode, 303);
    const newKey = /#(p-[a-z0-9]+)/.exec(String(added.headers.location))?.[1];
    assert.ok(newKey);

    const noSummary = await adminAgent.submit(p.adminPublish(), { changeSummary: '' });
    assert.equal(noSummary.statusCode, 422);
    assert.match(noSummary.body, /Enter a summary of what changed/);
    const published = await adminAgent.submit(p.adminPublish(), { changeSummary: 'Clearer introduction.' });
    assert.equal(published.statusCode, 303);

    const covenantPage = await t.agent().get(p.show());
    assert.match(covenantPage.body, /Version 2/);
    assert.match(covenantPage.body, new RegExp(`id="${newKey}"`));
    assert.match(covenantPage.body, new RegExp(`id="${key}"`));

    const versions = (await t.app.inject(p.api.versions())).json().data as { id: string; number: number }[];
    const v1 = versions.find((v) => v.number === 1)!;
    const v2 = versions.find((v) => v.number === 2)!;
    const compare = await t.agent().get(p.compare({ from: v1.id, to: v2.id }));
    assert.equal(compare.statusCode, 200);
    assert.match(
      compare.body,
      /<del class="app-diff-del"><span class="govuk-visually-hidden">\[removed text: <\/span>an agreement/,
    );
    assert.match(
      compare.body,
      /<ins class="app-diff-ins"><span class="govuk-visually-hidden">\[added text: <\/span>a partnership/,
    );
    assert.match(compare.body, /Consultation 2026, response 14/);
    assert.match(compare.body, /1 added, 0 removed, 1 changed, 0 moved/);

    // A second draft copies version 2 with the same keys.
    await adminAgent.post(p.adminDraft(), {}, p.admin());
    const draft2 = await adminAgent.get(p.adminDraft());
    assert.match(draft2.body, new RegExp(`id="${newKey}"`));

    const actions = (await t.deps.db.get().select({ action: auditLog.action }).from(auditLog)).map(
      (r) => r.action,
    );
    for (const a of [
      'covenant.draft_started',
      'covenant.paragraph_edited',
      'covenant.paragraph_added',
      'covenant.version_published',
    ])
      assert.ok(actions.includes(a), a);
  });

  test('a wrong comparison query is a 422 with the error summary', async () => {
    const res = await t.agent().get(p.compare({ from: 'nope', to: 'nope' }));
    assert.equal(res.statusCode, 422);
    assert.match(res.body, /Select two versions to compare/);
  });

  test('sub-covenants inherit national commitments and show their own and their officers', async () => {
    const invalid = await adminAgent.submit(p.adminSubCovenantNew(), {
      kind: 'local',
      title: 'Leeds',
      summary: 's',
    });
    assert.equal(invalid.statusCode, 422);
    assert.match(invalid.body, /Enter the council or combined authority/);
    const badGss = await adminAgent.submit(p.adminSubCovenantNew(), {
      kind: 'local',
      title: 'Leeds',
      summary: 's',
      areaName: 'Leeds City Council',
      areaCode: 'X123',
    });
    assert.equal(badGss.statusCode, 422);
    const created = await adminAgent.submit(p.adminSubCovenantNew(), {
      kind: 'local',
      title: 'Leeds local covenant partnership',
      summary: 'Leeds City Council and the voluntary sector in Leeds.',
      areaName: 'Leeds City Council',
      areaCode: 'E08000035',
    });
    assert.equal(created.statusCode, 303);
    const slug = 'leeds-local-covenant-partnership';
    assert.equal(created.headers.location, p.subCovenant({ slug }));
    const own = await adminAgent.submit(p.adminSubCommitmentNew({ slug }), {
      code: 'LDS-G1',
      principle: 'partnership-and-collaboration',
      side: 'government',
      text: 'Publish every grant round at least 8 weeks before it closes.',
      source: 'Leeds local covenant partnership, 2026',
    });
    assert.equal(own.statusCode, 303);
    const officer = await adminAgent.submit(p.adminOfficerNew({ slug }), {
      name: 'Sam Patel',
      role: 'Local accountable officer',
      contactRoute: 'covenant@leeds.example.org',
    });
    assert.equal(officer.statusCode, 303);
    const page = await t.agent().get(p.subCovenant({ slug }));
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Inherited from the national Covenant/);
    assert.match(page.body, /LDS-G1/);
    assert.match(page.body, /RV-G1/);
    assert.match(page.body, /Sam Patel/);
    assert.match(page.body, /E08000035/);
    // Own commitments stay out of the national list.
    const national = (await t.app.inject(p.api.commitments())).json().data as { code: string }[];
    assert.ok(!national.some((c) => c.code === 'LDS-G1'));
  });

  test('commitment and standard forms validate and reject duplicate codes', async () => {
    const dup = await adminAgent.submit(p.adminCommitmentNew(), {
      code: 'RV-G1',
      principle: 'recognition-and-value',
      side: 'government',
      text: 'x',
      source: 'y',
    });
    assert.equal(dup.statusCode, 422);
    assert.match(dup.body, /That code is already used/);
    const missing = await adminAgent.submit(p.adminStandardNew(), { code: 'c9', threshold: 'lots' });
    assert.equal(missing.statusCode, 422);
    assert.match(missing.body, /Enter the threshold as a number/);
    const ok = await adminAgent.submit(p.adminStandardNew(), {
      code: 'F5',
      principle: 'partnership-and-collaboration',
      title: 'Invoices paid on time',
      rule: 'Valid invoices are paid within 30 days.',
      threshold: '30',
      unit: 'days',
      evaluation: 'automatic',
      source: 'Procurement Act 2023, section 68',
    });
    assert.equal(ok.statusCode, 303);
  });

  test('signing: authorised roles of that organisation only, pledges required, once per covenant', async () => {
    const cso = await organisation(t);
    const other = await organisation(t);
    const signer = await signedIn(t, [
      { role: 'cso_admin', organisationId: cso.id },
      { role: 'cso_member', organisationId: other.id },
    ]);
    const pledges = (await t.deps.covenant.pledges()).map((x) => x.id);

    assert.equal((await t.agent().get(p.sign())).statusCode, 303);
    const form = await signer.get(p.sign());
    assert.equal(form.statusCode, 200);
    assert.ok(form.body.includes(cso.name));
    assert.ok(!form.body.includes(other.name));

    const base = { signatoryName: 'Alex Jones', signatoryRole: 'Chief Executive', confirm: 'yes' };
    const noPledges = await signer.submit(p.sign(), { ...base, organisationId: cso.id });
    assert.equal(noPledges.statusCode, 422);
    assert.match(noPledges.body, /Choose at least one pledge or write your own/);

    const noConfirm = await signer.submit(p.sign(), {
      organisationId: cso.id,
      signatoryName: 'Alex',
      signatoryRole: 'CEO',
      pledges: [pledges[0]!],
    });
    assert.equal(noConfirm.statusCode, 422);
    assert.match(noConfirm.body, /Confirm that you have the authority/);

    const notTheirs = await signer.submit(p.sign(), {
      ...base,
      organisationId: other.id,
      pledges: [pledges[0]!],
    });
    assert.equal(notTheirs.statusCode, 422);
    assert.match(notTheirs.body, /You can only sign for an organisation where you are an administrator/);

    const signed = await signer.submit(p.sign(), {
      ...base,
      organisationId: cso.id,
      pledges: [pledges[0]!, pledges[4]!],
      ownPledges: 'We will answer every letter within a month.\n',
    });
    assert.equal(signed.statusCode, 303);
    const twice = await signer.submit(p.sign(), { ...base, organisationId: cso.id, pledges: [pledges[0]!] });
    assert.equal(twice.statusCode, 422);
    assert.match(twice.body, /already signed/);

    const list = await t.agent().get(p.signatories());
    assert.ok(list.body.includes(cso.name));
    assert.match(list.body, /5 January 2027/);
    assert.match(list.body, /Civil society organisation/);

    const mine = await t.deps.covenant.signaturesOfOrganisation(cso.id);
    assert.equal(mine[0]?.pledges.length, 3);
    assert.equal(mine[0]?.reviewDueOn, '2027-01-05');
  });

  test('JSON API shapes and the OpenAPI document', async () => {
    const principles = (await t.app.inject(p.api.principles())).json();
    assert.equal(principles.data.length, 4);
    assert.deepEqual(Object.keys(principles.data[0]).sort(), [
      'id',
      'position',
      'purpose',
      'slug',
      'source',
      'title',
      'unverified',
    ]);
    const standards = (await t.app.inject(p.api.standards())).json().data as Record<string, unknown>[];
    const c1 = standards.find((s) => s.code === 'C1')!;
    assert.equal(c1.threshold, 12);
    assert.equal(c1.unit, 'weeks');
    assert.equal(c1.evaluation, 'automatic');
    assert.equal(c1.commitment, 'PC-G1');
    const versions = (await t.app.inject(p.api.versions())).json().data as { id: string }[];
    const one = (await t.app.inject(p.api.version({ versionId: versions[0]!.id }))).json().data;
    assert.ok(Array.isArray(one.paragraphs));
    assert.match(one.paragraphs[0].key, /^p-/);
    const missing = await t.app.inject(p.api.version({ versionId: '00000000-0000-4000-8000-000000000000' }));
    assert.equal(missing.statusCode, 404);
    const sigs = (await t.app.inject(p.api.signatories())).json();
    assert.ok(Array.isArray(sigs.data));

    const doc = await t.app.inject('/api/openapi.json');
    assert.equal(doc.statusCode, 200);
    const openapi = doc.json();
    assert.equal(openapi.openapi, '3.1.0');
    // The whole document, every module's routes included, against the OpenAPI 3.1 JSON schema.
    const validity = await new Validator().validate(openapi);
    assert.ok(validity.valid, JSON.stringify(validity.errors));
    for (const path of [
      '/api/v1/principles',
      '/api/v1/commitments',
      '/api/v1/standards',
      '/api/v1/versions',
      '/api/v1/versions/{versionId}',
      '/api/v1/signatories',
    ])
      assert.ok(openapi.paths[path], path);
    assert.ok(!openapi.paths['/covenant'], 'pages stay out of the API document');
  });

  test('every admin page renders for an administrator', async () => {
    await adminAgent.post(p.adminDraft(), {}, p.admin());
    const commitment = (await t.deps.covenant.commitments())[0]!;
    const standard = (await t.deps.covenant.standards())[0]!;
    const slug = 'leeds-local-covenant-partnership';
    for (const url of [
      p.admin(),
      p.adminDraft(),
      p.adminParagraphNew(),
      p.adminParagraph({ key: 'p-in3f7a2k' }),
      p.adminParagraphRemove({ key: 'p-in3f7a2k' }),
      p.adminPublish(),
      p.adminCommitmentNew(),
      p.adminCommitment({ id: commitment.id }),
      p.adminStandardNew(),
      p.adminStandard({ id: standard.id }),
      p.adminSubCovenantNew(),
      p.adminSubCovenant({ slug }),
      p.adminSubCommitmentNew({ slug }),
      p.adminOfficerNew({ slug }),
      p.signSub({ slug }),
      p.subCovenants(),
    ]) {
      const res = await adminAgent.get(url);
      assert.equal(res.statusCode, 200, `${url}: ${res.statusCode}`);
    }
  });
});
