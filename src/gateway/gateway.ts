import path from 'node:path';
import { checkAccess } from '../conf/acl.js';
import type { MonitorFiles } from '../conf/monitor-files.js';
import type { NutFolder } from '../conf/nut-folder.js';
import type { MqttSettings } from '../conf/settings-model.js';
import { NotASmallFile, readSmallFile } from '../conf/small-file.js';
import type { UpsSection } from '../conf/model.js';
import type { Clock, Timer } from '../core/clock.js';
import { CommandRouter } from '../core/command-router.js';
import { Descriptions } from '../core/descriptions.js';
import { Device } from '../core/device.js';
import { DeviceTable } from '../core/device-table.js';
import type { Logger } from '../core/logger.js';
import { TrackingTable } from '../core/tracking.js';
import { createDriver } from '../drivers/registry.js';
import { killpower, killpowerTargets } from '../monitor/killpower.js';
import { runShell, type ShellRunner } from '../monitor/shell.js';
import type { ServerContext } from '../nut-server/context.js';
import { LoginGuard } from '../nut-server/login-guard.js';
import { DEFAULT_PORT, NutServer } from '../nut-server/server.js';
import { tlsFromPem, type TlsUpgrade } from '../nut-server/tls.js';
import { UserDirectory } from '../nut-server/users.js';
import { DriverSupervisor } from './driver-supervisor.js';
import type { MonitorSetup } from './monitor-setup.js';
import type { MqttSetup } from './mqtt-setup.js';
import type { UiSetup } from './ui-setup.js';
import type { UiListen } from '../ui/ui-server.js';
import { StartupError } from './startup-error.js';
import { NUT_VERSION, VERSION } from './version.js';

export interface GatewayDeps {
  clock: Clock;
  log: Logger;
  /** How SHUTDOWNCMD, NOTIFYCMD and CMDSCRIPT run (default: /bin/sh). */
  shell?: ShellRunner;
}

/**
 * The composition root: builds one Device per usable ups.conf section, a driver for each, the
 * command router and the NUT server over them, and runs them. Nothing below knows the others.
 */
export class Gateway {
  readonly devices = new DeviceTable();
  readonly router: CommandRouter;
  readonly server: NutServer;
  private readonly supervisors: DriverSupervisor[] = [];
  private freshness: Timer | undefined;
  /** upsmon's job, when the folder has upsmon.conf. */
  monitor: MonitorSetup | undefined;
  private readonly users: UserDirectory;
  private readonly sections: UpsSection[];
  /** The MQTT bridge's settings as given to create(); undefined = no bridge. */
  mqttSettings: MqttSettings | undefined;
  /** The running bridge (and embedded broker). */
  private mqtt: MqttSetup | undefined;
  /** Where upsgate.json is (relative TLS paths in it resolve against this folder). */
  private readonly settingsDir: string;
  /** Where the web UI listens; undefined = no web UI. */
  uiListen: UiListen | undefined;
  private ui: UiSetup | undefined;
  private readonly descriptions: Descriptions;

  private constructor(
    folder: NutFolder,
    private readonly deps: GatewayDeps,
    tls: TlsUpgrade | undefined,
  ) {
    const { clock, log } = deps;
    this.settingsDir = folder.dir;
    const tracking = new TrackingTable(clock, folder.upsd.trackingDelay * 1000);
    const onListenerError = (event: string, e: unknown) => log.error(`subscriber of ${event} failed: ${String(e)}`);
    this.router = new CommandRouter(tracking, onListenerError);

    this.sections = usableSections(folder, log);
    this.users = new UserDirectory(folder.users, folder.upsd.acls);
    for (const section of this.sections) {
      const device = new Device(section.name, clock, { description: section.desc, maxAgeSeconds: folder.upsd.maxAge }, onListenerError);
      this.devices.add(device);
      const driverLog = log.child(`driver ${section.name}`);
      const driver = createDriver({
        section,
        pollIntervalSeconds: section.pollinterval ?? folder.ups.pollinterval,
        confDir: folder.dir,
        upsConfGlobals: folder.ups.globals,
        device,
        clock,
        log: driverLog,
        giveUp: (reason) => this.driverGaveUp(reason),
      });
      this.supervisors.push(
        new DriverSupervisor(driver, device, section, {
          attempts: section.maxretry ?? folder.ups.maxretry,
          retryDelaySeconds: section.retrydelay ?? folder.ups.retrydelay,
          clock,
          log: driverLog,
        }),
      );
      watchAvailability(device, log);
    }

    const ctx: ServerContext = {
      devices: this.devices,
      router: this.router,
      tracking,
      descriptions: (this.descriptions = folder.descriptions ?? Descriptions.standard()),
      users: this.users,
      guard: new LoginGuard(clock),
      tlsAvailable: tls !== undefined,
      identity: {
        ver: `Network UPS Tools upsd ${NUT_VERSION} - http://www.networkupstools.org/ (upsgate ${VERSION})`,
        serverVersion: NUT_VERSION,
      },
      clock,
      log: log.child('nut-server'),
    };
    const upsd = folder.upsd;
    this.server = new NutServer(ctx, {
      listen: upsd.listen.map((l) => ({ host: l.host, port: l.port, origin: `${l.pos.file}:${l.pos.line}:${l.pos.column}` })),
      allowNotAllListeners: upsd.allowNotAllListeners,
      maxConn: upsd.maxConn,
      admit: upsd.access.length > 0 ? (address) => checkAccess(upsd, address) : undefined,
      tls,
    });
  }

  /**
   * Builds the gateway; refuses (with file:line:column) what a driver, CERTFILE or the monitor's
   * files will not take. With upsmon.conf among `monitorFiles`, the gateway also does upsmon's job.
   */
  static async create(folder: NutFolder, deps: GatewayDeps, monitorFiles?: MonitorFiles, mqtt?: MqttSettings): Promise<Gateway> {
    const tls = folder.upsd.certFile ? await loadCertificate(folder) : undefined;
    const gateway = new Gateway(folder, deps, tls);
    gateway.mqttSettings = mqtt;
    const upsmon = monitorFiles?.upsmon;
    if (monitorFiles && upsmon) {
      const listenPorts = folder.upsd.listen.length > 0 ? folder.upsd.listen.map((l) => l.port) : [DEFAULT_PORT];
      // Loaded only for a folder with upsmon.conf (it brings the NUT client and the notification channels).
      const { createMonitorSetup } = await import('./monitor-setup.js');
      gateway.monitor = await createMonitorSetup({ ...monitorFiles, upsmon }, folder.dir, {
        devices: gateway.devices, router: gateway.router, users: gateway.users, listenPorts, sections: gateway.sections,
        clock: deps.clock, log: deps.log, shell: deps.shell ?? runShell,
      });
    }
    return gateway;
  }

  /**
   * `upsgate killpower`: the drivers alone (no NUT server, no monitor), then each UPS told to cut
   * the load in sdorder order. Resolves with the UPSes that refused.
   */
  async killpower(): Promise<string[]> {
    try {
      await Promise.all(this.supervisors.map((s) => s.start()));
      const results = await killpower(killpowerTargets(this.sections, this.devices), this.router, this.deps.log.child('killpower'));
      return results.filter((r) => r.accepted === undefined).map((r) => r.ups);
    } finally {
      await Promise.all(this.supervisors.map((s) => s.stop()));
    }
  }

  /**
   * A driver lost its hardware for good: stop serving and end the process non-zero, so that
   * systemd restarts upsgate (a fresh start re-opens every device), rather than serve stale data
   * for ever.
   */
  private driverGaveUp(reason: string): void {
    this.deps.log.error(`${reason}; stopping so that the service manager restarts upsgate`);
    process.exitCode = 1;
    void this.stop().finally(() => process.exit(1));
  }

  /** Binds the listeners, then brings the drivers up; a driver's configuration error is fatal. */
  async start(): Promise<void> {
    await this.server.start();
    this.freshness = this.deps.clock.setInterval(() => {
      for (const d of this.devices.list()) d.checkAvailability();
    }, 1000);
    try {
      await Promise.all(this.supervisors.map((s) => s.start()));
    } catch (e) {
      await this.stop();
      throw e;
    }
    await this.monitor?.start();
    if (this.mqttSettings) await this.startMqtt(this.mqttSettings);
    if (this.uiListen) await this.startUi(this.uiListen);
  }

  /** Loaded only when the web UI is asked for (Hono, the pages, the history). */
  private async startUi(listen: UiListen): Promise<void> {
    const { startUi } = await import('./ui-setup.js');
    const monitor = this.monitor;
    try {
      this.ui = await startUi(listen, {
        devices: this.devices,
        router: this.router,
        descriptions: this.descriptions,
        nutClients: () => this.server.clients().map((c) => ({
          address: c.session.address,
          username: c.session.username,
          ups: c.session.loginDevice?.name,
          primary: c.session.primary,
          tls: c.session.tls,
        })),
        nutListeners: () => this.server.bound.map((b) => ({ host: b.host, port: b.port })),
        monitorUsers: () => this.users.monitorUsers(),
        ...(monitor ? { monitor: { on: (l) => monitor.events.on('event', l) } } : {}),
        clock: this.deps.clock,
        log: this.deps.log,
      });
    } catch (e) {
      await this.stop();
      throw e;
    }
  }

  /** Loaded only when MQTT is configured (the bridge, and aedes for the embedded broker). */
  private async startMqtt(settings: MqttSettings): Promise<void> {
    const { startMqtt } = await import('./mqtt-setup.js');
    const monitor = this.monitor;
    try {
      this.mqtt = await startMqtt(settings, {
        devices: this.devices,
        router: this.router,
        clock: this.deps.clock,
        log: this.deps.log,
        nutClients: () => this.server.clientCount,
        settingsDir: this.settingsDir,
        ...(monitor ? { monitor: { on: (l) => monitor.events.on('event', l), localUps: monitor.localUps, localNames: monitor.localNames } } : {}),
      });
    } catch (e) {
      await this.stop();
      throw e;
    }
  }

  async stop(): Promise<void> {
    await this.ui?.stop();
    this.ui = undefined;
    await this.mqtt?.stop();
    this.mqtt = undefined;
    await this.monitor?.stop();
    this.freshness?.cancel();
    await this.server.stop();
    await Promise.all(this.supervisors.map((s) => s.stop()));
  }
}

/** upsd ignores sections that lack `driver` or `port` (the folder loader already warned). */
function usableSections(folder: NutFolder, log: Logger): UpsSection[] {
  const usable = folder.ups.sections.filter((s) => s.driver !== undefined && s.port !== undefined);
  if (usable.length === 0) log.warn('no UPS configured (ALLOW_NO_DEVICE): serving an empty list');
  return usable;
}

function watchAvailability(device: Device, log: Logger): void {
  let wasStale = false;
  device.on('availability', (state) => {
    if (state === 'stale') {
      wasStale = true;
      log.warn(`data for UPS ${device.name} is stale - check driver`);
    } else if (state === 'ok' && wasStale) {
      wasStale = false;
      log.info(`UPS ${device.name} data is no longer stale`);
    }
  });
}

/** Reads CERTFILE (resolved against the folder) into the server's TLS; errors name upsd.conf and the file. */
async function loadCertificate(folder: NutFolder): Promise<TlsUpgrade> {
  const file = path.resolve(folder.dir, folder.upsd.certFile!);
  const where = folder.upsd.file ?? 'upsd.conf';
  let pem: Buffer;
  try {
    pem = await readSmallFile(file);
  } catch (e) {
    const why = e instanceof NotASmallFile ? e.message : `cannot read it (${(e as NodeJS.ErrnoException).code ?? String(e)})`;
    throw new StartupError(`${where}: CERTFILE ${file}: ${why}`);
  }
  try {
    return await tlsFromPem(pem);
  } catch (e) {
    throw new StartupError(
      `${where}: CERTFILE ${file}: ${(e as Error).message}; it must be a PEM file holding the certificate and its private key`,
    );
  }
}
