// Debian's real upsmon 2.8.0 in a folder of its own (and a mount namespace of its own, see
// spawnUpsmon), with a SHUTDOWNCMD that only appends a line to a shared markers file (who shut
// down, and when), and a NOTIFYCMD that logs every notification.
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requirePeers, spawnUpsmon, type Daemon } from './nut-sandbox.js';

export const NOTIFY_TYPES = ['ONLINE', 'ONBATT', 'LOWBATT', 'FSD', 'COMMOK', 'COMMBAD', 'SHUTDOWN', 'REPLBATT', 'NOCOMM', 'NOPARENT'];

export interface RealUpsmonOptions {
  /** A name for the markers file and logs: `nas1`. */
  name: string;
  /** `MONITOR <system> 1 <user> <password> <role>`. */
  monitor: string;
  /** Where SHUTDOWNCMD appends `<name> <epoch ns>`. */
  markers: string;
  /** Extra upsmon.conf lines (timers). */
  extra?: string[];
}

export interface RealUpsmon {
  name: string;
  dir: string;
  daemon: Daemon;
  notifications(): Promise<string>;
  stop(): Promise<void>;
}

/** The upsmon.conf lines both a real upsmon and upsgate's monitor read in these tests. */
export function monitorConf(o: { monitor: string; shutdownCmd: string; notifyCmd: string; extra?: string[] }): string {
  return [
    `MONITOR ${o.monitor}`,
    'MINSUPPLIES 1',
    `SHUTDOWNCMD "${o.shutdownCmd}"`,
    `NOTIFYCMD "${o.notifyCmd}"`,
    'POLLFREQ 1',
    'POLLFREQALERT 1',
    'DEADTIME 3',
    'HOSTSYNC 5',
    'FINALDELAY 1',
    ...NOTIFY_TYPES.map((t) => `NOTIFYFLAG ${t} EXEC`),
    ...(o.extra ?? []),
    '',
  ].join('\n');
}

/** Writes `<dir>/shutdown.sh` and `<dir>/notify.sh`; returns their paths and the notify log. */
export async function markerScripts(dir: string, name: string, markers: string): Promise<{ shutdown: string; notify: string; notifyLog: string }> {
  const shutdown = join(dir, 'shutdown.sh');
  const notify = join(dir, 'notify.sh');
  const notifyLog = join(dir, 'notify.log');
  await writeFile(shutdown, `#!/bin/sh\necho "${name} $(date +%s%N)" >> ${markers}\n`);
  await writeFile(notify, `#!/bin/sh\necho "$NOTIFYTYPE $UPSNAME $*" >> ${notifyLog}\n`);
  await chmod(shutdown, 0o755);
  await chmod(notify, 0o755);
  return { shutdown, notify, notifyLog };
}

export async function startRealUpsmon(o: RealUpsmonOptions): Promise<RealUpsmon> {
  requirePeers('upsmon');
  const dir = await mkdtemp(join(tmpdir(), `upsgate-upsmon-${o.name}-`));
  const s = await markerScripts(dir, o.name, o.markers);
  await writeFile(join(dir, 'upsmon.conf'), monitorConf({ monitor: o.monitor, shutdownCmd: s.shutdown, notifyCmd: s.notify, extra: o.extra }), { mode: 0o600 });
  const daemon = spawnUpsmon(dir, `upsmon ${o.name}`);
  return {
    name: o.name,
    dir,
    daemon,
    notifications: async () => (existsSync(s.notifyLog) ? readFile(s.notifyLog, 'latin1') : ''),
    stop: async () => {
      await daemon.stop(3000);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The markers file as `[name, epoch ns]` in the order written. */
export async function readMarkers(file: string): Promise<Array<[string, bigint]>> {
  if (!existsSync(file)) return [];
  const text = await readFile(file, 'latin1');
  return text.split('\n').filter(Boolean).map((l) => {
    const [name, ns] = l.split(' ') as [string, string];
    return [name, BigInt(ns)];
  });
}
