import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ConfError } from '../../../src/conf/errors.js';
import { parseBoolean, parseInteger, readConfLines } from '../../../src/conf/conf-lines.js';
import { assertError, confError } from './helpers.js';

const read = (s: string | Uint8Array) => readConfLines(s, 'f.conf').map((l) => l.map((w) => w.text));
const fail = (s: string | Uint8Array) => confError(() => readConfLines(s, 'f.conf'));

test('well-formed lines come through as words', () => {
  assert.equal(read('# comment\nkey = "a b"\n\nflag\n'), [['key', '=', 'a b'], ['flag']]);
});

test('a UTF-8 byte order mark is ignored and columns stay as an editor shows them', () => {
  const lines = readConfLines('\ufeff[ups]\n', 'f.conf');
  assert.is(lines[0]?.[0]?.text, '[ups]');
  assert.is(lines[0]?.[0]?.column, 4);
});

test('CRLF line ends are fine', () => {
  assert.equal(read('a = b\r\nc\r\n'), [['a', '=', 'b'], ['c']]);
});

test('non-ASCII in a comment is fine, in a word it is an error showing what NUT would read', () => {
  assert.equal(read('# B\u00fcro\nx\n'), [['x']]);
  assertError(fail('desc = "B\u00fcro"\n'), 'f.conf:1:8', '"B??ro"', 'NUT would read "Bro"', 'printable ASCII');
});

test('control bytes inside a word are an error; a lone NUL word too', () => {
  assertError(fail(Uint8Array.from([0x61, 0x01, 0x62, 0x0a])), 'f.conf:1:1', '"a?b"', '"ab"');
  assertError(fail(Uint8Array.from([0x78, 0x20, 0x00, 0x20, 0x79, 0x0a])), 'f.conf:1:3', '"?"');
});

test('a DEL character in a word is an error', () => {
  assertError(fail('a = "x\x7fy"\n'), 'f.conf:1:5', 'DEL');
});

test('# inside quotes is an error at the # that says to write \\#', () => {
  assertError(fail('desc = "Crash \\"Dummy\\" #1"\n'), 'f.conf:1:25', 'Unbalanced word', '\\#');
});

test('a quote left open at the end of its line is an error at the quote', () => {
  assertError(fail('desc = "My UPS\n[other]\n"\n'), 'f.conf:1:8', 'still open at the end of line 1', 'from line 2');
  assertError(fail('x\ndesc = "never closed'), 'f.conf:2:8', 'never closed');
});

test('a value continued on purpose with \\ inside quotes is accepted', () => {
  assert.equal(read('desc = "long \\\nvalue"\n'), [['desc', '=', 'long value']]);
});

test('the continuation quirk (\\ then an indented line) is an error at the empty word', () => {
  assertError(fail('port = \\\n  /dev/ttyS0\n'), 'f.conf:1:8', 'empty word', 'without blanks');
});

test('continuing onto an unindented line is fine', () => {
  assert.equal(read('port = \\\n/dev/ttyS0\n'), [['port', '=', '/dev/ttyS0']]);
});

test('a backslash before CR-LF does not continue the line: error that says so', () => {
  assertError(fail('port = \\\r\n/dev/ttyS0\r\n'), 'f.conf:1:8', 'CR-LF');
});

test('a word longer than 512 bytes is an error (NUT would cut it)', () => {
  assert.equal(read(`v = ${'x'.repeat(512)}\n`)[0]?.[2]?.length, 512);
  assertError(fail(`v = ${'x'.repeat(513)}\n`), 'f.conf:1:5', 'longer than 512 bytes');
});

test('more than 32 words on a line is an error at the 33rd', () => {
  const words = Array.from({ length: 33 }, (_, i) => `w${i}`);
  assert.is(read(`${words.slice(0, 32).join(' ')}\n`)[0]?.length, 32);
  const e = fail(`${words.join(' ')}\n`);
  assert.is(e.column, words.slice(0, 32).join(' ').length + 2);
  assert.ok(e.message.includes('more than 32 words'));
});

test('a string argument is read as UTF-8 and a byte argument as bytes', () => {
  assert.equal(read(Buffer.from('a = b\n')), [['a', '=', 'b']]);
  assert.ok(fail('x = \u0123\n') instanceof ConfError); // would be "#" if read as latin1
});

test('binary garbage never crashes: it reads or fails with a ConfError', () => {
  let seed = 42;
  const next = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff);
  for (let round = 0; round < 200; round++) {
    const bytes = Uint8Array.from({ length: 300 }, () => next() & 0xff);
    try {
      readConfLines(bytes, 'f.conf');
    } catch (e) {
      assert.instance(e, ConfError);
    }
  }
});

test('a 10 MB file reads in reasonable time', () => {
  const line = 'override.battery.charge.low = "30"  # comment\n';
  const text = line.repeat(Math.ceil((10 * 1024 * 1024) / line.length));
  const started = Date.now();
  const lines = readConfLines(text, 'big.conf');
  assert.is(lines.length, Math.ceil((10 * 1024 * 1024) / line.length));
  assert.ok(Date.now() - started < 20000);
});

test('parseInteger accepts whole numbers in range and names the range otherwise', () => {
  const word = (text: string) => ({ text, line: 3, column: 7 });
  const rule = { label: 'MAXAGE', min: 1, max: 10, unit: 'seconds' };
  assert.is(parseInteger('f', word('10'), rule), 10);
  assert.is(parseInteger('f', word('-1'), { label: 'x', min: -1, max: 1 }), -1);
  assertError(confError(() => parseInteger('f', word('15s'), rule)), 'f:3:7', '"15s" is not a whole number', 'from 1 to 10 seconds');
  assertError(confError(() => parseInteger('f', word('11'), rule)), 'f:3:7', 'out of range', 'from 1 to 10 seconds');
  assertError(confError(() => parseInteger('f', word('1e3'), rule)), 'f:3:7', 'not a whole number');
  assertError(confError(() => parseInteger('f', word(''), rule)), 'f:3:7', 'not a whole number');
});

test('parseBoolean reads NUT booleans in any case', () => {
  for (const t of ['true', 'ON', 'Yes', '1']) assert.is(parseBoolean(t), true);
  for (const f of ['false', 'Off', 'NO', '0']) assert.is(parseBoolean(f), false);
  assert.is(parseBoolean('2'), undefined);
  assert.is(parseBoolean('enabled'), undefined);
});

test.run();
