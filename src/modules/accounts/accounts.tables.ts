/**
 * People, their sign-in secrets, sessions and organisation roles.
 *
 * Secrets are never stored in a form that can be replayed: passwords as argon2id hashes; session ids, email
 * tokens and recovery codes as SHA-256 hashes of high-entropy random values.
 */
import { sql } from 'drizzle-orm';
import { boolean, index, integer, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, tstz } from '../../platform/db/columns.ts';
import { organisations } from '../directory/directory.tables.ts';

export const roles = [
  'cso_member',
  'cso_admin',
  'intermediary',
  'body_officer',
  'body_lead',
  'panel_member',
  'admin',
] as const;
export type Role = (typeof roles)[number];

export const users = pgTable(
  'users',
  {
    id: id(),
    email: text('email').notNull(),
    displayName: text('display_name').notNull(),
    passwordHash: text('password_hash'),
    emailVerifiedAt: tstz('email_verified_at'),
    /** TOTP secret, encrypted with the service key (AES-256-GCM); null until set up. */
    totpSecret: text('totp_secret'),
    totpEnabledAt: tstz('totp_enabled_at'),
    /** The last TOTP time step accepted: a code from that step or earlier is a replay. */
    totpLastStep: integer('totp_last_step'),
    failedSignIns: integer('failed_sign_ins').notNull().default(0),
    lockedUntil: tstz('locked_until'),
    disabledAt: tstz('disabled_at'),
    locale: text('locale').notNull().default('en'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('users_email_idx').on(sql`lower(${t.email})`)],
);

export const recoveryCodes = pgTable(
  'recovery_codes',
  {
    id: id(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    codeHash: text('code_hash').notNull(),
    usedAt: tstz('used_at'),
    createdAt: createdAt(),
  },
  (t) => [index('recovery_codes_user_idx').on(t.userId)],
);

export const externalIdentities = pgTable(
  'external_identities',
  {
    id: id(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    issuer: text('issuer').notNull(),
    subject: text('subject').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('external_identities_subject_idx').on(t.issuer, t.subject)],
);

export const sessions = pgTable(
  'sessions',
  {
    /** SHA-256 of the cookie value: a stolen database does not yield usable cookies. */
    idHash: text('id_hash').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
    lastSeenAt: tstz('last_seen_at').notNull(),
    absoluteExpiresAt: tstz('absolute_expires_at').notNull(),
    /** When the second factor was passed in this session; null while only the password is proven. */
    secondFactorAt: tstz('second_factor_at'),
    revokedAt: tstz('revoked_at'),
    userAgent: text('user_agent'),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);

export const emailTokenPurposes = ['verify_email', 'reset_password', 'invitation'] as const;
export type EmailTokenPurpose = (typeof emailTokenPurposes)[number];

export const emailTokens = pgTable(
  'email_tokens',
  {
    id: id(),
    purpose: text('purpose', { enum: emailTokenPurposes }).notNull(),
    tokenHash: text('token_hash').notNull(),
    userId: uuid('user_id').references(() => users.id, { onDelete: 'cascade' }),
    email: text('email').notNull(),
    expiresAt: tstz('expires_at').notNull(),
    usedAt: tstz('used_at'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('email_tokens_hash_idx').on(t.tokenHash)],
);

export const memberships = pgTable(
  'memberships',
  {
    id: id(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    role: text('role', { enum: roles }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('memberships_unique_idx').on(t.userId, t.organisationId, t.role),
    index('memberships_org_idx').on(t.organisationId),
  ],
);

export const invitations = pgTable(
  'invitations',
  {
    id: id(),
    email: text('email').notNull(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    role: text('role', { enum: roles }).notNull(),
    tokenHash: text('token_hash').notNull(),
    invitedBy: uuid('invited_by').references(() => users.id, { onDelete: 'set null' }),
    expiresAt: tstz('expires_at').notNull(),
    acceptedAt: tstz('accepted_at'),
    revoked: boolean('revoked').notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('invitations_token_idx').on(t.tokenHash)],
);
