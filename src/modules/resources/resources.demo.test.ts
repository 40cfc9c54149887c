/**
 * The library's demo data: the starting set owned by the demo administrator, one review overdue (and the
 * daily task emails the owner about it), one resource with two versions, and a draft nobody else sees.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { seedAccountsDemo } from '../accounts/accounts.demo.ts';
import { ensureCovenantReference } from '../covenant/covenant.seed.ts';
import { seedDirectoryDemo } from '../directory/directory.demo.ts';
import { DEMO_DRAFT_SLUG, DEMO_OVERDUE_SLUG, DEMO_VERSIONED_SLUG, seedResourcesDemo } from './resources.demo.ts';
import { resourceSeeds } from './resources.seed.ts';

describe('resource library demo data', () => {
  let t: TestApp;
  let lines: string[];
  before(async () => {
    t = await createTestApp();
    await ensureCovenantReference(t.deps.db, t.clock);
    await seedDirectoryDemo(t.deps);
    await seedAccountsDemo(t.deps);
    lines = await seedResourcesDemo(t.deps);
  });
  after(() => t.close());

  test('the starting set, owned by the demo administrator; every tag is in the registry', async () => {
    assert.equal(lines.length, 1);
    const all = await t.deps.resources.repo.listAll();
    assert.equal(all.length, resourceSeeds.length + 1);
    const admin = await t.deps.accountsRepository.findUserByEmail('admin@demo.covenant-hub.local');
    assert.ok(all.every((r) => r.ownerId === admin!.id));
    const vocab = await t.deps.resources.vocabulary();
    const principles = new Set(vocab.principles.map((x) => x.slug));
    const commitments = new Set(vocab.commitments.map((x) => x.code));
    for (const r of all) {
      assert.ok(r.principles.every((x) => principles.has(x)), r.slug);
      assert.ok(r.commitments.every((x) => commitments.has(x)), r.slug);
    }
    // Every kind of resource is represented.
    assert.deepEqual(new Set(all.map((r) => r.kind)).size, 5);
  });

  test('one overdue review, emailed to its owner by the daily task; two versions; a draft', async () => {
    const result = await t.deps.resources.remindReviews();
    assert.deepEqual(result.reminded, [DEMO_OVERDUE_SLUG]);
    await t.deliverEmails();
    assert.match(t.mail.lastTo('admin@demo.covenant-hub.local')!.subject, /Review due: Multi-year funding/);
    const versioned = await t.deps.resources.versions(null, DEMO_VERSIONED_SLUG);
    assert.deepEqual(
      versioned.versions.map((v) => v.version),
      [2, 1],
    );
    const v1 = await t.deps.resources.version(null, DEMO_VERSIONED_SLUG, '1');
    assert.ok(!v1.version.body.includes('Exceptional circumstances'));
    assert.ok(versioned.resource.body.includes('Exceptional circumstances'));
    const list = await t.deps.resources.list({ q: '', page: 1 });
    assert.ok(!list.results.some((r) => r.slug === DEMO_DRAFT_SLUG));
    await assert.rejects(t.deps.resources.page(null, DEMO_DRAFT_SLUG), /No such resource/);
  });
});
