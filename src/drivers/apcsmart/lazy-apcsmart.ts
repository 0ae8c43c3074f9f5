import { checkSection } from '../driver-config.js';
import type { Driver, DriverContext } from '../driver.js';
import { LazyDriver } from '../lazy-driver.js';
import { APCSMART_INFO, apcSmartOptions } from './apcsmart-info.js';

/** apcsmart: the section checked now; the driver (and serialport, a native module) loaded when it starts. */
export function lazyApcSmart(ctx: DriverContext): Driver {
  checkSection(ctx.section, APCSMART_INFO);
  apcSmartOptions(ctx.section);
  return new LazyDriver(APCSMART_INFO.name, async () => new (await import('./apcsmart.js')).ApcSmart(ctx));
}
