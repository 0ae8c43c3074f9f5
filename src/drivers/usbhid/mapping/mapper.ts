import type { DeviceWriter } from '../../../core/device.js';
import { UpsStatus } from '../../ups-status.js';
import type { HidDeviceInfo, HidField } from '../hid-types.js';
import { conversion, type ConversionContext } from './conversions.js';
import { cFormat } from './printf.js';
import { StatusBits, statusAlarms, statusWords, transferReason, type StatusRules } from './status.js';
import { quirksFor, subdriverFor } from './subdrivers.js';
import type { DescriptorView, DeviceQuirks, MappingRow, Subdriver } from './types.js';
import { commandWrites, setWrites, type WriteResult, type WriteTarget } from './writes.js';

/** The decoded physical value of a field in the current report buffers; undefined = not available. */
export interface HidReader {
  (field: HidField): number | undefined;
}

export interface MapperOptions extends StatusRules {
  /** NUT's `lowbatt`: replaces the published battery.charge.low (not written to the UPS). */
  lowBatt?: string;
  /** NUT's `ondelay` / `offdelay`: the initial ups.delay.start / ups.delay.shutdown. */
  onDelay?: string;
  offDelay?: string;
}

export type Walk = 'init' | 'full' | 'quick';

interface ActiveRow {
  row: MappingRow;
  field: HidField;
}

/**
 * From HID fields to NUT variables for one device, as usbhid-ups's hid_ups_walk and friends do.
 * It never talks to the device: the driver fetches the reports `fieldsFor` names, then hands a
 * reader over them to `init` / `update` / `input`, and sends what `commandWrites` / `setWrites`
 * return.
 */
export class HidMapper {
  /** Which subdriver claims the device (first in usbhid-ups's order; generic last). */
  static forDevice(info: HidDeviceInfo, options: { productIdGiven?: boolean } = {}): Subdriver {
    return subdriverFor(info, options.productIdGiven ?? false);
  }

  readonly quirks: DeviceQuirks;
  private active: ActiveRow[] = [];
  private initialised = false;
  private readonly bits = new StatusBits();
  private alarms: string[] = [];
  private alarmActive = false;
  private dataChanged = false;
  private readonly status: UpsStatus;
  private readonly context: ConversionContext;

  constructor(
    readonly subdriver: Subdriver,
    private readonly descriptor: DescriptorView,
    private readonly device: DeviceWriter,
    private readonly options: MapperOptions,
    strings: (index: number) => string | undefined,
    private readonly info?: HidDeviceInfo,
  ) {
    this.quirks = info ? quirksFor(subdriver, info) : {};
    if (info) subdriver.fixDescriptor?.(info, descriptor);
    this.status = new UpsStatus(device);
    this.context = {
      strings,
      getInfo: (name) => device.getInfo(name),
      quirks: this.quirks,
      productId: info?.productId ?? 0,
      memory: new Map(),
      isOff: () => this.bits.has('off'),
    };
  }

  /** A setvar or instcmd went out: the next walk should be full and re-read SEMI_STATIC rows. */
  get wantsFullWalk(): boolean {
    return this.dataChanged;
  }

  /** Resolves the rows, publishes identity, ABSENT defaults, flags and commands, and the first values. */
  init(read: HidReader): void {
    this.status.init();
    this.publishIdentity();
    const published = new Set<string>();
    const active: ActiveRow[] = [];
    for (const row of this.subdriver.rows) {
      const field = this.resolve(row.path);
      if (!field) continue;
      const key = row.name.toLowerCase();
      if (row.flags?.absent) {
        active.push({ row, field });
        if (published.has(key)) continue;
        published.add(key);
        this.device.setInfo(row.name, row.default ?? '');
        this.publishFlags(row);
        continue;
      }
      const repeatable = row.flags?.command || row.name === 'BOOL' || key.startsWith('ups.alarm');
      if (!repeatable && published.has(key)) continue; // an earlier path of this name won
      active.push({ row, field });
      if (this.isSkipped(field)) continue;
      const value = read(field);
      if (value === undefined) continue;
      if (row.flags?.command) {
        this.device.addCmd(row.name);
        continue;
      }
      if (this.publish(row, value) !== 'published') continue;
      published.add(key);
      this.publishFlags(row);
    }
    this.active = active;
    this.initialised = true;
    this.applyOptions();
    this.addCompositeCommands();
  }

  /** The fields to fetch for a walk (before `init`: every field a row may use). */
  fieldsFor(walk: Walk): HidField[] {
    const rows = this.initialised
      ? this.active.filter((a) => this.inWalk(a.row, walk))
      : this.subdriver.rows.flatMap((row) => {
          const field = row.flags?.absent ? undefined : this.resolve(row.path);
          return field ? [{ row, field }] : [];
        });
    return [...new Set(rows.map((a) => a.field).filter((f) => !this.isSkipped(f)))];
  }

  /** Publishes the walk's rows from `read`, then ups.status (and ups.alarm after a full walk). */
  update(walk: Walk, read: HidReader): void {
    if (walk === 'full') this.alarms = [];
    for (const { row, field } of this.active) {
      if (!this.inWalk(row, walk) || row.flags?.command || this.isSkipped(field)) continue;
      const value = read(field);
      if (value !== undefined) this.publish(row, value);
    }
    if (walk === 'full') {
      this.dataChanged = false;
      const messages = [...this.alarms, ...statusAlarms(this.bits)];
      this.alarmActive = messages.length > 0;
      if (this.alarmActive) this.device.setInfo('ups.alarm', messages.join(' '));
      else this.device.delInfo('ups.alarm');
    }
    this.publishStatus();
  }

  /** Input fields of an interrupt report: each updates the first row reading the same path. */
  input(fields: HidField[], read: HidReader): void {
    for (const f of fields) {
      const path = f.path.toLowerCase();
      const hit = this.active.find((a) => !a.row.flags?.absent && a.field.path.toLowerCase() === path);
      if (!hit || hit.row.flags?.command || hit.row.name.toLowerCase().startsWith('ups.alarm')) continue;
      const value = read(f);
      if (value !== undefined) this.publish(hit.row, value);
    }
    this.publishStatus();
  }

  commandWrites(command: string, parameter: string | undefined): WriteResult {
    return this.changed(commandWrites(this.writeTarget(), command, parameter));
  }

  setWrites(name: string, value: string): WriteResult {
    return this.changed(setWrites(this.writeTarget(), name, value));
  }

  // ---- internals -----------------------------------------------------------------------------

  private changed(result: WriteResult): WriteResult {
    if (Array.isArray(result) && result.length > 0) this.dataChanged = true;
    return result;
  }

  private writeTarget(): WriteTarget {
    return {
      activeRow: (name, kind) => {
        const key = name.toLowerCase();
        return this.active.find((a) => a.row.name.toLowerCase() === key && Boolean(a.row.flags?.command) === (kind === 'command'));
      },
      getInfo: (name) => this.device.getInfo(name),
      setInfo: (name, value) => this.device.setInfo(name, value),
      delaysInMinutes: this.subdriver.delaysInMinutes ?? false,
    };
  }

  /** The row's path in the descriptor (Feature items), with vendor names also tried as hex. */
  private resolve(path: string): HidField | undefined {
    const direct = this.descriptor.find(path, 'Feature');
    if (direct) return direct;
    const names = this.subdriver.usageNames;
    const lowerNames = new Map(Object.entries(names).map(([k, v]) => [k.toLowerCase(), v]));
    let changed = false;
    const hexPath = path
      .split('.')
      .map((seg) => {
        const usage = lowerNames.get(seg.toLowerCase());
        if (usage === undefined) return seg;
        changed = true;
        return usage.toString(16).padStart(8, '0');
      })
      .join('.');
    return changed ? this.descriptor.find(hexPath, 'Feature') : undefined;
  }

  private inWalk(row: MappingRow, walk: Walk): boolean {
    const f = row.flags ?? {};
    if (f.absent) return false;
    if (walk === 'init') return true;
    if (walk === 'quick') return Boolean(f.quickPoll) && !f.command;
    if (f.command || f.static) return false;
    return !f.semiStatic || this.dataChanged;
  }

  private isSkipped(field: HidField): boolean {
    return this.quirks.skipReports?.includes(field.reportId) ?? false;
  }

  /** NUT's ups_infoval_set: a status token, an alarm message, or a variable. */
  private publish(row: MappingRow, value: number): 'published' | 'status' | 'failed' {
    if (row.convert) {
      const text = conversion(row.convert).toNut(value, this.context);
      if (text === undefined) return 'failed';
      if (row.name === 'BOOL') {
        this.bits.apply(text);
        return 'status';
      }
      if (row.name.toLowerCase().startsWith('ups.alarm')) {
        this.alarms.push(text);
        return 'status';
      }
      this.device.setInfo(row.name, text);
      return 'published';
    }
    if (row.name === 'BOOL') return 'failed';
    this.device.setInfo(row.name, cFormat(row.format ?? '%.0f', value));
    return 'published';
  }

  private publishFlags(row: MappingRow): void {
    const f = row.flags ?? {};
    this.device.setFlags(row.name, { rw: Boolean(f.rw), string: f.string !== undefined });
    if (f.string !== undefined) this.device.setAux(row.name, f.string);
    const values = row.convert ? conversion(row.convert).values : undefined;
    if (f.enum && f.rw && values) for (const [, text] of values) this.device.addEnum(row.name, text);
  }

  private publishIdentity(): void {
    if (!this.info) return;
    const id = this.subdriver.identity(this.info);
    for (const [name, value] of [['ups.mfr', id.mfr], ['ups.model', id.model], ['ups.serial', id.serial]] as const) {
      if (value === undefined) this.device.delInfo(name);
      else this.device.setInfo(name, value);
    }
    for (const [name, value] of id.extra) this.device.setInfo(name, value);
    this.device.setInfo('ups.vendorid', cFormat('%04x', this.info.vendorId));
    this.device.setInfo('ups.productid', cFormat('%04x', this.info.productId));
  }

  /** lowbatt / ondelay / offdelay from ups.conf, taken with strtol as NUT does. */
  private applyOptions(): void {
    const apply = (name: string, value: string | undefined): void => {
      if (value === undefined || this.device.getInfo(name) === undefined) return;
      this.device.setInfo(name, String(atolOrZero(value)));
    };
    apply('battery.charge.low', this.options.lowBatt);
    apply('ups.delay.start', this.options.onDelay);
    apply('ups.delay.shutdown', this.options.offDelay);
  }

  /** Commands usbhid-ups builds from the delay commands (see writes.ts). */
  private addCompositeCommands(): void {
    const has = (name: string): boolean => this.active.some((a) => a.row.flags?.command && a.row.name === name);
    if (has('load.off.delay')) this.device.addCmd('load.off');
    if (has('load.on.delay')) this.device.addCmd('load.on');
    if (has('load.off.delay') && has('load.on.delay')) {
      this.device.addCmd('shutdown.return');
      this.device.addCmd('shutdown.stayoff');
    }
  }

  private publishStatus(): void {
    const reason = transferReason(this.bits);
    if (reason === undefined) this.device.delInfo('input.transfer.reason');
    else this.device.setInfo('input.transfer.reason', reason);
    const words = statusWords(this.bits, this.options, this.device.getInfo('battery.charge'));
    this.status.publish(this.alarmActive ? ['ALARM', ...words] : words);
  }
}

function atolOrZero(text: string): number {
  const m = /^\s*([+-]?\d+)/.exec(text);
  return m ? Number(m[1]) : 0;
}
