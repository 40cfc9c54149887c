/**
 * Role boundaries of consultation analysis and the government response: analysis pages for `admin` and
 * `panel_member` only; writing, making the next draft and publishing for `admin` only; anonymous people are
 * sent to sign in; nothing can be probed by slug before the role check; the API's aggregates stay closed to
 * the public until the response is published.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { agentFor, createPerson } from '../../../test/helpers/analysis.ts';
import type { Agent } from '../../../test/helpers/agent.ts';
import type { Role } from '../../platform/auth/roles.ts';
import { analysisPaths as p, responsePaths as rp } from './consultations.analysis.paths.ts';
import {
  buildConsultationFixture,
  TEST_SLUG,
  type ConsultationFixture,
} from './consultations.analysis.testdata.ts';

let t: TestApp;
let fx: ConsultationFixture;
const agents = new Map<Role, Agent>();
const slug = TEST_SLUG;

before(async () => {
  t = await createTestApp();
  fx = await buildConsultationFixture(t.deps.db, t.clock);
  for (const role of [
    'admin',
    'panel_member',
    'cso_member',
    'cso_admin',
    'body_officer',
    'body_lead',
  ] as Role[])
    agents.set(role, await agentFor(t, await createPerson(t.deps, role)));
});
after(() => t.close());

const analysisGets = () => [
  p.overview({ slug }),
  p.paragraph({ slug, key: fx.paragraphKeys[0]! }),
  p.question({ slug, key: 'why' }),
  p.responses({ slug }),
  p.response({ slug, responseId: fx.responses.named[0]! }),
];

describe('analysis: who may see and act', () => {
  it('admin and panel see every analysis page', async () => {
    for (const role of ['admin', 'panel_member'] as Role[])
      for (const url of analysisGets())
        assert.equal((await agents.get(role)!.get(url)).statusCode, 200, `${role} ${url}`);
  });

  it('everyone else is refused (403), even for a slug that does not exist', async () => {
    for (const role of ['cso_member', 'cso_admin', 'body_officer', 'body_lead'] as Role[]) {
      for (const url of [...analysisGets(), p.overview({ slug: 'no-such-consultation' })])
        assert.equal((await agents.get(role)!.get(url)).statusCode, 403, `${role} ${url}`);
      const post = await agents
        .get(role)!
        .post(p.addTag({ slug, responseId: fx.responses.named[0]! }), { tag: 'x' });
      assert.equal(post.statusCode, 403);
      assert.equal((await agents.get(role)!.post(p.run({ slug }), {})).statusCode, 403);
    }
  });

  it('anonymous people are sent to sign in', async () => {
    for (const url of [...analysisGets(), rp.edit({ slug })]) {
      const response = await t.agent().get(url);
      assert.equal(response.statusCode, 303, url);
      assert.match(String(response.headers.location), /sign-in/);
    }
  });
});

describe('government response: the Covenant team only', () => {
  it('the panel may analyse but may not open the editor, add entries, make the draft or publish', async () => {
    const panel = agents.get('panel_member')!;
    assert.equal((await panel.get(rp.edit({ slug }))).statusCode, 403);
    for (const url of [
      rp.summary({ slug }),
      rp.addEntry({ slug }),
      rp.nextVersion({ slug }),
      rp.publish({ slug }),
    ])
      assert.equal(
        (await panel.post(url, { summary: 'x', about: 'general', heard: 'x', changed: 'y' })).statusCode,
        403,
        url,
      );
    assert.equal((await t.deps.covenant.draft()) ?? null, null, 'no draft was made');
  });

  it('a body lead cannot read unpublished aggregates through the API; an analyst can', async () => {
    assert.equal((await agents.get('body_lead')!.get(rp.api.aggregates({ slug }))).statusCode, 404);
    assert.equal((await agents.get('panel_member')!.get(rp.api.aggregates({ slug }))).statusCode, 200);
  });
});
