/**
 * Consultations through the real app (issue 7, items 1–3 and 6): the team creates one (the 12-week warning
 * and its required reason), adds a question with the survey builder's form, publishes; a respondent goes
 * through every part (errors keep what was typed), saves and returns by the emailed link, sends and gets a
 * copy by email; moderation publishes (redacted) or holds back; the public pages, search and the API show
 * only what consent allows; responses before opening and after closing are refused politely.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, linkFrom, type TestApp } from '../../../test/helpers/app.ts';
import { signIn } from '../../../test/helpers/accounts.ts';
import { openConsultation, respond, teamAdmin } from '../../../test/helpers/consultations.ts';
import type { Agent } from '../../../test/helpers/agent.ts';
import { systemActor } from '../../platform/audit/audit.ts';
import type { CurrentUser } from '../../platform/auth/roles.ts';
import { consultationPaths as p } from './consultations.paths.ts';

describe('consultations through the app', () => {
  let t: TestApp;
  let admin: CurrentUser;
  let team: Agent;
  let fixture: Awaited<ReturnType<typeof openConsultation>>;

  before(async () => {
    t = await createTestApp();
    const a = await teamAdmin(t);
    admin = a.current;
    team = t.agent();
    await signIn(team, a.user);
    fixture = await openConsultation(t, admin);
  });
  after(() => t.close());

  test('creating a consultation: a period shorter than 12 weeks needs a reason, and shows the warning', async () => {
    const form = {
      title: 'A short consultation',
      summary: 'Summary',
      howResponsesUsed: 'How we use them',
      versionId: fixture.draft.id,
      'opensOn-day': '1',
      'opensOn-month': '3',
      'opensOn-year': '2026',
      'closesOn-day': '1',
      'closesOn-month': '4',
      'closesOn-year': '2026',
    };
    const refused = await team.submit(p.create(), form);
    assert.equal(refused.statusCode, 422);
    assert.match(refused.body, /Give the reason the consultation is shorter than 12 weeks/);
    assert.match(refused.body, /runs for 4 weeks and 4 days, shorter than the 12 weeks/);
    assert.match(refused.body, /value="A short consultation"/, 'what was typed is kept');
    const created = await team.submit(p.create(), {
      ...form,
      shortPeriodReason: 'The funding round opens in April.',
    });
    assert.equal(created.statusCode, 303);
    const page = await team.get(String(created.headers.location));
    assert.match(
      page.body,
      /shorter than the 12 weeks of the Compact standard. Reason given: The funding round opens in April./,
    );
    // Closing before opening is refused with its own message.
    const backwards = await team.submit(p.create(), { ...form, 'closesOn-month': '2' });
    assert.match(backwards.body, /The closing date must be the same as or after the opening date/);
  });

  test('adding a question with the survey builder’s form, and its errors', async () => {
    const created = await team.submit(p.create(), {
      title: 'Questions test',
      summary: 'S',
      howResponsesUsed: 'H',
      versionId: fixture.draft.id,
      'opensOn-day': '1',
      'opensOn-month': '3',
      'opensOn-year': '2026',
      'closesOn-day': '30',
      'closesOn-month': '6',
      'closesOn-year': '2026',
    });
    const slug = String(created.headers.location).split('/')[2]!;
    const typePage = await team.get(p.newQuestion({ slug }));
    assert.match(typePage.body, /What type of question is it/);
    const url = p.newQuestion({ slug }, { type: 'single_choice' });
    const bad = await team.submit(url, { key: 'Bad Key', text: '', required: 'yes', options: 'Only one' });
    assert.equal(bad.statusCode, 422);
    assert.match(bad.body, /govuk-error-summary/);
    const ok = await team.submit(url, {
      key: 'often',
      text: 'How often?',
      required: 'yes',
      options: 'Often\nSometimes\nNever',
    });
    assert.equal(ok.statusCode, 303, ok.body);
    const dup = await team.submit(url, { key: 'often', text: 'Again?', required: 'yes', options: 'A\nB' });
    assert.match(dup.body, /Another question already has this key/);
    assert.equal((await team.submit(p.manage({ slug }), {}, p.publish({ slug }))).statusCode, 303);
    const locked = await team.submit(p.manage({ slug }), {}, p.removeQuestion({ slug, key: 'often' }));
    assert.equal(locked.statusCode, 422);
    assert.match(locked.body, /cannot change once the consultation is published/);
  });

  test('responding: errors, per-paragraph comments with a diff, save and return, send with a copy', async () => {
    const slug = fixture.slug;
    const agent = t.agent();
    const show = await agent.get(p.show({ slug }));
    assert.equal(show.statusCode, 200);
    const para = fixture.paragraphs[0]!;
    assert.match(show.body, new RegExp(`id="${para.key}"`), 'an anchor per paragraph, by stable key');
    assert.match(show.body, /We read every response and publish them as you agree/);
    await agent.submit(p.show({ slug }), {}, p.start({ slug }));
    // About you: an organisation needs its name, type and size.
    const about = await agent.submit(p.about({ slug }), {
      respondentType: 'organisation',
      respondentName: 'Ann Example',
      respondentEmail: 'ann@example.org',
    });
    assert.equal(about.statusCode, 422);
    assert.match(about.body, /Enter the name of the organisation/);
    assert.match(about.body, /value="Ann Example"/);
    assert.equal(
      (
        await agent.submit(p.about({ slug }), {
          respondentType: 'organisation',
          respondentName: 'Ann Example',
          respondentEmail: 'ann@example.org',
          organisationName: 'Example Trust',
          organisationType: 'charity',
          organisationSize: 'small',
        })
      ).statusCode,
      303,
    );
    // A suggested change needs the wording, and is shown as a word diff.
    const noWording = await agent.submit(p.comment({ slug, key: para.key }), {
      stance: 'suggest_change',
      comment: 'Say more',
    });
    assert.equal(noWording.statusCode, 422);
    assert.match(noWording.body, /Enter the wording you suggest/);
    const suggested = `${para.text} And review it every year.`;
    const saved = await agent.submit(p.comment({ slug, key: para.key }), {
      stance: 'suggest_change',
      comment: 'Say more',
      suggestedText: suggested,
    });
    assert.equal(saved.headers.location, `${p.document({ slug })}#${para.key}`);
    const doc = await agent.get(p.document({ slug }));
    assert.match(doc.body, /<ins class="app-diff-ins">.*review it every year/s);
    // A paragraph that is not in the version is a 404, not an error page with a stack.
    assert.equal((await agent.get(p.comment({ slug, key: 'p-nothere' }))).statusCode, 404);
    // Save and return by email: a fresh browser carries on from the link.
    const emailed = await agent.submit(p.saved({ slug }), { email: 'ann@example.org' });
    assert.match(emailed.body, /We have sent the link to ann@example.org/);
    await t.deliverEmails();
    const link = linkFrom(t.mail.lastTo('ann@example.org'), `/consultations/${slug}/resume/`);
    const other = t.agent();
    const resumed = await other.get(link);
    assert.equal(resumed.headers.location, p.tasks({ slug }));
    const tasks = await other.get(p.tasks({ slug }));
    assert.match(tasks.body, /1 paragraphs commented on/);
    // Not ready: the required question and consent are missing.
    const early = await other.post(p.check({ slug }), {}, p.about({ slug }));
    assert.equal(early.statusCode, 422);
    assert.match(early.body, /Answer the required questions/);
    const views: Record<string, string> = {};
    for (const pr of fixture.principles) views[`view-${pr.slug}`] = 'support';
    const missingView = await other.submit(p.principles({ slug }), {});
    assert.match(missingView.body, /Select your view of this principle/);
    await other.submit(p.principles({ slug }), views);
    await other.submit(p.questions({ slug, section: 'questions' }), {
      clear: 'agree',
      missing: 'Timetables',
    });
    await other.submit(p.consent({ slug }), { consent: 'named' });
    const sent = await other.submit(p.check({ slug }), {});
    assert.equal(sent.statusCode, 303);
    await t.deliverEmails();
    const copy = t.mail.lastTo('ann@example.org');
    assert.match(copy?.subject ?? '', /Your response to/);
    assert.match(copy?.text ?? '', /Timetables/);
    // The link no longer works once sent; the old browser is told politely.
    assert.equal((await t.agent().get(link)).statusCode, 404);
    assert.equal((await other.get(p.tasks({ slug }))).statusCode, 404);
  });

  test('moderation and consent in every public output: page, search, paragraph page and API', async () => {
    const slug = fixture.slug;
    const key = fixture.paragraphs[1]!.key;
    const principles = fixture.principles;
    const named = await respond(t, slug, {
      name: 'Nora Named',
      consent: 'named',
      missing: 'Named words zebra',
      comment: { key, stance: 'agree', comment: 'Named comment' },
      principles,
    });
    const anon = await respond(t, slug, {
      name: 'Alan Anon',
      consent: 'anonymised',
      missing: 'Call Alan Anon on 07700 900123 zebra',
      comment: { key, stance: 'disagree', comment: 'Second comment' },
      principles,
    });
    const none = await respond(t, slug, {
      name: 'Nina Never',
      consent: 'none',
      missing: 'Secret words zebra',
      comment: { key, stance: 'disagree', comment: 'Never comment' },
      principles,
    });
    const held = await respond(t, slug, {
      name: 'Harry Held',
      consent: 'named',
      missing: 'Abusive words zebra',
      principles,
    });
    const pending = await respond(t, slug, {
      name: 'Pat Pending',
      consent: 'named',
      missing: 'Pending words zebra',
      principles,
    });

    const idOf = async (reference: string) =>
      (
        (await t.deps.db
          .get()
          .execute(`select id from consultation_responses where reference = '${reference}'`)) as unknown as {
          rows: { id: string }[];
        }
      ).rows[0]!.id;
    // The moderator's page shows the automatic redaction of the phone number and the anonymised name.
    const review = await team.get(p.moderate({ slug, responseId: await idOf(anon) }));
    assert.equal(review.statusCode, 200);
    assert.match(review.body, /\[phone number removed\]/);
    for (const ref of [named, anon, none])
      assert.equal(
        (await team.submit(p.moderate({ slug, responseId: await idOf(ref) }), { decision: 'publish' }))
          .statusCode,
        303,
      );
    const noReason = await team.submit(p.moderate({ slug, responseId: await idOf(held) }), {
      decision: 'hold',
    });
    assert.match(noReason.body, /Give the reason for holding the response back/);
    await team.submit(p.moderate({ slug, responseId: await idOf(held) }), {
      decision: 'hold',
      note: 'Abusive',
    });

    const visitor = t.agent();
    const list = await visitor.get(p.responses({ slug }, { q: 'zebra' }));
    assert.equal(list.statusCode, 200);
    assert.match(list.body, new RegExp(named));
    assert.match(list.body, /Nora Named/);
    assert.match(list.body, new RegExp(anon));
    for (const hidden of [none, held, pending]) assert.doesNotMatch(list.body, new RegExp(hidden));
    for (const word of ['Alan Anon', 'Nina Never', 'Harry Held', 'Pat Pending', 'ann@example.org'])
      assert.doesNotMatch(list.body, new RegExp(word));
    const anonPage = await visitor.get(p.response({ slug, reference: anon }));
    assert.match(anonPage.body, /\[phone number removed\]/);
    assert.doesNotMatch(anonPage.body, /07700 900123|Alan Anon/);
    assert.equal((await visitor.get(p.response({ slug, reference: none }))).statusCode, 404);
    assert.equal((await visitor.get(p.response({ slug, reference: held }))).statusCode, 404);
    const paragraph = await visitor.get(p.paragraph({ slug, key }));
    assert.match(paragraph.body, /Named comment/);
    assert.match(paragraph.body, /Second comment/);
    assert.doesNotMatch(paragraph.body, /Never comment/);
    const api = await visitor.get(p.api.responses({ slug }), { accept: 'application/json' });
    assert.equal(api.statusCode, 200);
    const body = api.json() as { items: { reference: string; name: string | null }[]; total: number };
    const refs = body.items.map((x) => x.reference);
    assert.ok(refs.includes(named) && refs.includes(anon));
    for (const hidden of [none, held, pending]) assert.ok(!refs.includes(hidden));
    assert.equal(body.items.find((x) => x.reference === anon)!.name, null);
    for (const word of ['Nina Never', 'Secret words', 'Never comment', 'ann@example.org', '07700'])
      assert.doesNotMatch(api.body, new RegExp(word));
    const listApi = await visitor.get(p.api.list(), { accept: 'application/json' });
    assert.match(listApi.body, new RegExp(slug));
    const openapi = await visitor.get('/api/openapi.json', { accept: 'application/json' });
    assert.match(openapi.body, /\/api\/v1\/consultations\/\{slug\}\/responses/);
  });

  test('a draft response is never published or counted; refusals before opening and after closing', async () => {
    const slug = fixture.slug;
    const half = t.agent();
    await half.submit(p.show({ slug }), {}, p.start({ slug }));
    await half.submit(p.about({ slug }), { respondentType: 'individual', respondentName: 'Dora Draft' });
    const counts = await t.deps.consultationsRepository.responseCounts(fixture.consultationId);
    const queue = await team.get(p.moderation({ slug }));
    assert.doesNotMatch(queue.body, /Dora Draft/);
    assert.ok(counts.pending + counts.published + counts.held >= 0);

    // Upcoming consultation: responding is refused politely.
    const today = t.clock.now();
    const later = await t.deps.consultations.create(admin, systemActor, {
      title: 'Later one',
      summary: 'S',
      howResponsesUsed: 'H',
      versionId: fixture.draft.id,
      subCovenantId: null,
      opensOn: '2027-01-04',
      closesOn: '2027-04-30',
      shortPeriodReason: null,
    });
    await t.deps.consultations.publish(admin, systemActor, later.slug);
    const notOpen = await t.agent().post(p.start({ slug: later.slug }), {}, '/sign-in');
    assert.equal(notOpen.statusCode, 403);
    assert.match(notOpen.body, /This consultation is not open yet/);

    // After closing: the half-way response is refused politely and stays a draft.
    t.clock.set(new Date(today.getTime() + 90 * 86_400_000));
    const refused = await half.post(p.check({ slug }), {}, '/sign-in');
    assert.equal(refused.statusCode, 410);
    assert.match(refused.body, /This consultation has closed/);
    const row = (
      (await t.deps.db
        .get()
        .execute(
          `select status from consultation_responses where respondent_name = 'Dora Draft'`,
        )) as unknown as { rows: { status: string }[] }
    ).rows[0];
    assert.equal(row?.status, 'draft');
    t.clock.set(today);
  });
});
