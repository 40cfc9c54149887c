/**
 * Organisation roles and invitations. Every function starts with the policy check (accounts.policy.ts): an
 * organisation's cso_admin or body_lead manages that organisation only; a service admin manages all.
 *
 * Invitations are emailed single-use links that expire after 7 days and can be revoked. The person accepting
 * must be signed in with the address the invitation was sent to (a forwarded link cannot grant a role to
 * someone else); accepting confirms that address.
 */
import type { AuditLog, Actor } from '../../platform/audit/audit.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Config } from '../../config.ts';
import type { Database } from '../../platform/db/database.ts';
import type { Outbox } from '../../platform/email/outbox.ts';
import type { CurrentUser } from '../../platform/auth/roles.ts';
import { randomToken, sha256 } from '../../platform/auth/tokens.ts';
import { ForbiddenError, NotFoundError } from '../../platform/http/errors.ts';
import { translator } from '../../platform/i18n/i18n.ts';
import { accountPaths } from './accounts.paths.ts';
import { can, invitableRoles } from './accounts.policy.ts';
import type { AccountsRepository, InvitationRow, OrganisationRow } from './accounts.repository.ts';
import type { InviteInput } from './accounts.schema.ts';

export const INVITATION_DAYS = 7;

export interface MembershipsServiceDeps {
  config: Config;
  clock: Clock;
  db: Database;
  audit: AuditLog;
  outbox: Outbox;
  repo: AccountsRepository;
  emailsQueued: () => Promise<unknown>;
}

export type InvitationView =
  { kind: 'invalid' } | { kind: 'open'; invitation: InvitationRow; organisation: OrganisationRow };

export function createMembershipsService(deps: MembershipsServiceDeps) {
  const { clock, db, audit, outbox, repo, config } = deps;

  async function organisationFor(user: CurrentUser, organisationId: string): Promise<OrganisationRow> {
    // Not found and not allowed look the same from outside: a person cannot probe other organisations' ids.
    const organisation = await repo.findOrganisation(organisationId);
    if (!organisation || !can(user, 'organisation.viewMembers', { organisationId }))
      throw new ForbiddenError();
    return organisation;
  }

  return {
    /** The members page: members, open invitations and the roles this person may offer. */
    async membersPage(user: CurrentUser, organisationId: string) {
      const organisation = await organisationFor(user, organisationId);
      return {
        organisation,
        members: await repo.listMembers(organisationId),
        invitations: await repo.listOpenInvitations(organisationId, clock.now()),
        roles: invitableRoles(user, organisationId, organisation.kind),
      };
    },

    /** The organisations the person belongs to, with whether they manage each. */
    async yourOrganisations(user: CurrentUser) {
      const rows = await repo.listUserMemberships(user.id);
      const byOrg = new Map<string, { id: string; name: string; roles: string[]; manages: boolean }>();
      for (const row of rows) {
        const entry = byOrg.get(row.organisationId) ?? {
          id: row.organisationId,
          name: row.organisationName,
          roles: [],
          manages: can(user, 'organisation.viewMembers', { organisationId: row.organisationId }),
        };
        entry.roles.push(row.role);
        byOrg.set(row.organisationId, entry);
      }
      return [...byOrg.values()];
    },

    /** Invites someone by email to hold a role in the organisation. Returns false if the role is not offered. */
    async invite(
      actor: Actor,
      user: CurrentUser,
      organisationId: string,
      input: InviteInput,
    ): Promise<boolean> {
      const organisation = await organisationFor(user, organisationId);
      if (!invitableRoles(user, organisationId, organisation.kind).includes(input.role)) return false;
      const token = randomToken();
      await db.transaction(async () => {
        const now = clock.now();
        const invitation = await repo.insertInvitation({
          email: input.email,
          organisationId,
          role: input.role,
          tokenHash: sha256(token),
          invitedBy: user.id,
          expiresAt: new Date(now.getTime() + INVITATION_DAYS * 86_400_000),
        });
        await outbox.queue({
          to: input.email,
          template: 'invitation',
          params: {
            inviter: user.displayName,
            organisation: organisation.name,
            role: translator('en')(`accounts.roles.${input.role}`),
            link: `${config.BASE_URL}${accountPaths.invitation({ token })}`,
            days: INVITATION_DAYS,
          },
        });
        await audit.record(actor, {
          action: 'invitation.created',
          entityType: 'invitation',
          entityId: invitation.id,
          details: { organisationId, role: input.role },
        });
      });
      await deps.emailsQueued();
      return true;
    },

    async revokeInvitation(actor: Actor, user: CurrentUser, organisationId: string, invitationId: string) {
      const invitation = await repo.findInvitation(invitationId);
      if (!invitation || invitation.organisationId !== organisationId) throw new NotFoundError();
      if (!can(user, 'organisation.invite', { organisationId, role: invitation.role }))
        throw new ForbiddenError();
      await db.transaction(async () => {
        await repo.revokeInvitation(invitationId);
        await audit.record(actor, {
          action: 'invitation.revoked',
          entityType: 'invitation',
          entityId: invitationId,
          details: { organisationId },
        });
      });
    },

    /** Removes one role from a member of the organisation. */
    async removeMember(actor: Actor, user: CurrentUser, organisationId: string, membershipId: string) {
      const membership = await repo.findMembership(membershipId);
      if (!membership || membership.organisationId !== organisationId) throw new NotFoundError();
      if (!can(user, 'organisation.removeMember', { organisationId, role: membership.role }))
        throw new ForbiddenError();
      await db.transaction(async () => {
        await repo.deleteMembership(membershipId);
        await audit.record(actor, {
          action: 'membership.removed',
          entityType: 'user',
          entityId: membership.userId,
          details: { organisationId, role: membership.role },
        });
      });
      return membership;
    },

    /** An invitation from its link, if it can still be accepted. */
    async findInvitation(token: string): Promise<InvitationView> {
      if (token.length > 100) return { kind: 'invalid' };
      const invitation = await repo.findInvitationByTokenHash(sha256(token));
      const now = clock.now();
      if (!invitation || invitation.revoked || invitation.acceptedAt || invitation.expiresAt <= now)
        return { kind: 'invalid' };
      const organisation = await repo.findOrganisation(invitation.organisationId);
      if (!organisation) return { kind: 'invalid' };
      return { kind: 'open', invitation, organisation };
    },

    /** Accepts an invitation as the signed-in person: single use, address must match. */
    async acceptInvitation(
      actor: Actor,
      user: CurrentUser,
      token: string,
    ): Promise<'accepted' | 'invalid' | 'wrongAccount'> {
      const found = await this.findInvitation(token);
      if (found.kind === 'invalid') return 'invalid';
      if (found.invitation.email.toLowerCase() !== user.email.toLowerCase()) return 'wrongAccount';
      return db.transaction(async () => {
        const now = clock.now();
        if (!(await repo.acceptInvitation(found.invitation.id, now))) return 'invalid' as const;
        await repo.addMembership(user.id, found.invitation.organisationId, found.invitation.role);
        if (!user.emailVerified) await repo.updateUser(user.id, { emailVerifiedAt: now });
        await audit.record(actor, {
          action: 'invitation.accepted',
          entityType: 'invitation',
          entityId: found.invitation.id,
          details: { organisationId: found.invitation.organisationId, role: found.invitation.role },
        });
        return 'accepted' as const;
      });
    },
  };
}
export type MembershipsService = ReturnType<typeof createMembershipsService>;
