import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseUpsConf } from '../../../src/conf/ups-conf.js';
import { defaultUpsdConf } from '../../../src/conf/upsd-conf.js';
import type { NutFolder } from '../../../src/conf/nut-folder.js';
import { DeviceTable } from '../../../src/core/device-table.js';
import { silentLogger } from '../../../src/core/logger.js';
import { DriverSet } from '../../../src/gateway/driver-set.js';
import { FakeClock } from '../../helpers/fake-clock.js';

function folder(upsConf: string): NutFolder {
  return { dir: '/nonexistent', ups: parseUpsConf(upsConf, 'ups.conf'), upsd: defaultUpsdConf(), users: { file: undefined, users: [] }, warnings: [] };
}

test('a reload plan keeps unchanged UPSes, restarts changed ones on the same Device, adds new ones, stops removed ones', () => {
  const devices = new DeviceTable();
  const set = new DriverSet(devices, { clock: new FakeClock(), log: silentLogger, onListenerError: () => {}, giveUp: () => {} });
  const first = folder('[a]\n driver = dummy-ups\n port = a.dev\n[b]\n driver = dummy-ups\n port = b.dev\n[c]\n driver = dummy-ups\n port = c.dev\n');
  const adopted = set.plan(first);
  set.adopt(adopted, first);
  const [a, b] = devices.list();
  const plan = set.plan(folder('[a]\n driver = dummy-ups\n port = a.dev\n[b]\n driver = dummy-ups\n port = b2.dev\n[d]\n driver = dummy-ups\n port = d.dev\n'));
  assert.equal(plan.next.map((e) => e.section.name), ['a', 'b', 'd']);
  assert.equal(plan.started.map((e) => e.section.name), ['b', 'd']);
  assert.equal(plan.stopped.map((e) => e.section.name), ['b', 'c']);
  assert.is(plan.next[0]!.device, a, 'unchanged: the same Device');
  assert.is(plan.next[0]!.supervisor, adopted.next[0]!.supervisor, 'unchanged: its driver keeps running');
  assert.is(plan.next[1]!.device, b, 'changed: a new driver on the same Device, so its clients keep their logins');
  assert.is.not(plan.next[1]!.supervisor, plan.stopped[0]!.supervisor);
});

test('a section a driver refuses throws before anything changes', () => {
  const devices = new DeviceTable();
  const set = new DriverSet(devices, { clock: new FakeClock(), log: silentLogger, onListenerError: () => {}, giveUp: () => {} });
  const first = folder('[a]\n driver = dummy-ups\n port = a.dev\n');
  set.adopt(set.plan(first), first);
  assert.throws(() => set.plan(folder('[a]\n driver = no-such-driver\n port = a.dev\n')), /no-such-driver/);
  assert.equal(devices.list().map((d) => d.name), ['a']);
});

test.run();
