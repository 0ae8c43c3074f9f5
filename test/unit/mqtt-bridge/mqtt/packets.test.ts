// MQTT 3.1.1 packets: every packet type survives encode -> decode, remaining lengths at the
// varint boundaries, input split at every byte, the size cap refusing a packet before its body,
// and each kind of malformed input giving its typed error (never a throw).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { MqttPacketError, PacketReader, type PacketErrorCode } from '../../../../src/mqtt-bridge/mqtt/packet-reader.js';
import { encodePacket, encodeRemainingLength, topicFilterProblem, topicNameProblem, type Packet } from '../../../../src/mqtt-bridge/mqtt/packets.js';

const test = suite('mqtt: packets');

const BIG = 4 * 1024 * 1024;

function decodeAll(bytes: Buffer, cap = BIG): Packet[] {
  const r = new PacketReader(cap).feed(bytes);
  if (r.error) throw r.error;
  return r.packets;
}

function errorOf(bytes: Buffer, cap = BIG): MqttPacketError {
  const reader = new PacketReader(cap);
  const r = reader.feed(bytes);
  assert.ok(r.error instanceof MqttPacketError, `expected a typed error for ${bytes.toString('hex')}`);
  // The reader stays broken: nothing after an error is taken for a packet.
  const again = reader.feed(encodePacket({ type: 'pingresp' }));
  assert.is(again.packets.length, 0);
  assert.is(again.error, r.error);
  return r.error!;
}

const samples: Packet[] = [
  { type: 'connect', clientId: 'upsgate-pi', cleanSession: true, keepaliveSeconds: 60 },
  {
    type: 'connect',
    clientId: 'ü-client',
    cleanSession: true,
    keepaliveSeconds: 65535,
    will: { topic: 'upsgate/pi/availability', payload: Buffer.from('offline'), qos: 1, retain: true },
    username: 'homeassistant',
    password: Buffer.from('s3cret, with spaces'),
  },
  { type: 'connect', clientId: '', cleanSession: false, keepaliveSeconds: 0, username: 'only-user' },
  { type: 'connack', sessionPresent: false, returnCode: 0 },
  { type: 'connack', sessionPresent: true, returnCode: 5 },
  { type: 'publish', topic: 'a/b', payload: Buffer.from('hello'), qos: 0, retain: false, dup: false },
  { type: 'publish', topic: 'upsgate/pi/ups/state', payload: Buffer.from('{"x":1}'), qos: 1, retain: true, dup: true, packetId: 65535 },
  { type: 'publish', topic: 'q2/€', payload: Buffer.alloc(0), qos: 2, retain: false, dup: false, packetId: 1 },
  { type: 'puback', packetId: 7 },
  { type: 'pubrec', packetId: 8 },
  { type: 'pubrel', packetId: 9 },
  { type: 'pubcomp', packetId: 10 },
  { type: 'subscribe', packetId: 3, filters: [{ filter: 'upsgate/+/command', qos: 1 }, { filter: '#', qos: 0 }] },
  { type: 'suback', packetId: 3, returnCodes: [1, 0x80, 0, 2] },
  { type: 'unsubscribe', packetId: 4, filters: ['a/#', 'b'] },
  { type: 'unsuback', packetId: 4 },
  { type: 'pingreq' },
  { type: 'pingresp' },
  { type: 'disconnect' },
];

test('every packet type round-trips', () => {
  for (const p of samples) assert.equal(decodeAll(encodePacket(p)), [p], p.type);
});

test('known wire bytes: PINGREQ, DISCONNECT, a QoS 1 PUBLISH and a CONNECT as the spec lays them out', () => {
  assert.equal([...encodePacket({ type: 'pingreq' })], [0xc0, 0]);
  assert.equal([...encodePacket({ type: 'disconnect' })], [0xe0, 0]);
  assert.equal(encodePacket({ type: 'publish', topic: 'a', payload: Buffer.from('x'), qos: 1, retain: true, dup: false, packetId: 0x0102 }).toString('hex'), '33060001610102' + '78');
  const connect = encodePacket({ type: 'connect', clientId: 'c', cleanSession: true, keepaliveSeconds: 10, username: 'u', password: Buffer.from('p') });
  // 0x10, length, "MQTT", level 4, flags user+password+clean, keepalive 10, "c", "u", "p"
  assert.is(connect.toString('hex'), '1013' + '00044d515454' + '04' + 'c2' + '000a' + '000163' + '000175' + '000170');
});

test('remaining length at every varint boundary', () => {
  const cases: [number, number][] = [
    [0, 1], [127, 1], [128, 2], [16383, 2], [16384, 3], [2097151, 3], [2097152, 4], [268435455, 4],
  ];
  for (const [n, bytes] of cases) assert.is(encodeRemainingLength(n).length, bytes, String(n));
  assert.throws(() => encodeRemainingLength(268435456), RangeError);
  for (const size of [127, 128, 16383, 16384, 2097151]) {
    // A QoS 0 PUBLISH body: two length bytes, a one-byte topic, the payload.
    const p: Packet = { type: 'publish', topic: 't', payload: Buffer.alloc(size - 3, 0x61), qos: 0, retain: false, dup: false };
    const wire = encodePacket(p);
    assert.is(wire.length, 1 + encodeRemainingLength(size).length + size, `size ${size}`);
    assert.equal(decodeAll(wire), [p], `size ${size}`);
  }
});

test('input split at every byte gives the same packets', () => {
  const stream = Buffer.concat(samples.map((p) => encodePacket(p)));
  for (let cut = 0; cut <= stream.length; cut++) {
    const reader = new PacketReader(BIG);
    const a = reader.feed(stream.subarray(0, cut));
    const b = reader.feed(stream.subarray(cut));
    assert.is(a.error ?? b.error, undefined);
    assert.equal([...a.packets, ...b.packets], samples, `cut at ${cut}`);
  }
  // And one byte at a time, including a body that spans many chunks.
  const reader = new PacketReader(BIG);
  const got: Packet[] = [];
  for (const byte of stream) got.push(...reader.feed(Buffer.from([byte])).packets);
  assert.equal(got, samples);
});

test('a packet over the cap is refused from its header, before the body arrives', () => {
  const p: Packet = { type: 'publish', topic: 't', payload: Buffer.alloc(2000), qos: 0, retain: false, dup: false };
  const wire = encodePacket(p);
  // Exactly at the cap is fine.
  assert.is(decodeAll(wire, 2003).length, 1);
  const reader = new PacketReader(2002);
  const r = reader.feed(wire.subarray(0, 3));
  assert.is(r.error?.code, 'too-large');
  assert.match(r.error!.message, /2003 bytes is over the limit of 2002/);
});

test('packets before a broken one are still delivered', () => {
  const r = new PacketReader(BIG).feed(Buffer.concat([encodePacket({ type: 'pingresp' }), Buffer.from([0x00, 0x00])]));
  assert.equal(r.packets, [{ type: 'pingresp' }]);
  assert.is(r.error?.code, 'bad-type');
});

const malformed: [string, string, PacketErrorCode][] = [
  ['remaining length of five bytes', 'd0ffffffff7f', 'bad-length'],
  ['reserved type 0', '0000', 'bad-type'],
  ['reserved type 15', 'f000', 'bad-type'],
  ['PUBLISH with QoS 3', '3603000161', 'bad-flags'],
  ['PINGRESP with flags', 'd100', 'bad-flags'],
  ['PUBREL without its 0b0010 flags', '60020001', 'bad-flags'],
  ['SUBSCRIBE without its 0b0010 flags', '8006000100016100', 'bad-flags'],
  ['topic length past the end', '3003000561', 'truncated'],
  ['QoS 1 PUBLISH without a packet id', '3203000161', 'truncated'],
  ['CONNACK of one byte', '200100', 'truncated'],
  ['topic that is not UTF-8', '300500 02c328' + '78', 'bad-utf8'],
  ['topic with an overlong encoding', '300400 02c0af', 'bad-utf8'],
  ['topic with U+0000', '300400 026100', 'bad-utf8'],
  ['topic with a wildcard', '300400 02612b', 'malformed'],
  ['QoS 1 PUBLISH with packet id 0', '3205000161 0000', 'malformed'],
  ['CONNACK with reserved flags', '20020200', 'malformed'],
  ['PUBACK with extra bytes', '4003000100', 'malformed'],
  ['SUBACK with return code 3', '9003000103', 'malformed'],
  ['SUBACK without return codes', '90020001', 'malformed'],
  ['PINGRESP with a body', 'd00100', 'malformed'],
  ['CONNECT of another protocol level', '100c00044d5154540302003c0000', 'malformed'],
  ['CONNECT with a password but no user name', '100c00044d5154540442003c0000', 'malformed'],
];

test('malformed input gives a typed error, never a throw', () => {
  for (const [what, hex, code] of malformed) {
    const bytes = Buffer.from(hex.replace(/ /g, ''), 'hex');
    let err: MqttPacketError | undefined;
    assert.not.throws(() => {
      err = errorOf(bytes);
    }, what);
    assert.is(err?.code, code, `${what}: ${err?.message}`);
  }
});

test('topic names and filters: what a publish or subscribe may use', () => {
  assert.is(topicNameProblem('upsgate/pi/ups/state'), undefined);
  assert.match(topicNameProblem('') ?? '', /empty/);
  assert.match(topicNameProblem('a/+/b') ?? '', /wildcard/);
  assert.match(topicNameProblem('a/#') ?? '', /wildcard/);
  assert.match(topicNameProblem('a\u0000b') ?? '', /NUL/);
  assert.match(topicNameProblem('a\ud800') ?? '', /surrogate/);
  assert.is(topicNameProblem('é'.repeat(32767)), undefined);
  assert.match(topicNameProblem('é'.repeat(32768)) ?? '', /65535 bytes/);
  assert.is(topicFilterProblem('upsgate/+/command'), undefined);
  assert.is(topicFilterProblem('#'), undefined);
  assert.is(topicFilterProblem('a/+/#'), undefined);
  assert.match(topicFilterProblem('a/#/b') ?? '', /'#'/);
  assert.match(topicFilterProblem('a/b#') ?? '', /'#'/);
  assert.match(topicFilterProblem('a+/b') ?? '', /'\+'/);
});

test.run();
