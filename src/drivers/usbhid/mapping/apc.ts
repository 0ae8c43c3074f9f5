import type { HidDeviceInfo } from '../hid-types.js';
import { vendorUsageRecord } from '../usage-names.js';
import { BEEPER_COMMAND_ROWS, PRESENT_STATUS_ROWS } from './generic-rows.js';
import { fieldsWithIdAndUsage } from './descriptor-fix.js';
import type { DescriptorView, Identity, MappingRow, Subdriver } from './types.js';

const APC = 0x051d;
const RW10 = { rw: true, string: 10 } as const;
const CMD = { command: true } as const;

/** APC's vendor usages (page 0xFF86, and the Back-UPS Pro ones on 0x0086): the parser's table. */
export const APC_USAGE_NAMES = vendorUsageRecord('apc');


/** One row per delay path family: PDC PowerSummary, Smart-UPS RM Output, Back-UPS ES vendor collection. */
function delayRows(base: string, prefix: string): MappingRow[] {
  return [
    { name: 'ups.delay.start', path: `${base}.${prefix}DelayBeforeStartup`, flags: { ...RW10, absent: true }, default: '30' },
    { name: 'ups.delay.shutdown', path: `${base}.${prefix}DelayBeforeShutdown`, flags: { ...RW10, absent: true }, default: '20' },
    { name: 'ups.timer.start', path: `${base}.${prefix}DelayBeforeStartup`, format: '%.0f', flags: { quickPoll: true } },
    { name: 'ups.timer.shutdown', path: `${base}.${prefix}DelayBeforeShutdown`, format: '%.0f', flags: { quickPoll: true } },
    { name: 'ups.timer.reboot', path: `${base}.${prefix}DelayBeforeReboot`, format: '%.0f', flags: { quickPoll: true } },
  ];
}

function delayCommands(base: string, prefix: string): MappingRow[] {
  return [
    { name: 'load.off.delay', path: `${base}.${prefix}DelayBeforeShutdown`, flags: CMD, default: '20' },
    { name: 'load.on.delay', path: `${base}.${prefix}DelayBeforeStartup`, flags: CMD, default: '30' },
    { name: 'shutdown.stop', path: `${base}.${prefix}DelayBeforeShutdown`, flags: CMD, default: '-1' },
    { name: 'shutdown.reboot', path: `${base}.${prefix}DelayBeforeReboot`, flags: CMD, default: '10' },
  ];
}

/** NUT 2.8.0 apc-hid's table, in its order (the order decides which alternative path wins). */
export const APC_ROWS: readonly MappingRow[] = [
  { name: 'battery.charge', path: 'UPS.PowerSummary.RemainingCapacity', format: '%.0f' },
  { name: 'battery.charge.low', path: 'UPS.PowerSummary.RemainingCapacityLimit', format: '%.0f', flags: { ...RW10, semiStatic: true } },
  { name: 'battery.charge.warning', path: 'UPS.PowerSummary.WarningCapacityLimit', format: '%.0f' },
  { name: 'battery.runtime', path: 'UPS.Battery.RunTimeToEmpty', format: '%.0f' },
  { name: 'battery.runtime', path: 'UPS.PowerSummary.RunTimeToEmpty', format: '%.0f' },
  { name: 'battery.runtime.low', path: 'UPS.Battery.RemainingTimeLimit', format: '%.0f', flags: { ...RW10, semiStatic: true } },
  { name: 'battery.runtime.low', path: 'UPS.PowerSummary.RemainingTimeLimit', format: '%.0f', flags: { ...RW10, semiStatic: true } },
  { name: 'battery.voltage', path: 'UPS.Battery.Voltage', format: '%.1f' },
  { name: 'battery.voltage', path: 'UPS.PowerSummary.Voltage', format: '%.1f' },
  { name: 'battery.voltage.nominal', path: 'UPS.Battery.ConfigVoltage', format: '%.1f' },
  { name: 'battery.voltage.nominal', path: 'UPS.PowerSummary.ConfigVoltage', format: '%.1f' },
  { name: 'battery.temperature', path: 'UPS.Battery.Temperature', convert: 'kelvinToCelsius' },
  { name: 'battery.type', path: 'UPS.PowerSummary.iDeviceChemistry', convert: 'stringIndex' },
  { name: 'battery.mfr.date', path: 'UPS.Battery.ManufacturerDate', flags: { ...RW10, semiStatic: true }, convert: 'pdcDate' },
  { name: 'battery.mfr.date', path: 'UPS.PowerSummary.APCBattReplaceDate', convert: 'apcDate' },
  { name: 'battery.date', path: 'UPS.Battery.APCBattReplaceDate', convert: 'apcDate' },
  { name: 'ups.load', path: 'UPS.Output.PercentLoad', format: '%.1f' },
  { name: 'ups.load', path: 'UPS.PowerConverter.PercentLoad', format: '%.0f' },
  ...delayRows('UPS.PowerSummary', ''),
  ...delayRows('UPS.Output', ''),
  ...delayRows('UPS.APCGeneralCollection', 'APC'),
  { name: 'ups.test.result', path: 'UPS.Battery.Test', convert: 'testResult' },
  { name: 'ups.beeper.status', path: 'UPS.PowerSummary.AudibleAlarmControl', convert: 'beeperStatus' },
  { name: 'ups.mfr.date', path: 'UPS.ManufacturerDate', convert: 'pdcDate' },
  { name: 'ups.mfr.date', path: 'UPS.PowerSummary.ManufacturerDate', convert: 'pdcDate' },
  { name: 'ups.realpower.nominal', path: 'UPS.PowerConverter.ConfigActivePower', format: '%.0f' },
  { name: 'ups.realpower.nominal', path: 'UPS.Output.ConfigActivePower', format: '%.0f' },
  ...PRESENT_STATUS_ROWS.filter((r) => !r.path.endsWith('.FullyCharged')),
  { name: 'BOOL', path: 'UPS.PowerSummary.Charging', flags: { quickPoll: true }, convert: 'charging' },
  { name: 'BOOL', path: 'UPS.PowerSummary.Discharging', flags: { quickPoll: true }, convert: 'discharging' },
  { name: 'BOOL', path: 'UPS.PowerSummary.ACPresent', flags: { quickPoll: true }, convert: 'online' },
  { name: 'BOOL', path: 'UPS.PowerSummary.BelowRemainingCapacityLimit', flags: { quickPoll: true }, convert: 'lowBattery' },
  { name: 'BOOL', path: 'UPS.PowerSummary.ShutdownImminent', convert: 'shutdownImminent' },
  { name: 'BOOL', path: 'UPS.PowerSummary.APCStatusFlag', flags: { quickPoll: true }, convert: 'apcStatusFlag' },
  // One cause feeds two bits, so that each of them can also be cleared.
  { name: 'BOOL', path: 'UPS.Input.APCLineFailCause', convert: 'apcLineFailVoltage' },
  { name: 'BOOL', path: 'UPS.Input.APCLineFailCause', convert: 'apcLineFailFrequency' },
  { name: 'input.voltage', path: 'UPS.Input.Voltage', format: '%.1f' },
  { name: 'input.voltage.nominal', path: 'UPS.Input.ConfigVoltage', format: '%.0f' },
  { name: 'input.transfer.low', path: 'UPS.Output.LowVoltageTransfer', format: '%.0f', flags: { ...RW10, semiStatic: true } },
  { name: 'input.transfer.high', path: 'UPS.Output.HighVoltageTransfer', format: '%.0f', flags: { ...RW10, semiStatic: true } },
  { name: 'input.transfer.low', path: 'UPS.Input.LowVoltageTransfer', format: '%.0f', flags: { ...RW10, semiStatic: true } },
  { name: 'input.transfer.high', path: 'UPS.Input.HighVoltageTransfer', format: '%.0f', flags: { ...RW10, semiStatic: true } },
  { name: 'input.sensitivity', path: 'UPS.Input.APCSensitivity', flags: { ...RW10, semiStatic: true }, convert: 'sensitivity' },
  { name: 'output.voltage', path: 'UPS.Output.Voltage', format: '%.1f' },
  { name: 'output.voltage.nominal', path: 'UPS.Output.ConfigVoltage', format: '%.1f' },
  { name: 'output.current', path: 'UPS.Output.Current', format: '%.2f' },
  { name: 'output.frequency', path: 'UPS.Output.Frequency', format: '%.1f' },
  { name: 'ambient.temperature', path: 'UPS.APCEnvironment.APCProbe1.Temperature', convert: 'kelvinToCelsius' },
  { name: 'ambient.humidity', path: 'UPS.APCEnvironment.APCProbe1.Humidity', format: '%.1f' },
  { name: 'test.battery.start.quick', path: 'UPS.BatterySystem.Battery.Test', flags: CMD, default: '1' },
  { name: 'test.battery.start.quick', path: 'UPS.Battery.Test', flags: CMD, default: '1' },
  { name: 'test.battery.start.deep', path: 'UPS.BatterySystem.Battery.Test', flags: CMD, default: '2' },
  { name: 'test.battery.start.deep', path: 'UPS.Battery.Test', flags: CMD, default: '2' },
  { name: 'test.battery.stop', path: 'UPS.BatterySystem.Battery.Test', flags: CMD, default: '3' },
  { name: 'test.battery.stop', path: 'UPS.Battery.Test', flags: CMD, default: '3' },
  { name: 'test.panel.start', path: 'UPS.APCPanelTest', flags: CMD, default: '1' },
  { name: 'test.panel.stop', path: 'UPS.APCPanelTest', flags: CMD, default: '0' },
  { name: 'test.panel.start', path: 'UPS.PowerSummary.APCPanelTest', flags: CMD, default: '1' },
  { name: 'test.panel.stop', path: 'UPS.PowerSummary.APCPanelTest', flags: CMD, default: '0' },
  ...delayCommands('UPS.PowerSummary', ''),
  ...delayCommands('UPS.Output', ''),
  ...delayCommands('UPS.APCGeneralCollection', 'APC'),
  { name: 'shutdown.return', path: 'UPS.Output.APCDelayBeforeReboot', flags: CMD, default: '1' }, // Back-UPS CS
  ...BEEPER_COMMAND_ROWS,
];

/**
 * iProduct "Back-UPS ES 600M1 FW:928.a5 .D USB FW:a5": the model is what precedes " FW:" (the
 * character before "FW:" is dropped), the firmware what follows up to " USB FW:", the USB firmware
 * the rest; NUT keeps the space after each colon ("Back-UPS 500 FW: 6.5.I" gives " 6.5.I").
 */
export function apcIdentity(info: HidDeviceInfo): Identity {
  const product = (info.product ?? 'unknown').slice(0, 63);
  const extra: Array<[string, string]> = [];
  let model = product;
  const fw = product.indexOf('FW:');
  if (fw >= 0) {
    model = product.slice(0, Math.max(0, fw - 1));
    let firmware = product.slice(fw + 3);
    const usb = firmware.indexOf('USB FW:');
    if (usb >= 0) {
      extra.push(['ups.firmware.aux', firmware.slice(usb + 7)]);
      firmware = firmware.slice(0, Math.max(0, usb - 1));
    }
    extra.push(['ups.firmware', firmware]);
  }
  return { mfr: info.manufacturer ?? 'APC', model, serial: info.serial, extra };
}

/**
 * Back-UPS XS 1400U (0002) declares input voltages (ids 0x31, 0x30) too narrow for 230 V
 * regions: widen them from the high transfer voltage's range (id 0x33), as NUT does.
 */
function apcFixDescriptor(info: HidDeviceInfo, d: DescriptorView): boolean {
  if (info.vendorId !== APC || info.productId !== 0x0002) return false;
  const hvt = fieldsWithIdAndUsage(d, 0x33, 0x00840054)[0];
  if (!hvt) return false;
  let changed = false;
  for (const v of fieldsWithIdAndUsage(d, 0x31, 0x00840030)) {
    if (hvt.logMax > v.logMax) {
      v.logMin = 0;
      v.logMax = hvt.logMax * 2;
      changed = true;
    }
  }
  for (const c of fieldsWithIdAndUsage(d, 0x30, 0x00840040)) {
    if (hvt.logMax > c.logMax) {
      c.logMax = 255;
      changed = true;
    }
  }
  return changed;
}

export const APC_SUBDRIVER: Subdriver = {
  name: 'apc',
  versionData: 'APC HID 0.98',
  ids: [
    { vendorId: APC, productId: 0x0000 }, // AP9584 serial-to-USB kit
    { vendorId: APC, productId: 0x0002 },
    { vendorId: APC, productId: 0x0003, quirks: { pollOnly: true } }, // "5G": the interrupt pipe carries APC's own protocol
    { vendorId: APC, productId: 0x0004, quirks: { pollOnly: true } }, // later NUT: also 5G
    { vendorId: APC, productId: 0x0005 }, // later NUT: newer Back-UPS
  ],
  usageNames: APC_USAGE_NAMES,
  rows: APC_ROWS,
  identity: apcIdentity,
  fixDescriptor: apcFixDescriptor,
  maxReportProducts: ['Back-UPS ES 525', 'Back-UPS CS'],
};
