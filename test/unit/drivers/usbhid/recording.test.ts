import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { HidRecordingError, loadRecording, parseRecording } from '../../../../src/drivers/usbhid/recording.js';

const FIXTURES = new URL('../../../fixtures/hid/', import.meta.url).pathname;
const APC = join(FIXTURES, 'apc-back-ups-500.txt');
const CPS = join(FIXTURES, 'cyberpower-cst135uc2.txt');

const MINIMAL = '# a device\n[device]\nvendor_id = 051d\nproduct_id = 0002\n[descriptor]\n05 84 09 04 a1 01 c0\n';

/** The message `parseRecording` throws for `text`, or a failure when it accepts it. */
function errorOf(text: string): string {
  try {
    parseRecording(text, 'dev.txt');
  } catch (e) {
    assert.instance(e, HidRecordingError);
    return (e as Error).message;
  }
  throw new Error('accepted');
}

test('the APC fixture: device, 374 descriptor bytes, 23 feature reads in order, golden sections', async () => {
  const r = await loadRecording(APC);
  assert.is(r.file, APC);
  assert.equal(r.device, {
    vendorId: 0x051d,
    productId: 0x0002,
    manufacturer: 'American Power Conversion',
    product: 'Back-UPS 500 FW: 6.5.I USB FW: c1',
    serial: 'AB0427******',
    release: undefined,
    path: APC,
    bus: undefined,
    usagePage: 0x84,
    usage: 0x04,
  });
  assert.is(r.descriptor.length, 374);
  assert.equal([...r.descriptor.subarray(0, 6)], [0x05, 0x84, 0x09, 0x04, 0xa1, 0x01]);
  assert.equal([...r.descriptor.subarray(-2)], [0xc0, 0xc0]);
  assert.is(r.featureReads.length, 23);
  assert.equal([...r.featureReads[0]!], [0x01, 0x01]);
  assert.equal([...r.featureReads[11]!], [0x0c, 0x64, 0x00, 0x00, 0x14, 0x0a]);
  assert.equal([...r.featureReads[22]!], [0x40, 0x00]);
  assert.equal(r.interruptIn, []);
  assert.is(r.parsed?.length, 35);
  assert.ok(r.parsed![0]!.startsWith('UPS.PowerSummary.iProduct '));
  assert.is(r.decoded?.length, 35);
  assert.is(r.upsc?.length, 32);
  assert.equal(r.upsc![0], ['battery.charge', '100']);
});

test('[upsc] values keep their leading spaces exactly (after the one space after the colon)', async () => {
  const r = await loadRecording(APC);
  const upsc = new Map(r.upsc);
  assert.is(upsc.get('ups.firmware'), ' 6.5.I');
  assert.is(upsc.get('ups.firmware.aux'), ' c1');
  assert.is(upsc.get('device.serial'), 'AB0427******');
  assert.equal(parseRecording(`${MINIMAL}[upsc]\nempty:\nx: a: b\n`, 'f').upsc, [['empty', ''], ['x', 'a: b']]);
});

test('the CyberPower fixture: descriptor only, no reads, no upsc', async () => {
  const r = await loadRecording(CPS);
  assert.is(r.descriptor.length, 726);
  assert.is(r.device.vendorId, 0x0764);
  assert.is(r.device.productId, 0x0601);
  assert.is(r.device.serial, undefined);
  assert.equal(r.featureReads, []);
  assert.is(r.upsc, undefined);
  assert.is(r.decoded, undefined);
  assert.is(r.parsed?.length, 82);
});

test('section headers may carry comments or words in the brackets; # comments after bytes are ignored', () => {
  const r = parseRecording(
    '[device] # usb\nvendor_id = 0764 # CPS\nproduct_id = 0601\nrelease = 0100\nbus = 001\n' +
      '[descriptor # 7 bytes]\n05 84 09 04\n a1 01 c0 # end\n' +
      '[feature_reads in capture order]\nGET_FEATURE 0c 64 # short read\n' +
      '[interrupt_in]\n0b 03\nINPUT 0b 01\n',
    'r.txt',
  );
  assert.equal([...r.descriptor], [0x05, 0x84, 0x09, 0x04, 0xa1, 0x01, 0xc0]);
  assert.equal(r.featureReads.map((b) => [...b]), [[0x0c, 0x64]]);
  assert.equal(r.interruptIn.map((b) => [...b]), [[0x0b, 0x03], [0x0b, 0x01]]);
  assert.is(r.device.release, 0x0100);
  assert.is(r.device.bus, '001');
  assert.is(r.device.path, 'r.txt');
  assert.is(r.parsed, undefined);
});

test('CRLF line ends are read as LF', () => {
  const r = parseRecording(MINIMAL.replace(/\n/g, '\r\n') + '[upsc]\r\na: 1\r\n', 'w.txt');
  assert.is(r.descriptor.length, 7);
  assert.equal(r.upsc, [['a', '1']]);
});

test('bad hex names file:line, the word and the form accepted', () => {
  assert.match(errorOf(`${MINIMAL}[feature_reads]\nGET_FEATURE 0c 6g\n`), /^dev\.txt:8: `6g` in GET_FEATURE: expected bytes as two hex digits/);
  assert.match(errorOf('[device]\nvendor_id = 051d\nproduct_id = 2\n[descriptor]\n05 84 9\n'), /^dev\.txt:5: `9` in the descriptor/);
  assert.match(errorOf(`${MINIMAL}[interrupt_in]\n0b zz\n`), /^dev\.txt:8: `zz` in an interrupt report/);
  assert.match(errorOf('[device]\nvendor_id = APC\nproduct_id = 2\n[descriptor]\n05\n'), /^dev\.txt:2: \[device\] vendor_id = `APC`: expected hex/);
  assert.match(errorOf(`${MINIMAL}[feature_reads]\nGET_FEATURE\n`), /^dev\.txt:8: GET_FEATURE without bytes/);
  assert.match(errorOf(`${MINIMAL}[feature_reads]\nSET_FEATURE 15 14 00\n`), /^dev\.txt:8: `SET_FEATURE` in \[feature_reads\]: expected `GET_FEATURE <hex bytes>`/);
});

test('unknown sections and keys are refused with what is accepted', () => {
  const m = errorOf(`${MINIMAL}[values]\n`);
  assert.match(m, /^dev\.txt:7: unknown section \[values\]; accepted: \[device\], \[descriptor\], \[parsed\], \[feature_reads\], \[interrupt_in\], \[decoded\], \[upsc\]$/);
  assert.match(errorOf('[device]\nvid = 051d\n'), /^dev\.txt:2: unknown \[device\] key `vid`; accepted: vendor_id, product_id/);
  assert.match(errorOf(`${MINIMAL}[descriptor]\n05\n`), /^dev\.txt:7: \[descriptor\] again \(first at line 5\)/);
  assert.match(errorOf('05 84\n'), /^dev\.txt:1: `05 84` before any section/);
  assert.match(errorOf(`${MINIMAL}[upsc\n`), /^dev\.txt:7: `\[upsc`: a section header needs its closing `\]`/);
  assert.match(errorOf(`${MINIMAL}[upsc]\nnot a variable\n`), /^dev\.txt:8: `not a variable` in \[upsc\]: expected `name: value`/);
});

test('a missing or empty descriptor, a missing device or vendor id are refused', () => {
  assert.match(errorOf('[device]\nvendor_id = 051d\nproduct_id = 0002\n'), /^dev\.txt:4: the recording has no \[descriptor\] section/);
  assert.match(errorOf('[device]\nvendor_id = 051d\nproduct_id = 0002\n[descriptor]\n# none\n'), /^dev\.txt:4: \[descriptor\] holds no bytes/);
  assert.match(errorOf('[descriptor]\n05 84\n'), /^dev\.txt:3: the recording has no \[device\] section/);
  assert.match(errorOf('[device]\nproduct_id = 0002\n[descriptor]\n05 84\n'), /^dev\.txt:1: \[device\] has no vendor_id/);
});

test('loadRecording: a missing file and an oversized one are refused with the file named', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hidrec-'));
  try {
    await loadRecording(join(dir, 'none.txt')).then(
      () => assert.unreachable(),
      (e: Error) => assert.match(e.message, /none\.txt: cannot read the HID recording: no such file$/),
    );
    const big = join(dir, 'big.txt');
    writeFileSync(big, Buffer.alloc(4 * 1024 * 1024 + 1, 0x23));
    await loadRecording(big).then(
      () => assert.unreachable(),
      (e: Error) => assert.match(e.message, /big\.txt: cannot read the HID recording: it is larger than/),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
