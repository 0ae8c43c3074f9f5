/**
 * upsgate.json's "mqtt" section: the broker to use (one's own by URL, or the embedded one), the
 * login, TLS files and what Home Assistant sees. `"mqtt": {}` is refused (it names no broker);
 * `"mqtt": null` or no key turns the bridge off. TLS files are checked at load time, so a wrong
 * path stops start-up here rather than as a connection that never succeeds.
 */
import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';
import type { Node } from 'jsonc-parser';
import { checkGatewayId, checkMqttUrl, checkTopicPrefix, CLIENT_ID, defaultGatewayId, formatListenAddress, MqttValueError, parseListenAddress } from './mqtt-values.js';
import { field, type Reader } from './settings-reader.js';
import { defaultMqttSettings, type EmbeddedBrokerSettings, type MqttSettings } from './settings-model.js';

const MQTT_KEYS = [
  'url', 'username', 'password', 'clientId', 'tls', 'baseTopic', 'gatewayId', 'discovery', 'perVariableTopics',
  'allowCommands', 'keepaliveSeconds', 'broker', 'stateFile',
] as const;
const TLS_KEYS = ['ca', 'cert', 'key', 'rejectUnauthorized'] as const;
const DISCOVERY_KEYS = ['enabled', 'prefix', 'mode'] as const;
const BROKER_KEYS = ['listen', 'username', 'password'] as const;
const MAX_LISTEN = 8;
const MAX_ALLOW = 64;
const COMMAND = /^[a-z0-9.]{1,64}$/;

export const NO_BROKER =
  'mqtt has neither url nor broker; accepted: "url": "mqtt://host:1883" for a broker of your own, ' +
  'or "broker": {"listen": "127.0.0.1:1883"} for the embedded one';

/** Where broker.listen came from, for a bind error (no line: the same text must read back equal). */
export function brokerOrigin(file: string): string {
  return `${file}: mqtt.broker.listen`;
}

/** A check of mqtt-values.ts, its message put at the node with the field's name in front. */
export function value<T>(r: Reader, node: Node, name: string, check: () => T): T {
  try {
    return check();
  } catch (e) {
    if (e instanceof MqttValueError) r.fail(node.offset, `${name} ${e.message}`);
    throw e;
  }
}

export function readMqtt(r: Reader, node: Node, file: string): MqttSettings {
  const keys = r.object(node, 'mqtt', MQTT_KEYS);
  const dir = path.dirname(path.resolve(file));
  const str = (key: string, accepted: string): { node: Node; text: string } | undefined => {
    const n = field(node, key);
    return n ? { node: n, text: r.string(n, `mqtt.${key}`, accepted) } : undefined;
  };

  const gatewayIdField = str('gatewayId', '1 to 64 of A-Z a-z 0-9 _ -');
  const gatewayId = gatewayIdField ? value(r, gatewayIdField.node, 'mqtt.gatewayId', () => checkGatewayId(gatewayIdField.text)) : defaultGatewayId();
  const out = defaultMqttSettings(gatewayId);

  const url = str('url', 'mqtt://host[:port] or mqtts://host[:port]');
  if (url) out.url = value(r, url.node, 'mqtt.url', () => checkMqttUrl(url.text));

  const user = str('username', 'the MQTT login name');
  const pass = field(node, 'password');
  if (pass) out.password = r.string(pass, 'mqtt.password', 'the MQTT password');
  if (user) out.username = user.text;
  if (user && !pass) r.fail(user.node.offset, 'mqtt.username has no password; accepted: both username and password, or neither');
  if (pass && !user) r.fail(pass.offset, 'mqtt.password has no username; accepted: both username and password, or neither');

  const clientId = str('clientId', '1 to 64 of A-Z a-z 0-9 _ - .');
  if (clientId) {
    if (!CLIENT_ID.test(clientId.text)) {
      r.fail(clientId.node.offset, `mqtt.clientId ${r.shown(clientId.node)} is not accepted; accepted: 1 to 64 of A-Z a-z 0-9 _ - . ` +
        '(MQTT 3.1.1 brokers must take 23; most take more), unique per gateway on the broker');
    }
    out.clientId = clientId.text;
  }

  const tls = field(node, 'tls');
  if (tls) out.tls = readTls(r, tls, dir, out.url);

  const base = str('baseTopic', 'a topic such as upsgate');
  if (base) out.baseTopic = value(r, base.node, 'mqtt.baseTopic', () => checkTopicPrefix(base.text));

  const discovery = field(node, 'discovery');
  if (discovery) {
    r.object(discovery, 'mqtt.discovery', DISCOVERY_KEYS);
    const enabled = field(discovery, 'enabled');
    if (enabled) out.discovery.enabled = r.boolean(enabled, 'mqtt.discovery.enabled');
    const prefix = field(discovery, 'prefix');
    if (prefix) {
      const text = r.string(prefix, 'mqtt.discovery.prefix', "Home Assistant's discovery prefix, homeassistant unless changed there");
      out.discovery.prefix = value(r, prefix, 'mqtt.discovery.prefix', () => checkTopicPrefix(text));
    }
    const mode = field(discovery, 'mode');
    if (mode) out.discovery.mode = r.oneOf(mode, 'mqtt.discovery.mode', ['device', 'entity'] as const);
  }
  if (out.discovery.prefix === out.baseTopic) {
    r.fail((field(node, 'baseTopic') ?? field(node, 'discovery') ?? node).offset,
      `mqtt.baseTopic and mqtt.discovery.prefix are both "${out.baseTopic}"; accepted: two different topics (Home Assistant reads every config under its prefix)`);
  }

  const perVar = field(node, 'perVariableTopics');
  if (perVar) out.perVariableTopics = r.boolean(perVar, 'mqtt.perVariableTopics');
  const allow = field(node, 'allowCommands');
  if (allow) out.allowCommands = readCommands(r, allow);
  const keepalive = field(node, 'keepaliveSeconds');
  if (keepalive) out.keepaliveSeconds = r.integer(keepalive, 'mqtt.keepaliveSeconds', 5, 3600, ' seconds');

  const broker = field(node, 'broker');
  if (broker && broker.type !== 'null') out.broker = readBroker(r, broker, file);

  const stateFile = str('stateFile', 'a file path (relative to the folder of upsgate.json)');
  if (stateFile) out.stateFile = path.resolve(dir, stateFile.text);

  if (!keys.has('url') && out.broker === undefined) r.fail(node.offset, NO_BROKER);
  return out;
}

function readTls(r: Reader, node: Node, dir: string, url: string | undefined): MqttSettings['tls'] {
  r.object(node, 'mqtt.tls', TLS_KEYS);
  const out: MqttSettings['tls'] = { rejectUnauthorized: true };
  for (const key of ['ca', 'cert', 'key'] as const) {
    const n = field(node, key);
    if (!n) continue;
    const name = `mqtt.tls.${key}`;
    const file = path.resolve(dir, r.string(n, name, 'a PEM file path (relative to the folder of upsgate.json)'));
    const problem = unreadable(file);
    if (problem) r.fail(n.offset, `${name} ${file} ${problem}; accepted: a readable PEM file (paths resolve against the folder of upsgate.json)`);
    out[key] = file;
    if (!url?.startsWith('mqtts:')) {
      r.fail(n.offset, `${name} is given but mqtt.url is ${url === undefined ? 'not set (the embedded broker speaks plain MQTT)' : 'mqtt://'}; ` +
        'accepted: TLS files with an mqtts:// url');
    }
  }
  if ((out.cert === undefined) !== (out.key === undefined)) {
    r.fail(node.offset, `mqtt.tls has ${out.cert ? 'cert but no key' : 'key but no cert'}; accepted: both cert and key (a client certificate), or neither`);
  }
  const reject = field(node, 'rejectUnauthorized');
  if (reject) out.rejectUnauthorized = r.boolean(reject, 'mqtt.tls.rejectUnauthorized');
  return out;
}

/** Why the gateway could not read `file` when it connects, or undefined. */
function unreadable(file: string): string | undefined {
  try {
    accessSync(file, constants.R_OK);
    if (!statSync(file).isFile()) return 'is not a regular file';
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? String(e)})`;
  }
  return undefined;
}

function readCommands(r: Reader, node: Node): string[] {
  const accepted = 'accepted: a list of NUT instant command names such as ["load.off", "shutdown.return"]';
  if (node.type !== 'array') r.fail(node.offset, `mqtt.allowCommands is ${r.kind(node)}; ${accepted}`);
  const items = node.children ?? [];
  if (items.length > MAX_ALLOW) r.fail(items[MAX_ALLOW]!.offset, `mqtt.allowCommands has ${items.length} entries; accepted: at most ${MAX_ALLOW}`);
  const out = new Set<string>();
  for (const item of items) {
    const name = r.string(item, 'mqtt.allowCommands', 'a NUT command name');
    if (!COMMAND.test(name)) r.fail(item.offset, `mqtt.allowCommands ${r.shown(item)} is not a NUT command name; ${accepted} (lower case, digits and dots)`);
    out.add(name);
  }
  return [...out];
}

function readBroker(r: Reader, node: Node, file: string): EmbeddedBrokerSettings {
  const keys = r.object(node, 'mqtt.broker', BROKER_KEYS);
  const accepted = 'accepted: "listen": "127.0.0.1:1883" or a list of up to 8 such HOST:PORT / [IPv6]:PORT addresses';
  if (!keys.has('listen')) r.fail(node.offset, `mqtt.broker has no "listen"; ${accepted}`);
  const listenNode = field(node, 'listen')!;
  const items = listenNode.type === 'array' ? (listenNode.children ?? []) : [listenNode];
  if (items.length === 0) r.fail(listenNode.offset, `mqtt.broker.listen is empty; ${accepted}`);
  if (items.length > MAX_LISTEN) r.fail(items[MAX_LISTEN]!.offset, `mqtt.broker.listen has ${items.length} addresses; ${accepted}`);
  const listen: EmbeddedBrokerSettings['listen'] = [];
  for (const item of items) {
    const text = r.string(item, 'mqtt.broker.listen', 'HOST:PORT');
    const address = value(r, item, 'mqtt.broker.listen', () => parseListenAddress(text));
    if (listen.some((a) => formatListenAddress(a) === formatListenAddress(address))) r.fail(item.offset, `mqtt.broker.listen names ${text} twice; give it once`);
    listen.push(address);
  }
  const out: EmbeddedBrokerSettings = { listen, origin: brokerOrigin(file) };
  const user = field(node, 'username');
  const pass = field(node, 'password');
  if (user) out.username = r.string(user, 'mqtt.broker.username', 'the login name clients of the embedded broker must give');
  if (pass) out.password = r.string(pass, 'mqtt.broker.password', 'the password clients of the embedded broker must give');
  if (user && !pass) r.fail(user.offset, 'mqtt.broker.username has no password; accepted: both username and password, or neither');
  if (pass && !user) r.fail(pass.offset, 'mqtt.broker.password has no username; accepted: both username and password, or neither');
  return out;
}

/** The section as upsgate.json holds it (listen addresses as text, no origin); read back by readMqtt to the same. */
export function mqttForFile(m: MqttSettings): Record<string, unknown> {
  const { broker, ...rest } = m;
  if (!broker) return rest;
  const { origin: _origin, listen, ...login } = broker;
  return { ...rest, broker: { listen: listen.map(formatListenAddress), ...login } };
}
