/**
 * Clears the discovery configs this gateway left on the broker for UPSes (or entities) it no
 * longer has — a UPS renamed or removed from ups.conf, a switch between device and entity mode —
 * so they do not linger in Home Assistant. Right after connecting the broker replays its retained
 * configs; for a few seconds each one under our node ids that we did not publish now is cleared.
 */
import type { Clock, Timer } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { ownedDiscoveryNode } from './discovery.js';
import type { Topics } from './topics.js';

/** Long enough for a broker to replay its retained messages, short enough to be done at start-up. */
export const SWEEP_MS = 5000;
/** A broker holding more of our stale configs than this is not ours to empty in one go. */
const MAX_CLEARED = 1000;

export class DiscoverySweep {
  private timer: Timer | undefined;
  private open = false;
  private cleared = 0;

  constructor(
    private readonly topics: Topics,
    private readonly clock: Clock,
    private readonly ownsNow: (topic: string) => boolean,
    private readonly clear: (topic: string) => boolean,
    private readonly log: Logger,
  ) {}

  /** What to subscribe to: both discovery layouts, so a mode switch cleans up after itself. */
  filters(): string[] {
    const p = this.topics.discoveryPrefix;
    return [`${p}/device/+/config`, `${p}/+/+/+/config`];
  }

  begin(): void {
    this.timer?.cancel();
    this.open = true;
    this.cleared = 0;
    this.timer = this.clock.setTimeout(() => {
      this.open = false;
      if (this.cleared > 0) this.log.info(`cleared ${this.cleared} discovery config(s) of UPSes or entities this gateway no longer has`);
    }, SWEEP_MS);
  }

  stop(): void {
    this.timer?.cancel();
    this.open = false;
  }

  /** A message on a discovery topic. */
  seen(topic: string, payload: Buffer): void {
    if (!this.open || payload.length === 0 || this.cleared >= MAX_CLEARED) return;
    if (ownedDiscoveryNode(topic, this.topics) === undefined || this.ownsNow(topic)) return;
    if (this.clear(topic)) this.cleared++;
  }
}
