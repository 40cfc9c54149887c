/**
 * The analysis and government response pages and API through the real app: every analysis page renders for
 * analysts, bad input comes back as 422 with the error summary (and what was typed), the heat view is a table
 * with numbers, and consent holds in every public page and API answer.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { agentFor, createPerson } from '../../../test/helpers/analysis.ts';
import type { Agent } from '../../../test/helpers/agent.ts';
import type { CurrentUser } from '../../platform/auth/roles.ts';
import { analysisPaths as p, responsePaths as rp } from './consultations.analysis.paths.ts';
import {
  buildConsultationFixture,
  PRIVATE_MARKERS,
  TEST_SLUG,
  type ConsultationFixture,
} from './consultations.analysis.testdata.ts';

let t: TestApp;
let admin: CurrentUser;
let adminAgent: Agent;
let panelAgent: Agent;
let fx: ConsultationFixture;
let themeId: string;
const slug = TEST_SLUG;
const errorSummary = /govuk-error-summary/;

before(async () => {
  t = await createTestApp();
  fx = await buildConsultationFixture(t.deps.db, t.clock);
  admin = await createPerson(t.deps, 'admin', 'Ada Admin');
  adminAgent = await agentFor(t, admin);
  panelAgent = await agentFor(t, await createPerson(t.deps, 'panel_member', 'Pat Panel'));
});
after(() => t.close());

const analysisPages = () => [
  p.overview({ slug }),
  p.paragraph({ slug, key: fx.paragraphKeys[0]! }),
  p.paragraph({ slug, key: fx.paragraphKeys[0]! }, { stance: 'agree', tag: 'funding', page: '1' }),
  p.question({ slug, key: 'why' }),
  p.theme({ slug, themeId }),
  p.responses({ slug }),
  p.responses({ slug }, { tag: 'funding' }),
  p.response({ slug, responseId: fx.responses.none[0]! }),
];

describe('analysis pages', () => {
  it('running the analysis from the overview queues and (here, with no worker) the job runs it', async () => {
    const page = await adminAgent.get(p.overview({ slug }));
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /No analysis has been run yet/);
    const queued = await adminAgent.post(p.run({ slug }), {}, p.overview({ slug }));
    assert.equal(queued.statusCode, 303);
    assert.equal(await t.deps.consultationAnalysis.processQueuedRuns(), 1);
    const para = await t.deps.consultationAnalysis.paragraph(admin, slug, fx.paragraphKeys[0]!, {
      page: 1,
      offset: 0,
    });
    themeId = para.themes[0]!.id;
  });

  it('every analysis page renders for the Covenant team and the panel', async () => {
    for (const agent of [adminAgent, panelAgent])
      for (const url of analysisPages()) {
        const response = await agent.get(url);
        assert.equal(response.statusCode, 200, `${url}: ${response.body.slice(0, 300)}`);
      }
  });

  it('the heat view is a table: counts with the stance split, shading repeated by numbers', async () => {
    const page = await adminAgent.get(p.overview({ slug }));
    assert.match(page.body, /<caption class="govuk-table__caption[^"]*">Comments by paragraph<\/caption>/);
    assert.match(page.body, /app-heat-4">13</);
    assert.match(page.body, /13 submitted responses, 26 paragraph comments/);
  });

  it('unknown paragraph, theme or response is 404; a bad page number is page 1', async () => {
    assert.equal((await adminAgent.get(p.paragraph({ slug, key: 'p-nothing' }))).statusCode, 404);
    assert.equal((await adminAgent.get(p.theme({ slug, themeId: 'nope' }))).statusCode, 404);
    assert.equal(
      (await adminAgent.get(p.response({ slug, responseId: fx.responses.draft[0]! }))).statusCode,
      404,
    );
    assert.equal((await adminAgent.get(p.responses({ slug }, { page: 'x' }))).statusCode, 200);
    assert.equal((await adminAgent.get(p.overview({ slug: 'no-such' }))).statusCode, 404);
  });

  it('tagging: a bad tag is 422 with the error summary and keeps what was typed; a good one shows', async () => {
    const url = p.response({ slug, responseId: fx.responses.named[0]! });
    const bad = await panelAgent.submit(
      url,
      { tag: 'y'.repeat(50) },
      p.addTag({ slug, responseId: fx.responses.named[0]! }),
    );
    assert.equal(bad.statusCode, 422);
    assert.match(bad.body, errorSummary);
    assert.match(bad.body, /y{50}/);
    const good = await panelAgent.submit(
      url,
      { tag: 'Local Authorities' },
      p.addTag({ slug, responseId: fx.responses.named[0]! }),
    );
    assert.equal(good.statusCode, 303);
    assert.match((await panelAgent.get(url)).body, /name="tag" value="local authorities"/);
    const list = await panelAgent.get(p.responses({ slug }, { tag: 'local authorities' }));
    assert.match(list.body, new RegExp(fx.responses.named[0]!));
    const removed = await panelAgent.submit(
      url,
      { tag: 'local authorities' },
      p.removeTag({ slug, responseId: fx.responses.named[0]! }),
    );
    assert.equal(removed.statusCode, 303);
    assert.doesNotMatch((await panelAgent.get(url)).body, /name="tag" value="local authorities"/);
  });
});

describe('government response pages and API', () => {
  it('the editor refuses empty entries with 422 and keeps the typed words', async () => {
    const bad = await adminAgent.submit(
      rp.edit({ slug }),
      { about: '', heard: 'kept words', changed: '' },
      rp.addEntry({ slug }),
    );
    assert.equal(bad.statusCode, 422);
    assert.match(bad.body, errorSummary);
    assert.match(bad.body, /kept words/);
    const summary = await adminAgent.submit(rp.edit({ slug }), { summary: '   ' }, rp.summary({ slug }));
    assert.equal(summary.statusCode, 422);
  });

  it('before publication the public page and the API are 404 (aggregates too, for the public)', async () => {
    const anon = t.agent();
    assert.equal((await anon.get(rp.show({ slug }))).statusCode, 404);
    assert.equal((await anon.get(rp.api.response({ slug }))).statusCode, 404);
    assert.equal((await anon.get(rp.api.aggregates({ slug }))).statusCode, 404);
    assert.equal((await adminAgent.get(rp.api.aggregates({ slug }))).statusCode, 200);
  });

  it('write, make the next draft, publish; the public page, API and aggregates hold to consent', async () => {
    const edit = rp.edit({ slug });
    const ok = (r: { statusCode: number; body: string }) =>
      assert.equal(r.statusCode, 303, r.body.slice(0, 500));
    ok(await adminAgent.submit(edit, { summary: 'We heard you.' }, rp.summary({ slug })));
    ok(
      await adminAgent.submit(
        edit,
        {
          about: `theme:${themeId}`,
          heard: 'Grants are late',
          changed: 'We changed it',
          newText: 'Grants will be paid on time.',
        },
        rp.addEntry({ slug }),
      ),
    );
    ok(await adminAgent.submit(edit, {}, rp.nextVersion({ slug })));
    ok(await adminAgent.submit(edit, {}, rp.publish({ slug })));

    const anon = t.agent();
    const page = await anon.get(rp.show({ slug }));
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Grants are late/);
    assert.match(page.body, /<ins class="app-diff-ins">/);
    assert.match(page.body, /\(redacted\)/);
    const api = await anon.get(rp.api.response({ slug }));
    assert.equal(api.statusCode, 200);
    const body = api.json() as {
      sections: { status: string; entries: { theme: { quotes: unknown[] } | null }[] }[];
    };
    assert.ok(body.sections.some((s) => s.status === 'changed'));
    const aggregates = await anon.get(rp.api.aggregates({ slug }));
    assert.equal(aggregates.statusCode, 200);
    const agg = aggregates.json() as { responses: number; paragraphs: { total: number }[] };
    assert.equal(agg.responses, 13);
    for (const text of [page.body, api.body, aggregates.body])
      for (const marker of PRIVATE_MARKERS) assert.ok(!text.includes(marker), `${marker} must not be public`);
  });

  it('the OpenAPI document lists the aggregates and the government response', async () => {
    const doc = (await t.agent().get('/api/openapi.json')).json() as { paths: Record<string, unknown> };
    assert.ok(doc.paths['/api/v1/consultations/{slug}/aggregates']);
    assert.ok(doc.paths['/api/v1/consultations/{slug}/government-response']);
  });
});
