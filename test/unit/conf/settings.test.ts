import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, readFile, readdir, rm, stat, writeFile, mkdir, chmod } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultSettings, REDACTED, redactSettings, type GatewaySettings } from '../../../src/conf/settings-model.js';
import { loadSettings, parseSettings } from '../../../src/conf/settings.js';
import { formatSettings, saveSettings } from '../../../src/conf/settings-save.js';
import { assertError, confError, confErrorAsync } from './helpers.js';

const F = 'upsgate.json';
const parse = (s: string) => parseSettings(s, F);
const fail = (s: string) => confError(() => parse(s));
/** A file with `body` inside notify.email, next to a valid to/smtp unless body gives them. */
const email = (fields: string) => `{ "notify": { "email": { ${fields} } } }`;
const hook = (fields: string) => `{ "notify": { "webhooks": [ { ${fields} } ] } }`;

test('defaults: NUT behaviour (low battery), 30 s timer, nothing said about UPS power, no channels', () => {
  assert.equal(defaultSettings(), {
    file: undefined,
    shutdown: { mode: 'lowbattery', timerSeconds: 30, powerOffUps: undefined, actOnOnlineGlitch: false, lastToGo: false },
    notify: { email: undefined, webhooks: [] },
    mqtt: undefined,
  });
  assert.equal(parse('{}'), { ...defaultSettings(), file: F });
  assert.equal(parse('// nothing to change\n{ /* really */ }\n'), { ...defaultSettings(), file: F });
  assert.equal(parse('\ufeff{"shutdown": {}, "notify": {}}'), { ...defaultSettings(), file: F });
});

test('http.listen: the web UI address, refused with its rule when wrong, written back the same', () => {
  const s = parseSettings('{ "http": { "listen": "0.0.0.0:8080" } }', 'upsgate.json');
  assert.equal(s.http, { listen: { host: '0.0.0.0', port: 8080 } });
  assert.equal(parseSettings(formatSettings(s), 'upsgate.json').http, s.http);
  assert.equal(parseSettings(formatSettings({ ...s, http: { listen: { host: '::', port: 80 } } }), 'f').http, { listen: { host: '::', port: 80 } });
  assert.match(confError(() => parseSettings('{ "http": { "listen": "8080x" } }', 'upsgate.json')).message, /upsgate.json:1:\d+: http.listen .*accepted/);
  assert.match(confError(() => parseSettings('{ "http": { } }', 'upsgate.json')).message, 'http has no "listen"');
});

test('led: the backend and where the LED is; a gpio LED needs its line; written back the same', () => {
  const s = parseSettings('{ "led": { "backend": "sysfs", "name": "ACT" } }', 'upsgate.json');
  assert.equal(s.led, { backend: 'sysfs', name: 'ACT' });
  assert.equal(parseSettings(formatSettings(s), 'f').led, s.led);
  assert.equal(parseSettings('{ "led": { "backend": "gpio", "chip": "gpiochip0", "line": "GPIO17" } }', 'f').led, { backend: 'gpio', chip: 'gpiochip0', line: 'GPIO17' });
  assert.match(confError(() => parseSettings('{ "led": { "backend": "gpio" } }', 'upsgate.json')).message, 'needs "line"');
  assert.match(confError(() => parseSettings('{ "led": { "backend": "blink" } }', 'upsgate.json')).message, /led.backend/);
  assert.match(confError(() => parseSettings('{ "led": { "backend": "sysfs", "name": "../x" } }', 'upsgate.json')).message, /led.name/);
});

test('every shutdown field is read', () => {
  const s = parse('{ "shutdown": { "mode": "onbattery", "timerSeconds": 120, "powerOffUps": true, "actOnOnlineGlitch": true, "lastToGo": true, } }');
  assert.equal(s.shutdown, { mode: 'onbattery', timerSeconds: 120, powerOffUps: true, actOnOnlineGlitch: true, lastToGo: true });
  assert.is(parse('{ "shutdown": { "mode": "LowBattery", "powerOffUps": false } }').shutdown.mode, 'lowbattery');
  assert.is(parse('{ "shutdown": { "powerOffUps": false } }').shutdown.powerOffUps, false);
  assert.is(parse('{ "shutdown": { "powerOffUps": null } }').shutdown.powerOffUps, undefined);
  assert.is(parse('{ "shutdown": { "timerSeconds": 1 } }').shutdown.timerSeconds, 1);
  assert.is(parse('{ "shutdown": { "timerSeconds": 86400 } }').shutdown.timerSeconds, 86400);
});

test('every e-mail field is read; TrueNAS\'s "a;b" recipients are split', () => {
  const s = parse(
    email(
      '"to": "ops@example.org; admin@example.org;", "subject": "UPS %t on %h", "from": "ups@example.org", "types": ["onbatt", "LOWBATT", "Fsd"],' +
        '"smtp": { "host": "smtp.example.org", "port": 2525, "security": "tls", "username": "ups", "password": "s3cret", "rejectUnauthorized": false }',
    ),
  );
  assert.equal(s.notify.email, {
    to: ['ops@example.org', 'admin@example.org'],
    subject: 'UPS %t on %h',
    from: 'ups@example.org',
    smtp: { host: 'smtp.example.org', port: 2525, security: 'tls', username: 'ups', password: 's3cret', rejectUnauthorized: false },
    types: ['ONBATT', 'LOWBATT', 'FSD'],
  });
});

test('e-mail defaults: TrueNAS subject, STARTTLS on 587, certificates checked, every type, a from address', () => {
  const s = parse(email('"to": ["a@example.org", "a@example.org"], "smtp": { "host": "mail" }'));
  assert.equal(s.notify.email, {
    to: ['a@example.org'],
    subject: 'UPS report generated by %h',
    from: `upsgate@${hostname()}`,
    smtp: { host: 'mail', port: 587, security: 'starttls', rejectUnauthorized: true },
    types: 'all',
  });
  const port = (security: string) => parse(email(`"to": "a@b", "smtp": { "host": "m", "security": "${security}" }`)).notify.email?.smtp.port;
  assert.equal([port('none'), port('starttls'), port('tls')], [25, 587, 465]);
  // A login that is an address is the natural sender.
  assert.is(parse(email('"to": "a@b", "smtp": { "host": "m", "username": "me@gmail.com", "password": "p" }')).notify.email?.from, 'me@gmail.com');
  assert.is(parse('{ "notify": { "email": null } }').notify.email, undefined);
  assert.is(parse(email('"to": "a@b", "smtp": { "host": "m" }, "types": "ALL"')).notify.email?.types, 'all');
});

test('every webhook field is read, with json as the default format', () => {
  const s = parse(
    '{ "notify": { "webhooks": [\n' +
      '  { "url": "https://hooks.example.org/ups" },\n' +
      '  { "url": "https://ntfy.sh/my-ups", "format": "ntfy", "token": "tk_abc", "types": ["lowbatt"] },\n' +
      '  { "url": "http://gotify.lan:8080", "format": "GOTIFY", "token": "AppTok", "types": "all" },\n' +
      '] } }',
  );
  assert.equal(s.notify.webhooks, [
    { url: 'https://hooks.example.org/ups', format: 'json', types: 'all' },
    { url: 'https://ntfy.sh/my-ups', format: 'ntfy', token: 'tk_abc', types: ['LOWBATT'] },
    { url: 'http://gotify.lan:8080', format: 'gotify', token: 'AppTok', types: 'all' },
  ]);
});

test('syntax errors point at the spot', () => {
  assertError(fail('{\n  "shutdown": {\n    "mode": "onbattery"\n    "timerSeconds": 5\n  }\n}'), `${F}:4:5`, 'not valid JSON', 'a "," was expected', 'comments');
  assertError(fail('{ "a": '), `${F}:1:8`, 'a value was expected');
  assertError(fail('{ shutdown: {} }'), `${F}:1:3`, 'unexpected shutdown', 'need "double quotes"');
  assertError(fail('{ "shutdown": { "mode": onbattery } }'), `${F}:1:25`, 'unexpected onbattery');
  assertError(fail('{ "shutdown": { "mode" "onbattery" } }'), `${F}:1:24`, 'a ":" was expected');
  assertError(fail('{} {}'), `${F}:1:4`, 'text after the end');
  assertError(fail('{ "shutdown": { "mode": "onbattery } }'), `${F}:1:25`, 'a string that is never closed');
  assertError(fail('{ /* open '), `${F}:1:3`, 'a comment that is never closed');
});

test('an empty file or a file that is not an object is refused, never taken as defaults', () => {
  assertError(fail(''), `${F}:1:1`, 'the file is empty', 'delete the file to use the defaults');
  assertError(fail('  // only a comment\n'), `${F}:1:1`, 'the file is empty');
  assertError(fail('[]'), `${F}:1:1`, 'the file is an array', 'accepted: an object');
  assertError(fail('\n "text"'), `${F}:2:2`, 'the file is the string "text"');
});

test('unknown keys are errors naming the accepted ones (with a hint for the wrong case)', () => {
  assertError(fail('{\n  "shutdwn": {}\n}'), `${F}:2:3`, 'unknown key "shutdwn"', 'accepted in the file: shutdown, notify');
  assertError(fail('{ "shutdown": { "timer": 5 } }'), `${F}:1:17`, 'unknown key "shutdown.timer"', 'accepted in shutdown: mode, timerSeconds, powerOffUps, actOnOnlineGlitch, lastToGo');
  assertError(fail('{ "shutdown": { "TimerSeconds": 5 } }'), `${F}:1:17`, '(write timerSeconds)');
  assertError(fail('{ "notify": { "mqtt": {} } }'), `${F}:1:15`, 'unknown key "notify.mqtt"', 'accepted in notify: email, webhooks');
  assertError(fail(email('"to": "a@b", "smtp": { "host": "m" }, "cc": "c@d"')), `${F}:1:64`, 'unknown key "notify.email.cc"', 'to, subject, from, smtp, types');
  assertError(fail(email('"to": "a@b", "smtp": { "host": "m", "tls": true }')), `${F}:1:62`, 'notify.email.smtp.tls', 'host, port, security, username, password, rejectUnauthorized');
  assertError(fail(hook('"url": "https://x.org/h", "method": "PUT"')), `${F}:1:57`, 'unknown key "notify.webhooks[0].method"', 'url, format, token, types');
});

test('a key given twice is refused with the line of the first', () => {
  assertError(fail('{\n "shutdown": { "mode": "onbattery" },\n "shutdown": {}\n}'), `${F}:3:2`, 'shutdown repeats line 2');
});

test('shutdown refusals', () => {
  assertError(fail('{\n  "shutdown": {\n    "mode": "onbattery",\n    "timerSeconds": "30s"\n  }\n}'), `${F}:4:21`, 'shutdown.timerSeconds "30s" is not a whole number; accepted: 1 to 86400 seconds');
  assertError(fail('{ "shutdown": { "timerSeconds": 1.5 } }'), `${F}:1:33`, 'shutdown.timerSeconds 1.5 is not a whole number');
  assertError(fail('{ "shutdown": { "timerSeconds": 0 } }'), `${F}:1:33`, 'shutdown.timerSeconds 0 is out of range; accepted: 1 to 86400 seconds');
  assertError(fail('{ "shutdown": { "timerSeconds": 86401 } }'), `${F}:1:33`, 'out of range');
  assertError(fail('{ "shutdown": { "mode": "battery" } }'), `${F}:1:25`, 'shutdown.mode "battery" is not known; accepted: "lowbattery", "onbattery"');
  assertError(fail('{ "shutdown": { "mode": 1 } }'), `${F}:1:25`, 'shutdown.mode the number 1 is not a string');
  assertError(fail('{ "shutdown": { "powerOffUps": "yes" } }'), `${F}:1:32`, 'shutdown.powerOffUps "yes" is not a yes/no value; accepted: true or false');
  assertError(fail('{ "shutdown": { "actOnOnlineGlitch": 1 } }'), `${F}:1:38`, 'shutdown.actOnOnlineGlitch 1 is not a yes/no value');
  assertError(fail('{ "shutdown": { "lastToGo": null } }'), `${F}:1:29`, 'shutdown.lastToGo null is not a yes/no value');
  assertError(fail('{ "shutdown": [] }'), `${F}:1:15`, 'shutdown is an array; accepted: an object');
});

test('e-mail refusals', () => {
  assertError(fail(email('"smtp": { "host": "m" }')), `${F}:1:24`, 'notify.email has no "to"');
  assertError(fail(email('"to": "a@b"')), `${F}:1:24`, 'notify.email has no "smtp"');
  assertError(fail(email('"to": "a@b;nobody", "smtp": { "host": "m" }')), `${F}:1:32`, 'notify.email.to "nobody" is not an e-mail address; accepted: name@example.org');
  assertError(fail(email('"to": ["a@b", "x y@z"], "smtp": { "host": "m" }')), `${F}:1:40`, 'notify.email.to "x y@z" is not an e-mail address');
  assertError(fail(email('"to": ["a@b", 5], "smtp": { "host": "m" }')), `${F}:1:40`, 'notify.email.to the number 5 is not a string');
  assertError(fail(email('"to": " ; ", "smtp": { "host": "m" }')), `${F}:1:32`, 'notify.email.to names nobody', '"a@example.org;b@example.org"');
  assertError(fail(email('"to": [], "smtp": { "host": "m" }')), `${F}:1:32`, 'names nobody');
  assertError(fail(email('"to": {}, "smtp": { "host": "m" }')), `${F}:1:32`, 'notify.email.to is an object');
  assertError(fail(email('"to": "a@b", "subject": "UPS\\r\\nBcc: evil@x", "smtp": { "host": "m" }')), `${F}:1:50`, 'notify.email.subject', 'line break', 'one line');
  assertError(fail(email('"to": "a@b", "subject": "", "smtp": { "host": "m" }')), `${F}:1:50`, 'notify.email.subject is empty');
  assertError(fail(email('"to": "a@b", "from": "ups", "smtp": { "host": "m" }')), `${F}:1:47`, 'notify.email.from "ups" is not an e-mail address');
  assertError(fail(email('"to": "a@b", "smtp": {}')), `${F}:1:47`, 'notify.email.smtp has no "host"');
  assertError(fail(email('"to": "a@b", "smtp": "smtp.example.org"')), `${F}:1:47`, 'notify.email.smtp is the string "smtp.example.org"; accepted: an object');
  assertError(fail(email('"to": "a@b", "smtp": { "host": "smtp://m/" }')), `${F}:1:57`, 'notify.email.smtp.host "smtp://m/" is not a host name');
  assertError(fail(email('"to": "a@b", "smtp": { "host": "m", "port": 0 }')), `${F}:1:70`, 'notify.email.smtp.port 0 is out of range; accepted: 1 to 65535');
  assertError(fail(email('"to": "a@b", "smtp": { "host": "m", "port": "587" }')), `${F}:1:70`, 'not a whole number');
  assertError(fail(email('"to": "a@b", "smtp": { "host": "m", "security": "ssl" }')), `${F}:1:74`, 'notify.email.smtp.security "ssl" is not known; accepted: "none", "starttls", "tls"');
  assertError(fail(email('"to": "a@b", "smtp": { "host": "m", "rejectUnauthorized": "no" }')), `${F}:1:84`, 'rejectUnauthorized "no" is not a yes/no value');
  assertError(fail(email('"to": "a@b", "smtp": { "host": "m", "username": "u" }')), `${F}:1:74`, 'notify.email.smtp.username has no password; accepted: both username and password, or neither');
  assertError(fail(email('"to": "a@b", "smtp": { "host": "m", "password": "p" }')), `${F}:1:74`, 'notify.email.smtp.password has no username');
  assertError(fail(email('"to": "a@b", "smtp": { "host": "m" }, "types": []')), `${F}:1:73`, 'notify.email.types is empty, so nothing would be sent');
  assertError(fail(email('"to": "a@b", "smtp": { "host": "m" }, "types": ["ONBATT", "POWERFAIL"]')), `${F}:1:84`, 'notify.email.types "POWERFAIL" is not a notification type; accepted: "all" or a list of ONLINE, ONBATT, LOWBATT');
  assertError(fail(email('"to": "a@b", "smtp": { "host": "m" }, "types": "ONBATT"')), `${F}:1:73`, 'notify.email.types is the string "ONBATT"; accepted: "all" or a list');
  assertError(fail('{ "notify": { "email": true } }'), `${F}:1:24`, 'notify.email is the boolean true; accepted: an object');
});

test('webhook refusals', () => {
  assertError(fail('{ "notify": { "webhooks": {} } }'), `${F}:1:27`, 'notify.webhooks is an object; accepted: an array');
  assertError(fail(hook('"format": "json"')), `${F}:1:29`, 'notify.webhooks[0] has no "url"');
  assertError(fail(hook('"url": "ftp://x.org/h"')), `${F}:1:38`, 'notify.webhooks[0].url "ftp://x.org/h" is not an http(s) URL; accepted: http://host[:port]/path');
  assertError(fail(hook('"url": "hooks.example.org/x"')), `${F}:1:38`, 'is not an http(s) URL');
  assertError(fail(hook('"url": ""')), `${F}:1:38`, 'notify.webhooks[0].url is empty');
  assertError(fail(hook('"url": "https://x.org/", "format": "slack"')), `${F}:1:66`, 'notify.webhooks[0].format "slack" is not known; accepted: "json", "ntfy", "gotify"');
  assertError(fail(hook('"url": "https://ntfy.sh/", "format": "ntfy"')), `${F}:1:38`, 'names no topic', 'https://ntfy.sh/my-ups-alerts');
  assertError(fail(hook('"url": "https://push.lan", "format": "gotify"')), `${F}:1:29`, 'notify.webhooks[0] has no "token"; accepted for gotify: the application token');
  assertError(fail(hook('"url": "https://x.org/h", "token": ""')), `${F}:1:66`, 'notify.webhooks[0].token is empty');
  assertError(fail(hook('"url": "https://x.org/h", "types": ["onbat"]')), `${F}:1:67`, 'notify.webhooks[0].types "onbat" is not a notification type');
  assertError(fail('{ "notify": { "webhooks": [ { "url": "https://x.org/a" },\n { "url": 7 } ] } }'), `${F}:2:11`, 'notify.webhooks[1].url the number 7 is not a string');
  const many = Array.from({ length: 17 }, () => '{ "url": "https://x.org/h" }').join(',\n');
  assertError(fail(`{ "notify": { "webhooks": [\n${many}\n] } }`), `${F}:18:1`, 'notify.webhooks has 17 entries; accepted: at most 16');
});

test('formatSettings writes what parseSettings reads back to the same settings', () => {
  const s = parse(
    '{ "shutdown": { "mode": "onbattery", "timerSeconds": 45, "powerOffUps": false, "lastToGo": true },' +
      '"notify": { "email": { "to": "a@b.org;c@d.org", "from": "u@b.org", "subject": "x %h", "types": ["FSD"], "smtp": { "host": "m", "port": 25, "security": "none", "username": "u", "password": "p" } },' +
      '"webhooks": [ { "url": "https://ntfy.sh/t", "format": "ntfy" }, { "url": "http://g.lan/", "format": "gotify", "token": "t" } ] } }',
  );
  assert.equal(parseSettings(formatSettings(s), F), s);
  assert.equal(parseSettings(formatSettings(defaultSettings()), F), { ...defaultSettings(), file: F });
  assert.not.match(formatSettings(s), /"file"/);
});

test('redactSettings hides passwords and tokens, in fields and in URLs, and leaves the original alone', () => {
  const s = parse(
    '{ "notify": { "email": { "to": "a@b", "smtp": { "host": "m", "username": "u", "password": "hunter2" } },' +
      '"webhooks": [ { "url": "https://bob:pw@ntfy.example/t?auth=abc&x=1", "format": "ntfy", "token": "tk_secret" }, { "url": "https://x.org/h" } ] } }',
  );
  const r = redactSettings(s);
  assert.is(r.notify.email?.smtp.password, REDACTED);
  assert.is(r.notify.email?.smtp.username, 'u');
  assert.is(r.notify.webhooks[0]?.token, REDACTED);
  assert.is(r.notify.webhooks[1]?.token, undefined);
  const shown = JSON.stringify(r);
  for (const secret of ['hunter2', 'tk_secret', ':pw@', 'abc']) assert.not.ok(shown.includes(secret), `${secret} shown in ${shown}`);
  assert.ok(r.notify.webhooks[0]?.url.startsWith('https://bob:'));
  assert.ok(r.notify.webhooks[0]?.url.includes('x=1'));
  assert.is(s.notify.email?.smtp.password, 'hunter2');
});

// ---------------------------------------------------------------------------------------------
// Files

async function folder(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'upsgate-settings-'));
}

function sample(): GatewaySettings {
  const s = defaultSettings();
  s.shutdown = { mode: 'onbattery', timerSeconds: 90, powerOffUps: true, actOnOnlineGlitch: false, lastToGo: false };
  s.notify.email = { to: ['a@example.org', 'b@example.org'], subject: 'UPS %t', from: 'ups@example.org', smtp: { host: 'smtp.example.org', port: 587, security: 'starttls', username: 'ups', password: 'pw', rejectUnauthorized: true }, types: 'all' };
  s.notify.webhooks = [{ url: 'https://ntfy.sh/ups', format: 'ntfy', token: 'tk', types: ['ONBATT', 'LOWBATT'] }];
  return s;
}

test('loadSettings: a missing file gives the defaults; a present one is parsed with its name', async () => {
  const dir = await folder();
  try {
    assert.equal(await loadSettings(join(dir, 'upsgate.json')), defaultSettings());
    await writeFile(join(dir, 'upsgate.json'), '{ "shutdown": { "mode": "onbattery" } }');
    const s = await loadSettings(join(dir, 'upsgate.json'));
    assert.is(s.file, join(dir, 'upsgate.json'));
    assert.is(s.shutdown.mode, 'onbattery');
    await writeFile(join(dir, 'upsgate.json'), '{\n "shutdown": 3 }');
    assertError(await confErrorAsync(() => loadSettings(join(dir, 'upsgate.json'))), `${join(dir, 'upsgate.json')}:2:14`, 'shutdown is the number 3');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('loadSettings: unreadable files are a ConfError saying why', async () => {
  const dir = await folder();
  try {
    await mkdir(join(dir, 'upsgate.json'));
    assertError(await confErrorAsync(() => loadSettings(join(dir, 'upsgate.json'))), `${join(dir, 'upsgate.json')}:1:1`, 'cannot be read', 'not a regular file');
    await writeFile(join(dir, 'latin1.json'), Buffer.from([0x7b, 0x22, 0xe9, 0x22, 0x7d]));
    assertError(await confErrorAsync(() => loadSettings(join(dir, 'latin1.json'))), `${join(dir, 'latin1.json')}:1:1`, 'not UTF-8');
    assertError(await confErrorAsync(() => loadSettings('/dev/zero')), '/dev/zero:1:1', 'not a regular file');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('saveSettings → loadSettings round-trips every field; the file is 0600', async () => {
  const dir = await folder();
  const file = join(dir, 'upsgate.json');
  try {
    await saveSettings(file, sample());
    assert.equal(await loadSettings(file), { ...sample(), file });
    assert.is((await stat(file)).mode & 0o777, 0o600);
    assert.equal((await readdir(dir)).sort(), ['upsgate.json']); // no .bak without a previous file, no temp left
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('saveSettings keeps the previous good file as .bak (0600) and tightens a loose mode', async () => {
  const dir = await folder();
  const file = join(dir, 'upsgate.json');
  try {
    const old = '// hand-written\n{ "shutdown": { "timerSeconds": 10 } }\n';
    await writeFile(file, old, { mode: 0o644 });
    await chmod(file, 0o644);
    await saveSettings(file, sample());
    assert.is(await readFile(`${file}.bak`, 'utf8'), old);
    assert.is((await stat(`${file}.bak`)).mode & 0o777, 0o600);
    assert.is((await stat(file)).mode & 0o777, 0o600);
    const next = sample();
    next.shutdown.timerSeconds = 300;
    await saveSettings(file, next);
    assert.is((await loadSettings(`${file}.bak`)).shutdown.timerSeconds, 90);
    assert.is((await loadSettings(file)).shutdown.timerSeconds, 300);
    assert.equal((await readdir(dir)).sort(), ['upsgate.json', 'upsgate.json.bak']);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a broken current file does not overwrite the last good .bak', async () => {
  const dir = await folder();
  const file = join(dir, 'upsgate.json');
  try {
    await saveSettings(file, sample());
    await saveSettings(file, sample()); // .bak = a good copy
    await writeFile(file, '{ "shutdown": '); // someone broke it by hand
    await saveSettings(file, defaultSettings());
    assert.equal(await loadSettings(`${file}.bak`), { ...sample(), file: `${file}.bak` });
    assert.equal(await loadSettings(file), { ...defaultSettings(), file });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a failed write leaves the old file and no temporary file behind', async () => {
  const dir = await folder();
  const file = join(dir, 'upsgate.json');
  try {
    await saveSettings(file, sample());
    const before = await readFile(file, 'utf8');
    let temp = '';
    const err = await saveSettings(file, defaultSettings(), {
      async beforeRename(t) {
        temp = t;
        throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
      },
    }).then(
      () => undefined,
      (e: Error) => e,
    );
    assert.ok(err, 'saveSettings should have failed');
    assert.match(err!.message, `${file}: the settings could not be saved (ENOSPC); the previous file is unchanged`);
    assert.ok(temp.startsWith(dir));
    assert.is(await readFile(file, 'utf8'), before);
    assert.equal((await readdir(dir)).sort(), ['upsgate.json', 'upsgate.json.bak']);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('saveSettings refuses settings it could not load again, before touching the disk', async () => {
  const dir = await folder();
  const file = join(dir, 'upsgate.json');
  try {
    const bad = sample();
    bad.shutdown.timerSeconds = 0;
    assertError(await confErrorAsync(() => saveSettings(file, bad)), `${file}:4:21`, 'shutdown.timerSeconds 0 is out of range');
    const badMail = sample();
    badMail.notify.email!.to = ['not-an-address'];
    await confErrorAsync(() => saveSettings(file, badMail));
    assert.equal(await readdir(dir), []);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('saving into a folder that does not exist says so and names the file', async () => {
  const err = await saveSettings('/nonexistent-upsgate-dir/upsgate.json', sample()).then(
    () => undefined,
    (e: Error) => e,
  );
  assert.match(err?.message ?? '', '/nonexistent-upsgate-dir/upsgate.json: the settings could not be saved (ENOENT)');
});

test.run();
