/**
 * NUT 2.8.0 apcsmart's tables as data (apcsmart_tabs.c, apcsmart.h): which APC command character
 * gives which NUT variable, in which format, which characters are instant commands, and the
 * firmware revisions that cannot answer `a` and get a fixed command list instead.
 * Table order matters: where two rows share a NUT name or a character (APC_MULTI), the first row
 * that the UPS answers in the expected shape wins, as in NUT.
 */

export type ApcFormat =
  | 'leave' | 'percent' | 'volt' | 'amp' | 'celsius' | 'hex' | 'dec' | 'seconds' | 'minutes' | 'hours' | 'reason';

export interface ApcVar {
  name: string;
  cmd: string;
  /** Read at every update (APC_POLL); the others are read at start-up and hourly. */
  poll: boolean;
  format: ApcFormat;
  /** ups.id and battery.date: writable 8-character strings. */
  string?: boolean;
  /** Several NUT names or characters share it: kept only when the raw reply matches `regex`. */
  multi?: boolean;
  /** Comma-separated values published as name.1…, name.4 (ambient.0.* from a Measure-UPS). */
  pack?: boolean;
  regex?: RegExp;
}

const v = (name: string, cmd: string, format: ApcFormat, more: Partial<ApcVar> = {}): ApcVar => ({
  name, cmd, format, poll: false, ...more,
});
const P = { poll: true } as const;

export const APC_VARS: readonly ApcVar[] = [
  v('ups.temperature', 'C', 'celsius', P),
  v('ups.load', 'P', 'percent', P),
  v('ups.test.interval', 'E', 'hours'),
  v('ups.test.result', 'X', 'leave', P),
  v('ups.delay.start', 'r', 'seconds'),
  v('ups.delay.shutdown', 'p', 'seconds'),
  v('ups.id', 'c', 'leave', { string: true }),
  v('ups.contacts', 'i', 'hex', P),
  v('ups.display.language', '\x0c', 'leave'),
  v('input.voltage', 'L', 'volt', P),
  v('input.frequency', 'F', 'dec', P),
  v('input.sensitivity', 's', 'leave'),
  v('input.quality', '9', 'hex', P),
  v('input.transfer.low', 'l', 'volt'),
  v('input.transfer.high', 'u', 'volt'),
  v('input.transfer.reason', 'G', 'reason', P),
  v('input.voltage.maximum', 'M', 'volt', P),
  v('input.voltage.minimum', 'N', 'volt', P),
  v('output.current', '/', 'amp', P),
  v('output.voltage', 'O', 'volt', P),
  v('output.voltage.nominal', 'o', 'volt'),
  v('ambient.humidity', 'h', 'percent', P),
  v('ambient.0.humidity', 'H', 'percent', { poll: true, pack: true }),
  v('ambient.0.humidity.high', '{', 'percent', { poll: true, pack: true }),
  v('ambient.0.humidity.low', '}', 'percent', { poll: true, pack: true }),
  v('ambient.temperature', 't', 'celsius', P),
  v('ambient.0.temperature', 'T', 'celsius', { poll: true, pack: true, multi: true, regex: /^[0-9]{2}\.[0-9]{2}$/ }),
  v('ambient.0.temperature.high', '[', 'celsius', { poll: true, pack: true }),
  v('ambient.0.temperature.low', ']', 'celsius', { poll: true, pack: true }),
  v('battery.date', 'x', 'leave', { string: true }),
  v('battery.charge', 'f', 'percent', P),
  v('battery.charge.restart', 'e', 'percent'),
  v('battery.voltage', 'B', 'volt', P),
  v('battery.voltage.nominal', 'g', 'leave'),
  v('battery.runtime', 'j', 'minutes', P),
  v('battery.runtime.low', 'q', 'minutes'),
  v('battery.packs', '>', 'dec'),
  v('battery.packs.bad', '<', 'dec'),
  v('battery.alarm.threshold', 'k', 'leave'),
  v('device.uptime', 'T', 'hours', { poll: true, multi: true, regex: /^[0-9]{3}\.[0-9]{1}$/ }),
  v('ups.serial', 'n', 'leave'),
  v('ups.mfr.date', 'm', 'leave'),
  v('ups.model', '\x01', 'leave'),
  v('ups.firmware.aux', 'v', 'leave'),
  v('ups.firmware', 'b', 'leave', { multi: true, regex: /^[A-Za-z0-9]+\.[A-Za-z0-9]+\.[A-Za-z0-9]+$/ }),
  v('ups.firmware', 'V', 'leave', { multi: true }),
];

/** How an instant command is carried out (NUT's special-cased commands, else the plain character). */
export type ApcCmdKind = 'shutdown' | 'stayoff' | 'off' | 'on' | 'calibrate' | 'plain';

export interface ApcCmd {
  name: string;
  cmd: string;
  /** The parameter must match this; without one, a parameter is refused (NUT's `ext`). */
  ext?: RegExp;
  /** Dangerous: NUT executes it only when the same command came 3 to 15 s before (APC_NASTY). */
  nasty: boolean;
  /** Sent twice, 1.3 s apart, as APC requires for commands that cut or restore power. */
  repeat: boolean;
  kind: ApcCmdKind;
}

const c = (name: string, cmd: string, kind: ApcCmdKind, nasty = false, repeat = false, ext?: RegExp): ApcCmd => ({
  name, cmd, kind, nasty, repeat, ...(ext ? { ext } : {}),
});

export const APC_CMDS: readonly ApcCmd[] = [
  c('shutdown.return', '@', 'shutdown', true, false, /^[Aa][Tt]:[0-9]{1,3}$/),
  c('shutdown.return', 'S', 'shutdown', true, false, /^([Cc][Ss]|)$/),
  c('shutdown.stayoff', 'K', 'stayoff', true, true),
  c('load.off', 'Z', 'off', true, true),
  c('load.on', '\x0e', 'on', false, true),
  c('calibrate.start', 'D', 'calibrate'),
  c('calibrate.stop', 'D', 'calibrate'),
  c('test.panel.start', 'A', 'plain'),
  c('test.failure.start', 'U', 'plain'),
  c('test.battery.start', 'W', 'plain'),
  c('test.battery.stop', 'W', 'plain'),
  c('bypass.start', '^', 'plain'),
  c('bypass.stop', '^', 'plain'),
];

/** Characters `a` lists that NUT uses internally or not at all: never a variable or command. */
export const UNEXPOSED_CHARS = '\x1a\x7f~\')-+8QRYayz';

/** Firmware (`V` reply) of models that do not answer `a`, with the characters they support. */
export const COMPAT_FIRMWARE: ReadonlyMap<string, string> = new Map([
  ...['0XI', '0XM'].map((f) => [f, '@789ABCDEFGKLMNOPQRSTUVWXYZcefgjklmnopqrsuwxz/<>\\^\x0c\x16'] as const),
  ...['0ZI', '5UI', '5ZM'].map((f) => [f, '@79ABCDEFGKLMNOPQRSUVWXYZcefgjklmnopqrsuxz/<>'] as const),
  ...['6QD', '6QI', '6TD', '6TI', '7QD', '7QI', '7TD', '7TI', '8QD', '8QI', '8TD', '8TI'].map(
    (f) => [f, '@79ABCDEFGKLMNOPQRSUVWXYZcefgjklmnopqrsuxz'] as const),
  ['6JI', '@789ABCFGKLMNOPQSTUVWXYZfg'],
  ...['7II', '9II', '9GI', '8II'].map((f) => [f, '@79ABCEFGKLMNOPQRSUVWXYZcfg'] as const),
  ['8GI', '@79ABCEFGKLMNOPQRSUVWXYZfg'],
  ['5.4.D', '@\x01ABPQRSUYbdfgjmnx9'],
  // Old APC 600s answer `V` with two hex digits (NUT's "set\1" key).
  ['set\x01', '@789ABCFGKLMNOPQRSUVWXYZ'],
]);

/** Status byte bits (`Q`, two hex digits) and the ups.status word of each, in NUT's order. */
export const STATUS_BITS: ReadonlyArray<readonly [number, string]> = [
  [0x01, 'CAL'], [0x02, 'TRIM'], [0x04, 'BOOST'], [0x08, 'OL'], [0x10, 'OB'], [0x20, 'OVER'], [0x40, 'LB'], [0x80, 'RB'],
];
export const STAT_OL = 0x08;
export const STAT_OB = 0x10;
export const STAT_OVER = 0x20;
export const STAT_LB = 0x40;
export const STAT_RB = 0x80;
export const STAT_CAL = 0x01;

/** `a` reply: protocol.alerts.commands[.more] (APC_CMDSET_FMT). */
export const CMDSET_FORMAT = /^[0-9]\.[^.]*\.[^.]+(\.[^.]+)?$/;
/** Length of ups.id and battery.date (APC_STRLEN). */
export const APC_STRLEN = 8;
