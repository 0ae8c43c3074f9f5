import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { SmartLink } from '../../../../src/drivers/apcsmart/smart-link.js';
import { FakeClock } from '../../../helpers/fake-clock.js';
import { MemoryChannel } from './sim-harness.js';

const test = suite('apcsmart serial conversation (SmartLink)');

function setup() {
  const clock = new FakeClock();
  const sent: string[] = [];
  const alerts: string[] = [];
  const channel = new MemoryChannel((b) => sent.push(b.toString('latin1')));
  const link = new SmartLink(channel, clock, (ch) => alerts.push(ch));
  const turns = async (n = 4) => {
    for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
  };
  return { clock, sent, alerts, channel, link, turns };
}

test('alerts between replies are acted on at once; noise is dropped and counted', async () => {
  const { channel, link, alerts, turns } = setup();
  channel.fromUps('!xyz\r\n%|&');
  await turns();
  assert.equal(alerts, ['!', '%']);
  assert.is(link.garbage, 3);
});

test('a reply with an alert inside: the alert is handled, the reply is clean; CR and | are dropped', async () => {
  const { channel, link, alerts, sent, turns } = setup();
  const r = link.ask('Q');
  await turns();
  assert.equal(sent, ['Q']);
  channel.fromUps('0$|8\r\n');
  assert.is(await r, '08');
  assert.equal(alerts, ['$']);
});

test('caps and cmdset replies keep the characters that are alerts elsewhere', async () => {
  const { channel, link, alerts, turns } = setup();
  const caps = link.ask('\x1a', { mode: 'caps' });
  await turns();
  channel.fromUps('#uD1312!7\r\n');
  assert.is(await caps, '#uD13127');
  const cs = link.ask('a', { mode: 'cmdset' });
  await turns();
  channel.fromUps('3.!$%+?=#|.QY\r\n');
  assert.is(await cs, '3.!$%+?=#|.QY');
  assert.equal(alerts, []);
});

test('timeouts run on the clock: nothing, or half a line, is no reply; the next read starts clean', async () => {
  const { channel, link, clock, turns } = setup();
  const r1 = link.ask('B');
  await clock.advance(3000);
  assert.is(await r1, undefined);
  const r2 = link.ask('B');
  await turns();
  channel.fromUps('27.');
  await turns();
  await clock.advance(3000);
  assert.is(await r2, undefined);
  channel.fromUps('87\r\n'); // the late rest arrives while nobody reads: dropped
  await turns();
  const r3 = link.ask('B');
  await turns();
  channel.fromUps('27.87\r\n');
  assert.is(await r3, '27.87');
});

test('an endless line (noise) fails the read instead of growing; a lost port fails reads and sends', async () => {
  const { channel, link, turns } = setup();
  const r = link.ask('B');
  await turns();
  channel.fromUps('x'.repeat(600));
  await r.then(() => assert.unreachable('must reject'), (e: Error) => assert.match(e.message, /longer than 511/));
  channel.unplug();
  await link.ask('Q').then(() => assert.unreachable('must reject'), (e: Error) => assert.match(e.message, /serial port lost: device disconnected/));
});

test('* ends a shutdown reply as OK only when asked to', async () => {
  const { channel, link, turns } = setup();
  const r = link.read({ asteriskIsOk: true, mode: 'plain' });
  channel.fromUps('*');
  await turns();
  assert.is(await r, 'OK');
});

test('a write that never completes (a hung-up tty) still ends in a timeout; its late failure spares the next read', async () => {
  const clock = new FakeClock();
  let failWrite: (e: Error) => void = () => undefined;
  const channel = new MemoryChannel(() => undefined);
  let calls = 0;
  channel.write = () => (calls++ === 0 ? new Promise<void>((_r, reject) => (failWrite = reject)) : Promise.resolve());
  const link = new SmartLink(channel, clock, () => undefined);
  const r1 = link.ask('Q');
  await clock.advance(3000);
  assert.is(await r1, undefined);
  const r2 = link.ask('Q');
  failWrite(new Error('EIO'));
  await new Promise((r) => setImmediate(r));
  channel.fromUps('08\r\n');
  await new Promise((r) => setImmediate(r));
  assert.is(await r2, '08');
});

test.run();
