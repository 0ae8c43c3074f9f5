import type { Device } from '../core/device.js';
import { gatewayNodeId, OFFLINE, ONLINE, upsNodeId, type Topics } from './topics.js';
import { POWER_EVENT_TYPES, stateEntitiesOf, topicEntitiesOf, type EntityBase, type StateEntity, type TopicEntity } from './ups-entities.js';
import { controlsOf, type ControlEntity } from './ups-controls.js';
import { gatewayEntities, type GatewayEntity } from './gateway-entities.js';
import { displayText, entityName } from './display-text.js';

/**
 * Home Assistant MQTT discovery for the gateway and its UPSes: one HA device per UPS, pointing at
 * the gateway's own device with via_device (Zigbee2MQTT's shape, ECOSYSTEM §2.6 and §4).
 *
 * Device mode (HA >= 2024.11) sends one retained `<prefix>/device/<node>/config` per device with
 * every entity in `cmps`; entity mode sends `<prefix>/<platform>/<node>/<key>/config` per entity,
 * for older HA and for tools that only know that layout. Payloads are built in a fixed order so the
 * same Device gives the same string: the bridge republishes only what changed.
 *
 * The builders are pure: call them with a Device whose driver has published its data. While the
 * driver is lost its variables are gone, and discovery from that moment would delete entities;
 * the availability topic already says "offline" for that case.
 */

export interface BridgeIdentity {
  topics: Topics;
  version: string;
  /** The gateway's web UI. */
  configurationUrl?: string;
}

/** Published retained, QoS 1; an empty payload clears a retained config. */
export interface DiscoveryMessage {
  topic: string;
  payload: string;
}

export type DiscoveryMode = 'device' | 'entity';

export const ORIGIN_URL = 'https://github.com/upsgate/upsgate';

type Json = Record<string, unknown>;

function originOf(id: BridgeIdentity): Json {
  return { name: 'upsgate', sw: id.version, url: ORIGIN_URL };
}

/** Serials HA's NUT integration also ignores: they would merge unrelated units. */
function usableSerial(serial: string | undefined): string | undefined {
  const s = serial?.trim();
  if (s === undefined || s === '' || /^0+$/.test(s) || /^(unknown|blank|none|n\/a)$/i.test(s)) return undefined;
  return s;
}

function firstOf(device: Device, ...names: string[]): string | undefined {
  for (const n of names) {
    const v = device.getInfo(n)?.trim();
    if (v !== undefined && v !== '') return v;
  }
  return undefined;
}

/** Puts a field only when it has a value, keeping the key order of the calls. */
function put(target: Json, key: string, value: unknown): void {
  if (value === undefined || value === null || value === '') return;
  target[key] = value;
}

export function upsDeviceName(device: Device): string {
  return displayText(device.description ?? '') || displayText(device.name) || 'UPS';
}

function upsDeviceBlock(device: Device, id: BridgeIdentity): Json {
  const gateway = id.topics.gatewayId;
  const block: Json = { identifiers: [upsNodeId(gateway, device.name)], name: upsDeviceName(device) };
  const text = (v: string | undefined) => (v === undefined ? undefined : displayText(v));
  put(block, 'manufacturer', text(firstOf(device, 'device.mfr', 'ups.mfr')));
  put(block, 'model', text(firstOf(device, 'device.model', 'ups.model')));
  put(block, 'model_id', text(firstOf(device, 'ups.productid')));
  put(block, 'serial_number', text(usableSerial(firstOf(device, 'device.serial', 'ups.serial'))));
  put(block, 'sw_version', text(firstOf(device, 'ups.firmware')));
  const driver = [firstOf(device, 'driver.name'), firstOf(device, 'driver.version')].filter((x) => x !== undefined).join(' ');
  put(block, 'hw_version', text(driver));
  block.via_device = gatewayNodeId(gateway);
  put(block, 'configuration_url', id.configurationUrl);
  return block;
}

function gatewayDeviceBlock(id: BridgeIdentity): Json {
  const block: Json = {
    identifiers: [gatewayNodeId(id.topics.gatewayId)],
    name: displayText(`upsgate ${id.topics.gatewayId}`),
    manufacturer: 'upsgate',
    model: 'UPS gateway',
    sw_version: id.version,
  };
  put(block, 'configuration_url', id.configurationUrl);
  return block;
}

/** `{{ value_json.<key> }}`, rendering None (HA: unknown) when the key is null or not there yet. */
function valueTemplate(key: string): string {
  return `{{ value_json.${key} | default(None) }}`;
}

function binaryTemplate(key: string): string {
  return `{% set v = value_json.${key} | default(None) %}{{ 'None' if v is none else ('ON' if v else 'OFF') }}`;
}

/** Jinja reads `vars['input.sensitivity']`; NUT names never hold quotes, and ones that do get no entity. */
const PLAIN_VAR = /^[A-Za-z0-9._-]+$/;

interface Context {
  topics: Topics;
  ups: string;
  node: string;
  deviceName: string;
  availability: Json[];
}

/** The fields common to every platform, in one order. */
function common(e: EntityBase, ctx: Context): Json {
  const id = `${ctx.node}_${e.key}`;
  // Entity ids take [a-z0-9_] only; the node id's "-" (which keeps gateways apart) becomes "_" there.
  const entityId = id.replace(/-/g, '_');
  const c: Json = {
    name: entityName(e.name, ctx.deviceName),
    unique_id: id,
    default_entity_id: `${e.platform}.${entityId}`,
    // Deprecated by default_entity_id in HA 2025.10, still read by older releases.
    object_id: entityId,
  };
  put(c, 'device_class', e.deviceClass);
  put(c, 'unit_of_measurement', e.unit);
  put(c, 'state_class', e.stateClass);
  put(c, 'suggested_display_precision', e.precision);
  put(c, 'entity_category', e.category);
  if (e.enabledByDefault === false) c.enabled_by_default = false;
  put(c, 'icon', e.icon);
  return c;
}

function withAvailability(c: Json, availability: Json[]): Json {
  c.availability = availability;
  if (availability.length > 1) c.availability_mode = 'all';
  return c;
}

function stateComponent(e: StateEntity, ctx: Context): Json {
  const c = common(e, ctx);
  c.state_topic = ctx.topics.ups(ctx.ups, 'state');
  c.value_template = e.platform === 'binary_sensor' ? binaryTemplate(e.key) : valueTemplate(e.key);
  if (e.attributes) {
    c.json_attributes_topic = c.state_topic;
    const pairs = Object.entries(e.attributes).map(([attr, key]) => `'${attr}': value_json.${key} | default(None)`);
    c.json_attributes_template = `{{ {${pairs.join(', ')}} | tojson }}`;
  }
  return withAvailability(c, ctx.availability);
}

function topicComponent(e: TopicEntity, ctx: Context): Json {
  const c = common(e, ctx);
  switch (e.source) {
    case 'availability':
      c.state_topic = ctx.topics.ups(ctx.ups, 'availability');
      c.payload_on = ONLINE;
      c.payload_off = OFFLINE;
      return withAvailability(c, [{ topic: ctx.topics.availability }]);
    case 'events':
      c.state_topic = ctx.topics.ups(ctx.ups, 'events');
      c.event_types = [...POWER_EVENT_TYPES];
      return withAvailability(c, ctx.availability);
    case 'outage':
      c.state_topic = ctx.topics.ups(ctx.ups, 'outage');
      c.value_template = valueTemplate(e.field!);
      return withAvailability(c, ctx.availability);
  }
}

function controlComponent(e: ControlEntity, ctx: Context): Json | undefined {
  const c = common(e, ctx);
  if (e.platform === 'button') {
    c.command_topic = ctx.topics.ups(ctx.ups, 'command');
    c.payload_press = e.command;
  } else {
    if (!PLAIN_VAR.test(e.variable)) return undefined;
    c.command_topic = ctx.topics.set(ctx.ups, e.variable);
    c.state_topic = ctx.topics.ups(ctx.ups, 'state');
    c.value_template = `{{ value_json.vars['${e.variable}'] | default(None) }}`;
    if (e.platform === 'select') c.options = e.options;
    else if (e.platform === 'number') {
      c.min = e.min;
      c.max = e.max;
      c.mode = 'box';
    } else {
      c.max = e.maxLength;
      c.mode = 'text';
    }
  }
  // A press must not be lost on a flaky link: QoS 1 to the broker.
  c.qos = 1;
  return withAvailability(c, ctx.availability);
}

interface Built {
  platform: string;
  key: string;
  config: Json;
}

function upsComponents(device: Device, id: BridgeIdentity, allowCommands: readonly string[]): Built[] {
  const topics = id.topics;
  const ctx: Context = {
    topics,
    ups: device.name,
    node: upsNodeId(topics.gatewayId, device.name),
    deviceName: upsDeviceName(device),
    availability: [{ topic: topics.availability }, { topic: topics.ups(device.name, 'availability') }],
  };
  const out: Built[] = [];
  for (const e of stateEntitiesOf(device)) out.push({ platform: e.platform, key: e.key, config: stateComponent(e, ctx) });
  for (const e of topicEntitiesOf(device)) out.push({ platform: e.platform, key: e.key, config: topicComponent(e, ctx) });
  for (const e of controlsOf(device, allowCommands)) {
    const config = controlComponent(e, ctx);
    if (config) out.push({ platform: e.platform, key: e.key, config });
  }
  return out;
}

function gatewayComponents(id: BridgeIdentity): Built[] {
  const ctx: Context = {
    topics: id.topics,
    ups: '',
    node: gatewayNodeId(id.topics.gatewayId),
    deviceName: displayText(`upsgate ${id.topics.gatewayId}`),
    availability: [{ topic: id.topics.availability }],
  };
  return gatewayEntities().map((e: GatewayEntity) => {
    const c = common(e, ctx);
    c.state_topic = id.topics.bridge;
    c.value_template = valueTemplate(e.key);
    return { platform: e.platform, key: e.key, config: withAvailability(c, ctx.availability) };
  });
}

function messages(node: string, device: Json, origin: Json, built: Built[], mode: DiscoveryMode, prefix: string): DiscoveryMessage[] {
  if (mode === 'device') {
    const cmps: Json = {};
    for (const b of built) cmps[b.key] = { p: b.platform, ...b.config };
    return [{ topic: `${prefix}/device/${node}/config`, payload: JSON.stringify({ dev: device, o: origin, cmps }) }];
  }
  return built.map((b) => ({
    topic: `${prefix}/${b.platform}/${node}/${b.key}/config`,
    payload: JSON.stringify({ ...b.config, device, origin }),
  }));
}

export function upsDiscovery(device: Device, id: BridgeIdentity, opts: { mode: DiscoveryMode; allowCommands: readonly string[] }): DiscoveryMessage[] {
  const node = upsNodeId(id.topics.gatewayId, device.name);
  return messages(node, upsDeviceBlock(device, id), originOf(id), upsComponents(device, id, opts.allowCommands), opts.mode, id.topics.discoveryPrefix);
}

export function gatewayDiscovery(id: BridgeIdentity, opts: { mode: DiscoveryMode }): DiscoveryMessage[] {
  const node = gatewayNodeId(id.topics.gatewayId);
  return messages(node, gatewayDeviceBlock(id), originOf(id), gatewayComponents(id), opts.mode, id.topics.discoveryPrefix);
}

/**
 * Whether a retained discovery topic on the broker is this gateway's, so the bridge may clear it
 * once its UPS is gone. Returns the node id (`upsgate_<gatewayId>` or `upsgate_<gatewayId>-<ups>`).
 */
export function ownedDiscoveryNode(topic: string, topics: Topics): string | undefined {
  const prefix = `${topics.discoveryPrefix}/`;
  if (!topic.startsWith(prefix)) return undefined;
  const parts = topic.slice(prefix.length).split('/');
  let node: string | undefined;
  if (parts.length === 3 && parts[0] === 'device' && parts[2] === 'config') node = parts[1];
  else if (parts.length === 4 && parts[0] !== 'device' && parts[3] === 'config' && parts[2] !== '') node = parts[1];
  if (node === undefined) return undefined;
  const own = gatewayNodeId(topics.gatewayId);
  return node === own || node.startsWith(`${own}-`) ? node : undefined;
}

/**
 * In device mode a component that simply vanishes from `cmps` stays in Home Assistant: HA removes
 * one when the update lists it with its platform alone (`{"p": "button"}`). Given the payload
 * last published on the same topic, this adds those markers for the components that are gone
 * (a command the UPS stopped listing, an entity switched off). Entity-mode messages, and
 * components already marked last time, pass unchanged.
 */
export function markRemovedComponents(previousPayload: string | undefined, next: DiscoveryMessage): DiscoveryMessage {
  if (previousPayload === undefined || previousPayload === '' || next.payload === '') return next;
  let before: unknown;
  let after: unknown;
  try {
    before = JSON.parse(previousPayload);
    after = JSON.parse(next.payload);
  } catch {
    return next;
  }
  const prev = (before as Json | null)?.cmps;
  const now = (after as Json | null)?.cmps;
  if (typeof prev !== 'object' || prev === null || typeof now !== 'object' || now === null) return next;
  const cmps = { ...(now as Json) };
  let added = false;
  for (const [key, c] of Object.entries(prev as Json)) {
    const platform = (c as Json | null)?.p;
    if (key in cmps || typeof platform !== 'string' || Object.keys(c as Json).length === 1) continue;
    cmps[key] = { p: platform };
    added = true;
  }
  return added ? { topic: next.topic, payload: JSON.stringify({ ...(after as Json), cmps }) } : next;
}
