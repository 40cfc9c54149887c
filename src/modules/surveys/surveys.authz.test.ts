/**
 * Who may build the annual review (issue 6): only administrators. Every builder page and form, for an
 * anonymous visitor (sent to sign in), every other role (403) and an administrator (allowed). A refused
 * POST changes nothing. Responding needs no account.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { agentFor, createPerson } from '../../../test/helpers/analysis.ts';
import type { Agent } from '../../../test/helpers/agent.ts';
import type { Role } from '../../platform/auth/roles.ts';
import { ensureCovenantReference } from '../covenant/covenant.seed.ts';
import { seedSurveysDemo } from './surveys.demo.ts';
import { surveyPaths as sp } from './surveys.paths.ts';

const roles: Role[] = [
  'cso_member',
  'cso_admin',
  'intermediary',
  'body_officer',
  'body_lead',
  'panel_member',
  'admin',
];

describe('annual review builder: authorisation', () => {
  let t: TestApp;
  const agents = new Map<string, Agent>();
  let editionId: string;
  let sectionId: string;
  let questionId: string;

  before(async () => {
    t = await createTestApp();
    await ensureCovenantReference(t.deps.db, t.clock);
    await seedSurveysDemo(t.deps);
    const model = await t.deps.surveys.load((await t.deps.surveysRepository.editionByYear(2026))!.id);
    editionId = model.edition.id;
    sectionId = model.sections[0]!.id;
    questionId = model.sections[0]!.questions[0]!.id;
    agents.set('anonymous', t.agent());
    for (const role of roles) agents.set(role, await agentFor(t, await createPerson(t.deps, role)));
  });
  after(() => t.close());

  const pages = () => [
    sp.admin(),
    sp.adminNew(),
    sp.adminEdition({ editionId }),
    sp.adminSettings({ editionId }),
    sp.adminCopy({ editionId }),
    sp.adminPreview({ editionId }),
    sp.adminPublish({ editionId }),
    sp.adminSectionNew({ editionId }),
    sp.adminSection({ editionId, sectionId }),
    sp.adminSectionLogic({ editionId, sectionId }),
    sp.adminQuestionNew({ editionId, sectionId }),
    sp.adminQuestion({ editionId, questionId }),
    sp.adminQuestionLogic({ editionId, questionId }),
    sp.adminQuestionReplace({ editionId, questionId }),
    sp.adminInvitations({ editionId }),
  ];
  const forms = () => [
    sp.adminNew(),
    sp.adminSettings({ editionId }),
    sp.adminCopy({ editionId }),
    sp.adminSectionNew({ editionId }),
    sp.adminSection({ editionId, sectionId }),
    sp.adminSectionLogic({ editionId, sectionId }),
    sp.adminSectionMove({ editionId, sectionId }),
    sp.adminQuestion({ editionId, questionId }),
    sp.adminQuestionLogic({ editionId, questionId }),
    sp.adminQuestionRetire({ editionId, questionId }),
    sp.adminQuestionRemove({ editionId, questionId }),
    sp.adminInvitationsSend({ editionId }),
    sp.adminInvitationsRemind({ editionId }),
  ];

  test('anonymous visitors are sent to sign in; only administrators see the builder', async () => {
    for (const [who, agent] of agents)
      for (const path of pages()) {
        const r = await agent.get(path);
        const expected = who === 'anonymous' ? 303 : who === 'admin' ? 200 : 403;
        assert.equal(r.statusCode, expected, `${who} GET ${path}`);
        if (who === 'anonymous') assert.match(String(r.headers.location), /^\/sign-in/);
      }
  });

  test('no one but an administrator can change an edition (and a refused POST changes nothing)', async () => {
    const before = JSON.stringify(await t.deps.surveys.load(editionId));
    for (const [who, agent] of agents) {
      if (who === 'admin' || who === 'anonymous') continue;
      for (const path of forms()) {
        // A token from a page this person may see (the respondent's start page has a form).
        const r = await agent.post(
          path,
          { title: 'Hijacked', direction: 'down', csv: 'ZW1haWwK' },
          sp.start({ year: '2026' }),
        );
        assert.equal(r.statusCode, 403, `${who} POST ${path}`);
      }
    }
    const anon = await agents
      .get('anonymous')!
      .post(sp.adminSectionMove({ editionId, sectionId }), { direction: 'down' }, sp.start({ year: '2026' }));
    assert.equal(anon.statusCode, 303);
    assert.match(String(anon.headers.location), /^\/sign-in/);
    assert.equal(JSON.stringify(await t.deps.surveys.load(editionId)), before);
  });

  test('responding needs no account', async () => {
    assert.equal((await agents.get('anonymous')!.get(sp.start({ year: '2026' }))).statusCode, 200);
    assert.equal((await agents.get('cso_member')!.get(sp.index())).statusCode, 200);
  });
});
