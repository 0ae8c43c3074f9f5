// Short constructors for the MIB tables, so each table reads as a list of facts.
import type { CommandRow, ConstantRow, MibRow, NumberRow, PhaseCondition, StatusRow, StringRow } from '../mib-types.js';

type Extra<T> = Partial<Omit<T, 'kind' | 'name' | 'oid'>> & PhaseCondition;

export function num(name: string, oid: string, scale: number, extra: Extra<NumberRow> = {}): MibRow {
  return { kind: 'number', name, oid, scale, ...extra };
}

export function str(name: string, oid: string, length: number, extra: Extra<StringRow> = {}): MibRow {
  return { kind: 'string', name, oid, length, ...extra };
}

export function status(oid: string, lookup: StatusRow['lookup']): MibRow {
  return { kind: 'status', name: 'ups.status', oid, lookup };
}

export function constant(name: string, value: string, length = 128): ConstantRow {
  return { kind: 'constant', name, value, length };
}

export function cmd(name: string, oid: string, value: number, extra: Partial<Pick<CommandRow, 'writeOid'>> = {}): MibRow {
  return { kind: 'command', name, oid, value, ...extra };
}

/** NUT's SU_INFOSIZE: strings are cut to 127 characters. */
export const INFOSIZE = 128;

/** The system group (RFC 1213), which every vendor table starts with, writable as in NUT. */
export const SYSTEM_ROWS: readonly MibRow[] = [
  str('device.description', '1.3.6.1.2.1.1.1.0', INFOSIZE, { rw: true }),
  str('device.contact', '1.3.6.1.2.1.1.4.0', INFOSIZE, { rw: true }),
  str('device.location', '1.3.6.1.2.1.1.6.0', INFOSIZE, { rw: true }),
];
