import type { CommandOutcome } from '../core/command-target.js';
import type { Driver } from './driver.js';

/**
 * A driver as the registry builds those with native modules or large tables (usbhid-ups,
 * nutdrv_qx, apcsmart, snmp-ups): the ups.conf section was checked when this was made (so
 * check-config and start-up refuse bad lines at once), but the driver itself is imported only
 * when its section starts — a gateway without such a UPS never carries its code in memory.
 */
export class LazyDriver implements Driver {
  private driver: Driver | undefined;

  constructor(
    readonly driverName: string,
    private readonly load: () => Promise<Driver>,
  ) {}

  async start(): Promise<void> {
    this.driver ??= await this.load();
    await this.driver.start();
  }

  async stop(): Promise<void> {
    await this.driver?.stop();
  }

  instcmd(command: string, parameter?: string): Promise<CommandOutcome> {
    return this.driver ? this.driver.instcmd(command, parameter) : Promise.resolve('failed');
  }

  setVariable(name: string, value: string): Promise<CommandOutcome> {
    return this.driver ? this.driver.setVariable(name, value) : Promise.resolve('failed');
  }
}
