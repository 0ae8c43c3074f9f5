import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { configError, Harness } from '../helpers.js';
import { SimHarness } from './sim-harness.js';

const test = suite('apcsmart driver against the simulated Smart-UPS');

const without = (h: SimHarness) => Object.fromEntries(h.device.variables().filter((v) => !v.name.startsWith('driver.')).map((v) => [v.name, v.value]));

test('start-up: smart mode, the command set, every variable NUT reads, writable enums from ^Z', async () => {
  const h = new SimHarness();
  await h.start();
  const vars = without(h);
  assert.is(vars['ups.status'], 'OL');
  assert.is(vars['ups.mfr'], 'APC');
  assert.is(vars['ups.model'], 'SMART-UPS 1500');
  assert.is(vars['battery.runtime'], '7620', '0127: minutes');
  assert.is(vars['ups.test.interval'], '1209600');
  assert.is(vars['input.transfer.reason'], 'no transfers yet since turnon');
  assert.is(vars['ups.firmware'], '601.3.D', 'b answers in shape, so V is not used');
  assert.equal(h.device.getVariable('input.transfer.high')?.enums, ['127', '130', '133', '136']);
  assert.equal(h.device.getVariable('battery.runtime.low')?.enums, ['120', '300', '420', '600']);
  assert.ok(h.device.getVariable('ups.id')?.flags.string);
  assert.is(h.device.getVariable('ups.id')?.aux, 8);
  assert.equal(h.sim.received.slice(0, 3).map((r) => r.cmd), ['Y', 'V', 'b']);
  assert.ok(h.device.commands().includes('shutdown.return'));
  assert.ok(!h.device.commands().includes('bypass.start'), '^ is not in this model\'s command set');
  await h.stop();
  assert.is(h.sim.received.at(-1)?.cmd, 'R', 'back to dumb mode on stop');
});

test('alerts change ups.status at once, between polls; the next Q confirms', async () => {
  const h = new SimHarness();
  await h.start();
  await h.run(2500);
  const polls = h.sim.received.filter((r) => r.cmd === 'Q').length;
  h.sim.mainsLost();
  await h.turns();
  assert.is(h.get('ups.status'), 'OB');
  h.sim.lowBattery();
  await h.turns();
  assert.is(h.get('ups.status'), 'OB LB');
  assert.is(h.sim.received.filter((r) => r.cmd === 'Q').length, polls, 'no poll in between');
  h.sim.mainsBack();
  await h.turns();
  assert.is(h.get('ups.status'), 'OL LB', '$ clears OB only');
  await h.run(2000);
  assert.is(h.get('ups.status'), 'OL', 'the next Q has LB cleared');
  h.sim.replaceBattery();
  await h.turns();
  assert.is(h.get('ups.status'), 'OL RB');
  await h.run(2000);
  assert.is(h.get('ups.test.result'), 'BT');
  await h.stop();
});

test('SET: enumerated EEPROM values rotate with - until they show the value; strings go as 8 paced characters', async () => {
  const h = new SimHarness();
  await h.start();
  assert.is(await h.drive(h.driver.setVariable('input.transfer.high', '136')), 'success');
  assert.is(h.sim.values.u, '136');
  assert.is(h.get('input.transfer.high'), '136');
  assert.is(await h.drive(h.driver.setVariable('battery.runtime.low', '300')), 'success');
  assert.is(h.sim.values.q, '05');
  assert.is(h.get('battery.runtime.low'), '300');
  assert.is(await h.drive(h.driver.setVariable('input.transfer.high', '999')), 'failed', 'wraps around without finding it');
  assert.is(await h.drive(h.driver.setVariable('ups.id', 'RACK3')), 'success');
  assert.is(h.sim.values.c, 'RACK3');
  assert.is(h.get('ups.id'), 'RACK3');
  assert.is(await h.drive(h.driver.setVariable('ups.id', 'NINECHARS')), 'invalid-argument');
  assert.is(await h.drive(h.driver.setVariable('battery.charge', '50')), 'unknown');
  await h.stop();
});

test('instant commands: plain ones at once; dangerous ones only when repeated 3-15 s later; K twice 1.3 s apart', async () => {
  const h = new SimHarness();
  await h.start();
  assert.is(await h.drive(h.driver.instcmd('test.battery.start')), 'success');
  assert.ok(h.sim.received.some((r) => r.cmd === 'W'));
  assert.is(await h.drive(h.driver.instcmd('shutdown.stayoff')), 'success');
  assert.ok(!h.sim.received.some((r) => r.cmd === 'K'), 'first request only arms it');
  await h.run(5000);
  assert.is(await h.drive(h.driver.instcmd('shutdown.stayoff')), 'success');
  const ks = h.sim.received.filter((r) => r.cmd === 'K');
  assert.is(ks.length, 2);
  assert.ok(ks[1]!.atMs - ks[0]!.atMs >= 1300, `K K gap ${ks[1]!.atMs - ks[0]!.atMs} ms`);
  assert.equal(h.sim.shutdowns, ['K']);
  assert.is(await h.drive(h.driver.instcmd('bypass.start')), 'invalid-argument', 'not on this model');
  assert.is(await h.drive(h.driver.instcmd('no.such')), 'unknown');
  await h.stop();
});

test('driver.killpower (what upsgate killpower sends): sdtype 0 sends @000 on line, S on battery', async () => {
  const h = new SimHarness();
  await h.start();
  assert.is(await h.drive(h.driver.instcmd('driver.killpower')), 'success');
  assert.equal(h.sim.shutdowns, ['@000']);
  const at = h.sim.received.find((r) => r.cmd.startsWith('@'))!;
  assert.is(at.cmd, '@000');
  h.sim.mainsLost();
  await h.run(2000);
  assert.is(await h.drive(h.driver.instcmd('driver.killpower')), 'success');
  assert.equal(h.sim.shutdowns, ['@000', 'S']);
  await h.stop();
});

test('shutdown.return from a client is NUT\'s: dangerous, so only the second request within 3-15 s sends S', async () => {
  const h = new SimHarness();
  await h.start();
  h.sim.mainsLost();
  await h.run(2000);
  assert.is(await h.drive(h.driver.instcmd('shutdown.return')), 'success');
  assert.equal(h.sim.shutdowns, [], 'the first request is only remembered');
  await h.run(4000);
  assert.is(await h.drive(h.driver.instcmd('shutdown.return')), 'success');
  assert.equal(h.sim.shutdowns, ['S']);
  assert.not.ok(h.device.commands().includes('driver.killpower'), 'not listed: LIST CMD stays NUT 2.8.0\'s');
  await h.stop();
});

test('sdtype 3 is K twice; advorder tries methods in turn (S refused on line, then @ with awd)', async () => {
  const k = new SimHarness([['sdtype', '3']]);
  await k.start();
  assert.is(await k.drive(k.driver.instcmd('driver.killpower')), 'success');
  assert.equal(k.sim.shutdowns, ['K']);
  await k.stop();
  const adv = new SimHarness([['advorder', '01'], ['awd', '5']]);
  await adv.start();
  assert.is(await adv.drive(adv.driver.instcmd('driver.killpower')), 'success');
  assert.equal(adv.sim.shutdowns, ['@005']);
  assert.ok(adv.sim.received.some((r) => r.cmd === 'S'), 'S was tried first');
  await adv.stop();
});

test('a UPS that stops answering goes stale; when it answers again (Y, then Q) the data is fresh', async () => {
  const h = new SimHarness();
  await h.start();
  await h.run(2500);
  h.sim.silent = true;
  await h.run(6000);
  assert.is(h.device.availability(), 'stale');
  h.sim.silent = false;
  const ys = h.sim.received.filter((r) => r.cmd === 'Y').length;
  await h.run(6000);
  assert.is(h.device.availability(), 'ok');
  assert.ok(h.sim.received.filter((r) => r.cmd === 'Y').length > ys, 'smart mode asked again');
  await h.stop();
});

test('noise on the line between replies does not break polling', async () => {
  const h = new SimHarness();
  await h.start();
  h.sim.noise('\x00\xff garbage\r\n');
  await h.run(4500);
  assert.is(h.device.availability(), 'ok');
  assert.is(h.get('ups.status'), 'OL');
  await h.stop();
});

test('the adapter vanishes: stale at once, reopened with backoff, fresh again when it is back', async () => {
  const h = new SimHarness();
  await h.start();
  h.unplugged = true;
  h.channel.unplug();
  await h.turns();
  assert.is(h.device.availability(), 'stale');
  await h.run(10_000);
  assert.is(h.opens, 1);
  assert.ok(h.logs.some((l) => /next try in 2 s/.test(l)), 'backoff grows');
  h.unplugged = false;
  await h.run(20_000);
  assert.is(h.opens, 2);
  assert.is(h.device.availability(), 'ok');
  await h.stop();
});

test('ups.conf options are checked with NUT\'s patterns and the line is named', async () => {
  await configError(() => new Harness([['driver', 'apcsmart'], ['port', '/dev/ttyS0'], ['sdtype', '7']]),
    /^\/etc\/nut\/ups\.conf:4:3: \[ups1\] invalid value \(7\) for option 'sdtype'; accepted: a digit 0 to 5/);
  await configError(() => new Harness([['driver', 'apcsmart'], ['port', '/dev/ttyS0'], ['advorder', '05']]), /advorder/);
  await configError(() => new Harness([['driver', 'apcsmart'], ['port', '/dev/ttyS0'], ['cshdelay', '12']]), /cshdelay/);
  await configError(() => new Harness([['driver', 'apcsmart'], ['port', '/dev/ttyS0'], ['awd', '1234']]), /awd/);
  await configError(() => new Harness([['driver', 'apcsmart'], ['port', '/dev/ttyS0'], ['baud', '9600']]), /'baud' is not a valid/);
  const ok = new Harness([['driver', 'apcsmart'], ['port', '/dev/ttyS0'], ['cable', '940-0095B'], ['advorder', 'no'], ['ttymode', 'raw']]);
  assert.is(ok.driver.driverName, 'apcsmart');
});

test('a port that cannot be opened, or a UPS that never says SM: the start fails naming the port line', async () => {
  const gone = new SimHarness();
  gone.unplugged = true;
  await gone.start().then(() => assert.unreachable('must fail'), (e: Error) =>
    assert.match(e.message, /^\/etc\/nut\/ups\.conf:3:3: \[ups1\]: cannot open serial port \/dev\/ttyS0: ENOENT.*port = the UPS's serial device/));
  const mute = new SimHarness();
  mute.sim.silent = true;
  await mute.start().then(() => assert.unreachable('must fail'), (e: Error) =>
    assert.match(e.message, /ups\.conf:3:3: \[ups1\]: unable to detect an APC Smart protocol UPS on port \/dev\/ttyS0/));
  assert.is(mute.sim.received.filter((r) => r.cmd === 'Y').length, 5, 'five tries, as NUT');
});

test('the 940-0095B cable gets DTR on and RTS off', async () => {
  const h = new SimHarness([['cable', '940-0095B']]);
  await h.start();
  assert.equal(h.channel.lines, [{ dtr: true, rts: false }]);
  await h.stop();
});

test.run();
