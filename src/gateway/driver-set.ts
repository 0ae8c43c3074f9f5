/**
 * The UPSes of ups.conf and their drivers, as one set that can be started, stopped and changed
 * while running: a reload keeps every Device (and its NUT clients' logins) whose section did not
 * change, restarts the driver of one that did, adds new ones and drops removed ones. New drivers
 * are built before anything stops, so a section a driver refuses changes nothing.
 */
import type { NutFolder } from '../conf/nut-folder.js';
import type { UpsConfEntry, UpsSection } from '../conf/model.js';
import type { Clock } from '../core/clock.js';
import { Device } from '../core/device.js';
import type { DeviceTable } from '../core/device-table.js';
import type { Logger } from '../core/logger.js';
import { createDriver } from '../drivers/registry.js';
import { DriverSupervisor } from './driver-supervisor.js';

interface Entry {
  device: Device;
  supervisor: DriverSupervisor;
  section: UpsSection;
  /** What the driver was built from; a reload with the same one keeps it running. */
  signature: string;
}

export interface DriverSetDeps {
  clock: Clock;
  log: Logger;
  onListenerError: (event: string, e: unknown) => void;
  giveUp: (reason: string) => void;
}

/** A reload worked out but not applied yet. */
export interface DriverPlan {
  next: Entry[];
  started: Entry[];
  stopped: Entry[];
}

const entriesText = (entries: UpsConfEntry[]) => entries.map((e) => [e.key, e.value]);

function signatureOf(section: UpsSection, folder: NutFolder): string {
  return JSON.stringify([entriesText(section.entries), entriesText(folder.ups.globals), folder.dir]);
}

/** upsd ignores sections that lack `driver` or `port` (the folder loader already warned). */
export function usableSections(folder: NutFolder, log: Logger): UpsSection[] {
  const usable = folder.ups.sections.filter((s) => s.driver !== undefined && s.port !== undefined);
  if (usable.length === 0) log.warn('no UPS configured (ALLOW_NO_DEVICE): serving an empty list');
  return usable;
}

export class DriverSet {
  private entries: Entry[] = [];

  constructor(
    private readonly devices: DeviceTable,
    private readonly deps: DriverSetDeps,
  ) {}

  sections(): UpsSection[] {
    return this.entries.map((e) => e.section);
  }

  /** Builds what `folder` asks for; throws (DriverConfigError with file:line) before anything runs. */
  plan(folder: NutFolder): DriverPlan {
    const old = new Map(this.entries.map((e) => [e.section.name.toLowerCase(), e]));
    const next: Entry[] = [];
    const started: Entry[] = [];
    const stopped: Entry[] = [];
    for (const section of usableSections(folder, this.deps.log)) {
      const key = section.name.toLowerCase();
      const was = old.get(key);
      old.delete(key);
      const signature = signatureOf(section, folder);
      const sameName = was !== undefined && was.section.name === section.name;
      if (sameName && was.signature === signature) {
        next.push({ ...was, section });
        continue;
      }
      // A changed section restarts its driver on the same Device (its clients keep their logins).
      if (was) stopped.push(was);
      const device = sameName ? was.device : this.newDevice(section, folder);
      const entry = { device, supervisor: this.supervisor(section, folder, device), section, signature };
      next.push(entry);
      started.push(entry);
    }
    return { next, started, stopped: [...stopped, ...old.values()] };
  }

  /** Takes the plan's UPSes as the served ones, without starting anything (the gateway's first build). */
  adopt(plan: DriverPlan, folder: NutFolder): void {
    this.entries = plan.next;
    this.devices.replace(plan.next.map((e) => e.device));
    for (const e of plan.next) {
      e.device.description = e.section.desc;
      e.device.maxAgeMs = folder.upsd.maxAge * 1000;
    }
  }

  /** A reload: stops what the plan replaces, swaps the table, starts the new drivers. */
  async apply(plan: DriverPlan, folder: NutFolder): Promise<void> {
    await Promise.all(plan.stopped.map((e) => e.supervisor.stop()));
    this.adopt(plan, folder);
    await Promise.all(plan.started.map((e) => e.supervisor.start()));
  }

  /** The first start (a configuration error is fatal, as in upsdrvctl). */
  async start(): Promise<void> {
    await Promise.all(this.entries.map((e) => e.supervisor.start()));
  }

  async stop(): Promise<void> {
    await Promise.all(this.entries.map((e) => e.supervisor.stop()));
  }

  private newDevice(section: UpsSection, folder: NutFolder): Device {
    const device = new Device(section.name, this.deps.clock, { description: section.desc, maxAgeSeconds: folder.upsd.maxAge }, this.deps.onListenerError);
    watchAvailability(device, this.deps.log);
    return device;
  }

  private supervisor(section: UpsSection, folder: NutFolder, device: Device): DriverSupervisor {
    const { clock, log, giveUp } = this.deps;
    const driverLog = log.child(`driver ${section.name}`);
    const driver = createDriver({
      section,
      pollIntervalSeconds: section.pollinterval ?? folder.ups.pollinterval,
      confDir: folder.dir,
      upsConfGlobals: folder.ups.globals,
      device,
      clock,
      log: driverLog,
      giveUp,
    });
    return new DriverSupervisor(driver, device, section, {
      attempts: section.maxretry ?? folder.ups.maxretry,
      retryDelaySeconds: section.retrydelay ?? folder.ups.retrydelay,
      clock,
      log: driverLog,
    });
  }
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
