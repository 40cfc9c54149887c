/**
 * The rules of communities of practice, as pure functions (no database, no clock of their own): who gets a
 * place at an event and who waits, who is promoted when a place frees up, how each person hears about new
 * posts, when a reminder is due, how replies nest, and iCalendar (RFC 5545) text: escaping, line folding at
 * 75 octets, UTC times.
 */
import { addCalendarDays, toUkIsoDate } from '../../platform/calendar/iso-date.ts';
import type { JoinPolicy, NotificationFrequency, RegistrationStatus } from './communities.tables.ts';

// ---------------------------------------------------------------------------------------------------------
// Groups

/** An open group lets people straight in; a group that joins by request waits for a moderator. */
export function joinStatus(policy: JoinPolicy): 'active' | 'pending' {
  return policy === 'open' ? 'active' : 'pending';
}

/**
 * A group must always have a moderator, or nobody could approve requests or clear flags: the last
 * moderator may not leave (an administrator can still appoint another).
 */
export function canLeaveGroup(member: { role: string }, activeModerators: number): boolean {
  return member.role !== 'moderator' || activeModerators > 1;
}

// ---------------------------------------------------------------------------------------------------------
// Events: capacity and the waiting list

export type RegistrationRefusal =
  'eventCancelled' | 'registrationClosed' | 'alreadyRegistered' | 'alreadyWaiting';

export interface RegistrationCheck {
  event: { status: string; startsAt: Date; capacity: number };
  /** This person's current registration for the event, if any. */
  existing?: { status: RegistrationStatus } | null;
  /** People holding a place now (status `registered`). */
  registeredCount: number;
  now: Date;
}

export type RegistrationDecision =
  { ok: true; status: 'registered' | 'waiting' } | { ok: false; reason: RegistrationRefusal };

/**
 * Whether and how a person may register. Refused when the event is cancelled or has started (registration
 * closes at the start time), or the person already has a place or is already waiting. Otherwise they get a
 * place while places are left, and join the waiting list when the event is full.
 */
export function decideRegistration(check: RegistrationCheck): RegistrationDecision {
  const { event, existing, registeredCount, now } = check;
  if (event.status === 'cancelled') return { ok: false, reason: 'eventCancelled' };
  if (now.getTime() >= event.startsAt.getTime()) return { ok: false, reason: 'registrationClosed' };
  if (existing?.status === 'registered') return { ok: false, reason: 'alreadyRegistered' };
  if (existing?.status === 'waiting') return { ok: false, reason: 'alreadyWaiting' };
  return { ok: true, status: registeredCount < event.capacity ? 'registered' : 'waiting' };
}

export function placesLeft(capacity: number, registeredCount: number): number {
  return Math.max(0, capacity - registeredCount);
}

/**
 * Who moves from the waiting list to a place: as many as there are free places, first come, first served
 * (by the time they joined the queue; ties by id so the order never changes between runs).
 */
export function promotions<T extends { id: string; queuedAt: Date }>(
  capacity: number,
  registeredCount: number,
  waiting: readonly T[],
): T[] {
  const free = placesLeft(capacity, registeredCount);
  if (free === 0) return [];
  return [...waiting]
    .sort((a, b) => a.queuedAt.getTime() - b.queuedAt.getTime() || a.id.localeCompare(b.id))
    .slice(0, free);
}

export type CapacityDecision =
  { ok: true; promote: number } | { ok: false; reason: 'capacityBelowRegistered'; registered: number };

/**
 * Whether an organiser may change an event's number of places. Lowering it below the people who already
 * hold a place is refused (nobody loses a place they were given); otherwise the new free places go to the
 * waiting list in order, so `promote` is how many people waiting move up (never more than are waiting).
 */
export function decideCapacityChange(
  capacity: number,
  registeredCount: number,
  waitingCount: number,
): CapacityDecision {
  if (capacity < registeredCount)
    return { ok: false, reason: 'capacityBelowRegistered', registered: registeredCount };
  return { ok: true, promote: Math.min(waitingCount, placesLeft(capacity, registeredCount)) };
}

/** A person's place in the waiting list (1 = next), or null when they are not waiting. */
export function waitingPosition<T extends { userId: string; queuedAt: Date; id: string }>(
  waiting: readonly T[],
  userId: string,
): number | null {
  const ordered = promotions(Number.MAX_SAFE_INTEGER, 0, waiting);
  const index = ordered.findIndex((r) => r.userId === userId);
  return index === -1 ? null : index + 1;
}

/**
 * The reminder goes the day before: once the event's UK date is tomorrow (or today, when the event was
 * added late), never after it starts, never for a cancelled event, never twice.
 */
export function isReminderDue(
  event: { status: string; startsAt: Date; reminderSentAt: Date | null },
  now: Date,
): boolean {
  if (event.status !== 'scheduled' || event.reminderSentAt) return false;
  if (event.startsAt.getTime() <= now.getTime()) return false;
  return toUkIsoDate(event.startsAt) <= addCalendarDays(toUkIsoDate(now), 1);
}

// ---------------------------------------------------------------------------------------------------------
// Email notifications about new posts

/** With no choice saved a person gets the daily digest: told, without a flood of emails. */
export const DEFAULT_FREQUENCY: NotificationFrequency = 'daily';

export function effectiveFrequency(saved: NotificationFrequency | null | undefined): NotificationFrequency {
  return saved ?? DEFAULT_FREQUENCY;
}

export interface PostAudience {
  /** An email now, one per post. */
  immediate: string[];
  /** Added to tomorrow's digest. */
  digest: string[];
}

/**
 * Who hears about a new post, and how: every active member of the group except its author, by their own
 * setting (each post, a daily digest, or nothing).
 */
export function postAudience(
  members: readonly { userId: string; status: string }[],
  settings: ReadonlyMap<string, NotificationFrequency>,
  authorId: string,
): PostAudience {
  const audience: PostAudience = { immediate: [], digest: [] };
  for (const m of members) {
    if (m.status !== 'active' || m.userId === authorId) continue;
    const frequency = effectiveFrequency(settings.get(m.userId));
    if (frequency === 'immediate') audience.immediate.push(m.userId);
    else if (frequency === 'daily') audience.digest.push(m.userId);
  }
  return audience;
}

// ---------------------------------------------------------------------------------------------------------
// Threads

/** Replies are shown nested under what they answer, but never deeper than this (then they line up). */
export const MAX_DEPTH = 4;

/**
 * Orders a thread's posts for reading: each post followed by its replies (oldest first), with its depth.
 * A reply whose parent is missing (deleted, or from another thread) is shown at the top level.
 */
export function threadOrder<T extends { id: string; parentId: string | null; createdAt: Date }>(
  posts: readonly T[],
): (T & { depth: number })[] {
  const ids = new Set(posts.map((p) => p.id));
  const children = new Map<string | null, T[]>();
  for (const post of posts) {
    const parent = post.parentId && ids.has(post.parentId) ? post.parentId : null;
    children.set(parent, [...(children.get(parent) ?? []), post]);
  }
  for (const list of children.values()) list.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  const out: (T & { depth: number })[] = [];
  const visit = (parent: string | null, depth: number) => {
    for (const post of children.get(parent) ?? []) {
      out.push({ ...post, depth: Math.min(depth, MAX_DEPTH) });
      visit(post.id, depth + 1);
    }
  };
  visit(null, 0);
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Times

/**
 * The instant of a wall-clock time in the UK (Europe/London, GMT or BST) on a date, so an organiser types
 * "10:00" and the event starts at 10:00 in London whatever the season. Returns null for an impossible time.
 */
export function londonTimeToUtc(date: string, time: string): Date | null {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const t = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(time.trim());
  if (!d || !t) return null;
  const wall = Date.UTC(Number(d[1]), Number(d[2]) - 1, Number(d[3]), Number(t[1]), Number(t[2]));
  // London is UTC+0 or UTC+1: try both offsets and keep the one that reads back as the wall time.
  for (const offsetHours of [0, 1]) {
    const instant = new Date(wall - offsetHours * 3_600_000);
    if (londonWallClock(instant) === wall) return instant;
  }
  // A time in the hour skipped when the clocks go forward: read it as GMT (an hour later on the clock).
  return new Date(wall);
}

function londonWallClock(instant: Date): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/London',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(instant)
      .map((p) => [p.type, p.value]),
  );
  return Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
  );
}

/** "YYYY-MM-DD" in London for an instant (to show a saved date back in the form). */
export function londonDateOf(instant: Date): string {
  return new Date(londonWallClock(instant)).toISOString().slice(0, 10);
}

/** "HH:MM" in London for an instant (to show a saved time back in the form). */
export function londonTimeOf(instant: Date): string {
  const wall = new Date(londonWallClock(instant));
  return `${String(wall.getUTCHours()).padStart(2, '0')}:${String(wall.getUTCMinutes()).padStart(2, '0')}`;
}

// ---------------------------------------------------------------------------------------------------------
// iCalendar (RFC 5545)

/** TEXT values (3.3.11): backslash, semicolon and comma are escaped; a newline becomes `\n`. */
export function icsEscape(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n');
}

/**
 * Content lines longer than 75 octets are folded (3.1): a CRLF then one space, never inside a UTF-8
 * character. The space counts towards the next line's 75 octets.
 */
export function icsFold(line: string): string {
  const out: string[] = [];
  let current = '';
  let octets = 0;
  let limit = 75;
  for (const char of line) {
    const size = Buffer.byteLength(char, 'utf8');
    if (octets + size > limit) {
      out.push(current);
      current = ' ';
      octets = 1;
      limit = 75;
    }
    current += char;
    octets += size;
  }
  out.push(current);
  return out.join('\r\n');
}

/** DATE-TIME in UTC (3.3.5, form 2): `19980119T070000Z`. */
export function icsUtc(instant: Date): string {
  return instant
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

export interface IcsEvent {
  id: string;
  title: string;
  description: string;
  location: string;
  startsAt: Date;
  endsAt: Date;
  status: 'scheduled' | 'cancelled';
  sequence: number;
  url: string;
  updatedAt?: Date | null;
  createdAt: Date;
}

export interface IcsOptions {
  /** The host name in each UID (`<event id>@<domain>`), so UIDs are globally unique and stable. */
  domain: string;
  /** DTSTAMP: when this calendar object was made. */
  now: Date;
  /** X-WR-CALNAME for a feed. */
  name?: string;
}

/** A VCALENDAR holding the events: CRLF line ends, folded lines, escaped text, UTC times. */
export function icsCalendar(events: readonly IcsEvent[], options: IcsOptions): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Covenant Hub//Communities of practice//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
  ];
  if (options.name) lines.push(`X-WR-CALNAME:${icsEscape(options.name)}`);
  for (const e of events) {
    lines.push(
      'BEGIN:VEVENT',
      `UID:${e.id}@${options.domain}`,
      `DTSTAMP:${icsUtc(options.now)}`,
      `DTSTART:${icsUtc(e.startsAt)}`,
      `DTEND:${icsUtc(e.endsAt)}`,
      `SEQUENCE:${e.sequence}`,
      `CREATED:${icsUtc(e.createdAt)}`,
      `LAST-MODIFIED:${icsUtc(e.updatedAt ?? e.createdAt)}`,
      `SUMMARY:${icsEscape(e.title)}`,
      `DESCRIPTION:${icsEscape(`${e.description}\n\n${e.url}`)}`,
      `LOCATION:${icsEscape(e.location)}`,
      `URL:${e.url}`,
      `STATUS:${e.status === 'cancelled' ? 'CANCELLED' : 'CONFIRMED'}`,
      'END:VEVENT',
    );
  }
  lines.push('END:VCALENDAR');
  return lines.map(icsFold).join('\r\n') + '\r\n';
}
