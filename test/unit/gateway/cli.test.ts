// The MQTT options of the command line: what parseArgs accepts and refuses (naming the option and
// what is accepted), and how they lay over upsgate.json's mqtt section.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { defaultGatewayId } from '../../../src/conf/mqtt-values.js';
import { defaultMqttSettings, type MqttSettings } from '../../../src/conf/settings-model.js';
import { HELP, parseArgs, UsageError } from '../../../src/gateway/cli.js';
import { mqttSettingsFor } from '../../../src/gateway/mqtt-options.js';

function usage(argv: string[]): string {
  try {
    parseArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) return e.message;
    throw e;
  }
  assert.unreachable(`${argv.join(' ')} was accepted`);
  return '';
}

test('--mqtt, --mqtt-broker (repeatable, bare PORT on loopback) and --gateway-id are read, also as --opt=value', () => {
  const o = parseArgs(['run', '--mqtt', 'mqtts://ha.lan:8883', '--mqtt-broker', '1883', '--mqtt-broker=[::1]:1884', '--mqtt-broker', '0.0.0.0:1885', '--gateway-id', 'garage']);
  assert.is(o.mqttUrl, 'mqtts://ha.lan:8883');
  assert.equal(o.mqttBroker, [{ host: '127.0.0.1', port: 1883 }, { host: '::1', port: 1884 }, { host: '0.0.0.0', port: 1885 }]);
  assert.is(o.gatewayId, 'garage');
  const none = parseArgs(['run']);
  assert.is(none.mqttUrl, undefined);
  assert.equal(none.mqttBroker, []);
});

test('bad values are refused naming the option and what is accepted; a password is never repeated', () => {
  assert.match(usage(['run', '--mqtt', 'http://ha.lan']), /^--mqtt has the scheme http; accepted: mqtt:\/\/host\[:port\] or mqtts:\/\/host\[:port\]/);
  assert.match(usage(['run', '--mqtt', 'ha.lan']), /^--mqtt .*accepted: mqtt:\/\//);
  const login = usage(['run', '--mqtt', 'mqtt://ha:hunter2@ha.lan']);
  assert.match(login, /^--mqtt holds a user name or password; accepted: .*"username" and "password"/);
  assert.not.match(login, /hunter2/);
  assert.match(usage(['run', '--mqtt']), /--mqtt needs a value/);
  assert.match(usage(['run', '--mqtt-broker', '70000']), /^--mqtt-broker "70000": port 70000 is not 1 to 65535; accepted: HOST:PORT .* or a bare PORT \(on 127\.0\.0\.1\)/);
  assert.match(usage(['run', '--mqtt-broker', '::1:1883']), /needs \[brackets\]/);
  assert.match(usage(['run', ...Array.from({ length: 9 }, (_, i) => ['--mqtt-broker', String(2000 + i)]).flat()]), /--mqtt-broker: at most 8 addresses/);
  assert.match(usage(['run', '--gateway-id', 'pi.local']), /^--gateway-id "pi\.local" is not a gateway id; accepted: 1 to 64 of A-Z a-z 0-9 _ -/);
});

test('--help names the MQTT options', () => {
  for (const option of ['--mqtt URL', '--mqtt-broker [HOST:]PORT', '--gateway-id ID']) assert.ok(HELP.includes(option), option);
});

const cli = (argv: string[]) => parseArgs(['run', ...argv]);

test('no section and no option: no bridge; an option alone: the defaults with it', () => {
  assert.is(mqttSettingsFor(undefined, cli([])), undefined);
  assert.equal(mqttSettingsFor(undefined, cli(['--mqtt', 'mqtt://b'])), { ...defaultMqttSettings(defaultGatewayId()), url: 'mqtt://b' });
  assert.equal(mqttSettingsFor(undefined, cli(['--mqtt-broker', '1883'])), {
    ...defaultMqttSettings(defaultGatewayId()),
    broker: { listen: [{ host: '127.0.0.1', port: 1883 }], origin: '--mqtt-broker' },
  });
  assert.equal(mqttSettingsFor(undefined, cli(['--mqtt', 'mqtt://b', '--gateway-id', 'g'])), { ...defaultMqttSettings('g'), url: 'mqtt://b' });
  assert.throws(() => mqttSettingsFor(undefined, cli(['--gateway-id', 'g'])), (e: Error) => e instanceof UsageError && /no broker is configured/.test(e.message));
});

function fromFile(): MqttSettings {
  return {
    ...defaultMqttSettings('pi'),
    url: 'mqtts://own.lan',
    username: 'u',
    password: 'p',
    tls: { ca: '/etc/ca.pem', rejectUnauthorized: true },
    broker: { listen: [{ host: '0.0.0.0', port: 1883 }], username: 'ha', password: 'x', origin: 'upsgate.json: mqtt.broker.listen' },
  };
}

test('options override the file field by field; the rest of the section stays', () => {
  const file = fromFile();
  const m = mqttSettingsFor(file, cli(['--mqtt', 'mqtts://other.lan:8884', '--mqtt-broker', '1884', '--gateway-id', 'garage']))!;
  assert.is(m.url, 'mqtts://other.lan:8884');
  assert.equal(m.broker, { listen: [{ host: '127.0.0.1', port: 1884 }], username: 'ha', password: 'x', origin: '--mqtt-broker' });
  assert.is(m.gatewayId, 'garage');
  assert.is(m.clientId, 'upsgate-garage', 'a default client id follows the gateway id');
  assert.is(m.username, 'u');
  assert.equal(m.tls, file.tls);
  assert.is(file.url, 'mqtts://own.lan', 'the file settings are not changed');
  assert.is(mqttSettingsFor({ ...file, clientId: 'mine' }, cli(['--gateway-id', 'garage']))!.clientId, 'mine');
  assert.equal(mqttSettingsFor(file, cli([])), file);
});

test('--mqtt mqtt:// against TLS files of the file is a usage error', () => {
  assert.throws(() => mqttSettingsFor(fromFile(), cli(['--mqtt', 'mqtt://plain.lan'])), (e: Error) => e instanceof UsageError && /--mqtt is mqtt:\/\/ but upsgate\.json's mqtt\.tls names ca; accepted: an mqtts:\/\/ URL/.test(e.message));
});

test.run();
