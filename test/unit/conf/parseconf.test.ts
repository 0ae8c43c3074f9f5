import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { tokenize } from '../../../src/conf/parseconf.js';

const words = (s: string) => tokenize(s).map((l) => l.words.map((w) => w.text));

test('splits words and keeps = as its own word', () => {
  assert.equal(words('a=b\n'), [['a', '=', 'b']]);
});

test.run();
