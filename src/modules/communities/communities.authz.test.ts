/**
 * Role boundaries of communities of practice, through the real app: for each page and action, who gets in
 * (anonymous visitors, signed-in people outside the group, a person whose request is pending, a member, a
 * moderator of ANOTHER group, the group's moderator, an administrator). Refused requests change nothing.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { createOrganisation, createUser, signIn, type TestUser } from '../../../test/helpers/accounts.ts';
import type { Agent } from '../../../test/helpers/agent.ts';
import { systemActor } from '../../platform/audit/audit.ts';
import type { CurrentUser, Role } from '../../platform/auth/roles.ts';
import { communityPaths as p } from './communities.paths.ts';
import {
  canCreateGroup,
  canModerate,
  canPost,
  canReadDiscussions,
  canRegister,
  canSeeEvent,
  canSeeJoinLink,
} from './communities.policy.ts';

type Who = 'anonymous' | 'outsider' | 'pending' | 'member' | 'otherModerator' | 'moderator' | 'admin';

describe('communities of practice: who may do what', () => {
  let t: TestApp;
  const agents = new Map<Who, Agent>();
  const users = new Map<Who, TestUser>();
  let slug: string;
  let threadId: string;
  let postId: string;
  let publicEventId: string;
  let membersEventId: string;
  let flagId: string;
  let pendingMemberId: string;

  before(async () => {
    t = await createTestApp();
    const team = await createOrganisation(t.deps, { kind: 'covenant_team' });
    const charity = await createOrganisation(t.deps, { kind: 'cso' });
    const body = await createOrganisation(t.deps, { kind: 'public_body' });
    const make = async (who: Who, roles: { role: Role; organisationId: string }[], totp = false) => {
      const u = await createUser(t.deps, { name: who, roles, totp });
      users.set(who, u);
      const a = t.agent();
      await signIn(a, u);
      agents.set(who, a);
      return u;
    };
    const admin = await make('admin', [{ role: 'admin', organisationId: team.id }], true);
    await make('outsider', [{ role: 'cso_member', organisationId: charity.id }]);
    await make('pending', [{ role: 'cso_member', organisationId: charity.id }]);
    await make('member', [{ role: 'body_officer', organisationId: body.id }], true);
    await make('otherModerator', [{ role: 'cso_admin', organisationId: charity.id }]);
    await make('moderator', [{ role: 'cso_member', organisationId: charity.id }]);
    agents.set('anonymous', t.agent());

    // Build the world through the service, as the pages would.
    const svc = t.deps.communities;
    // The administrator as the service sees them (the policy reads the admin membership).
    const adminUser: CurrentUser = {
      id: admin.id,
      email: admin.email,
      displayName: admin.displayName,
      locale: 'en',
      emailVerified: true,
      totpEnabled: true,
      memberships: [
        {
          organisationId: team.id,
          organisationName: 'Team',
          organisationSlug: 'team',
          organisationKind: 'covenant_team',
          role: 'admin',
        },
      ],
    };
    const group = await svc.createGroup(adminUser, systemActor, {
      name: 'Practice group',
      description: 'A group.',
      joinPolicy: 'request',
    });
    slug = group.slug;
    const other = await svc.createGroup(adminUser, systemActor, {
      name: 'Other group',
      description: 'Another.',
      joinPolicy: 'open',
    });
    const repo = svc.repo;
    const add = (groupId: string, who: Who, role: 'member' | 'moderator', status: 'active' | 'pending') =>
      repo.insertMember({ groupId, userId: users.get(who)!.id, role, status });
    await add(group.id, 'member', 'member', 'active');
    await add(group.id, 'moderator', 'moderator', 'active');
    pendingMemberId = (await add(group.id, 'pending', 'member', 'pending')).id;
    await add(other.id, 'otherModerator', 'moderator', 'active');
    const thread = await repo.insertThread({
      groupId: group.id,
      title: 'A thread',
      lastPostAt: t.clock.now(),
    });
    threadId = thread.id;
    postId = (await repo.insertPost({ threadId, authorId: users.get('member')!.id, body: 'Hello' })).id;
    await repo.insertFlag({ postId, flaggedBy: users.get('member')!.id, reason: 'test' });
    flagId = (await repo.openFlagsOf(group.id))[0]!.flag.id;
    const event = (visibility: 'public' | 'members') =>
      repo.insertEvent({
        groupId: group.id,
        title: `${visibility} event`,
        description: 'x',
        mode: 'online',
        location: 'Online',
        joinUrl: 'https://meet.example/secret',
        startsAt: new Date('2026-02-01T10:00:00Z'),
        endsAt: new Date('2026-02-01T11:00:00Z'),
        capacity: 10,
        visibility,
      });
    publicEventId = (await event('public')).id;
    membersEventId = (await event('members')).id;
  });
  after(() => t.close());

  const everyone: Who[] = [
    'anonymous',
    'outsider',
    'pending',
    'member',
    'otherModerator',
    'moderator',
    'admin',
  ];
  /** Status per person for a GET; `ok` is who gets 200, everyone else signed in gets 403, anonymous 303/403. */
  async function checkGet(path: string, ok: Who[], anonymous: number) {
    for (const who of everyone) {
      const res = await agents.get(who)!.get(path);
      const expected = ok.includes(who) ? 200 : who === 'anonymous' ? anonymous : 403;
      assert.equal(res.statusCode, expected, `${who} GET ${path}: ${res.statusCode}`);
    }
  }

  test('public pages: the groups, a group and a public event are for everyone', async () => {
    await checkGet(p.index(), everyone, 200);
    await checkGet(p.group({ slug }), everyone, 200);
    await checkGet(p.event({ id: publicEventId }), everyone, 200);
    await checkGet(p.eventIcs({ id: publicEventId }), everyone, 200);
  });

  test('discussions are for active members (and administrators); pending members wait outside', async () => {
    await checkGet(p.thread({ id: threadId }), ['member', 'moderator', 'admin'], 303);
    const group = await agents.get('pending')!.get(p.group({ slug }));
    assert.doesNotMatch(group.body, /A thread/);
    assert.match((await agents.get('member')!.get(p.group({ slug }))).body, /A thread/);
  });

  test('posting and flagging: active members only (the administrator started the group, so is one)', async () => {
    await checkGet(p.newThread({ slug }), ['member', 'moderator', 'admin'], 303);
    await checkGet(p.flag({ postId }), ['member', 'moderator', 'admin'], 303);
    for (const who of ['outsider', 'pending', 'otherModerator'] as Who[]) {
      const res = await agents.get(who)!.post(p.reply({ id: threadId }), { body: 'hi' });
      assert.equal(res.statusCode, 403, who);
    }
  });

  test('moderation: the group’s moderators and administrators, never a moderator of another group', async () => {
    await checkGet(p.members({ slug }), ['moderator', 'admin'], 303);
    await checkGet(p.flags({ slug }), ['moderator', 'admin'], 303);
    await checkGet(p.newEvent({ slug }), ['moderator', 'admin'], 303);
    for (const who of ['outsider', 'pending', 'member', 'otherModerator'] as Who[]) {
      const a = agents.get(who)!;
      assert.equal((await a.post(p.hide({ postId }), { action: 'hide' })).statusCode, 403, `${who} hide`);
      assert.equal(
        (await a.post(p.lock({ id: threadId }), { action: 'lock' })).statusCode,
        403,
        `${who} lock`,
      );
      assert.equal(
        (await a.post(p.resolveFlag({ flagId }), { decision: 'upheld' })).statusCode,
        403,
        `${who} flag`,
      );
      assert.equal(
        (await a.post(p.decideMember({ slug, memberId: pendingMemberId }), { decision: 'approve' }))
          .statusCode,
        403,
        `${who} decide`,
      );
      assert.equal((await a.post(p.cancelEvent({ id: publicEventId }), {})).statusCode, 403, `${who} cancel`);
      assert.equal(
        (await a.post(p.notes({ id: publicEventId }), { notes: 'x' })).statusCode,
        403,
        `${who} notes`,
      );
    }
    // Nothing changed.
    const post = await t.deps.communities.repo.findPost(postId);
    assert.equal(post!.hiddenAt, null);
    assert.equal((await t.deps.communities.repo.findMemberById(pendingMemberId))!.status, 'pending');
    assert.equal((await t.deps.communities.repo.findEvent(publicEventId))!.status, 'scheduled');
  });

  test('only administrators start groups', async () => {
    await checkGet(p.create(), ['admin'], 303);
  });

  test('members-only events: members and administrators; the joining link only for people with a place', async () => {
    await checkGet(p.event({ id: membersEventId }), ['member', 'moderator', 'admin'], 403);
    await checkGet(p.eventIcs({ id: membersEventId }), ['member', 'moderator', 'admin'], 403);
    for (const who of ['outsider', 'pending', 'otherModerator'] as Who[])
      assert.equal(
        (await agents.get(who)!.post(p.register({ id: membersEventId }), {})).statusCode,
        403,
        who,
      );
    assert.equal(
      (await agents.get('anonymous')!.post(p.register({ id: publicEventId }), {}, '/sign-in')).statusCode,
      303,
    );
    const member = agents.get('member')!;
    assert.doesNotMatch((await member.get(p.event({ id: membersEventId }))).body, /meet\.example\/secret/);
    assert.equal(
      (await member.post(p.register({ id: membersEventId }), {}, p.event({ id: membersEventId }))).statusCode,
      303,
    );
    assert.match((await member.get(p.event({ id: membersEventId }))).body, /meet\.example\/secret/);
    assert.match(
      (await agents.get('moderator')!.get(p.event({ id: membersEventId }))).body,
      /meet\.example\/secret/,
    );
    assert.doesNotMatch(
      (await agents.get('outsider')!.get(p.event({ id: publicEventId }))).body,
      /meet\.example\/secret/,
    );
  });

  test('the policy functions agree on fixed examples', () => {
    const user = {
      id: 'u',
      email: 'u@x',
      displayName: 'U',
      locale: 'en',
      emailVerified: true,
      totpEnabled: false,
      memberships: [],
    };
    const admin = {
      ...user,
      memberships: [
        {
          organisationId: 'o',
          organisationName: 'T',
          organisationSlug: 't',
          organisationKind: 'covenant_team' as const,
          role: 'admin' as const,
        },
      ],
    };
    const active = { role: 'member' as const, status: 'active' as const };
    const pending = { role: 'member' as const, status: 'pending' as const };
    const mod = { role: 'moderator' as const, status: 'active' as const };
    const pendingMod = { role: 'moderator' as const, status: 'pending' as const };
    assert.equal(canCreateGroup(user), false);
    assert.equal(canCreateGroup(admin), true);
    assert.equal(canModerate(user, active), false);
    assert.equal(canModerate(user, mod), true);
    assert.equal(canModerate(user, pendingMod), false);
    assert.equal(canModerate(admin, null), true);
    assert.equal(canReadDiscussions(user, pending), false);
    assert.equal(canReadDiscussions(null, active), false);
    assert.equal(canPost(admin, null), false);
    assert.equal(canSeeEvent(null, null, { visibility: 'public' }), true);
    assert.equal(canSeeEvent(user, pending, { visibility: 'members' }), false);
    assert.equal(canRegister(null, null, { visibility: 'public' }), false);
    assert.equal(canRegister(user, null, { visibility: 'public' }), true);
    assert.equal(canRegister(user, pending, { visibility: 'members' }), false);
    assert.equal(canSeeJoinLink(user, active, { status: 'waiting' }), false);
    assert.equal(canSeeJoinLink(user, active, { status: 'registered' }), true);
  });
});
