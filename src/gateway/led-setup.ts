/**
 * Starts the status LED (loaded only when upsgate.json names one): opens the backend, then lets
 * src/led follow the Devices and the monitor. An LED that cannot be opened is logged and the
 * gateway runs on: a missing light must never stop the shutdown logic.
 *
 * A sysfs LED is also named in $RUNTIME_DIRECTORY/led (/run/upsgate/led under systemd), so the
 * unit's ExecStopPost=+ led-fault script knows which LED to hand to the kernel's heartbeat
 * trigger when the daemon dies: a dead gateway stays visible with no code of ours running.
 */
import { rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Clock } from '../core/clock.js';
import type { DeviceTable } from '../core/device-table.js';
import type { Logger } from '../core/logger.js';
import { createLedBackend, DEFAULT_SYSFS_LED, startStatusLed, type LedSettings } from '../led/index.js';

export interface LedWorld {
  devices: DeviceTable;
  /** The monitor's shutdown sequence is under way (or done). */
  shuttingDown(): boolean;
  /** Nothing is protected: no UPS configured. */
  fault(): boolean;
  clock: Clock;
  log: Logger;
  /** Where the LED marker goes; default the first of $RUNTIME_DIRECTORY (unset: no marker). */
  runtimeDir?: string | undefined;
}

export interface LedSetup {
  refresh(): void;
  stop(): Promise<void>;
}

/** The file led-fault (systemd/libexec/led-fault) reads: the LED's name under /sys/class/leds. */
export const LED_MARKER = 'led';

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
  const runtimeDir = 'runtimeDir' in world ? world.runtimeDir : process.env.RUNTIME_DIRECTORY?.split(':')[0] || undefined;
  const marker = settings.backend === 'sysfs' && runtimeDir ? join(runtimeDir, LED_MARKER) : undefined;
  if (marker) await writeMarker(marker, settings.name ?? DEFAULT_SYSFS_LED, log);
  const led = startStatusLed({ backend, devices: world.devices, shuttingDown: world.shuttingDown, fault: world.fault, clock: world.clock, log });
  return {
    refresh: () => led.refresh(),
    async stop() {
      await led.stop();
      // A clean stop gives the LED back (close()); led-fault must then leave it alone.
      if (marker) await rm(marker, { force: true }).catch((e: unknown) => log.debug(`cannot remove ${marker}: ${String(e)}`));
    },
  };
}

/** Atomically (temp file + rename), so led-fault never reads half a name; never throws. */
async function writeMarker(path: string, name: string, log: Logger): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    await writeFile(tmp, `${name}\n`, { mode: 0o644 });
    await rename(tmp, path);
  } catch (e) {
    log.debug(`cannot write ${path}: ${(e as Error).message}`);
    await rm(tmp, { force: true }).catch(() => undefined);
  }
}
