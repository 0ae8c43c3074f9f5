import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createLogger } from '../../../../src/core/logger.js';
import { EventLog, type MonitorEvent } from '../../../../src/monitor/notify/event-log.js';
import { FakeClock } from '../../../helpers/fake-clock.js';

const onbatt = { type: 'ONBATT' as const, ups: 'ups@localhost', message: 'UPS ups@localhost on battery' };

test('events get increasing sequence numbers and both clocks', async () => {
  const clock = new FakeClock(Date.UTC(2026, 0, 1));
  const log = new EventLog(clock);
  const a = log.append(onbatt);
  await clock.advance(1500);
  clock.jumpWall(-86_400_000); // a Pi without RTC setting its clock: the order stays the monotonic one
  const b = log.append({ type: 'SHUTDOWN', ups: undefined, message: 'Auto logout and shutdown proceeding' });
  assert.equal([a.seq, b.seq], [1, 2]);
  assert.equal([a.monoTime, b.monoTime], [0, 1500]);
  assert.is(a.wallTime, Date.UTC(2026, 0, 1));
  assert.is(b.wallTime, Date.UTC(2026, 0, 1) + 1500 - 86_400_000);
  assert.is(b.ups, undefined);
  assert.equal(log.list(), [a, b]);
});

test('the ring keeps the newest `capacity` events, oldest first, and sequence numbers go on', () => {
  const log = new EventLog(new FakeClock(), 3);
  for (let i = 0; i < 7; i++) log.append({ ...onbatt, message: `m${i}` });
  assert.equal(log.list().map((e) => [e.seq, e.message]), [
    [5, 'm4'],
    [6, 'm5'],
    [7, 'm6'],
  ]);
});

test('the default capacity is 500', () => {
  const log = new EventLog(new FakeClock());
  for (let i = 0; i < 501; i++) log.append(onbatt);
  const all = log.list();
  assert.is(all.length, 500);
  assert.is(all[0]?.seq, 2);
  assert.is(all[499]?.seq, 501);
});

test('list(afterSeq) gives what a reader has not seen yet', () => {
  const log = new EventLog(new FakeClock(), 4);
  for (let i = 0; i < 6; i++) log.append(onbatt);
  assert.equal(log.list(4).map((e) => e.seq), [5, 6]);
  assert.equal(log.list(6), []);
  assert.equal(log.list(0).map((e) => e.seq), [3, 4, 5, 6]); // 1 and 2 fell out: the gap shows
});

test('events are frozen: a reader cannot rewrite history', () => {
  const log = new EventLog(new FakeClock());
  const e = log.append(onbatt);
  assert.throws(() => {
    (e as { message: string }).message = 'changed';
  });
  assert.is(log.list()[0]?.message, onbatt.message);
});

test('listeners see every event; one that throws does not stop the others or append()', () => {
  const lines: string[] = [];
  const log = new EventLog(new FakeClock(), 10, createLogger('notify', (level, _room, m) => lines.push(`${level} ${m}`)));
  const seen: MonitorEvent[] = [];
  log.on('event', () => {
    throw new Error('broken UI');
  });
  const off = log.on('event', (e) => seen.push(e));
  const e = log.append(onbatt);
  assert.equal(seen, [e]);
  assert.equal(lines, ['warn event log listener failed: broken UI']);
  off();
  log.append(onbatt);
  assert.is(seen.length, 1);
});

test('a capacity below 1 is refused', () => {
  assert.throws(() => new EventLog(new FakeClock(), 0), /accepted: a whole number from 1/);
});

test.run();
