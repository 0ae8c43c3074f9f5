/**
 * The streaming MQTT 3.1.1 decoder: fed the socket's chunks as they come, it hands back whole
 * packets. A peer can only make it fail with a typed result (MqttPacketError), never a throw,
 * and can never make it buffer more than one packet of at most `maxPacketBytes` remaining length:
 * the size is known from the fixed header, so an oversized packet is refused before its body.
 */
import { TYPE_CODES, type Packet, type PacketType, type QoS, type Will } from './packets.js';

export type PacketErrorCode =
  | 'too-large' // remaining length over the cap
  | 'bad-length' // remaining-length varint longer than four bytes
  | 'bad-type' // reserved packet type 0 or 15
  | 'bad-flags' // fixed-header flags the type does not allow, or QoS 3
  | 'truncated' // a field runs past the end of its packet
  | 'bad-utf8' // a string that is not well-formed UTF-8, or holds U+0000
  | 'malformed'; // anything else the specification forbids in a packet's body

export class MqttPacketError extends Error {
  constructor(
    readonly code: PacketErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'MqttPacketError';
  }
}

export interface ReadResult {
  packets: Packet[];
  /** Set once the stream is broken; the reader stays broken (the connection must be closed). */
  error?: MqttPacketError;
}

const TYPES_BY_CODE = new Map<number, PacketType>(Object.entries(TYPE_CODES).map(([name, code]) => [code, name as PacketType]));
const utf8 = new TextDecoder('utf-8', { fatal: true });

export class PacketReader {
  /** Fixed header bytes of the packet being read (type byte + up to four length bytes). */
  private header: number[] = [];
  private body: Buffer | undefined;
  private bodyFilled = 0;
  private broken: MqttPacketError | undefined;

  constructor(private readonly maxPacketBytes: number) {}

  feed(chunk: Buffer): ReadResult {
    const packets: Packet[] = [];
    if (this.broken) return { packets, error: this.broken };
    let at = 0;
    try {
      while (at < chunk.length) {
        if (this.body === undefined) at = this.readHeader(chunk, at);
        const body: Buffer | undefined = this.body;
        if (body === undefined) continue;
        // A body of zero bytes (PINGRESP) is complete as soon as its header is.
        const take = Math.min(body.length - this.bodyFilled, chunk.length - at);
        chunk.copy(body, this.bodyFilled, at, at + take);
        this.bodyFilled += take;
        at += take;
        if (this.bodyFilled === body.length) packets.push(this.finish());
      }
    } catch (err) {
      this.broken = err instanceof MqttPacketError ? err : new MqttPacketError('malformed', String(err));
      this.header = [];
      this.body = undefined;
      return { packets, error: this.broken };
    }
    return { packets };
  }

  /** Consumes fixed-header bytes; allocates the body once the remaining length is known. */
  private readHeader(chunk: Buffer, at: number): number {
    while (at < chunk.length && this.body === undefined) {
      const byte = chunk[at++]!;
      this.header.push(byte);
      if (this.header.length === 1) {
        checkTypeAndFlags(byte);
        continue;
      }
      if (byte & 0x80) {
        if (this.header.length === 5) throw new MqttPacketError('bad-length', 'remaining length is longer than four bytes');
        continue;
      }
      let length = 0;
      for (let i = this.header.length - 1; i >= 1; i--) length = length * 128 + (this.header[i]! & 0x7f);
      if (length > this.maxPacketBytes) {
        throw new MqttPacketError('too-large', `a packet of ${length} bytes is over the limit of ${this.maxPacketBytes} bytes`);
      }
      this.body = Buffer.allocUnsafe(length);
      this.bodyFilled = 0;
    }
    return at;
  }

  private finish(): Packet {
    const first = this.header[0]!;
    const body = this.body!;
    this.header = [];
    this.body = undefined;
    this.bodyFilled = 0;
    return decodeBody(TYPES_BY_CODE.get(first >> 4)!, first & 0x0f, body);
  }
}

function checkTypeAndFlags(byte: number): void {
  const type = TYPES_BY_CODE.get(byte >> 4);
  if (type === undefined) throw new MqttPacketError('bad-type', `reserved packet type ${byte >> 4}`);
  const flags = byte & 0x0f;
  if (type === 'publish') {
    if (((flags >> 1) & 3) === 3) throw new MqttPacketError('bad-flags', 'PUBLISH with QoS 3');
    return;
  }
  // §2.2.2: these three carry 0b0010, every other type 0.
  const expected = type === 'pubrel' || type === 'subscribe' || type === 'unsubscribe' ? 0x02 : 0;
  if (flags !== expected) throw new MqttPacketError('bad-flags', `${type.toUpperCase()} with flags 0x${flags.toString(16)}`);
}

/** Reads the fields of one packet body; every read is bounds-checked. */
class Cursor {
  private at = 0;
  constructor(
    private readonly buf: Buffer,
    private readonly what: string,
  ) {}

  get left(): number {
    return this.buf.length - this.at;
  }

  byte(): number {
    this.need(1, 'a byte');
    return this.buf[this.at++]!;
  }

  u16(): number {
    this.need(2, 'a two-byte integer');
    const n = this.buf.readUInt16BE(this.at);
    this.at += 2;
    return n;
  }

  binary(): Buffer {
    const n = this.u16();
    this.need(n, `${n} bytes of data`);
    const b = this.buf.subarray(this.at, this.at + n);
    this.at += n;
    return b;
  }

  string(field: string): string {
    const bytes = this.binary();
    let s: string;
    try {
      s = utf8.decode(bytes);
    } catch {
      throw new MqttPacketError('bad-utf8', `${this.what}: ${field} is not valid UTF-8`);
    }
    if (s.includes('\u0000')) throw new MqttPacketError('bad-utf8', `${this.what}: ${field} contains U+0000`);
    return s;
  }

  rest(): Buffer {
    const b = this.buf.subarray(this.at);
    this.at = this.buf.length;
    return b;
  }

  packetId(): number {
    const id = this.u16();
    if (id === 0) throw new MqttPacketError('malformed', `${this.what}: packet identifier 0`);
    return id;
  }

  end(): void {
    if (this.left !== 0) throw new MqttPacketError('malformed', `${this.what}: ${this.left} unexpected byte(s) at the end`);
  }

  private need(n: number, what: string): void {
    if (this.left < n) throw new MqttPacketError('truncated', `${this.what}: ${what} runs past the end of the packet`);
  }
}

function qosOf(n: number, what: string): QoS {
  if (n > 2) throw new MqttPacketError('malformed', `${what}: QoS ${n}`);
  return n as QoS;
}

function decodeBody(type: PacketType, flags: number, body: Buffer): Packet {
  const c = new Cursor(body, type.toUpperCase());
  switch (type) {
    case 'connect':
      return decodeConnect(c);
    case 'connack': {
      const ack = c.byte();
      if (ack & 0xfe) throw new MqttPacketError('malformed', 'CONNACK: reserved acknowledge flags set');
      const returnCode = c.byte();
      c.end();
      return { type, sessionPresent: (ack & 1) === 1, returnCode };
    }
    case 'publish': {
      const qos = qosOf((flags >> 1) & 3, 'PUBLISH');
      const topic = c.string('the topic name');
      if (/[+#]/.test(topic)) throw new MqttPacketError('malformed', 'PUBLISH: wildcard in the topic name');
      const packet: Packet = { type, topic, qos, retain: (flags & 1) === 1, dup: (flags & 8) === 8, payload: Buffer.alloc(0) };
      if (qos > 0) packet.packetId = c.packetId();
      // A copy: the payload outlives this body buffer in listeners' hands, and must not pin it.
      packet.payload = Buffer.from(c.rest());
      return packet;
    }
    case 'puback':
    case 'pubrec':
    case 'pubrel':
    case 'pubcomp':
    case 'unsuback': {
      const packetId = c.packetId();
      c.end();
      return { type, packetId };
    }
    case 'subscribe': {
      const packetId = c.packetId();
      const filters: { filter: string; qos: QoS }[] = [];
      while (c.left > 0) {
        const filter = c.string('a topic filter');
        const options = c.byte();
        if (options & 0xfc) throw new MqttPacketError('malformed', 'SUBSCRIBE: reserved bits set in a requested QoS');
        filters.push({ filter, qos: qosOf(options, 'SUBSCRIBE') });
      }
      if (filters.length === 0) throw new MqttPacketError('malformed', 'SUBSCRIBE without a filter');
      return { type, packetId, filters };
    }
    case 'suback': {
      const packetId = c.packetId();
      const returnCodes = [...c.rest()];
      if (returnCodes.length === 0) throw new MqttPacketError('malformed', 'SUBACK without a return code');
      const bad = returnCodes.find((r) => r > 2 && r !== 0x80);
      if (bad !== undefined) throw new MqttPacketError('malformed', `SUBACK: return code 0x${bad.toString(16)}`);
      return { type, packetId, returnCodes };
    }
    case 'unsubscribe': {
      const packetId = c.packetId();
      const filters: string[] = [];
      while (c.left > 0) filters.push(c.string('a topic filter'));
      if (filters.length === 0) throw new MqttPacketError('malformed', 'UNSUBSCRIBE without a filter');
      return { type, packetId, filters };
    }
    case 'pingreq':
    case 'pingresp':
    case 'disconnect':
      c.end();
      return { type };
  }
}

function decodeConnect(c: Cursor): Packet {
  const protocol = c.string('the protocol name');
  const level = c.byte();
  if (protocol !== 'MQTT' || level !== 4) throw new MqttPacketError('malformed', `CONNECT: protocol ${protocol} level ${level}, not MQTT 4 (3.1.1)`);
  const flags = c.byte();
  if (flags & 0x01) throw new MqttPacketError('malformed', 'CONNECT: reserved flag set');
  const keepaliveSeconds = c.u16();
  const clientId = c.string('the client identifier');
  const willFlag = (flags & 0x04) !== 0;
  const willQos = qosOf((flags >> 3) & 3, 'CONNECT will');
  const willRetain = (flags & 0x20) !== 0;
  if (!willFlag && (willQos !== 0 || willRetain)) throw new MqttPacketError('malformed', 'CONNECT: will QoS or retain without a will');
  if (flags & 0x40 && !(flags & 0x80)) throw new MqttPacketError('malformed', 'CONNECT: password without a user name');
  const packet: Packet = { type: 'connect', clientId, cleanSession: (flags & 0x02) !== 0, keepaliveSeconds };
  if (willFlag) {
    const topic = c.string('the will topic');
    const will: Will = { topic, payload: Buffer.from(c.binary()), qos: willQos, retain: willRetain };
    packet.will = will;
  }
  if (flags & 0x80) packet.username = c.string('the user name');
  if (flags & 0x40) packet.password = Buffer.from(c.binary());
  c.end();
  return packet;
}
