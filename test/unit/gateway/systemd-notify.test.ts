import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createServiceNotifier, watchdogPlan } from '../../../src/gateway/systemd-notify.js';
import { createLogger } from '../../../src/core/logger.js';
import { FakeClock } from '../../helpers/fake-clock.js';

const test = suite('systemd notify: READY, WATCHDOG, RELOADING, STOPPING through the CLI');

const flush = () => new Promise((resolve) => setImmediate(resolve));

function harness(env: NodeJS.ProcessEnv, opts: { fail?: boolean; hold?: boolean } = {}) {
  const sent: string[][] = [];
  const logs: string[] = [];
  const pending: Array<() => void> = [];
  const clock = new FakeClock();
  const notifier = createServiceNotifier({
    env,
    pid: 4242,
    clock,
    log: createLogger('gateway', (level, room, message) => logs.push(`${level} ${room}: ${message}`)),
    send: (assignments) => {
      sent.push([...assignments]);
      if (opts.fail) return Promise.reject(new Error(`systemd-notify ${assignments.join(' ')}: spawn systemd-notify ENOENT`));
      if (opts.hold) return new Promise((resolve) => pending.push(() => resolve()));
      return Promise.resolve();
    },
  });
  return { sent, logs, clock, notifier, release: () => pending.shift()?.() };
}

test('without $NOTIFY_SOCKET (not under systemd) there is no notifier at all', () => {
  assert.is(harness({}).notifier, undefined);
});

test('READY carries the status; the watchdog pings at half of WATCHDOG_USEC only after READY', async () => {
  const { sent, clock, notifier } = harness({ NOTIFY_SOCKET: '/run/systemd/notify', WATCHDOG_USEC: '30000000', WATCHDOG_PID: '4242' });
  await clock.advance(60_000);
  await flush();
  assert.equal(sent, [], 'no ping before READY: systemd would count a starting service as alive');
  notifier!.ready('serving 1 UPS(es)\nsecond line');
  await flush();
  assert.equal(sent, [['READY=1', 'STATUS=serving 1 UPS(es) second line']]);
  await clock.advance(14_999);
  await flush();
  assert.is(sent.length, 1);
  await clock.advance(1);
  await flush();
  assert.equal(sent[1], ['WATCHDOG=1']);
  await clock.advance(15_000);
  await flush();
  assert.is(sent.length, 3);
});

test('a slow CLI skips pings instead of queueing them; messages keep their order', async () => {
  const h = harness({ NOTIFY_SOCKET: '@notify', WATCHDOG_USEC: '1000000' }, { hold: true });
  h.notifier!.ready('up');
  await flush();
  await h.clock.advance(5_000); // ten intervals with READY still in flight
  await flush();
  assert.equal(h.sent, [['READY=1', 'STATUS=up']]);
  h.release();
  await flush();
  await flush();
  assert.equal(h.sent[1], ['WATCHDOG=1'], 'one ping was queued behind READY, not ten');
  await h.clock.advance(5_000);
  await flush();
  assert.is(h.sent.length, 2, 'that ping is still in flight: no new one starts');
  h.notifier!.stopping();
  h.release();
  await flush();
  await flush();
  assert.equal(h.sent[2], ['STOPPING=1', 'STATUS=stopping']);
  h.release();
  const closed = h.notifier!.close();
  await closed;
  await h.clock.advance(60_000);
  await flush();
  assert.is(h.sent.length, 3, 'no pings after close');
});

test('a failing CLI is logged once per failure streak, and never throws', async () => {
  const { logs, clock, notifier } = harness({ NOTIFY_SOCKET: '/run/systemd/notify', WATCHDOG_USEC: '2000000' }, { fail: true });
  notifier!.ready('up');
  for (let i = 0; i < 5; i++) {
    await clock.advance(1000);
    await flush();
  }
  await notifier!.close();
  assert.is(logs.length, 1, logs.join('\n'));
  assert.match(logs[0]!, /^warn systemd: systemd-notify READY=1 STATUS=up: spawn systemd-notify ENOENT \(is the systemd package installed/);
});

test('RELOADING is its own message', async () => {
  const { sent, notifier } = harness({ NOTIFY_SOCKET: '/run/systemd/notify' });
  notifier!.reloading();
  notifier!.ready('serving 2 UPS(es)');
  await notifier!.close();
  assert.equal(sent, [['RELOADING=1', 'STATUS=reloading the configuration'], ['READY=1', 'STATUS=serving 2 UPS(es)']]);
});

test('watchdogPlan: only for this PID, half the timeout, never below 200 ms', () => {
  assert.equal(watchdogPlan({ WATCHDOG_USEC: '30000000' }, 1), { intervalMs: 15_000 });
  assert.equal(watchdogPlan({ WATCHDOG_USEC: '30000000', WATCHDOG_PID: '1' }, 1), { intervalMs: 15_000 });
  assert.is(watchdogPlan({ WATCHDOG_USEC: '30000000', WATCHDOG_PID: '2' }, 1), undefined, 'systemd watches another process');
  assert.is(watchdogPlan({}, 1), undefined);
  assert.is(watchdogPlan({ WATCHDOG_USEC: 'soon' }, 1), undefined);
  assert.equal(watchdogPlan({ WATCHDOG_USEC: '100000' }, 1), { intervalMs: 200 });
});

test.run();
