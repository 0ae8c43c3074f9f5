/**
 * The USB vendors whose HID UPSes NUT 2.8's usbhid-ups subdrivers claim (HARDWARE.md §1.7, NUT's
 * scripts/upower/95-upower-hid.hwdb). One list serves three jobs: which hidraw nodes the bus
 * lists, which nodes the udev rule opens to the service group, and what `upsgate scan` offers.
 *
 * Vendors that also make keyboards, mice, development boards or hubs (HP, Dell, IBM, Belkin,
 * STMicro, Microchip, Arduino) are narrowed to the product IDs of their UPSes: granting their
 * whole vendor ID would open keyboards and security keys to the service user.
 */
export interface UpsVendor {
  vendorId: number;
  name: string;
  /** Only these products are UPSes; undefined = every product of this vendor is one. */
  productIds?: readonly number[];
}

export const UPS_VENDORS: readonly UpsVendor[] = [
  { vendorId: 0x051d, name: 'APC' },
  { vendorId: 0x0764, name: 'CyberPower' },
  { vendorId: 0x0483, name: 'STMicroelectronics (Cyber Energy, Ever)', productIds: [0xa113, 0xa430] },
  { vendorId: 0x0463, name: 'Eaton / MGE' },
  { vendorId: 0x047c, name: 'Dell', productIds: [0xffff] },
  { vendorId: 0x0592, name: 'Powerware' },
  {
    vendorId: 0x03f0,
    name: 'HP',
    productIds: [0x0001, 0x1f06, 0x1f08, 0x1f09, 0x1f0a, 0x1fe0, 0x1fe1, 0x1fe2, 0x1fe3, 0x1fe5, 0x1fe6, 0x1fe7, 0x1fe8],
  },
  { vendorId: 0x2b2d, name: 'AEG Power Solutions' },
  { vendorId: 0x06da, name: 'Phoenixtec / Liebert' },
  { vendorId: 0x04b3, name: 'IBM', productIds: [0x0001] },
  { vendorId: 0x09d6, name: 'KSTAR' },
  { vendorId: 0x09ae, name: 'Tripp Lite' },
  { vendorId: 0x05dd, name: 'Delta / Minuteman' },
  {
    vendorId: 0x050d,
    name: 'Belkin',
    productIds: [0x0375, 0x0551, 0x0750, 0x0751, 0x0900, 0x0910, 0x0912, 0x0980, 0x0f51, 0x1100],
  },
  { vendorId: 0x10af, name: 'Liebert' },
  { vendorId: 0x075d, name: 'iDowell' },
  { vendorId: 0x0d9f, name: 'Powercom' },
  { vendorId: 0x3746, name: 'EcoFlow' },
  { vendorId: 0x2e51, name: 'Ever' },
  { vendorId: 0x1cb0, name: 'Legrand' },
  { vendorId: 0x04d8, name: 'Microchip (openUPS)', productIds: [0xd004, 0xd005] },
  { vendorId: 0x4234, name: 'Powervar' },
  { vendorId: 0x2e66, name: 'Salicru' },
  { vendorId: 0x2341, name: 'Arduino', productIds: [0x0036, 0x8036] },
  { vendorId: 0x2a03, name: 'Arduino (arduino.org)', productIds: [0x0036, 0x0040, 0x8036, 0x8040] },
];

/** HID Power Device page, UPS usage: the top-level collection every PDC UPS declares. */
export const POWER_DEVICE_PAGE = 0x84;
export const UPS_USAGE = 0x04;

/** Four lower-case hex digits, as udev compares sysfs idVendor/idProduct and as NUT matches `vendorid`. */
export function hex4(n: number): string {
  return n.toString(16).padStart(4, '0');
}

/** A known UPS vendor, and when the vendor makes other HID devices too, a known UPS product. */
export function isUpsProduct(vendorId: number, productId: number): boolean {
  const vendor = UPS_VENDORS.find((v) => v.vendorId === vendorId);
  if (!vendor) return false;
  return vendor.productIds === undefined || vendor.productIds.includes(productId);
}

/** What the bus lists: a PDC UPS collection, or a product NUT's subdrivers know. */
export function looksLikeUps(d: { vendorId: number; productId: number; usagePage?: number | undefined; usage?: number | undefined }): boolean {
  if (d.usagePage === POWER_DEVICE_PAGE && d.usage === UPS_USAGE) return true;
  return isUpsProduct(d.vendorId, d.productId);
}
