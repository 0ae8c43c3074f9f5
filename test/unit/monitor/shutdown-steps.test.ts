// The end of the shutdown sequence: POWERDOWNFLAG before SHUTDOWNCMD, the "last to go" power cut
// between them, a failing SHUTDOWNCMD reported as an error, a slow notification never waited for.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../../../src/core/logger.js';
import { Notifier } from '../../../src/monitor/notifier.js';
import { clearStalePowerdownFlag, powerdownFlagSet, writePowerdownFlag } from '../../../src/monitor/powerdown-flag.js';
import type { ShellResult } from '../../../src/monitor/shell.js';
import { ShutdownSequence } from '../../../src/monitor/shutdown-sequence.js';
import { FakeClock } from '../../helpers/fake-clock.js';

const test = suite('monitor: shutdown steps');

let dir = '';
test.before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'upsgate-steps-'));
});
test.after(async () => {
  await rm(dir, { recursive: true, force: true });
});

function sequence(opts: { shellCode?: number; cutPower?: () => Promise<void>; flag?: string }) {
  const clock = new FakeClock();
  const order: string[] = [];
  const log: string[] = [];
  const logger = createLogger('monitor', (level, _r, m) => log.push(`${level} ${m}`));
  const shell = async (command: string): Promise<ShellResult> => {
    if (command.includes('wall')) return { code: 0, signal: undefined, output: '' };
    order.push(`shell ${command} flag=${opts.flag !== undefined && existsSync(opts.flag)}`);
    return { code: opts.shellCode ?? 0, signal: undefined, output: opts.shellCode ? 'shutdown: permission denied' : '' };
  };
  const notifier = new Notifier({ notifyCmd: undefined, notifyMessages: {}, notifyFlags: {} }, { log: logger, shell, sinks: [(t) => order.push(`notify ${t}`)] });
  const seq = new ShutdownSequence(
    { hostSyncMs: 15000, finalDelayMs: 2000, shutdownCmd: 'halt', powerDownFlag: opts.flag, exitAfterMs: 0 },
    { clock, log: logger, notifier, shell, ...(opts.cutPower ? { cutPower: opts.cutPower } : {}) },
  );
  return { clock, order, log, seq };
}

test('secondary: SHUTDOWN, FINALDELAY, POWERDOWNFLAG (NUT magic), SHUTDOWNCMD', async () => {
  const flag = join(dir, 'killpower-a');
  const s = sequence({ flag });
  const done = s.seq.run('test', []);
  await s.clock.advance(1999);
  assert.equal(s.order, ['notify SHUTDOWN'], 'FINALDELAY not over yet');
  await s.clock.advance(1);
  await done;
  assert.equal(s.order, ['notify SHUTDOWN', 'shell halt flag=true']);
  assert.is(await readFile(flag, 'latin1'), 'upsmon-shutdown-file');
});

test('last to go: the UPS power is cut after the flag and before SHUTDOWNCMD halts the box', async () => {
  const flag = join(dir, 'killpower-b');
  let s: ReturnType<typeof sequence>;
  s = sequence({ flag, cutPower: async () => void s.order.push(`cut flag=${existsSync(flag)}`) });
  const done = s.seq.run('test', []);
  await s.clock.advance(2000);
  await done;
  assert.equal(s.order, ['notify SHUTDOWN', 'cut flag=true', 'shell halt flag=true']);
});

test('a failing power cut or SHUTDOWNCMD is an error in the log; the sequence still ends', async () => {
  const s = sequence({ shellCode: 1, cutPower: async () => Promise.reject(new Error('UPS ups did not take a shutdown command')) });
  const done = s.seq.run('test', []);
  await s.clock.advance(2000);
  await done;
  assert.ok(s.log.includes('error shutdown step 8: cutting the UPS load failed: UPS ups did not take a shutdown command'), s.log.join('\n'));
  assert.ok(s.log.includes('error shutdown step 6: Unable to call shutdown command: halt: exit status 1: shutdown: permission denied'), s.log.join('\n'));
});

test('a notification command that never ends does not delay SHUTDOWNCMD', async () => {
  const clock = new FakeClock();
  const ran: string[] = [];
  const shell = (command: string): Promise<ShellResult> => {
    ran.push(command);
    return command.startsWith('/usr/bin/notify') ? new Promise(() => {}) : Promise.resolve({ code: 0, signal: undefined, output: '' });
  };
  const logger = createLogger('m', () => {});
  const notifier = new Notifier({ notifyCmd: '/usr/bin/notify', notifyMessages: {}, notifyFlags: { SHUTDOWN: { syslog: false, wall: false, exec: true, ignore: false } } }, { log: logger, shell });
  const seq = new ShutdownSequence({ hostSyncMs: 1, finalDelayMs: 0, shutdownCmd: 'halt', powerDownFlag: undefined, exitAfterMs: 0 }, { clock, log: logger, notifier, shell });
  await seq.run('test', []);
  assert.equal(ran.filter((c) => !c.includes('| wall')), ["/usr/bin/notify 'Auto logout and shutdown proceeding'", 'halt']);
});

test('POWERDOWNFLAG helpers: upsmon -K semantics; only a flag with the magic is cleared at start', async () => {
  const flag = join(dir, 'killpower-c');
  assert.is(await clearStalePowerdownFlag(flag), 'absent');
  await writePowerdownFlag(flag);
  assert.ok(await powerdownFlagSet(flag));
  assert.is(await clearStalePowerdownFlag(flag), 'removed');
  assert.not.ok(existsSync(flag));
  await writeFile(flag, 'something else');
  assert.not.ok(await powerdownFlagSet(flag));
  assert.is(await clearStalePowerdownFlag(flag), 'foreign');
  assert.ok(existsSync(flag), 'not ours: left alone');
});

test.run();
