// The packet-size bound reads MQTT's remaining-length varint however the bytes are split.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FrameLimit } from '../../../src/mqtt-bridge/frame-limit.js';

/** A PUBLISH-like packet: type byte, remaining length (MQTT 3.1.1 2.2.3), body. */
function packet(bodyLength: number): Uint8Array {
  const len: number[] = [];
  let x = bodyLength;
  do {
    let b = x % 128;
    x = Math.floor(x / 128);
    if (x > 0) b |= 0x80;
    len.push(b);
  } while (x > 0);
  return Uint8Array.from([0x30, ...len, ...new Array<number>(bodyLength).fill(0x61)]);
}

test('packets up to the bound pass, in any split; the first longer one is reported', () => {
  const stream = Uint8Array.from([...packet(0), ...packet(127), ...packet(128), ...packet(1000), ...packet(1001)]);
  for (const size of [1, 2, 3, 7, 200, stream.length]) {
    const limit = new FrameLimit(1000);
    let problem: string | undefined;
    for (let i = 0; i < stream.length && !problem; i += size) problem = limit.push(stream.subarray(i, i + size));
    assert.is(problem, 'a packet of 1001 bytes (at most 1000 accepted)', `split ${size}`);
  }
  const ok = new FrameLimit(1000);
  assert.is(ok.push(Uint8Array.from([...packet(1000), ...packet(5)])), undefined);
});

test('a length varint of more than 4 bytes is malformed', () => {
  assert.is(new FrameLimit(1 << 30).push(Uint8Array.from([0x30, 0xff, 0xff, 0xff, 0xff, 0x01])), 'a packet length longer than 4 bytes (malformed)');
});

test.run();
