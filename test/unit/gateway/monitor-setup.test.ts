// The monitor as the gateway composes it, on a fake clock with a driver stand-in at the hardware
// boundary: a MONITOR line for one of the gateway's own UPSes reads its Device and counts as a
// login; "last to go" cuts the UPS's power through the command router after the secondaries are
// gone and before SHUTDOWNCMD halts the box; events reach the event log.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { defaultSettings } from '../../../src/conf/settings-model.js';
import { parseUpsConf } from '../../../src/conf/ups-conf.js';
import { parseUpsdUsers } from '../../../src/conf/upsd-users.js';
import { parseUpsmonConf } from '../../../src/conf/upsmon-conf.js';
import { CommandRouter } from '../../../src/core/command-router.js';
import { Device } from '../../../src/core/device.js';
import { DeviceTable } from '../../../src/core/device-table.js';
import { createLogger } from '../../../src/core/logger.js';
import { TrackingTable } from '../../../src/core/tracking.js';
import { createMonitorSetup } from '../../../src/gateway/monitor-setup.js';
import type { ShellResult } from '../../../src/monitor/shell.js';
import { UserDirectory } from '../../../src/nut-server/users.js';
import { FakeClock } from '../../helpers/fake-clock.js';
import { RecordingTarget } from '../nut-server/harness.js';

const test = suite('gateway: monitor set-up');

async function world(lastToGo: boolean) {
  const clock = new FakeClock();
  const device = new Device('ups', clock);
  device.setInfo('ups.status', 'OL');
  device.addCmd('shutdown.return');
  device.driverConnected();
  const target = new RecordingTarget();
  device.bindCommandTarget(target);
  const devices = new DeviceTable([device]);
  const router = new CommandRouter(new TrackingTable(clock, 3600_000));
  const users = new UserDirectory(parseUpsdUsers('[monp]\n password = mp\n upsmon primary\n', 'upsd.users').users, []);
  const upsmon = parseUpsmonConf('MONITOR ups@localhost 1 monp mp primary\nSHUTDOWNCMD "halt"\nPOLLFREQ 1\nPOLLFREQALERT 1\nFINALDELAY 2\nHOSTSYNC 10\n', 'upsmon.conf').conf;
  const settings = defaultSettings();
  settings.shutdown.lastToGo = lastToGo;
  const order: string[] = [];
  const shell = async (command: string): Promise<ShellResult> => {
    if (!command.includes('| wall')) order.push(`shell ${command} (driver saw: ${target.calls.join(', ') || 'nothing'})`);
    return { code: 0, signal: undefined, output: '' };
  };
  const log: string[] = [];
  const setup = await createMonitorSetup({ upsmon, upssched: undefined, settings, warnings: [] }, '/tmp', {
    devices, router, users, listenPorts: [3493], sections: parseUpsConf('[ups]\n driver = dummy-ups\n port = x.dev\n', 'ups.conf').sections,
    clock, log: createLogger('gw', (level, room, m) => log.push(`${level} ${room}: ${m}`)), shell,
  });
  return { clock, device, target, setup, order, log };
}

test('last to go: FSD, secondaries gone, then the power cut through the router, then SHUTDOWNCMD', async () => {
  const w = await world(true);
  await w.setup.start();
  await w.clock.advance(1);
  assert.is(w.device.numLogins, 1, 'the monitor counts as a login on its own UPS');
  assert.equal(w.device.logins().map((l) => `${l.username}@${l.address}`), ['monp@127.0.0.1']);
  // One secondary is still logged in over the network.
  w.device.addLogin({ id: 99, address: '192.0.2.10', username: 'mons' });
  w.device.setInfo('ups.status', 'OB LB');
  await w.clock.advance(1000);
  assert.ok(w.device.fsd, 'the primary set FSD on its own UPS');
  await w.clock.advance(3000);
  assert.equal(w.target.calls, [], 'no power cut while a secondary is logged in');
  w.device.removeLogin(99);
  await w.clock.advance(500);
  assert.equal(w.target.calls, [], 'FINALDELAY first');
  await w.clock.advance(2000);
  assert.equal(w.order, ['shell halt (driver saw: INSTCMD driver.killpower)'], 'this stand-in takes driver.killpower, the first command tried');
  assert.equal(w.setup.events.list().map((e) => e.type), ['ONBATT', 'LOWBATT', 'SHUTDOWN_HOSTSYNC', 'SHUTDOWN']);
  assert.ok(w.log.some((l) => l.includes('killpower: UPS ups (sdorder 0) accepted driver.killpower')));
  await w.clock.advance(1);
  assert.is(w.device.numLogins, 0, 'SHUTDOWNEXIT: the monitor logged out');
  await w.setup.stop();
});

test('without last to go the UPS power is left to the late-shutdown hook', async () => {
  const w = await world(false);
  await w.setup.start();
  await w.clock.advance(1);
  w.device.setInfo('ups.status', 'OB LB');
  await w.clock.advance(5000);
  assert.equal(w.order, ['shell halt (driver saw: nothing)']);
  await w.setup.stop();
});

test.run();
