import type { CommandOutcome } from '../../core/command-target.js';
import { checkSection } from '../driver-config.js';
import type { Driver, DriverContext } from '../driver.js';
import { APCSMART_INFO, apcSmartOptions } from './apcsmart-info.js';

/**
 * apcsmart as the registry builds it: the section is checked at once, the driver (and
 * serialport, a native module) is loaded only when an apcsmart section starts.
 */
export class LazyApcSmart implements Driver {
  readonly driverName = APCSMART_INFO.name;
  private driver: Driver | undefined;

  constructor(private readonly ctx: DriverContext) {
    checkSection(ctx.section, APCSMART_INFO);
    apcSmartOptions(ctx.section);
  }

  async start(): Promise<void> {
    if (!this.driver) {
      const { ApcSmart } = await import('./apcsmart.js');
      this.driver = new ApcSmart(this.ctx);
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
