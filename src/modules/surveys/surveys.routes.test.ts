/**
 * The survey builder through the real app (issue 6, item 1): an administrator creates an edition, adds
 * sections and questions of every type, sets show-if rules (a forward reference, a rule that hides a
 * required question and a bad value are refused with clear messages), previews and publishes it, copies it
 * to the next year with the same question identifiers, and meets the rule that a question with answers can
 * only be retired and replaced. Bad input gets the error summary (422) and saves nothing.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { agentFor, createPerson } from '../../../test/helpers/analysis.ts';
import type { Agent } from '../../../test/helpers/agent.ts';
import { ensureCovenantReference } from '../covenant/covenant.seed.ts';
import { surveyPaths as sp } from './surveys.paths.ts';
import { systemActor } from '../../platform/audit/audit.ts';
import type { CurrentUser } from '../../platform/auth/roles.ts';
import { translator } from '../../platform/i18n/i18n.ts';

const dateFields = (name: string, iso: string) => {
  const [y, m, d] = iso.split('-');
  return { [`${name}-day`]: d!, [`${name}-month`]: m!, [`${name}-year`]: y! };
};

describe('survey builder pages', () => {
  let t: TestApp;
  let admin: Agent;
  let adminUser: CurrentUser;
  let editionId: string;
  const sectionIds: Record<string, string> = {};
  const questionIds: Record<string, string> = {};

  const editionPath = () => sp.adminEdition({ editionId });
  const idsFromDatabase = async () => {
    const model = await t.deps.surveys.load(editionId);
    for (const s of model.sections) {
      sectionIds[s.key] = s.id;
      for (const q of s.questions) questionIds[q.key] = q.id;
    }
    return model;
  };

  before(async () => {
    t = await createTestApp();
    await ensureCovenantReference(t.deps.db, t.clock);
    adminUser = await createPerson(t.deps, 'admin');
    admin = await agentFor(t, adminUser);
  });
  after(() => t.close());

  test('the editions list and an empty create form (422 with every message)', async () => {
    const list = await admin.get(sp.admin());
    assert.equal(list.statusCode, 200);
    assert.match(list.body, /Annual review editions/);
    const empty = await admin.submit(sp.adminNew(), { year: '', title: '', openLink: '' });
    assert.equal(empty.statusCode, 422);
    assert.match(empty.body, /govuk-error-summary/);
    assert.match(empty.body, /Enter the year the review covers/);
    assert.match(empty.body, /Enter a title/);
    assert.match(empty.body, /Enter the closing date/);
    assert.match(empty.body, /Select whether anyone with the link can respond/);
    const badDate = await admin.submit(sp.adminNew(), {
      year: '2026',
      title: 'Review',
      openLink: 'yes',
      ...dateFields('closesAt', '2026-02-31'),
    });
    assert.equal(badDate.statusCode, 422);
    assert.match(badDate.body, /The closing date must be a real date/);
    assert.match(badDate.body, /href="#closesAt-day"/);
  });

  test('creates an edition; a second edition for the same year is refused', async () => {
    const form = {
      year: '2026',
      title: 'Annual review 2026',
      intro: 'Tell us how it is going.',
      openLink: 'yes',
      ...dateFields('closesAt', '2026-03-31'),
    };
    const created = await admin.submit(sp.adminNew(), form);
    assert.equal(created.statusCode, 303);
    editionId = /editions\/([0-9a-f-]{36})/.exec(String(created.headers.location))![1]!;
    const page = await admin.get(editionPath());
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Annual review 2026/);
    const again = await admin.submit(sp.adminNew(), form);
    assert.equal(again.statusCode, 422);
    assert.match(again.body, /There is already an edition for 2026/);
  });

  test('adds sections; a bad or reserved identifier is refused', async () => {
    const bad = await admin.submit(sp.adminSectionNew({ editionId }), { key: 'Bad Key', title: 'x' });
    assert.equal(bad.statusCode, 422);
    assert.match(bad.body, /identifier must use lower-case letters/);
    const reserved = await admin.submit(sp.adminSectionNew({ editionId }), { key: 'nation', title: 'x' });
    assert.equal(reserved.statusCode, 422);
    assert.match(reserved.body, /used by the questions about the respondent’s organisation/);
    for (const [key, title] of [
      ['work', 'Your work'],
      ['experience', 'Your experience'],
      ['more', 'Anything else'],
    ]) {
      const r = await admin.submit(sp.adminSectionNew({ editionId }), { key: key!, title: title! });
      assert.equal(r.statusCode, 303, `section ${key}`);
    }
    await idsFromDatabase();
    assert.deepEqual(Object.keys(sectionIds), ['work', 'experience', 'more']);
  });

  test('adds a question of every type, after choosing the type', async () => {
    const typePage = await admin.get(sp.adminQuestionNew({ editionId, sectionId: sectionIds.work! }));
    assert.equal(typePage.statusCode, 200);
    assert.match(typePage.body, /What type of question do you want to add/);
    const noType = await admin.get(
      `${sp.adminQuestionNew({ editionId, sectionId: sectionIds.work! })}?type=nonsense`,
    );
    assert.equal(noType.statusCode, 422);
    assert.match(noType.body, /Select the type of question/);

    const add = (section: string, type: string, form: Record<string, string>) =>
      admin.submit(`${sp.adminQuestionNew({ editionId, sectionId: sectionIds[section]! })}?type=${type}`, {
        required: 'no',
        ...form,
      });
    // A choice question needs at least two answers.
    const oneOption = await add('work', 'single_choice', {
      key: 'engaged',
      text: 'Worked with a body?',
      options: 'Yes',
    });
    assert.equal(oneOption.statusCode, 422);
    assert.match(oneOption.body, /Enter at least 2 answers/);

    const principles = await t.deps.surveys.principles();
    const cases: [string, string, Record<string, string>][] = [
      [
        'work',
        'single_choice',
        { key: 'engaged', text: 'Worked with a body?', options: 'Yes\nNo', required: 'yes' },
      ],
      ['work', 'number', { key: 'staff', text: 'How many staff?', numberMin: '0', numberInteger: 'yes' }],
      [
        'experience',
        'agreement',
        {
          key: 'listened',
          text: 'Our expertise was listened to',
          required: 'yes',
          principleId: principles[0]!.id,
          signKey: 'expertise-listened',
          help: 'Think of the last 12 months.',
        },
      ],
      [
        'experience',
        'multiple_choice',
        { key: 'ways', text: 'How?', options: 'grant | A grant\nConsultation', exclusive: 'None of these' },
      ],
      ['experience', 'body_rating', { key: 'bodies', text: 'Rate the bodies', maxBodies: '2' }],
      ['more', 'free_text', { key: 'why', text: 'Tell us why', maxLength: '500' }],
    ];
    for (const [section, type, form] of cases) {
      const r = await add(section, type, form);
      assert.equal(r.statusCode, 303, `${type}: ${r.body.slice(0, 200)}`);
    }
    const model = await idsFromDatabase();
    const ways = model.sections[1]!.questions.find((q) => q.key === 'ways')!;
    assert.deepEqual(
      ways.settings.options?.map((o) => [o.value, o.label, Boolean(o.exclusive)]),
      [
        ['grant', 'A grant', false],
        ['consultation', 'Consultation', false],
        ['none-of-these', 'None of these', true],
      ],
    );
    const listened = model.sections[1]!.questions.find((q) => q.key === 'listened')!;
    assert.equal(listened.principleId, principles[0]!.id);
    assert.equal(listened.signKey, 'expertise-listened');
    const taken = await add('more', 'free_text', { key: 'why', text: 'Again' });
    assert.equal(taken.statusCode, 422);
    assert.match(taken.body, /already used in this edition/);
    const page = await admin.get(editionPath());
    assert.match(page.body, /Our expertise was listened to/);
    assert.match(page.body, /Progress sign: Civil society can see its expertise/);
  });

  test('show-if rules: saved, described, and refused when they cannot work', async () => {
    const sectionRule = sp.adminSectionLogic({ editionId, sectionId: sectionIds.experience! });
    const editor = await admin.get(sectionRule);
    assert.equal(editor.statusCode, 200);
    assert.match(editor.body, /Questions on earlier pages/);
    // The editor offers only earlier pages' questions: a question on the same page is refused.
    const same = await admin.submit(sectionRule, {
      match: 'all',
      'clause-1-question': 'listened',
      'clause-1-operator': 'answered',
    });
    assert.equal(same.statusCode, 422);
    assert.match(same.body, /Condition 1: choose a question from an earlier page/);
    // A value that is not an answer of the question.
    const badValue = await admin.submit(sectionRule, {
      match: 'all',
      'clause-1-question': 'engaged',
      'clause-1-operator': 'equals',
      'clause-1-value': 'maybe',
    });
    assert.equal(badValue.statusCode, 422);
    assert.match(badValue.body, /depends on ‘engaged’ being ‘maybe’, which is not one of its answers/);
    const ok = await admin.submit(sectionRule, {
      match: 'all',
      'clause-1-question': 'engaged',
      'clause-1-operator': 'equals',
      'clause-1-value': 'yes',
    });
    assert.equal(ok.statusCode, 303, (/govuk-error-summary__list">([\s\S]*?)<\/ul>/.exec(ok.body) ?? [])[1]);
    const page = await admin.get(editionPath());
    assert.match(page.body, /‘Worked with a body\?’ is ‘Yes’/);

    // A rule that can never hold hides the required question ‘listened’: refused, and nothing saved.
    const questionRule = sp.adminQuestionLogic({ editionId, questionId: questionIds.listened! });
    const impossible = await admin.submit(questionRule, {
      match: 'all',
      'clause-1-question': 'engaged',
      'clause-1-operator': 'equals',
      'clause-1-value': 'no',
    });
    assert.equal(impossible.statusCode, 422);
    assert.match(impossible.body, /Required question ‘listened’ can never be shown/);
    assert.equal((await t.deps.surveysRepository.questionById(questionIds.listened!))!.showIf, null);

    // A rule on a later page's question (a forward reference, which would also make a cycle) is refused.
    const forward = await admin.submit(questionRule, {
      match: 'all',
      'clause-1-question': 'why',
      'clause-1-operator': 'answered',
    });
    assert.equal(forward.statusCode, 422);
    assert.match(forward.body, /choose a question from an earlier page/);

    const cleared = await admin.submit(sectionRule, { clear: '1' });
    assert.equal(cleared.statusCode, 303);
    assert.equal((await t.deps.surveysRepository.sectionById(sectionIds.experience!))!.showIf, null);
    // Put it back for the rest of the journey.
    await admin.submit(sectionRule, {
      match: 'any',
      'clause-1-question': 'engaged',
      'clause-1-operator': 'equals',
      'clause-1-value': 'yes',
    });
  });

  test('moving a section so that a rule looks forward is refused', async () => {
    const move = await admin.post(
      sp.adminSectionMove({ editionId, sectionId: sectionIds.experience! }),
      { direction: 'up' },
      editionPath(),
    );
    assert.equal(move.statusCode, 422);
    assert.match(move.body, /not in an earlier section/);
  });

  test('preview shows every page with its rule; publishing checks the dates', async () => {
    const preview = await admin.get(sp.adminPreview({ editionId }));
    assert.equal(preview.statusCode, 200);
    assert.match(preview.body, /Page 1: About your organisation/);
    assert.match(preview.body, /Shown only if: ‘Worked with a body\?’ is ‘Yes’/);
    assert.doesNotMatch(
      preview.body,
      /<form method="post"[^>]*>\s*<input type="hidden" name="_csrf"[^>]*>\s*<div class="govuk-form-group/,
    );
    const past = await admin.submit(sp.adminPublish({ editionId }), {
      ...dateFields('opensAt', '2026-01-05'),
      ...dateFields('closesAt', '2026-01-01'),
    });
    assert.equal(past.statusCode, 422);
    assert.match(past.body, /The closing date must be after the opening date/);
    const published = await admin.submit(sp.adminPublish({ editionId }), {
      ...dateFields('opensAt', '2026-01-05'),
      ...dateFields('closesAt', '2026-03-31'),
    });
    assert.equal(published.statusCode, 303);
    const edition = (await t.deps.surveysRepository.editionById(editionId))!;
    assert.equal(edition.status, 'published');
    // 31 March 2026 is in British Summer Time: the end of that day is 22:59:59 UTC.
    assert.equal(edition.closesAt.toISOString(), '2026-03-31T22:59:59.000Z');
    // Published: a question cannot be removed, only retired.
    const remove = await admin.post(
      sp.adminQuestionRemove({ editionId, questionId: questionIds.staff! }),
      {},
      editionPath(),
    );
    assert.equal(remove.statusCode, 422);
    assert.match(remove.body, /cannot be removed because the edition is published/);
  });

  test('once answered, a question’s meaning is locked: edit refused, retire and replace allowed', async () => {
    // One anonymous response through the respondent's service.
    const respond = t.deps.surveysRespond;
    const { token } = await respond.startOpen(2026);
    const s = await respond.session(2026, token);
    const tr = translator('en');
    await respond.savePage(
      s,
      'about-your-organisation',
      { 'organisation-type': 'charity', 'income-band': 'small', nation: 'wales', role: 'trustee' },
      tr,
    );
    await respond.savePage(s, 'work', { engaged: 'no' }, tr);
    await respond.savePage(s, 'more', {}, tr);
    assert.equal((await respond.submit(s, null, tr)).submitted, true);

    const edit = await admin.submit(sp.adminQuestion({ editionId, questionId: questionIds.engaged! }), {
      text: 'Have you worked with a public body?',
      required: 'yes',
      options: 'Yes\nNo',
    });
    assert.equal(edit.statusCode, 422);
    assert.match(edit.body, /already has answers, so its wording, type and answers cannot be changed/);
    // Help text can still change.
    const help = await admin.submit(sp.adminQuestion({ editionId, questionId: questionIds.engaged! }), {
      text: 'Worked with a body?',
      required: 'yes',
      options: 'Yes\nNo',
      help: 'In the last 12 months',
    });
    assert.equal(help.statusCode, 303);

    const replace = await admin.submit(
      `${sp.adminQuestionReplace({ editionId, questionId: questionIds.staff! })}?type=number`,
      { key: 'paid-staff', text: 'How many paid staff?', required: 'no', numberMin: '0' },
    );
    assert.equal(replace.statusCode, 303);
    const model = await idsFromDatabase();
    const work = model.sections.find((s) => s.key === 'work')!;
    assert.ok(work.questions.find((q) => q.key === 'staff')!.retiredAt, 'the old question is retired');
    assert.equal(work.questions.find((q) => q.key === 'paid-staff')!.replacesKey, 'staff');
  });

  test('copies the edition to next year with the same identifiers, leaving out retired questions', async () => {
    const taken = await admin.submit(sp.adminCopy({ editionId }), {
      year: '2026',
      ...dateFields('closesAt', '2027-03-31'),
    });
    assert.equal(taken.statusCode, 422);
    assert.match(taken.body, /There is already an edition for 2026/);
    const copied = await admin.submit(sp.adminCopy({ editionId }), {
      year: '2027',
      ...dateFields('closesAt', '2027-03-31'),
    });
    assert.equal(copied.statusCode, 303);
    const copyId = /editions\/([0-9a-f-]{36})/.exec(String(copied.headers.location))![1]!;
    const [from, to] = await Promise.all([t.deps.surveys.load(editionId), t.deps.surveys.load(copyId)]);
    const keys = (m: typeof from) =>
      m.sections.flatMap((s) => s.questions.filter((q) => !q.retiredAt).map((q) => q.key));
    assert.deepEqual(keys(to), keys(from));
    assert.ok(!keys(to).includes('staff'));
    assert.equal(to.edition.status, 'draft');
    assert.equal(to.edition.copiedFromId, editionId);
    assert.deepEqual(to.sections[1]!.showIf, from.sections[1]!.showIf);
    // The copy's question with answers in 2026 is locked in 2027 too (same key, same meaning).
    const engaged = to.sections[0]!.questions.find((q) => q.key === 'engaged')!;
    await assert.rejects(
      t.deps.surveys.updateQuestion(adminUser, systemActor, copyId, engaged.id, {
        type: 'single_choice',
        text: 'Changed',
        help: null,
        required: true,
        settings: engaged.settings,
        principleId: null,
        signKey: null,
      }),
      /meaningLocked/,
    );
  });

  test('invitations: the dry run reports every bad row; sending queues single-use links; reminders', async () => {
    const page = await admin.get(sp.adminInvitations({ editionId }));
    assert.equal(page.statusCode, 200);
    const csv =
      'email,name\nana@example.org,Ana\nnot-an-email,Bob\n\nana@example.org,Ana again\nben@example.org,Ben\n';
    const boundary = '----surveytest';
    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
    const payload =
      `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${token}\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="contacts.csv"\r\nContent-Type: text/csv\r\n\r\n${csv}\r\n--${boundary}--\r\n`;
    const check = await t.app.inject({
      method: 'POST',
      url: sp.adminInvitations({ editionId }),
      headers: {
        cookie: [...admin.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        'content-type': `multipart/form-data; boundary=${boundary}`,
      },
      payload,
    });
    assert.equal(check.statusCode, 200, check.body.slice(0, 300));
    assert.match(check.body, /2 invitations will be sent/);
    assert.match(check.body, /This is not a valid email address/);
    assert.match(check.body, /in the file more than once/);
    assert.equal(
      (await t.deps.surveysRepository.invitationCounts(editionId)).pending,
      0,
      'the dry run saves nothing',
    );
    const csvField = /name="csv" value="([^"]+)"/.exec(check.body)![1]!;
    const sent = await admin.post(
      sp.adminInvitationsSend({ editionId }),
      { csv: csvField },
      sp.adminInvitations({ editionId }),
    );
    assert.equal(sent.statusCode, 303);
    assert.equal((await t.deps.surveysRepository.invitationCounts(editionId)).pending, 2);
    await t.deliverEmails();
    assert.match(t.mail.lastTo('ana@example.org')!.text, /\/annual-review\/invitation\/[A-Za-z0-9_-]{20,}/);
    // Sending the same file again skips everyone already invited.
    const again = await admin.post(
      sp.adminInvitationsSend({ editionId }),
      { csv: csvField },
      sp.adminInvitations({ editionId }),
    );
    assert.equal(again.statusCode, 303);
    assert.equal((await t.deps.surveysRepository.invitationCounts(editionId)).pending, 2);
    // Reminders: none due yet (a week must pass), then one each.
    const none = await admin.post(
      sp.adminInvitationsRemind({ editionId }),
      {},
      sp.adminInvitations({ editionId }),
    );
    assert.equal(none.statusCode, 303);
    t.clock.advance(8 * 86_400_000);
    assert.deepEqual(await t.deps.surveysRespond.sendReminders(), { sent: 2 });
    await t.deliverEmails();
    assert.match(t.mail.lastTo('ben@example.org')!.subject, /Reminder/);
    t.clock.advance(-8 * 86_400_000);
  });
});
