import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MAX_STREAMS, type LiveMessage } from '../../../src/ui/live/live-updates.js';
import { Browser, harness } from './harness.js';

const tick = () => new Promise((r) => setImmediate(r));

test('/live streams the cards as server-sent events; a poll\'s many changes go out as one message', async () => {
  const h = await harness({ passwordSet: true });
  const b = new Browser(h.app);
  await b.login();
  const res = await b.get('/live', { accept: 'text/event-stream' });
  assert.is(res.status, 200);
  assert.match(res.headers.get('content-type')!, 'text/event-stream');
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  const readUntil = async (needle: string) => {
    while (!text.includes(needle)) text += decoder.decode((await reader.read()).value);
  };
  await readUntil('"status":"Online, charging"');
  text = '';
  h.device.setInfo('ups.status', 'OB DISCHRG');
  h.device.setInfo('battery.charge', '80');
  h.device.setInfo('battery.runtime', '600');
  await readUntil('\n\n');
  // A few more turns for anything else that would have been sent.
  for (let i = 0; i < 5; i++) await tick();
  await readUntil('"status":"On battery"');
  const messages = text.split('\n\n').filter((m) => m.includes('event: ups'));
  assert.is(messages.length, 1, text);
  assert.match(messages[0]!, '"charge":80');
  assert.match(messages[0]!, '"runtime":"10 min"');
  assert.match(messages[0]!, '"severity":"warn"');
  await reader.cancel();
});

test('a slow browser gets only the newest state, never a queue', async () => {
  const h = await harness();
  const sent: LiveMessage[] = [];
  let release!: () => void;
  let first = true;
  const send = (m: LiveMessage) => {
    sent.push(m);
    if (!first) return Promise.resolve();
    first = false;
    return new Promise<void>((r) => (release = r));
  };
  let close!: () => void;
  assert.ok(h.deps.live.follow(send, new Promise((r) => (close = r))));
  await tick();
  assert.is(sent.length, 1);
  for (let i = 0; i < 100; i++) h.device.setInfo('battery.charge', String(i));
  release();
  for (let i = 0; i < 5; i++) await tick();
  assert.is(sent.length, 2);
  assert.match(sent[1]!.data, '"charge":99');
  close();
});

test('the number of live streams is bounded', async () => {
  const h = await harness();
  const closers: (() => void)[] = [];
  for (let i = 0; i < MAX_STREAMS; i++) assert.ok(h.deps.live.follow(async () => {}, new Promise((r) => closers.push(r as () => void))));
  assert.not.ok(h.deps.live.follow(async () => {}, new Promise(() => {})));
  closers[0]!();
  await tick();
  assert.ok(h.deps.live.follow(async () => {}, new Promise(() => {})));
});

test('journal entries follow on the same stream', async () => {
  const h = await harness();
  const sent: LiveMessage[] = [];
  h.deps.live.follow(async (m) => void sent.push(m), new Promise(() => {}));
  await tick();
  h.deps.journal.add('power', 'ups', 'status: On battery', 'warn');
  await tick();
  assert.ok(sent.some((m) => m.event === 'journal' && m.data.includes('status: On battery')));
});

test.run();
