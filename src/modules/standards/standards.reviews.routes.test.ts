/**
 * Agreement reviews (A1–A3) through the real app: a body officer pastes an agreement, the clause checker
 * suggests clauses, the officer confirms or sets aside each one (a reason is required to set one aside),
 * and the review is saved with the decisions. Only confirmed clauses become findings: on the records page,
 * the body's public findings page, the CSV and the API. Bad input answers 422 with the error summary, keeps
 * what was typed, and saves nothing. Role boundaries: another body's officer, a cso member and a panel
 * member get 403, anonymous visitors are sent to sign in, and a review of another body is not found.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { eq } from 'drizzle-orm';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import type { Agent } from '../../../test/helpers/agent.ts';
import { auditLog } from '../../platform/audit/audit.tables.ts';
import { checkClauses } from './clauses/checker.ts';
import { standardsPaths as p } from './standards.paths.ts';
import { standardsAgreementReviews, standardsReviewFindings } from './standards.tables.ts';
import { standardsPeople } from './standards.test-support.ts';

const AGREEMENT = readFileSync(new URL('./demo/agreement.txt', import.meta.url), 'utf8');
const CLEAN = 'The Grantee shall deliver the advice service described in Schedule 1 and report each quarter.';

const reviewForm = (extra: Record<string, string> = {}) => ({
  title: 'Community Advice Partnership grant',
  reference: 'CAP-2026-014',
  'reviewedOn-day': '2',
  'reviewedOn-month': '1',
  'reviewedOn-year': '2026',
  text: AGREEMENT,
  ...extra,
});

const decode = (html: string) =>
  html
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

function errorSummary(html: string): string {
  const match = /<div class="govuk-error-summary"[\s\S]*?<\/ul>/.exec(html);
  assert.ok(match, 'no error summary on the page');
  return decode(match[0]);
}

/** The check page's hidden fields, as the browser sends them back. */
function hiddenFields(html: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const m of html.matchAll(
    /<input type="hidden" name="(title|reference|reviewedOn|text)" value="([^"]*)">/g,
  ))
    fields[m[1]!] = decode(m[2]!);
  assert.deepEqual(Object.keys(fields).sort(), ['reference', 'reviewedOn', 'text', 'title']);
  return fields;
}

describe('agreement reviews (A1–A3): suggest, decide, store, publish', () => {
  let t: TestApp;
  let bodyId: string;
  let slug: string;
  let otherSlug: string;
  const agents: Record<string, Agent> = {};

  before(async () => {
    t = await createTestApp();
    const people = await standardsPeople(t, {
      body: 'Department for Reviews',
      other: 'Other Borough Council',
    });
    bodyId = people.body.id;
    slug = people.slug;
    otherSlug = people.otherSlug;
    Object.assign(agents, people.agents);
  });
  after(() => t.close());

  const reviews = () => t.deps.db.get().select().from(standardsAgreementReviews);
  const clauses = () => t.deps.db.get().select().from(standardsReviewFindings);

  test('bad input: 422 with every problem in the error summary, what was typed kept, nothing saved', async () => {
    const officer = agents.officer!;
    const form = await officer.get(p.addReview({ slug }));
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /Review an agreement/);
    const bad = await officer.submit(p.addReview({ slug }), {
      ...reviewForm({ title: '', text: '   ', 'reviewedOn-year': '2099' }),
      reference: 'KEEP-ME',
    });
    assert.equal(bad.statusCode, 422);
    const summary = errorSummary(bad.body);
    assert.match(summary, /Enter the name of the agreement/);
    assert.match(summary, /Paste the text of the agreement/);
    assert.match(summary, /The date of the review must be today or in the past/);
    assert.match(summary, /href="#reviewedOn-day"/);
    assert.match(bad.body, /value="KEEP-ME"/);
    const huge = await officer.submit(p.addReview({ slug }), reviewForm({ text: 'x'.repeat(200_001) }));
    assert.equal(huge.statusCode, 422);
    assert.match(errorSummary(huge.body), /200,000 characters or fewer/);
    const badDate = await officer.submit(
      p.addReview({ slug }),
      reviewForm({ 'reviewedOn-day': '31', 'reviewedOn-month': '2' }),
    );
    assert.match(errorSummary(badDate.body), /must be a real date/);
    assert.equal((await reviews()).length, 0);
  });

  test('the checker suggests clauses; the officer must decide on each, with a reason to set one aside', async () => {
    const officer = agents.officer!;
    const expected = checkClauses(AGREEMENT);
    assert.ok(expected.length >= 3, 'the demo agreement has several conflicting clauses');
    const check = await officer.submit(p.addReview({ slug }), reviewForm());
    assert.equal(check.statusCode, 200);
    assert.match(check.body, /Check the suggested clauses/);
    assert.match(check.body, new RegExp(`The checker suggests ${expected.length} clause`));
    assert.match(check.body, /<mark>/);
    assert.equal((await reviews()).length, 0, 'nothing is saved before the decisions');
    const hidden = hiddenFields(check.body);
    assert.equal(hidden.text, AGREEMENT.replace(/\r\n/g, '\n'));
    assert.equal(hidden.reviewedOn, '2026-01-02');

    // No decisions, and one clause set aside without a reason.
    const missing = await officer.post(
      p.confirmReview({ slug }),
      { ...hidden, 'decision-1': 'no', 'note-2': 'typed note kept' },
      p.addReview({ slug }),
    );
    assert.equal(missing.statusCode, 422);
    const summary = errorSummary(missing.body);
    assert.match(summary, /href="#decision-0"/);
    assert.match(summary, /Say why this clause does not conflict/);
    assert.match(missing.body, /typed note kept/);
    assert.match(missing.body, /value="no" checked/);
    assert.equal((await reviews()).length, 0);

    // Confirm all but the last, which is set aside with a reason.
    const decisions: Record<string, string> = {};
    expected.forEach((_, i) => (decisions[`decision-${i}`] = i === expected.length - 1 ? 'no' : 'yes'));
    decisions[`note-${expected.length - 1}`] = 'Only asks for the funder’s logo to be used properly.';
    const saved = await officer.post(
      p.confirmReview({ slug }),
      { ...hidden, ...decisions },
      p.addReview({ slug }),
    );
    assert.equal(saved.statusCode, 303);
    assert.equal(saved.headers.location, `${p.bodyRecords({ slug })}#reviews`);

    const [review] = await reviews();
    assert.equal(review!.bodyId, bodyId);
    assert.equal(review!.reference, 'CAP-2026-014');
    assert.equal(review!.reviewedOn, '2026-01-02');
    const stored = (await clauses()).sort((a, b) => a.start - b.start || a.rule.localeCompare(b.rule));
    assert.equal(stored.length, expected.length);
    for (const c of stored) assert.equal(c.text, review!.text.slice(c.start, c.end));
    assert.equal(stored.filter((c) => c.confirmed).length, expected.length - 1);
    const [audit] = await t.deps.db
      .get()
      .select()
      .from(auditLog)
      .where(eq(auditLog.action, 'standards.agreement_reviewed'));
    assert.equal((audit!.details as { confirmed: number }).confirmed, expected.length - 1);

    // The records page lists it; the review page shows the findings and the clause set aside with its reason.
    const records = await officer.get(p.bodyRecords({ slug }));
    assert.match(records.body, /Community Advice Partnership grant/);
    assert.match(records.body, new RegExp(`${expected.length - 1} finding\\(s\\)`));
    const page = await officer.get(p.review({ slug, reviewId: review!.id }));
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Findings confirmed/);
    assert.match(decode(page.body), /Only asks for the funder’s logo to be used properly\./);
  });

  test('only confirmed clauses are findings: public page, CSV and API', async () => {
    const confirmed = (await clauses()).filter((c) => c.confirmed);
    const result = await t.deps.standards.findingsForBody(bodyId);
    assert.equal(result.total, confirmed.length);
    assert.equal(result.checked.A1 + result.checked.A2 + result.checked.A3, 3, 'one review, three standards');
    const anonymous = agents.anonymous!;
    const page = await anonymous.get(p.bodyFindings({ slug }));
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Community Advice Partnership grant/);
    assert.match(page.body, /Clause found \(characters/);
    const csv = await anonymous.get(p.findingsCsv({ body: slug }));
    assert.equal(csv.statusCode, 200);
    assert.equal(
      csv.body.split('\n').filter((l) => l.includes('Community Advice Partnership grant')).length,
      confirmed.length,
    );
    const api = JSON.parse((await anonymous.get(p.api.bodyFindings({ slug }))).body) as {
      total: number;
      findings: { subject: string; standard: string }[];
    };
    assert.equal(api.total, confirmed.length);
    assert.ok(api.findings.every((f) => f.subject === 'agreement_review' && /^A[123]$/.test(f.standard)));
  });

  test('a clean agreement is saved as a review with no findings (checked, not found)', async () => {
    const officer = agents.officer!;
    const check = await officer.submit(
      p.addReview({ slug }),
      reviewForm({ title: 'Clean contract', text: CLEAN }),
    );
    assert.equal(check.statusCode, 200);
    assert.match(check.body, /No clauses were suggested/);
    const saved = await officer.post(
      p.confirmReview({ slug }),
      hiddenFields(check.body),
      p.addReview({ slug }),
    );
    assert.equal(saved.statusCode, 303);
    const result = await t.deps.standards.findingsForBody(bodyId);
    assert.equal(result.checked.A3, 2);
  });

  test('role boundaries: 403 for other roles, sign-in for anonymous, 404 across bodies', async () => {
    const [review] = await reviews();
    const before = (await reviews()).length;
    for (const name of ['otherOfficer', 'csoMember', 'panel']) {
      const agent = agents[name]!;
      for (const url of [p.addReview({ slug }), p.review({ slug, reviewId: review!.id })])
        assert.equal((await agent.get(url)).statusCode, 403, `${name} GET ${url}`);
      const token = name === 'otherOfficer' ? p.bodyRecords({ slug: otherSlug }) : p.findings();
      for (const url of [p.addReview({ slug }), p.confirmReview({ slug })])
        assert.equal(
          (await agent.post(url, { title: 'x', reviewedOn: '2026-01-01', text: CLEAN }, token)).statusCode,
          403,
          `${name} POST ${url}`,
        );
    }
    // Another body's officer on their own body cannot open this body's review by its id.
    const cross = await agents.otherOfficer!.get(p.review({ slug: otherSlug, reviewId: review!.id }));
    assert.equal(cross.statusCode, 404);
    assert.equal((await agents.officer!.get(p.review({ slug, reviewId: 'not-a-uuid' }))).statusCode, 404);
    const anonymous = agents.anonymous!;
    const page = await anonymous.get(p.addReview({ slug }));
    assert.equal(page.statusCode, 303);
    assert.match(String(page.headers.location), /^\/sign-in/);
    const post = await anonymous.post(p.confirmReview({ slug }), { title: 'x' }, '/sign-in');
    assert.equal(post.statusCode, 303);
    assert.equal((await reviews()).length, before);
  });

  test('a confirm form without the agreement fields is refused (400), nothing saved', async () => {
    const before = (await reviews()).length;
    const res = await agents.officer!.post(
      p.confirmReview({ slug }),
      { 'decision-0': 'yes' },
      p.addReview({ slug }),
    );
    assert.equal(res.statusCode, 400);
    assert.equal((await reviews()).length, before);
  });
});
