/**
 * The exchange demo data: open opportunities from both sides, the demo member's suggestions in both
 * directions, and the application waiting on the Leeds officer's page.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { seedAccountsDemo } from '../accounts/accounts.demo.ts';
import { seedExchangeDemo } from './exchange.demo.ts';

describe('exchange demo data', () => {
  let t: TestApp;
  let lines: string[];
  before(async () => {
    t = await createTestApp();
    await seedAccountsDemo(t.deps);
    lines = await seedExchangeDemo(t.deps);
  });
  after(() => t.close());

  const userByEmail = async (email: string) => {
    const row = await t.deps.accountsRepository.findUserByEmail(email);
    return (await t.deps.sessionsRepository.loadUser(row!.id))!;
  };

  test('four open opportunities from both sides, each kind at least once', async () => {
    assert.equal(lines.length, 1);
    const open = await t.deps.exchange.listOpen();
    assert.equal(open.length, 4);
    assert.deepEqual([...new Set(open.map((o) => o.kind))].sort(), ['away_day', 'secondment', 'shadowing']);
    const hosts = new Set(open.map((o) => o.organisationName));
    assert.ok(hosts.has('Leeds City Council') && hosts.has('Riverside Community Trust'));
  });

  test('suggestions in both directions, and the application on the host’s page', async () => {
    const member = await userByEmail('cso.member@demo.covenant-hub.local');
    const forMember = (await t.deps.exchange.suggestionsForPerson(member))!;
    assert.ok(forMember.length >= 2);
    // The Leeds week suits the Leeds youth worker best; the public-sector-only placement is never offered.
    assert.equal(forMember[0]!.item.title, 'Shadow the council’s community grants team');
    assert.ok(!forMember.some((r) => r.item.title === 'Two weeks with a community trust'));

    const lead = await userByEmail('body.lead@demo.covenant-hub.local');
    const forLead = (await t.deps.exchange.suggestionsForPerson(lead))!;
    assert.ok(forLead.some((r) => r.item.title === 'Two weeks with a community trust'));

    const officer = await userByEmail('body.officer@demo.covenant-hub.local');
    const leedsWeek = forMember[0]!.item;
    const { applications } = await t.deps.exchange.applicationsFor(officer, leedsWeek.id);
    assert.equal(applications.length, 1);
    assert.equal(applications[0]!.application.state, 'submitted');
    assert.equal(applications[0]!.application.scoreAtApply, forMember[0]!.result.score);

    const dcms = (await t.deps.exchange.listOpen()).find((o) => o.kind === 'secondment')!;
    const people = await t.deps.exchange.suggestionsForOpportunity(lead, dcms.id);
    assert.deepEqual(
      people.map((r) => r.item.displayName),
      ['Mo Member'],
    );
  });
});
