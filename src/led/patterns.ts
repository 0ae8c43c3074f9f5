import type { LedState } from './led-state.js';

/**
 * What the LED does: steady, or a repeating on/off blink. Nothing richer (double flashes, fades),
 * because the kernel's `timer` trigger can only do on/off durations, and the kernel blinking is
 * what keeps the LED honest while Node is busy or stalled.
 */
export type LedPattern = { readonly onMs: number; readonly offMs: number } | 'on' | 'off';

/**
 * Chosen so that each differs from the others in speed or in how much of the time the LED is lit,
 * which a person tells apart in a glance of a second or two:
 *
 *   state          pattern                        meaning
 *   online         solid on                       all UPSes on line power, data fresh
 *   on-battery     slow blink   1 s on / 1 s off  running on battery, nothing to do yet
 *   low-battery    fast blink 0.2 s / 0.2 s       battery critical (OB LB), shutdown imminent
 *   shutting-down  flicker   0.05 s / 0.05 s      shutdown under way (or FSD): leave the box alone
 *   comm-lost      blip      0.1 s on / 1.9 s off mostly dark: a UPS cannot be seen (stale, no driver)
 *   fault          wink      1.7 s on / 0.3 s off mostly lit, dark wink: the gateway cannot protect
 *                                                 (a driver gave up, no UPS configured)
 *   off            dark                           nothing to show (no UPS), or the gateway stopped
 *
 * A dead gateway is shown by the systemd unit's ExecStopPost (the kernel `heartbeat` trigger),
 * not by anything here.
 */
export const LED_PATTERNS: Readonly<Record<LedState, LedPattern>> = {
  online: 'on',
  'on-battery': { onMs: 1000, offMs: 1000 },
  'low-battery': { onMs: 200, offMs: 200 },
  'shutting-down': { onMs: 50, offMs: 50 },
  'comm-lost': { onMs: 100, offMs: 1900 },
  fault: { onMs: 1700, offMs: 300 },
  off: 'off',
};

/** A stable key, so "did the pattern change" is a string comparison. */
export function patternKey(p: LedPattern): string {
  return typeof p === 'string' ? p : `${p.onMs}/${p.offMs}`;
}

/** For log lines a person reads. */
export function describePattern(p: LedPattern): string {
  return typeof p === 'string' ? p : `blink ${p.onMs} ms on / ${p.offMs} ms off`;
}
