/**
 * The UK's three bank-holiday jurisdictions, spelt as GOV.UK's `bank-holidays.json` division keys.
 * Wales shares England's list (Banking and Financial Dealings Act 1971, schedule 1).
 */
export const NATIONS = ['england-and-wales', 'scotland', 'northern-ireland'] as const;

export type Nation = (typeof NATIONS)[number];

/** The nation used when a case or command does not say: the largest jurisdiction. */
export const DEFAULT_NATION: Nation = 'england-and-wales';

/** Thrown for a nation name outside {@link NATIONS}; the message lists the valid names. */
export class UnknownNationError extends Error {
  readonly value: string;
  constructor(value: string) {
    super(`Unknown nation "${value}": use one of ${NATIONS.join(', ')}`);
    this.name = 'UnknownNationError';
    this.value = value;
  }
}

export function isNation(value: string): value is Nation {
  return (NATIONS as readonly string[]).includes(value);
}

/** Returns `value` as a {@link Nation}, or throws {@link UnknownNationError}. */
export function parseNation(value: string): Nation {
  if (!isNation(value)) throw new UnknownNationError(value);
  return value;
}
