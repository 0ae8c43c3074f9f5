/**
 * Composes upsmon's job from the monitor files: a source per MONITOR line (this gateway's own
 * Device when the line names a UPS it serves on a port it listens on, else a NUT client), the
 * notifier with its event log, channels and built-in upssched, and — in "last to go" mode — the
 * power cut through the command router. Lives in gateway/ because it is the one place that may
 * know both the NUT server's users and the monitor.
 */
import { readdir, readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { ConfError } from '../conf/errors.js';
import type { MonitorFiles } from '../conf/monitor-files.js';
import type { UpsSection } from '../conf/model.js';
import type { MonitorEntry, UpsmonConf } from '../conf/upsmon-model.js';
import type { Clock } from '../core/clock.js';
import type { CommandRouter } from '../core/command-router.js';
import type { DeviceTable } from '../core/device-table.js';
import type { Logger } from '../core/logger.js';
import { killpower, killpowerTargets } from '../monitor/killpower.js';
import { LocalSource } from '../monitor/local-source.js';
import { Monitor } from '../monitor/monitor.js';
import { monitorSettings } from '../monitor/monitor-settings.js';
import { Notifier } from '../monitor/notifier.js';
import { createChannels } from '../monitor/notify/channels.js';
import { NotificationDispatcher } from '../monitor/notify/dispatcher.js';
import { EventLog } from '../monitor/notify/event-log.js';
import { clearStalePowerdownFlag } from '../monitor/powerdown-flag.js';
import { RemoteSource, type RemoteTls } from '../monitor/remote-source.js';
import { describeResult, type ShellRunner } from '../monitor/shell.js';
import { Upssched } from '../monitor/upssched.js';
import type { UpsSource } from '../monitor/ups-source.js';
import { Session } from '../nut-server/session.js';
import type { UserDirectory } from '../nut-server/users.js';

export interface MonitorWorld {
  devices: DeviceTable;
  router: CommandRouter;
  users: UserDirectory;
  /** The ports this gateway's NUT server listens on. */
  listenPorts: readonly number[];
  sections: readonly UpsSection[];
  clock: Clock;
  log: Logger;
  shell: ShellRunner;
}

export interface MonitorSetup {
  monitor: Monitor;
  events: EventLog;
  dispatcher: NotificationDispatcher;
  /** The device name of a MONITOR system that is a UPS of this gateway (the MQTT bridge publishes events by device). */
  localUps(system: string): string | undefined;
  /** The devices this gateway's monitor watches (host events such as SHUTDOWN concern them all). */
  localNames(): string[];
  start(): Promise<void>;
  stop(): Promise<void>;
}

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '::1', 'localhost.localdomain']);

function isLocal(entry: MonitorEntry, listenPorts: readonly number[]): boolean {
  const host = entry.host.toLowerCase();
  return (LOCAL_HOSTS.has(host) || host === hostname().toLowerCase()) && listenPorts.includes(entry.port);
}

function at(entry: MonitorEntry, problem: string): ConfError {
  return new ConfError(entry.pos.file, entry.pos.line, entry.pos.column, `MONITOR ${entry.system}: ${problem}`);
}

/** The MONITOR credentials against upsd.users, as upsd would answer LOGIN and PRIMARY; a refusal stops start-up. */
function checkLocalCredentials(entry: MonitorEntry, users: UserDirectory): boolean {
  const session = new Session(0, '127.0.0.1');
  session.username = entry.username;
  session.password = entry.password;
  const login = users.checkAction(session, 'LOGIN');
  if (login === 'bad-credentials') {
    throw at(entry, `upsd.users has no user ${entry.username} with this password (upsd would answer LOGIN with ` +
      `ERR ACCESS-DENIED); write the user and password of an upsd.users entry with "upsmon ${entry.role}"`);
  }
  if (login === 'not-permitted') {
    throw at(entry, `user ${entry.username} may not LOGIN (ERR ACCESS-DENIED): give it "upsmon ${entry.role}" in upsd.users`);
  }
  if (entry.role !== 'primary') return false;
  const primary = users.checkAction(session, 'PRIMARY') === 'granted' || users.checkAction(session, 'MASTER') === 'granted';
  if (!primary) {
    throw at(entry, `user ${entry.username} has no primary rights (ERR ACCESS-DENIED to PRIMARY): write "upsmon primary" ` +
      'for it in upsd.users, or make this MONITOR line secondary');
  }
  return true;
}

/** CERTVERIFY needs CA certificates: with OpenSSL, CERTPATH is a folder of PEM files. */
async function remoteTls(conf: UpsmonConf, dir: string): Promise<RemoteTls> {
  const tls: RemoteTls = { mode: conf.forceSsl ? 'require' : 'try', verify: conf.certVerify };
  if (!conf.certVerify) return tls;
  const where = conf.positions.CERTVERIFY ?? { file: conf.file, line: 1, column: 1 };
  if (conf.certPath === undefined) {
    throw new ConfError(where.file, where.line, where.column, 'CERTVERIFY 1 needs CERTPATH: a folder of PEM CA certificates');
  }
  const folder = path.resolve(dir, conf.certPath);
  let pems: string[] = [];
  try {
    const names = (await readdir(folder)).filter((n) => /\.(pem|crt)$|\.[0-9]+$/.test(n)).sort();
    pems = await Promise.all(names.map((n) => readFile(path.join(folder, n), 'latin1')));
  } catch (e) {
    throw new ConfError(where.file, where.line, where.column, `CERTPATH ${folder}: cannot read it (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  const ca = pems.filter((p) => p.includes('-----BEGIN CERTIFICATE-----')).join('\n');
  if (ca === '') {
    throw new ConfError(where.file, where.line, where.column, `CERTPATH ${folder} holds no PEM certificate (*.pem, *.crt): ` +
      'upsgate reads OpenSSL-style CA folders; export the CA from an NSS database with "certutil -L -d sql:<dir> -n <name> -a > ca.pem"');
  }
  return { ...tls, ca };
}

export async function createMonitorSetup(files: MonitorFiles & { upsmon: UpsmonConf }, dir: string, world: MonitorWorld): Promise<MonitorSetup> {
  const { upsmon, settings } = files;
  const { clock, log } = world;
  const monitorLog = log.child('monitor');
  const tls = await remoteTls(upsmon, dir);

  const entries: Array<{ entry: MonitorEntry; source: UpsSource }> = upsmon.monitors.map((entry) => {
    if (!isLocal(entry, world.listenPorts)) {
      return { entry, source: new RemoteSource(entry, tls, { clock, log: monitorLog }) };
    }
    const device = world.devices.get(entry.upsName);
    if (!device) {
      const served = world.devices.list().map((d) => d.name).join(', ') || 'none';
      throw at(entry, `this gateway serves no UPS named ${entry.upsName} on port ${entry.port} (it serves: ${served})`);
    }
    return { entry, source: new LocalSource(entry, device, checkLocalCredentials(entry, world.users)) };
  });

  const policy = settings.shutdown;
  let cutPower: (() => Promise<void>) | undefined;
  if (policy.lastToGo) {
    if (!entries.some(({ entry, source }) => entry.role === 'primary' && source instanceof LocalSource)) {
      throw new ConfError(settings.file ?? 'upsgate.json', 1, 1, 'shutdown.lastToGo needs upsmon.conf to MONITOR a UPS of this ' +
        'gateway as primary (the gateway cuts that UPS\'s power itself)');
    }
    const targets = killpowerTargets(world.sections, world.devices);
    cutPower = async () => {
      const results = await killpower(targets, world.router, monitorLog);
      const refused = results.filter((r) => r.accepted === undefined).map((r) => r.ups);
      if (refused.length > 0) throw new Error(`UPS ${refused.join(', ')} did not take a shutdown command`);
    };
  }

  const events = new EventLog(clock, undefined, monitorLog);
  const dispatcher = new NotificationDispatcher(createChannels(settings.notify), { clock, log: log.child('notify') });
  events.on('event', (e) => dispatcher.notify(e));
  const upssched = files.upssched
    ? new Upssched(files.upssched, {
        clock,
        log: log.child('upssched'),
        runScript: (commandLine, env) =>
          void world.shell(commandLine, env).then((r) => {
            if (r.code !== 0) log.error(`upssched: CMDSCRIPT ${commandLine} failed: ${describeResult(r)}`);
          }),
      })
    : undefined;
  const notifier = new Notifier(upsmon, {
    log: monitorLog,
    shell: world.shell,
    sinks: [(type, ups, message) => void events.append({ type, ups, message })],
    ...(upssched ? { upssched } : {}),
  });
  const flag = upsmon.powerDownFlag === undefined ? undefined : path.resolve(dir, upsmon.powerDownFlag);
  const monitor = new Monitor(entries, monitorSettings(upsmon, policy, flag), {
    clock, log: monitorLog, notifier, shell: world.shell, ...(cutPower ? { cutPower } : {}),
  });
  const local = new Map<string, string>();
  for (const { entry, source } of entries) if (source instanceof LocalSource) local.set(entry.system, world.devices.get(entry.upsName)!.name);
  return {
    monitor, events, dispatcher,
    localUps: (system) => local.get(system),
    localNames: () => [...new Set(local.values())],
    async start() {
      if (flag !== undefined) {
        if ((await clearStalePowerdownFlag(flag)) === 'removed') monitorLog.info(`removed the POWERDOWNFLAG ${flag} left from the last shutdown`);
      }
      monitor.start();
    },
    async stop() {
      await monitor.stop();
      upssched?.stop();
      dispatcher.stop();
    },
  };
}
