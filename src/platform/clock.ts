/** Time is injected so deadlines, expiry and lockouts are testable without waiting. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock for tests: starts at `start` and moves only when told. */
export function createFixedClock(start: Date | string = '2026-01-05T09:00:00Z') {
  let current = new Date(start);
  return {
    now: () => new Date(current),
    set(value: Date | string) {
      current = new Date(value);
    },
    advance(ms: number) {
      current = new Date(current.getTime() + ms);
    },
  };
}
export type FixedClock = ReturnType<typeof createFixedClock>;
