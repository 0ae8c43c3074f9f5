// `npm run image:test`: builds the SD image (image/build.sh, ~20 minutes the first time) and
// boots a copy of it in qemu's Raspberry Pi 3 machine the way a user would use it: a first-boot
// setup file and a NUT folder on the boot partition, then the real NUT client, ssh and HTTP over
// qemu's user network (forwarded to 127.0.0.1 only; restrict=on keeps the guest off every other
// network), and finally a power cut on the simulated UPS that must end in the late-shutdown hook.
// Run as root. Prints what it checked, with timings, and exits non-zero on the first failure.
//   node scripts/image-test.mjs [--no-build] [--keep]
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, readFileSync, writeFileSync, mkdtempSync, rmSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { IMAGE_PEERS, ensurePeers } from './peers.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));
const built = path.join(repo, '.cache/image/upsgate.img');
const started = performance.now();
const results = [];
const seconds = (from) => ((performance.now() - from) / 1000).toFixed(1);

function step(name, detail) {
  results.push(`ok   ${name}${detail ? `: ${detail}` : ''}`);
  console.log(`[image-test +${seconds(started)} s] ok ${name}${detail ? `: ${detail}` : ''}`);
}
function fail(message) {
  console.error(`[image-test +${seconds(started)} s] FAILED: ${message}`);
  throw new Error(message);
}
function run(cmd, argv, opts = {}) {
  const r = spawnSync(cmd, argv, { encoding: 'utf8', ...opts });
  if (r.status !== 0) fail(`${cmd} ${argv.join(' ')} exited ${r.status}: ${r.stderr || r.stdout}`);
  return r.stdout;
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}
async function until(what, timeoutMs, probe) {
  const t0 = performance.now();
  for (;;) {
    const v = await probe();
    if (v) return { value: v, seconds: seconds(t0) };
    if (performance.now() - t0 > timeoutMs) fail(`${what}: not within ${timeoutMs / 1000} s`);
    await sleep(2000);
  }
}

if (process.getuid?.() !== 0) {
  console.error('image:test builds the image (root-owned tree) and loop-free partitions: run it as root');
  process.exit(1);
}
ensurePeers(IMAGE_PEERS);

const work = mkdtempSync(path.join(tmpdir(), 'upsgate-image-test-'));
let qemu;
try {
  // --- 1. the build
  if (!args.has('--no-build') || !existsSync(built)) {
    const t0 = performance.now();
    const r = spawnSync('bash', [path.join(repo, 'image/build.sh'), built], { stdio: 'inherit' });
    if (r.status !== 0) fail(`image/build.sh exited ${r.status}`);
    step('image built', `${seconds(t0)} s, ${(Number(execFileSync('stat', ['-c', '%s', built], { encoding: 'utf8' })) / 2 ** 20).toFixed(0)} MiB`);
  }

  // --- 2. a copy, with what a user puts on the boot partition from their PC
  const img = path.join(work, 'sd.img');
  run('cp', ['--sparse=always', built, img]);
  const table = JSON.parse(run('sfdisk', ['--json', img])).partitiontable.partitions;
  const fat = `${img}@@${table[0].start * 512}`;
  const mtools = { env: { ...process.env, MTOOLS_SKIP_CHECK: '1' } };
  const key = path.join(work, 'id_ed25519');
  run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'image-test', '-f', key]);
  const webPassword = 'image-test-admin-9321';
  const psk = 'image-test-wifi-passphrase';
  const setup = {
    hostname: 'upsgate-test',
    timezone: 'Europe/Berlin',
    wifi: { country: 'DE', ssid: 'image-test-ssid', psk },
    ssh: { authorizedKeys: [readFileSync(`${key}.pub`, 'utf8').trim()] },
    webPassword,
  };
  const setupFile = path.join(work, 'upsgate-setup.json');
  writeFileSync(setupFile, `// written by scripts/image-test.mjs\r\n${JSON.stringify(setup, null, 2).replace(/\n/g, '\r\n')}\r\n`);
  const nut = path.join(work, 'upsgate');
  mkdirSync(nut);
  // The simulated UPS's file, which the test edits over ssh to cut the "mains".
  writeFileSync(path.join(nut, 'ups.dev'), readFileSync(path.join(repo, 'share/devices/simulated-ups.dev')));
  writeFileSync(path.join(nut, 'ups.conf'), '[ups]\n  driver = dummy-ups\n  port = ups.dev\n  desc = "image test"\n');
  writeFileSync(path.join(nut, 'upsd.conf'), 'LISTEN 0.0.0.0 3493\n');
  writeFileSync(path.join(nut, 'upsd.users'), '[monuser]\n  password = image-test-mon\n  upsmon primary\n');
  writeFileSync(path.join(nut, 'upsmon.conf'), [
    'MONITOR ups@localhost 1 monuser image-test-mon primary',
    'POWERDOWNFLAG /run/upsgate/killpower',
    'SHUTDOWNCMD "/sbin/shutdown -h +0"',
    'FINALDELAY 0',
    '',
  ].join('\n'));
  run('mcopy', ['-i', fat, setupFile, '::/upsgate-setup.json'], mtools);
  run('mcopy', ['-s', '-i', fat, nut, '::/'], mtools);
  step('setup file and NUT folder written to the boot partition');

  // The Pi's firmware would read config.txt; qemu is given the kernel, initrd and DTB directly.
  const names = run('mdir', ['-b', '-i', fat, '::/'], mtools).split('\n').map((l) => l.replace(/^::\//, '').trim());
  const pick = (re) => names.find((n) => re.test(n)) ?? fail(`no ${re} on the boot partition (${names.join(' ')})`);
  const boot = {};
  for (const [k, re] of [['kernel', /^vmlinuz-/], ['initrd', /^initrd\.img-/], ['dtb', /^bcm2837-rpi-3-b\.dtb$/]]) {
    boot[k] = path.join(work, pick(re));
    run('mcopy', ['-i', fat, `::/${path.basename(boot[k])}`, boot[k]], mtools);
  }

  // --- 3. boot
  const ports = { nut: await freePort(), http: await freePort(), ssh: await freePort() };
  const consoleLog = path.join(work, 'console.log');
  const out = createWriteStream(consoleLog);
  const fwd = (host, guest) => `hostfwd=tcp:127.0.0.1:${host}-:${guest}`;
  const qemuArgs = [
    '-M', 'raspi3b', '-m', '1G', '-kernel', boot.kernel, '-initrd', boot.initrd, '-dtb', boot.dtb,
    '-drive', `file=${img},if=sd,format=raw`,
    // The image's own command line (cmdline.txt), plus one change: qemu's BCM2835 watchdog model
    // resets the machine the moment the watchdog is started instead of counting down, so PID 1
    // must not arm it here (systemd then runs without one). The driver stays: the kernel's
    // reboot goes through it, and the killpower hook's reboot must end qemu (-no-reboot).
    '-append', 'console=ttyS1,115200 root=LABEL=upsgate-root rootfstype=ext4 rootwait ro fsck.repair=yes systemd.watchdog_device=/dev/null',
    '-netdev', `user,id=n0,restrict=on,${fwd(ports.nut, 3493)},${fwd(ports.http, 80)},${fwd(ports.ssh, 22)}`,
    '-device', 'usb-net,netdev=n0',
    // The first serial port is the PL011, which the Pi 3's device tree gives to Bluetooth; the
    // console is the second, the mini UART (ttyS1), as on the board's GPIO pins.
    '-display', 'none', '-monitor', 'none', '-serial', 'null', '-serial', 'stdio', '-no-reboot',
  ];
  const tBoot = performance.now();
  qemu = spawn('qemu-system-aarch64', qemuArgs, { stdio: ['ignore', 'pipe', 'pipe'] });
  let exited;
  const qemuExit = new Promise((resolve) => qemu.once('exit', (code, signal) => { exited = { code, signal }; resolve(exited); }));
  qemu.stdout.pipe(out);
  qemu.stderr.pipe(out);
  const consoleText = () => readFileSync(consoleLog, 'utf8');
  const alive = () => exited === undefined || fail(`qemu exited (${JSON.stringify(exited)}); console in ${consoleLog}`);

  const upsc = (variable) => spawnSync('upsc', [`ups@127.0.0.1:${ports.nut}`, variable], { encoding: 'utf8', timeout: 15000 });
  const served = await until('upsc ups.status from the booted image', 900_000, () => {
    alive();
    const r = upsc('ups.status');
    return r.status === 0 && r.stdout.trim();
  });
  step('NUT server answers the real upsc through the forwarded port', `ups.status=${served.value}, ${seconds(tBoot)} s after qemu started`);

  const sshArgs = ['-q', '-i', key, '-p', String(ports.ssh), '-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=no',
    '-o', 'UserKnownHostsFile=/dev/null', '-o', 'ConnectTimeout=20', 'root@127.0.0.1'];
  const ssh = (command) => spawnSync('ssh', [...sshArgs, command], { encoding: 'utf8', timeout: 60000 });
  await until('ssh with the key from the setup file', 300_000, () => alive() && ssh('true').status === 0);
  step('ssh login with the first-boot key');
  const sh = (command) => {
    const r = ssh(command);
    if (r.status !== 0) fail(`ssh ${command}: exit ${r.status}: ${r.stderr}`);
    return r.stdout.trim();
  };

  const expect = (what, actual, ok) => (ok ? step(what, actual) : fail(`${what}: got ${JSON.stringify(actual)}`));
  await until('boot finished (systemctl is-system-running)', 300_000, () => {
    const s = ssh('systemctl is-system-running').stdout.trim();
    return s !== 'starting' && s !== 'initializing' && s;
  });
  const state = ssh('systemctl is-system-running').stdout.trim();
  expect('system state', `${state}; failed units: ${sh('systemctl list-units --failed --plain --no-legend') || 'none'}`, state === 'running');
  expect('hostname from the setup file', sh('hostname'), sh('hostname') === 'upsgate-test');
  expect('timezone from the setup file', sh('cat /etc/timezone'), sh('cat /etc/timezone') === 'Europe/Berlin');
  const wifi = sh('cat /etc/wpa_supplicant/wpa_supplicant-wlan0.conf');
  expect('Wi-Fi network written with a derived key, not the passphrase', 'wpa_supplicant-wlan0.conf', wifi.includes('image-test-ssid') && !wifi.includes(psk));
  const bootFiles = sh('ls -A /boot/firmware').split('\n');
  expect('boot partition: setup file and NUT folder replaced by the applied record',
    bootFiles.filter((f) => f.startsWith('upsgate')).join(' '),
    bootFiles.includes('upsgate-setup.applied.json') && !bootFiles.includes('upsgate-setup.json') && !bootFiles.includes('upsgate'));
  const leftover = sh(`grep -rl -e '${psk}' -e '${webPassword}' -e image-test-mon /boot/firmware || true`);
  expect('no secret left on the boot partition', leftover || 'none', leftover === '');
  expect('root file system mounted read-only', sh('findmnt -no OPTIONS /'), /(^|,)ro(,|$)/.test(sh('findmnt -no OPTIONS /')));
  expect('data partition mounted on /var/lib/upsgate', sh('findmnt -no SOURCE,FSTYPE /data'), sh('findmnt -no SOURCE,FSTYPE /data').includes('ext4'));
  const unit = Object.fromEntries(sh('systemctl show upsgate -p ActiveState -p SubState -p NRestarts -p StatusText -p MainPID -p WatchdogUSec -p User')
    .split('\n').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
  expect('upsgate.service active, never restarted, with a watchdog', JSON.stringify(unit),
    unit.ActiveState === 'active' && unit.NRestarts === '0' && unit.WatchdogUSec !== '0' && unit.User === 'upsgate');
  expect('first boot applied (unit result)', sh('systemctl show upsgate-first-boot -p Result --value'), sh('systemctl show upsgate-first-boot -p Result --value') === 'success');
  const rss = Number(sh(`ps -o rss= -p ${unit.MainPID}`));
  step('gateway RSS on the Pi', `${(rss / 1024).toFixed(1)} MiB`);
  step('PID 1 hardware watchdog', sh('systemctl show -p RuntimeWatchdogUSec --value') + `; /dev/watchdog0 ${sh('test -e /dev/watchdog0 && echo present || echo absent')}`);
  step('LED', sh("journalctl -u upsgate -o cat | grep -i -m 3 'led' || echo 'no LED lines'").replace(/\n/g, ' | '));
  const journalProblems = sh('journalctl -u upsgate -p warning -o cat | head -n 20');
  step('gateway warnings in the journal', journalProblems ? journalProblems.replace(/\n/g, ' | ') : 'none');

  const setupPage = spawnSync('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code} %{redirect_url}', `http://127.0.0.1:${ports.http}/setup`], { encoding: 'utf8' }).stdout;
  expect('web UI on port 80: the first-run page is closed (password came from the setup file)', setupPage, /^303 .*\/login$/.test(setupPage));

  // --- 4. a power cut: the primary must shut the box down and ask the UPS to cut the power.
  const tCut = performance.now();
  sh("sed -i 's/^ups.status: .*/ups.status: OB LB/; s/^battery.charge: .*/battery.charge: 8/' /var/lib/upsgate/conf/ups.dev");
  await until('the UPS reported on battery, low', 120_000, () => alive() && /OB/.test(upsc('ups.status').stdout ?? ''));
  step('power cut seen by the NUT server', `${seconds(tCut)} s`);
  const exitedAs = await Promise.race([qemuExit, sleep(420_000).then(() => undefined)]);
  if (!exitedAs) fail(`the box did not go down within 420 s of the power cut; console in ${consoleLog}`);
  const text = consoleText();
  const hook = /upsgate-killpower: power-down flag set/.test(text);
  expect('shutdown ran the late-shutdown hook with the power-down flag, then ended (qemu -no-reboot)',
    `${seconds(tCut)} s after the cut; hook ${hook ? 'ran' : 'absent'}`, hook);
  step('total', `${seconds(started)} s`);
} catch (e) {
  if (existsSync(path.join(work, 'console.log'))) {
    const lines = readFileSync(path.join(work, 'console.log'), 'utf8').split('\n');
    console.error(`--- last console lines (${path.join(work, 'console.log')}):\n${lines.slice(-60).join('\n')}`);
  }
  process.exitCode = 1;
} finally {
  if (qemu && qemu.exitCode === null && qemu.signalCode === null) qemu.kill('SIGKILL');
  console.log(`\n${results.join('\n')}\n${process.exitCode ? 'image:test FAILED' : 'image:test passed'}`);
  if (!args.has('--keep') && !process.exitCode) rmSync(work, { recursive: true, force: true });
  else console.log(`kept ${work}`);
}
