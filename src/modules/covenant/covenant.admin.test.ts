import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { and, eq } from 'drizzle-orm';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import type { Agent } from '../../../test/helpers/agent.ts';
import { createOrganisation, createUser, signIn, type TestUser } from '../../../test/helpers/accounts.ts';
import { auditLog } from '../../platform/audit/audit.tables.ts';
import { directoryPaths } from '../directory/directory.paths.ts';
import { organisations } from '../directory/directory.tables.ts';
import type { Nation } from '../directory/directory.taxonomy.ts';
import { reviewDueOn } from './covenant.keys.ts';
import { covenantPaths as p } from './covenant.paths.ts';
import { ensureCovenantReference } from './covenant.seed.ts';

describe('Covenant administration: officers, principles, audit, signatory counts', () => {
  let t: TestApp;
  let admin: TestUser;
  let adminAgent: Agent;
  let memberAgent: Agent;
  let slug: string;
  before(async () => {
    t = await createTestApp();
    await ensureCovenantReference(t.deps.db, t.clock);
    const team = await createOrganisation(t.deps, { kind: 'covenant_team' });
    admin = await createUser(t.deps, { roles: [{ role: 'admin', organisationId: team.id }], totp: true });
    adminAgent = t.agent();
    await signIn(adminAgent, admin);
    const cso = await createOrganisation(t.deps);
    const member = await createUser(t.deps, { roles: [{ role: 'cso_admin', organisationId: cso.id }] });
    memberAgent = t.agent();
    await signIn(memberAgent, member);
    const created = await adminAgent.submit(p.adminSubCovenantNew(), {
      kind: 'mission',
      title: 'Clean power mission sub-covenant',
      summary: 'Government and civil society on the clean power mission.',
      mission: 'clean_power',
    });
    assert.equal(created.statusCode, 303);
    slug = 'clean-power-mission-sub-covenant';
  });
  after(() => t.close());

  /** The audit rows for one action on one entity, written by the administrator. */
  async function audited(action: string, entityId: string) {
    return t.deps.db
      .get()
      .select()
      .from(auditLog)
      .where(
        and(eq(auditLog.action, action), eq(auditLog.entityId, entityId), eq(auditLog.actorUserId, admin.id)),
      );
  }

  test("a sub-covenant's accountable officers: add, edit and remove, validated and audited", async () => {
    const list = p.adminOfficers({ slug });
    const empty = await adminAgent.get(list);
    assert.equal(empty.statusCode, 200);
    assert.match(empty.body, /No accountable officers have been named yet/);

    const invalid = await adminAgent.submit(p.adminOfficerNew({ slug }), {
      name: ' ',
      role: 'Director',
      contactRoute: 'x'.repeat(501),
    });
    assert.equal(invalid.statusCode, 422);
    assert.match(invalid.body, /govuk-error-summary/);
    assert.match(invalid.body, /Enter the officer’s name/);
    assert.match(invalid.body, /The contact route must be 500 characters or fewer/);

    const added = await adminAgent.submit(p.adminOfficerNew({ slug }), {
      name: 'Jo Bloggs',
      role: 'Senior responsible officer',
      contactRoute: 'clean-power@example.gov.uk',
    });
    assert.equal(added.statusCode, 303);
    assert.equal(added.headers.location, list);
    const sub = (await t.deps.covenant.subCovenant(slug)).subCovenant;
    const [officer] = (await t.deps.covenant.subCovenant(slug)).officers;
    assert.equal(officer?.name, 'Jo Bloggs');
    assert.equal((await audited('covenant.officer_added', sub.id)).length, 1);

    const listed = await adminAgent.get(list);
    assert.ok(listed.body.includes(`href="${p.adminOfficer({ slug, officerId: officer!.id })}"`));
    assert.ok(listed.body.includes(`href="${p.adminOfficerRemove({ slug, officerId: officer!.id })}"`));
    let publicPage = await t.agent().get(p.subCovenant({ slug }));
    assert.match(publicPage.body, /Jo Bloggs/);
    assert.match(publicPage.body, /href="mailto:clean-power@example\.gov\.uk"/);

    const edit = p.adminOfficer({ slug, officerId: officer!.id });
    const form = await adminAgent.get(edit);
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /value="Jo Bloggs"/);
    const badEdit = await adminAgent.submit(edit, { name: 'Jo Bloggs', role: '', contactRoute: 'x' });
    assert.equal(badEdit.statusCode, 422);
    assert.match(badEdit.body, /Enter the officer’s role/);
    const saved = await adminAgent.submit(edit, {
      name: 'Jo Smith',
      role: 'Mission director',
      contactRoute: 'https://www.gov.uk/contact/clean-power',
    });
    assert.equal(saved.statusCode, 303);
    assert.equal((await audited('covenant.officer_updated', sub.id)).length, 1);
    publicPage = await t.agent().get(p.subCovenant({ slug }));
    assert.match(publicPage.body, /Jo Smith/);
    assert.doesNotMatch(publicPage.body, /Jo Bloggs/);
    assert.match(publicPage.body, /href="https:\/\/www\.gov\.uk\/contact\/clean-power"/);

    // An officer is found only under its own sub-covenant, and only by a real id.
    assert.equal(
      (await adminAgent.get(p.adminOfficer({ slug: 'nope', officerId: officer!.id }))).statusCode,
      404,
    );
    assert.equal((await adminAgent.get(p.adminOfficer({ slug, officerId: 'not-an-id' }))).statusCode, 404);
    const other = await adminAgent.submit(p.adminSubCovenantNew(), {
      kind: 'departmental',
      title: 'Home Office sub-covenant',
      summary: 'The Home Office and civil society.',
      department: 'Home Office',
    });
    assert.equal(other.statusCode, 303);
    assert.equal(
      (await adminAgent.get(p.adminOfficer({ slug: 'home-office-sub-covenant', officerId: officer!.id })))
        .statusCode,
      404,
    );

    // Others may not manage officers.
    assert.equal((await memberAgent.get(list)).statusCode, 403);
    assert.equal((await memberAgent.get(edit)).statusCode, 403);
    assert.equal(
      (await memberAgent.post(p.adminOfficerRemove({ slug, officerId: officer!.id }), {})).statusCode,
      403,
    );

    const remove = p.adminOfficerRemove({ slug, officerId: officer!.id });
    const confirm = await adminAgent.get(remove);
    assert.equal(confirm.statusCode, 200);
    assert.match(confirm.body, /Remove Jo Smith as an accountable officer/);
    const removed = await adminAgent.submit(remove, {});
    assert.equal(removed.statusCode, 303);
    assert.equal((await audited('covenant.officer_removed', sub.id)).length, 1);
    publicPage = await t.agent().get(p.subCovenant({ slug }));
    assert.doesNotMatch(publicPage.body, /Jo Smith/);
    assert.equal((await adminAgent.get(edit)).statusCode, 404);
  });

  test('a principle can be edited by administrators only, with validation', async () => {
    const page = p.adminPrinciple({ slug: 'recognition-and-value' });
    assert.equal((await adminAgent.get(page)).statusCode, 200);
    assert.equal((await adminAgent.get(p.adminPrinciple({ slug: 'nope' }))).statusCode, 404);
    assert.equal((await memberAgent.get(page)).statusCode, 403);
    const invalid = await adminAgent.submit(page, { title: '', purpose: 'x'.repeat(2001), source: 's' });
    assert.equal(invalid.statusCode, 422);
    assert.match(invalid.body, /Enter a title/);
    assert.match(invalid.body, /The purpose must be 2,000 characters or fewer/);
    const saved = await adminAgent.submit(page, {
      title: 'Recognition and value (revised)',
      purpose: 'Civil society is recognised and valued as a partner.',
      source: 'Civil Society Covenant, July 2025',
      unverified: 'yes',
    });
    assert.equal(saved.statusCode, 303);
    assert.equal(saved.headers.location, p.principle({ slug: 'recognition-and-value' }));
    const shown = await t.agent().get(p.principle({ slug: 'recognition-and-value' }));
    assert.match(shown.body, /Recognition and value \(revised\)/);
  });

  test('every admin change to the registry and the directory writes an audit row', async () => {
    const principle = (await t.deps.covenant.repo.principleBySlug('partnership-and-collaboration'))!;
    const principleEdit = await adminAgent.submit(p.adminPrinciple({ slug: principle.slug }), {
      title: principle.title,
      purpose: `${principle.purpose} Revised.`,
      source: principle.source,
    });
    assert.equal(principleEdit.statusCode, 303);
    assert.equal((await audited('covenant.principle_updated', principle.id)).length, 1);

    const commitmentForm = {
      code: 'PC-G99',
      principle: principle.slug,
      side: 'government',
      text: 'Answer every letter within 20 working days.',
      source: 'Audit test',
    };
    assert.equal((await adminAgent.submit(p.adminCommitmentNew(), commitmentForm)).statusCode, 303);
    const commitment = (await t.deps.covenant.repo.commitmentByCode('PC-G99'))!;
    assert.equal((await audited('covenant.commitment_created', commitment.id)).length, 1);
    const commitmentEdit = await adminAgent.submit(p.adminCommitment({ id: commitment.id }), {
      ...commitmentForm,
      text: 'Answer every letter within 15 working days.',
    });
    assert.equal(commitmentEdit.statusCode, 303);
    assert.equal((await audited('covenant.commitment_updated', commitment.id)).length, 1);

    const standardForm = {
      code: 'F9',
      principle: principle.slug,
      title: 'Letters answered',
      rule: 'Letters are answered within 20 working days.',
      evaluation: 'manual',
      source: 'Audit test',
    };
    assert.equal((await adminAgent.submit(p.adminStandardNew(), standardForm)).statusCode, 303);
    const standard = (await t.deps.covenant.repo.standardByCode('F9'))!;
    assert.equal((await audited('covenant.standard_created', standard.id)).length, 1);
    const standardEdit = await adminAgent.submit(p.adminStandard({ id: standard.id }), {
      ...standardForm,
      threshold: '20',
      unit: 'working days',
    });
    assert.equal(standardEdit.statusCode, 303);
    assert.equal((await audited('covenant.standard_updated', standard.id)).length, 1);

    const sub = (await t.deps.covenant.subCovenant(slug)).subCovenant;
    assert.equal((await audited('covenant.sub_covenant_created', sub.id)).length, 1);
    const subEdit = await adminAgent.submit(p.adminSubCovenant({ slug }), {
      kind: 'mission',
      title: sub.title,
      summary: 'A new summary.',
      mission: 'clean_power',
    });
    assert.equal(subEdit.statusCode, 303);
    assert.equal((await audited('covenant.sub_covenant_updated', sub.id)).length, 1);
    const subCommitment = await adminAgent.submit(p.adminSubCommitmentNew({ slug }), {
      ...commitmentForm,
      code: 'CP-G1',
    });
    assert.equal(subCommitment.statusCode, 303);
    const own = (await t.deps.covenant.repo.commitmentByCode('CP-G1'))!;
    assert.equal((await audited('covenant.commitment_created', own.id)).length, 1);

    // A public body's accountable leads (the directory).
    const body = await createOrganisation(t.deps, { kind: 'public_body', name: 'Audit Test Council' });
    const leads = await adminAgent.submit(directoryPaths.leads({ slug: body.slug }), {
      'local_accountable_officer-name': 'Alex Lead',
      'local_accountable_officer-roleTitle': 'Chief Executive',
      'local_accountable_officer-contact': 'covenant@audit-test.example.gov.uk',
      confirm: 'yes',
    });
    assert.equal(leads.statusCode, 303);
    assert.equal((await audited('directory.leads_saved', body.id)).length, 1);
  });

  test('signatories: counts by type and by nation, on the page and in the API', async () => {
    const place = async (kind: 'cso' | 'public_body', nation: Nation | null) => {
      const org = await createOrganisation(t.deps, { kind });
      if (nation)
        await t.deps.db.get().update(organisations).set({ nation }).where(eq(organisations.id, org.id));
      const signedAt = t.clock.now();
      await t.deps.covenant.repo.insertSignature({
        organisationId: org.id,
        subCovenantId: null,
        signatoryName: 'Sam',
        signatoryRole: 'Chair',
        signedAt,
        reviewDueOn: reviewDueOn(signedAt),
      });
      return org;
    };
    await place('cso', 'wales');
    await place('cso', 'wales');
    await place('cso', 'scotland');
    await place('public_body', 'england');
    await place('cso', null);

    const page = await t.agent().get(p.signatories());
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Signatures by nation/);
    assert.match(
      page.body,
      /<caption class="govuk-table__caption govuk-table__caption--m">Signatures by nation/,
    );
    assert.match(page.body, /Wales<\/td>\s*<td class="govuk-table__cell govuk-table__cell--numeric">2</);
    assert.match(
      page.body,
      /Not recorded<\/td>\s*<td class="govuk-table__cell govuk-table__cell--numeric">1</,
    );
    assert.match(page.body, /<th scope="col" class="govuk-table__header">Nation<\/th>/);
    assert.ok(page.body.includes(`href="${p.reviews()}"`));

    const res = await t.app.inject(p.api.signatoryCounts());
    assert.equal(res.statusCode, 200);
    const counts = res.json().data;
    assert.equal(counts.subCovenant, null);
    assert.equal(counts.total, 5);
    assert.deepEqual(counts.byKind, [
      { kind: 'cso', count: 4 },
      { kind: 'public_body', count: 1 },
    ]);
    const byNation = Object.fromEntries(
      (counts.byNation as { nation: string | null; count: number }[]).map((c) => [String(c.nation), c.count]),
    );
    assert.deepEqual(byNation, { england: 1, scotland: 1, wales: 2, null: 1 });

    const sub = await t.app.inject(p.api.signatoryCounts({ subCovenant: slug }));
    assert.equal(sub.statusCode, 200);
    assert.deepEqual(sub.json().data, { subCovenant: slug, total: 0, byKind: [], byNation: [] });
    assert.equal(
      (await t.app.inject(p.api.signatoryCounts({ subCovenant: 'no-such-thing' }))).statusCode,
      404,
    );
    const bad = await t.app.inject(p.api.signatoryCounts({ subCovenant: 'Not A Slug!' }));
    assert.equal(bad.statusCode, 400);
    assert.match(String(bad.headers['content-type']), /problem\+json|json/);

    const openapi = (await t.app.inject('/api/openapi.json')).json();
    assert.ok(openapi.paths['/api/v1/signatories/counts'], 'the counts are in the OpenAPI document');
  });
});
