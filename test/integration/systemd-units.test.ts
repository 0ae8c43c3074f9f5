// systemd/ as the image installs it: the units pass systemd's own checks (systemd-analyze verify
// against a root with every file at its final path, and systemd-analyze security offline), the
// udev rules pass udev's own parser (udevadm test, in a private mount namespace) and a strict
// line check, and the scripts do what the units rely on, run for real against fakes: the
// system-shutdown hook with a fake upsgate/systemctl/sleep/timeout on PATH, led-access and
// led-fault against a fake /sys tree, killpower-prepare and root-rw against temp folders.
// A missing tool is a failure that says what to install, never a skip.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { chmod, cp, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { failure } from '../helpers/fail.js';

const SD = new URL('../../systemd/', import.meta.url).pathname;
const LIBEXEC = join(SD, 'libexec');
const HOOK = join(SD, 'system-shutdown', 'upsgate-killpower');
const UNITS = ['upsgate.service', 'upsgate-first-boot.service'];
/** Exposure measured with systemd 252's `systemd-analyze security --offline=yes`: 2.4. */
const MAX_EXPOSURE = 3.0;

function run(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; input?: string; timeoutMs?: number } = {}): SpawnSyncReturns<string> {
  return spawnSync(cmd, args, { encoding: 'utf8', env: opts.env ?? process.env, input: opts.input, timeout: opts.timeoutMs ?? 60_000 });
}

function need(tool: string, pkg: string): string {
  const r = run('sh', ['-c', `command -v ${tool}`]);
  if (r.status !== 0) throw failure(`${tool} is missing: apt-get install ${pkg}`);
  return r.stdout.trim();
}

let tmp = '';
async function scratch(name: string): Promise<string> {
  const d = join(tmp, name);
  await mkdir(d, { recursive: true });
  return d;
}

/** A fake command on PATH that logs "name args..." to $FAKE_LOG, then runs `body`. */
async function fake(dir: string, name: string, body = 'exit 0'): Promise<void> {
  const f = join(dir, name);
  await writeFile(f, `#!/bin/sh\necho "${name} $*" >> "$FAKE_LOG"\n${body}\n`);
  await chmod(f, 0o755);
}

async function logOf(file: string): Promise<string[]> {
  return existsSync(file) ? (await readFile(file, 'utf8')).split('\n').map((l) => l.trimEnd()).filter((l) => l !== '') : [];
}

// ---------------------------------------------------------------------------------------------
const units = suite('systemd units: systemd-analyze');

units.before(async () => {
  need('systemd-analyze', 'systemd');
  tmp = await mkdtemp(join(tmpdir(), 'upsgate-units-'));
});
units.after(async () => {
  await rm(tmp, { recursive: true, force: true });
});

/**
 * A root with the host's units (targets the ours refer to), ours at /usr/lib/systemd/system, the
 * scripts at /usr/lib/upsgate and /bin/kill: verify checks that every Exec binary exists inside
 * --root. /usr/bin/upsgate is made by the image build (image/steps/30-app.sh), so a stand-in
 * executable is put there.
 */
async function installedRoot(unitOverride?: { name: string; text: string }): Promise<string> {
  const root = await mkdtemp(join(tmp, 'root-'));
  const unitDir = join(root, 'usr/lib/systemd/system');
  await mkdir(unitDir, { recursive: true });
  await cp('/lib/systemd/system', unitDir, { recursive: true, verbatimSymlinks: true });
  for (const u of UNITS) await cp(join(SD, u), join(unitDir, u));
  if (unitOverride) await writeFile(join(unitDir, unitOverride.name), unitOverride.text);
  await cp(LIBEXEC, join(root, 'usr/lib/upsgate'), { recursive: true });
  await mkdir(join(root, 'usr/bin'), { recursive: true });
  await writeFile(join(root, 'usr/bin/upsgate'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
  await mkdir(join(root, 'bin'), { recursive: true });
  await cp('/bin/kill', join(root, 'bin/kill'));
  return root;
}

units('systemd-analyze verify passes both units with no message at all', async () => {
  const root = await installedRoot();
  const r = run('systemd-analyze', ['verify', `--root=${root}`, ...UNITS]);
  // verify exits 0 on unknown keys too (it only warns), so any output is a failure.
  if (r.status !== 0 || r.stderr.trim() !== '' || r.stdout.trim() !== '') {
    throw failure(`systemd-analyze verify (exit ${r.status}):\n${r.stdout}${r.stderr}`);
  }
});

units('…and the same check does see a mistake (a misspelt key, a missing helper)', async () => {
  const text = (await readFile(join(SD, 'upsgate.service'), 'utf8')).replace('ProtectHome=yes', 'ProtectHom=yes');
  const root = await installedRoot({ name: 'upsgate.service', text });
  await rm(join(root, 'usr/lib/upsgate/led-fault'));
  const r = run('systemd-analyze', ['verify', `--root=${root}`, 'upsgate.service']);
  assert.match(r.stderr, /Unknown key 'ProtectHom'/);
  assert.match(r.stderr, /led-fault is not executable/);
});

units(`systemd-analyze security --offline: exposure at most ${MAX_EXPOSURE}`, async () => {
  const root = await installedRoot();
  const r = run('systemd-analyze', ['security', '--offline=yes', `--root=${root}`, 'upsgate.service']);
  const m = /Overall exposure level for upsgate\.service: (\d+(?:\.\d+)?) (\w+)/.exec(r.stdout);
  if (!m) throw failure(`no exposure level in systemd-analyze security's output (exit ${r.status}):\n${r.stdout}${r.stderr}`);
  console.log(`    systemd-analyze security: upsgate.service exposure ${m[1]} ${m[2]}`);
  assert.ok(Number(m[1]) <= MAX_EXPOSURE, `exposure ${m[1]} is over ${MAX_EXPOSURE}:\n${r.stdout}`);
});

units('upsgate.service keeps what the gateway needs (and leaves out what would break Node)', async () => {
  const text = await readFile(join(SD, 'upsgate.service'), 'utf8');
  const keys = new Map<string, string[]>();
  for (const line of text.split('\n')) {
    const m = /^([A-Za-z]+)=(.*)$/.exec(line);
    if (m) keys.set(m[1]!, [...(keys.get(m[1]!) ?? []), m[2]!]);
  }
  const one = (k: string) => keys.get(k)?.join(' | ');
  assert.is(one('Type'), 'notify');
  assert.is(one('NotifyAccess'), 'all', 'the pings come from a systemd-notify child');
  assert.is(one('WatchdogSec'), '30');
  assert.is(one('RuntimeDirectoryPreserve'), 'yes', 'the killpower flag must outlive the unit');
  assert.is(one('User'), 'upsgate');
  assert.is(one('ExecStart'), '/usr/bin/upsgate run --nut-conf /var/lib/upsgate/conf');
  assert.is(one('ExecReload'), '/bin/kill -HUP $MAINPID');
  assert.equal(keys.get('ExecStopPost'), ['+/usr/lib/upsgate/led-fault', '+/usr/lib/upsgate/killpower-prepare']);
  assert.is(one('CapabilityBoundingSet'), 'CAP_NET_BIND_SERVICE');
  for (const absent of ['MemoryDenyWriteExecute', 'PrivateDevices', 'ProtectKernelTunables', 'DynamicUser']) {
    assert.not.ok(keys.has(absent), `${absent}= must not be set (see the comment in the unit)`);
  }
  // Every helper a unit names is a file of systemd/libexec/ (installed to /usr/lib/upsgate/).
  const all = (await Promise.all(UNITS.map((u) => readFile(join(SD, u), 'utf8')))).join('\n');
  for (const m of all.matchAll(/\/usr\/lib\/upsgate\/([\w-]+)/g)) {
    assert.ok(existsSync(join(LIBEXEC, m[1]!)), `systemd/libexec/${m[1]} is missing`);
  }
});

units('sysusers.d and tmpfiles.d: systemd-sysusers/systemd-tmpfiles --root make the user and the 0750 folders', async () => {
  need('systemd-sysusers', 'systemd');
  need('systemd-tmpfiles', 'systemd');
  const root = await mkdtemp(join(tmp, 'users-'));
  await mkdir(join(root, 'etc'));
  const su = run('systemd-sysusers', [`--root=${root}`, join(SD, 'sysusers.d/upsgate.conf')]);
  assert.is(su.status, 0, su.stderr);
  const pw = (await readFile(join(root, 'etc/passwd'), 'utf8')).split('\n').find((l) => l.startsWith('upsgate:'));
  assert.ok(pw, 'no upsgate user');
  const [, , uid, gid, , home, shell] = pw.split(':');
  assert.is(home, '/var/lib/upsgate');
  assert.is(shell, '/usr/sbin/nologin');
  assert.match(await readFile(join(root, 'etc/group'), 'utf8'), new RegExp(`^upsgate:x:${gid}:`, 'm'));
  const tf = run('systemd-tmpfiles', ['--create', `--root=${root}`, join(SD, 'tmpfiles.d/upsgate.conf')]);
  assert.is(tf.status, 0, tf.stderr);
  for (const d of ['var/lib/upsgate', 'var/lib/upsgate/conf']) {
    const st = statSync(join(root, d));
    assert.is(st.mode & 0o777, 0o750, d);
    assert.is(`${st.uid}:${st.gid}`, `${uid}:${gid}`, d);
  }
});

units.run();

// ---------------------------------------------------------------------------------------------
const udev = suite('systemd: udev rules');
const RULES = ['60-upsgate-hid.rules', '61-upsgate-serial.rules'];

udev.before(async () => {
  need('udevadm', 'udev');
  need('unshare', 'util-linux');
  tmp = await mkdtemp(join(tmpdir(), 'upsgate-udev-'));
});
udev.after(async () => {
  await rm(tmp, { recursive: true, force: true });
});

udev('udev 252 reads our rules without a complaint (udevadm test, private /etc/udev/rules.d)', async () => {
  // udevadm verify is newer than 252; udevadm test parses every rules file and logs each invalid
  // key, value or substitution with file:line. Run it in a private mount namespace with only our
  // rules added, and an /etc/group that has the upsgate group (sysusers makes it on the image).
  const dir = await scratch('rules');
  for (const f of RULES) await cp(join(SD, f), join(dir, f));
  const group = join(tmp, 'group');
  await writeFile(group, `${await readFile('/etc/group', 'utf8')}upsgate:x:990:\n`);
  const script =
    `mount -t tmpfs none /etc/udev/rules.d && cp "${dir}"/*.rules /etc/udev/rules.d/ && ` +
    `mount --bind "${group}" /etc/group && udevadm test --action=add /sys/class/tty/tty 2>&1`;
  const r = run('unshare', [...(process.getuid?.() === 0 ? ['-m'] : ['-r', '-m']), 'sh', '-c', script]);
  const ours = r.stdout.split('\n').filter((l) => /upsgate-/.test(l));
  for (const f of RULES) assert.ok(ours.some((l) => l === `Reading rules file: /etc/udev/rules.d/${f}`), `udevadm did not read ${f}:\n${r.stdout}${r.stderr}`);
  const complaints = ours.filter((l) => !l.startsWith('Reading rules file:'));
  if (complaints.length > 0) throw failure(`udevadm test complained about our rules:\n${complaints.join('\n')}`);
});

/** What 252's parser lets through but is still wrong: a missing comma, an unknown key, bad quoting. */
const KEYS = new Set([
  'ACTION', 'DEVPATH', 'KERNEL', 'KERNELS', 'SUBSYSTEM', 'SUBSYSTEMS', 'DRIVER', 'DRIVERS', 'ATTR', 'ATTRS', 'ENV',
  'TAG', 'TAGS', 'TEST', 'PROGRAM', 'RESULT', 'NAME', 'SYMLINK', 'OWNER', 'GROUP', 'MODE', 'IMPORT', 'RUN', 'LABEL', 'GOTO',
  'OPTIONS',
]);
udev('every rule line is KEY op "value" pairs separated by commas, with known keys', async () => {
  for (const f of RULES) {
    const lines = (await readFile(join(SD, f), 'utf8')).split('\n');
    lines.forEach((line, i) => {
      if (line.trim() === '' || line.startsWith('#')) return;
      const where = `${f}:${i + 1}: ${line}`;
      const pair = /\s*([A-Z]+)(?:\{([\w-]+)\})?\s*(==|!=|\+=|-=|:=|=)\s*"([^"]*)"\s*/y;
      let pos = 0;
      let n = 0;
      for (;;) {
        pair.lastIndex = pos;
        const m = pair.exec(line);
        if (!m) throw failure(`not a KEY op "value" pair at column ${pos + 1}: ${where}`);
        if (!KEYS.has(m[1]!)) throw failure(`unknown key ${m[1]}: ${where}`);
        n++;
        pos = pair.lastIndex;
        if (pos === line.length) break;
        if (line[pos] !== ',') throw failure(`missing comma at column ${pos + 1}: ${where}`);
        pos++;
      }
      assert.ok(n > 0);
    });
  }
});

udev('the serial rules only add what Debian lacks: links for UPS adapter chips, gpiochip for upsgate', async () => {
  const text = await readFile(join(SD, '61-upsgate-serial.rules'), 'utf8');
  for (const vid of ['067b', '0403', '1a86', '10c4']) assert.match(text, new RegExp(`ENV\\{ID_VENDOR_ID\\}=="${vid}", SYMLINK\\+="ups-serial-`));
  assert.match(text, /ENV\{ID_USB_DRIVER\}=="cdc_acm"/);
  assert.match(text, /^SUBSYSTEM=="gpio", KERNEL=="gpiochip\[0-9\]\*", GROUP="upsgate", MODE="0660"$/m);
  // Debian's 50-udev-default.rules already gives tty[A-Z]*[0-9] group dialout; no libusb rule.
  const rules = text.split('\n').filter((l) => !l.startsWith('#'));
  assert.not.ok(rules.some((l) => /GROUP="dialout"|SUBSYSTEM=="usb"/.test(l)), 'nothing Debian already does, no libusb access');
  if (existsSync('/lib/udev/rules.d/50-udev-default.rules')) {
    assert.match(await readFile('/lib/udev/rules.d/50-udev-default.rules', 'utf8'), /KERNEL=="tty\[A-Z\]\*\[0-9\]\|[^"]*", GROUP="dialout"/);
  }
});

udev.run();

// ---------------------------------------------------------------------------------------------
const hook = suite('systemd: the system-shutdown hook, with fakes');
let bin = '';
let runDir = '';
let log = '';
let defaults = '';

hook.before.each(async () => {
  need('sh', 'dash');
  tmp = await mkdtemp(join(tmpdir(), 'upsgate-hook-'));
  bin = await scratch('bin');
  runDir = await scratch('run');
  await mkdir(join(runDir, 'shutdown-conf'));
  log = join(tmp, 'log');
  defaults = join(tmp, 'default-upsgate');
  await fake(bin, 'systemctl');
  await fake(bin, 'sleep');
  // The real timeout(1), but with a 1 s limit so a hanging killpower costs 1 s, not 20.
  await fake(bin, 'timeout', 'shift 3\nexec /usr/bin/timeout -k 1 1 "$@"');
  await fake(bin, 'upsgate', 'case "$FAKE_KILLPOWER" in fail) exit 3 ;; hang) exec /bin/sleep 600 ;; esac\nexit 0');
  // Stands for /dev/kmsg, which is always there.
  await writeFile(join(tmp, 'kmsg'), '');
});
hook.after.each(async () => {
  await rm(tmp, { recursive: true, force: true });
});

function runHook(arg: string, extra: NodeJS.ProcessEnv = {}): SpawnSyncReturns<string> {
  return run(HOOK, [arg], {
    env: {
      PATH: `${bin}:/usr/bin:/bin`,
      FAKE_LOG: log,
      UPSGATE_RUN_DIR: runDir,
      UPSGATE_BIN: join(bin, 'upsgate'),
      UPSGATE_DEFAULTS: defaults,
      UPSGATE_KMSG: join(tmp, 'kmsg'),
      ...extra,
    },
    timeoutMs: 15_000,
  });
}
const flag = () => writeFile(join(runDir, 'killpower'), '');
const expected = (wait: number) => [
  `timeout -k 5 20 ${join(bin, 'upsgate')} killpower --nut-conf ${join(runDir, 'shutdown-conf')}`,
  `upsgate killpower --nut-conf ${join(runDir, 'shutdown-conf')}`,
  `sleep ${wait}`,
  'systemctl reboot --force --force',
];

hook('it is executable (systemd-shutdown runs only executables)', () => {
  assert.ok((statSync(HOOK).mode & 0o111) !== 0);
  for (const f of ['led-access', 'led-fault', 'killpower-prepare', 'root-rw']) assert.ok((statSync(join(LIBEXEC, f)).mode & 0o111) !== 0, f);
});

hook('no power-down flag: poweroff runs nothing', async () => {
  const r = runHook('poweroff');
  assert.is(r.status, 0, r.stderr);
  assert.equal(await logOf(log), []);
});

for (const arg of ['reboot', 'kexec']) {
  hook(`${arg}: nothing, even with the flag (the box is coming back anyway)`, async () => {
    await flag();
    const r = runHook(arg);
    assert.is(r.status, 0, r.stderr);
    assert.equal(await logOf(log), []);
  });
}

for (const arg of ['poweroff', 'halt']) {
  hook(`flag + ${arg}: killpower with the /run copy under a hard timeout, then wait 45 s, then a forced reboot`, async () => {
    await flag();
    const r = runHook(arg);
    assert.is(r.status, 0, r.stderr);
    assert.equal(await logOf(log), expected(45));
    // What it says reaches the console through the kernel log: the journal has stopped by now.
    const kmsg = await readFile(join(tmp, 'kmsg'), 'utf8');
    assert.match(kmsg, /^<5>upsgate-killpower: power-down flag set: telling the UPS to cut the power$/m);
    assert.match(kmsg, /^<5>upsgate-killpower: waiting 45 s for the UPS to cut the power, then rebooting$/m);
  });
}

hook('UPSGATE_POWEROFF_WAIT from /etc/default/upsgate; over 55 s is cut to 55 (systemd-shutdown stops hooks at 90 s)', async () => {
  await flag();
  await writeFile(defaults, '# comment\nUPSGATE_POWEROFF_WAIT=30\n');
  runHook('poweroff');
  assert.equal(await logOf(log), expected(30));
  await rm(log);
  await writeFile(defaults, 'UPSGATE_POWEROFF_WAIT="600"\n');
  const r = runHook('poweroff');
  assert.equal(await logOf(log), expected(55));
  assert.match(r.stderr, /over 55 s/);
});

hook('a broken defaults file is reported and the default wait used; nothing stops the reboot', async () => {
  await flag();
  await writeFile(defaults, 'UPSGATE_POWEROFF_WAIT=soon\nif then fi (\n');
  const r = runHook('poweroff');
  assert.is(r.status, 0);
  assert.equal(await logOf(log), expected(45));
  assert.match(r.stderr, /not a number of seconds/);
});

hook('killpower failing: still the wait and the reboot, exit 0', async () => {
  await flag();
  const r = runHook('poweroff', { FAKE_KILLPOWER: 'fail' });
  assert.is(r.status, 0);
  assert.equal(await logOf(log), expected(45));
  assert.match(r.stderr, /killpower failed \(exit 3\)/);
});

hook('killpower hanging: killed by the timeout, then the wait and the reboot, exit 0', async () => {
  await flag();
  const started = Date.now();
  const r = runHook('poweroff', { FAKE_KILLPOWER: 'hang' });
  assert.is(r.status, 0, `exit ${r.status} ${r.signal ?? ''}: ${r.stderr}`);
  assert.ok(Date.now() - started < 8000, 'the hang was cut short');
  assert.equal(await logOf(log), expected(45));
  assert.match(r.stderr, /did not finish in 20 s/);
});

hook('the reboot itself failing is still exit 0', async () => {
  await flag();
  await fake(bin, 'systemctl', 'exit 1');
  const r = runHook('poweroff');
  assert.is(r.status, 0);
  assert.match(r.stderr, /the reboot failed/);
});

hook.run();

// ---------------------------------------------------------------------------------------------
const helpers = suite('systemd: led-access, led-fault, killpower-prepare, root-rw');
let sys = '';

helpers.before.each(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'upsgate-helpers-'));
  bin = await scratch('bin');
  runDir = await scratch('run');
  log = join(tmp, 'log');
  // /sys/class/leds/X -> ../../devices/platform/leds/leds/X, as the kernel lays it out.
  sys = await scratch('sys');
  await mkdir(join(sys, 'class/leds'), { recursive: true });
  for (const name of ['ACT', 'PWR']) {
    const real = join(sys, 'devices/platform/leds/leds', name);
    await mkdir(real, { recursive: true });
    await writeFile(join(real, 'trigger'), 'none [mmc0] timer heartbeat\n', { mode: 0o644 });
    await writeFile(join(real, 'brightness'), '0\n', { mode: 0o644 });
    await writeFile(join(real, 'max_brightness'), '1\n', { mode: 0o444 });
    await symlink(`../../devices/platform/leds/leds/${name}`, join(sys, 'class/leds', name));
  }
});
helpers.after.each(async () => {
  await rm(tmp, { recursive: true, force: true });
});

function helper(name: string, env: NodeJS.ProcessEnv = {}, args: string[] = []): SpawnSyncReturns<string> {
  return run(join(LIBEXEC, name), args, { env: { PATH: `${bin}:/usr/bin:/bin`, FAKE_LOG: log, UPSGATE_SYSFS: sys, UPSGATE_RUN_DIR: runDir, ...env } });
}

helpers('led-access: group write on trigger and brightness of every LED (the real files), trigger modules loaded', async () => {
  await fake(bin, 'modprobe');
  // As root any gid will do; otherwise chgrp only works to one of our own groups.
  const gid = process.getuid?.() === 0 ? 4242 : process.getgid!();
  const r = helper('led-access', { UPSGATE_GROUP: String(gid) });
  assert.is(r.status, 0, r.stderr);
  assert.is(r.stderr, '');
  for (const name of ['ACT', 'PWR']) {
    for (const attr of ['trigger', 'brightness']) {
      const st = statSync(join(sys, 'devices/platform/leds/leds', name, attr));
      assert.is(st.gid, gid, `${name}/${attr} group`);
      assert.is(st.mode & 0o777, 0o664, `${name}/${attr} mode`);
    }
    assert.is(statSync(join(sys, 'devices/platform/leds/leds', name, 'max_brightness')).mode & 0o777, 0o444, 'nothing else touched');
  }
  assert.equal(await logOf(log), ['modprobe -q ledtrig-timer', 'modprobe -q ledtrig-default-on']);
});

helpers('led-access: no LEDs, no modprobe, an unknown group: still exit 0', async () => {
  await rm(join(sys, 'class/leds/PWR'));
  const r = run(join(LIBEXEC, 'led-access'), [], { env: { PATH: `${bin}:/usr/bin:/bin`, UPSGATE_SYSFS: join(tmp, 'nothing'), UPSGATE_GROUP: 'no-such-group-x' } });
  assert.is(r.status, 0, r.stderr);
  const r2 = helper('led-access', { UPSGATE_GROUP: 'no-such-group-x' });
  assert.is(r2.status, 0);
  assert.match(r2.stderr, /cannot open .*ACT\/trigger to group no-such-group-x/);
});

const trigger = (name: string) => readFile(join(sys, 'class/leds', name, 'trigger'), 'utf8');

for (const result of ['exit-code', 'signal', 'watchdog', 'core-dump']) {
  helpers(`led-fault: SERVICE_RESULT=${result} puts the named LED on heartbeat and drops the marker`, async () => {
    await writeFile(join(runDir, 'led'), 'PWR\n');
    const r = helper('led-fault', { SERVICE_RESULT: result });
    assert.is(r.status, 0, r.stderr);
    assert.is(await trigger('PWR'), 'heartbeat\n');
    assert.is(await trigger('ACT'), 'none [mmc0] timer heartbeat\n', 'only the LED the gateway drove');
    assert.equal(await readdir(runDir), []);
  });
}

helpers('led-fault: a clean stop (success), no marker, or a name with a slash leaves every LED alone', async () => {
  await writeFile(join(runDir, 'led'), 'PWR\n');
  assert.is(helper('led-fault', { SERVICE_RESULT: 'success' }).status, 0);
  assert.is(await trigger('PWR'), 'none [mmc0] timer heartbeat\n');
  await rm(join(runDir, 'led'));
  assert.is(helper('led-fault', { SERVICE_RESULT: 'exit-code' }).status, 0);
  await writeFile(join(runDir, 'led'), '../leds/PWR\n');
  const r = helper('led-fault', { SERVICE_RESULT: 'exit-code' });
  assert.is(r.status, 0);
  assert.match(r.stderr, /ignoring LED name/);
  await writeFile(join(runDir, 'led'), 'GONE\n');
  assert.is(helper('led-fault', { SERVICE_RESULT: 'exit-code' }).status, 0, 'an LED that is not there');
  for (const name of ['ACT', 'PWR']) assert.is(await trigger(name), 'none [mmc0] timer heartbeat\n');
});

helpers('killpower-prepare: copies the configuration to /run only when the power-down flag is up', async () => {
  const conf = await scratch('conf');
  await writeFile(join(conf, 'ups.conf'), '[ups]\n\tdriver = usbhid-ups\n');
  await writeFile(join(conf, 'upsmon.conf'), 'POWERDOWNFLAG /run/upsgate/killpower\n', { mode: 0o640 });
  const env = { UPSGATE_CONF_DIR: conf };
  assert.is(helper('killpower-prepare', env).status, 0);
  assert.equal(await readdir(runDir), [], 'no flag, no copy');

  await writeFile(join(runDir, 'killpower'), '');
  assert.is(helper('killpower-prepare', env).status, 0);
  const copy = join(runDir, 'shutdown-conf');
  assert.equal((await readdir(copy)).sort(), ['ups.conf', 'upsmon.conf']);
  assert.is(await readFile(join(copy, 'upsmon.conf'), 'utf8'), 'POWERDOWNFLAG /run/upsgate/killpower\n');
  assert.is(statSync(join(copy, 'upsmon.conf')).mode & 0o777, 0o640, 'modes kept (passwords)');

  // A second stop replaces the copy whole: nothing stale survives, no temp folder left.
  await rm(join(conf, 'ups.conf'));
  assert.is(helper('killpower-prepare', env).status, 0);
  assert.equal(await readdir(copy), ['upsmon.conf']);
  assert.equal((await readdir(runDir)).sort(), ['killpower', 'shutdown-conf']);

  assert.is(helper('killpower-prepare', { UPSGATE_CONF_DIR: join(tmp, 'gone') }).status, 0, 'no configuration: still 0');
});

helpers('root-rw: a read-only / is made writable and put back; a writable / is left as it was', async () => {
  await fake(bin, 'mount');
  await fake(bin, 'sync');
  const mounts = join(tmp, 'mounts');
  const mark = join(tmp, 'mark');
  const env = { UPSGATE_MOUNTS: mounts, UPSGATE_MARK: mark };
  await writeFile(mounts, 'sysfs /sys sysfs rw 0 0\n/dev/mmcblk0p2 / ext4 ro,noatime 0 0\n');
  assert.is(helper('root-rw', env, ['begin']).status, 0);
  assert.ok(existsSync(mark));
  assert.is(helper('root-rw', env, ['end']).status, 0);
  assert.not.ok(existsSync(mark));
  assert.equal(await logOf(log), ['mount -o remount,rw /', 'sync', 'mount -o remount,ro /']);

  await rm(log);
  await writeFile(mounts, '/dev/sda1 / ext4 rw,relatime 0 0\n');
  assert.is(helper('root-rw', env, ['begin']).status, 0);
  assert.is(helper('root-rw', env, ['end']).status, 0);
  assert.equal(await logOf(log), [], 'a writable root is never remounted');
});

helpers.run();
