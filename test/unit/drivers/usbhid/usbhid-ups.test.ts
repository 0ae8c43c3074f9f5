// usbhid-ups end to end on a recorded device (the APC Back-UPS 500 capture) played back as if it
// were plugged in: the variables it publishes against NUT's upsc; OL -> OB -> LB -> OL by
// changing what the device reports and by interrupt reports; a command written as the right
// feature report; unplug and replug on another hidraw node, data stale meanwhile.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Device } from '../../../../src/core/device.js';
import { createLogger } from '../../../../src/core/logger.js';
import type { DriverContext } from '../../../../src/drivers/driver.js';
import type { HidBus } from '../../../../src/drivers/usbhid/hid-types.js';
import { parseReportDescriptor } from '../../../../src/drivers/usbhid/descriptor.js';
import { loadRecording } from '../../../../src/drivers/usbhid/recording.js';
import { ReplayBus } from '../../../../src/drivers/usbhid/transport/replay-bus.js';
import { UsbHidUps } from '../../../../src/drivers/usbhid/usbhid-ups.js';
import { FakeClock } from '../../../helpers/fake-clock.js';
import { sectionOf, settle, type Lines } from '../helpers.js';

const FIXTURE = new URL('../../../fixtures/hid/apc-back-ups-500.txt', import.meta.url).pathname;

const test = suite('drivers/usbhid: usbhid-ups on a replayed APC Back-UPS 500');

/** The driver on a bus the test holds, started on a fake clock; `run(ms)` moves time in 100 ms steps. */
async function startOn(bus: HidBus, lines: Lines, name = 'apc', giveUp?: (reason: string) => void) {
  const clock = new FakeClock();
  const section = sectionOf([['driver', 'usbhid-ups'], ['port', 'auto'], ...lines], name);
  const device = new Device(name, clock);
  const logs: string[] = [];
  const ctx: DriverContext = {
    section, pollIntervalSeconds: 2, confDir: '/tmp', device, clock,
    log: createLogger('test', (level, _r, m) => logs.push(`${level}: ${m}`), 'debug'),
    ...(giveUp ? { giveUp } : {}),
  };
  const driver = new UsbHidUps(ctx, bus);
  let done = false;
  let failure: unknown;
  const started = driver.start().catch((e) => (failure = e)).finally(() => (done = true));
  while (!done) {
    await settle(() => done || clock.pendingTimeouts() > 0);
    if (!done) await clock.advance(50);
  }
  await started;
  const run = async (ms: number): Promise<void> => {
    const end = clock.now() + ms;
    while (clock.now() < end) {
      await settle(() => clock.pendingTimeouts() > 0, 200);
      await clock.advance(Math.min(100, end - clock.now()));
    }
  };
  return { clock, device, driver, logs, run, failure };
}

async function harness(extra: Lines = [], giveUp?: (reason: string) => void) {
  const recording = await loadRecording(FIXTURE);
  const bus = new ReplayBus(recording);
  return { recording, bus, ...(await startOn(bus, [['vendorid', '051D'], ...extra], 'apc', giveUp)) };
}

test('publishes what NUT published for this UPS (driver.* excepted; battery.type needs a USB string hidraw cannot read)', async () => {
  const h = await harness();
  try {
    const want = Object.fromEntries((h.recording.upsc ?? []).filter(([n]) => !n.startsWith('driver.') && n !== 'battery.type'));
    const got = Object.fromEntries(h.device.variables().filter((v) => !v.name.startsWith('driver.')).map((v) => [v.name, v.value]));
    assert.equal(got, want);
    assert.is(h.device.availability(), 'ok');
    assert.is(h.device.getInfo('driver.version.data'), 'APC HID 0.98');
  } finally {
    await h.driver.stop();
  }
});

test('OL -> OB -> OB LB -> OL, by feature polls and by interrupt reports', async () => {
  const h = await harness();
  try {
    assert.is(h.device.getInfo('ups.status'), 'OL');
    // ACPresent 0 and Discharging 1 (report 0x13, report 0x06), seen at the next quick walk.
    h.bus.setFeature('13 00');
    h.bus.setFeature('06 00 01 08');
    await h.run(2000);
    assert.is(h.device.getInfo('ups.status'), 'OB DISCHRG');
    // Low battery arrives as an interrupt report: published at once, without waiting for a poll.
    h.bus.setFeature('14 01 00');
    h.bus.emitInput('14 01 00');
    await settle(() => h.device.getInfo('ups.status') === 'OB DISCHRG LB', 200);
    assert.is(h.device.getInfo('ups.status'), 'OB DISCHRG LB');
    h.bus.setFeature('13 01');
    h.bus.setFeature('06 01 00 08');
    h.bus.setFeature('14 00 00');
    await h.run(2000);
    assert.is(h.device.getInfo('ups.status'), 'OL CHRG');
  } finally {
    await h.driver.stop();
  }
});

test('an instant command goes out as the right feature report', async () => {
  const h = await harness();
  try {
    const cmds = h.device.commands();
    assert.ok(cmds.includes('test.panel.start'), `commands: ${cmds.join(', ')}`);
    assert.is(await h.driver.instcmd('test.panel.start'), 'success');
    assert.equal(h.bus.sent().map((b) => b.toString('hex')), ['3501']);
    assert.is(await h.driver.instcmd('no.such.command'), 'unknown');
  } finally {
    await h.driver.stop();
  }
});

test('unplug: stale at once; replug on another hidraw node: fresh again within seconds, counted', async () => {
  const h = await harness();
  try {
    h.bus.unplug();
    await h.run(100);
    assert.is(h.device.availability(), 'stale', 'never served as fresh while the UPS is away');
    await h.run(3000);
    assert.is(h.device.availability(), 'stale');
    h.bus.replug({ path: '/dev/hidraw7' });
    await h.run(12_000);
    assert.is(h.device.availability(), 'ok');
    assert.is(h.device.getInfo('driver.state.usb.drops'), '1');
    assert.is(h.device.getInfo('driver.state.usb.recoveries'), '1');
    assert.is(h.device.getInfo('ups.status'), 'OL');
  } finally {
    await h.driver.stop();
  }
});

test('a UPS that never comes back: after maxfailures attempts the driver gives up and asks the gateway to end', async () => {
  const reasons: string[] = [];
  const h = await harness([['maxfailures', '3']], (r) => reasons.push(r));
  h.bus.unplug();
  for (let waited = 0; waited < 60_000 && reasons.length === 0; waited += 1000) await h.run(1000);
  assert.is(reasons.length, 1, h.logs.join('\n'));
  assert.match(reasons[0]!, /^usbhid-ups for \[apc\] gave up: /);
  assert.is(h.device.availability(), 'not-connected', 'its data is dropped, as when a NUT driver exits');
  await h.driver.stop();
});

test('a section matching no attached UPS fails to start with what it looked for', async () => {
  const h = await startOn(new ReplayBus(await loadRecording(FIXTURE)), [['vendorid', '0764']], 'cps');
  const error = h.failure as Error | undefined;
  assert.match(String(error?.message), /\[cps\]: no matching HID UPS found \(vendorid = 0764\); run "upsgate scan"/);
  await h.driver.stop();
});

test.run();

// A CyberPower CST135UC2 (its real 726-byte descriptor) with values the test chooses: every
// Feature report zero-filled to its declared length, then the fields a scenario needs.
const CPS = new URL('../../../fixtures/hid/cyberpower-cst135uc2.txt', import.meta.url).pathname;

const cps = suite('drivers/usbhid: usbhid-ups on a CyberPower descriptor with scripted values');

cps('overload and a battery test: OVER in ups.status, test.battery.start.quick written to UPS.Output.Test', async () => {
  const rec = await loadRecording(CPS);
  const d = parseReportDescriptor(rec.descriptor);
  const reads = d.reportIds('Feature').map((id) => {
    const b = Buffer.alloc(d.reportLength('Feature', id));
    b[0] = id;
    return b;
  });
  const set = (id: number, ...bytes: number[]) => {
    const b = reads.find((r) => r[0] === id)!;
    bytes.forEach((v, i) => (b[i + 1] = v));
  };
  set(0x08, 100, 0x10, 0x0e); // RemainingCapacity 100 %, RunTimeToEmpty 3600 s
  set(0x0b, 0b0001_0001); // ACPresent, FullyCharged
  set(0x0c, 2); // AudibleAlarmControl enabled
  const bus = new ReplayBus({ ...rec, featureReads: reads });
  const { device, driver, run } = await startOn(bus, [], 'cps');
  try {
    assert.is(device.getInfo('ups.status'), 'OL');
    assert.is(device.getInfo('battery.charge'), '100');
    assert.is(device.getInfo('ups.beeper.status'), 'enabled');
    bus.setFeature(Buffer.from([0x17, 0b10]));
    // cps-hid reads Overload in the full walk only (every pollfreq, 30 s), as NUT's table says.
    await run(32_000);
    assert.match(String(device.getInfo('ups.status')), /\bOVER\b/);
    assert.is(await driver.instcmd('test.battery.start.quick'), 'success');
    assert.equal(bus.sent().map((b) => b.toString('hex')), ['1401'], 'Test = 1 (quick) in report 0x14');
    assert.is(await driver.instcmd('beeper.disable'), 'success');
    assert.is(bus.sent()[1]!.toString('hex'), '0c01');
  } finally {
    await driver.stop();
  }
});

cps.run();

// A minimal Power Device written by hand (neither capture has NeedReplacement): one report with
// RemainingCapacity, one with PresentStatus bits ACPresent, Charging, Discharging, NeedReplacement.
const MINIMAL_DESCRIPTOR =
  '05 84 09 04 a1 01 09 24 a1 00 ' +
  '85 01 05 85 09 66 75 08 95 01 15 00 25 64 b1 02 ' +
  '85 02 05 84 09 02 a1 02 05 85 09 d0 09 44 09 45 09 4b 75 01 95 04 15 00 25 01 b1 02 75 04 95 01 b1 03 c0 ' +
  'c0 c0';

const battery = suite('drivers/usbhid: replace battery on a minimal Power Device');

battery('NeedReplacement: RB in ups.status and "Replace battery!" in ups.alarm; gone again after the new battery', async () => {
  const bytes = (hex: string) => Buffer.from(hex.replace(/\s+/g, ''), 'hex');
  const bus = new ReplayBus({
    device: { vendorId: 0x051d, productId: 0x0002, manufacturer: 'American Power Conversion', product: 'Back-UPS X FW: 1 USB FW: 2', serial: 'S1', release: undefined, path: '/dev/hidraw0', bus: '001', usagePage: 0x84, usage: 4 },
    descriptor: bytes(MINIMAL_DESCRIPTOR),
    featureReads: [bytes('01 64'), bytes('02 01')],
    interruptIn: [],
  });
  const { device, driver, run: runFor } = await startOn(bus, [], 'mini');
  try {
    assert.is(device.getInfo('ups.status'), 'OL');
    bus.setFeature(bytes('02 09')); // ACPresent + NeedReplacement
    await runFor(31_000);
    assert.match(String(device.getInfo('ups.status')), /\bOL\b.*\bRB\b/);
    assert.is(device.getInfo('ups.alarm'), 'Replace battery!');
    bus.setFeature(bytes('02 01'));
    await runFor(31_000);
    assert.is(device.getInfo('ups.status'), 'OL');
    assert.is(device.getInfo('ups.alarm'), undefined);
  } finally {
    await driver.stop();
  }
});

battery.run();

const tweak = suite('drivers/usbhid: report sizes');

tweak('maxreport (NUT\'s tweak for APC Back-UPS CS firmware) asks every report at the largest size; writes keep the declared size', async () => {
  const rec = await loadRecording(FIXTURE);
  const asked: number[] = [];
  const plain = new ReplayBus(rec);
  const bus = {
    list: () => plain.list(),
    open: async (d: Parameters<typeof plain.open>[0]) => {
      const t = await plain.open(d);
      const get = t.getFeature.bind(t);
      t.getFeature = (id: number, length: number) => {
        asked.push(length);
        return get(id, length);
      };
      return t;
    },
  };
  const { driver } = await startOn(bus, [['maxreport']]);
  try {
    assert.ok(asked.length > 5);
    assert.equal([...new Set(asked)], [6], 'report 0x0c (5 bytes + id) is the largest');
    assert.is(await driver.instcmd('test.panel.start'), 'success');
    assert.equal(plain.sent().map((b) => b.toString('hex')), ['3501']);
  } finally {
    await driver.stop();
  }
});

tweak.run();

const options = suite('drivers/usbhid: ups.conf options');

options('pollfreq, maxfailures and the delays must be whole numbers; the error names the line', () => {
  for (const [key, value] of [['pollfreq', '30s'], ['maxfailures', '0'], ['offdelay', '-5']] as const) {
    const section = sectionOf([['driver', 'usbhid-ups'], ['port', 'auto'], [key, value]], 'apc');
    const clock = new FakeClock();
    assert.throws(
      () => new UsbHidUps({ section, pollIntervalSeconds: 2, confDir: '/tmp', device: new Device('apc', clock), clock, log: createLogger('t', () => {}) }),
      (e: Error) => e.name === 'DriverConfigError' && new RegExp(`^/etc/nut/ups\\.conf:4:3: \\[apc\\] ${key} = ${value}: accepted: a whole number`).test(e.message),
    );
  }
});

options.run();

const garbage = suite('drivers/usbhid: a device that sends garbage');

garbage('random feature replies and interrupt reports (seeded) never throw; the data stays served or goes stale', async () => {
  let seed = 20261202;
  const rnd = (n: number): number => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return seed % n;
  };
  const h = await harness();
  try {
    const ids = [0x06, 0x0c, 0x13, 0x14, 0x09, 0x1c, 0x40, 0x77];
    for (let round = 0; round < 60; round++) {
      const id = ids[rnd(ids.length)]!;
      const bytes = [id, ...Array.from({ length: rnd(8) }, () => rnd(256))];
      h.bus.setFeature(Buffer.from(bytes));
      h.bus.emitInput(Buffer.from([ids[rnd(ids.length)]!, ...Array.from({ length: rnd(6) }, () => rnd(256))]));
      if (rnd(10) === 0) h.bus.emitInput(Buffer.alloc(0));
      await h.run(500);
      assert.ok(['ok', 'stale'].includes(h.device.availability()));
      const status = h.device.getInfo('ups.status') ?? '';
      assert.ok(/^[A-Z ]*$/.test(status), `ups.status ${JSON.stringify(status)}`);
    }
    assert.ok(!h.logs.some((l) => /TypeError|RangeError|undefined is not/.test(l)), h.logs.filter((l) => /Error/.test(l)).join('\n'));
  } finally {
    await h.driver.stop();
  }
});

garbage.run();
