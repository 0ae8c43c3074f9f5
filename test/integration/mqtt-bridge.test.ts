// The MQTT bridge end to end: `upsgate run` with a real Debian mosquitto, watched by the real
// mosquitto_sub and commanded by mosquitto_pub. What Home Assistant would see (discovery that
// passes the checker, state, availability), what a broker restart does (with and without
// persistence), what kill -9 of the gateway does (the will), and the power-cut allow-list.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFile, unlink, writeFile } from 'node:fs/promises';
import { checkDiscovery as check } from '../helpers/ha-discovery-check.js';
import { join } from 'node:path';
import { ask } from '../helpers/line-client.js';
import { publishWith, startMosquitto, subscribeAll, type Mosquitto, type MqttWatcher } from '../helpers/mosquitto.js';
import { FIXTURES, NutConfDir, runCommand, sleep } from '../helpers/nut-sandbox.js';
import { makeTestPki } from '../helpers/pki.js';
import { freeDualStackPort, freePort } from '../helpers/ports.js';
import { UpsgateProcess } from '../helpers/upsgate-process.js';

const test = suite('mqtt bridge: upsgate with a real mosquitto');

const GW = 'itest';
const BASE = `upsgate/${GW}`;
const DISCOVERY = `homeassistant/device/upsgate_${GW}-ups/config`;

// A simulated UPS (dummy-ups) and a replayed APC Back-UPS 500 (usbhid-ups, which lists instant
// commands, power-cutting ones among them).
const FILES: Record<string, string> = {
  'ups.conf': '[ups]\n\tdriver = dummy-ups\n\tport = sim.dev\n\tdesc = "Rack UPS"\n[apc]\n\tdriver = usbhid-ups\n\tport = replay:apc.txt\n\tvendorid = 051D\n',
  'upsd.users': '[admin]\n\tpassword = adminpass\n\tactions = SET\n\tinstcmds = all\n',
  'sim.dev': [
    'device.mfr: Simulated Power', 'device.model: SimUPS 1500 LI', 'device.serial: SIM1500-000042',
    'ups.status: OL', 'ups.load: 18', 'ups.realpower.nominal: 900', 'battery.charge: 100', 'battery.runtime: 2340',
    'input.voltage: 231.4', 'output.voltage: 230.1', 'input.frequency: 50.0', 'battery.voltage: 27.2', '',
  ].join('\n'),
};

interface Rig {
  broker: Mosquitto;
  conf: NutConfDir;
  gw: UpsgateProcess;
  watch: MqttWatcher;
}

const rigs: Rig[] = [];

async function rig(opts: { persistence?: boolean; mqtt?: Record<string, unknown>; upsmon?: boolean } = {}): Promise<Rig> {
  FILES['apc.txt'] ??= await readFile(join(FIXTURES, 'hid/apc-back-ups-500.txt'), 'latin1');
  const broker = await startMosquitto({ persistence: opts.persistence ?? false });
  const watch = await subscribeAll(broker);
  const port = await freeDualStackPort();
  const conf = await NutConfDir.create({ files: FILES, port });
  if (opts.upsmon) {
    await conf.writeFile('upsd.users', `${FILES['upsd.users']}[monp]\n\tpassword = mp\n\tupsmon primary\n`);
    await conf.writeFile('upsmon.conf', `MONITOR ups@localhost:${port} 1 monp mp primary\nSHUTDOWNCMD "/bin/true"\nPOLLFREQ 1\nPOLLFREQALERT 1\n`);
  }
  await conf.writeFile('upsgate.json', JSON.stringify({ mqtt: { url: broker.url, gatewayId: GW, stateFile: join(conf.dir, 'energy.json'), ...opts.mqtt } }));
  const gw = await UpsgateProcess.start({ conf });
  const r = { broker, conf, gw, watch };
  rigs.push(r);
  return r;
}

async function teardown(r: Rig): Promise<void> {
  await r.watch.stop().catch(() => undefined);
  await r.gw.stop().catch(() => undefined);
  await r.broker.stop().catch(() => undefined);
  await r.conf.remove();
}

test.after.each(async () => {
  for (const r of rigs.splice(0)) await teardown(r);
});

const json = (text: string) => JSON.parse(text) as Record<string, unknown>;

async function setStatus(port: number, variable: string, value: string): Promise<void> {
  assert.equal(await ask(port, ['USERNAME admin', 'PASSWORD adminpass', `SET VAR ups ${variable} "${value}"`]), ['OK', 'OK', 'OK']);
}

test('Home Assistant discovery passes the checker; state, availability and diagnostics arrive retained', async () => {
  const { watch, gw } = await rig();
  const config = await watch.waitFor((m) => m.topic === DISCOVERY && m.text !== '', 10_000, 'the UPS discovery config');
  await watch.waitFor((m) => m.topic === `${BASE}/ups/availability` && m.text === 'online', 5000, 'UPS availability online');
  await sleep(300);
  const discovery = watch.messages.filter((m) => m.topic.startsWith('homeassistant/') && m.text !== '').map((m) => ({ topic: m.topic, payload: m.text }));
  assert.equal(check(discovery), [], 'the checker finds nothing wrong');
  const dev = json(config.text);
  assert.ok(dev.o ?? dev.origin, 'origin');
  assert.ok(Object.keys((dev.cmps ?? dev.components) as object).length >= 10, 'a dozen entities or more');
  assert.is(watch.on(`${BASE}/availability`).at(-1)?.text, 'online');
  const state = json(watch.on(`${BASE}/ups/state`).at(-1)!.text);
  assert.is(state.battery_charge, 100);
  assert.is(state.battery_runtime, 2340);
  assert.ok(watch.on(`${BASE}/bridge`).length > 0, 'the gateway diagnostics');
  assert.match(gw.stderr, /connected to mqtt:\/\/127\.0\.0\.1:\d+/);
});

test('a change of the simulated UPS reaches MQTT: state, event (not retained) and outage', async () => {
  const { watch, gw } = await rig();
  await watch.waitFor((m) => m.topic === `${BASE}/ups/state`, 10_000, 'the first state');
  await setStatus(gw.port, 'ups.status', 'OB DISCHRG');
  const state = await watch.waitFor((m) => m.topic === `${BASE}/ups/state` && json(m.text).status === 'OB DISCHRG', 5000, 'the state on battery');
  assert.is(json(state.text).on_battery, true);
  const event = await watch.waitFor((m) => m.topic === `${BASE}/ups/events`, 5000, 'the ONBATT event');
  assert.is(json(event.text).event_type, 'ONBATT');
  const outage = await watch.waitFor((m) => m.topic === `${BASE}/ups/outage` && json(m.text).state === 'on_battery', 5000, 'the outage report');
  assert.ok(json(outage.text).estimated_depletion_at, 'an estimate from battery.runtime');
  // A late subscriber (Home Assistant after a restart) gets the state, not the event.
  const late = await subscribeAll(rigs[0]!.broker, { topic: `${BASE}/ups/#` });
  await late.waitFor((m) => m.topic === `${BASE}/ups/state` && m.retain, 3000, 'the retained state');
  await sleep(200);
  assert.equal(late.on(`${BASE}/ups/events`), [], 'events are not retained');
  await late.stop();
});

for (const persistence of [false, true]) {
  test(`a broker restart ${persistence ? 'with' : 'without'} persistence: everything is published again`, async () => {
    const r = await rig({ persistence });
    await r.watch.waitFor((m) => m.topic === DISCOVERY, 10_000, 'discovery');
    await sleep(1500); // let a persistent broker save what it holds
    await r.watch.stop();
    await r.broker.kill9();
    await r.gw.waitForStderr(/mqtt.*(lost|closed|refused|cannot connect|disconnect)/i, 10_000);
    await r.broker.restart();
    r.watch = await subscribeAll(r.broker);
    // Live copies (retain flag 0) prove the gateway sent them again, whatever the broker kept.
    await r.watch.waitFor((m) => m.topic === DISCOVERY && !m.retain, 20_000, 'discovery republished');
    await r.watch.waitFor((m) => m.topic === `${BASE}/ups/state` && !m.retain, 5000, 'state republished');
    await r.watch.waitFor((m) => m.topic === `${BASE}/availability` && m.text === 'online' && !m.retain, 5000, 'online republished');
  });
}

test('kill -9 of the gateway: the broker publishes the will, so Home Assistant sees it offline', async () => {
  const r = await rig();
  await r.watch.waitFor((m) => m.topic === `${BASE}/availability` && m.text === 'online', 10_000, 'online');
  process.kill(r.gw.pid!, 'SIGKILL');
  await r.watch.waitFor((m) => m.topic === `${BASE}/availability` && m.text === 'offline', 10_000, 'the will');
  const late = await subscribeAll(r.broker, { topic: `${BASE}/availability` });
  const kept = await late.waitFor((m) => m.retain, 3000, 'the retained will');
  assert.is(kept.text, 'offline');
  await late.stop();
});

test('a clean stop says offline too', async () => {
  const r = await rig();
  await r.watch.waitFor((m) => m.topic === `${BASE}/availability` && m.text === 'online', 10_000, 'online');
  await r.gw.stop();
  await r.watch.waitFor((m) => m.topic === `${BASE}/availability` && m.text === 'offline', 5000, 'offline');
});

test('a lost driver turns the UPS offline while the gateway stays online', async () => {
  const r = await rig();
  await r.watch.waitFor((m) => m.topic === `${BASE}/ups/availability` && m.text === 'online', 10_000, 'online');
  await unlink(join(r.conf.dir, 'sim.dev'));
  await r.watch.waitFor((m) => m.topic === `${BASE}/ups/availability` && m.text === 'offline', 20_000, 'UPS offline');
  assert.is(r.watch.on(`${BASE}/availability`).at(-1)?.text, 'online');
});

const result = async (r: Rig, what: string) =>
  json((await r.watch.waitFor((m) => m.topic.endsWith('/result') && m.text.includes(what), 5000, `a result about ${what}`)).text);

/** The payload_press of every button in a UPS's device config. */
function buttons(r: Rig, ups: string): unknown[] {
  const config = json(r.watch.on(`homeassistant/device/upsgate_${GW}-${ups}/config`).at(-1)!.text);
  return Object.values(config.cmps as Record<string, Record<string, unknown>>).map((c) => c.payload_press).filter((p) => p !== undefined);
}

// The replayed Back-UPS 500 lists shutdown.reboot (cuts the load), test.panel.start and .stop.
test('commands from MQTT: a power-cutting one is refused unless allowed, a harmless one runs; retained and oversized ones are refused; set works', async () => {
  const r = await rig();
  await r.watch.waitFor((m) => m.topic === `${BASE}/apc/availability` && m.text === 'online', 10_000, 'the APC online');
  await publishWith(r.broker.port, `${BASE}/apc/command`, 'shutdown.reboot');
  const refused = await result(r, '"shutdown.reboot"');
  assert.is(refused.status, 'refused');
  assert.match(String(refused.reason), 'name it in mqtt.allowCommands in upsgate.json');
  assert.not.ok(buttons(r, 'apc').includes('shutdown.reboot'), 'no button for it either');
  await publishWith(r.broker.port, `${BASE}/apc/command`, '{"command": "test.panel.start", "id": "c1"}');
  assert.is((await result(r, '"c1"')).status, 'success');
  assert.ok(buttons(r, 'apc').includes('test.panel.start'));
  // A retained command reaches a client already subscribed as a live one (MQTT clears the flag
  // then); the danger is its replay to every later subscription, so a restart must not run it.
  await publishWith(r.broker.port, `${BASE}/apc/command`, 'test.panel.stop', { retain: true });
  await result(r, 'test.panel.stop');
  await r.gw.stop();
  r.gw = await UpsgateProcess.start({ conf: r.conf });
  assert.match(String((await result(r, 'retained')).reason), 'a retained message is never run as a command');
  await publishWith(r.broker.port, `${BASE}/apc/command`, '', { retain: true }); // leave no retained command behind
  await publishWith(r.broker.port, `${BASE}/ups/command`, 'x'.repeat(5000));
  assert.match(String((await result(r, '5000 bytes')).reason), 'accepted: at most 1024');
  await publishWith(r.broker.port, `${BASE}/ups/set/battery.charge`, '{"value": "42", "id": "s1"}');
  assert.is((await result(r, '"s1"')).status, 'success');
  await r.watch.waitFor((m) => m.topic === `${BASE}/ups/state` && json(m.text).battery_charge === 42, 5000, 'the new value in the state');
});

test('a power-cutting command named in mqtt.allowCommands runs, and gets its button', async () => {
  const r = await rig({ mqtt: { allowCommands: ['shutdown.reboot'] } });
  await r.watch.waitFor((m) => m.topic === `${BASE}/apc/availability` && m.text === 'online', 10_000, 'the APC online');
  await publishWith(r.broker.port, `${BASE}/apc/command`, '{"command": "shutdown.reboot", "id": "r1"}');
  assert.is((await result(r, '"r1"')).status, 'success');
  assert.ok(buttons(r, 'apc').includes('shutdown.reboot'));
});

test('with upsmon.conf, the events are the monitor\'s own notifications (NOTIFYMSG text, MONITOR system name)', async () => {
  const { watch, gw } = await rig({ upsmon: true });
  await watch.waitFor((m) => m.topic === `${BASE}/ups/availability` && m.text === 'online', 10_000, 'online');
  await sleep(1500); // the monitor's first poll sees OL
  await setStatus(gw.port, 'ups.status', 'OB DISCHRG');
  const event = json((await watch.waitFor((m) => m.topic === `${BASE}/ups/events`, 5000, 'ONBATT from the monitor')).text);
  assert.is(event.event_type, 'ONBATT');
  assert.match(String(event.message), `UPS ups@localhost:${gw.port} on battery`);
});

test('a broker with TLS and a login: mqtts://, the CA file named relative to upsgate.json, username and password', async () => {
  const pki = await makeTestPki();
  const broker = await startMosquitto({ tls: { certFile: join(pki.dir, 'server.pem'), keyFile: join(pki.dir, 'server.key') }, users: [{ username: 'gw', password: 'gw-secret' }] });
  const conf = await NutConfDir.create({ files: { 'ups.conf': FILES['ups.conf']!.split('[apc]')[0]!, 'sim.dev': FILES['sim.dev']! }, port: await freeDualStackPort() });
  let gw: UpsgateProcess | undefined;
  let watch: MqttWatcher | undefined;
  try {
    await writeFile(join(conf.dir, 'broker-ca.pem'), pki.ca);
    await conf.writeFile('upsgate.json', JSON.stringify({ mqtt: { url: broker.tlsUrl, username: 'gw', password: 'gw-secret', tls: { ca: 'broker-ca.pem' }, gatewayId: GW } }));
    watch = await subscribeAll(broker, { username: 'gw', password: 'gw-secret' });
    gw = await UpsgateProcess.start({ conf });
    await watch.waitFor((m) => m.topic === DISCOVERY, 10_000, 'discovery over TLS');
    assert.match(gw.stderr, /connected to mqtts:\/\/127\.0\.0\.1:\d+/);
    assert.not.match(gw.stderr, /gw-secret/, 'the password is never logged');
  } finally {
    await watch?.stop();
    await gw?.stop();
    await broker.stop();
    await conf.remove();
    await pki.remove();
  }
});

test('switching to per-entity discovery: the new configs pass the checker and the old device configs (and a removed UPS\'s) are cleared', async () => {
  const r = await rig();
  await r.watch.waitFor((m) => m.topic === DISCOVERY, 10_000, 'device-mode discovery');
  await r.gw.stop();
  // A UPS this gateway once had, left on the broker.
  await publishWith(r.broker.port, `homeassistant/device/upsgate_${GW}-gone/config`, '{"dev":{"identifiers":["x"]},"o":{"name":"upsgate"},"cmps":{}}', { retain: true, qos: 1 });
  await r.conf.writeFile('upsgate.json', JSON.stringify({ mqtt: { url: r.broker.url, gatewayId: GW, discovery: { mode: 'entity' } } }));
  r.gw = await UpsgateProcess.start({ conf: r.conf });
  for (const topic of [DISCOVERY, `homeassistant/device/upsgate_${GW}-apc/config`, `homeassistant/device/upsgate_${GW}-gone/config`]) {
    await r.watch.waitFor((m) => m.topic === topic && m.text === '', 10_000, `${topic} cleared`);
  }
  await r.gw.waitForStderr(/cleared \d+ discovery config/, 10_000);
  // What a Home Assistant starting now would read: only the entity-mode configs.
  const late = await subscribeAll(r.broker, { topic: 'homeassistant/#' });
  await sleep(500);
  const held = late.messages.filter((m) => m.retain).map((m) => ({ topic: m.topic, payload: m.text }));
  await late.stop();
  assert.not.ok(held.some((m) => m.topic.startsWith('homeassistant/device/upsgate_')), 'no device-mode config left');
  assert.ok(held.some((m) => m.topic === `homeassistant/sensor/upsgate_${GW}-ups/battery_charge/config`));
  assert.equal(check(held), []);
});

test('the energy total is kept across a restart of the gateway (stateFile)', async () => {
  const r = await rig();
  await r.watch.waitFor((m) => m.topic === `${BASE}/ups/state`, 10_000, 'the first state');
  await sleep(1500);
  await r.gw.stop();
  const file = join(r.conf.dir, 'energy.json');
  const first = (JSON.parse(await readFile(file, 'utf8')) as { energyKwh: Record<string, number> }).energyKwh.ups!;
  assert.ok(first > 0, `162 W (18 % of 900 W, derived) for a while is some energy: ${first}`);
  r.gw = await UpsgateProcess.start({ conf: r.conf });
  await sleep(1500);
  await r.gw.stop();
  const second = (JSON.parse(await readFile(file, 'utf8')) as { energyKwh: Record<string, number> }).energyKwh.ups!;
  assert.ok(second > first, `it went on from ${first}, not from 0: ${second}`);
});

test('no broker of one\'s own: --mqtt-broker runs the embedded one, and a client (mosquitto_sub) gets discovery and state from it', async () => {
  const mqttPort = await freePort();
  const conf = await NutConfDir.create({ files: { 'ups.conf': FILES['ups.conf']!.split('[apc]')[0]!, 'sim.dev': FILES['sim.dev']! }, port: await freeDualStackPort() });
  const gw = await UpsgateProcess.start({ conf, args: ['--mqtt-broker', `127.0.0.1:${mqttPort}`, '--gateway-id', GW] });
  try {
    await gw.waitForStderr(/connected to mqtt:\/\/127\.0\.0\.1:\d+/, 10_000);
    const sub = (topic: string, count = 1, verbose = false) =>
      runCommand('/usr/bin/mosquitto_sub', ['-h', '127.0.0.1', '-p', String(mqttPort), '-t', topic, '-C', String(count), '-W', '5', ...(verbose ? ['-v'] : [])], { timeoutMs: 8000 });
    // The two retained configs: the gateway's device and the UPS's.
    const configs = await sub('homeassistant/#', 2, true);
    assert.is(configs.code, 0, configs.stderr);
    const messages = configs.stdout.trim().split('\n').map((line) => ({ topic: line.slice(0, line.indexOf(' ')), payload: line.slice(line.indexOf(' ') + 1) }));
    assert.ok(messages.some((m) => m.topic === DISCOVERY));
    assert.equal(check(messages), []);
    const state = await sub(`${BASE}/ups/state`);
    assert.is(json(state.stdout).battery_charge, 100);
  } finally {
    await gw.stop();
    await conf.remove();
  }
});

test.run();
