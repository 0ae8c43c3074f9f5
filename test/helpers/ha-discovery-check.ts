import {
  ABBREVIATIONS, ALLOWED_STATE_CLASSES, BINARY_SENSOR_CLASSES, BUTTON_CLASSES, DEVICE_ABBREVIATIONS, EVENT_CLASSES, expand,
  NON_NUMERIC_SENSOR_CLASSES, ORIGIN_ABBREVIATIONS, PLATFORMS, SENSOR_UNITS, STATE_CLASSES, SWITCH_CLASSES,
} from './ha-rules.js';
import { checkRenderedValue } from './ha-rendered-values.js';

/**
 * Checks a set of retained Home Assistant discovery messages (one gateway's, or several gateways'
 * concatenated) against HA's rules and returns what is wrong, one line per problem; [] is good.
 * Reads both layouts: device-based (`<prefix>/device/<node>/config` with dev/o/cmps) and
 * per-entity (`<prefix>/<platform>/[<node>/]<object>/config`), full keys or abbreviations.
 *
 * With `states` (topic -> retained payload) it also renders what each entity would read and
 * checks the value fits: numbers for numeric sensors, booleans for binary ones, ISO times for
 * timestamps, an option for a select.
 */

export interface Message {
  topic: string;
  payload: string;
}

export interface CheckOptions {
  states?: Readonly<Record<string, string>>;
}

type Json = Record<string, unknown>;

export interface Entity {
  where: string;
  platform: string;
  config: Json;
  device: Json | undefined;
}

const DISCOVERY_ID = /^[a-zA-Z0-9_-]+$/;
const ENTITY_ID_TAIL = /^[a-z0-9_]+$/;
const CONTROL = /[\p{Cc}]/u;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export function checkDiscovery(messages: readonly Message[], options: CheckOptions = {}): string[] {
  const problems: string[] = [];
  const entities: Entity[] = [];
  for (const m of messages) {
    if (m.payload === '') continue; // a cleared config
    let payload: unknown;
    try {
      payload = JSON.parse(m.payload);
    } catch {
      problems.push(`${m.topic}: payload is not JSON`);
      continue;
    }
    if (!isObject(payload)) {
      problems.push(`${m.topic}: payload is not a JSON object`);
      continue;
    }
    entities.push(...readMessage(m.topic, payload, problems));
  }
  for (const e of entities) checkEntity(e, problems, options);
  checkUniqueness(entities, problems);
  checkDevices(entities, problems);
  checkTopicRoots(entities, problems);
  return problems;
}

// ---- reading the two layouts -----------------------------------------------------------------------

function readMessage(topic: string, raw: Json, problems: string[]): Entity[] {
  const parts = topic.split('/');
  if (parts.at(-1) !== 'config' || parts.length < 4 || parts.length > 5) {
    problems.push(`${topic}: not a discovery topic (<prefix>/<component>/[<node>/]<object>/config)`);
    return [];
  }
  const ids = parts.slice(2, -1);
  for (const id of ids) if (!DISCOVERY_ID.test(id)) problems.push(`${topic}: "${id}" has characters HA refuses in a discovery topic`);
  const payload = expand(raw, ABBREVIATIONS);
  const origin = isObject(payload.origin) ? expand(payload.origin, ORIGIN_ABBREVIATIONS) : undefined;
  if (!origin || typeof origin.name !== 'string' || origin.name === '') problems.push(`${topic}: no origin with a name`);
  const device = isObject(payload.device) ? expand(payload.device, DEVICE_ABBREVIATIONS) : undefined;

  if (parts[1] === 'device') {
    if (parts.length !== 4) problems.push(`${topic}: device discovery is <prefix>/device/<id>/config`);
    if (!device) problems.push(`${topic}: device discovery without a device block`);
    const components = payload.components;
    if (!isObject(components) || Object.keys(components).length === 0) {
      problems.push(`${topic}: device discovery without components`);
      return [];
    }
    // Options at the top level are shared by every component; a component's own take precedence.
    const shared: Json = {};
    for (const [k, v] of Object.entries(payload)) if (!['device', 'origin', 'components'].includes(k)) shared[k] = v;
    return Object.entries(components).flatMap(([key, c]) => {
      const where = `${topic}#${key}`;
      if (!DISCOVERY_ID.test(key)) problems.push(`${where}: component id has characters HA refuses`);
      if (!isObject(c)) {
        problems.push(`${where}: component is not an object`);
        return [];
      }
      // `{"p": "sensor"}` alone is how device discovery removes a component: nothing to check.
      if (Object.keys(c).length === 1 && typeof (c.p ?? c.platform) === 'string') return [];
      const config = { ...shared, ...expand(c, ABBREVIATIONS) };
      const platform = typeof config.platform === 'string' ? config.platform : '';
      delete config.platform;
      return [{ where, platform, config, device }];
    });
  }
  const config = { ...payload };
  delete config.device;
  delete config.origin;
  return [{ where: topic, platform: parts[1]!, config, device }];
}

// ---- one entity ------------------------------------------------------------------------------------

function checkEntity(e: Entity, problems: string[], options: CheckOptions): void {
  const say = (what: string) => problems.push(`${e.where}: ${what}`);
  const c = e.config;
  if (!PLATFORMS.has(e.platform)) {
    say(`unknown platform "${e.platform}"`);
    return;
  }
  checkRequired(e, say);
  checkClassAndUnit(e, say);
  checkName(e, say);
  if (typeof c.unique_id !== 'string' || c.unique_id === '') say('no unique_id');
  if (c.object_id !== undefined && (typeof c.object_id !== 'string' || !ENTITY_ID_TAIL.test(c.object_id))) say(`object_id "${String(c.object_id)}" is not [a-z0-9_]`);
  if (c.default_entity_id !== undefined) {
    const d = String(c.default_entity_id);
    if (!d.startsWith(`${e.platform}.`) || !ENTITY_ID_TAIL.test(d.slice(e.platform.length + 1))) say(`default_entity_id "${d}" is not ${e.platform}.<[a-z0-9_]>`);
  }
  if (c.entity_category !== undefined) {
    if (c.entity_category !== 'config' && c.entity_category !== 'diagnostic') say(`entity_category "${String(c.entity_category)}" is not config or diagnostic`);
    else if (c.entity_category === 'config' && ['sensor', 'binary_sensor', 'event'].includes(e.platform)) say(`a ${e.platform} cannot have entity_category config`);
  }
  if (c.enabled_by_default !== undefined && typeof c.enabled_by_default !== 'boolean') say('enabled_by_default is not a boolean');
  checkAvailability(c, say);
  for (const key of ['state_topic', 'command_topic', 'json_attributes_topic'] as const) {
    if (c[key] === undefined) continue;
    const problem = topicProblem(c[key], key === 'command_topic');
    if (problem) say(`${key} ${problem}`);
  }
  for (const key of ['value_template', 'json_attributes_template'] as const) {
    if (c[key] !== undefined && !templateLooksValid(c[key])) say(`${key} is not a template with balanced {{ }} / {% %}`);
  }
  if (c.json_attributes_template !== undefined && c.json_attributes_topic === undefined) say('json_attributes_template without json_attributes_topic');
  if (options.states) checkRenderedValue(e, options.states, say);
}

function checkRequired(e: Entity, say: (what: string) => void): void {
  const c = e.config;
  const need = (key: string) => {
    if (typeof c[key] !== 'string' || c[key] === '') say(`${e.platform} needs ${key}`);
  };
  switch (e.platform) {
    case 'sensor':
    case 'binary_sensor':
      need('state_topic');
      break;
    case 'button':
    case 'switch':
      need('command_topic');
      break;
    case 'text': {
      need('command_topic');
      const min = c.min ?? 0;
      const max = c.max ?? 255;
      if (typeof min !== 'number' || typeof max !== 'number' || min < 0 || max > 255 || min > max) say(`text needs 0 <= min <= max <= 255 (min ${String(min)}, max ${String(max)})`);
      if (c.mode !== undefined && !['text', 'password'].includes(String(c.mode))) say(`text mode "${String(c.mode)}" is not text or password`);
      break;
    }
    case 'select': {
      need('command_topic');
      const opts = c.options;
      if (!Array.isArray(opts) || opts.length === 0) say('select needs a non-empty options list');
      else if (opts.some((o) => typeof o !== 'string')) say('select options must be strings');
      else if (new Set(opts).size !== opts.length) say('select options repeat');
      break;
    }
    case 'number': {
      need('command_topic');
      const min = c.min ?? 1;
      const max = c.max ?? 100;
      if (typeof min !== 'number' || typeof max !== 'number' || !(min < max)) say(`number needs min < max (min ${String(min)}, max ${String(max)})`);
      if (c.step !== undefined && !(typeof c.step === 'number' && c.step > 0)) say('number step must be > 0');
      if (c.mode !== undefined && !['auto', 'box', 'slider'].includes(String(c.mode))) say(`number mode "${String(c.mode)}" is not auto, box or slider`);
      break;
    }
    case 'event': {
      need('state_topic');
      const types = c.event_types;
      if (!Array.isArray(types) || types.length === 0 || types.some((t) => typeof t !== 'string' || t === '')) say('event needs event_types, a non-empty list of names');
      break;
    }
  }
  if (e.platform === 'sensor' && c.device_class === 'enum' && (!Array.isArray(c.options) || c.options.length === 0)) say('an enum sensor needs options');
  if (e.platform === 'sensor' && c.options !== undefined && c.device_class !== 'enum') say('options on a sensor that is not device_class enum');
}

/** device_class for the platform, unit for the class, state_class for the class; text stays text. */
function checkClassAndUnit(e: Entity, say: (what: string) => void): void {
  const c = e.config;
  const cls = c.device_class === undefined || c.device_class === null ? undefined : String(c.device_class);
  const unit = c.unit_of_measurement === undefined || c.unit_of_measurement === null ? undefined : String(c.unit_of_measurement);
  const stateClass = c.state_class === undefined || c.state_class === null ? undefined : String(c.state_class);
  const classes: Record<string, Set<string> | undefined> = {
    binary_sensor: BINARY_SENSOR_CLASSES, button: BUTTON_CLASSES, event: EVENT_CLASSES, switch: SWITCH_CLASSES, select: new Set(), text: new Set(),
  };
  if (e.platform === 'sensor' || e.platform === 'number') {
    if (cls !== undefined && (!SENSOR_UNITS.has(cls) || (e.platform === 'number' && NON_NUMERIC_SENSOR_CLASSES.has(cls)))) say(`device_class "${cls}" is not a ${e.platform} device class`);
  } else if (cls !== undefined && !classes[e.platform]?.has(cls)) {
    say(`device_class "${cls}" is not a ${e.platform} device class`);
  }
  if (e.platform !== 'sensor' && e.platform !== 'number') {
    if (unit !== undefined) say(`a ${e.platform} has no unit_of_measurement`);
    if (stateClass !== undefined) say(`a ${e.platform} has no state_class`);
    return;
  }
  if (cls !== undefined && SENSOR_UNITS.has(cls)) {
    const units = SENSOR_UNITS.get(cls);
    if (units && units.length === 0 && unit !== undefined) say(`device_class ${cls} takes no unit, got "${unit}"`);
    if (units && units.length > 0 && (unit === undefined || !units.includes(unit))) say(`device_class ${cls} needs a unit of ${units.join(' ')}, got ${unit === undefined ? 'none' : `"${unit}"`}`);
  }
  if (c.suggested_display_precision !== undefined) {
    const p = c.suggested_display_precision;
    if (typeof p !== 'number' || !Number.isInteger(p) || p < 0) say('suggested_display_precision must be an integer >= 0');
    if (cls !== undefined && NON_NUMERIC_SENSOR_CLASSES.has(cls)) say(`suggested_display_precision on a ${cls} sensor`);
  }
  if (e.platform === 'number') {
    if (stateClass !== undefined) say('a number has no state_class');
    return;
  }
  if (stateClass !== undefined) {
    if (!STATE_CLASSES.has(stateClass)) say(`state_class "${stateClass}" is not one of ${[...STATE_CLASSES].join(' ')}`);
    const allowed = cls === undefined ? undefined : ALLOWED_STATE_CLASSES.get(cls);
    if (allowed && !allowed.includes(stateClass)) say(`device_class ${cls} allows state_class ${allowed.join(' or ') || 'none'}, got "${stateClass}"`);
  }
  if (cls === 'energy' && stateClass === undefined) say('an energy sensor needs state_class total or total_increasing (the Energy dashboard reads only those)');
}

function checkName(e: Entity, say: (what: string) => void): void {
  const name = e.config.name;
  if (!('name' in e.config)) return say('no name (null names the main entity after the device; leave it out and HA names it "MQTT …")');
  if (name === null) return;
  if (typeof name !== 'string') return say('name is not a string');
  if (name.trim() === '') return say('name is empty');
  if (CONTROL.test(name)) say('name holds control characters');
  const deviceName = typeof e.device?.name === 'string' ? e.device.name.trim().toLowerCase() : '';
  if (deviceName !== '' && name.trim().toLowerCase().startsWith(deviceName)) say(`name "${name}" begins with the device name "${String(e.device!.name)}" (HA 2023.8+ strips it)`);
}

function checkAvailability(c: Json, say: (what: string) => void): void {
  if (c.availability !== undefined && c.availability_topic !== undefined) say('availability and availability_topic together');
  const list = c.availability;
  if (list === undefined && c.availability_topic === undefined) return say('no availability: entities would stay available with the gateway gone');
  if (list !== undefined) {
    if (!Array.isArray(list) || list.length === 0) return say('availability is not a non-empty list');
    for (const a of list) {
      const topic = isObject(a) ? a.topic ?? a.t : undefined;
      const problem = topicProblem(topic, false);
      if (problem) say(`availability topic ${problem}`);
    }
  } else {
    const problem = topicProblem(c.availability_topic, false);
    if (problem) say(`availability_topic ${problem}`);
  }
  if (c.availability_mode !== undefined && !['all', 'any', 'latest'].includes(String(c.availability_mode))) say(`availability_mode "${String(c.availability_mode)}" is not all, any or latest`);
}

function topicProblem(topic: unknown, publish: boolean): string | undefined {
  if (typeof topic !== 'string' || topic === '') return 'is missing or empty';
  if (topic.includes('\0')) return `"${topic}" holds NUL`;
  if (topic.trim() !== topic) return `"${topic}" has surrounding blanks`;
  if (Buffer.byteLength(topic) > 65535) return 'is longer than MQTT allows';
  if (publish && /[+#]/.test(topic)) return `"${topic}" holds a wildcard, not publishable`;
  return undefined;
}

function templateLooksValid(t: unknown): boolean {
  if (typeof t !== 'string' || t.trim() === '') return false;
  const count = (s: string) => t.split(s).length - 1;
  return count('{{') === count('}}') && count('{%') === count('%}') && (count('{{') > 0 || count('{%') > 0);
}

// ---- the set as a whole ----------------------------------------------------------------------------

function checkUniqueness(entities: Entity[], problems: string[]): void {
  const seen = new Map<string, string>();
  const seenEntityIds = new Map<string, string>();
  for (const e of entities) {
    const id = e.config.unique_id;
    if (typeof id === 'string' && id !== '') {
      const first = seen.get(id);
      if (first) problems.push(`${e.where}: unique_id "${id}" is also used by ${first}`);
      else seen.set(id, e.where);
    }
    const entityId = e.config.default_entity_id;
    if (typeof entityId === 'string') {
      const first = seenEntityIds.get(entityId);
      if (first) problems.push(`${e.where}: default_entity_id "${entityId}" is also used by ${first}`);
      else seenEntityIds.set(entityId, e.where);
    }
  }
}

function identifiersOf(device: Json | undefined): string[] | undefined {
  const ids = device?.identifiers;
  if (typeof ids === 'string' && ids !== '') return [ids];
  if (Array.isArray(ids) && ids.length > 0 && ids.every((i) => typeof i === 'string' && i !== '')) return ids as string[];
  return undefined;
}

/** Every entity on a device with identifiers and a name; UPSes hang off a gateway by via_device. */
function checkDevices(entities: Entity[], problems: string[]): void {
  const devices = new Map<string, { device: Json; where: string }>();
  for (const e of entities) {
    const ids = identifiersOf(e.device);
    if (!ids) {
      problems.push(`${e.where}: no device with identifiers`);
      continue;
    }
    const d = e.device!;
    if (typeof d.name !== 'string' || d.name.trim() === '') problems.push(`${e.where}: device has no name`);
    else if (CONTROL.test(d.name)) problems.push(`${e.where}: device name holds control characters`);
    const key = ids[0]!;
    const known = devices.get(key);
    if (!known) devices.set(key, { device: d, where: e.where });
    else if (JSON.stringify(known.device) !== JSON.stringify(d)) problems.push(`${e.where}: device ${key} described differently than in ${known.where}`);
  }
  const allIds = new Set([...devices.values()].flatMap(({ device }) => identifiersOf(device)!));
  const pointedAt = new Set<string>();
  for (const [key, { device, where }] of devices) {
    const via = device.via_device;
    if (via === undefined) continue;
    if (typeof via !== 'string' || !allIds.has(via)) problems.push(`${where}: device ${key} has via_device "${String(via)}", which is no device in this set`);
    else if (identifiersOf(device)!.includes(via)) problems.push(`${where}: device ${key} is its own via_device`);
    else pointedAt.add(via);
  }
  if (devices.size < 2) return;
  // A device that neither hangs off another nor carries any: a UPS that lost its via_device.
  for (const [key, { device, where }] of devices) {
    if (device.via_device === undefined && !identifiersOf(device)!.some((i) => pointedAt.has(i))) problems.push(`${where}: device ${key} has no via_device and no device hangs off it`);
  }
}

function parentOf(topic: string): string {
  return topic.slice(0, Math.max(0, topic.lastIndexOf('/')));
}

/**
 * A device's topics live in one folder: the folder of the state topic most of its entities read.
 * An entity reading or commanding outside it reads another device's data; two devices with the
 * same folder would show each other's values.
 */
function checkTopicRoots(entities: Entity[], problems: string[]): void {
  const byDevice = new Map<string, Entity[]>();
  for (const e of entities) {
    const ids = identifiersOf(e.device);
    if (ids) byDevice.set(ids[0]!, [...(byDevice.get(ids[0]!) ?? []), e]);
  }
  const roots = new Map<string, string>();
  for (const [device, list] of byDevice) {
    const votes = new Map<string, number>();
    for (const e of list) if (typeof e.config.state_topic === 'string') votes.set(parentOf(e.config.state_topic), (votes.get(parentOf(e.config.state_topic)) ?? 0) + 1);
    const root = [...votes].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0];
    if (root === undefined) continue;
    const other = roots.get(root);
    if (other) problems.push(`device ${device} reads its state under ${root}/, as device ${other} does`);
    roots.set(root, device);
    for (const e of list) {
      for (const key of ['state_topic', 'command_topic', 'json_attributes_topic'] as const) {
        const t = e.config[key];
        if (typeof t === 'string' && !t.startsWith(`${root}/`)) problems.push(`${e.where}: ${key} ${t} is outside its device's topics (${root}/)`);
      }
    }
  }
}
