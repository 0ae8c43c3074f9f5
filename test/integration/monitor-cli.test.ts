// The monitor's files at the command line: check-config reads upsmon.conf/upssched.conf/upsgate.json
// and refuses what the monitor could not act on (with file:line:column); `upsgate killpower`, the
// late-shutdown hook, acts only when the POWERDOWNFLAG is there and goes through the UPSes in
// sdorder order, reporting each one that refuses.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runUpsgate } from '../helpers/upsgate-process.js';

const test = suite('monitor: command line');
const dirs: string[] = [];

async function folder(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'upsgate-moncli-'));
  dirs.push(dir);
  for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content.replaceAll('DIR', dir), { mode: 0o600 });
  return dir;
}

const BASE = {
  'ups.conf': [
    '[misc]\n  driver = dummy-ups\n  port = a.dev\n  sdorder = 0\n',
    '[bigone]\n  driver = dummy-ups\n  port = a.dev\n  sdorder = 2\n',
    '[littleguy]\n  driver = dummy-ups\n  port = a.dev\n  sdorder = 1\n',
    '[keep]\n  driver = dummy-ups\n  port = a.dev\n  sdorder = -1\n',
  ].join(''),
  'upsd.conf': 'LISTEN 127.0.0.1 3493\n',
  'upsd.users': '[monp]\n  password = mp\n  upsmon primary\n[mons]\n  password = ms\n  upsmon secondary\n',
  'a.dev': 'ups.status: OL\n',
};

test.after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

test('check-config reads upsmon.conf and says it will monitor', async () => {
  const dir = await folder({ ...BASE, 'upsmon.conf': 'MONITOR misc@localhost 1 monp mp primary\nSHUTDOWNCMD "/bin/true"\n' });
  const r = await runUpsgate(['check-config', '--nut-conf', dir]);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /configuration is good: 4 UPSes .*, monitoring 1 UPS\(es\) as upsmon/);
});

test('a bad upsmon.conf line stops check-config with file:line:column', async () => {
  const dir = await folder({ ...BASE, 'upsmon.conf': 'MONITOR misc@localhost 1 monp mp primary\nSHUTDOWNCMD /sbin/shutdown -h +0\n' });
  const r = await runUpsgate(['check-config', '--nut-conf', dir]);
  assert.is(r.code, 1);
  assert.match(r.stderr, new RegExp(`${dir}/upsmon\\.conf:2:\\d+: `));
});

test('a MONITOR line for a UPS of this gateway with a wrong password is refused at start, naming upsd.users', async () => {
  const dir = await folder({ ...BASE, 'upsmon.conf': 'MONITOR misc@localhost 1 monp wrong primary\nSHUTDOWNCMD "/bin/true"\n' });
  const r = await runUpsgate(['check-config', '--nut-conf', dir]);
  assert.is(r.code, 1);
  assert.match(r.stderr, /upsmon\.conf:1:9: MONITOR misc@localhost: upsd\.users has no user monp with this password/);
  const secondary = await folder({ ...BASE, 'upsmon.conf': 'MONITOR misc@localhost 1 mons ms primary\nSHUTDOWNCMD "/bin/true"\n' });
  const r2 = await runUpsgate(['check-config', '--nut-conf', secondary]);
  assert.is(r2.code, 1);
  assert.match(r2.stderr, /user mons has no primary rights/);
  const missing = await folder({ ...BASE, 'upsmon.conf': 'MONITOR nosuch@localhost 1 monp mp primary\nSHUTDOWNCMD "/bin/true"\n' });
  const r3 = await runUpsgate(['check-config', '--nut-conf', missing]);
  assert.match(r3.stderr, /this gateway serves no UPS named nosuch on port 3493 \(it serves: misc, bigone, littleguy, keep\)/);
});

test('upsgate.json powerOffUps without POWERDOWNFLAG is refused', async () => {
  const dir = await folder({
    ...BASE,
    'upsmon.conf': 'MONITOR misc@localhost 1 monp mp primary\nSHUTDOWNCMD "/bin/true"\n',
    'upsgate.json': '{ "shutdown": { "powerOffUps": true } }\n',
  });
  const r = await runUpsgate(['check-config', '--nut-conf', dir]);
  assert.is(r.code, 1);
  assert.match(r.stderr, /shutdown\.powerOffUps is true, but upsmon\.conf has no POWERDOWNFLAG/);
});

test('killpower: nothing to do without the flag; with it, every UPS in sdorder order, -1 left on, refusals exit 1', async () => {
  const dir = await folder({ ...BASE, 'upsmon.conf': 'MONITOR misc@localhost 1 monp mp primary\nSHUTDOWNCMD "/bin/true"\nPOWERDOWNFLAG DIR/killpower\n' });
  const none = await runUpsgate(['killpower', '--nut-conf', dir]);
  assert.is(none.code, 0, none.stderr);
  assert.match(none.stdout, /no power-down flag at .*killpower: the UPS keeps the load on/);

  await writeFile(join(dir, 'killpower'), 'upsmon-shutdown-file');
  const r = await runUpsgate(['killpower', '--nut-conf', dir], { timeoutMs: 30000 });
  assert.is(r.code, 1, 'dummy-ups cannot cut power (NUT: "shutdown not supported"): refused, loudly');
  const order = [...r.stderr.matchAll(/killpower: UPS (\w+) \(sdorder (\d)\) did not take a shutdown command/g)].map((m) => `${m[1]}:${m[2]}`);
  assert.equal(order, ['misc:0', 'littleguy:1', 'bigone:2'], r.stderr);
  assert.match(r.stderr, /UPS keep has sdorder -1: left on/);

  const noFlag = await folder({ ...BASE, 'upsmon.conf': 'MONITOR misc@localhost 1 monp mp primary\nSHUTDOWNCMD "/bin/true"\n' });
  const r2 = await runUpsgate(['killpower', '--nut-conf', noFlag]);
  assert.is(r2.code, 1);
  assert.match(r2.stderr, /upsmon\.conf has no POWERDOWNFLAG/);
});

test.run();
