/**
 * The real bus: node-hid 3.x on Linux hidraw. node-hid is an optional dependency, imported only
 * when a usbhid-ups section starts (its native module costs memory an idle gateway without a USB
 * UPS should not pay), and a machine where it cannot load still runs every other driver.
 *
 * The hidraw backend goes through the kernel's hid-generic driver, so the kernel keeps the device
 * and nothing is detached; what node-hid does not give (the report descriptor, the bus number)
 * comes from sysfs (sysfs.ts).
 */
import type { HidBus, HidDeviceInfo, HidTransport } from '../hid-types.js';
import { readReportDescriptor, usbLocation, usesReportIds, type UsbLocation } from './sysfs.js';
import { looksLikeUps, POWER_DEVICE_PAGE, UPS_USAGE } from './ups-vendors.js';

/** The part of node-hid's device list entry used here. */
export interface NodeHidDeviceEntry {
  vendorId: number;
  productId: number;
  path?: string | undefined;
  serialNumber?: string | undefined;
  manufacturer?: string | undefined;
  product?: string | undefined;
  release?: number | undefined;
  interface?: number | undefined;
  usagePage?: number | undefined;
  usage?: number | undefined;
}

/** The part of node-hid's HIDAsync used here (an EventEmitter: 'data', 'error'). */
export interface NodeHidDevice {
  on(event: 'data', listener: (data: Buffer) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  getFeatureReport(reportId: number, length: number): Promise<Buffer>;
  sendFeatureReport(data: Buffer): Promise<number>;
  close(): Promise<void>;
}

/** The part of the node-hid module used here; tests pass a fake. */
export interface NodeHidModule {
  devicesAsync(): Promise<NodeHidDeviceEntry[]>;
  HIDAsync: { open(path: string): Promise<NodeHidDevice> };
  getHidapiVersion(): string;
}

export class NodeHidUnavailable extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'NodeHidUnavailable';
  }
}

/** Says what is missing, from what Node or the dynamic linker said. */
export function explainLoadFailure(error: unknown, platform = `${process.platform}-${process.arch}`): string {
  const text = error instanceof Error ? error.message : String(error);
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const lead = 'USB HID UPS support (node-hid) cannot load';
  if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND' || /Cannot find (package|module) 'node-hid'/.test(text)) {
    return `${lead}: the node-hid package is not installed (it is an optional dependency); install it beside upsgate with "npm install node-hid"`;
  }
  if (/libudev\.so/.test(text)) return `${lead}: the system library libudev.so.1 is missing; install it with "apt install libudev1"`;
  if (/libusb-1\.0\.so/.test(text)) return `${lead}: the system library libusb-1.0.so.0 is missing; install it with "apt install libusb-1.0-0"`;
  if (/GLIBC_[0-9.]+' not found/.test(text)) return `${lead}: this system's C library is older than node-hid's prebuilt binary needs (${text})`;
  if (/Failed to find binding|No native build|invalid ELF header|wrong ELF class/.test(text)) {
    return (
      `${lead}: node-hid ships no prebuilt binary for ${platform} (a Raspberry Pi Zero/1 is ARMv6); build it from source with ` +
      '"apt install build-essential python3 libudev-dev libusb-1.0-0-dev && npm rebuild node-hid"'
    );
  }
  return `${lead}: ${text}`;
}

/**
 * Imports node-hid and makes it load its native binding at once (node-hid defers that to the first
 * call), so a missing library is reported here, with what to install, not at the first poll.
 */
export async function loadNodeHid(importer: () => Promise<unknown> = () => import('node-hid')): Promise<NodeHidModule> {
  try {
    const ns = (await importer()) as { default?: unknown };
    const mod = (ns.default ?? ns) as NodeHidModule;
    mod.getHidapiVersion();
    return mod;
  } catch (e) {
    throw new NodeHidUnavailable(explainLoadFailure(e), { cause: e });
  }
}

export interface NodeHidBusOptions {
  /** Where sysfs is mounted; tests point it at a temp folder. */
  sysfsRoot?: string;
}

/** The bus on real hardware: loads node-hid (NodeHidUnavailable says what is missing). */
export async function openNodeHidBus(options: NodeHidBusOptions = {}): Promise<NodeHidBus> {
  return new NodeHidBus(await loadNodeHid(), options);
}

function isUpsCollection(d: NodeHidDeviceEntry): boolean {
  return d.usagePage === POWER_DEVICE_PAGE && d.usage === UPS_USAGE;
}

export class NodeHidBus implements HidBus {
  private readonly sysfsRoot: string;
  private readonly locations = new Map<string, UsbLocation | undefined>();

  constructor(
    private readonly hid: NodeHidModule,
    options: NodeHidBusOptions = {},
  ) {
    this.sysfsRoot = options.sysfsRoot ?? '/sys';
  }

  /**
   * HID UPSes only: a Power Device UPS collection, or a product NUT's subdrivers claim. hidapi
   * lists a device once per top-level collection, so entries are merged by path (one hidraw node),
   * keeping the UPS collection's usage.
   */
  async list(): Promise<HidDeviceInfo[]> {
    const byPath = new Map<string, NodeHidDeviceEntry>();
    for (const d of await this.hid.devicesAsync()) {
      if (!d.path || !looksLikeUps(d)) continue;
      const seen = byPath.get(d.path);
      if (!seen || (!isUpsCollection(seen) && isUpsCollection(d))) byPath.set(d.path, d);
    }
    this.locations.clear();
    const out: HidDeviceInfo[] = [];
    for (const [path, d] of byPath) {
      const where = await usbLocation(this.sysfsRoot, path);
      this.locations.set(path, where);
      out.push({
        vendorId: d.vendorId,
        productId: d.productId,
        manufacturer: d.manufacturer || undefined,
        product: d.product || undefined,
        serial: d.serialNumber || undefined,
        release: d.release,
        path,
        bus: where?.bus,
        device: where?.device,
        usagePage: d.usagePage,
        usage: d.usage,
      });
    }
    return out;
  }

  async open(device: HidDeviceInfo): Promise<HidTransport> {
    const location = this.locations.has(device.path) ? this.locations.get(device.path) : await usbLocation(this.sysfsRoot, device.path);
    const descriptor = await readReportDescriptor(this.sysfsRoot, device.path);
    const handle = await this.hid.HIDAsync.open(device.path);
    return new NodeHidTransport(handle, device, descriptor, location);
  }
}

class NodeHidTransport implements HidTransport {
  private readonly inputListeners: Array<(report: Buffer) => void> = [];
  private readonly goneListeners: Array<(error: Error) => void> = [];
  private goneError: Error | undefined;
  private closed = false;
  /** hidraw delivers Input reports of a device without report IDs without the 0 byte the contract promises. */
  private readonly prefixInput: boolean;

  constructor(
    private readonly handle: NodeHidDevice,
    readonly info: HidDeviceInfo,
    private readonly descriptor: Buffer,
    private readonly location: UsbLocation | undefined,
  ) {
    this.prefixInput = !usesReportIds(descriptor);
    // Both listeners go on at once: the 'data' listener starts node-hid's read thread, whose
    // error is how an unplug is noticed, and an 'error' event without a listener would throw.
    handle.on('data', (data) => this.input(data));
    handle.on('error', (error) => this.fail(error));
  }

  async reportDescriptor(): Promise<Buffer> {
    this.usable();
    return Buffer.from(this.descriptor);
  }

  async getFeature(reportId: number, length: number): Promise<Buffer> {
    this.usable();
    try {
      return Buffer.from(await this.handle.getFeatureReport(reportId, Math.max(1, length)));
    } catch (e) {
      throw this.wrap(e, `GET_REPORT(Feature 0x${reportId.toString(16).padStart(2, '0')})`);
    }
  }

  async sendFeature(report: Buffer): Promise<void> {
    this.usable();
    let written: number;
    try {
      written = await this.handle.sendFeatureReport(report);
    } catch (e) {
      throw this.wrap(e, `SET_REPORT(Feature 0x${(report[0] ?? 0).toString(16).padStart(2, '0')})`);
    }
    if (written < report.length) {
      throw new Error(`${this.info.path}: SET_REPORT(Feature) wrote ${written} of ${report.length} bytes`);
    }
  }

  /**
   * hidraw has no way to fetch a string descriptor by index (that needs a USB control transfer the
   * kernel's HID driver does not pass through; hidapi's hidraw backend has no hid_get_indexed_string,
   * and node-hid binds none). What sysfs does give are the three enumeration strings and, in the
   * device descriptor, their indexes: those are answered; any other index is undefined.
   */
  async indexedString(index: number): Promise<string | undefined> {
    this.usable();
    const ix = this.location?.stringIndexes;
    if (!ix || index === 0) return undefined;
    if (index === ix.manufacturer) return this.info.manufacturer;
    if (index === ix.product) return this.info.product;
    if (index === ix.serial) return this.info.serial;
    return undefined;
  }

  onInput(listener: (report: Buffer) => void): void {
    this.inputListeners.push(listener);
  }

  onGone(listener: (error: Error) => void): void {
    this.goneListeners.push(listener);
    if (this.goneError) queueMicrotask(() => listener(this.goneError!));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.handle.close();
    } catch {
      // Closing a device that is already gone fails; there is nothing left to release.
    }
  }

  private usable(): void {
    if (this.closed) throw new Error(`${this.info.path}: the device was closed`);
    if (this.goneError) throw this.goneError;
  }

  private input(data: Buffer): void {
    if (this.closed || this.goneError) return;
    const report = this.prefixInput ? Buffer.concat([Buffer.of(0), data]) : Buffer.from(data);
    for (const l of [...this.inputListeners]) l(report);
  }

  private fail(error: Error): void {
    if (this.closed || this.goneError) return;
    this.goneError = new Error(`${this.info.path}: ${error.message}`, { cause: error });
    for (const l of [...this.goneListeners]) l(this.goneError);
  }

  private wrap(e: unknown, what: string): Error {
    const message = e instanceof Error ? e.message : String(e);
    return new Error(`${this.info.path}: ${what}: ${message}`, { cause: e });
  }
}
