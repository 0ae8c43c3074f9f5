import type { HidDeviceInfo } from '../hid-types.js';
import { APC_SUBDRIVER } from './apc.js';
import { CPS_SUBDRIVER } from './cps.js';
import { GENERIC_ROWS } from './generic-rows.js';
import { MGE_SUBDRIVER } from './mge.js';
import { otherSubdriver } from './others.js';
import { TRIPPLITE_SUBDRIVER } from './tripplite.js';
import type { ClaimVerdict, DeviceQuirks, Subdriver } from './types.js';

const POWER_DEVICE_PAGE = 0x84;

/**
 * Any HID Power Device Class UPS of a vendor no subdriver knows: claimed only when the user named
 * its productid (as NUT's "possibly supported"), since many non-UPS devices are HID too. NUT has
 * no such subdriver: it refuses these devices.
 */
export const GENERIC_SUBDRIVER: Subdriver = {
  name: 'generic',
  versionData: 'Generic HID PDC 0.1',
  ids: [],
  claimOverride: (info, _verdict, productIdGiven) =>
    productIdGiven &&
    (info.usagePage === undefined || info.usagePage === POWER_DEVICE_PAGE) &&
    // a vendor some subdriver knows has been refused by it for a reason (09ae:0001 is serial)
    SUBDRIVERS.every((s) => s === GENERIC_SUBDRIVER || tableVerdict(s, info) === 'no'),
  usageNames: {},
  rows: GENERIC_ROWS,
  identity: (info) => ({ mfr: info.manufacturer, model: info.product, serial: info.serial, extra: [] }),
};

/** usbhid-ups's order: the first subdriver that claims a device drives it; generic last. */
export const SUBDRIVERS: readonly Subdriver[] = [
  MGE_SUBDRIVER,
  APC_SUBDRIVER,
  otherSubdriver('arduino'),
  otherSubdriver('belkin'),
  CPS_SUBDRIVER,
  otherSubdriver('delta_ups'),
  otherSubdriver('ever'),
  otherSubdriver('idowell'),
  otherSubdriver('legrand'),
  otherSubdriver('liebert'),
  otherSubdriver('openups'),
  otherSubdriver('powercom'),
  otherSubdriver('powervar'),
  otherSubdriver('salicru'),
  TRIPPLITE_SUBDRIVER,
  GENERIC_SUBDRIVER,
];

/** NUT's is_usb_device_supported: the exact id is supported; another product of a known vendor is possibly. */
export function tableVerdict(sub: Subdriver, info: HidDeviceInfo): ClaimVerdict {
  if (sub.ids.some((r) => r.vendorId === info.vendorId && r.productId === info.productId)) return 'supported';
  return sub.ids.some((r) => r.vendorId === info.vendorId) ? 'possibly' : 'no';
}

export function claims(sub: Subdriver, info: HidDeviceInfo, productIdGiven: boolean): boolean {
  const verdict = tableVerdict(sub, info);
  const override = sub.claimOverride?.(info, verdict, productIdGiven);
  if (override !== undefined) return override;
  return verdict === 'supported' || (verdict === 'possibly' && productIdGiven);
}

const hex4 = (n: number): string => n.toString(16).padStart(4, '0');

export function subdriverFor(info: HidDeviceInfo, productIdGiven = false): Subdriver {
  const sub = SUBDRIVERS.find((s) => claims(s, info, productIdGiven));
  if (sub) return sub;
  const known = SUBDRIVERS.find((s) => tableVerdict(s, info) !== 'no');
  const hint = known
    ? `: this ${known.name} device may work with 'productid = ${hex4(info.productId)}' in its ups.conf section`
    : info.usagePage === POWER_DEVICE_PAGE
      ? `: a USB HID power device of an unknown vendor may work with 'productid = ${hex4(info.productId)}' in its ups.conf section`
      : ': it does not look like a USB HID UPS';
  throw new Error(`usbhid-ups: no subdriver supports the device ${hex4(info.vendorId)}:${hex4(info.productId)}${hint}`);
}

/** The quirks NUT applies to this exact device. */
export function quirksFor(sub: Subdriver, info: HidDeviceInfo): DeviceQuirks {
  return sub.ids.find((r) => r.vendorId === info.vendorId && r.productId === info.productId)?.quirks ?? {};
}
