/**
 * Rules of the resource library, pure and clock-free: when a resource is due for review, when its owner is
 * reminded, how versions are numbered, and how a resource's text is split into headings, paragraphs and lists.
 */
import {
  addCalendarDays,
  addCalendarMonths,
  compareIsoDates,
  toUkIsoDate,
  type IsoDate,
} from '../../platform/calendar/iso-date.ts';
import { reservedSlugs } from './resources.paths.ts';

/** How often a resource may be set to be reviewed, in months. */
export const reviewIntervals = [6, 12, 24] as const;

/** While a review stays overdue, the owner is reminded again this many days after the last reminder. */
export const REMINDER_REPEAT_DAYS = 30;

/** The date a resource next needs reviewing: its last review plus the interval (31 Aug + 6 = 28/29 Feb). */
export function reviewDueOn(r: { lastReviewedOn: string; reviewIntervalMonths: number }): IsoDate {
  return addCalendarMonths(r.lastReviewedOn, r.reviewIntervalMonths);
}

/** Due from the review date itself (on that day, not the day after), in UK dates. */
export function isReviewDue(
  r: { lastReviewedOn: string; reviewIntervalMonths: number },
  today: IsoDate,
): boolean {
  return compareIsoDates(today, reviewDueOn(r)) >= 0;
}

/**
 * Whether the daily task should remind the owner now: the review is due and either nobody has been reminded
 * since it fell due, or the last reminder is at least REMINDER_REPEAT_DAYS old. Marking the resource
 * reviewed moves the due date on and clears the reminder, so the next cycle starts afresh.
 */
export function reviewReminderDue(
  r: { lastReviewedOn: string; reviewIntervalMonths: number; reviewRemindedAt: Date | null },
  now: Date,
): boolean {
  const today = toUkIsoDate(now);
  if (!isReviewDue(r, today)) return false;
  if (!r.reviewRemindedAt) return true;
  const reminded = toUkIsoDate(r.reviewRemindedAt);
  if (compareIsoDates(reminded, reviewDueOn(r)) < 0) return true;
  return compareIsoDates(today, addCalendarDays(reminded, REMINDER_REPEAT_DAYS)) >= 0;
}

/** What the review state of a resource is, for tags on the management pages. */
export function reviewState(
  r: { lastReviewedOn: string; reviewIntervalMonths: number },
  today: IsoDate,
): 'due' | 'dueSoon' | 'ok' {
  if (isReviewDue(r, today)) return 'due';
  return compareIsoDates(addCalendarDays(today, 30), reviewDueOn(r)) >= 0 ? 'dueSoon' : 'ok';
}

/**
 * An edit makes a new version only when the text changed or a change note was given; the version an editor
 * started from must still be the current one (otherwise someone else saved in between).
 */
export function nextVersion(current: number, startedFrom: number): number | 'stale' {
  return startedFrom === current ? current + 1 : 'stale';
}

/** A URL-safe slug for a title, never one of the reserved addresses ("new", "manage"). */
export function resourceSlug(title: string, taken: (slug: string) => boolean): string {
  const base =
    title
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 80)
      .replace(/-+$/, '') || 'resource';
  const reserved = (s: string) => (reservedSlugs as readonly string[]).includes(s) || taken(s);
  if (!reserved(base)) return base;
  for (let n = 2; ; n++) if (!reserved(`${base}-${n}`)) return `${base}-${n}`;
}

export type Block =
  | { kind: 'heading'; text: string }
  | { kind: 'paragraph'; text: string }
  | { kind: 'list'; items: string[] };

/**
 * Splits a resource's text into blocks: blank lines separate blocks; a block starting "## " is a heading;
 * a block whose lines all start "- " is a bulleted list. Plain text in, plain text out: templates escape it.
 */
export function toBlocks(body: string): Block[] {
  return body
    .replace(/\r\n/g, '\n')
    .split(/\n\s*\n/)
    .map((b) => b.trim())
    .filter(Boolean)
    .map((block): Block => {
      if (block.startsWith('## ')) return { kind: 'heading', text: block.slice(3).trim() };
      const lines = block.split('\n').map((l) => l.trim());
      if (lines.every((l) => l.startsWith('- ')))
        return { kind: 'list', items: lines.map((l) => l.slice(2).trim()) };
      return { kind: 'paragraph', text: lines.join(' ') };
    });
}

/** The headings of a resource, for its contents list. */
export function headingsOf(body: string): string[] {
  return toBlocks(body).flatMap((b) => (b.kind === 'heading' ? [b.text] : []));
}
