import { positionOf } from './driver-config.js';
import { DriverConfigError, type Driver, type DriverContext, type DriverFactory } from './driver.js';
import { lazyApcSmart } from './apcsmart/lazy-apcsmart.js';
import { DummyUps } from './dummy/dummy-ups.js';
import { lazyQxDriver } from './qx/lazy-qx.js';
import { lazySnmpUps } from './snmp/lazy-snmp.js';
import { lazyUsbHidUps } from './usbhid/lazy-usbhid.js';

/**
 * The drivers upsgate has, by the name ups.conf gives them (`driver = …`). Drivers that need
 * native modules can be added with a factory that imports them lazily in `start()`.
 */
const FACTORIES: ReadonlyMap<string, DriverFactory> = new Map<string, DriverFactory>([
  ['apcsmart', (ctx) => lazyApcSmart(ctx)],
  ['dummy-ups', (ctx) => new DummyUps(ctx)],
  ['usbhid-ups', (ctx) => lazyUsbHidUps(ctx)],
  ['nutdrv_qx', (ctx) => lazyQxDriver(ctx, 'nutdrv_qx')],
  ['blazer_ser', (ctx) => lazyQxDriver(ctx, 'blazer_ser')],
  ['snmp-ups', (ctx) => lazySnmpUps(ctx)],
]);

export function supportedDrivers(): string[] {
  return [...FACTORIES.keys()].sort();
}

/**
 * Builds the driver a ups.conf section asks for. The driver checks its section on the spot, so
 * this throws DriverConfigError for any configuration NUT's driver would refuse.
 */
export function createDriver(ctx: DriverContext): Driver {
  const { section } = ctx;
  const name = section.driver;
  const where = positionOf(section, 'driver');
  if (name === undefined) {
    throw new DriverConfigError(
      `${where}: [${section.name}] has no 'driver'; supported drivers: ${supportedDrivers().join(', ')}`,
    );
  }
  const factory = FACTORIES.get(name);
  if (!factory) {
    throw new DriverConfigError(
      `${where}: [${section.name}]: driver '${name}' is not supported by upsgate; ` +
        `supported drivers: ${supportedDrivers().join(', ')}`,
    );
  }
  return factory(ctx);
}
