/**
 * Results pages, publishing, the published review, its CSV and the API, through the real app. Data: the
 * demo edition (this year, open) and the results demo (two earlier closed editions with generated responses
 * and published reviews), plus public bodies to rate.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { and, eq, sql } from 'drizzle-orm';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { createUser, signIn } from '../../../test/helpers/accounts.ts';
import { createTestOrganisation } from '../../../test/helpers/cases.ts';
import type { Agent } from '../../../test/helpers/agent.ts';
import { auditLog } from '../../platform/audit/audit.tables.ts';
import { rowsOf } from '../../platform/db/database.ts';
import { ensureCovenantReference } from '../covenant/covenant.seed.ts';
import { seedSurveyResultsDemo } from './surveys.results.demo.ts';
import { resultsPaths as rp } from './surveys.results.paths.ts';
import { surveyPublishedFigures } from './surveys.tables.ts';
import type { Edition } from './surveys.repository.ts';
import { aggregate, cubeCopyOf } from './surveys.results.cube.ts';
import { createSurveyResultsRepository } from './surveys.results.repository.ts';

describe('annual review results: pages', () => {
  let t: TestApp;
  let admin: Agent;
  let panel: Agent;
  let editions: Record<'current' | 'last' | 'before', Edition>;

  before(async () => {
    t = await createTestApp();
    await ensureCovenantReference(t.deps.db, t.clock);
    for (const name of ['Alpha Agency', 'Beta Department', 'Gamma Council', 'Delta Office', 'Epsilon Trust'])
      await createTestOrganisation(t.deps, { name });
    // This year's edition, open (the builder's demo seed makes a fuller one; results need only that it exists).
    await t.deps.surveysRepository.insertEdition({
      year: 2026,
      title: 'Annual review of stakeholder experiences 2026',
      status: 'published',
      publishedAt: new Date('2025-12-20T09:00:00Z'),
      closesAt: new Date('2026-02-28T23:59:59Z'),
    });
    await seedSurveyResultsDemo(t.deps);
    const repo = t.deps.surveysRepository;
    editions = {
      current: (await repo.editionByYear(2026))!,
      last: (await repo.editionByYear(2025))!,
      before: (await repo.editionByYear(2024))!,
    };
    admin = t.agent();
    await signIn(
      admin,
      await createUser(t.deps, {
        roles: [
          { role: 'admin', organisationId: (await createTestOrganisation(t.deps, { kind: 'cso' })).id },
        ],
        totp: true,
      }),
    );
    panel = t.agent();
    await signIn(
      panel,
      await createUser(t.deps, {
        roles: [
          {
            role: 'panel_member',
            organisationId: (await createTestOrganisation(t.deps, { kind: 'cso' })).id,
          },
        ],
        totp: true,
      }),
    );
  });
  after(() => t.close());

  test('the index lists every edition with its responses and review', async () => {
    const res = await panel.get(rp.index());
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /Annual review results/);
    assert.match(res.body, />300</);
    assert.ok(res.body.includes(rp.review({ year: '2025' })));
    assert.ok(res.body.includes(rp.edition({ editionId: editions.current.id })));
  });

  test('an edition lists its questions with how many answered; admins see the publish form', async () => {
    const res = await admin.get(rp.edition({ editionId: editions.last.id }));
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /Our expertise was listened to/);
    assert.ok(
      res.body.includes(rp.question({ editionId: editions.last.id, questionKey: 'expertise-listened' })),
    );
    assert.ok(res.body.includes(rp.text({ editionId: editions.last.id, questionKey: 'one-improvement' })));
    assert.match(res.body, /Publish again/);
    const asPanel = await panel.get(rp.edition({ editionId: editions.last.id }));
    assert.doesNotMatch(asPanel.body, /name="summary"/);
  });

  test('a question: chart with whiskers, summary, table, intervals and change since last year', async () => {
    const res = await panel.get(
      rp.question({ editionId: editions.last.id, questionKey: 'expertise-listened' }),
    );
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /<svg[^>]+role="img"/);
    assert.match(res.body, /app-chart__whisker/);
    assert.match(res.body, /answered this question/);
    assert.match(res.body, /95% confidence interval/);
    assert.match(res.body, /Change since 2024/);
    assert.match(res.body, /Strongly agree/);
    assert.match(res.body, /\d+% to \d+%/);
  });

  test('filters by attribute, breakdowns and small groups withheld', async () => {
    const path = rp.question(
      { editionId: editions.last.id, questionKey: 'expertise-listened' },
      { nation: 'wales', by: 'role' },
    );
    const res = await panel.get(path);
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /Filtered results/);
    assert.match(res.body, /By role/);
    // Few respondents are in Wales: figures under 10 are withheld, in words.
    assert.match(res.body, /Withheld/);
    assert.match(res.body, /<option value="wales" selected>/);
  });

  test('a body-rating question can be filtered by body and broken down by body', async () => {
    const ids = await t.deps.surveyResults.questionResults(
      (await adminUser()) as never,
      editions.last.id,
      'body-ratings',
      { filters: {}, bodyId: null, by: 'body' },
    );
    assert.ok(ids.bodies.length > 0);
    const body = ids.bodies[0]!;
    const res = await panel.get(
      rp.question({ editionId: editions.last.id, questionKey: 'body-ratings' }, { body: body.id }),
    );
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /Very good/);
    const by = await panel.get(
      rp.question({ editionId: editions.last.id, questionKey: 'body-ratings' }, { by: 'body' }),
    );
    assert.match(by.body, /By public body/);
    assert.ok(by.body.includes(body.name));
  });

  test('bad filters are refused with an error summary; unknown questions are not found', async () => {
    const res = await panel.get(
      rp.question({ editionId: editions.last.id, questionKey: 'expertise-listened' }, { nation: 'atlantis' }),
    );
    assert.equal(res.statusCode, 422);
    assert.match(res.body, /govuk-error-summary/);
    assert.match(res.body, /Select a value from the list/);
    const unknown = await panel.get(
      rp.question({ editionId: editions.last.id, questionKey: 'no-such-question' }),
    );
    assert.equal(unknown.statusCode, 404);
    const badEdition = await panel.get(rp.edition({ editionId: 'not-an-id' }));
    assert.equal(badEdition.statusCode, 404);
  });

  test('free-text answers are shown raw to analysts, paginated', async () => {
    const res = await panel.get(rp.text({ editionId: editions.last.id, questionKey: 'one-improvement' }));
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /\d+ answers/);
    assert.match(res.body, /funding|consultations|decisions|letters|advisory/);
    const notText = await panel.get(
      rp.text({ editionId: editions.last.id, questionKey: 'expertise-listened' }),
    );
    assert.equal(notText.statusCode, 404);
    const farPage = await panel.get(
      rp.text({ editionId: editions.last.id, questionKey: 'one-improvement' }, { page: '999' }),
    );
    assert.equal(farPage.statusCode, 404);
  });

  test('free-text answers go to the thematic analysis: a set of every answer, with a run queued', async () => {
    const question = { editionId: editions.last.id, questionKey: 'one-improvement' };
    const page = await panel.get(rp.text(question));
    assert.ok(page.body.includes(`action="${rp.analyse(question)}"`), 'the page offers the analysis');
    const started = await panel.submit(rp.analyse(question), {});
    assert.equal(started.statusCode, 303);
    const setId = /^\/analysis\/sets\/([0-9a-f-]{36})$/.exec(String(started.headers.location))?.[1];
    assert.ok(setId, `redirected to the set: ${started.headers.location}`);
    const answers = await t.deps.surveysRepository.textAnswers(
      (await t.deps.surveysRepository.questionsOf(editions.last.id)).find((q) => q.key === 'one-improvement')!
        .id,
      1_000_000,
      0,
    );
    const [row] = rowsOf<{ items: number; runs: number; source: string; source_ref: string }>(
      await t.deps.db.get()
        .execute(sql`select (select count(*)::int from analysis_items i where i.set_id = s.id) items,
        (select count(*)::int from analysis_runs r where r.set_id = s.id) runs, s.source, s.source_ref
        from analysis_sets s where s.id = ${setId}`),
    );
    assert.equal(row?.items, answers.length, 'every answer is in the set');
    assert.ok(answers.length > 0);
    assert.equal(row?.runs, 1, 'a themes run is queued');
    assert.equal(row?.source, 'survey_question');
    assert.equal(row?.source_ref, `${editions.last.id}:one-improvement`);

    const notText = await panel.submit(rp.analyse({ ...question, questionKey: 'expertise-listened' }), {});
    assert.equal(notText.statusCode, 404);
    const none = await panel.submit(
      rp.analyse({ editionId: editions.current.id, questionKey: 'one-improvement' }),
      {},
    );
    assert.ok([404, 422].includes(none.statusCode), `no answers: ${none.statusCode}`);
  });

  test('publishing: a summary is required, an open edition is refused, republishing is audited', async () => {
    const empty = await admin.submit(
      rp.edition({ editionId: editions.last.id }),
      { summary: '  ' },
      rp.publish({ editionId: editions.last.id }),
    );
    assert.equal(empty.statusCode, 422);
    assert.match(empty.body, /Enter a summary of findings/);
    const open = await admin.post(
      rp.publish({ editionId: editions.current.id }),
      { summary: 'Too early' },
      rp.edition({ editionId: editions.last.id }),
    );
    assert.equal(open.statusCode, 422);
    assert.match(open.body, /only after the edition has closed/);
    const done = await admin.submit(
      rp.edition({ editionId: editions.last.id }),
      { summary: 'Demo data: republished summary.' },
      rp.publish({ editionId: editions.last.id }),
    );
    assert.equal(done.statusCode, 303);
    assert.equal(done.headers.location, rp.review({ year: '2025' }));
    const audit = await t.deps.db
      .get()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'survey.results.republished'), eq(auditLog.entityId, editions.last.id)));
    assert.equal(audit.length, 1);
    const review = await admin.get(rp.review({ year: '2025' }));
    assert.match(review.body, /republished summary/);
  });

  test('no published figure is under 10, and withheld ones carry no number', async () => {
    const figures = await t.deps.db.get().select().from(surveyPublishedFigures);
    assert.ok(figures.length > 100);
    for (const f of figures) {
      if (f.option === 'mean') continue;
      if (f.suppressed === 'shown') assert.ok(f.n !== null && f.n >= 10, JSON.stringify(f));
      else assert.equal(f.n, null);
    }
    // Free text is never published.
    assert.ok(!figures.some((f) => f.questionKey === 'one-improvement'));
  });

  test('the published review: headlines by principle, charts, trends, profile, methodology, print CSS', async () => {
    const res = await t.agent().get(rp.review({ year: '2025' }));
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /Headline findings by principle/);
    assert.match(res.body, /Recognition and value/i);
    assert.match(res.body, /agree or strongly agree/);
    assert.match(res.body, /<svg/);
    assert.match(res.body, /Trends/);
    assert.match(res.body, /<th[^>]*>2024<\/th>/);
    assert.match(res.body, /Who responded/);
    assert.match(res.body, /Methodology/);
    assert.match(res.body, /Demo data/);
    assert.ok(res.body.includes('/public/survey-results.css'));
    const css = await t.agent().get('/public/survey-results.css');
    assert.equal(css.statusCode, 200);
    assert.match(css.body, /@media print/);
    const list = await t.agent().get(rp.reviews());
    assert.ok(list.body.includes(rp.review({ year: '2024' })));
  });

  test('the CSV holds the suppressed figures, withheld ones blank', async () => {
    const res = await t.agent().get(rp.reviewCsv({ year: '2025' }));
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /text\/csv/);
    assert.match(String(res.headers['content-disposition']), /annual-review-2025-figures\.csv/);
    const lines = res.body.trim().split('\r\n');
    assert.equal(
      lines[0],
      'year,question_key,question,breakdown,group,option,answer,n,base,percent,ci_lower_percent,ci_upper_percent,mean,status',
    );
    assert.ok(lines.some((l) => l.endsWith(',withheld') && /,,/.test(l)));
    assert.ok(lines.some((l) => l.startsWith('2025,expertise-listened,') && l.endsWith(',shown')));
    assert.ok(!res.body.includes('one-improvement'));
  });

  test('the API lists published reviews and serves their figures; unpublished years are not found', async () => {
    const list = await t.app.inject({ url: rp.api.editions() });
    assert.equal(list.statusCode, 200);
    assert.deepEqual(
      list.json().reviews.map((r: { year: number }) => r.year),
      [2025, 2024],
    );
    const figures = await t.app.inject({ url: rp.api.figures({ year: '2025' }) });
    assert.equal(figures.statusCode, 200);
    const body = figures.json();
    assert.equal(body.review.year, 2025);
    const q = body.questions.find((x: { key: string }) => x.key === 'expertise-listened');
    assert.ok(q.figures.length > 10);
    for (const f of q.figures) if (f.withheld) assert.equal(f.n, null);
    assert.ok(body.respondents.length > 0);
    assert.equal((await t.app.inject({ url: rp.api.figures({ year: '2026' }) })).statusCode, 404);
    assert.equal((await t.app.inject({ url: rp.api.figures({ year: '12' }) })).statusCode, 400);
    const openapi = (await t.app.inject({ url: '/api/openapi.json' })).json();
    assert.ok(openapi.paths['/api/v1/annual-review/{year}/figures']);
  });

  test('the in-process cube copy sums exactly as SQL does, under filters and breakdowns', async () => {
    const question = (await t.deps.surveysRepository.questionByKey(editions.last.id, 'body-ratings'))!;
    const results = createSurveyResultsRepository(t.deps.db);
    const copy = cubeCopyOf(await results.cubeRows(question.id), 0);
    const sorted = (cells: { grp: string; option: string; n: number }[]) =>
      cells.map((c) => `${c.grp}|${c.option}|${c.n}`).sort();
    for (const [by, filters] of [
      ['all', {}],
      ['nation', {}],
      ['role', { nation: 'england' }],
      ['body', { incomeBand: 'small', role: 'chief_executive' }],
      ['region', { organisationType: 'no-such-type' }],
    ] as const)
      assert.deepEqual(
        sorted(aggregate(copy, by, filters)),
        sorted(await results.cells(question.id, by, filters)),
      );
  });

  test('bodyResults gives a body its published ratings for the scorecard', async () => {
    const body = (await t.deps.surveysRepository.listBodies())[0]!;
    const results = await t.deps.surveyResults.bodyResults(body.id);
    assert.ok(results.length > 0);
    const [latest] = results;
    assert.equal(latest!.year, 2025);
    assert.equal(latest!.questionKey, 'body-ratings');
    if (latest!.ratings !== null) assert.ok(latest!.ratings >= 10);
    assert.deepEqual(await t.deps.surveyResults.bodyResults('nope'), []);
  });

  async function adminUser() {
    return {
      id: 'x',
      email: 'x',
      displayName: 'x',
      locale: 'en',
      emailVerified: true,
      totpEnabled: true,
      memberships: [
        {
          role: 'admin',
          organisationId: 'x',
          organisationName: 'x',
          organisationSlug: 'x',
          organisationKind: 'cso',
        },
      ],
    };
  }
});
