import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseSetupFile, SetupError } from '../../../src/appliance/setup-file.js';

const F = '/boot/firmware/upsgate-setup.json';
// A real ed25519 public key (ssh-keygen -t ed25519 -C you@pc); its private half was discarded.
const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICEgmBbokNqzlP7y6EL7sbZCnNSDk9CJ7vkEaqnP8ab3 you@pc';

const refused = (text: string): SetupError => {
  try {
    parseSetupFile(text, F);
  } catch (e) {
    assert.instance(e, SetupError);
    return e as SetupError;
  }
  assert.unreachable(`expected ${text} to be refused`);
  throw new Error('unreachable');
};

test('every field, as a user writes them', () => {
  const text = `{
    // the box
    "hostname": "UPS-Box",
    "timezone": "Europe/Berlin",
    "wifi": { "country": "de", "ssid": "Home", "psk": "a wifi passphrase", },
    "ssh": { "authorizedKeys": ["${KEY}"] },
    "webPassword": "a long web password",
  }`;
  assert.equal(parseSetupFile(text, F), {
    hostname: 'ups-box',
    timezone: 'Europe/Berlin',
    wifi: { country: 'DE', ssid: 'Home', psk: 'a wifi passphrase', hidden: false },
    authorizedKeys: [KEY],
    webPassword: 'a long web password',
  });
});

test('the template as shipped applies nothing', () => {
  const template = readFileSync(new URL('../../../src/appliance/upsgate-setup.template.jsonc', import.meta.url), 'utf8');
  assert.equal(parseSetupFile(template, F), {});
});

test('an unknown field is named with the fields accepted', () => {
  const e = refused('{ "hostame": "x" }');
  assert.is(e.field, 'hostame');
  assert.match(e.message, /^\/boot\/firmware\/upsgate-setup.json: hostame: unknown field; accepted: hostname, timezone, wifi, ssh, webPassword$/);
  assert.match(refused('{ "wifi": { "country": "DE", "ssid": "x", "password": "12345678" } }').message, /wifi.password: unknown field; accepted in wifi: country, ssid, psk, hidden/);
});

test('host names: one label, no dots', () => {
  assert.match(refused('{ "hostname": "ups.local" }').message, /hostname: "ups.local" has a dot/);
  assert.match(refused('{ "hostname": "-ups" }').message, /hostname: "-ups" is not a host name: 1 to 63 letters/);
  assert.match(refused('{ "hostname": 7 }').message, /hostname: must be a string/);
});

test('time zones: a zone name, never a path', () => {
  assert.match(refused('{ "timezone": "../../etc/passwd" }').message, /timezone: "..\/..\/etc\/passwd" is not a time zone name/);
  assert.match(refused('{ "timezone": "Europe Berlin" }').message, /is not a time zone name: write one like "Europe\/Berlin"/);
});

test('Wi-Fi: the country is required, the passphrase must be WPA\'s, and it is never quoted back', () => {
  assert.match(refused('{ "wifi": { "ssid": "x", "psk": "12345678" } }').message, /wifi.country: is required: the two-letter country code/);
  assert.match(refused('{ "wifi": { "country": "DE", "psk": "12345678" } }').message, /wifi.ssid: is required/);
  assert.match(refused(`{ "wifi": { "country": "DE", "ssid": "${'x'.repeat(33)}" } }`).message, /wifi.ssid: is required: the network's name, 1 to 32 bytes/);
  const short = refused('{ "wifi": { "country": "DE", "ssid": "x", "psk": "short" } }');
  assert.match(short.message, /wifi.psk: is not a WPA passphrase: 8 to 63 printable ASCII/);
  assert.not.match(short.message, /short"/);
  assert.match(refused('{ "wifi": { "country": "DE", "ssid": "x", "hidden": "yes" } }').message, /wifi.hidden: must be true or false/);
  assert.equal(parseSetupFile('{ "wifi": { "country": "US", "ssid": "Open Cafe" } }', F).wifi, { country: 'US', ssid: 'Open Cafe', hidden: false });
});

test('SSH keys: a public key line of a type sshd takes, not a private key', () => {
  assert.match(refused('{ "ssh": { "authorizedKeys": "ssh-ed25519 AAAA" } }').message, /ssh.authorizedKeys: must be a list/);
  assert.match(refused('{ "ssh": { "authorizedKeys": ["ssh-dss AAAAB3NzaC1kc3M= x"] } }').message, /ssh.authorizedKeys\[0\]: "ssh-dss" is not a key type sshd accepts/);
  assert.match(refused('{ "ssh": { "authorizedKeys": ["-----BEGIN OPENSSH PRIVATE KEY-----"] } }').message, /this is a private key/);
  assert.match(refused('{ "ssh": { "authorizedKeys": ["ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAIKRW you@pc"] } }').message, /damaged or of another type/);
  assert.match(refused(`{ "ssh": { "authorizedKeys": ["${KEY}", 5] } }`).message, /ssh.authorizedKeys\[1\]: must be a public key line/);
  assert.equal(parseSetupFile('{ "ssh": { "authorizedKeys": [] } }', F), {});
});

test('the web password follows the web page\'s rule, and is not quoted back', () => {
  const e = refused('{ "webPassword": "short-pw" }');
  assert.match(e.message, /webPassword: the password must be at least 10 characters long/);
  assert.not.match(e.message, /short-pw/);
});

test('not JSON, or not an object: the line and column, and the example to follow', () => {
  assert.match(refused('{\n  "hostname": "a"\n  "timezone": "UTC"\n}').message, /^\/boot\/firmware\/upsgate-setup.json: line 3, column 3: not valid JSON/);
  assert.match(refused('["hostname"]').message, /must be one object in braces/);
});

test.run();
