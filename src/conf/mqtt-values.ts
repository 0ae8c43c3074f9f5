/**
 * The checks of single MQTT values, shared by upsgate.json's reader (settings-mqtt.ts) and the
 * command line (--mqtt, --mqtt-broker), so both accept exactly the same. No JSON here: the command
 * line must not load the settings reader. Each check throws MqttValueError whose message is
 * "what is wrong; accepted: …" — the caller puts the field or option name in front.
 */
import { isIP } from 'node:net';
import { hostname } from 'node:os';

export class MqttValueError extends Error {}

const URL_ACCEPTED = 'accepted: mqtt://host[:port] or mqtts://host[:port] (port 1 to 65535)';

/** A broker URL: mqtt:// or mqtts://, a host, an optional port, nothing else. Returns it trimmed. */
export function checkMqttUrl(text: string): string {
  const url = text.trim();
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new MqttValueError(`is not a URL; ${URL_ACCEPTED}`);
  }
  if (u.protocol !== 'mqtt:' && u.protocol !== 'mqtts:') {
    throw new MqttValueError(`has the scheme ${u.protocol.replace(/:$/, '')}; ${URL_ACCEPTED} (WebSocket brokers are not supported)`);
  }
  if (u.hostname === '') throw new MqttValueError(`names no host; ${URL_ACCEPTED}`);
  // A password inside the URL would be shown wherever the URL is (logs, check-config, ps).
  if (u.username !== '' || u.password !== '') {
    throw new MqttValueError('holds a user name or password; accepted: the URL without them, and the login in ' +
      'upsgate.json\'s mqtt "username" and "password" fields (kept 0600, never shown)');
  }
  if (u.port === '0') throw new MqttValueError(`has port 0; ${URL_ACCEPTED}`);
  if ((u.pathname !== '' && u.pathname !== '/') || u.search !== '' || u.hash !== '') {
    throw new MqttValueError(`has a path, query or fragment, which MQTT has no use for; ${URL_ACCEPTED}`);
  }
  return url;
}

export interface ListenAddress {
  host: string;
  port: number;
}

/**
 * `HOST:PORT` or `[IPv6]:PORT`; with `defaultHost`, a bare `PORT` too (the command line's
 * `--mqtt-broker 1883`). The host is an IP address or a host name.
 */
export function parseListenAddress(text: string, defaultHost?: string): ListenAddress {
  const accepted = `accepted: HOST:PORT such as 127.0.0.1:1883, 0.0.0.0:1883 or [::1]:1883${defaultHost ? ', or a bare PORT (on ' + defaultHost + ')' : ''}`;
  const s = text.trim();
  let host: string;
  let portText: string;
  const v6 = /^\[([^\]]*)\]:(.*)$/.exec(s);
  if (v6) {
    host = v6[1]!;
    portText = v6[2]!;
    if (isIP(host) !== 6) throw new MqttValueError(`"${s}": [${host}] is not an IPv6 address; ${accepted}`);
  } else if (/^\d+$/.test(s) && defaultHost !== undefined) {
    host = defaultHost;
    portText = s;
  } else {
    const colon = s.lastIndexOf(':');
    if (colon <= 0) throw new MqttValueError(`"${s}" has no port; ${accepted}`);
    host = s.slice(0, colon);
    portText = s.slice(colon + 1);
    if (host.includes(':')) throw new MqttValueError(`"${s}": an IPv6 address needs [brackets]; ${accepted}`);
    if (isIP(host) === 0 && !/^[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$/.test(host)) {
      throw new MqttValueError(`"${s}": ${host} is not an address or host name; ${accepted}`);
    }
  }
  const port = /^\d{1,5}$/.test(portText) ? Number(portText) : NaN;
  if (!(port >= 1 && port <= 65535)) throw new MqttValueError(`"${s}": port ${portText || '(none)'} is not 1 to 65535; ${accepted}`);
  return { host, port };
}

/** How an address is written back: `[::1]:1883`, `127.0.0.1:1883`. */
export function formatListenAddress(a: ListenAddress): string {
  return `${a.host.includes(':') ? `[${a.host}]` : a.host}:${a.port}`;
}

/** A topic prefix (baseTopic, discovery prefix): plain topic levels a subscriber can match. */
export function checkTopicPrefix(text: string): string {
  const accepted = 'accepted: topic levels of letters, digits, - _ . joined by "/", such as upsgate or home/ups';
  if (text.length > 200) throw new MqttValueError(`is ${text.length} characters long; ${accepted}, at most 200 characters`);
  if (/[+#\0]/.test(text)) throw new MqttValueError(`"${text}" holds a wildcard (+ #) or NUL; ${accepted}`);
  if (text.startsWith('/') || text.endsWith('/')) throw new MqttValueError(`"${text}" starts or ends with "/"; ${accepted}`);
  if (text.split('/').some((level) => level.trim() === '')) throw new MqttValueError(`"${text}" has an empty level; ${accepted}`);
  // Wildcard subscriptions never match topics starting with "$" (MQTT 3.1.1 4.7.2), so Home Assistant would not see them.
  if (text.startsWith('$')) throw new MqttValueError(`"${text}" starts with "$", which brokers keep for themselves ($SYS); ${accepted}`);
  return text;
}

export const GATEWAY_ID = /^[A-Za-z0-9_-]{1,64}$/;
export const CLIENT_ID = /^[A-Za-z0-9_.-]{1,64}$/;

export function checkGatewayId(text: string): string {
  if (!GATEWAY_ID.test(text)) {
    throw new MqttValueError(`"${text}" is not a gateway id; accepted: 1 to 64 of A-Z a-z 0-9 _ - (it becomes a topic level and part of Home Assistant's ids)`);
  }
  return text;
}

/** The default gateway id: this host's name, lower-cased, as a topic level. */
export function defaultGatewayId(host = hostname()): string {
  const id = host.toLowerCase().replace(/[^a-z0-9_-]/g, '_').slice(0, 64);
  return id === '' ? 'upsgate' : id;
}
