import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Device } from '../../../src/core/device.js';
import { gatewayDiscovery, markRemovedComponents, ownedDiscoveryNode, upsDiscovery, type BridgeIdentity, type DiscoveryMessage, type DiscoveryMode } from '../../../src/mqtt-bridge/discovery.js';
import { upsState } from '../../../src/mqtt-bridge/ups-state.js';
import { checkDiscovery } from '../../helpers/ha-discovery-check.js';
import {
  apcBackUps500, APC_BACK_UPS_ES_650G2, CYBERPOWER_CP1500PFCLCD, deviceFrom, EATON_5E1100I, identity, recordedDevices, SMART_UPS_WITH_RANGES,
} from './recorded-devices.js';

type Json = Record<string, any>;
const MODES: DiscoveryMode[] = ['device', 'entity'];
const none: readonly string[] = [];

/** The entities of one UPS by key, whatever the mode. */
function components(messages: DiscoveryMessage[]): Map<string, Json> {
  const out = new Map<string, Json>();
  for (const m of messages) {
    const p = JSON.parse(m.payload) as Json;
    if (p.cmps) for (const [k, c] of Object.entries(p.cmps as Json)) out.set(k, c as Json);
    else out.set(m.topic.split('/').at(-2)!, { p: m.topic.split('/')[1], ...p });
  }
  return out;
}

/** Retained states as the bridge would have them on the broker, for the checker to render. */
function statesOf(id: BridgeIdentity, devices: Device[]): Record<string, string> {
  const states: Record<string, string> = {};
  for (const d of devices) {
    states[id.topics.ups(d.name, 'state')] = JSON.stringify(upsState(d, { energyKwh: 1.234 }));
    states[id.topics.ups(d.name, 'outage')] = JSON.stringify({ state: 'on_battery', started_at: '2026-01-01T00:00:10.000Z', duration_s: 5, estimated_depletion_at: null, last: null });
  }
  states[id.topics.bridge] = JSON.stringify({ version: '0.1.0', started_at: '2026-01-01T00:00:00.000Z', uptime_s: 61, nut_clients: 2, driver_drops: 0, driver_recoveries: 0 });
  return states;
}

function gatewaySet(id: BridgeIdentity, devices: Device[], mode: DiscoveryMode, allowCommands = none): DiscoveryMessage[] {
  return [...gatewayDiscovery(id, { mode }), ...devices.flatMap((d) => upsDiscovery(d, id, { mode, allowCommands }))];
}

for (const mode of MODES) {
  test(`${mode} mode: the checker passes on every recorded UPS (APC, CyberPower, Eaton, …) with their states`, () => {
    const id = identity('pi1', 'http://upsgate.local/');
    const devices = recordedDevices();
    const messages = gatewaySet(id, devices, mode, ['load.off', 'shutdown.reboot']);
    assert.equal(checkDiscovery(messages, { states: statesOf(id, devices) }), []);
    const expected = mode === 'device' ? devices.length + 1 : undefined;
    if (expected !== undefined) assert.is(messages.length, expected, 'one message per device');
    for (const m of messages) {
      if (mode === 'device') assert.match(m.topic, /^homeassistant\/device\/upsgate_pi1(-[a-z0-9_]+)?\/config$/);
      else assert.match(m.topic, /^homeassistant\/(sensor|binary_sensor|button|select|number|text|event)\/upsgate_pi1(-[a-z0-9_]+)?\/[a-z0-9_]+\/config$/);
    }
  });

  test(`${mode} mode: two gateways with identical UPSes do not collide`, () => {
    const a = identity('pi1');
    const b = identity('pi2');
    const make = () => [deviceFrom('ups', CYBERPOWER_CP1500PFCLCD), deviceFrom('ups2', CYBERPOWER_CP1500PFCLCD)];
    const all = [...gatewaySet(a, make(), mode), ...gatewaySet(b, make(), mode)];
    assert.equal(checkDiscovery(all), []);
    const ids = [...all.flatMap((m) => [...components([m]).values()].map((c) => c.unique_id as string))];
    assert.is(new Set(ids).size, ids.length);
    assert.ok(ids.every((u) => /^upsgate_pi[12][-_]/.test(u)), 'every unique_id holds its gateway id');
    const topics = all.map((m) => m.topic);
    assert.is(new Set(topics).size, topics.length, 'no discovery topic overwrites another gateway’s');
  });
}

test('the UPS device block: names from the UPS, a serial only when real, via_device the gateway', () => {
  const id = identity('pi1', 'http://upsgate.local/');
  const dev = (d: Device) => (JSON.parse(upsDiscovery(d, id, { mode: 'device', allowCommands: none })[0]!.payload) as Json).dev as Json;
  const cp = dev(deviceFrom('cyberpower', CYBERPOWER_CP1500PFCLCD, { description: 'Rack UPS' }));
  assert.equal(cp, {
    identifiers: ['upsgate_pi1-cyberpower'],
    name: 'Rack UPS',
    manufacturer: 'CPS',
    model: 'CP1500PFCLCD',
    model_id: '0501',
    hw_version: 'usbhid-ups 2.7.4',
    via_device: 'upsgate_pi1',
    configuration_url: 'http://upsgate.local/',
  }, 'serial 000000000000 is no serial');
  const apc = dev(deviceFrom('backups', apcBackUps500()));
  assert.is(apc.name, 'backups', 'without desc, the NUT name');
  assert.is(apc.serial_number, 'AB0427******');
  assert.is(apc.sw_version, '6.5.I');
  assert.is(apc.manufacturer, 'American Power Conversion');
  const eaton = dev(deviceFrom('eaton', EATON_5E1100I));
  assert.is(eaton.sw_version, '01.04.0018');
  assert.is(eaton.manufacturer, 'EATON');
  assert.not.ok('serial_number' in eaton);
});

test('origin and availability on every entity; the Data sensor hangs on the gateway alone', () => {
  const id = identity();
  for (const mode of MODES) {
    const messages = upsDiscovery(deviceFrom('eaton', EATON_5E1100I), id, { mode, allowCommands: none });
    for (const m of messages) {
      const p = JSON.parse(m.payload) as Json;
      assert.equal(p.o ?? p.origin, { name: 'upsgate', sw: '0.1.0', url: 'https://github.com/upsgate/upsgate' }, m.topic);
    }
    const c = components(messages);
    for (const [key, e] of c) {
      if (key === 'data') continue;
      assert.equal(e.availability, [{ topic: 'upsgate/pi1/availability' }, { topic: 'upsgate/pi1/eaton/availability' }], key);
      assert.is(e.availability_mode, 'all', key);
    }
    const data = c.get('data')!;
    assert.is(data.p, 'binary_sensor');
    assert.is(data.device_class, 'connectivity');
    assert.is(data.state_topic, 'upsgate/pi1/eaton/availability');
    assert.is(data.payload_on, 'online');
    assert.is(data.payload_off, 'offline');
    assert.equal(data.availability, [{ topic: 'upsgate/pi1/availability' }]);
    assert.is(data.entity_category, 'diagnostic');
  }
});

test('the entity table: classes, units and state classes as ECOSYSTEM §4 says', () => {
  const c = components(upsDiscovery(deviceFrom('smartups', SMART_UPS_WITH_RANGES), identity(), { mode: 'device', allowCommands: none }));
  const shape = (key: string) => {
    const e = c.get(key);
    return e && [e.p, e.device_class ?? null, e.unit_of_measurement ?? null, e.state_class ?? null, e.entity_category ?? null];
  };
  assert.equal(shape('battery_charge'), ['sensor', 'battery', '%', 'measurement', null]);
  assert.equal(shape('battery_runtime'), ['sensor', 'duration', 's', 'measurement', null]);
  assert.equal(shape('load'), ['sensor', null, '%', 'measurement', null]);
  assert.is(c.get('load')!.icon, 'mdi:gauge');
  assert.equal(shape('input_voltage'), ['sensor', 'voltage', 'V', 'measurement', null]);
  assert.equal(shape('output_voltage'), ['sensor', 'voltage', 'V', 'measurement', null]);
  assert.equal(shape('input_frequency'), ['sensor', 'frequency', 'Hz', 'measurement', 'diagnostic']);
  assert.equal(shape('realpower'), ['sensor', 'power', 'W', 'measurement', null]);
  assert.equal(shape('apparent_power'), ['sensor', 'apparent_power', 'VA', 'measurement', 'diagnostic']);
  assert.equal(shape('energy'), ['sensor', 'energy', 'kWh', 'total_increasing', null]);
  assert.equal(shape('battery_voltage'), ['sensor', 'voltage', 'V', 'measurement', 'diagnostic']);
  assert.equal(shape('ups_temperature'), ['sensor', 'temperature', '°C', 'measurement', 'diagnostic']);
  assert.equal(shape('battery_temperature'), ['sensor', 'temperature', '°C', 'measurement', 'diagnostic']);
  assert.equal(shape('status_text'), ['sensor', null, null, null, null], 'text: no unit, no state_class');
  assert.equal(shape('status'), ['sensor', null, null, null, 'diagnostic']);
  assert.is(c.get('status')!.enabled_by_default, false);
  assert.equal(shape('alarm'), ['sensor', null, null, null, 'diagnostic']);
  assert.equal(shape('online'), ['binary_sensor', 'power', null, null, null]);
  assert.equal(shape('on_battery'), ['binary_sensor', null, null, null, null]);
  assert.equal(shape('low_battery'), ['binary_sensor', 'battery', null, null, null]);
  assert.equal(shape('charging'), ['binary_sensor', 'battery_charging', null, null, 'diagnostic']);
  assert.equal(shape('replace_battery'), ['binary_sensor', 'problem', null, null, 'diagnostic']);
  assert.equal(shape('overload'), ['binary_sensor', 'problem', null, null, 'diagnostic']);
  assert.equal(shape('bypass'), ['binary_sensor', 'problem', null, null, 'diagnostic']);
  assert.equal(shape('forced_shutdown'), ['binary_sensor', 'problem', null, null, 'diagnostic']);
  assert.equal(shape('outage_started'), ['sensor', 'timestamp', null, null, null]);
  assert.is(c.get('outage_started')!.state_topic, 'upsgate/pi1/smartups/outage');
  assert.is(c.get('outage_started')!.value_template, '{{ value_json.started_at | default(None) }}');
  assert.is(c.get('estimated_depletion')!.value_template, '{{ value_json.estimated_depletion_at | default(None) }}');
  const event = c.get('power_event')!;
  assert.is(event.p, 'event');
  assert.is(event.state_topic, 'upsgate/pi1/smartups/events');
  assert.equal(event.event_types, ['ONLINE', 'ONBATT', 'LOWBATT', 'FSD', 'COMMOK', 'COMMBAD', 'SHUTDOWN', 'REPLBATT', 'NOCOMM']);
  assert.is(c.get('battery_charge')!.value_template, '{{ value_json.battery_charge | default(None) }}');
  assert.is(c.get('battery_charge')!.default_entity_id, 'sensor.upsgate_pi1_smartups_battery_charge');
  assert.is(c.get('online')!.default_entity_id, 'binary_sensor.upsgate_pi1_smartups_online');
});

test('derived real power is marked in attributes; without real power or its nominal, no power and no energy entity', () => {
  const id = identity();
  const cp = components(upsDiscovery(deviceFrom('cyberpower', CYBERPOWER_CP1500PFCLCD), id, { mode: 'device', allowCommands: none }));
  const rp = cp.get('realpower')!;
  assert.is(rp.json_attributes_topic, 'upsgate/pi1/cyberpower/state');
  assert.is(rp.json_attributes_template, "{{ {'derived': value_json.realpower_derived | default(None)} | tojson }}");
  assert.ok(cp.has('energy'), 'energy from derived power');
  assert.is(upsState(deviceFrom('cyberpower', CYBERPOWER_CP1500PFCLCD)).realpower_derived, true);

  const eaton = components(upsDiscovery(deviceFrom('eaton', EATON_5E1100I), id, { mode: 'device', allowCommands: none }));
  assert.not.ok(eaton.has('realpower'));
  assert.not.ok(eaton.has('energy'));
  assert.not.ok(eaton.has('input_frequency'), 'no input.frequency, no entity');
  assert.ok(eaton.has('output_frequency'));
  assert.not.ok(eaton.has('test_result'));
});

test('buttons: one per listed command; power-cutting ones only when allowed, and then disabled by default', () => {
  const id = identity();
  const buttons = (d: Device, allow: readonly string[]) =>
    [...components(upsDiscovery(d, id, { mode: 'device', allowCommands: allow }))].filter(([, c]) => c.p === 'button').map(([k, c]) => [k, c] as const);
  const eaton = buttons(deviceFrom('eaton', EATON_5E1100I), none);
  assert.equal(eaton.map(([k]) => k), ['cmd_beeper_disable', 'cmd_beeper_enable', 'cmd_beeper_mute', 'cmd_beeper_off', 'cmd_beeper_on']);
  const mute = eaton.find(([k]) => k === 'cmd_beeper_mute')![1];
  assert.equal(
    { name: mute.name, command_topic: mute.command_topic, payload_press: mute.payload_press, entity_category: mute.entity_category, qos: mute.qos },
    { name: 'Beeper mute', command_topic: 'upsgate/pi1/eaton/command', payload_press: 'beeper.mute', entity_category: 'config', qos: 1 },
  );
  assert.not.ok('enabled_by_default' in mute);
  assert.not.ok('device_class' in mute);

  const allowed = buttons(deviceFrom('eaton', EATON_5E1100I), ['LOAD.OFF']);
  const off = allowed.find(([k]) => k === 'cmd_load_off')?.[1];
  assert.ok(off, 'load.off allowed by name (case-insensitive, as NUT names are)');
  assert.is(off!.enabled_by_default, false);
  assert.not.ok(allowed.some(([k]) => k === 'cmd_load_off_delay'), 'allowing load.off does not allow load.off.delay');
  assert.not.ok(allowed.some(([k]) => k === 'cmd_shutdown_stop'));

  const be = buttons(deviceFrom('be650g2', APC_BACK_UPS_ES_650G2), ['shutdown.reboot']);
  const keys = be.map(([k]) => k);
  assert.ok(keys.includes('cmd_test_battery_start_quick'));
  assert.is(be.find(([k]) => k === 'cmd_test_battery_start_quick')![1].name, 'Test battery start quick');
  assert.not.ok(keys.includes('cmd_driver_killpower'), 'driver.killpower cuts power');
  assert.ok(keys.includes('cmd_driver_reload_or_error'));
  const reboot = be.find(([k]) => k === 'cmd_shutdown_reboot')![1];
  assert.is(reboot.device_class, 'restart');
  assert.is(reboot.enabled_by_default, false);
  const graceful = buttons(deviceFrom('smartups', SMART_UPS_WITH_RANGES), ['shutdown.reboot.graceful']).find(([k]) => k === 'cmd_shutdown_reboot_graceful')![1];
  assert.is(graceful.device_class, 'restart', 'shutdown.reboot* is a restart');
});

test('select for writable ENUM variables, number for writable RANGE ones, text for other writable strings', () => {
  const id = identity();
  const eaton = components(upsDiscovery(deviceFrom('eaton', EATON_5E1100I), id, { mode: 'device', allowCommands: none }));
  const sel = eaton.get('set_output_voltage_nominal')!;
  assert.equal(
    { p: sel.p, name: sel.name, options: sel.options, command_topic: sel.command_topic, state_topic: sel.state_topic, value_template: sel.value_template, entity_category: sel.entity_category },
    {
      p: 'select', name: 'Output voltage nominal', options: ['200', '208', '220', '230', '240'], command_topic: 'upsgate/pi1/eaton/set/output.voltage.nominal',
      state_topic: 'upsgate/pi1/eaton/state', value_template: "{{ value_json.vars['output.voltage.nominal'] | default(None) }}", entity_category: 'config',
    },
  );
  const text = eaton.get('set_outlet_desc')!;
  assert.equal(
    [text.p, text.max, text.mode, text.enabled_by_default, text.command_topic, text.value_template],
    ['text', 20, 'text', false, 'upsgate/pi1/eaton/set/outlet.desc', "{{ value_json.vars['outlet.desc'] | default(None) }}"],
    'RW STRING:20: a text field, disabled until wanted',
  );
  const smart = components(upsDiscovery(deviceFrom('smartups', SMART_UPS_WITH_RANGES), id, { mode: 'device', allowCommands: none }));
  const num = smart.get('set_input_transfer_low')!;
  assert.equal([num.p, num.min, num.max, num.mode, num.command_topic], ['number', 160, 208, 'box', 'upsgate/pi1/smartups/set/input.transfer.low']);
  assert.equal(smart.get('set_input_sensitivity')!.options, ['H', 'M', 'L']);
  const d = deviceFrom('odd', 'ups.status: OL\nx.y: 5\n#RW:x.y:RANGE:5:5\n');
  assert.not.ok(components(upsDiscovery(d, id, { mode: 'device', allowCommands: none })).has('set_x_y'), 'a range of one value is no setting');
});

test('a hostile device name stays valid JSON, is cleaned, and the checker passes', () => {
  const id = identity();
  const desc = `Rack\u0000 "UPS"\n\t<script>alert(1)</script>\u202e${'x'.repeat(200)}`;
  const d = deviceFrom('evil', `${SMART_UPS_WITH_RANGES}\ndevice.model: Model\u0007 "9"\u001b[31m\n`, { description: desc });
  for (const mode of MODES) {
    const messages = [...gatewayDiscovery(id, { mode }), ...upsDiscovery(d, id, { mode, allowCommands: none })];
    assert.equal(checkDiscovery(messages, { states: statesOf(id, [d]) }), []);
    for (const m of messages) {
      assert.not.match(m.payload, /[\u0000-\u001f]/, 'no raw control characters');
      const p = JSON.parse(m.payload) as Json;
      const dev = (p.dev ?? p.device) as Json;
      if (dev.identifiers[0] !== 'upsgate_pi1-evil') continue;
      assert.not.match(dev.name, /[\u0000-\u001f\u202e]/);
      assert.ok([...dev.name].length <= 64, 'capped');
      assert.ok(dev.name.startsWith('Rack "UPS" <script>alert(1)</script>'), dev.name);
      assert.is(dev.model, 'Model "9" [31m');
    }
  }
});

test('a device named like an entity: entity names never begin with the device name', () => {
  const id = identity();
  for (const desc of ['Battery', 'battery charge', 'UPS', 'Load']) {
    const d = deviceFrom('ups', SMART_UPS_WITH_RANGES, { description: desc });
    const messages = upsDiscovery(d, id, { mode: 'device', allowCommands: none });
    assert.equal(checkDiscovery([...gatewayDiscovery(id, { mode: 'device' }), ...messages]), [], desc);
  }
  const c = components(upsDiscovery(deviceFrom('ups', SMART_UPS_WITH_RANGES, { description: 'Battery' }), id, { mode: 'device', allowCommands: none }));
  assert.is(c.get('battery_charge')!.name, 'UPS battery charge');
  assert.is(c.get('load')!.name, 'Load');
});

test('deterministic: the same UPS gives the same strings, whatever order the driver filled it in', () => {
  const id = identity();
  const forward = deviceFrom('cyberpower', CYBERPOWER_CP1500PFCLCD);
  const reversed = deviceFrom('cyberpower', CYBERPOWER_CP1500PFCLCD.split('\n').reverse().join('\n'));
  for (const mode of MODES) {
    const a = upsDiscovery(forward, id, { mode, allowCommands: ['load.off'] });
    assert.equal(a, upsDiscovery(forward, id, { mode, allowCommands: ['load.off'] }));
    assert.equal(a, upsDiscovery(reversed, id, { mode, allowCommands: ['load.off'] }));
    assert.equal(gatewayDiscovery(id, { mode }), gatewayDiscovery(identity(), { mode }));
  }
  assert.is(JSON.stringify(upsState(forward)), JSON.stringify(upsState(reversed)));
});

test('the gateway device: diagnostics from the bridge topic, availability only the gateway', () => {
  const id = identity('pi1', 'http://upsgate.local/');
  const [m] = gatewayDiscovery(id, { mode: 'device' });
  assert.is(m!.topic, 'homeassistant/device/upsgate_pi1/config');
  const p = JSON.parse(m!.payload) as Json;
  assert.equal(p.dev, { identifiers: ['upsgate_pi1'], name: 'upsgate pi1', manufacturer: 'upsgate', model: 'UPS gateway', sw_version: '0.1.0', configuration_url: 'http://upsgate.local/' });
  const c = p.cmps as Json;
  assert.equal(Object.keys(c), ['version', 'uptime_s', 'nut_clients', 'driver_drops', 'driver_recoveries']);
  for (const e of Object.values(c) as Json[]) {
    assert.is(e.state_topic, 'upsgate/pi1/bridge');
    assert.is(e.entity_category, 'diagnostic');
    assert.equal(e.availability, [{ topic: 'upsgate/pi1/availability' }]);
  }
  assert.equal([c.uptime_s.device_class, c.uptime_s.unit_of_measurement], ['duration', 's']);
  assert.is(c.nut_clients.state_class, 'measurement');
  assert.is(c.driver_drops.state_class, 'total_increasing');
  assert.is(c.driver_recoveries.state_class, 'total_increasing');
  assert.not.ok('unit_of_measurement' in c.version);
  const entity = gatewayDiscovery(id, { mode: 'entity' });
  assert.equal(entity.map((x) => x.topic), ['version', 'uptime_s', 'nut_clients', 'driver_drops', 'driver_recoveries'].map((k) => `homeassistant/sensor/upsgate_pi1/${k}/config`));
});

test('ownedDiscoveryNode: this gateway’s device and entity topics, nobody else’s', () => {
  const t = identity('pi1').topics;
  assert.is(ownedDiscoveryNode('homeassistant/device/upsgate_pi1/config', t), 'upsgate_pi1');
  assert.is(ownedDiscoveryNode('homeassistant/device/upsgate_pi1-ups/config', t), 'upsgate_pi1-ups');
  assert.is(ownedDiscoveryNode('homeassistant/sensor/upsgate_pi1-ups/battery_charge/config', t), 'upsgate_pi1-ups');
  assert.is(ownedDiscoveryNode('homeassistant/button/upsgate_pi1-ups/cmd_beeper_mute/config', t), 'upsgate_pi1-ups');
  for (const other of [
    'homeassistant/device/upsgate_pi10/config',
    'homeassistant/device/upsgate_pi2-ups/config',
    'homeassistant/sensor/zigbee2mqtt_0x1234/battery/config',
    'homeassistant/sensor/upsgate_pi1-ups/config',
    'homeassistant/device/upsgate_pi1/extra/config',
    'homeassistant/status',
    'other/device/upsgate_pi1/config',
    'homeassistant/sensor/upsgate_pi1-ups/battery_charge/state',
  ]) assert.is(ownedDiscoveryNode(other, t), undefined, other);
  // Every topic this gateway publishes is recognised as its own.
  for (const mode of MODES) {
    const id = identity('pi1');
    for (const m of gatewaySet(id, recordedDevices(), mode)) assert.ok(ownedDiscoveryNode(m.topic, id.topics), m.topic);
  }
});

test('a UPS name with dots or dashes gives HA-safe ids, topics keep the NUT name', () => {
  const id = identity('Pi-1');
  const d = deviceFrom('Back.UPS-1', APC_BACK_UPS_ES_650G2);
  const [m] = upsDiscovery(d, id, { mode: 'device', allowCommands: none });
  assert.is(m!.topic, 'homeassistant/device/upsgate_pi_1-back_ups_1/config');
  const c = components([m!]);
  assert.is(c.get('battery_charge')!.unique_id, 'upsgate_pi_1-back_ups_1_battery_charge');
  assert.is(c.get('battery_charge')!.state_topic, 'upsgate/Pi-1/Back.UPS-1/state');
  assert.equal(checkDiscovery([...gatewayDiscovery(id, { mode: 'device' }), m!], { states: statesOf(id, [d]) }), []);
});


test('device mode: a component the UPS no longer has is listed with its platform alone, once', () => {
  const id = identity();
  const d = deviceFrom('eaton', EATON_5E1100I);
  const [first] = upsDiscovery(d, id, { mode: 'device', allowCommands: none });
  d.delCmd('beeper.mute');
  d.delInfo('output.frequency');
  const [plain] = upsDiscovery(d, id, { mode: 'device', allowCommands: none });
  const marked = markRemovedComponents(first!.payload, plain!);
  const cmps = (JSON.parse(marked.payload) as Json).cmps as Json;
  assert.equal(cmps.cmd_beeper_mute, { p: 'button' });
  assert.equal(cmps.output_frequency, { p: 'sensor' });
  assert.equal(checkDiscovery([...gatewayDiscovery(id, { mode: 'device' }), marked]), [], 'a removal marker is not a broken entity');
  const [again] = upsDiscovery(d, id, { mode: 'device', allowCommands: none });
  assert.equal(markRemovedComponents(marked.payload, again!), again, 'the next update drops the markers');
  assert.equal(markRemovedComponents(plain!.payload, again!), again, 'nothing gone, nothing added');
  assert.equal(markRemovedComponents(undefined, again!), again);
});

test.run();
