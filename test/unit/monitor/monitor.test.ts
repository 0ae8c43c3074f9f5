// The upsmon state machine on a fake monotonic clock: the scenarios the monitor issue names, with
// upsmon 2.8.0's rules (PROTOCOL.md §3.2, §4) as the expected behaviour.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { harness, SECONDS, settings } from './harness.js';

const test = suite('monitor: upsmon state machine');

const LOCAL = 'ups@localhost';

test('a full outage on a primary: OB, then OB LB -> FSD, HOSTSYNC wait, SHUTDOWN, FINALDELAY, SHUTDOWNCMD', async () => {
  const h = harness([{ system: LOCAL, role: 'primary' }]);
  const [src] = h.sources;
  h.monitor.start();
  await h.clock.advance(1);
  assert.equal(h.notes, [], 'the first OL at start-up is not announced');
  src!.status = 'OB DISCHRG';
  await h.clock.advance(5 * SECONDS);
  assert.equal(h.notes, [`ONBATT ${LOCAL}`]);
  assert.is(src!.fsdCalls, 0, 'on battery alone does not shut down');
  src!.status = 'OB LB DISCHRG';
  src!.logins = 2;
  await h.clock.advance(5 * SECONDS);
  assert.is(src!.fsdCalls, 1, 'the primary sets FSD at once');
  assert.equal(h.notes.slice(1), [`LOWBATT ${LOCAL}`, 'SHUTDOWN_HOSTSYNC -']);
  const fsdAt = h.clock.now();
  await h.clock.advance(3 * SECONDS);
  assert.equal(h.commands, [], 'waits while secondaries are logged in');
  src!.logins = 0;
  await h.clock.advance(300);
  assert.ok(h.notes.includes('SHUTDOWN -'));
  assert.equal(h.commands, [], 'FINALDELAY runs before SHUTDOWNCMD');
  await h.clock.advance(5 * SECONDS);
  assert.is(h.commands.length, 1);
  assert.is(h.commands[0]!.command, '/sbin/shutdown -h +0');
  const waited = h.commands[0]!.at - fsdAt;
  assert.ok(waited >= 8 * SECONDS && waited <= 8.5 * SECONDS, `SHUTDOWNCMD ${waited} ms after FSD: 3 s of secondaries + 5 s FINALDELAY`);
  assert.equal(h.steps().map((l) => l.replace(/\(after .*\)/, '(after …)')), [
    `warn shutdown step 3: setting FSD on ${LOCAL} (this system is its primary)`,
    'warn shutdown step 5: waiting up to 15 s (HOSTSYNC) for 2 secondaries to log out',
    'warn shutdown step 5: no secondaries left logged in (after …)',
    'error shutdown step 6: Executing automatic power-fail shutdown',
    'warn shutdown step 6: waiting FINALDELAY 5 s',
    'warn shutdown step 6: running SHUTDOWNCMD /sbin/shutdown -h +0',
    'warn shutdown step 6: SHUTDOWNCMD finished',
  ]);
  await h.clock.advance(1);
  assert.ok(h.exited, 'SHUTDOWNEXIT yes: the monitor ends after SHUTDOWNCMD');
  assert.not.ok(src!.started, 'and logs out');
});

test('a secondary that never logs out delays the primary by HOSTSYNC, no more', async () => {
  const h = harness([{ system: LOCAL, role: 'primary' }]);
  const [src] = h.sources;
  src!.logins = 1;
  h.monitor.start();
  await h.clock.advance(1);
  src!.status = 'OB LB';
  await h.clock.advance(5 * SECONDS);
  const fsdAt = h.clock.now();
  assert.is(src!.fsdCalls, 1);
  await h.clock.advance(14 * SECONDS);
  assert.not.ok(h.notes.includes('SHUTDOWN -'), 'still inside HOSTSYNC');
  await h.clock.advance(2 * SECONDS);
  assert.ok(h.notes.includes('SHUTDOWN -'), 'HOSTSYNC expired');
  assert.ok(h.log.some((l) => l.includes('Host sync timer expired, forcing shutdown')));
  await h.clock.advance(5 * SECONDS);
  const waited = h.commands[0]!.at - fsdAt;
  assert.ok(waited > 20 * SECONDS && waited <= 20.5 * SECONDS, `SHUTDOWNCMD ${waited} ms after FSD (HOSTSYNC 15 s + FINALDELAY 5 s)`);
});

test('a blip shorter than the on-battery shutdown timer shuts nothing down', async () => {
  const h = harness([{ system: LOCAL, role: 'primary' }], settings({ policy: { onBatteryTimerMs: 30 * SECONDS, actOnOnlineGlitch: false } }));
  const [src] = h.sources;
  h.monitor.start();
  await h.clock.advance(1);
  src!.status = 'OB';
  await h.clock.advance(5 * SECONDS);
  src!.status = 'OL';
  await h.clock.advance(60 * SECONDS);
  assert.equal(h.notes, [`ONBATT ${LOCAL}`, `ONLINE ${LOCAL}`]);
  assert.is(src!.fsdCalls, 0);
  assert.equal(h.commands, []);
});

test('on-battery timer: mains back mid-countdown cancels it; the next outage counts from zero', async () => {
  const h = harness([{ system: LOCAL, role: 'primary' }], settings({ policy: { onBatteryTimerMs: 30 * SECONDS, actOnOnlineGlitch: false } }));
  const [src] = h.sources;
  h.monitor.start();
  await h.clock.advance(1);
  src!.status = 'OB';
  await h.clock.advance(25 * SECONDS);
  src!.status = 'OL';
  await h.clock.advance(5 * SECONDS);
  src!.status = 'OB';
  await h.clock.advance(25 * SECONDS);
  assert.is(src!.fsdCalls, 0, '25 s on battery twice is not 30 s');
  await h.clock.advance(10 * SECONDS);
  assert.is(src!.fsdCalls, 1, 'a full 30 s on battery starts the shutdown (no low battery needed)');
});

test('comm loss while on line: COMMBAD, then NOCOMM every NOCOMMWARNTIME; never a shutdown', async () => {
  const s = settings();
  s.timings.noCommWarnMs = 60 * SECONDS;
  const h = harness([{ system: 'ups@nas', role: 'secondary' }], s);
  const [src] = h.sources;
  h.monitor.start();
  await h.clock.advance(1);
  src!.failure = 'Data stale';
  await h.clock.advance(200 * SECONDS);
  assert.equal(h.notes, ['COMMBAD ups@nas', 'NOCOMM ups@nas', 'NOCOMM ups@nas', 'NOCOMM ups@nas']);
  assert.equal(h.commands, []);
  src!.failure = undefined;
  await h.clock.advance(5 * SECONDS);
  assert.is(h.notes.at(-1), 'COMMOK ups@nas');
});

test('comm loss while on battery (secondary): dead after DEADTIME, taken as low battery, shutdown after HOSTSYNC', async () => {
  const h = harness([{ system: 'ups@nas', role: 'secondary' }]);
  const [src] = h.sources;
  h.monitor.start();
  await h.clock.advance(1);
  src!.status = 'OB';
  await h.clock.advance(5 * SECONDS);
  const lostAt = h.clock.now();
  src!.failure = 'Driver not connected';
  await h.clock.advance(15 * SECONDS);
  assert.ok(!h.log.some((l) => l.includes('Promoting dead UPS')), 'not dead before DEADTIME');
  await h.clock.advance(5 * SECONDS);
  // upsmon counts HOSTSYNC from the last good poll, so a secondary gives up on the primary as soon
  // as the dead UPS is promoted when DEADTIME >= HOSTSYNC (observed with real upsmon: PROTOCOL.md §3.2).
  assert.ok(h.log.some((l) => l.includes('Promoting dead UPS ups@nas')));
  assert.ok(h.log.some((l) => l.includes('Giving up on the primary for UPS ups@nas')));
  await h.clock.advance(5 * SECONDS);
  assert.is(h.commands.length, 1);
  assert.is(src!.fsdCalls, 0, 'a secondary never sets FSD');
  const after = (h.commands[0]!.at - lostAt) / SECONDS;
  assert.ok(after >= 20 && after <= 30, `shut down ${after} s after the loss (max(DEADTIME, HOSTSYNC) 15 s, in 5 s polls, + FINALDELAY 5 s)`);
});

test('comm loss while on battery (primary): critical as soon as it is dead', async () => {
  const h = harness([{ system: LOCAL, role: 'primary' }]);
  const [src] = h.sources;
  h.monitor.start();
  await h.clock.advance(1);
  src!.status = 'OB';
  await h.clock.advance(5 * SECONDS);
  src!.failure = 'Data stale';
  await h.clock.advance(20 * SECONDS);
  assert.is(src!.fsdCalls, 1);
});

test('wall-clock jumps of days change nothing', async () => {
  const h = harness([{ system: LOCAL, role: 'primary' }], settings({ policy: { onBatteryTimerMs: 30 * SECONDS, actOnOnlineGlitch: false } }));
  const [src] = h.sources;
  h.monitor.start();
  await h.clock.advance(1);
  src!.status = 'OB';
  await h.clock.advance(5 * SECONDS);
  h.clock.jumpWall(+3 * 86400 * SECONDS);
  await h.clock.advance(5 * SECONDS);
  h.clock.jumpWall(-10 * 86400 * SECONDS);
  await h.clock.advance(5 * SECONDS);
  assert.is(src!.fsdCalls, 0, 'the countdown follows the monotonic clock only');
  src!.status = 'OL';
  await h.clock.advance(5 * SECONDS);
  h.clock.jumpWall(86400 * SECONDS * 365);
  await h.clock.advance(60 * SECONDS);
  assert.is(src!.fsdCalls, 0);
  assert.equal(h.notes, [`ONBATT ${LOCAL}`, `ONLINE ${LOCAL}`]);
});

test('two UPSes, power value 2 each, MINSUPPLIES 2: one critical UPS is survivable, both are not', async () => {
  const h = harness(
    [{ system: 'alpha@localhost', role: 'primary', powerValue: 2 }, { system: 'beta@localhost', role: 'primary', powerValue: 2 }],
    settings({ minSupplies: 2 }),
  );
  const [alpha, beta] = h.sources;
  h.monitor.start();
  await h.clock.advance(1);
  alpha!.status = 'OB LB';
  await h.clock.advance(30 * SECONDS);
  assert.is(alpha!.fsdCalls + beta!.fsdCalls, 0, 'beta still feeds 2 of the 2 supplies needed');
  assert.equal(h.monitor.states().map((s) => s.critical), [true, false]);
  beta!.status = 'OB LB';
  await h.clock.advance(5 * SECONDS);
  assert.is(alpha!.fsdCalls, 1, 'FSD on every UPS this system is primary for');
  assert.is(beta!.fsdCalls, 1);
});

test('FSD from a remote primary: the secondary notifies FSD and SHUTDOWN, waits FINALDELAY, runs SHUTDOWNCMD', async () => {
  const h = harness([{ system: 'ups@nas:3493', role: 'secondary' }]);
  const [src] = h.sources;
  h.monitor.start();
  await h.clock.advance(1);
  src!.status = 'FSD OL';
  await h.clock.advance(5 * SECONDS);
  assert.equal(h.notes, ['FSD ups@nas:3493', 'SHUTDOWN -']);
  assert.equal(h.commands, []);
  await h.clock.advance(5 * SECONDS);
  assert.equal(h.commands.map((c) => c.command), ['/sbin/shutdown -h +0']);
});

test('a status that also says OL is a firmware glitch: not acted on unless configured', async () => {
  const h = harness([{ system: LOCAL, role: 'primary' }]);
  const [src] = h.sources;
  h.monitor.start();
  await h.clock.advance(1);
  src!.status = 'OL OB LB';
  await h.clock.advance(30 * SECONDS);
  assert.is(src!.fsdCalls, 0);
  assert.ok(h.log.some((l) => l.includes('firmware glitch')));

  const acting = harness([{ system: LOCAL, role: 'primary' }], settings({ policy: { onBatteryTimerMs: undefined, actOnOnlineGlitch: true } }));
  acting.monitor.start();
  await acting.clock.advance(1);
  acting.sources[0]!.status = 'OL OB LB';
  await acting.clock.advance(5 * SECONDS);
  assert.is(acting.sources[0]!.fsdCalls, 1);
});

test('OB LB while calibrating is not critical; REPLBATT repeats every RBWARNTIME', async () => {
  const s = settings();
  s.timings.rbWarnMs = 60 * SECONDS;
  const h = harness([{ system: LOCAL, role: 'primary' }], s);
  const [src] = h.sources;
  h.monitor.start();
  await h.clock.advance(1);
  src!.status = 'OB LB CAL RB';
  await h.clock.advance(135 * SECONDS);
  assert.is(src!.fsdCalls, 0);
  assert.equal(h.notes.filter((n) => n.startsWith('REPLBATT')).length, 3);
  assert.ok(h.notes.includes(`CAL ${LOCAL}`));
  src!.status = 'OB LB RB';
  await h.clock.advance(5 * SECONDS);
  assert.ok(h.notes.includes(`NOTCAL ${LOCAL}`));
  assert.is(src!.fsdCalls, 1);
});

test('OFFDURATION: OFF counts as a lost feed once it lasted that long; OFF/NOTOFF are announced', async () => {
  const h = harness([{ system: LOCAL, role: 'primary' }]);
  const [src] = h.sources;
  h.monitor.start();
  await h.clock.advance(1);
  src!.status = 'OFF';
  await h.clock.advance(20 * SECONDS);
  src!.status = 'OL';
  await h.clock.advance(5 * SECONDS);
  assert.equal(h.notes, [`OFF ${LOCAL}`, `NOTOFF ${LOCAL}`]);
  assert.is(src!.fsdCalls, 0, 'a calibration-style OFF of 20 s is below OFFDURATION 30 s');
  src!.status = 'OFF';
  await h.clock.advance(35 * SECONDS);
  assert.is(src!.fsdCalls, 1);
});

test('OBLBDURATION: OB LB must last that long before it is acted on', async () => {
  const s = settings();
  s.timings.oblbDurationMs = 10 * SECONDS;
  const h = harness([{ system: LOCAL, role: 'primary' }], s);
  const [src] = h.sources;
  h.monitor.start();
  await h.clock.advance(1);
  src!.status = 'OB LB';
  await h.clock.advance(5 * SECONDS);
  src!.status = 'OB';
  await h.clock.advance(5 * SECONDS);
  assert.is(src!.fsdCalls, 0, 'a short OB LB blip is ignored');
  src!.status = 'OB LB';
  await h.clock.advance(10 * SECONDS);
  assert.is(src!.fsdCalls, 0);
  await h.clock.advance(5 * SECONDS);
  assert.is(src!.fsdCalls, 1);
});

test('unknown status tokens: OTHER with the tokens, NOTOTHER when they go', async () => {
  const h = harness([{ system: LOCAL, role: 'secondary' }]);
  const [src] = h.sources;
  h.monitor.start();
  await h.clock.advance(1);
  src!.status = 'OL WEIRD';
  await h.clock.advance(5 * SECONDS);
  src!.status = 'OL';
  await h.clock.advance(5 * SECONDS);
  assert.equal(h.notes, [`OTHER ${LOCAL}`, `NOTOTHER ${LOCAL}`]);
});

test('POLLFAIL_LOG_THROTTLE_MAX: a lasting failure is logged every N polls, a new one at once', async () => {
  const h = harness([{ system: 'ups@nas', role: 'secondary' }], settings({ pollFailLogThrottleMax: 3 }));
  const [src] = h.sources;
  h.monitor.start();
  await h.clock.advance(1);
  src!.failure = 'Data stale';
  await h.clock.advance(35 * SECONDS);
  src!.failure = 'Driver not connected';
  await h.clock.advance(5 * SECONDS);
  src!.failure = undefined;
  await h.clock.advance(5 * SECONDS);
  const polls = h.log.filter((l) => l.includes('Poll UPS'));
  assert.equal(polls, [
    'error Poll UPS [ups@nas] failed - Data stale',
    'error Poll UPS [ups@nas] failed - Data stale',
    'error Poll UPS [ups@nas] failed - Data stale',
    'error Poll UPS [ups@nas] failed - Driver not connected',
    'info Poll UPS [ups@nas] works again',
  ]);
});

test('forceShutdown (upsmon -c fsd) runs the sequence while on line', async () => {
  const h = harness([{ system: LOCAL, role: 'primary' }]);
  h.monitor.start();
  await h.clock.advance(1);
  h.monitor.forceShutdown('requested by the test');
  await h.clock.advance(6 * SECONDS);
  assert.is(h.sources[0]!.fsdCalls, 1);
  assert.is(h.commands.length, 1);
  assert.ok(h.log.some((l) => l === 'error shutdown: requested by the test'));
});

test.run();
