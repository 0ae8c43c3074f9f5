// The gateway under Type=notify, as systemd runs it: the real `systemd-notify` CLI sends to a
// stand-in for PID 1's socket. READY=1 must come only when the NUT and web listeners accept,
// WATCHDOG=1 must keep coming at half of WATCHDOG_USEC, a SIGHUP reload is RELOADING=1 then
// READY=1, and SIGTERM is STOPPING=1 before a clean exit.
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Daemon, NutConfDir } from '../helpers/nut-sandbox.js';
import { NotifySocket } from '../helpers/notify-socket.js';
import { freePort } from '../helpers/ports.js';
import { UPSGATE_ENTRY } from '../helpers/upsgate-process.js';
import { waitUntil } from '../helpers/wait.js';
import { failure } from '../helpers/fail.js';
import { existsSync } from 'node:fs';

const test = suite('systemd notify: READY after every listener, WATCHDOG, RELOADING, STOPPING');

let socket: NotifySocket | undefined;
let gw: Daemon | undefined;

test.before(() => {
  if (!existsSync('/usr/bin/systemd-notify')) throw failure('systemd-notify is missing: apt-get install systemd');
});

test.after.each(async () => {
  await gw?.stop();
  await socket?.close();
  gw = undefined;
  socket = undefined;
});

/** Resolves true when something accepts a TCP connection on the port right now. */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port }, () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

test('READY once NUT and the web UI accept; pings; SIGHUP reload; SIGTERM stops', async () => {
  socket = await NotifySocket.create();
  const port = await freePort();
  const httpPort = await freePort();
  const conf = await NutConfDir.create({
    port,
    listen: ['127.0.0.1'],
    files: { 'ups.conf': '[ups]\n\tdriver = dummy-ups\n\tport = a.dev\n', 'a.dev': 'ups.status: OL\nbattery.charge: 100\n' },
  });
  // The probes run the moment READY arrives: a READY sent before the listeners were bound fails them.
  const atReady: Promise<[boolean, boolean]>[] = [];
  socket.onMessage((m) => {
    if (m.fields.READY === '1' && atReady.length === 0) atReady.push(Promise.all([accepts(port), accepts(httpPort)]));
  });
  const child = spawn(process.execPath, [UPSGATE_ENTRY, 'run', '--nut-conf', conf.dir, '--http', `127.0.0.1:${httpPort}`], {
    cwd: conf.dir,
    env: { ...process.env, NOTIFY_SOCKET: socket.path, WATCHDOG_USEC: '1000000', STATE_DIRECTORY: conf.dir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  gw = new Daemon('upsgate', child);
  await socket.waitFor('READY', '1').catch((e: Error) => {
    throw new Error(`${e.message}\n${gw!.log}`);
  });
  assert.equal(await atReady[0], [true, true], 'both listeners accepted the moment READY arrived');
  const ready = socket.with('READY')[0]!;
  assert.is(ready.fields.STATUS, 'serving 1 UPS(es)');
  if (process.getuid?.() === 0) assert.is(ready.pid, child.pid, 'as root the CLI sends with the gateway\'s PID');

  await socket.waitFor('WATCHDOG', '1', 3, 5000);
  const pings = socket.with('WATCHDOG').map((m) => m.at);
  const gaps = pings.slice(1).map((t, i) => t - pings[i]!);
  assert.ok(gaps.every((g) => g > 300 && g < 1000), `pings every ~500 ms (half of WATCHDOG_USEC): ${gaps.map((g) => g.toFixed(0)).join(', ')} ms`);

  process.kill(child.pid!, 'SIGHUP');
  await socket.waitFor('READY', '1', 2);
  const fields = socket.messages.map((m) => Object.keys(m.fields).filter((k) => k !== 'WATCHDOG' && k !== 'BARRIER').join('+')).filter(Boolean);
  assert.equal(fields.slice(0, 3), ['READY+STATUS', 'RELOADING+STATUS', 'READY+STATUS'], JSON.stringify(fields));

  const stopped = gw.stop(10_000);
  await socket.waitFor('STOPPING', '1');
  const end = await stopped;
  assert.is(end.code, 0, gw.log);
  assert.not.ok(end.killed);
});

test('no $NOTIFY_SOCKET: nothing is sent and nothing is logged about systemd', async () => {
  socket = await NotifySocket.create();
  const port = await freePort();
  const conf = await NutConfDir.create({ port, listen: ['127.0.0.1'], files: { 'ups.conf': '[ups]\n\tdriver = dummy-ups\n\tport = a.dev\n', 'a.dev': 'ups.status: OL\n' } });
  const env = { ...process.env };
  delete env.NOTIFY_SOCKET;
  gw = Daemon.spawn('upsgate', process.execPath, [UPSGATE_ENTRY, 'run', '--nut-conf', conf.dir], { ...env, WATCHDOG_USEC: '1000000' }, conf.dir);
  await waitUntil('upsgate to serve', () => gw!.log.includes('serving 1 UPS(es)'), 10_000, () => gw!.log);
  await new Promise((r) => setTimeout(r, 1200));
  assert.equal(socket.messages, []);
  assert.not.match(gw.log, /systemd/);
});

test.run();
