import type { Device } from '../core/device.js';

/** What the status LED tells a person standing next to the box. */
export type LedState = 'online' | 'on-battery' | 'low-battery' | 'shutting-down' | 'comm-lost' | 'fault' | 'off';

/**
 * One LED for every UPS, so the worst one wins. The order is "what must the person act on first":
 *
 *   shutting-down  the monitor's shutdown sequence runs, or any UPS has FSD: machines are going
 *                  down now; unplugging or fiddling with the box is the one thing not to do.
 *   fault          the gateway itself cannot do its job (a driver gave up, no UPS configured):
 *                  nobody is protected, whatever the power does, so it outranks any power state.
 *   low-battery    OB + LB (NUT's "critical"): a shutdown is imminent.
 *   comm-lost      a UPS is stale or its driver is not connected: we are blind to it, which is
 *                  worse than a known, still-healthy on-battery state (it might be critical).
 *   on-battery     OB: running on the battery, nothing to do yet.
 *   online         every UPS is fresh and on line power.
 *
 * A stale or disconnected UPS counts as comm-lost only: its last status tokens are not fresh, and
 * stale data is never shown as fresh ("Stale is stale"). Its FSD latch is server-side state, not
 * driver data, so it still counts. With no UPS at all (and no fault reported), there is nothing to
 * show, so the LED is off rather than claiming "online".
 */
export function ledStateOf(input: { devices: readonly Device[]; shuttingDown: boolean; fault: boolean }): LedState {
  if (input.shuttingDown || input.devices.some((d) => d.fsd)) return 'shutting-down';
  if (input.fault) return 'fault';
  if (input.devices.length === 0) return 'off';
  let lowBattery = false;
  let commLost = false;
  let onBattery = false;
  for (const d of input.devices) {
    if (d.availability() !== 'ok') {
      commLost = true;
      continue;
    }
    const tokens = d.statusTokens();
    if (tokens.includes('FSD')) return 'shutting-down';
    const ob = tokens.includes('OB');
    if (ob && tokens.includes('LB')) lowBattery = true;
    else if (ob) onBattery = true;
  }
  if (lowBattery) return 'low-battery';
  if (commLost) return 'comm-lost';
  if (onBattery) return 'on-battery';
  return 'online';
}
