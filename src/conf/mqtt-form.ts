/**
 * The Settings page's MQTT section: upsgate.json's mqtt object as form fields, and back. Each
 * field is checked with the same checks the settings reader applies (so the page and the file
 * cannot disagree); the passwords are never put into the form (empty keeps the stored one).
 */
import { checkGatewayId, checkMqttUrl, defaultGatewayId, formatListenAddress, MqttValueError, parseListenAddress } from './mqtt-values.js';
import { defaultMqttSettings, type GatewaySettings, type MqttSettings } from './settings-model.js';
import { cutsPower } from '../core/power-commands.js';
import type { FormField } from './form-field.js';


export const MQTT_FIELDS: FormField[] = [
  { name: 'mqttEnabled', label: 'Publish to MQTT', input: 'checkbox', help: 'Every UPS on an MQTT broker, with Home Assistant discovery.' },
  { name: 'mqttUrl', label: 'Broker URL', input: 'text', help: 'mqtt://HOST[:1883] or mqtts://HOST[:8883]. Empty with an embedded broker below: publish to that one.' },
  { name: 'mqttUsername', label: 'Username', input: 'text', help: 'The broker login, if it asks for one.' },
  { name: 'mqttPassword', label: 'Password', input: 'password', help: 'Leave empty to keep the stored password.' },
  { name: 'mqttGatewayId', label: 'Gateway ID', input: 'text', help: 'This box in topics and Home Assistant ids: letters, digits, - and _. Default: the host name.' },
  { name: 'mqttBaseTopic', label: 'Base topic', input: 'text', help: 'Topics are <base>/<gateway id>/… (default upsgate).' },
  { name: 'mqttDiscovery', label: 'Home Assistant discovery', input: 'checkbox', help: 'Publish discovery so every UPS appears in Home Assistant by itself.' },
  {
    name: 'mqttDiscoveryMode', label: 'Discovery mode', input: 'select', help: 'One config per device (Home Assistant 2024.11 and later), or one per entity.',
    options: [{ value: 'device', label: 'Device (one config per UPS)' }, { value: 'entity', label: 'Entity (one config per sensor)' }],
  },
  { name: 'mqttPerVariable', label: 'A topic per NUT variable', input: 'checkbox', help: 'Also publish each variable on <ups>/var/<name>.' },
  { name: 'mqttAllowCommands', label: 'Power-cutting commands allowed over MQTT', input: 'text', help: 'By name, separated by spaces (e.g. shutdown.return). Others that cut power are refused.' },
  { name: 'mqttBroker', label: 'Embedded broker address', input: 'text', help: 'HOST:PORT to run a broker on this box (e.g. 0.0.0.0:1883); empty for none.' },
];

/** The section's field values from the settings (no passwords). */
export function mqttFormValues(s: GatewaySettings): Record<string, string> {
  const m = s.mqtt;
  const d = m ?? defaultMqttSettings(defaultGatewayId());
  const out: Record<string, string> = {
    mqttUrl: d.url ?? '', mqttUsername: d.username ?? '', mqttGatewayId: d.gatewayId, mqttBaseTopic: d.baseTopic,
    mqttDiscoveryMode: d.discovery.mode, mqttAllowCommands: d.allowCommands.join(' '),
    mqttBroker: d.broker?.listen.map(formatListenAddress).join(' ') ?? '',
  };
  if (m) out.mqttEnabled = 'on';
  if (d.discovery.enabled) out.mqttDiscovery = 'on';
  if (d.perVariableTopics) out.mqttPerVariable = 'on';
  return out;
}

export type MqttFormResult = { mqtt: MqttSettings | undefined } | { errors: Record<string, string> };

/** The settings' new mqtt object from the form, or the refusals by field. */
export function mqttFromForm(input: Record<string, string | undefined>, current: GatewaySettings): MqttFormResult {
  if (input.mqttEnabled !== 'on') return { mqtt: undefined };
  const errors: Record<string, string> = {};
  const text = (k: string) => (input[k] ?? '').trim();
  const base = current.mqtt ? structuredClone(current.mqtt) : defaultMqttSettings(defaultGatewayId());
  const check = <T>(field: string, label: string, f: () => T): T | undefined => {
    try {
      return f();
    } catch (e) {
      if (!(e instanceof MqttValueError)) throw e;
      errors[field] = `${label} ${e.message}`;
      return undefined;
    }
  };
  const url = text('mqttUrl');
  const broker = text('mqttBroker');
  const listen = broker === '' ? [] : broker.split(/\s+/).map((a) => check('mqttBroker', 'Embedded broker address', () => parseListenAddress(a, '127.0.0.1')));
  if (url === '' && broker === '') errors.mqttUrl = 'Broker URL: give the broker (mqtt://HOST:1883), or an embedded broker address below';
  const next: MqttSettings = {
    ...base,
    url: url === '' ? undefined : check('mqttUrl', 'Broker URL', () => checkMqttUrl(url)),
    gatewayId: check('mqttGatewayId', 'Gateway ID', () => checkGatewayId(text('mqttGatewayId') || defaultGatewayId())) ?? base.gatewayId,
    baseTopic: text('mqttBaseTopic') || 'upsgate',
    discovery: { ...base.discovery, enabled: input.mqttDiscovery === 'on', mode: input.mqttDiscoveryMode === 'entity' ? 'entity' : 'device' },
    perVariableTopics: input.mqttPerVariable === 'on',
    allowCommands: text('mqttAllowCommands').split(/\s+/).filter(Boolean),
    broker: listen.length === 0 ? undefined : { ...base.broker, listen: listen.filter((l) => l !== undefined) },
  };
  if (next.clientId === `upsgate-${base.gatewayId}`) next.clientId = `upsgate-${next.gatewayId}`;
  const user = text('mqttUsername');
  if (user === '') {
    delete next.username;
    delete next.password;
  } else {
    next.username = user;
    const password = input.mqttPassword ?? '';
    if (password !== '') next.password = password;
    else if (base.password === undefined) errors.mqttPassword = 'Password: the broker login needs its password';
  }
  if (!/^[A-Za-z0-9_/-]{1,64}$/.test(next.baseTopic) || next.baseTopic.startsWith('/') || next.baseTopic.endsWith('/')) {
    errors.mqttBaseTopic = `Base topic "${next.baseTopic}": letters, digits, -, _ and / between levels (no + # or spaces), such as upsgate`;
  }
  for (const c of next.allowCommands) {
    if (!cutsPower(c)) errors.mqttAllowCommands = `Power-cutting commands: "${c}" does not cut power, so it needs no allowing; list only load.off*, load.cycle*, shutdown.* or driver.killpower`;
  }
  return Object.keys(errors).length > 0 ? { errors } : { mqtt: next };
}
