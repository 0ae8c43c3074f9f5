// The USB HID driver from the outside: `upsgate hid-dump` on a recorded device, and the gateway
// serving a replayed APC Back-UPS 500 (`port = replay:<file>`) to Debian's real upsc. Both must
// show what NUT's usbhid-ups published for that UPS, apart from driver.* (the driver's own
// bookkeeping) and battery.type (a USB string index that hidraw cannot read).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFile } from 'node:fs/promises';
import { parseRecording } from '../../src/drivers/usbhid/recording.js';
import { NutConfDir, requirePeers, runCommand } from '../helpers/nut-sandbox.js';
import { freeDualStackPort } from '../helpers/ports.js';
import { runUpsgate, UpsgateProcess } from '../helpers/upsgate-process.js';

const FIXTURE = new URL('../fixtures/hid/apc-back-ups-500.txt', import.meta.url).pathname;

const test = suite('usbhid-ups: hid-dump and a replayed UPS served to real upsc');

async function expected(): Promise<string[]> {
  const rec = parseRecording(await readFile(FIXTURE, 'latin1'), FIXTURE);
  return (rec.upsc ?? []).filter(([n]) => !n.startsWith('driver.') && n !== 'battery.type').map(([n, v]) => `${n}: ${v}`);
}

const comparable = (stdout: string): string[] => stdout.split('\n').filter((l) => l !== '' && !l.startsWith('driver.'));

test('hid-dump prints what NUT published, as upsc prints it, and nothing else', async () => {
  const r = await runUpsgate(['hid-dump', FIXTURE]);
  assert.is(r.code, 0, r.stderr);
  assert.equal(comparable(r.stdout), await expected());
  assert.ok(r.stdout.split('\n').filter(Boolean).every((l) => /^[a-z0-9_.]+: /i.test(l)), 'only name: value lines');
  const bad = await runUpsgate(['hid-dump', '/nonexistent.txt']);
  assert.is(bad.code, 1);
  assert.match(bad.stderr, /nonexistent\.txt/);
});

test('the gateway serves a replayed USB HID UPS; Debian upsc sees NUT\'s variables', async () => {
  requirePeers('upsc');
  const port = await freeDualStackPort();
  const conf = await NutConfDir.create({
    files: { 'ups.conf': '[apc]\n\tdriver = usbhid-ups\n\tport = replay:apc.txt\n\tvendorid = 051D\n', 'apc.txt': await readFile(FIXTURE, 'latin1') },
    port,
  });
  const gw = await UpsgateProcess.start({ conf });
  try {
    const r = await runCommand('upsc', [`apc@127.0.0.1:${port}`]);
    assert.is(r.code, 0, r.stderr);
    assert.equal(comparable(r.stdout), await expected());
  } finally {
    await gw.stop();
    await conf.remove();
  }
});

test('upsgate scan runs node-hid on this machine (no UPS attached here): says so, exits 0', async () => {
  const r = await runUpsgate(['scan']);
  assert.is(r.code, 0, r.stderr);
  assert.is(r.stdout, '');
  assert.match(r.stderr, /no USB HID UPS found/);
});

test.run();
