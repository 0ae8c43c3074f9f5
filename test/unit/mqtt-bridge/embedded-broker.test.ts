// The embedded broker (aedes) with Debian's real mosquitto_pub/mosquitto_sub as its clients, on
// loopback: messages pass, retained ones stay, a login is required when the settings name one,
// a bind failure names the address and where it was configured, and the bounds hold.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { connect, createServer } from 'node:net';
import type { EmbeddedBrokerSettings } from '../../../src/conf/settings-model.js';
import { createLogger, type Level } from '../../../src/core/logger.js';
import { BrokerListenError } from '../../../src/mqtt-bridge/broker-listen-error.js';
import { startEmbeddedBroker, type EmbeddedBroker } from '../../../src/mqtt-bridge/embedded-broker.js';
import { requireMosquitto } from '../../helpers/mosquitto.js';
import { runCommand } from '../../helpers/nut-sandbox.js';
import { freePort } from '../../helpers/ports.js';

requireMosquitto();

const lines: string[] = [];
const log = createLogger('mqtt-broker', (level: Level, room, message) => lines.push(`${level} ${room}: ${message}`), 'debug');

async function broker(extra: Partial<EmbeddedBrokerSettings> = {}, limits?: { maxConnections: number; maxPacketBytes: number }): Promise<EmbeddedBroker & { port: number }> {
  const port = await freePort();
  const b = await startEmbeddedBroker({ listen: [{ host: '127.0.0.1', port }], ...extra }, log, limits);
  return { ...b, port };
}

const login = (user?: string, pass?: string) => (user === undefined ? [] : ['-u', user, '-P', pass ?? '']);

function pub(port: number, topic: string, message: string, opts: { retain?: boolean; user?: string; pass?: string } = {}) {
  return runCommand('mosquitto_pub', ['-h', '127.0.0.1', '-p', String(port), '-t', topic, '-m', message, '-q', '1', ...(opts.retain ? ['-r'] : []), ...login(opts.user, opts.pass)], { timeoutMs: 10000 });
}

/** One message on `topic` (a retained one arrives at once), or exit 27 after `seconds`. */
function subOne(port: number, topic: string, opts: { seconds?: number; user?: string; pass?: string } = {}) {
  return runCommand('mosquitto_sub', ['-h', '127.0.0.1', '-p', String(port), '-t', topic, '-C', '1', '-W', String(opts.seconds ?? 5), '-v', ...login(opts.user, opts.pass)], { timeoutMs: 15000 });
}

test('a message published by one client reaches a subscriber; a retained one is kept for later subscribers', async () => {
  const b = await broker();
  try {
    assert.equal(b.addresses, [{ host: '127.0.0.1', port: b.port }]);
    // Published until the subscriber has it: no guess at when its SUBSCRIBE landed.
    const received = subOne(b.port, 'upsgate/test/state', { seconds: 8 });
    let done = false;
    void received.then(() => (done = true));
    while (!done) {
      await pub(b.port, 'upsgate/test/state', '{"status":"OL"}');
      await new Promise((r) => setTimeout(r, 100));
    }
    const r = await received;
    assert.is(r.code, 0, r.stderr);
    assert.is(r.stdout, 'upsgate/test/state {"status":"OL"}\n');

    const p = await pub(b.port, 'upsgate/test/availability', 'online', { retain: true });
    assert.is(p.code, 0, p.stderr);
    const later = await subOne(b.port, 'upsgate/+/availability');
    assert.is(later.code, 0, later.stderr);
    assert.is(later.stdout, 'upsgate/test/availability online\n');
    // Not retained: a later subscriber gets nothing (exit 27 = timed out).
    const none = await subOne(b.port, 'upsgate/test/state', { seconds: 1 });
    assert.is(none.code, 27, none.stdout);
  } finally {
    await b.close();
  }
});

test('with username and password set, only that login gets in', async () => {
  const b = await broker({ username: 'ha', password: 's3cret pass' });
  try {
    const good = await pub(b.port, 'a/b', 'x', { retain: true, user: 'ha', pass: 's3cret pass' });
    assert.is(good.code, 0, good.stderr);
    for (const [user, pass] of [[undefined, undefined], ['ha', 'wrong'], ['ha', 's3cret pas'], ['other', 's3cret pass'], ['ha', '']] as const) {
      const bad = await pub(b.port, 'a/b', 'y', { user, pass });
      assert.is.not(bad.code, 0, `${user}/${pass} got in`);
      assert.match(bad.stderr, /bad user name or password|not authori[sz]ed/i);
      const s = await subOne(b.port, 'a/b', { seconds: 1, user, pass });
      assert.is.not(s.code, 0);
    }
    const read = await subOne(b.port, 'a/b', { user: 'ha', pass: 's3cret pass' });
    assert.is(read.stdout, 'a/b x\n');
    assert.ok(lines.some((l) => l.startsWith('warn mqtt-broker: refused a login')), lines.join('\n'));
    assert.not.ok(lines.some((l) => l.includes('s3cret')), 'a password in the log');
  } finally {
    await b.close();
  }
});

test('a port in use is refused naming the address, where it was configured and what is accepted; nothing is left bound', async () => {
  const taken = createServer();
  const port = await freePort();
  await new Promise<void>((r) => taken.listen(port, '127.0.0.1', r));
  const free = await freePort();
  try {
    let error: unknown;
    try {
      await startEmbeddedBroker({ listen: [{ host: '127.0.0.1', port: free }, { host: '127.0.0.1', port }], origin: '/etc/nut/upsgate.json: mqtt.broker.listen' }, log);
    } catch (e) {
      error = e;
    }
    assert.instance(error, BrokerListenError);
    const message = (error as Error).message;
    assert.match(message, `/etc/nut/upsgate.json: mqtt.broker.listen: cannot listen on 127.0.0.1 port ${port}: the port is in use`);
    assert.match(message, 'accepted: a HOST:PORT');
    // The address that did bind was let go again.
    await new Promise<void>((resolve, reject) => {
      const s = createServer().once('error', reject).listen(free, '127.0.0.1', () => s.close(() => resolve()));
    });
  } finally {
    await new Promise((r) => taken.close(r));
  }
});

test('over the connection cap a client is turned away, and gets in once a place is free', async () => {
  const b = await broker({}, { maxConnections: 2, maxPacketBytes: 1024 });
  const open: ReturnType<typeof connect>[] = [];
  try {
    for (let i = 0; i < 2; i++) {
      const s = connect(b.port, '127.0.0.1');
      await new Promise((r) => s.once('connect', r));
      open.push(s);
    }
    const third = await pub(b.port, 't', 'x');
    assert.is.not(third.code, 0, 'a third client got in');
    assert.ok(lines.some((l) => l === 'warn mqtt-broker: 2 clients connected: refusing more'), lines.join('\n'));
    open.pop()!.destroy();
    await new Promise((r) => setTimeout(r, 200));
    const again = await pub(b.port, 't', 'x');
    assert.is(again.code, 0, again.stderr);
  } finally {
    for (const s of open) s.destroy();
    await b.close();
  }
});

test('a packet over the size bound drops its sender; the others carry on', async () => {
  const b = await broker({}, { maxConnections: 8, maxPacketBytes: 1024 });
  try {
    const big = await pub(b.port, 't', 'x'.repeat(2000));
    assert.is.not(big.code, 0, 'a 2000-byte packet went through');
    assert.ok(lines.some((l) => /dropped a client \(127\.0\.0\.1\) that sent a packet of 20\d\d bytes \(at most 1024 accepted\)/.test(l)), lines.join('\n'));
    const small = await pub(b.port, 't', 'x'.repeat(900), { retain: true });
    assert.is(small.code, 0, small.stderr);
    const read = await subOne(b.port, 't');
    assert.is(read.stdout, `t ${'x'.repeat(900)}\n`);
  } finally {
    await b.close();
  }
});

test('a broker on an IPv6 loopback and port 0 reports the port it got', async () => {
  const b = await startEmbeddedBroker({ listen: [{ host: '::1', port: 0 }] }, log);
  try {
    assert.is(b.addresses[0]!.host, '::1');
    assert.ok(b.addresses[0]!.port > 0);
    const r = await runCommand('mosquitto_pub', ['-h', '::1', '-p', String(b.addresses[0]!.port), '-t', 'x', '-m', 'y'], { timeoutMs: 10000 });
    assert.is(r.code, 0, r.stderr);
  } finally {
    await b.close();
  }
});

test.run();
