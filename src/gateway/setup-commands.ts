/**
 * `upsgate scan` and `upsgate hid-dump FILE`: for setting up a box (which UPS is attached, or
 * served by a NUT server the user names, and the ups.conf section for it) and for checking a
 * recorded HID device against what NUT published for it.
 */
import path from 'node:path';
import { parseUpsConf } from '../conf/ups-conf.js';
import { systemClock } from '../core/clock.js';
import { Device } from '../core/device.js';
import type { Logger } from '../core/logger.js';
import { scanNutServer } from '../drivers/repeater/scan.js';
import { listSerialPorts, probeSerialPort } from '../drivers/serial-scan.js';
import { scanSnmpHost } from '../drivers/snmp/scan.js';
import { scanHid } from '../drivers/usbhid/scan.js';
import { openNodeHidBus } from '../drivers/usbhid/transport/node-hid-bus.js';
import { UsbHidUps } from '../drivers/usbhid/usbhid-ups.js';

export interface ScanRequest {
  nut: readonly string[];
  snmp: readonly string[];
  community: string;
  serial: boolean;
  probe: readonly string[];
}

export async function scanCommand(req: ScanRequest): Promise<number> {
  const { nut: nutServers, snmp: snmpHosts, community } = req;
  const hid = await scanHid(await openNodeHidBus());
  let code = 0;
  if (hid.trim() === '') {
    process.stderr.write('upsgate scan: no USB HID UPS found (is it plugged in, and may this user open /dev/hidraw*? see systemd/60-upsgate-hid.rules)\n');
  } else {
    process.stdout.write(hid.endsWith('\n') ? hid : `${hid}\n`);
  }
  let next = (hid.match(/^\[/gm)?.length ?? 0) + 1;
  for (const server of nutServers) {
    try {
      const found = await scanNutServer(server, next);
      next += found.count;
      if (found.count === 0) process.stderr.write(`upsgate scan: ${server} serves no UPS\n`);
      else process.stdout.write(`${found.sections}\n`);
    } catch (e) {
      process.stderr.write(`upsgate scan: ${server}: ${(e as Error).message}\n`);
      code = 1;
    }
  }
  if (req.serial) {
    try {
      process.stdout.write(await listSerialPorts());
    } catch (e) {
      process.stderr.write(`upsgate scan: serial ports: ${(e as Error).message}\n`);
      code = 1;
    }
  }
  for (const path of req.probe) {
    try {
      const section = await probeSerialPort(path, next);
      if (section) {
        next++;
        process.stdout.write(`${section}\n`);
      } else {
        process.stderr.write(`upsgate scan: ${path}: neither APC Smart (Y) nor Megatec Q1 answered\n`);
      }
    } catch (e) {
      process.stderr.write(`upsgate scan: ${path}: ${(e as Error).message}\n`);
      code = 1;
    }
  }
  for (const host of snmpHosts) {
    try {
      process.stdout.write(`${await scanSnmpHost(host, community, next++)}\n`);
    } catch (e) {
      process.stderr.write(`upsgate scan: ${host}: ${(e as Error).message}\n`);
      code = 1;
    }
  }
  return code;
}

/** Runs the whole driver on the recording (as if the UPS were plugged in) and prints `name: value` lines, as upsc does. */
export async function hidDumpCommand(file: string, log: Logger): Promise<number> {
  const absolute = path.resolve(file);
  const conf = parseUpsConf(`[ups]\n  driver = usbhid-ups\n  port = "replay:${absolute.replace(/["\\]/g, '\\$&')}"\n`, '<hid-dump>');
  const section = conf.sections[0]!;
  const device = new Device('ups', systemClock);
  const driver = new UsbHidUps({ section, pollIntervalSeconds: 2, confDir: path.dirname(absolute), device, clock: systemClock, log });
  try {
    await driver.start();
    const lines = device.variables().map((v) => `${v.name}: ${v.value}\n`).join('');
    process.stdout.write(lines);
    return 0;
  } finally {
    await driver.stop();
  }
}
