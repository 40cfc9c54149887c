/**
 * Communities of practice through the real app (issue 9, item 2): an administrator starts groups; people
 * from both sides join (at once, or by request approved by a moderator); threads and threaded replies;
 * emails by each person's setting (each post, the daily digest, none); flagging, the moderators' queue,
 * hiding and locking; events with capacity, registration, the waiting list and automatic promotion, the
 * .ics file, the feed and the API; the daily task (digest and the day-before reminder); notes from a
 * meeting. Bad input: 422 with the GOV.UK error summary; double registration refused clearly.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { and, eq } from 'drizzle-orm';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { createOrganisation, createUser, signIn, type TestUser } from '../../../test/helpers/accounts.ts';
import type { Agent } from '../../../test/helpers/agent.ts';
import { auditLog } from '../../platform/audit/audit.tables.ts';
import { communityPaths as p } from './communities.paths.ts';
import {
  communityDigestItems,
  communityFlags,
  communityMembers,
  communityPosts,
  communityRegistrations,
} from './communities.tables.ts';

type Form = Record<string, string>;

function eventForm(overrides: Form = {}): Form {
  return {
    title: 'Fair funding workshop',
    description: 'Commissioners and charities, together.',
    mode: 'in_person',
    location: 'Leeds Civic Hall, Calverley Street',
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

const errorSummary = (body: string) => /govuk-error-summary/.test(body);

describe('communities of practice: pages', () => {
  let t: TestApp;
  let admin: TestUser;
  let officer: TestUser;
  let charityAdmin: TestUser;
  let mo: TestUser;
  let kit: TestUser;
  let outsider: TestUser;
  const agents = new Map<TestUser, Agent>();
  const as = (u: TestUser) => agents.get(u)!;
  let slug: string;
  let requestSlug: string;
  let threadId: string;
  let firstPostId: string;
  let eventId: string;
  let requestGroup = '';
  const requestGroupId = () => requestGroup;

  before(async () => {
    t = await createTestApp();
    const team = await createOrganisation(t.deps, { kind: 'covenant_team' });
    const council = await createOrganisation(t.deps, { kind: 'public_body', name: 'Test Council' });
    const charity = await createOrganisation(t.deps, { kind: 'cso', name: 'Test Trust' });
    admin = await createUser(t.deps, {
      name: 'Ada Admin',
      roles: [{ role: 'admin', organisationId: team.id }],
      totp: true,
    });
    officer = await createUser(t.deps, {
      name: 'Olu Officer',
      roles: [{ role: 'body_officer', organisationId: council.id }],
      totp: true,
    });
    charityAdmin = await createUser(t.deps, {
      name: 'Sam Admin',
      roles: [{ role: 'cso_admin', organisationId: charity.id }],
    });
    mo = await createUser(t.deps, {
      name: 'Mo Member',
      roles: [{ role: 'cso_member', organisationId: charity.id }],
    });
    kit = await createUser(t.deps, {
      name: 'Kit Keen',
      roles: [{ role: 'cso_member', organisationId: charity.id }],
    });
    outsider = await createUser(t.deps, { name: 'Oz Outsider' });
    for (const u of [admin, officer, charityAdmin, mo, kit, outsider]) {
      const a = t.agent();
      await signIn(a, u);
      agents.set(u, a);
    }
  });
  after(() => t.close());

  /** Moving the clock past the session limits ends every session: everyone signs in again. */
  const signInAgain = async () => {
    for (const [u, a] of agents) {
      a.cookies.clear();
      await signIn(a, u);
    }
  };
  /** Emails sent to a person from one template, told apart by their subject lines. */
  const subjects: Record<string, RegExp> = {
    communityPost: /^New post in /,
    communityRegistered: /^You have a place: /,
    communityWaiting: /^You are on the waiting list: /,
    communityPromoted: /^A place has come up: /,
    communityDigest: /^New posts in your communities /,
    communityReminder: /^Reminder: /,
    communityNotes: /^Notes from /,
    communityEventCancelled: /^Cancelled: /,
  };
  const sentTo = (u: TestUser, template: string) =>
    t.mail.sent.filter((m) => m.to === u.email && subjects[template]!.test(m.subject));
  const audited = async (action: string) =>
    (await t.deps.db.get().select().from(auditLog).where(eq(auditLog.action, action))).length;

  test('only an administrator starts a group; bad input shows the error summary', async () => {
    assert.equal((await as(mo).get(p.create())).statusCode, 403);
    assert.equal(
      (await as(mo).post(p.create(), { name: 'X', description: 'Y', joinPolicy: 'open' })).statusCode,
      403,
    );
    const empty = await as(admin).submit(p.create(), { name: '', description: '', joinPolicy: '' });
    assert.equal(empty.statusCode, 422);
    assert.ok(errorSummary(empty.body));
    assert.match(empty.body, /Enter the name of the group/);
    assert.match(empty.body, /Choose how people join/);
    const res = await as(admin).submit(p.create(), {
      name: 'Commissioning practice',
      description: 'For commissioners and the charities they fund.',
      joinPolicy: 'open',
    });
    assert.equal(res.statusCode, 303, res.body);
    slug = String(res.headers.location).split('/').pop()!;
    assert.equal(slug, 'commissioning-practice');
    const page = await as(admin).get(p.group({ slug }));
    assert.match(page.body, /Group started/);
    assert.match(page.body, /Moderators: Ada Admin/);
    const second = await as(admin).submit(p.create(), {
      name: 'Youth and volunteering',
      description: 'Practice in confidence.',
      joinPolicy: 'request',
    });
    requestSlug = String(second.headers.location).split('/').pop()!;
    requestGroup = (await t.deps.communities.repo.findGroupBySlug(requestSlug))!.id;
    assert.equal(await audited('communities.group.created'), 2);
  });

  test('people from both sides join an open group at once; the page counts each side', async () => {
    for (const u of [officer, charityAdmin, mo]) {
      const res = await as(u).submit(p.group({ slug }), {}, p.join({ slug }));
      assert.equal(res.statusCode, 303, res.body);
    }
    const page = await t.agent().get(p.group({ slug }));
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /4 members: 2 from civil society, 1 from public bodies/);
    assert.match(page.body, /Only members can read and join the discussions/);
    // Joining twice is refused clearly.
    const again = await as(mo).post(p.join({ slug }), {}, p.index());
    assert.equal(again.statusCode, 422);
    assert.match(again.body, /already a member/);
  });

  test('a group that joins by request waits for a moderator, who is told and approves', async () => {
    const res = await as(kit).submit(
      p.group({ slug: requestSlug }),
      { note: 'I run our youth club.' },
      p.join({ slug: requestSlug }),
    );
    assert.equal(res.statusCode, 303);
    const page = await as(kit).get(p.group({ slug: requestSlug }));
    assert.match(page.body, /has been sent to its moderators/);
    assert.match(page.body, /waiting for a moderator/);
    await t.deliverEmails();
    const email = t.mail.lastTo(admin.email)!;
    assert.match(email.subject, /Kit Keen asked to join Youth and volunteering/);
    assert.match(email.text, /I run our youth club/);
    // A pending member cannot start a thread.
    assert.equal((await as(kit).get(p.newThread({ slug: requestSlug }))).statusCode, 403);
    // Only moderators see the members page.
    assert.equal((await as(mo).get(p.members({ slug: requestSlug }))).statusCode, 403);
    const members = await as(admin).get(p.members({ slug: requestSlug }));
    assert.match(members.body, /Kit Keen \(Civil society\)/);
    const [row] = await t.deps.db
      .get()
      .select()
      .from(communityMembers)
      .where(and(eq(communityMembers.userId, kit.id), eq(communityMembers.status, 'pending')));
    // A member of another group cannot decide it.
    const forbidden = await as(mo).post(p.decideMember({ slug: requestSlug, memberId: row!.id }), {
      decision: 'approve',
    });
    assert.equal(forbidden.statusCode, 403);
    const approve = await as(admin).post(
      p.decideMember({ slug: requestSlug, memberId: row!.id }),
      { decision: 'approve' },
      p.members({ slug: requestSlug }),
    );
    assert.equal(approve.statusCode, 303);
    await t.deliverEmails();
    assert.match(t.mail.lastTo(kit.email)!.subject, /You are now a member of Youth and volunteering/);
    assert.equal(await audited('communities.member.approved'), 1);
  });

  test('a moderator appoints another; the last moderator cannot leave or step down', async () => {
    const leave = await as(admin).post(p.leave({ slug: requestSlug }), {}, p.index());
    assert.equal(leave.statusCode, 422);
    assert.match(leave.body, /A group must have a moderator/);
    const [me] = await t.deps.db
      .get()
      .select()
      .from(communityMembers)
      .where(and(eq(communityMembers.userId, admin.id), eq(communityMembers.groupId, requestGroupId())));
    const stepDown = await as(admin).post(
      p.memberRole({ slug: requestSlug, memberId: me!.id }),
      { role: 'member' },
      p.members({ slug: requestSlug }),
    );
    assert.equal(stepDown.statusCode, 422);
    assert.match(stepDown.body, /A group must have a moderator/);
    const [officerRow] = await t.deps.db
      .get()
      .select()
      .from(communityMembers)
      .where(eq(communityMembers.userId, officer.id));
    const res = await as(admin).post(
      p.memberRole({ slug, memberId: officerRow!.id }),
      { role: 'moderator' },
      p.members({ slug }),
    );
    assert.equal(res.statusCode, 303);
    assert.match((await as(officer).get(p.group({ slug }))).body, /Flagged posts \(0\)/);
    // A tampered role is a bad request, not a crash.
    assert.equal(
      (await as(admin).post(p.memberRole({ slug, memberId: officerRow!.id }), { role: 'owner' })).statusCode,
      400,
    );
  });

  test('email settings: daily digest by default; bad input is refused; each person saves their own', async () => {
    const page = await as(mo).get(p.settings());
    assert.match(page.body, /value="daily" checked/);
    const bad = await as(mo).submit(p.settings(), { frequency: 'hourly' });
    assert.equal(bad.statusCode, 422);
    assert.match(bad.body, /Choose how you would like to hear about new posts/);
    assert.equal((await as(mo).submit(p.settings(), { frequency: 'immediate' })).statusCode, 303);
    assert.equal((await as(charityAdmin).submit(p.settings(), { frequency: 'off' })).statusCode, 303);
    assert.match((await as(mo).get(p.settings())).body, /value="immediate" checked/);
    assert.match((await as(charityAdmin).get(p.settings())).body, /value="off" checked/);
  });

  test('a member starts a thread: each-post people get an email, digest people an item, "none" nothing', async () => {
    const bad = await as(officer).submit(p.newThread({ slug }), { title: '', body: '' });
    assert.equal(bad.statusCode, 422);
    assert.match(bad.body, /Enter a title/);
    t.mail.sent.length = 0;
    const res = await as(officer).submit(p.newThread({ slug }), {
      title: 'Paying grants in advance',
      body: 'Has anyone made the case to their finance team?',
    });
    assert.equal(res.statusCode, 303, res.body);
    threadId = String(res.headers.location).split('/').pop()!;
    await t.deliverEmails();
    assert.equal(sentTo(mo, 'communityPost').length, 1);
    assert.match(sentTo(mo, 'communityPost')[0]!.text, /Olu Officer posted in “Paying grants in advance”/);
    assert.equal(sentTo(charityAdmin, 'communityPost').length, 0);
    assert.equal(sentTo(officer, 'communityPost').length, 0, 'not the author');
    assert.equal(sentTo(kit, 'communityPost').length, 0, 'not a member of this group');
    const digest = await t.deps.db.get().select().from(communityDigestItems);
    assert.deepEqual(
      digest.map((d) => d.userId),
      [admin.id],
      'the administrator has no setting: the daily digest',
    );
  });

  test('threaded replies; outsiders can neither read nor reply', async () => {
    const thread = await as(mo).get(p.thread({ id: threadId }));
    assert.equal(thread.statusCode, 200);
    const [first] = await t.deps.db
      .get()
      .select()
      .from(communityPosts)
      .where(eq(communityPosts.threadId, threadId));
    firstPostId = first!.id;
    const replyPage = await as(mo).get(p.thread({ id: threadId }, { replyTo: firstPostId }));
    assert.match(replyPage.body, /Reply to Olu Officer/);
    const res = await as(mo).post(
      p.reply({ id: threadId }),
      { body: 'Yes: we agreed a short check each quarter.', parentId: firstPostId },
      p.thread({ id: threadId }),
    );
    assert.equal(res.statusCode, 303, res.body);
    const page = await as(officer).get(p.thread({ id: threadId }));
    assert.match(page.body, /In reply to Olu Officer/);
    assert.match(page.body, /govuk-!-margin-left-4/);
    const empty = await as(mo).post(p.reply({ id: threadId }), { body: '' }, p.thread({ id: threadId }));
    assert.equal(empty.statusCode, 422);
    assert.match(empty.body, /Enter your post/);
    const badParent = await as(mo).post(
      p.reply({ id: threadId }),
      { body: 'x', parentId: '00000000-0000-0000-0000-000000000000' },
      p.thread({ id: threadId }),
    );
    assert.equal(badParent.statusCode, 400);
    assert.equal((await as(outsider).get(p.thread({ id: threadId }))).statusCode, 403);
    assert.equal((await as(outsider).post(p.reply({ id: threadId }), { body: 'hello' })).statusCode, 403);
    assert.equal((await t.agent().get(p.thread({ id: threadId }))).statusCode, 303, 'anonymous: sign in');
  });

  test('a member flags a post; the moderators see the queue and uphold it, which hides the post', async () => {
    const flagPage = await as(mo).get(p.flag({ postId: firstPostId }));
    assert.equal(flagPage.statusCode, 200);
    const empty = await as(mo).submit(p.flag({ postId: firstPostId }), { reason: '' });
    assert.equal(empty.statusCode, 422);
    assert.match(empty.body, /Enter what is wrong with the post/);
    assert.equal(
      (await as(mo).submit(p.flag({ postId: firstPostId }), { reason: 'Shares a name' })).statusCode,
      303,
    );
    assert.equal((await as(mo).submit(p.flag({ postId: firstPostId }), { reason: 'Again' })).statusCode, 303);
    assert.equal(
      (await t.deps.db.get().select().from(communityFlags)).length,
      1,
      'flagging twice changes nothing',
    );
    assert.equal((await as(outsider).get(p.flag({ postId: firstPostId }))).statusCode, 403);
    assert.equal((await as(mo).get(p.flags({ slug }))).statusCode, 403);
    const queue = await as(officer).get(p.flags({ slug }));
    assert.match(queue.body, /Shares a name/);
    const [flag] = await t.deps.db.get().select().from(communityFlags);
    const res = await as(officer).post(
      p.resolveFlag({ flagId: flag!.id }),
      { decision: 'upheld' },
      p.flags({ slug }),
    );
    assert.equal(res.statusCode, 303);
    assert.match((await as(officer).get(p.flags({ slug }))).body, /No posts are waiting/);
    const asMember = await as(mo).get(p.thread({ id: threadId }));
    assert.match(asMember.body, /This post was hidden by a moderator/);
    assert.doesNotMatch(asMember.body, /made the case to their finance team/);
    const asModerator = await as(officer).get(p.thread({ id: threadId }));
    assert.match(asModerator.body, /Hidden from members/);
    assert.match(asModerator.body, /made the case to their finance team/);
    // Moderators show it again; members cannot hide.
    assert.equal((await as(mo).post(p.hide({ postId: firstPostId }), { action: 'hide' })).statusCode, 403);
    assert.equal(
      (await as(officer).post(p.hide({ postId: firstPostId }), { action: 'show' })).statusCode,
      303,
    );
    assert.match((await as(mo).get(p.thread({ id: threadId }))).body, /made the case to their finance team/);
    assert.equal(await audited('communities.flag.upheld'), 1);
  });

  test('a locked thread can be read but not replied to', async () => {
    assert.equal((await as(mo).post(p.lock({ id: threadId }), { action: 'lock' })).statusCode, 403);
    assert.equal((await as(officer).post(p.lock({ id: threadId }), { action: 'lock' })).statusCode, 303);
    const page = await as(mo).get(p.thread({ id: threadId }));
    assert.match(page.body, /This discussion is locked/);
    assert.doesNotMatch(page.body, new RegExp(`action="${p.reply({ id: threadId })}"`));
    const res = await as(mo).post(
      p.reply({ id: threadId }),
      { body: 'One more thing' },
      p.thread({ id: threadId }),
    );
    assert.equal(res.statusCode, 422);
    assert.match(res.body, /This discussion is locked/);
    assert.equal((await as(officer).post(p.lock({ id: threadId }), { action: 'unlock' })).statusCode, 303);
  });

  test('adding an event: bad input is refused with clear messages; members cannot add events', async () => {
    assert.equal((await as(mo).get(p.newEvent({ slug }))).statusCode, 403);
    const cases: [Form, RegExp][] = [
      [{ title: '' }, /Enter a title/],
      [{ endTime: '09:00' }, /The end time must be after the start time/],
      [{ mode: 'online', joinUrl: '' }, /Enter the joining link for an online event/],
      [{ mode: 'online', joinUrl: 'http://insecure.example' }, /starting with https:\/\//],
      [{ 'date-day': '31', 'date-month': '2' }, /Enter a real date/],
      [{ startTime: '25:00' }, /Enter a time like 09:30/],
      [{ capacity: '0' }, /whole number from 1 to 5,000/],
      [{ 'date-day': '4' }, /The event must start in the future/],
    ];
    for (const [overrides, message] of cases) {
      const res = await as(officer).submit(p.newEvent({ slug }), eventForm(overrides));
      assert.equal(res.statusCode, 422, JSON.stringify(overrides));
      assert.match(res.body, message);
      assert.ok(errorSummary(res.body));
    }
    const res = await as(officer).submit(p.newEvent({ slug }), eventForm());
    assert.equal(res.statusCode, 303, res.body);
    eventId = String(res.headers.location).split('/').pop()!;
    const event = await t.deps.communities.repo.findEvent(eventId);
    assert.equal(event!.startsAt.toISOString(), '2026-01-20T10:00:00.000Z');
    assert.equal(event!.capacity, 1);
  });

  test('registration: a place, then the waiting list; double registration refused clearly', async () => {
    t.mail.sent.length = 0;
    const anon = await t.agent().get(p.event({ id: eventId }));
    assert.match(anon.body, /Sign in to register/);
    const first = await as(mo).post(p.register({ id: eventId }), {}, p.event({ id: eventId }));
    assert.equal(first.statusCode, 303);
    assert.match((await as(mo).get(p.event({ id: eventId }))).body, /You have a place/);
    const twice = await as(mo).post(p.register({ id: eventId }), {}, p.event({ id: eventId }));
    assert.equal(twice.statusCode, 422);
    assert.match(twice.body, /You are already registered for this event/);
    // Full: the next people go to the waiting list, in order (someone outside the group too: it is public).
    t.clock.advance(60_000);
    assert.equal(
      (await as(charityAdmin).post(p.register({ id: eventId }), {}, p.event({ id: eventId }))).statusCode,
      303,
    );
    t.clock.advance(60_000);
    assert.equal(
      (await as(outsider).post(p.register({ id: eventId }), {}, p.event({ id: eventId }))).statusCode,
      303,
    );
    const waiting = await as(outsider).get(p.event({ id: eventId }));
    assert.match(waiting.body, /You are on the waiting list/);
    assert.match(waiting.body, /number 2 on the waiting list/);
    const again = await as(outsider).post(p.register({ id: eventId }), {}, p.event({ id: eventId }));
    assert.equal(again.statusCode, 422);
    assert.match(again.body, /already on the waiting list/);
    const rows = await t.deps.db
      .get()
      .select()
      .from(communityRegistrations)
      .where(eq(communityRegistrations.eventId, eventId));
    assert.equal(rows.length, 3, 'nothing added by the refused attempts');
    await t.deliverEmails();
    assert.equal(sentTo(mo, 'communityRegistered').length, 1);
    assert.equal(sentTo(charityAdmin, 'communityWaiting').length, 1);
    // The organiser sees both lists.
    const organiser = await as(officer).get(p.event({ id: eventId }));
    assert.match(organiser.body, /People with a place \(1\)/);
    assert.match(organiser.body, /Waiting list \(2\)/);
  });

  test('a cancellation promotes the first person waiting, who is told by email', async () => {
    t.mail.sent.length = 0;
    const res = await as(mo).post(p.cancelRegistration({ id: eventId }), {}, p.event({ id: eventId }));
    assert.equal(res.statusCode, 303);
    await t.deliverEmails();
    assert.equal(sentTo(charityAdmin, 'communityPromoted').length, 1);
    assert.match((await as(charityAdmin).get(p.event({ id: eventId }))).body, /You have a place/);
    assert.match((await as(outsider).get(p.event({ id: eventId }))).body, /number 1 on the waiting list/);
    const again = await as(mo).post(p.cancelRegistration({ id: eventId }), {}, p.event({ id: eventId }));
    assert.equal(again.statusCode, 422);
    assert.match(again.body, /You are not registered/);
    // Re-registering joins the back of the queue.
    t.clock.advance(60_000);
    await as(mo).post(p.register({ id: eventId }), {}, p.event({ id: eventId }));
    assert.match((await as(mo).get(p.event({ id: eventId }))).body, /number 2 on the waiting list/);
    assert.equal(await audited('communities.event.promoted'), 1);
  });

  test('the .ics file, the public feed and the API; members-only events stay out of them', async () => {
    const ics = await t.agent().get(p.eventIcs({ id: eventId }));
    assert.equal(ics.statusCode, 200);
    assert.match(String(ics.headers['content-type']), /^text\/calendar/);
    assert.ok(ics.body.includes('\r\nUID:'));
    assert.ok(ics.body.includes('DTSTART:20260120T100000Z\r\n'));
    assert.ok(ics.body.includes('LOCATION:Leeds Civic Hall\\, Calverley Street'));
    // A members-only event in the request group.
    const members = await as(admin).submit(
      p.newEvent({ slug: requestSlug }),
      eventForm({
        title: 'Members meeting',
        visibility: 'members',
        mode: 'online',
        joinUrl: 'https://meet.example/x',
        location: 'Online',
      }),
    );
    assert.equal(members.statusCode, 303, members.body);
    const membersId = String(members.headers.location).split('/').pop()!;
    assert.equal((await as(outsider).get(p.event({ id: membersId }))).statusCode, 403);
    assert.equal((await as(outsider).get(p.eventIcs({ id: membersId }))).statusCode, 403);
    assert.equal((await as(outsider).post(p.register({ id: membersId }), {})).statusCode, 403);
    // Members see it, and the joining link only once they have a place.
    const kitPage = await as(kit).get(p.event({ id: membersId }));
    assert.equal(kitPage.statusCode, 200);
    assert.doesNotMatch(kitPage.body, /meet\.example/);
    await as(kit).post(p.register({ id: membersId }), {}, p.event({ id: membersId }));
    assert.match((await as(kit).get(p.event({ id: membersId }))).body, /https:\/\/meet\.example\/x/);

    const feed = await t.app.inject({ url: p.api.feed() });
    assert.equal(feed.statusCode, 200);
    assert.match(String(feed.headers['content-type']), /^text\/calendar/);
    assert.ok(feed.body.includes('SUMMARY:Fair funding workshop'));
    assert.ok(!feed.body.includes('Members meeting'));
    assert.ok(!feed.body.includes('meet.example'));
    const list = await t.app.inject({ url: p.api.list() });
    assert.equal(list.statusCode, 200);
    const items = list.json().items as { id: string; placesLeft: number; joinUrl?: string }[];
    assert.deepEqual(
      items.map((i) => i.id),
      [eventId],
    );
    assert.equal(items[0]!.placesLeft, 0);
    assert.equal(items[0]!.joinUrl, undefined);
    assert.equal((await t.app.inject({ url: p.api.one({ id: membersId }) })).statusCode, 404);
    assert.equal(
      (await t.app.inject({ url: p.api.one({ id: eventId }) })).json().title,
      'Fair funding workshop',
    );
    const doc = (await t.app.inject({ url: '/api/openapi.json' })).json();
    assert.ok(doc.paths['/api/v1/events']);
    assert.ok(doc.paths['/api/v1/events.ics']);
  });

  test('the daily task sends the digest by setting and the reminder the day before, once', async () => {
    t.mail.sent.length = 0;
    // The digest goes to people still on "daily" (the administrator for the thread, the officer for Mo's
    // reply); Mo switched to "each post" and got the emails already.
    const first = await t.deps.communities.runDaily();
    assert.equal(first.digests, 2);
    assert.equal(sentTo(mo, 'communityDigest').length, 0);
    assert.equal(first.reminders, 0, 'the event is two weeks away');
    await t.deliverEmails();
    const digest = sentTo(admin, 'communityDigest');
    assert.equal(digest.length, 1);
    assert.match(digest[0]!.text, /Commissioning practice: “Paying grants in advance”/);
    // Switching to "none" before the digest drops what was waiting.
    await as(mo).submit(p.settings(), { frequency: 'daily' });
    await as(kit).submit(p.settings(), { frequency: 'off' });
    await as(officer).post(
      p.reply({ id: threadId }),
      { body: 'Template attached in the next post.' },
      p.thread({ id: threadId }),
    );
    await as(mo).submit(p.settings(), { frequency: 'off' });
    t.clock.set('2026-01-19T07:30:00Z');
    await signInAgain();
    const dayBefore = await t.deps.communities.runDaily();
    assert.equal(dayBefore.digests, 1, 'the administrator only: Mo switched to none');
    // Two events on the 20th: the workshop (Sam has a place) and the members' meeting (Kit has a place).
    assert.equal(dayBefore.reminders, 2);
    await t.deliverEmails();
    assert.equal(sentTo(charityAdmin, 'communityReminder').length, 1);
    assert.match(sentTo(charityAdmin, 'communityReminder')[0]!.text, /Leeds Civic Hall/);
    assert.equal(sentTo(outsider, 'communityReminder').length, 0, 'waiting, not registered');
    assert.match(sentTo(kit, 'communityReminder')[0]!.text, /Join: https:\/\/meet\.example\/x/);
    assert.equal(sentTo(mo, 'communityDigest').length, 0);
    const again = await t.deps.communities.runDaily();
    assert.deepEqual(again, { digests: 0, reminders: 0 });
  });

  test('notes only once the meeting has started; registration closes at the start', async () => {
    const early = await as(officer).post(
      p.notes({ id: eventId }),
      { notes: 'Too early' },
      p.event({ id: eventId }),
    );
    assert.equal(early.statusCode, 422);
    assert.match(early.body, /once the event has started/);
    t.clock.set('2026-01-20T10:30:00Z');
    await signInAgain();
    const late = await as(kit).post(p.register({ id: eventId }), {}, p.event({ id: eventId }));
    assert.equal(late.statusCode, 422);
    assert.match(late.body, /Registration has closed because the event has started/);
    assert.equal(
      (await as(mo).post(p.notes({ id: eventId }), { notes: 'x' }, p.event({ id: eventId }))).statusCode,
      403,
    );
    const empty = await as(officer).post(p.notes({ id: eventId }), { notes: '' }, p.event({ id: eventId }));
    assert.equal(empty.statusCode, 422);
    assert.match(empty.body, /Enter the notes/);
    t.mail.sent.length = 0;
    const res = await as(officer).post(
      p.notes({ id: eventId }),
      { notes: 'Agreed: a short guide to paying grants in advance.' },
      p.event({ id: eventId }),
    );
    assert.equal(res.statusCode, 303);
    const page = await t.agent().get(p.event({ id: eventId }));
    assert.match(page.body, /Notes and outputs from the meeting/);
    assert.match(page.body, /a short guide to paying grants in advance/);
    await t.deliverEmails();
    assert.equal(sentTo(charityAdmin, 'communityNotes').length, 1);
    assert.equal(await audited('communities.event.notesPublished'), 1);
  });

  test('an organiser cancels an event: everyone is told and calendars see STATUS:CANCELLED', async () => {
    t.clock.set('2026-01-20T11:00:00Z');
    await signInAgain();
    const create = await as(officer).submit(
      p.newEvent({ slug }),
      eventForm({ title: 'Second workshop', 'date-day': '27', capacity: '10' }),
    );
    const id = String(create.headers.location).split('/').pop()!;
    await as(mo).post(p.register({ id }), {}, p.event({ id }));
    assert.equal((await as(mo).post(p.cancelEvent({ id }), {}, p.event({ id }))).statusCode, 403);
    t.mail.sent.length = 0;
    assert.equal((await as(officer).post(p.cancelEvent({ id }), {}, p.event({ id }))).statusCode, 303);
    await t.deliverEmails();
    assert.equal(sentTo(mo, 'communityEventCancelled').length, 1);
    const ics = await t.agent().get(p.eventIcs({ id }));
    assert.ok(ics.body.includes('STATUS:CANCELLED'));
    assert.ok(ics.body.includes('SEQUENCE:1'));
    const register = await as(kit).post(p.register({ id }), {}, p.event({ id }));
    assert.equal(register.statusCode, 422);
    assert.match(register.body, /This event has been cancelled/);
  });

  test('leaving a group ends access to its discussions', async () => {
    assert.equal((await as(mo).post(p.leave({ slug }), {}, p.group({ slug }))).statusCode, 303);
    assert.equal((await as(mo).get(p.thread({ id: threadId }))).statusCode, 403);
    assert.equal(await audited('communities.member.left'), 1);
  });
});
