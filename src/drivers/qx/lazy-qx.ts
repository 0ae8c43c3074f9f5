import type { CommandOutcome } from '../../core/command-target.js';
import { checkSection } from '../driver-config.js';
import type { Driver, DriverContext } from '../driver.js';
import type { Flavour } from './battery-guess.js';
import { BLAZER_SER_INFO, NUTDRV_QX_INFO, qxOptions } from './qx-info.js';

/**
 * nutdrv_qx / blazer_ser as the registry builds them: the section is checked at once, while the
 * driver and serialport's native binding are loaded only when such a section starts, so an idle
 * gateway without a serial UPS does not carry them.
 */
export class LazyQxDriver implements Driver {
  readonly driverName: string;
  private driver: Driver | undefined;

  constructor(
    private readonly ctx: DriverContext,
    private readonly flavour: Flavour,
  ) {
    const info = flavour === 'blazer_ser' ? BLAZER_SER_INFO : NUTDRV_QX_INFO;
    this.driverName = info.name;
    checkSection(ctx.section, info);
    qxOptions(ctx.section, flavour);
  }

  async start(): Promise<void> {
    if (!this.driver) {
      const { QxDriver } = await import('./qx-driver.js');
      this.driver = new QxDriver(this.ctx, this.flavour);
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
