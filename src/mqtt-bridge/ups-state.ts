import type { Device } from '../core/device.js';
import { stateEntitiesOf, type StateExtras } from './ups-entities.js';

/**
 * The retained JSON on `<base>/<ups>/state`: one top-level key per state entity of this Device
 * (what the discovery templates read as `value_json.<key>`), the raw `status`, and `vars`, every
 * NUT variable, for templates and automations of the user's own.
 *
 * A missing value is null, never "" or a guess: the templates render it as None, which HA shows
 * as unknown instead of logging a "non-numeric value" error.
 */
export function upsState(device: Device, extras: StateExtras = {}): Record<string, unknown> {
  const state: Record<string, unknown> = {};
  for (const e of stateEntitiesOf(device)) {
    state[e.key] = e.value(device, extras);
    for (const [key, value] of Object.entries(e.companions ?? {})) state[key] = value(device);
  }
  // The tokens as clients see them, FSD included; present even for a UPS without ups.status.
  state.status = device.statusTokens().join(' ') || null;
  state.vars = varsOf(device);
  return state;
}

/**
 * Decimal numbers without leading zeros: those survive a round trip through a JSON number.
 * "0002" (ups.productid) or "051d" stay text, so nothing a user copies from here loses a digit.
 */
const CANONICAL_NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?$/;

function varsOf(device: Device): Record<string, string | number> {
  // No prototype: a driver's variable called __proto__ must be a key, not a prototype change.
  const vars = Object.create(null) as Record<string, string | number>;
  for (const v of device.variables()) {
    const n = !v.flags.string && CANONICAL_NUMBER.test(v.value) ? Number(v.value) : Number.NaN;
    vars[v.name] = Number.isFinite(n) ? n : v.value;
  }
  return vars;
}
