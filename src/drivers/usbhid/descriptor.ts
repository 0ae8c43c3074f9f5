/**
 * The report descriptor parser, with NUT 2.8.0's hidparser semantics (HARDWARE.md §1.2), so that
 * paths, offsets and ranges are the ones usbhid-ups resolves its tables against:
 * - globals persist until changed; locals (the usage list) are reset after every main item;
 * - a Collection takes the first pending usage as its path node, and a collection type >= 0x80
 *   (MGE/Eaton's "indexed" collections) adds an index node printed `[n]`;
 * - an Input/Output/Feature item declares Report Count fields; field k takes usage k, and fields
 *   past the end of the usage list (and padding) are not stored but still take their bits;
 * - Logical/Physical extents are signed by their own byte size, then NUT's repair: a LogMax below
 *   LogMin was meant unsigned;
 * - bit offsets count per (report ID, type), without the report-ID byte.
 * Where NUT's C overflows or corrupts its state, this does what the HID spec says instead; each
 * such place says so.
 */
import type { HidField, ReportType } from './hid-types.js';
import { GLOBAL, ITEM_TYPE, items, LOCAL, MAIN, signed, type Item } from './descriptor-items.js';
import { INDEX_PAGE, parsePath, pathString } from './descriptor-path.js';
import { usageNames, type UsageNames } from './usage-names.js';

/** Far more than any UPS declares (NUT stops at 500); a bound against hostile or broken input. */
export const MAX_FIELDS = 4096;
/** Collection nesting (NUT's paths hold 10 nodes; deeper descriptors overflow them). */
export const MAX_DEPTH = 32;
/** Usages pending before one main item (NUT holds 50 and writes past them). */
export const MAX_USAGES = 1024;
/** Push without Pop. */
export const MAX_PUSH = 32;

export class HidDescriptorError extends Error {
  constructor(
    readonly byteOffset: number,
    reason: string,
  ) {
    super(`HID report descriptor, byte ${byteOffset}: ${reason}`);
    this.name = 'HidDescriptorError';
  }
}

export interface HidDescriptor {
  readonly fields: readonly HidField[];
  /**
   * Report length in bytes incl. the ID byte, as NUT computes it: the furthest bit any item of
   * that report ID declares (of any type, padding included), rounded up to bytes, + 1. 0 when no
   * item of this type uses the ID.
   */
  reportLength(type: ReportType, reportId: number): number;
  /** The report IDs that carry at least one field of this type, ascending. */
  reportIds(type: ReportType): number[];
  /** The first field with this path and type; path nodes match names case-insensitively or as 8 hex digits. */
  find(path: string, type?: ReportType): HidField | undefined;
}

interface Globals {
  usagePage: number;
  logMin: number;
  logMax: number;
  phyMin: number;
  phyMax: number;
  havePhyMin: boolean;
  havePhyMax: boolean;
  unitExp: number;
  unit: number;
  reportSize: number;
  reportId: number;
  reportCount: number;
}

const REPORT_TYPES: Record<number, ReportType> = { [MAIN.input]: 'Input', [MAIN.output]: 'Output', [MAIN.feature]: 'Feature' };

export function parseReportDescriptor(bytes: Uint8Array, names: UsageNames = usageNames('explore')): HidDescriptor {
  let g: Globals = {
    usagePage: 0, logMin: 0, logMax: 0, phyMin: 0, phyMax: 0, havePhyMin: false, havePhyMax: false,
    unitExp: 0, unit: 0, reportSize: 0, reportId: 0, reportCount: 0,
  };
  const pushed: Globals[] = [];
  let usages: number[] = [];
  let usageMin: number | undefined;
  let usageMax: number | undefined;
  const path: number[] = [];
  /** How many path nodes each open collection added (1, or 2 with an index node). */
  const open: number[] = [];
  // Bit offsets per (type, report ID). NUT keeps them in a byte, so past bit 255 its offsets wrap
  // and it decodes the wrong bits; here they count on (large vendor reports decode right).
  const offsets = new Map<string, number>();
  const bitsById = new Map<number, number>();
  const declared = { Input: new Set<number>(), Output: new Set<number>(), Feature: new Set<number>() };
  const fields: HidField[] = [];

  const resetLocals = () => {
    usages = [];
    usageMin = usageMax = undefined;
  };
  const addUsage = (usage: number) => {
    if (usages.length < MAX_USAGES) usages.push(usage);
  };
  // A 1- or 2-byte usage is an ID on the current page; a 4-byte one carries its own page.
  const fullUsage = (item: Item) => (item.size === 4 ? item.data : (g.usagePage * 0x10000 + (item.data & 0xffff)));
  // Usage Minimum/Maximum (NUT ignores them, leaving such fields unnamed) expand to the usages
  // they span, as the HID spec says, on the page of the minimum.
  const expandRange = () => {
    if (usageMin === undefined || usageMax === undefined) return;
    const page = usageMin - (usageMin % 0x10000);
    const last = page + (usageMax % 0x10000);
    for (let u = usageMin; u <= last && usages.length < MAX_USAGES; u++) addUsage(u);
    usageMin = usageMax = undefined;
  };

  const emit = (item: Item, type: ReportType) => {
    const { reportId: id, reportSize: size, reportCount: count } = g;
    const key = `${type}/${id}`;
    const start = offsets.get(key) ?? 0;
    const physical = g.havePhyMin && g.havePhyMax && !(g.phyMin === 0 && g.phyMax === 0);
    const named = Math.min(count, usages.length);
    for (let k = 0; k < named; k++) {
      const usage = usages[k]!;
      if (usage === 0) continue; // NUT's test for "an object": a zero usage is padding
      if (fields.length >= MAX_FIELDS) throw new HidDescriptorError(item.at, `more than ${MAX_FIELDS} fields; no UPS declares that many`);
      const nodes = [...path, usage];
      fields.push({
        path: pathString(nodes, names),
        nodes,
        type,
        reportId: id,
        offset: start + k * size,
        size,
        logMin: g.logMin,
        logMax: g.logMax,
        phyMin: physical ? g.phyMin : undefined,
        phyMax: physical ? g.phyMax : undefined,
        unit: g.unit,
        unitExp: g.unitExp,
        constant: (item.data & 0x01) === 1,
        attributes: item.data,
        physicalGiven: g.havePhyMin && g.havePhyMax,
      });
    }
    // The fields past the usage list are NUT's "continuations": never stored, but their bits
    // count (in the offsets and in the report length). NUT keeps Report Count in a byte and,
    // given 0, wraps to 256 fields; a count of 0 declares nothing here, and a count over 255 is
    // taken whole.
    const end = start + count * size;
    offsets.set(key, end);
    declared[type].add(id);
    if (count > 0 && end > (bitsById.get(id) ?? 0)) bitsById.set(id, end);
  };

  for (const item of items(bytes)) {
    if (item.type === ITEM_TYPE.main) {
      const type = REPORT_TYPES[item.tag];
      if (type) {
        expandRange();
        emit(item, type);
        resetLocals();
      } else if (item.tag === MAIN.collection) {
        expandRange();
        if (open.length >= MAX_DEPTH) throw new HidDescriptorError(item.at, `collections nested deeper than ${MAX_DEPTH}`);
        path.push(usages[0] ?? 0);
        // NUT tests the whole item data, not just its first byte.
        if (item.data >= 0x80) path.push(INDEX_PAGE + (item.data & 0x7f));
        open.push(item.data >= 0x80 ? 2 : 1);
        resetLocals();
      } else if (item.tag === MAIN.endCollection) {
        // Each collection removes the nodes it added. (NUT pops one node, and a second one when
        // the popped node looks like an index: the same unless a vendor usage sits on page
        // 0x00FF. A stray End Collection underflows NUT's path; here it is ignored.)
        const added = open.pop();
        if (added !== undefined) path.length -= added;
        resetLocals();
      }
    } else if (item.type === ITEM_TYPE.global) {
      global(item);
    } else if (item.type === ITEM_TYPE.local) {
      if (item.tag === LOCAL.usage) addUsage(fullUsage(item));
      else if (item.tag === LOCAL.usageMinimum) (usageMin = fullUsage(item)), expandRange();
      else if (item.tag === LOCAL.usageMaximum) (usageMax = fullUsage(item)), expandRange();
    }
  }

  function global(item: Item): void {
    switch (item.tag) {
      case GLOBAL.usagePage: g.usagePage = item.data & 0xffff; break;
      case GLOBAL.logicalMin: g.logMin = signed(item); break;
      case GLOBAL.logicalMax:
        // NUT's repair, against the LogMin in effect at this item: firmware writes "0..255" as
        // `25 ff`, which read signed is -1.
        g.logMax = signed(item);
        if (g.logMax < g.logMin) g.logMax = item.data;
        break;
      case GLOBAL.physicalMin: g.phyMin = signed(item); g.havePhyMin = true; break;
      case GLOBAL.physicalMax: g.phyMax = signed(item); g.havePhyMax = true; break;
      case GLOBAL.unitExponent: g.unitExp = unitExponent(item.data); break;
      case GLOBAL.unit: g.unit = item.data; break;
      // NUT keeps these in a byte.
      case GLOBAL.reportSize: g.reportSize = item.data & 0xff; break;
      case GLOBAL.reportId: g.reportId = item.data & 0xff; break;
      case GLOBAL.reportCount: g.reportCount = item.data; break;
      // NUT 2.8.0 ignores Push and Pop (the globals set between them stay in effect after Pop).
      // They are done here as the HID spec says, so a descriptor using them still parses sanely.
      case GLOBAL.push:
        if (pushed.length >= MAX_PUSH) throw new HidDescriptorError(item.at, `more than ${MAX_PUSH} Push items without Pop`);
        pushed.push({ ...g });
        break;
      case GLOBAL.pop: g = pushed.pop() ?? g; break;
    }
  }

  if (fields.length === 0) {
    throw new HidDescriptorError(bytes.length, `no named Input, Output or Feature field in ${bytes.length} bytes (NUT refuses such a descriptor too)`);
  }
  return new ParsedDescriptor(fields, names, bitsById, declared);
}

/**
 * Unit Exponent as NUT reads it: the data as a signed byte, and 8..127 as a 4-bit two's
 * complement nibble (so 0x08..0x0F are -8..-1, the HID spec's encoding).
 */
function unitExponent(data: number): number {
  const byte = data & 0xff;
  const v = byte >= 0x80 ? byte - 0x100 : byte;
  return v > 7 ? (v | 0xf0) - 0x100 : v;
}

class ParsedDescriptor implements HidDescriptor {
  readonly fields: readonly HidField[];
  private readonly byPath = new Map<string, HidField>();

  constructor(
    fields: HidField[],
    private readonly names: UsageNames,
    private readonly bitsById: Map<number, number>,
    private readonly declared: Record<ReportType, Set<number>>,
  ) {
    this.fields = Object.freeze(fields);
    for (const f of fields) {
      const key = `${f.type}|${f.nodes.join(',')}`;
      if (!this.byPath.has(key)) this.byPath.set(key, f);
    }
  }

  reportLength(type: ReportType, reportId: number): number {
    if (!this.declared[type].has(reportId)) return 0;
    return Math.ceil((this.bitsById.get(reportId) ?? 0) / 8) + 1;
  }

  reportIds(type: ReportType): number[] {
    return [...new Set(this.fields.filter((f) => f.type === type).map((f) => f.reportId))].sort((a, b) => a - b);
  }

  // NUT compares only as many nodes as the path it is given has (a prefix matches); a mapping
  // table always names whole paths, so here the whole path must match.
  find(path: string, type: ReportType = 'Feature'): HidField | undefined {
    const nodes = parsePath(path, this.names);
    return nodes && this.byPath.get(`${type}|${nodes.join(',')}`);
  }
}
