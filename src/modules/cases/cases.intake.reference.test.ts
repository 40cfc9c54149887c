import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { formatCaseReference, isCaseReference, nextCaseReference } from './cases.reference.ts';

describe('case references', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(() => t.close());

  test('format CH-YYYY-NNNNNN', () => {
    assert.equal(formatCaseReference(2026, 123), 'CH-2026-000123');
    assert.ok(isCaseReference('ch-2026-000123'));
    assert.ok(!isCaseReference('CH-26-1'));
  });

  test('concurrent submissions get distinct, consecutive numbers', async () => {
    const refs = await Promise.all(
      Array.from({ length: 20 }, () =>
        t.deps.db.transaction(() => nextCaseReference(t.deps.db, t.clock.now())),
      ),
    );
    assert.equal(new Set(refs).size, 20);
    assert.ok(refs.every((r) => r.startsWith('CH-2026-')));
  });

  test('the year is the UK calendar year: 00:30 on 1 January is already the new year', async () => {
    const ref = await nextCaseReference(t.deps.db, new Date('2026-12-31T23:59:00Z'));
    assert.ok(ref.startsWith('CH-2026-'));
    const next = await nextCaseReference(t.deps.db, new Date('2027-01-01T00:30:00Z'));
    assert.equal(next, 'CH-2027-000001');
  });
});
