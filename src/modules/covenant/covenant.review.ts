/**
 * The yearly review of a signature (issue 3, item 5: "a yearly review reminder"). A signature's review falls
 * due a year after it was signed, or a year after it was last reviewed (`review_due_on`, see
 * covenant.keys.ts). When it is due and not yet reviewed, the organisation's authorised people are reminded
 * once; if the review is still not done a year later, they are reminded again. Reviewing moves the due date
 * a year on from the review, which starts a new cycle. Computed from the stored dates, never a stored flag.
 */

/** The UTC calendar date of a moment, as `YYYY-MM-DD` (the form `review_due_on` is stored in). */
export function dateOf(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** `at` plus one calendar year (UTC); 29 February → 28 February. */
export function addYear(at: Date): Date {
  const result = new Date(at);
  const month = result.getUTCMonth();
  result.setUTCFullYear(result.getUTCFullYear() + 1);
  if (result.getUTCMonth() !== month) result.setUTCDate(0);
  return result;
}

/** The review is due on or after its due date. */
export function reviewIsDue(reviewDueOn: string, now: Date): boolean {
  return dateOf(now) >= reviewDueOn;
}

/**
 * Whether to send the review reminder now: the review is due, and no reminder was sent in this cycle (none
 * at all, or the last one was sent before the current due date, i.e. for an earlier cycle), or the last one
 * was sent a year ago or more and the review is still outstanding.
 */
export function reviewReminderDue(
  signature: { reviewDueOn: string; reviewRemindedAt: Date | null },
  now: Date,
): boolean {
  if (!reviewIsDue(signature.reviewDueOn, now)) return false;
  const reminded = signature.reviewRemindedAt;
  if (!reminded) return true;
  if (dateOf(reminded) < signature.reviewDueOn) return true;
  return addYear(reminded).getTime() <= now.getTime();
}
