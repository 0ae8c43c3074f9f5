/**
 * Which USB device a usbhid-ups section drives, by NUT 2.8's rules (drivers/usb-common.c,
 * usbhid-ups.c): the options `vendorid`, `productid`, `vendor`, `product`, `serial`, `bus` and
 * `device` are extended regular expressions, compared without regard to case; each must match
 * the whole value (leading and trailing blanks, tabs and newlines of the device's string are
 * ignored; a string the device does not have counts as ""); IDs are compared as 4 lower-case
 * hex digits (`%04x`), bus and device as 3 decimal digits. An option not given matches anything.
 *
 * `port` is not used to find a USB device (NUT warns when it is not `auto`), except that
 * upsgate's `port = replay:<file>` replays a recorded device instead (resolved against the
 * configuration folder, as dummy-ups resolves its port).
 */
import { isAbsolute, resolve } from 'node:path';
import type { UpsConfEntry, UpsSection } from '../../../conf/model.js';
import { sectionValue } from '../../driver-config.js';
import { DriverConfigError } from '../../driver.js';
import type { HidDeviceInfo } from '../hid-types.js';
import { compileWholeMatch, PosixRegexError } from './posix-regex.js';
import { hex4 } from './ups-vendors.js';

export const MATCH_KEYS = ['vendorid', 'productid', 'vendor', 'product', 'serial', 'bus', 'device'] as const;
export type MatchKey = (typeof MATCH_KEYS)[number];

/** The matching options as written in ups.conf; absent = no constraint. */
export type MatchOptions = Partial<Record<MatchKey, string>>;

const DESCRIPTIONS: Record<MatchKey, string> = {
  vendorid: 'the USB vendor ID as 4 hex digits, e.g. 051D',
  productid: 'the USB product ID as 4 hex digits, e.g. 0002',
  vendor: 'the manufacturer string, e.g. "American Power Conversion"',
  product: 'the product string, e.g. "Back-UPS ES 600M1"',
  serial: 'the serial number string',
  bus: 'the USB bus number as 3 digits, e.g. 001',
  device: 'the USB device address on its bus as 3 digits, e.g. 004',
};

export interface UsbMatcher {
  readonly options: Readonly<MatchOptions>;
  matches(info: HidDeviceInfo): boolean;
}

/** What NUT's match_regex compares against: the value with blanks, tabs and newlines trimmed. */
function trimmed(text: string | undefined): string {
  return (text ?? '').replace(/^[ \t\n]+/, '').replace(/[ \t\n]+$/, '');
}

function subject(info: HidDeviceInfo, key: MatchKey): string {
  switch (key) {
    case 'vendorid':
      return hex4(info.vendorId);
    case 'productid':
      return hex4(info.productId);
    case 'vendor':
      return trimmed(info.manufacturer);
    case 'product':
      return trimmed(info.product);
    case 'serial':
      return trimmed(info.serial);
    case 'bus':
      return trimmed(info.bus);
    case 'device':
      return trimmed(info.device);
  }
}

export class MatchOptionError extends Error {
  constructor(readonly key: MatchKey, message: string) {
    super(message);
  }
}

/**
 * A hex ID written so that it can never equal 4 hex digits (`0x051d`, `51d`) matches no device
 * in NUT, which then says only "No matching HID UPS found"; it is refused here with the fix.
 */
function idProblem(key: MatchKey, value: string): string | undefined {
  if (key !== 'vendorid' && key !== 'productid') return undefined;
  const m = /^(0x)?([0-9a-f]+)$/i.exec(value);
  if (!m || (m[1] === undefined && m[2]!.length === 4)) return undefined;
  const digits = m[2]!;
  const fix = digits.length <= 4 ? digits.padStart(4, '0').toUpperCase() : undefined;
  return (
    `NUT compares ${key} with 4 hex digits without 0x, so ${JSON.stringify(value)} matches no device` +
    (fix ? `; write ${key} = ${fix}` : '')
  );
}

export function compileMatcher(options: MatchOptions): UsbMatcher {
  const tests: Array<[MatchKey, RegExp]> = [];
  for (const key of MATCH_KEYS) {
    const value = options[key];
    if (value === undefined) continue;
    const problem = idProblem(key, value);
    if (problem) throw new MatchOptionError(key, problem);
    try {
      tests.push([key, compileWholeMatch(value)]);
    } catch (e) {
      if (!(e instanceof PosixRegexError)) throw e;
      throw new MatchOptionError(key, `invalid regular expression ${JSON.stringify(value)}: ${e.message}`);
    }
  }
  return {
    options: { ...options },
    matches: (info) => tests.every(([key, re]) => re.test(subject(info, key))),
  };
}

/** NUT's regex matcher: true when every option given matches this device. */
export function matchDevice(info: HidDeviceInfo, options: MatchOptions | UsbMatcher): boolean {
  const matcher = 'matches' in options && typeof options.matches === 'function' ? (options as UsbMatcher) : compileMatcher(options as MatchOptions);
  return matcher.matches(info);
}

/**
 * NUT's exact matcher, used once a device has been driven: a reconnection takes only a device with
 * the same vendor and product IDs and the same manufacturer, product and serial strings, so a
 * second UPS of the same model is never picked up in its place.
 */
export function sameDevice(a: HidDeviceInfo, b: HidDeviceInfo): boolean {
  return (
    a.vendorId === b.vendorId &&
    a.productId === b.productId &&
    (a.manufacturer ?? null) === (b.manufacturer ?? null) &&
    (a.product ?? null) === (b.product ?? null) &&
    (a.serial ?? null) === (b.serial ?? null)
  );
}

export type UsbPort = { kind: 'auto' } | { kind: 'replay'; file: string };

export interface UsbMatchConfig {
  matcher: UsbMatcher;
  port: UsbPort;
  /** What NUT would warn about and still run with (a port other than auto), with its ups.conf line. */
  warnings: string[];
}

export const REPLAY_PREFIX = 'replay:';

function where(e: UpsConfEntry): string {
  return `${e.pos.file}:${e.pos.line}:${e.pos.column}`;
}

function portOf(section: UpsSection, confDir: string, warnings: string[]): UsbPort {
  const entry = [...section.entries].reverse().find((e) => e.key === 'port');
  const value = entry?.value ?? section.port;
  if (value === undefined || value === 'auto') return { kind: 'auto' };
  if (value.startsWith(REPLAY_PREFIX)) {
    const file = value.slice(REPLAY_PREFIX.length);
    if (file === '') {
      const at = entry ? where(entry) : `${section.pos.file}:${section.pos.line}:${section.pos.column}`;
      throw new DriverConfigError(`${at}: [${section.name}] port = "replay:" names no file; write port = "replay:<recording file>"`);
    }
    return { kind: 'replay', file: isAbsolute(file) ? file : resolve(confDir, file) };
  }
  const at = entry ? `${where(entry)}: ` : '';
  warnings.push(
    `${at}[${section.name}] port = ${JSON.stringify(value)} is not used to find a USB device: as NUT's usbhid-ups, ` +
      'the device is chosen by vendorid, productid, vendor, product, serial, bus and device; write port = auto',
  );
  return { kind: 'auto' };
}

/** The section's matching options and port, or a DriverConfigError naming the ups.conf line. */
export function parseMatchConfig(section: UpsSection, confDir: string): UsbMatchConfig {
  const options: MatchOptions = {};
  const entries = new Map<MatchKey, UpsConfEntry>();
  for (const key of MATCH_KEYS) {
    const e = sectionValue(section, key);
    if (!e) continue;
    if (e.value === undefined) {
      throw new DriverConfigError(
        `${where(e)}: [${section.name}] '${e.key}' needs a value (${key} = ...), a regular expression matching ${DESCRIPTIONS[key]}`,
      );
    }
    options[key] = e.value;
    entries.set(key, e);
  }
  let matcher: UsbMatcher;
  try {
    matcher = compileMatcher(options);
  } catch (e) {
    if (!(e instanceof MatchOptionError)) throw e;
    const entry = entries.get(e.key)!;
    throw new DriverConfigError(
      `${where(entry)}: [${section.name}] ${entry.key}: ${e.message}; accepted: an extended regular expression ` +
        `(as NUT's regcomp reads it) matching ${DESCRIPTIONS[e.key]}`,
    );
  }
  const warnings: string[] = [];
  const port = portOf(section, confDir, warnings);
  return { matcher, port, warnings };
}
