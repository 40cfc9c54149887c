/**
 * Passwords, as the NCSC advises: at least 12 characters, no composition rules, a blocklist of the most
 * common passwords, hashed with argon2id (OWASP's recommended parameters: 19 MiB, 2 iterations).
 */
import { hash, verify } from '@node-rs/argon2';
import { commonPasswords, isPaddedCommonWord } from './common-passwords.ts';

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 256;

const options = { memoryCost: 19456, timeCost: 2, parallelism: 1, algorithm: 2 /* Argon2id */ } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, options);
}

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

/** A hash of a random password, verified against when the email is unknown so timing reveals nothing. */
let dummyHash: Promise<string> | null = null;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword('not-a-real-password-used-for-timing-only');
  return dummyHash;
}

export type PasswordProblem = 'tooShort' | 'tooLong' | 'common' | 'containsEmail';

/** Returns what is wrong with a new password, or null if it is acceptable. */
export function checkNewPassword(password: string, email?: string): PasswordProblem | null {
  if (password.length < MIN_PASSWORD_LENGTH) return 'tooShort';
  if (password.length > MAX_PASSWORD_LENGTH) return 'tooLong';
  const lower = password.toLowerCase();
  const squashed = lower.replace(/[^a-z0-9]/g, '');
  if (commonPasswords.has(lower) || commonPasswords.has(squashed) || isPaddedCommonWord(lower))
    return 'common';
  // Runs of one keyboard row or counting digits ("1234567890ab") are among the first things guessed.
  if (/^(?:0123456789|1234567890|qwertyuiop|asdfghjkl|zxcvbnm)/.test(squashed) && new Set(squashed).size < 12)
    return 'common';
  // A password that is a repeated short pattern ("aaaaaaaaaaaa", "abcabcabcabc") is as weak as a common one.
  if (/^(.{1,4})\1+$/.test(lower)) return 'common';
  const local = email?.split('@')[0]?.toLowerCase();
  if (local && local.length >= 4 && lower.includes(local)) return 'containsEmail';
  return null;
}
