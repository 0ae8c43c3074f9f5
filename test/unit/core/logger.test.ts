import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { journaldSink, sinkForStderr, stderrSink } from '../../../src/core/logger.js';

const test = suite('logger: one line per event, syslog priorities for journald');

function captureStderr(fn: () => void): string {
  const original = process.stderr.write.bind(process.stderr);
  let out = '';
  process.stderr.write = ((chunk: string) => {
    out += chunk;
    return true;
  }) as typeof process.stderr.write;
  try {
    fn();
  } finally {
    process.stderr.write = original;
  }
  return out;
}

test('journald gets <priority> prefixes that journalctl -p filters on, and one entry per event', () => {
  const out = captureStderr(() => {
    journaldSink('error', 'driver ups', 'lost the UPS');
    journaldSink('warn', 'gateway', 'world readable');
    journaldSink('info', 'nut-server', 'listening');
    journaldSink('debug', 'led', 'pattern\nsecond line');
  });
  assert.is(out, '<3>error driver ups: lost the UPS\n<4>warn gateway: world readable\n<6>info nut-server: listening\n<7>debug led: pattern \u23ce second line\n');
});

test('the journald sink only when stderr is the very stream $JOURNAL_STREAM names', () => {
  assert.is(sinkForStderr({ JOURNAL_STREAM: '8:1234' }, () => '8:1234'), journaldSink);
  // A child of a service inherits the variable with stderr pointing elsewhere (a pipe, a file).
  assert.is(sinkForStderr({ JOURNAL_STREAM: '8:1234' }, () => '9:77'), stderrSink);
  assert.is(sinkForStderr({}, () => '8:1234'), stderrSink);
});

test.run();
