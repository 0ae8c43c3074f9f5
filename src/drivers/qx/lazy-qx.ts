import { checkSection } from '../driver-config.js';
import type { Driver, DriverContext } from '../driver.js';
import { LazyDriver } from '../lazy-driver.js';
import type { Flavour } from './battery-guess.js';
import { BLAZER_SER_INFO, NUTDRV_QX_INFO, qxOptions } from './qx-info.js';

/** nutdrv_qx / blazer_ser: the section checked now; the driver and serialport loaded when it starts. */
export function lazyQxDriver(ctx: DriverContext, flavour: Flavour): Driver {
  const info = flavour === 'blazer_ser' ? BLAZER_SER_INFO : NUTDRV_QX_INFO;
  checkSection(ctx.section, info);
  qxOptions(ctx.section, flavour);
  return new LazyDriver(info.name, async () => new (await import('./qx-driver.js')).QxDriver(ctx, flavour));
}
