/**
 * Accountable leads' confirmation: domain §9.2 "Appoint leads … reminder to re-confirm after reshuffles".
 * A body's leads need confirming when any lead was never confirmed, or was last confirmed six calendar
 * months ago or more. Computed when read, never stored, so it cannot go stale.
 */
export const confirmationMonths = 6;

/** `date` plus `months` calendar months (UTC), clamped to the month's end (31 Aug + 6 months = 28/29 Feb). */
export function addMonths(date: Date, months: number): Date {
  const result = new Date(date);
  const day = result.getUTCDate();
  result.setUTCDate(1);
  result.setUTCMonth(result.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(result.getUTCFullYear(), result.getUTCMonth() + 1, 0)).getUTCDate();
  result.setUTCDate(Math.min(day, lastDay));
  return result;
}

export function leadNeedsConfirming(confirmedAt: Date | null, now: Date): boolean {
  if (!confirmedAt) return true;
  return addMonths(confirmedAt, confirmationMonths).getTime() <= now.getTime();
}

export function leadsNeedConfirming(leads: { confirmedAt: Date | null }[], now: Date): boolean {
  return leads.some((l) => leadNeedsConfirming(l.confirmedAt, now));
}
