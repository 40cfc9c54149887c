/**
 * The annual review's results page for a question with 1,000,000 answers, filtered, on PostgreSQL (issue 6
 * acceptance: p95 ≤ 200 ms).
 *
 *   npm run bench -- surveys      (BENCH_ANSWERS=1000000; BENCH_REUSE=1 keeps the generated database)
 *
 * Creates `covenant_bench_surveys` (127.0.0.1:5432 or BENCH_PG_URL), migrates it, makes two editions of one
 * agreement question (this year with BENCH_ANSWERS responses, last year with a tenth as many, so the page
 * also computes the year-on-year change), generates the anonymous responses and answers in SQL with random
 * respondent attributes, and builds the counts cube the way `rebuildCounts` does after a bulk load. Then,
 * signed in as an analyst, it requests the question's results page through the real HTTP route with a cycle
 * of filters and breakdowns: first each alone (10 times), then autocannon at 1 and 10 connections for 5 seconds and at 4 (the
 * target) for 15 seconds (at most 20,000 requests). Prints p50, p95 and the ratio of p95 to the target.
 * Also (`indexPages`) the results index and the edition's results page, which read the respondent counts
 * kept at submission: that they are fresh, what they cost against counting the responses, and their p95.
 * Refuses a reused database with fewer answers than asked for.
 */
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { createDeps } from '../../src/container.ts';
import { sha256 } from '../../src/platform/auth/tokens.ts';
import { generateTotpSecret } from '../../src/platform/auth/totp.ts';
import { systemActor } from '../../src/platform/audit/audit.ts';
import { SESSION_COOKIE } from '../../src/platform/http/context.ts';
import { resultsPaths } from '../../src/modules/surveys/surveys.results.paths.ts';
import {
  benchConfig,
  fmt,
  freshDatabase,
  load,
  timeEachAlone,
  pgServerUrl,
  startApp,
  type LoadResult,
} from '../support.ts';

/**
 * The issue sets no concurrency; results pages are for a handful of analysts, so the target is met at 4
 * concurrent requests. 1 and 10 are reported too (Node serves one request at a time per process, so at 10
 * the p95 is mostly queueing: about ten times the time of one request).
 */
export const surveysTarget = { p95Ms: 200, connections: 4, alsoAt: [1, 10] };
const DATABASE = 'covenant_bench_surveys';
const KEY = 'expertise-listened';
const YEAR = 2026;

async function prepareDatabase(answers: number): Promise<string> {
  const url = await freshDatabase(DATABASE);
  const deps = await createDeps(benchConfig(url), { runWorker: false });
  try {
    await deps.db.migrate();
    const repo = deps.surveysRepository;
    const org = await deps.accountsRepository.insertOrganisation({
      name: 'Bench Covenant Team',
      slug: 'bench-covenant-team',
      kind: 'cso',
    });
    await deps.accounts.createAccount(systemActor, {
      email: 'analyst@bench.invalid',
      displayName: 'Bench Analyst',
      password: 'bench analyst password',
      emailVerified: true,
      roles: [{ role: 'admin', organisationId: org.id }],
      // Staff need a second factor; the session below is made with it passed.
      totpSecret: generateTotpSecret(),
    });
    for (const [year, n] of [
      [YEAR - 1, Math.round(answers / 10)],
      [YEAR, answers],
    ] as const) {
      const edition = await repo.insertEdition({
        year,
        title: `Annual review of stakeholder experiences ${year}`,
        status: 'published',
        publishedAt: new Date(`${year}-09-01T09:00:00Z`),
        closesAt: new Date(`${year}-11-30T23:59:59Z`),
      });
      const section = await repo.insertSection({
        editionId: edition.id,
        key: 'views',
        position: 1,
        title: 'Views',
      });
      const question = await repo.insertQuestion({
        editionId: edition.id,
        sectionId: section.id,
        key: KEY,
        position: 1,
        type: 'agreement',
        text: 'Our expertise was listened to when policies and services were designed',
        required: true,
      });
      const started = performance.now();
      await generate(url, edition.id, question.id, n, year === YEAR ? 0.55 : 0.5);
      const generated = performance.now();
      await repo.rebuildCounts(edition.id);
      console.log(
        `surveys: ${year}: ${fmt(n, 0)} responses and answers in ${fmt((generated - started) / 1000)} s, counts cube in ${fmt((performance.now() - generated) / 1000)} s`,
      );
    }
  } finally {
    await deps.db.close();
  }
  return url;
}

/** Responses with random attributes (three in four in England) and one agreement answer each. */
async function generate(url: string, editionId: string, questionId: string, n: number, mood: number) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(
      `insert into survey_responses (id, edition_id, organisation_type, income_band, nation, region, role)
       select gen_random_uuid(), $1, o[1 + floor(random() * 8)::int], i[1 + floor(random() * 8)::int], nation,
              case when nation = 'england' then r[1 + floor(random() * 10)::int]
                   when nation = 'not_stated' then 'not_stated' else 'outside-england' end,
              ro[1 + floor(random() * 6)::int]
       from (select (array['england','england','england','england','england','england','wales','scotland',
                            'northern-ireland','uk-wide','not_stated'])[1 + floor(random() * 11)::int] as nation
             from generate_series(1, $2)) g,
            (select array['charity','community_group','social_enterprise','cooperative_mutual','faith_group',
                          'infrastructure','other','not_stated'] o,
                    array['micro','small','medium','large','major','super_major','not_known','not_stated'] i,
                    array['north-east','north-west','yorkshire-and-the-humber','east-midlands','west-midlands',
                          'east-of-england','london','south-east','south-west','not_stated'] r,
                    array['chief_executive','trustee','staff','volunteer','other','not_stated'] ro) a`,
      [editionId, n],
    );
    await client.query(
      `insert into survey_answers (id, response_id, edition_id, question_id, question_key, choice)
       select gen_random_uuid(), id, edition_id, $2, $3,
              (array['strongly_agree','agree','neither','disagree','strongly_disagree'])
                [least(5, greatest(1, 1 + floor((1 - $4::float8) * 5 * random() + random() * 2)::int))]
       from survey_responses where edition_id = $1`,
      [editionId, questionId, KEY, mood],
    );
    await client.query('analyze survey_responses; analyze survey_answers; analyze survey_answer_counts');
  } finally {
    await client.end();
  }
}

/**
 * The results index and the edition's results page (both show how many responded): each alone 10 times and
 * at 4 connections for 5 seconds, against the same target. They read the respondent counts kept at
 * submission, not survey_responses; a response written in a transaction (rolled back after) shows that the
 * count is up to date at once. True when both meet the target and the count was fresh.
 */
async function indexPages(
  running: Awaited<ReturnType<typeof startApp>>,
  editionId: string,
  headers: Record<string, string>,
) {
  const repo = running.deps.surveysRepository;
  const before = await repo.responseCount(editionId);
  let during = -1;
  await running.deps.db
    .transaction(async () => {
      await repo.insertResponse({
        editionId,
        organisationType: 'charity',
        incomeBand: 'small',
        nation: 'wales',
        region: 'outside-england',
        role: 'trustee',
      });
      during = await repo.responseCount(editionId);
      throw new Error('rollback');
    })
    .catch((e: unknown) => {
      if (!(e instanceof Error) || e.message !== 'rollback') throw e;
    });
  const fresh = during === before + 1 && (await repo.responseCount(editionId)) === before;
  console.log(
    `surveys: ${fmt(before, 0)} responses counted from the respondent counts; with one more response in a transaction: ${fmt(during, 0)} (${fresh ? 'up to date' : 'NOT up to date'})`,
  );
  // The query the index used to make (a count of the responses) against the one it makes now, in SQL.
  const time = async (query: string) => {
    const times: number[] = [];
    for (let i = 0; i < 10; i++) {
      const t = performance.now();
      await running.deps.db.get().execute(sql.raw(query.replace('$1', `'${editionId}'`)));
      times.push(performance.now() - t);
    }
    return times.sort((a, b) => a - b)[4]!;
  };
  const counted = await time('select count(*) from survey_responses where edition_id = $1');
  const summed = await time('select sum(n) from survey_response_counts where edition_id = $1');
  const rowsOf = await running.deps.db
    .get()
    .execute(sql`select count(*)::int n from survey_response_counts where edition_id = ${editionId}`);
  console.log(
    `surveys: responses of the edition, median of 10: counting survey_responses ${fmt(counted)} ms; summing its ${fmt((rowsOf as unknown as { rows: { n: number }[] }).rows[0]!.n, 0)} respondent-count rows ${fmt(summed)} ms`,
  );
  let ok = fresh;
  for (const [name, path] of [
    ['results index', resultsPaths.index()],
    ["edition's results", resultsPaths.edition({ editionId })],
  ] as const) {
    const times: number[] = [];
    let status = 0;
    for (let i = 0; i < 10; i++) {
      const t = performance.now();
      const res = await fetch(running.baseUrl + path, { headers, redirect: 'manual' });
      const body = await res.text();
      status = res.status;
      if (!body.includes(fmt(before, 0)) && !body.includes(String(before))) status = -1;
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    const r = await load(running.baseUrl, [{ path, headers }], {
      connections: 4,
      seconds: 5,
      maxRequests: 5_000,
    });
    const met =
      status === 200 && r.p95 <= surveysTarget.p95Ms && Object.keys(r.statuses).every((s) => s === '200');
    ok &&= met;
    console.log(
      `surveys: ${name} (${path}): alone median ${fmt((times[4]! + times[5]!) / 2)} ms, max ${fmt(times[9]!)} ms, status ${status === -1 ? 'count missing' : status}; at 4 concurrent requests p50 ${fmt(r.p50)} ms, p95 ${fmt(r.p95)} ms, ${fmt(r.perSecond, 0)} req/s, statuses ${JSON.stringify(r.statuses)} — ${met ? 'met' : 'NOT met'}`,
    );
  }
  return ok;
}

export async function runSurveysBench(options: { answers?: number; seconds?: number } = {}) {
  const answers = options.answers ?? Number(process.env.BENCH_ANSWERS ?? 1_000_000);
  const seconds = options.seconds ?? 15;
  const url = process.env.BENCH_REUSE === '1' ? `${pgServerUrl}/${DATABASE}` : await prepareDatabase(answers);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const running = await startApp(url);
  try {
    await client.query('analyze survey_answer_counts');
    const {
      rows: [edition],
    } = await client.query<{ id: string }>('select id from survey_editions where year = $1', [YEAR]);
    const {
      rows: [stats],
    } = await client.query<{ answers: number; cells: number }>(
      `select (select count(*)::int from survey_answers where question_key = $1 and edition_id = $2) answers,
              (select count(*)::int from survey_answer_counts where edition_id = $2) cells`,
      [KEY, edition!.id],
    );
    console.log(
      `surveys: the question has ${fmt(stats!.answers, 0)} answers in ${fmt(stats!.cells, 0)} cells of the counts cube`,
    );
    if (stats!.answers < answers)
      throw new Error(
        `the bench database holds ${stats!.answers} answers, fewer than ${answers}: run without BENCH_REUSE`,
      );
    const token = randomBytes(32).toString('base64url');
    await client.query(
      `insert into sessions (id_hash, user_id, last_seen_at, absolute_expires_at, second_factor_at)
       select $1, id, now(), now() + interval '1 day', now() from users where email = 'analyst@bench.invalid'`,
      [sha256(token)],
    );
    const headers = { cookie: `${SESSION_COOKIE}=${token}` };
    const filters: Record<string, string>[] = [
      { nation: 'england' },
      { nation: 'wales', by: 'role' },
      { role: 'trustee', by: 'incomeBand' },
      { incomeBand: 'small', organisationType: 'charity' },
      { region: 'london', by: 'organisationType' },
      { nation: 'scotland', role: 'chief_executive', by: 'region' },
      { organisationType: 'faith_group', incomeBand: 'micro', role: 'volunteer' },
      { by: 'nation' },
      {},
    ];
    const requests = filters.map((query) => ({
      path: resultsPaths.question({ editionId: edition!.id, questionKey: KEY }, query),
      headers,
    }));
    const alone = await timeEachAlone(running.baseUrl, requests);
    console.log('surveys: each filtered page alone, 10 times (median, max; ms):');
    for (const a of alone)
      console.log(`  ${fmt(a.median).padStart(7)} ${fmt(a.max).padStart(7)}  ${a.status}  ${a.request.path}`);
    await load(running.baseUrl, requests, { connections: 2, seconds: 2, maxRequests: 100 }); // warm-up
    const line = (r: LoadResult, connections: number) =>
      `surveys: results page, filtered, ${fmt(stats!.answers, 0)} answers: p50 ${fmt(r.p50)} ms, p95 ${fmt(r.p95)} ms (p99 ${fmt(r.p99)}) at ${connections} concurrent requests, ${fmt(r.perSecond, 0)} req/s, ${fmt(r.requests, 0)} requests, statuses ${JSON.stringify(r.statuses)}`;
    for (const connections of surveysTarget.alsoAt) {
      const other = await load(running.baseUrl, requests, { connections, seconds: 5, maxRequests: 5_000 });
      console.log(line(other, connections));
    }
    const r = await load(running.baseUrl, requests, {
      connections: surveysTarget.connections,
      seconds,
      maxRequests: 20_000,
    });
    const pages = await indexPages(running, edition!.id, headers);
    const good =
      pages &&
      r.p95 <= surveysTarget.p95Ms &&
      r.errors === 0 &&
      Object.keys(r.statuses).every((s) => s === '200') &&
      alone.every((a) => a.status === 200);
    console.log(line(r, surveysTarget.connections));
    console.log(
      `surveys: p95 / target = ${fmt(r.p95)} / ${surveysTarget.p95Ms} = ${fmt(r.p95 / surveysTarget.p95Ms, 2)} at ${surveysTarget.connections} concurrent requests — target p95 ≤ ${surveysTarget.p95Ms} ms: ${good ? 'met' : 'NOT met'}`,
    );
    return { ok: good, result: r };
  } finally {
    await running.close();
    await client.end();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await runSurveysBench();
