import type { DeviceWriter } from '../core/device.js';
import { strtol } from '../core/c-number.js';
import { capValue } from './dstate-text.js';

/**
 * Building `ups.status` the way every NUT driver does (dstate.c status_init / status_set /
 * status_commit), including the `ignorelb` flag from ups.conf:
 * - with `ignorelb`, a token that is exactly `LB` (any case) from the device is dropped, and
 *   commit appends ` LB` itself when battery.charge < battery.charge.low, or else when
 *   battery.runtime < battery.runtime.low (C `strtol` on both sides, so "12%" reads as 12);
 * - the append is a plain concatenation: an otherwise empty status becomes " LB", as in NUT;
 * - the flag is looked up at `init()` and, as in NUT, stays on once seen.
 */
export class UpsStatus {
  private buffer = '';
  private ignoreLb = false;

  constructor(private readonly device: DeviceWriter) {}

  /** Starts a new status (status_init). */
  init(): void {
    if (this.device.getInfo('driver.flag.ignorelb') !== undefined) this.ignoreLb = true;
    this.buffer = '';
  }

  /** Adds one element (status_set); an element may itself hold several words. */
  set(element: string): void {
    if (this.ignoreLb && element.toLowerCase() === 'lb') return;
    this.buffer = capValue(this.buffer.length > 0 ? `${this.buffer} ${element}` : element);
  }

  /** Publishes the status (status_commit). */
  commit(): void {
    if (this.ignoreLb && this.batteryLow()) this.buffer = capValue(`${this.buffer} LB`);
    this.device.setInfo('ups.status', this.buffer);
  }

  /** init + set each element + commit. */
  publish(elements: readonly string[]): void {
    this.init();
    for (const e of elements) this.set(e);
    this.commit();
  }

  private batteryLow(): boolean {
    return this.below('battery.charge', 'battery.charge.low') || this.below('battery.runtime', 'battery.runtime.low');
  }

  private below(name: string, lowName: string): boolean {
    const value = this.device.getInfo(name);
    const low = this.device.getInfo(lowName);
    return value !== undefined && low !== undefined && strtol(value) < strtol(low);
  }
}

/**
 * main.c's start-up check: `ignorelb` only makes sense when the driver can tell low battery
 * itself. Returns the variables it will use, or undefined when there is no way.
 */
export function lowBatterySources(device: DeviceWriter): string[] | undefined {
  const sources: string[] = [];
  if (device.getInfo('battery.charge') !== undefined && device.getInfo('battery.charge.low') !== undefined) {
    sources.push('battery.charge');
  }
  if (device.getInfo('battery.runtime') !== undefined && device.getInfo('battery.runtime.low') !== undefined) {
    sources.push('battery.runtime');
  }
  return sources.length > 0 ? sources : undefined;
}
