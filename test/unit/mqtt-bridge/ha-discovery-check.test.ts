import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { gatewayDiscovery, upsDiscovery, type DiscoveryMessage } from '../../../src/mqtt-bridge/discovery.js';
import { upsState } from '../../../src/mqtt-bridge/ups-state.js';
import { checkDiscovery } from '../../helpers/ha-discovery-check.js';
import { deviceFrom, identity, SMART_UPS_WITH_RANGES } from './recorded-devices.js';

/**
 * The checker must catch each kind of mistake: every test starts from a set it passes, breaks one
 * rule, and expects that rule to be named.
 */

type Json = Record<string, any>;

function goodSet(mode: 'device' | 'entity' = 'device', gatewayId = 'pi1'): DiscoveryMessage[] {
  const id = identity(gatewayId);
  return [...gatewayDiscovery(id, { mode }), ...upsDiscovery(deviceFrom('ups', SMART_UPS_WITH_RANGES), id, { mode, allowCommands: [] })];
}

const UPS_TOPIC = 'homeassistant/device/upsgate_pi1-ups/config';

/** The good device-mode set with one change to the UPS payload. */
function broken(change: (payload: Json) => void, topic = UPS_TOPIC): DiscoveryMessage[] {
  return goodSet().map((m) => {
    if (m.topic !== topic) return m;
    const p = JSON.parse(m.payload) as Json;
    change(p);
    return { topic: m.topic, payload: JSON.stringify(p) };
  });
}

const component = (key: string, change: (c: Json) => void) => broken((p) => change(p.cmps[key]));

function catches(messages: DiscoveryMessage[], rule: RegExp, options = {}): void {
  const problems = checkDiscovery(messages, options);
  assert.ok(problems.some((p) => rule.test(p)), `expected a problem matching ${rule}, got ${JSON.stringify(problems)}`);
}

test('the good sets pass, in both modes, and two gateways together', () => {
  assert.equal(checkDiscovery(goodSet('device')), []);
  assert.equal(checkDiscovery(goodSet('entity')), []);
  assert.equal(checkDiscovery([...goodSet('device', 'a'), ...goodSet('entity', 'b')]), []);
});

test('payloads: not JSON, not an object, not a discovery topic, bad ids in the topic', () => {
  catches([{ topic: UPS_TOPIC, payload: '{' }], /not JSON/);
  catches([{ topic: UPS_TOPIC, payload: '[1]' }], /not a JSON object/);
  catches([{ topic: 'homeassistant/sensor/x', payload: '{}' }], /not a discovery topic/);
  const [m] = goodSet('entity').filter((x) => x.topic.includes('/battery_charge/'));
  catches([{ topic: m!.topic.replace('upsgate_pi1-ups', 'upsgate pi1.ups'), payload: m!.payload }], /characters HA refuses/);
  catches(component('load', () => undefined).map((x) => (x.topic === UPS_TOPIC ? { ...x, payload: x.payload.replace('"load":{', '"lo.ad":{') } : x)), /component id has characters HA refuses/);
});

test('platform unknown', () => {
  catches(component('load', (c) => (c.p = 'sensors')), /unknown platform "sensors"/);
});

test('required fields per platform', () => {
  catches(component('load', (c) => delete c.state_topic), /sensor needs state_topic/);
  catches(component('online', (c) => delete c.state_topic), /binary_sensor needs state_topic/);
  catches(component('cmd_calibrate_start', (c) => delete c.command_topic), /button needs command_topic/);
  catches(component('set_input_sensitivity', (c) => (c.options = [])), /select needs a non-empty options list/);
  catches(component('set_input_sensitivity', (c) => (c.options = ['H', 'H'])), /options repeat/);
  catches(component('set_input_sensitivity', (c) => delete c.command_topic), /select needs command_topic/);
  catches(component('set_input_transfer_low', (c) => (c.min = c.max)), /number needs min < max/);
  catches(component('set_input_transfer_low', (c) => (c.step = 0)), /step must be > 0/);
  catches(component('set_ups_id', (c) => (c.max = 300)), /text needs 0 <= min <= max <= 255/);
  catches(component('set_ups_id', (c) => delete c.command_topic), /text needs command_topic/);
  catches(component('power_event', (c) => delete c.event_types), /event needs event_types/);
  catches(component('power_event', (c) => (c.event_types = [])), /event needs event_types/);
  catches(component('status_text', (c) => (c.device_class = 'enum')), /enum sensor needs options/);
});

test('device_class must belong to the platform', () => {
  catches(component('online', (c) => (c.device_class = 'voltage')), /device_class "voltage" is not a binary_sensor device class/);
  catches(component('load', (c) => (c.device_class = 'percentage')), /device_class "percentage" is not a sensor device class/);
  catches(component('cmd_calibrate_start', (c) => (c.device_class = 'power')), /not a button device class/);
  catches(component('set_input_transfer_low', (c) => (c.device_class = 'timestamp')), /not a number device class/);
});

test('units must fit the device class', () => {
  catches(component('battery_charge', (c) => (c.unit_of_measurement = 'V')), /device_class battery needs a unit of %, got "V"/);
  catches(component('battery_runtime', (c) => (c.unit_of_measurement = 'sec')), /device_class duration needs a unit of/);
  catches(component('input_voltage', (c) => delete c.unit_of_measurement), /device_class voltage needs a unit .* got none/);
  catches(component('apparent_power', (c) => (c.unit_of_measurement = 'W')), /apparent_power needs a unit of .*VA/);
  catches(component('realpower', (c) => (c.unit_of_measurement = 'VA')), /device_class power needs/);
  catches(component('energy', (c) => (c.unit_of_measurement = 'W')), /device_class energy needs/);
  catches(component('ups_temperature', (c) => (c.unit_of_measurement = 'C')), /temperature needs/);
  catches(component('input_frequency', (c) => (c.unit_of_measurement = 'hz')), /frequency needs/);
  catches(component('outage_started', (c) => (c.unit_of_measurement = 's')), /device_class timestamp takes no unit/);
  catches(component('online', (c) => (c.unit_of_measurement = '%')), /a binary_sensor has no unit_of_measurement/);
});

test('state_class: known values, allowed for the class, none on text, enum and timestamp', () => {
  catches(component('load', (c) => (c.state_class = 'measure')), /state_class "measure" is not one of/);
  catches(component('energy', (c) => (c.state_class = 'measurement')), /energy allows state_class total or total_increasing, got "measurement"/);
  catches(component('energy', (c) => delete c.state_class), /energy sensor needs state_class/);
  catches(component('outage_started', (c) => (c.state_class = 'measurement')), /timestamp allows state_class none/);
  catches(component('battery_charge', (c) => (c.state_class = 'total_increasing')), /battery allows state_class measurement/);
  catches(component('online', (c) => (c.state_class = 'measurement')), /binary_sensor has no state_class/);
  catches(component('set_input_transfer_low', (c) => (c.state_class = 'measurement')), /number has no state_class/);
});

test('text sensors with a unit or a state_class are caught from the value they read', () => {
  const id = identity();
  const d = deviceFrom('ups', SMART_UPS_WITH_RANGES);
  const states = { [id.topics.ups('ups', 'state')]: JSON.stringify(upsState(d)), [id.topics.ups('ups', 'outage')]: '{"started_at":"yesterday","estimated_depletion_at":null}' };
  catches(component('status_text', (c) => (c.unit_of_measurement = '%')), /numeric sensor .* reads "Online, replace battery", not a number/, { states });
  catches(component('alarm', (c) => (c.state_class = 'measurement')), /numeric sensor .* reads "Replace battery!"/, { states });
  catches(component('online', (c) => (c.value_template = '{{ value_json.status_text }}')), /binary sensor reads "Online, replace battery", not a boolean/, { states });
  catches(component('load', (c) => (c.value_template = '{{ value_json.lod }}')), /reads value_json.lod, which the state .* does not have/, { states });
  catches(component('outage_started', () => undefined), /timestamp sensor reads "yesterday", not an ISO 8601 time/, { states });
  catches(component('set_input_sensitivity', (c) => (c.options = ['M', 'L'])), /select reads "H", not one of its options/, { states });
  catches(component('set_input_transfer_low', (c) => (c.value_template = "{{ value_json.vars['input.sensitivity'] }}")), /number reads "H", not a number/, { states });
  catches(component('set_ups_id', (c) => (c.max = 3)), /text reads "Rack A", longer than its max 3/, { states });
});

test('names: never empty, never beginning with the device name, no control characters', () => {
  catches(component('load', (c) => (c.name = '')), /name is empty/);
  catches(component('load', (c) => (c.name = 'ups load')), /begins with the device name "ups"/);
  catches(component('load', (c) => (c.name = 'UPS')), /begins with the device name/);
  catches(component('load', (c) => delete c.name), /no name/);
  catches(component('load', (c) => (c.name = 'Lo\u0007ad')), /control characters/);
  catches(broken((p) => (p.dev.name = '')), /device has no name/);
});

test('unique ids: present, and unique across everything, two gateways included', () => {
  catches(component('load', (c) => delete c.unique_id), /no unique_id/);
  catches(component('load', (c) => (c.unique_id = 'upsgate_pi1-ups_battery_charge')), /unique_id "upsgate_pi1-ups_battery_charge" is also used by/);
  // Two gateways that forgot their ids in unique_id collide; the checker sees it across sets.
  const strip = (messages: DiscoveryMessage[]) => messages.map((m) => ({ topic: m.topic, payload: m.payload.replace(/"unique_id":"upsgate_[a-z0-9]+[-_]/g, '"unique_id":"') }));
  catches([...strip(goodSet('entity', 'a')), ...strip(goodSet('entity', 'b'))], /unique_id "ups_battery_charge" is also used by/);
  catches(component('load', (c) => (c.default_entity_id = 'load.x')), /default_entity_id "load.x" is not sensor\./);
  catches(component('load', (c) => (c.object_id = 'Load X')), /object_id "Load X" is not \[a-z0-9_\]/);
});

test('origin on every payload', () => {
  catches(broken((p) => delete p.o), /no origin with a name/);
  catches(broken((p) => (p.o = { sw: '1' })), /no origin with a name/);
  const entity = goodSet('entity').map((m, i) => (i === 3 ? { ...m, payload: JSON.stringify({ ...JSON.parse(m.payload), origin: undefined }) } : m));
  catches(entity, /no origin/);
});

test('availability: present, well formed', () => {
  catches(component('load', (c) => delete c.availability), /no availability/);
  catches(component('load', (c) => (c.availability = [])), /availability is not a non-empty list/);
  catches(component('load', (c) => (c.availability = [{ topic: '' }])), /availability topic is missing or empty/);
  catches(component('load', (c) => (c.availability_mode = 'every')), /availability_mode "every"/);
  catches(component('load', (c) => (c.availability_topic = 'x')), /availability and availability_topic together/);
});

test('devices: identifiers, via_device to a device of the set, the same description everywhere', () => {
  catches(broken((p) => delete p.dev.identifiers), /no device with identifiers/);
  catches(broken((p) => (p.dev.identifiers = [])), /no device with identifiers/);
  catches(broken((p) => delete p.dev), /device discovery without a device block/);
  catches(broken((p) => delete p.dev.via_device), /has no via_device and no device hangs off it/);
  catches(broken((p) => (p.dev.via_device = 'upsgate_elsewhere')), /via_device "upsgate_elsewhere", which is no device in this set/);
  catches(broken((p) => (p.dev.via_device = 'upsgate_pi1-ups')), /is its own via_device/);
  const entity = goodSet('entity').map((m) => (m.topic.includes('/battery_charge/') ? { ...m, payload: m.payload.replace('"model":"Smart-UPS 1500"', '"model":"Other"') } : m));
  catches(entity, /described differently/);
  catches(broken((p) => (p.cmps = {})), /device discovery without components/);
});

test('topics: publishable, inside the device’s own folder, not shared between devices', () => {
  catches(component('cmd_calibrate_start', (c) => (c.command_topic = 'upsgate/pi1/+/command')), /command_topic .* holds a wildcard/);
  catches(component('load', (c) => (c.state_topic = 'upsgate/pi1/other/state')), /state_topic upsgate\/pi1\/other\/state is outside its device's topics \(upsgate\/pi1\/ups\/\)/);
  catches(component('cmd_calibrate_start', (c) => (c.command_topic = 'upsgate/pi2/ups/command')), /command_topic .* is outside its device's topics/);
  catches(component('load', (c) => (c.state_topic = ' upsgate/pi1/ups/state')), /surrounding blanks/);
  // A second UPS whose entities read the first one's state: two devices in one folder.
  const id = identity();
  const twin = upsDiscovery(deviceFrom('twin', SMART_UPS_WITH_RANGES), id, { mode: 'device', allowCommands: [] }).map((m) => ({
    topic: m.topic,
    payload: m.payload.replaceAll('upsgate/pi1/twin/', 'upsgate/pi1/ups/'),
  }));
  catches([...goodSet(), ...twin], /reads its state under upsgate\/pi1\/ups\/, as device/);
});

test('templates and categories', () => {
  catches(component('load', (c) => (c.value_template = '{{ value_json.load }')), /value_template is not a template/);
  catches(component('load', (c) => (c.value_template = 'value_json.load')), /value_template is not a template/);
  catches(component('realpower', (c) => delete c.json_attributes_topic), /json_attributes_template without json_attributes_topic/);
  catches(component('load', (c) => (c.entity_category = 'config')), /a sensor cannot have entity_category config/);
  catches(component('load', (c) => (c.entity_category = 'system')), /entity_category "system"/);
  catches(component('load', (c) => (c.enabled_by_default = 'no')), /enabled_by_default is not a boolean/);
  catches(component('load', (c) => (c.suggested_display_precision = 1.5)), /suggested_display_precision must be an integer/);
  catches(component('outage_started', (c) => (c.suggested_display_precision = 0)), /suggested_display_precision on a timestamp sensor/);
});

test('abbreviated keys are read too', () => {
  const abbreviated = goodSet().map((m) => ({
    topic: m.topic,
    payload: m.payload.replaceAll('"unique_id"', '"uniq_id"').replaceAll('"state_topic"', '"stat_t"').replaceAll('"device_class"', '"dev_cla"').replaceAll('"identifiers"', '"ids"'),
  }));
  assert.equal(checkDiscovery(abbreviated), []);
  catches(
    abbreviated.map((m) => (m.topic === UPS_TOPIC ? { ...m, payload: m.payload.replace('"dev_cla":"battery","unit_of_measurement":"%"', '"dev_cla":"battery","unit_of_measurement":"V"') } : m)),
    /device_class battery needs a unit of %/,
  );
});

test.run();
