/**
 * snmpsim's `.snmprec` recordings (`OID|TAG|VALUE`, one object a line) as an in-memory agent: the
 * unit tests run the whole walker on a recorded card without a network. Lines with a variation
 * module (`TAG:writecache|value=…`) are writable, as snmpsim's writecache makes them.
 */
import type { SnmpValue } from './mib-types.js';
import type { SnmpAgent, SnmpWrite } from './mib-walker.js';

export interface SnmprecEntry {
  value: SnmpValue;
  writable: boolean;
  line: number;
}

function decodeValue(tag: string, raw: string, where: string): SnmpValue {
  const hex = tag.endsWith('x');
  const base = hex ? tag.slice(0, -1) : tag;
  const bytes = () => (hex ? Buffer.from(raw, 'hex') : Buffer.from(raw, 'latin1'));
  switch (base) {
    case '2': case '65': case '66': case '70':
      return { type: 'integer', value: Number(raw) };
    case '67':
      return { type: 'timeticks', value: Number(raw) };
    case '4': case '68':
      return { type: 'string', value: bytes() };
    case '6':
      return { type: 'oid', value: raw.replace(/^\./, '') };
    case '64':
      return { type: 'other', value: hex ? [...Buffer.from(raw, 'hex')].join('.') : raw };
    case '5':
      return { type: 'other', value: '' };
    default:
      throw new Error(`${where}: unknown snmprec tag '${tag}' (accepted: 2, 4, 4x, 5, 6, 64, 65, 66, 67, 68, 70)`);
  }
}

/** Parses a recording; errors name `file:line`. */
export function parseSnmprec(text: string, file: string): Map<string, SnmprecEntry> {
  const out = new Map<string, SnmprecEntry>();
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '' || line.startsWith('#')) return;
    const where = `${file}:${i + 1}`;
    const first = line.indexOf('|');
    const second = line.indexOf('|', first + 1);
    if (first < 0 || second < 0) throw new Error(`${where}: expected OID|TAG|VALUE`);
    const oid = line.slice(0, first).replace(/^\./, '');
    const [tag, module] = line.slice(first + 1, second).split(':');
    let raw = line.slice(second + 1);
    if (module === 'writecache') raw = /(?:^|,)value=([^,]*)/.exec(raw)?.[1] ?? '';
    out.set(oid, { value: decodeValue(tag!, raw, where), writable: module === 'writecache', line: i + 1 });
  });
  return out;
}

/** The recording as an agent; `sets` lists every accepted write, for assertions. */
export class SnmprecAgent implements SnmpAgent {
  readonly sets: Array<{ oid: string; value: SnmpWrite }> = [];
  /** When set, every request fails with it (an agent that stopped answering). */
  failure: Error | undefined;

  constructor(readonly entries: Map<string, SnmprecEntry>) {}

  async get(oid: string): Promise<SnmpValue | undefined> {
    if (this.failure) throw this.failure;
    return this.entries.get(oid.replace(/^\./, ''))?.value;
  }

  async set(oid: string, value: SnmpWrite): Promise<boolean> {
    if (this.failure) throw this.failure;
    const key = oid.replace(/^\./, '');
    const e = this.entries.get(key);
    if (!e?.writable) return false;
    this.sets.push({ oid: key, value });
    const v: SnmpValue = value.type === 'string' ? { type: 'string', value: Buffer.from(value.value, 'latin1') } : value.type === 'oid' ? value : value.type === 'timeticks' ? value : { type: 'integer', value: value.value };
    e.value = v;
    return true;
  }

  async next(oid: string): Promise<{ oid: string; value: SnmpValue } | undefined> {
    if (this.failure) throw this.failure;
    const from = arcs(oid.replace(/^\./, ''));
    let best: string | undefined;
    for (const key of this.entries.keys()) {
      if (compareArcs(arcs(key), from) > 0 && (best === undefined || compareArcs(arcs(key), arcs(best)) < 0)) best = key;
    }
    return best === undefined ? undefined : { oid: best, value: this.entries.get(best)!.value };
  }

  /** Changes a value, as a test scenario does (the UPS goes on battery …). */
  put(oid: string, value: SnmpValue): void {
    const e = this.entries.get(oid);
    if (e) e.value = value;
    else this.entries.set(oid, { value, writable: false, line: 0 });
  }
}

function arcs(oid: string): number[] {
  return oid.split('.').map(Number);
}

/** OIDs in MIB order: arc by arc, a prefix before its children. */
function compareArcs(a: number[], b: number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}
