import { NON_NUMERIC_SENSOR_CLASSES } from './ha-rules.js';
import type { Entity } from './ha-discovery-check.js';

/**
 * What an entity would show, for the discovery checker: the value its template reads from the
 * retained state, checked against what the entity declares (number, boolean, ISO time, option).
 */

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `value_json.a.b` or `value_json.vars['x.y']`: the path the templates this gateway writes use. */
function templatePath(template: string): string[] | undefined {
  const m = /value_json((?:\.[A-Za-z_][A-Za-z0-9_]*|\['[^']*'\])+)/.exec(template);
  if (!m) return undefined;
  return [...m[1]!.matchAll(/\.([A-Za-z_][A-Za-z0-9_]*)|\['([^']*)'\]/g)].map((x) => x[1] ?? x[2]!);
}

export function checkRenderedValue(e: Entity, states: Readonly<Record<string, string>>, say: (what: string) => void): void {
  const c = e.config;
  const topic = typeof c.state_topic === 'string' ? c.state_topic : undefined;
  if (topic === undefined || !(topic in states) || typeof c.value_template !== 'string') return;
  const path = templatePath(c.value_template);
  if (!path) return;
  let value: unknown;
  try {
    value = JSON.parse(states[topic]!);
  } catch {
    return say(`reads value_json from ${topic}, whose payload is not JSON`);
  }
  for (const step of path) {
    if (!isObject(value) || !(step in value)) return say(`reads value_json.${path.join('.')}, which the state on ${topic} does not have`);
    value = value[step];
  }
  if (value === null) return; // rendered as None: HA shows unknown
  const cls = c.device_class === undefined ? undefined : String(c.device_class);
  if (e.platform === 'binary_sensor') {
    if (typeof value !== 'boolean') say(`binary sensor reads ${JSON.stringify(value)}, not a boolean`);
  } else if (e.platform === 'sensor') {
    const numeric = c.unit_of_measurement !== undefined || c.state_class !== undefined || (cls !== undefined && !NON_NUMERIC_SENSOR_CLASSES.has(cls));
    if (cls === 'timestamp') {
      if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) say(`timestamp sensor reads ${JSON.stringify(value)}, not an ISO 8601 time`);
    } else if (cls === 'enum') {
      if (!Array.isArray(c.options) || !c.options.includes(value)) say(`enum sensor reads ${JSON.stringify(value)}, not one of its options`);
    } else if (numeric && typeof value !== 'number') {
      say(`numeric sensor (unit/state_class/device_class) reads ${JSON.stringify(value)}, not a number`);
    } else if (!numeric && typeof value === 'object') {
      say('text sensor reads an object');
    }
  } else if (e.platform === 'select') {
    if (!Array.isArray(c.options) || !c.options.includes(String(value))) say(`select reads ${JSON.stringify(value)}, not one of its options`);
  } else if (e.platform === 'text') {
    const max = typeof c.max === 'number' ? c.max : 255;
    if (typeof value === 'object' || String(value).length > max) say(`text reads ${JSON.stringify(value)}, longer than its max ${max} or not text`);
  } else if (e.platform === 'number' && typeof value !== 'number') {
    say(`number reads ${JSON.stringify(value)}, not a number`);
  }
}

