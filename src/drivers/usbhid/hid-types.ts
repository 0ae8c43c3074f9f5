/**
 * The vocabulary the USB HID driver's parts share: a report descriptor parsed into fields with
 * NUT-style paths (the parser), values read from and written into report buffers (the codec),
 * the mapping from paths to NUT variables (the tables), and the device they come from (the
 * transport: node-hid on hidraw, or a recorded device replayed).
 */

export type ReportType = 'Input' | 'Output' | 'Feature';

/** One data field of a report, as NUT's hidparser stores it (unnamed padding is not a field). */
export interface HidField {
  /** NUT-style path: `UPS.PowerSummary.RemainingCapacity`; vendor usages as 8 hex digits; index nodes `[n]`. */
  path: string;
  /** The usage of each path node (page << 16 | id); index nodes are 0x00FF0000 | n. */
  nodes: number[];
  type: ReportType;
  reportId: number;
  /** Bit offset inside the report, not counting the leading report-ID byte. */
  offset: number;
  /** Bits. */
  size: number;
  /** After NUT's repair: LogMax < LogMin means LogMax was meant unsigned. */
  logMin: number;
  logMax: number;
  /** Undefined when the descriptor gave none (or gave 0 and 0): physical = logical. */
  phyMin: number | undefined;
  phyMax: number | undefined;
  /** HID unit code (e.g. 0x00F0D121 Volt) and exponent (-8..7), as in effect for this field. */
  unit: number;
  unitExp: number;
  /** The main item's Constant bit. */
  constant: boolean;
  /** The main item's data (bit 0 Constant, bit 1 Variable, bit 8 Buffered Bytes …): NUT refuses a write only when its low byte is exactly 0x01. */
  attributes?: number;
  /** Physical Minimum and Maximum were both in effect, even as 0 and 0 (which means physical = logical). */
  physicalGiven?: boolean;
}

/** USB enumeration facts about a HID device (node-hid `devices()`, or a replay file's `[device]`). */
export interface HidDeviceInfo {
  vendorId: number;
  productId: number;
  manufacturer: string | undefined;
  product: string | undefined;
  serial: string | undefined;
  /** bcdDevice. */
  release: number | undefined;
  /** Where the device sits: `/dev/hidraw3`, or the replay file. */
  path: string;
  /** USB bus number when known (NUT's `bus` matching option), as 3 digits: `001`. */
  bus: string | undefined;
  /** USB device address on that bus when known (NUT's `device` matching option), as 3 digits: `004`. */
  device?: string | undefined;
  usagePage: number | undefined;
  usage: number | undefined;
}

/**
 * One open HID device. Report buffers always start with the report ID byte (0 when the device
 * uses no IDs), as NUT and node-hid both have them. Every method rejects when the device is gone.
 */
export interface HidTransport {
  readonly info: HidDeviceInfo;
  /** The raw report descriptor (on Linux from sysfs: /sys/class/hidraw/hidrawN/device/report_descriptor). */
  reportDescriptor(): Promise<Buffer>;
  /** GET_REPORT(Feature, id); the reply may be shorter than `length` (decode from what arrives). */
  getFeature(reportId: number, length: number): Promise<Buffer>;
  /** SET_REPORT(Feature): the whole report, byte 0 = report ID. */
  sendFeature(report: Buffer): Promise<void>;
  /** A USB string descriptor by index, where the platform gives it (hidraw gives only the enumeration strings). */
  indexedString(index: number): Promise<string | undefined>;
  /** Unsolicited Input reports from the interrupt IN endpoint. */
  onInput(listener: (report: Buffer) => void): void;
  /** The device went away or failed (unplugged, I/O error); the transport is unusable after this. */
  onGone(listener: (error: Error) => void): void;
  close(): Promise<void>;
}

/** Finds and opens HID devices: the real bus, or a recorded device. */
export interface HidBus {
  list(): Promise<HidDeviceInfo[]>;
  open(device: HidDeviceInfo): Promise<HidTransport>;
}
