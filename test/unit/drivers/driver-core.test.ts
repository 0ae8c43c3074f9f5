import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { CommandOutcome } from '../../../src/core/command-target.js';
import { Device } from '../../../src/core/device.js';
import { silentLogger } from '../../../src/core/logger.js';
import { FrameworkDriver } from '../../../src/drivers/driver-core.js';
import type { DriverContext } from '../../../src/drivers/driver.js';
import { FakeClock } from '../../helpers/fake-clock.js';
import { configError, Harness, sectionOf, settle, type Lines } from './helpers.js';

const dummy = (...more: Lines) => new Harness([['driver', 'dummy-ups'], ['port', 'line-interactive.dev'], ...more]);

test('unknown key: file:line:column, the key, and every accepted key', async () => {
  const msg = await configError(
    () => dummy(['cable', '940-0095B']),
    /^\/etc\/nut\/ups\.conf:4:3: /,
    /'cable' is not a valid variable name for driver dummy-ups/,
    /accepted: .*\bport\b.*\bpollinterval\b.*\bignorelb\b.*override\.<variable>, default\.<variable>.*\bmode\b/,
  );
  assert.ok(msg.includes('maxretry') && msg.includes('sdcommands'));
  await configError(() => dummy(['usb_set_altinterface']), /:4:3: 'usb_set_altinterface' is not a valid flag/);
});

test('framework keys are case-sensitive as in NUT; driver variables are not', async () => {
  await configError(() => dummy(['Port', 'x.dev']), /'Port' is not a valid variable name/);
  const h = dummy(['MODE', 'dummy-loop']);
  await h.start();
  assert.is(h.get('driver.parameter.mode'), 'dummy-loop');
  assert.is(h.device.getVariable('driver.parameter.mode')?.name, 'driver.parameter.MODE');
  await h.stop();
});

test('value keys written as flags, override./default. without value, no port: refused', async () => {
  await configError(() => dummy(['desc']), /:4:3: 'desc' needs a value/);
  await configError(() => dummy(['override.ups.mfr']), /'override\.ups\.mfr' needs a value/);
  await configError(() => new Harness([['driver', 'dummy-ups']]), /\[ups1\] has no 'port'/);
  await configError(() => dummy(['pollinterval', '0']), /invalid pollinterval 0/);
});

test('the framework\'s keys are accepted and only port, flags and driver variables are published', async () => {
  const h = dummy(
    ['desc', 'Rack UPS'], ['sdorder', '1'], ['user', 'nut'], ['group', 'nut'], ['debug_min', '2'], ['sddelay', '30'],
    ['nolock'], ['ignorelb', 'whatever'], ['synchronous', 'yes'], ['maxretry', '3'], ['retrydelay', '5'],
    ['maxstartdelay', '45'], ['allow_killpower'], ['sdcommands', 'load.off'], ['pollinterval', '3'],
  );
  await h.start();
  const driverVars = Object.keys(h.dump()).filter((k) => k.startsWith('driver.'));
  assert.equal(driverVars, [
    'driver.flag.ignorelb', 'driver.flag.nolock', 'driver.name', 'driver.parameter.mode', 'driver.parameter.pollinterval',
    'driver.parameter.port', 'driver.parameter.synchronous', 'driver.version', 'driver.version.internal',
  ]);
  assert.is(h.get('driver.flag.ignorelb'), 'enabled');
  assert.is(h.get('driver.parameter.pollinterval'), '3');
  assert.is(h.get('driver.parameter.synchronous'), 'yes');
  assert.is(h.get('driver.name'), 'dummy-ups');
  assert.is(h.get('driver.version'), '2.8.0');
  assert.is(h.get('device.type'), 'ups');
  await h.stop();
});

test('synchronous: auto by default; global, then per-UPS; anything but yes/auto is no', async () => {
  const cases: Array<[Lines, Lines, string]> = [
    [[], [], 'auto'],
    [[['synchronous', 'yes']], [], 'yes'],
    [[['synchronous', 'yes']], [['synchronous', 'auto']], 'auto'],
    [[], [['synchronous', 'maybe']], 'no'],
  ];
  for (const [globals, own, expected] of cases) {
    const h = new Harness([['driver', 'dummy-ups'], ['port', 'quirks.dev'], ...own], { globals });
    await h.start();
    assert.is(h.get('driver.parameter.synchronous'), expected, JSON.stringify([globals, own]));
    await h.stop();
  }
});

test('override.* is set and immutable; default.* is set and the driver may replace it', async () => {
  const h = dummy(
    ['override.ups.mfr', 'Forced Inc'], ['default.ups.model', 'Fallback'], ['default.battery.packs', '2'],
    ['override.device.type', 'pdu'], ['default.driver.version', '0'],
  );
  await h.start();
  assert.is(h.get('ups.mfr'), 'Forced Inc', 'neither the driver nor the file change it');
  assert.is(h.type('ups.mfr'), 'NUMBER', 'the override leaves only the immutable flag, as NUT');
  assert.is(await h.driver.setVariable('ups.mfr', 'Other'), 'success');
  assert.is(h.get('ups.mfr'), 'Forced Inc');
  assert.is(h.get('device.mfr'), 'Forced Inc');
  assert.is(h.get('ups.model'), 'FP-1000 LI', 'the file replaced the default');
  assert.is(h.get('battery.packs'), '2', 'a default nobody replaces stays');
  assert.is(h.get('device.type'), 'pdu', 'override.device.type beats the framework');
  assert.is(h.get('driver.version'), '2.8.0', 'default.* loses to the framework');
  await h.stop();
});

test('default.device.type loses to device.type = ups (set after ups.conf is read)', async () => {
  const h = dummy(['default.device.type', 'pdu']);
  await h.start();
  assert.is(h.get('device.type'), 'ups');
  await h.stop();
});

test('device.mfr/model/serial are copied once, from the escaped value as NUT does', async () => {
  const h = new Harness([['driver', 'dummy-ups'], ['port', 'quirks.dev'], ['default.ups.serial', 'a"b#c']]);
  await h.start();
  assert.is(h.get('device.model'), 'Big One');
  assert.is(h.get('device.serial'), 'a\\"b\\#c');
  await h.driver.setVariable('ups.model', 'Changed');
  await h.run(10_000);
  assert.is(h.get('device.model'), 'Big One');
  await h.stop();
});

test('ignorelb without a way to compute LB: start fails with NUT\'s reason, nothing stays published', async () => {
  const h = new Harness([['driver', 'dummy-ups'], ['port', 'quirks.dev'], ['ignorelb']]);
  await configError(
    () => h.start(),
    /^\/etc\/nut\/ups\.conf:4:3: /,
    /'ignorelb' flag is set, but there is no way to determine the battery state of charge/,
    /'battery\.charge' and 'battery\.charge\.low'/,
  );
  assert.equal(h.device.variables(), []);
  assert.is(h.clock.pendingTimers(), 0);
});

test('ignorelb: LB from the device dropped, LB computed from charge/runtime (strtol)', async () => {
  const h = dummy(['ignorelb']);
  await h.start();
  assert.ok(h.logs.some((l) => l.includes("using 'battery.charge' to set battery low state")));
  assert.ok(h.logs.some((l) => l.includes("using 'battery.runtime' to set battery low state")));
  await h.driver.setVariable('ups.status', 'LB');
  assert.is(h.get('ups.status'), '', 'the lone LB element is dropped');
  await h.driver.setVariable('battery.charge', '9%');
  await h.driver.setVariable('ups.status', 'OB');
  assert.is(h.get('ups.status'), 'OB LB', '9% < 15');
  await h.driver.setVariable('ups.status', 'OB LB');
  assert.is(h.get('ups.status'), 'OB LB LB', 'a SET value is one element: its LB stays (NUT)');
  await h.driver.setVariable('ups.status', 'LB');
  assert.is(h.get('ups.status'), ' LB', 'as NUT: the appended LB keeps its space');
  await h.stop();
});

// ---- the framework itself, with a minimal driver ---------------------------------------------------

class ProbeDriver extends FrameworkDriver {
  readonly calls: string[] = [];
  fail = false;
  updateMs = 3000;
  constructor(ctx: DriverContext) {
    super(ctx, { name: 'probe', version: '1.2', variables: [{ name: 'secret', description: 'x', sensitive: true }] });
  }
  protected async initUps(): Promise<void> {
    this.calls.push(`initups@${this.clock.now()} type=${this.device.getInfo('device.type')} ver=${this.device.getInfo('driver.version')}`);
  }
  protected async initInfo(): Promise<void> {
    this.calls.push(`initinfo@${this.clock.now()} name=${this.device.getInfo('driver.name')}`);
    this.device.setInfo('ups.mfr', 'Probe');
  }
  protected async updateInfo(): Promise<void> {
    this.calls.push(`update@${this.clock.now()}`);
    if (this.fail) throw new Error('device went away');
    await this.sleep(this.updateMs);
    this.device.dataOk();
  }
  async instcmd(): Promise<CommandOutcome> {
    return 'unknown';
  }
  async setVariable(): Promise<CommandOutcome> {
    return 'unknown';
  }
}

function probe(lines: Lines, pollIntervalSeconds = 2) {
  const clock = new FakeClock();
  const device = new Device('p', clock);
  const section = sectionOf([['driver', 'probe'], ['port', 'auto'], ...lines]);
  const driver = new ProbeDriver({ section, pollIntervalSeconds, confDir: '/etc/nut', device, clock, log: silentLogger });
  return { clock, device, driver };
}

test('framework order: config, device.type, initups, versions, initinfo, first update, then the loop', async () => {
  const { clock, device, driver } = probe([['default.device.type', 'pdu'], ['secret', 'hunter2']]);
  const p = driver.start();
  await settle(() => clock.pendingTimers() > 0);
  await clock.advance(3000);
  await p;
  assert.is(device.getInfo('device.mfr'), 'Probe');
  assert.is(device.getInfo('driver.parameter.secret'), undefined, 'sensitive variables are never published');
  assert.is(device.getInfo('driver.version.internal'), '1.2');
  // An update longer (3 s) than pollinterval (2 s) is followed at once by the next one.
  await clock.advance(6000);
  assert.equal(driver.calls, [
    'initups@0 type=ups ver=undefined',
    'initinfo@0 name=probe',
    'update@0',
    'update@3000',
    'update@6000',
    'update@9000',
  ]);
  await driver.stop();
  assert.is(clock.pendingTimers(), 0);
});

test('an update that throws ends the driver like NUT\'s fatalx: device dropped, loop stopped', async () => {
  const { clock, device, driver } = probe([]);
  const p = driver.start();
  await settle(() => clock.pendingTimers() > 0);
  await clock.advance(3000);
  await p;
  assert.is(device.availability(), 'ok');
  driver.fail = true;
  await clock.advance(10_000);
  assert.is(device.availability(), 'not-connected');
  assert.equal(device.variables(), []);
  assert.is(clock.pendingTimers(), 0);
  await driver.stop();
});

test('a driver polling less often than MAXAGE stays fresh; one wedged in an update goes stale', async () => {
  const { clock, device, driver } = probe([], 60);
  driver.updateMs = 100;
  const p = driver.start();
  await settle(() => clock.pendingTimers() > 0);
  await clock.advance(200);
  await p;
  for (let t = 0; t < 120; t += 5) {
    await clock.advance(5000);
    assert.is(device.availability(), 'ok', `fresh at +${t + 5} s between 60 s polls`);
  }
  driver.updateMs = 40_000; // the next update (at 180 s) hangs like a USB transfer that never returns
  await clock.advance(70_000);
  assert.is(device.availability(), 'ok', '10 s into the hung update: not yet MAXAGE');
  await clock.advance(10_000);
  assert.is(device.availability(), 'stale');
  await driver.stop();
});


test.run();
