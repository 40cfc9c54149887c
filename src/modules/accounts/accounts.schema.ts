/**
 * Form schemas. Messages are catalogue keys (translated by parseForm). Password rules follow the NCSC's
 * guidance through checkNewPassword: length and a blocklist, no composition rules.
 */
import { z } from 'zod';
import { checkNewPassword } from '../../platform/auth/passwords.ts';
import { roles } from './accounts.tables.ts';

const E = 'accounts.errors';

/** Deliberately loose: one @, something either side, a dot in the domain. The real check is the email link. */
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** An email address, trimmed and lower-cased (addresses are compared case-insensitively). */
export const emailField = z
  .string({ error: `${E}.emailRequired` })
  .trim()
  .min(1, `${E}.emailRequired`)
  .max(254, `${E}.emailTooLong`)
  .regex(EMAIL_PATTERN, `${E}.emailInvalid`)
  .transform((v) => v.toLowerCase());

const nameField = z
  .string({ error: `${E}.nameRequired` })
  .trim()
  .min(1, `${E}.nameRequired`)
  .max(100, `${E}.nameTooLong`);

/** A new password: each NCSC rule has its own plain-English message. */
const newPasswordField = z.string({ error: `${E}.passwordRequired` }).superRefine((value, ctx) => {
  if (value.length === 0) return void ctx.addIssue({ code: 'custom', message: `${E}.passwordRequired` });
  const problem = checkNewPassword(value);
  if (problem) ctx.addIssue({ code: 'custom', message: `${E}.password.${problem}` });
});

const confirmField = z.string({ error: `${E}.confirmRequired` }).min(1, `${E}.confirmRequired`);

/** Adds the checks that need two fields: the confirmation matches; the password does not contain the email. */
function passwordPair<T extends { password: string; confirmPassword: string; email?: string }>(
  value: T,
  ctx: z.RefinementCtx,
) {
  if (value.email && checkNewPassword(value.password, value.email) === 'containsEmail')
    ctx.addIssue({ code: 'custom', path: ['password'], message: `${E}.password.containsEmail` });
  if (value.password !== value.confirmPassword)
    ctx.addIssue({ code: 'custom', path: ['confirmPassword'], message: `${E}.confirmMismatch` });
}

export const RegisterForm = z
  .object({
    name: nameField,
    email: emailField,
    password: newPasswordField,
    confirmPassword: confirmField,
    returnTo: z.string().optional(),
  })
  .superRefine(passwordPair);
export type RegisterInput = z.infer<typeof RegisterForm>;

export const SignInForm = z.object({
  email: emailField,
  password: z.string({ error: `${E}.passwordRequiredSignIn` }).min(1, `${E}.passwordRequiredSignIn`),
  returnTo: z.string().optional(),
});
export type SignInInput = z.infer<typeof SignInForm>;

/** A TOTP code or a recovery code: spaces and hyphens are ignored. */
export const SecondFactorForm = z.object({
  code: z
    .string({ error: `${E}.codeRequired` })
    .transform((v) => v.replace(/[\s-]/g, '').toLowerCase())
    .pipe(z.string().min(1, `${E}.codeRequired`).max(20, `${E}.codeInvalid`)),
  returnTo: z.string().optional(),
});

export const TotpSetUpForm = z.object({
  code: z
    .string({ error: `${E}.codeRequired` })
    .transform((v) => v.replace(/\s/g, ''))
    .pipe(
      z
        .string()
        .min(1, `${E}.codeRequired`)
        .regex(/^\d{6}$/, `${E}.codeSixDigits`),
    ),
});

export const ForgotPasswordForm = z.object({ email: emailField });

export const ResetPasswordForm = z
  .object({ password: newPasswordField, confirmPassword: confirmField })
  .superRefine(passwordPair);

export const ChangePasswordForm = z
  .object({
    currentPassword: z
      .string({ error: `${E}.currentPasswordRequired` })
      .min(1, `${E}.currentPasswordRequired`),
    password: newPasswordField,
    confirmPassword: confirmField,
    /** Set by the route from the signed-in person, never from the form. */
    email: z.string().optional(),
  })
  .superRefine(passwordPair);

export const InviteForm = z.object({
  email: emailField,
  role: z.enum(roles, { error: `${E}.roleRequired` }),
});
export type InviteInput = z.infer<typeof InviteForm>;
