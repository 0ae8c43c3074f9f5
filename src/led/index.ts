import type { spawn } from 'node:child_process';
import type { LedSettings as ConfLedSettings } from '../conf/settings-model.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { LedBackend } from './backend.js';
import { GpiosetLed, type RunCommand } from './gpioset-led.js';
import { NoneLed } from './none-led.js';
import { SysfsLed } from './sysfs-led.js';

export type { LedBackend } from './backend.js';
export { LED_PATTERNS, describePattern, patternKey, type LedPattern } from './patterns.js';
export { ledStateOf, type LedState } from './led-state.js';
export { startStatusLed, type StatusLed, type StatusLedOptions } from './status-led.js';
export { SysfsLed, DEFAULT_LEDS_ROOT } from './sysfs-led.js';
export { GpiosetLed, parseGpiosetVersion } from './gpioset-led.js';
export { NoneLed } from './none-led.js';

/** upsgate.json's led settings (conf/settings-model.ts), and where the LED class lives for tests. */
export type LedSettings = ConfLedSettings & { sysfsRoot?: string };

/** The injectable edges, for tests; the gateway passes none. */
export interface LedDeps {
  clock?: Clock;
  spawn?: typeof spawn;
  run?: RunCommand;
}

export const DEFAULT_SYSFS_LED = 'ACT';

/** Opens the configured backend; rejects with an error that says what to change. */
export async function createLedBackend(settings: LedSettings, log: Logger, deps: LedDeps = {}): Promise<LedBackend> {
  switch (settings.backend) {
    case 'none':
      return new NoneLed();
    case 'sysfs':
      return SysfsLed.open(settings.name ?? DEFAULT_SYSFS_LED, {
        ...(settings.sysfsRoot !== undefined ? { root: settings.sysfsRoot } : {}),
        log,
        ...(deps.clock ? { clock: deps.clock } : {}),
      });
    case 'gpio':
      if (!settings.line) throw new Error('led.line is required for the gpio backend: a line name such as GPIO17, or an offset with led.chip');
      return GpiosetLed.open({
        line: settings.line,
        ...(settings.chip !== undefined ? { chip: settings.chip } : {}),
        log,
        ...(deps.clock ? { clock: deps.clock } : {}),
        ...(deps.spawn ? { spawn: deps.spawn } : {}),
        ...(deps.run ? { run: deps.run } : {}),
      });
    default:
      throw new Error(`led.backend "${String((settings as { backend: unknown }).backend)}" is not one of none, sysfs, gpio`);
  }
}
