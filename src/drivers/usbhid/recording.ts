import { MAX_CONF_BYTES, NotASmallFile, readSmallFile } from '../../conf/small-file.js';
import type { HidDeviceInfo } from './hid-types.js';

/**
 * A recorded HID device (the format of fixtures/hid/README.md). The gateway replays such a file
 * as if the device were plugged in, so a mistake in one is reported with `file:line`, what was
 * found and what is accepted, and nothing in it is guessed.
 */
export interface HidRecording {
  file: string;
  /** `path` is the file. */
  device: HidDeviceInfo;
  descriptor: Buffer;
  /** GET_REPORT(Feature) replies in capture order; byte 0 is the report ID. */
  featureReads: Buffer[];
  /** Unsolicited Input reports, in capture order; byte 0 is the report ID. */
  interruptIn: Buffer[];
  /** The raw lines of `[parsed]`, for golden tests. */
  parsed: string[] | undefined;
  decoded: string[] | undefined;
  /** `name: value` lines; the value is everything after the one space that follows the colon. */
  upsc: Array<[name: string, value: string]> | undefined;
}

/** The most of a recording read into memory (a capture is a few KiB). */
export const MAX_RECORDING_BYTES = MAX_CONF_BYTES;

export class HidRecordingError extends Error {
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    reason: string,
  ) {
    super(line === undefined ? `${file}: ${reason}` : `${file}:${line}: ${reason}`);
    this.name = 'HidRecordingError';
  }
}

const SECTIONS = ['device', 'descriptor', 'parsed', 'feature_reads', 'interrupt_in', 'decoded', 'upsc'] as const;
type Section = (typeof SECTIONS)[number];
const ACCEPTED_SECTIONS = SECTIONS.map((s) => `[${s}]`).join(', ');

/** `[device]` keys; the numeric ones are hex as udev and lsusb print them. */
const HEX_KEYS = ['vendor_id', 'product_id', 'usage_page', 'usage', 'release'] as const;
const TEXT_KEYS = ['manufacturer', 'product', 'serial', 'bus'] as const;
type DeviceKey = (typeof HEX_KEYS)[number] | (typeof TEXT_KEYS)[number];
const DEVICE_KEYS: readonly string[] = [...HEX_KEYS, ...TEXT_KEYS];

/** Words that may start an `[interrupt_in]` line before its bytes (or the bytes alone). */
const INTERRUPT_WORDS = ['INPUT', 'INTERRUPT_IN', 'INTERRUPT'];

/** The largest report a line may hold: HID reports are at most a few hundred bytes. */
const MAX_REPORT_BYTES = 4096;

export function parseRecording(text: string, file: string): HidRecording {
  const fail = (line: number | undefined, reason: string): never => {
    throw new HidRecordingError(file, line, reason);
  };
  const lines = text.split('\n');
  const seen = new Map<Section, number>();
  const device = new Map<DeviceKey, { value: string; line: number }>();
  const descriptor: number[] = [];
  const featureReads: Buffer[] = [];
  const interruptIn: Buffer[] = [];
  const raw: Partial<Record<'parsed' | 'decoded', string[]>> = {};
  let upsc: Array<[string, string]> | undefined;
  let section: Section | undefined;

  lines.forEach((full, i) => {
    const n = i + 1;
    const line = full.endsWith('\r') ? full.slice(0, -1) : full;
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    if (trimmed.startsWith('[')) {
      section = sectionOf(trimmed, n, fail);
      if (seen.has(section)) fail(n, `[${section}] again (first at line ${seen.get(section)}); each section may appear once`);
      seen.set(section, n);
      if (section === 'parsed' || section === 'decoded') raw[section] = [];
      if (section === 'upsc') upsc = [];
      return;
    }
    switch (section) {
      case undefined:
        return fail(n, `\`${trimmed}\` before any section; a recording starts with # lines, then sections: ${ACCEPTED_SECTIONS}`);
      case 'device': {
        const m = /^([A-Za-z_]+)\s*=\s*(.*)$/.exec(trimmed);
        if (!m) return fail(n, `\`${trimmed}\` in [device]: expected \`key = value\` with a key of ${DEVICE_KEYS.join(', ')}`);
        const key = m[1]!.toLowerCase();
        if (!DEVICE_KEYS.includes(key)) return fail(n, `unknown [device] key \`${m[1]}\`; accepted: ${DEVICE_KEYS.join(', ')}`);
        if (device.has(key as DeviceKey)) return fail(n, `[device] ${key} again (first at line ${device.get(key as DeviceKey)!.line})`);
        device.set(key as DeviceKey, { value: m[2]!, line: n });
        return;
      }
      case 'descriptor':
        descriptor.push(...hexBytes(withoutComment(trimmed), n, 'the descriptor', fail));
        if (descriptor.length > 65535) fail(n, 'the descriptor is longer than 65535 bytes, more than USB can carry');
        return;
      case 'feature_reads': {
        const words = withoutComment(trimmed).split(/\s+/);
        if (words[0] !== 'GET_FEATURE') {
          return fail(n, `\`${words[0]}\` in [feature_reads]: expected \`GET_FEATURE <hex bytes>\` (byte 0 = report id)`);
        }
        featureReads.push(report(words.slice(1), n, 'GET_FEATURE', fail));
        return;
      }
      case 'interrupt_in': {
        const words = withoutComment(trimmed).split(/\s+/);
        const bytes = INTERRUPT_WORDS.includes(words[0]!.toUpperCase()) ? words.slice(1) : words;
        interruptIn.push(report(bytes, n, 'an interrupt report', fail));
        return;
      }
      case 'parsed':
      case 'decoded':
        raw[section]!.push(line);
        return;
      case 'upsc': {
        const colon = line.indexOf(':');
        const name = colon > 0 ? line.slice(0, colon) : '';
        if (!/^[A-Za-z0-9_.-]+$/.test(name) || (colon + 1 < line.length && line[colon + 1] !== ' ')) {
          return fail(n, `\`${trimmed}\` in [upsc]: expected \`name: value\` as upsc prints it`);
        }
        upsc!.push([name, line.slice(colon + 2)]);
        return;
      }
    }
  });

  const end = lines.length;
  if (!seen.has('descriptor')) fail(end, 'the recording has no [descriptor] section; a replay needs the report descriptor (hex, 16 bytes a line)');
  if (descriptor.length === 0) fail(seen.get('descriptor')!, '[descriptor] holds no bytes; expected hex bytes like `05 84 09 04 a1 01`');
  if (!seen.has('device')) fail(end, 'the recording has no [device] section; a replay needs at least vendor_id and product_id');

  const hex = (key: (typeof HEX_KEYS)[number], max: number): number | undefined => {
    const entry = device.get(key);
    if (!entry) return undefined;
    const v = withoutComment(entry.value);
    if (!/^(0x)?[0-9a-fA-F]{1,8}$/.test(v) || Number.parseInt(v.replace(/^0x/, ''), 16) > max) {
      return fail(entry.line, `[device] ${key} = \`${v}\`: expected hex up to ${max.toString(16)} (e.g. 051d)`);
    }
    return Number.parseInt(v.replace(/^0x/, ''), 16);
  };
  const required = (key: 'vendor_id' | 'product_id'): number =>
    hex(key, 0xffff) ?? fail(seen.get('device')!, `[device] has no ${key}; expected e.g. \`${key} = 051d\``);
  const textOf = (key: (typeof TEXT_KEYS)[number]) => device.get(key)?.value;

  return {
    file,
    device: {
      vendorId: required('vendor_id'),
      productId: required('product_id'),
      manufacturer: textOf('manufacturer'),
      product: textOf('product'),
      serial: textOf('serial'),
      release: hex('release', 0xffff),
      path: file,
      bus: textOf('bus'),
      usagePage: hex('usage_page', 0xffff),
      usage: hex('usage', 0xffff),
    },
    descriptor: Buffer.from(descriptor),
    featureReads,
    interruptIn,
    parsed: raw.parsed,
    decoded: raw.decoded,
    upsc,
  };
}

/** Reads a recording (bounded: a capture is small, anything huge is a mistake). */
export async function loadRecording(file: string): Promise<HidRecording> {
  let bytes: Buffer;
  try {
    bytes = await readSmallFile(file, MAX_RECORDING_BYTES);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const reason = e instanceof NotASmallFile ? e.message : err?.code === 'ENOENT' ? 'no such file' : err?.code === 'EACCES' ? 'permission denied' : String(err?.message ?? e);
    throw new HidRecordingError(file, undefined, `cannot read the HID recording: ${reason}`);
  }
  return parseRecording(bytes.toString('utf8'), file);
}

type Fail = (line: number | undefined, reason: string) => never;

/** `[name]`, `[name] # note`, `[name # note]` or `[name more words]`: the first word names it. */
function sectionOf(header: string, line: number, fail: Fail): Section {
  const close = header.indexOf(']');
  if (close < 0) fail(line, `\`${header}\`: a section header needs its closing \`]\``);
  const after = header.slice(close + 1).trim();
  if (after !== '' && !after.startsWith('#')) fail(line, `\`${after}\` after the section header; only a # comment may follow it`);
  const name = header.slice(1, close).split(/[\s#]/)[0]!.toLowerCase();
  if (!(SECTIONS as readonly string[]).includes(name)) {
    fail(line, `unknown section [${name}]; accepted: ${ACCEPTED_SECTIONS}`);
  }
  return name as Section;
}

function withoutComment(text: string): string {
  const hash = text.indexOf('#');
  return (hash < 0 ? text : text.slice(0, hash)).trim();
}

function report(words: string[], line: number, what: string, fail: Fail): Buffer {
  const bytes = hexBytes(words.join(' '), line, what, fail);
  if (bytes.length === 0) fail(line, `${what} without bytes; expected at least the report id byte`);
  if (bytes.length > MAX_REPORT_BYTES) fail(line, `${what} of ${bytes.length} bytes; at most ${MAX_REPORT_BYTES} are accepted`);
  return Buffer.from(bytes);
}

function hexBytes(text: string, line: number, what: string, fail: Fail): number[] {
  if (text === '') return [];
  return text.split(/\s+/).map((word) => {
    if (!/^[0-9a-fA-F]{2}$/.test(word)) {
      fail(line, `\`${word}\` in ${what}: expected bytes as two hex digits separated by spaces (e.g. \`0c 64 00\`)`);
    }
    return Number.parseInt(word, 16);
  });
}
