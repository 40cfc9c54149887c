/**
 * Routing-rule and deadline-setting pages through the real app (issue 4, items 3 and 4): create, edit and
 * delete rules, validation with the GOV.UK error summary, every change audited; working days per category
 * set by an administrator, and a case routed afterwards gets due dates from them (a rule's own days win).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { and, eq } from 'drizzle-orm';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import type { Agent } from '../../../test/helpers/agent.ts';
import {
  buildCase,
  createTestOrganisation,
  createTestPerson,
  type TestOrganisation,
} from '../../../test/helpers/cases.ts';
import { SESSION_COOKIE } from '../../platform/http/context.ts';
import type { CurrentUser } from '../../platform/auth/roles.ts';
import { auditLog } from '../../platform/audit/audit.tables.ts';
import {
  caseCategories,
  caseCategoryDeadlines,
  cases,
  routingRules,
  type CaseCategory,
} from './cases.tables.ts';
import { intakePaths } from './cases.intake.paths.ts';

async function agentAs(t: TestApp, user: CurrentUser): Promise<Agent> {
  const agent = t.agent();
  agent.cookies.set(SESSION_COOKIE, await t.deps.sessions.start(user.id, { secondFactorDone: true }));
  return agent;
}

describe('routing rule pages', () => {
  let t: TestApp;
  let admin: Agent;
  let body: TestOrganisation;
  let other: TestOrganisation;
  let officer: CurrentUser;

  before(async () => {
    t = await createTestApp();
    admin = await agentAs(t, await createTestPerson(t.deps, 'admin'));
    body = await createTestOrganisation(t.deps, { name: 'Council of Gamma', nation: 'england' });
    other = await createTestOrganisation(t.deps, { name: 'Agency of Delta', nation: 'england' });
    officer = await createTestPerson(t.deps, 'body_officer', { organisationId: body.id });
  });
  after(() => t.close());

  const audits = (action: string, entityId?: string) =>
    t.deps.db
      .get()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, action), entityId ? eq(auditLog.entityId, entityId) : undefined));
  const rulesOf = (bodyId: string) =>
    t.deps.db.get().select().from(routingRules).where(eq(routingRules.bodyId, bodyId));

  test('only administrators manage rules and deadlines', async () => {
    const lead = await agentAs(t, await createTestPerson(t.deps, 'body_lead', { organisationId: body.id }));
    for (const url of [
      intakePaths.routing(),
      intakePaths.routingNew(),
      intakePaths.categoryDeadlines(),
      intakePaths.categoryDeadline({ category: 'funding' }),
    ]) {
      assert.equal((await lead.get(url)).statusCode, 403, url);
      assert.equal((await admin.get(url)).statusCode, 200, url);
    }
    const refused = await lead.post(intakePaths.routingNew(), { bodyId: body.id }, intakePaths.start());
    assert.equal(refused.statusCode, 403);
    assert.equal((await rulesOf(body.id)).length, 0);
  });

  test('create: saved, listed, audited', async () => {
    const r = await admin.submit(intakePaths.routingNew(), {
      bodyId: body.id,
      category: 'funding',
      nation: '',
      areaGss: 'e08000035',
      routeToBodyId: '',
      assigneeUserId: officer.id,
      acknowledgeWithinDays: '3',
      respondWithinDays: '',
    });
    assert.equal(r.statusCode, 303, r.body.slice(0, 1000));
    assert.equal(r.headers.location, intakePaths.routing());
    const [rule] = await rulesOf(body.id);
    assert.equal(rule!.category, 'funding');
    assert.equal(rule!.areaGss, 'E08000035');
    assert.equal(rule!.assigneeUserId, officer.id);
    assert.equal(rule!.acknowledgeWithinDays, 3);
    assert.equal(rule!.respondWithinDays, null);
    const [audit] = await audits('routing_rule.created', rule!.id);
    assert.equal(audit!.details.bodyId, body.id);
    const list = await admin.get(intakePaths.routing());
    assert.ok(list.body.includes('Council of Gamma'));
    assert.ok(list.body.includes('Acknowledge: 3 working days. Respond: the category’s setting.'));
    assert.ok(list.body.includes('Routing rule saved.'));
    await t.deps.db.get().delete(routingRules).where(eq(routingRules.id, rule!.id));
  });

  test('validation: 422 with the error summary and the values kept; nothing saved', async () => {
    const cases: [Record<string, string>, string, string][] = [
      [{ bodyId: '' }, 'Select the body', 'bodyId'],
      [{ bodyId: '00000000-0000-4000-8000-000000000000' }, 'Select the body', 'bodyId'],
      [{ bodyId: body.id, areaGss: 'E0800003' }, 'Enter a GSS code', 'areaGss'],
      [{ bodyId: body.id, areaGss: 'Leeds' }, 'Enter a GSS code like E08000035', 'areaGss'],
      [
        { bodyId: body.id, acknowledgeWithinDays: '0' },
        'Enter a number of working days to acknowledge between 1 and 60',
        'acknowledgeWithinDays',
      ],
      [
        { bodyId: body.id, acknowledgeWithinDays: 'five' },
        'Enter a number of working days to acknowledge between 1 and 60',
        'acknowledgeWithinDays',
      ],
      [
        { bodyId: body.id, respondWithinDays: '121' },
        'Enter a number of working days to respond between 1 and 120',
        'respondWithinDays',
      ],
      [
        { bodyId: body.id, acknowledgeWithinDays: '10', respondWithinDays: '5' },
        'Working days to respond must be the same as or more than working days to acknowledge',
        'respondWithinDays',
      ],
      [
        { bodyId: body.id, routeToBodyId: '00000000-0000-4000-8000-000000000000' },
        'Select a public body to send the reports to',
        'routeToBodyId',
      ],
      [
        { bodyId: body.id, routeToBodyId: other.id, assigneeUserId: officer.id },
        'Select someone who works for the body the reports go to',
        'assigneeUserId',
      ],
    ];
    const audited = (await audits('routing_rule.created')).length;
    for (const [form, message, field] of cases) {
      const r = await admin.submit(intakePaths.routingNew(), { areaGss: '', ...form });
      assert.equal(r.statusCode, 422, JSON.stringify(form));
      assert.match(r.body, /govuk-error-summary/);
      assert.ok(r.body.includes(message), `${JSON.stringify(form)}: ${message}`);
      assert.ok(r.body.includes(`href="#${field}"`), field);
      if (form.areaGss) assert.ok(r.body.includes(`value="${form.areaGss}"`), 'the value typed is kept');
    }
    assert.equal((await rulesOf(body.id)).length, 0);
    assert.equal((await audits('routing_rule.created')).length, audited);
  });

  test('edit: the form shows the rule; a change is audited with before and after; bad input is 422', async () => {
    const id = await t.deps.routing.addRule(
      { userId: null, requestId: 'test' },
      {
        bodyId: body.id,
        category: null,
        nation: null,
        areaGss: null,
        routeToBodyId: null,
        assigneeUserId: null,
        acknowledgeWithinDays: 4,
        respondWithinDays: 12,
      },
    );
    const url = intakePaths.routingEdit({ ruleId: id });
    const form = await admin.get(url);
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /name="acknowledgeWithinDays"[^>]*value="4"/);
    const bad = await admin.submit(url, { bodyId: body.id, respondWithinDays: '-1' });
    assert.equal(bad.statusCode, 422);
    assert.ok(bad.body.includes(`action="${url}"`), 'the edit form, not the new one');
    const r = await admin.submit(url, {
      bodyId: body.id,
      category: 'equality',
      routeToBodyId: other.id,
      acknowledgeWithinDays: '',
      respondWithinDays: '30',
    });
    assert.equal(r.statusCode, 303);
    const [rule] = await rulesOf(body.id);
    assert.equal(rule!.category, 'equality');
    assert.equal(rule!.routeToBodyId, other.id);
    assert.equal(rule!.acknowledgeWithinDays, null);
    assert.equal(rule!.respondWithinDays, 30);
    const [audit] = await audits('routing_rule.updated', id);
    const details = audit!.details as { before: Record<string, unknown>; after: Record<string, unknown> };
    assert.equal(details.before.acknowledgeWithinDays, 4);
    assert.equal(details.after.respondWithinDays, 30);
    assert.equal(details.after.category, 'equality');
    // Unknown rules are 404, whether well formed or not.
    for (const ruleId of ['00000000-0000-4000-8000-000000000000', 'nope']) {
      assert.equal((await admin.get(intakePaths.routingEdit({ ruleId }))).statusCode, 404);
      const post = await admin.post(intakePaths.routingEdit({ ruleId }), { bodyId: body.id }, url);
      assert.equal(post.statusCode, 404);
    }
  });

  test('delete: the rule goes, the audit row keeps what it was', async () => {
    const [rule] = await rulesOf(body.id);
    const r = await admin.post(intakePaths.routingDelete({ ruleId: rule!.id }), {}, intakePaths.routing());
    assert.equal(r.statusCode, 303);
    assert.equal((await rulesOf(body.id)).length, 0);
    const [audit] = await audits('routing_rule.deleted', rule!.id);
    assert.equal((audit!.details.before as Record<string, unknown>).category, 'equality');
    const again = await admin.post(
      intakePaths.routingDelete({ ruleId: rule!.id }),
      {},
      intakePaths.routing(),
    );
    assert.equal(again.statusCode, 404);
  });
});

describe('deadlines by category', () => {
  let t: TestApp;
  let admin: Agent;
  let body: TestOrganisation;

  before(async () => {
    t = await createTestApp();
    admin = await agentAs(t, await createTestPerson(t.deps, 'admin'));
    body = await createTestOrganisation(t.deps, { name: 'Council of Epsilon', nation: 'england' });
    await createTestPerson(t.deps, 'body_officer', { organisationId: body.id });
  });
  after(() => t.close());

  let triager: CurrentUser;
  before(async () => {
    triager = await createTestPerson(t.deps, 'admin');
  });

  /** A case about an unknown body, accepted at triage today for `body` in `category`: its stored row. */
  async function acceptedIn(category: CaseCategory) {
    const c = await buildCase(t.deps, { state: 'submitted', body: null });
    await t.deps.intake.triage({ userId: triager.id, requestId: 'test' }, triager, c.id, {
      action: 'accept',
      version: 1,
      bodyId: body.id,
      category,
      text: '',
      duplicateOf: '',
    });
    return (await t.deps.db.get().select().from(cases).where(eq(cases.id, c.id)))[0]!;
  }

  test('the page lists every category with its days; defaults are marked', async () => {
    const r = await admin.get(intakePaths.categoryDeadlines());
    assert.equal(r.statusCode, 200);
    assert.equal((r.body.match(/href="\/admin\/routing\/deadlines\//g) ?? []).length, caseCategories.length);
    assert.equal((r.body.match(/govuk-tag--grey/g) ?? []).length, caseCategories.length);
    assert.ok(r.body.includes('5 working days'));
    assert.ok(r.body.includes('20 working days'));
    assert.equal((await admin.get(intakePaths.categoryDeadline({ category: 'nonsense' }))).statusCode, 404);
  });

  test('bad input is refused with 422 and the values kept', async () => {
    const url = intakePaths.categoryDeadline({ category: 'funding' });
    const cases: [Record<string, string>, string, string][] = [
      [
        { acknowledgeWithinDays: '', respondWithinDays: '10' },
        'Enter the number of working days to acknowledge',
        'acknowledgeWithinDays',
      ],
      [{ acknowledgeWithinDays: '3' }, 'Enter the number of working days to respond', 'respondWithinDays'],
      [{ acknowledgeWithinDays: '0', respondWithinDays: '10' }, 'between 1 and 60', 'acknowledgeWithinDays'],
      [
        { acknowledgeWithinDays: '3.5', respondWithinDays: '10' },
        'between 1 and 60',
        'acknowledgeWithinDays',
      ],
      [{ acknowledgeWithinDays: '3', respondWithinDays: 'ten' }, 'between 1 and 120', 'respondWithinDays'],
      [
        { acknowledgeWithinDays: '12', respondWithinDays: '10' },
        'must be the same as or more than',
        'respondWithinDays',
      ],
    ];
    for (const [form, message, field] of cases) {
      const r = await admin.submit(url, form);
      assert.equal(r.statusCode, 422, JSON.stringify(form));
      assert.match(r.body, /govuk-error-summary/);
      assert.ok(r.body.includes(message), message);
      assert.ok(r.body.includes(`href="#${field}"`), field);
      if (form.respondWithinDays) assert.ok(r.body.includes(`value="${form.respondWithinDays}"`));
    }
    assert.equal((await t.deps.db.get().select().from(caseCategoryDeadlines)).length, 0);
    const unknown = await admin.post(
      intakePaths.categoryDeadline({ category: 'nonsense' }),
      { acknowledgeWithinDays: '3', respondWithinDays: '10' },
      intakePaths.categoryDeadlines(),
    );
    assert.equal(unknown.statusCode, 404);
  });

  test('a setting is saved and audited, and cases routed afterwards follow it; a rule’s own days win', async () => {
    // Before: the defaults (Monday 5 January 2026 + 5 and 20 working days).
    const before = await acceptedIn('funding');
    assert.deepEqual([before.acknowledgeDueOn, before.respondDueOn], ['2026-01-12', '2026-02-02']);

    const r = await admin.submit(intakePaths.categoryDeadline({ category: 'funding' }), {
      acknowledgeWithinDays: '3',
      respondWithinDays: '10',
    });
    assert.equal(r.statusCode, 303);
    assert.equal(r.headers.location, intakePaths.categoryDeadlines());
    const list = await admin.get(intakePaths.categoryDeadlines());
    assert.ok(list.body.includes('Deadlines for Funding saved.'));
    assert.equal((list.body.match(/govuk-tag--grey/g) ?? []).length, caseCategories.length - 1);
    const [audit] = await t.deps.db
      .get()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'case_category_deadline.updated'), eq(auditLog.entityId, 'funding')));
    assert.deepEqual(audit!.details.after, { acknowledge: 3, respond: 10 });

    const after = await acceptedIn('funding');
    assert.equal(after.acknowledgeWithinDays, 3);
    assert.equal(after.respondWithinDays, 10);
    assert.deepEqual([after.acknowledgeDueOn, after.respondDueOn], ['2026-01-08', '2026-01-19']);
    // Another category keeps the defaults; the case accepted before keeps the deadlines it arrived with.
    const equality = await acceptedIn('equality');
    assert.deepEqual([equality.acknowledgeWithinDays, equality.respondWithinDays], [5, 20]);
    const unchanged = (await t.deps.db.get().select().from(cases).where(eq(cases.id, before.id)))[0]!;
    assert.equal(unchanged.acknowledgeDueOn, '2026-01-12');

    // A routing rule that sets its own respond days wins for that part; the category gives the rest.
    await t.deps.routing.addRule(
      { userId: null, requestId: 'test' },
      {
        bodyId: body.id,
        category: 'funding',
        nation: null,
        areaGss: null,
        routeToBodyId: null,
        assigneeUserId: null,
        acknowledgeWithinDays: null,
        respondWithinDays: 15,
      },
    );
    const ruled = await acceptedIn('funding');
    assert.deepEqual([ruled.acknowledgeWithinDays, ruled.respondWithinDays], [3, 15]);
    assert.equal(ruled.respondDueOn, '2026-01-26');
  });
});
