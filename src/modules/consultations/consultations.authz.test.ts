/**
 * Role boundaries of consultations, through the real app: anonymous visitors, a CSO member, a public-body
 * officer, a panel member and a Covenant team administrator, on every team page and action (create, edit,
 * questions, publish, moderation); a draft consultation is invisible to the public; one respondent's draft
 * cannot be reached with another respondent's token. Refused requests change nothing.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { createOrganisation, createUser, signIn } from '../../../test/helpers/accounts.ts';
import { openConsultation, respond, teamAdmin } from '../../../test/helpers/consultations.ts';
import type { Agent } from '../../../test/helpers/agent.ts';
import { systemActor } from '../../platform/audit/audit.ts';
import type { Role } from '../../platform/auth/roles.ts';
import { consultationPaths as p } from './consultations.paths.ts';
import { canConsultation } from './consultations.policy.ts';

type Who = 'anonymous' | 'cso_member' | 'body_officer' | 'panel_member' | 'admin';

describe('consultations: who may do what', () => {
  let t: TestApp;
  const agents = new Map<Who, Agent>();
  let slug: string;
  let draftSlug: string;
  let responseId: string;

  before(async () => {
    t = await createTestApp();
    const a = await teamAdmin(t);
    const admin = t.agent();
    await signIn(admin, a.user);
    agents.set('admin', admin);
    agents.set('anonymous', t.agent());
    const charity = await createOrganisation(t.deps, { kind: 'cso' });
    const body = await createOrganisation(t.deps, { kind: 'public_body' });
    const panel = await createOrganisation(t.deps, { kind: 'panel' });
    for (const [who, org, totp] of [
      ['cso_member', charity.id, false],
      ['body_officer', body.id, true],
      ['panel_member', panel.id, true],
    ] as const) {
      const u = await createUser(t.deps, { roles: [{ role: who as Role, organisationId: org }], totp });
      const agent = t.agent();
      await signIn(agent, u);
      agents.set(who, agent);
    }
    const f = await openConsultation(t, a.current);
    slug = f.slug;
    const ref = await respond(t, slug, { name: 'Rita', consent: 'named', principles: f.principles });
    responseId = (
      (await t.deps.db
        .get()
        .execute(`select id from consultation_responses where reference = '${ref}'`)) as unknown as {
        rows: { id: string }[];
      }
    ).rows[0]!.id;
    draftSlug = (
      await t.deps.consultations.create(a.current, systemActor, {
        title: 'Unpublished draft',
        summary: 'S',
        howResponsesUsed: 'H',
        versionId: f.draft.id,
        subCovenantId: null,
        opensOn: '2026-01-05',
        closesOn: '2026-04-30',
        shortPeriodReason: null,
      })
    ).slug;
    await t.deps.consultations.addQuestion(a.current, systemActor, draftSlug, {
      key: 'missing',
      type: 'free_text',
      text: 'What is missing?',
      required: false,
    });
  });
  after(() => t.close());

  const teamPages = () => [
    p.admin(),
    p.create(),
    p.manage({ slug }),
    p.edit({ slug }),
    p.newQuestion({ slug: draftSlug }),
    p.question({ slug: draftSlug, key: 'missing' }),
    p.moderation({ slug }),
    p.moderate({ slug, responseId }),
  ];

  test('the policy: only administrators manage and moderate', () => {
    assert.equal(canConsultation(null, 'manage'), false);
    assert.equal(canConsultation(null, 'moderate'), false);
  });

  test('team pages: anonymous visitors are sent to sign in; other roles are refused; admins get in', async () => {
    for (const path of teamPages()) {
      const anon = await agents.get('anonymous')!.get(path);
      assert.equal(anon.statusCode, 303, path);
      assert.match(String(anon.headers.location), /^\/sign-in/);
      for (const who of ['cso_member', 'body_officer', 'panel_member'] as const) {
        const res = await agents.get(who)!.get(path);
        assert.ok([403, 404].includes(res.statusCode), `${who} ${path}: ${res.statusCode}`);
      }
      const ok = await agents.get('admin')!.get(path);
      assert.equal(ok.statusCode, 200, `admin ${path}`);
    }
  });

  test('team actions are refused for every other role, and change nothing', async () => {
    const before = await t.deps.consultationsRepository.bySlug(draftSlug);
    for (const who of ['cso_member', 'body_officer', 'panel_member'] as const) {
      const agent = agents.get(who)!;
      const from = p.show({ slug });
      assert.ok([403, 404].includes((await agent.post(p.publish({ slug: draftSlug }), {}, from)).statusCode));
      assert.ok(
        [403, 404].includes(
          (await agent.post(p.removeQuestion({ slug: draftSlug, key: 'missing' }), {}, from)).statusCode,
        ),
      );
      assert.ok([403, 404].includes((await agent.post(p.create(), { title: 'X' }, from)).statusCode));
      assert.ok(
        [403, 404].includes(
          (await agent.post(p.moderate({ slug, responseId }), { decision: 'publish' }, from)).statusCode,
        ),
      );
    }
    const after = await t.deps.consultationsRepository.bySlug(draftSlug);
    assert.equal(after?.status, 'draft');
    assert.deepEqual(after?.questions, before?.questions);
    const open = await t.deps.consultationsRepository.bySlug(slug);
    const response = await t.deps.consultationsRepository.responseById(open!.id, responseId);
    assert.equal(response?.moderation, 'pending');
  });

  test('a draft consultation does not exist for the public; the team sees it', async () => {
    for (const who of ['anonymous', 'cso_member', 'body_officer'] as const) {
      assert.equal((await agents.get(who)!.get(p.show({ slug: draftSlug }))).statusCode, 404);
      assert.equal((await agents.get(who)!.get(p.responses({ slug: draftSlug }))).statusCode, 404);
      assert.equal(
        (await agents.get(who)!.get(p.api.one({ slug: draftSlug }), { accept: 'application/json' }))
          .statusCode,
        404,
      );
    }
    assert.equal((await agents.get('admin')!.get(p.show({ slug: draftSlug }))).statusCode, 200);
    const refused = await agents.get('anonymous')!.post(p.start({ slug: draftSlug }), {}, p.show({ slug }));
    assert.equal(refused.statusCode, 404);
  });

  test('a respondent’s draft is reached only with its own token', async () => {
    const mine = t.agent();
    await mine.submit(p.show({ slug }), {}, p.start({ slug }));
    await mine.submit(p.about({ slug }), { respondentType: 'individual', respondentName: 'Private Person' });
    const stranger = t.agent();
    assert.equal((await stranger.get(p.about({ slug }))).statusCode, 404);
    const forged = await stranger.get(p.resume({ slug, token: 'not-a-real-token-at-all-000000000000' }));
    assert.equal(forged.statusCode, 404);
    // Even the team reads a draft nowhere: it is not in moderation.
    const queue = await agents.get('admin')!.get(p.moderation({ slug }));
    assert.doesNotMatch(queue.body, /Private Person/);
  });
});
