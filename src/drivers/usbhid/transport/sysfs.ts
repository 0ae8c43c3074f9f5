/**
 * What Linux sysfs tells about a hidraw node that node-hid does not: the report descriptor the
 * kernel parsed (node-hid has no binding for hid_get_report_descriptor; hidapi itself reads this
 * file), and the USB device behind it — bus number and device address (NUT's `bus`/`device`
 * matching options) and which string-descriptor indexes its manufacturer/product/serial are.
 *
 * The root is injectable so tests can build a fake tree in a temp folder.
 */
import { readFile, realpath } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** HID_MAX_DESCRIPTOR_SIZE in the kernel: a larger report_descriptor file is not a HID descriptor. */
export const MAX_DESCRIPTOR_BYTES = 4096;

/** `hidraw3` for `/dev/hidraw3`; undefined for paths of other platforms or backends. */
export function hidrawName(path: string): string | undefined {
  const name = basename(path);
  return /^hidraw\d+$/.test(name) ? name : undefined;
}

export async function readReportDescriptor(sysfsRoot: string, devicePath: string): Promise<Buffer> {
  const name = hidrawName(devicePath);
  if (!name) {
    throw new Error(`${devicePath}: not a hidraw node, so its report descriptor cannot be read from sysfs`);
  }
  const file = join(sysfsRoot, 'class', 'hidraw', name, 'device', 'report_descriptor');
  const bytes = await readFile(file);
  if (bytes.length === 0 || bytes.length > MAX_DESCRIPTOR_BYTES) {
    throw new Error(`${file}: ${bytes.length} bytes is not a HID report descriptor (1..${MAX_DESCRIPTOR_BYTES})`);
  }
  return bytes;
}

export interface UsbLocation {
  /** 3 digits, as NUT formats libusb's bus number: `001`. */
  bus: string;
  /** 3 digits, the device address on the bus. */
  device: string | undefined;
  /** iManufacturer, iProduct, iSerialNumber of the USB device descriptor (0 = none). */
  stringIndexes: { manufacturer: number; product: number; serial: number } | undefined;
}

function threeDigits(text: string): string | undefined {
  const n = Number.parseInt(text.trim(), 10);
  return Number.isInteger(n) && n >= 0 ? String(n).padStart(3, '0') : undefined;
}

async function readText(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * Walks up from the hidraw node's HID device (…/1-1/1-1:1.0/0003:051D:0002.0001) to the USB
 * device folder, the first one holding `busnum`. Undefined when the node is not on USB (Bluetooth,
 * I²C HID) or sysfs is not there.
 */
export async function usbLocation(sysfsRoot: string, devicePath: string): Promise<UsbLocation | undefined> {
  const name = hidrawName(devicePath);
  if (!name) return undefined;
  let dir: string;
  let root: string;
  try {
    dir = await realpath(join(sysfsRoot, 'class', 'hidraw', name, 'device'));
    root = await realpath(sysfsRoot);
  } catch {
    return undefined;
  }
  for (let depth = 0; depth < 16 && dir.startsWith(root) && dir !== root; depth++, dir = dirname(dir)) {
    const busnum = await readText(join(dir, 'busnum'));
    if (busnum === undefined) continue;
    const bus = threeDigits(busnum);
    if (bus === undefined) return undefined;
    const devnum = await readText(join(dir, 'devnum'));
    return { bus, device: devnum === undefined ? undefined : threeDigits(devnum), stringIndexes: await stringIndexes(dir) };
  }
  return undefined;
}

/** `descriptors` starts with the 18-byte USB device descriptor; bytes 14..16 are the string indexes. */
async function stringIndexes(usbDir: string): Promise<UsbLocation['stringIndexes']> {
  try {
    const d = await readFile(join(usbDir, 'descriptors'));
    if (d.length < 18 || d[1] !== 0x01) return undefined;
    return { manufacturer: d[14]!, product: d[15]!, serial: d[16]! };
  } catch {
    return undefined;
  }
}

/** Whether a report descriptor declares Report ID items (walks the items, so data bytes never count). */
export function usesReportIds(descriptor: Buffer): boolean {
  for (let i = 0; i < descriptor.length; ) {
    const prefix = descriptor[i]!;
    if (prefix === 0xfe) {
      i += 3 + (descriptor[i + 1] ?? 0); // long item: size byte, tag byte, data
      continue;
    }
    if ((prefix & 0xfc) === 0x84) return true;
    i += 1 + [0, 1, 2, 4][prefix & 0x03]!;
  }
  return false;
}
