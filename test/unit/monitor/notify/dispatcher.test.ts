import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createLogger } from '../../../../src/core/logger.js';
import type { NotifyType } from '../../../../src/conf/notify-types.js';
import { PermanentChannelError, type NotificationChannel } from '../../../../src/monitor/notify/channel.js';
import { NotificationDispatcher, type DispatcherDeps } from '../../../../src/monitor/notify/dispatcher.js';
import { EventLog, type MonitorEvent } from '../../../../src/monitor/notify/event-log.js';
import { FakeClock, flushMicrotasks } from '../../../helpers/fake-clock.js';

function setup(channels: NotificationChannel[], options: Partial<DispatcherDeps> = {}) {
  const clock = new FakeClock();
  const lines: string[] = [];
  const log = createLogger('notify', (level, _room, m) => lines.push(`${level} ${m}`), 'debug');
  const dispatcher = new NotificationDispatcher(channels, { clock, log, retry: { attempts: 1 }, ...options });
  const events = new EventLog(clock);
  const event = (type: NotifyType = 'ONBATT') => events.append({ type, ups: 'ups@localhost', message: `${type} happened` });
  return { clock, lines, dispatcher, event };
}

/** A channel that records what it got and answers as `behaviour` says. */
function channel(name: string, behaviour: (e: MonitorEvent, signal: AbortSignal) => Promise<void> = async () => {}, types?: NotifyType[]) {
  const got: MonitorEvent[] = [];
  const signals: AbortSignal[] = [];
  const ch: NotificationChannel & { got: MonitorEvent[]; signals: AbortSignal[] } = {
    name,
    ...(types ? { types } : {}),
    got,
    signals,
    send(e, signal) {
      got.push(e);
      signals.push(signal);
      return behaviour(e, signal);
    },
  };
  return ch;
}

const never = () => new Promise<void>(() => {});

test('every channel gets the event; stats count it', async () => {
  const a = channel('a');
  const b = channel('b');
  const { dispatcher, event } = setup([a, b]);
  const e = event();
  dispatcher.notify(e);
  await dispatcher.idle();
  assert.equal([a.got, b.got], [[e], [e]]);
  assert.equal(dispatcher.stats(), [
    { channel: 'a', sent: 1, failed: 0, dropped: 0 },
    { channel: 'b', sent: 1, failed: 0, dropped: 0 },
  ]);
});

test('a channel only gets the types it asked for', async () => {
  const lowOnly = channel('low', async () => {}, ['LOWBATT', 'FSD']);
  const all = channel('all');
  const { dispatcher, event } = setup([lowOnly, all]);
  dispatcher.notify(event('ONBATT'));
  dispatcher.notify(event('LOWBATT'));
  await dispatcher.idle();
  assert.equal(lowOnly.got.map((e) => e.type), ['LOWBATT']);
  assert.equal(all.got.map((e) => e.type), ['ONBATT', 'LOWBATT']);
});

test('notify() returns synchronously and runs nothing of a channel, even when every channel is stuck', async () => {
  let calls = 0;
  const stuck = channel('stuck', () => {
    calls++;
    return never();
  });
  const throwsSync = channel('sync-throw', () => {
    calls++;
    throw new Error('boom');
  });
  const { dispatcher, event, clock } = setup([stuck, throwsSync]);
  for (let i = 0; i < 5; i++) assert.is(dispatcher.notify(event()), undefined);
  assert.is(calls, 0); // nothing ran inside notify()
  await flushMicrotasks();
  assert.is(stuck.got.length, 1); // one send at a time: the others wait
  assert.is(throwsSync.got.length, 5);
  assert.is(dispatcher.stats()[1]?.failed, 5);
  dispatcher.stop();
  await clock.advance(60_000);
});

test('a channel that hangs is aborted after timeoutMs and the next event goes out', async () => {
  const hangs = channel('hangs', (e, signal) => (e.seq === 1 ? new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason))) : Promise.resolve()));
  const { dispatcher, event, clock, lines } = setup([hangs], { timeoutMs: 5000 });
  dispatcher.notify(event('ONBATT'));
  dispatcher.notify(event('LOWBATT'));
  await flushMicrotasks(); // the deadline runs from the start of the send
  await clock.advance(4999);
  assert.is(hangs.got.length, 1);
  assert.is(hangs.signals[0]?.aborted, false);
  await clock.advance(1);
  assert.is(hangs.signals[0]?.aborted, true);
  await dispatcher.idle();
  assert.equal(hangs.got.map((e) => e.type), ['ONBATT', 'LOWBATT']);
  assert.equal(dispatcher.stats(), [{ channel: 'hangs', sent: 1, failed: 1, dropped: 0, lastError: 'no answer within 5 s; aborted' }]);
  assert.equal(lines, ['warn hangs: ONBATT #1 not delivered: no answer within 5 s; aborted']);
});

test('a channel that ignores its signal is left behind at the deadline, and its late answer is ignored', async () => {
  let finish: (() => void) | undefined;
  const deaf = channel('deaf', (e) => (e.seq === 1 ? new Promise<void>((resolve) => (finish = resolve)) : Promise.resolve()));
  const { dispatcher, event, clock } = setup([deaf], { timeoutMs: 1000 });
  dispatcher.notify(event());
  dispatcher.notify(event());
  await flushMicrotasks();
  await clock.advance(1000);
  await dispatcher.idle();
  finish?.();
  await flushMicrotasks();
  assert.equal(dispatcher.stats(), [{ channel: 'deaf', sent: 1, failed: 1, dropped: 0, lastError: 'no answer within 1 s; aborted' }]);
});

test('a failing channel is logged loudly with its name and reason and does not stop the others', async () => {
  const broken = channel('webhook https://push.example/hook', async () => {
    throw new Error('HTTP 500 Internal Server Error', { cause: new Error('upstream down') });
  });
  const fine = channel('email');
  const { dispatcher, event, lines } = setup([broken, fine]);
  dispatcher.notify(event('ONBATT'));
  dispatcher.notify(event('ONLINE'));
  await dispatcher.idle();
  assert.is(fine.got.length, 2);
  assert.equal(dispatcher.stats(), [
    { channel: 'webhook https://push.example/hook', sent: 0, failed: 2, dropped: 0, lastError: 'HTTP 500 Internal Server Error: upstream down' },
    { channel: 'email', sent: 2, failed: 0, dropped: 0 },
  ]);
  assert.equal(lines, [
    'warn webhook https://push.example/hook: ONBATT #1 not delivered: HTTP 500 Internal Server Error: upstream down',
    'warn webhook https://push.example/hook: ONLINE #2 not delivered: HTTP 500 Internal Server Error: upstream down',
  ]);
});

test('a full queue drops the oldest waiting event with a warning', async () => {
  let release: (() => void) | undefined;
  const slow = channel('slow', () => new Promise<void>((resolve) => (release = resolve)));
  const { dispatcher, event, lines } = setup([slow], { queueLimit: 2 });
  dispatcher.notify(event('ONBATT')); // #1: being sent
  await flushMicrotasks();
  dispatcher.notify(event('LOWBATT')); // #2 waits
  dispatcher.notify(event('FSD')); // #3 waits
  dispatcher.notify(event('SHUTDOWN')); // #4: queue full, #2 goes
  assert.equal(lines, ['warn slow: 2 notifications waiting; dropped the oldest (LOWBATT #2)']);
  for (let i = 0; i < 3; i++) {
    release?.();
    await flushMicrotasks();
  }
  await dispatcher.idle();
  assert.equal(slow.got.map((e) => e.seq), [1, 3, 4]);
  assert.equal(dispatcher.stats(), [{ channel: 'slow', sent: 3, failed: 0, dropped: 1 }]);
});

test('failures are retried with a doubling wait on the injected clock; permanent ones are not', async () => {
  let tries = 0;
  const flaky = channel('flaky', async () => {
    if (++tries < 3) throw new Error('connection refused');
  });
  const denied = channel('denied', async () => {
    throw new PermanentChannelError('HTTP 401 Unauthorized');
  });
  const { dispatcher, event, clock, lines } = setup([flaky, denied], { retry: { attempts: 3, delayMs: 1000 } });
  dispatcher.notify(event());
  await flushMicrotasks();
  assert.is(tries, 1);
  await clock.advance(999);
  assert.is(tries, 1);
  await clock.advance(1);
  assert.is(tries, 2);
  await clock.advance(1999);
  assert.is(tries, 2);
  await clock.advance(1);
  await dispatcher.idle();
  assert.is(tries, 3);
  assert.is(denied.got.length, 1);
  assert.equal(dispatcher.stats(), [
    { channel: 'flaky', sent: 1, failed: 0, dropped: 0 },
    { channel: 'denied', sent: 0, failed: 1, dropped: 0, lastError: 'HTTP 401 Unauthorized' },
  ]);
  assert.equal(lines, [
    'warn flaky: ONBATT #1 not delivered (attempt 1 of 3): connection refused; trying again in 1 s',
    'warn denied: ONBATT #1 not delivered: HTTP 401 Unauthorized',
    'warn flaky: ONBATT #1 not delivered (attempt 2 of 3): connection refused; trying again in 2 s',
    'info flaky: ONBATT #1 delivered on attempt 3',
  ]);
});

test('giving up after the last try says so', async () => {
  const down = channel('down', async () => {
    throw new Error('ECONNREFUSED');
  });
  const { dispatcher, event, clock, lines } = setup([down], { retry: { attempts: 2, delayMs: 10 } });
  dispatcher.notify(event());
  await flushMicrotasks();
  await clock.advance(10);
  await dispatcher.idle();
  assert.is(down.got.length, 2);
  assert.is(lines.at(-1), 'warn down: ONBATT #1 not delivered: ECONNREFUSED (gave up after 2 attempts)');
});

test('stop() aborts what is in flight, cancels retries, forgets the queue and ignores later events', async () => {
  const stuck = channel('stuck', (_e, signal) => new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason))));
  const retrying = channel('retrying', async () => {
    throw new Error('nope');
  });
  const { dispatcher, event, clock } = setup([stuck, retrying], { retry: { attempts: 5, delayMs: 1000 } });
  dispatcher.notify(event());
  dispatcher.notify(event());
  await flushMicrotasks();
  dispatcher.stop();
  await dispatcher.idle();
  assert.is(stuck.signals[0]?.aborted, true);
  dispatcher.notify(event());
  await clock.advance(60_000);
  assert.is(stuck.got.length, 1);
  assert.is(retrying.got.length, 1);
  assert.is(clock.pendingTimers(), 0);
  assert.equal(dispatcher.stats(), [
    { channel: 'stuck', sent: 0, failed: 0, dropped: 0 },
    { channel: 'retrying', sent: 0, failed: 0, dropped: 0 },
  ]);
});

test('no timers are left once everything is delivered', async () => {
  const { dispatcher, event, clock } = setup([channel('a')]);
  dispatcher.notify(event());
  await dispatcher.idle();
  assert.is(clock.pendingTimers(), 0);
});

test.run();
