import { EventEmitter } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadRecording } from '../../../../src/drivers/usbhid/recording.js';
import {
  explainLoadFailure,
  loadNodeHid,
  NodeHidBus,
  NodeHidUnavailable,
  openNodeHidBus,
  type NodeHidDevice,
  type NodeHidDeviceEntry,
  type NodeHidModule,
} from '../../../../src/drivers/usbhid/transport/node-hid-bus.js';
import { usesReportIds } from '../../../../src/drivers/usbhid/transport/sysfs.js';

const APC_FILE = new URL('../../../fixtures/hid/apc-back-ups-500.txt', import.meta.url).pathname;
const NO_IDS = Buffer.from('05840904a101050909019501750881020901b102c0', 'hex');

/** A sysfs tree as Linux lays it out for a USB HID device, in a temp folder. */
function fakeSysfs(descriptors: Record<string, Buffer>): string {
  const root = mkdtempSync(join(tmpdir(), 'upsgate-sysfs-'));
  let n = 0;
  for (const [name, descriptor] of Object.entries(descriptors)) {
    n++;
    const usbDev = join(root, 'devices/pci0000:00/0000:00:14.0/usb1', `1-${n}`);
    const hidDev = join(usbDev, `1-${n}:1.0`, `0003:051D:0002.000${n}`);
    mkdirSync(join(hidDev, 'hidraw', name), { recursive: true });
    writeFileSync(join(root, 'devices/pci0000:00/0000:00:14.0/usb1/busnum'), '1\n');
    writeFileSync(join(usbDev, 'busnum'), '3\n');
    writeFileSync(join(usbDev, 'devnum'), `${n + 3}\n`);
    // USB device descriptor: iManufacturer 1, iProduct 2, iSerialNumber 3.
    writeFileSync(join(usbDev, 'descriptors'), Buffer.from('12010002000000081d05020006010102030109', 'hex'));
    writeFileSync(join(hidDev, 'report_descriptor'), descriptor);
    symlinkSync(`../../../0003:051D:0002.000${n}`, join(hidDev, 'hidraw', name, 'device'));
    mkdirSync(join(root, 'class/hidraw'), { recursive: true });
    symlinkSync(join(hidDev, 'hidraw', name), join(root, 'class/hidraw', name));
  }
  return root;
}

class FakeHandle extends EventEmitter implements NodeHidDevice {
  readonly calls: string[] = [];
  reply = Buffer.from([0x0c, 0x64, 0x00]);
  written: number | undefined;
  async getFeatureReport(reportId: number, length: number): Promise<Buffer> {
    this.calls.push(`get ${reportId} ${length}`);
    return this.reply;
  }
  async sendFeatureReport(data: Buffer): Promise<number> {
    this.calls.push(`send ${data.toString('hex')}`);
    return this.written ?? data.length;
  }
  async close(): Promise<void> {
    this.calls.push('close');
  }
}

const APC_ENTRY: NodeHidDeviceEntry = {
  vendorId: 0x051d, productId: 0x0002, path: '/dev/hidraw3', serialNumber: 'AB0427', manufacturer: 'American Power Conversion',
  product: 'Back-UPS 500', release: 0x0100, interface: 0, usagePage: 0x84, usage: 0x04,
};

function fakeHid(entries: NodeHidDeviceEntry[]) {
  const handles: Array<[string, FakeHandle]> = [];
  const mod: NodeHidModule = {
    devicesAsync: async () => entries,
    HIDAsync: {
      open: async (path: string) => {
        const h = new FakeHandle();
        handles.push([path, h]);
        return h;
      },
    },
    getHidapiVersion: () => '0.14.0',
  };
  return { mod, handles };
}

let apcDescriptor: Buffer;
let root: string;

test.before(async () => {
  apcDescriptor = (await loadRecording(APC_FILE)).descriptor;
  root = fakeSysfs({ hidraw3: apcDescriptor, hidraw4: NO_IDS });
});
test.after(() => rmSync(root, { recursive: true, force: true }));

test('list: HID UPSes only, one entry per hidraw node, bus and device address from sysfs', async () => {
  const { mod } = fakeHid([
    { ...APC_ENTRY, usagePage: 0xff86, usage: 0x01 }, // a second top-level collection of the same node
    APC_ENTRY,
    { vendorId: 0x046d, productId: 0xc31c, path: '/dev/hidraw0', usagePage: 0x01, usage: 0x06, release: 1 }, // keyboard
    { vendorId: 0x03f0, productId: 0x0941, path: '/dev/hidraw1', usagePage: 0x01, usage: 0x02, release: 1 }, // HP mouse
    { vendorId: 0x1234, productId: 0x5678, path: '/dev/hidraw8', usagePage: 0x84, usage: 0x04, release: 1 }, // unknown PDC UPS
    { vendorId: 0x0764, productId: 0x0501, usagePage: 0x84, usage: 0x04, release: 1 }, // no path: not openable
  ]);
  const list = await new NodeHidBus(mod, { sysfsRoot: root }).list();
  assert.equal(list.map((d) => d.path), ['/dev/hidraw3', '/dev/hidraw8']);
  assert.equal(list[0], {
    vendorId: 0x051d, productId: 0x0002, manufacturer: 'American Power Conversion', product: 'Back-UPS 500', serial: 'AB0427',
    release: 0x0100, path: '/dev/hidraw3', bus: '003', device: '004', usagePage: 0x84, usage: 0x04,
  });
  assert.is(list[1]!.bus, undefined, 'no sysfs entry: bus unknown');
});

test('open: descriptor from sysfs, feature reads and writes through node-hid, string indexes from the device descriptor', async () => {
  const { mod, handles } = fakeHid([APC_ENTRY]);
  const bus = new NodeHidBus(mod, { sysfsRoot: root });
  const [info] = await bus.list();
  const t = await bus.open(info!);
  const [[path, h]] = handles as [[string, FakeHandle]];
  assert.is(path, '/dev/hidraw3');
  assert.equal(await t.reportDescriptor(), apcDescriptor);
  assert.equal(await t.getFeature(0x0c, 6), Buffer.from([0x0c, 0x64, 0x00]));
  await t.sendFeature(Buffer.from([0x40, 0x01]));
  assert.equal(h.calls, ['get 12 6', 'send 4001']);
  h.written = 1;
  try {
    await t.sendFeature(Buffer.from([0x40, 0x01]));
    assert.unreachable();
  } catch (e) {
    assert.match((e as Error).message, /wrote 1 of 2 bytes/);
  }
  assert.is(await t.indexedString(1), 'American Power Conversion');
  assert.is(await t.indexedString(2), 'Back-UPS 500');
  assert.is(await t.indexedString(3), 'AB0427');
  assert.is(await t.indexedString(4), undefined, 'other string descriptors: not on hidraw');
  await t.close();
  await t.close();
  assert.is(h.calls.filter((c) => c === 'close').length, 1);
});

test("'data' events are Input reports; 'error' is the device gone: onGone once, then every call rejects", async () => {
  const { mod, handles } = fakeHid([APC_ENTRY]);
  const bus = new NodeHidBus(mod, { sysfsRoot: root });
  const t = await bus.open((await bus.list())[0]!);
  const h = handles[0]![1];
  const inputs: string[] = [];
  const gone: string[] = [];
  t.onInput((r) => inputs.push(r.toString('hex')));
  t.onGone((e) => gone.push(e.message));
  h.emit('data', Buffer.from([0x06, 0x00, 0x00, 0x08]));
  h.emit('error', new Error('could not read from HID device: No such device'));
  h.emit('error', new Error('again'));
  h.emit('data', Buffer.from([0x06, 0x01]));
  assert.equal(inputs, ['06000008']);
  assert.equal(gone, ['/dev/hidraw3: could not read from HID device: No such device']);
  for (const call of [() => t.getFeature(0x0c, 6), () => t.sendFeature(Buffer.from([1])), () => t.reportDescriptor()]) {
    let rejected = false;
    await call().catch(() => (rejected = true));
    assert.ok(rejected);
  }
  let late = '';
  t.onGone((e) => (late = e.message));
  await Promise.resolve();
  assert.match(late, /No such device/, 'a listener added after the loss hears of it too');
});

test('a device without report IDs: Input reports get the 0 byte the contract promises', async () => {
  assert.ok(usesReportIds(apcDescriptor));
  assert.not.ok(usesReportIds(NO_IDS));
  const { mod, handles } = fakeHid([{ ...APC_ENTRY, path: '/dev/hidraw4' }]);
  const bus = new NodeHidBus(mod, { sysfsRoot: root });
  const t = await bus.open((await bus.list())[0]!);
  const inputs: string[] = [];
  t.onInput((r) => inputs.push(r.toString('hex')));
  handles[0]![1].emit('data', Buffer.from([0x55]));
  assert.equal(inputs, ['0055']);
});

test('open refuses a node whose report descriptor cannot be read, before opening it', async () => {
  const { mod, handles } = fakeHid([{ ...APC_ENTRY, path: '/dev/hidraw9' }]);
  const bus = new NodeHidBus(mod, { sysfsRoot: root });
  let message = '';
  await bus.open((await bus.list())[0]!).catch((e: Error) => (message = e.message));
  assert.match(message, /hidraw9.*report_descriptor/);
  assert.is(handles.length, 0);
});

test('a load failure says what is missing', () => {
  const dl = (lib: string) => new Error(`${lib}: cannot open shared object file: No such file or directory`);
  assert.match(explainLoadFailure(dl('libudev.so.1')), /libudev\.so\.1 is missing; install it with "apt install libudev1"/);
  assert.match(explainLoadFailure(dl('libusb-1.0.so.0')), /libusb-1\.0\.so\.0 is missing; install it with "apt install libusb-1\.0-0"/);
  const notFound = Object.assign(new Error("Cannot find package 'node-hid' imported from /x"), { code: 'ERR_MODULE_NOT_FOUND' });
  assert.match(explainLoadFailure(notFound), /node-hid package is not installed .*npm install node-hid/);
  assert.match(
    explainLoadFailure(new Error('Failed to find binding for HID_hidraw\nTried paths: ...'), 'linux-arm'),
    /no prebuilt binary for linux-arm .*ARMv6.*npm rebuild node-hid/,
  );
  assert.match(explainLoadFailure(new Error("/lib/libc.so.6: version `GLIBC_2.38' not found")), /C library is older/);
});

test('loadNodeHid turns an import or binding failure into NodeHidUnavailable', async () => {
  const err = await loadNodeHid(async () => {
    throw Object.assign(new Error("Cannot find package 'node-hid'"), { code: 'ERR_MODULE_NOT_FOUND' });
  }).catch((e: unknown) => e);
  assert.instance(err, NodeHidUnavailable);
  const bindingFails = await loadNodeHid(async () => ({
    default: { getHidapiVersion: () => { throw new Error('libudev.so.1: cannot open shared object file'); } },
  })).catch((e: unknown) => e);
  assert.match((bindingFails as Error).message, /apt install libudev1/);
});

test('the real node-hid 3.x is installed, loads here, and lists devices (an array; this machine has no UPS)', async () => {
  const version = (createRequire(import.meta.url)('node-hid/package.json') as { version: string }).version;
  assert.match(version, /^3\./);
  const hid = await loadNodeHid();
  assert.match(hid.getHidapiVersion(), /^\d+\.\d+/);
  assert.ok(Array.isArray(await hid.devicesAsync()));
  const bus = await openNodeHidBus();
  const list = await bus.list();
  assert.ok(Array.isArray(list));
});

test.run();
