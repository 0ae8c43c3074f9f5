// The command line as a user meets it: help, version, check-config on good and bad folders, run
// refusing a bad folder with file:line:column, NUT's own "must fail to start" cases (nit.sh), and
// the built-in defaults that `npm start` runs: Debian's `upsc ups@localhost` must show the
// simulated UPS.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { failure } from '../helpers/fail.js';
import { Daemon, requirePeers, runCommand, sleep } from '../helpers/nut-sandbox.js';
import { freePort } from '../helpers/ports.js';
import { runUpsgate, UPSGATE_ENTRY } from '../helpers/upsgate-process.js';

const cli = suite('command line');
const dirs: string[] = [];

/** A NUT folder made of the given files, in a temp dir removed after the suite. */
async function folder(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'upsgate-cli-'));
  dirs.push(dir);
  for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content, { mode: 0o600 });
  return dir;
}

const GOOD = {
  'ups.conf': '[rack]\n  driver = dummy-ups\n  port = rack.dev\n  desc = "Rack UPS"\n',
  'upsd.conf': 'LISTEN 127.0.0.1 3493\n',
  'upsd.users': '[mon]\n  password = secret\n  upsmon secondary\n',
  'rack.dev': 'ups.status: OL\nbattery.charge: 100\n',
};

cli.after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

cli('--help and version', async () => {
  const help = await runUpsgate(['--help']);
  assert.is(help.code, 0);
  assert.match(help.stdout, /upsgate run \[--nut-conf DIR\]/);
  assert.match(help.stdout, /check-config/);
  assert.match(help.stdout, /--mqtt URL .*\n[^]*--mqtt-broker \[HOST:\]PORT/);
  const version = await runUpsgate(['version']);
  assert.is(version.code, 0);
  assert.match(version.stdout, /^upsgate \d+\.\d+\.\d+\n$/);
});

cli('usage errors exit 2 and say what is accepted', async () => {
  const unknown = await runUpsgate(['start']);
  assert.is(unknown.code, 2);
  assert.match(unknown.stderr, /unknown command "start"; commands are run, check-config, killpower, scan, hid-dump, version/);
  const option = await runUpsgate(['run', '--port', '1']);
  assert.is(option.code, 2);
  assert.match(option.stderr, /unknown option --port/);
  const level = await runUpsgate(['run', '--log-level', 'loud']);
  assert.is(level.code, 2);
  assert.match(level.stderr, /accepted levels are debug, info, warn, error/);
});

cli('check-config accepts a good folder and names what it found', async () => {
  const dir = await folder(GOOD);
  const r = await runUpsgate(['check-config', '--nut-conf', dir]);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /configuration is good: 1 UPS \(rack\), 1 user/);
});

cli('upsgate.json without upsmon.conf: its mqtt section is read and shown without secrets; shutdown/notify draw a warning', async () => {
  const dir = await folder({
    ...GOOD,
    'upsgate.json': '{ "mqtt": { "url": "mqtt://broker.lan:1883", "username": "ha", "password": "mq-secret", "broker": { "listen": "127.0.0.1:18830", "username": "a", "password": "br-secret" } } }\n',
  });
  const r = await runUpsgate(['check-config', '--nut-conf', dir]);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /configuration is good: 1 UPS \(rack\), 1 user\(s\), MQTT to mqtt:\/\/broker\.lan:1883, embedded broker on 127\.0\.0\.1:18830\n$/);
  assert.not.match(r.stderr, /ignored/);
  for (const secret of ['mq-secret', 'br-secret']) assert.not.ok(`${r.stdout}${r.stderr}`.includes(secret), secret);

  const withPolicy = await folder({ ...GOOD, 'upsgate.json': '{ "shutdown": { "mode": "onbattery" }, "mqtt": { "broker": { "listen": "[::1]:18831" } } }\n' });
  const w = await runUpsgate(['check-config', '--nut-conf', withPolicy]);
  assert.is(w.code, 0, w.stderr);
  assert.match(w.stdout, /, MQTT to the embedded broker on \[::1\]:18831\n$/);
  assert.match(w.stderr, /upsgate\.json: shutdown and notify are ignored: they are the monitor's, which runs only with upsmon\.conf/);

  const bad = await folder({ ...GOOD, 'upsgate.json': '{\n  "mqtt": {\n    "url": "mqtt://ha:pw@broker.lan" } }\n' });
  const b = await runUpsgate(['check-config', '--nut-conf', bad]);
  assert.is(b.code, 1, b.stderr);
  assert.match(b.stderr, /upsgate\.json:3:12: mqtt\.url holds a user name or password; accepted: /);
  assert.not.match(b.stderr, /:pw@/);
});

cli('--mqtt and --mqtt-broker with and without --nut-conf; a contradiction with upsgate.json exits 2', async () => {
  const builtIn = await runUpsgate(['check-config', '--mqtt-broker', '18832']);
  assert.is(builtIn.code, 0, builtIn.stderr);
  assert.match(builtIn.stdout, /^built-in defaults: configuration is good: 1 UPS \(ups\), 0 user\(s\), MQTT to the embedded broker on 127\.0\.0\.1:18832\n$/);
  const dir = await folder({ ...GOOD, 'ca.pem': 'x', 'upsgate.json': '{ "mqtt": { "url": "mqtts://own.lan", "tls": { "ca": "ca.pem" } } }\n' });
  const over = await runUpsgate(['check-config', '--nut-conf', dir, '--mqtt', 'mqtts://other.lan:8884']);
  assert.is(over.code, 0, over.stderr);
  assert.match(over.stdout, /MQTT to mqtts:\/\/other\.lan:8884\n$/);
  const plain = await runUpsgate(['check-config', '--nut-conf', dir, '--mqtt', 'mqtt://other.lan']);
  assert.is(plain.code, 2, plain.stderr);
  assert.match(plain.stderr, /^upsgate: --mqtt is mqtt:\/\/ but upsgate\.json's mqtt\.tls names ca; accepted: an mqtts:\/\/ URL/);
  const wrong = await runUpsgate(['run', '--mqtt', 'tcp://broker']);
  assert.is(wrong.code, 2);
  assert.match(wrong.stderr, /^upsgate: --mqtt has the scheme tcp; accepted: mqtt:\/\/host\[:port\] or mqtts:\/\/host\[:port\]/);
});

cli('a bad line stops check-config and run with file:line:column and the accepted form', async () => {
  const dir = await folder({ ...GOOD, 'ups.conf': '[rack]\n  driver = dummy-ups\n  port rack.dev\n' });
  for (const command of ['check-config', 'run']) {
    const r = await runUpsgate([command, '--nut-conf', dir], { timeoutMs: 10000 });
    assert.is(r.code, 1, `${command}: ${r.stderr}`);
    assert.match(r.stderr, new RegExp(`${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/ups\\.conf:3:3: .*"port rack\\.dev".*=`));
  }
});

cli("a driver's refusal names the ups.conf line: unsupported driver, unknown option, missing file", async () => {
  const cases: Array<[string, RegExp]> = [
    ['[rack]\n  driver = usbhid-ups2\n  port = auto\n', /ups\.conf:2:\d+: .*usbhid-ups2.*dummy-ups/],
    ['[rack]\n  driver = dummy-ups\n  port = rack.dev\n  cable = 940-0095B\n', /ups\.conf:4:3: 'cable' is not a valid variable name for driver dummy-ups/],
    ['[rack]\n  driver = dummy-ups\n  port = missing.dev\n', /ups\.conf:3:\d+: .*missing\.dev/],
  ];
  for (const [upsConf, expected] of cases) {
    const dir = await folder({ ...GOOD, 'ups.conf': upsConf, 'upsd.conf': `LISTEN 127.0.0.1 ${await freePort()}\n` });
    const r = await runUpsgate(['run', '--nut-conf', dir], { timeoutMs: 10000 });
    assert.is(r.code, 1, r.stderr);
    assert.match(r.stderr, expected);
  }
});

cli("NUT's must-fail-to-start cases (nit.sh): no configs, upsd.conf alone, ups.conf without a UPS", async () => {
  const cases: Array<[Record<string, string>, RegExp]> = [
    [{}, /upsd\.conf/],
    [{ 'upsd.conf': GOOD['upsd.conf'] }, /ups\.conf/],
    [{ 'upsd.conf': GOOD['upsd.conf'], 'upsd.users': '', 'ups.conf': 'maxretry = 3\n' }, /ALLOW_NO_DEVICE/],
  ];
  for (const [files, expected] of cases) {
    const r = await runUpsgate(['run', '--nut-conf', await folder(files)], { timeoutMs: 10000 });
    assert.is(r.code, 1, r.stderr);
    assert.match(r.stderr, expected);
  }
});

cli('ALLOW_NO_DEVICE true: serves an empty list (upsc -l exits 0 with no output)', async () => {
  requirePeers('upsc');
  const port = await freePort();
  const dir = await folder({ 'upsd.conf': `LISTEN 127.0.0.1 ${port}\nALLOW_NO_DEVICE true\n`, 'upsd.users': '', 'ups.conf': 'maxretry = 3\n' });
  const gw = Daemon.spawn('upsgate', process.execPath, [UPSGATE_ENTRY, 'run', '--nut-conf', dir], process.env);
  try {
    let r = await runCommand('/usr/bin/upsc', ['-l', `127.0.0.1:${port}`]);
    for (let i = 0; i < 50 && r.code !== 0; i++) {
      await sleep(100);
      r = await runCommand('/usr/bin/upsc', ['-l', `127.0.0.1:${port}`]);
    }
    assert.is(r.code, 0, `${r.stderr}\n${gw.log}`);
    assert.is(r.stdout, '');
  } finally {
    await gw.stop();
  }
});

/** True when nothing listens on 127.0.0.1:3493 (the built-in defaults need NUT's port). */
function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

cli('built-in defaults (npm start): upsc ups@localhost shows the simulated UPS on 127.0.0.1 and ::1', async () => {
  requirePeers('upsc');
  if (!(await portFree(3493))) {
    throw failure('port 3493 on 127.0.0.1 is taken by another program: stop it (upsd? another upsgate?) to run this test');
  }
  const gw = Daemon.spawn('upsgate', process.execPath, [UPSGATE_ENTRY, 'run'], process.env);
  try {
    let r = await runCommand('/usr/bin/upsc', ['ups@localhost', 'ups.status']);
    for (let i = 0; i < 50 && r.stdout.trim() !== 'OL'; i++) {
      await sleep(100);
      r = await runCommand('/usr/bin/upsc', ['ups@localhost', 'ups.status']);
    }
    assert.is(r.stdout.trim(), 'OL', `${r.stderr}\n${gw.log}`);
    const all = await runCommand('/usr/bin/upsc', ['ups@127.0.0.1']);
    assert.match(all.stdout, /^device\.model: SimUPS 1500 LI$/m);
    assert.match(all.stdout, /^driver\.name: dummy-ups$/m);
    const v6 = await runCommand('/usr/bin/upsc', ['ups@[::1]', 'battery.charge']);
    assert.is(v6.stdout.trim(), '100', v6.stderr);
    const list = await runCommand('/usr/bin/upsc', ['-L', 'localhost']);
    assert.is(list.stdout, 'ups: Simulated UPS (upsgate built-in)\n');
  } finally {
    const end = await gw.stop();
    assert.is(end.code, 0, 'SIGTERM ends it cleanly');
  }
});

cli.run();
