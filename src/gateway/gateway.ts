import path from 'node:path';
import { checkAccess } from '../conf/acl.js';
import type { MonitorFiles } from '../conf/monitor-files.js';
import type { NutFolder } from '../conf/nut-folder.js';
import type { LedSettings, MqttSettings } from '../conf/settings-model.js';
import { NotASmallFile, readSmallFile } from '../conf/small-file.js';
import type { Clock, Timer } from '../core/clock.js';
import { CommandRouter } from '../core/command-router.js';
import { Descriptions } from '../core/descriptions.js';
import { DeviceTable } from '../core/device-table.js';
import type { Logger } from '../core/logger.js';
import { TrackingTable } from '../core/tracking.js';
import { killpower, killpowerTargets } from '../monitor/killpower.js';
import type { MonitorEvent } from '../monitor/notify/event-log.js';
import { runShell, type ShellRunner } from '../monitor/shell.js';
import type { ServerContext } from '../nut-server/context.js';
import { LoginGuard } from '../nut-server/login-guard.js';
import { DEFAULT_PORT, NutServer } from '../nut-server/server.js';
import { tlsFromPem, type TlsUpgrade } from '../nut-server/tls.js';
import { UserDirectory } from '../nut-server/users.js';
import type { UiListen } from '../ui/ui-server.js';
import { DriverSet } from './driver-set.js';
import type { LedSetup } from './led-setup.js';
import type { MonitorSetup } from './monitor-setup.js';
import type { MqttSetup } from './mqtt-setup.js';
import type { UiSetup } from './ui-setup.js';
import { StartupError } from './startup-error.js';
import { NUT_VERSION, VERSION } from './version.js';

export interface GatewayDeps {
  clock: Clock;
  log: Logger;
  /** How SHUTDOWNCMD, NOTIFYCMD and CMDSCRIPT run (default: /bin/sh). */
  shell?: ShellRunner;
  /** Reads the configuration folder again and reloads this gateway with it (the web UI's Save, SIGHUP). */
  reloadFromDisk?: (gateway: Gateway) => Promise<void>;
}

/**
 * The composition root: builds one Device per usable ups.conf section, a driver for each, the
 * command router and the NUT server over them, and runs them. Nothing below knows the others.
 */
export class Gateway {
  readonly devices = new DeviceTable();
  readonly router: CommandRouter;
  readonly server: NutServer;
  private readonly drivers: DriverSet;
  private freshness: Timer | undefined;
  /** upsmon's job, when the folder has upsmon.conf. */
  monitor: MonitorSetup | undefined;
  private users: UserDirectory;
  private readonly ctx: ServerContext;
  /** The MQTT bridge's settings as given to create(); undefined = no bridge. */
  mqttSettings: MqttSettings | undefined;
  /** The running bridge (and embedded broker). */
  private mqtt: MqttSetup | undefined;
  /** Where upsgate.json is (relative TLS paths in it resolve against this folder). */
  private readonly settingsDir: string;
  /** Where the web UI listens; undefined = no web UI. */
  uiListen: UiListen | undefined;
  private ui: UiSetup | undefined;
  /** upsgate.json's led; undefined = no status LED. */
  ledSettings: LedSettings | undefined;
  private led: LedSetup | undefined;
  /** The monitor's notifications, whichever monitor runs (a reload replaces it; MQTT and the UI stay subscribed here). */
  private readonly monitorEvents = new Set<(e: MonitorEvent) => void>();
  /** Reloads run one at a time. */
  private reloading: Promise<unknown> = Promise.resolve();

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
    this.drivers = new DriverSet(this.devices, { clock, log, onListenerError, giveUp: (reason) => this.driverGaveUp(reason) });
    this.drivers.adopt(this.drivers.plan(folder), folder);
    this.users = new UserDirectory(folder.users, folder.upsd.acls);
    this.ctx = {
      devices: this.devices,
      router: this.router,
      tracking,
      descriptions: folder.descriptions ?? Descriptions.standard(),
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
    this.server = new NutServer(this.ctx, { ...serverOptions(folder), tls });
  }

  /**
   * Builds the gateway; refuses (with file:line:column) what a driver, CERTFILE or the monitor's
   * files will not take. With upsmon.conf among `monitorFiles`, the gateway also does upsmon's job.
   */
  static async create(folder: NutFolder, deps: GatewayDeps, monitorFiles?: MonitorFiles, mqtt?: MqttSettings): Promise<Gateway> {
    const tls = folder.upsd.certFile ? await loadCertificate(folder) : undefined;
    const gateway = new Gateway(folder, deps, tls);
    gateway.mqttSettings = mqtt;
    gateway.monitor = await gateway.buildMonitor(folder, monitorFiles);
    return gateway;
  }

  private async buildMonitor(folder: NutFolder, monitorFiles: MonitorFiles | undefined): Promise<MonitorSetup | undefined> {
    const upsmon = monitorFiles?.upsmon;
    if (!monitorFiles || !upsmon) return undefined;
    const listenPorts = folder.upsd.listen.length > 0 ? folder.upsd.listen.map((l) => l.port) : [DEFAULT_PORT];
    // Loaded only for a folder with upsmon.conf (it brings the NUT client and the notification channels).
    const { createMonitorSetup } = await import('./monitor-setup.js');
    const monitor = await createMonitorSetup({ ...monitorFiles, upsmon }, folder.dir, {
      devices: this.devices, router: this.router, users: this.users, listenPorts, sections: this.drivers.sections(),
      clock: this.deps.clock, log: this.deps.log, shell: this.deps.shell ?? runShell,
    });
    monitor.events.on('event', (e) => {
      for (const l of this.monitorEvents) l(e);
    });
    return monitor;
  }

  /** What MQTT and the UI follow of the monitor: its notifications and how its MONITOR lines map to UPSes here. */
  private monitorView() {
    return {
      on: (l: (e: MonitorEvent) => void) => {
        this.monitorEvents.add(l);
        return () => void this.monitorEvents.delete(l);
      },
      localUps: (system: string) => this.monitor?.localUps(system),
      localNames: () => this.monitor?.localNames() ?? [],
    };
  }

  /**
   * `upsgate killpower`: the drivers alone (no NUT server, no monitor), then each UPS told to cut
   * the load in sdorder order. Resolves with the UPSes that refused.
   */
  async killpower(): Promise<string[]> {
    try {
      await this.drivers.start();
      const results = await killpower(killpowerTargets(this.drivers.sections(), this.devices), this.router, this.deps.log.child('killpower'));
      return results.filter((r) => r.accepted === undefined).map((r) => r.ups);
    } finally {
      await this.drivers.stop();
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
      await this.drivers.start();
    } catch (e) {
      await this.stop();
      throw e;
    }
    await this.monitor?.start();
    if (this.mqttSettings) await this.startMqtt(this.mqttSettings);
    if (this.uiListen) await this.startUi(this.uiListen);
    if (this.ledSettings) await this.startLed(this.ledSettings);
  }

  /** Loaded only when an LED is configured; one that cannot be opened is logged, never fatal. */
  private async startLed(settings: LedSettings): Promise<void> {
    if (settings.backend === 'none') return;
    const { startLed } = await import('./led-setup.js');
    this.led = await startLed(settings, {
      devices: this.devices,
      shuttingDown: () => this.monitor !== undefined && (this.monitor.monitor.phase === 'shutting-down' || this.monitor.monitor.phase === 'shut-down'),
      fault: () => this.devices.size === 0,
      clock: this.deps.clock,
      log: this.deps.log,
    });
  }

  /**
   * upsd's and upsmon's reload, in one process: the new configuration replaces the running one
   * while NUT clients stay connected. Everything that can refuse (drivers, LISTEN addresses, the
   * monitor's files) is tried before anything running is stopped, so a refusal leaves the old
   * configuration serving and says why. The monitor restarts with the new files (its timers
   * start over); the MQTT bridge restarts when its settings or the UPS list changed.
   */
  reload(folder: NutFolder, monitorFiles: MonitorFiles | undefined, mqtt: MqttSettings | undefined): Promise<void> {
    const run = this.reloading.then(() => this.applyReload(folder, monitorFiles, mqtt));
    this.reloading = run.catch(() => undefined);
    return run;
  }

  private async applyReload(folder: NutFolder, monitorFiles: MonitorFiles | undefined, mqtt: MqttSettings | undefined): Promise<void> {
    const log = this.deps.log;
    if (this.monitor && this.monitor.monitor.phase !== 'monitoring' && this.monitor.monitor.phase !== 'stopped') throw new StartupError('a shutdown is under way: the configuration is not changed now');
    const plan = this.drivers.plan(folder);
    const namesBefore = this.devices.list().map((d) => d.name).join(',');
    await this.server.reconfigure(serverOptions(folder));
    this.users = new UserDirectory(folder.users, folder.upsd.acls);
    this.ctx.users = this.users;
    const hadMonitor = this.monitor !== undefined;
    await this.monitor?.stop();
    this.monitor = undefined;
    await this.drivers.apply(plan, folder);
    const devicesChanged = this.devices.list().map((d) => d.name).join(',') !== namesBefore;
    try {
      this.monitor = await this.buildMonitor(folder, monitorFiles);
      await this.monitor?.start();
    } catch (e) {
      log.error(`reload: the monitor could not start with the new files, so nothing watches for power failure now: ${(e as Error).message}`);
      throw e;
    }
    const monitorCameOrWent = hadMonitor !== (this.monitor !== undefined);
    if (devicesChanged || monitorCameOrWent || JSON.stringify(mqtt) !== JSON.stringify(this.mqttSettings)) {
      await this.mqtt?.stop();
      this.mqtt = undefined;
      this.mqttSettings = mqtt;
      if (mqtt) await this.startMqtt(mqtt);
    }
    if (devicesChanged) this.ui?.devicesChanged();
    const led = monitorFiles?.settings.led;
    if (JSON.stringify(led) !== JSON.stringify(this.ledSettings)) {
      await this.led?.stop();
      this.led = undefined;
      this.ledSettings = led;
      if (led) await this.startLed(led);
    } else {
      this.led?.refresh();
    }
    log.info(`configuration reloaded: ${plan.started.length} driver(s) started, ${plan.stopped.length} stopped; ` +
      `${this.server.clientCount} NUT client(s) still connected`);
  }

  /** Loaded only when the web UI is asked for (Hono, the pages, the history). */
  private async startUi(listen: UiListen): Promise<void> {
    const { startUi } = await import('./ui-setup.js');
    try {
      this.ui = await startUi(listen, {
        devices: this.devices,
        router: this.router,
        descriptions: this.ctx.descriptions,
        nutClients: () => this.server.clients().map((c) => ({
          address: c.session.address,
          username: c.session.username,
          ups: c.session.loginDevice?.name,
          primary: c.session.primary,
          tls: c.session.tls,
        })),
        nutListeners: () => this.server.bound.map((b) => ({ host: b.host, port: b.port })),
        monitorUsers: () => this.users.monitorUsers(),
        monitor: this.monitorView(),
        settingsDir: this.settingsDir,
        applySettings: this.deps.reloadFromDisk ? () => this.deps.reloadFromDisk!(this) : undefined,
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
    try {
      this.mqtt = await startMqtt(settings, {
        devices: this.devices,
        router: this.router,
        clock: this.deps.clock,
        log: this.deps.log,
        nutClients: () => this.server.clientCount,
        settingsDir: this.settingsDir,
        // Without a monitor the bridge derives its events from ups.status itself.
        ...(this.monitor ? { monitor: this.monitorView() } : {}),
      });
    } catch (e) {
      await this.stop();
      throw e;
    }
  }

  async stop(): Promise<void> {
    await this.led?.stop();
    this.led = undefined;
    await this.ui?.stop();
    this.ui = undefined;
    await this.mqtt?.stop();
    this.mqtt = undefined;
    await this.monitor?.stop();
    this.freshness?.cancel();
    await this.server.stop();
    await this.drivers.stop();
  }
}

/** The NUT server's part of upsd.conf (LISTEN, MAXCONN, ACCEPT/REJECT). */
function serverOptions(folder: NutFolder) {
  const upsd = folder.upsd;
  return {
    listen: upsd.listen.map((l) => ({ host: l.host, port: l.port, origin: `${l.pos.file}:${l.pos.line}:${l.pos.column}` })),
    allowNotAllListeners: upsd.allowNotAllListeners,
    maxConn: upsd.maxConn,
    admit: upsd.access.length > 0 ? (address: string) => checkAccess(upsd, address) : undefined,
  };
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
