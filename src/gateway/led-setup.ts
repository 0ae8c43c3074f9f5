/**
 * Starts the status LED (loaded only when upsgate.json names one): opens the backend, then lets
 * src/led follow the Devices and the monitor. An LED that cannot be opened is logged and the
 * gateway runs on: a missing light must never stop the shutdown logic.
 */
import type { LedSettings } from '../conf/settings-model.js';
import type { Clock } from '../core/clock.js';
import type { DeviceTable } from '../core/device-table.js';
import type { Logger } from '../core/logger.js';
import { createLedBackend, startStatusLed } from '../led/index.js';

export interface LedWorld {
  devices: DeviceTable;
  /** The monitor's shutdown sequence is under way (or done). */
  shuttingDown(): boolean;
  /** Nothing is protected: no UPS configured. */
  fault(): boolean;
  clock: Clock;
  log: Logger;
}

export interface LedSetup {
  refresh(): void;
  stop(): Promise<void>;
}

export async function startLed(settings: LedSettings, world: LedWorld): Promise<LedSetup | undefined> {
  const log = world.log.child('led');
  let backend;
  try {
    backend = await createLedBackend(settings, log);
  } catch (e) {
    log.error(`status LED not started: ${(e as Error).message}`);
    return undefined;
  }
  log.info(`status LED on ${backend.name}`);
  return startStatusLed({ backend, devices: world.devices, shuttingDown: world.shuttingDown, fault: world.fault, clock: world.clock, log });
}
