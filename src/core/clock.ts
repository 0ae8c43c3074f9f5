/**
 * Time, injected. Every timeout, staleness check and rate limit uses `now()`, a monotonic clock,
 * so a Pi without an RTC that jumps its wall clock by days changes nothing. `wallNow()` is for
 * display and logs only.
 */
export interface Timer {
  cancel(): void;
}

export interface Clock {
  /** Monotonic milliseconds (arbitrary origin). */
  now(): number;
  /** Wall-clock milliseconds since the epoch, for display only. */
  wallNow(): number;
  setTimeout(fn: () => void, ms: number): Timer;
  setInterval(fn: () => void, ms: number): Timer;
}

/** Node's timers already run on libuv's monotonic clock; `performance.now()` matches them. */
export const systemClock: Clock = {
  now: () => performance.now(),
  wallNow: () => Date.now(),
  setTimeout(fn, ms) {
    const t = setTimeout(fn, ms);
    return { cancel: () => clearTimeout(t) };
  },
  setInterval(fn, ms) {
    const t = setInterval(fn, ms);
    return { cancel: () => clearInterval(t) };
  },
};
