import { GENERIC_ROWS } from './generic-rows.js';
import type { HidDeviceInfo } from '../hid-types.js';
import type { ClaimVerdict, DeviceIdRule, Subdriver } from './types.js';

/**
 * The other NUT 2.8.0 subdrivers: their USB ids and version texts, with the generic PDC rows
 * (their vendor tables are not re-expressed yet; the generic rows cover the PDC paths they share).
 */
interface Known {
  name: string;
  versionData: string;
  mfr: string | undefined;
  ids: Array<[vendorId: number, productId: number]>;
  pollOnly?: number[];
  claimOverride?: (info: HidDeviceInfo, verdict: ClaimVerdict, productIdGiven: boolean) => boolean | undefined;
}

const BELKIN = 0x050d;
const LIEBERT = 0x10af;
const PHOENIXTEC = 0x06da;
const ARDUINO = 0x2341;
const ARDUINO2 = 0x2a03;

const KNOWN: Known[] = [
  { name: 'arduino', versionData: 'Arduino HID 0.2', mfr: 'Arduino', ids: [[ARDUINO, 0x0036], [ARDUINO, 0x8036], [ARDUINO2, 0x0036], [ARDUINO2, 0x8036], [ARDUINO2, 0x0040], [ARDUINO2, 0x8040]] },
  {
    name: 'belkin',
    versionData: 'Belkin/Liebert HID 0.18',
    mfr: 'Belkin',
    ids: [[BELKIN, 0x0980], [BELKIN, 0x0900], [BELKIN, 0x0910], [BELKIN, 0x0912], [BELKIN, 0x0551], [BELKIN, 0x0750], [BELKIN, 0x0751], [BELKIN, 0x0375], [BELKIN, 0x0f51], [BELKIN, 0x1100], [LIEBERT, 0x0001], [LIEBERT, 0x0004], [LIEBERT, 0x0008]],
  },
  { name: 'delta_ups', versionData: 'Delta UPS HID 0.6', mfr: 'Delta', ids: [[0x05dd, 0x041b]] },
  { name: 'ever', versionData: 'Ever HID 0.1', mfr: 'Ever', ids: [[0x0483, 0xa113], [0x2e51, 0xffff], [0x2e51, 0x0000]] },
  { name: 'idowell', versionData: 'iDowell HID 0.2', mfr: 'iDowell', ids: [[0x075d, 0x0300]] },
  { name: 'legrand', versionData: 'Legrand HID 0.2', mfr: 'Legrand', ids: [[0x1cb0, 0x0038], [0x1cb0, 0x0032]], pollOnly: [0x0038] },
  { name: 'liebert', versionData: 'Phoenixtec/Liebert HID 0.41', mfr: 'Liebert', ids: [[PHOENIXTEC, 0xffff]] },
  { name: 'openups', versionData: 'openUPS HID 0.5', mfr: 'Minibox', ids: [[0x04d8, 0xd004], [0x04d8, 0xd005]] },
  { name: 'powercom', versionData: 'PowerCOM HID 0.6', mfr: 'PowerCOM', ids: [[0x0d9f, 0x00a2], [0x0d9f, 0x00a3], [0x0d9f, 0x00a4], [0x0d9f, 0x00a5], [0x0d9f, 0x00a6], [0x0d9f, 0x0004], [0x0d9f, 0x0001]] },
  { name: 'powervar', versionData: 'Powervar HID 0.20', mfr: 'Powervar', ids: [[0x4234, 0x0002]] },
  { name: 'salicru', versionData: 'Salicru HID 0.3', mfr: 'Salicru', ids: [[0x2e66, 0x0201], [0x2e66, 0x0202], [0x2e66, 0x0203], [0x2e66, 0x0300]] },
];

function subdriverOf(k: Known): Subdriver {
  const ids: DeviceIdRule[] = k.ids.map(([vendorId, productId]) =>
    k.pollOnly?.includes(productId) ? { vendorId, productId, quirks: { pollOnly: true } } : { vendorId, productId },
  );
  const base: Subdriver = {
    name: k.name,
    versionData: k.versionData,
    ids,
    usageNames: {},
    rows: GENERIC_ROWS,
    identity: (info) => ({ mfr: info.manufacturer ?? k.mfr, model: info.product, serial: info.serial, extra: [] }),
  };
  return k.claimOverride ? { ...base, claimOverride: k.claimOverride } : base;
}

export const OTHER_SUBDRIVERS: readonly Subdriver[] = KNOWN.map(subdriverOf);

export function otherSubdriver(name: string): Subdriver {
  const s = OTHER_SUBDRIVERS.find((d) => d.name === name);
  if (!s) throw new Error(`no subdriver ${name}`);
  return s;
}
