import type { CommandOutcome } from '../../core/command-target.js';
import { checkSection } from '../driver-config.js';
import type { Driver, DriverContext } from '../driver.js';
import { SNMP_UPS_INFO } from './snmp-info.js';
import { snmpOptions } from './snmp-options.js';

/**
 * snmp-ups as the registry builds it: the section is checked at once, but the driver, its MIB
 * tables and net-snmp are loaded only when an snmp-ups section starts (idle memory is a budget).
 */
export class LazySnmpUps implements Driver {
  readonly driverName = SNMP_UPS_INFO.name;
  private driver: Driver | undefined;

  constructor(private readonly ctx: DriverContext) {
    checkSection(ctx.section, SNMP_UPS_INFO);
    snmpOptions(ctx.section);
  }

  async start(): Promise<void> {
    if (!this.driver) {
      const { SnmpUps } = await import('./snmp-ups.js');
      this.driver = new SnmpUps(this.ctx);
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
