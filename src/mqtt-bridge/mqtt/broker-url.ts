/**
 * The broker address the user gave (`mqtt.url`): mqtt://host[:port] or mqtts://host[:port], IPv6
 * in brackets. Anything else is refused here, at construction, with what is accepted, rather than
 * failing later on every connection attempt.
 */
import { URL } from 'node:url';

export interface BrokerTarget {
  secure: boolean;
  /** For net/tls.connect: IPv6 without brackets. */
  host: string;
  port: number;
  /** mqtt://host:port for logs: never any credentials. */
  display: string;
  /** user:password@ in the URL, percent-decoded (used when no username option is given). */
  username?: string;
  password?: string;
}

const ACCEPTED = 'accepted: mqtt://host[:port] (default port 1883) or mqtts://host[:port] (default 8883), e.g. mqtt://192.168.1.10 or mqtts://[fd00::1]:8883';

export function parseBrokerUrl(url: string): BrokerTarget {
  const refuse = (why: string): Error => new Error(`mqtt.url "${redact(url)}": ${why}; ${ACCEPTED}`);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw refuse('not a URL');
  }
  const secure = parsed.protocol === 'mqtts:';
  if (!secure && parsed.protocol !== 'mqtt:') throw refuse(`the scheme ${parsed.protocol.replace(/:$/, '')} is not supported`);
  if (parsed.hostname === '') throw refuse('no host');
  if (parsed.pathname !== '' && parsed.pathname !== '/') throw refuse('a path is not used by MQTT');
  if (parsed.search !== '' || parsed.hash !== '') throw refuse('a query or fragment is not used by MQTT');
  const port = parsed.port === '' ? (secure ? 8883 : 1883) : Number(parsed.port);
  if (port === 0) throw refuse('port 0');
  const bracketed = parsed.hostname.startsWith('[');
  const host = bracketed ? parsed.hostname.slice(1, -1) : parsed.hostname;
  const target: BrokerTarget = { secure, host, port, display: `${secure ? 'mqtts' : 'mqtt'}://${parsed.hostname}:${port}` };
  try {
    if (parsed.username !== '') target.username = decodeURIComponent(parsed.username);
    if (parsed.password !== '') target.password = decodeURIComponent(parsed.password);
  } catch {
    throw refuse('the user name or password is not valid percent-encoding');
  }
  return target;
}

/** The URL with any password replaced, for error messages. */
function redact(url: string): string {
  return url.replace(/^([a-z]+:\/\/[^:/@]*):[^@/]*@/i, '$1:***@');
}
