import type { HidDeviceInfo } from '../hid-types.js';
import { vendorUsageRecord } from '../usage-names.js';

/** Eaton / MGE's vendor usages (page 0xFFFF), as NUT 2.8.0's mge-hid names them in paths: the parser's table. */
export const MGE_USAGE_NAMES = vendorUsageRecord('mge');
import type { ClaimVerdict, MappingRow, Subdriver } from './types.js';

const MGE = 0x0463;
const DELL = 0x047c;
const POWERWARE = 0x0592;
const HP = 0x03f0;
const AEG = 0x2b2d;
const PHOENIXTEC = 0x06da;
const IBM = 0x04b3;
const RW = (n: number) => ({ rw: true, string: n }) as const;
const CMD = { command: true } as const;
const SEMI = { semiStatic: true } as const;
const IN1 = 'UPS.PowerConverter.Input.[1]';

/**
 * mge-hid's table (NUT 2.8.0), the rows that need no model knowledge. Left out: rows whose
 * conversions depend on the model family (ABM charger status, Pegasus thresholds, computed real
 * power, nominal output voltage ranges, battery voltage/capacity fix-ups, country, date/time).
 */
export const MGE_ROWS: readonly MappingRow[] = [
  { name: 'battery.charge', path: 'UPS.PowerSummary.RemainingCapacity', format: '%.0f' },
  { name: 'battery.charge.low', path: 'UPS.PowerSummary.RemainingCapacityLimitSetting', format: '%.0f', flags: { ...RW(5), ...SEMI } },
  { name: 'battery.charge.low', path: 'UPS.PowerSummary.RemainingCapacityLimit', format: '%.0f', flags: { static: true } },
  { name: 'battery.charge.restart', path: 'UPS.PowerSummary.RestartLevel', format: '%.0f', flags: { ...RW(3), ...SEMI } },
  { name: 'battery.runtime', path: 'UPS.PowerSummary.RunTimeToEmpty', format: '%.0f' },
  { name: 'battery.runtime.low', path: 'UPS.PowerSummary.RemainingTimeLimit', format: '%.0f', flags: RW(10) },
  { name: 'battery.runtime.elapsed', path: 'UPS.StatisticSystem.Input.[1].Statistic.[1].Time', format: '%.0f', flags: { quickPoll: true } },
  { name: 'battery.temperature', path: 'UPS.BatterySystem.Battery.Temperature', convert: 'kelvinToCelsius' },
  { name: 'battery.type', path: 'UPS.PowerSummary.iDeviceChemistry', flags: { static: true }, convert: 'stringIndex' },
  { name: 'battery.voltage', path: 'UPS.BatterySystem.Voltage', format: '%.1f' },
  { name: 'battery.voltage.nominal', path: 'UPS.BatterySystem.ConfigVoltage', format: '%.0f', flags: { static: true } },
  { name: 'battery.protection', path: 'UPS.BatterySystem.Battery.DeepDischargeProtection', flags: { ...RW(5), ...SEMI }, convert: 'yesNo' },
  { name: 'battery.energysave', path: 'UPS.PowerConverter.Input.[3].EnergySaving', flags: { ...RW(5), ...SEMI }, convert: 'yesNo' },
  { name: 'ups.efficiency', path: 'UPS.PowerConverter.Output.Efficiency', format: '%.0f' },
  { name: 'ups.firmware', path: 'UPS.PowerSummary.iVersion', flags: { static: true }, convert: 'stringIndex' },
  { name: 'ups.load', path: 'UPS.PowerSummary.PercentLoad', format: '%.0f' },
  { name: 'ups.load.high', path: 'UPS.Flow.[4].ConfigPercentLoad', format: '%.0f', flags: { ...RW(5), ...SEMI } },
  { name: 'ups.delay.start', path: 'UPS.PowerSummary.DelayBeforeStartup', flags: { ...RW(10), absent: true }, default: '30' },
  { name: 'ups.delay.shutdown', path: 'UPS.PowerSummary.DelayBeforeShutdown', flags: { ...RW(10), absent: true }, default: '20' },
  { name: 'ups.timer.start', path: 'UPS.PowerSummary.DelayBeforeStartup', format: '%.0f', flags: { quickPoll: true } },
  { name: 'ups.timer.shutdown', path: 'UPS.PowerSummary.DelayBeforeShutdown', format: '%.0f', flags: { quickPoll: true } },
  { name: 'ups.timer.reboot', path: 'UPS.PowerSummary.DelayBeforeReboot', format: '%.0f', flags: { quickPoll: true } },
  { name: 'ups.test.result', path: 'UPS.BatterySystem.Battery.Test', convert: 'testResult' },
  { name: 'ups.test.interval', path: 'UPS.BatterySystem.Battery.TestPeriod', format: '%.0f', flags: { ...RW(8), ...SEMI } },
  { name: 'ups.beeper.status', path: 'UPS.BatterySystem.Battery.AudibleAlarmControl', flags: SEMI, convert: 'beeperStatus' },
  { name: 'ups.beeper.status', path: 'UPS.PowerSummary.AudibleAlarmControl', flags: SEMI, convert: 'beeperStatus' },
  { name: 'ups.temperature', path: 'UPS.PowerSummary.Temperature', convert: 'kelvinToCelsius' },
  { name: 'ups.power', path: 'UPS.PowerConverter.Output.ApparentPower', format: '%.0f' },
  { name: 'ups.power.nominal', path: 'UPS.Flow.[4].ConfigApparentPower', format: '%.0f', flags: { static: true } },
  { name: 'ups.realpower', path: 'UPS.PowerConverter.Output.ActivePower', format: '%.0f' },
  { name: 'ups.realpower.nominal', path: 'UPS.Flow.[4].ConfigActivePower', format: '%.0f', flags: { static: true } },
  { name: 'ups.start.auto', path: `${IN1}.AutomaticRestart`, flags: { ...RW(5), ...SEMI }, convert: 'yesNo' },
  { name: 'ups.start.battery', path: 'UPS.PowerConverter.Input.[3].StartOnBattery', flags: { ...RW(5), ...SEMI }, convert: 'yesNo' },
  { name: 'ups.start.reboot', path: 'UPS.PowerConverter.Output.ForcedReboot', flags: { ...RW(5), ...SEMI }, convert: 'yesNo' },
  { name: 'ups.shutdown', path: 'UPS.PowerSummary.PresentStatus.Switchable', flags: { ...RW(10), ...SEMI, enum: true }, convert: 'enabledDisabled' },
  { name: 'ups.type', path: 'UPS.PowerConverter.ConverterType', flags: { static: true }, convert: 'eatonUpsType' },
  { name: 'BOOL', path: 'UPS.PowerSummary.PresentStatus.ACPresent', flags: { quickPoll: true }, convert: 'online' },
  { name: 'BOOL', path: 'UPS.PowerConverter.Input.[3].PresentStatus.Used', convert: 'onBattery' },
  { name: 'BOOL', path: 'UPS.PowerSummary.PresentStatus.Discharging', flags: { quickPoll: true }, convert: 'discharging' },
  { name: 'BOOL', path: 'UPS.PowerSummary.PresentStatus.Charging', flags: { quickPoll: true }, convert: 'charging' },
  { name: 'BOOL', path: 'UPS.PowerSummary.PresentStatus.BelowRemainingCapacityLimit', flags: { quickPoll: true }, convert: 'lowBattery' },
  { name: 'BOOL', path: 'UPS.PowerConverter.Output.Overload.[1].PresentStatus.OverThreshold', convert: 'overload' },
  { name: 'BOOL', path: 'UPS.PowerConverter.Output.Overload.[2].PresentStatus.OverThreshold', convert: 'overload' },
  { name: 'BOOL', path: 'UPS.PowerSummary.PresentStatus.Overload', convert: 'overload' },
  { name: 'BOOL', path: 'UPS.PowerSummary.PresentStatus.NeedReplacement', convert: 'replaceBattery' },
  { name: 'BOOL', path: 'UPS.LCMSystem.LCMAlarm.[2].PresentStatus.TimerExpired', convert: 'replaceBattery' },
  { name: 'BOOL', path: `${IN1}.PresentStatus.Buck`, convert: 'trim' },
  { name: 'BOOL', path: `${IN1}.PresentStatus.Boost`, convert: 'boost' },
  { name: 'BOOL', path: `${IN1}.PresentStatus.VoltageOutOfRange`, convert: 'voltageOutOfRange' },
  { name: 'BOOL', path: `${IN1}.PresentStatus.FrequencyOutOfRange`, convert: 'frequencyOutOfRange' },
  { name: 'BOOL', path: 'UPS.PowerSummary.PresentStatus.Good', convert: 'off' },
  { name: 'BOOL', path: `${IN1}.PresentStatus.Used`, convert: 'eatonConverterOnline' },
  { name: 'BOOL', path: 'UPS.PowerConverter.Input.[2].PresentStatus.Used', convert: 'bypassAuto' },
  { name: 'BOOL', path: 'UPS.PowerConverter.Input.[4].PresentStatus.Used', convert: 'bypassManual' },
  { name: 'BOOL', path: 'UPS.PowerSummary.PresentStatus.FanFailure', convert: 'fanFail' },
  { name: 'BOOL', path: 'UPS.BatterySystem.Battery.PresentStatus.Present', convert: 'noBattery' },
  { name: 'BOOL', path: 'UPS.BatterySystem.Charger.PresentStatus.InternalFailure', convert: 'chargerFail' },
  { name: 'BOOL', path: 'UPS.BatterySystem.Charger.PresentStatus.VoltageTooHigh', convert: 'battVoltHigh' },
  { name: 'BOOL', path: `${IN1}.PresentStatus.VoltageTooHigh`, convert: 'battVoltHigh' },
  { name: 'BOOL', path: 'UPS.BatterySystem.Battery.PresentStatus.VoltageTooHigh', convert: 'battVoltHigh' },
  { name: 'BOOL', path: 'UPS.BatterySystem.Charger.PresentStatus.VoltageTooLow', convert: 'battVoltLow' },
  { name: 'BOOL', path: `${IN1}.PresentStatus.VoltageTooLow`, convert: 'onBattery' },
  { name: 'BOOL', path: 'UPS.PowerSummary.PresentStatus.InternalFailure', convert: 'commFault' },
  { name: 'BOOL', path: 'UPS.PowerSummary.PresentStatus.OverTemperature', convert: 'overheat' },
  { name: 'BOOL', path: 'UPS.PowerSummary.PresentStatus.ShutdownImminent', convert: 'shutdownImminent' },
  { name: 'ups.alarm', path: 'UPS.PowerSummary.PresentStatus.EmergencyStop', convert: 'eatonEmergencyStop' },
  { name: 'ups.alarm', path: `${IN1}.PresentStatus.WiringFault`, convert: 'eatonWiringFault' },
  { name: 'ups.alarm', path: 'UPS.PowerSummary.PresentStatus.ConfigurationFailure', convert: 'eatonConfigFailure' },
  { name: 'ups.alarm', path: 'UPS.PowerConverter.Inverter.PresentStatus.VoltageTooHigh', convert: 'eatonInverterVoltHigh' },
  { name: 'ups.alarm', path: 'UPS.PowerConverter.Inverter.PresentStatus.VoltageTooLow', convert: 'eatonInverterVoltLow' },
  { name: 'ups.alarm', path: 'UPS.PowerConverter.Output.PresentStatus.ShortCircuit', convert: 'eatonShortCircuit' },
  { name: 'input.voltage', path: `${IN1}.Voltage`, format: '%.1f' },
  { name: 'input.voltage.nominal', path: 'UPS.Flow.[1].ConfigVoltage', format: '%.0f', flags: { static: true } },
  { name: 'input.current', path: `${IN1}.Current`, format: '%.2f' },
  { name: 'input.current.nominal', path: 'UPS.Flow.[1].ConfigCurrent', format: '%.2f', flags: { static: true } },
  { name: 'input.frequency', path: `${IN1}.Frequency`, format: '%.1f' },
  { name: 'input.frequency.nominal', path: 'UPS.Flow.[1].ConfigFrequency', format: '%.0f', flags: { static: true } },
  { name: 'input.transfer.low', path: 'UPS.PowerConverter.Output.LowVoltageTransfer', format: '%.0f', flags: { ...RW(5), ...SEMI } },
  { name: 'input.transfer.boost.low', path: 'UPS.PowerConverter.Output.LowVoltageBoostTransfer', format: '%.0f', flags: { ...RW(5), ...SEMI } },
  { name: 'input.transfer.boost.high', path: 'UPS.PowerConverter.Output.HighVoltageBoostTransfer', format: '%.0f', flags: { ...RW(5), ...SEMI } },
  { name: 'input.transfer.trim.low', path: 'UPS.PowerConverter.Output.LowVoltageBuckTransfer', format: '%.0f', flags: { ...RW(5), ...SEMI } },
  { name: 'input.transfer.high', path: 'UPS.PowerConverter.Output.HighVoltageTransfer', format: '%.0f', flags: { ...RW(5), ...SEMI } },
  { name: 'input.transfer.trim.high', path: 'UPS.PowerConverter.Output.HighVoltageBuckTransfer', format: '%.0f', flags: { ...RW(5), ...SEMI } },
  { name: 'input.sensitivity', path: 'UPS.PowerConverter.Output.SensitivityMode', flags: { ...RW(10), ...SEMI }, convert: 'eatonSensitivity' },
  { name: 'input.bypass.voltage', path: 'UPS.PowerConverter.Input.[2].Voltage', format: '%.1f' },
  { name: 'input.bypass.frequency', path: 'UPS.PowerConverter.Input.[2].Frequency', format: '%.1f' },
  { name: 'output.voltage', path: 'UPS.PowerConverter.Output.Voltage', format: '%.1f' },
  { name: 'output.current', path: 'UPS.PowerConverter.Output.Current', format: '%.2f' },
  { name: 'output.current.nominal', path: 'UPS.Flow.[4].ConfigCurrent', format: '%.2f' },
  { name: 'output.frequency', path: 'UPS.PowerConverter.Output.Frequency', format: '%.1f' },
  { name: 'output.frequency.nominal', path: 'UPS.Flow.[4].ConfigFrequency', format: '%.0f', flags: { static: true } },
  { name: 'outlet.id', path: 'UPS.OutletSystem.Outlet.[1].OutletID', format: '%.0f', flags: { static: true } },
  { name: 'outlet.desc', path: 'UPS.OutletSystem.Outlet.[1].OutletID', flags: { ...RW(20), absent: true }, default: 'Main Outlet' },
  { name: 'outlet.switchable', path: 'UPS.OutletSystem.Outlet.[1].PresentStatus.Switchable', flags: { static: true }, convert: 'yesNo' },
  ...[1, 2].flatMap((n): MappingRow[] => {
    const o = `UPS.OutletSystem.Outlet.[${n + 1}]`;
    return [
      { name: `outlet.${n}.id`, path: `${o}.OutletID`, format: '%.0f', flags: { static: true } },
      { name: `outlet.${n}.desc`, path: `${o}.OutletID`, flags: { ...RW(20), absent: true }, default: `PowerShare Outlet ${n}` },
      { name: `outlet.${n}.switchable`, path: `${o}.PresentStatus.Switchable`, convert: 'yesNo' },
      { name: `outlet.${n}.status`, path: `${o}.PresentStatus.SwitchOn/Off`, convert: 'onOff' },
      { name: `outlet.${n}.delay.shutdown`, path: `${o}.ShutdownTimer`, format: '%.0f', flags: { ...RW(5), ...SEMI } },
      { name: `outlet.${n}.delay.start`, path: `${o}.StartupTimer`, format: '%.0f', flags: { ...RW(5), ...SEMI } },
      { name: `outlet.${n}.load.off`, path: `${o}.DelayBeforeShutdown`, flags: CMD, default: '0' },
      { name: `outlet.${n}.load.on`, path: `${o}.DelayBeforeStartup`, flags: CMD, default: '0' },
    ];
  }),
  { name: 'test.battery.start.quick', path: 'UPS.BatterySystem.Battery.Test', flags: CMD, default: '1' },
  { name: 'test.battery.start.deep', path: 'UPS.BatterySystem.Battery.Test', flags: CMD, default: '2' },
  { name: 'test.battery.stop', path: 'UPS.BatterySystem.Battery.Test', flags: CMD, default: '3' },
  { name: 'load.off.delay', path: 'UPS.PowerSummary.DelayBeforeShutdown', flags: CMD, default: '20' },
  { name: 'load.on.delay', path: 'UPS.PowerSummary.DelayBeforeStartup', flags: CMD, default: '30' },
  { name: 'shutdown.stop', path: 'UPS.PowerSummary.DelayBeforeShutdown', flags: CMD, default: '-1' },
  { name: 'shutdown.reboot', path: 'UPS.PowerSummary.DelayBeforeReboot', flags: CMD, default: '10' },
  { name: 'beeper.mute', path: 'UPS.BatterySystem.Battery.AudibleAlarmControl', flags: CMD, default: '3' },
  { name: 'beeper.mute', path: 'UPS.PowerSummary.AudibleAlarmControl', flags: CMD, default: '3' },
  { name: 'beeper.disable', path: 'UPS.BatterySystem.Battery.AudibleAlarmControl', flags: CMD, default: '1' },
  { name: 'beeper.disable', path: 'UPS.PowerSummary.AudibleAlarmControl', flags: CMD, default: '1' },
  { name: 'beeper.enable', path: 'UPS.BatterySystem.Battery.AudibleAlarmControl', flags: CMD, default: '2' },
  { name: 'beeper.enable', path: 'UPS.PowerSummary.AudibleAlarmControl', flags: CMD, default: '2' },
];

const mentionsAeg = (info: HidDeviceInfo): boolean => `${info.manufacturer ?? ''} ${info.product ?? ''}`.includes('AEG');

/** HP and Dell make many USB devices that are not UPSes; Phoenixtec ids belong to liebert-hid unless AEG. */
function mgeClaim(info: HidDeviceInfo, verdict: ClaimVerdict, productIdGiven: boolean): boolean | undefined {
  if (info.vendorId === PHOENIXTEC && verdict !== 'no') return mentionsAeg(info);
  if (verdict === 'possibly') return productIdGiven;
  return undefined;
}

export const MGE_SUBDRIVER: Subdriver = {
  name: 'mge',
  versionData: 'MGE HID 1.46',
  ids: [
    { vendorId: MGE, productId: 0x0001 },
    { vendorId: MGE, productId: 0xffff },
    { vendorId: DELL, productId: 0xffff },
    { vendorId: POWERWARE, productId: 0x0004 },
    { vendorId: HP, productId: 0x1fe5 },
    { vendorId: HP, productId: 0x1fe6 },
    { vendorId: HP, productId: 0x1fe7 },
    { vendorId: HP, productId: 0x1fe8 },
    { vendorId: AEG, productId: 0xffff },
    { vendorId: PHOENIXTEC, productId: 0xffff },
    { vendorId: IBM, productId: 0x0001 },
  ],
  claimOverride: mgeClaim,
  usageNames: MGE_USAGE_NAMES,
  rows: MGE_ROWS,
  identity: (info) => ({ mfr: info.manufacturer ?? 'Eaton', model: info.product, serial: info.serial, extra: [] }),
};
