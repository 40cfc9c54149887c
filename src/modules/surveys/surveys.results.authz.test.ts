/**
 * Who may see what of the annual review's results: live results and free-text answers are for analysts
 * (admins and panel members) only; publishing is for admins; the public (and every other role) sees only
 * published reviews, never unpublished results or free text, in pages, CSV or API.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { createUser, signIn } from '../../../test/helpers/accounts.ts';
import { createTestOrganisation } from '../../../test/helpers/cases.ts';
import type { Agent } from '../../../test/helpers/agent.ts';
import type { Role } from '../../platform/auth/roles.ts';
import { ensureCovenantReference } from '../covenant/covenant.seed.ts';
import { seedSurveyResultsDemo } from './surveys.results.demo.ts';
import { resultsPaths as rp } from './surveys.results.paths.ts';

const people = ['anonymous', 'cso_member', 'body_officer', 'panel_member', 'admin'] as const;
type Person = (typeof people)[number];
type Expect = 'allow' | 'signIn' | 403 | 404 | 422;

describe('annual review results: authorisation', () => {
  let t: TestApp;
  const agents = new Map<Person, Agent>();
  let lastId: string;
  let currentId: string;

  before(async () => {
    t = await createTestApp();
    await ensureCovenantReference(t.deps.db, t.clock);
    await createTestOrganisation(t.deps, { name: 'Rated Body' });
    const current = await t.deps.surveysRepository.insertEdition({
      year: 2026,
      title: 'Annual review 2026',
      status: 'published',
      publishedAt: new Date('2025-12-20T09:00:00Z'),
      closesAt: new Date('2026-02-28T23:59:59Z'),
    });
    currentId = current.id;
    await seedSurveyResultsDemo(t.deps);
    lastId = (await t.deps.surveysRepository.editionByYear(2025))!.id;
    // Answers to this year's open edition exist but are not published.
    const { generateResponses } = await import('./surveys.results.demo.ts');
    const repo = t.deps.surveysRepository;
    const last = await repo.questionsOf(lastId);
    const section = await repo.insertSection({
      editionId: currentId,
      key: 'views',
      position: 1,
      title: 'Views',
    });
    for (const q of last.filter((q) => ['expertise-listened', 'one-improvement'].includes(q.key)))
      await repo.insertQuestion({
        ...q,
        id: undefined,
        editionId: currentId,
        sectionId: section.id,
        createdAt: undefined,
      });
    await generateResponses(t.deps, currentId, 40, { seed: 9, mood: 0.9 });
    for (const person of people) {
      const agent = t.agent();
      if (person !== 'anonymous') {
        const org = await createTestOrganisation(t.deps, {
          kind: person.startsWith('body') ? 'public_body' : 'cso',
        });
        const user = await createUser(t.deps, {
          roles: [{ role: person as Role, organisationId: org.id }],
          totp: ['body_officer', 'panel_member', 'admin'].includes(person),
        });
        await signIn(agent, user);
      }
      agents.set(person, agent);
    }
  });
  after(() => t.close());

  async function expectFor(person: Person, method: 'GET' | 'POST', url: string, expected: Expect) {
    const agent = agents.get(person)!;
    const res =
      method === 'GET'
        ? await agent.get(url)
        : await agent.post(url, { summary: '' }, person === 'anonymous' ? '/sign-in' : '/');
    const what = `${person} ${method} ${url}`;
    if (expected === 'allow') assert.equal(res.statusCode, 200, what);
    else if (expected === 'signIn') {
      assert.equal(res.statusCode, 303, what);
      assert.match(String(res.headers.location), /^\/sign-in/, what);
    } else assert.equal(res.statusCode, expected, what);
    return res;
  }

  const analystsOnly = (person: Person): Expect =>
    person === 'anonymous' ? 'signIn' : ['panel_member', 'admin'].includes(person) ? 'allow' : 403;

  test('live results pages are for analysts only', async () => {
    const pages = () => [
      rp.index(),
      rp.edition({ editionId: currentId }),
      rp.question({ editionId: currentId, questionKey: 'expertise-listened' }),
      rp.question({ editionId: lastId, questionKey: 'body-ratings' }, { by: 'nation' }),
    ];
    for (const person of people)
      for (const url of pages()) await expectFor(person, 'GET', url, analystsOnly(person));
  });

  test('free-text answers are for analysts only, and never public', async () => {
    for (const person of people) {
      const res = await expectFor(
        person,
        'GET',
        rp.text({ editionId: lastId, questionKey: 'one-improvement' }),
        analystsOnly(person),
      );
      if (analystsOnly(person) === 'allow') assert.match(res.body, /\d+ answers/);
    }
    // Sending them to the thematic analysis: analysts only (an analyst is redirected to the new set).
    for (const person of people) {
      const agent = agents.get(person)!;
      const res = await agent.post(
        rp.analyse({ editionId: lastId, questionKey: 'one-improvement' }),
        {},
        person === 'anonymous' ? '/sign-in' : '/',
      );
      const expected = analystsOnly(person);
      const what = `${person} POST analyse`;
      if (expected === 'allow') assert.match(String(res.headers.location), /^\/analysis\/sets\//, what);
      else if (expected === 'signIn') assert.match(String(res.headers.location), /^\/sign-in/, what);
      else assert.equal(res.statusCode, expected, what);
    }
    const anonymous = agents.get('anonymous')!;
    const review = await anonymous.get(rp.review({ year: '2025' }));
    const csv = await anonymous.get(rp.reviewCsv({ year: '2025' }));
    const api = await t.app.inject({ url: rp.api.figures({ year: '2025' }) });
    for (const body of [review.body, csv.body, api.body]) {
      assert.doesNotMatch(body, /Multi-year funding would let us plan properly/);
      assert.doesNotMatch(body, /What one thing should government do/);
    }
  });

  test('publishing is for admins only', async () => {
    for (const person of people)
      await expectFor(
        person,
        'POST',
        rp.publish({ editionId: lastId }),
        person === 'anonymous' ? 'signIn' : person === 'admin' ? 422 : 403,
      );
  });

  test('unpublished results are not found for anyone, in pages, CSV and API', async () => {
    for (const person of people) {
      await expectFor(person, 'GET', rp.review({ year: '2026' }), 404);
      await expectFor(person, 'GET', rp.reviewCsv({ year: '2026' }), 404);
      await expectFor(person, 'GET', rp.review({ year: '2025' }), 'allow');
    }
    assert.equal((await t.app.inject({ url: rp.api.figures({ year: '2026' }) })).statusCode, 404);
    const list = await t.app.inject({ url: rp.api.editions() });
    assert.ok(!list.json().reviews.some((r: { year: number }) => r.year === 2026));
    // A year with no edition at all, and nonsense.
    assert.equal((await agents.get('anonymous')!.get(rp.review({ year: '1999' }))).statusCode, 404);
    assert.equal((await agents.get('anonymous')!.get('/annual-review/abc/review')).statusCode, 404);
  });
});
