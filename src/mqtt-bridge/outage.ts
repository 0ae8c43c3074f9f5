/**
 * The retained outage topic: when the current outage began and when the battery is expected to
 * run out, or, with mains present, how the last one went. Durations come from the monotonic
 * clock; the wall clock is read only to print the instants (a Pi without RTC may jump).
 */
import type { Clock } from '../core/clock.js';

export interface OutageReport {
  state: 'on_battery' | 'none';
  /** ISO 8601; null with mains present. */
  started_at: string | null;
  /** Seconds on battery so far (when published). */
  duration_s: number | null;
  /** ISO 8601: now + battery.runtime; null when the UPS does not say. */
  estimated_depletion_at: string | null;
  last: { started_at: string; ended_at: string; duration_s: number } | null;
}

/** An estimate that moved less than this is not worth a new retained message. */
const ESTIMATE_SLACK_MS = 60_000;

interface Running {
  startMono: number;
  startWall: number;
}

export class OutageTracker {
  private running: Running | undefined;
  private last: OutageReport['last'] = null;
  private lastEstimateWall: number | null = null;
  private published: string | undefined;

  constructor(private readonly clock: Clock) {}

  /**
   * Feeds the UPS's current status; returns the report when it is worth publishing (the state
   * changed, or the depletion estimate moved by more than a minute), else undefined.
   */
  update(onBattery: boolean, runtimeSeconds: number | null): OutageReport | undefined {
    const nowMono = this.clock.now();
    const nowWall = this.clock.wallNow();
    if (onBattery && !this.running) this.running = { startMono: nowMono, startWall: nowWall };
    if (!onBattery && this.running) {
      const durationMs = nowMono - this.running.startMono;
      this.last = {
        started_at: iso(this.running.startWall),
        ended_at: iso(this.running.startWall + durationMs),
        duration_s: Math.round(durationMs / 1000),
      };
      this.running = undefined;
    }
    const estimate = this.running && runtimeSeconds !== null ? nowWall + runtimeSeconds * 1000 : null;
    const key = `${this.running ? this.running.startMono : 'none'}|${this.last?.ended_at ?? ''}`;
    const estimateMoved =
      (estimate === null) !== (this.lastEstimateWall === null) ||
      (estimate !== null && this.lastEstimateWall !== null && Math.abs(estimate - this.lastEstimateWall) > ESTIMATE_SLACK_MS);
    if (key === this.published && !estimateMoved) return undefined;
    this.published = key;
    this.lastEstimateWall = estimate;
    return this.report(estimate);
  }

  /** The report as it stands (for a full republish after connecting). */
  current(): OutageReport {
    return this.report(this.lastEstimateWall);
  }

  private report(estimate: number | null): OutageReport {
    const r = this.running;
    return {
      state: r ? 'on_battery' : 'none',
      started_at: r ? iso(r.startWall) : null,
      duration_s: r ? Math.round((this.clock.now() - r.startMono) / 1000) : null,
      estimated_depletion_at: estimate === null ? null : iso(estimate),
      last: this.last,
    };
  }
}

function iso(wallMs: number): string {
  return new Date(wallMs).toISOString();
}
