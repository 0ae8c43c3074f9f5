import type { MonitorEntry } from '../conf/upsmon-model.js';
import type { Device } from '../core/device.js';
import type { PollResult, UpsSource } from './ups-source.js';

/**
 * A UPS of this gateway, read straight from its Device: what a upsmon on the NUT box itself sees
 * through upsd on localhost. The monitor counts as one login on the device (LIST CLIENT shows it
 * at 127.0.0.1, as a local upsmon would be), and its FSD sets the same latch secondaries read.
 * The MONITOR credentials were checked against upsd.users before this was built.
 */
export class LocalSource implements UpsSource {
  /** Negative, so it never collides with a network session's id. */
  private static nextLoginId = -1;
  private readonly loginId = LocalSource.nextLoginId--;
  readonly problem = undefined;

  constructor(
    private readonly entry: MonitorEntry,
    private readonly device: Device,
    readonly primaryGranted: boolean,
  ) {}

  start(): void {
    this.device.addLogin({ id: this.loginId, address: '127.0.0.1', username: this.entry.username });
  }

  async stop(): Promise<void> {
    this.device.removeLogin(this.loginId);
  }

  async poll(): Promise<PollResult> {
    const state = this.device.availability();
    if (state === 'not-connected') return { failure: 'Driver not connected' };
    if (state === 'stale') return { failure: 'Data stale' };
    const status = this.device.statusTokens().join(' ');
    const alarm = this.device.getInfo('ups.alarm');
    return alarm === undefined ? { status } : { status, alarm };
  }

  async setFsd(): Promise<string | undefined> {
    if (!this.primaryGranted) return 'not a primary of this UPS';
    this.device.setFsd();
    return undefined;
  }

  async otherLogins(): Promise<number> {
    return Math.max(0, this.device.numLogins - 1);
  }
}
