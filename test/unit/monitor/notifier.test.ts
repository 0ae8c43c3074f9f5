// do_notify: NOTIFYMSG or the stock text, NOTIFYFLAG (defaults SYSLOG+WALL, IGNORE wins), EXEC
// with the message as one argument and NOTIFYTYPE/UPSNAME in the environment, the built-in
// upssched when NOTIFYCMD is upssched; every notification reaches the sinks (event log).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { NotifyType } from '../../../src/conf/notify-types.js';
import { createLogger } from '../../../src/core/logger.js';
import { Notifier, type NotifyConfig } from '../../../src/monitor/notifier.js';
import type { ShellResult } from '../../../src/monitor/shell.js';

const test = suite('monitor: notifier');

const FLAGS = (f: string) => ({ syslog: f.includes('S'), wall: f.includes('W'), exec: f.includes('E'), ignore: f.includes('I') });

function make(conf: Partial<NotifyConfig>, upssched?: string[]) {
  const shell: Array<{ command: string; env: Record<string, string> | undefined }> = [];
  const log: string[] = [];
  const sink: string[] = [];
  const notifier = new Notifier(
    { notifyCmd: undefined, notifyMessages: {}, notifyFlags: {}, ...conf },
    {
      log: createLogger('monitor', (level, _r, m) => log.push(`${level} ${m}`)),
      shell: async (command, env): Promise<ShellResult> => {
        shell.push({ command, env });
        return { code: 0, signal: undefined, output: '' };
      },
      sinks: [(type: NotifyType, ups, message) => sink.push(`${type}|${ups ?? ''}|${message}`)],
      ...(upssched ? { upssched: { handle: (type: NotifyType, ups: string) => void upssched.push(`${type} ${ups}`) } } : {}),
    },
  );
  return { notifier, shell, log, sink };
}

test('defaults: stock message, SYSLOG and WALL, no EXEC', () => {
  const n = make({});
  assert.is(n.notifier.notify('ONBATT', 'ups@nas'), 'UPS ups@nas on battery');
  assert.equal(n.log, ['warn notify ONBATT: UPS ups@nas on battery']);
  assert.is(n.shell.length, 1);
  assert.match(n.shell[0]!.command, /\| wall$/);
  assert.equal(n.sink, ['ONBATT|ups@nas|UPS ups@nas on battery']);
});

test('NOTIFYMSG, EXEC with NOTIFYTYPE/UPSNAME, a message with quotes kept as one argument', () => {
  const n = make({ notifyCmd: '/usr/local/bin/notify --x', notifyMessages: { LOWBATT: "UPS %s: it's low (100%%)" }, notifyFlags: { LOWBATT: FLAGS('E') } });
  n.notifier.notify('LOWBATT', 'ups@nas:3493');
  assert.equal(n.shell, [{ command: `/usr/local/bin/notify --x 'UPS ups@nas:3493: it'\\''s low (100%)'`, env: { NOTIFYTYPE: 'LOWBATT', UPSNAME: 'ups@nas:3493' } }]);
  assert.equal(n.log, []);
});

test('IGNORE: nothing is run or logged, but the event log still has it', () => {
  const n = make({ notifyCmd: '/bin/notify', notifyFlags: { ONLINE: FLAGS('I') } });
  n.notifier.notify('ONLINE', 'ups@nas');
  assert.equal(n.shell, []);
  assert.equal(n.log, []);
  assert.is(n.sink.length, 1);
});

test('NOTIFYCMD upssched goes to the built-in upssched; SHUTDOWN has an empty UPSNAME', () => {
  const calls: string[] = [];
  const n = make({ notifyCmd: '/sbin/upssched', notifyFlags: { ONBATT: FLAGS('SE'), SHUTDOWN: FLAGS('E') } }, calls);
  n.notifier.notify('ONBATT', 'ups@nas');
  n.notifier.notify('SHUTDOWN', undefined);
  assert.equal(calls, ['ONBATT ups@nas', 'SHUTDOWN ']);
  assert.equal(n.shell, []);
});

test('EXEC without NOTIFYCMD is a warning, and a failing NOTIFYCMD an error', async () => {
  const n = make({ notifyFlags: { FSD: FLAGS('E') } });
  n.notifier.notify('FSD', 'ups@nas');
  assert.equal(n.log, ['warn notify FSD: NOTIFYFLAG asks for EXEC but upsmon.conf has no NOTIFYCMD']);
  const log: string[] = [];
  const failing = new Notifier(
    { notifyCmd: '/bin/false', notifyMessages: {}, notifyFlags: { FSD: FLAGS('E') } },
    { log: createLogger('m', (l, _r, m) => log.push(`${l} ${m}`)), shell: async () => ({ code: 1, signal: undefined, output: '' }) },
  );
  failing.notify('FSD', 'ups@nas');
  await new Promise((r) => setImmediate(r));
  assert.equal(log, ['error NOTIFYCMD /bin/false for FSD failed: exit status 1']);
});

test.run();
