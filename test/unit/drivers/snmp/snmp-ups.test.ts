// The snmp-ups driver on a recorded card (no network): what it publishes through the framework,
// pollfreq, a card that stops answering (stale, one clear error naming the ups.conf line, retries
// with backoff on the injected clock, fresh again when it answers) and ups.conf checking.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { Device } from '../../../../src/core/device.js';
import { createLogger } from '../../../../src/core/logger.js';
import type { DriverContext } from '../../../../src/drivers/driver.js';
import { SnmpTransportError } from '../../../../src/drivers/snmp/net-snmp-agent.js';
import { mibNames } from '../../../../src/drivers/snmp/mibs/index.js';
import { MIB_NAMES } from '../../../../src/drivers/snmp/snmp-info.js';
import { SnmpUps } from '../../../../src/drivers/snmp/snmp-ups.js';
import { parseSnmprec, SnmprecAgent } from '../../../../src/drivers/snmp/snmprec.js';
import { FakeClock } from '../../../helpers/fake-clock.js';
import { configError, Harness, sectionOf, settle, type Lines } from '../helpers.js';

const FILE = new URL('../../../fixtures/snmp/apc-smart-ups-1500-ap9631.snmprec', import.meta.url).pathname;
const BASE: Lines = [['driver', 'snmp-ups'], ['port', '127.0.0.1:11161'], ['community', 'apc'], ['snmp_version', 'v2c']];

function rig(lines: Lines = BASE) {
  const clock = new FakeClock();
  const section = sectionOf(lines, 'apc');
  const device = new Device('apc', clock);
  const logs: string[] = [];
  const agent = new SnmprecAgent(parseSnmprec(readFileSync(FILE, 'latin1'), FILE));
  const ctx: DriverContext = {
    section, pollIntervalSeconds: 2, confDir: '/etc/nut', device, clock,
    log: createLogger('test', (level, _room, message) => logs.push(`${level}: ${message}`), 'debug'),
  };
  const driver = new SnmpUps(ctx, async () => agent);
  const run = async (ms: number) => {
    const end = clock.now() + ms;
    while (clock.now() < end) {
      await settle(() => clock.pendingTimeouts() > 0);
      await clock.advance(Math.min(500, end - clock.now()));
    }
    await settle(() => clock.pendingTimeouts() > 0);
  };
  return { clock, device, logs, agent, driver, run };
}

const test = suite('snmp-ups driver');

test('starts on the recording: NUT\'s variables, driver.* and device.* as the framework adds them', async () => {
  const r = rig();
  await r.driver.start();
  const v = (n: string) => r.device.getInfo(n);
  assert.is(v('ups.status'), 'OL');
  assert.is(v('driver.name'), 'snmp-ups');
  assert.is(v('driver.version.data'), 'apcc MIB 1.6');
  assert.is(v('driver.version.internal'), '1.21');
  assert.is(v('driver.parameter.snmp_version'), 'v2c');
  assert.is(v('driver.parameter.community'), undefined, 'the community is a secret');
  assert.is(v('device.mfr'), 'APC');
  assert.is(v('device.model'), 'Smart-UPS 1500 XLM');
  assert.is(v('device.serial'), 'QS1345140011');
  assert.is(r.device.availability(), 'ok');
  assert.ok(r.logs.some((l) => /detected Smart-UPS 1500 XLM on host 127\.0\.0\.1:11161 \(mib: apcc 1\.6, sysObjectID 1\.3\.6\.1\.4\.1\.318\.1\.3\.2\.7\)/.test(l)));
  await r.driver.stop();
});

test('walks every pollfreq seconds (30 by default), not every pollinterval', async () => {
  const r = rig([...BASE, ['pollfreq', '10']]);
  await r.driver.start();
  r.agent.put('1.3.6.1.4.1.318.1.1.1.4.1.1.0', { type: 'integer', value: 3 });
  await r.run(6000);
  assert.is(r.device.getInfo('ups.status'), 'OL');
  await r.run(6000);
  assert.is(r.device.getInfo('ups.status'), 'OB');
  await r.driver.stop();
});

test('a card that stops answering: stale, one error naming the ups.conf line, backoff, then fresh again', async () => {
  const r = rig([...BASE, ['pollfreq', '2']]);
  await r.driver.start();
  let gets = 0;
  const get = r.agent.get.bind(r.agent);
  r.agent.get = (oid) => {
    gets++;
    return get(oid);
  };
  r.agent.failure = new SnmpTransportError('no answer from 127.0.0.1:11161 (/etc/nut/ups.conf:3:3: port = 127.0.0.1:11161)', 'timeout');
  await r.run(3000);
  assert.is(r.device.availability(), 'stale');
  const errors = () => r.logs.filter((l) => l.startsWith('error:'));
  assert.is(errors().length, 1);
  assert.match(errors()[0]!, /\/etc\/nut\/ups\.conf:3:3: \[apc\] snmp-ups on 127\.0\.0\.1:11161: no answer/);
  gets = 0;
  await r.run(60_000);
  // Backoff 1, 2, 4, 8, 16, 32 s: about six attempts in a minute, not thirty.
  assert.ok(gets >= 4 && gets <= 8, `attempts in a minute: ${gets}`);
  assert.is(errors().length, 1, 'the same error is not logged again');
  r.agent.failure = undefined;
  await r.run(65_000);
  assert.is(r.device.availability(), 'ok');
  assert.ok(r.logs.some((l) => /answers again/.test(l)));
  await r.driver.stop();
});

test('a card silent from the start: the UPS is announced stale and the driver keeps trying', async () => {
  const r = rig();
  r.agent.failure = new SnmpTransportError('no answer', 'timeout');
  await r.driver.start();
  assert.is(r.device.availability(), 'stale');
  assert.is(r.device.getInfo('ups.status'), undefined);
  r.agent.failure = undefined;
  await r.run(5000);
  assert.is(r.device.getInfo('ups.status'), 'OL');
  assert.is(r.device.availability(), 'ok');
  await r.driver.stop();
});

test('ondelay/offdelay are written to the card at start-up, in seconds as TimeTicks (NUT set_delays)', async () => {
  const r = rig([...BASE, ['offdelay', '120'], ['ondelay', '30']]);
  for (const oid of ['5.2.9.0', '5.2.10.0']) r.agent.entries.get(`1.3.6.1.4.1.318.1.1.1.${oid}`)!.writable = true;
  await r.driver.start();
  assert.equal(r.agent.sets, [
    { oid: '1.3.6.1.4.1.318.1.1.1.5.2.9.0', value: { type: 'timeticks', value: 3000 } },
    { oid: '1.3.6.1.4.1.318.1.1.1.5.2.10.0', value: { type: 'timeticks', value: 12000 } },
  ]);
  assert.is(r.device.getInfo('ups.delay.shutdown'), '120');
  await r.driver.stop();
  const ro = rig([...BASE, ['offdelay', '120']]);
  await ro.driver.start();
  assert.ok(ro.logs.some((l) => /warn: .*offdelay = 120: the card did not take ups\.delay\.shutdown \(failed\)/.test(l)), ro.logs.join('\n'));
  await ro.driver.stop();
});

test('ups.conf: wrong values are refused with their line and what is accepted', async () => {
  await configError(() => new Harness([...BASE, ['snmp_version', 'v4']]), /ups\.conf:6:3: \[ups1\] snmp_version = v4: accepted: v1, v2c, v3/);
  await configError(() => new Harness([...BASE, ['mibs', 'apc']]), /mibs = apc: accepted: auto, apcc, cyberpower, pw, tripplite, ietf/);
  await configError(() => new Harness([...BASE, ['pollfreq', '0']]), /pollfreq = 0: accepted: a whole number, 1 or more/);
  await configError(() => new Harness([['driver', 'snmp-ups'], ['port', 'host:99999']]), /port = host:99999: accepted: a UDP port/);
  await configError(() => new Harness([['driver', 'snmp-ups'], ['port', 'h'], ['snmp_version', 'v3']]), /SNMPv3 always needs secName/);
  await configError(
    () => new Harness([['driver', 'snmp-ups'], ['port', 'h'], ['snmp_version', 'v3'], ['secName', 'u'], ['secLevel', 'authPriv'], ['authPassword', 'xxxxxxxx']]),
    /secLevel authPriv needs privPassword/,
  );
  await configError(() => new Harness([['driver', 'snmp-ups'], ['port', 'h'], ['snmp_version', 'v3'], ['secName', 'u'], ['authProtocol', 'SHA1']]), /authProtocol = SHA1: accepted: MD5, SHA, SHA224/);
  const ok = new Harness([['driver', 'snmp-ups'], ['port', '[::1]:1161'], ['snmp_version', 'v3'], ['secName', 'u'], ['secLevel', 'authNoPriv'], ['authPassword', 'pw123456'], ['authProtocol', 'sha']]);
  assert.is(ok.driver.driverName, 'snmp-ups');
});

test('the mibs names checked in ups.conf are the tables there are', () => {
  assert.equal([...MIB_NAMES], mibNames());
});

test.run();
