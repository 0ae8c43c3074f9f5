import type { CommandOutcome } from '../../core/command-target.js';
import { checkSection } from '../driver-config.js';
import type { Driver, DriverContext } from '../driver.js';
import { parseMatchConfig } from './transport/matching.js';
import { USBHID_UPS_INFO } from './usbhid-info.js';
import { usbHidOptions } from './usbhid-options.js';

/**
 * usbhid-ups as the registry builds it: the ups.conf section is checked at once (as every driver's
 * is), but the driver itself — descriptor parser, vendor tables, node-hid — is loaded only when a
 * usbhid-ups section is started, so a gateway without a USB UPS does not carry it in memory.
 */
export class LazyUsbHidUps implements Driver {
  readonly driverName = USBHID_UPS_INFO.name;
  private driver: Driver | undefined;

  constructor(private readonly ctx: DriverContext) {
    checkSection(ctx.section, USBHID_UPS_INFO);
    parseMatchConfig(ctx.section, ctx.confDir);
    usbHidOptions(ctx.section);
  }

  async start(): Promise<void> {
    if (!this.driver) {
      const { UsbHidUps } = await import('./usbhid-ups.js');
      this.driver = new UsbHidUps(this.ctx);
    }
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
