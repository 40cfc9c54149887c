/**
 * Consultation analysis pages with 20,000 responses and 200,000 paragraph comments, after analysis has run,
 * on PostgreSQL (issue 7 acceptance: p95 ≤ 200 ms).
 *
 *   npm run bench -- consultations     (BENCH_RESPONSES=20000, BENCH_COMMENTS_PER_RESPONSE=10;
 *                                       BENCH_REUSE=1 keeps the generated and analysed database)
 *
 * Creates `covenant_bench_consultations` (127.0.0.1:5432 or BENCH_PG_URL), migrates it, loads the Covenant
 * reference text, makes one consultation on it with a free-text question, and generates in SQL the
 * submitted responses (random respondent type, organisation type and size, consent and moderation), ten
 * paragraph comments each (skewed, so some paragraphs draw far more comments than others) whose words are
 * recombined from the analysis evaluation answers, a view on every principle, and a free-text answer. Then it
 * runs the analysis once through the service (counts cube and themes per paragraph and question; the time
 * is printed) and, signed in as a Covenant team administrator, requests the analysis pages through the real
 * HTTP routes: the overview, paragraph pages (with and without filters), the question page, a theme page and
 * the responses list. Each page alone 10 times, then autocannon at 1 and 10 connections for 5 s and at 4 (the
 * target) for 15 s. Prints p50, p95 and the ratio of p95 to the target.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createDeps } from '../../src/container.ts';
import { sha256 } from '../../src/platform/auth/tokens.ts';
import { generateTotpSecret } from '../../src/platform/auth/totp.ts';
import { systemActor } from '../../src/platform/audit/audit.ts';
import { SESSION_COOKIE } from '../../src/platform/http/context.ts';
import { readCsvTable } from '../../src/modules/analysis/core/csv.ts';
import { ensureCovenantReference } from '../../src/modules/covenant/covenant.seed.ts';
import { analysisPaths } from '../../src/modules/consultations/consultations.analysis.paths.ts';
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

/** Analysis pages are for the Covenant team and the panel: the target is met at 4 concurrent requests. */
export const consultationsTarget = { p95Ms: 200, connections: 4, alsoAt: [1, 10] };
const DATABASE = 'covenant_bench_consultations';
const SLUG = 'bench-covenant-consultation';
const EMAIL = 'analyst@bench.invalid';

function fixtureTexts(): string[] {
  const csv = readFileSync(new URL('../../test/fixtures/analysis/answers.csv', import.meta.url), 'utf8');
  return readCsvTable(csv, { required: ['id', 'text'] })
    .records.map((r) => r.text ?? '')
    .filter(Boolean);
}

async function prepareDatabase(responses: number, perResponse: number): Promise<string> {
  const url = await freshDatabase(DATABASE);
  const deps = await createDeps(benchConfig(url), { runWorker: false });
  try {
    await deps.db.migrate();
    await ensureCovenantReference(deps.db, deps.clock);
    const org = await deps.accountsRepository.insertOrganisation({
      name: 'Bench Covenant Team',
      slug: 'bench-covenant-team',
      kind: 'covenant_team',
    });
    await deps.accounts.createAccount(systemActor, {
      email: EMAIL,
      displayName: 'Bench Analyst',
      password: 'bench analyst password',
      emailVerified: true,
      roles: [{ role: 'admin', organisationId: org.id }],
      totpSecret: generateTotpSecret(),
    });
    const started = performance.now();
    await generate(url, responses, perResponse);
    console.log(
      `consultations: ${fmt(responses, 0)} responses, ${fmt(responses * perResponse, 0)} comments generated in ${fmt((performance.now() - started) / 1000)} s`,
    );
    const analyst = await deps.sessionsRepository.loadUser(await findUserId(url));
    const run0 = performance.now();
    const run = await deps.consultationAnalysis.runNow(analyst!, { userId: analyst!.id }, SLUG);
    console.log(
      `consultations: analysis run ${run.status} in ${fmt((performance.now() - run0) / 1000)} s (counts cube, themes per paragraph and question)${run.error ? `: ${run.error}` : ''}`,
    );
    if (run.status !== 'done') throw new Error('analysis run failed');
  } finally {
    await deps.db.close();
  }
  return url;
}

async function findUserId(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ id: string }>('select id from users where email = $1', [EMAIL]);
    return rows[0]!.id;
  } finally {
    await client.end();
  }
}

async function generate(url: string, responses: number, perResponse: number) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('create temporary table bench_texts (n int primary key, text text not null)');
    const texts = fixtureTexts();
    await client.query(
      'insert into bench_texts select ordinality - 1, t from unnest($1::text[]) with ordinality t',
      [texts],
    );
    const questions = {
      sections: [
        {
          key: 'questions',
          title: 'Questions',
          questions: [
            { key: 'why', type: 'free_text', text: 'What would make the Covenant work?', required: false },
          ],
        },
      ],
    };
    await client.query(
      `insert into consultations (slug, title, summary, how_responses_used, version_id, opens_on, closes_on,
         questions, status, published_at, updated_at)
       select $1, 'Bench consultation on the Covenant', 'Benchmark data', 'Benchmark data', id, '2026-01-01',
              '2026-04-30', $2::jsonb, 'published', now(), now()
       from covenant_versions where is_current`,
      [SLUG, JSON.stringify(questions)],
    );
    const n = texts.length;
    // Respondents: 3 in 5 organisations; consent and moderation spread as a real consultation's might be.
    await client.query(
      `insert into consultation_responses (consultation_id, status, reference, respondent_type, organisation_name,
         organisation_type, organisation_size, respondent_name, consent, answers, moderation, submitted_at, updated_at)
       select c.id, 'submitted', 'CR-B' || lpad(g::text, 7, '0'),
              case when random() < 0.6 then 'organisation' else 'individual' end,
              'Organisation ' || g, (array['charity','community_group','social_enterprise','faith_group','infrastructure'])[1 + floor(random() * 5)::int],
              (array['micro','small','medium','large'])[1 + floor(random() * 4)::int],
              'Respondent ' || g, (array['named','anonymised','anonymised','none'])[1 + floor(random() * 4)::int],
              jsonb_build_object('why', (select text from bench_texts where n = (g * 7919) % $2)),
              (array['published','published','published','pending','held'])[1 + floor(random() * 5)::int],
              now() - (g || ' seconds')::interval, now()
       from consultations c, generate_series(1, $1) g where c.slug = $3`,
      [responses, n, SLUG],
    );
    await client.query(`update consultation_responses set organisation_name = null, organisation_type = null,
      organisation_size = null where respondent_type = 'individual'`);
    // Comments: each response on `perResponse` distinct text paragraphs, starting at a skewed paragraph.
    await client.query(
      `with paras as (
         select p.key, row_number() over (order by p.position) - 1 as idx, count(*) over () as total, v.id as version_id
         from covenant_paragraphs p join covenant_versions v on v.id = p.version_id
         where v.is_current and p.kind = 'text'),
       rs as (select r.id, r.consultation_id, r.moderation,
                     row_number() over (order by r.id) as rn,
                     floor(power(random(), 2) * 30)::int as start from consultation_responses r)
       insert into consultation_comments (consultation_id, response_id, version_id, paragraph_key, stance, comment,
         moderation, published_comment, updated_at)
       select rs.consultation_id, rs.id, p.version_id, p.key,
              (array['agree','disagree','suggest_change'])[1 + floor(random() * 3)::int],
              t.text, rs.moderation, case when rs.moderation = 'published' then t.text end, now()
       from rs cross join generate_series(0, $1 - 1) k
       join paras p on p.idx = (rs.start + k) % p.total
       join bench_texts t on t.n = (rs.rn * 31 + k * 7) % $2`,
      [perResponse, n],
    );
    await client.query(
      `insert into consultation_principle_views (response_id, principle_id, view, comment)
       select r.id, p.id, (array['support','support','support_with_changes','oppose','no_view'])[1 + floor(random() * 5)::int], ''
       from consultation_responses r cross join covenant_principles p`,
    );
    await client.query(
      `update consultation_responses set published_text = jsonb_build_object('answers', answers, 'principleComments', '{}'::jsonb)
       where moderation = 'published'`,
    );
    await client.query(
      'analyze consultation_responses; analyze consultation_comments; analyze consultation_principle_views',
    );
  } finally {
    await client.end();
  }
}

export async function runConsultationsBench(options: { seconds?: number } = {}) {
  const responses = Number(process.env.BENCH_RESPONSES ?? 20_000);
  const perResponse = Number(process.env.BENCH_COMMENTS_PER_RESPONSE ?? 10);
  const seconds = options.seconds ?? 15;
  const url =
    process.env.BENCH_REUSE === '1'
      ? `${pgServerUrl}/${DATABASE}`
      : await prepareDatabase(responses, perResponse);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const running = await startApp(url);
  try {
    await client.query(
      'analyze consultation_analysis_counts; analyze consultation_themes; analyze consultation_theme_members',
    );
    const {
      rows: [stats],
    } = await client.query<{ responses: number; comments: number; themes: number }>(
      `select (select count(*)::int from consultation_responses where status = 'submitted') responses,
              (select count(*)::int from consultation_comments) comments,
              (select count(*)::int from consultation_themes) themes`,
    );
    console.log(
      `consultations: ${fmt(stats!.responses, 0)} submitted responses, ${fmt(stats!.comments, 0)} comments, ${fmt(stats!.themes, 0)} themes stored`,
    );
    const { rows: busiest } = await client.query<{ key: string }>(
      `select key from consultation_analysis_counts where dimension = 'paragraph' group by key
       order by sum(count) desc limit 3`,
    );
    const {
      rows: [theme],
    } = await client.query<{ id: string }>(
      `select id from consultation_themes where scope = 'paragraph' and kind = 'topic' order by size desc limit 1`,
    );
    const token = randomBytes(32).toString('base64url');
    await client.query(
      `insert into sessions (id_hash, user_id, last_seen_at, absolute_expires_at, second_factor_at)
       select $1, id, now(), now() + interval '1 day', now() from users where email = $2`,
      [sha256(token), EMAIL],
    );
    const headers = { cookie: `${SESSION_COOKIE}=${token}` };
    const slug = SLUG;
    const paths = [
      analysisPaths.overview({ slug }),
      ...busiest.map((b) => analysisPaths.paragraph({ slug, key: b.key })),
      analysisPaths.paragraph({ slug, key: busiest[0]!.key }, { stance: 'disagree' }),
      analysisPaths.paragraph({ slug, key: busiest[1]!.key }, { stance: 'suggest_change', page: '3' }),
      analysisPaths.question({ slug, key: 'why' }),
      analysisPaths.theme({ slug, themeId: theme!.id }),
      analysisPaths.responses({ slug }),
      analysisPaths.responses({ slug }, { page: '20' }),
    ];
    const requests = paths.map((path) => ({ path, headers }));
    const alone = await timeEachAlone(running.baseUrl, requests);
    console.log('consultations: each analysis page alone, 10 times (median, max; ms):');
    for (const a of alone)
      console.log(`  ${fmt(a.median).padStart(7)} ${fmt(a.max).padStart(7)}  ${a.status}  ${a.request.path}`);
    await load(running.baseUrl, requests, { connections: 2, seconds: 2, maxRequests: 100 }); // warm-up
    const line = (r: LoadResult, connections: number) =>
      `consultations: analysis pages, ${fmt(stats!.responses, 0)} responses / ${fmt(stats!.comments, 0)} comments: p50 ${fmt(r.p50)} ms, p95 ${fmt(r.p95)} ms (p99 ${fmt(r.p99)}) at ${connections} concurrent requests, ${fmt(r.perSecond, 0)} req/s, ${fmt(r.requests, 0)} requests, statuses ${JSON.stringify(r.statuses)}`;
    for (const connections of consultationsTarget.alsoAt) {
      const other = await load(running.baseUrl, requests, { connections, seconds: 5, maxRequests: 5_000 });
      console.log(line(other, connections));
    }
    const r = await load(running.baseUrl, requests, {
      connections: consultationsTarget.connections,
      seconds,
      maxRequests: 20_000,
    });
    const good =
      r.p95 <= consultationsTarget.p95Ms &&
      r.errors === 0 &&
      Object.keys(r.statuses).every((s) => s === '200') &&
      alone.every((a) => a.status === 200);
    console.log(line(r, consultationsTarget.connections));
    console.log(
      `consultations: p95 / target = ${fmt(r.p95)} / ${consultationsTarget.p95Ms} = ${fmt(r.p95 / consultationsTarget.p95Ms, 2)} at ${consultationsTarget.connections} concurrent requests — target p95 ≤ ${consultationsTarget.p95Ms} ms: ${good ? 'met' : 'NOT met'}`,
    );
    return { ok: good, result: r };
  } finally {
    await running.close();
    await client.end();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await runConsultationsBench();
