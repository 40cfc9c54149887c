import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { CurrentUser, Membership, Role } from '../../platform/auth/roles.ts';
import { can, invitableRoles, rolesForKind } from './accounts.policy.ts';

const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';

function person(roles: [Role, string][], emailVerified = true): CurrentUser {
  const memberships: Membership[] = roles.map(([role, organisationId]) => ({
    role,
    organisationId,
    organisationName: organisationId,
    organisationSlug: organisationId,
    organisationKind: 'cso',
  }));
  return {
    id: 'u',
    email: 'u@example.org',
    displayName: 'U',
    locale: 'en',
    emailVerified,
    totpEnabled: false,
    memberships,
  };
}

describe('accounts policy', () => {
  test('nobody signed in can do nothing', () => {
    assert.equal(can(null, 'organisation.viewMembers', { organisationId: A }), false);
  });

  test('cso_admin and body_lead manage their own organisation only', () => {
    for (const role of ['cso_admin', 'body_lead'] as const) {
      const user = person([[role, A]]);
      assert.equal(can(user, 'organisation.viewMembers', { organisationId: A }), true, role);
      assert.equal(can(user, 'organisation.invite', { organisationId: A, role: 'cso_member' }), true, role);
      assert.equal(
        can(user, 'organisation.removeMember', { organisationId: A, role: 'cso_member' }),
        true,
        role,
      );
      assert.equal(can(user, 'organisation.viewMembers', { organisationId: B }), false, role);
      assert.equal(can(user, 'organisation.invite', { organisationId: B, role: 'cso_member' }), false, role);
    }
  });

  test('an organisation can never grant or remove admin', () => {
    const user = person([['cso_admin', A]]);
    assert.equal(can(user, 'organisation.invite', { organisationId: A, role: 'admin' }), false);
    assert.equal(can(user, 'organisation.removeMember', { organisationId: A, role: 'admin' }), false);
  });

  test('members, officers, intermediaries and panel members manage nothing', () => {
    for (const role of ['cso_member', 'intermediary', 'body_officer', 'panel_member'] as const) {
      const user = person([[role, A]]);
      assert.equal(can(user, 'organisation.viewMembers', { organisationId: A }), false, role);
      assert.equal(can(user, 'admin.manageUsers'), false, role);
    }
  });

  test('an unverified address cannot act for an organisation', () => {
    assert.equal(
      can(person([['cso_admin', A]], false), 'organisation.viewMembers', { organisationId: A }),
      false,
    );
  });

  test('admin can do everything, anywhere', () => {
    const admin = person([['admin', A]]);
    assert.equal(can(admin, 'admin.manageUsers'), true);
    assert.equal(can(admin, 'admin.manageOrganisations'), true);
    assert.equal(can(admin, 'organisation.invite', { organisationId: B, role: 'admin' }), true);
    assert.equal(can(person([['cso_admin', A]]), 'admin.manageUsers'), false);
  });

  test('roles in two organisations are each scoped to their own', () => {
    const user = person([
      ['cso_admin', A],
      ['cso_member', B],
    ]);
    assert.equal(can(user, 'organisation.viewMembers', { organisationId: A }), true);
    assert.equal(can(user, 'organisation.viewMembers', { organisationId: B }), false);
  });

  test('invitable roles follow the kind of organisation and leave out admin', () => {
    assert.deepEqual(invitableRoles(person([['body_lead', A]]), A, 'public_body'), [
      'body_officer',
      'body_lead',
    ]);
    assert.deepEqual(invitableRoles(person([['cso_admin', A]]), A, 'covenant_team'), []);
    assert.deepEqual(invitableRoles(person([['admin', B]]), A, 'covenant_team'), ['admin']);
    assert.deepEqual(invitableRoles(person([['cso_admin', A]]), B, 'cso'), []);
    assert.ok(Object.values(rolesForKind).every((roles) => roles.length > 0));
  });
});
