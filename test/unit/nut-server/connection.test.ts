import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Connection, DEFAULT_CONNECTION_LIMITS } from '../../../src/nut-server/connection.js';
import { world, type World } from './harness.js';

/** Just enough of a net.Socket to drive a Connection without the network. */
class FakeSocket extends EventEmitter {
  written = '';
  destroyed = false;
  ended = false;
  writableLength = 0;
  write(text: string): boolean {
    this.written += text;
    return true;
  }
  end(): void {
    this.ended = true;
  }
  destroy(): void {
    this.destroyed = true;
    this.emit('close');
  }
  unshift(): void {}
  resume(): void {}
  send(bytes: string | Buffer): void {
    this.emit('data', typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes);
  }
}

function connect(w: World, limits = DEFAULT_CONNECTION_LIMITS) {
  const socket = new FakeSocket();
  let closed = false;
  const conn = new Connection(socket as unknown as Socket, 1, '127.0.0.1', w.ctx, limits, undefined, () => (closed = true));
  return { socket, conn, isClosed: () => closed };
}

test('pipelined requests in one packet are answered in order, in one write', () => {
  const w = world();
  const { socket } = connect(w);
  let writes = 0;
  const write = socket.write.bind(socket);
  socket.write = (t: string) => {
    writes++;
    return write(t);
  };
  socket.send('NETVER\nGET VAR dummy battery.charge\r\nLIST CMD dummy\n');
  assert.is(
    socket.written,
    '1.3\nVAR dummy battery.charge "95"\nBEGIN LIST CMD dummy\nCMD dummy beeper.toggle\nCMD dummy load.off.delay\nCMD dummy test.battery.start\nEND LIST CMD dummy\n',
  );
  assert.is(writes, 1);
});

test('a request split over many packets is answered once complete', () => {
  const w = world();
  const { socket } = connect(w);
  for (const ch of 'GET VAR dummy ups.status\n') socket.send(ch);
  assert.is(socket.written, 'VAR dummy ups.status "OL CHRG"\n');
});

test('# inside quotes: no reply and the rest of that 512-byte read is dropped, as upsd does', () => {
  const w = world();
  const { socket } = connect(w);
  socket.send('GET UPSDESC "a#b"\nNETVER\n');
  assert.is(socket.written, '');
  socket.send('NETVER\n');
  assert.is(socket.written, '1.3\n');
});

test('LOGOUT: lines already in the same read are still answered, then the connection ends', () => {
  const w = world();
  const { socket, isClosed } = connect(w);
  socket.send('LOGOUT\nNETVER\n');
  assert.is(socket.written, 'OK Goodbye\n1.3\n');
  assert.ok(socket.ended && isClosed());
});

test('an endless line is dropped at the limit; a slow reader is dropped too', () => {
  const w = world();
  const a = connect(w, { maxPendingLineBytes: 1000, maxQueuedOutputBytes: 10_000 });
  a.socket.send('GET VAR '.padEnd(5000, 'x'));
  assert.ok(a.socket.destroyed && a.isClosed());
  const b = connect(w, { maxPendingLineBytes: 1000, maxQueuedOutputBytes: 10_000 });
  b.socket.writableLength = 20_000; // the kernel buffer is full: the client does not read
  b.socket.send('LIST VAR dummy\n');
  assert.ok(b.socket.destroyed && b.isClosed());
});

test('closing a connection releases its LOGIN', () => {
  const w = world();
  const { socket } = connect(w);
  socket.send('USERNAME mons\nPASSWORD ms\nLOGIN dummy\n');
  assert.is(w.devices.get('dummy')!.numLogins, 1);
  socket.emit('close');
  assert.is(w.devices.get('dummy')!.numLogins, 0);
});

/** A small deterministic PRNG, so a failing case can be replayed from its seed. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = ['GET', 'LIST', 'SET', 'INSTCMD', 'VAR', 'RW', 'CMD', 'ENUM', 'RANGE', 'CLIENT', 'UPS', 'TYPE', 'DESC',
  'TRACKING', 'NUMLOGINS', 'UPSDESC', 'USERNAME', 'PASSWORD', 'LOGIN', 'LOGOUT', 'FSD', 'PRIMARY', 'MASTER', 'STARTTLS',
  'dummy', 'nodesc', 'ups.status', 'ups.id', 'input.transfer.low', 'admin', 'adminpass', 'ON', 'OFF', '"', '\\', '#',
  '=', '"a b"', '\\"', '\n', '\r\n', ' ', '\t', '\0', '\xff', '\x7f', 'x'.repeat(600)];

test('fuzz: 2,000 random request streams never throw, and every reply is whole NUT lines', () => {
  for (let seed = 1; seed <= 2000; seed++) {
    const rnd = prng(seed);
    const w = world();
    const { socket } = connect(w);
    let input = '';
    const n = 1 + Math.floor(rnd() * 40);
    for (let i = 0; i < n; i++) {
      input += rnd() < 0.8 ? WORDS[Math.floor(rnd() * WORDS.length)]! + (rnd() < 0.7 ? ' ' : '') : String.fromCharCode(Math.floor(rnd() * 256));
    }
    input += '\n';
    try {
      // Deliver in random slices, as TCP may.
      let at = 0;
      while (at < input.length) {
        const len = 1 + Math.floor(rnd() * 700);
        socket.send(input.slice(at, at + len));
        at += len;
      }
    } catch (e) {
      assert.unreachable(`seed ${seed} threw ${String(e)} for ${JSON.stringify(input)}`);
    }
    for (const line of socket.written.split('\n').slice(0, -1)) {
      assert.ok(line.length < 512, `seed ${seed}: reply line too long`);
      assert.ok(/^[\x20-\x7f]*$/.test(line), `seed ${seed}: reply has bytes outside printable ASCII: ${JSON.stringify(line)}`);
    }
  }
});

test.run();
