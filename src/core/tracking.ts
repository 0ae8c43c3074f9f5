import { randomUUID } from 'node:crypto';
import type { Clock } from './clock.js';
import type { CommandOutcome } from './command-target.js';

export type TrackingState = 'pending' | CommandOutcome;

interface Entry {
  state: TrackingState;
  expiresAt: number;
}

/**
 * Results of INSTCMD / SET VAR requests that asked for tracking (protocol 1.3). Ids are random
 * UUIDv4s in upper case, as upsd issues them; lookups ignore case; entries are forgotten after
 * upsd.conf TRACKINGDELAY (default 3600 s) on the monotonic clock. The table is bounded: past
 * `maxEntries`, the oldest entries go first.
 */
export class TrackingTable {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly clock: Clock,
    public lifetimeMs = 3600_000,
    private readonly maxEntries = 10_000,
  ) {}

  create(): string {
    this.expire();
    while (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
    const id = randomUUID().toUpperCase();
    this.entries.set(id, { state: 'pending', expiresAt: this.clock.now() + this.lifetimeMs });
    return id;
  }

  resolve(id: string, outcome: CommandOutcome): void {
    const e = this.entries.get(id);
    if (e) e.state = outcome;
  }

  /** undefined when the id is unknown or expired. */
  get(id: string): TrackingState | undefined {
    this.expire();
    return this.entries.get(id.toUpperCase())?.state;
  }

  private expire(): void {
    const now = this.clock.now();
    for (const [id, e] of this.entries) {
      if (e.expiresAt <= now) this.entries.delete(id);
    }
  }
}
