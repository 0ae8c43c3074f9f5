import { readFileSync } from 'node:fs';
import { Device } from '../../../src/core/device.js';
import { Topics } from '../../../src/mqtt-bridge/topics.js';
import type { BridgeIdentity } from '../../../src/mqtt-bridge/discovery.js';
import { FakeClock } from '../../helpers/fake-clock.js';

/**
 * Real UPSes as their drivers publish them, for the MQTT bridge tests. Each is `upsc` output plus
 * the driver's writable variables and instant commands in the NUT DDL notation
 * (`#RW:<name>:STRING:<n>`, `#RW:<name>:ENUM:"<v>"`, `#RW:<name>:RANGE:<min>:<max>`, `#CMD:<name>`).
 * Transcribed from networkupstools/nut-ddl (the file named above each), except the APC Back-UPS 500,
 * which is read from test/fixtures/hid.
 */

/** nut-ddl Cyber_Power_Systems__CP1500PFCLCD__usbhid-ups__2.7.4__01.dev (RW/CMD from its upsrw/upscmd blocks). */
export const CYBERPOWER_CP1500PFCLCD = `
battery.charge: 100
battery.charge.low: 10
battery.charge.warning: 20
battery.mfr.date: CPS
battery.runtime: 1530
battery.runtime.low: 300
battery.type: PbAcid
battery.voltage: 24.0
battery.voltage.nominal: 24
device.mfr: CPS
device.model: CP1500PFCLCD
device.serial: 000000000000
device.type: ups
driver.name: usbhid-ups
driver.parameter.pollfreq: 30
driver.parameter.pollinterval: 2
driver.parameter.port: auto
driver.parameter.synchronous: no
driver.version: 2.7.4
driver.version.data: CyberPower HID 0.4
driver.version.internal: 0.41
input.transfer.high: 139
input.transfer.low: 88
input.voltage: 116.0
input.voltage.nominal: 120
output.voltage: 140.0
ups.beeper.status: enabled
ups.delay.shutdown: 20
ups.delay.start: 30
ups.load: 25
ups.mfr: CPS
ups.model: CP1500PFCLCD
ups.productid: 0501
ups.realpower.nominal: 900
ups.serial: 000000000000
ups.status: OL
ups.test.result: Done and passed
ups.timer.shutdown: -60
ups.timer.start: -60
ups.vendorid: 0764
#RW:battery.charge.low:STRING:10
#RW:battery.runtime.low:STRING:10
#RW:input.transfer.high:STRING:10
#RW:input.transfer.low:STRING:10
#RW:ups.delay.shutdown:STRING:10
#RW:ups.delay.start:STRING:10
#CMD:beeper.disable
#CMD:beeper.enable
#CMD:beeper.mute
#CMD:beeper.off
#CMD:beeper.on
#CMD:load.off
#CMD:load.off.delay
#CMD:load.on
#CMD:load.on.delay
#CMD:shutdown.return
#CMD:shutdown.stayoff
#CMD:shutdown.stop
#CMD:test.battery.start.deep
#CMD:test.battery.start.quick
#CMD:test.battery.stop
`;

/** nut-ddl Eaton/Eaton__5E1100iUSB__usbhid-ups__2.7.1__01.dev */
export const EATON_5E1100I = `
battery.charge: 100
battery.runtime: 3160
battery.type: PbAc
device.mfr: EATON
device.model: 5E 1100i
device.type: ups
driver.name: usbhid-ups
driver.parameter.pollfreq: 30
driver.parameter.pollinterval: 2
driver.parameter.port: auto
driver.parameter.vendorid: 0463
driver.version: 2.7.1
driver.version.data: MGE HID 1.32
driver.version.internal: 0.38
input.voltage: 227.0
outlet.1.status: on
outlet.desc: Main Outlet
outlet.id: 1
outlet.switchable: no
output.frequency: 49.9
output.frequency.nominal: 50
output.voltage: 228.0
output.voltage.nominal: 230
ups.beeper.status: enabled
ups.delay.shutdown: 20
ups.firmware: 01.04.0018
ups.load: 8
ups.mfr: EATON
ups.model: 5E 1100i
ups.power.nominal: 1100
ups.productid: ffff
ups.start.battery: yes
ups.status: OL CHRG
ups.timer.shutdown: -1
ups.vendorid: 0463
#CMD:beeper.disable
#CMD:beeper.enable
#CMD:beeper.mute
#CMD:beeper.off
#CMD:beeper.on
#CMD:load.off
#CMD:load.off.delay
#CMD:shutdown.stop
#RW:outlet.desc:STRING:20
#RW:output.voltage.nominal:ENUM:"200"
#RW:output.voltage.nominal:ENUM:"208"
#RW:output.voltage.nominal:ENUM:"220"
#RW:output.voltage.nominal:ENUM:"230"
#RW:output.voltage.nominal:ENUM:"240"
#RW:ups.delay.shutdown:STRING:10
#RW:ups.start.battery:STRING:5
`;

/** nut-ddl APC/APC__Back-UPS_ES_650G2__usbhid-ups__2.8.1__01.dev (serial masked there; RW/CMD from its blocks). */
export const APC_BACK_UPS_ES_650G2 = `
battery.charge: 100
battery.charge.low: 10
battery.charge.warning: 50
battery.date: 2001/09/25
battery.mfr.date: 2025/07/02
battery.runtime: 2079
battery.runtime.low: 120
battery.type: PbAc
battery.voltage: 13.5
battery.voltage.nominal: 12.0
device.mfr: American Power Conversion
device.model: Back-UPS ES 650G2
device.type: ups
driver.debug: 0
driver.flag.allow_killpower: 0
driver.name: usbhid-ups
driver.parameter.pollfreq: 30
driver.parameter.pollinterval: 2
driver.parameter.port: auto
driver.parameter.synchronous: auto
driver.state: quiet
driver.version: 2.8.1
driver.version.data: APC HID 0.100
driver.version.internal: 0.52
driver.version.usb: libusb-1.0.27 (API: 0x100010a)
input.sensitivity: medium
input.transfer.high: 266
input.transfer.low: 180
input.voltage: 250.0
input.voltage.nominal: 230
ups.beeper.status: enabled
ups.delay.shutdown: 20
ups.firmware: 937.a2 .I
ups.firmware.aux: a2
ups.load: 15
ups.mfr: American Power Conversion
ups.mfr.date: 2021/10/31
ups.model: Back-UPS ES 650G2
ups.productid: 0002
ups.realpower.nominal: 400
ups.status: OL
ups.test.result: No test initiated
ups.timer.reboot: 0
ups.timer.shutdown: -1
ups.vendorid: 051d
#RW:battery.charge.low:STRING:10
#RW:battery.mfr.date:STRING:10
#RW:battery.runtime.low:STRING:10
#RW:input.sensitivity:STRING:10
#RW:input.transfer.high:STRING:10
#RW:input.transfer.low:STRING:10
#RW:ups.delay.shutdown:STRING:10
#CMD:beeper.disable
#CMD:beeper.enable
#CMD:beeper.mute
#CMD:beeper.off
#CMD:beeper.on
#CMD:driver.killpower
#CMD:driver.reload
#CMD:driver.reload-or-error
#CMD:driver.reload-or-exit
#CMD:load.off
#CMD:load.off.delay
#CMD:shutdown.reboot
#CMD:shutdown.stop
#CMD:test.battery.start.deep
#CMD:test.battery.start.quick
#CMD:test.battery.stop
#CMD:test.panel.start
#CMD:test.panel.stop
`;

/** The [upsc] section of test/fixtures/hid/apc-back-ups-500.txt, with the commands its notes list. */
export function apcBackUps500(): string {
  const text = readFileSync(new URL('../../fixtures/hid/apc-back-ups-500.txt', import.meta.url), 'utf8');
  const start = text.indexOf('[upsc');
  const body = text.slice(text.indexOf('\n', start) + 1);
  const end = body.search(/^\[/m);
  return `${end < 0 ? body : body.slice(0, end)}\n#CMD:shutdown.reboot\n#CMD:test.panel.start\n#CMD:test.panel.stop\n`;
}

/** A Smart-UPS-like set with what the USB units above lack: real power, temperatures, frequency, ranges. */
export const SMART_UPS_WITH_RANGES = `
battery.charge: 87
battery.runtime: 1800
battery.temperature: 27.5
battery.voltage: 26.9
device.mfr: American Power Conversion
device.model: Smart-UPS 1500
device.serial: AS1234567890
driver.name: apcsmart
driver.version: 2.8.0
input.frequency: 50.0
input.voltage: 229.0
output.current: 1.2
output.voltage: 230.0
ups.alarm: Replace battery!
ups.load: 31
ups.power: 420
ups.realpower: 310
ups.status: OL RB
ups.temperature: 31.0
input.transfer.low: 196
input.sensitivity: H
ups.id: Rack A
#RW:ups.id:STRING:8
#RW:input.transfer.low:RANGE:160:208
#RW:input.sensitivity:ENUM:"H"
#RW:input.sensitivity:ENUM:"M"
#RW:input.sensitivity:ENUM:"L"
#CMD:test.battery.start
#CMD:calibrate.start
#CMD:shutdown.reboot.graceful
`;

export interface BuildOptions {
  description?: string;
  clock?: FakeClock;
}

/** A Device as a driver would fill it from `text`, connected and fresh. */
export function deviceFrom(name: string, text: string, options: BuildOptions = {}): Device {
  const clock = options.clock ?? new FakeClock();
  const d = new Device(name, clock, options.description === undefined ? {} : { description: options.description });
  const rw: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trimEnd();
    if (line.startsWith('#CMD:')) d.addCmd(line.slice(5));
    else if (line.startsWith('#RW:')) rw.push(line.slice(4));
    else if (line !== '' && !line.startsWith('#') && !line.startsWith('[')) {
      const colon = line.indexOf(': ');
      if (colon > 0) d.setInfo(line.slice(0, colon), line.slice(colon + 2).replace(/\s+#.*$/, ''));
    }
  }
  for (const spec of rw) {
    const [variable, kind, ...rest] = spec.split(':');
    if (kind === 'STRING') {
      d.setFlags(variable!, { rw: true, string: true });
      d.setAux(variable!, Number(rest[0]));
    } else if (kind === 'ENUM') {
      d.setFlags(variable!, { rw: true });
      d.addEnum(variable!, rest.join(':').replace(/^"|"$/g, ''));
    } else if (kind === 'RANGE') {
      d.setFlags(variable!, { rw: true });
      d.addRange(variable!, Number(rest[0]), Number(rest[1]));
    }
  }
  d.driverConnected();
  return d;
}

export function identity(gatewayId = 'pi1', configurationUrl?: string): BridgeIdentity {
  const id: BridgeIdentity = { topics: new Topics('upsgate', gatewayId, 'homeassistant'), version: '0.1.0' };
  if (configurationUrl !== undefined) id.configurationUrl = configurationUrl;
  return id;
}

/** Every recorded UPS, by a NUT-style name. */
export function recordedDevices(): Device[] {
  return [
    deviceFrom('backups', apcBackUps500()),
    deviceFrom('cyberpower', CYBERPOWER_CP1500PFCLCD),
    deviceFrom('eaton', EATON_5E1100I),
    deviceFrom('be650g2', APC_BACK_UPS_ES_650G2),
    deviceFrom('smartups', SMART_UPS_WITH_RANGES),
  ];
}
