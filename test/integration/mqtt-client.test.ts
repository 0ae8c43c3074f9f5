// Our MQTT client against Debian's real mosquitto, with mosquitto_sub / mosquitto_pub as the
// other side: what a Home Assistant user would see (messages, retained flags, the will when the
// gateway dies and not when it stops), logins and TLS refused with a message that says what to
// fix, and every way a connection can go wrong (broker restarted, down for a while, frozen,
// sending a packet too big) ending in a reconnect, with the log staying short.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { systemClock } from '../../src/core/clock.js';
import { createLogger } from '../../src/core/logger.js';
import { MAX_IN_FLIGHT, MqttClient, type MqttClientOptions } from '../../src/mqtt-bridge/mqtt/client.js';
import { startMosquitto, subscribeAll, publishWith, type Mosquitto, type MqttWatcher } from '../helpers/mosquitto.js';
import { Daemon, sleep } from '../helpers/nut-sandbox.js';
import { makeTestPki } from '../helpers/pki.js';
import { waitUntil } from '../helpers/wait.js';

const test = suite('mqtt: MqttClient against mosquitto');

interface Probe {
  client: MqttClient;
  lines: string[];
  connects: number;
  disconnects: string[];
  messages: { topic: string; text: string; retain: boolean }[];
}

const clients: MqttClient[] = [];
const watchers: MqttWatcher[] = [];
const brokers: Mosquitto[] = [];
let seq = 0;

test.after.each(async () => {
  for (const c of clients.splice(0)) await c.stop();
  for (const w of watchers.splice(0)) await w.stop();
  for (const b of brokers.splice(0)) await b.stop();
});

async function broker(opts: Parameters<typeof startMosquitto>[0] = {}): Promise<Mosquitto> {
  const b = await startMosquitto(opts);
  brokers.push(b);
  return b;
}

async function watch(b: Mosquitto, topic = '#'): Promise<MqttWatcher> {
  const w = await subscribeAll(b, { topic });
  watchers.push(w);
  return w;
}

function client(url: string, extra: Partial<MqttClientOptions> = {}, start = true): Probe {
  const lines: string[] = [];
  const log = createLogger('mqtt', (level, _room, message) => lines.push(`${level} ${message}`), 'debug');
  const c = new MqttClient({ url, clientId: `upsgate-test-${process.pid}-${++seq}`, keepaliveSeconds: 30, clock: systemClock, log, ...extra });
  const probe: Probe = { client: c, lines, connects: 0, disconnects: [], messages: [] };
  c.on('connect', () => probe.connects++);
  c.on('disconnect', (reason) => probe.disconnects.push(reason));
  c.on('message', (topic, payload, retain) => probe.messages.push({ topic, text: payload.toString('utf8'), retain }));
  clients.push(c);
  if (start) c.start();
  return probe;
}

const logOf = (p: Probe) => (): string => `client log:\n  ${p.lines.join('\n  ')}`;

async function connected(p: Probe, count = 1, timeoutMs = 5000): Promise<void> {
  await waitUntil(`connect event #${count}`, () => p.connects >= count && p.client.connected, timeoutMs, logOf(p));
}

test('publish and subscribe round trip with mosquitto_sub and mosquitto_pub; QoS 2 delivered once', async () => {
  const b = await broker();
  const w = await watch(b);
  const p = client(b.url);
  await connected(p);
  assert.ok(p.lines.includes(`info connected to mqtt://127.0.0.1:${b.port}`), p.lines.join('\n'));

  assert.ok(p.client.publish('upsgate/pi/ups/state', '{"battery.charge":100}', { qos: 0, retain: false }));
  const seen = await w.waitFor((m) => m.topic === 'upsgate/pi/ups/state');
  assert.is(seen.text, '{"battery.charge":100}');
  assert.is(seen.retain, false);

  await p.client.subscribe([{ filter: 'upsgate/pi/+/command', qos: 1 }]);
  await publishWith(b.port, 'upsgate/pi/ups/command', 'beeper.toggle', { qos: 1 });
  await publishWith(b.port, 'upsgate/pi/ups/command', 'test.battery.start', { qos: 2 });
  await publishWith(b.port, 'upsgate/other', 'not subscribed', { qos: 1 });
  await waitUntil('two commands', () => p.messages.length >= 2, 5000, logOf(p));
  // A marker after them: anything unwanted or duplicated would have arrived by then.
  await publishWith(b.port, 'upsgate/pi/x/command', 'marker');
  await waitUntil('the marker', () => p.messages.some((m) => m.text === 'marker'), 5000, logOf(p));
  assert.equal(p.messages.map((m) => m.text), ['beeper.toggle', 'test.battery.start', 'marker']);
});

test('retained messages: received with the retain flag, and ours kept by the broker', async () => {
  const b = await broker();
  await publishWith(b.port, 'upsgate/pi/ups/set/ups.delay.shutdown', '30', { retain: true, qos: 1 });
  const p = client(b.url);
  await connected(p);
  await p.client.subscribe([{ filter: 'upsgate/pi/ups/set/#', qos: 1 }]);
  await waitUntil('the retained message', () => p.messages.length > 0, 5000, logOf(p));
  assert.equal(p.messages[0], { topic: 'upsgate/pi/ups/set/ups.delay.shutdown', text: '30', retain: true });

  assert.ok(p.client.publish('upsgate/pi/availability', 'online', { qos: 1, retain: true }));
  await waitUntil('PUBACK', () => p.client.pendingAcks === 0, 5000, logOf(p));
  const late = await watch(b, 'upsgate/pi/availability');
  const m = await late.waitFor((x) => x.topic === 'upsgate/pi/availability');
  assert.equal([m.text, m.retain, m.qos], ['online', true, 1]);
});

test('QoS 1 publishes are acknowledged; more than 100 unacknowledged are refused, not queued', async () => {
  const b = await broker();
  const w = await watch(b, 'q1/#');
  const p = client(b.url);
  await connected(p);
  const results: boolean[] = [];
  // Synchronously: no PUBACK can arrive in between, so the in-flight window fills up.
  for (let i = 0; i < MAX_IN_FLIGHT + 5; i++) results.push(p.client.publish(`q1/${i}`, String(i), { qos: 1, retain: false }));
  assert.is(results.filter(Boolean).length, MAX_IN_FLIGHT);
  assert.equal(results.slice(MAX_IN_FLIGHT), [false, false, false, false, false]);
  await waitUntil('every PUBACK', () => p.client.pendingAcks === 0, 5000, logOf(p));
  await w.waitFor((m) => m.topic === `q1/${MAX_IN_FLIGHT - 1}`);
  assert.is(w.messages.length, MAX_IN_FLIGHT);
  assert.ok(w.messages.every((m) => m.qos === 1));
  // With the window empty again, QoS 1 publishes go out.
  assert.ok(p.client.publish('q1/again', 'x', { qos: 1, retain: false }));
});

test('the will is published, retained, QoS 1, when the client process is killed with SIGKILL', async () => {
  const b = await broker();
  const topic = 'upsgate/killed/availability';
  const w = await watch(b, topic);
  const script = new URL('./mqtt/client-child.ts', import.meta.url).pathname;
  const child = Daemon.spawn('client-child', process.execPath, ['--import', 'tsx', script, b.url, 'upsgate-child', topic], process.env);
  try {
    await waitUntil('the child to connect', () => child.log.includes('connected') || !child.running, 15_000, () => child.log);
    assert.ok(child.running, child.log);
    assert.is(w.messages.length, 0);
    child.child.kill('SIGKILL');
    await child.exited;
    const live = await w.waitFor((m) => m.topic === topic, 5000, 'the will');
    assert.is(live.text, 'offline');
    const late = await watch(b, topic);
    const kept = await late.waitFor((m) => m.topic === topic, 5000, 'the retained will');
    assert.equal([kept.text, kept.retain, kept.qos], ['offline', true, 1]);
  } finally {
    await child.stop();
  }
});

test('no will after stop(): DISCONNECT is sent and the socket closed', async () => {
  const b = await broker();
  const topic = 'upsgate/stopped/availability';
  const w = await watch(b, topic);
  const p = client(b.url, { will: { topic, payload: 'offline', qos: 1, retain: true } });
  await connected(p);
  await p.client.stop();
  assert.is(p.client.connected, false);
  assert.equal(p.disconnects, ['stopped']);
  await waitUntil('the broker to see the clean disconnect', async () => (await b.log()).includes('disconnected.'), 5000);
  // A will would have been sent at the disconnect; give it time to show up anyway.
  await sleep(300);
  const late = await watch(b, topic);
  await sleep(200);
  assert.is(w.messages.length + late.messages.length, 0, 'no will published');
  assert.ok(!p.lines.some((l) => l.startsWith('warn')), p.lines.join('\n'));
});

test('user name and password: accepted, and refused with a message naming the settings', async () => {
  const b = await broker({ users: [{ username: 'ha', password: 'right horse battery' }] });
  const good = client(b.url, { username: 'ha', password: 'right horse battery' });
  await connected(good);
  const bad = client(b.url, { username: 'ha', password: 'wrong', backoff: { initialMs: 200, maxMs: 200 } });
  await waitUntil('the refusal', () => bad.disconnects.length >= 2, 5000, logOf(bad));
  const warns = bad.lines.filter((l) => l.startsWith('warn'));
  assert.is(warns.length, 1, warns.join('\n'));
  assert.match(warns[0]!, /the broker refused the login \((bad user name or password|not authorized)\): check mqtt\.username and mqtt\.password in upsgate\.json; retrying in 200 ms/);
  assert.ok(!bad.lines.join('\n').includes('wrong'), 'the password never reaches the log');
  assert.is(bad.connects, 0);
  const anonymous = client(b.url);
  await waitUntil('the anonymous refusal', () => anonymous.disconnects.length >= 1, 5000, logOf(anonymous));
  assert.match(anonymous.disconnects[0]!, /refused the login/);
});

test('reconnects after mosquitto restarts (connect again), with the backoff it logs', async () => {
  const b = await broker({ persistence: true });
  const p = client(b.url, { backoff: { initialMs: 50, maxMs: 400 } });
  await connected(p);
  await b.kill9();
  await waitUntil('a few failed attempts', () => p.disconnects.length >= 5, 5000, logOf(p));
  await b.restart();
  await connected(p, 2);
  const delays = p.lines.map((l) => /retrying in (\d+) ms/.exec(l)?.[1]).filter((d) => d !== undefined).map(Number);
  assert.equal(delays.slice(0, 5), [50, 100, 200, 400, 400], p.lines.join('\n'));
  // After a CONNACK the backoff starts again from the beginning.
  await b.restart();
  await connected(p, 3);
  const after = p.lines.slice(p.lines.lastIndexOf(`info connected to mqtt://127.0.0.1:${b.port}`, p.lines.length - 2));
  assert.ok(after.some((l) => l.includes('retrying in 50 ms')), after.join('\n'));
});

test('a broker down for a while: log lines bounded, not one per retry', async () => {
  const b = await broker();
  const p = client(b.url, { backoff: { initialMs: 20, maxMs: 60 } });
  await connected(p);
  await b.kill9();
  await waitUntil('many failed attempts', () => p.disconnects.length >= 20, 10_000, logOf(p));
  const loud = p.lines.filter((l) => !l.startsWith('debug'));
  // The loss, then the refusals: two different reasons, two lines.
  assert.is(loud.length, 3, loud.join('\n'));
  assert.match(loud[1]!, /the broker closed the connection; retrying in 20 ms/);
  assert.match(loud[2]!, /refused the connection \(ECONNREFUSED\): is the broker running and listening on port \d+\?; retrying in 40 ms/);
  await b.restart();
  await connected(p, 2);
});

test('a frozen broker (half-open link): the keepalive notices, the client reconnects when it is back', async () => {
  const b = await broker();
  const p = client(b.url, { keepaliveSeconds: 1, connectTimeoutMs: 500, backoff: { initialMs: 100, maxMs: 200 } });
  await connected(p);
  b.freeze();
  try {
    await waitUntil('the keepalive to give up', () => p.disconnects.length >= 1, 5000, logOf(p));
    assert.match(p.disconnects[0]!, /nothing heard from the broker for 1\.5 s/);
    await waitUntil('a timed-out attempt', () => p.disconnects.length >= 2, 5000, logOf(p));
    assert.match(p.disconnects[1]!, /the broker's CONNACK did not complete within 500 ms/);
  } finally {
    b.thaw();
  }
  await connected(p, 2, 8000);
});

test('TLS: connects with the CA that signed the broker certificate; an untrusted one is refused clearly', async () => {
  const pki = await makeTestPki();
  try {
    const b = await broker({ tls: { certFile: join(pki.dir, 'server.pem'), keyFile: join(pki.dir, 'server.key') } });
    const tlsUrl = b.tlsUrl!;
    const good = client(tlsUrl, { tls: { ca: Buffer.from(pki.ca), rejectUnauthorized: true } });
    await connected(good);
    assert.ok(good.lines.includes(`info connected to ${tlsUrl}`));
    const w = await watch(b, 'tls/#');
    assert.ok(good.client.publish('tls/x', 'over tls', { qos: 1, retain: false }));
    await w.waitFor((m) => m.text === 'over tls');

    const stranger = client(tlsUrl, { tls: { ca: Buffer.from(pki.strangerCa), rejectUnauthorized: true }, backoff: { initialMs: 100, maxMs: 100 } });
    await waitUntil('the refusal', () => stranger.disconnects.length >= 2, 5000, logOf(stranger));
    assert.is(stranger.connects, 0);
    const warns = stranger.lines.filter((l) => l.startsWith('warn'));
    assert.is(warns.length, 1, warns.join('\n'));
    assert.match(warns[0]!, /the TLS certificate of mqtts:\/\/127\.0\.0\.1:\d+ is not trusted \([A-Z_]+\): set mqtt\.tls\.ca in upsgate\.json/);

    const plainToTls = client(`mqtt://127.0.0.1:${b.tlsPort}`, { connectTimeoutMs: 1000 });
    await waitUntil('plain MQTT on the TLS port to fail', () => plainToTls.disconnects.length >= 1, 5000, logOf(plainToTls));
    assert.is(plainToTls.connects, 0);
  } finally {
    await pki.remove();
  }
});

test('an incoming message over maxIncomingPacketBytes costs the connection only; the client carries on', async () => {
  const b = await broker();
  const p = client(b.url, { backoff: { initialMs: 50, maxMs: 50 } });
  p.client.on('connect', () => void p.client.subscribe([{ filter: 'big/#', qos: 0 }]).catch(() => undefined));
  await connected(p);
  await waitUntil('the subscription', async () => (await b.log()).split('\n').filter((l) => l.includes('big/#')).length > 0, 5000);
  await publishWith(b.port, 'big/blob', Buffer.alloc(300 * 1024, 0x41));
  await waitUntil('the drop', () => p.disconnects.length >= 1, 5000, logOf(p));
  assert.match(p.disconnects[0]!, /malformed packet from the broker \(a packet of \d+ bytes is over the limit of 262144 bytes\)/);
  await connected(p, 2);
  await sleep(100); // the new subscription
  await publishWith(b.port, 'big/small', 'fits');
  await waitUntil('a normal message', () => p.messages.some((m) => m.text === 'fits'), 5000, logOf(p));
  assert.ok(!p.messages.some((m) => m.topic === 'big/blob'));
});

test('publish while disconnected returns false, and nothing is sent later', async () => {
  const b = await broker();
  const p = client(b.url, { backoff: { initialMs: 50, maxMs: 50 } });
  assert.is(p.client.publish('offline/before-start', 'x', { qos: 1, retain: true }), false);
  await connected(p);
  await b.kill9();
  await waitUntil('the loss', () => !p.client.connected, 5000, logOf(p));
  assert.is(p.client.publish('offline/lost', 'x', { qos: 1, retain: true }), false);
  assert.is(p.client.publish('offline/lost0', 'x', { qos: 0, retain: true }), false);
  await b.restart();
  await connected(p, 2);
  const w = await watch(b);
  assert.ok(p.client.publish('offline/marker', 'after', { qos: 1, retain: false }));
  await w.waitFor((m) => m.topic === 'offline/marker');
  // Retained, so the watcher would be handed them whenever they had been sent.
  assert.equal(w.messages.map((m) => m.topic), ['offline/marker']);
});

test('bad topics and URLs: publish returns false and logs; subscribe and the constructor say what is accepted', async () => {
  const b = await broker();
  const p = client(b.url);
  await connected(p);
  for (const topic of ['', 'a/+/b', 'a/#', 'nul\u0000', 'x'.repeat(65536)]) {
    assert.is(p.client.publish(topic, 'x', { qos: 0, retain: false }), false, JSON.stringify(topic.slice(0, 10)));
  }
  assert.is(p.lines.filter((l) => l.startsWith('warn not published')).length, 5);
  assert.ok(p.client.connected, 'the connection is untouched');
  try {
    await p.client.subscribe([{ filter: 'a/#/b', qos: 0 }]);
    assert.unreachable();
  } catch (e) {
    assert.match((e as Error).message, /cannot subscribe to "a\/#\/b"/);
  }
  const offline = client(b.url, {}, false);
  try {
    await offline.client.subscribe([{ filter: 'a/b', qos: 0 }]);
    assert.unreachable();
  } catch (e) {
    assert.match((e as Error).message, /cannot subscribe to a\/b: not connected/);
  }
  for (const url of ['http://broker', 'mqtt://', 'mqtt://host/path', 'tcp://host:1883', 'broker:1883']) {
    assert.throws(() => new MqttClient({ url, clientId: 'x', keepaliveSeconds: 30, clock: systemClock, log: createLogger('t') }), (e: Error) =>
      e.message.includes('accepted: mqtt://host[:port]'),
    url);
  }
  const v6 = client('mqtt://[::1]:1', { connectTimeoutMs: 1000 }, false);
  assert.is(v6.client.connected, false);
});

test.run();
