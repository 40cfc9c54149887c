import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { addMonths, leadNeedsConfirming } from './directory.leads.ts';
import { seedDirectoryDemo } from './directory.demo.ts';

describe('leads confirmation', () => {
  test('six calendar months is the boundary, clamped at month ends', () => {
    const confirmed = new Date('2025-07-05T09:00:00Z');
    assert.equal(leadNeedsConfirming(confirmed, new Date('2026-01-05T08:59:59Z')), false);
    assert.equal(leadNeedsConfirming(confirmed, new Date('2026-01-05T09:00:00Z')), true);
    assert.equal(leadNeedsConfirming(null, new Date()), true);
    assert.equal(addMonths(new Date('2025-08-31T00:00:00Z'), 6).toISOString(), '2026-02-28T00:00:00.000Z');
  });
});

describe('directory demo data and the leads reminder task', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
    await t.deps.db.transaction(() => seedDirectoryDemo(t.deps));
  });
  after(() => t.close());

  test('the demo has 40 CSOs with valid identifiers, and searching finds them', async () => {
    assert.equal(await t.deps.directoryRepository.countBy('cso'), 40);
    const found = await t.deps.directory.search({ q: 'food bank', kinds: ['cso'], limit: 10, offset: 0 });
    assert.ok(found.total >= 4);
    assert.match(found.hits[0]!.name, /Food Bank \(demo\)/);
  });

  test('search puts the exact name first and applies filters', async () => {
    const result = await t.deps.directory.search({
      q: 'Department for Education',
      kinds: ['public_body'],
      limit: 5,
      offset: 0,
    });
    assert.equal(result.hits[0]?.slug, 'department-for-education');
    const prefix = await t.deps.directory.search({
      q: 'Leeds',
      kinds: ['public_body'],
      limit: 5,
      offset: 0,
    });
    assert.equal(prefix.hits[0]?.name, 'Leeds City Council');
    const wales = await t.deps.directory.search({
      q: 'council',
      kinds: ['public_body'],
      nation: 'wales',
      publicBodyType: 'local_authority',
      limit: 50,
      offset: 0,
    });
    assert.equal(wales.total, 22);
    assert.ok(wales.hits.every((h) => h.nation === 'wales'));
    const councils = await t.deps.directory.search({
      kinds: ['public_body'],
      publicBodyType: 'combined_authority',
      limit: 50,
      offset: 0,
    });
    assert.equal(councils.total, 16);
  });

  test('the reminder lists stale bodies without lead accounts for admins, and emails lead accounts once', async () => {
    const first = await t.deps.directory.remindStaleLeads();
    assert.deepEqual(
      first.needAdminAttention.map((b) => b.slug),
      ['leeds-city-council'],
    );
    assert.deepEqual(first.emailed, []);
    // Within 30 days nobody is reminded twice; admins still see the body.
    const again = await t.deps.directory.remindStaleLeads();
    assert.deepEqual(
      again.needAdminAttention.map((b) => b.slug),
      ['leeds-city-council'],
    );
  });
});
