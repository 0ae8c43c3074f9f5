import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseCmdvartab } from '../../../src/conf/cmdvartab.js';
import { assertError, confError } from './helpers.js';
import { ConfError } from '../../../src/conf/errors.js';
import { soup } from './helpers.js';

const parse = (s: string) => parseCmdvartab(s, 'cmdvartab');

test('VARDESC and CMDDESC lines give variable and command descriptions', () => {
  const d = parse('# descriptions\nVARDESC ups.status "UPS status"\nCMDDESC load.off "Turn off the load immediately"\n');
  assert.is(d.variable('ups.status'), 'UPS status');
  assert.is(d.command('load.off'), 'Turn off the load immediately');
  assert.is(d.variable('load.off'), undefined);
  assert.is(d.command('ups.status'), undefined);
});

test('names match without regard to case', () => {
  const d = parse('VARDESC Battery.Charge "Battery charge (percent of full)"\n');
  assert.is(d.variable('battery.charge'), 'Battery charge (percent of full)');
  assert.is(d.variable('BATTERY.CHARGE'), 'Battery charge (percent of full)');
});

test('a later line for the same name replaces the earlier one, whatever its case', () => {
  const d = parse('VARDESC ups.load "first"\nVARDESC UPS.LOAD "second"\n');
  assert.is(d.variable('ups.load'), 'second');
});

test('other lines are ignored; keywords are case-sensitive', () => {
  const d = parse('FOO bar "baz"\nvardesc ups.load "lower-case keyword"\nVARDESC ups.mfr "Maker"\n');
  assert.is(d.variable('ups.load'), undefined);
  assert.is(d.variable('ups.mfr'), 'Maker');
});

test('an empty file has no descriptions', () => {
  assert.is(parse('').variable('ups.status'), undefined);
});

test('a VARDESC with the description unquoted is an error', () => {
  assertError(confError(() => parse('VARDESC ups.load Load on UPS\n')), 'cmdvartab:1:23', 'first three words', 'quote the description');
  assertError(confError(() => parse('\nCMDDESC load.off\n')), 'cmdvartab:2:1', 'skips this line');
});

test('names like __proto__ are plain keys', () => {
  const d = parse('VARDESC __proto__ "odd"\n');
  assert.is(d.variable('__proto__'), 'odd');
  assert.is(d.variable('constructor'), undefined);
});

test('config soup never crashes: each input reads or fails with a ConfError', () => {
  const lines = ['VARDESC ups.status "Status"', 'CMDDESC load.off "Off"', 'VARDESC x'];
  for (const text of soup(2000, 17, lines)) {
    try {
      parse(text);
    } catch (e) {
      assert.instance(e, ConfError);
    }
  }
});

test.run();
