import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/test-db.ts';
import { createFixedClock } from '../../platform/clock.ts';
import { createCovenantRepository } from './covenant.repository.ts';
import { commitmentSeeds, ensureCovenantReference, principleSeeds, standardSeeds } from './covenant.seed.ts';

describe('Covenant reference data', () => {
  let t: TestDatabase;
  before(async () => {
    t = await createTestDatabase();
  });
  after(() => t.close());

  test('loads principles, commitments, standards and the first published version once', async () => {
    const clock = createFixedClock();
    assert.equal(await ensureCovenantReference(t.db, clock), true);
    assert.equal(await ensureCovenantReference(t.db, clock), false);
    const repo = createCovenantRepository(t.db);
    assert.equal((await repo.listPrinciples()).length, principleSeeds.length);
    assert.equal((await repo.listNationalCommitments()).length, commitmentSeeds.length);
    const standards = await repo.listStandards();
    for (const code of ['C1', 'C3', 'F1', 'F3', 'A1', 'A2', 'A3'])
      assert.ok(
        standards.some((s) => s.code === code),
        code,
      );
    const current = await repo.currentVersion();
    assert.equal(current?.number, 1);
    const paragraphs = await repo.paragraphsOf(current!.id);
    assert.ok(paragraphs.length > 10);
    assert.equal(new Set(paragraphs.map((p) => p.key)).size, paragraphs.length);
    // Every commitment is stated by a paragraph that links to it.
    for (const c of commitmentSeeds)
      assert.ok(
        paragraphs.some((p) => p.commitmentCode === c.code),
        c.code,
      );
  });

  test('every item carries its source, and unverified items are flagged', () => {
    for (const item of [...principleSeeds, ...commitmentSeeds, ...standardSeeds])
      assert.ok(item.source.length > 5);
    assert.ok(principleSeeds.find((p) => p.slug === 'transparency-and-data')?.unverified);
    assert.ok(commitmentSeeds.every((c) => c.unverified));
  });
});
