/**
 * The items of a HID report descriptor (HID 1.11 §6.2.2): short items are a prefix byte (bits
 * 0-1 data size code 0/1/2/4 bytes, bits 2-3 type, bits 4-7 tag) and little-endian data; long
 * items (prefix 0xFE, then data size and tag bytes) carry nothing a UPS uses and are skipped.
 */

/** The item type field (prefix bits 2-3). */
export const ITEM_TYPE = { main: 0, global: 1, local: 2, reserved: 3 } as const;

export interface Item {
  /** Byte offset of the prefix, for error messages. */
  at: number;
  /** One of ITEM_TYPE. */
  type: number;
  tag: number;
  /** Data bytes (0, 1, 2 or 4). */
  size: number;
  /** The data as an unsigned number. */
  data: number;
}

/** Main item tags. */
export const MAIN = { input: 0x8, output: 0x9, feature: 0xb, collection: 0xa, endCollection: 0xc } as const;
/** Global item tags. */
export const GLOBAL = {
  usagePage: 0x0, logicalMin: 0x1, logicalMax: 0x2, physicalMin: 0x3, physicalMax: 0x4,
  unitExponent: 0x5, unit: 0x6, reportSize: 0x7, reportId: 0x8, reportCount: 0x9, push: 0xa, pop: 0xb,
} as const;
/** Local item tags. */
export const LOCAL = { usage: 0x0, usageMinimum: 0x1, usageMaximum: 0x2 } as const;

const SIZES = [0, 1, 2, 4] as const;
const LONG_ITEM = 0xfe;

/**
 * Walks the items in order. An item whose data would run past the end is not returned: NUT reads
 * past the buffer there; here the walk just ends, leaving every item before it intact.
 */
export function* items(bytes: Uint8Array): Generator<Item> {
  let pos = 0;
  while (pos < bytes.length) {
    const at = pos;
    const prefix = bytes[pos++]!;
    if (prefix === LONG_ITEM) {
      if (pos + 2 > bytes.length) return;
      pos += 2 + bytes[pos]!;
      continue;
    }
    const size = SIZES[prefix & 0x3]!;
    if (pos + size > bytes.length) return;
    let data = 0;
    for (let i = 0; i < size; i++) data += bytes[pos + i]! * 2 ** (8 * i);
    pos += size;
    yield { at, type: (prefix >> 2) & 0x3, tag: prefix >> 4, size, data };
  }
}

/** Item data read as two's complement of its own byte size (HID: Logical/Physical extents are signed). */
export function signed(item: Item): number {
  if (item.size === 0) return 0;
  const bits = 8 * item.size;
  return item.data >= 2 ** (bits - 1) ? item.data - 2 ** bits : item.data;
}
