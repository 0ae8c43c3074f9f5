import type { DeviceQuirks } from './types.js';
import { cFormat, fixed } from './printf.js';

/** What a conversion may consult besides the value. */
export interface ConversionContext {
  /** A USB string descriptor by index, when the platform can read it. */
  strings(index: number): string | undefined;
  /** A variable the mapper already published (CyberPower's checks compare with nominal values). */
  getInfo(name: string): string | undefined;
  quirks: DeviceQuirks;
  productId: number;
  /** Decisions a conversion makes once per device (CyberPower scale factors). */
  memory: Map<string, number>;
  /** The OFF status bit as accumulated so far (Eaton's converter-online rule needs it). */
  isOff(): boolean;
}

export interface Conversion {
  /** HID value to NUT text; undefined = NUT's "lookup failed": nothing is published. */
  toNut(value: number, ctx: ConversionContext): string | undefined;
  /** NUT text to HID value; undefined = a text this conversion does not know. */
  fromNut?(text: string): number | undefined;
  /** For lookup tables: the pairs, in table order (ENUM values). */
  values?: ReadonlyArray<readonly [number, string]>;
}

type Pairs = ReadonlyArray<readonly [number, string]>;

/** A lookup table as NUT's info_lkp_t: the HID value truncated to an integer, first match wins. */
function lookup(values: Pairs): Conversion {
  return {
    values,
    toNut: (value) => values.find(([hid]) => hid === Math.trunc(value))?.[1],
    fromNut: (text) => values.find(([, nut]) => nut === text)?.[0],
  };
}

/** A status bit: 1 sets the token, 0 clears it (`!token`). */
const bit = (token: string): Conversion => lookup([[1, token], [0, `!${token}`]]);
/** A status bit the device reports the other way round (0 = the condition). */
const invertedBit = (token: string): Conversion => lookup([[0, token], [1, `!${token}`]]);
/** Alarm rows: a message while the bit is set, nothing otherwise. */
const alarm = (message: string): Conversion => lookup([[1, message]]);

/** `%04ld/%02ld/%02ld` as NUT reads it back with sscanf; undefined when it does not parse. */
function parseDate(text: string): [number, number, number] | undefined {
  const m = /^\s*([+-]?\d{1,4})\/([+-]?\d{1,2})\/([+-]?\d{1,2})/.exec(text);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

const dateText = (y: number, m: number, d: number): string => `${cFormat('%04d', y)}/${cFormat('%02d', m)}/${cFormat('%02d', d)}`;

const conversions = {
  // ---- status bits (BOOL rows) -----------------------------------------------------------
  online: bit('online'),
  onBattery: lookup([[1, '!online'], [0, 'online']]),
  discharging: bit('dischrg'),
  charging: bit('chrg'),
  lowBattery: bit('lowbatt'),
  overload: bit('overload'),
  replaceBattery: bit('replacebatt'),
  trim: bit('trim'),
  boost: bit('boost'),
  bypassAuto: bit('bypassauto'),
  bypassManual: bit('bypassman'),
  /** PresentStatus.Good and the like: 0 means off, so devices without it are on. */
  off: invertedBit('off'),
  calibration: bit('cal'),
  /** BatteryPresent: 0 means missing, so devices without it have a battery. */
  noBattery: invertedBit('nobattery'),
  fanFail: bit('fanfail'),
  shutdownImminent: bit('shutdownimm'),
  overheat: bit('overheat'),
  awaitingPower: bit('awaitingpower'),
  commFault: bit('commfault'),
  timeLimitExpired: bit('timelimitexp'),
  battVoltLow: bit('battvoltlo'),
  battVoltHigh: bit('battvolthi'),
  chargerFail: bit('chargerfail'),
  /** FullyCharged = 0 is remembered as "reports not fully charged" (later NUT's CHRG rule needs it). */
  fullyCharged: lookup([[1, 'fullycharged'], [0, 'notfullycharged']]),
  depleted: bit('depleted'),
  voltageOutOfRange: bit('vrange'),
  frequencyOutOfRange: bit('frange'),
  /** APC Back-UPS LS: 8 normal, 16 briefly at power-on, 0 off. */
  apcStatusFlag: lookup([[8, '!off'], [16, '!off'], [0, 'off']]),
  /** APC last transfer cause: 1 low, 2 high line, 4/8/9 notch/spike/blackout = voltage; 0 none. */
  apcLineFailVoltage: lookup([[1, 'vrange'], [2, 'vrange'], [4, 'vrange'], [8, 'vrange'], [9, 'vrange'], [0, '!vrange']]),
  apcLineFailFrequency: lookup([[7, 'frange'], [0, '!frange']]),
  /** Eaton: Input.[1] used = on line, unless the UPS is off. */
  eatonConverterOnline: {
    toNut: (value, ctx) => (ctx.isOff() ? undefined : value === 0 ? '!online' : 'online'),
  } satisfies Conversion,

  // ---- alarm messages (ups.alarm rows) ---------------------------------------------------
  eatonEmergencyStop: alarm('Emergency stop!'),
  eatonWiringFault: alarm('Wiring fault!'),
  eatonConfigFailure: alarm('Fatal EEPROM fault!'),
  eatonInverterVoltHigh: alarm('Inverter AC voltage too high!'),
  eatonInverterVoltLow: alarm('Inverter AC voltage too low!'),
  eatonShortCircuit: alarm('Output short circuit!'),

  // ---- value lookups -----------------------------------------------------------------------
  testResult: lookup([[1, 'Done and passed'], [2, 'Done and warning'], [3, 'Done and error'], [4, 'Aborted'], [5, 'In progress'], [6, 'No test initiated'], [7, 'Test scheduled']]),
  beeperStatus: lookup([[1, 'disabled'], [2, 'enabled'], [3, 'muted']]),
  yesNo: lookup([[0, 'no'], [1, 'yes']]),
  onOff: lookup([[0, 'off'], [1, 'on']]),
  enabledDisabled: lookup([[0, 'disabled'], [1, 'enabled']]),
  sensitivity: lookup([[0, 'low'], [1, 'medium'], [2, 'high']]),
  cpsSensitivity: lookup([[0, 'low'], [1, 'normal'], [2, 'high']]),
  eatonSensitivity: lookup([[0, 'normal'], [1, 'high'], [2, 'low']]),
  eatonUpsType: lookup([[1, 'offline / line interactive'], [2, 'online'], [3, 'online - unitary/parallel'], [4, 'online - parallel with hot standy'], [5, 'online - hot standby redundancy']]),

  // ---- conversions -------------------------------------------------------------------------
  /** PDC date: (year-1980)*512 + month*32 + day; 0 = not set. */
  pdcDate: {
    toNut: (value) => {
      const v = Math.trunc(value);
      if (v === 0) return 'not set';
      return dateText(1980 + (v >> 9), (v >> 5) & 0x0f, v & 0x1f);
    },
    fromNut: (text) => {
      const d = parseDate(text);
      if (!d) return undefined;
      const [y, m, day] = d;
      if (y - 1980 > 127 || m > 12 || day > 31) return 0;
      return (y - 1980) * 512 + m * 32 + day;
    },
  } satisfies Conversion,
  /** APC date: hex nibbles read as decimal, 0xMMDDYY; years before 70 are 20xx. */
  apcDate: {
    toNut: (value) => {
      const v = Math.trunc(value);
      if (v === 0) return 'not set';
      const nib = (shift: number): number => (v >> shift) & 0xf;
      const yy = nib(0) + 10 * nib(4);
      return dateText(yy >= 70 ? 1900 + yy : 2000 + yy, nib(16) + 10 * nib(20), nib(8) + 10 * nib(12));
    },
    fromNut: (text) => {
      const d = parseDate(text);
      if (!d) return undefined;
      const [y, m, day] = d;
      if (y >= 2070 || m > 12 || day > 31) return 0;
      const yy = y % 100;
      const bcd = (n: number, shift: number): number => (((Math.trunc(n / 10) & 0xf) << 4) + (n % 10)) << shift;
      return bcd(yy, 0) + bcd(m, 16) + bcd(day, 8);
    },
  } satisfies Conversion,
  hex: { toNut: (value) => cFormat('%08lx', value) } satisfies Conversion,
  /** A USB string by index (iDeviceChemistry …); NUT reads it into 20 bytes and drops a trailing newline. */
  stringIndex: { toNut: (value, ctx) => usbString(value, ctx) } satisfies Conversion,
  divideBy10: { toNut: (value) => fixed(value * 0.1, 1) } satisfies Conversion,
  /** Kelvin to Celsius, unless the value is already Celsius (some HP firmware). */
  kelvinToCelsius: { toNut: (value) => fixed(value >= 273 && value <= 373 ? value - 273.15 : value, 1) } satisfies Conversion,

  // ---- CyberPower --------------------------------------------------------------------------
  cpsCharge: { toNut: (value) => fixed(value < 100 ? value : 100, 0) } satisfies Conversion,
  cpsBatteryVoltage: { toNut: (value, ctx) => fixed(cpsBatteryScale(value, ctx) * value, 1) } satisfies Conversion,
  cpsInputFrequency: { toNut: (value, ctx) => fixed(cpsFrequencyScale(value, ctx, 'input') * value, 1) } satisfies Conversion,
  cpsOutputFrequency: { toNut: (value, ctx) => fixed(cpsFrequencyScale(value, ctx, 'output') * value, 1) } satisfies Conversion,

  // ---- Tripp Lite --------------------------------------------------------------------------
  tlBatteryVoltage: { toNut: (value, ctx) => fixed((ctx.quirks.scale?.battery ?? 1) * value, 1) } satisfies Conversion,
  tlIoVoltage: { toNut: (value, ctx) => fixed((ctx.quirks.scale?.ioVoltage ?? 1) * value, 1) } satisfies Conversion,
  tlIoFrequency: { toNut: (value, ctx) => fixed((ctx.quirks.scale?.ioFrequency ?? 1) * value, 1) } satisfies Conversion,
  tlIoCurrent: { toNut: (value, ctx) => fixed((ctx.quirks.scale?.ioCurrent ?? 1) * value, 1) } satisfies Conversion,
  /** AVR550U (1003) and OMNI1000LCD (2005) firmware give a wrong string index. */
  tlChemistry: {
    toNut: (value, ctx) => (ctx.productId === 0x1003 || ctx.productId === 0x2005 ? 'unknown' : usbString(value, ctx)),
  } satisfies Conversion,
} satisfies Record<string, Conversion>;

export type ConversionName = keyof typeof conversions;

export function conversion(name: ConversionName): Conversion {
  return conversions[name];
}

export const CONVERSION_NAMES = Object.keys(conversions) as ConversionName[];

/** Undefined when the platform cannot read string descriptors (hidraw): nothing is published. */
function usbString(value: number, ctx: ConversionContext): string | undefined {
  const text = ctx.strings(Math.trunc(value));
  if (text === undefined) return undefined;
  return text.slice(0, 19).replace(/\n+$/, '');
}

/** CyberPower 0764:0501 may report 1.5x the battery voltage; decided once, against the nominal. */
function cpsBatteryScale(volts: number, ctx: ConversionContext): number {
  const known = ctx.memory.get('battery');
  if (known !== undefined) return known;
  if (!ctx.quirks.batteryVoltageCheck) return 1;
  const nominal = Number.parseFloat(ctx.getInfo('battery.voltage.nominal') ?? '');
  if (!Number.isFinite(nominal) || nominal === 0) return 1;
  const scale = volts / nominal > 1.4 ? 2 / 3 : 1;
  ctx.memory.set('battery', scale);
  return scale;
}

/** CyberPower frequencies sometimes come in 0.1 Hz; decided once per direction when it is clear. */
function cpsFrequencyScale(reading: number, ctx: ConversionContext, dir: 'input' | 'output'): number {
  const known = ctx.memory.get(dir);
  if (known !== undefined) return known;
  if (!ctx.quirks.frequencyCheck) return 1;
  const num = (name: string): number => Number.parseFloat(ctx.getInfo(`${dir}.frequency.${name}`) ?? '') || 0;
  let nominal = num('nominal');
  let low = num('low');
  let high = num('high');
  if (nominal === 0) nominal = guessNominal(reading, low, high);
  if (low === 0) low = nominal === 0 ? 45 : nominal * 0.95;
  if (high === 0) high = nominal === 0 ? 65 : nominal * 1.05;
  const fits = (f: number): boolean => low <= f && f <= high;
  const scale = fits(reading) ? 1 : fits(reading / 10) ? 0.1 : undefined;
  if (scale === undefined) return 1; // not clear yet: report as is and look again next time
  ctx.memory.set(dir, scale);
  return scale;
}

function guessNominal(reading: number, low: number, high: number): number {
  if ((low > 45 && low <= 50) || (high >= 50 && high <= 55)) return 50;
  if ((reading > 45 && reading <= 55) || (reading > 450 && reading <= 550)) return 50;
  if ((low > 55 && low <= 60) || (high >= 60 && high <= 65)) return 60;
  if ((reading > 55 && reading <= 65) || (reading > 550 && reading <= 650)) return 60;
  return 0;
}
