/**
 * `upsgate scan`: every attached HID UPS as a ready ups.conf section, in the form of NUT 2.8.0's
 * `nut-scanner -U` ([nutdevN], driver, port, vendorid, productid, product, serial, vendor, bus).
 *
 * Two things differ on purpose, so that the section always selects the device it was printed
 * for: product, serial and vendor are regular expressions to usbhid-ups, so characters that are
 * special in one ( `( ) [ ] { } * + ? | ^ $ \` ) are escaped (nut-scanner prints them raw, and
 * "UPS (USB)" then matches nothing); and surrounding blanks are left out, as the matcher ignores
 * them in the device's string.
 */
import { pconfEncode } from '../../conf/parseconf.js';
import type { HidBus, HidDeviceInfo } from './hid-types.js';

/** `.` is left alone: it matches itself too, and product strings are full of version dots. */
function literalRegex(text: string): string {
  return text
    .trim()
    .replace(/[()[\]{}*+?|^$\\]/g, (c) => `\\${c}`)
    // ups.conf carries printable ASCII only; `.` stands for any other character and still matches it.
    .replace(/[^\x20-\x7e]/g, '.');
}

function line(key: string, value: string): string {
  return `\t${key} = "${pconfEncode(value)}"\n`;
}

/** One section; `name` is the section name. */
export function upsConfSection(name: string, d: HidDeviceInfo): string {
  let out = `[${name}]\n`;
  out += line('driver', 'usbhid-ups');
  out += line('port', 'auto');
  out += line('vendorid', d.vendorId.toString(16).padStart(4, '0').toUpperCase());
  out += line('productid', d.productId.toString(16).padStart(4, '0').toUpperCase());
  if (d.product?.trim()) out += line('product', literalRegex(d.product));
  if (d.serial?.trim()) out += line('serial', literalRegex(d.serial));
  if (d.manufacturer?.trim()) out += line('vendor', literalRegex(d.manufacturer));
  if (d.bus !== undefined) out += line('bus', d.bus);
  return out;
}

/**
 * The sections for every HID UPS the bus lists, named nutdev1, nutdev2… as nut-scanner names them
 * (names a folder already uses can be skipped with `taken`). Empty when there is none.
 */
export async function scanHid(bus: HidBus, options: { taken?: Iterable<string> } = {}): Promise<string> {
  const taken = new Set(options.taken ?? []);
  const devices = await bus.list();
  const sections: string[] = [];
  let n = 0;
  for (const d of devices) {
    let name: string;
    do name = `nutdev${++n}`;
    while (taken.has(name));
    taken.add(name);
    sections.push(upsConfSection(name, d));
  }
  return sections.join('');
}
