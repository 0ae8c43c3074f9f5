import { vendorUsageRecord } from '../usage-names.js';
import { BEEPER_COMMAND_ROWS } from './generic-rows.js';
import type { DeviceIdRule, DeviceQuirks, MappingRow, Subdriver } from './types.js';

const TRIPPLITE = 0x09ae;
const HP = 0x03f0;
const DELTA = 0x05dd;
const RW5 = { rw: true, string: 5, semiStatic: true } as const;
const CMD = { command: true } as const;
const OUTLET = 'UPS.OutletSystem.Outlet';
const PS = 'UPS.PowerSummary.PresentStatus';
const BATT = 'UPS.BatterySystem.Battery.PresentStatus';

/** Tripp Lite's vendor usages (page 0xFFFF): the parser's table. */
export const TRIPPLITE_USAGE_NAMES = vendorUsageRecord('tripplite');


/** tripplite-hid's table (NUT 2.8.0), in its order. */
export const TRIPPLITE_ROWS: readonly MappingRow[] = [
  { name: 'device.part', path: 'UPS.TLCustom.[1].iUPSPartNumber', flags: { static: true }, convert: 'stringIndex' },
  { name: 'battery.charge', path: 'UPS.PowerSummary.RemainingCapacity', format: '%.0f' },
  { name: 'battery.charge', path: 'UPS.BatterySystem.Battery.RemainingCapacity', format: '%.0f' },
  { name: 'battery.charge.low', path: 'UPS.PowerSummary.RemainingCapacityLimit', format: '%.0f', flags: RW5 },
  { name: 'battery.charge.warning', path: 'UPS.PowerSummary.WarningCapacityLimit', format: '%.0f' },
  { name: 'battery.runtime', path: 'UPS.PowerSummary.RunTimeToEmpty', format: '%.0f' },
  { name: 'battery.voltage.nominal', path: 'UPS.BatterySystem.Battery.ConfigVoltage', format: '%.1f', flags: { static: true } },
  { name: 'battery.voltage', path: 'UPS.BatterySystem.Battery.Voltage', convert: 'tlBatteryVoltage' },
  { name: 'battery.type', path: 'UPS.PowerSummary.iDeviceChemistry', flags: { static: true }, convert: 'tlChemistry' },
  { name: 'battery.temperature', path: 'UPS.BatterySystem.Temperature', convert: 'kelvinToCelsius' },
  { name: 'ups.delay.start', path: `${OUTLET}.DelayBeforeStartup`, flags: { rw: true, string: 10, absent: true }, default: '30' },
  { name: 'ups.delay.start', path: `${OUTLET}.TLDelayBeforeStartup`, flags: { rw: true, string: 10, absent: true }, default: '30' },
  { name: 'ups.delay.start', path: 'UPS.TLCustom.[1].TLDelayBeforeStartup', flags: { rw: true, string: 6, absent: true }, default: '30' },
  { name: 'ups.timer.start', path: 'UPS.TLCustom.[1].DelayBeforeStartup', format: '%.0f', flags: { quickPoll: true } },
  { name: 'ups.delay.start', path: 'UPS.TLCustom.[1].AutoOnDelay', format: '%.0f', flags: { rw: true, string: 6 } },
  { name: 'ups.delay.shutdown', path: `${OUTLET}.DelayBeforeShutdown`, flags: { rw: true, string: 10, absent: true }, default: '20' },
  { name: 'ups.timer.start', path: `${OUTLET}.DelayBeforeStartup`, format: '%.0f', flags: { quickPoll: true } },
  { name: 'ups.timer.start', path: `${OUTLET}.TLDelayBeforeStartup`, format: '%.0f', flags: { quickPoll: true } },
  { name: 'ups.timer.shutdown', path: `${OUTLET}.DelayBeforeShutdown`, format: '%.0f', flags: { quickPoll: true } },
  { name: 'ups.timer.reboot', path: `${OUTLET}.DelayBeforeReboot`, format: '%.0f', flags: { quickPoll: true } },
  { name: 'ups.test.result', path: 'UPS.BatterySystem.Test', convert: 'testResult' },
  { name: 'ups.beeper.status', path: 'UPS.PowerSummary.AudibleAlarmControl', convert: 'beeperStatus' },
  { name: 'ups.power.nominal', path: 'UPS.Flow.ConfigApparentPower', format: '%.0f', flags: { static: true } },
  { name: 'ups.power', path: `${OUTLET}.ActivePower`, format: '%.1f' },
  { name: 'ups.power', path: 'UPS.PowerConverter.Output.ActivePower', format: '%.1f' },
  { name: 'ups.load', path: `${OUTLET}.PercentLoad`, format: '%.0f' },
  { name: 'ups.firmware', path: 'UPS.TLCustom.[1].UPSFirmwareVersion', format: '%.0f', flags: { static: true } },
  { name: 'ups.watchdog.status', path: `${OUTLET}.TLWatchdog`, format: '%.0f' },
  { name: 'BOOL', path: `${PS}.InternalFailure`, convert: 'commFault' },
  { name: 'BOOL', path: `${PS}.ShutdownImminent`, convert: 'shutdownImminent' },
  { name: 'BOOL', path: `${PS}.ACPresent`, flags: { quickPoll: true }, convert: 'online' },
  { name: 'BOOL', path: `${PS}.BelowRemainingCapacityLimit`, flags: { quickPoll: true }, convert: 'lowBattery' },
  { name: 'BOOL', path: `${PS}.FullyCharged`, flags: { quickPoll: true }, convert: 'fullyCharged' },
  { name: 'BOOL', path: `${PS}.Charging`, flags: { quickPoll: true }, convert: 'charging' },
  { name: 'BOOL', path: `${PS}.Discharging`, flags: { quickPoll: true }, convert: 'discharging' },
  { name: 'BOOL', path: `${PS}.FullyDischarged`, flags: { quickPoll: true }, convert: 'depleted' },
  { name: 'BOOL', path: `${PS}.NeedReplacement`, convert: 'replaceBattery' },
  { name: 'BOOL', path: `${PS}.TLACPresent`, flags: { quickPoll: true }, convert: 'online' },
  { name: 'BOOL', path: `${PS}.TLDischarging`, flags: { quickPoll: true }, convert: 'discharging' },
  { name: 'ups.load.nominal', path: 'UPS.Flow.ConfigPercentLoad', format: '%.0f' },
  { name: 'BOOL', path: `${PS}.TLCharging`, flags: { quickPoll: true }, convert: 'charging' },
  { name: 'BOOL', path: `${PS}.TLNeedReplacement`, convert: 'replaceBattery' },
  { name: 'BOOL', path: 'UPS.PowerConverter.PresentStatus.VoltageOutOfRange', convert: 'voltageOutOfRange' },
  { name: 'BOOL', path: 'UPS.PowerConverter.PresentStatus.Buck', convert: 'trim' },
  { name: 'BOOL', path: 'UPS.PowerConverter.PresentStatus.Boost', convert: 'boost' },
  { name: 'BOOL', path: 'UPS.PowerConverter.PresentStatus.Overload', convert: 'overload' },
  { name: 'BOOL', path: 'UPS.PowerConverter.PresentStatus.OverTemperature', convert: 'overheat' },
  { name: 'BOOL', path: 'UPS.PowerConverter.PresentStatus.InternalFailure', convert: 'commFault' },
  { name: 'BOOL', path: 'UPS.PowerConverter.PresentStatus.AwaitingPower', convert: 'awaitingPower' },
  { name: 'BOOL', path: `${BATT}.BelowRemainingCapacityLimit`, flags: { quickPoll: true }, convert: 'lowBattery' },
  { name: 'BOOL', path: `${BATT}.FullyCharged`, flags: { quickPoll: true }, convert: 'fullyCharged' },
  { name: 'BOOL', path: `${BATT}.Charging`, flags: { quickPoll: true }, convert: 'charging' },
  { name: 'BOOL', path: `${BATT}.Discharging`, flags: { quickPoll: true }, convert: 'discharging' },
  { name: 'BOOL', path: `${BATT}.FullyDischarged`, flags: { quickPoll: true }, convert: 'depleted' },
  { name: 'BOOL', path: `${BATT}.NeedReplacement`, convert: 'replaceBattery' },
  { name: 'input.voltage.nominal', path: 'UPS.PowerSummary.Input.ConfigVoltage', format: '%.0f', flags: { static: true } },
  { name: 'input.voltage', path: 'UPS.PowerSummary.Input.Voltage', convert: 'tlIoVoltage' },
  { name: 'input.voltage', path: 'UPS.PowerConverter.Input.Voltage', convert: 'tlIoVoltage' },
  { name: 'input.frequency', path: 'UPS.PowerConverter.Input.Frequency', convert: 'tlIoFrequency' },
  { name: 'input.transfer.low', path: 'UPS.PowerConverter.Output.LowVoltageTransfer', format: '%.1f', flags: RW5 },
  { name: 'input.transfer.low.max', path: 'UPS.PowerConverter.Output.TLLowVoltageTransferMax', format: '%.0f', flags: { static: true } },
  { name: 'input.transfer.low.min', path: 'UPS.PowerConverter.Output.TLLowVoltageTransferMin', format: '%.0f', flags: { static: true } },
  { name: 'input.transfer.high', path: 'UPS.PowerConverter.Output.HighVoltageTransfer', format: '%.1f', flags: RW5 },
  { name: 'input.transfer.high.max', path: 'UPS.PowerConverter.Output.TLHighVoltageTransferMax', format: '%.0f', flags: { static: true } },
  { name: 'input.transfer.high.min', path: 'UPS.PowerConverter.Output.TLHighVoltageTransferMin', format: '%.0f', flags: { static: true } },
  { name: 'output.voltage.nominal', path: 'UPS.Flow.ConfigVoltage', format: '%.0f', flags: { static: true } },
  { name: 'output.voltage', path: 'UPS.PowerConverter.Output.Voltage', convert: 'tlIoVoltage' },
  { name: 'output.voltage', path: 'UPS.PowerSummary.Voltage', convert: 'tlIoVoltage' },
  { name: 'output.current', path: 'UPS.PowerConverter.Output.Current', convert: 'tlIoCurrent' },
  { name: 'output.frequency.nominal', path: 'UPS.Flow.ConfigFrequency', format: '%.0f', flags: { static: true } },
  { name: 'output.frequency', path: 'UPS.PowerConverter.Output.Frequency', convert: 'tlIoFrequency' },
  { name: 'test.battery.start.quick', path: 'UPS.BatterySystem.Test', flags: CMD, default: '1' },
  { name: 'test.battery.start.deep', path: 'UPS.BatterySystem.Test', flags: CMD, default: '2' },
  { name: 'test.battery.stop', path: 'UPS.BatterySystem.Test', flags: CMD, default: '3' },
  { name: 'load.off.delay', path: `${OUTLET}.DelayBeforeShutdown`, flags: CMD, default: '20' },
  { name: 'load.on.delay', path: `${OUTLET}.DelayBeforeStartup`, flags: CMD, default: '30' },
  { name: 'load.on.delay', path: `${OUTLET}.TLDelayBeforeStartup`, flags: CMD, default: '30' },
  { name: 'shutdown.stop', path: `${OUTLET}.DelayBeforeShutdown`, flags: CMD, default: '-1' },
  { name: 'shutdown.reboot', path: `${OUTLET}.DelayBeforeReboot`, flags: CMD, default: '10' },
  { name: 'shutdown.reboot', path: `${OUTLET}.TLWatchdog`, flags: CMD, default: '10' },
  { name: 'reset.watchdog', path: `${OUTLET}.TLWatchdog`, flags: CMD, default: '60' },
  ...BEEPER_COMMAND_ROWS,
];

const TENTH: DeviceQuirks = { scale: { battery: 0.1 } };
const ONE: DeviceQuirks = { scale: { battery: 1 } };
/** SMART1500LCDT (3016, 3024): odd factors NUT found by experiment. */
const SMART1500LCDT: DeviceQuirks = { scale: { battery: 100000, ioVoltage: 100000, ioFrequency: 0.01, ioCurrent: 0.01 } };

const ids = (vendorId: number, quirks: DeviceQuirks, pids: number[]): DeviceIdRule[] => pids.map((productId) => ({ vendorId, productId, quirks }));

export const TRIPPLITE_SUBDRIVER: Subdriver = {
  name: 'tripplite',
  versionData: 'TrippLite HID 0.84',
  ids: [
    ...ids(TRIPPLITE, TENTH, [0x1003, 0x1007, 0x1008, 0x1009, 0x1010]),
    { vendorId: TRIPPLITE, productId: 0x1330, quirks: { ...ONE, skipReports: [0x54] } },
    ...ids(TRIPPLITE, TENTH, [0x2005, 0x2007, 0x2008, 0x2009, 0x2010, 0x2011, 0x2012, 0x2013, 0x2014]),
    ...ids(TRIPPLITE, ONE, [0x3008, 0x3009, 0x3010, 0x3011, 0x3012, 0x3013, 0x3014, 0x3015]),
    ...ids(TRIPPLITE, SMART1500LCDT, [0x3016, 0x3024]),
    ...ids(TRIPPLITE, ONE, [0x4001, 0x4002, 0x4003, 0x4004, 0x4005, 0x4006, 0x4007, 0x4008]),
    ...ids(HP, ONE, [0x0001, 0x1fe0, 0x1fe1, 0x1fe2, 0x1fe3, 0x1f06, 0x1f08, 0x1f09, 0x1f0a]),
    ...ids(DELTA, ONE, [0xa011]),
  ],
  // 09ae:0001 speaks Tripp Lite's serial protocol over USB (tripplite_usb), never HID PDC.
  claimOverride: (info, verdict, productIdGiven) => {
    if (verdict !== 'possibly') return undefined;
    if (info.vendorId === HP) return productIdGiven;
    return info.vendorId === TRIPPLITE && info.productId !== 0x0001 && productIdGiven;
  },
  usageNames: TRIPPLITE_USAGE_NAMES,
  rows: TRIPPLITE_ROWS,
  identity: (info) => ({ mfr: info.manufacturer, model: info.product, serial: info.serial, extra: [] }),
};
