/**
 * Service administration: find people, grant and remove organisation roles, disable and enable accounts,
 * unlock them, reset their second factor, and create organisations. Only a service `admin` (policy
 * `admin.manageUsers` / `admin.manageOrganisations`); every change writes an audit row in its transaction.
 *
 * Guard rails: an admin cannot disable their own account or remove their own `admin` role, so the service
 * cannot be left without an administrator by a slip of the mouse.
 */
import type { AuditLog, Actor } from '../../platform/audit/audit.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Database } from '../../platform/db/database.ts';
import type { SessionService } from '../../platform/auth/sessions.ts';
import type { CurrentUser } from '../../platform/auth/roles.ts';
import { ForbiddenError, NotFoundError } from '../../platform/http/errors.ts';
import { can, type AccountsAction } from '../accounts/accounts.policy.ts';
import { isUuid, type AccountsRepository, type UserRow } from '../accounts/accounts.repository.ts';
import type { AddRoleInput, OrganisationInput } from './admin.schema.ts';

export const USERS_PER_PAGE = 25;

export interface AdminServiceDeps {
  clock: Clock;
  db: Database;
  audit: AuditLog;
  sessions: SessionService;
  repo: AccountsRepository;
}

export function createAdminService(deps: AdminServiceDeps) {
  const { clock, db, audit, repo, sessions } = deps;

  function authorise(user: CurrentUser, action: AccountsAction) {
    if (!can(user, action)) throw new ForbiddenError(`Not allowed: ${action}`);
  }

  async function target(userId: string): Promise<UserRow> {
    const row = isUuid(userId) ? await repo.findUserById(userId) : undefined;
    if (!row) throw new NotFoundError();
    return row;
  }

  async function change(
    actor: Actor,
    userId: string,
    action: string,
    details: Record<string, unknown>,
    fn: () => Promise<void>,
  ) {
    await db.transaction(async () => {
      await fn();
      await audit.record(actor, { action, entityType: 'user', entityId: userId, details });
    });
  }

  return {
    /** People matching a name or email fragment, a page at a time, with their roles. */
    async searchUsers(user: CurrentUser, query: string, page: number) {
      authorise(user, 'admin.manageUsers');
      const { rows, total } = await repo.searchUsers(query, USERS_PER_PAGE, (page - 1) * USERS_PER_PAGE);
      const roles = await repo.membershipsOf(rows.map((r) => r.id));
      return {
        users: rows.map((row) => ({ ...row, memberships: roles.filter((m) => m.userId === row.id) })),
        total,
        page,
        pages: Math.max(1, Math.ceil(total / USERS_PER_PAGE)),
      };
    },

    async userDetail(user: CurrentUser, userId: string) {
      authorise(user, 'admin.manageUsers');
      const row = await target(userId);
      const now = clock.now();
      return {
        user: row,
        locked: Boolean(row.lockedUntil && row.lockedUntil > now),
        memberships: await repo.listUserMemberships(row.id),
        organisations: await repo.listOrganisations(),
        isSelf: row.id === user.id,
      };
    },

    /** Grants a role in an organisation. Returns false when the organisation does not exist. */
    async addRole(actor: Actor, user: CurrentUser, userId: string, input: AddRoleInput): Promise<boolean> {
      authorise(user, 'admin.manageUsers');
      await target(userId);
      if (!(await repo.findOrganisation(input.organisationId))) return false;
      await change(actor, userId, 'admin.role_added', { ...input }, async () => {
        await repo.addMembership(userId, input.organisationId, input.role);
      });
      return true;
    },

    async removeRole(actor: Actor, user: CurrentUser, userId: string, membershipId: string) {
      authorise(user, 'admin.manageUsers');
      const membership = await repo.findMembership(membershipId);
      if (!membership || membership.userId !== userId) throw new NotFoundError();
      if (membership.userId === user.id && membership.role === 'admin')
        throw new ForbiddenError('An admin cannot remove their own admin role', 'admin.errors.ownAdminRole');
      await change(
        actor,
        userId,
        'admin.role_removed',
        { organisationId: membership.organisationId, role: membership.role },
        () => repo.deleteMembership(membershipId),
      );
    },

    /** Disabling ends every session at once; the person cannot sign in until enabled again. */
    async setDisabled(actor: Actor, user: CurrentUser, userId: string, disabled: boolean) {
      authorise(user, 'admin.manageUsers');
      await target(userId);
      if (disabled && userId === user.id)
        throw new ForbiddenError('An admin cannot disable themselves', 'admin.errors.disableSelf');
      await change(actor, userId, disabled ? 'admin.user_disabled' : 'admin.user_enabled', {}, async () => {
        await repo.updateUser(userId, { disabledAt: disabled ? clock.now() : null });
        if (disabled) await sessions.endAllFor(userId);
      });
    },

    async unlock(actor: Actor, user: CurrentUser, userId: string) {
      authorise(user, 'admin.manageUsers');
      await target(userId);
      await change(actor, userId, 'admin.user_unlocked', {}, () =>
        repo.updateUser(userId, { failedSignIns: 0, lockedUntil: null }),
      );
    },

    /**
     * Removes the second factor (a lost phone): the person sets it up again at their next sign-in if their
     * roles need it. Their sessions end so nothing signed in with the old factor stays open.
     */
    async resetTwoFactor(actor: Actor, user: CurrentUser, userId: string) {
      authorise(user, 'admin.manageUsers');
      await target(userId);
      await change(actor, userId, 'admin.two_factor_reset', {}, async () => {
        await repo.updateUser(userId, { totpSecret: null, totpEnabledAt: null, totpLastStep: null });
        await repo.replaceRecoveryCodes(userId, []);
        await sessions.endAllFor(userId);
      });
    },

    async listOrganisations(user: CurrentUser) {
      authorise(user, 'admin.manageOrganisations');
      return repo.listOrganisations();
    },

    async createOrganisation(
      actor: Actor,
      user: CurrentUser,
      input: OrganisationInput,
    ): Promise<'created' | 'slugTaken'> {
      authorise(user, 'admin.manageOrganisations');
      return db.transaction(async () => {
        if (await repo.findOrganisationBySlug(input.slug)) return 'slugTaken' as const;
        const organisation = await repo.insertOrganisation(input);
        await audit.record(actor, {
          action: 'admin.organisation_created',
          entityType: 'organisation',
          entityId: organisation.id,
          details: { slug: input.slug, kind: input.kind },
        });
        return 'created' as const;
      });
    },
  };
}
export type AdminService = ReturnType<typeof createAdminService>;
