import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Ring } from '../../../../src/ui/history/ring.js';

test('a bucket holds the mean of its samples; buckets never written are gaps', () => {
  const r = new Ring(5);
  assert.ok(r.add(10, 1));
  assert.ok(r.add(10, 2));
  assert.ok(r.add(10, 6));
  assert.ok(r.add(12, 7));
  assert.equal(r.window(12), [null, null, 3, null, 7], 'oldest first, ending at the bucket asked for');
  assert.is(r.newest, 12);
  assert.is(r.count, 1);
});

test('a sample for a bucket older than the newest is refused and changes nothing', () => {
  const r = new Ring(5);
  r.add(10, 4);
  r.add(11, 8);
  assert.not.ok(r.add(10, 100));
  assert.equal(r.window(11), [null, null, null, 4, 8]);
  assert.not.ok(r.add(Number.NaN, 1), 'not a bucket');
  assert.not.ok(r.add(12, Number.POSITIVE_INFINITY), 'not a value');
  assert.is(r.newest, 11);
});

test('memory is fixed: moving on drops the oldest buckets, and old slots do not come back as data', () => {
  const r = new Ring(3);
  for (let b = 0; b < 5; b++) r.add(b, b * 10);
  assert.equal(r.window(4), [20, 30, 40]);
  assert.is(r.get(1), null, 'left the ring');
  r.add(6, 60);
  assert.equal(r.window(6), [40, null, 60], 'bucket 5 was skipped: a gap, not the 20 that sat in its slot');
});

test('a jump past the whole ring empties it', () => {
  const r = new Ring(4);
  for (let b = 0; b < 4; b++) r.add(b, 1);
  r.add(1_000_000, 9);
  assert.equal(r.window(1_000_000), [null, null, null, 9]);
  assert.ok(r.hasData());
  r.clear();
  assert.not.ok(r.hasData());
  assert.is(r.newest, undefined);
  assert.equal(r.window(3), [null, null, null, null]);
});

test('a restored ring keeps its means and weighs new samples against the saved count', () => {
  const r = new Ring(4);
  r.restore(20, [9, 5, 1, null, 3], 2);
  assert.equal(r.window(20), [5, 1, null, 3], 'more means than capacity: the oldest are dropped');
  r.add(20, 6);
  assert.is(r.get(20), 4, '(3 * 2 + 6) / 3');
  assert.is(r.count, 3);
});

test('buckets before 1970 (a Pi booting with its clock at 0) still land in the ring', () => {
  const r = new Ring(3);
  r.add(-2, 1);
  r.add(-1, 2);
  assert.equal(r.window(-1), [null, 1, 2]);
});

test('a ring needs a positive whole capacity', () => {
  assert.throws(() => new Ring(0), /positive integer/);
  assert.throws(() => new Ring(2.5), /positive integer/);
});

test.run();
