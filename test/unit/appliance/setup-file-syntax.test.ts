import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseSetupFile, SetupError } from '../../../src/appliance/setup-file.js';

const F = 'upsgate-setup.json';
const message = (text: string): string => {
  try {
    parseSetupFile(text, F);
  } catch (e) {
    assert.instance(e, SetupError);
    return (e as Error).message;
  }
  assert.unreachable(`expected ${text} to be refused`);
  return '';
};

test('comments, trailing commas, a BOM and CRLF line ends are what a PC editor writes', () => {
  const text = '\uFEFF// settings\r\n{\r\n  "hostname": "x-y", /* block */\r\n  "ssh": { "authorizedKeys": [], },\r\n}\r\n';
  assert.equal(parseSetupFile(text, F), { hostname: 'x-y' });
});

test('a syntax error names the line and column as written, and never quotes the text', () => {
  const m = message('{\n  // c\n  "webPassword": "secret-passphrase"\n  "hostname": "a"\n}');
  assert.match(m, /^upsgate-setup.json: line 4, column 3: not valid JSON/);
  assert.not.match(m, /secret-passphrase/);
});

test('an unclosed block comment is named', () => {
  assert.match(message('{ /* open\n}'), /line 1, column 3: not valid JSON: a comment that is never closed/);
});

test('a comment marker inside a string with an escaped quote stays', () => {
  assert.match(message('{"hostname": "q\\" /* x */"}'), /hostname: "q" \/\* x \*\/" is not a host name/);
});

test.run();
