/**
 * Scorecards through the real app: a body's scorecard from cases built like intake builds them, kept fresh
 * by the watermark (a new case shows on the next read; a pending deadline turns late when the clock
 * passes it), the league table of one type, CSV downloads that a spreadsheet cannot run, the JSON API and
 * its OpenAPI entries, bad input, organisations that are not public bodies, the configurable minimum count,
 * and a full rebuild that agrees with the incremental counters.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { eq, inArray, sql } from 'drizzle-orm';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { buildCase, createTestOrganisation, type TestOrganisation } from '../../../test/helpers/cases.ts';
import { rowsOf } from '../../platform/db/database.ts';
import { wilsonInterval } from '../../platform/stats/index.ts';
import { caseClockEvents, caseEvents, cases, caseCommitments } from '../cases/cases.tables.ts';
import { ensureCovenantReference } from '../covenant/covenant.seed.ts';
import { covenantCommitments } from '../covenant/covenant.tables.ts';
import { directoryPaths } from '../directory/directory.paths.ts';
import { organisations } from '../directory/directory.tables.ts';
import { scorecardPaths as p } from './scorecards.paths.ts';

const day = (d: string) => new Date(`${d}T10:00:00Z`);

async function bodyOfType(t: TestApp, type: 'local_authority' | 'department', name?: string) {
  const body = await createTestOrganisation(t.deps, name ? { name } : {});
  const [row] = await t.deps.db
    .get()
    .update(organisations)
    .set({ publicBodyType: type })
    .where(eq(organisations.id, body.id))
    .returning({ slug: organisations.slug });
  return { ...body, slug: row!.slug };
}

/** `count` cases with the body, acknowledged and answered as given (dates in January 2026). */
async function casesFor(
  t: TestApp,
  body: TestOrganisation,
  count: number,
  handled: { acknowledgedAt?: Date | null; respondedAt?: Date | null; state?: 'with_body' | 'responded' },
) {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const built = await buildCase(t.deps, { state: handled.state ?? 'with_body', body });
    await t.deps.db
      .get()
      .update(cases)
      .set({ acknowledgedAt: handled.acknowledgedAt ?? null, respondedAt: handled.respondedAt ?? null })
      .where(eq(cases.id, built.id));
    ids.push(built.id);
  }
  return ids;
}

const counterRows = async (t: TestApp) =>
  rowsOf<Record<string, unknown>>(
    await t.deps.db.get().execute(sql`select * from scorecard_facts order by scope, scope_id, year`),
  );

describe('scorecards', () => {
  let t: TestApp;
  let council: Awaited<ReturnType<typeof bodyOfType>>;
  let small: Awaited<ReturnType<typeof bodyOfType>>;
  let department: Awaited<ReturnType<typeof bodyOfType>>;
  let commitment: { id: string; code: string };
  let onTime: string[];

  before(async () => {
    t = await createTestApp();
    await ensureCovenantReference(t.deps.db, t.deps.clock);
    [commitment] = await t.deps.db
      .get()
      .select({ id: covenantCommitments.id, code: covenantCommitments.code })
      .from(covenantCommitments)
      .limit(1);
    // A name a spreadsheet would run as a formula, to prove the CSV defuses it.
    council = await bodyOfType(t, 'local_authority', '=Riverside Council');
    small = await bodyOfType(t, 'local_authority');
    department = await bodyOfType(t, 'department');
    // Submitted Monday 5 January 2026: acknowledge by 12 January, respond by 2 February.
    onTime = await casesFor(t, council, 8, {
      state: 'responded',
      acknowledgedAt: day('2026-01-06'),
      respondedAt: day('2026-01-07'),
    });
    await casesFor(t, council, 4, { acknowledgedAt: day('2026-01-15') });
    await casesFor(t, small, 3, {
      state: 'responded',
      acknowledgedAt: day('2026-01-06'),
      respondedAt: day('2026-01-07'),
    });
    await casesFor(t, department, 15, {
      state: 'responded',
      acknowledgedAt: day('2026-01-06'),
      respondedAt: day('2026-01-30'),
    });
    await t.deps.db
      .get()
      .insert(caseCommitments)
      .values(
        onTime
          .slice(0, 5)
          .map((caseId) => ({ caseId, commitmentId: commitment.id, source: 'reporter' as const })),
      );
  });
  after(() => t.close());

  test("a body's scorecard: rates with intervals, withheld below the minimum with the reason", async () => {
    const res = await t.agent().get(p.body({ slug: council.slug }));
    assert.equal(res.statusCode, 200);
    const html = res.body;
    assert.match(html, /&#61;Riverside Council|=Riverside Council/);
    // 8 of 12 acknowledged by 12 January: 67% with its Wilson interval.
    const ci = wilsonInterval(8, 12)!;
    const pct = (v: number) => `${Math.round(v * 100)}%`;
    assert.ok(
      html.includes(
        `Acknowledged on time: 67% (${pct(ci.lower)} to ${pct(ci.upper)}), 8 of 12 deadlines decided.`,
      ),
      'acknowledged rate with interval',
    );
    // Answered: 8 decided, 4 still within the deadline: too few to show.
    assert.ok(html.includes('Answered on time: not shown, 8 deadlines decided, fewer than 10.'));
    assert.match(html, /Rates based on fewer than 10 cases are not shown/);
    // The charts are SVG with a title, a description and a table beside them.
    assert.match(html, /<svg[^>]+role="img"[^>]+aria-labelledby="body-rates-title body-rates-desc"/);
    assert.match(
      html,
      /<caption class="govuk-table__caption govuk-table__caption--s">Data for: Rates in 2026/,
    );
    // Sections with nothing to show say so instead of inventing figures.
    assert.match(html, /This body has not published an engagement action plan yet/);
    assert.match(html, /No data yet: no published annual review has asked about this body/);
    assert.match(html, /No data yet/);
    assert.ok(html.includes(p.league({ type: 'local_authority' })));
    // The directory's page of the body links here.
    const directory = await t.agent().get(directoryPaths.body({ slug: council.slug }));
    assert.ok(directory.body.includes(`href="${p.body({ slug: council.slug })}"`));
  });

  test('the league table ranks one type only, lists the bodies with too few cases, and compares with the type', async () => {
    const res = await t.agent().get(p.league({ type: 'local_authority', measure: 'acknowledged' }));
    assert.equal(res.statusCode, 200);
    assert.ok(res.body.includes('Riverside Council'));
    assert.ok(!res.body.includes(department.name), 'a department is never in a council league');
    assert.match(res.body, /Not ranked: fewer than 10/);
    assert.ok(res.body.includes(small.name));
    assert.match(res.body, /<svg[^>]+role="img"/);
    const dept = await t.agent().get(p.league({ type: 'department', measure: 'answered', year: '2026' }));
    assert.equal(dept.statusCode, 200);
    assert.ok(dept.body.includes(department.name));
    assert.match(dept.body, /All bodies of this type/);
  });

  test('bad league choices re-render with the error summary (422); unknown bodies are not found', async () => {
    const bad = await t.agent().get(p.league({ type: 'castle', year: '1066', measure: 'speed' }));
    assert.equal(bad.statusCode, 422);
    assert.match(bad.body, /govuk-error-summary/);
    assert.match(bad.body, /Choose a type of body/);
    assert.match(bad.body, /Choose a measure/);
    assert.match(bad.body, /Choose a year from the list/);
    assert.equal((await t.agent().get(p.body({ slug: 'no-such-body' }))).statusCode, 404);
    // A civil society organisation has no scorecard.
    const cso = await createTestOrganisation(t.deps, { kind: 'cso' });
    const [row] = await t.deps.db
      .get()
      .select({ slug: organisations.slug })
      .from(organisations)
      .where(eq(organisations.id, cso.id));
    assert.equal((await t.agent().get(p.body({ slug: row!.slug }))).statusCode, 404);
    assert.equal((await t.agent().get(p.commitment({ code: 'ZZ9' }))).statusCode, 404);
  });

  test('a commitment scorecard counts the cases citing it', async () => {
    const res = await t.agent().get(p.commitment({ code: commitment.code }));
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /5 cases reported in all/);
    assert.match(res.body, /No published action plan has an action linked to this commitment yet/);
  });

  test('CSV downloads are formula-safe', async () => {
    const res = await t.agent().get(p.bodyCsv({ slug: council.slug }));
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^text\/csv/);
    assert.match(String(res.headers['content-disposition']), /attachment/);
    const lines = res.body.trim().split(/\r\n/);
    assert.equal(lines[0], 'scope,name,year,measure,numerator,denominator,rate,lower,upper,shown,cases');
    assert.ok(
      lines.some((l) => l.startsWith("body,'=Riverside Council,2026,acknowledged,8,12,0.6667,")),
      lines.join('\n'),
    );
    // A withheld rate has no numerator in the download either.
    assert.ok(lines.some((l) => /^body,'=Riverside Council,2026,answered,,\d,,,,no: fewer than 10,/.test(l)));
    const league = await t.agent().get(p.leagueCsv({ type: 'local_authority', measure: 'acknowledged' }));
    assert.equal(league.statusCode, 200);
    assert.ok(league.body.includes("'=Riverside Council"));
    assert.ok(!/(^|,)=/m.test(league.body), 'no cell starts with =');
  });

  test('the JSON API gives the same figures, never a withheld numerator, and is in the OpenAPI document', async () => {
    const res = await t.app.inject({ url: p.api.body({ slug: council.slug }) });
    assert.equal(res.statusCode, 200);
    const json = res.json();
    const year = json.casework.years.find((y: { year: number }) => y.year === 2026);
    assert.deepEqual(
      { shown: year.rates.acknowledged.shown, x: year.rates.acknowledged.x, n: year.rates.acknowledged.n },
      { shown: true, x: 8, n: 12 },
    );
    assert.equal(year.rates.answered.shown, false);
    assert.equal('x' in year.rates.answered, false);
    assert.equal(year.rates.answered.reason, 'too_few');
    assert.deepEqual(json.survey, []);
    const league = await t.app.inject({
      url: p.api.league({ type: 'local_authority', measure: 'acknowledged' }),
    });
    assert.equal(league.statusCode, 200);
    assert.equal(league.json().ranked[0].body.slug, council.slug);
    assert.equal((await t.app.inject({ url: p.api.league({ type: 'castle' }) })).statusCode, 400);
    assert.equal((await t.app.inject({ url: p.api.body({ slug: 'nope' }) })).statusCode, 404);
    const doc = (await t.app.inject({ url: '/api/openapi.json' })).json();
    for (const path of [
      '/api/v1/scorecards/bodies/{slug}',
      '/api/v1/scorecards/commitments/{code}',
      '/api/v1/scorecards/league',
    ])
      assert.ok(doc.paths[path], `${path} in the OpenAPI document`);
  });

  test('the facts stay fresh: a new case shows at once, a passed deadline turns late', async () => {
    const agent = t.agent();
    await buildCase(t.deps, { state: 'with_body', body: council });
    let html = (await agent.get(p.body({ slug: council.slug }))).body;
    assert.match(html, /13 cases reported in all, 13 in 2026\./);
    // 10 February: the four unanswered deadlines (2 February) have passed: 8 of 12 on time, now shown.
    t.clock.set('2026-02-10T09:00:00Z');
    html = (await agent.get(p.body({ slug: council.slug }))).body;
    assert.match(html, /Answered on time: 62% \(\d+% to \d+%\), 8 of 13 deadlines decided\./);
  });

  test('a full rebuild gives the same counters as the incremental refresh', async () => {
    // A change the watermark has to catch: one late case becomes on time, with its timeline event.
    const [late] = await t.deps.db
      .get()
      .select({ id: cases.id })
      .from(cases)
      .where(inArray(cases.bodyId, [council.id]))
      .limit(1);
    await t.deps.db
      .get()
      .update(cases)
      .set({ acknowledgedAt: day('2026-01-06') })
      .where(eq(cases.id, late!.id));
    await t.deps.db.get().insert(caseEvents).values({
      caseId: late!.id,
      at: t.clock.now(),
      actorPart: 'body',
      action: 'acknowledge',
    });
    // And one case with a paused clock, which the rebuild works out apart from the bulk path.
    const paused = await buildCase(t.deps, { state: 'with_body', body: council });
    await t.deps.db
      .get()
      .insert(caseClockEvents)
      .values([
        { caseId: paused.id, type: 'paused', on: '2026-02-11' },
        { caseId: paused.id, type: 'resumed', on: '2026-02-13' },
      ]);
    await t.deps.scorecardsRefresh.refresh();
    const incremental = await counterRows(t);
    const result = await t.deps.scorecardsRefresh.rebuild();
    assert.ok(result.cases >= 30);
    assert.deepEqual(await counterRows(t), incremental);
    // Nothing left to do afterwards.
    assert.equal(await t.deps.scorecardsRefresh.isStale(), false);
  });
});

describe('scorecards with another minimum count', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp({ SCORECARD_MIN_COUNT: '3' });
  });
  after(() => t.close());

  test('SCORECARD_MIN_COUNT lowers the threshold', async () => {
    const body = await bodyOfType(t, 'local_authority');
    await casesFor(t, body, 3, {
      state: 'responded',
      acknowledgedAt: day('2026-01-06'),
      respondedAt: day('2026-01-07'),
    });
    const html = (await t.agent().get(p.body({ slug: body.slug }))).body;
    assert.match(html, /Answered on time: 100% \(\d+% to 100%\), 3 of 3 deadlines decided\./);
    assert.match(html, /Rates based on fewer than 3 cases are not shown/);
  });
});
