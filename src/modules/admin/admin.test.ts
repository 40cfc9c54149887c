import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import type { Agent } from '../../../test/helpers/agent.ts';
import {
  createOrganisation,
  createUser,
  signIn,
  TEST_PASSWORD,
  type TestUser,
} from '../../../test/helpers/accounts.ts';

describe('admin pages', () => {
  let t: TestApp;
  let team: { id: string };
  let charity: { id: string; name: string };
  let admin: TestUser;
  let agent: Agent;
  before(async () => {
    t = await createTestApp({
      RATE_LIMIT_FORMS_PER_MINUTE: '1000',
      RATE_LIMIT_SIGN_IN_PER_15_MINUTES: '1000',
    });
    team = await createOrganisation(t.deps, { kind: 'covenant_team', name: 'Covenant team' });
    charity = await createOrganisation(t.deps, { kind: 'cso', name: 'Admin Test Charity' });
    admin = await createUser(t.deps, {
      name: 'Ada Admin',
      roles: [{ role: 'admin', organisationId: team.id }],
      totp: true,
    });
    agent = t.agent();
    await signIn(agent, admin);
  });
  after(() => t.close());

  const audited = async (userId: string, action: string) =>
    (await t.deps.audit.list({ entityId: userId })).some(
      (a) => a.action === action && a.actorUserId === admin.id,
    );

  test('anonymous people are sent to sign in; non-admins get 403', async () => {
    for (const url of ['/admin/users', `/admin/users/${admin.id}`, '/admin/organisations']) {
      const anonymous = await t.agent().get(url);
      assert.equal(anonymous.statusCode, 303, url);
      assert.match(String(anonymous.headers.location), /^\/sign-in\?returnTo=/);
    }
    const orgAdmin = await createUser(t.deps, { roles: [{ role: 'cso_admin', organisationId: charity.id }] });
    const other = t.agent();
    await signIn(other, orgAdmin);
    for (const url of ['/admin/users', `/admin/users/${admin.id}`, '/admin/organisations']) {
      const res = await other.get(url);
      assert.equal(res.statusCode, 403, url);
      assert.match(res.body, /You do not have permission to see this page/);
    }
    const post = await other.post(
      `/admin/users/${orgAdmin.id}/roles`,
      { organisationId: team.id, role: 'admin' },
      '/account',
    );
    assert.equal(post.statusCode, 403);
    assert.equal((await t.deps.accountsRepository.listUserMemberships(orgAdmin.id)).length, 1);
  });

  test('users: search by name or email, with paging', async () => {
    for (let i = 0; i < 27; i++)
      await createUser(t.deps, {
        name: `Paged Person ${String(i).padStart(2, '0')}`,
        email: `paged-${i}@example.org`,
      });
    const first = await agent.get('/admin/users?q=paged');
    assert.equal(first.statusCode, 200);
    assert.match(first.body, /27 people/);
    assert.match(first.body, /Paged Person 00/);
    assert.doesNotMatch(first.body, /Paged Person 26/);
    assert.match(first.body, /href="\/admin\/users\?q=paged&amp;page=2"/);
    const second = await agent.get('/admin/users?q=paged&page=2');
    assert.match(second.body, /Paged Person 26/);
    const byEmail = await agent.get('/admin/users?q=paged-13%40');
    assert.match(byEmail.body, /1 people|Paged Person 13/);
    const none = await agent.get('/admin/users?q=%25_nobody');
    assert.match(none.body, /No people match your search/);
  });

  test('add and remove a role in an organisation, audited; form errors are shown', async () => {
    const person = await createUser(t.deps);
    const url = `/admin/users/${person.id}`;
    const page = await agent.get(url);
    assert.equal(page.statusCode, 200);
    const missing = await agent.submit(url, { organisationId: '', role: '' }, `${url}/roles`);
    assert.equal(missing.statusCode, 422);
    assert.match(missing.body, /govuk-error-summary[\s\S]*Choose an organisation/);
    assert.match(missing.body, /Choose a role/);
    const ghost = await agent.submit(
      url,
      { organisationId: '00000000-0000-4000-8000-000000000000', role: 'cso_member' },
      `${url}/roles`,
    );
    assert.equal(ghost.statusCode, 422);
    assert.match(ghost.body, /Choose an organisation that exists/);

    const added = await agent.submit(url, { organisationId: charity.id, role: 'cso_admin' }, `${url}/roles`);
    assert.equal(added.statusCode, 303);
    const [membership] = await t.deps.accountsRepository.listUserMemberships(person.id);
    assert.equal(membership?.role, 'cso_admin');
    assert.ok(await audited(person.id, 'admin.role_added'));
    const removed = await agent.submit(url, {}, `${url}/roles/${membership!.membershipId}/remove`);
    assert.equal(removed.statusCode, 303);
    assert.equal((await t.deps.accountsRepository.listUserMemberships(person.id)).length, 0);
    assert.ok(await audited(person.id, 'admin.role_removed'));
  });

  test('disable ends sessions and blocks sign-in; enable restores', async () => {
    const person = await createUser(t.deps);
    const theirs = t.agent();
    await signIn(theirs, person);
    const url = `/admin/users/${person.id}`;
    assert.equal((await agent.submit(url, {}, `${url}/disable`)).statusCode, 303);
    assert.equal((await theirs.get('/account')).statusCode, 303, 'signed out everywhere');
    assert.match(
      (await t.agent().submit('/sign-in', { email: person.email, password: TEST_PASSWORD })).body,
      /has been disabled/,
    );
    assert.ok(await audited(person.id, 'admin.user_disabled'));
    assert.equal((await agent.submit(url, {}, `${url}/enable`)).statusCode, 303);
    assert.equal((await signIn(t.agent(), person)).statusCode, 303);
    assert.ok(await audited(person.id, 'admin.user_enabled'));
  });

  test('unlock clears a lockout', async () => {
    const person = await createUser(t.deps);
    for (let i = 0; i < 5; i++)
      await t.agent().submit('/sign-in', { email: person.email, password: 'wrong' });
    const url = `/admin/users/${person.id}`;
    assert.match((await agent.get(url)).body, /Locked/);
    assert.equal((await agent.submit(url, {}, `${url}/unlock`)).statusCode, 303);
    assert.equal((await signIn(t.agent(), person)).headers.location, '/account');
    assert.ok(await audited(person.id, 'admin.user_unlocked'));
  });

  test('reset 2FA: sessions end and a staff member must set it up again', async () => {
    const body = await createOrganisation(t.deps, { kind: 'public_body' });
    const officer = await createUser(t.deps, {
      roles: [{ role: 'body_officer', organisationId: body.id }],
      totp: true,
    });
    const theirs = t.agent();
    await signIn(theirs, officer);
    const url = `/admin/users/${officer.id}`;
    assert.equal((await agent.submit(url, {}, `${url}/reset-two-factor`)).statusCode, 303);
    assert.equal((await theirs.get('/account')).statusCode, 303);
    const again = await t.agent().submit('/sign-in', { email: officer.email, password: TEST_PASSWORD });
    assert.match(String(again.headers.location), /^\/account\/two-factor\/set-up/);
    assert.ok(await audited(officer.id, 'admin.two_factor_reset'));
  });

  test('an admin cannot disable themselves or remove their own admin role', async () => {
    const url = `/admin/users/${admin.id}`;
    const self = await agent.submit(url, {}, `${url}/disable`);
    assert.equal(self.statusCode, 403);
    assert.match(self.body, /You cannot disable your own account/);
    const [own] = await t.deps.accountsRepository.listUserMemberships(admin.id);
    const role = await agent.submit(url, {}, `${url}/roles/${own!.membershipId}/remove`);
    assert.equal(role.statusCode, 403);
  });

  test('organisations: list and create, with a message per rule', async () => {
    const url = '/admin/organisations';
    const list = await agent.get(url);
    assert.match(list.body, /Admin Test Charity/);
    const cases: [Record<string, string>, string][] = [
      [{ name: '', slug: 'ok-slug', kind: 'cso' }, 'Enter the organisation’s name'],
      [{ name: 'X', slug: '', kind: 'cso' }, 'Enter a short name for web addresses'],
      [{ name: 'X', slug: 'Not a slug!', kind: 'cso' }, 'Short name must only include lower-case letters'],
      [{ name: 'X', slug: 'ok-slug', kind: '' }, 'Choose the type of organisation'],
    ];
    for (const [form, message] of cases) {
      const res = await agent.submit(url, form);
      assert.equal(res.statusCode, 422, message);
      assert.ok(res.body.includes(message), message);
    }
    const created = await agent.submit(url, {
      name: 'Northern Test Project',
      slug: 'northern-test-project',
      kind: 'cso',
    });
    assert.equal(created.statusCode, 303);
    assert.match((await agent.get(url)).body, /Northern Test Project/);
    const taken = await agent.submit(url, { name: 'Another', slug: 'northern-test-project', kind: 'cso' });
    assert.equal(taken.statusCode, 422);
    assert.match(taken.body, /Another organisation already uses this short name/);
    assert.match(taken.body, /value="Another"/);
  });
});
