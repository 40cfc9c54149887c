/**
 * A body's scorecard page with 1,000,000 cases and 100,000 survey answers in the database (issue 5
 * acceptance: renders in ≤ 100 ms p95), on PostgreSQL, through the real HTTP route.
 *
 *   npm run bench -- scorecards      (BENCH_CASES=1000000; BENCH_REUSE=1 keeps the generated database)
 *
 * Creates a fresh database `covenant_bench_scorecards` (127.0.0.1:5432 or BENCH_PG_URL), migrates it, loads
 * the reference bodies and the Covenant, generates the cases with the casework generator
 * (bench/cases/generate.ts), then an annual review: 50,000 anonymous responses with two answers each (a
 * rating of a body, weighted towards busy bodies like the cases, and a choice), 100,000 answers, and its
 * published per-body figures (Wilson intervals and small-cell suppression from platform/stats, as the
 * surveys module publishes them). Then `covenant scorecards rebuild` (timed: the one full pass over the
 * cases; afterwards the job and reads keep the facts fresh incrementally).
 *
 * Measured: GET /scorecards/bodies/:slug for the busiest body (about 3% of the cases), a middling and a
 * small one: one request at a time (200 each, after 20 warm-up requests), which is the page's render
 * time, then 4 concurrent connections for 10 seconds. Target: p95 of the requests alone ≤ 100 ms.
 */
import pg from 'pg';
import { createDeps } from '../../src/container.ts';
import { ensureCovenantReference } from '../../src/modules/covenant/covenant.seed.ts';
import { scorecardPaths } from '../../src/modules/scorecards/scorecards.paths.ts';
import { suppressOneWay, wilsonInterval } from '../../src/platform/stats/index.ts';
import { generateCases } from '../cases/generate.ts';
import { benchConfig, fmt, freshDatabase, load, pgServerUrl, startApp } from '../support.ts';

export const scorecardTarget = { p95Ms: 100 };
const DATABASE = 'covenant_bench_scorecards';
const SURVEY_RESPONSES = 50_000;

/** 50,000 responses × 2 answers, and the published per-body figures of the rating question. */
async function generateSurvey(client: pg.ClientBase): Promise<number> {
  const year = new Date().getFullYear() - 1;
  await client.query(`set session_replication_role = replica`);
  await client.query(
    `insert into survey_editions (id, year, title, status, closes_at, published_at, results_published_at)
     values (md5('edition')::uuid, $1::int, 'Annual review ' || $1::text, 'published', now() - interval '30 days',
       now() - interval '90 days', now() - interval '20 days')`,
    [year],
  );
  await client.query(`insert into survey_sections (id, edition_id, key, position, title)
    values (md5('section')::uuid, md5('edition')::uuid, 'experience', 1, 'Your experience')`);
  await client.query(`insert into survey_questions (id, edition_id, section_id, key, position, type, text, settings)
    values (md5('q-rating')::uuid, md5('edition')::uuid, md5('section')::uuid, 'body_rating', 1, 'body_rating',
      'How well did this body work with your organisation?', '{}'),
    (md5('q-choice')::uuid, md5('edition')::uuid, md5('section')::uuid, 'consulted', 2, 'single_choice',
      'Were you consulted before decisions that affected you?', '{}')`);
  await client.query(
    `insert into survey_responses (id, edition_id, organisation_type, income_band, nation, region, role)
     select md5('resp' || g)::uuid, md5('edition')::uuid,
       (array['charity','social_enterprise','community_group'])[1 + g % 3],
       (array['under_10k','10k_100k','100k_1m','over_1m'])[1 + g % 4],
       (array['england','wales','scotland','northern-ireland'])[1 + g % 4], 'not_stated',
       (array['staff','trustee','volunteer'])[1 + g % 3]
     from generate_series(1, $1::int) g`,
    [SURVEY_RESPONSES],
  );
  // Bodies in the generator's order (busiest first); ratings weighted the same way as the cases.
  await client.query(`create temp table bench_survey_bodies as
    select (row_number() over (order by md5(id::text)) - 1)::int as n, id from organisations
    where kind = 'public_body'`);
  const {
    rows: [{ bodies }],
  } = await client.query<{ bodies: number }>(`select count(*)::int as bodies from bench_survey_bodies`);
  await client.query(
    `insert into survey_answers (id, response_id, edition_id, question_id, question_key, body_id, rating)
     select md5('ans-r' || g)::uuid, md5('resp' || g)::uuid, md5('edition')::uuid, md5('q-rating')::uuid,
       'body_rating', b.id, 1 + (hashint8extended(g, 21) & 2147483647) % 5
     from generate_series(1, $1::int) g
     join bench_survey_bodies b on b.n = floor(${bodies} * power(((hashint8extended(g, 22) & 2147483647)::float8 / 2147483648.0), 2))::int;
     insert into survey_answers (id, response_id, edition_id, question_id, question_key, choice)
     select md5('ans-c' || g)::uuid, md5('resp' || g)::uuid, md5('edition')::uuid, md5('q-choice')::uuid,
       'consulted', (array['yes','no','not_sure'])[1 + (hashint8extended(g, 23) & 2147483647) % 3]
     from generate_series(1, $1::int) g`.replace(/\$1/g, String(SURVEY_RESPONSES)),
  );
  await client.query(`set session_replication_role = origin`);
  // The published figures per body, from the answers, as the surveys module would freeze them.
  const { rows } = await client.query<{ bodyId: string; rating: number; n: number }>(
    `select body_id as "bodyId", rating, count(*)::int as n from survey_answers
     where question_key = 'body_rating' group by 1, 2 order by 1, 2`,
  );
  const byBody = new Map<string, number[]>();
  for (const r of rows) {
    const counts = byBody.get(r.bodyId) ?? [0, 0, 0, 0, 0];
    counts[r.rating - 1] = r.n;
    byBody.set(r.bodyId, counts);
  }
  const figures: unknown[][] = [];
  for (const [bodyId, counts] of byBody) {
    const base = counts.reduce((a, b) => a + b, 0);
    const states = suppressOneWay(counts, base, true);
    figures.push([bodyId, '*', base, base, states.total, null, null, null, 0]);
    counts.forEach((n, i) => {
      const ci = states.cells[i] === 'shown' ? wilsonInterval(n, base) : null;
      figures.push([
        bodyId,
        String(i + 1),
        ci ? n : null,
        base,
        states.cells[i],
        ci?.estimate ?? null,
        ci?.lower ?? null,
        ci?.upper ?? null,
        i + 1,
      ]);
    });
  }
  for (let i = 0; i < figures.length; i += 2000) {
    const chunk = figures.slice(i, i + 2000);
    await client.query(
      `insert into survey_published_figures (edition_id, question_key, breakdown, group_value, option, n, base,
         suppressed, percent, lower, upper, position)
       select md5('edition')::uuid, 'body_rating', 'body', f->>0, f->>1, (f->>2)::int, (f->>3)::int, f->>4,
         (f->>5)::float8, (f->>6)::float8, (f->>7)::float8, (f->>8)::int
       from jsonb_array_elements($1::jsonb) f`,
      [JSON.stringify(chunk)],
    );
  }
  await client.query('vacuum (analyze) survey_answers, survey_responses, survey_published_figures');
  const {
    rows: [{ answers }],
  } = await client.query<{ answers: number }>(`select count(*)::int as answers from survey_answers`);
  return answers;
}

async function prepareDatabase(count: number): Promise<string> {
  const url = await freshDatabase(DATABASE);
  const deps = await createDeps(benchConfig(url), { runWorker: false });
  try {
    await deps.db.migrate();
    await ensureCovenantReference(deps.db, deps.clock);
    await deps.directory.ensureReferenceData();
  } finally {
    await deps.db.close();
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const seconds = await generateCases(client, count);
    console.log(`scorecards: generated ${fmt(count, 0)} cases in ${fmt(seconds)} s`);
    const t = performance.now();
    const answers = await generateSurvey(client);
    console.log(
      `scorecards: generated ${fmt(answers, 0)} survey answers in ${fmt((performance.now() - t) / 1000)} s`,
    );
  } finally {
    await client.end();
  }
  return url;
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;

export async function runScorecardsBench(options: { count?: number } = {}) {
  const count = options.count ?? Number(process.env.BENCH_CASES ?? 1_000_000);
  const reuse = process.env.BENCH_REUSE === '1';
  const url = reuse ? `${pgServerUrl}/${DATABASE}` : await prepareDatabase(count);
  const running = await startApp(url);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const t = performance.now();
    const rebuilt = await running.deps.scorecardsRefresh.rebuild();
    const rebuildSeconds = (performance.now() - t) / 1000;
    console.log(
      `scorecards: rebuilt the facts of ${fmt(rebuilt.cases, 0)} cases in ${fmt(rebuildSeconds)} s`,
    );
    await client.query('vacuum (analyze) scorecard_case_facts, scorecard_facts');
    const { rows: bodies } = await client.query<{ slug: string; cases: number }>(
      `with ranked as (select o.id, o.slug, row_number() over (order by md5(o.id::text)) - 1 as n
         from organisations o where o.kind = 'public_body')
       select r.slug, (select count(*) from cases c where c.body_id = r.id)::int as cases
       from ranked r where r.n in (0, 40, 600) order by cases desc`,
    );
    const results: { slug: string; cases: number; p50: number; p95: number; p99: number }[] = [];
    for (const body of bodies) {
      const path = scorecardPaths.body({ slug: body.slug });
      const times: number[] = [];
      for (let i = 0; i < 220; i++) {
        const started = performance.now();
        const res = await fetch(running.baseUrl + path);
        const text = await res.text();
        if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
        if (i === 0 && !text.includes('<svg') && body.cases > 0) throw new Error(`${path}: no chart`);
        if (i >= 20) times.push(performance.now() - started);
      }
      times.sort((a, b) => a - b);
      results.push({
        slug: body.slug,
        cases: body.cases,
        p50: percentile(times, 0.5),
        p95: percentile(times, 0.95),
        p99: percentile(times, 0.99),
      });
    }
    for (const r of results)
      console.log(
        `scorecards: /scorecards/bodies/${r.slug} (${fmt(r.cases, 0)} cases) alone: p50 ${fmt(r.p50)} ms, p95 ${fmt(r.p95)} ms, p99 ${fmt(r.p99)} ms`,
      );
    const concurrent = await load(
      running.baseUrl,
      results.map((r) => ({ path: scorecardPaths.body({ slug: r.slug }) })),
      { connections: 4, seconds: 10, maxRequests: 20_000 },
    );
    console.log(
      `scorecards: 4 concurrent connections: p50 ${fmt(concurrent.p50)} ms, p95 ${fmt(concurrent.p95)} ms, ${fmt(concurrent.perSecond, 0)} req/s, statuses ${JSON.stringify(concurrent.statuses)}`,
    );
    const worst = Math.max(...results.map((r) => r.p95));
    const ok = worst <= scorecardTarget.p95Ms;
    console.log(
      `scorecards: worst p95 ${fmt(worst)} ms against the ${scorecardTarget.p95Ms} ms target: ratio ${fmt(worst / scorecardTarget.p95Ms, 2)} — ${ok ? 'met' : 'NOT met'}`,
    );
    return { ok, results, concurrent, rebuildSeconds };
  } finally {
    await client.end();
    await running.close();
  }
}
