import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { firstBootCommand } from '../../../src/appliance/first-boot-command.js';
import { APPLIED_FILE, ERROR_FILE, runFirstBoot, type FirstBootPaths } from '../../../src/appliance/first-boot.js';
import { AdminAccount } from '../../../src/ui/security/admin-account.js';

const repo = new URL('../../../', import.meta.url).pathname;
const IMAGE_CONF = path.join(repo, 'image/data/upsgate/conf');

/** A boot partition, a root with what the image's /etc has, and the state folder with the image's default NUT folder. */
function box(): FirstBootPaths & { dir: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'upsgate-first-boot-'));
  const paths = { dir, boot: path.join(dir, 'boot'), root: path.join(dir, 'root'), state: path.join(dir, 'state') };
  mkdirSync(paths.boot);
  mkdirSync(path.join(paths.root, 'etc'), { recursive: true });
  mkdirSync(path.join(paths.root, 'usr/share/zoneinfo/Europe'), { recursive: true });
  writeFileSync(path.join(paths.root, 'usr/share/zoneinfo/Europe/Berlin'), 'TZif');
  writeFileSync(path.join(paths.root, 'usr/share/zoneinfo/UTC'), 'TZif');
  cpSync(path.join(repo, 'image/rootfs/etc/hosts'), path.join(paths.root, 'etc/hosts'));
  writeFileSync(path.join(paths.root, 'etc/hostname'), 'upsgate\n');
  mkdirSync(paths.state);
  cpSync(IMAGE_CONF, path.join(paths.state, 'conf'), { recursive: true });
  return paths;
}

const keyPair = (dir: string): string => {
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'you@pc', '-f', path.join(dir, 'key')]);
  return readFileSync(path.join(dir, 'key.pub'), 'utf8').trim();
};

const run = async (paths: FirstBootPaths) => {
  const lines: string[] = [];
  const outcome = await runFirstBoot(paths, (l) => lines.push(l));
  return { outcome, log: lines.join('\n') };
};

const userFolder = (paths: FirstBootPaths, files: Record<string, string>) => {
  mkdirSync(path.join(paths.boot, 'upsgate'));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(paths.boot, 'upsgate', name), text);
};

const USER_UPS = '[ups]\r\n  driver = dummy-ups\r\n  port = ups.dev\r\n';
const USER_USERS = '[monuser]\n  password = mon-secret-42\n  upsmon primary\n';
const USER_UPSMON = 'MONITOR ups@localhost 1 monuser mon-secret-42 primary\nSHUTDOWNCMD "/sbin/shutdown -h +0"\nPOWERDOWNFLAG /run/upsgate/killpower\n';

test('everything applied, then the secrets deleted and a record without them left', async () => {
  const paths = box();
  const key = keyPair(paths.dir);
  writeFileSync(path.join(paths.boot, 'upsgate-setup.json'), `\uFEFF// mine\r\n{\r\n "hostname": "nas-ups",\r\n "timezone": "Europe/Berlin",\r\n` +
    ` "wifi": { "country": "DE", "ssid": "Home", "psk": "wifi-passphrase-77", "hidden": true },\r\n` +
    ` "ssh": { "authorizedKeys": ["${key}"] },\r\n "webPassword": "web-password-1234",\r\n}\r\n`);
  userFolder(paths, { 'ups.conf': USER_UPS, 'ups.dev': 'ups.status: OL\n', 'upsd.users': USER_USERS, 'upsmon.conf': USER_UPSMON, '.DS_Store': 'x', '._ups.conf': 'x' });
  writeFileSync(path.join(paths.boot, ERROR_FILE), 'from a boot before');

  const { outcome, log } = await run(paths);
  assert.is(outcome, 'applied', log);
  const etc = (f: string) => readFileSync(path.join(paths.root, 'etc', f), 'utf8');
  assert.is(etc('hostname'), 'nas-ups\n');
  assert.match(etc('hosts'), /^127\.0\.1\.1\tnas-ups$/m);
  assert.not.match(etc('hosts'), /upsgate/);
  assert.match(etc('hosts'), /^127\.0\.0\.1\tlocalhost$/m);
  assert.is(readlinkSync(path.join(paths.root, 'etc/localtime')), '../usr/share/zoneinfo/Europe/Berlin');
  assert.is(etc('timezone'), 'Europe/Berlin\n');
  const wpa = etc('wpa_supplicant/wpa_supplicant-wlan0.conf');
  assert.match(wpa, /ssid="Home"/);
  assert.match(wpa, /scan_ssid=1/);
  assert.not.match(wpa, /wifi-passphrase-77/);
  assert.is(statSync(path.join(paths.root, 'etc/wpa_supplicant/wpa_supplicant-wlan0.conf')).mode & 0o777, 0o600);
  assert.is(readFileSync(path.join(paths.root, 'root/.ssh/authorized_keys'), 'utf8'), `${key}\n`);
  assert.is(statSync(path.join(paths.root, 'root/.ssh')).mode & 0o777, 0o700);

  const account = new AdminAccount(path.join(paths.state, 'web-admin.json'));
  await account.load();
  assert.ok(await account.verify('web-password-1234'));

  // The user's files replace the image's; upsd.conf and upsgate.json (the web page on port 80) stay.
  const conf = path.join(paths.state, 'conf');
  assert.equal(readdirSync(conf).sort(), ['ups.conf', 'ups.dev', 'upsd.conf', 'upsd.users', 'upsgate.json', 'upsmon.conf']);
  assert.is(readFileSync(path.join(conf, 'ups.conf'), 'utf8'), USER_UPS);
  assert.is(readFileSync(path.join(conf, 'upsgate.json'), 'utf8'), readFileSync(path.join(IMAGE_CONF, 'upsgate.json'), 'utf8'));
  assert.is(statSync(path.join(conf, 'upsd.users')).mode & 0o777, 0o600);
  assert.is(statSync(path.join(conf, 'ups.dev')).mode & 0o777, 0o640);
  assert.is(readFileSync(path.join(paths.state, 'conf.previous/ups.conf'), 'utf8'), readFileSync(path.join(IMAGE_CONF, 'ups.conf'), 'utf8'));
  assert.not.ok(existsSync(path.join(paths.state, 'conf.new')));

  assert.equal(readdirSync(paths.boot), [APPLIED_FILE]);
  const record = readFileSync(path.join(paths.boot, APPLIED_FILE), 'utf8');
  for (const secret of ['wifi-passphrase-77', 'web-password-1234', 'mon-secret-42', key.split(' ')[1]!]) {
    assert.not.ok(record.includes(secret), `the record holds ${secret}`);
    assert.not.ok(log.includes(secret), `the log holds ${secret}`);
  }
  const parsed = JSON.parse(record);
  assert.equal(parsed.wifi, { country: 'DE', ssid: 'Home', hidden: true, security: 'WPA-PSK' });
  assert.equal(parsed.nutFolder.given.sort(), ['ups.conf', 'ups.dev', 'upsd.users', 'upsmon.conf']);
  assert.equal(parsed.nutFolder.skipped.sort(), ['.DS_Store', '._ups.conf']);
  assert.equal(parsed.ssh, { authorizedKeysGiven: 1, authorizedKeysAdded: 1 });

  // The next boot finds nothing; a second setup adds keys, never drops the ones there.
  assert.is((await run(paths)).outcome, 'nothing');
  const second = keyPair(path.join(paths.dir, 'boot'));
  rmSync(path.join(paths.boot, 'key'));
  rmSync(path.join(paths.boot, 'key.pub'));
  writeFileSync(path.join(paths.boot, 'upsgate-setup.json.txt'), `{ "ssh": { "authorizedKeys": ["${key}", "${second}"] } }`);
  assert.is((await run(paths)).outcome, 'applied');
  assert.is(readFileSync(path.join(paths.root, 'root/.ssh/authorized_keys'), 'utf8'), `${key}\n${second}\n`);
  rmSync(paths.dir, { recursive: true });
});

test('a problem anywhere changes nothing, and every problem is in the error file', async () => {
  const paths = box();
  const setup = '{\n  "hostname": "nas-ups",\n  "timezone": "Mars/Olympus",\n  "webPassword": "web-password-1234"\n}\n';
  writeFileSync(path.join(paths.boot, 'upsgate-setup.json'), setup);
  userFolder(paths, { 'ups.conf': '[ups]\n  driver = dummy-ups\n', 'upsd.users': USER_USERS });
  const before = readdirSync(path.join(paths.state, 'conf')).map((f) => readFileSync(path.join(paths.state, 'conf', f), 'utf8'));

  const { outcome, log } = await run(paths);
  assert.is(outcome, 'refused');
  const report = readFileSync(path.join(paths.boot, ERROR_FILE), 'utf8');
  assert.match(report, /nothing was changed/);
  assert.match(report, /upsgate-setup.json: timezone: "Mars\/Olympus" is not a time zone this system knows/);
  // The file as the user knows it: on the boot partition, with its line.
  assert.match(report, new RegExp(`${paths.boot}/upsgate/ups.conf:1:1: no section with both driver and port`));
  assert.match(report, /\r\n/);
  assert.not.match(report + log, /web-password-1234|mon-secret-42/);
  assert.is(readFileSync(path.join(paths.root, 'etc/hostname'), 'utf8'), 'upsgate\n');
  assert.not.ok(existsSync(path.join(paths.state, 'web-admin.json')));
  assert.equal(readdirSync(path.join(paths.state, 'conf')).map((f) => readFileSync(path.join(paths.state, 'conf', f), 'utf8')), before);
  assert.not.ok(existsSync(path.join(paths.state, 'conf.new')));
  assert.not.ok(existsSync(path.join(paths.state, 'conf.previous')));
  assert.ok(existsSync(path.join(paths.boot, 'upsgate-setup.json')), 'the setup file stays for the user to fix');
  assert.ok(existsSync(path.join(paths.boot, 'upsgate/ups.conf')));

  // Fixed on the PC: the next boot applies it and removes the error file.
  writeFileSync(path.join(paths.boot, 'upsgate-setup.json'), setup.replace('Mars/Olympus', 'UTC'));
  writeFileSync(path.join(paths.boot, 'upsgate/ups.conf'), USER_UPS);
  assert.is((await run(paths)).outcome, 'applied');
  assert.not.ok(existsSync(path.join(paths.boot, ERROR_FILE)));
  rmSync(paths.dir, { recursive: true });
});

test('two setup files and a sub-folder are refused; a bad file kept from the live folder is named there', async () => {
  const paths = box();
  userFolder(paths, { 'ups.conf': USER_UPS });
  mkdirSync(path.join(paths.boot, 'upsgate/old'));
  writeFileSync(path.join(paths.boot, 'upsgate-setup.json'), '{}');
  writeFileSync(path.join(paths.boot, 'upsgate-setup.jsonc'), '{}');
  assert.is((await run(paths)).outcome, 'refused');
  const report = readFileSync(path.join(paths.boot, ERROR_FILE), 'utf8');
  assert.match(report, /there are 2 setup files; keep one, named upsgate-setup.json/);
  assert.match(report, /upsgate\/old: is not a plain file: the folder holds only the NUT files/);

  rmSync(path.join(paths.boot, 'upsgate/old'), { recursive: true });
  rmSync(path.join(paths.boot, 'upsgate-setup.jsonc'));
  writeFileSync(path.join(paths.state, 'conf/upsgate.json'), '{ "http": { "listen": 80 ');
  assert.is((await run(paths)).outcome, 'refused');
  assert.match(readFileSync(path.join(paths.boot, ERROR_FILE), 'utf8'), new RegExp(`${paths.state}/conf/upsgate.json`));
  rmSync(paths.dir, { recursive: true });
});

test('the command: options, and the exit codes the unit sees', async () => {
  const paths = box();
  const quiet = process.stdout.write;
  const stderr = process.stderr.write;
  const out: string[] = [];
  process.stdout.write = ((s: string) => out.push(s) > 0) as typeof process.stdout.write;
  process.stderr.write = ((s: string) => out.push(s) > 0) as typeof process.stderr.write;
  try {
    const args = ['--boot', paths.boot, '--root', paths.root, '--state', paths.state];
    assert.is(await firstBootCommand(args), 0);
    assert.match(out.join(''), /upsgate first-boot: nothing to apply/);
    writeFileSync(path.join(paths.boot, 'upsgate-setup.json'), '{ "hostname": "a.b" }');
    assert.is(await firstBootCommand(args), 1);
    assert.is(await firstBootCommand(['--boot']), 2);
    assert.is(await firstBootCommand(['--bot', 'x']), 2);
    assert.match(out.join(''), /unknown option "--bot"/);
  } finally {
    process.stdout.write = quiet;
    process.stderr.write = stderr;
  }
  assert.ok(lstatSync(path.join(paths.boot, ERROR_FILE)).isFile());
  rmSync(paths.dir, { recursive: true });
});

test.run();
