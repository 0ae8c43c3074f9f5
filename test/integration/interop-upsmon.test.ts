// Debian's real upsmon 2.8.0 as a SECONDARY of upsgate (MONITOR … secondary), with a SHUTDOWNCMD
// that only writes a marker file. Proves: it logs in (LIST CLIENT shows it, NUMLOGINS 1); when a
// primary sets FSD, it runs SHUTDOWNCMD and disconnects (NUMLOGINS 0); when the UPS goes OB and
// then OB+LB without FSD, it gives up on the primary after HOSTSYNC seconds and shuts down — and
// not before (NUT's rule: a secondary waits HOSTSYNC for the primary's FSD).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { failure } from '../helpers/fail.js';
import { ask, LineClient } from '../helpers/line-client.js';
import { Daemon, requirePeers, sleep, spawnUpsmon } from '../helpers/nut-sandbox.js';
import { startTargetOnly } from '../helpers/targets.js';
import { setUp } from '../helpers/suite-setup.js';

const HOSTSYNC = 4;

const mon = suite('interop: upsmon secondary');

const need = setUp(
  mon,
  async () => {
    requirePeers('upsmon');
    return startTargetOnly({ fixture: 'nut-conf' });
  },
  (server) => server.stop(),
);


interface Upsmon {
  dir: string;
  daemon: Daemon;
  marker: string;
  flag: string;
  notifications(): Promise<string>;
  stop(): Promise<void>;
}

async function startUpsmon(ups: string, port: number): Promise<Upsmon> {
  const dir = await mkdtemp(join(tmpdir(), 'upsgate-upsmon-'));
  const marker = join(dir, 'shutdown-ran');
  const flag = join(dir, 'killpower');
  const notifyLog = join(dir, 'notify.log');
  await writeFile(join(dir, 'shutdown.sh'), `#!/bin/sh\necho shutdown >> ${marker}\n`);
  await writeFile(join(dir, 'notify.sh'), `#!/bin/sh\necho "$NOTIFYTYPE $UPSNAME $*" >> ${notifyLog}\n`);
  await chmod(join(dir, 'shutdown.sh'), 0o755);
  await chmod(join(dir, 'notify.sh'), 0o755);
  const types = ['ONLINE', 'ONBATT', 'LOWBATT', 'FSD', 'COMMOK', 'COMMBAD', 'SHUTDOWN', 'REPLBATT', 'NOCOMM', 'NOPARENT'];
  const conf = [
    `MONITOR ${ups}@127.0.0.1:${port} 1 mons ms secondary`,
    'MINSUPPLIES 1',
    `SHUTDOWNCMD "${join(dir, 'shutdown.sh')}"`,
    `POWERDOWNFLAG ${flag}`,
    `NOTIFYCMD ${join(dir, 'notify.sh')}`,
    'POLLFREQ 1',
    'POLLFREQALERT 1',
    'DEADTIME 3',
    `HOSTSYNC ${HOSTSYNC}`,
    'FINALDELAY 0',
    // EXEC only: no wall(1) broadcasts, no syslog noise
    ...types.map((t) => `NOTIFYFLAG ${t} EXEC`),
    '',
  ].join('\n');
  await writeFile(join(dir, 'upsmon.conf'), conf, { mode: 0o600 });
  const daemon = spawnUpsmon(dir);
  return {
    dir,
    daemon,
    marker,
    flag,
    notifications: async () => (existsSync(notifyLog) ? readFile(notifyLog, 'latin1') : ''),
    stop: async () => {
      await daemon.stop(3000);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function until<T>(what: string, probe: () => Promise<T>, ok: (v: T) => boolean, timeoutMs: number, log: () => string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let v = await probe();
  while (!ok(v)) {
    if (Date.now() > deadline) throw failure(`timed out after ${timeoutMs} ms waiting for ${what}; last: ${JSON.stringify(v)}\n${log()}`);
    await sleep(100);
    v = await probe();
  }
  return v;
}

const numlogins = async (port: number, ups: string): Promise<string> => (await ask(port, [`GET NUMLOGINS ${ups}`]))[0]!;

mon('upsmon secondary logs in, obeys FSD from the primary: SHUTDOWNCMD, then it disconnects', async () => {
  const s = need();
  const m = await startUpsmon('fsdups', s.port);
  const logs = (): string => `--- upsmon ---\n${m.daemon.log}\n--- server ---\n${s.logs()}`;
  try {
    await until('NUMLOGINS fsdups 1', () => numlogins(s.port, 'fsdups'), (r) => r === 'NUMLOGINS fsdups 1', 10000, logs);
    const [clients] = await ask(s.port, ['LIST CLIENT fsdups']);
    assert.is(clients, 'BEGIN LIST CLIENT fsdups\nCLIENT fsdups 127.0.0.1\nEND LIST CLIENT fsdups');
    await sleep(1500); // a few polls: still running, no shutdown yet
    assert.ok(m.daemon.running, logs());
    assert.not.ok(existsSync(m.marker), 'SHUTDOWNCMD ran before FSD');

    // The primary: PRIMARY, then FSD (no LOGIN, so NUMLOGINS counts upsmon only).
    const primary = await ask(s.port, ['USERNAME monp', 'PASSWORD mp', 'PRIMARY fsdups', 'FSD fsdups']);
    assert.equal(primary, ['OK', 'OK', 'OK PRIMARY-GRANTED', 'OK FSD-SET']);

    await until('the SHUTDOWNCMD marker', async () => existsSync(m.marker), Boolean, 10000, logs);
    await until('NUMLOGINS fsdups 0', () => numlogins(s.port, 'fsdups'), (r) => r === 'NUMLOGINS fsdups 0', 10000, logs);
    const [after] = await ask(s.port, ['LIST CLIENT fsdups']);
    assert.is(after, 'BEGIN LIST CLIENT fsdups\nEND LIST CLIENT fsdups');
    const notes = await m.notifications();
    assert.match(notes, new RegExp(`^FSD fsdups@127\\.0\\.0\\.1:${s.port} `, 'm'));
    assert.match(notes, /^SHUTDOWN /m);
    assert.is(await readFile(m.flag, 'latin1'), 'upsmon-shutdown-file');
    const exit = await Promise.race([m.daemon.exited, sleep(5000).then(() => undefined)]);
    assert.ok(exit !== undefined, `upsmon did not exit after its shutdown\n${logs()}`);
  } finally {
    await m.stop();
  }
});

mon(`upsmon secondary: OB, then OB+LB without FSD -> shutdown after HOSTSYNC (${HOSTSYNC} s), not before`, async () => {
  const s = need();
  const m = await startUpsmon('NoDesc', s.port);
  const logs = (): string => `--- upsmon ---\n${m.daemon.log}\n--- server ---\n${s.logs()}`;
  const admin = await LineClient.connect(s.port);
  try {
    await until('NUMLOGINS NoDesc 1', () => numlogins(s.port, 'NoDesc'), (r) => r === 'NUMLOGINS NoDesc 1', 10000, logs);
    for (const [line, want] of [
      ['USERNAME admin', 'OK'],
      ['PASSWORD adminpass', 'OK'],
      ['SET VAR NoDesc ups.status "OB DISCHRG"', 'OK'],
    ] as const) {
      assert.is(await admin.request(line), want, line);
    }
    await until('ONBATT notification', () => m.notifications(), (n) => /^ONBATT /m.test(n), 10000, logs);
    assert.not.ok(existsSync(m.marker), 'on battery alone must not shut down');

    const t0 = Date.now();
    assert.is(await admin.request('SET VAR NoDesc ups.status "OB LB DISCHRG"'), 'OK');
    await until('the SHUTDOWNCMD marker', async () => existsSync(m.marker), Boolean, (HOSTSYNC + 10) * 1000, logs);
    const waited = (Date.now() - t0) / 1000;
    // upsmon: critical once (now - last non-critical poll) > HOSTSYNC, in whole seconds, polled
    // every POLLFREQALERT (1 s): between HOSTSYNC-1 and HOSTSYNC+~3 s after LB appeared.
    assert.ok(waited >= HOSTSYNC - 1, `shut down after ${waited} s, before HOSTSYNC ${HOSTSYNC} s\n${logs()}`);
    assert.ok(waited <= HOSTSYNC + 6, `shut down only after ${waited} s (HOSTSYNC ${HOSTSYNC} s)\n${logs()}`);
    const notes = await m.notifications();
    assert.match(notes, /^LOWBATT /m);
    assert.match(notes, /^SHUTDOWN /m);
    assert.not.match(notes, /^FSD /m);
    assert.match(m.daemon.log, /Giving up on the primary/);
    await until('NUMLOGINS NoDesc 0', () => numlogins(s.port, 'NoDesc'), (r) => r === 'NUMLOGINS NoDesc 0', 10000, logs);
    // A secondary never sends FSD: the server's latch stays off.
    assert.is(await admin.request('GET VAR NoDesc ups.status'), 'VAR NoDesc ups.status "OB LB DISCHRG"');
  } finally {
    await admin.close();
    await m.stop();
  }
});

mon.run();
