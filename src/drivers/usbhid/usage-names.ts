/**
 * NUT's usage names, as data: the names NUT 2.8.0 prints in HID paths (drivers/libhid.c
 * hid_usage_lkp, from the HID Power Device and Battery System usage tables, with NUT's own
 * spellings such as "iDevicename" and "SwitchOn/Off"). Each subdriver adds its vendor names in
 * front of these (descriptor-vendor-names.ts); NUT's "explore" mode has none, which is why an
 * explore dump prints APC's ff860060 where the apc subdriver prints APCStatusFlag.
 */
import { VENDOR_USAGE_NAMES, type VendorSubdriver } from './descriptor-vendor-names.js';

export type { VendorSubdriver } from './descriptor-vendor-names.js';

/** [usage, name], in NUT's order: where two names share a usage (or a name two usages), the first wins. */
export type UsageNameTable = ReadonlyArray<readonly [usage: number, name: string]>;

/** Usage <-> name, for one subdriver. */
export interface UsageNames {
  /** `explore` for the generic names alone. */
  readonly subdriver: VendorSubdriver | 'explore';
  /** The name printed for a path node, or undefined (printed as 8 hex digits, or `[n]`). */
  nameOf(usage: number): string | undefined;
  /** The usage a name stands for, case-insensitively as NUT looks it up, or undefined. */
  usageOf(name: string): number | undefined;
}

export const GENERIC_USAGE_NAMES: UsageNameTable = [
  [0x00840000, 'Undefined'], [0x00840001, 'iName'], [0x00840002, 'PresentStatus'], [0x00840003, 'ChangedStatus'],
  [0x00840004, 'UPS'], [0x00840005, 'PowerSupply'], [0x00840010, 'BatterySystem'], [0x00840011, 'BatterySystemID'],
  [0x00840012, 'Battery'], [0x00840013, 'BatteryID'], [0x00840014, 'Charger'], [0x00840015, 'ChargerID'],
  [0x00840016, 'PowerConverter'], [0x00840017, 'PowerConverterID'], [0x00840018, 'OutletSystem'],
  [0x00840019, 'OutletSystemID'], [0x0084001a, 'Input'], [0x0084001b, 'InputID'], [0x0084001c, 'Output'],
  [0x0084001d, 'OutputID'], [0x0084001e, 'Flow'], [0x0084001f, 'FlowID'], [0x00840020, 'Outlet'],
  [0x00840021, 'OutletID'], [0x00840022, 'Gang'], [0x00840023, 'GangID'], [0x00840024, 'PowerSummary'],
  [0x00840025, 'PowerSummaryID'], [0x00840030, 'Voltage'], [0x00840031, 'Current'], [0x00840032, 'Frequency'],
  [0x00840033, 'ApparentPower'], [0x00840034, 'ActivePower'], [0x00840035, 'PercentLoad'],
  [0x00840036, 'Temperature'], [0x00840037, 'Humidity'], [0x00840038, 'BadCount'], [0x00840040, 'ConfigVoltage'],
  [0x00840041, 'ConfigCurrent'], [0x00840042, 'ConfigFrequency'], [0x00840043, 'ConfigApparentPower'],
  [0x00840044, 'ConfigActivePower'], [0x00840045, 'ConfigPercentLoad'], [0x00840046, 'ConfigTemperature'],
  [0x00840047, 'ConfigHumidity'], [0x00840050, 'SwitchOnControl'], [0x00840051, 'SwitchOffControl'],
  [0x00840052, 'ToggleControl'], [0x00840053, 'LowVoltageTransfer'], [0x00840054, 'HighVoltageTransfer'],
  [0x00840055, 'DelayBeforeReboot'], [0x00840056, 'DelayBeforeStartup'], [0x00840057, 'DelayBeforeShutdown'],
  [0x00840058, 'Test'], [0x00840059, 'ModuleReset'], [0x0084005a, 'AudibleAlarmControl'], [0x00840060, 'Present'],
  [0x00840061, 'Good'], [0x00840062, 'InternalFailure'], [0x00840063, 'VoltageOutOfRange'],
  [0x00840064, 'FrequencyOutOfRange'], [0x00840065, 'Overload'], [0x00840066, 'OverCharged'],
  [0x00840067, 'OverTemperature'], [0x00840068, 'ShutdownRequested'], [0x00840069, 'ShutdownImminent'],
  [0x0084006b, 'SwitchOn/Off'], [0x0084006c, 'Switchable'], [0x0084006d, 'Used'], [0x0084006e, 'Boost'],
  [0x0084006f, 'Buck'], [0x00840070, 'Initialized'], [0x00840071, 'Tested'], [0x00840072, 'AwaitingPower'],
  [0x00840073, 'CommunicationLost'], [0x008400fd, 'iManufacturer'], [0x008400fe, 'iProduct'],
  [0x008400ff, 'iSerialNumber'], [0x00850000, 'Undefined'], [0x00850001, 'SMBBatteryMode'],
  [0x00850002, 'SMBBatteryStatus'], [0x00850003, 'SMBAlarmWarning'], [0x00850004, 'SMBChargerMode'],
  [0x00850005, 'SMBChargerStatus'], [0x00850006, 'SMBChargerSpecInfo'], [0x00850007, 'SMBSelectorState'],
  [0x00850008, 'SMBSelectorPresets'], [0x00850009, 'SMBSelectorInfo'], [0x00850010, 'OptionalMfgFunction1'],
  [0x00850011, 'OptionalMfgFunction2'], [0x00850012, 'OptionalMfgFunction3'], [0x00850013, 'OptionalMfgFunction4'],
  [0x00850014, 'OptionalMfgFunction5'], [0x00850015, 'ConnectionToSMBus'], [0x00850016, 'OutputConnection'],
  [0x00850017, 'ChargerConnection'], [0x00850018, 'BatteryInsertion'], [0x00850019, 'Usenext'],
  [0x0085001a, 'OKToUse'], [0x0085001b, 'BatterySupported'], [0x0085001c, 'SelectorRevision'],
  [0x0085001d, 'ChargingIndicator'], [0x00850028, 'ManufacturerAccess'], [0x00850029, 'RemainingCapacityLimit'],
  [0x0085002a, 'RemainingTimeLimit'], [0x0085002b, 'AtRate'], [0x0085002c, 'CapacityMode'],
  [0x0085002d, 'BroadcastToCharger'], [0x0085002e, 'PrimaryBattery'], [0x0085002f, 'ChargeController'],
  [0x00850040, 'TerminateCharge'], [0x00850041, 'TerminateDischarge'], [0x00850042, 'BelowRemainingCapacityLimit'],
  [0x00850043, 'RemainingTimeLimitExpired'], [0x00850044, 'Charging'], [0x00850045, 'Discharging'],
  [0x00850046, 'FullyCharged'], [0x00850047, 'FullyDischarged'], [0x00850048, 'ConditioningFlag'],
  [0x00850049, 'AtRateOK'], [0x0085004a, 'SMBErrorCode'], [0x0085004b, 'NeedReplacement'],
  [0x00850060, 'AtRateTimeToFull'], [0x00850061, 'AtRateTimeToEmpty'], [0x00850062, 'AverageCurrent'],
  [0x00850063, 'Maxerror'], [0x00850064, 'RelativeStateOfCharge'], [0x00850065, 'AbsoluteStateOfCharge'],
  [0x00850066, 'RemainingCapacity'], [0x00850067, 'FullChargeCapacity'], [0x00850068, 'RunTimeToEmpty'],
  [0x00850069, 'AverageTimeToEmpty'], [0x0085006a, 'AverageTimeToFull'], [0x0085006b, 'CycleCount'],
  [0x00850080, 'BattPackModelLevel'], [0x00850081, 'InternalChargeController'],
  [0x00850082, 'PrimaryBatterySupport'], [0x00850083, 'DesignCapacity'], [0x00850084, 'SpecificationInfo'],
  [0x00850085, 'ManufacturerDate'], [0x00850086, 'SerialNumber'], [0x00850087, 'iManufacturerName'],
  [0x00850088, 'iDevicename'], [0x00850089, 'iDeviceChemistry'], [0x0085008a, 'ManufacturerData'],
  [0x0085008b, 'Rechargeable'], [0x0085008c, 'WarningCapacityLimit'], [0x0085008d, 'CapacityGranularity1'],
  [0x0085008e, 'CapacityGranularity2'], [0x0085008f, 'iOEMInformation'], [0x008500c0, 'InhibitCharge'],
  [0x008500c1, 'EnablePolling'], [0x008500c2, 'ResetToZero'], [0x008500d0, 'ACPresent'],
  [0x008500d1, 'BatteryPresent'], [0x008500d2, 'PowerFail'], [0x008500d3, 'AlarmInhibited'],
  [0x008500d4, 'ThermistorUnderRange'], [0x008500d5, 'ThermistorHot'], [0x008500d6, 'ThermistorCold'],
  [0x008500d7, 'ThermistorOverRange'], [0x008500d8, 'VoltageOutOfRange'], [0x008500d9, 'CurrentOutOfRange'],
  [0x008500da, 'CurrentNotRegulated'], [0x008500db, 'VoltageNotRegulated'], [0x008500dc, 'MasterMode'],
  [0x008500f0, 'ChargerSelectorSupport'], [0x008500f1, 'ChargerSpec'], [0x008500f2, 'Level2'],
  [0x008500f3, 'Level3'],
];

const cache = new Map<string, UsageNames>();

/** The names a subdriver's paths use: its own table first (NUT lets it override), then the generic one. */
export function usageNames(subdriver: VendorSubdriver | 'explore' = 'explore'): UsageNames {
  let names = cache.get(subdriver);
  if (!names) {
    const vendor = subdriver === 'explore' ? [] : VENDOR_USAGE_NAMES[subdriver];
    names = fromTables(subdriver, [vendor, GENERIC_USAGE_NAMES]);
    cache.set(subdriver, names);
  }
  return names;
}

function fromTables(subdriver: VendorSubdriver | 'explore', tables: UsageNameTable[]): UsageNames {
  const byUsage = new Map<number, string>();
  const byName = new Map<string, number>();
  for (const table of tables) {
    for (const [usage, name] of table) {
      if (!byUsage.has(usage)) byUsage.set(usage, name);
      const key = name.toLowerCase();
      if (!byName.has(key)) byName.set(key, usage);
    }
  }
  return {
    subdriver,
    nameOf: (usage) => byUsage.get(usage),
    usageOf: (name) => byName.get(name.toLowerCase()),
  };
}

/** A subdriver's vendor names as name -> usage, for the mapping tables' paths. */
export function vendorUsageRecord(subdriver: VendorSubdriver): Readonly<Record<string, number>> {
  const record: Record<string, number> = {};
  // Where NUT's table repeats a name, the first one wins, as in the parser.
  for (const [usage, name] of VENDOR_USAGE_NAMES[subdriver]) if (!(name in record)) record[name] = usage;
  return record;
}
