import type { Clock, Timer } from '../core/clock.js';
import type { DeviceTable } from '../core/device-table.js';
import type { Logger } from '../core/logger.js';
import type { LedBackend } from './backend.js';
import { ledStateOf, type LedState } from './led-state.js';
import { describePattern, LED_PATTERNS, patternKey } from './patterns.js';

export interface StatusLedOptions {
  backend: LedBackend;
  devices: DeviceTable;
  /** The monitor's shutdown sequence is running. */
  shuttingDown(): boolean;
  /** The gateway cannot protect anyone (a driver gave up, no UPS configured). */
  fault(): boolean;
  clock: Clock;
  log: Logger;
}

export interface StatusLed {
  /** Re-subscribes to the device table's current UPSes (after a reload) and recomputes. */
  refresh(): void;
  /** Unsubscribes, cancels timers, waits for a show in flight, gives the LED back. */
  stop(): Promise<void>;
}

/**
 * Polls the two flags that have no events (shuttingDown, fault) and catches staleness by age,
 * which a Device only reports when someone calls checkAvailability().
 */
const RECHECK_MS = 1000;

/**
 * Device events -> LED pattern. A driver poll sets many variables in one go, so recomputing is
 * coalesced to one microtask per burst; the backend is called only when the pattern changes, one
 * call at a time, and nothing it throws leaves this file.
 */
export function startStatusLed(opts: StatusLedOptions): StatusLed {
  const { backend, devices, clock, log } = opts;
  let unsubscribes: (() => void)[] = [];
  let scheduled = false;
  let stopped = false;
  /** The pattern last handed to the backend (whether or not it managed), and the one wanted. */
  let shownKey: string | undefined;
  let wanted: { state: LedState; key: string } | undefined;
  let worker: Promise<void> | undefined;

  const compute = (): void => {
    scheduled = false;
    if (stopped) return;
    let state: LedState;
    try {
      state = ledStateOf({ devices: devices.list(), shuttingDown: opts.shuttingDown(), fault: opts.fault() });
    } catch (e) {
      // A throwing flag getter must not stop the LED; "fault" is the honest thing to show.
      log.warn(`led: cannot work out the state: ${message(e)}`);
      state = 'fault';
    }
    const key = patternKey(LED_PATTERNS[state]);
    if (key === wanted?.key) return;
    wanted = { state, key };
    worker ??= drain();
  };

  /** One show at a time, always towards the latest wanted pattern; intermediate ones are skipped. */
  const drain = async (): Promise<void> => {
    // Yield first, so `worker` is assigned before the loop can finish and clear it.
    await null;
    while (!stopped && wanted && wanted.key !== shownKey) {
      const { state, key } = wanted;
      const pattern = LED_PATTERNS[state];
      shownKey = key;
      log.info(`led: ${state} (${describePattern(pattern)}) on ${backend.name}`);
      try {
        await backend.show(pattern);
      } catch (e) {
        // Logged once for this change; not retried until the state changes again, so a broken
        // LED costs one line, not one a second.
        log.warn(`led: ${backend.name} could not show ${state}: ${message(e)}`);
      }
    }
    worker = undefined;
  };

  const schedule = (): void => {
    if (scheduled || stopped) return;
    scheduled = true;
    queueMicrotask(compute);
  };

  const subscribe = (): void => {
    for (const u of unsubscribes) u();
    unsubscribes = [];
    for (const d of devices.list()) {
      unsubscribes.push(
        d.on('variable', (name) => {
          if (name.toLowerCase() === 'ups.status') schedule();
        }),
        d.on('availability', schedule),
        d.on('fsd', schedule),
      );
    }
  };

  subscribe();
  const interval: Timer = clock.setInterval(schedule, RECHECK_MS);
  schedule();

  return {
    refresh(): void {
      if (stopped) return;
      subscribe();
      schedule();
    },
    async stop(): Promise<void> {
      if (stopped) return;
      stopped = true;
      interval.cancel();
      for (const u of unsubscribes) u();
      unsubscribes = [];
      await worker;
      try {
        await backend.close();
      } catch (e) {
        log.warn(`led: ${backend.name} could not be closed: ${message(e)}`);
      }
    },
  };
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
