import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Clock, Timer } from '../../../../src/core/clock.js';
import { createLogger, type Level, type Logger } from '../../../../src/core/logger.js';

/**
 * A clock moved synchronously, so a test can feed days of 2-second polls quickly: `step(ms)`
 * moves monotonic and wall time together and fires the intervals that fall due; `jumpWall(ms)`
 * sets the wall clock alone, like NTP stepping a Pi without an RTC.
 */
export class StepClock implements Clock {
  mono = 1_000_000;
  wall: number;
  private readonly intervals: Array<{ at: number; every: number; fn: () => void; cancelled: boolean }> = [];

  constructor(wallStart = Date.UTC(2026, 0, 5, 12, 0, 0)) {
    this.wall = wallStart;
  }

  now(): number {
    return this.mono;
  }

  wallNow(): number {
    return this.wall;
  }

  setTimeout(): Timer {
    throw new Error('the history store has no business with one-shot timers');
  }

  setInterval(fn: () => void, ms: number): Timer {
    const t = { at: this.mono + ms, every: ms, fn, cancelled: false };
    this.intervals.push(t);
    return { cancel: () => void (t.cancelled = true) };
  }

  activeIntervals(): number {
    return this.intervals.filter((t) => !t.cancelled).length;
  }

  step(ms: number): void {
    const end = this.mono + ms;
    for (;;) {
      const due = this.intervals.filter((t) => !t.cancelled && t.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.wall += due.at - this.mono;
      this.mono = due.at;
      due.at += due.every;
      due.fn();
    }
    this.wall += end - this.mono;
    this.mono = end;
  }

  jumpWall(ms: number): void {
    this.wall += ms;
  }
}

export function capture(): { lines: string[]; log: Logger } {
  const lines: string[] = [];
  return { lines, log: createLogger('ui', (level: Level, _room, m) => lines.push(`${level} ${m}`), 'debug') };
}

export async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'upsgate-history-'));
}

/** Waits for something a background write does (the flush timer does not hand back its promise). */
export async function waitFor(what: string, cond: () => Promise<boolean>, ms = 3000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
