import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { seedAccountsDemo } from '../accounts/accounts.demo.ts';
import { seedDirectoryDemo } from '../directory/directory.demo.ts';
import { seedStandardsDemo } from './standards.demo.ts';
import { standardsPaths as p } from './standards.paths.ts';

describe('standards demo data', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(() => t.close());

  test('DCMS has one finding of each consultation and funding standard; Leeds has none', async () => {
    // Only the seeders this one needs (the bodies and their staff), so another module's demo cannot break it.
    await seedDirectoryDemo(t.deps);
    await seedAccountsDemo(t.deps);
    const summary = await seedStandardsDemo(t.deps);
    assert.match(summary[0]!, /6 findings/);
    const dcms = await t.deps.standardsRepository.findBodyBySlug('department-for-culture-media-and-sport');
    const leeds = await t.deps.standardsRepository.findBodyBySlug('leeds-city-council');
    const found = await t.deps.standards.findingsForBody(dcms!.id);
    for (const code of ['C1', 'C3', 'F1', 'F2', 'F3', 'F4'] as const)
      assert.equal(found.byStandard[code], 1, code);
    assert.equal(found.checked.C1, 3);
    const none = await t.deps.standards.findingsForBody(leeds!.id);
    assert.equal(none.total, 0);
    assert.ok(none.checked.C1 === 1 && none.checked.F1 === 1);
    const page = await t.agent().get(p.findings());
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Youth volunteering pilot/);
  });
});
