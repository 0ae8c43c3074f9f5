import path from 'node:path';
import { checkAccess } from '../conf/acl.js';
import type { NutFolder } from '../conf/nut-folder.js';
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
import type { ServerContext } from '../nut-server/context.js';
import { LoginGuard } from '../nut-server/login-guard.js';
import { NutServer } from '../nut-server/server.js';
import { tlsFromPem, type TlsUpgrade } from '../nut-server/tls.js';
import { UserDirectory } from '../nut-server/users.js';
import { DriverSupervisor } from './driver-supervisor.js';
import { StartupError } from './startup-error.js';
import { NUT_VERSION, VERSION } from './version.js';

export interface GatewayDeps {
  clock: Clock;
  log: Logger;
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

  private constructor(
    folder: NutFolder,
    private readonly deps: GatewayDeps,
    tls: TlsUpgrade | undefined,
  ) {
    const { clock, log } = deps;
    const tracking = new TrackingTable(clock, folder.upsd.trackingDelay * 1000);
    const onListenerError = (event: string, e: unknown) => log.error(`subscriber of ${event} failed: ${String(e)}`);
    this.router = new CommandRouter(tracking, onListenerError);

    for (const section of usableSections(folder, log)) {
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
      descriptions: folder.descriptions ?? Descriptions.standard(),
      users: new UserDirectory(folder.users, folder.upsd.acls),
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

  /** Builds the gateway; refuses (with file:line:column) what a driver or CERTFILE will not take. */
  static async create(folder: NutFolder, deps: GatewayDeps): Promise<Gateway> {
    const tls = folder.upsd.certFile ? await loadCertificate(folder) : undefined;
    return new Gateway(folder, deps, tls);
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
  }

  async stop(): Promise<void> {
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
