import type { DeviceWriter } from '../../core/device.js';
import { convertValue } from './protocol.js';
import { APC_STRLEN, APC_VARS, type ApcVar } from './tables.js';

/** A packed variable has at most this many comma-separated values (APC_PACK_MAX). */
const PACK_MAX = 4;

/** One row of the variable table as this UPS has it. */
export interface VarRow {
  def: ApcVar;
  present: boolean;
  /** Writable: a string (ups.id, battery.date) or an enumerable the capability string lists. */
  rw: boolean;
  enumerable: boolean;
  /** Values a packed variable published last time (name.1 … name.n). */
  packCount: number;
}

/**
 * The variables of one UPS and how they reach the device: NUT's apc_dstate_setinfo/delinfo,
 * including packed rows (`ambient.0.humidity` answered `45.0,50.1` becomes ambient.1.humidity
 * and ambient.2.humidity; an empty field is `N/A`).
 */
export class ApcVariables {
  readonly rows: VarRow[] = APC_VARS.map((def) => ({ def, present: false, rw: false, enumerable: false, packCount: 0 }));

  constructor(private readonly device: DeviceWriter) {}

  byChar(cmd: string): VarRow | undefined {
    return this.rows.find((r) => r.present && r.def.cmd === cmd);
  }

  byName(name: string): VarRow | undefined {
    const n = name.toLowerCase();
    return this.rows.find((r) => r.present && r.def.name.toLowerCase() === n);
  }

  present(): VarRow[] {
    return this.rows.filter((r) => r.present);
  }

  /** Publishes a raw reply. */
  set(row: VarRow, raw: string): void {
    const { def } = row;
    if (!def.pack) {
      this.device.setInfo(def.name, convertValue(def.format, raw));
      return;
    }
    const fields = raw.split(',');
    if (fields.length > PACK_MAX) fields.length = PACK_MAX;
    if (row.packCount > fields.length) this.delete(row, fields.length);
    row.packCount = fields.length;
    fields.forEach((f, i) => this.device.setInfo(packedName(def.name, i), f === '' ? 'N/A' : convertValue(def.format, f)));
  }

  /** Removes what a row published, from the `skip`-th packed value on. */
  delete(row: VarRow, skip = 0): void {
    if (!row.def.pack) {
      this.device.delInfo(row.def.name);
      return;
    }
    for (let i = skip; i < row.packCount; i++) this.device.delInfo(packedName(row.def.name, i));
    row.packCount = 0;
  }

  /** ups.id and battery.date: read-write strings of 8 characters, as NUT flags them. */
  markString(row: VarRow): void {
    if (!row.def.string) return;
    this.device.setFlags(row.def.name, { rw: true, string: true });
    this.device.setAux(row.def.name, APC_STRLEN);
    row.rw = true;
  }

  /** An enumerable variable from the capability string: read-write, with its allowed values. */
  markEnumerable(row: VarRow, rawValues: readonly string[]): void {
    this.device.setFlags(row.def.name, { rw: true });
    row.rw = true;
    row.enumerable = true;
    for (const raw of rawValues) this.device.addEnum(row.def.name, convertValue(row.def.format, raw));
  }
}

/** `ambient.0.humidity` → `ambient.1.humidity` for the first value, and so on. */
function packedName(name: string, index: number): string {
  return name.replace('.0.', `.${index + 1}.`);
}
