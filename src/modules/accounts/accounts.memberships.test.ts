import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, linkFrom, type TestApp } from '../../../test/helpers/app.ts';
import { createOrganisation, createUser, signIn } from '../../../test/helpers/accounts.ts';

describe('organisation roles and invitations', () => {
  let t: TestApp;
  let orgA: { id: string; name: string };
  let orgB: { id: string; name: string };
  let charity: { id: string; name: string };
  before(async () => {
    t = await createTestApp({
      RATE_LIMIT_FORMS_PER_MINUTE: '1000',
      RATE_LIMIT_SIGN_IN_PER_15_MINUTES: '1000',
    });
    orgA = await createOrganisation(t.deps, { kind: 'public_body', name: 'Department A' });
    orgB = await createOrganisation(t.deps, { kind: 'public_body', name: 'Council B' });
    charity = await createOrganisation(t.deps, { kind: 'cso', name: 'Riverside Test Trust' });
  });
  after(() => t.close());

  const membersUrl = (orgId: string) => `/organisations/${orgId}/members`;

  test('a body_lead of org A manages A but cannot see or invite to org B', async () => {
    const lead = await createUser(t.deps, {
      roles: [{ role: 'body_lead', organisationId: orgA.id }],
      totp: true,
    });
    await createUser(t.deps, {
      name: 'Bea Member',
      roles: [{ role: 'body_officer', organisationId: orgB.id }],
    });
    const agent = t.agent();
    await signIn(agent, lead);
    const own = await agent.get(membersUrl(orgA.id));
    assert.equal(own.statusCode, 200);
    assert.match(own.body, /Members of Department A/);

    const other = await agent.get(membersUrl(orgB.id));
    assert.equal(other.statusCode, 403);
    assert.doesNotMatch(other.body, /Bea Member/);
    const invite = await agent.post(
      `/organisations/${orgB.id}/invitations`,
      { email: 'x@example.org', role: 'body_officer' },
      membersUrl(orgA.id),
    );
    assert.equal(invite.statusCode, 403);
    assert.equal((await agent.get(membersUrl('not-a-uuid'))).statusCode, 403);
  });

  test('a person with roles in two organisations sees and manages both', async () => {
    const both = await createUser(t.deps, {
      roles: [
        { role: 'cso_admin', organisationId: charity.id },
        { role: 'body_lead', organisationId: orgB.id },
      ],
      totp: true,
    });
    const agent = t.agent();
    await signIn(agent, both);
    const list = await agent.get('/your-organisations');
    assert.match(list.body, /Riverside Test Trust/);
    assert.match(list.body, /Council B/);
    assert.equal((await agent.get(membersUrl(charity.id))).statusCode, 200);
    assert.equal((await agent.get(membersUrl(orgB.id))).statusCode, 200);
    assert.equal((await agent.get(membersUrl(orgA.id))).statusCode, 403);
  });

  test('an ordinary member cannot manage their organisation; an unverified admin cannot either', async () => {
    const member = await createUser(t.deps, { roles: [{ role: 'cso_member', organisationId: charity.id }] });
    const agent = t.agent();
    await signIn(agent, member);
    assert.equal((await agent.get(membersUrl(charity.id))).statusCode, 403);
    const unverified = await createUser(t.deps, {
      verified: false,
      roles: [{ role: 'cso_admin', organisationId: charity.id }],
    });
    const other = t.agent();
    await signIn(other, unverified);
    assert.equal((await other.get(membersUrl(charity.id))).statusCode, 403);
  });

  test('invite form: each rule has a message; only roles for the organisation, never admin', async () => {
    const admin = await createUser(t.deps, { roles: [{ role: 'cso_admin', organisationId: charity.id }] });
    const agent = t.agent();
    await signIn(agent, admin);
    const url = membersUrl(charity.id);
    const noEmail = await agent.post(
      `/organisations/${charity.id}/invitations`,
      { email: '', role: 'cso_member' },
      url,
    );
    assert.equal(noEmail.statusCode, 422);
    assert.match(noEmail.body, /govuk-error-summary[\s\S]*Enter your email address/);
    const noRole = await agent.post(
      `/organisations/${charity.id}/invitations`,
      { email: 'new@example.org', role: '' },
      url,
    );
    assert.equal(noRole.statusCode, 422);
    assert.match(noRole.body, /Select a role/);
    assert.match(noRole.body, /value="new@example.org"/);
    const adminRole = await agent.post(
      `/organisations/${charity.id}/invitations`,
      { email: 'new@example.org', role: 'admin' },
      url,
    );
    assert.equal(adminRole.statusCode, 422);
    assert.match(adminRole.body, /Select a role you can give in this organisation/);
    const wrongKind = await agent.post(
      `/organisations/${charity.id}/invitations`,
      { email: 'new@example.org', role: 'body_lead' },
      url,
    );
    assert.equal(wrongKind.statusCode, 422);
  });

  test('invitation journey: a new person registers, then accepts; single use; membership appears', async () => {
    const inviter = await createUser(t.deps, { roles: [{ role: 'cso_admin', organisationId: charity.id }] });
    const agent = t.agent();
    await signIn(agent, inviter);
    const sent = await agent.post(
      `/organisations/${charity.id}/invitations`,
      { email: 'Newcomer@Example.org', role: 'cso_member' },
      membersUrl(charity.id),
    );
    assert.equal(sent.statusCode, 303);
    assert.match((await agent.get(membersUrl(charity.id))).body, /newcomer@example.org/);
    await t.deliverEmails();
    const link = linkFrom(t.mail.lastTo('newcomer@example.org'), '/invitations/');

    const visitor = t.agent();
    const page = await visitor.get(link);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Join Riverside Test Trust/);
    assert.ok(page.body.includes(`/register?returnTo=${encodeURIComponent(link)}`));

    await visitor.submit(`/register?returnTo=${encodeURIComponent(link)}`, {
      name: 'New Comer',
      email: 'newcomer@example.org',
      password: 'velvet orbit canyon',
      confirmPassword: 'velvet orbit canyon',
      returnTo: link,
    });
    const signedIn = await visitor.submit(`/sign-in?returnTo=${encodeURIComponent(link)}`, {
      email: 'newcomer@example.org',
      password: 'velvet orbit canyon',
      returnTo: link,
    });
    assert.equal(signedIn.headers.location, link);
    const accepted = await visitor.submit(link, {});
    assert.equal(accepted.statusCode, 303);
    const mine = await visitor.get('/your-organisations');
    assert.match(mine.body, /Riverside Test Trust/);
    assert.match(mine.body, /Member of a civil society organisation/);
    const user = await t.deps.accountsRepository.findUserByEmail('newcomer@example.org');
    assert.ok(user?.emailVerifiedAt, 'accepting confirms the address the invitation went to');

    const again = await visitor.get(link);
    assert.equal(again.statusCode, 400);
    assert.match(again.body, /no longer valid/);
  });

  test('an invitation is for its address only, expires after 7 days and can be revoked', async () => {
    const inviter = await createUser(t.deps, { roles: [{ role: 'cso_admin', organisationId: charity.id }] });
    const agent = t.agent();
    await signIn(agent, inviter);
    const invite = async (email: string) => {
      await agent.post(
        `/organisations/${charity.id}/invitations`,
        { email, role: 'cso_member' },
        membersUrl(charity.id),
      );
      await t.deliverEmails();
      return linkFrom(t.mail.lastTo(email), '/invitations/');
    };
    const forOther = await invite('someone-else@example.org');
    const stranger = await createUser(t.deps);
    const strangerAgent = t.agent();
    await signIn(strangerAgent, stranger);
    const wrong = await strangerAgent.get(forOther);
    assert.match(wrong.body, /Sign out and sign in with the address the invitation was sent to/);
    assert.equal((await strangerAgent.post(forOther, {}, '/account')).headers.location, forOther);
    const memberships = await t.deps.accountsRepository.listUserMemberships(stranger.id);
    assert.equal(memberships.length, 0);

    const revoked = await invite('revoked@example.org');
    const invitations = await t.deps.accountsRepository.listOpenInvitations(charity.id, t.clock.now());
    const target = invitations.find((i) => i.email === 'revoked@example.org')!;
    const res = await agent.post(
      `/organisations/${charity.id}/invitations/${target.id}/revoke`,
      {},
      membersUrl(charity.id),
    );
    assert.equal(res.statusCode, 303);
    assert.equal((await t.agent().get(revoked)).statusCode, 400);

    // Last, as it moves the clock past every session.
    const late = await invite('late@example.org');
    t.clock.advance(7 * 86_400_000 - 60_000);
    assert.equal((await t.agent().get(late)).statusCode, 200);
    t.clock.advance(61_000);
    assert.equal((await t.agent().get(late)).statusCode, 400);
  });

  test('an organisation admin removes a member of their organisation only', async () => {
    const admin = await createUser(t.deps, { roles: [{ role: 'cso_admin', organisationId: charity.id }] });
    const member = await createUser(t.deps, {
      name: 'Leaving Person',
      roles: [{ role: 'cso_member', organisationId: charity.id }],
    });
    const elsewhere = await createUser(t.deps, {
      roles: [{ role: 'body_officer', organisationId: orgA.id }],
    });
    const [membership] = await t.deps.accountsRepository.listUserMemberships(member.id);
    const [otherMembership] = await t.deps.accountsRepository.listUserMemberships(elsewhere.id);
    const agent = t.agent();
    await signIn(agent, admin);
    const url = membersUrl(charity.id);
    const cross = await agent.post(
      `/organisations/${charity.id}/members/${otherMembership!.membershipId}/remove`,
      {},
      url,
    );
    assert.equal(cross.statusCode, 404);
    const crossOrg = await agent.post(
      `/organisations/${orgA.id}/members/${otherMembership!.membershipId}/remove`,
      {},
      url,
    );
    assert.equal(crossOrg.statusCode, 403);
    const ok = await agent.post(
      `/organisations/${charity.id}/members/${membership!.membershipId}/remove`,
      {},
      url,
    );
    assert.equal(ok.statusCode, 303);
    assert.equal((await t.deps.accountsRepository.listUserMemberships(member.id)).length, 0);
    const audits = await t.deps.audit.list({ entityId: member.id });
    assert.ok(audits.some((a) => a.action === 'membership.removed'));
  });
});
