import type { Device } from '../core/device.js';
import { numberOf, realPower, runtimeSeconds, statusText, textOf } from '../core/readings.js';
import { POWER_EVENTS } from './status-events.js';

/**
 * The Home Assistant entities a UPS gets, as data: what each is called, how HA should treat it
 * (device_class, unit, state_class), and how its value comes out of a Device. discovery.ts turns
 * this into discovery payloads and ups-state.ts into the retained state JSON, so the two cannot
 * disagree about a key. The table follows ECOSYSTEM.md §4.
 */

export type Platform = 'sensor' | 'binary_sensor' | 'button' | 'select' | 'number' | 'text' | 'event';

/** Where an entity reads its state: the UPS's state JSON, its availability, its events or its outage topic. */
export type StateSource = 'state' | 'availability' | 'events' | 'outage';

export interface StateExtras {
  /** Energy integrated by the bridge from real power, kept across restarts. */
  energyKwh?: number;
}

/** Fields every entity has, whatever it reads or commands. */
export interface EntityBase {
  /** snake_case; the key in the state JSON, and the tail of unique_id and default_entity_id. */
  key: string;
  platform: Platform;
  /** Never holds the device name (HA 2023.8+ strips it and raises a repair issue). */
  name: string;
  deviceClass?: string;
  unit?: string;
  stateClass?: 'measurement' | 'total' | 'total_increasing';
  category?: 'diagnostic' | 'config';
  /** Defaults to true. */
  enabledByDefault?: boolean;
  /** Only where the device_class gives HA no icon of its own. */
  icon?: string;
  precision?: number;
}

/** A sensor or binary sensor whose value is a key of the state JSON. */
export interface StateEntity extends EntityBase {
  platform: 'sensor' | 'binary_sensor';
  /**
   * The NUT variables it needs, as alternatives: the entity exists when every name of at least
   * one list exists on the Device. Entities for things a UPS does not report would only ever
   * show "unknown".
   */
  needs: readonly (readonly string[])[];
  value(device: Device, extras: StateExtras): string | number | boolean | null;
  /** Further state keys shown as attributes (attribute name -> state key). */
  attributes?: Readonly<Record<string, string>>;
  /** State keys computed alongside this entity (they exist whenever it does). */
  companions?: Readonly<Record<string, (device: Device) => string | number | boolean | null>>;
}

// ---- status tokens -----------------------------------------------------------------------------

/**
 * Whether a status token is set. WAIT (upsd has no data yet) and an empty status mean "not
 * known", so every binary sensor is then null (HA: unknown), never a confident "off".
 */
function token(device: Device, ...names: string[]): boolean | null {
  const tokens = device.statusTokens();
  if (tokens.length === 0 || tokens.includes('WAIT')) return null;
  return names.some((n) => tokens.includes(n));
}

// ---- the table -------------------------------------------------------------------------------

const has = (...names: string[]): readonly (readonly string[])[] => [names];
const reading = (name: string) => (d: Device) => numberOf(d, name);
const text = (name: string) => (d: Device) => textOf(d, name);
const REAL_POWER_SOURCES = [['ups.realpower'], ['ups.load', 'ups.realpower.nominal']] as const;

export const STATE_ENTITIES: readonly StateEntity[] = [
  { key: 'battery_charge', platform: 'sensor', name: 'Battery charge', deviceClass: 'battery', unit: '%', stateClass: 'measurement', precision: 0, needs: has('battery.charge'), value: reading('battery.charge') },
  // Enabled although HA's NUT integration hides it: runtime is what users watch in an outage.
  { key: 'battery_runtime', platform: 'sensor', name: 'Battery runtime', deviceClass: 'duration', unit: 's', stateClass: 'measurement', precision: 0, needs: has('battery.runtime'), value: runtimeSeconds },
  // No HA device class fits a load percentage (power_factor would be wrong).
  { key: 'load', platform: 'sensor', name: 'Load', unit: '%', stateClass: 'measurement', icon: 'mdi:gauge', precision: 0, needs: has('ups.load'), value: reading('ups.load') },
  { key: 'input_voltage', platform: 'sensor', name: 'Input voltage', deviceClass: 'voltage', unit: 'V', stateClass: 'measurement', precision: 1, needs: has('input.voltage'), value: reading('input.voltage') },
  { key: 'output_voltage', platform: 'sensor', name: 'Output voltage', deviceClass: 'voltage', unit: 'V', stateClass: 'measurement', precision: 1, needs: has('output.voltage'), value: reading('output.voltage') },
  { key: 'input_frequency', platform: 'sensor', name: 'Input frequency', deviceClass: 'frequency', unit: 'Hz', stateClass: 'measurement', category: 'diagnostic', precision: 1, needs: has('input.frequency'), value: reading('input.frequency') },
  { key: 'output_frequency', platform: 'sensor', name: 'Output frequency', deviceClass: 'frequency', unit: 'Hz', stateClass: 'measurement', category: 'diagnostic', precision: 1, needs: has('output.frequency'), value: reading('output.frequency') },
  { key: 'output_current', platform: 'sensor', name: 'Output current', deviceClass: 'current', unit: 'A', stateClass: 'measurement', category: 'diagnostic', precision: 2, needs: has('output.current'), value: reading('output.current') },
  {
    key: 'realpower', platform: 'sensor', name: 'Real power', deviceClass: 'power', unit: 'W', stateClass: 'measurement', precision: 0,
    needs: REAL_POWER_SOURCES,
    value: (d) => realPower(d).watts,
    // Users must be able to tell an estimate from a measurement (ECOSYSTEM §4).
    attributes: { derived: 'realpower_derived' },
    companions: { realpower_derived: (d) => realPower(d).derived },
  },
  { key: 'apparent_power', platform: 'sensor', name: 'Apparent power', deviceClass: 'apparent_power', unit: 'VA', stateClass: 'measurement', category: 'diagnostic', precision: 0, needs: has('ups.power'), value: reading('ups.power') },
  // The bridge integrates real power; the entity exists exactly when real power does.
  { key: 'energy', platform: 'sensor', name: 'Energy', deviceClass: 'energy', unit: 'kWh', stateClass: 'total_increasing', precision: 3, needs: REAL_POWER_SOURCES, value: (_d, x) => (x.energyKwh !== undefined && Number.isFinite(x.energyKwh) ? x.energyKwh : null) },
  { key: 'battery_voltage', platform: 'sensor', name: 'Battery voltage', deviceClass: 'voltage', unit: 'V', stateClass: 'measurement', category: 'diagnostic', precision: 1, needs: has('battery.voltage'), value: reading('battery.voltage') },
  { key: 'ups_temperature', platform: 'sensor', name: 'Temperature', deviceClass: 'temperature', unit: '°C', stateClass: 'measurement', category: 'diagnostic', precision: 1, needs: has('ups.temperature'), value: reading('ups.temperature') },
  { key: 'battery_temperature', platform: 'sensor', name: 'Battery temperature', deviceClass: 'temperature', unit: '°C', stateClass: 'measurement', category: 'diagnostic', precision: 1, needs: has('battery.temperature'), value: reading('battery.temperature') },
  // Plain text, not device_class enum: token combinations are open-ended and an enum state outside its options is an HA error.
  { key: 'status_text', platform: 'sensor', name: 'Status', icon: 'mdi:information-outline', needs: has('ups.status'), value: (d) => statusText(d.statusTokens()) },
  { key: 'status', platform: 'sensor', name: 'Status code', icon: 'mdi:code-brackets', category: 'diagnostic', enabledByDefault: false, needs: has('ups.status'), value: (d) => d.statusTokens().join(' ') || null },
  // Drivers delete ups.alarm when the alarm clears, so the entity hangs on ups.status to stay put.
  { key: 'alarm', platform: 'sensor', name: 'Alarm', icon: 'mdi:alert-outline', category: 'diagnostic', needs: has('ups.status'), value: text('ups.alarm') },
  { key: 'test_result', platform: 'sensor', name: 'Self-test result', icon: 'mdi:clipboard-check-outline', category: 'diagnostic', needs: has('ups.test.result'), value: text('ups.test.result') },
  { key: 'beeper_status', platform: 'sensor', name: 'Beeper', icon: 'mdi:volume-high', category: 'diagnostic', needs: has('ups.beeper.status'), value: text('ups.beeper.status') },

  { key: 'online', platform: 'binary_sensor', name: 'Online', deviceClass: 'power', needs: has('ups.status'), value: (d) => token(d, 'OL') },
  { key: 'on_battery', platform: 'binary_sensor', name: 'On battery', icon: 'mdi:battery-arrow-down', needs: has('ups.status'), value: (d) => token(d, 'OB') },
  // FSD counts as low battery: it is what upsmon acts on when a primary gives up.
  { key: 'low_battery', platform: 'binary_sensor', name: 'Low battery', deviceClass: 'battery', needs: has('ups.status'), value: (d) => token(d, 'LB', 'FSD') },
  { key: 'charging', platform: 'binary_sensor', name: 'Charging', deviceClass: 'battery_charging', category: 'diagnostic', needs: has('ups.status'), value: (d) => token(d, 'CHRG') },
  { key: 'replace_battery', platform: 'binary_sensor', name: 'Replace battery', deviceClass: 'problem', category: 'diagnostic', needs: has('ups.status'), value: (d) => token(d, 'RB') },
  { key: 'overload', platform: 'binary_sensor', name: 'Overload', deviceClass: 'problem', category: 'diagnostic', needs: has('ups.status'), value: (d) => token(d, 'OVER') },
  { key: 'bypass', platform: 'binary_sensor', name: 'Bypass', deviceClass: 'problem', category: 'diagnostic', needs: has('ups.status'), value: (d) => token(d, 'BYPASS') },
  { key: 'forced_shutdown', platform: 'binary_sensor', name: 'Forced shutdown', deviceClass: 'problem', category: 'diagnostic', needs: has('ups.status'), value: (d) => token(d, 'FSD') },
];

/** Whether the Device reports what an entity needs. */
export function present(device: Device, needs: readonly (readonly string[])[]): boolean {
  return needs.some((all) => all.every((name) => device.getVariable(name) !== undefined));
}

/** The state entities this Device gets, in table order. */
export function stateEntitiesOf(device: Device): StateEntity[] {
  return STATE_ENTITIES.filter((e) => present(device, e.needs));
}

// ---- entities on the UPS's other topics ---------------------------------------------------------

/** Event types on the events topic: NUT's notify types, the list the bridge publishes from. */
export const POWER_EVENT_TYPES = POWER_EVENTS;

/** An entity that reads a topic other than the state JSON. */
export interface TopicEntity extends EntityBase {
  platform: 'sensor' | 'binary_sensor' | 'event';
  source: Exclude<StateSource, 'state'>;
  /** The JSON field read on an outage topic. */
  field?: string;
  needs: readonly (readonly string[])[];
}

export const TOPIC_ENTITIES: readonly TopicEntity[] = [
  // Its state is the UPS availability topic itself, so its own availability is only the gateway's:
  // otherwise it would go unavailable exactly when it should say "disconnected".
  { key: 'data', platform: 'binary_sensor', name: 'Data', deviceClass: 'connectivity', category: 'diagnostic', source: 'availability', needs: [[]] },
  { key: 'power_event', platform: 'event', name: 'Power event', icon: 'mdi:flash-alert', source: 'events', needs: [[]] },
  { key: 'outage_started', platform: 'sensor', name: 'Outage started', deviceClass: 'timestamp', source: 'outage', field: 'started_at', needs: has('ups.status') },
  { key: 'estimated_depletion', platform: 'sensor', name: 'Estimated depletion', deviceClass: 'timestamp', source: 'outage', field: 'estimated_depletion_at', needs: has('battery.runtime') },
];

export function topicEntitiesOf(device: Device): TopicEntity[] {
  return TOPIC_ENTITIES.filter((e) => present(device, e.needs));
}
