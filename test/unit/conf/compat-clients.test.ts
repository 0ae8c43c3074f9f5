import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compatStatus, CompatError, disableCompat, enableCompat, parseAddresses } from '../../../src/conf/compat-clients.js';
import { loadNutFolder } from '../../../src/conf/nut-folder.js';

async function folder(ups = 'rack') {
  const dir = await mkdtemp(path.join(tmpdir(), 'upsgate-compat-'));
  await writeFile(path.join(dir, 'ups.conf'), `[${ups}]\n  driver = dummy-ups\n  port = a.dev\n`);
  await writeFile(path.join(dir, 'upsd.conf'), 'LISTEN 0.0.0.0 3493\n');
  await writeFile(path.join(dir, 'upsd.users'), '[upsmon]\n  password = p4ss\n  upsmon primary\n');
  return dir;
}

test('Synology: an alias [ups] repeating the real UPS, monuser/secret as secondary, usable only from the given addresses', async () => {
  const dir = await folder();
  await enableCompat(dir, 'synology', parseAddresses('192.168.1.20, 192.168.1.21'), 'rack', 3493);
  const f = await loadNutFolder(dir);
  const alias = f.ups.sections.find((s) => s.name === 'ups')!;
  assert.is(alias.driver, 'dummy-ups');
  assert.is(alias.port, 'rack@localhost:3493');
  const user = f.users.users.find((u) => u.name === 'monuser')!;
  assert.equal([user.password, user.upsmon, user.allowFrom], ['secret', 'secondary', ['compat-synology-1', 'compat-synology-2']]);
  assert.equal(f.upsd.acls.map((a) => `${a.network}/${a.prefix}`), ['192.168.1.20/32', '192.168.1.21/32']);
  assert.equal((await compatStatus(dir)).synology, { enabled: true, addresses: ['192.168.1.20', '192.168.1.21'] });
  // Turning it off leaves the files as they were.
  await disableCompat(dir, 'synology');
  assert.is(await readFile(path.join(dir, 'ups.conf'), 'utf8'), '[rack]\n  driver = dummy-ups\n  port = a.dev\n');
  assert.is(await readFile(path.join(dir, 'upsd.users'), 'utf8'), '[upsmon]\n  password = p4ss\n  upsmon primary\n');
  assert.equal((await compatStatus(dir)).synology, { enabled: false, addresses: [] });
});

test('a UPS already named "ups" needs no alias; QNAP gets qnapups with admin/123456', async () => {
  const dir = await folder('ups');
  await enableCompat(dir, 'synology', ['10.0.0.5'], 'ups', 3493);
  await enableCompat(dir, 'qnap', ['10.0.0.6'], 'ups', 3493);
  const f = await loadNutFolder(dir);
  assert.equal(f.ups.sections.map((s) => s.name), ['ups', 'qnapups']);
  assert.ok(f.users.users.some((u) => u.name === 'admin' && u.password === '123456' && u.upsmon === 'secondary'));
});

test('refusals: no address, everywhere, a network, a user that exists already', async () => {
  assert.throws(() => parseAddresses(''), /give the NAS's IP address/);
  assert.throws(() => parseAddresses('0.0.0.0'), /would mean everywhere/);
  assert.throws(() => parseAddresses('192.168.1.0/24'), /not an IP address/);
  const dir = await folder();
  await writeFile(path.join(dir, 'upsd.users'), '[monuser]\n  password = other\n  upsmon secondary\n');
  try {
    await enableCompat(dir, 'synology', ['192.168.1.20'], 'rack', 3493);
    assert.unreachable();
  } catch (e) {
    assert.instance(e, CompatError);
    assert.match((e as Error).message, 'already has a user [monuser]');
  }
  assert.is(await readFile(path.join(dir, 'ups.conf'), 'utf8'), '[rack]\n  driver = dummy-ups\n  port = a.dev\n');
});

test.run();
