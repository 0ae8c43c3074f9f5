import { checkSection } from '../driver-config.js';
import type { Driver, DriverContext } from '../driver.js';
import { LazyDriver } from '../lazy-driver.js';
import { SNMP_UPS_INFO } from './snmp-info.js';
import { snmpOptions } from './snmp-options.js';

/** snmp-ups: the section checked now; the driver, its MIB tables and net-snmp loaded when it starts. */
export function lazySnmpUps(ctx: DriverContext): Driver {
  checkSection(ctx.section, SNMP_UPS_INFO);
  snmpOptions(ctx.section);
  return new LazyDriver(SNMP_UPS_INFO.name, async () => new (await import('./snmp-ups.js')).SnmpUps(ctx));
}
