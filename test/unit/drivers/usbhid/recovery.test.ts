import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createLogger } from '../../../../src/core/logger.js';
import type { HidBus, HidDeviceInfo, HidTransport } from '../../../../src/drivers/usbhid/hid-types.js';
import { loadRecording, type HidRecording } from '../../../../src/drivers/usbhid/recording.js';
import { HidRecovery, type RecoveryOptions } from '../../../../src/drivers/usbhid/recovery.js';
import { compileMatcher, type MatchOptions } from '../../../../src/drivers/usbhid/transport/matching.js';
import { ReplayBus } from '../../../../src/drivers/usbhid/transport/replay-bus.js';
import { FakeClock, flushMicrotasks } from '../../../helpers/fake-clock.js';

const APC = join(new URL('../../../fixtures/hid/', import.meta.url).pathname, 'apc-back-ups-500.txt');
let recording: HidRecording;

/** A bus whose list() calls are counted, with their monotonic times. */
class CountingBus implements HidBus {
  readonly listedAt: number[] = [];
  constructor(
    readonly inner: HidBus,
    private readonly clock: FakeClock,
  ) {}
  list(): Promise<HidDeviceInfo[]> {
    this.listedAt.push(this.clock.now());
    return this.inner.list();
  }
  open(d: HidDeviceInfo): Promise<HidTransport> {
    return this.inner.open(d);
  }
}

function setup(overrides: Partial<RecoveryOptions> = {}, match: MatchOptions = { vendorid: '051d' }) {
  const clock = new FakeClock();
  const replay = new ReplayBus(recording);
  const bus = new CountingBus(replay, clock);
  const logs: string[] = [];
  const events: string[] = [];
  const connected: HidTransport[] = [];
  const recovery = new HidRecovery({
    bus,
    matcher: compileMatcher(match),
    clock,
    log: createLogger('usbhid', (level, _room, m) => logs.push(`${level} ${m}`), 'debug'),
    onConnected: (t) => {
      connected.push(t);
      events.push(`connected ${t.info.path} @${clock.now()}`);
    },
    onLost: (reason) => events.push(`lost ${reason} @${clock.now()}`),
    onGiveUp: (reason) => events.push(`gave up @${clock.now()}: ${reason}`),
    ...overrides,
  });
  return { clock, replay, bus, recovery, logs, events, connected };
}

test.before(async () => {
  recording = await loadRecording(APC);
});

test('start connects at once to the matching device', async () => {
  const s = setup();
  s.recovery.start();
  await flushMicrotasks();
  assert.equal(s.events, [`connected ${APC} @0`]);
  assert.is(s.recovery.stats.state, 'connected');
  assert.is(s.recovery.transport, s.connected[0]);
  assert.match(s.logs.join('\n'), /info connected to American Power Conversion Back-UPS 500 .*\(051d:0002 serial AB0427\*{6}\)/);
  await s.recovery.stop();
});

test('unplug: onLost at once, backoff 250 ms doubling, replug on another path found by the same options', async () => {
  const s = setup();
  s.recovery.start();
  await s.clock.advance(1000);
  s.replay.unplug();
  assert.equal(s.events.slice(1), [`lost ${APC}: device unplugged @1000`], 'told at once, before any retry');
  assert.equal(s.recovery.stats.state, 'lost');
  assert.is(s.recovery.transport, undefined);
  await s.clock.advance(3000); // attempts at 1250, 1750, 2750
  assert.equal(s.bus.listedAt, [0, 1250, 1750, 2750]);
  s.replay.replug({ path: '/dev/hidraw5' });
  await s.clock.advance(500); // the next attempt is due at 4750
  assert.equal(s.bus.listedAt, [0, 1250, 1750, 2750]);
  await s.clock.advance(250);
  assert.equal(s.events.slice(2), ['connected /dev/hidraw5 @4750']);
  const st = s.recovery.stats;
  assert.is(st.state, 'connected');
  assert.is(st.drops, 1);
  assert.is(st.recoveries, 1);
  assert.is(st.lastRecoveryMs, 3750);
  assert.match(st.lastDropReason!, /device unplugged/);
  assert.is(st.failedAttempts, 0);
  assert.is(st.device!.path, '/dev/hidraw5');
  assert.match(s.logs.join('\n'), /info reconnected to .* at \/dev\/hidraw5 after 3750 ms/);
  // A second drop starts the backoff from 250 ms again.
  s.replay.unplug();
  s.replay.replug({ path: '/dev/hidraw6' });
  await s.clock.advance(250);
  assert.is(s.events.at(-1), 'connected /dev/hidraw6 @5000');
  assert.equal([s.recovery.stats.drops, s.recovery.stats.recoveries, s.recovery.stats.lastRecoveryMs], [2, 2, 250]);
  await s.recovery.stop();
});

test('the delay doubles up to maxDelayMs and stays there', async () => {
  const s = setup({ maxDelayMs: 2000, maxFailures: 100 });
  s.recovery.start();
  await flushMicrotasks();
  s.replay.unplug();
  await s.clock.advance(12_000);
  const gaps = s.bus.listedAt.slice(1).map((t, i) => t - (i === 0 ? 0 : s.bus.listedAt[i]!));
  assert.equal(gaps, [250, 500, 1000, 2000, 2000, 2000, 2000, 2000]);
  await s.recovery.stop();
});

test('give up after maxFailures attempts in a row: onGiveUp once, no timer left', async () => {
  const s = setup({ maxFailures: 5 });
  s.recovery.start();
  await flushMicrotasks();
  s.replay.unplug();
  await s.clock.advance(60_000);
  assert.is(s.bus.listedAt.length, 1 + 5);
  const gaveUp = s.events.filter((e) => e.startsWith('gave up'));
  assert.is(gaveUp.length, 1);
  assert.match(gaveUp[0]!, /^gave up @7750: 5 attempts to reach the UPS failed in a row \(last: .*is not attached\)/);
  assert.is(s.recovery.stats.state, 'gave-up');
  assert.is(s.clock.pendingTimers(), 0);
  s.replay.replug();
  await s.clock.advance(60_000);
  assert.is(s.bus.listedAt.length, 6, 'nothing more is tried: the process is about to be restarted');
  await s.recovery.stop();
});

test('the default maxFailures (30) gives up after about four and a half minutes', async () => {
  const s = setup();
  s.recovery.start();
  await flushMicrotasks();
  s.replay.unplug();
  await s.clock.advance(10 * 60_000);
  const at = Number(/@(\d+)/.exec(s.events.find((e) => e.startsWith('gave up'))!)![1]);
  assert.is(s.bus.listedAt.length, 31);
  assert.ok(at > 4 * 60_000 && at < 5 * 60_000, `gave up at ${at} ms`);
  await s.recovery.stop();
});

test('no device at start: retried with backoff, connected later; not counted as a drop', async () => {
  const s = setup();
  s.replay.unplug();
  s.recovery.start();
  await s.clock.advance(800);
  assert.equal(s.bus.listedAt, [0, 250, 750]);
  assert.is(s.recovery.stats.state, 'connecting');
  assert.match(s.logs.join('\n'), /warn attempt 1 failed: no matching HID UPS found/);
  s.replay.replug();
  await s.clock.advance(1000);
  assert.equal(s.events, [`connected ${APC} @1750`]);
  assert.equal([s.recovery.stats.drops, s.recovery.stats.recoveries], [0, 0]);
  await s.recovery.stop();
});

test('wall clock jumps change nothing: the same attempts at the same monotonic times', async () => {
  const s = setup();
  s.recovery.start();
  await flushMicrotasks();
  s.replay.unplug();
  s.clock.jumpWall(3 * 24 * 3600_000);
  await s.clock.advance(800);
  s.clock.jumpWall(-3600_000);
  await s.clock.advance(1000);
  assert.equal(s.bus.listedAt, [0, 250, 750, 1750]);
  s.replay.replug();
  s.clock.jumpWall(-10 * 24 * 3600_000);
  await s.clock.advance(2000);
  assert.is(s.recovery.stats.lastRecoveryMs, 3750);
  await s.recovery.stop();
});

test('stop() cancels every timer and closes the device; nothing happens after it', async () => {
  const s = setup();
  s.recovery.start();
  await flushMicrotasks();
  const t = s.connected[0]!;
  s.replay.unplug();
  await s.recovery.stop();
  assert.is(s.clock.pendingTimers(), 0);
  s.replay.replug();
  await s.clock.advance(60_000);
  assert.is(s.bus.listedAt.length, 1);
  assert.is(s.recovery.stats.state, 'stopped');
  await t.close(); // already closed: harmless

  const s2 = setup();
  s2.recovery.start();
  await flushMicrotasks();
  await s2.recovery.stop();
  await s2.recovery.stop(); // a second stop is harmless (a rejection would fail the test)
  let rejected = false;
  await s2.connected[0]!.getFeature(0x0c, 6).catch(() => (rejected = true));
  assert.ok(rejected, 'the transport was closed');
});

test('reportFailure: N failed reads in a row are a drop; a success in between resets the count', async () => {
  const s = setup({ failedReadsBeforeDrop: 3 });
  s.recovery.start();
  await flushMicrotasks();
  s.recovery.reportFailure(new Error('timeout'));
  s.recovery.reportFailure(new Error('timeout'));
  s.recovery.reportSuccess();
  s.recovery.reportFailure(new Error('timeout'));
  s.recovery.reportFailure(new Error('timeout'));
  assert.is(s.recovery.stats.drops, 0);
  s.recovery.reportFailure(new Error('timeout'));
  assert.is(s.recovery.stats.drops, 1);
  assert.match(s.events[1]!, /^lost 3 reads failed in a row \(last: timeout\) @0/);
  await s.clock.advance(250);
  assert.is(s.recovery.stats.recoveries, 1, 'the device was still there: taken back at the first retry');
  await s.recovery.stop();
});

test('reportFailure with ENODEV is a drop at once', async () => {
  const s = setup();
  s.recovery.start();
  await flushMicrotasks();
  s.recovery.reportFailure(Object.assign(new Error('/dev/hidraw3: no such device'), { code: 'ENODEV' }));
  assert.is(s.recovery.stats.drops, 1);
  s.recovery.reportFailure(new Error('ignored while lost'));
  assert.is(s.recovery.stats.drops, 1);
  await s.recovery.stop();
});

test('onConnected rejecting (the first walk failed) is a failed attempt: transport closed, retried', async () => {
  let calls = 0;
  const opened: HidTransport[] = [];
  const s = setup({
    onConnected: async (t) => {
      opened.push(t);
      if (++calls < 3) throw new Error('descriptor unreadable');
    },
  });
  s.recovery.start();
  await s.clock.advance(1000);
  assert.is(calls, 3);
  assert.is(s.recovery.stats.state, 'connected');
  let rejected = false;
  await opened[0]!.getFeature(0x0c, 6).catch(() => (rejected = true));
  assert.ok(rejected, 'the failed attempt closed its transport');
  assert.is(s.recovery.transport, opened[2]);
  await s.recovery.stop();
});

test('unplugged while the driver takes the device over: a failed attempt, not a connection', async () => {
  let first = true;
  const s = setup({
    onConnected: async () => {
      if (first) {
        first = false;
        s.replay.unplug();
      }
    },
  });
  s.recovery.start();
  await flushMicrotasks();
  assert.is(s.recovery.stats.state, 'connecting');
  assert.is(s.recovery.stats.failedAttempts, 1);
  s.replay.replug();
  await s.clock.advance(250);
  assert.is(s.recovery.stats.state, 'connected');
  assert.is(s.recovery.stats.drops, 0);
  await s.recovery.stop();
});

test('once driven, only the same device is taken back (NUT exact matcher): a twin with another serial is not', async () => {
  const a = new ReplayBus(recording);
  const b = new ReplayBus({ ...recording, device: { ...recording.device, serial: 'OTHER', path: '/dev/hidraw9' } });
  b.unplug();
  const both: HidBus = {
    list: async () => [...(await a.list()), ...(await b.list())],
    open: (d) => (d.path === '/dev/hidraw9' ? b.open(d) : a.open(d)),
  };
  const clock = new FakeClock();
  const paths: string[] = [];
  const r = new HidRecovery({
    bus: both,
    matcher: compileMatcher({ vendorid: '051d' }),
    clock,
    log: createLogger('t', () => {}),
    onConnected: (t) => void paths.push(t.info.path),
    onLost: () => {},
    onGiveUp: () => {},
  });
  r.start();
  await flushMicrotasks();
  a.unplug();
  b.replug();
  await clock.advance(5000);
  assert.equal(paths, [APC]);
  assert.match(r.stats.lastError!, /Back-UPS 500 .*serial AB0427\*+\) at .* is not attached/);
  a.replug({ path: '/dev/hidraw4' });
  await clock.advance(5000);
  assert.equal(paths, [APC, '/dev/hidraw4']);
  await r.stop();
});

test('an attempt that hangs counts as failed after attemptTimeoutMs; its late device is closed', async () => {
  const clock = new FakeClock();
  const replay = new ReplayBus(recording);
  let hang = true;
  let lateOpen: HidTransport | undefined;
  const bus: HidBus = {
    list: () => replay.list(),
    open: async (d) => {
      if (!hang) return replay.open(d);
      hang = false;
      await new Promise<void>((resolve) => clock.setTimeout(resolve, 20_000));
      lateOpen = await replay.open(d);
      return lateOpen;
    },
  };
  const connected: HidTransport[] = [];
  const r = new HidRecovery({
    bus,
    matcher: compileMatcher({}),
    clock,
    log: createLogger('t', () => {}),
    attemptTimeoutMs: 5000,
    onConnected: (t) => void connected.push(t),
    onLost: () => {},
    onGiveUp: () => {},
  });
  r.start();
  await clock.advance(5000);
  assert.match(r.stats.lastError!, /no answer within 5000 ms/);
  await clock.advance(250);
  assert.is(connected.length, 1, 'the retry connected');
  await clock.advance(20_000);
  assert.ok(lateOpen, 'the hung open finished');
  let rejected = false;
  await lateOpen!.getFeature(0x0c, 6).catch(() => (rejected = true));
  assert.ok(rejected, 'and was closed, not used');
  assert.is(r.transport, connected[0]);
  await r.stop();
});

test('a throwing onLost is logged, and recovery goes on', async () => {
  const s = setup({
    onLost: () => {
      throw new Error('boom');
    },
  });
  s.recovery.start();
  await flushMicrotasks();
  s.replay.unplug();
  s.replay.replug();
  await s.clock.advance(250);
  assert.is(s.recovery.stats.recoveries, 1);
  assert.match(s.logs.join('\n'), /error onLost failed: boom/);
  await s.recovery.stop();
});

test.run();
