import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { seedAccountsDemo } from '../accounts/accounts.demo.ts';
import { caseStates } from './cases.lifecycle.ts';
import { cases } from './cases.tables.ts';
import { seedCasesHandlingDemo } from './cases.handling.demo.ts';

describe('case handling demo data', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(() => t.close());

  test('cases in every state and confidentiality mode, a long-overdue one and a paused one', async () => {
    await t.deps.db.transaction(async () => {
      await seedAccountsDemo(t.deps);
      await seedCasesHandlingDemo(t.deps);
    });
    const rows = await t.deps.db.get().select().from(cases);
    assert.deepEqual(new Set(rows.map((r) => r.state)), new Set(caseStates));
    assert.equal(new Set(rows.map((r) => r.confidentiality)).size, 4);
    assert.ok(new Set(rows.map((r) => r.outcome).filter(Boolean)).size >= 4);
    const today = new Date(t.clock.now()).toISOString().slice(0, 10);
    const deadlines = await t.deps.caseClock.deadlinesFor(rows, today);
    const statuses = [...deadlines.values()];
    assert.ok(statuses.some((d) => d.status === 'long_overdue'));
    assert.ok(statuses.some((d) => d.paused));
  });
});
