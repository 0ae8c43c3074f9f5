// upsgate.json's "mqtt" section: every field, its default, and each refusal with file:line:column,
// what was found and what is accepted; secrets redacted; saved and read back unchanged.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultGatewayId } from '../../../src/conf/mqtt-values.js';
import { defaultMqttSettings, REDACTED, redactSettings } from '../../../src/conf/settings-model.js';
import { loadSettings, parseSettings } from '../../../src/conf/settings.js';
import { formatSettings, saveSettings } from '../../../src/conf/settings-save.js';
import { assertError, confError } from './helpers.js';

const DIR = await mkdtemp(join(tmpdir(), 'upsgate-mqtt-settings-'));
const F = join(DIR, 'upsgate.json');
const parse = (s: string) => parseSettings(s, F);
const mqtt = (fields: string) => parse(`{ "mqtt": { ${fields} } }`).mqtt!;
/** The error for `fields` inside "mqtt" on line 2 (so columns count from the field). */
const fail = (fields: string) => confError(() => parse(`{ "mqtt": {\n${fields} } }`));
const URL_OK = '"url": "mqtt://broker.lan"';

await writeFile(join(DIR, 'ca.pem'), '-----BEGIN CERTIFICATE-----\n');
await writeFile(join(DIR, 'client.pem'), 'cert');
await writeFile(join(DIR, 'client.key'), 'key', { mode: 0o600 });

test.after(async () => rm(DIR, { recursive: true, force: true }));

test('no "mqtt" key or null: no bridge; a url alone: every other field at its default', () => {
  assert.is(parse('{}').mqtt, undefined);
  assert.is(parse('{ "mqtt": null }').mqtt, undefined);
  const id = defaultGatewayId();
  assert.equal(mqtt(URL_OK), { ...defaultMqttSettings(id), url: 'mqtt://broker.lan' });
  assert.equal(mqtt(URL_OK).clientId, `upsgate-${id}`);
  assert.match(id, /^[a-z0-9_-]{1,64}$/);
  assert.is(id, hostname().toLowerCase().replace(/[^a-z0-9_-]/g, '_').slice(0, 64));
});

test('the default gateway id is the host name made a topic level', () => {
  assert.is(defaultGatewayId('Pi-UPS.local'), 'pi-ups_local');
  assert.is(defaultGatewayId('rack_1'), 'rack_1');
  assert.is(defaultGatewayId(''), 'upsgate');
  assert.is(defaultGatewayId('x'.repeat(80)).length, 64);
});

test('every field is read; relative TLS and state paths resolve against the folder of upsgate.json', () => {
  const m = mqtt(
    '"url": "mqtts://broker.lan:8883", "username": "ups", "password": "p@ss w0rd", "clientId": "box-1.a_b",' +
      '"tls": { "ca": "ca.pem", "cert": "client.pem", "key": "client.key", "rejectUnauthorized": false },' +
      '"baseTopic": "home/ups", "gatewayId": "Garage-1", "discovery": { "enabled": false, "prefix": "ha", "mode": "entity" },' +
      '"perVariableTopics": true, "allowCommands": ["load.off", "shutdown.return", "load.off"], "keepaliveSeconds": 60,' +
      '"broker": { "listen": ["0.0.0.0:1883", "[::1]:1884"], "username": "ha", "password": "b" }, "stateFile": "state/energy.json",',
  );
  assert.equal(m, {
    url: 'mqtts://broker.lan:8883',
    username: 'ups',
    password: 'p@ss w0rd',
    clientId: 'box-1.a_b',
    tls: { ca: join(DIR, 'ca.pem'), cert: join(DIR, 'client.pem'), key: join(DIR, 'client.key'), rejectUnauthorized: false },
    baseTopic: 'home/ups',
    gatewayId: 'Garage-1',
    discovery: { enabled: false, prefix: 'ha', mode: 'entity' },
    perVariableTopics: true,
    allowCommands: ['load.off', 'shutdown.return'],
    keepaliveSeconds: 60,
    broker: { listen: [{ host: '0.0.0.0', port: 1883 }, { host: '::1', port: 1884 }], username: 'ha', password: 'b', origin: `${F}: mqtt.broker.listen` },
    stateFile: join(DIR, 'state/energy.json'),
  });
  // An explicit gateway id gives the default client id its name.
  assert.is(mqtt(`${URL_OK}, "gatewayId": "rack"`).clientId, 'upsgate-rack');
  assert.is(mqtt(`${URL_OK}, "tls": { "rejectUnauthorized": true }`).tls.rejectUnauthorized, true);
});

test('the embedded broker alone: no url (the bridge connects to it), one listen address as text', () => {
  const m = mqtt('"broker": { "listen": "127.0.0.1:1883" }');
  assert.is(m.url, undefined);
  assert.equal(m.broker, { listen: [{ host: '127.0.0.1', port: 1883 }], origin: `${F}: mqtt.broker.listen` });
  assert.equal(mqtt('"broker": { "listen": ["localhost:1883", "[::]:1883"] }').broker?.listen, [{ host: 'localhost', port: 1883 }, { host: '::', port: 1883 }]);
});

test('neither url nor broker is refused with both accepted forms', () => {
  assertError(confError(() => parse('{\n  "mqtt": {} }')), `${F}:2:11`, 'mqtt has neither url nor broker', '"url": "mqtt://host:1883"', '"broker": {"listen": "127.0.0.1:1883"}');
  assertError(confError(() => parse('{ "mqtt": { "broker": null } }')), `${F}:1:11`, 'neither url nor broker');
});

test('url: mqtt:// or mqtts:// with a host and a port 1..65535; no login inside it', () => {
  assert.is(mqtt('"url": "mqtt://10.0.0.5:1883"').url, 'mqtt://10.0.0.5:1883');
  assert.is(mqtt('"url": "mqtt://[fd00::5]:1883/"').url, 'mqtt://[fd00::5]:1883/');
  const cases: Array<[string, ...string[]]> = [
    ['"http://broker:1883"', 'has the scheme http'],
    ['"ws://broker:9001"', 'WebSocket brokers are not supported'],
    ['"broker.lan:1883"', 'accepted: mqtt://host[:port] or mqtts://host[:port]'],
    ['"mqtt://:1883"', 'is not a URL'],
    ['"mqtt:///topic"', 'names no host'],
    ['"mqtt://broker:0"', 'has port 0'],
    ['"mqtt://broker:65536"', 'is not a URL'],
    ['"mqtt://broker/upsgate"', 'has a path'],
    ['"mqtt://ha:secret@broker"', 'holds a user name or password', '"username" and "password" fields'],
    ['1883', 'is not a string'],
    ['""', 'mqtt.url is empty'],
  ];
  for (const [value, ...parts] of cases) assertError(fail(`"url": ${value}`), `${F}:2:8`, 'mqtt.url', ...parts);
  // The refusal does not repeat the password it found.
  assert.not.match(fail('"url": "mqtt://ha:secret@broker"').message, /secret/);
});

test('username and password come together', () => {
  assertError(fail(`${URL_OK}, "username": "u"`), `${F}:2:${URL_OK.length + 15}`, 'mqtt.username has no password', 'both username and password, or neither');
  assertError(fail(`${URL_OK}, "password": "p"`), `${F}:2:${URL_OK.length + 15}`, 'mqtt.password has no username');
  assertError(fail('"broker": { "listen": "127.0.0.1:1883", "password": "p" }'), `${F}:2:53`, 'mqtt.broker.password has no username');
  assertError(fail('"broker": { "listen": "127.0.0.1:1883", "username": "u" }'), `${F}:2:53`, 'mqtt.broker.username has no password');
});

test('clientId, gatewayId, baseTopic and discovery.prefix are checked for what MQTT and Home Assistant take', () => {
  assert.is(mqtt(`${URL_OK}, "clientId": "${'a'.repeat(64)}"`).clientId.length, 64);
  assertError(fail(`${URL_OK}, "clientId": "${'a'.repeat(65)}"`), `${F}:2:41`, 'mqtt.clientId', '1 to 64 of A-Z a-z 0-9 _ - .');
  assertError(fail(`${URL_OK}, "clientId": "a b"`), `${F}:2:41`, 'mqtt.clientId "a b" is not accepted');
  assertError(fail(`${URL_OK}, "gatewayId": "pi.local"`), `${F}:2:42`, 'mqtt.gatewayId "pi.local" is not a gateway id', 'A-Z a-z 0-9 _ -');
  for (const [topic, why] of <Array<[string, string]>>[['up/+/x', 'wildcard'], ['up#', 'wildcard'], ['/up', 'starts or ends with "/"'], ['up/', 'starts or ends'], ['a//b', 'empty level'], ['$SYS', 'starts with "$"']]) {
    assertError(fail(`${URL_OK}, "baseTopic": "${topic}"`), `${F}:2:42`, `mqtt.baseTopic "${topic}"`, why, 'accepted: topic levels');
  }
  assertError(fail(`${URL_OK}, "discovery": { "prefix": "a/#" }`), `${F}:2:54`, 'mqtt.discovery.prefix "a/#" holds a wildcard');
  assertError(fail(`${URL_OK}, "baseTopic": "homeassistant"`), `${F}:2:42`, 'mqtt.baseTopic and mqtt.discovery.prefix are both "homeassistant"', 'two different topics');
  assertError(fail(`${URL_OK}, "discovery": { "prefix": "upsgate" }`), `${F}:2:42`, 'both "upsgate"');
  assertError(fail(`${URL_OK}, "discovery": { "mode": "devices" }`), `${F}:2:52`, 'mqtt.discovery.mode "devices" is not known', '"device", "entity"');
  assertError(fail(`${URL_OK}, "discovery": { "enable": true }`), `${F}:2:44`, 'unknown key "mqtt.discovery.enable"', 'enabled, prefix, mode');
});

test('tls: the files must exist and be readable; cert and key together; only with mqtts://', () => {
  const S = '"url": "mqtts://b", ';
  assertError(fail(`${S}"tls": { "ca": "missing.pem" }`), `${F}:2:36`, `mqtt.tls.ca ${join(DIR, 'missing.pem')} does not exist`, 'paths resolve against the folder of upsgate.json');
  assertError(fail(`${S}"tls": { "ca": "${DIR}" }`), `${F}:2:36`, 'is not a regular file');
  assertError(fail(`${S}"tls": { "cert": "client.pem" }`), `${F}:2:28`, 'mqtt.tls has cert but no key', 'both cert and key');
  assertError(fail(`${S}"tls": { "key": "client.key" }`), `${F}:2:28`, 'mqtt.tls has key but no cert');
  assertError(fail(`${URL_OK}, "tls": { "ca": "ca.pem" }`), `${F}:2:44`, 'mqtt.tls.ca is given but mqtt.url is mqtt://', 'mqtts://');
  assertError(fail(`"broker": { "listen": "127.0.0.1:1883" }, "tls": { "ca": "ca.pem" }`), `${F}:2:58`, 'mqtt.url is not set');
  assertError(fail(`${S}"tls": { "rejectUnauthorized": "no" }`), `${F}:2:52`, 'mqtt.tls.rejectUnauthorized "no" is not a yes/no value');
});

test('a TLS file the gateway cannot read is refused at load time', async () => {
  if (process.getuid?.() === 0) return; // root reads a 0000 file anyway; the ENOENT case above covers the check
  const file = join(DIR, 'locked.pem');
  await writeFile(file, 'x');
  await chmod(file, 0o000);
  assertError(fail(`"url": "mqtts://b", "tls": { "ca": "locked.pem" }`), `${F}:2:35`, 'cannot be read (EACCES)');
});

test('allowCommands: NUT command names; keepaliveSeconds 5..3600; perVariableTopics a boolean', () => {
  assertError(fail(`${URL_OK}, "allowCommands": "load.off"`), `${F}:2:46`, 'mqtt.allowCommands is the string "load.off"', 'a list of NUT instant command names');
  assertError(fail(`${URL_OK}, "allowCommands": ["Load.Off"]`), `${F}:2:47`, 'mqtt.allowCommands "Load.Off" is not a NUT command name');
  assertError(fail(`${URL_OK}, "allowCommands": ["load off"]`), `${F}:2:47`, 'is not a NUT command name');
  assertError(fail(`${URL_OK}, "keepaliveSeconds": 4`), `${F}:2:49`, 'mqtt.keepaliveSeconds 4 is out of range; accepted: 5 to 3600 seconds');
  assertError(fail(`${URL_OK}, "keepaliveSeconds": 3601`), `${F}:2:49`, 'out of range');
  assert.is(mqtt(`${URL_OK}, "keepaliveSeconds": 5`).keepaliveSeconds, 5);
  assertError(fail(`${URL_OK}, "perVariableTopics": "yes"`), `${F}:2:50`, 'mqtt.perVariableTopics "yes" is not a yes/no value');
  assertError(fail(`${URL_OK}, "baseTopik": "x"`), `${F}:2:29`, 'unknown key "mqtt.baseTopik"', 'accepted in mqtt: url, username');
  assertError(fail(`${URL_OK}, "BaseTopic": "x"`), `${F}:2:29`, '(write baseTopic)');
  assertError(fail(`${URL_OK}, "url": "mqtt://b"`), `${F}:2:29`, 'mqtt.url repeats line 2');
});


test('broker.listen: HOST:PORT or [IPv6]:PORT, 1 to 8 of them, no repeats', () => {
  const B = (listen: string) => fail(`"broker": { "listen": ${listen} }`);
  assertError(B('"1883"'), `${F}:2:23`, 'mqtt.broker.listen "1883" has no port', 'HOST:PORT such as 127.0.0.1:1883');
  assertError(B('"::1:1883"'), `${F}:2:23`, 'needs [brackets]');
  assertError(B('"[127.0.0.1]:1883"'), `${F}:2:23`, 'is not an IPv6 address');
  assertError(B('"127.0.0.1:99999"'), `${F}:2:23`, 'port 99999 is not 1 to 65535');
  assertError(B('"127.0.0.1:"'), `${F}:2:23`, 'port (none) is not 1 to 65535');
  assertError(B('"bad host!:1883"'), `${F}:2:23`, 'bad host! is not an address or host name');
  assertError(B('[]'), `${F}:2:23`, 'mqtt.broker.listen is empty');
  assertError(B('["a:1", "a:1"]'), `${F}:2:31`, 'mqtt.broker.listen names a:1 twice');
  assertError(B(JSON.stringify(Array.from({ length: 9 }, (_, i) => `127.0.0.1:${1000 + i}`))), `${F}:2:${23 + 1 + 8 * 17}`, 'has 9 addresses', 'up to 8');
  assertError(B('1883'), `${F}:2:23`, 'mqtt.broker.listen the number 1883 is not a string');
  assertError(fail('"broker": { }'), `${F}:2:11`, 'mqtt.broker has no "listen"');
  assertError(fail('"broker": "127.0.0.1:1883"'), `${F}:2:11`, 'mqtt.broker is the string', 'an object');
});

test('redactSettings hides the MQTT password, a password in the URL and the broker password', () => {
  const s = parse('{ "mqtt": { "url": "mqtt://b:1883", "username": "ups", "password": "mq-secret", "broker": { "listen": "127.0.0.1:1883", "username": "ha", "password": "br-secret" } } }');
  // A URL with a login cannot come from the file; one set by code still must not show.
  s.mqtt!.url = 'mqtt://x:url-secret@b:1883';
  const r = redactSettings(s);
  const shown = JSON.stringify(r);
  for (const secret of ['mq-secret', 'br-secret', 'url-secret']) assert.not.ok(shown.includes(secret), `${secret} shown in ${shown}`);
  assert.is(r.mqtt?.password, REDACTED);
  assert.is(r.mqtt?.broker?.password, REDACTED);
  assert.is(r.mqtt?.username, 'ups');
  assert.is(r.mqtt?.broker?.username, 'ha');
  assert.is(s.mqtt?.password, 'mq-secret');
});

test('formatSettings writes the mqtt section back; parseSettings reads it to the same, also with defaults only', () => {
  const full = parse(
    '{ "mqtt": { "url": "mqtts://b:8883", "username": "u", "password": "p", "tls": { "ca": "ca.pem", "cert": "client.pem", "key": "client.key" },' +
      '"gatewayId": "g", "allowCommands": ["load.off"], "broker": { "listen": ["[::1]:1884", "127.0.0.1:1883"], "username": "a", "password": "b" }, "stateFile": "e.json" } }',
  );
  const text = formatSettings(full);
  assert.equal(parseSettings(text, F), full);
  assert.match(text, /"listen": \[\n\s+"\[::1\]:1884",\n\s+"127\.0\.0\.1:1883"\n\s+\]/);
  assert.not.match(text, /origin/);
  const embedded = parse('{ "mqtt": { "broker": { "listen": "127.0.0.1:1883" } } }');
  assert.equal(parseSettings(formatSettings(embedded), F), embedded);
  assert.not.match(formatSettings(embedded), /"url"/);
  assert.not.match(formatSettings(parse('{}')), /mqtt/);
});

test('saveSettings → loadSettings keeps the mqtt section (0600: it holds the MQTT passwords)', async () => {
  const file = join(DIR, 'saved.json');
  const s = parse('{ "mqtt": { "url": "mqtt://b", "username": "u", "password": "pw", "discovery": { "mode": "entity" } } }');
  await saveSettings(file, s);
  const back = await loadSettings(file);
  assert.equal({ ...back, file: F }, s);
  assert.is((await stat(file)).mode & 0o777, 0o600);
  assert.match(await readFile(file, 'utf8'), /"mqtt": \{/);
});

test.run();
