/**
 * A body's scorecard shows what other modules record, through the real app: standards findings from the
 * body's stored records (and they refresh at once when a record changes: the standards service's
 * `changed` callback drops the body's figures from the scorecards' memory), and the annual review's
 * published figures about the body (evaluation kind "survey") with their intervals, the suppression of
 * small or complementary cells, and the year-on-year trend, on the page, in the CSV and in the API.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { eq } from 'drizzle-orm';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { createUser, signIn } from '../../../test/helpers/accounts.ts';
import { createTestOrganisation } from '../../../test/helpers/cases.ts';
import { ensureCovenantReference } from '../covenant/covenant.seed.ts';
import { organisations } from '../directory/directory.tables.ts';
import { standardsPaths } from '../standards/standards.paths.ts';
import { seedSurveyResultsDemo } from '../surveys/surveys.results.demo.ts';
import { scorecardPaths as p } from './scorecards.paths.ts';

const pct = (v: number) => `${Math.round(v * 100)}%`;
const decode = (html: string) =>
  html
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');

describe('scorecards: standards findings and annual-review figures', () => {
  let t: TestApp;
  const slugOf = async (id: string) =>
    (await t.deps.db.get().select().from(organisations).where(eq(organisations.id, id)))[0]!.slug;

  before(async () => {
    t = await createTestApp();
    await ensureCovenantReference(t.deps.db, t.clock);
    for (const name of ['Alpha Agency', 'Beta Department', 'Gamma Council', 'Delta Office', 'Epsilon Trust'])
      await createTestOrganisation(t.deps, { name });
    await t.deps.surveysRepository.insertEdition({
      year: 2026,
      title: 'Annual review of stakeholder experiences 2026',
      status: 'published',
      publishedAt: new Date('2025-12-20T09:00:00Z'),
      closesAt: new Date('2026-02-28T23:59:59Z'),
    });
    await seedSurveyResultsDemo(t.deps);
  });
  after(() => t.close());

  test('a finding recorded by the body shows on its scorecard at the next view', async () => {
    const body = await createTestOrganisation(t.deps, { name: 'Department for Findings' });
    const slug = await slugOf(body.id);
    const visitor = t.agent();
    const first = await visitor.get(p.body({ slug }));
    assert.equal(first.statusCode, 200);
    assert.match(first.body, /No consultations, funding or agreements have been recorded/);

    const officer = t.agent();
    await signIn(
      officer,
      await createUser(t.deps, { roles: [{ role: 'body_officer', organisationId: body.id }], totp: true }),
    );
    // Three weeks, no reason stated: a C1 finding.
    const saved = await officer.submit(standardsPaths.addConsultation({ slug }), {
      title: 'Short consultation on libraries',
      'opensOn-day': '1',
      'opensOn-month': '11',
      'opensOn-year': '2025',
      'closesOn-day': '22',
      'closesOn-month': '11',
      'closesOn-year': '2025',
      shortReasonStated: 'no',
    });
    assert.equal(saved.statusCode, 303);

    const after = await visitor.get(p.body({ slug }));
    assert.doesNotMatch(after.body, /No consultations, funding or agreements have been recorded/);
    const row = /<tr class="govuk-table__row">\s*<th[^>]*>C1: Consultation length<\/th>([\s\S]*?)<\/tr>/.exec(
      after.body,
    );
    assert.ok(row, 'a C1 row on the scorecard');
    const cells = [...row[1]!.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((m) => m[1]!.trim());
    assert.deepEqual(cells.slice(0, 2), ['1', '1'], 'one finding of one record checked');
    // One record is below the minimum count: the share is withheld with the reason.
    assert.match(cells[2]!, /Not shown: 1 of fewer than 10/);

    const api = JSON.parse((await visitor.get(p.api.body({ slug }))).body) as {
      standards: { code: string; findings: number; checked: number }[];
    };
    assert.deepEqual(
      api.standards.filter((s) => s.code === 'C1').map((s) => [s.findings, s.checked]),
      [[1, 1]],
    );
  });

  test('the annual review’s figures show with intervals, suppression and the trend', async () => {
    const bodies = await t.deps.surveysRepository.listBodies();
    type BodyResults = Awaited<ReturnType<typeof t.deps.surveyResults.bodyResults>>;
    const withResults: { body: { id: string }; results: BodyResults }[] = [];
    for (const b of bodies) {
      const results = await t.deps.surveyResults.bodyResults(b.id);
      if (results.length) withResults.push({ body: b, results });
    }
    assert.ok(withResults.length > 0, 'the demo publishes ratings of some bodies');
    const rated = withResults.find(
      (w) =>
        (w.results[0]!.ratings ?? 0) >= 10 && w.results[0]!.distribution.some((c) => c.state === 'shown'),
    );
    assert.ok(rated, 'some body has published answers');
    const slug = await slugOf(rated.body.id);
    const page = decode((await t.agent().get(p.body({ slug }))).body);
    assert.match(page, /Annual review results/);
    const latest = rated.results[0]!;
    // Every published answer of the latest edition with its interval; every withheld one says so.
    for (const c of latest.distribution) {
      const label = {
        '5': 'Very good',
        '4': 'Good',
        '3': 'Neither good nor poor',
        '2': 'Poor',
        '1': 'Very poor',
      }[c.option]!;
      const row = new RegExp(`<th[^>]*>${label}</th>\\s*<td[^>]*>([^<]*)</td>\\s*<td[^>]*>([^<]*)</td>`).exec(
        page,
      );
      assert.ok(row, `a row for ${label}`);
      if (c.state === 'shown') {
        assert.equal(row[1]!.trim(), `${pct(c.percent!)} (${pct(c.lower!)} to ${pct(c.upper!)})`);
        assert.equal(row[2]!.trim(), String(c.n));
      } else {
        assert.equal(row[1]!.trim(), 'Not shown (too few answers)');
        assert.equal(row[2]!.trim(), '–');
      }
    }
    // The headline share per edition: its interval when published, else the reason it is withheld.
    for (const r of rated.results) {
      if (r.good && (r.ratings ?? 0) >= 10)
        assert.ok(page.includes(`${pct(r.good.percent)} (${pct(r.good.lower)} to ${pct(r.good.upper)})`));
      else
        assert.match(
          page,
          /Not shown: (fewer than 10 ratings|withheld so a smaller figure cannot be worked out)/,
        );
    }
    // A body with too few ratings to publish any answer: nothing but the reasons.
    const few = withResults.find((w) => w.results[0]!.distribution.every((c) => c.state !== 'shown'));
    if (few) {
      const html = decode((await t.agent().get(p.body({ slug: await slugOf(few.body.id) }))).body);
      assert.match(html, /Not shown \(too few answers\)/);
    }

    const api = JSON.parse((await t.agent().get(p.api.body({ slug }))).body) as {
      survey: {
        questionKey: string;
        years: { year: number; ratings: number | null; good: Record<string, unknown> }[];
      }[];
    };
    const years = api.survey.flatMap((q) => q.years);
    assert.equal(years.length, rated.results.length);
    for (const y of years) {
      const source: BodyResults[number] = rated.results.find((r) => r.year === y.year)!;
      assert.equal(y.good.shown, source.good !== null && (source.ratings ?? 0) >= 10);
      if (!y.good.shown) {
        assert.equal('x' in y.good, false, 'a withheld share never carries its numerator');
        assert.ok(['too_few', 'complement'].includes(String(y.good.reason)));
      } else assert.equal(y.good.x, source.good!.n);
    }
    const csv = (await t.agent().get(p.bodyCsv({ slug }))).body;
    assert.equal(csv.split('\n').filter((l) => l.startsWith('survey,')).length, rated.results.length);
  });

  test('a body no published review asked about says so', async () => {
    const body = await createTestOrganisation(t.deps, { name: 'Unrated Office' });
    const page = await t.agent().get(p.body({ slug: await slugOf(body.id) }));
    assert.match(decode(page.body), /No data yet: no published annual review has asked about this body/);
  });
});
