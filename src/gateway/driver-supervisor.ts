import type { UpsSection } from '../conf/model.js';
import type { Clock, Timer } from '../core/clock.js';
import type { Device } from '../core/device.js';
import type { Logger } from '../core/logger.js';
import { DriverConfigError, type Driver } from '../drivers/driver.js';

export interface SupervisorOptions {
  /** ups.conf maxretry: start attempts before giving up (upsdrvctl: default 1). */
  attempts: number;
  /** ups.conf retrydelay: seconds between attempts (default 5). */
  retryDelaySeconds: number;
  clock: Clock;
  log: Logger;
}

/**
 * What upsdrvctl does for one driver: start it, retry a failed start `maxretry` times, stop it.
 * A configuration error is not retried: it is the user's to fix, so it stops the gateway with
 * its file:line:column. The driver is the Device's command target while it runs.
 */
export class DriverSupervisor {
  private retry: Timer | undefined;
  private stopped = false;

  constructor(
    private readonly driver: Driver,
    private readonly device: Device,
    private readonly section: UpsSection,
    private readonly options: SupervisorOptions,
  ) {}

  /** Resolves after the first attempt; later attempts run in the background. Rejects on a configuration error. */
  async start(): Promise<void> {
    await this.attempt(1);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.retry?.cancel();
    this.device.bindCommandTarget(undefined);
    try {
      await this.driver.stop();
    } catch (e) {
      this.options.log.warn(`stopping failed: ${String(e)}`);
    }
  }

  private async attempt(n: number): Promise<void> {
    if (this.stopped) return;
    try {
      await this.driver.start();
      this.device.bindCommandTarget(this.driver);
      this.options.log.info(`${this.driver.driverName} started for UPS ${this.section.name}`);
    } catch (e) {
      if (e instanceof DriverConfigError) throw e;
      const { attempts, retryDelaySeconds, clock, log } = this.options;
      if (n >= attempts) {
        log.error(`${this.driver.driverName} for UPS ${this.section.name} failed to start (${String(e)}); gave up after ${n} attempt(s)`);
        return;
      }
      log.warn(`${this.driver.driverName} for UPS ${this.section.name} failed to start (${String(e)}); retrying in ${retryDelaySeconds} s`);
      this.retry = clock.setTimeout(() => void this.attempt(n + 1), retryDelaySeconds * 1000);
    }
  }
}
