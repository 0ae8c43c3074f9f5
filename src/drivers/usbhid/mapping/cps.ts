import type { HidDeviceInfo } from '../hid-types.js';
import { BEEPER_COMMAND_ROWS } from './generic-rows.js';
import { fieldsWithIdAndUsage } from './descriptor-fix.js';
import type { DescriptorView, MappingRow, Subdriver } from './types.js';

const CPS = 0x0764;
const STMICRO = 0x0483; // Cyber Energy units ship with ST Microelectronics' vendor id
const RW10 = { rw: true, string: 10 } as const;
const CMD = { command: true } as const;

export const CPS_USAGE_NAMES: Readonly<Record<string, number>> = {
  CPSFirmwareVersion: 0xff0100d0,
  CPSInputSensitivity: 0xff010043,
};

/**
 * cps-hid's table. NUT 2.8.0's rows, plus what later NUT added for these devices because 2.8.0
 * gets them wrong: delays counted in minutes (defaults 120/60 s instead of 30/20 s, which the UPS
 * truncates to "now"), frequencies in 0.1 Hz, transfer limits under UPS.Output, the input
 * sensitivity, the firmware string, NeedReplacement.
 */
export const CPS_ROWS: readonly MappingRow[] = [
  { name: 'battery.type', path: 'UPS.PowerSummary.iDeviceChemistry', convert: 'stringIndex' },
  { name: 'battery.mfr.date', path: 'UPS.PowerSummary.iOEMInformation', convert: 'stringIndex' },
  { name: 'battery.charge.warning', path: 'UPS.PowerSummary.WarningCapacityLimit', format: '%.0f' },
  { name: 'battery.charge.low', path: 'UPS.PowerSummary.RemainingCapacityLimit', format: '%.0f', flags: { ...RW10, semiStatic: true } },
  { name: 'battery.charge', path: 'UPS.PowerSummary.RemainingCapacity', convert: 'cpsCharge' },
  { name: 'battery.runtime', path: 'UPS.PowerSummary.RunTimeToEmpty', format: '%.0f' },
  { name: 'battery.runtime.low', path: 'UPS.PowerSummary.RemainingTimeLimit', format: '%.0f', flags: { ...RW10, semiStatic: true } },
  { name: 'battery.voltage.nominal', path: 'UPS.PowerSummary.ConfigVoltage', format: '%.0f' },
  { name: 'battery.voltage', path: 'UPS.PowerSummary.Voltage', convert: 'cpsBatteryVoltage' },
  { name: 'ups.load', path: 'UPS.Output.PercentLoad', format: '%.0f' },
  { name: 'ups.beeper.status', path: 'UPS.PowerSummary.AudibleAlarmControl', convert: 'beeperStatus' },
  { name: 'ups.test.result', path: 'UPS.Output.Test', convert: 'testResult' },
  { name: 'ups.realpower.nominal', path: 'UPS.Output.ConfigActivePower', format: '%.0f' },
  { name: 'ups.delay.start', path: 'UPS.Output.DelayBeforeStartup', flags: { ...RW10, absent: true }, default: '120' },
  { name: 'ups.delay.shutdown', path: 'UPS.Output.DelayBeforeShutdown', flags: { ...RW10, absent: true }, default: '60' },
  { name: 'ups.timer.start', path: 'UPS.Output.DelayBeforeStartup', format: '%.0f', flags: { quickPoll: true } },
  { name: 'ups.timer.shutdown', path: 'UPS.Output.DelayBeforeShutdown', format: '%.0f', flags: { quickPoll: true } },
  { name: 'ups.timer.reboot', path: 'UPS.Output.DelayBeforeReboot', format: '%.0f', flags: { quickPoll: true } },
  { name: 'ups.firmware', path: 'UPS.PowerSummary.CPSFirmwareVersion', flags: { static: true }, convert: 'stringIndex' },
  { name: 'BOOL', path: 'UPS.PowerSummary.PresentStatus.ACPresent', flags: { quickPoll: true }, convert: 'online' },
  { name: 'BOOL', path: 'UPS.PowerSummary.PresentStatus.Charging', flags: { quickPoll: true }, convert: 'charging' },
  { name: 'BOOL', path: 'UPS.PowerSummary.PresentStatus.Discharging', flags: { quickPoll: true }, convert: 'discharging' },
  { name: 'BOOL', path: 'UPS.PowerSummary.PresentStatus.BelowRemainingCapacityLimit', flags: { quickPoll: true }, convert: 'lowBattery' },
  { name: 'BOOL', path: 'UPS.PowerSummary.PresentStatus.FullyCharged', convert: 'fullyCharged' },
  { name: 'BOOL', path: 'UPS.PowerSummary.PresentStatus.RemainingTimeLimitExpired', convert: 'timeLimitExpired' },
  { name: 'BOOL', path: 'UPS.PowerSummary.PresentStatus.NeedReplacement', convert: 'replaceBattery' },
  { name: 'BOOL', path: 'UPS.Output.Boost', convert: 'boost' },
  { name: 'BOOL', path: 'UPS.Output.Overload', convert: 'overload' },
  { name: 'input.frequency', path: 'UPS.Input.Frequency', convert: 'cpsInputFrequency' },
  { name: 'input.voltage.nominal', path: 'UPS.Input.ConfigVoltage', format: '%.0f' },
  { name: 'input.voltage', path: 'UPS.Input.Voltage', format: '%.1f' },
  { name: 'input.transfer.low', path: 'UPS.Input.LowVoltageTransfer', format: '%.0f', flags: { ...RW10, semiStatic: true } },
  { name: 'input.transfer.high', path: 'UPS.Input.HighVoltageTransfer', format: '%.0f', flags: { ...RW10, semiStatic: true } },
  { name: 'input.transfer.low', path: 'UPS.Output.LowVoltageTransfer', format: '%.0f', flags: { ...RW10, semiStatic: true } },
  { name: 'input.transfer.high', path: 'UPS.Output.HighVoltageTransfer', format: '%.0f', flags: { ...RW10, semiStatic: true } },
  { name: 'input.sensitivity', path: 'UPS.Output.CPSInputSensitivity', flags: { rw: true, string: 10, semiStatic: true, enum: true }, convert: 'cpsSensitivity' },
  { name: 'output.frequency', path: 'UPS.Output.Frequency', convert: 'cpsOutputFrequency' },
  { name: 'output.voltage', path: 'UPS.Output.Voltage', format: '%.1f' },
  { name: 'output.voltage.nominal', path: 'UPS.Output.ConfigVoltage', format: '%.0f' },
  { name: 'test.battery.start.quick', path: 'UPS.Output.Test', flags: CMD, default: '1' },
  { name: 'test.battery.start.deep', path: 'UPS.Output.Test', flags: CMD, default: '2' },
  { name: 'test.battery.stop', path: 'UPS.Output.Test', flags: CMD, default: '3' },
  { name: 'load.off.delay', path: 'UPS.Output.DelayBeforeShutdown', flags: CMD, default: '60' },
  { name: 'load.on.delay', path: 'UPS.Output.DelayBeforeStartup', flags: CMD, default: '120' },
  { name: 'shutdown.stop', path: 'UPS.Output.DelayBeforeShutdown', flags: CMD, default: '-1' },
  { name: 'shutdown.reboot', path: 'UPS.Output.DelayBeforeReboot', flags: CMD, default: '10' },
  ...BEEPER_COMMAND_ROWS,
];

/**
 * CP900EPFCLCD-like firmware gives Output.Voltage (id 0x12) the limits of HighVoltageTransfer
 * (id 0x10); NUT 2.8.0 then widens the output voltage to 0..511.
 */
function cpsFixDescriptor(info: HidDeviceInfo, d: DescriptorView): boolean {
  if (info.vendorId !== CPS || info.productId !== 0x0501) return false;
  const hvt = fieldsWithIdAndUsage(d, 0x10, 0x00840054)[0];
  if (!hvt) return false;
  let changed = false;
  for (const out of fieldsWithIdAndUsage(d, 0x12, 0x00840030)) {
    if (out.logMin === hvt.logMin && out.logMax === hvt.logMax) {
      out.logMin = 0;
      out.logMax = 511;
      changed = true;
    }
  }
  return changed;
}

export const CPS_SUBDRIVER: Subdriver = {
  name: 'cps',
  versionData: 'CyberPower HID 0.6',
  ids: [
    { vendorId: CPS, productId: 0x0005 },
    { vendorId: CPS, productId: 0x0501, quirks: { batteryVoltageCheck: true, frequencyCheck: true } },
    { vendorId: CPS, productId: 0x0601 },
    { vendorId: STMICRO, productId: 0xa430 }, // later NUT: Cyber Energy
  ],
  // Of ST Microelectronics' ids only the Cyber Energy one: 0483 makes everything (ever-hid has a113).
  claimOverride: (info, verdict) => (info.vendorId === STMICRO && verdict === 'possibly' ? false : undefined),
  usageNames: CPS_USAGE_NAMES,
  rows: CPS_ROWS,
  delaysInMinutes: true,
  identity: (info) => ({ mfr: info.manufacturer ?? 'CPS', model: info.product, serial: info.serial, extra: [] }),
  fixDescriptor: cpsFixDescriptor,
};
