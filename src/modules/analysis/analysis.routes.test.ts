import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import type { CurrentUser } from '../../platform/auth/roles.ts';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { agentFor, createPerson } from '../../../test/helpers/analysis.ts';
import { csrfTokenIn, type Agent } from '../../../test/helpers/agent.ts';
import { analysisPaths as p } from './analysis.paths.ts';

const answersCsv = readFileSync(
  new URL('../../../test/fixtures/analysis/answers.csv', import.meta.url),
  'utf8',
)
  .split('\n')
  .slice(0, 81)
  .join('\n');

let test: TestApp;
let analyst: CurrentUser;
let panel: Agent;
let admin: Agent;
let setId: string;
let themeIds: string[];
let itemId: string;
let codeId: string;

const errorSummary = /govuk-error-summary/;

before(async () => {
  test = await createTestApp();
  analyst = await createPerson(test.deps, 'admin', 'Ada Analyst');
  admin = await agentFor(test, analyst);
  panel = await agentFor(test, await createPerson(test.deps, 'panel_member', 'Bo Panel'));

  // One themed, coded set with a suggestion waiting, so every page has something to show.
  const actor = { userId: analyst.id };
  const set = await test.deps.analysis.createSetFromCsv(analyst, actor, { name: 'Fixture', csv: answersCsv });
  setId = set.id;
  await test.deps.analysis.runThemes(analyst, actor, setId, { k: 4, seed: 3 });
  themeIds = (await test.deps.analysis.overview(analyst, setId)).themes.map((t) => t.id);
  const code = await test.deps.analysis.addCode(analyst, actor, setId, {
    name: 'Funding',
    description: 'Money',
  });
  codeId = code.id;
  const rows = (await test.deps.db
    .get()
    .execute(sql`select id from analysis_items where set_id = ${setId} order by position`)) as unknown as {
    rows: { id: string }[];
  };
  itemId = rows.rows[0]!.id;
  await test.deps.analysis.codeItem(analyst, actor, setId, itemId, [codeId]);
  await test.deps.analysis.suggest(analyst, actor, setId);
});
after(() => test.close());

const pages = () => [
  p.sets(),
  p.newSet(),
  p.set({ setId }),
  p.theme({ setId, themeId: themeIds[0]! }),
  p.codebook({ setId }),
  p.code({ setId, codeId }),
  p.item({ setId, itemId }),
  p.suggestions({ setId }),
  p.agreement({ setId }),
];

describe('analysis pages: who may see them', () => {
  it('every page is 200 for an admin and a panel member', async () => {
    for (const agent of [admin, panel]) {
      for (const url of pages()) {
        const response = await agent.get(url);
        assert.equal(response.statusCode, 200, `${url}: ${response.body.slice(0, 300)}`);
      }
    }
  });

  it('is 403 for a CSO member and a body officer, and sends anonymous people to sign in', async () => {
    const member = await agentFor(test, await createPerson(test.deps, 'cso_member'));
    const officer = await agentFor(test, await createPerson(test.deps, 'body_officer'));
    const anonymous = test.agent();
    for (const url of pages()) {
      assert.equal((await member.get(url)).statusCode, 403, url);
      assert.equal((await officer.get(url)).statusCode, 403, url);
      const response = await anonymous.get(url);
      assert.equal(response.statusCode, 303, url);
      assert.match(String(response.headers.location), /^\/sign-in\?returnTo=/);
    }
  });

  it('shows the analysis link in the navigation only to analysts', async () => {
    assert.match((await admin.get('/')).body, new RegExp(`href="${p.sets()}"`));
    const member = await agentFor(test, await createPerson(test.deps, 'cso_member'));
    assert.doesNotMatch((await member.get('/')).body, new RegExp(`href="${p.sets()}"`));
  });
});

describe('analysis pages: the workflow', () => {
  it('uploads a CSV file (multipart) and a pasted CSV, and explains a wrong header with 422', async () => {
    const page = await admin.get(p.newSet());
    const token = csrfTokenIn(page.body);
    const boundary = '----covenant-test';
    const part = (name: string, value: string, filename?: string) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="${name}"${filename ? `; filename="${filename}"\r\nContent-Type: text/csv` : ''}\r\n\r\n${value}\r\n`;
    const body = `${part('_csrf', token)}${part('name', 'Uploaded')}${part('file', 'id,text\r\na,"Grants, late again"\r\nb,Too short a window\r\n', 'answers.csv')}--${boundary}--\r\n`;
    const uploaded = await admin.app.inject({
      method: 'POST',
      url: p.newSet(),
      headers: {
        cookie: [...admin.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        'content-type': `multipart/form-data; boundary=${boundary}`,
      },
      payload: body,
    });
    assert.equal(uploaded.statusCode, 303, uploaded.body.slice(0, 500));
    const shown = await admin.get(String(uploaded.headers.location));
    assert.match(shown.body, /2 answers/);

    const pasted = await admin.submit(p.newSet(), { name: 'Pasted', csv: 'id,text\n1,Hello there\n' });
    assert.equal(pasted.statusCode, 303);

    const wrong = await admin.submit(p.newSet(), { name: 'Wrong', csv: 'ref,answer\n1,Hello\n' });
    assert.equal(wrong.statusCode, 422);
    assert.match(wrong.body, errorSummary);
    assert.match(wrong.body, /expected &quot;id,text&quot;/);

    const empty = await admin.submit(p.newSet(), { name: '', csv: '' });
    assert.equal(empty.statusCode, 422);
    assert.match(empty.body, /Enter a name for this set of answers/);
  });

  it('queues a run from the set page; the worker job finds the themes', async () => {
    const pasted = await admin.submit(p.newSet(), { name: 'To run', csv: answersCsv });
    const url = String(pasted.headers.location);
    const queued = await admin.submit(url, { k: '3' }, `${url}/run`);
    assert.equal(queued.statusCode, 303);
    assert.match((await admin.get(url)).body, /Finding themes\. Refresh this page/);
    assert.equal(await test.deps.analysis.processQueuedRuns(), 1);
    const page = await admin.get(url);
    assert.match(page.body, /Themes found/);
    const bad = await admin.submit(url, { k: '1' }, `${url}/run`);
    assert.equal(bad.statusCode, 422);
    assert.match(bad.body, errorSummary);
  });

  it('renames a theme, and refuses an empty name or a merge with itself (422 with the error summary)', async () => {
    const themeUrl = p.theme({ setId, themeId: themeIds[0]! });
    const empty = await admin.submit(themeUrl, { label: '  ' }, p.rename({ setId, themeId: themeIds[0]! }));
    assert.equal(empty.statusCode, 422);
    assert.match(empty.body, errorSummary);
    assert.match(empty.body, /Enter a name for the theme/);

    const itself = await admin.submit(
      themeUrl,
      { into: themeIds[0]! },
      p.merge({ setId, themeId: themeIds[0]! }),
    );
    assert.equal(itself.statusCode, 422);
    assert.match(itself.body, /Choose a different theme to merge into/);

    const renamed = await admin.submit(
      themeUrl,
      { label: 'Funding delays' },
      p.rename({ setId, themeId: themeIds[0]! }),
    );
    assert.equal(renamed.statusCode, 303);
    assert.match((await admin.get(p.set({ setId }))).body, /Funding delays/);
  });

  it('moves, merges and splits from the theme page', async () => {
    const [first, second, third] = themeIds as [string, string, string];
    const themeUrl = p.theme({ setId, themeId: second });
    const detail = await test.deps.analysis.theme(analyst, setId, second);
    const moved = await admin.submit(
      themeUrl,
      { items: [detail.items[0]!.id], to: first },
      p.move({ setId, themeId: second }),
    );
    assert.equal(moved.statusCode, 303);
    const none = await admin.submit(themeUrl, { to: first }, p.move({ setId, themeId: second }));
    assert.equal(none.statusCode, 422);

    const merged = await admin.submit(themeUrl, { into: first }, p.merge({ setId, themeId: second }));
    assert.equal(merged.statusCode, 303);
    assert.equal((await admin.get(themeUrl)).statusCode, 404);

    const split = await admin.submit(
      p.theme({ setId, themeId: first }),
      { parts: '2' },
      p.split({ setId, themeId: first }),
    );
    assert.equal(split.statusCode, 303);
    const removed = await admin.submit(
      p.theme({ setId, themeId: third }),
      {},
      p.remove({ setId, themeId: third }),
    );
    assert.equal(removed.statusCode, 303);
  });

  it('adds and edits codes, codes an answer, accepts a suggestion and shows agreement', async () => {
    const added = await admin.submit(p.codebook({ setId }), {
      name: 'Access',
      description: 'Getting in the room',
    });
    assert.equal(added.statusCode, 303);
    const duplicate = await admin.submit(p.codebook({ setId }), { name: 'access', description: '' });
    assert.equal(duplicate.statusCode, 422);
    const edited = await admin.submit(p.code({ setId, codeId }), {
      name: 'Funding',
      description: 'Money and grants',
    });
    assert.equal(edited.statusCode, 303);

    const coded = await admin.submit(p.item({ setId, itemId }), { codes: [codeId], then: 'next' });
    assert.equal(coded.statusCode, 303);
    assert.notEqual(coded.headers.location, p.item({ setId, itemId }));

    const review = await admin.get(p.suggestions({ setId }));
    const accept = /action="(\/analysis\/sets\/[^"]+\/accept)"/.exec(review.body);
    assert.ok(accept);
    assert.equal((await admin.submit(p.suggestions({ setId }), {}, accept[1])).statusCode, 303);

    // A panel member with nothing coded gets a clear message, not a crash.
    const nothing = await panel.submit(p.suggestions({ setId }), {});
    assert.equal(nothing.statusCode, 422);
    assert.match(nothing.body, /Code some answers yourself first/);

    await panel.submit(p.item({ setId, itemId }), { codes: [codeId], then: 'stay' });
    const agreement = await admin.get(p.agreement({ setId }));
    assert.match(agreement.body, /Both analysts coded 1 of the same answers/);
  });
});
