/**
 * Home Assistant's rules for MQTT entities, as data, for the discovery checker. Sources: HA's
 * developer docs (sensor entity: device classes, their units, state classes), the MQTT
 * integration docs (abbreviations, per-platform options), homeassistant/const.py unit constants.
 * Only what a UPS gateway can run into is spelled out in full; other classes are known by name.
 */

export const PLATFORMS = new Set(['sensor', 'binary_sensor', 'button', 'select', 'number', 'event', 'switch', 'text']);

/** Sensor device classes with the units HA accepts for each ([] = no unit allowed). */
export const SENSOR_UNITS: ReadonlyMap<string, readonly string[] | undefined> = new Map<string, readonly string[] | undefined>([
  ['apparent_power', ['mVA', 'VA', 'kVA']],
  ['aqi', []],
  ['area', ['m²', 'cm²', 'km²', 'mm²', 'in²', 'ft²', 'yd²', 'mi²', 'ac', 'ha']],
  ['atmospheric_pressure', ['cbar', 'bar', 'hPa', 'mmHg', 'inHg', 'kPa', 'mbar', 'Pa', 'psi']],
  ['battery', ['%']],
  ['carbon_dioxide', ['ppm']],
  ['carbon_monoxide', ['ppm', 'mg/m³', 'µg/m³']],
  ['current', ['A', 'mA']],
  ['data_rate', undefined],
  ['data_size', undefined],
  ['date', []],
  ['distance', ['km', 'm', 'cm', 'mm', 'mi', 'nmi', 'yd', 'in', 'ft']],
  ['duration', ['d', 'h', 'min', 's', 'ms', 'µs']],
  ['energy', ['J', 'kJ', 'MJ', 'GJ', 'mWh', 'Wh', 'kWh', 'MWh', 'GWh', 'TWh', 'cal', 'kcal', 'Mcal', 'Gcal']],
  ['energy_storage', ['J', 'kJ', 'MJ', 'GJ', 'mWh', 'Wh', 'kWh', 'MWh', 'GWh', 'TWh', 'cal', 'kcal', 'Mcal', 'Gcal']],
  ['enum', []],
  ['frequency', ['Hz', 'kHz', 'MHz', 'GHz']],
  ['gas', undefined],
  ['humidity', ['%']],
  ['illuminance', ['lx']],
  ['irradiance', undefined],
  ['moisture', ['%']],
  ['monetary', undefined],
  ['nitrogen_dioxide', undefined],
  ['nitrogen_monoxide', undefined],
  ['nitrous_oxide', undefined],
  ['ozone', undefined],
  ['ph', []],
  ['pm1', undefined],
  ['pm10', undefined],
  ['pm25', undefined],
  ['power', ['mW', 'W', 'kW', 'MW', 'GW', 'TW', 'BTU/h']],
  ['power_factor', ['%']],
  ['precipitation', undefined],
  ['precipitation_intensity', undefined],
  ['pressure', ['cbar', 'bar', 'hPa', 'mmHg', 'inHg', 'kPa', 'mbar', 'Pa', 'psi']],
  ['reactive_power', ['var', 'kvar']],
  ['signal_strength', ['dB', 'dBm']],
  ['sound_pressure', ['dB', 'dBA']],
  ['speed', undefined],
  ['sulphur_dioxide', undefined],
  ['temperature', ['°C', '°F', 'K']],
  ['timestamp', []],
  ['volatile_organic_compounds', undefined],
  ['volatile_organic_compounds_parts', undefined],
  ['voltage', ['V', 'mV', 'µV', 'kV', 'MV']],
  ['volume', undefined],
  ['volume_flow_rate', undefined],
  ['volume_storage', undefined],
  ['water', undefined],
  ['weight', undefined],
  ['wind_direction', undefined],
  ['wind_speed', undefined],
]);

/** Device classes whose state is not a number: no unit, no state_class. */
export const NON_NUMERIC_SENSOR_CLASSES = new Set(['date', 'enum', 'timestamp']);

export const STATE_CLASSES = new Set(['measurement', 'measurement_angle', 'total', 'total_increasing']);

/** HA's DEVICE_CLASS_STATE_CLASSES for the classes that restrict them (others accept any). */
export const ALLOWED_STATE_CLASSES: ReadonlyMap<string, readonly string[]> = new Map([
  ['apparent_power', ['measurement']],
  ['battery', ['measurement']],
  ['current', ['measurement']],
  ['date', []],
  ['duration', ['measurement', 'total', 'total_increasing']],
  ['energy', ['total', 'total_increasing']],
  ['enum', []],
  ['frequency', ['measurement']],
  ['humidity', ['measurement']],
  ['monetary', ['total']],
  ['power', ['measurement']],
  ['power_factor', ['measurement']],
  ['reactive_power', ['measurement']],
  ['signal_strength', ['measurement']],
  ['temperature', ['measurement']],
  ['timestamp', []],
  ['voltage', ['measurement']],
]);

export const BINARY_SENSOR_CLASSES = new Set([
  'battery', 'battery_charging', 'carbon_monoxide', 'cold', 'connectivity', 'door', 'garage_door', 'gas', 'heat', 'light',
  'lock', 'moisture', 'motion', 'moving', 'occupancy', 'opening', 'plug', 'power', 'presence', 'problem', 'running', 'safety',
  'smoke', 'sound', 'tamper', 'update', 'vibration', 'window',
]);

export const BUTTON_CLASSES = new Set(['identify', 'restart', 'update']);
export const EVENT_CLASSES = new Set(['button', 'doorbell', 'motion']);
export const SWITCH_CLASSES = new Set(['outlet', 'switch']);

/** The MQTT integration's abbreviations that this gateway or a typical bridge may use. */
export const ABBREVIATIONS: Readonly<Record<string, string>> = {
  p: 'platform', dev: 'device', o: 'origin', cmps: 'components',
  uniq_id: 'unique_id', obj_id: 'object_id', def_ent_id: 'default_entity_id',
  stat_t: 'state_topic', cmd_t: 'command_topic', val_tpl: 'value_template',
  dev_cla: 'device_class', unit_of_meas: 'unit_of_measurement', stat_cla: 'state_class',
  ent_cat: 'entity_category', en: 'enabled_by_default', ic: 'icon', sug_dsp_prc: 'suggested_display_precision',
  avty: 'availability', avty_t: 'availability_topic', avty_mode: 'availability_mode',
  json_attr_t: 'json_attributes_topic', json_attr_tpl: 'json_attributes_template',
  pl_on: 'payload_on', pl_off: 'payload_off', pl_prs: 'payload_press', ops: 'options', evt_typ: 'event_types',
};

export const DEVICE_ABBREVIATIONS: Readonly<Record<string, string>> = {
  ids: 'identifiers', mf: 'manufacturer', mdl: 'model', mdl_id: 'model_id', sn: 'serial_number',
  sw: 'sw_version', hw: 'hw_version', cu: 'configuration_url', cns: 'connections', sa: 'suggested_area',
};

export const ORIGIN_ABBREVIATIONS: Readonly<Record<string, string>> = { sw: 'sw_version', url: 'support_url' };

export function expand(obj: Record<string, unknown>, table: Readonly<Record<string, string>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) out[table[k] ?? k] = v;
  return out;
}
