/**
 * usbhid-ups's status model: BOOL rows feed lower-case tokens into a set that persists across
 * reports (a report rarely carries every flag, and several flags may mean the same condition, so
 * each is remembered on its own); `ups.status`, `ups.alarm` and `input.transfer.reason` are
 * derived from the whole set after each walk.
 */

/** The tokens NUT's status_info table knows (plus `notfullycharged`, which later NUT added). */
export const STATUS_TOKENS = [
  'online', 'dischrg', 'chrg', 'lowbatt', 'overload', 'replacebatt', 'shutdownimm', 'trim', 'boost',
  'bypassauto', 'bypassman', 'off', 'cal', 'overheat', 'commfault', 'depleted', 'timelimitexp',
  'fullycharged', 'notfullycharged', 'awaitingpower', 'fanfail', 'nobattery', 'battvoltlo',
  'battvolthi', 'chargerfail', 'vrange', 'frange',
] as const;

export type StatusToken = (typeof STATUS_TOKENS)[number];

const KNOWN = new Set<string>(STATUS_TOKENS);

export class StatusBits {
  private readonly bits = new Set<StatusToken>();

  /** `token` sets, `!token` clears; an unknown token changes nothing (NUT only logs it). */
  apply(value: string): void {
    const clear = value.startsWith('!');
    const token = (clear ? value.slice(1) : value).toLowerCase();
    if (!KNOWN.has(token)) return;
    const t = token as StatusToken;
    if (clear) {
      this.bits.delete(t);
      return;
    }
    this.bits.add(t);
    // The two charge reports exclude each other; only a device that sends one of them is known to.
    if (t === 'fullycharged') this.bits.delete('notfullycharged');
    if (t === 'notfullycharged') this.bits.delete('fullycharged');
  }

  has(token: StatusToken): boolean {
    return this.bits.has(token);
  }
}

export interface StatusRules {
  /** NUT's `onlinedischarge` (2.8.0) / `onlinedischarge_onbattery` (2.8.2): OL+DISCHRG means OB. */
  onlineDischargeOnBattery?: boolean;
  /** NUT 2.8.1's `onlinedischarge_calibration`: OL+DISCHRG means CAL. */
  onlineDischargeCalibration?: boolean;
  /**
   * Which rule adds CHRG: NUT 2.8.0's (charging and not fully charged), or later NUT's, which
   * needs the device to say NotFullyCharged, or, when it reports neither, 0 < battery.charge < 100.
   */
  chargeRule?: 'nut-2.8.0' | 'not-fully-charged';
}

/** The words of ups.status (without ALARM), in usbhid-ups's order. */
export function statusWords(bits: StatusBits, rules: StatusRules, batteryCharge: string | undefined): string[] {
  const words: string[] = [];
  if (!bits.has('online')) {
    words.push('OB');
  } else if (bits.has('dischrg') && (rules.onlineDischargeOnBattery || rules.onlineDischargeCalibration)) {
    if (rules.onlineDischargeCalibration) words.push('CAL');
    if (rules.onlineDischargeOnBattery) words.push('OB');
  } else {
    words.push('OL'); // also on line while discharging: NUT warns and keeps OL (calibration?)
  }
  if (bits.has('dischrg') && !bits.has('depleted')) words.push('DISCHRG');
  if (bits.has('chrg') && chargingShown(bits, rules, batteryCharge)) words.push('CHRG');
  if (bits.has('lowbatt') || bits.has('timelimitexp') || bits.has('shutdownimm')) words.push('LB');
  if (bits.has('overload')) words.push('OVER');
  if (bits.has('replacebatt')) words.push('RB');
  if (bits.has('trim')) words.push('TRIM');
  if (bits.has('boost')) words.push('BOOST');
  if (bits.has('bypassauto') || bits.has('bypassman')) words.push('BYPASS');
  if (bits.has('off')) words.push('OFF');
  if (bits.has('cal') && !words.includes('CAL')) words.push('CAL');
  return words;
}

function chargingShown(bits: StatusBits, rules: StatusRules, batteryCharge: string | undefined): boolean {
  if ((rules.chargeRule ?? 'nut-2.8.0') === 'nut-2.8.0') return !bits.has('fullycharged');
  if (bits.has('notfullycharged')) return true;
  if (bits.has('fullycharged')) return false;
  const charge = Number.parseInt(batteryCharge ?? '', 10); // atoi: "0" may be a failed conversion
  return charge > 0 && charge < 100;
}

/** The messages of ups.alarm that come from status bits, in usbhid-ups's order. */
export function statusAlarms(bits: StatusBits): string[] {
  const table: Array<[StatusToken, string]> = [
    ['replacebatt', 'Replace battery!'],
    ['shutdownimm', 'Shutdown imminent!'],
    ['fanfail', 'Fan failure!'],
    ['nobattery', 'No battery installed!'],
    ['battvoltlo', 'Battery voltage too low!'],
    ['battvolthi', 'Battery voltage too high!'],
    ['chargerfail', 'Battery charger fail!'],
    ['overheat', 'Temperature too high!'],
    ['commfault', 'Internal UPS fault!'],
    ['awaitingpower', 'Awaiting power!'],
    ['bypassauto', 'Automatic bypass mode!'],
    ['bypassman', 'Manual bypass mode!'],
  ];
  return table.filter(([token]) => bits.has(token)).map(([, message]) => message);
}

/** input.transfer.reason, or undefined (NUT deletes the variable). */
export function transferReason(bits: StatusBits): string | undefined {
  if (bits.has('vrange')) return 'input voltage out of range';
  if (bits.has('frange')) return 'input frequency out of range';
  return undefined;
}
