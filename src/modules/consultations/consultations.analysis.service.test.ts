/**
 * Analysis and the government response through the services against a real database: drafts never counted,
 * counts materialised by a run (and the staleness note), themes per paragraph and question with quotes linked
 * to responses, tags, the next draft citing the feedback, and consent in the published response.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { createPerson } from '../../../test/helpers/analysis.ts';
import type { CurrentUser } from '../../platform/auth/roles.ts';
import { ForbiddenError } from '../../platform/http/errors.ts';
import {
  buildConsultationFixture,
  PRIVATE_MARKERS,
  TEST_SLUG,
  type ConsultationFixture,
} from './consultations.analysis.testdata.ts';

let t: TestApp;
let admin: CurrentUser;
let panel: CurrentUser;
let fx: ConsultationFixture;

before(async () => {
  t = await createTestApp();
  fx = await buildConsultationFixture(t.deps.db, t.clock);
  admin = await createPerson(t.deps, 'admin', 'Ada Admin');
  panel = await createPerson(t.deps, 'panel_member', 'Pat Panel');
});
after(() => t.close());

describe('analysis runs', () => {
  it('before a run: no figures; after: counts of submitted responses only (the draft is not counted)', async () => {
    const before = await t.deps.consultationAnalysis.overview(admin, TEST_SLUG);
    assert.equal(before.run, null);
    assert.equal(before.responses, 0);
    const run = await t.deps.consultationAnalysis.runNow(admin, { userId: admin.id }, TEST_SLUG);
    assert.equal(run.status, 'done', run.error ?? '');
    const o = await t.deps.consultationAnalysis.overview(admin, TEST_SLUG);
    assert.equal(o.responses, 13);
    assert.equal(o.comments, 26);
    assert.equal(o.respondents.organisations, 13);
    const first = o.heat.rows.find((r) => r.key === fx.paragraphKeys[0])!;
    assert.equal(first.total, 13);
    assert.equal(first.agree + first.disagree + first.suggest_change, 13);
    assert.equal(first.band, 4);
    assert.ok(first.themes >= 1, 'paragraph 1 has themes');
    const third = o.heat.rows.find((r) => r.key === fx.paragraphKeys[2])!;
    assert.equal(third.total, 0);
    const principle = o.principles[0]!;
    assert.equal(principle.total, 13);
    assert.equal(o.questions[0]!.answered, 13);
    assert.equal(o.since, 0);
  });

  it('says how many responses came in since the run', async () => {
    t.clock.advance?.(60_000);
    await t.deps.db.get().execute(
      (await import('drizzle-orm')).sql`update consultation_responses set status = 'submitted',
        submitted_at = now() + interval '1 day' where id = ${fx.responses.draft[0]!}`,
    );
    const o = await t.deps.consultationAnalysis.overview(admin, TEST_SLUG);
    assert.equal(o.since, 1);
    assert.equal(o.responses, 13, 'counts stay those of the run until the next one');
    await t.deps.db.get().execute(
      (await import('drizzle-orm'))
        .sql`update consultation_responses set status = 'draft', submitted_at = null
        where id = ${fx.responses.draft[0]!}`,
    );
  });

  it('themes of a paragraph and of a question quote comments linked to their responses', async () => {
    const para = await t.deps.consultationAnalysis.paragraph(admin, TEST_SLUG, fx.paragraphKeys[0]!, {
      page: 1,
      offset: 0,
    });
    assert.ok(para.themes.length >= 1);
    const quote = para.themes[0]!.quoteTexts[0]!;
    assert.ok(quote.text.length > 0);
    const submitted = [
      ...fx.responses.named,
      ...fx.responses.anonymised,
      ...fx.responses.none,
      ...fx.responses.held,
    ];
    assert.ok(submitted.includes(quote.responseId));
    assert.equal(para.comments.length, 13);
    assert.ok(!para.comments.some((c) => c.comment.includes('draftword')), 'drafts are never shown');
    const q = await t.deps.consultationAnalysis.question(admin, TEST_SLUG, 'why');
    assert.equal(q.answered, 13);
    assert.ok(q.themes.length >= 1);
  });

  it('analysts tag responses, filter by tag, and remove tags; bad tags are refused', async () => {
    const id = fx.responses.named[0]!;
    const actor = { userId: panel.id };
    assert.equal(
      await t.deps.consultationAnalysis.addTag(panel, actor, TEST_SLUG, id, '  Funding '),
      'funding',
    );
    await t.deps.consultationAnalysis.addTag(panel, actor, TEST_SLUG, id, 'funding');
    const tagged = await t.deps.consultationAnalysis.responses(panel, TEST_SLUG, {
      tag: 'FUNDING',
      page: 1,
      offset: 0,
    });
    assert.deepEqual(
      tagged.responses.map((r) => r.id),
      [id],
    );
    const filtered = await t.deps.consultationAnalysis.paragraph(panel, TEST_SLUG, fx.paragraphKeys[0]!, {
      tag: 'funding',
      page: 1,
      offset: 0,
    });
    assert.equal(filtered.comments.length, 1);
    await assert.rejects(
      t.deps.consultationAnalysis.addTag(panel, actor, TEST_SLUG, id, 'x'.repeat(41)),
      /consultationAnalysis.errors.tag/,
    );
    await t.deps.consultationAnalysis.removeTag(panel, actor, TEST_SLUG, id, 'Funding');
    assert.deepEqual((await t.deps.consultationAnalysis.response(panel, TEST_SLUG, id)).tags, []);
  });

  it('a draft response cannot be opened or tagged', async () => {
    await assert.rejects(
      t.deps.consultationAnalysis.response(admin, TEST_SLUG, fx.responses.draft[0]!),
      /No such submitted response/,
    );
  });
});

describe('government response', () => {
  it('the panel may analyse but not write the response', async () => {
    await assert.rejects(t.deps.consultationResponse.editor(panel, TEST_SLUG), ForbiddenError);
  });

  it('entries, the next draft with citations, publishing, and consent in what is published', async () => {
    const actor = { userId: admin.id };
    const svc = t.deps.consultationResponse;
    const editor = await svc.editor(admin, TEST_SLUG);
    const theme = editor.themes.find(
      (th) => th.scope === 'paragraph' && th.scopeKey === fx.paragraphKeys[0],
    )!;
    assert.ok(theme, 'a theme of paragraph 1 to write about');
    await assert.rejects(svc.publish(admin, actor, TEST_SLUG), /summaryRequired/);
    await svc.saveSummary(admin, actor, TEST_SLUG, 'We listened and changed two paragraphs.');
    await assert.rejects(svc.publish(admin, actor, TEST_SLUG), /entriesRequired/);
    await assert.rejects(
      svc.addEntry(admin, actor, TEST_SLUG, { about: 'general', heard: 'x', changed: 'y', newText: 'New' }),
      /newTextNeedsParagraph/,
    );
    await assert.rejects(
      svc.addEntry(admin, actor, TEST_SLUG, { about: 'paragraph:p-nope', heard: 'x', changed: 'y' }),
      /aboutRequired/,
    );
    await svc.addEntry(admin, actor, TEST_SLUG, {
      about: `theme:${theme.id}`,
      heard: 'Funding arrives too late',
      changed: 'We now commit to paying on time',
      newText: 'Funders will pay grants on time and say so early.',
    });
    await svc.addEntry(admin, actor, TEST_SLUG, {
      about: `paragraph:${fx.paragraphKeys[1]}`,
      heard: 'Twelve weeks is the minimum',
      changed: 'We kept the paragraph',
    });
    await svc.addEntry(admin, actor, TEST_SLUG, { about: 'general', heard: 'Thanks', changed: 'Noted' });

    const { draft, changed } = await svc.createNextVersion(admin, actor, TEST_SLUG);
    assert.equal(changed, 1);
    const version = await t.deps.covenant.version(draft.id);
    const edited = version.paragraphs.find((p) => p.key === fx.paragraphKeys[0])!;
    assert.equal(edited.text, 'Funders will pay grants on time and say so early.');
    const citation = version.citations.find((c) => c.paragraphKey === fx.paragraphKeys[0])!;
    assert.match(citation.reference, /a theme of \d+ comments on paragraph/);
    assert.match(
      citation.url ?? '',
      new RegExp(`/consultations/${TEST_SLUG}/government-response#paragraph-`),
    );
    await assert.rejects(svc.createNextVersion(admin, actor, TEST_SLUG), /nextVersionExists/);

    await assert.rejects(svc.published(TEST_SLUG), /No published response/);
    await svc.publish(admin, actor, TEST_SLUG);
    const pub = await svc.published(TEST_SLUG);
    const first = pub.sections.find((s) => s.key === fx.paragraphKeys[0])!;
    assert.equal(first.status, 'changed');
    assert.ok(first.words.some((w) => w.op === 'insert'));
    assert.equal(first.entries[0]!.heard, 'Funding arrives too late');
    const quotes = first.entries[0]!.theme!.quotes;
    assert.ok(quotes.length >= 1, 'public quotes for the theme');
    for (const q of quotes) {
      assert.match(q.text, /\(redacted\)$/, 'only the redacted copy is public');
      assert.ok(q.text.includes('namedpub') || q.text.includes('anonpub'));
      if (q.text.includes('anonpub')) assert.equal(q.attribution, null);
      if (q.text.includes('namedpub')) assert.equal(q.attribution, 'Named Trust');
    }
    assert.equal(pub.general.length, 1);
    const json = JSON.stringify(pub.sections) + JSON.stringify(pub.general);
    for (const marker of PRIVATE_MARKERS) assert.ok(!json.includes(marker), `${marker} must not be public`);
    await assert.rejects(
      svc.addEntry(admin, actor, TEST_SLUG, { about: 'general', heard: 'late', changed: 'late' }),
      /published/,
    );
  });
});
