import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseDefinition, type DefinitionLine } from '../../../src/drivers/dummy/definition-file.js';
import { Playback } from '../../../src/drivers/dummy/playback.js';
import { FakeClock } from '../../helpers/fake-clock.js';

const lines = (text: string) => parseDefinition(Buffer.from(text, 'latin1'));
const words = (text: string) => lines(text).map((l) => (l.error ? ['ERROR', ...l.words] : l.words));

test('lines in NUT\'s grammar: quotes, escapes, comments, = as a word', () => {
  assert.equal(words('a: "b c" d\\ e # x\nups.id:"q"\n\n  k = v\n'), [
    ['a:', 'b c', 'd e'],
    ['ups.id:"q"'],
    ['k', '=', 'v'],
  ]);
});

test('a # inside quotes: the line is an error, the rest of it is read as a new line', () => {
  assert.equal(words('v: "a # b" c: d\nnext: 1\n'), [['ERROR', 'v:', 'a '], ['b"', 'c:', 'd'], ['next:', '1']]);
});

test('no final newline: the last line counts only with a finished word in it (NUT loses a lone word)', () => {
  assert.equal(words('a: 1\nlone'), [['a:', '1']]);
  assert.equal(words('a: 1\nb: 2'), [['a:', '1'], ['b:', '2']]);
  assert.equal(words('a: 1\nb: "open quote'), [['a:', '1'], ['b:', 'open quote']]);
});

/** Plays `text` once per read and records what the sink got. */
function player(text: string) {
  const clock = new FakeClock();
  const got: string[] = [];
  const p = new Playback(async () => lines(text), clock, {
    status: (e) => got.push(`status=${JSON.stringify(e)}`),
    variable: (n, v) => got.push(`${n}=${v}`),
  });
  return { clock, got, p };
}

test('values: words joined by one space, cut to 127 characters', async () => {
  const long = 'w'.repeat(100);
  const { got, p } = player(`x: ${long}   ${long}\n`);
  await p.read('update');
  assert.equal(got, [`x=${`${long} ${long}`.slice(0, 127)}`]);
});

test('TIMER is any first word starting with TIMER; a negative or zero delay just ends the read', async () => {
  const { clock, got, p } = player('a: 1\nTIMERS: -5\nb: 2\nTIMER 0\nc: 3\n');
  await p.read('update');
  assert.equal(got, ['a=1']);
  assert.ok(p.midPass);
  await p.read('update');
  assert.equal(got, ['a=1', 'b=2']);
  await clock.advance(0);
  await p.read('update');
  assert.equal(got, ['a=1', 'b=2', 'c=3']);
  assert.not.ok(p.midPass, 'end of file: the pass is over');
});

test('status lines pass their words as elements; driver.* is skipped; the status line keeps the carried value', async () => {
  const { got, p } = player('x: kept\nups.status: OB "" LB\ndriver.name: z\ny:\n');
  await p.read('update');
  assert.equal(got, ['x=kept', 'status=["OB","","LB"]', 'y=kept']);
});

test('the start-up read and the update reads keep separate carried values', async () => {
  const { got, p } = player('a:\nb: v\n');
  await p.read('start');
  await p.read('update');
  await p.read('update');
  assert.equal(got, ['a=', 'b=v', 'a=', 'b=v', 'a=v', 'b=v']);
});

test('a file that fails to load mid-run rejects the read', async () => {
  const clock = new FakeClock();
  let n = 0;
  const load = async (): Promise<DefinitionLine[]> => {
    if (n++ > 0) throw new Error('gone');
    return lines('a: 1\n');
  };
  const p = new Playback(load, clock, { status: () => undefined, variable: () => undefined });
  await p.read('update');
  let failed = false;
  await p.read('update').catch(() => (failed = true));
  assert.ok(failed);
});

test.run();
