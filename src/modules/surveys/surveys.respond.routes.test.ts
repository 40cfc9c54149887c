/**
 * Responding through the real app (issue 6, item 2), on the demo's first edition: the open link, one page per
 * section saved page by page, skip logic, the error summary, save and return, check your answers, the
 * anonymous submission with a copy by email, and the refusals (unknown and reused invitation links, a lost
 * draft, the closing date). Ends with the anonymity test: the schema has no column or foreign key joining a
 * response or an answer to a person, a session, an invitation or a draft.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'drizzle-orm';
import { createTestApp, linkFrom, type TestApp } from '../../../test/helpers/app.ts';
import { createPerson } from '../../../test/helpers/analysis.ts';
import { csrfTokenIn, type Agent } from '../../../test/helpers/agent.ts';
import { systemActor } from '../../platform/audit/audit.ts';
import { ensureCovenantReference } from '../covenant/covenant.seed.ts';
import { surveyPaths as sp } from './surveys.paths.ts';
import { seedSurveysDemo } from './surveys.demo.ts';

const YEAR = '2026';
const page = (section: string) => sp.page({ year: YEAR, section });

/** Rows of a query (PGlite and node-postgres both answer with `rows`). */
async function rows<T>(t: TestApp, query: ReturnType<typeof sql>): Promise<T[]> {
  return ((await t.deps.db.get().execute(query)) as unknown as { rows: T[] }).rows;
}

describe('responding to the annual review', () => {
  let t: TestApp;
  let editionId: string;

  before(async () => {
    t = await createTestApp();
    await ensureCovenantReference(t.deps.db, t.clock);
    await seedSurveysDemo(t.deps);
    editionId = (await t.deps.surveysRepository.editionByYear(2026))!.id;
  });
  after(() => t.close());

  /** Starts a response from the open link: the agent holds the resume cookie and is on the first page. */
  async function begin(): Promise<Agent> {
    const agent = t.agent();
    const start = await agent.get(sp.start({ year: YEAR }));
    assert.equal(start.statusCode, 200);
    assert.match(start.body, /Your answers are anonymous/);
    const begun = await agent.submit(sp.start({ year: YEAR }), {}, sp.begin({ year: YEAR }));
    assert.equal(begun.statusCode, 303);
    assert.equal(begun.headers.location, page('about-your-organisation'));
    return agent;
  }

  const about = {
    'organisation-type': 'charity',
    'income-band': 'small',
    nation: 'england',
    role: 'trustee',
  };

  test('a whole response by the open link, with skip logic, errors and a copy by email', async () => {
    const agent = await begin();
    // An empty page: the error summary names every required question, and nothing is saved.
    const empty = await agent.submit(page('about-your-organisation'), {});
    assert.equal(empty.statusCode, 422);
    assert.match(empty.body, /govuk-error-summary/);
    assert.match(empty.body, /Select an answer to ‘What kind of organisation/);
    assert.match(empty.body, /<title>Error:/);

    const first = await agent.submit(page('about-your-organisation'), about);
    assert.equal(first.headers.location, page('your-region'), 'England: the region page comes next');
    const region = await agent.submit(page('your-region'), { region: 'yorkshire-and-the-humber' });
    assert.equal(region.headers.location, page('your-work'));
    // "No" skips the pages about working with public bodies.
    const work = await agent.submit(page('your-work'), {
      'worked-with-government': 'no',
      'paid-staff': 'twelve',
    });
    assert.equal(work.statusCode, 422);
    assert.match(work.body, /Enter a number for ‘How many paid staff/);
    const work2 = await agent.submit(page('your-work'), {
      'worked-with-government': 'no',
      'paid-staff': '12',
    });
    assert.equal(work2.headers.location, page('speaking-out'));
    assert.equal((await agent.get(page('recognition'))).statusCode, 404, 'a hidden page is not shown');

    const speaking = await agent.submit(page('speaking-out'), {
      'campaign-freely': 'disagree',
      'self-censorship': 'sometimes',
    });
    assert.equal(speaking.headers.location, page('understanding'));
    const understanding = await agent.get(page('understanding'));
    assert.match(understanding.body, /What made your organisation hold back/, 'the follow-up is shown');
    assert.doesNotMatch(
      understanding.body,
      /understand the pressures and limits/,
      'hidden: did not work with government',
    );
    await agent.submit(page('understanding'), { 'self-censorship-detail': 'Fear of losing our grant.' });
    const last = await agent.submit(page('anything-else'), {});
    assert.equal(last.headers.location, sp.check({ year: YEAR }));

    const check = await agent.get(sp.check({ year: YEAR }));
    assert.equal(check.statusCode, 200);
    assert.match(check.body, /Yorkshire and The Humber/);
    assert.match(check.body, /Fear of losing our grant\./);
    const badCopy = await agent.submit(sp.check({ year: YEAR }), { copy: 'yes', copyEmail: 'nope' });
    assert.equal(badCopy.statusCode, 422);
    assert.match(badCopy.body, /Enter an email address in the correct format/);
    const sent = await agent.submit(sp.check({ year: YEAR }), { copy: 'yes', copyEmail: 'me@example.org' });
    assert.equal(sent.statusCode, 303);
    const done = await agent.get(String(sent.headers.location));
    assert.match(done.body, /Answers sent/);
    assert.match(done.body, /We have emailed a copy of your answers/);
    const copy = t.mail.lastTo('me@example.org')!;
    assert.match(copy.text, /Fear of losing our grant\./);

    // Stored anonymously: the attributes on the response, the answers, and no draft left.
    const [response] = await rows<Record<string, unknown>>(
      t,
      sql`select * from survey_responses where edition_id = ${editionId}`,
    );
    assert.deepEqual(Object.keys(response!).sort(), [
      'edition_id',
      'id',
      'income_band',
      'nation',
      'organisation_type',
      'region',
      'role',
    ]);
    assert.equal(response!.region, 'yorkshire-and-the-humber');
    const drafts = await rows<{ n: number }>(t, sql`select count(*)::int n from survey_drafts`);
    assert.equal(drafts[0]!.n, 0);
    // The copy was never stored in the outbox (it would keep the address next to the answers).
    const outbox = await rows<{ n: number }>(
      t,
      sql`select count(*)::int n from email_outbox where to_address = 'me@example.org'`,
    );
    assert.equal(outbox[0]!.n, 0);
    // A second submission (double click, back button) finds no draft and saves nothing more.
    const twice = await agent.post(sp.check({ year: YEAR }), {}, sp.start({ year: YEAR }));
    assert.equal(twice.statusCode, 404);
    assert.match(twice.body, /We could not find your answers/);
    assert.equal(await t.deps.surveysRepository.responseCount(editionId), 1);
    // The respondent counts (what the results index reads) were kept at submission, with the attributes,
    // and a rebuild from the stored responses gives the same rows.
    const kept = await rows<Record<string, unknown>>(
      t,
      sql`select organisation_type, income_band, nation, region, role, n from survey_response_counts
          where edition_id = ${editionId}`,
    );
    assert.deepEqual(kept, [
      {
        organisation_type: response!.organisation_type,
        income_band: response!.income_band,
        nation: response!.nation,
        region: 'yorkshire-and-the-humber',
        role: response!.role,
        n: 1,
      },
    ]);
    await t.deps.db.transaction(() => t.deps.surveysRepository.rebuildCounts(editionId));
    assert.deepEqual(
      await rows<Record<string, unknown>>(
        t,
        sql`select organisation_type, income_band, nation, region, role, n from survey_response_counts
            where edition_id = ${editionId}`,
      ),
      kept,
    );
    assert.equal((await t.deps.surveysRepository.responseCounts()).get(editionId), 1);
  });

  test('save and come back later: the resume link brings the answers back in another browser', async () => {
    const agent = await begin();
    const saved = await agent.submit(page('about-your-organisation'), {
      ...about,
      nation: 'wales',
      saveLater: '1',
    });
    assert.equal(saved.headers.location, sp.saved({ year: YEAR }));
    const savedPage = await agent.get(sp.saved({ year: YEAR }));
    const link = /\/annual-review\/resume\/[A-Za-z0-9_-]+/.exec(savedPage.body)![0];
    const emailed = await agent.submit(sp.saved({ year: YEAR }), { email: 'later@example.org' });
    assert.match(emailed.body, /We have emailed the link to later@example.org/);
    await t.deliverEmails();
    assert.equal(linkFrom(t.mail.lastTo('later@example.org'), '/annual-review/resume/'), link);

    const other = t.agent();
    const resumed = await other.get(link);
    assert.equal(resumed.statusCode, 303);
    assert.equal(resumed.headers.location, page('your-work'), 'Wales: no region page, on to the next page');
    const back = await other.get(page('about-your-organisation'));
    assert.match(back.body, /value="wales" checked/);
    assert.equal((await t.agent().get('/annual-review/resume/not-a-real-token-at-all-123')).statusCode, 404);
  });

  test('invitations: single use; unknown and reused links are refused clearly', async () => {
    const admin = await createPerson(t.deps, 'admin');
    const csv = new TextEncoder().encode('email\ninvitee@example.org\n');
    await t.deps.surveysRespond.sendInvitations(admin, systemActor, editionId, csv);
    await t.deliverEmails();
    const link = linkFrom(t.mail.lastTo('invitee@example.org'), '/annual-review/invitation/');
    const agent = t.agent();
    const opened = await agent.get(link);
    assert.equal(opened.statusCode, 303);
    await agent.submit(page('about-your-organisation'), { ...about, nation: 'scotland' });
    await agent.submit(page('your-work'), { 'worked-with-government': 'no' });
    await agent.submit(page('speaking-out'), { 'campaign-freely': 'agree', 'self-censorship': 'never' });
    await agent.submit(page('understanding'), {});
    await agent.submit(page('anything-else'), { 'one-improvement': 'Longer consultations.' });
    const sent = await agent.submit(sp.check({ year: YEAR }), {});
    assert.equal(sent.statusCode, 303);
    const [invitation] = await rows<{ status: string }>(
      t,
      sql`select status from survey_invitations where email = 'invitee@example.org'`,
    );
    assert.equal(invitation!.status, 'used');

    const reused = await t.agent().get(link);
    assert.equal(reused.statusCode, 410);
    assert.match(reused.body, /This invitation has already been used/);
    const unknown = await t.agent().get(sp.invitation({ token: 'x'.repeat(43) }));
    assert.equal(unknown.statusCode, 404);
    assert.match(unknown.body, /This invitation link is not valid/);
    const malformed = await t.agent().get(sp.invitation({ token: 'short' }));
    assert.equal(malformed.statusCode, 404);
  });

  test('after the closing date answers are refused politely, even from a draft', async () => {
    const agent = await begin();
    await agent.submit(page('about-your-organisation'), { ...about, nation: 'wales' });
    const token = csrfTokenIn((await agent.get(page('your-work'))).body);
    const edition = (await t.deps.surveysRepository.editionById(editionId))!;
    const now = t.clock.now();
    t.clock.set(new Date(edition.closesAt.getTime() + 1000));
    try {
      for (const response of [
        await agent.get(sp.start({ year: YEAR })),
        await agent.get(page('your-work')),
        await agent.request('POST', page('your-work'), {
          form: { _csrf: token, 'worked-with-government': 'no' },
        }),
      ]) {
        assert.equal(response.statusCode, 410);
        assert.match(response.body, /This review has closed/);
      }
      assert.equal((await agent.get(sp.index())).statusCode, 200);
    } finally {
      t.clock.set(now);
    }
    assert.equal((await t.agent().get(sp.start({ year: '2031' }))).statusCode, 404);
  });

  test('anonymity: no column or foreign key joins a response or an answer to a person or an invitation', async () => {
    const columns = await rows<{ table_name: string; column_name: string }>(
      t,
      sql`select table_name, column_name from information_schema.columns
          where table_schema = current_schema()
            and table_name in ('survey_responses', 'survey_answers', 'survey_answer_counts', 'survey_response_counts')`,
    );
    assert.ok(columns.length > 10, 'the tables exist');
    const personal =
      /user|person|email|invit|draft|token|session|(^|_)ip($|_)|created|updated|submitted|_at$/;
    assert.deepEqual(
      columns.filter((c) => personal.test(c.column_name)).map((c) => `${c.table_name}.${c.column_name}`),
      [],
    );
    const keys = await rows<{ from_table: string; to_table: string }>(
      t,
      sql`select tc.table_name as from_table, ccu.table_name as to_table
          from information_schema.table_constraints tc
          join information_schema.constraint_column_usage ccu on ccu.constraint_name = tc.constraint_name
          where tc.constraint_type = 'FOREIGN KEY'
            and tc.table_name in ('survey_responses', 'survey_answers', 'survey_answer_counts', 'survey_response_counts')`,
    );
    const targets = new Set(keys.map((k) => k.to_table));
    for (const forbidden of ['users', 'sessions', 'survey_invitations', 'survey_drafts', 'memberships'])
      assert.ok(!targets.has(forbidden), `no foreign key to ${forbidden}`);
    // What they do refer to: the edition, the question, the response itself and a rated body only.
    assert.deepEqual([...targets].sort(), [
      'organisations',
      'survey_editions',
      'survey_questions',
      'survey_responses',
    ]);
    // Nor the other way: no other table keeps a response's or an answer's id (an invitation or a draft
    // pointing at the response it became would join it to a person just the same).
    const pointers = await rows<{ table_name: string; column_name: string }>(
      t,
      sql`select table_name, column_name from information_schema.columns
          where table_schema = current_schema() and table_name like 'survey_%'
            and column_name ~ '(response|answer)_?id'`,
    );
    assert.deepEqual(pointers, [{ table_name: 'survey_answers', column_name: 'response_id' }]);
    const into = await rows<{ from_table: string }>(
      t,
      sql`select tc.table_name as from_table
          from information_schema.table_constraints tc
          join information_schema.constraint_column_usage ccu on ccu.constraint_name = tc.constraint_name
          where tc.constraint_type = 'FOREIGN KEY' and ccu.table_name in ('survey_responses', 'survey_answers')`,
    );
    assert.deepEqual([...new Set(into.map((k) => k.from_table))], ['survey_answers']);
  });
});
