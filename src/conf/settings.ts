/**
 * upsgate.json: what NUT's files cannot say — TrueNAS's shutdown policies, the notification
 * channels and the MQTT bridge (its section: settings-mqtt.ts). JSON with comments (and trailing
 * commas); every refusal names file:line:column, what was found and what is accepted, because a
 * bad file stops start-up instead of falling back to defaults. It holds SMTP and MQTT passwords
 * and tokens, so it is written 0600 and shown only redacted.
 */
import { hostname } from 'node:os';
import { findNodeAtLocation, type Node } from 'jsonc-parser';
import { ConfError } from './errors.js';
import { httpUrl } from './http-url.js';
import { field, parseJsoncTree, Reader } from './settings-reader.js';
import { readMqtt, value } from './settings-mqtt.js';
import { parseListenAddress } from './mqtt-values.js';
import { defaultSettings, DEFAULT_EMAIL_SUBJECT, type EmailSettings, type GatewaySettings, type ShutdownPolicy, type WebhookSettings } from './settings-model.js';
import { NOTIFY_TYPES, type NotifyType } from './notify-types.js';
import { NotASmallFile, readSmallFile } from './small-file.js';

const TIMER_MAX = 86400;
const MAX_WEBHOOKS = 16;
export const SMTP_SECURITY = ['none', 'starttls', 'tls'] as const;
const FORMATS = ['json', 'ntfy', 'gotify'] as const;
export const SMTP_DEFAULT_PORTS = { none: 25, starttls: 587, tls: 465 } as const;



const TOP_KEYS = ['shutdown', 'notify', 'mqtt', 'http', 'led'] as const;
const LED_KEYS = ['backend', 'name', 'chip', 'line'] as const;
const HTTP_KEYS = ['listen'] as const;
const SHUTDOWN_KEYS = ['mode', 'timerSeconds', 'powerOffUps', 'actOnOnlineGlitch', 'lastToGo'] as const;
const NOTIFY_KEYS = ['email', 'webhooks'] as const;
const EMAIL_KEYS = ['to', 'subject', 'from', 'smtp', 'types'] as const;
const SMTP_KEYS = ['host', 'port', 'security', 'username', 'password', 'rejectUnauthorized'] as const;
const WEBHOOK_KEYS = ['url', 'format', 'token', 'types'] as const;

/** Parses upsgate.json text; throws ConfError naming the line and column of the first problem. */
export function parseSettings(text: string, file: string): GatewaySettings {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const r: Reader = new Reader(source, file);
  const root = parseJsoncTree(source, r, '{ "shutdown": { "mode": "onbattery" } }');
  if (!root) r.fail(0, 'the file is empty; accepted: a JSON object such as {} (or delete the file to use the defaults)');
  r.object(root, 'the file', TOP_KEYS);

  const settings = defaultSettings();
  settings.file = file;
  const at = (path: (string | number)[]) => findNodeAtLocation(root, path);

  const shutdown = at(['shutdown']);
  if (shutdown) readShutdown(r, shutdown, settings.shutdown);
  const notify = at(['notify']);
  if (notify) {
    r.object(notify, 'notify', NOTIFY_KEYS);
    const email = at(['notify', 'email']);
    if (email && email.type !== 'null') settings.notify.email = readEmail(r, email);
    const hooks = at(['notify', 'webhooks']);
    if (hooks) settings.notify.webhooks = readWebhooks(r, hooks);
  }
  const mqtt = at(['mqtt']);
  if (mqtt && mqtt.type !== 'null') settings.mqtt = readMqtt(r, mqtt, file);
  const http = at(['http']);
  if (http && http.type !== 'null') settings.http = readHttp(r, http);
  const led = at(['led']);
  if (led && led.type !== 'null') settings.led = readLed(r, led);
  return settings;
}

/** "led": {"backend": "sysfs", "name": "ACT"} or {"backend": "gpio", "chip": "gpiochip0", "line": "17"}. */
function readLed(r: Reader, node: Node): NonNullable<GatewaySettings['led']> {
  r.object(node, 'led', LED_KEYS);
  const backendNode = field(node, 'backend');
  const backend = backendNode ? r.oneOf(backendNode, 'led.backend', ['none', 'sysfs', 'gpio'] as const) : 'none';
  const out: NonNullable<GatewaySettings['led']> = { backend };
  const text = (key: 'name' | 'chip' | 'line', what: string, rule: RegExp) => {
    const n = field(node, key);
    if (!n) return undefined;
    const v = r.string(n, `led.${key}`, what);
    if (!rule.test(v)) r.fail(n.offset, `led.${key} "${v}" is not ${what}`);
    return v;
  };
  const name = text('name', 'an LED name under /sys/class/leds, such as ACT (letters, digits, : _ - .)', /^[A-Za-z0-9:_.-]{1,64}$/);
  const chip = text('chip', 'a GPIO chip such as gpiochip0', /^[A-Za-z0-9_.-]{1,64}$/);
  const line = text('line', 'a GPIO line: a number such as 17 or a name such as GPIO17', /^[A-Za-z0-9_-]{1,32}$/);
  if (name !== undefined) out.name = name;
  if (chip !== undefined) out.chip = chip;
  if (line !== undefined) out.line = line;
  if (backend === 'gpio' && line === undefined) r.fail(node.offset, 'led.backend "gpio" needs "line": the GPIO line the LED is wired to, such as "17" or "GPIO17"');
  return out;
}

/** "http": {"listen": "0.0.0.0:8080"}: the web UI, as --http gives it. */
function readHttp(r: Reader, node: Node): NonNullable<GatewaySettings['http']> {
  const keys = r.object(node, 'http', HTTP_KEYS);
  const accepted = 'accepted: "listen": "HOST:PORT" such as "0.0.0.0:8080" (the whole LAN) or "127.0.0.1:8080"';
  if (!keys.has('listen')) r.fail(node.offset, `http has no "listen"; ${accepted}`);
  const listen = field(node, 'listen')!;
  const text = r.string(listen, 'http.listen', 'HOST:PORT');
  return { listen: value(r, listen, 'http.listen', () => parseListenAddress(text)) };
}

function readShutdown(r: Reader, node: Node, out: ShutdownPolicy): void {
  r.object(node, 'shutdown', SHUTDOWN_KEYS);
  const mode = field(node, 'mode');
  if (mode) out.mode = r.oneOf(mode, 'shutdown.mode', ['lowbattery', 'onbattery'] as const);
  const timer = field(node, 'timerSeconds');
  if (timer) out.timerSeconds = r.integer(timer, 'shutdown.timerSeconds', 1, TIMER_MAX, ' seconds');
  const powerOff = field(node, 'powerOffUps');
  if (powerOff && powerOff.type !== 'null') out.powerOffUps = r.boolean(powerOff, 'shutdown.powerOffUps');
  const glitch = field(node, 'actOnOnlineGlitch');
  if (glitch) out.actOnOnlineGlitch = r.boolean(glitch, 'shutdown.actOnOnlineGlitch');
  const last = field(node, 'lastToGo');
  if (last) out.lastToGo = r.boolean(last, 'shutdown.lastToGo');
}

export const EMAIL_ADDRESS = /^[^\s@<>",;]+@[^\s@<>",;]+$/;

function readAddress(r: Reader, node: Node, name: string, text: string): string {
  const address = text.trim();
  if (!EMAIL_ADDRESS.test(address)) r.fail(node.offset, `${name} "${address}" is not an e-mail address; accepted: name@example.org`);
  return address;
}

function readEmail(r: Reader, node: Node): EmailSettings {
  const keys = r.object(node, 'notify.email', EMAIL_KEYS);
  for (const required of ['to', 'smtp'] as const) {
    if (!keys.has(required)) r.fail(node.offset, `notify.email has no "${required}"; accepted: an object with to, smtp and optionally subject, from, types`);
  }
  const to = readRecipients(r, field(node, 'to')!);
  const smtp = readSmtp(r, field(node, 'smtp')!);
  const subjectNode = field(node, 'subject');
  const subject = subjectNode ? r.string(subjectNode, 'notify.email.subject', 'a subject line (placeholders %h %d %u %t)') : DEFAULT_EMAIL_SUBJECT;
  const fromNode = field(node, 'from');
  const from = fromNode
    ? readAddress(r, fromNode, 'notify.email.from', r.string(fromNode, 'notify.email.from', 'an e-mail address'))
    : smtp.username !== undefined && EMAIL_ADDRESS.test(smtp.username)
      ? smtp.username
      : `upsgate@${hostname()}`;
  const typesNode = field(node, 'types');
  return { to, subject, from, smtp, types: typesNode ? readTypes(r, typesNode, 'notify.email.types') : 'all' };
}

/** An array of addresses, or TrueNAS's "a@x;b@y" form. */
function readRecipients(r: Reader, node: Node): string[] {
  const name = 'notify.email.to';
  const accepted = 'accepted: ["a@example.org", "b@example.org"] or "a@example.org;b@example.org"';
  const out: string[] = [];
  if (node.type === 'string') {
    for (const part of (node.value as string).split(';')) if (part.trim() !== '') out.push(readAddress(r, node, name, part));
  } else if (node.type === 'array') {
    for (const item of node.children ?? []) out.push(readAddress(r, item, name, r.string(item, name, 'an e-mail address')));
  } else {
    r.fail(node.offset, `${name} is ${r.kind(node)}; ${accepted}`);
  }
  if (out.length === 0) r.fail(node.offset, `${name} names nobody; ${accepted}`);
  return [...new Set(out)];
}

function readSmtp(r: Reader, node: Node): EmailSettings['smtp'] {
  const keys = r.object(node, 'notify.email.smtp', SMTP_KEYS);
  if (!keys.has('host')) r.fail(node.offset, 'notify.email.smtp has no "host"; accepted: an object with host and optionally port, security, username, password, rejectUnauthorized');
  const host = r.string(field(node, 'host')!, 'notify.email.smtp.host', 'a host name or address');
  if (/[\s/]/.test(host)) r.fail(field(node, 'host')!.offset, `notify.email.smtp.host "${host}" is not a host name; accepted: a host name or address such as smtp.example.org`);
  const securityNode = field(node, 'security');
  const security = securityNode ? r.oneOf(securityNode, 'notify.email.smtp.security', SMTP_SECURITY) : 'starttls';
  const portNode = field(node, 'port');
  const port = portNode ? r.integer(portNode, 'notify.email.smtp.port', 1, 65535, '') : SMTP_DEFAULT_PORTS[security];
  const rejectNode = field(node, 'rejectUnauthorized');
  const smtp: EmailSettings['smtp'] = { host, port, security, rejectUnauthorized: rejectNode ? r.boolean(rejectNode, 'notify.email.smtp.rejectUnauthorized') : true };
  const userNode = field(node, 'username');
  const passNode = field(node, 'password');
  if (userNode) smtp.username = r.string(userNode, 'notify.email.smtp.username', 'the SMTP login name');
  if (passNode) smtp.password = r.string(passNode, 'notify.email.smtp.password', 'the SMTP password');
  if (userNode && !passNode) r.fail(userNode.offset, 'notify.email.smtp.username has no password; accepted: both username and password, or neither');
  if (passNode && !userNode) r.fail(passNode.offset, 'notify.email.smtp.password has no username; accepted: both username and password, or neither');
  return smtp;
}

function readWebhooks(r: Reader, node: Node): WebhookSettings[] {
  const accepted = 'accepted: an array [ { "url": "https://...", "format": "json" | "ntfy" | "gotify" }, ... ]';
  if (node.type !== 'array') r.fail(node.offset, `notify.webhooks is ${r.kind(node)}; ${accepted}`);
  const items = node.children ?? [];
  if (items.length > MAX_WEBHOOKS) r.fail(items[MAX_WEBHOOKS]!.offset, `notify.webhooks has ${items.length} entries; accepted: at most ${MAX_WEBHOOKS}`);
  return items.map((item, i) => readWebhook(r, item, `notify.webhooks[${i}]`));
}

function readWebhook(r: Reader, node: Node, name: string): WebhookSettings {
  const keys = r.object(node, name, WEBHOOK_KEYS);
  if (!keys.has('url')) r.fail(node.offset, `${name} has no "url"; accepted: an object with url and optionally format, token, types`);
  const urlNode = field(node, 'url')!;
  const url = r.string(urlNode, `${name}.url`, 'an http:// or https:// URL');
  const parsed = httpUrl(url);
  if (!parsed) {
    r.fail(urlNode.offset, `${name}.url ${r.shown(urlNode)} is not an http(s) URL; accepted: http://host[:port]/path or https://host[:port]/path`);
  }
  const formatNode = field(node, 'format');
  const format = formatNode ? r.oneOf(formatNode, `${name}.format`, FORMATS) : 'json';
  if (format === 'ntfy' && parsed.pathname.replace(/\/+$/, '') === '') {
    r.fail(urlNode.offset, `${name}.url ${r.shown(urlNode)} names no topic; accepted for ntfy: the topic URL, e.g. https://ntfy.sh/my-ups-alerts`);
  }
  const hook: WebhookSettings = { url, format, types: 'all' };
  const tokenNode = field(node, 'token');
  if (tokenNode) hook.token = r.string(tokenNode, `${name}.token`, 'the access token');
  if (format === 'gotify' && !tokenNode) r.fail(node.offset, `${name} has no "token"; accepted for gotify: the application token from Gotify's Apps page`);
  const typesNode = field(node, 'types');
  if (typesNode) hook.types = readTypes(r, typesNode, `${name}.types`);
  return hook;
}

function readTypes(r: Reader, node: Node, name: string): NotifyType[] | 'all' {
  const accepted = `accepted: "all" or a list of ${NOTIFY_TYPES.join(', ')}`;
  if (node.type === 'string' && (node.value as string).toLowerCase() === 'all') return 'all';
  if (node.type !== 'array') r.fail(node.offset, `${name} is ${r.kind(node)}; ${accepted}`);
  const out = new Set<NotifyType>();
  for (const item of node.children ?? []) {
    const text = item.type === 'string' ? (item.value as string).toUpperCase() : '';
    const type = NOTIFY_TYPES.find((t) => t === text);
    if (!type) r.fail(item.offset, `${name} ${r.shown(item)} is not a notification type; ${accepted}`);
    out.add(type);
  }
  if (out.size === 0) r.fail(node.offset, `${name} is empty, so nothing would be sent; ${accepted} (or remove the channel)`);
  return [...out];
}

/** Missing file → defaults; anything else unreadable or wrong → ConfError. */
export async function loadSettings(file: string): Promise<GatewaySettings> {
  let bytes: Buffer;
  try {
    bytes = await readSmallFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return defaultSettings();
    const why = error instanceof NotASmallFile ? error.message : ((error as NodeJS.ErrnoException).code ?? String(error));
    throw new ConfError(file, 1, 1, `cannot be read: ${why}; accepted: a regular JSON file the gateway may read`);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ConfError(file, 1, 1, 'is not UTF-8 text; accepted: a JSON file saved as UTF-8');
  }
  return parseSettings(text, file);
}
