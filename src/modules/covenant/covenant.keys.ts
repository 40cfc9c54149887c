/**
 * Stable paragraph keys. A paragraph gets its key once, when it is first written, and keeps it in every
 * later version, so consultation comments, cases and links (`/covenant#p-…`) keep pointing at it.
 */
import { randomBytes } from 'node:crypto';

const alphabet = 'abcdefghijkmnpqrstuvwxyz23456789';

/** A new key such as `p-k3m9x2ta`: 8 characters from an alphabet without look-alikes (about 40 bits). */
export function newParagraphKey(random: (size: number) => Uint8Array = randomBytes): string {
  const bytes = random(8);
  let out = '';
  for (const byte of bytes) out += alphabet[byte % alphabet.length];
  return `p-${out}`;
}

export function isParagraphKey(value: unknown): value is string {
  return typeof value === 'string' && /^p-[a-z0-9]{4,16}$/.test(value);
}

/** Review of a signature falls due one year after signing (same day and month; 29 February → 28 February). */
export function reviewDueOn(signedAt: Date): string {
  const y = signedAt.getUTCFullYear() + 1;
  const m = signedAt.getUTCMonth();
  const d = Math.min(signedAt.getUTCDate(), new Date(Date.UTC(y, m + 1, 0)).getUTCDate());
  return new Date(Date.UTC(y, m, d)).toISOString().slice(0, 10);
}
