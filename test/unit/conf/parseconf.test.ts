import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Tokenizer, encodeWord, pconfEncode, tokenize } from '../../../src/conf/parseconf.js';

/** The words of each logical line. */
const words = (s: string | Uint8Array) => tokenize(s).map((l) => l.words.map((w) => w.text));
/** [text, line, column] of every word. */
const placed = (s: string) => tokenize(s).flatMap((l) => l.words.map((w) => [w.text, w.line, w.column]));

test('words split on spaces, tabs and the other C isspace bytes', () => {
  assert.equal(words('a b\tc\vd\fe  f\n'), [['a', 'b', 'c', 'd', 'e', 'f']]);
});

test('each newline ends a line; blank lines produce nothing', () => {
  assert.equal(words('a\n\n   \nb c\n'), [['a'], ['b', 'c']]);
});

test('CR is whitespace, so CRLF files read like LF files', () => {
  assert.equal(words('driver = dummy-ups\r\nport = x.dev\r\n'), [
    ['driver', '=', 'dummy-ups'],
    ['port', '=', 'x.dev'],
  ]);
});

test('= is a word of its own wherever it appears unquoted', () => {
  assert.equal(words('a=b\n'), [['a', '=', 'b']]);
  assert.equal(words('a =b\n'), [['a', '=', 'b']]);
  assert.equal(words('a= b\n'), [['a', '=', 'b']]);
  assert.equal(words('password = 123=123\n'), [['password', '=', '123', '=', '123']]);
  assert.equal(words('==\n'), [['=', '=']]);
});

test('a quoted or escaped = stays inside its word', () => {
  assert.equal(words('"a=b" a\\=b\n'), [['a=b', 'a=b']]);
});

test('quotes group a word with its spaces', () => {
  assert.equal(words('desc = "My UPS"\n'), [['desc', '=', 'My UPS']]);
});

test('a quote only groups when it starts the word', () => {
  assert.equal(words('ab"c d"\n'), [['ab"c', 'd"']]);
  assert.equal(words('ab"c"\n'), [['ab"c"']]);
});

test('a closing quote ends the word, so "ab"cd is two words', () => {
  assert.equal(words('"ab"cd\n'), [['ab', 'cd']]);
});

test('"" is an empty word', () => {
  assert.equal(words('desc = ""\n'), [['desc', '=', '']]);
});

test('backslash makes the next byte literal outside quotes', () => {
  assert.equal(words('a\\ b \\"c \\\\ \\#d\n'), [['a b', '"c', '\\', '#d']]);
});

test('backslash makes the next byte literal inside quotes', () => {
  assert.equal(words('"a \\"b\\" \\\\ \\# c"\n'), [['a "b" \\ # c']]);
});

test('# outside quotes starts a comment, even in the middle of a word', () => {
  assert.equal(words('# whole line\na b # rest\nmy#1ups\n'), [['a', 'b'], ['my']]);
});

test('# inside quotes is a parse error, and the rest of the line is read as a new line', () => {
  const lines = tokenize('x "a#b" c\ny\n');
  assert.is(lines.length, 3);
  assert.equal(lines[0]?.error, { message: 'Unbalanced word due to unescaped # in quotes', line: 1, column: 5 });
  assert.equal(lines[0]?.words.map((w) => w.text), ['x', 'a']);
  assert.equal(lines[1]?.words.map((w) => w.text), ['b"', 'c']);
  assert.is(lines[1]?.error, undefined);
  assert.equal(lines[2]?.words.map((w) => w.text), ['y']);
});

test('a trailing backslash joins the next physical line', () => {
  assert.equal(words('a \\\nb\n'), [['a', 'b']]);
  assert.equal(words('ab\\\ncd\n'), [['abcd']]);
});

test('NUT quirk: a continuation line that starts with blanks yields an empty word', () => {
  assert.equal(words('x \\\n  y\n'), [['x', '', 'y']]);
});

test('an open quote continues onto the following lines, dropping the newlines', () => {
  assert.equal(words('desc = "My\nUPS" next\nz\n'), [['desc', '=', 'MyUPS', 'next'], ['z']]);
  assert.equal(words('"a\\\nb"\n'), [['ab']]);
});

test('only bytes 0x20..0x7F are stored; others vanish', () => {
  assert.equal(words(Uint8Array.from([0x61, 0x01, 0x62, 0xc3, 0xbc, 0x63, 0x0a])), [['abc']]);
  assert.equal(words(Uint8Array.from([0x22, 0x61, 0x09, 0x62, 0x22, 0x0a])), [['ab']]);
  assert.equal(words(Uint8Array.from([0x61, 0x7f, 0x0a])), [['a\x7f']]);
});

test('a dropped byte still starts a word: a lone NUL then a space is an empty word', () => {
  assert.equal(words(Uint8Array.from([0x00, 0x20, 0x61, 0x0a])), [['', 'a']]);
});

test('a string is read as bytes (latin1): non-ASCII characters vanish', () => {
  assert.equal(words('B\u00fcro\n'), [['Bro']]);
});

test('at most 32 words per line: extra words are dropped', () => {
  const line = Array.from({ length: 40 }, (_, i) => `w${i}`).join(' ');
  const got = words(`${line}\nnext\n`);
  assert.is(got[0]?.length, 32);
  assert.is(got[0]?.[31], 'w31');
  assert.equal(got[1], ['next']);
});

test('at most 512 bytes per word: extra bytes are dropped', () => {
  const got = words(`${'x'.repeat(600)} y\n`);
  assert.is(got[0]?.[0]?.length, 512);
  assert.is(got[0]?.[1], 'y');
});

test('the limits can be changed', () => {
  assert.equal(tokenize('a b c\n', { maxWords: 2 })[0]?.words.map((w) => w.text), ['a', 'b']);
  assert.equal(tokenize('abcdef\n', { maxWordLength: 3 })[0]?.words.map((w) => w.text), ['abc']);
});

test('a last line without newline still counts, even a lone word', () => {
  assert.equal(words('a b'), [['a', 'b']]);
  assert.equal(words('x\n[ups]'), [['x'], ['[ups]']]);
  assert.equal(words('"open quote at the end'), [['open quote at the end']]);
});

test('positions are 1-based line and byte column of the word start', () => {
  assert.equal(placed('a  bc\n\tdef = "q r"\n'), [
    ['a', 1, 1],
    ['bc', 1, 4],
    ['def', 2, 2],
    ['=', 2, 6],
    ['q r', 2, 8],
  ]);
});

test('positions count bytes, and a joined line keeps the physical line of each word', () => {
  assert.equal(placed('\u00e9 a \\\nb\n'), [
    ['', 1, 1],
    ['a', 1, 3],
    ['b', 1, 5],
  ]);
  assert.equal(placed('"x\ny" z\n'), [
    ['xy', 1, 1],
    ['z', 2, 4],
  ]);
});

test('the streaming Tokenizer reports line and error results byte by byte', () => {
  const t = new Tokenizer();
  const results = [...Buffer.from('A b\n')].map((b) => t.feed(b));
  assert.equal(results, ['more', 'more', 'more', 'line']);
  assert.equal(t.words.map((w) => w.text), ['A', 'b']);
  const e = new Tokenizer();
  const errs = [...Buffer.from('"#')].map((b) => e.feed(b));
  assert.equal(errs, ['more', 'error']);
  assert.is(e.errorMessage, 'Unbalanced word due to unescaped # in quotes');
});

test('Tokenizer.midLine tells a complete line from one still open', () => {
  const t = new Tokenizer();
  assert.is(t.midLine, false);
  t.feed(0x22); // "
  assert.is(t.midLine, true);
});

test('encodeWord leaves plain words alone and quotes the rest so they read back identical', () => {
  assert.is(encodeWord('dummy-ups'), 'dummy-ups');
  assert.is(encodeWord(''), '""');
  for (const value of ['My UPS', 'a=b', 'say "hi"', 'c:\\path', 'UPS #1', '', '  ', '=']) {
    const read = words(`key = ${encodeWord(value)}\n`);
    assert.equal(read, [['key', '=', value]], `round trip of ${JSON.stringify(value)}`);
  }
});

test('encodeWord refuses characters the grammar cannot carry', () => {
  assert.throws(() => encodeWord('B\u00fcro'), /printable ASCII/);
  assert.throws(() => encodeWord('a\nb'), /0x0a/);
  assert.throws(() => encodeWord('a\x7fb'), /0x7f/);
});

test('pconfEncode escapes backslash, quote and # for the wire', () => {
  assert.is(pconfEncode('a\\b"c#d e'), 'a\\\\b\\"c\\#d e');
});

test.run();
