import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { JsoncError, parseJsonc } from '../../../src/appliance/jsonc.js';

test('comments, trailing commas, a BOM and CRLF line ends are what a PC editor writes', () => {
  const text = '\uFEFF// settings\r\n{\r\n  "a": "x // not a comment", /* block */\r\n  "b": [1, 2,],\r\n}\r\n';
  assert.equal(parseJsonc(text), { a: 'x // not a comment', b: [1, 2] });
});

test('a syntax error names the line and column as written, and never quotes the text', () => {
  try {
    parseJsonc('{\n  // c\n  "psk": "secret-passphrase"\n  "x": 1\n}');
    assert.unreachable();
  } catch (e) {
    assert.instance(e, JsoncError);
    const err = e as JsoncError;
    assert.equal(err.at?.line, 4);
    assert.not.match(err.message, /secret-passphrase/);
  }
});

test('an unclosed block comment is named', () => {
  assert.throws(() => parseJsonc('{ /* open\n}'), (e: Error) => /never closed/.test(e.message) && /line 1, column 3/.test(e.message));
});

test('a comment marker inside a string with an escaped quote stays', () => {
  assert.equal(parseJsonc('{"a": "q\\" /* x */"}'), { a: 'q" /* x */' });
});

test.run();
