import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { defaultMqttSettings, type MqttSettings } from '../../../src/conf/settings-model.js';
import { CommandRouter } from '../../../src/core/command-router.js';
import { Device } from '../../../src/core/device.js';
import { DeviceTable } from '../../../src/core/device-table.js';
import { createLogger } from '../../../src/core/logger.js';
import { TrackingTable } from '../../../src/core/tracking.js';
import { MqttBridge } from '../../../src/mqtt-bridge/bridge.js';
import { SWEEP_MS } from '../../../src/mqtt-bridge/discovery-sweep.js';
import { FakeClock } from '../../helpers/fake-clock.js';
import { FakeMqttClient } from '../../helpers/fake-mqtt-client.js';

const BASE = 'upsgate/gw1';
const DISCOVERY = 'homeassistant/device/upsgate_gw1-ups/config';
const tick = () => new Promise((r) => setImmediate(r));

function makeDevice(clock: FakeClock, name = 'ups'): Device {
  const d = new Device(name, clock, { maxAgeSeconds: 15 });
  const vars: Record<string, string> = {
    'device.mfr': 'APC', 'device.model': 'Back-UPS XS 1400U', 'ups.status': 'OL', 'battery.charge': '100',
    'battery.runtime': '2400', 'ups.load': '20', 'ups.realpower.nominal': '900', 'input.voltage': '230.0',
  };
  for (const [k, v] of Object.entries(vars)) d.setInfo(k, v);
  d.addCmd('beeper.mute');
  d.driverConnected();
  d.checkAvailability();
  return d;
}

async function setup(overrides: Partial<MqttSettings> = {}, devices?: (clock: FakeClock) => Device[]) {
  const clock = new FakeClock();
  const list = devices ? devices(clock) : [makeDevice(clock)];
  const table = new DeviceTable(list);
  const logs: string[] = [];
  let client: FakeMqttClient | undefined;
  const bridge = new MqttBridge({
    settings: { ...defaultMqttSettings('gw1'), url: 'mqtt://127.0.0.1:1883', ...overrides },
    devices: table,
    router: new CommandRouter(new TrackingTable(clock, 60_000)),
    clock,
    log: createLogger('mqtt', (level, _room, m) => logs.push(`${level} ${m}`), 'debug'),
    version: '1.2.3',
    nutClients: () => 2,
    createClient: (o) => (client = new FakeMqttClient(o)),
  });
  await bridge.start();
  return { clock, bridge, client: client!, device: list[0]!, devices: list, logs };
}

test('nothing is published before the broker accepts us; the will is the gateway topic, retained, QoS 1', async () => {
  const { client } = await setup();
  assert.ok(client.started);
  assert.equal(client.options.will, { topic: `${BASE}/availability`, payload: 'offline', qos: 1, retain: true });
  assert.is(client.options.clientId, 'upsgate-gw1');
  assert.equal(client.published, []);
});

test('on connect: online, discovery, diagnostics, state, outage and UPS availability, all retained', async () => {
  const { client } = await setup();
  client.connect();
  await tick();
  assert.is(client.retained.get(`${BASE}/availability`), 'online');
  assert.ok(client.retained.has(DISCOVERY), 'the UPS device config');
  assert.ok([...client.retained.keys()].some((t) => t.startsWith('homeassistant/device/upsgate_gw1/')), 'the gateway device config');
  assert.is(client.json(`${BASE}/ups/state`).battery_charge, 100);
  assert.is(client.json(`${BASE}/ups/outage`).state, 'none');
  assert.is(client.retained.get(`${BASE}/ups/availability`), 'online');
  assert.equal(client.json(`${BASE}/bridge`).nut_clients, 2);
  assert.ok(client.published.every((p) => p.retain));
  assert.ok(client.published.filter((p) => p.topic.startsWith('homeassistant/')).every((p) => p.qos === 1), 'discovery at QoS 1');
  assert.ok(client.subscriptions.includes(`${BASE}/+/command`) && client.subscriptions.includes(`${BASE}/+/set/+`) && client.subscriptions.includes('homeassistant/status'));
});

test('a poll that changes several variables gives one state message; a poll that changes nothing gives none', async () => {
  const { client, device } = await setup();
  client.connect();
  await tick();
  const from = client.published.length;
  device.setInfo('battery.charge', '99');
  device.setInfo('ups.load', '25');
  device.setInfo('input.voltage', '229.0');
  await tick();
  const states = client.sent(`${BASE}/ups/state`, from);
  assert.is(states.length, 1);
  assert.is(JSON.parse(states[0]!.payload).battery_charge, 99);
  assert.is(states[0]!.qos, 0, 'telemetry at QoS 0');
  const again = client.published.length;
  device.setInfo('battery.charge', '99');
  device.heartbeat();
  await tick();
  assert.is(client.published.length, again);
});

test('stale data and a lost driver turn the UPS offline; fresh data back online; discovery stays', async () => {
  const { client, device, clock } = await setup();
  client.connect();
  await tick();
  await clock.advance(16_000);
  device.checkAvailability();
  await tick();
  assert.is(client.retained.get(`${BASE}/ups/availability`), 'offline');
  device.setInfo('battery.charge', '50');
  await tick();
  assert.is(client.json(`${BASE}/ups/state`).battery_charge, 100, 'stale data is not published as news');
  device.heartbeat();
  device.checkAvailability();
  await tick();
  assert.is(client.retained.get(`${BASE}/ups/availability`), 'online');
  device.driverLost();
  device.checkAvailability();
  await tick();
  assert.is(client.retained.get(`${BASE}/ups/availability`), 'offline');
  assert.ok(client.retained.has(DISCOVERY), 'entities stay (unavailable) while the driver is away');
});

test('Home Assistant\'s birth message brings a full republish; a retained birth does not', async () => {
  const { client, clock, logs } = await setup();
  client.connect();
  await tick();
  const from = client.published.length;
  client.deliver('homeassistant/status', 'online', true);
  await clock.advance(1000);
  assert.is(client.published.length, from, 'retained birth ignored');
  client.deliver('homeassistant/status', 'offline');
  client.deliver('homeassistant/status', 'online');
  await clock.advance(1000);
  await tick();
  assert.is(client.sent(DISCOVERY, from).length, 1);
  assert.is(client.sent(`${BASE}/ups/state`, from).length, 1);
  assert.is(client.sent(`${BASE}/availability`, from).length, 0, 'the gateway topic is ours alone: not needed again');
  assert.match(logs.join('\n'), 'Home Assistant came online');
});

test('a reconnect republishes everything (the broker may have lost it); nothing is queued while away', async () => {
  const { client, device } = await setup();
  client.connect();
  await tick();
  client.disconnect();
  device.setInfo('battery.charge', '80');
  device.setInfo('battery.charge', '70');
  await tick();
  const from = client.published.length;
  client.connect();
  await tick();
  const states = client.sent(`${BASE}/ups/state`, from);
  assert.is(states.length, 1, 'only the latest state');
  assert.is(JSON.parse(states[0]!.payload).battery_charge, 70);
  assert.is(client.sent(DISCOVERY, from).length, 1);
});

test('a backed-up socket: the state is sent by the next tick, latest value only', async () => {
  const { client, device, clock } = await setup();
  client.connect();
  await tick();
  client.accepting = false;
  device.setInfo('battery.charge', '90');
  await tick();
  device.setInfo('battery.charge', '89');
  await tick();
  const from = client.published.length;
  client.accepting = true;
  await clock.advance(1000);
  const states = client.sent(`${BASE}/ups/state`, from);
  assert.is(states.length, 1);
  assert.is(JSON.parse(states[0]!.payload).battery_charge, 89);
});

test('sweep: stale configs of this gateway are cleared right after connecting; others\' and later ones are left', async () => {
  const { client, clock, logs } = await setup();
  client.connect();
  await tick();
  const from = client.published.length;
  client.deliver('homeassistant/device/upsgate_gw1-oldups/config', '{"dev":{}}', true);
  client.deliver('homeassistant/sensor/upsgate_gw1-ups/battery_charge/config', '{"name":"x"}', true);
  client.deliver('homeassistant/device/upsgate_gw2-ups/config', '{"dev":{}}', true);
  client.deliver('homeassistant/sensor/0x00158d0001/temperature/config', '{}', true);
  client.deliver(DISCOVERY, client.retained.get(DISCOVERY)!, true);
  const cleared = client.published.slice(from).filter((p) => p.payload === '').map((p) => p.topic);
  assert.equal(cleared.sort(), ['homeassistant/device/upsgate_gw1-oldups/config', 'homeassistant/sensor/upsgate_gw1-ups/battery_charge/config']);
  await clock.advance(SWEEP_MS + 1);
  client.deliver('homeassistant/device/upsgate_gw1-late/config', '{"dev":{}}', true);
  assert.is(client.published.slice(from).filter((p) => p.payload === '').length, 2);
  assert.match(logs.join('\n'), 'cleared 2 discovery config(s)');
});

test('power events from the Device go to the events topic, not retained', async () => {
  const { client, device } = await setup();
  client.connect();
  await tick();
  device.setInfo('ups.status', 'OB DISCHRG');
  await tick();
  const events = client.sent(`${BASE}/ups/events`);
  assert.is(events.length, 1);
  assert.is(events[0]!.retain, false);
  const e = JSON.parse(events[0]!.payload);
  assert.is(e.event_type, 'ONBATT');
  assert.is(e.message, 'UPS ups on battery');
  assert.is(client.json(`${BASE}/ups/outage`).state, 'on_battery');
});

test('a command over MQTT gets its result on the result topic', async () => {
  const { client, device } = await setup();
  device.bindCommandTarget({ instcmd: async () => 'success', setVariable: async () => 'success' });
  client.connect();
  await tick();
  client.deliver(`${BASE}/ups/command`, 'beeper.mute');
  client.deliver(`${BASE}/ups/command`, 'load.off');
  await tick();
  const results = client.sent(`${BASE}/ups/result`).map((p) => JSON.parse(p.payload));
  assert.equal(results.map((r) => r.status).sort(), ['refused', 'success']);
});

test('stop says offline itself (a clean disconnect suppresses the will) and stops the client', async () => {
  const { client, bridge } = await setup();
  client.connect();
  await tick();
  await bridge.stop();
  assert.is(client.retained.get(`${BASE}/availability`), 'offline');
  assert.ok(client.stopped);
});

test('two UPSes: each its own topics and discovery; no discovery when discovery is off', async () => {
  const { client } = await setup({}, (clock) => [makeDevice(clock, 'ups'), makeDevice(clock, 'rack-2')]);
  client.connect();
  await tick();
  assert.ok(client.retained.has('homeassistant/device/upsgate_gw1-rack_2/config'));
  assert.ok(client.retained.has(`${BASE}/rack-2/state`));
  const off = await setup({ discovery: { enabled: false, prefix: 'homeassistant', mode: 'device' } });
  off.client.connect();
  await tick();
  assert.not.ok([...off.client.retained.keys()].some((t) => t.startsWith('homeassistant/')));
  assert.not.ok(off.client.subscriptions.some((s) => s.endsWith('/config')));
});

test('per-variable topics when asked: raw values, retained; a variable that goes away is cleared', async () => {
  const { client, device } = await setup({ perVariableTopics: true });
  client.connect();
  await tick();
  assert.is(client.retained.get(`${BASE}/ups/var/battery.charge`), '100');
  device.delInfo('input.voltage');
  await tick();
  assert.not.ok(client.retained.has(`${BASE}/ups/var/input.voltage`));
});

test('energy: a steady load that changes no reading still counts, sampled on the clock; published to the watt-hour', async () => {
  const { client, device, clock } = await setup();
  device.setInfo('ups.realpower', '3600');
  client.connect();
  await tick();
  for (let i = 0; i < 6; i++) {
    device.heartbeat();
    await clock.advance(10_000);
    await tick();
  }
  assert.is(client.json(`${BASE}/ups/state`).energy, 0.06, '3600 W for 60 s');
  assert.is(client.json(`${BASE}/ups/state`).realpower, 3600);
});

test.run();
