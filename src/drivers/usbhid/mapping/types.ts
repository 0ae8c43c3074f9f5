import type { HidDeviceInfo, HidField, ReportType } from '../hid-types.js';
import type { ConversionName } from './conversions.js';

/**
 * One row of a subdriver's table: which HID path feeds which NUT variable (or status bit, or
 * instant command), in NUT's hid_info_t terms. Rows are data; behaviour lives in the mapper and
 * in the named conversions.
 */
export interface MappingRow {
  /** NUT variable or command name; `BOOL` = the value feeds ups.status tokens; `ups.alarm` may repeat. */
  name: string;
  /** NUT-style HID path (names or 8-hex-digit usages; index nodes `[n]`). */
  path: string;
  flags?: RowFlags;
  /** printf format for plain values (`%.0f`, `%.1f`, `%s` …). */
  format?: string;
  /** ABSENT rows: the value published; command rows: the value written when no parameter is given. */
  default?: string;
  /** A named lookup table or conversion from conversions.ts. */
  convert?: ConversionName;
}

export interface RowFlags {
  /** ST_FLAG_RW: writable with SET VAR. */
  rw?: boolean;
  /** ST_FLAG_STRING with this maximum length (STRING:n). */
  string?: number;
  /** HU_FLAG_QUICK_POLL: read on every loop. */
  quickPoll?: boolean;
  /** HU_FLAG_STATIC: read at init only. */
  static?: boolean;
  /** HU_FLAG_SEMI_STATIC: read at init and after a write. */
  semiStatic?: boolean;
  /** HU_FLAG_ABSENT: not read from the device; the driver keeps the value (the path must still exist). */
  absent?: boolean;
  /** HU_TYPE_CMD: an instant command writing `default` (or the user's parameter) to the path. */
  command?: boolean;
  /** HU_FLAG_ENUM: publish the lookup's values as the variable's enum (RW rows only, as NUT). */
  enum?: boolean;
  /** HU_FLAG_PARAM_REQUIRED: the command needs a parameter. */
  paramRequired?: boolean;
}

/** A USB id a subdriver knows, with what NUT does differently for it. */
export interface DeviceIdRule {
  vendorId: number;
  productId: number;
  quirks?: DeviceQuirks;
}

export interface DeviceQuirks {
  /** No interrupt pipe: poll only (APC "5G" models, Legrand PDU). */
  pollOnly?: boolean;
  /** CyberPower: battery voltage may read 1.5x high; rescale by 2/3 when voltage/nominal > 1.4. */
  batteryVoltageCheck?: boolean;
  /** CyberPower: frequency may be in 0.1 Hz; rescale when the reading only fits that way. */
  frequencyCheck?: boolean;
  /** Tripp Lite: fixed factors for battery voltage, I/O voltage, frequency and current. */
  scale?: { battery?: number; ioVoltage?: number; ioFrequency?: number; ioCurrent?: number };
  /** Report IDs that must never be read (firmware bug). */
  skipReports?: number[];
}

/** What a subdriver says about a device: claimed, claimed only with `productid`, or not at all. */
export type ClaimVerdict = 'supported' | 'possibly' | 'no';

export interface Subdriver {
  /** Short name (`apc`, `cps` …), as upsgate logs it. */
  name: string;
  /** driver.version.data, as NUT 2.8.0's subdriver names itself. */
  versionData: string;
  /** The VID:PID table NUT matches (`is_usb_device_supported`). */
  ids: readonly DeviceIdRule[];
  /**
   * Overrides the table verdict for a device (NUT's vendor exceptions: Tripp Lite 09ae:0001 is
   * serial, Phoenixtec ids belong to liebert unless AEG …). Undefined = the table decides.
   */
  claimOverride?: (info: HidDeviceInfo, verdict: ClaimVerdict, productIdGiven: boolean) => boolean | undefined;
  /** Vendor usage names (name → 32-bit usage) for the descriptor parser's `names` and for paths. */
  usageNames: Readonly<Record<string, number>>;
  rows: readonly MappingRow[];
  /** The device counts delays in whole minutes: writes of seconds are rounded up to a minute. */
  delaysInMinutes?: boolean;
  /** ups.mfr / ups.model / ups.serial (and extra variables such as the APC firmware split). */
  identity: (info: HidDeviceInfo) => Identity;
  /** iProduct prefixes whose firmware overflows some reports: read them at the largest report size (NUT's maxreport). */
  maxReportProducts?: readonly string[];
  /** Repairs a parsed descriptor NUT knows to be wrong for this device; true when it changed something. */
  fixDescriptor?: (info: HidDeviceInfo, descriptor: DescriptorView) => boolean;
}

export interface Identity {
  mfr: string | undefined;
  model: string | undefined;
  serial: string | undefined;
  /** More variables the identity implies, in publishing order. */
  extra: Array<[name: string, value: string]>;
}

/** What the mapper needs of the parsed descriptor (the parser's HidDescriptor has it). */
export interface DescriptorView {
  readonly fields: readonly HidField[];
  find(path: string, type?: ReportType): HidField | undefined;
}
