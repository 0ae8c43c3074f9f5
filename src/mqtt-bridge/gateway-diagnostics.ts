/**
 * The gateway's own Home Assistant device: version, uptime, NUT clients, and how often drivers
 * were lost and came back (the first thing to look at when a UPS entity flaps).
 */
import type { Clock } from '../core/clock.js';
import type { Availability } from '../core/device.js';

export interface DiagnosticsPayload {
  version: string;
  /** ISO 8601: when this run started. */
  started_at: string;
  uptime_s: number;
  nut_clients: number;
  driver_drops: number;
  driver_recoveries: number;
}

export class GatewayDiagnostics {
  private readonly startMono: number;
  private readonly startWall: number;
  private drops = 0;
  private recoveries = 0;
  private readonly lost = new Set<string>();
  private readonly seen = new Set<string>();

  constructor(
    private readonly clock: Clock,
    private readonly version: string,
    private readonly nutClients: () => number,
  ) {
    this.startMono = clock.now();
    this.startWall = clock.wallNow();
  }

  /** A drop is a driver that had been connected going away; a recovery is its return. */
  noteAvailability(ups: string, state: Availability): void {
    if (state === 'not-connected') {
      if (this.seen.has(ups) && !this.lost.has(ups)) {
        this.lost.add(ups);
        this.drops++;
      }
      return;
    }
    this.seen.add(ups);
    if (this.lost.delete(ups)) this.recoveries++;
  }

  payload(): DiagnosticsPayload {
    return {
      version: this.version,
      started_at: new Date(this.startWall).toISOString(),
      uptime_s: Math.round((this.clock.now() - this.startMono) / 1000),
      nut_clients: this.nutClients(),
      driver_drops: this.drops,
      driver_recoveries: this.recoveries,
    };
  }

  /** What changes other than the uptime: a new value is worth publishing at once, the uptime waits for the minute tick. */
  static changeKey(p: DiagnosticsPayload): string {
    return `${p.nut_clients}|${p.driver_drops}|${p.driver_recoveries}`;
  }
}
