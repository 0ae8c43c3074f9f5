import type { UpsSection } from '../../conf/model.js';
import { positionOf, sectionValue } from '../driver-config.js';
import type { DriverInfo, DriverVariable } from '../driver-core.js';
import { DriverConfigError } from '../driver.js';
import { parseChargeTime, parseIdleLoad, parseRuntimeCal, type BatterySettings, type Flavour } from './battery-guess.js';
import { strtod } from './q1-protocol.js';

const BATTERY_VARS: DriverVariable[] = [
  { name: 'runtimecal', description: 'Parameters used for runtime calculation' },
  { name: 'chargetime', description: 'Nominal charge time for UPS battery' },
  { name: 'idleload', description: 'Minimum load to be used for runtime calculation' },
];

/** NUT 2.8.0 nutdrv_qx as Debian builds it (serial and USB): every variable it accepts. */
export const NUTDRV_QX_INFO: DriverInfo = {
  name: 'nutdrv_qx',
  version: '0.32',
  variables: [
    { name: 'ondelay', description: 'Set startup delay, in seconds (default=180)' },
    { name: 'offdelay', description: 'Set shutdown delay, in seconds (default=30)' },
    { name: 'stayoff', description: "If invoked the UPS won't return after a shutdown when FSD arises" },
    { name: 'pollfreq', description: 'Set polling frequency, in seconds, to reduce data flow (default=30)' },
    { name: 'protocol', description: 'Preselect communication protocol (skip autodetection)' },
    ...BATTERY_VARS,
    { name: 'cablepower', description: 'Set cable power for serial interface' },
    { name: 'norating', description: 'Skip reading rating information from UPS' },
    { name: 'novendor', description: 'Skip reading vendor information from UPS' },
    { name: 'ignoresab', description: "Ignore 'Shutdown Active' bit in UPS status" },
    // USB matching and subdriver options: accepted so existing files load (serial only here).
    ...['subdriver', 'vendor', 'vendorid', 'product', 'productid', 'serial', 'bus', 'device', 'busport', 'langid_fix', 'noscanlangid']
      .map((name) => ({ name, description: 'USB option of nutdrv_qx (serial ports only in upsgate)' })),
  ],
};

export const BLAZER_SER_INFO: DriverInfo = {
  name: 'blazer_ser',
  version: '1.58',
  variables: [
    { name: 'ondelay', description: 'Delay before UPS startup (minutes)' },
    { name: 'offdelay', description: 'Delay before UPS shutdown (seconds)' },
    ...BATTERY_VARS,
    { name: 'norating', description: 'Skip reading rating information from UPS' },
    { name: 'novendor', description: 'Skip reading vendor information from UPS' },
    { name: 'protocol', description: 'Preselect communication protocol (skip autodetection)' },
    { name: 'cablepower', description: 'Set cable power for serial interface' },
  ],
};

/** Protocols upsgate speaks: Megatec Q1 only so far (NUT: megatec, and blazer's 'megatec'). */
const PROTOCOLS = ['megatec'];

export interface QxOptions {
  flavour: Flavour;
  /** ups.delay.start, seconds (rounded down to minutes). */
  ondelaySeconds: number;
  /** ups.delay.shutdown, seconds (6 s steps below 60, minutes above). */
  offdelaySeconds: number;
  pollFreqSeconds: number;
  norating: boolean;
  novendor: boolean;
  ignoresab: boolean;
  battery: BatterySettings;
}

function where(section: UpsSection, key: string): string {
  const e = sectionValue(section, key);
  return e ? `${e.pos.file}:${e.pos.line}:${e.pos.column}` : positionOf(section, 'driver');
}

/** The rounding NUT applies to a shutdown delay before it is used. */
export function roundOffDelay(seconds: number): number {
  return seconds < 60 ? seconds - (seconds % 6) : seconds - (seconds % 60);
}

function whole(section: UpsSection, key: string, min: number, max: number, unit: string): number | undefined {
  const e = sectionValue(section, key);
  if (e?.value === undefined) return undefined;
  const n = Math.trunc(strtod(e.value) ?? 0);
  if (n < min || n > max || !/^\s*\d/.test(e.value)) {
    throw new DriverConfigError(`${where(section, key)}: ${key} '${e.value}' out of range; accepted: ${min}..${max} ${unit}`);
  }
  return n;
}

/** Reads and checks the section's Q1 options as the named driver does. */
export function qxOptions(section: UpsSection, flavour: Flavour): QxOptions {
  const flag = (k: string) => sectionValue(section, k) !== undefined;
  const protocol = sectionValue(section, 'protocol');
  if (protocol?.value !== undefined && !PROTOCOLS.includes(protocol.value.toLowerCase())) {
    throw new DriverConfigError(
      `${where(section, 'protocol')}: protocol '${protocol.value}' is not supported by upsgate's ${flavour}; accepted: ${PROTOCOLS.join(', ')}`,
    );
  }
  const value = (k: string) => {
    const e = sectionValue(section, k);
    return e?.value === undefined ? undefined : { value: e.value, where: where(section, k) };
  };
  const battery: BatterySettings = { runtimecal: value('runtimecal'), chargetime: value('chargetime'), idleload: value('idleload') };
  // Check them now, so check-config reports them.
  if (battery.runtimecal) parseRuntimeCal(battery.runtimecal.value, battery.runtimecal.where);
  if (battery.chargetime) parseChargeTime(battery.chargetime.value, battery.chargetime.where);
  if (battery.idleload) parseIdleLoad(battery.idleload.value, battery.idleload.where);
  let ondelay: number;
  let offdelay: number;
  if (flavour === 'blazer_ser') {
    ondelay = 60 * (whole(section, 'ondelay', 0, 9999, 'minutes') ?? 3);
    offdelay = whole(section, 'offdelay', 12, 600, 'seconds') ?? 30;
  } else {
    ondelay = whole(section, 'ondelay', 0, 599940, 'seconds') ?? 180;
    offdelay = whole(section, 'offdelay', 12, 600, 'seconds') ?? 30;
  }
  const pollfreq = whole(section, 'pollfreq', 1, 2 ** 31 - 1, 'seconds') ?? 30;
  return {
    flavour,
    ondelaySeconds: ondelay - (ondelay % 60),
    offdelaySeconds: roundOffDelay(offdelay),
    pollFreqSeconds: pollfreq,
    norating: flag('norating'),
    novendor: flag('novendor'),
    ignoresab: flag('ignoresab'),
    battery,
  };
}
