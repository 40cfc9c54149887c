/**
 * The communities demo data: two groups with members from both sides, discussions with a nested reply,
 * upcoming events (one full with a waiting list, one members-only, none visible in the feed that should not
 * be) and a past meeting with notes; the demo member belongs to no group, ready for "join, post, register".
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { seedAccountsDemo } from '../accounts/accounts.demo.ts';
import { seedDirectoryDemo } from '../directory/directory.demo.ts';
import { seedCommunitiesDemo } from './communities.demo.ts';

describe('communities demo data', () => {
  let t: TestApp;
  let lines: string[];
  before(async () => {
    t = await createTestApp();
    await seedDirectoryDemo(t.deps);
    await seedAccountsDemo(t.deps);
    lines = await seedCommunitiesDemo(t.deps);
  });
  after(() => t.close());

  const userByEmail = async (email: string) => {
    const row = await t.deps.accountsRepository.findUserByEmail(email);
    return (await t.deps.sessionsRepository.loadUser(row!.id))!;
  };

  test('two groups, moderated from both sides; the demo member belongs to none', async () => {
    assert.equal(lines.length, 1);
    const member = await userByEmail('cso.member@demo.covenant-hub.local');
    const groups = await t.deps.communities.groups(member);
    assert.deepEqual(
      groups.map((g) => [g.slug, g.joinPolicy, g.membership]),
      [
        ['commissioning-and-grants', 'open', null],
        ['youth-and-volunteering', 'request', null],
      ],
    );
    const page = await t.deps.communities.group(member, 'commissioning-and-grants');
    assert.deepEqual(page.sides, { civilSociety: 2, publicBody: 2 });
    assert.equal(page.moderators.length, 2);
    assert.equal(page.can.join, true);
    assert.equal(page.past.length, 1);
    assert.ok(page.past[0]!.notesPublishedAt);
  });

  test('a discussion with a reply to a reply; events with places, a waiting list, and members only', async () => {
    const officer = await userByEmail('body.officer@demo.covenant-hub.local');
    const { threads } = await t.deps.communities.group(officer, 'commissioning-and-grants');
    assert.equal(threads.length, 2);
    const advance = threads.find((th) => th.title.startsWith('Paying grants'))!;
    const { posts } = await t.deps.communities.thread(officer, advance.id);
    assert.deepEqual(
      posts.map((p) => p.depth),
      [0, 1, 2, 0],
    );
    const publicEvents = await t.deps.communities.publicEvents();
    assert.deepEqual(
      publicEvents.map((e) => [e.title, e.placesLeft]),
      [
        ['Online clinic: writing a fair grant agreement', 0],
        ['Fair funding workshop, Leeds', 27],
      ],
    );
    const clinic = await t.deps.communities.event(officer, publicEvents[0]!.id);
    assert.equal(clinic.waitingCount, 1);
    const feed = await t.deps.communities.feed('Demo');
    assert.ok(!feed.includes('Members’ meeting'));
    assert.ok(feed.includes('Launch meeting of the group'), 'the past month is in the feed');
  });
});
