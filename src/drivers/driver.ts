import type { Clock } from '../core/clock.js';
import type { CommandTarget } from '../core/command-target.js';
import type { DeviceWriter } from '../core/device.js';
import type { Logger } from '../core/logger.js';
import type { UpsConfEntry, UpsSection } from '../conf/model.js';

/** Everything a driver gets from the gateway. It writes what it learns into `device` only. */
export interface DriverContext {
  /** The ups.conf section, as written. */
  section: UpsSection;
  /** ups.conf lines before the first section (a global `synchronous`, for instance). */
  upsConfGlobals?: readonly UpsConfEntry[];
  /** Seconds between updates: the section's `pollinterval`, else the global one (NUT default 2). */
  pollIntervalSeconds: number;
  /** The folder relative paths in ups.conf are resolved against (NUT's configuration path). */
  confDir: string;
  device: DeviceWriter;
  clock: Clock;
  log: Logger;
  /**
   * The driver cannot go on by itself (hardware lost for good after every retry): the gateway
   * ends the process non-zero so the service manager restarts it. Absent in tests and one-shot
   * commands, where the driver just stops.
   */
  giveUp?: (reason: string) => void;
}

/**
 * The Driver contract. A driver owns one UPS: `start` brings it up (publishing variables and
 * commands, then `device.driverConnected()`), then it keeps the device current on its own
 * schedule, calling `heartbeat()`/`dataOk()` after each good update and `dataStale()` when it
 * loses the hardware, `driverLost()` when it gives up. `stop` ends every timer and handle.
 *
 * `instcmd`/`setVariable` come from the command router, never from a subscriber directly.
 */
export interface Driver extends CommandTarget {
  /** NUT driver name, e.g. `dummy-ups`. */
  readonly driverName: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** A driver refused its configuration: names the ups.conf line and what is accepted. */
export class DriverConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DriverConfigError';
  }
}

export type DriverFactory = (ctx: DriverContext) => Driver;
