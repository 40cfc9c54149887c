/**
 * Role boundaries of standards records: only the body's own officers and accountable lead, and
 * administrators, may see its record pages, record, change or import. Another body's officer, a civil
 * society member, a panel member and anonymous visitors cannot, and nothing they send is saved. The public
 * findings pages and API need no sign-in.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { eq } from 'drizzle-orm';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import type { Agent } from '../../../test/helpers/agent.ts';
import { standardsPaths as p } from './standards.paths.ts';
import { standardsConsultations, standardsFundingAgreements } from './standards.tables.ts';
import { standardsPeople, uploadFile } from './standards.test-support.ts';

const consultationForm = {
  title: 'Libraries review',
  'opensOn-day': '5',
  'opensOn-month': '1',
  'opensOn-year': '2026',
  'closesOn-day': '30',
  'closesOn-month': '3',
  'closesOn-year': '2026',
};

describe('standards records: who may record', () => {
  let t: TestApp;
  let slug: string;
  let otherSlug: string;
  let consultationId: string;
  let agreementId: string;
  const agents: Record<string, Agent> = {};

  before(async () => {
    t = await createTestApp();
    const people = await standardsPeople(t, { body: 'Ministry of Tests', other: 'Other Council' }, true);
    const body = people.body;
    slug = people.slug;
    otherSlug = people.otherSlug;
    Object.assign(agents, people.agents);

    const c = await t.deps.standardsRepository.insertConsultation({
      bodyId: body.id,
      title: 'Existing consultation',
      opensOn: '2025-01-06',
      closesOn: '2025-03-31',
    });
    consultationId = c.id;
    const a = await t.deps.standardsRepository.insertAgreement({
      funderBodyId: body.id,
      title: 'Existing grant',
      recipientName: 'A charity',
      amountPence: 100_000,
      startsOn: '2025-04-01',
      endsOn: '2026-03-31',
    });
    agreementId = a.id;
  });
  after(() => t.close());

  const count = async () => (await t.deps.db.get().select().from(standardsConsultations)).length;

  test('the body’s officer, its lead and an administrator may record', async () => {
    for (const name of ['officer', 'lead', 'admin']) {
      const agent = agents[name]!;
      assert.equal((await agent.get(p.bodyRecords({ slug }))).statusCode, 200, name);
      const saved = await agent.submit(p.addConsultation({ slug }), {
        ...consultationForm,
        title: `Recorded by ${name}`,
      });
      assert.equal(saved.statusCode, 303, name);
    }
    assert.equal(await count(), 4);
    // The administrator's list of bodies includes every public body; the officer's only their own.
    const adminList = await agents.admin!.get(p.records());
    assert.match(adminList.body, /Ministry of Tests/);
    assert.match(adminList.body, /Other Council/);
    const officerList = await agents.officer!.get(p.records());
    assert.match(officerList.body, /Ministry of Tests/);
    assert.doesNotMatch(officerList.body, /Other Council/);
  });

  test('another body’s officer, a cso member and a panel member get 403 and save nothing', async () => {
    const before = await count();
    for (const name of ['otherOfficer', 'csoMember', 'panel']) {
      const agent = agents[name]!;
      const pages = [
        p.bodyRecords({ slug }),
        p.addConsultation({ slug }),
        p.editConsultation({ slug, consultationId }),
        p.addAgreement({ slug }),
        p.editAgreement({ slug, agreementId }),
        p.addChange({ slug, agreementId }),
        p.importFile({ slug }),
      ];
      for (const url of pages) assert.equal((await agent.get(url)).statusCode, 403, `${name} GET ${url}`);
      // Posting with a token from a page they may see (their own records page or the findings).
      const token = name === 'otherOfficer' ? p.bodyRecords({ slug: otherSlug }) : p.findings();
      const posts: [string, Record<string, string>][] = [
        [p.addConsultation({ slug }), consultationForm],
        [p.editConsultation({ slug, consultationId }), { ...consultationForm, title: 'Hijacked' }],
        [p.addAgreement({ slug }), { title: 'x' }],
        [p.editAgreement({ slug, agreementId }), { title: 'x' }],
        [p.addChange({ slug, agreementId }), { kind: 'end' }],
        [
          p.importConfirm({ slug }),
          { kind: 'consultations', text: 'title,opens_on,closes_on\nX,2026-01-01,2026-01-02' },
        ],
      ];
      for (const [url, form] of posts)
        assert.equal((await agent.post(url, form, token)).statusCode, 403, `${name} POST ${url}`);
    }
    assert.equal(await count(), before);
    const [existing] = await t.deps.db
      .get()
      .select()
      .from(standardsConsultations)
      .where(eq(standardsConsultations.id, consultationId));
    assert.equal(existing!.title, 'Existing consultation');
    const agreements = await t.deps.db.get().select().from(standardsFundingAgreements);
    assert.equal(agreements.length, 1);
  });

  test('another body’s officer cannot upload a file for this body', async () => {
    // The upload page itself is refused, so the officer cannot even get a token there: use their own.
    const response = await uploadFile(
      agents.otherOfficer!,
      otherSlug,
      'consultations',
      'c.csv',
      'title,opens_on,closes_on\nX,2026-01-01,2026-01-02\n',
    );
    assert.equal(response.statusCode, 200, 'their own body works');
    const before = await count();
    const cookie = [...agents.otherOfficer!.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const page = await agents.otherOfficer!.get(p.importFile({ slug: otherSlug }));
    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
    const boundary = '----b';
    const payload = `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${token}\r\n--${boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\nconsultations\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="c.csv"\r\n\r\ntitle,opens_on,closes_on\nX,2026-01-01,2026-01-02\r\n--${boundary}--\r\n`;
    const refused = await t.app.inject({
      method: 'POST',
      url: p.importFile({ slug }),
      headers: { cookie, 'content-type': `multipart/form-data; boundary=${boundary}`, accept: 'text/html' },
      payload,
    });
    assert.equal(refused.statusCode, 403);
    assert.equal(await count(), before);
  });

  test('anonymous visitors are sent to sign in; the public findings need no sign-in', async () => {
    const anonymous = agents.anonymous!;
    const page = await anonymous.get(p.addConsultation({ slug }));
    assert.equal(page.statusCode, 303);
    assert.match(String(page.headers.location), /^\/sign-in/);
    const post = await anonymous.post(p.addConsultation({ slug }), consultationForm, '/sign-in');
    assert.equal(post.statusCode, 303);
    assert.match(String(post.headers.location), /^\/sign-in/);
    assert.equal((await anonymous.get(p.findings())).statusCode, 200);
    assert.equal((await anonymous.get(p.bodyFindings({ slug }))).statusCode, 200);
    assert.equal((await anonymous.get(p.api.bodyFindings({ slug }))).statusCode, 200);
    // The records link is shown only to those who may keep the records.
    assert.doesNotMatch((await anonymous.get(p.bodyFindings({ slug }))).body, /Keep this body’s records/);
    assert.match((await agents.officer!.get(p.bodyFindings({ slug }))).body, /Keep this body’s records/);
    assert.equal((await anonymous.get(p.bodyFindings({ slug: 'no-such-body' }))).statusCode, 404);
  });
});
