import type { SourcePos, UpsConfEntry, UpsSection } from '../conf/model.js';
import type { DeviceWriter } from '../core/device.js';
import { DriverConfigError } from './driver.js';
import { capValue } from './dstate-text.js';

/** One `-x`/ups.conf variable a driver accepts (NUT's `addvar`). */
export interface DriverVariable {
  /** Matched without regard to case, as NUT's vartab is. */
  name: string;
  description: string;
  /** Never published as driver.parameter.* (NUT's VAR_SENSITIVE: passwords, SNMP communities). */
  sensitive?: boolean;
}

/** What a driver tells the framework about itself (NUT's upsdrv_info + upsdrv_makevartable). */
export interface DriverInfo {
  /** Program name, published as driver.name; also the `driver =` value in ups.conf. */
  name: string;
  /** The driver's own version, published as driver.version.internal. */
  version: string;
  variables: readonly DriverVariable[];
}

/**
 * Keys the framework handles itself (NUT 2.8.0 main.c). Compared case-sensitively, as main.c
 * does with strcmp: `Port = x` is not `port`.
 */
const FRAMEWORK_VALUE_KEYS = [
  'driver', 'port', 'desc', 'sdorder', 'pollinterval', 'synchronous', 'user', 'group', 'debug_min', 'sddelay',
] as const;
/** Flags main.c publishes as driver.flag.<key>; it takes them with or without a value. */
const FRAMEWORK_FLAGS = ['nolock', 'ignorelb'] as const;
/** upsdrvctl's per-UPS keys (NUT 2.8.3+): accepted so newer files work, never published. */
const UPSDRVCTL_VALUE_KEYS = ['maxretry', 'retrydelay', 'maxstartdelay', 'sdcommands'] as const;
const UPSDRVCTL_EITHER_KEYS = ['allow_killpower'] as const;

const OVERRIDE = 'override.';
const DEFAULT = 'default.';

function hasPrefix(key: string, prefix: string): boolean {
  return key.length > prefix.length && key.slice(0, prefix.length).toLowerCase() === prefix;
}

function where(pos: SourcePos): string {
  return `${pos.file}:${pos.line}:${pos.column}`;
}

export function acceptedKeys(info: DriverInfo): string[] {
  return [
    ...FRAMEWORK_VALUE_KEYS, ...FRAMEWORK_FLAGS, ...UPSDRVCTL_VALUE_KEYS, ...UPSDRVCTL_EITHER_KEYS,
    'override.<variable>', 'default.<variable>', ...info.variables.map((v) => v.name),
  ];
}

function driverVariable(info: DriverInfo, key: string): DriverVariable | undefined {
  const k = key.toLowerCase();
  return info.variables.find((v) => v.name.toLowerCase() === k);
}

function includes(list: readonly string[], key: string): boolean {
  return list.includes(key);
}

/**
 * Refuses what NUT's driver would refuse when reading its ups.conf section, before anything is
 * published: unknown keys (main.c: "'x' is not a valid variable name for this driver"), value keys
 * written as bare flags, `override.`/`default.` without a value, a missing port.
 */
export function checkSection(section: UpsSection, info: DriverInfo): void {
  const accepted = () => `accepted: ${acceptedKeys(info).join(', ')}`;
  for (const e of section.entries) {
    const { key, value } = e;
    if (includes(FRAMEWORK_FLAGS, key) || includes(UPSDRVCTL_EITHER_KEYS, key)) continue;
    if (driverVariable(info, key)) continue;
    const valueKey = includes(FRAMEWORK_VALUE_KEYS, key) || includes(UPSDRVCTL_VALUE_KEYS, key);
    const prefixed = hasPrefix(key, OVERRIDE) || hasPrefix(key, DEFAULT);
    if (valueKey || prefixed) {
      if (value === undefined) {
        throw new DriverConfigError(`${where(e.pos)}: '${key}' needs a value (${key} = ...); it is not a flag`);
      }
      continue;
    }
    const what = value === undefined ? 'flag' : 'variable name';
    throw new DriverConfigError(
      `${where(e.pos)}: '${key}' is not a valid ${what} for driver ${info.name} in [${section.name}]; ${accepted()}`,
    );
  }
  const driver = entryOf(section, 'driver');
  if (driver?.value !== undefined && driver.value !== info.name) {
    // main.c: "UPS [x] is for driver y, but I'm z!"
    throw new DriverConfigError(`${where(driver.pos)}: [${section.name}] is for driver ${driver.value}, not ${info.name}`);
  }
  if (section.port === undefined && !section.entries.some((e) => e.key === 'port')) {
    throw new DriverConfigError(
      `${where(section.pos)}: [${section.name}] has no 'port'; driver ${info.name} needs one (port = ...)`,
    );
  }
}

/**
 * Publishes what the section says, in file order, as NUT's driver does while reading ups.conf:
 * driver.parameter.port, driver.flag.<flag>, override.* (set and made immutable: later writes,
 * the driver's included, are ignored), default.* (set; the driver may replace it), and
 * driver.parameter.<var> for the driver's own variables. Keys seen twice: the later value is
 * published over the earlier one, as in NUT.
 */
export function publishSection(section: UpsSection, info: DriverInfo, device: DeviceWriter): void {
  for (const e of section.entries) publishEntry(e, info, device);
}

function publishEntry(e: UpsConfEntry, info: DriverInfo, device: DeviceWriter): void {
  const { key, value } = e;
  if (includes(FRAMEWORK_FLAGS, key)) {
    device.setInfo(`driver.flag.${key}`, 'enabled');
    return;
  }
  if (key === 'port' && value !== undefined) {
    device.setInfo('driver.parameter.port', capValue(value));
    return;
  }
  if (value !== undefined && hasPrefix(key, OVERRIDE)) {
    const name = key.slice(OVERRIDE.length);
    device.setInfo(name, capValue(value));
    device.setFlags(name, { immutable: true });
    return;
  }
  if (value !== undefined && hasPrefix(key, DEFAULT)) {
    device.setInfo(key.slice(DEFAULT.length), capValue(value));
    return;
  }
  const v = driverVariable(info, key);
  if (!v) return; // framework-only or upsdrvctl keys: handled elsewhere, never published
  if (value === undefined) device.setInfo(`driver.flag.${key}`, 'enabled');
  else if (!v.sensitive) device.setInfo(`driver.parameter.${key}`, capValue(value));
}

/** The last value of a driver variable in the section (NUT's getval: later lines win). */
export function sectionValue(section: UpsSection, name: string): UpsConfEntry | undefined {
  const k = name.toLowerCase();
  let found: UpsConfEntry | undefined;
  for (const e of section.entries) if (e.key.toLowerCase() === k) found = e;
  return found;
}

/** The line of a framework key (exact spelling), for error messages. */
export function entryOf(section: UpsSection, key: string): UpsConfEntry | undefined {
  let found: UpsConfEntry | undefined;
  for (const e of section.entries) if (e.key === key) found = e;
  return found;
}

export function positionOf(section: UpsSection, key: string): string {
  return where(entryOf(section, key)?.pos ?? section.pos);
}

/**
 * driver.parameter.synchronous: `yes` → yes, `auto` → auto, any other value → no (main.c),
 * the global line first and the UPS's own line over it; auto when neither is set.
 */
export function synchronousSetting(section: UpsSection, globals: readonly UpsConfEntry[] = []): 'yes' | 'no' | 'auto' {
  let setting: 'yes' | 'no' | 'auto' = 'auto';
  const apply = (e: UpsConfEntry) => {
    if (e.key !== 'synchronous' || e.value === undefined) return;
    setting = e.value === 'yes' ? 'yes' : e.value === 'auto' ? 'auto' : 'no';
  };
  globals.forEach(apply);
  section.entries.forEach(apply);
  return setting;
}
