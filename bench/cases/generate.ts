/**
 * Generates cases for benchmarks: 1,000,000 by default, deterministically (hashes of the row number, not a
 * random generator), almost all in SQL (`insert … select … from generate_series`), so the whole set loads
 * in a few minutes on PostgreSQL.
 *
 *   node --import tsx bench/cases/generate.ts postgres://postgres@127.0.0.1:5432/covenant_bench_inbox [count]
 *
 * The database must be migrated and hold the reference bodies and the Covenant (`bench/cases/inbox.ts` does
 * all of that). What is made:
 * - three body officers and a lead for every public body in the reference directory (`officer-…@bench.invalid`);
 * - 20,000 reporters in 500 civil society organisations;
 * - the cases, spread over the bodies unevenly (the busiest body has about 3% of them, as a big department
 *   would), in every state: 30% with the body (submitted in the last 120 days, half acknowledged), 10%
 *   responded, 8% escalated or with the panel, 4% in triage, 50% resolved or closed over two years, with
 *   outcomes; every category; 1 or 2 commitments each; 70% assigned to one of the body's officers; the
 *   escrowed identity of each; the clock's `started` row for every case with a body;
 * - the due dates of cases with the body, worked out by the real calendar code (`computeCaseDeadlines`) for
 *   every (nation, day, working days) that occurs, then joined in; nothing is left stale;
 * - register entries for ended, publishable problems: 60% published (with the public title, summary and
 *   response), 10% pending.
 * Timelines (case_events) are not generated: neither the inbox nor the register search reads them.
 *
 * Indexes are dropped during the load and rebuilt after it from their own definitions, and foreign keys are
 * not checked row by row (`session_replication_role = replica`): the generator makes every reference itself.
 */
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { loadBankHolidays } from '../../src/platform/calendar/bank-holidays.ts';
import { addCalendarDays, toUkIsoDate } from '../../src/platform/calendar/iso-date.ts';
import { NATIONS } from '../../src/platform/calendar/nations.ts';
import { computeCaseDeadlines, dueDatesOf } from '../../src/modules/cases/cases.clock.ts';

const titles = [
  'Grant cut with two weeks notice',
  'Consultation closed before we could reply',
  'Contract terms stop us campaigning',
  'Late payment of our invoice',
  'No equality impact assessment before cuts',
  'Figures behind the decision withheld',
  'Partnership board dissolved without notice',
  'Funding round changed after applications closed',
  'Youth service tender favours large providers',
  'Community centre lease ended early',
  'Advice service commissioned without consultation',
  'Volunteers excluded from the planning forum',
];
const sentences = [
  'The council ended our grant with two weeks notice instead of the three months the Covenant promises.',
  'The consultation on the youth strategy ran for ten days over the summer holidays.',
  'The new contract forbids us from speaking to the press about the service we run.',
  'Our invoice for the lunch club has been unpaid for four months and we have had to use our reserves.',
  'Services for disabled people were cut without any assessment of the impact on them.',
  'We asked for the evidence behind the decision and were refused twice without a reason.',
  'The partnership board met for the last time without any notice to its voluntary sector members.',
  'The rules of the funding round were changed after we had submitted our application.',
  'Small local charities cannot meet the insurance and turnover thresholds in the tender.',
  'Food bank volunteers were told the building would close at the end of the month.',
  'Carers and refugees who use our service were not asked before it was recommissioned.',
  'Mental health support for young people in the area will stop when the funding ends.',
];
const places = ['Riverside', 'Northgate', 'Highfield', 'Oakwood', 'Bramley', 'Castle', 'Meadow', 'Harbour'];

const sqlArray = (items: string[]) => `array[${items.map((t) => `'${t.replace(/'/g, "''")}'`).join(',')}]`;

/** A uniform number in [0, 1) from row `i` and a salt: deterministic, no state. */
const u = (salt: number) => `((hashint8extended(i, ${salt}) & 2147483647)::float8 / 2147483648.0)`;

/** Inserts `count` cases and everything around them through `client`. Returns the seconds taken. */
export async function generateCases(client: pg.ClientBase, count = 1_000_000): Promise<number> {
  const started = performance.now();
  const today = toUkIsoDate(new Date());
  const step = async (label: string, text: string, values?: unknown[]) => {
    const t = performance.now();
    await client.query(text, values);
    if (process.env.BENCH_VERBOSE)
      console.log(`  ${label}: ${((performance.now() - t) / 1000).toFixed(1)} s`);
  };
  await client.query(`set session_replication_role = replica`);
  await client.query(`set maintenance_work_mem = '256MB'`);
  await client.query(`set work_mem = '64MB'`);

  // Bodies (busiest first, by a hash of the id so the order is stable) with their officers and lead.
  await step(
    'bodies',
    `create temp table bench_bodies as
     select (row_number() over (order by md5(id::text)) - 1)::int as n, id, name, slug, nation,
       case nation when 'scotland' then 'scotland' when 'northern-ireland' then 'northern-ireland'
         else 'england-and-wales' end as clock_nation
     from organisations where kind = 'public_body'`,
  );
  const {
    rows: [{ bodies }],
  } = await client.query<{ bodies: number }>(`select count(*)::int as bodies from bench_bodies`);
  if (!bodies) throw new Error('Load the reference bodies first');
  await step(
    'staff',
    `create temp table bench_staff as
     select b.n, k, md5('staff' || b.n || '-' || k)::uuid as user_id, b.id as body_id
     from bench_bodies b, generate_series(0, 3) k;
     insert into users (id, email, display_name, email_verified_at, totp_enabled_at)
     select user_id, 'officer-' || n || '-' || k || '@bench.invalid', 'Officer ' || n || '-' || k, now(), now()
     from bench_staff;
     insert into memberships (user_id, organisation_id, role)
     select user_id, body_id, case when k = 3 then 'body_lead' else 'body_officer' end from bench_staff`,
  );
  await step(
    'reporters',
    `insert into organisations (id, slug, name, kind, source)
     select md5('cso' || g)::uuid, 'bench-cso-' || g, 'Bench Community Group ' || g, 'cso', 'demo'
     from generate_series(0, 499) g;
     insert into users (id, email, display_name, email_verified_at)
     select md5('reporter' || g)::uuid, 'reporter-' || g || '@bench.invalid', 'Reporter ' || g, now()
     from generate_series(0, 19999) g;
     insert into memberships (user_id, organisation_id, role)
     select md5('reporter' || g)::uuid, md5('cso' || (g % 500))::uuid, 'cso_member' from generate_series(0, 19999) g`,
  );

  // Due dates from the real calendar code, for every day a case with the body can have been submitted on.
  const calendar = await loadBankHolidays();
  const due: string[] = [];
  for (const nation of NATIONS) {
    for (let d = 0; d <= 130; d++) {
      const on = addCalendarDays(today, -d);
      for (const [ack, respond] of [
        [5, 20],
        [10, 30],
      ] as const) {
        const dates = dueDatesOf(
          computeCaseDeadlines({
            calendar,
            caseRow: {
              id: 'x',
              state: 'with_body',
              bodyId: 'x',
              category: 'other',
              clockNation: nation,
              submittedAt: new Date(`${on}T11:00:00Z`),
              acknowledgedAt: null,
              respondedAt: null,
              acknowledgeWithinDays: ack,
              respondWithinDays: respond,
            },
            events: [{ type: 'started', at: on }],
            today: null,
          }),
        );
        due.push(
          `('${nation}','${on}',${ack},${respond},'${dates.acknowledgeDueOn}','${dates.respondDueOn}')`,
        );
      }
    }
  }
  await step(
    'due dates',
    `create temp table bench_due (nation text, on_day date, ack int, respond int, ack_due date, respond_due date);
     insert into bench_due values ${due.join(',')}`,
  );
  const { rows: commitments } = await client.query<{ id: string; code: string; text: string }>(
    `select id, code, text from covenant_commitments where sub_covenant_id is null order by position, code`,
  );
  if (commitments.length === 0) throw new Error('Load the Covenant first');
  await client.query(
    `create temp table bench_commitments as
     select (row_number() over (order by position, code) - 1)::int as n, id, code, text
     from covenant_commitments where sub_covenant_id is null`,
  );

  // Drop the indexes of the big tables for the load; rebuilt below from the same definitions.
  const { rows: indexes } = await client.query<{ name: string; def: string }>(
    `select indexname as name, indexdef as def from pg_indexes
     where schemaname = 'public' and tablename in ('cases', 'case_identities', 'case_commitments',
       'case_clock_events', 'register_entries')
       and indexname not in (select conname from pg_constraint)`,
  );
  for (const ix of indexes) await client.query(`drop index "${ix.name}"`);

  // The facts of each generated case, worked out once (a temp table the inserts below read).
  const states = `case
      when s < 0.30 then 'with_body' when s < 0.40 then 'responded' when s < 0.42 then 'submitted'
      when s < 0.44 then 'needs_information' when s < 0.46 then 'escalated' when s < 0.48 then 'panel_review'
      when s < 0.49 then 'panel_decided' when s < 0.50 then 'body_replied' when s < 0.75 then 'resolved'
      else 'closed' end`;
  await step(
    'facts',
    `create temp table bench_cases as
     select i, md5('case' || i)::uuid as id, b.id as body_id, b.n as body_n, b.clock_nation, st.state,
       ${u(3)} as k, ${u(4)} as c, ${u(5)} as a, ${u(6)} as t, ${u(7)} as o, ${u(8)} as r,
       case when st.state in ('resolved', 'closed') then floor(${u(9)} * 730)::int
         else floor(${u(9)} * 120)::int end as age,
       floor(${u(10)} * ${commitments.length})::int as c1, floor(${u(11)} * ${commitments.length})::int as c2,
       ${u(12)} < 0.5 as two_commitments, ${u(13)} < 0.9 as default_days, ${u(14)} < 0.5 as acknowledged
     from generate_series(1, $1::int) i
     cross join lateral (select floor(${bodies} * power(${u(1)}, 2))::int as body_n, ${u(2)} as s) pick
     join bench_bodies b on b.n = pick.body_n
     cross join lateral (select ${states} as state) st`,
    [count],
  );
  await step(
    'cases',
    `insert into cases (id, reference, kind, state, outcome, confidentiality, body_id, category, clock_nation,
       title, what_happened, happened_on, impact, outcome_wanted, assignee_user_id, submitted_at,
       acknowledged_at, responded_at, escalated_at, closed_at, version, acknowledge_within_days,
       respond_within_days, acknowledge_due_on, respond_due_on, due_dates_stale)
     select x.id,
       'CH-' || extract(year from x.submitted_at)::int || '-' ||
         lpad((row_number() over (partition by extract(year from x.submitted_at) order by x.submitted_at, x.i))::text, 6, '0'),
       case when x.k < 0.8 then 'problem' when x.k < 0.95 then 'question' else 'good_practice' end,
       x.state,
       case when x.state in ('resolved', 'closed') then
         (array['resolved','partly_resolved','not_upheld','withdrawn','referred_elsewhere','resolved',
                'partly_resolved','out_of_scope','duplicate','resolved'])[1 + floor(x.o * 10)::int] end,
       (array['public','anonymised','withheld'])[1 + floor(x.c * 3)::int],
       case when x.state in ('submitted', 'needs_information') and x.r < 0.5 then null else x.body_id end,
       (array['funding','consultation','independence_advocacy','procurement_contracts','equality',
              'data_transparency','partnership','other'])[1 + floor(x.t * 8)::int],
       x.clock_nation,
       (${sqlArray(titles)})[1 + (x.i % ${titles.length})] || ' in ' || (${sqlArray(places)})[1 + (x.i / 7 % ${places.length})],
       (${sqlArray(sentences)})[1 + (x.i % ${sentences.length})] || ' ' ||
         (${sqlArray(sentences)})[1 + ((x.i / 13) % ${sentences.length})],
       (x.submitted_at - interval '9 days')::date,
       'We had to reduce the service while we found other funding.',
       'A fair process and proper notice next time.',
       case when x.a < 0.7 and x.state not in ('submitted', 'needs_information') then md5('staff' || x.body_n || '-' || floor(x.a / 0.7 * 3)::int)::uuid end,
       x.submitted_at,
       case when x.state <> 'with_body' and x.state not in ('submitted', 'needs_information')
              or x.state = 'with_body' and x.acknowledged then x.submitted_at + interval '2 days' end,
       case when x.state not in ('with_body', 'submitted', 'needs_information') then x.submitted_at + interval '15 days' end,
       case when x.state in ('escalated', 'panel_review', 'panel_decided', 'body_replied') then x.submitted_at + interval '40 days' end,
       case when x.state in ('resolved', 'closed') then x.submitted_at + interval '30 days' end,
       1 + (x.i % 5),
       case when x.default_days then 5 else 10 end, case when x.default_days then 20 else 30 end,
       case when x.state = 'with_body' and not x.acknowledged then d.ack_due end,
       case when x.state = 'with_body' then d.respond_due end,
       false
     from (select *, (('${today}'::date - age) + time '10:00' + (i % 360) * interval '1 minute') at time zone 'UTC'
             as submitted_at from bench_cases) x
     left join bench_due d on x.state = 'with_body' and d.nation = x.clock_nation
       and d.on_day = '${today}'::date - x.age and d.ack = case when x.default_days then 5 else 10 end`,
  );
  await step(
    'identities',
    `insert into case_identities (case_id, reporter_user_id, reporter_organisation_id, name, email, organisation_name)
     select id, md5('reporter' || (i % 20000))::uuid, md5('cso' || (i % 20000 % 500))::uuid,
       'Reporter ' || (i % 20000), 'reporter-' || (i % 20000) || '@bench.invalid',
       'Bench Community Group ' || (i % 20000 % 500)
     from bench_cases`,
  );
  await step(
    'commitments',
    `insert into case_commitments (case_id, commitment_id, source)
     select x.id, m.id, 'reporter' from bench_cases x join bench_commitments m on m.n = x.c1
     union all
     select x.id, m.id, 'reporter' from bench_cases x join bench_commitments m on m.n = x.c2
     where x.two_commitments and x.c2 <> x.c1`,
  );
  await step(
    'clock',
    `insert into case_clock_events (case_id, type, occurred_on)
     select c.id, 'started', (c.submitted_at at time zone 'Europe/London')::date from cases c
     where c.body_id is not null and c.state not in ('submitted', 'needs_information')`,
  );
  await step(
    'register',
    `insert into register_entries (case_id, status, reference, body_id, body_name, body_slug, commitment_codes,
       commitments, category, outcome, submitted_on, closed_on, year, timeline, pub_title, pub_summary,
       pub_response, published_at, updated_at, decided_at)
     select c.id, case when x.r < 0.6 then 'published' else 'pending' end, c.reference, b.id, b.name, b.slug,
       array_remove(array[m1.code, case when x.two_commitments and x.c2 <> x.c1 then m2.code end], null),
       jsonb_build_array(jsonb_build_object('id', m1.id, 'code', m1.code, 'text', m1.text)),
       c.category, c.outcome, (c.submitted_at at time zone 'Europe/London')::date,
       (c.closed_at at time zone 'Europe/London')::date,
       extract(year from c.closed_at at time zone 'Europe/London')::int,
       jsonb_build_array(jsonb_build_object('on', (c.submitted_at)::date, 'state', 'submitted'),
                         jsonb_build_object('on', (c.closed_at)::date, 'state', c.state)),
       case when x.r < 0.6 then c.title end, case when x.r < 0.6 then c.what_happened end,
       case when x.r < 0.6 then 'We have reviewed our process and will give three months notice in future.' end,
       case when x.r < 0.6 then c.closed_at + interval '7 days' end, c.closed_at + interval '7 days',
       case when x.r < 0.6 then c.closed_at + interval '7 days' end
     from bench_cases x join cases c on c.id = x.id join bench_bodies b on b.id = c.body_id
     join bench_commitments m1 on m1.n = x.c1 join bench_commitments m2 on m2.n = x.c2
     where c.kind = 'problem' and c.state in ('resolved', 'closed') and x.r < 0.7
       and c.outcome not in ('withdrawn', 'duplicate', 'out_of_scope')`,
  );
  await step(
    'counters',
    `insert into case_reference_counters (year, last)
     select substr(reference, 4, 4)::int, max(substr(reference, 9)::int) from cases group by 1
     on conflict (year) do update set last = excluded.last`,
  );
  await client.query(`set session_replication_role = origin`);
  for (const ix of indexes) await step(`index ${ix.name}`, ix.def);
  await step(
    'analyze',
    // Vacuumed as autovacuum would leave a settled table: the visibility map lets counts read the index only.
    'vacuum (analyze) cases, case_identities, case_commitments, case_clock_events, register_entries, users, memberships',
  );
  return (performance.now() - started) / 1000;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [url, count] = process.argv.slice(2);
  if (!url) {
    console.error('Usage: node --import tsx bench/cases/generate.ts postgres://… [count]');
    process.exit(2);
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const seconds = await generateCases(client, count ? Number(count) : undefined);
  console.log(`Generated ${count ?? 1_000_000} cases in ${seconds.toFixed(1)} s`);
  await client.end();
}
