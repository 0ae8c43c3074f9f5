import type { MappingRow } from './types.js';

/**
 * What any USB HID Power Device Class UPS has, in the paths the HID PDC specification and the
 * vendor tables of NUT 2.8.0 agree on. Subdrivers for vendors without a table of their own
 * (Belkin, Powercom, Liebert …) use these rows, and the vendor tables below repeat them where
 * NUT's own tables do.
 */

const RW10 = { rw: true, string: 10 } as const;

export const DELAY_ROWS: readonly MappingRow[] = [
  { name: 'ups.delay.start', path: 'UPS.PowerSummary.DelayBeforeStartup', flags: { ...RW10, absent: true }, default: '30' },
  { name: 'ups.delay.shutdown', path: 'UPS.PowerSummary.DelayBeforeShutdown', flags: { ...RW10, absent: true }, default: '20' },
  { name: 'ups.timer.start', path: 'UPS.PowerSummary.DelayBeforeStartup', format: '%.0f', flags: { quickPoll: true } },
  { name: 'ups.timer.shutdown', path: 'UPS.PowerSummary.DelayBeforeShutdown', format: '%.0f', flags: { quickPoll: true } },
  { name: 'ups.timer.reboot', path: 'UPS.PowerSummary.DelayBeforeReboot', format: '%.0f', flags: { quickPoll: true } },
  { name: 'ups.delay.start', path: 'UPS.Output.DelayBeforeStartup', flags: { ...RW10, absent: true }, default: '30' },
  { name: 'ups.delay.shutdown', path: 'UPS.Output.DelayBeforeShutdown', flags: { ...RW10, absent: true }, default: '20' },
  { name: 'ups.timer.start', path: 'UPS.Output.DelayBeforeStartup', format: '%.0f', flags: { quickPoll: true } },
  { name: 'ups.timer.shutdown', path: 'UPS.Output.DelayBeforeShutdown', format: '%.0f', flags: { quickPoll: true } },
  { name: 'ups.timer.reboot', path: 'UPS.Output.DelayBeforeReboot', format: '%.0f', flags: { quickPoll: true } },
];

export const PRESENT_STATUS_ROWS: readonly MappingRow[] = [
  { name: 'BOOL', path: 'UPS.PowerSummary.PresentStatus.ACPresent', flags: { quickPoll: true }, convert: 'online' },
  { name: 'BOOL', path: 'UPS.PowerSummary.PresentStatus.Discharging', flags: { quickPoll: true }, convert: 'discharging' },
  { name: 'BOOL', path: 'UPS.PowerSummary.PresentStatus.Charging', flags: { quickPoll: true }, convert: 'charging' },
  { name: 'BOOL', path: 'UPS.PowerSummary.PresentStatus.ShutdownImminent', convert: 'shutdownImminent' },
  { name: 'BOOL', path: 'UPS.PowerSummary.PresentStatus.BelowRemainingCapacityLimit', flags: { quickPoll: true }, convert: 'lowBattery' },
  { name: 'BOOL', path: 'UPS.PowerSummary.PresentStatus.Overload', convert: 'overload' },
  { name: 'BOOL', path: 'UPS.PowerSummary.PresentStatus.NeedReplacement', convert: 'replaceBattery' },
  { name: 'BOOL', path: 'UPS.PowerSummary.PresentStatus.RemainingTimeLimitExpired', convert: 'timeLimitExpired' },
  { name: 'BOOL', path: 'UPS.PowerSummary.PresentStatus.BatteryPresent', convert: 'noBattery' },
  { name: 'BOOL', path: 'UPS.PowerSummary.PresentStatus.FullyCharged', convert: 'fullyCharged' },
];

export const PDC_COMMAND_ROWS: readonly MappingRow[] = [
  { name: 'test.battery.start.quick', path: 'UPS.BatterySystem.Battery.Test', flags: { command: true }, default: '1' },
  { name: 'test.battery.start.quick', path: 'UPS.Battery.Test', flags: { command: true }, default: '1' },
  { name: 'test.battery.start.deep', path: 'UPS.BatterySystem.Battery.Test', flags: { command: true }, default: '2' },
  { name: 'test.battery.start.deep', path: 'UPS.Battery.Test', flags: { command: true }, default: '2' },
  { name: 'test.battery.stop', path: 'UPS.BatterySystem.Battery.Test', flags: { command: true }, default: '3' },
  { name: 'test.battery.stop', path: 'UPS.Battery.Test', flags: { command: true }, default: '3' },
  { name: 'load.off.delay', path: 'UPS.PowerSummary.DelayBeforeShutdown', flags: { command: true }, default: '20' },
  { name: 'load.on.delay', path: 'UPS.PowerSummary.DelayBeforeStartup', flags: { command: true }, default: '30' },
  { name: 'shutdown.stop', path: 'UPS.PowerSummary.DelayBeforeShutdown', flags: { command: true }, default: '-1' },
  { name: 'shutdown.reboot', path: 'UPS.PowerSummary.DelayBeforeReboot', flags: { command: true }, default: '10' },
  { name: 'load.off.delay', path: 'UPS.Output.DelayBeforeShutdown', flags: { command: true }, default: '20' },
  { name: 'load.on.delay', path: 'UPS.Output.DelayBeforeStartup', flags: { command: true }, default: '30' },
  { name: 'shutdown.stop', path: 'UPS.Output.DelayBeforeShutdown', flags: { command: true }, default: '-1' },
  { name: 'shutdown.reboot', path: 'UPS.Output.DelayBeforeReboot', flags: { command: true }, default: '10' },
];

/** AudibleAlarmControl: 1 disabled, 2 enabled, 3 muted (beeper.on/off are renamed before lookup). */
export const BEEPER_COMMAND_ROWS: readonly MappingRow[] = [
  { name: 'beeper.enable', path: 'UPS.PowerSummary.AudibleAlarmControl', flags: { command: true }, default: '2' },
  { name: 'beeper.disable', path: 'UPS.PowerSummary.AudibleAlarmControl', flags: { command: true }, default: '1' },
  { name: 'beeper.mute', path: 'UPS.PowerSummary.AudibleAlarmControl', flags: { command: true }, default: '3' },
];

export const GENERIC_ROWS: readonly MappingRow[] = [
  { name: 'battery.charge', path: 'UPS.PowerSummary.RemainingCapacity', format: '%.0f' },
  { name: 'battery.charge', path: 'UPS.BatterySystem.Battery.RemainingCapacity', format: '%.0f' },
  { name: 'battery.charge.low', path: 'UPS.PowerSummary.RemainingCapacityLimit', format: '%.0f', flags: { ...RW10, semiStatic: true } },
  { name: 'battery.charge.warning', path: 'UPS.PowerSummary.WarningCapacityLimit', format: '%.0f' },
  { name: 'battery.runtime', path: 'UPS.Battery.RunTimeToEmpty', format: '%.0f' },
  { name: 'battery.runtime', path: 'UPS.PowerSummary.RunTimeToEmpty', format: '%.0f' },
  { name: 'battery.runtime.low', path: 'UPS.Battery.RemainingTimeLimit', format: '%.0f', flags: { ...RW10, semiStatic: true } },
  { name: 'battery.runtime.low', path: 'UPS.PowerSummary.RemainingTimeLimit', format: '%.0f', flags: { ...RW10, semiStatic: true } },
  { name: 'battery.voltage', path: 'UPS.Battery.Voltage', format: '%.1f' },
  { name: 'battery.voltage', path: 'UPS.BatterySystem.Battery.Voltage', format: '%.1f' },
  { name: 'battery.voltage', path: 'UPS.PowerSummary.Voltage', format: '%.1f' },
  { name: 'battery.voltage.nominal', path: 'UPS.Battery.ConfigVoltage', format: '%.1f' },
  { name: 'battery.voltage.nominal', path: 'UPS.BatterySystem.Battery.ConfigVoltage', format: '%.1f' },
  { name: 'battery.voltage.nominal', path: 'UPS.PowerSummary.ConfigVoltage', format: '%.1f' },
  { name: 'battery.temperature', path: 'UPS.Battery.Temperature', convert: 'kelvinToCelsius' },
  { name: 'battery.type', path: 'UPS.PowerSummary.iDeviceChemistry', convert: 'stringIndex' },
  { name: 'battery.mfr.date', path: 'UPS.Battery.ManufacturerDate', flags: { ...RW10, semiStatic: true }, convert: 'pdcDate' },
  { name: 'ups.load', path: 'UPS.Output.PercentLoad', format: '%.0f' },
  { name: 'ups.load', path: 'UPS.PowerConverter.PercentLoad', format: '%.0f' },
  { name: 'ups.load', path: 'UPS.PowerSummary.PercentLoad', format: '%.0f' },
  ...DELAY_ROWS,
  { name: 'ups.test.result', path: 'UPS.Battery.Test', convert: 'testResult' },
  { name: 'ups.test.result', path: 'UPS.BatterySystem.Battery.Test', convert: 'testResult' },
  { name: 'ups.test.result', path: 'UPS.Output.Test', convert: 'testResult' },
  { name: 'ups.beeper.status', path: 'UPS.PowerSummary.AudibleAlarmControl', convert: 'beeperStatus' },
  { name: 'ups.mfr.date', path: 'UPS.ManufacturerDate', convert: 'pdcDate' },
  { name: 'ups.mfr.date', path: 'UPS.PowerSummary.ManufacturerDate', convert: 'pdcDate' },
  { name: 'ups.realpower.nominal', path: 'UPS.PowerConverter.ConfigActivePower', format: '%.0f' },
  { name: 'ups.realpower.nominal', path: 'UPS.Output.ConfigActivePower', format: '%.0f' },
  ...PRESENT_STATUS_ROWS,
  // Older firmware puts the flags straight under PowerSummary.
  { name: 'BOOL', path: 'UPS.PowerSummary.ACPresent', flags: { quickPoll: true }, convert: 'online' },
  { name: 'BOOL', path: 'UPS.PowerSummary.Discharging', flags: { quickPoll: true }, convert: 'discharging' },
  { name: 'BOOL', path: 'UPS.PowerSummary.Charging', flags: { quickPoll: true }, convert: 'charging' },
  { name: 'BOOL', path: 'UPS.PowerSummary.BelowRemainingCapacityLimit', flags: { quickPoll: true }, convert: 'lowBattery' },
  { name: 'BOOL', path: 'UPS.PowerSummary.ShutdownImminent', convert: 'shutdownImminent' },
  { name: 'BOOL', path: 'UPS.Output.Boost', convert: 'boost' },
  { name: 'BOOL', path: 'UPS.Output.Overload', convert: 'overload' },
  { name: 'input.voltage', path: 'UPS.Input.Voltage', format: '%.1f' },
  { name: 'input.voltage.nominal', path: 'UPS.Input.ConfigVoltage', format: '%.0f' },
  { name: 'input.frequency', path: 'UPS.Input.Frequency', format: '%.1f' },
  { name: 'input.transfer.low', path: 'UPS.Input.LowVoltageTransfer', format: '%.0f', flags: { ...RW10, semiStatic: true } },
  { name: 'input.transfer.high', path: 'UPS.Input.HighVoltageTransfer', format: '%.0f', flags: { ...RW10, semiStatic: true } },
  { name: 'input.transfer.low', path: 'UPS.Output.LowVoltageTransfer', format: '%.0f', flags: { ...RW10, semiStatic: true } },
  { name: 'input.transfer.high', path: 'UPS.Output.HighVoltageTransfer', format: '%.0f', flags: { ...RW10, semiStatic: true } },
  { name: 'output.voltage', path: 'UPS.Output.Voltage', format: '%.1f' },
  { name: 'output.voltage.nominal', path: 'UPS.Output.ConfigVoltage', format: '%.1f' },
  { name: 'output.current', path: 'UPS.Output.Current', format: '%.2f' },
  { name: 'output.frequency', path: 'UPS.Output.Frequency', format: '%.1f' },
  ...PDC_COMMAND_ROWS,
  ...BEEPER_COMMAND_ROWS,
];
