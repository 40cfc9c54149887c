import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { seedDemoData } from '../../platform/db/demo.ts';
import { actionPlans } from './plans.tables.ts';
import { financialYearOf } from './plans.demo.ts';

describe('action plans demo data', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(() => t.close());

  test('the financial year containing a date', () => {
    assert.deepEqual(financialYearOf('2026-01-05'), { startsOn: '2025-04-01', endsOn: '2026-03-31' });
    assert.deepEqual(financialYearOf('2026-04-01'), { startsOn: '2026-04-01', endsOn: '2027-03-31' });
  });

  test('a published plan for DCMS with history, overdue flags and a comment; a draft for Leeds', async () => {
    await seedDemoData(t.deps);
    const plans = await t.deps.db.get().select().from(actionPlans);
    const bodies = await t.deps.plansRepository.listPlans({});
    const bySlug = new Map(bodies.map((b) => [b.bodySlug, b.plan]));
    assert.equal(plans.length, 2);
    assert.equal(bySlug.get('department-for-culture-media-and-sport')?.status, 'published');
    assert.equal(bySlug.get('leeds-city-council')?.status, 'draft');
    const published = bySlug.get('department-for-culture-media-and-sport')!;
    const view = await t.deps.plans.planView(null, published.id);
    assert.ok(view.total.total !== null && view.total.droppedActions === 1);
    assert.ok(view.overdueMilestones >= 1 && view.overdueActions >= 1);
    assert.ok(view.updates.length >= 1);
    assert.ok(view.actions.some((a) => a.evidence.length > 0));
    const res = await t.agent().get(`/action-plans/${published.id}`);
    assert.equal(res.statusCode, 200);
  });
});
