/**
 * The identity-leak test (issue 4 acceptance, SPEC §3 "Confidentiality"): for a withheld case, everything a
 * body user can receive — every page, API response, CSV export and email — and the server's own log at
 * LOG_LEVEL=info must not contain the reporter's name, email, phone or organisation.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { inArray } from 'drizzle-orm';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { createUser, signIn, type TestUser } from '../../../test/helpers/accounts.ts';
import {
  buildCase,
  createTestOrganisation,
  createTestPerson,
  type BuiltCase,
} from '../../../test/helpers/cases.ts';
import type { Agent } from '../../../test/helpers/agent.ts';
import { emailOutbox } from '../../platform/email/email.tables.ts';
import { casePaths } from './cases.paths.ts';

const secret = {
  name: 'Zebulon Quillfeather',
  email: 'zq.secret@quill-collective.example.org',
  phone: '07700 900987',
  organisationName: 'Quillfeather Secret Collective',
};
const secrets = [
  secret.name,
  secret.email,
  secret.phone,
  secret.organisationName,
  'Quillfeather',
  'zq.secret',
];

function assertClean(what: string, text: string) {
  for (const s of secrets) assert.ok(!text.includes(s), `${what} contains "${s}"`);
}

describe('identity leak: a withheld case seen by its body', () => {
  let t: TestApp;
  let officer: TestUser;
  let lead: TestUser;
  let officerAgent: Agent;
  let leadAgent: Agent;
  let c: BuiltCase;
  const logged: string[] = [];
  const originalWriteSync = fs.writeSync;
  const originalWrite = process.stdout.write.bind(process.stdout);

  before(async () => {
    // Capture the server log (pino writes to fd 1 through sonic-boom, or to process.stdout).
    (fs as { writeSync: unknown }).writeSync = (fd: number, data: unknown, ...rest: unknown[]) => {
      if (fd === 1 || fd === 2) logged.push(String(data));
      return (originalWriteSync as (...a: unknown[]) => number)(fd, data, ...rest);
    };
    process.stdout.write = ((chunk: unknown, ...rest: unknown[]) => {
      logged.push(String(chunk));
      return (originalWrite as (...a: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof process.stdout.write;

    t = await createTestApp({ LOG_LEVEL: 'info' });
    const body = await createTestOrganisation(t.deps, { name: 'Leaky Department' });
    officer = await createUser(t.deps, {
      roles: [{ role: 'body_officer', organisationId: body.id }],
      totp: true,
    });
    lead = await createUser(t.deps, { roles: [{ role: 'body_lead', organisationId: body.id }], totp: true });
    const cso = await createTestOrganisation(t.deps, { kind: 'cso', name: secret.organisationName });
    const reporter = await createTestPerson(t.deps, 'cso_member', {
      organisationId: cso.id,
      email: secret.email,
      name: secret.name,
    });
    c = await buildCase(t.deps, {
      state: 'with_body',
      body,
      reporter,
      confidentiality: 'withheld',
      title: 'Grant withdrawn without notice',
      identity: secret,
    });
    officerAgent = t.agent();
    await signIn(officerAgent, officer);
    leadAgent = t.agent();
    await signIn(leadAgent, lead);
  });
  after(async () => {
    (fs as { writeSync: unknown }).writeSync = originalWriteSync;
    process.stdout.write = originalWrite as typeof process.stdout.write;
    await t.close();
  });

  test('pages, forms with errors, conflicts, exports, API and emails never carry the identity', async () => {
    const reporter = c.reporter;
    const version = async () => String((await t.deps.cases.loadCase(c.id))!.version);
    const seen: [string, string][] = [];
    const get = async (agent: Agent, url: string) => {
      const res = await agent.get(url);
      seen.push([url, res.body]);
      return res;
    };
    const post = async (agent: Agent, url: string, form: Record<string, string>) => {
      const res = await agent.submit(casePaths.show({ caseId: c.id }), form, url);
      seen.push([`POST ${url}`, res.body]);
      return res;
    };

    // The reporter writes to the body through the relay.
    await t.deps.cases.sendMessage(
      { userId: reporter.id },
      reporter,
      c.id,
      'reporter',
      'Please look at the letter.',
    );

    for (const agent of [officerAgent, leadAgent]) {
      await get(agent, casePaths.inbox());
      await get(agent, casePaths.inbox({ q: c.reference }));
      // The identity is not searchable either (the page echoes the query itself, so it is not collected).
      assert.match((await agent.get(casePaths.inbox({ q: 'Quillfeather' }))).body, /0 cases/);
      await get(agent, casePaths.show({ caseId: c.id }));
      await get(agent, casePaths.inboxExport());
    }
    await get(leadAgent, casePaths.templates());
    await get(leadAgent, casePaths.apiTokens());

    // Every action a body user can take, including the error and conflict pages.
    await post(officerAgent, casePaths.action({ caseId: c.id, action: 'respond' }), {
      expectedVersion: await version(),
      text: '',
    });
    await post(officerAgent, casePaths.action({ caseId: c.id, action: 'acknowledge' }), {
      expectedVersion: await version(),
    });
    await post(officerAgent, casePaths.action({ caseId: c.id, action: 'pause_clock' }), {
      expectedVersion: '1',
      text: 'Stale',
    });
    await post(officerAgent, casePaths.action({ caseId: c.id, action: 'pause_clock' }), {
      expectedVersion: await version(),
      text: 'Waiting',
    });
    await post(officerAgent, casePaths.action({ caseId: c.id, action: 'resume_clock' }), {
      expectedVersion: await version(),
    });
    await post(officerAgent, casePaths.message({ caseId: c.id }), { message: 'Thank you, we are looking.' });
    await post(officerAgent, casePaths.note({ caseId: c.id }), { note: 'Internal note' });
    await get(officerAgent, casePaths.show({ caseId: c.id }));

    // The API, with a token of the body.
    const created = await leadAgent.submit(casePaths.apiTokens(), { bodyId: c.body!.id, name: 'Leak check' });
    seen.push(['token page', created.body]);
    const token = /(chb_[A-Za-z0-9_-]+)/.exec(created.body)![1]!;
    for (const url of [casePaths.apiCases(), casePaths.apiCase({ reference: c.reference })]) {
      const res = await t.app.inject({ url, headers: { authorization: `Bearer ${token}` } });
      assert.equal(res.statusCode, 200);
      seen.push([url, res.body]);
    }
    const act = await t.app.inject({
      method: 'POST',
      url: casePaths.apiCaseActions({ reference: c.reference }),
      headers: { authorization: `Bearer ${token}` },
      payload: { action: 'respond', expectedVersion: Number(await version()), text: 'Our answer' },
    });
    assert.equal(act.statusCode, 200);
    seen.push(['api action', act.body]);

    // The reporter escalates; the daily task runs (reminders); the body hears about all of it.
    await t.deps.cases.transition({ userId: reporter.id }, reporter, c.id, 'escalate', {
      expectedVersion: Number(await version()),
      text: 'Not good enough.',
    });
    await t.deps.casesJobs.runDaily();

    for (const [what, body] of seen) assertClean(what, body);

    const bodyEmails = await t.deps.db
      .get()
      .select()
      .from(emailOutbox)
      .where(inArray(emailOutbox.toAddress, [officer.email, lead.email]));
    assert.ok(bodyEmails.length >= 3, `the body received ${bodyEmails.length} emails`);
    for (const e of bodyEmails) assertClean(`email "${e.subject}"`, `${e.subject}\n${e.bodyText}`);
    await t.deliverEmails();
    for (const e of t.mail.sent.filter((m) => [officer.email, lead.email].includes(m.to)))
      assertClean(`sent email "${e.subject}"`, `${e.subject}\n${e.text}`);

    const log = logged.join('');
    assert.match(log, /"level":30/, 'the log was captured at info level');
    assertClean('the server log', log);
  });
});
