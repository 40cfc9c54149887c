/**
 * The pure rules of communities of practice on fixed examples: capacity and the waiting list, the day-before
 * reminder, notification settings, threaded order, UK times, and iCalendar escaping, folding and UTC times.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  canLeaveGroup,
  decideCapacityChange,
  decideRegistration,
  londonDateOf,
  effectiveFrequency,
  icsCalendar,
  icsEscape,
  icsFold,
  icsUtc,
  isReminderDue,
  joinStatus,
  londonTimeOf,
  londonTimeToUtc,
  placesLeft,
  postAudience,
  promotions,
  threadOrder,
  waitingPosition,
} from './communities.rules.ts';
import type { NotificationFrequency } from './communities.tables.ts';

const now = new Date('2026-01-05T09:00:00Z');
const event = (over: Partial<{ status: string; startsAt: Date; capacity: number }> = {}) => ({
  status: 'scheduled',
  startsAt: new Date('2026-01-20T10:00:00Z'),
  capacity: 2,
  ...over,
});

describe('capacity and the waiting list', () => {
  test('places go while they last, then the waiting list', () => {
    assert.deepEqual(decideRegistration({ event: event(), registeredCount: 0, now }), {
      ok: true,
      status: 'registered',
    });
    assert.deepEqual(decideRegistration({ event: event(), registeredCount: 1, now }), {
      ok: true,
      status: 'registered',
    });
    // Over capacity: the waiting list, not a refusal.
    assert.deepEqual(decideRegistration({ event: event(), registeredCount: 2, now }), {
      ok: true,
      status: 'waiting',
    });
    assert.deepEqual(decideRegistration({ event: event(), registeredCount: 5, now }), {
      ok: true,
      status: 'waiting',
    });
  });

  test('double registration is refused, with a different reason for someone waiting', () => {
    const base = { event: event(), registeredCount: 1, now };
    assert.deepEqual(decideRegistration({ ...base, existing: { status: 'registered' } }), {
      ok: false,
      reason: 'alreadyRegistered',
    });
    assert.deepEqual(decideRegistration({ ...base, existing: { status: 'waiting' } }), {
      ok: false,
      reason: 'alreadyWaiting',
    });
    // Someone who cancelled may register again.
    assert.deepEqual(decideRegistration({ ...base, existing: { status: 'cancelled' } }), {
      ok: true,
      status: 'registered',
    });
  });

  test('registration closes at the start time, and a cancelled event takes nobody', () => {
    const start = new Date('2026-01-20T10:00:00Z');
    const at = (iso: string) =>
      decideRegistration({ event: event({ startsAt: start }), registeredCount: 0, now: new Date(iso) });
    assert.equal(at('2026-01-20T09:59:59Z').ok, true);
    assert.deepEqual(at('2026-01-20T10:00:00Z'), { ok: false, reason: 'registrationClosed' });
    assert.deepEqual(at('2026-01-21T00:00:00Z'), { ok: false, reason: 'registrationClosed' });
    assert.deepEqual(decideRegistration({ event: event({ status: 'cancelled' }), registeredCount: 0, now }), {
      ok: false,
      reason: 'eventCancelled',
    });
  });

  test('free places go to the first people waiting, in queue order', () => {
    const w = (id: string, minute: number) => ({
      id,
      userId: `u-${id}`,
      queuedAt: new Date(Date.UTC(2026, 0, 5, 9, minute)),
    });
    const waiting = [w('c', 30), w('a', 10), w('b', 20)];
    assert.deepEqual(
      promotions(2, 1, waiting).map((r) => r.id),
      ['a'],
    );
    assert.deepEqual(
      promotions(4, 1, waiting).map((r) => r.id),
      ['a', 'b', 'c'],
    );
    assert.deepEqual(promotions(2, 2, waiting), []);
    // A capacity lowered below the places taken promotes nobody (and never goes negative).
    assert.deepEqual(promotions(1, 3, waiting), []);
    assert.equal(placesLeft(1, 3), 0);
    assert.equal(placesLeft(30, 3), 27);
    // Same minute: the id breaks the tie, so the order is stable.
    assert.deepEqual(
      promotions(1, 0, [w('z', 5), w('y', 5)]).map((r) => r.id),
      ['y'],
    );
    assert.equal(waitingPosition(waiting, 'u-b'), 2);
    assert.equal(waitingPosition(waiting, 'u-nobody'), null);
  });
});

describe('groups', () => {
  test('open groups let people in, request groups wait; the last moderator stays', () => {
    assert.equal(joinStatus('open'), 'active');
    assert.equal(joinStatus('request'), 'pending');
    assert.equal(canLeaveGroup({ role: 'member' }, 1), true);
    assert.equal(canLeaveGroup({ role: 'moderator' }, 1), false);
    assert.equal(canLeaveGroup({ role: 'moderator' }, 2), true);
  });
});

describe('the day-before reminder', () => {
  const e = (startsAt: string, over: Partial<{ status: string; reminderSentAt: Date | null }> = {}) => ({
    status: 'scheduled',
    reminderSentAt: null,
    startsAt: new Date(startsAt),
    ...over,
  });
  test('due once the event is tomorrow (UK date), not before, not after it starts, not twice', () => {
    const monday = new Date('2026-01-05T07:30:00Z');
    assert.equal(isReminderDue(e('2026-01-06T18:00:00Z'), monday), true);
    assert.equal(
      isReminderDue(e('2026-01-05T18:00:00Z'), monday),
      true,
      'an event later today still gets one',
    );
    assert.equal(isReminderDue(e('2026-01-07T00:30:00Z'), monday), false, 'the day after tomorrow');
    assert.equal(isReminderDue(e('2026-01-05T07:00:00Z'), monday), false, 'already started');
    assert.equal(isReminderDue(e('2026-01-06T18:00:00Z', { reminderSentAt: monday }), monday), false);
    assert.equal(isReminderDue(e('2026-01-06T18:00:00Z', { status: 'cancelled' }), monday), false);
  });
  test('uses the UK date in summer time: 23:30 UTC is already tomorrow in London', () => {
    // 30 June 23:30 UTC is already 1 July (00:30 BST) in London, so an event on 2 July is due; an hour
    // earlier it is still 30 June there, and the event is not yet due.
    const lateEvening = new Date('2026-06-30T23:30:00Z');
    assert.equal(isReminderDue(e('2026-07-02T09:00:00Z'), lateEvening), true);
    assert.equal(isReminderDue(e('2026-07-02T09:00:00Z'), new Date('2026-06-30T22:30:00Z')), false);
  });
});

describe('notification settings', () => {
  const members = [
    { userId: 'author', status: 'active' },
    { userId: 'each', status: 'active' },
    { userId: 'digest', status: 'active' },
    { userId: 'none', status: 'active' },
    { userId: 'default', status: 'active' },
    { userId: 'pending', status: 'pending' },
  ];
  const settings = new Map<string, NotificationFrequency>([
    ['author', 'immediate'],
    ['each', 'immediate'],
    ['digest', 'daily'],
    ['none', 'off'],
    ['pending', 'immediate'],
  ]);
  test('each post, the daily digest (also the default) or nothing; never the author or a pending member', () => {
    assert.deepEqual(postAudience(members, settings, 'author'), {
      immediate: ['each'],
      digest: ['digest', 'default'],
    });
    assert.equal(effectiveFrequency(undefined), 'daily');
    assert.equal(effectiveFrequency('off'), 'off');
  });
  test('the author hears nothing about their own post whatever their setting', () => {
    const audience = postAudience(members, settings, 'each');
    assert.ok(!audience.immediate.includes('each'));
    assert.deepEqual(audience.immediate, ['author']);
  });
});

describe('threads', () => {
  test('replies follow what they answer, oldest first, with their depth (capped)', () => {
    const at = (m: number) => new Date(Date.UTC(2026, 0, 5, 9, m));
    const posts = [
      { id: 'a', parentId: null, createdAt: at(0) },
      { id: 'b', parentId: null, createdAt: at(5) },
      { id: 'a2', parentId: 'a', createdAt: at(7) },
      { id: 'a1', parentId: 'a', createdAt: at(6) },
      { id: 'a1x', parentId: 'a1', createdAt: at(8) },
      { id: 'orphan', parentId: 'gone', createdAt: at(9) },
    ];
    assert.deepEqual(
      threadOrder(posts).map((p) => `${p.id}:${p.depth}`),
      ['a:0', 'a1:1', 'a1x:2', 'a2:1', 'b:0', 'orphan:0'],
    );
    const chain = Array.from({ length: 7 }, (_, i) => ({
      id: `p${i}`,
      parentId: i ? `p${i - 1}` : null,
      createdAt: at(i),
    }));
    assert.deepEqual(
      threadOrder(chain).map((p) => p.depth),
      [0, 1, 2, 3, 4, 4, 4],
    );
  });
});

describe('UK times', () => {
  test('wall-clock times in London become UTC in winter and in summer', () => {
    assert.equal(londonTimeToUtc('2026-01-20', '10:00')!.toISOString(), '2026-01-20T10:00:00.000Z');
    assert.equal(londonTimeToUtc('2026-07-20', '10:00')!.toISOString(), '2026-07-20T09:00:00.000Z');
    // The hour skipped on 29 March 2026 (01:00 becomes 02:00).
    assert.equal(londonTimeToUtc('2026-03-29', '01:30')!.toISOString(), '2026-03-29T01:30:00.000Z');
    assert.equal(londonTimeToUtc('2026-01-20', '25:00'), null);
    assert.equal(londonTimeToUtc('not a date', '10:00'), null);
    assert.equal(londonTimeOf(new Date('2026-07-20T09:00:00Z')), '10:00');
  });
});

describe('iCalendar (RFC 5545)', () => {
  test('escapes backslashes, semicolons, commas and newlines in text', () => {
    assert.equal(
      icsEscape('Leeds, LS1; room 2\\3\nSecond line\r\nThird'),
      'Leeds\\, LS1\\; room 2\\\\3\\nSecond line\\nThird',
    );
  });

  test('folds lines at 75 octets with CRLF and a space, never inside a UTF-8 character', () => {
    const short = 'SUMMARY:Short';
    assert.equal(icsFold(short), short);
    const long = `DESCRIPTION:${'x'.repeat(200)}`;
    const folded = icsFold(long);
    const lines = folded.split('\r\n');
    assert.ok(lines.length > 1);
    for (const line of lines) assert.ok(Buffer.byteLength(line) <= 75, `${Buffer.byteLength(line)} octets`);
    for (const line of lines.slice(1)) assert.ok(line.startsWith(' '));
    // Unfolding (remove CRLF + one space) gives back the original.
    assert.equal(folded.replace(/\r\n /g, ''), long);
    // Multi-byte characters (’ is 3 octets, 🙂 is 4) are never split.
    const unicode = `SUMMARY:${'’🙂'.repeat(40)}`;
    const parts = icsFold(unicode).split('\r\n');
    for (const part of parts) {
      assert.ok(Buffer.byteLength(part) <= 75);
      assert.ok(!part.includes('\uFFFD'));
    }
    assert.equal(icsFold(unicode).replace(/\r\n /g, ''), unicode);
  });

  test('UTC date-times in the basic format', () => {
    assert.equal(icsUtc(new Date('2026-07-20T09:05:00.123Z')), '20260720T090500Z');
  });

  test('a calendar: CRLF line ends, UID, DTSTAMP, UTC times, escaped and folded text, cancellations', () => {
    const ics = icsCalendar(
      [
        {
          id: '11111111-2222-3333-4444-555555555555',
          title: 'Fair funding, grants; and more',
          description: `Line one\nLine two, with a comma. ${'Long text '.repeat(12)}`,
          location: 'Leeds Civic Hall, Calverley Street',
          startsAt: new Date('2026-07-20T09:00:00Z'),
          endsAt: new Date('2026-07-20T11:30:00Z'),
          status: 'cancelled',
          sequence: 2,
          url: 'https://hub.example/support/communities/events/1',
          createdAt: new Date('2026-01-01T12:00:00Z'),
        },
      ],
      { domain: 'hub.example', now, name: 'Events, all' },
    );
    assert.ok(ics.endsWith('\r\n'));
    assert.ok(!/[^\r]\n/.test(ics), 'every line ends in CRLF');
    const unfolded = ics.replace(/\r\n /g, '').split('\r\n');
    for (const line of ics.split('\r\n')) assert.ok(Buffer.byteLength(line) <= 75);
    assert.equal(unfolded[0], 'BEGIN:VCALENDAR');
    for (const expected of [
      'VERSION:2.0',
      'X-WR-CALNAME:Events\\, all',
      'UID:11111111-2222-3333-4444-555555555555@hub.example',
      'DTSTAMP:20260105T090000Z',
      'DTSTART:20260720T090000Z',
      'DTEND:20260720T113000Z',
      'SUMMARY:Fair funding\\, grants\\; and more',
      'LOCATION:Leeds Civic Hall\\, Calverley Street',
      'STATUS:CANCELLED',
      'SEQUENCE:2',
    ])
      assert.ok(unfolded.includes(expected), `has ${expected}`);
    assert.ok(unfolded.some((l) => l.startsWith('DESCRIPTION:Line one\\nLine two\\, with a comma.')));
    assert.equal(unfolded.filter((l) => l === 'BEGIN:VEVENT').length, 1);
  });
});

describe('changing an event', () => {
  test('capacity: below the people with a place is refused with the number; raising promotes at most those waiting', () => {
    assert.deepEqual(decideCapacityChange(2, 3, 4), {
      ok: false,
      reason: 'capacityBelowRegistered',
      registered: 3,
    });
    assert.deepEqual(decideCapacityChange(3, 3, 4), { ok: true, promote: 0 });
    assert.deepEqual(decideCapacityChange(5, 3, 4), { ok: true, promote: 2 });
    assert.deepEqual(decideCapacityChange(50, 3, 4), { ok: true, promote: 4 });
    assert.deepEqual(decideCapacityChange(1, 0, 0), { ok: true, promote: 0 });
  });

  test('the UK date of an instant, across midnight in summer time', () => {
    assert.equal(londonDateOf(new Date('2026-07-01T23:30:00Z')), '2026-07-02');
    assert.equal(londonDateOf(new Date('2026-01-01T23:30:00Z')), '2026-01-01');
  });
});
