import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadRecording, parseRecording } from '../../../../src/drivers/usbhid/recording.js';
import { ReplayBus } from '../../../../src/drivers/usbhid/transport/replay-bus.js';

const FIXTURES = new URL('../../../fixtures/hid/', import.meta.url).pathname;
const APC = join(FIXTURES, 'apc-back-ups-500.txt');

const hex = (b: Buffer) => [...b].map((x) => x.toString(16).padStart(2, '0')).join(' ');

async function rejection(p: Promise<unknown>): Promise<Error & { code?: string }> {
  try {
    await p;
  } catch (e) {
    return e as Error & { code?: string };
  }
  throw new Error('resolved');
}

async function apc() {
  const bus = new ReplayBus(await loadRecording(APC));
  const [info] = await bus.list();
  const t = await bus.open(info!);
  return { bus, info: info!, t };
}

test('lists the recorded device at the recording path, with its descriptor', async () => {
  const { info, t } = await apc();
  assert.is(info.vendorId, 0x051d);
  assert.is(info.product, 'Back-UPS 500 FW: 6.5.I USB FW: c1');
  assert.is(info.path, APC);
  assert.is(t.info.path, APC);
  const d = await t.reportDescriptor();
  assert.is(d.length, 374);
  assert.is(hex(d.subarray(0, 4)), '05 84 09 04');
});

test('getFeature answers the recorded buffer for the id, short as recorded, cut to the length asked', async () => {
  const { t } = await apc();
  assert.is(hex(await t.getFeature(0x0c, 6)), '0c 64 00 00 14 0a');
  assert.is(hex(await t.getFeature(0x0c, 3)), '0c 64 00', 'a control transfer returns at most the length asked');
  assert.is(hex(await t.getFeature(0x0a, 8)), '0a 03', 'a short reply stays short');
  const e = await rejection(t.getFeature(0x77, 8));
  assert.is(e.code, 'EPIPE');
  assert.match(e.message, /report 0x77 is not in the recording/);
});

test('the latest recorded buffer of an id wins', async () => {
  const text = '[device]\nvendor_id = 051d\nproduct_id = 0002\n[descriptor]\n05 84 09 04 a1 01 c0\n[feature_reads]\nGET_FEATURE 06 00 00 08\nGET_FEATURE 06 00 00 10\n';
  const bus = new ReplayBus(parseRecording(text, 'two.txt'));
  const t = await bus.open((await bus.list())[0]!);
  assert.is(hex(await t.getFeature(6, 4)), '06 00 00 10');
});

test('sendFeature is recorded, not sent, and the device keeps what was written', async () => {
  const { bus, t } = await apc();
  await t.sendFeature(Buffer.from([0x40, 0x01]));
  await t.sendFeature(Buffer.from([0x35, 0x02]));
  assert.equal(bus.sent().map(hex), ['40 01', '35 02']);
  assert.is(hex(await t.getFeature(0x40, 2)), '40 01', 'a written value reads back');
  const copy = bus.sent()[0]!;
  copy[1] = 9;
  assert.is(hex(bus.sent()[0]!), '40 01', 'sent() gives copies');
});

test('setFeature changes what the device reports (ACPresent 0: on battery)', async () => {
  const { bus, t } = await apc();
  assert.is(hex(await t.getFeature(0x06, 4)), '06 00 00 08');
  bus.setFeature('06 00 01 00');
  assert.is(hex(await t.getFeature(0x06, 4)), '06 00 01 00');
  bus.setFeature([0x0c, 0x32, 0x00, 0x00, 0x10, 0x05]);
  assert.is(hex(await t.getFeature(0x0c, 6)), '0c 32 00 00 10 05');
  assert.equal(bus.sent(), [], 'scripting is not a write by the driver');
});

test('emitInput reaches every open transport, in order; emitRecordedInput plays [interrupt_in]', async () => {
  const text =
    '[device]\nvendor_id = 0764\nproduct_id = 0601\n[descriptor]\n05 84 09 04 a1 01 c0\n[interrupt_in]\n0b 0d\n0b 0a\n';
  const bus = new ReplayBus(parseRecording(text, 'cps.txt'));
  const t = await bus.open((await bus.list())[0]!);
  const got: string[] = [];
  t.onInput((r) => got.push(hex(r)));
  bus.emitInput('08 64 10 0e');
  assert.ok(bus.emitRecordedInput());
  assert.ok(bus.emitRecordedInput());
  assert.not.ok(bus.emitRecordedInput(), 'all played');
  assert.equal(got, ['08 64 10 0e', '0b 0d', '0b 0a']);
});

test('unplug: onGone fires, every call rejects, nothing is listed, inputs are dropped', async () => {
  const { bus, info, t } = await apc();
  const gone: string[] = [];
  const inputs: Buffer[] = [];
  t.onGone((e) => gone.push((e as Error & { code?: string }).code ?? ''));
  t.onInput((r) => inputs.push(r));
  bus.unplug();
  assert.equal(gone, ['ENODEV']);
  assert.not.ok(bus.isPlugged);
  assert.is((await rejection(t.getFeature(0x0c, 6))).code, 'ENODEV');
  assert.is((await rejection(t.sendFeature(Buffer.from([0x40, 1])))).code, 'ENODEV');
  assert.is((await rejection(t.reportDescriptor())).code, 'ENODEV');
  assert.is((await rejection(bus.open(info))).code, 'ENODEV');
  assert.equal(await bus.list(), []);
  bus.emitInput('06 00 00 08');
  assert.is(inputs.length, 0);
  assert.equal(bus.sent(), []);
});

test('replug on another path: listed there, the old path no longer opens, the old transport stays dead', async () => {
  const { bus, info, t } = await apc();
  bus.unplug();
  bus.replug({ path: '/dev/hidraw7' });
  const [again] = await bus.list();
  assert.is(again!.path, '/dev/hidraw7');
  assert.is(again!.serial, info.serial);
  assert.is((await rejection(bus.open(info))).code, 'ENOENT', 'the old hidraw node is gone');
  const t2 = await bus.open(again!);
  assert.is(hex(await t2.getFeature(0x0c, 6)), '0c 64 00 00 14 0a', 'the device kept its reports');
  assert.is((await rejection(t.getFeature(0x0c, 6))).code, 'ENODEV');
});

test('failNext: a flaky link fails that many calls with EIO, then works; the device stays plugged', async () => {
  const { bus, t } = await apc();
  let gone = false;
  t.onGone(() => (gone = true));
  bus.failNext(2);
  assert.is((await rejection(t.getFeature(0x0c, 6))).code, 'EIO');
  assert.is((await rejection(t.getFeature(0x0c, 6))).code, 'EIO');
  assert.is(hex(await t.getFeature(0x0c, 6)), '0c 64 00 00 14 0a');
  assert.not.ok(gone);
});

test('a closed transport rejects; the bus opens a new one', async () => {
  const { bus, info, t } = await apc();
  await t.close();
  assert.is((await rejection(t.getFeature(0x0c, 6))).code, 'ENODEV');
  const t2 = await bus.open(info);
  assert.is((await t2.getFeature(0x13, 2)).length, 2);
});

test('ReplayBus.load resolves the file against the configuration folder (port = replay:<file>)', async () => {
  const bus = await ReplayBus.load('apc-back-ups-500.txt', FIXTURES);
  assert.is((await bus.list())[0]!.vendorId, 0x051d);
});

test('indexedString: the string descriptors a capture holds, undefined otherwise', async () => {
  const rec = await loadRecording(APC);
  const bus = new ReplayBus({ ...rec, strings: new Map([[4, 'PbAc']]) });
  const t = await bus.open((await bus.list())[0]!);
  assert.is(await t.indexedString(4), 'PbAc');
  assert.is(await t.indexedString(9), undefined);
});

test.run();
