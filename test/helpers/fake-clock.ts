import type { Clock, Timer } from '../../src/core/clock.js';

interface Scheduled {
  at: number;
  fn: () => void;
  every: number | undefined;
  cancelled: boolean;
  seq: number;
}

/**
 * A clock tests move by hand: `advance(ms)` runs every timer that falls due, in time order,
 * including timers scheduled by other timers within the window. The wall clock can be jumped on
 * its own with `jumpWall(ms)` to prove that nothing depends on it.
 */
export class FakeClock implements Clock {
  private mono = 0;
  private wall: number;
  private seq = 0;
  private timers: Scheduled[] = [];

  constructor(wallStart = Date.UTC(2026, 0, 1)) {
    this.wall = wallStart;
  }

  now(): number {
    return this.mono;
  }

  wallNow(): number {
    return this.wall;
  }

  setTimeout(fn: () => void, ms: number): Timer {
    return this.schedule(fn, ms, undefined);
  }

  setInterval(fn: () => void, ms: number): Timer {
    return this.schedule(fn, ms, Math.max(1, ms));
  }

  jumpWall(ms: number): void {
    this.wall += ms;
  }

  /** Moves monotonic (and wall) time forward, firing due timers; awaits microtasks between them. */
  async advance(ms: number): Promise<void> {
    const end = this.mono + ms;
    // Work started before the call (a promise chain about to set a timer) gets to set it first.
    await flushMicrotasks();
    for (;;) {
      const due = this.timers
        .filter((t) => !t.cancelled && t.at <= end)
        .sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!due) break;
      this.wall += due.at - this.mono;
      this.mono = due.at;
      if (due.every !== undefined) due.at += due.every;
      else due.cancelled = true;
      due.fn();
      await flushMicrotasks();
    }
    this.wall += end - this.mono;
    this.mono = end;
    this.timers = this.timers.filter((t) => !t.cancelled);
    await flushMicrotasks();
  }

  pendingTimers(): number {
    return this.timers.filter((t) => !t.cancelled).length;
  }

  /** One-shot timers only: someone is waiting for a moment, not just ticking. */
  pendingTimeouts(): number {
    return this.timers.filter((t) => !t.cancelled && t.every === undefined).length;
  }

  private schedule(fn: () => void, ms: number, every: number | undefined): Timer {
    const t: Scheduled = { at: this.mono + Math.max(0, ms), fn, every, cancelled: false, seq: this.seq++ };
    this.timers.push(t);
    return { cancel: () => void (t.cancelled = true) };
  }
}

export async function flushMicrotasks(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
  await new Promise<void>((resolve) => setImmediate(resolve));
}
