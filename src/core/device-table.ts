import type { Device } from './device.js';

/**
 * The UPSes the gateway serves, in ups.conf order (the order of LIST UPS). Lookups ignore case
 * and take the first match, as upsd's do.
 */
export class DeviceTable {
  private readonly ordered: Device[] = [];

  constructor(devices: Iterable<Device> = []) {
    for (const d of devices) this.add(d);
  }

  add(device: Device): void {
    this.ordered.push(device);
  }

  get(name: string): Device | undefined {
    const key = name.toLowerCase();
    return this.ordered.find((d) => d.name.toLowerCase() === key);
  }

  list(): readonly Device[] {
    return this.ordered;
  }

  get size(): number {
    return this.ordered.length;
  }
}
