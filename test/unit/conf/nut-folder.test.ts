import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadNutFolder } from '../../../src/conf/nut-folder.js';
import { assertError, confErrorAsync } from './helpers.js';

const UPS = '[dummy]\n  driver = dummy-ups\n  port = dummy.dev\n  desc = "Test UPS"\n';
const UPSD = 'LISTEN 127.0.0.1 3493\n';
const USERS = '[admin]\n  password = secret\n  actions = SET\n';

const made: string[] = [];

/** A folder holding the given files (undefined = left out), each readable by owner and group only. */
async function folder(files: Record<string, string | undefined>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'upsgate-conf-'));
  made.push(dir);
  for (const [name, text] of Object.entries(files)) {
    if (text === undefined) continue;
    const file = path.join(dir, name);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, text);
    await chmod(file, 0o640);
  }
  return dir;
}

const standard = (over: Record<string, string | undefined> = {}) =>
  folder({ 'ups.conf': UPS, 'upsd.conf': UPSD, 'upsd.users': USERS, ...over });

async function assertRejects(p: Promise<unknown>, re: RegExp): Promise<void> {
  try {
    await p;
  } catch (e) {
    assert.match((e as Error).message, re);
    return;
  }
  assert.unreachable(`expected a rejection matching ${re}`);
}

test.after(async () => {
  for (const dir of made) await rm(dir, { recursive: true, force: true });
});

test('loads the three files of a complete folder', async () => {
  const dir = await standard();
  const f = await loadNutFolder(dir);
  assert.is(f.dir, dir);
  assert.equal(f.ups.sections.map((s) => [s.name, s.driver, s.port, s.desc]), [['dummy', 'dummy-ups', 'dummy.dev', 'Test UPS']]);
  assert.equal(f.upsd.listen.map((l) => [l.host, l.port]), [['127.0.0.1', 3493]]);
  assert.equal(f.users.users.map((u) => [u.name, u.password, u.actions]), [['admin', 'secret', ['SET']]]);
  assert.is(f.descriptions, undefined);
  assert.equal(f.warnings, []);
  assert.is(f.ups.file, path.join(dir, 'ups.conf'));
  assert.is(f.upsd.file, path.join(dir, 'upsd.conf'));
  assert.is(f.users.file, path.join(dir, 'upsd.users'));
});

test('a relative folder path is made absolute', async () => {
  const dir = await standard();
  const f = await loadNutFolder(path.relative(process.cwd(), dir));
  assert.is(f.dir, dir);
});

for (const name of ['ups.conf', 'upsd.conf', 'upsd.users']) {
  test(`a missing ${name} is an error naming the path and saying upsd needs it`, async () => {
    const dir = await standard({ [name]: undefined });
    const e = await confErrorAsync(() => loadNutFolder(dir));
    assertError(e, `${path.join(dir, name)}:1:1`, 'no such file', 'upsd needs ups.conf, upsd.conf and upsd.users');
  });
}

test('a folder that does not exist is an error naming upsd.conf, the first file upsd reads', async () => {
  const dir = path.join(await folder({}), 'nope');
  assertError(await confErrorAsync(() => loadNutFolder(dir)), `${path.join(dir, 'upsd.conf')}:1:1`, 'no such file');
});

test('a config file that is /dev/zero or huge is refused without reading it all', async () => {
  const dir = await standard();
  await rm(path.join(dir, 'ups.conf'));
  await symlink('/dev/zero', path.join(dir, 'ups.conf'));
  await assertRejects(loadNutFolder(dir), /ups\.conf:1:1: it is not a regular file/);
  await rm(path.join(dir, 'ups.conf'));
  await writeFile(path.join(dir, 'ups.conf'), Buffer.alloc(5 * 1024 * 1024, 0x23));
  await assertRejects(loadNutFolder(dir), /ups\.conf:1:1: it is larger than 4194304 bytes/);
});

test('a syntax error names the full path of the file, line and column', async () => {
  const dir = await standard({ 'upsd.users': '[admin]\n  password secret\n' });
  assertError(await confErrorAsync(() => loadNutFolder(dir)), `${path.join(dir, 'upsd.users')}:2:3`, 'has no "="');
});

test('world-readable upsd.users and upsd.conf are warnings, as in upsd', async () => {
  const dir = await standard();
  await chmod(path.join(dir, 'upsd.users'), 0o644);
  await chmod(path.join(dir, 'upsd.conf'), 0o604);
  const f = await loadNutFolder(dir);
  assert.equal(f.warnings.map((w) => w.file), [path.join(dir, 'upsd.conf'), path.join(dir, 'upsd.users')]);
  assert.ok(f.warnings[0]?.message.includes('world readable (mode 0604)'));
  assert.ok(f.warnings[1]?.message.includes('passwords'));
  assert.ok(f.warnings[1]?.message.includes('chmod 640'));
});

test('ups.conf may be world readable', async () => {
  const dir = await standard();
  await chmod(path.join(dir, 'ups.conf'), 0o644);
  assert.equal((await loadNutFolder(dir)).warnings, []);
});

test('DATAPATH: cmdvartab is read from it, a relative path against the folder', async () => {
  const dir = await standard({
    'upsd.conf': 'DATAPATH share\n',
    'share/cmdvartab': 'VARDESC ups.status "Status of the UPS"\nCMDDESC load.off "Off"\n',
  });
  const f = await loadNutFolder(dir);
  assert.is(f.descriptions?.variable('UPS.STATUS'), 'Status of the UPS');
  assert.is(f.descriptions?.command('load.off'), 'Off');
});

test('DATAPATH: an absolute path is used as is', async () => {
  const data = await folder({ cmdvartab: 'VARDESC x "y"\n' });
  const dir = await standard({ 'upsd.conf': `DATAPATH ${data}\n` });
  assert.is((await loadNutFolder(dir)).descriptions?.variable('x'), 'y');
});

test('DATAPATH without a cmdvartab: a warning and no descriptions, as upsd', async () => {
  const dir = await standard({ 'upsd.conf': 'DATAPATH nowhere\n' });
  const f = await loadNutFolder(dir);
  assert.ok(f.descriptions !== undefined);
  assert.is(f.descriptions?.variable('ups.status'), undefined);
  assert.is(f.warnings.length, 1);
  assert.is(f.warnings[0]?.file, path.join(dir, 'nowhere', 'cmdvartab'));
  assert.ok(f.warnings[0]?.message.includes('Description unavailable'));
});

test('a broken cmdvartab is an error naming it', async () => {
  const dir = await standard({ 'upsd.conf': 'DATAPATH .\n', cmdvartab: 'VARDESC a b c\n' });
  assertError(await confErrorAsync(() => loadNutFolder(dir)), `${path.join(dir, 'cmdvartab')}:1:13`, 'quote the description');
});

test('allowfrom naming an ACL upsd.conf does not define is an error at the name', async () => {
  const dir = await standard({
    'upsd.conf': 'ACL lan 192.168.1.0/24\nACL lo 127.0.0.1/32\nACCEPT lan lo\n',
    'upsd.users': '[admin]\n  password = x\n  allowfrom = lo lann\n',
  });
  const e = await confErrorAsync(() => loadNutFolder(dir));
  assertError(e, `${path.join(dir, 'upsd.users')}:3:18`, 'allowfrom of user [admin]', '"lann"', 'defined ACLs: lan, lo');
});

test('allowfrom with defined ACLs loads', async () => {
  const dir = await standard({
    'upsd.conf': 'ACL lo 127.0.0.1/32\n',
    'upsd.users': '[admin]\n  password = x\n  allowfrom = lo\n',
  });
  assert.equal((await loadNutFolder(dir)).users.users[0]?.allowFrom, ['lo']);
});

test('ACCEPT naming an undefined ACL is an error at the name', async () => {
  const dir = await standard({ 'upsd.conf': 'ACL lan 10.0.0.0/8\nREJECT all\n' });
  assertError(await confErrorAsync(() => loadNutFolder(dir)), `${path.join(dir, 'upsd.conf')}:2:8`, 'REJECT names ACL "all"');
});

test('a section lacking driver or port is a warning; it stays in the model', async () => {
  const dir = await standard({ 'ups.conf': `${UPS}[half]\n  driver = dummy-ups\n` });
  const f = await loadNutFolder(dir);
  assert.equal(f.ups.sections.map((s) => s.name), ['dummy', 'half']);
  assert.is(f.warnings.length, 1);
  assert.equal([f.warnings[0]?.line, f.warnings[0]?.column], [5, 1]);
  assert.ok(f.warnings[0]?.message.includes('[half] has no port'));
  assert.ok(f.warnings[0]?.message.includes('ignores this section'));
});

test('no usable section is an error unless ALLOW_NO_DEVICE is true', async () => {
  const half = await standard({ 'ups.conf': '[half]\n  port = x\n' });
  assertError(await confErrorAsync(() => loadNutFolder(half)), `${path.join(half, 'ups.conf')}:1:1`, 'no section with both driver and port', 'ALLOW_NO_DEVICE true');
  const empty = await standard({ 'ups.conf': '# nothing yet\n' });
  assertError(await confErrorAsync(() => loadNutFolder(empty)), `${path.join(empty, 'ups.conf')}:1:1`, 'no [upsname] section');
  const allowed = await standard({ 'ups.conf': '', 'upsd.conf': 'ALLOW_NO_DEVICE true\n' });
  const f = await loadNutFolder(allowed);
  assert.equal(f.ups.sections, []);
});

test('obsolete sddelay and the reserved name "default" are warnings', async () => {
  const dir = await standard({ 'ups.conf': '[default]\n  driver = dummy-ups\n  port = d.dev\n  sddelay = 30\n' });
  const f = await loadNutFolder(dir);
  assert.equal(f.warnings.map((w) => [w.line, w.message.includes(w.line === 1 ? 'reserves' : 'sddelay')]), [[1, true], [4, true]]);
});

test('NSS-only directives beside CERTFILE come through as warnings', async () => {
  const dir = await standard({ 'upsd.conf': 'CERTPATH /etc/nut/nss\nCERTFILE upsd.pem\n' });
  const f = await loadNutFolder(dir);
  assert.equal(f.warnings.map((w) => [w.file, w.line]), [[path.join(dir, 'upsd.conf'), 1]]);
});

test.run();
