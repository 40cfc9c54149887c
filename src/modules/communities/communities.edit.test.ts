/**
 * Changing an event through the real app (issue 9, item 2): the organiser's edit page is filled from what is
 * saved; bad input keeps what was typed; raising the number of places promotes from the waiting list in
 * order (and tells those promoted); lowering it below the people with a place is refused with that number
 * and changes nothing; a new time tells everyone and bumps the calendar SEQUENCE; an event that has started
 * or was cancelled cannot be changed. Who may change it: the group's moderators and administrators only.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { and, eq } from 'drizzle-orm';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { createOrganisation, createUser, signIn, type TestUser } from '../../../test/helpers/accounts.ts';
import type { Agent } from '../../../test/helpers/agent.ts';
import { communityPaths as p } from './communities.paths.ts';
import { communityMembers, communityRegistrations } from './communities.tables.ts';

type Form = Record<string, string>;
type Who = 'admin' | 'moderator' | 'otherModerator' | 'member' | 'outsider' | 'w1' | 'w2' | 'w3';

function eventForm(overrides: Form = {}): Form {
  return {
    title: 'Fair funding workshop',
    description: 'Commissioners and charities, together.',
    mode: 'in_person',
    location: 'Leeds Civic Hall',
    joinUrl: '',
    'date-day': '20',
    'date-month': '1',
    'date-year': '2026',
    startTime: '10:00',
    endTime: '12:30',
    capacity: '1',
    visibility: 'public',
    ...overrides,
  };
}

describe('communities of practice: changing an event', () => {
  let t: TestApp;
  const users = new Map<Who, TestUser>();
  const agents = new Map<Who, Agent>();
  const as = (who: Who) => agents.get(who)!;
  let eventId: string;

  const setRole = async (who: Who, slug: string) => {
    const group = (await t.deps.communities.repo.findGroupBySlug(slug))!;
    await t.deps.db
      .get()
      .update(communityMembers)
      .set({ role: 'moderator' })
      .where(and(eq(communityMembers.groupId, group.id), eq(communityMembers.userId, users.get(who)!.id)));
  };
  const statusOf = async (who: Who) => {
    const [row] = await t.deps.db
      .get()
      .select()
      .from(communityRegistrations)
      .where(
        and(
          eq(communityRegistrations.eventId, eventId),
          eq(communityRegistrations.userId, users.get(who)!.id),
        ),
      );
    return row?.status;
  };
  const subjectsTo = (who: Who) =>
    t.mail.sent.filter((m) => m.to === users.get(who)!.email).map((m) => m.subject);

  before(async () => {
    t = await createTestApp();
    const team = await createOrganisation(t.deps, { kind: 'covenant_team' });
    const charity = await createOrganisation(t.deps, { kind: 'cso' });
    for (const who of [
      'admin',
      'moderator',
      'otherModerator',
      'member',
      'outsider',
      'w1',
      'w2',
      'w3',
    ] as Who[]) {
      const roles =
        who === 'admin'
          ? [{ role: 'admin' as const, organisationId: team.id }]
          : [{ role: 'cso_member' as const, organisationId: charity.id }];
      const u = await createUser(t.deps, { name: `Person ${who}`, roles, totp: who === 'admin' });
      users.set(who, u);
      const a = t.agent();
      await signIn(a, u);
      agents.set(who, a);
    }
    for (const name of ['Edit practice', 'Other practice']) {
      const res = await as('admin').submit(p.create(), { name, description: 'A group.', joinPolicy: 'open' });
      assert.equal(res.statusCode, 303, res.body);
    }
    for (const who of ['moderator', 'member', 'w1', 'w2', 'w3'] as Who[])
      await as(who).post(p.join({ slug: 'edit-practice' }), {}, p.group({ slug: 'edit-practice' }));
    await as('otherModerator').post(p.join({ slug: 'other-practice' }), {}, p.index());
    await setRole('moderator', 'edit-practice');
    await setRole('otherModerator', 'other-practice');
    const res = await as('moderator').submit(p.newEvent({ slug: 'edit-practice' }), eventForm());
    assert.equal(res.statusCode, 303, res.body);
    eventId = String(res.headers.location).split('/').pop()!;
    for (const who of ['member', 'w1', 'w2', 'w3'] as Who[]) {
      t.clock.advance(60_000);
      const r = await as(who).post(p.register({ id: eventId }), {}, p.event({ id: eventId }));
      assert.equal(r.statusCode, 303);
    }
    await t.deliverEmails();
  });
  after(() => t.close());

  test('only the group’s moderators and administrators may open or send the edit form', async () => {
    const anonymous = await t.agent().get(p.editEvent({ id: eventId }));
    assert.equal(anonymous.statusCode, 303);
    assert.match(String(anonymous.headers.location), /sign-in/);
    for (const who of ['member', 'outsider', 'otherModerator'] as Who[]) {
      assert.equal((await as(who).get(p.editEvent({ id: eventId }))).statusCode, 403, who);
      const post = await as(who).post(
        p.editEvent({ id: eventId }),
        eventForm({ capacity: '50', title: 'Hijacked' }),
        p.event({ id: eventId }),
      );
      assert.equal(post.statusCode, 403, who);
    }
    const event = await t.deps.communities.repo.findEvent(eventId);
    assert.equal(event!.title, 'Fair funding workshop');
    assert.equal(event!.capacity, 1);
    assert.equal((await as('admin').get(p.editEvent({ id: eventId }))).statusCode, 200);
    const missing = await as('moderator').get(p.editEvent({ id: '00000000-0000-4000-8000-000000000000' }));
    assert.equal(missing.statusCode, 404);
    // Only organisers see the link on the event page.
    assert.doesNotMatch((await as('member').get(p.event({ id: eventId }))).body, /Change the event/);
    assert.match((await as('moderator').get(p.event({ id: eventId }))).body, /Change the event/);
  });

  test('the form is filled from what is saved; bad input keeps what was typed', async () => {
    const page = await as('moderator').get(p.editEvent({ id: eventId }));
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /value="Fair funding workshop"/);
    assert.match(page.body, /name="date-day"[^>]*value="20"/);
    assert.match(page.body, /value="10:00"/);
    assert.match(page.body, /1 people have a place/);
    const bad = await as('moderator').submit(
      p.editEvent({ id: eventId }),
      eventForm({ title: '', location: 'Somewhere new', capacity: 'lots' }),
    );
    assert.equal(bad.statusCode, 422);
    assert.match(bad.body, /govuk-error-summary/);
    assert.match(bad.body, /Enter a title/);
    assert.match(bad.body, /whole number from 1 to 5,000/);
    assert.match(bad.body, /value="Somewhere new"/);
    const past = await as('moderator').submit(p.editEvent({ id: eventId }), eventForm({ 'date-day': '2' }));
    assert.equal(past.statusCode, 422);
    assert.match(past.body, /The event must start in the future/);
  });

  test('raising the number of places promotes from the waiting list in order', async () => {
    t.mail.sent.length = 0;
    const res = await as('moderator').submit(p.editEvent({ id: eventId }), eventForm({ capacity: '3' }));
    assert.equal(res.statusCode, 303, res.body);
    assert.equal(await statusOf('w1'), 'registered');
    assert.equal(await statusOf('w2'), 'registered');
    assert.equal(await statusOf('w3'), 'waiting');
    const page = await as('moderator').get(p.event({ id: eventId }));
    assert.match(page.body, /2 people moved from the waiting list/);
    assert.match((await as('w3').get(p.event({ id: eventId }))).body, /number 1 on the waiting list/);
    await t.deliverEmails();
    assert.deepEqual(subjectsTo('w1'), ['A place has come up: Fair funding workshop']);
    assert.deepEqual(subjectsTo('w2'), ['A place has come up: Fair funding workshop']);
    assert.deepEqual(subjectsTo('w3'), [], 'nothing practical changed, so nobody else is emailed');
  });

  test('lowering it below the people with a place is refused with the number; nothing changes', async () => {
    const res = await as('moderator').submit(
      p.editEvent({ id: eventId }),
      eventForm({ capacity: '2', title: 'Renamed' }),
    );
    assert.equal(res.statusCode, 422);
    assert.match(res.body, /govuk-error-summary/);
    assert.match(res.body, /3 people already have a place, so the number of places must be 3 or more/);
    assert.match(res.body, /href="#capacity"/);
    assert.match(res.body, /value="Renamed"/);
    const event = await t.deps.communities.repo.findEvent(eventId);
    assert.equal(event!.capacity, 3);
    assert.equal(event!.title, 'Fair funding workshop');
    // Lowering to exactly the number registered is allowed, and promotes nobody.
    const exact = await as('moderator').submit(p.editEvent({ id: eventId }), eventForm({ capacity: '3' }));
    assert.equal(exact.statusCode, 303);
    assert.equal(await statusOf('w3'), 'waiting');
  });

  test('a new time tells everyone registered or waiting and updates calendars', async () => {
    t.mail.sent.length = 0;
    const before = (await t.deps.communities.repo.findEvent(eventId))!.sequence;
    const res = await as('admin').submit(
      p.editEvent({ id: eventId }),
      eventForm({ capacity: '3', startTime: '14:00', endTime: '16:00' }),
    );
    assert.equal(res.statusCode, 303, res.body);
    await t.deliverEmails();
    for (const who of ['member', 'w1', 'w2', 'w3'] as Who[])
      assert.deepEqual(subjectsTo(who), ['Changed: Fair funding workshop'], who);
    const ics = await t.agent().get(p.eventIcs({ id: eventId }));
    assert.ok(ics.body.includes('DTSTART:20260120T140000Z'));
    assert.ok(ics.body.includes(`SEQUENCE:${before + 1}`));
  });

  test('an event that has started or was cancelled cannot be changed', async () => {
    const soon = await as('moderator').submit(
      p.newEvent({ slug: 'edit-practice' }),
      eventForm({ title: 'Soon', 'date-day': '5', startTime: '09:30', endTime: '11:00', capacity: '5' }),
    );
    const id = String(soon.headers.location).split('/').pop()!;
    t.clock.advance(45 * 60_000);
    // Past the idle limit: the organiser signs in again.
    as('moderator').cookies.clear();
    await signIn(as('moderator'), users.get('moderator')!);
    const page = await as('moderator').get(p.editEvent({ id }));
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /can no longer be changed/);
    assert.doesNotMatch(page.body, /Save changes/);
    const post = await as('moderator').post(
      p.editEvent({ id }),
      eventForm({ 'date-day': '21' }),
      p.event({ id }),
    );
    assert.equal(post.statusCode, 422);
    assert.match(post.body, /has started, so it can no longer be changed/);
    assert.equal(
      (await as('moderator').post(p.cancelEvent({ id: eventId }), {}, p.event({ id: eventId }))).statusCode,
      303,
    );
    const cancelled = await as('moderator').post(
      p.editEvent({ id: eventId }),
      eventForm({ capacity: '9' }),
      p.event({ id: eventId }),
    );
    assert.equal(cancelled.statusCode, 422);
    assert.match(cancelled.body, /has been cancelled, so it can no longer be changed/);
  });
});
