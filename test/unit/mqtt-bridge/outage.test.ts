import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { OutageTracker } from '../../../src/mqtt-bridge/outage.js';
import { FakeClock } from '../../helpers/fake-clock.js';

const START = Date.UTC(2026, 0, 1);

test('an outage: start, estimate from battery.runtime, end with the last outage kept', async () => {
  const clock = new FakeClock(START);
  const t = new OutageTracker(clock);
  assert.equal(t.update(false, 1200)?.state, 'none');
  assert.is(t.update(false, 1200), undefined, 'nothing new while on mains');
  await clock.advance(10_000);
  const r = t.update(true, 600)!;
  assert.equal(r, {
    state: 'on_battery',
    started_at: new Date(START + 10_000).toISOString(),
    duration_s: 0,
    estimated_depletion_at: new Date(START + 610_000).toISOString(),
    last: null,
  });
  await clock.advance(30_000);
  assert.is(t.update(true, 570), undefined, 'an estimate that holds is not re-sent');
  await clock.advance(5_000);
  const moved = t.update(true, 400)!;
  assert.is(moved.estimated_depletion_at, new Date(START + 45_000 + 400_000).toISOString());
  assert.is(moved.duration_s, 35);
  await clock.advance(25_000);
  const end = t.update(false, 300)!;
  assert.equal(end, {
    state: 'none',
    started_at: null,
    duration_s: null,
    estimated_depletion_at: null,
    last: { started_at: new Date(START + 10_000).toISOString(), ended_at: new Date(START + 70_000).toISOString(), duration_s: 60 },
  });
});

test('durations come from the monotonic clock: a wall-clock jump mid-outage does not change them', async () => {
  const clock = new FakeClock(START);
  const t = new OutageTracker(clock);
  t.update(true, null);
  clock.jumpWall(3 * 86_400_000);
  await clock.advance(20_000);
  const end = t.update(false, null)!;
  assert.is(end.last!.duration_s, 20);
  assert.is(end.last!.ended_at, new Date(START + 20_000).toISOString());
});

test('no runtime from the UPS: no estimate', () => {
  const t = new OutageTracker(new FakeClock(START));
  assert.is(t.update(true, null)!.estimated_depletion_at, null);
});

test.run();
