import { checkSection } from '../driver-config.js';
import type { Driver, DriverContext } from '../driver.js';
import { LazyDriver } from '../lazy-driver.js';
import { parseMatchConfig } from './transport/matching.js';
import { USBHID_UPS_INFO } from './usbhid-info.js';
import { usbHidOptions } from './usbhid-options.js';

/** usbhid-ups: the section checked now; the descriptor parser, vendor tables and node-hid loaded when it starts. */
export function lazyUsbHidUps(ctx: DriverContext): Driver {
  checkSection(ctx.section, USBHID_UPS_INFO);
  parseMatchConfig(ctx.section, ctx.confDir);
  usbHidOptions(ctx.section);
  return new LazyDriver(USBHID_UPS_INFO.name, async () => new (await import('./usbhid-ups.js')).UsbHidUps(ctx));
}
