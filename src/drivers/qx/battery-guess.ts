import type { DeviceWriter } from '../../core/device.js';
import { DriverConfigError } from '../driver.js';
import { cFixed, packsFor, strtod } from './q1-protocol.js';

/**
 * battery.charge and battery.runtime for Q1 units, which report neither: NUT's "guesstimation".
 *
 * - Charge from voltage: linear between battery.voltage.low and .high (ups.conf `default.` values,
 *   else 104/120 and 130/120 of the nominal voltage, published with two decimals), clamped to
 *   0–100, with the reported voltage multiplied by the detected number of packs/cells.
 * - With `runtimecal = rh,lh,rl,ll` (runtime rh seconds at lh % load, rl at ll %): a full-load
 *   runtime that drains on battery at pow(load/100, exp) per second (never below `idleload`,
 *   default 10 %) and refills on mains over `chargetime` seconds (default 43200); published
 *   battery.runtime = estimate / effective load. Elapsed time counts in whole seconds, as NUT's
 *   time_t arithmetic does, but on the monotonic clock.
 *
 * The two drivers differ slightly and that is kept: blazer_ser publishes battery.voltage already
 * multiplied by the packs, and only nutdrv_qx lowers the runtime estimate when the voltage says
 * the battery is emptier than the estimate (NUT PR #1027, an old battery).
 */
export type Flavour = 'nutdrv_qx' | 'blazer_ser';

export interface RuntimeCal {
  exp: number;
  /** Runtime at full load, seconds. */
  nominal: number;
}

export interface BatterySettings {
  runtimecal?: { value: string; where: string };
  chargetime?: { value: string; where: string };
  idleload?: { value: string; where: string };
}

export function parseRuntimeCal(value: string, where: string): RuntimeCal {
  const parts = value.split(',').map((p) => strtod(p));
  if (parts.length < 4 || parts.slice(0, 4).some((p) => p === undefined)) {
    throw new DriverConfigError(
      `${where}: runtimecal '${value}': insufficient parameters; accepted: runtimecal = <runtime high>,<load high>,<runtime low>,<load low> ` +
        `(seconds and percent, e.g. 240,100,720,50)`,
    );
  }
  const [rh, lh, rl, ll] = parts as [number, number, number, number];
  if (rl < rh || rh <= 0) throw new DriverConfigError(`${where}: runtimecal '${value}': parameter out of range (runtime): need 0 < ${rh} <= ${rl}`);
  if (lh > 100 || ll > lh || ll <= 0) throw new DriverConfigError(`${where}: runtimecal '${value}': parameter out of range (load): need 0 < low load <= high load <= 100`);
  const exp = Math.log(rl / rh) / Math.log(lh / ll);
  return { exp, nominal: rh * Math.pow(lh / 100, exp) };
}

export function parseChargeTime(value: string, where: string): number {
  const t = Math.trunc(strtod(value) ?? 0);
  if (t <= 0) throw new DriverConfigError(`${where}: chargetime '${value}': charge time out of range; accepted: whole seconds, 1 or more`);
  return t;
}

export function parseIdleLoad(value: string, where: string): number {
  const l = (strtod(value) ?? 0) / 100;
  if (l <= 0 || l > 1) throw new DriverConfigError(`${where}: idleload '${value}': idle load out of range; accepted: a percentage above 0, at most 100`);
  return l;
}

export class BatteryGuess {
  packs = 1;
  low = -1;
  high = -1;
  nominal = -1;
  private cal: RuntimeCal | undefined;
  private chargeTime = 43200;
  private idleLoad = 0.1;
  private effectiveLoad = 1;
  private estimate = 0;
  private lastSecond = 0;

  constructor(
    private readonly flavour: Flavour,
    private readonly device: DeviceWriter,
    settings: BatterySettings,
  ) {
    if (settings.runtimecal) this.cal = parseRuntimeCal(settings.runtimecal.value, settings.runtimecal.where);
    if (settings.chargetime) this.chargeTime = parseChargeTime(settings.chargetime.value, settings.chargetime.where);
    if (settings.idleload) this.idleLoad = parseIdleLoad(settings.idleload.value, settings.idleload.where);
  }

  get calibrated(): boolean {
    return this.cal !== undefined;
  }

  private readNumber(name: string): number | undefined {
    const v = this.device.getInfo(name);
    return v === undefined ? undefined : strtod(v) ?? 0;
  }

  /** Pack count from nominal and reported voltage (blazer does it while reading F). */
  detectPacks(nominal: number, reported: number): void {
    const p = packsFor(nominal, reported);
    if (p !== undefined) this.packs = p;
  }

  /** Both drivers' initbattery, once the first Q1 and F have been read. */
  init(nowMs: number, reportedVoltage: number | undefined): void {
    this.high = this.readNumber('battery.voltage.high') ?? -1;
    this.low = this.readNumber('battery.voltage.low') ?? -1;
    this.nominal = this.readNumber('battery.voltage.nominal') ?? -1;
    if (this.nominal !== -1 && (this.low === -1 || this.high === -1)) {
      this.low = (104 * this.nominal) / 120;
      this.high = (130 * this.nominal) / 120;
      this.device.setInfo('battery.voltage.low', cFixed(this.low, 2));
      this.device.setInfo('battery.voltage.high', cFixed(this.high, 2));
    }
    if (this.flavour === 'nutdrv_qx') {
      const packs = this.device.getInfo('battery.packs');
      if (packs !== undefined && /^[0-9 .]*$/.test(packs)) this.packs = strtod(packs) ?? 0;
      else if (reportedVoltage !== undefined && this.nominal !== -1) this.detectPacks(this.nominal, reportedVoltage);
    }
    if (reportedVoltage !== undefined) this.chargeFromVoltage(reportedVoltage);
    if (!this.cal) return;
    this.lastSecond = Math.floor(nowMs / 1000);
    if (this.device.getInfo('battery.charge') === undefined || this.flavour === 'blazer_ser') {
      // NUT: with runtimecal and no charge yet, the voltage range becomes nominal..1.15 × nominal
      this.low = this.nominal;
      this.high = 1.15 * this.nominal;
      if (reportedVoltage !== undefined) this.chargeFromVoltage(reportedVoltage, true);
    }
    const charge = this.device.getInfo('battery.charge');
    if (charge === undefined) throw new Error('Initial battery charge undetermined (runtimecal needs battery.voltage and its nominal value)');
    this.estimate = (this.cal.nominal * (strtod(charge) ?? 0)) / 100;
  }

  /** The voltage-based charge (qx_battery / blazer_battery). */
  chargeFromVoltage(reported: number, force = false): void {
    if (this.flavour === 'blazer_ser' && this.cal && this.device.getInfo('battery.charge') !== undefined && !force) return;
    if (!(this.low > 0 && this.high > this.low)) return;
    const actual = this.packs * reported;
    const charge = Math.min(100, Math.max(0, (100 * (actual - this.low)) / (this.high - this.low)));
    this.device.setInfo('battery.charge', cFixed(charge, 0));
  }

  /** Load as the UPS reported it: the effective load for the runtime estimate. */
  setLoad(load: number): void {
    if (!this.cal) return;
    this.effectiveLoad = Math.max(this.idleLoad, Math.pow(load / 100, this.cal.exp));
  }

  /** One poll with runtimecal: move the estimate by the whole seconds elapsed. */
  step(nowMs: number, online: boolean, reported: number | undefined): void {
    const cal = this.cal;
    if (!cal) {
      if (reported !== undefined) this.chargeFromVoltage(reported);
      return;
    }
    const second = Math.floor(nowMs / 1000);
    const elapsed = second - this.lastSecond;
    this.lastSecond = second;
    if (online) this.estimate = Math.min(cal.nominal, this.estimate + (cal.nominal * elapsed) / this.chargeTime);
    else this.estimate = Math.max(0, this.estimate - this.effectiveLoad * elapsed);
    if (this.flavour === 'nutdrv_qx' && reported !== undefined) {
      const actual = this.packs * reported;
      if (actual > 0 && this.low > 0 && this.high > this.low) {
        const fraction = Math.min(1, Math.max(0, (actual - this.low) / (this.high - this.low)));
        if (fraction < this.estimate / cal.nominal) this.estimate = fraction * cal.nominal;
      }
    }
    this.device.setInfo('battery.charge', cFixed((100 * this.estimate) / cal.nominal, 0));
    this.device.setInfo('battery.runtime', cFixed(this.estimate / this.effectiveLoad, 0));
  }
}
