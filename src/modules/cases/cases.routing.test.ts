import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { createTestOrganisation, createTestPerson } from '../../../test/helpers/cases.ts';
import { bestRule, clockNationFor } from './cases.routing.ts';

const rule = (id: string, extra: Record<string, string | null>, createdAt = '2026-01-01') => ({
  id,
  bodyId: 'b',
  category: null,
  nation: null,
  areaGss: null,
  createdAt: new Date(createdAt),
  ...extra,
});

describe('routing', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(() => t.close());

  test('the most specific matching rule wins; ties go to the oldest', () => {
    const rules = [
      rule('any', {}),
      rule('funding', { category: 'funding' }),
      rule('funding-leeds', { category: 'funding', areaGss: 'E08000035' }),
      rule('funding-england', { category: 'funding', nation: 'england' }, '2025-01-01'),
    ];
    const facts = { bodyId: 'b', category: 'funding' as const, nation: 'england', areaGss: 'E08000035' };
    assert.equal(bestRule(rules, facts)?.id, 'funding-leeds');
    assert.equal(bestRule(rules, { ...facts, areaGss: null })?.id, 'funding-england');
    assert.equal(bestRule(rules, { ...facts, category: 'other' })?.id, 'any');
    assert.equal(bestRule(rules, { ...facts, bodyId: 'x' }), undefined);
    assert.equal(clockNationFor('wales'), 'england-and-wales');
    assert.equal(clockNationFor('northern-ireland'), 'northern-ireland');
  });

  test('decide: rule → its destination and assignee; staff and no rule → own body; otherwise triage', async () => {
    const actor = { userId: null };
    const body = await createTestOrganisation(t.deps, { nation: 'scotland' });
    const team = await createTestOrganisation(t.deps, { nation: 'england' });
    const officer = await createTestPerson(t.deps, 'body_officer', { organisationId: team.id });
    assert.deepEqual(await t.deps.routing.decide(null, 'other'), { kind: 'triage', reason: 'unknown_body' });
    assert.deepEqual(await t.deps.routing.decide(body.id, 'other'), {
      kind: 'triage',
      reason: 'no_recipient',
    });
    await createTestPerson(t.deps, 'body_lead', { organisationId: body.id });
    const own = await t.deps.routing.decide(body.id, 'other');
    assert.equal(own.kind === 'route' && own.bodyId, body.id);
    assert.equal(own.kind === 'route' && own.clockNation, 'scotland');
    const ruleId = await t.deps.routing.addRule(actor, {
      bodyId: body.id,
      category: 'funding',
      nation: null,
      areaGss: null,
      routeToBodyId: team.id,
      assigneeUserId: officer.id,
      acknowledgeWithinDays: null,
      respondWithinDays: null,
    });
    const routed = await t.deps.routing.decide(body.id, 'funding');
    assert.deepEqual(routed, {
      kind: 'route',
      bodyId: team.id,
      assigneeUserId: officer.id,
      ruleId,
      clockNation: 'england-and-wales',
    });
    await t.deps.routing.deleteRule(actor, ruleId);
    const audit = await t.deps.audit.list({ entityType: 'routing_rule', entityId: ruleId });
    assert.deepEqual(audit.map((a) => a.action).sort(), ['routing_rule.created', 'routing_rule.deleted']);
  });
});
