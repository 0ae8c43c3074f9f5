/**
 * MQTT 3.1.1 control packets (OASIS standard, 2014) as plain objects, and their encoding.
 * Written from the specification; decoding lives in packet-reader.ts. Only what a small client
 * needs, plus the broker's side of the same packets so tests can round-trip each one.
 */

export type QoS = 0 | 1 | 2;

export interface Will {
  topic: string;
  payload: Buffer;
  qos: QoS;
  retain: boolean;
}

export type Packet =
  | {
      type: 'connect';
      clientId: string;
      cleanSession: boolean;
      keepaliveSeconds: number;
      will?: Will;
      username?: string;
      password?: Buffer;
    }
  | { type: 'connack'; sessionPresent: boolean; returnCode: number }
  | { type: 'publish'; topic: string; payload: Buffer; qos: QoS; retain: boolean; dup: boolean; packetId?: number }
  | { type: 'puback' | 'pubrec' | 'pubrel' | 'pubcomp' | 'unsuback'; packetId: number }
  | { type: 'subscribe'; packetId: number; filters: { filter: string; qos: QoS }[] }
  | { type: 'suback'; packetId: number; returnCodes: number[] }
  | { type: 'unsubscribe'; packetId: number; filters: string[] }
  | { type: 'pingreq' | 'pingresp' | 'disconnect' };

export type PacketType = Packet['type'];

/** The control packet type numbers of §2.2.1 (0 and 15 are reserved). */
export const TYPE_CODES: Record<PacketType, number> = {
  connect: 1,
  connack: 2,
  publish: 3,
  puback: 4,
  pubrec: 5,
  pubrel: 6,
  pubcomp: 7,
  subscribe: 8,
  suback: 9,
  unsubscribe: 10,
  unsuback: 11,
  pingreq: 12,
  pingresp: 13,
  disconnect: 14,
};

/** The largest remaining length four varint bytes can carry (§2.2.3). */
export const MAX_REMAINING_LENGTH = 268_435_455;
/** Strings and binary fields carry a two-byte length (§1.5.3). */
export const MAX_STRING_BYTES = 65_535;

/** SUBACK's return code for a refused filter. */
export const SUBACK_FAILURE = 0x80;

/**
 * Why a topic name cannot be published to, or undefined when it can: not empty, no wildcards
 * (§4.7.1), no U+0000 (§1.5.3), at most 65535 bytes of UTF-8.
 */
export function topicNameProblem(topic: string): string | undefined {
  if (topic.length === 0) return 'the topic is empty';
  if (/[+#]/.test(topic)) return 'the topic contains a wildcard (+ or #), which only subscriptions may use';
  if (topic.includes('\u0000')) return 'the topic contains a NUL character';
  if (!isWellFormed(topic)) return 'the topic is not valid Unicode (a lone surrogate)';
  if (Buffer.byteLength(topic, 'utf8') > MAX_STRING_BYTES) return `the topic is longer than ${MAX_STRING_BYTES} bytes`;
  return undefined;
}

/** Why a subscription filter is not valid (§4.7.1.2-3), or undefined. */
export function topicFilterProblem(filter: string): string | undefined {
  if (filter.length === 0) return 'the filter is empty';
  if (filter.includes('\u0000')) return 'the filter contains a NUL character';
  if (!isWellFormed(filter)) return 'the filter is not valid Unicode (a lone surrogate)';
  if (Buffer.byteLength(filter, 'utf8') > MAX_STRING_BYTES) return `the filter is longer than ${MAX_STRING_BYTES} bytes`;
  const levels = filter.split('/');
  for (let i = 0; i < levels.length; i++) {
    const level = levels[i]!;
    if (level.includes('#') && (level !== '#' || i !== levels.length - 1)) return "'#' must be a whole level and the last one";
    if (level.includes('+') && level !== '+') return "'+' must be a whole level";
  }
  return undefined;
}

/** A string without lone surrogates (which UTF-8 cannot carry and Buffer would turn into U+FFFD). */
function isWellFormed(s: string): boolean {
  return !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);
}

// ---------------------------------------------------------------------------------------------
// Encoding. A packet that cannot be encoded (a programming error: the client validates what a
// user can get wrong first) throws a RangeError.

/** The variable byte integer of §2.2.3. */
export function encodeRemainingLength(n: number): Buffer {
  if (!Number.isInteger(n) || n < 0 || n > MAX_REMAINING_LENGTH) throw new RangeError(`remaining length ${n} out of range`);
  const bytes: number[] = [];
  do {
    let byte = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) byte |= 0x80;
    bytes.push(byte);
  } while (n > 0);
  return Buffer.from(bytes);
}

function u16(n: number): Buffer {
  if (!Number.isInteger(n) || n < 0 || n > 0xffff) throw new RangeError(`${n} does not fit in two bytes`);
  const b = Buffer.allocUnsafe(2);
  b.writeUInt16BE(n);
  return b;
}

function packetId(n: number): Buffer {
  if (!Number.isInteger(n) || n < 1 || n > 0xffff) throw new RangeError(`packet identifier ${n} is not 1..65535`);
  return u16(n);
}

/** Length-prefixed binary data (§1.5.3 for strings, §3.1.3.2 for the will payload, password). */
function field(data: string | Buffer): Buffer {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  if (bytes.length > MAX_STRING_BYTES) throw new RangeError(`a field of ${bytes.length} bytes is over ${MAX_STRING_BYTES}`);
  return Buffer.concat([u16(bytes.length), bytes]);
}

function frame(type: PacketType, flags: number, parts: Buffer[]): Buffer {
  const bodyLength = parts.reduce((n, p) => n + p.length, 0);
  return Buffer.concat([Buffer.from([(TYPE_CODES[type] << 4) | flags]), encodeRemainingLength(bodyLength), ...parts]);
}

export function encodePacket(p: Packet): Buffer {
  switch (p.type) {
    case 'connect': {
      let flags = p.cleanSession ? 0x02 : 0;
      const payload: Buffer[] = [field(p.clientId)];
      if (p.will) {
        flags |= 0x04 | (p.will.qos << 3) | (p.will.retain ? 0x20 : 0);
        payload.push(field(p.will.topic), field(p.will.payload));
      }
      if (p.username !== undefined) {
        flags |= 0x80;
        payload.push(field(p.username));
      }
      if (p.password !== undefined) {
        flags |= 0x40;
        payload.push(field(p.password));
      }
      return frame('connect', 0, [field('MQTT'), Buffer.from([4, flags]), u16(p.keepaliveSeconds), ...payload]);
    }
    case 'connack':
      return frame('connack', 0, [Buffer.from([p.sessionPresent ? 1 : 0, p.returnCode])]);
    case 'publish': {
      const flags = (p.dup ? 0x08 : 0) | (p.qos << 1) | (p.retain ? 0x01 : 0);
      const id = p.qos > 0 ? [packetId(p.packetId ?? 0)] : [];
      return frame('publish', flags, [field(p.topic), ...id, p.payload]);
    }
    case 'puback':
    case 'pubrec':
    case 'pubcomp':
    case 'unsuback':
      return frame(p.type, 0, [packetId(p.packetId)]);
    case 'pubrel':
      // §3.6.1: PUBREL, SUBSCRIBE and UNSUBSCRIBE carry the fixed flags 0b0010.
      return frame('pubrel', 0x02, [packetId(p.packetId)]);
    case 'subscribe':
      if (p.filters.length === 0) throw new RangeError('SUBSCRIBE needs at least one filter');
      return frame('subscribe', 0x02, [packetId(p.packetId), ...p.filters.flatMap((f) => [field(f.filter), Buffer.from([f.qos])])]);
    case 'suback':
      return frame('suback', 0, [packetId(p.packetId), Buffer.from(p.returnCodes)]);
    case 'unsubscribe':
      if (p.filters.length === 0) throw new RangeError('UNSUBSCRIBE needs at least one filter');
      return frame('unsubscribe', 0x02, [packetId(p.packetId), ...p.filters.map((f) => field(f))]);
    case 'pingreq':
    case 'pingresp':
    case 'disconnect':
      return frame(p.type, 0, []);
  }
}
