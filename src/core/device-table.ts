import type { Device } from './device.js';

/**
 * The UPSes the gateway serves, in ups.conf order (the order of LIST UPS). Lookups ignore case
 * and take the first match, as upsd's do.
 */
export class DeviceTable {
  private readonly ordered: Device[] = [];
  /** Lower-cased name → the first device with it (every request looks a UPS up). */
  private readonly byName = new Map<string, Device>();

  constructor(devices: Iterable<Device> = []) {
    for (const d of devices) this.add(d);
  }

  add(device: Device): void {
    this.ordered.push(device);
    const key = device.name.toLowerCase();
    if (!this.byName.has(key)) this.byName.set(key, device);
  }

  /** A reload's new list (kept Devices are the same objects, so NUT clients' logins stay). */
  replace(devices: Iterable<Device>): void {
    this.ordered.length = 0;
    this.byName.clear();
    for (const d of devices) this.add(d);
  }

  get(name: string): Device | undefined {
    return this.byName.get(name.toLowerCase());
  }

  list(): readonly Device[] {
    return this.ordered;
  }

  get size(): number {
    return this.ordered.length;
  }
}
