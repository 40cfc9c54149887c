/**
 * Accounts: registration, email verification, sign-in with lockout, the TOTP second factor and recovery
 * codes, password change and reset, sign out everywhere, and accounts created by tools (CLI, demo data,
 * OpenID Connect).
 *
 * Rules that are easy to get wrong, and where they come from:
 * - Nothing reveals whether an email address has an account (OWASP Authentication Cheat Sheet): registering
 *   a known address emails its owner instead; "forgot password" says "check your email" either way; an
 *   unknown address is checked against a dummy hash so the response takes as long as for a real one.
 * - Lockout with back-off (NCSC password guidance: "throttle or lock out"): 5 failures lock the account for
 *   1 minute, each further failure doubles it, up to 1 hour; success resets the count. Attempts while locked
 *   are not checked at all, so the message never says whether the password was right.
 * - Single-use, expiring links: verification 24 hours, password reset 1 hour; only SHA-256 hashes are stored,
 *   a new reset link or a password change invalidates older ones, and a reset ends every session.
 * - Staff roles (roles.ts) need a second factor (NCSC: MFA for privileged accounts): TOTP with one step of
 *   drift either side, each step accepted once, and 10 single-use recovery codes shown once.
 *
 * Decision on unverified addresses: a person can sign in before confirming their email (so a lost email does
 * not lock them out) but sees a banner and cannot act for any organisation (accounts.policy.ts). Accepting an
 * invitation sent to their address confirms it, because the link reached that inbox.
 */
import { randomBytes } from 'node:crypto';
import type { Config } from '../../config.ts';
import type { AuditLog, Actor } from '../../platform/audit/audit.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Database } from '../../platform/db/database.ts';
import type { Outbox } from '../../platform/email/outbox.ts';
import type { SecretBox } from '../../platform/auth/secret-box.ts';
import type { SessionService } from '../../platform/auth/sessions.ts';
import type { SessionsRepository } from '../../platform/auth/sessions.repository.ts';
import { isStaff, type CurrentUser, type Role } from '../../platform/auth/roles.ts';
import { dummyPasswordHash, hashPassword, verifyPassword } from '../../platform/auth/passwords.ts';
import { base32Encode, generateTotpSecret, otpauthUrl, verifyTotp } from '../../platform/auth/totp.ts';
import { randomToken, sha256 } from '../../platform/auth/tokens.ts';
import { accountPaths } from './accounts.paths.ts';
import type { AccountsRepository, UserRow } from './accounts.repository.ts';
import type { ExternalIdentity } from './accounts.oidc.ts';
import type { RegisterInput, SignInInput } from './accounts.schema.ts';

export const VERIFY_EMAIL_HOURS = 24;
export const RESET_PASSWORD_MINUTES = 60;
/** NCSC: lock out after a small number of failures; 5 leaves room for typing mistakes. */
export const LOCKOUT_THRESHOLD = 5;
export const LOCKOUT_MAX_MINUTES = 60;
export const RECOVERY_CODE_COUNT = 10;

/** Minutes an account is locked for after `failures` consecutive failures (0 below the threshold). */
export function lockoutMinutes(failures: number): number {
  if (failures < LOCKOUT_THRESHOLD) return 0;
  return Math.min(LOCKOUT_MAX_MINUTES, 2 ** (failures - LOCKOUT_THRESHOLD));
}

export interface AccountsServiceDeps {
  config: Config;
  clock: Clock;
  db: Database;
  audit: AuditLog;
  outbox: Outbox;
  sessions: SessionService;
  sessionsRepository: SessionsRepository;
  secretBox: SecretBox;
  repo: AccountsRepository;
  emailsQueued: () => Promise<unknown>;
}

export type SignInResult =
  | { kind: 'signedIn'; sessionToken: string; next: 'done' | 'second_factor' | 'second_factor_setup' }
  | { kind: 'invalid' }
  | { kind: 'locked'; minutes: number }
  | { kind: 'disabled' };

export type SecondFactorResult =
  | { kind: 'passed'; sessionToken: string; usedRecoveryCode: boolean }
  | { kind: 'invalid' }
  | { kind: 'locked'; minutes: number };

export interface NewAccount {
  email: string;
  displayName: string;
  password?: string;
  /** Already-hashed password (tools that hashed it once for many accounts). */
  passwordHash?: string;
  emailVerified?: boolean;
  /** A base32 TOTP secret to enable at once (demo accounts, create-admin). */
  totpSecret?: string;
  roles?: { role: Role; organisationId: string }[];
}

/** "abcde-fghij": 50 random bits, easy to read out and type. */
function newRecoveryCode(): string {
  const raw = base32Encode(randomBytes(7)).slice(0, 10).toLowerCase();
  return `${raw.slice(0, 5)}-${raw.slice(5)}`;
}

export function normaliseRecoveryCode(code: string): string {
  return code.replace(/[\s-]/g, '').toLowerCase();
}

export function createAccountsService(deps: AccountsServiceDeps) {
  const { clock, db, audit, outbox, sessions, repo, config } = deps;
  const link = (path: string) => `${config.BASE_URL}${path}`;
  const minutesUntil = (date: Date) =>
    Math.max(1, Math.ceil((date.getTime() - clock.now().getTime()) / 60_000));

  async function issueVerification(user: Pick<UserRow, 'id' | 'email' | 'displayName'>, returnTo?: string) {
    const token = randomToken();
    const now = clock.now();
    await repo.invalidateEmailTokens(user.id, 'verify_email', now);
    await repo.insertEmailToken({
      purpose: 'verify_email',
      tokenHash: sha256(token),
      userId: user.id,
      email: user.email,
      expiresAt: new Date(now.getTime() + VERIFY_EMAIL_HOURS * 3_600_000),
    });
    await outbox.queue({
      to: user.email,
      template: 'verifyEmail',
      params: {
        name: user.displayName,
        link: link(accountPaths.verifyEmail({ token }, { returnTo })),
        hours: VERIFY_EMAIL_HOURS,
      },
    });
  }

  /** Counts a failure and locks the account when the threshold is reached; audited. */
  async function recordFailure(actor: Actor, user: UserRow, factor: 'password' | 'second_factor') {
    return db.transaction(async () => {
      const failures = await repo.incrementFailures(user.id);
      const minutes = lockoutMinutes(failures);
      if (minutes === 0) return null;
      const lockedUntil = new Date(clock.now().getTime() + minutes * 60_000);
      await repo.updateUser(user.id, { lockedUntil });
      await audit.record(actor, {
        action: 'account.locked',
        entityType: 'user',
        entityId: user.id,
        details: { failures, minutes, factor },
      });
      return minutes;
    });
  }

  async function needsOf(userId: string): Promise<'done' | 'second_factor' | 'second_factor_setup'> {
    const current = await deps.sessionsRepository.loadUser(userId);
    if (!current) return 'done';
    if (current.totpEnabled) return 'second_factor';
    return isStaff(current) ? 'second_factor_setup' : 'done';
  }

  async function createRecoveryCodes(userId: string): Promise<string[]> {
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
    await repo.replaceRecoveryCodes(
      userId,
      codes.map((c) => sha256(normaliseRecoveryCode(c))),
    );
    return codes;
  }

  const service = {
    /**
     * Registers a person, or, when the address already has an account, emails its owner instead. The caller
     * shows "check your email" either way, so the page reveals nothing.
     */
    async register(actor: Actor, input: RegisterInput): Promise<void> {
      // Hash first, whatever happens, so both outcomes take the same time.
      const passwordHash = await hashPassword(input.password);
      await db.transaction(async () => {
        const existing = await repo.findUserByEmail(input.email);
        if (existing) {
          await outbox.queue({
            to: existing.email,
            template: 'alreadyRegistered',
            params: {
              name: existing.displayName,
              signInLink: link(accountPaths.signIn()),
              resetLink: link(accountPaths.forgotPassword()),
            },
          });
          return;
        }
        const user = await repo.insertUser({ email: input.email, displayName: input.name, passwordHash });
        await audit.record(
          { ...actor, userId: user.id },
          { action: 'account.registered', entityType: 'user', entityId: user.id },
        );
        await issueVerification(user, input.returnTo);
      });
      await deps.emailsQueued();
    },

    /** Confirms an email address from the emailed link. Single use; 24 hours. */
    async verifyEmail(actor: Actor, token: string): Promise<'verified' | 'invalid'> {
      const result = await db.transaction(async () => {
        const row = await repo.findLiveEmailToken('verify_email', sha256(token), clock.now());
        if (!row || !row.userId || !(await repo.useEmailToken(row.id, clock.now()))) return 'invalid';
        const user = await repo.findUserById(row.userId);
        if (!user || user.email.toLowerCase() !== row.email.toLowerCase()) return 'invalid';
        if (!user.emailVerifiedAt) await repo.updateUser(user.id, { emailVerifiedAt: clock.now() });
        await audit.record(actor, {
          action: 'account.email_verified',
          entityType: 'user',
          entityId: user.id,
        });
        return 'verified';
      });
      return result;
    },

    /** Sends a new verification link (the old one stops working). */
    async resendVerification(actor: Actor, user: CurrentUser): Promise<void> {
      if (user.emailVerified) return;
      await db.transaction(async () => {
        const row = await repo.findUserById(user.id);
        if (!row) return;
        await issueVerification(row);
        await audit.record(actor, {
          action: 'account.verification_resent',
          entityType: 'user',
          entityId: user.id,
        });
      });
      await deps.emailsQueued();
    },

    /**
     * Checks an email and password. The same `invalid` answer for an unknown address and a wrong password;
     * a locked account is not checked at all.
     */
    async signIn(actor: Actor, input: SignInInput, userAgent?: string): Promise<SignInResult> {
      const user = await repo.findUserByEmail(input.email);
      if (!user || !user.passwordHash) {
        await verifyPassword(await dummyPasswordHash(), input.password);
        return { kind: 'invalid' };
      }
      const now = clock.now();
      if (user.lockedUntil && user.lockedUntil > now) {
        await verifyPassword(await dummyPasswordHash(), input.password);
        return { kind: 'locked', minutes: minutesUntil(user.lockedUntil) };
      }
      if (!(await verifyPassword(user.passwordHash, input.password))) {
        const minutes = await recordFailure(actor, user, 'password');
        return minutes ? { kind: 'locked', minutes } : { kind: 'invalid' };
      }
      if (user.disabledAt) return { kind: 'disabled' };
      return service.startSession(actor, user.id, 'password', userAgent);
    },

    /** Starts a new session (rotation) after a first factor; resets the failure count. */
    async startSession(
      actor: Actor,
      userId: string,
      method: 'password' | 'oidc',
      userAgent?: string,
    ): Promise<SignInResult & { kind: 'signedIn' }> {
      return db.transaction(async () => {
        await repo.updateUser(userId, { failedSignIns: 0, lockedUntil: null });
        const sessionToken = await sessions.start(userId, { secondFactorDone: false, userAgent });
        await audit.record(
          { ...actor, userId },
          { action: 'account.signed_in', entityType: 'user', entityId: userId, details: { method } },
        );
        return { kind: 'signedIn' as const, sessionToken, next: await needsOf(userId) };
      });
    },

    /**
     * Signs in with an identity vouched for by the OpenID Connect provider: the linked account, else the
     * account with the same address when the provider has verified it (then linked), else a new account.
     */
    async signInWithExternalIdentity(
      actor: Actor,
      identity: ExternalIdentity,
      userAgent?: string,
    ): Promise<SignInResult | { kind: 'emailNotVerified' }> {
      const linked = await repo.findExternalIdentity(identity.issuer, identity.subject);
      let user = linked ? await repo.findUserById(linked.userId) : undefined;
      if (!user) {
        // Linking by address is safe only when the provider has checked the address.
        if (!identity.email || !identity.emailVerified) return { kind: 'emailNotVerified' };
        const email = identity.email;
        user = await db.transaction(async () => {
          const existing =
            (await repo.findUserByEmail(email)) ??
            (await service.createAccount(actor, {
              email,
              displayName: identity.name ?? email.split('@')[0]!,
              emailVerified: true,
            }));
          await repo.insertExternalIdentity(existing.id, identity.issuer, identity.subject);
          if (!existing.emailVerifiedAt) await repo.updateUser(existing.id, { emailVerifiedAt: clock.now() });
          await audit.record(actor, {
            action: 'account.external_identity_linked',
            entityType: 'user',
            entityId: existing.id,
            details: { issuer: identity.issuer },
          });
          return existing;
        });
      }
      if (user.disabledAt) return { kind: 'disabled' };
      return service.startSession(actor, user.id, 'oidc', userAgent);
    },

    /**
     * The second step of sign-in: a TOTP code (±1 step, each step once) or an unused recovery code. Failures
     * count towards the same lockout as passwords. On success the session gets a new id.
     */
    async passSecondFactor(
      actor: Actor,
      session: { idHash: string; userId: string },
      code: string,
      userAgent?: string,
    ): Promise<SecondFactorResult> {
      const user = await repo.findUserById(session.userId);
      if (!user || !user.totpSecret || !user.totpEnabledAt) return { kind: 'invalid' };
      const now = clock.now();
      if (user.lockedUntil && user.lockedUntil > now)
        return { kind: 'locked', minutes: minutesUntil(user.lockedUntil) };
      const passed = await db.transaction(async () => {
        if (/^\d{6}$/.test(code)) {
          const step = verifyTotp(deps.secretBox.open(user.totpSecret!), code, now, user.totpLastStep);
          return step !== null && (await repo.claimTotpStep(user.id, step)) ? 'totp' : null;
        }
        const used = await repo.useRecoveryCode(user.id, sha256(normaliseRecoveryCode(code)), now);
        return used ? 'recovery_code' : null;
      });
      if (!passed) {
        const minutes = await recordFailure(actor, user, 'second_factor');
        return minutes ? { kind: 'locked', minutes } : { kind: 'invalid' };
      }
      return db.transaction(async () => {
        await repo.updateUser(user.id, { failedSignIns: 0, lockedUntil: null });
        const sessionToken = await sessions.elevate(session.idHash, user.id, userAgent);
        await audit.record(
          { ...actor, userId: user.id },
          {
            action: 'account.second_factor_passed',
            entityType: 'user',
            entityId: user.id,
            details: { method: passed },
          },
        );
        return { kind: 'passed' as const, sessionToken, usedRecoveryCode: passed === 'recovery_code' };
      });
    },

    /** The secret to show on the set-up page: created (sealed) on first visit, kept until confirmed. */
    async beginTotpSetUp(userId: string): Promise<{ secret: string; otpauth: string } | null> {
      const user = await repo.findUserById(userId);
      if (!user || user.totpEnabledAt) return null;
      let secret = user.totpSecret ? deps.secretBox.open(user.totpSecret) : null;
      if (!secret) {
        secret = generateTotpSecret();
        await repo.updateUser(userId, { totpSecret: deps.secretBox.seal(secret), totpLastStep: null });
      }
      return { secret, otpauth: otpauthUrl(secret, user.email, config.SERVICE_NAME) };
    },

    /** Confirms set-up with a code from the app; returns the new session and the recovery codes (shown once). */
    async confirmTotpSetUp(
      actor: Actor,
      session: { idHash: string; userId: string },
      code: string,
      userAgent?: string,
    ): Promise<{ sessionToken: string; recoveryCodes: string[] } | null> {
      const user = await repo.findUserById(session.userId);
      if (!user || !user.totpSecret || user.totpEnabledAt) return null;
      const step = verifyTotp(deps.secretBox.open(user.totpSecret), code, clock.now(), user.totpLastStep);
      if (step === null) return null;
      return db.transaction(async () => {
        await repo.updateUser(user.id, { totpEnabledAt: clock.now(), totpLastStep: step });
        const recoveryCodes = await createRecoveryCodes(user.id);
        const sessionToken = await sessions.elevate(session.idHash, user.id, userAgent);
        await audit.record(
          { ...actor, userId: user.id },
          { action: 'account.two_factor_enabled', entityType: 'user', entityId: user.id },
        );
        return { sessionToken, recoveryCodes };
      });
    },

    /** New recovery codes; the old ones stop working. */
    async regenerateRecoveryCodes(actor: Actor, user: CurrentUser): Promise<string[] | null> {
      if (!user.totpEnabled) return null;
      return db.transaction(async () => {
        const codes = await createRecoveryCodes(user.id);
        await audit.record(actor, {
          action: 'account.recovery_codes_regenerated',
          entityType: 'user',
          entityId: user.id,
        });
        return codes;
      });
    },

    async signOut(actor: Actor, idHash: string, userId: string) {
      await db.transaction(async () => {
        await sessions.end(idHash);
        await audit.record(actor, { action: 'account.signed_out', entityType: 'user', entityId: userId });
      });
    },

    /** Ends every session of the person, this one included. */
    async signOutEverywhere(actor: Actor, userId: string): Promise<number> {
      return db.transaction(async () => {
        const ended = await sessions.endAllFor(userId);
        await audit.record(actor, {
          action: 'account.signed_out_everywhere',
          entityType: 'user',
          entityId: userId,
          details: { sessions: ended },
        });
        return ended;
      });
    },

    /** Changes the password after checking the current one; other sessions end, reset links stop working. */
    async changePassword(
      actor: Actor,
      user: CurrentUser,
      currentIdHash: string,
      currentPassword: string,
      newPassword: string,
    ): Promise<'changed' | 'wrongCurrent'> {
      const row = await repo.findUserById(user.id);
      if (!row?.passwordHash || !(await verifyPassword(row.passwordHash, currentPassword)))
        return 'wrongCurrent';
      const passwordHash = await hashPassword(newPassword);
      await db.transaction(async () => {
        await repo.updateUser(user.id, { passwordHash });
        await repo.invalidateEmailTokens(user.id, 'reset_password', clock.now());
        await sessions.endAllFor(user.id, currentIdHash);
        await outbox.queue({ to: row.email, template: 'passwordChanged', params: { name: row.displayName } });
        await audit.record(actor, {
          action: 'account.password_changed',
          entityType: 'user',
          entityId: user.id,
        });
      });
      await deps.emailsQueued();
      return 'changed';
    },

    /** Emails a reset link when the address has an account; says nothing either way. */
    async requestPasswordReset(actor: Actor, email: string): Promise<void> {
      await db.transaction(async () => {
        const user = await repo.findUserByEmail(email);
        if (!user || user.disabledAt) return;
        const token = randomToken();
        const now = clock.now();
        // A new link replaces any earlier one: only the latest email works.
        await repo.invalidateEmailTokens(user.id, 'reset_password', now);
        await repo.insertEmailToken({
          purpose: 'reset_password',
          tokenHash: sha256(token),
          userId: user.id,
          email: user.email,
          expiresAt: new Date(now.getTime() + RESET_PASSWORD_MINUTES * 60_000),
        });
        await outbox.queue({
          to: user.email,
          template: 'resetPassword',
          params: {
            name: user.displayName,
            link: link(accountPaths.resetPassword({ token })),
            minutes: RESET_PASSWORD_MINUTES,
          },
        });
        await audit.record(actor, {
          action: 'account.password_reset_requested',
          entityType: 'user',
          entityId: user.id,
        });
      });
      await deps.emailsQueued();
    },

    async isResetTokenLive(token: string): Promise<boolean> {
      return Boolean(await repo.findLiveEmailToken('reset_password', sha256(token), clock.now()));
    },

    /**
     * Sets a new password from a reset link: the link is used up, every session ends, the lockout is cleared
     * and the address counts as confirmed (the link reached it).
     */
    async resetPassword(actor: Actor, token: string, newPassword: string): Promise<'reset' | 'invalid'> {
      const passwordHash = await hashPassword(newPassword);
      const result = await db.transaction(async () => {
        const now = clock.now();
        const row = await repo.findLiveEmailToken('reset_password', sha256(token), now);
        if (!row?.userId || !(await repo.useEmailToken(row.id, now))) return 'invalid' as const;
        const user = await repo.findUserById(row.userId);
        if (!user || user.disabledAt) return 'invalid' as const;
        await repo.updateUser(user.id, {
          passwordHash,
          failedSignIns: 0,
          lockedUntil: null,
          emailVerifiedAt: user.emailVerifiedAt ?? now,
        });
        await repo.invalidateEmailTokens(user.id, 'reset_password', now);
        await sessions.endAllFor(user.id);
        await outbox.queue({
          to: user.email,
          template: 'passwordChanged',
          params: { name: user.displayName },
        });
        await audit.record(
          { ...actor, userId: user.id },
          { action: 'account.password_reset', entityType: 'user', entityId: user.id },
        );
        return 'reset' as const;
      });
      if (result === 'reset') await deps.emailsQueued();
      return result;
    },

    /** What the account page shows. */
    async accountSummary(user: CurrentUser) {
      return {
        liveSessions: await deps.sessionsRepository.countLive(user.id, clock.now()),
        recoveryCodesLeft: user.totpEnabled ? await repo.countUnusedRecoveryCodes(user.id) : 0,
        staff: isStaff(user),
      };
    },

    /**
     * Creates an account directly (CLI, demo data, tests, OpenID Connect). Throws when the address is taken.
     */
    async createAccount(actor: Actor, input: NewAccount): Promise<UserRow> {
      const passwordHash = input.passwordHash ?? (input.password ? await hashPassword(input.password) : null);
      return db.transaction(async () => {
        const now = clock.now();
        const user = await repo.insertUser({
          email: input.email.toLowerCase(),
          displayName: input.displayName,
          passwordHash,
          emailVerifiedAt: input.emailVerified ? now : null,
          totpSecret: input.totpSecret ? deps.secretBox.seal(input.totpSecret) : null,
          totpEnabledAt: input.totpSecret ? now : null,
        });
        for (const { role, organisationId } of input.roles ?? [])
          await repo.addMembership(user.id, organisationId, role);
        await audit.record(actor, {
          action: 'account.created',
          entityType: 'user',
          entityId: user.id,
          details: { roles: (input.roles ?? []).map((r) => r.role) },
        });
        return user;
      });
    },
  };
  return service;
}
export type AccountsService = ReturnType<typeof createAccountsService>;
