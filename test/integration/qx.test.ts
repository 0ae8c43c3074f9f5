// The Megatec/Q1 drivers end to end over real pseudo-terminals (socat), against the Q1 simulator:
// upsgate's nutdrv_qx and blazer_ser side by side with Debian's real /lib/nut/nutdrv_qx and
// /lib/nut/blazer_ser + upsd, each on its own simulator in the same state (one pty can only
// serve one driver: two readers would steal each other's replies). What Debian's upsc prints
// must be equal apart from driver.* (each driver's own bookkeeping; nutdrv_qx's
// driver.version.usb, for one, names the libusb it was built with). Then garbage on the line
// and a vanished adapter.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NutConfDir, requirePeers, runCommand, sleep } from '../helpers/nut-sandbox.js';
import { freeDualStackPort } from '../helpers/ports.js';
import { Q1Simulator, type Q1State } from '../helpers/q1-simulator.js';
import { RealSerialNut } from '../helpers/real-serial-nut.js';
import { UpsgateProcess } from '../helpers/upsgate-process.js';

const test = suite('nutdrv_qx / blazer_ser: upsgate and real NUT against the Q1 simulator');

type Flavour = 'nutdrv_qx' | 'blazer_ser';

interface Pair {
  simNut: Q1Simulator;
  simGw: Q1Simulator;
  nut: RealSerialNut;
  gw: UpsgateProcess;
  dirs: string[];
  confs: NutConfDir[];
}

const USERS = '[admin]\n\tpassword = qxtest\n\tinstcmds = all\n\tactions = SET\n';

async function startPair(driver: Flavour, extra: string[] = [], state: Partial<Q1State> = {}): Promise<Pair> {
  requirePeers('upsc', 'upsd', 'socat', driver);
  const dirs = [await mkdtemp(join(tmpdir(), 'qx-nut-')), await mkdtemp(join(tmpdir(), 'qx-gw-'))];
  const simNut = await Q1Simulator.start(dirs[0]!, state);
  const simGw = await Q1Simulator.start(dirs[1]!, state);
  const section = (port: string) => `[sim]\n\tdriver = ${driver}\n\tport = ${port}\n${extra.map((l) => `\t${l}\n`).join('')}`;
  const nutConf = await NutConfDir.create({ files: { 'ups.conf': section(simNut.port), 'upsd.users': USERS }, port: await freeDualStackPort() });
  const gwConf = await NutConfDir.create({ files: { 'ups.conf': section(simGw.port), 'upsd.users': USERS }, port: await freeDualStackPort() });
  const nut = await RealSerialNut.start(nutConf, driver);
  const gw = await UpsgateProcess.start({ conf: gwConf });
  return { simNut, simGw, nut, gw, dirs, confs: [nutConf, gwConf] };
}

async function stopPair(p: Pair): Promise<void> {
  await p.gw.stop();
  await p.nut.stop();
  await p.simNut.stop();
  await p.simGw.stop();
  for (const c of p.confs) await c.remove();
  for (const d of p.dirs) await rm(d, { recursive: true, force: true });
}

async function upsc(port: number, variable?: string): Promise<{ code: number | null; lines: string[]; stderr: string }> {
  const r = await runCommand('upsc', [`sim@127.0.0.1:${port}`, ...(variable ? [variable] : [])]);
  return { code: r.code, stderr: r.stderr, lines: r.stdout.split('\n').filter((l) => l !== '' && !l.startsWith('driver.')) };
}

async function upscmdList(port: number): Promise<string> {
  return (await runCommand('upscmd', ['-l', `sim@127.0.0.1:${port}`])).stdout;
}

/** Waits until both servers show the same thing (or the time is up) and returns both. */
async function settleEqual(p: Pair, limitMs: number, ready: (lines: string[]) => boolean = () => true): Promise<[string[], string[]]> {
  const until = Date.now() + limitMs;
  let a: string[] = [];
  let b: string[] = [];
  while (Date.now() < until) {
    a = (await upsc(p.nut.conf.port)).lines;
    b = (await upsc(p.gw.port)).lines;
    if (ready(a) && ready(b) && a.join('\n') === b.join('\n')) break;
    await sleep(500);
  }
  return [a, b];
}

for (const driver of ['nutdrv_qx', 'blazer_ser'] as const) {
  test(`${driver}: same variables, values and commands as Debian's ${driver}; state changes follow`, async () => {
    const p = await startPair(driver);
    try {
      let [nut, gw] = await settleEqual(p, 8000);
      assert.equal(gw, nut);
      assert.ok(nut.includes('ups.status: OL') && nut.includes('battery.charge: 100'), nut.join('\n'));
      assert.is(await upscmdList(p.gw.port), await upscmdList(p.nut.conf.port));
      // Mains fails, the battery sags, then runs low.
      for (const s of [p.simNut, p.simGw]) Object.assign(s.state, { utilityFail: true, inputVoltage: 0, batteryVoltage: 11.7, load: 27 });
      [nut, gw] = await settleEqual(p, 8000, (l) => l.includes('ups.status: OB'));
      assert.equal(gw.find((l) => l.startsWith('ups.status')), 'ups.status: OB');
      assert.equal(gw.find((l) => l.startsWith('ups.status')), nut.find((l) => l.startsWith('ups.status')));
      if (driver === 'blazer_ser') assert.equal(gw, nut); // nutdrv_qx refreshes values every pollfreq (30 s) only
      for (const s of [p.simNut, p.simGw]) Object.assign(s.state, { batteryLow: true, batteryVoltage: 10.6 });
      [nut, gw] = await settleEqual(p, 8000, (l) => l.includes('ups.status: OB LB'));
      assert.equal(gw.find((l) => l.startsWith('ups.status')), 'ups.status: OB LB');
      assert.equal(gw.find((l) => l.startsWith('ups.status')), nut.find((l) => l.startsWith('ups.status')));
      if (driver === 'blazer_ser') {
        assert.equal(gw, nut);
        assert.ok(gw.includes('battery.charge: 8'), gw.join('\n'));
      }
    } finally {
      await stopPair(p);
    }
  });
}

for (const driver of ['nutdrv_qx', 'blazer_ser'] as const) {
  // nutdrv_qx refreshes values every pollfreq: 1 s here; blazer_ser every poll (it has no pollfreq)
  test(`${driver}: on battery, trim, failed and shutdown-active bits give the same values, status and alarms`, async () => {
  const p = await startPair(driver, driver === 'nutdrv_qx' ? ['pollfreq = 1'] : []);
  try {
    const phases: Array<[Partial<Q1State>, string]> = [
      [{ utilityFail: true, inputVoltage: 0, batteryVoltage: 11.7, load: 27 }, 'ups.status: OB'],
      [{ utilityFail: false, inputVoltage: 240, outputVoltage: 220, bypassActive: true, batteryVoltage: 12.9 }, 'ups.status: OL TRIM'],
      [{ bypassActive: false, upsFailed: true, shutdownActive: true, testing: true, beeper: false }, 'ups.status: ALARM OL CAL FSD'],
    ];
    for (const [change, status] of phases) {
      for (const s of [p.simNut, p.simGw]) Object.assign(s.state, change);
      const [nut, gw] = await settleEqual(p, 10000, (l) => l.includes(status));
      assert.equal(gw, nut);
      assert.ok(gw.includes(status), gw.join('\n'));
    }
    const [, gw] = await settleEqual(p, 1000);
    assert.ok(gw.includes('ups.alarm: UPS selftest failed! Shutdown imminent!'), gw.join('\n'));
  } finally {
    await stopPair(p);
  }
});
}

for (const driver of ['nutdrv_qx', 'blazer_ser'] as const) {
  test(`${driver}: a unit that does not know I (echoes it): the same as NUT (nutdrv_qx: its plain Q1 subdriver, no ratings)`, async () => {
    const p = await startPair(driver, [], { info: undefined });
    try {
      const [nut, gw] = await settleEqual(p, 8000);
      assert.equal(gw, nut);
      assert.is(gw.some((l) => l.startsWith('input.voltage.nominal')), driver === 'blazer_ser');
    } finally {
      await stopPair(p);
    }
  });
}

test('nutdrv_qx with runtimecal and default.battery.voltage.*: the same battery.charge and battery.runtime as NUT', async () => {
  const p = await startPair('nutdrv_qx', [
    'runtimecal = 240,100,720,50', 'default.battery.voltage.low = 10.5', 'default.battery.voltage.high = 13.5', 'pollfreq = 1',
  ]);
  try {
    // NUT publishes battery.runtime at the first full update after start (pollfreq later).
    const [nut, gw] = await settleEqual(p, 10000, (l) => l.some((x) => x.startsWith('battery.runtime: ')));
    assert.equal(gw, nut);
    assert.ok(gw.some((l) => l.startsWith('battery.runtime: ')), gw.join('\n'));
  } finally {
    await stopPair(p);
  }
});

for (const driver of ['nutdrv_qx', 'blazer_ser'] as const) {
  test(`${driver}: upscmd sends what NUT sends (ondelay/offdelay from ups.conf); upsrw shows the same`, async () => {
    // blazer_ser's ondelay is in minutes, nutdrv_qx's in seconds: both 4 minutes here.
    const p = await startPair(driver, [driver === 'blazer_ser' ? 'ondelay = 4' : 'ondelay = 240', 'offdelay = 90']);
    try {
      const rw = async (port: number) => (await runCommand('upsrw', [`sim@127.0.0.1:${port}`])).stdout;
      assert.is(await rw(p.gw.port), await rw(p.nut.conf.port));
      const commands = ['shutdown.return', 'shutdown.stayoff', 'shutdown.stop', 'load.off', 'load.on', 'beeper.toggle',
        'test.battery.start.quick', 'test.battery.start.deep', 'test.battery.stop'];
      // test.battery.start takes seconds on nutdrv_qx and minutes on blazer_ser
      for (const c of [...commands, driver === 'blazer_ser' ? 'test.battery.start 5' : 'test.battery.start 300']) {
        const [name, value] = c.split(' ');
        const args = ['-u', 'admin', '-p', 'qxtest', '-w'];
        for (const port of [p.nut.conf.port, p.gw.port]) {
          const r = await runCommand('upscmd', [...args, `sim@127.0.0.1:${port}`, name!, ...(value ? [value] : [])]);
          assert.is(r.code, 0, `${c} on ${port}: ${r.stdout}${r.stderr}`);
        }
      }
      await sleep(1500);
      const wire = (s: Q1Simulator) => s.received.filter((x) => x !== 'Q1' && x !== 'F' && x !== 'I' && !/^(QGS|M|QS|D|ID|QPI)$/.test(x));
      assert.equal(wire(p.simGw), wire(p.simNut));
      assert.equal(wire(p.simGw), ['S01R0004', 'S01R0000', 'C', 'S00R0000', 'C', 'Q', 'T', 'TL', 'CT', 'T05']);
    } finally {
      await stopPair(p);
    }
  });
}

test('blazer_ser with runtimecal: the same battery.charge and battery.runtime as NUT, on mains and on battery', async () => {
  const p = await startPair('blazer_ser', ['runtimecal = 240,100,720,50', 'chargetime = 3600', 'idleload = 5']);
  try {
    let [nut, gw] = await settleEqual(p, 8000, (l) => l.some((x) => x.startsWith('battery.runtime: ')));
    assert.equal(gw, nut);
    for (const s of [p.simNut, p.simGw]) Object.assign(s.state, { utilityFail: true, load: 60, batteryVoltage: 12.4 });
    await sleep(4000);
    [nut, gw] = await settleEqual(p, 8000, (l) => l.includes('ups.status: OB'));
    assert.equal(gw, nut);
  } finally {
    await stopPair(p);
  }
});

test('garbage on the line: the driver resynchronises and keeps serving fresh data', async () => {
  const p = await startPair('nutdrv_qx');
  try {
    for (let i = 0; i < 5; i++) {
      await p.simGw.garbage('\x00\xff#junk(12 3\rnoise');
      await sleep(300);
    }
    await sleep(2500);
    const r = await upsc(p.gw.port, 'ups.status');
    assert.is(r.code, 0, r.stderr);
    assert.equal(r.lines, ['OL']);
  } finally {
    await stopPair(p);
  }
});

test('the adapter vanishes: DATA-STALE (never the old values as fresh), then back with the same data', async () => {
  const p = await startPair('nutdrv_qx');
  try {
    await p.simGw.drop();
    const until = Date.now() + 8000;
    let r = await upsc(p.gw.port, 'ups.status');
    while (r.code === 0 && Date.now() < until) {
      await sleep(250);
      r = await upsc(p.gw.port, 'ups.status');
    }
    assert.is.not(r.code, 0, 'stale while the adapter is gone');
    assert.match(r.stderr, /Data stale/);
    p.simGw.state.utilityFail = true;
    await p.simGw.restore();
    const back = Date.now() + 15000;
    r = await upsc(p.gw.port, 'ups.status');
    while ((r.code !== 0 || r.lines[0] !== 'OB') && Date.now() < back) {
      await sleep(250);
      r = await upsc(p.gw.port, 'ups.status');
    }
    assert.is(r.code, 0, r.stderr);
    assert.equal(r.lines, ['OB']);
  } finally {
    await stopPair(p);
  }
});

test.run();
