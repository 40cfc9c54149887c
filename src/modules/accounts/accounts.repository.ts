/** SQL for people, email tokens, recovery codes, memberships, invitations and external identities. */
import { and, asc, count, desc, eq, gt, ilike, inArray, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../../platform/db/database.ts';
import { organisations, type OrganisationKind } from '../directory/directory.tables.ts';
import {
  emailTokens,
  externalIdentities,
  invitations,
  memberships,
  recoveryCodes,
  users,
  type EmailTokenPurpose,
  type Role,
} from './accounts.tables.ts';

export type UserRow = typeof users.$inferSelect;
export type OrganisationRow = typeof organisations.$inferSelect;
export type InvitationRow = typeof invitations.$inferSelect;

export interface MemberRow {
  membershipId: string;
  userId: string;
  displayName: string;
  email: string;
  role: Role;
  since: Date;
}

export interface UserMembershipRow {
  membershipId: string;
  organisationId: string;
  organisationName: string;
  organisationKind: OrganisationKind;
  role: Role;
}

export function createAccountsRepository(db: Database) {
  return {
    async findUserByEmail(email: string): Promise<UserRow | undefined> {
      const [row] = await db
        .get()
        .select()
        .from(users)
        .where(sql`lower(${users.email}) = ${email.toLowerCase()}`);
      return row;
    },
    async findUserById(userId: string): Promise<UserRow | undefined> {
      const [row] = await db.get().select().from(users).where(eq(users.id, userId));
      return row;
    },
    async insertUser(values: typeof users.$inferInsert): Promise<UserRow> {
      const [row] = await db.get().insert(users).values(values).returning();
      return row!;
    },
    async updateUser(userId: string, values: Partial<typeof users.$inferInsert>) {
      await db.get().update(users).set(values).where(eq(users.id, userId));
    },
    /** Counts a failed attempt (password or second factor) and returns the new total. */
    async incrementFailures(userId: string): Promise<number> {
      const [row] = await db
        .get()
        .update(users)
        .set({ failedSignIns: sql`${users.failedSignIns} + 1` })
        .where(eq(users.id, userId))
        .returning({ n: users.failedSignIns });
      return row?.n ?? 0;
    },
    /** Records a TOTP step as used, only when it is later than the last one: two requests cannot both win. */
    async claimTotpStep(userId: string, step: number): Promise<boolean> {
      const rows = await db
        .get()
        .update(users)
        .set({ totpLastStep: step })
        .where(and(eq(users.id, userId), or(isNull(users.totpLastStep), lt(users.totpLastStep, step))))
        .returning({ id: users.id });
      return rows.length === 1;
    },

    // Email tokens (verification, password reset): only the SHA-256 of the token is stored.
    async insertEmailToken(values: typeof emailTokens.$inferInsert) {
      await db.get().insert(emailTokens).values(values);
    },
    async findLiveEmailToken(purpose: EmailTokenPurpose, tokenHash: string, now: Date) {
      const [row] = await db
        .get()
        .select()
        .from(emailTokens)
        .where(
          and(
            eq(emailTokens.purpose, purpose),
            eq(emailTokens.tokenHash, tokenHash),
            isNull(emailTokens.usedAt),
            gt(emailTokens.expiresAt, now),
          ),
        );
      return row;
    },
    /** Marks a token used; false when another request used it first. */
    async useEmailToken(id: string, now: Date): Promise<boolean> {
      const rows = await db
        .get()
        .update(emailTokens)
        .set({ usedAt: now })
        .where(and(eq(emailTokens.id, id), isNull(emailTokens.usedAt)))
        .returning({ id: emailTokens.id });
      return rows.length === 1;
    },
    /** Invalidates every unused token of a purpose for a person (a newer one was issued, or it is moot). */
    async invalidateEmailTokens(userId: string, purpose: EmailTokenPurpose, now: Date) {
      await db
        .get()
        .update(emailTokens)
        .set({ usedAt: now })
        .where(
          and(eq(emailTokens.userId, userId), eq(emailTokens.purpose, purpose), isNull(emailTokens.usedAt)),
        );
    },

    // Recovery codes: SHA-256 hashes, each usable once.
    async replaceRecoveryCodes(userId: string, codeHashes: string[]) {
      await db.get().delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
      if (codeHashes.length > 0)
        await db
          .get()
          .insert(recoveryCodes)
          .values(codeHashes.map((codeHash) => ({ userId, codeHash })));
    },
    async useRecoveryCode(userId: string, codeHash: string, now: Date): Promise<boolean> {
      const rows = await db
        .get()
        .update(recoveryCodes)
        .set({ usedAt: now })
        .where(
          and(
            eq(recoveryCodes.userId, userId),
            eq(recoveryCodes.codeHash, codeHash),
            isNull(recoveryCodes.usedAt),
          ),
        )
        .returning({ id: recoveryCodes.id });
      return rows.length === 1;
    },
    async countUnusedRecoveryCodes(userId: string): Promise<number> {
      const [row] = await db
        .get()
        .select({ n: count() })
        .from(recoveryCodes)
        .where(and(eq(recoveryCodes.userId, userId), isNull(recoveryCodes.usedAt)));
      return row?.n ?? 0;
    },

    // Organisations and memberships.
    async findOrganisation(organisationId: string): Promise<OrganisationRow | undefined> {
      if (!isUuid(organisationId)) return undefined;
      const [row] = await db.get().select().from(organisations).where(eq(organisations.id, organisationId));
      return row;
    },
    async findOrganisationBySlug(slug: string): Promise<OrganisationRow | undefined> {
      const [row] = await db.get().select().from(organisations).where(eq(organisations.slug, slug));
      return row;
    },
    async findOrganisationsByKind(kind: OrganisationKind): Promise<OrganisationRow[]> {
      return db
        .get()
        .select()
        .from(organisations)
        .where(eq(organisations.kind, kind))
        .orderBy(organisations.name);
    },
    async listOrganisations(): Promise<OrganisationRow[]> {
      return db.get().select().from(organisations).orderBy(asc(organisations.name));
    },
    async insertOrganisation(values: typeof organisations.$inferInsert): Promise<OrganisationRow> {
      const [row] = await db.get().insert(organisations).values(values).returning();
      return row!;
    },
    /** Adds a role; returns false when the person already holds it there. */
    async addMembership(userId: string, organisationId: string, role: Role): Promise<boolean> {
      const rows = await db
        .get()
        .insert(memberships)
        .values({ userId, organisationId, role })
        .onConflictDoNothing()
        .returning({ id: memberships.id });
      return rows.length === 1;
    },
    async findMembership(membershipId: string) {
      if (!isUuid(membershipId)) return undefined;
      const [row] = await db.get().select().from(memberships).where(eq(memberships.id, membershipId));
      return row;
    },
    async deleteMembership(membershipId: string) {
      await db.get().delete(memberships).where(eq(memberships.id, membershipId));
    },
    async listMembers(organisationId: string): Promise<MemberRow[]> {
      return db
        .get()
        .select({
          membershipId: memberships.id,
          userId: users.id,
          displayName: users.displayName,
          email: users.email,
          role: memberships.role,
          since: memberships.createdAt,
        })
        .from(memberships)
        .innerJoin(users, eq(users.id, memberships.userId))
        .where(eq(memberships.organisationId, organisationId))
        .orderBy(users.displayName, memberships.role);
    },
    async listUserMemberships(userId: string): Promise<UserMembershipRow[]> {
      // One query for one person or many: the list below.
      const rows = await this.membershipsOf([userId]);
      return rows.map(({ userId: _userId, ...row }) => row);
    },

    // Invitations.
    async insertInvitation(values: typeof invitations.$inferInsert): Promise<InvitationRow> {
      const [row] = await db.get().insert(invitations).values(values).returning();
      return row!;
    },
    async findInvitationByTokenHash(tokenHash: string): Promise<InvitationRow | undefined> {
      const [row] = await db.get().select().from(invitations).where(eq(invitations.tokenHash, tokenHash));
      return row;
    },
    async findInvitation(invitationId: string): Promise<InvitationRow | undefined> {
      if (!isUuid(invitationId)) return undefined;
      const [row] = await db.get().select().from(invitations).where(eq(invitations.id, invitationId));
      return row;
    },
    /** Marks an invitation accepted; false when it was accepted, revoked or expired meanwhile. */
    async acceptInvitation(invitationId: string, now: Date): Promise<boolean> {
      const rows = await db
        .get()
        .update(invitations)
        .set({ acceptedAt: now })
        .where(
          and(
            eq(invitations.id, invitationId),
            isNull(invitations.acceptedAt),
            eq(invitations.revoked, false),
            gt(invitations.expiresAt, now),
          ),
        )
        .returning({ id: invitations.id });
      return rows.length === 1;
    },
    async revokeInvitation(invitationId: string) {
      await db.get().update(invitations).set({ revoked: true }).where(eq(invitations.id, invitationId));
    },
    async listOpenInvitations(organisationId: string, now: Date): Promise<InvitationRow[]> {
      return db
        .get()
        .select()
        .from(invitations)
        .where(
          and(
            eq(invitations.organisationId, organisationId),
            isNull(invitations.acceptedAt),
            eq(invitations.revoked, false),
            gt(invitations.expiresAt, now),
          ),
        )
        .orderBy(desc(invitations.createdAt));
    },

    // External identities (OpenID Connect).
    async findExternalIdentity(issuer: string, subject: string) {
      const [row] = await db
        .get()
        .select()
        .from(externalIdentities)
        .where(and(eq(externalIdentities.issuer, issuer), eq(externalIdentities.subject, subject)));
      return row;
    },
    async insertExternalIdentity(userId: string, issuer: string, subject: string) {
      await db.get().insert(externalIdentities).values({ userId, issuer, subject });
    },

    // Administration.
    async searchUsers(query: string, limit: number, offset: number) {
      const where = userSearch(query);
      const rows = await db
        .get()
        .select()
        .from(users)
        .where(where)
        .orderBy(users.displayName, users.email)
        .limit(limit)
        .offset(offset);
      const [total] = await db.get().select({ n: count() }).from(users).where(where);
      return { rows, total: total?.n ?? 0 };
    },
    /** Roles of many people at once, for lists. */
    async membershipsOf(userIds: string[]): Promise<(UserMembershipRow & { userId: string })[]> {
      if (userIds.length === 0) return [];
      return db
        .get()
        .select({
          userId: memberships.userId,
          membershipId: memberships.id,
          organisationId: organisations.id,
          organisationName: organisations.name,
          organisationKind: organisations.kind,
          role: memberships.role,
        })
        .from(memberships)
        .innerJoin(organisations, eq(organisations.id, memberships.organisationId))
        .where(inArray(memberships.userId, userIds))
        .orderBy(organisations.name, memberships.role);
    },
    async listUsersWithRole(role?: Role): Promise<UserRow[]> {
      if (!role) return db.get().select().from(users).orderBy(users.email);
      return db
        .get()
        .selectDistinct({ user: users })
        .from(users)
        .innerJoin(memberships, eq(memberships.userId, users.id))
        .where(eq(memberships.role, role))
        .orderBy(users.email)
        .then((rows) => rows.map((r) => r.user));
    },
  };
}
export type AccountsRepository = ReturnType<typeof createAccountsRepository>;

/** Ids come from URLs: anything that is not a UUID cannot match, and must not reach PostgreSQL as one. */
export function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}

function userSearch(query: string): SQL | undefined {
  const q = query.trim();
  if (!q) return undefined;
  // Escape LIKE wildcards so a search for "a_b" means exactly that.
  const pattern = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return or(ilike(users.displayName, pattern), ilike(users.email, pattern));
}
