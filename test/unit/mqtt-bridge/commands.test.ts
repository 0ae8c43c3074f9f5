import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CommandRouter } from '../../../src/core/command-router.js';
import type { CommandOutcome } from '../../../src/core/command-target.js';
import { Device } from '../../../src/core/device.js';
import { DeviceTable } from '../../../src/core/device-table.js';
import { createLogger } from '../../../src/core/logger.js';
import { TrackingTable } from '../../../src/core/tracking.js';
import { MqttCommands, type CommandResult } from '../../../src/mqtt-bridge/commands.js';
import { allowedOverMqtt, cutsPower } from '../../../src/core/power-commands.js';
import { FakeClock } from '../../helpers/fake-clock.js';

function setup(allowCommands: string[] = [], answer: CommandOutcome = 'success') {
  const clock = new FakeClock();
  const device = new Device('ups', clock);
  for (const c of ['beeper.mute', 'test.battery.start.quick', 'load.off', 'load.off.delay', 'shutdown.return']) device.addCmd(c);
  device.setInfo('ups.delay.shutdown', '20');
  device.setFlags('ups.delay.shutdown', { rw: true });
  device.addRange('ups.delay.shutdown', 0, 600);
  device.setInfo('input.transfer.low', '170');
  device.setFlags('input.transfer.low', { rw: true });
  device.addEnum('input.transfer.low', '160');
  device.addEnum('input.transfer.low', '170');
  device.setInfo('ups.id', 'rack');
  device.setFlags('ups.id', { rw: true, string: true });
  device.setAux('ups.id', 8);
  device.setInfo('ups.model', 'Back-UPS');
  const sent: string[] = [];
  device.bindCommandTarget({
    instcmd: async (c, p) => (sent.push(`instcmd ${c}${p !== undefined ? ` ${p}` : ''}`), answer),
    setVariable: async (n, v) => (sent.push(`set ${n}=${v}`), answer),
  });
  const router = new CommandRouter(new TrackingTable(clock, 60_000));
  const results: CommandResult[] = [];
  const logs: string[] = [];
  const log = createLogger('mqtt', (_l, _r, m) => logs.push(m));
  const commands = new MqttCommands({ devices: new DeviceTable([device]), router, allowCommands, publish: (_ups, r) => results.push(r), log, clock });
  const send = async (kind: 'command' | 'set', payload: string, name?: string, retain = false) => {
    commands.handle({ ups: 'ups', kind, ...(name ? { name } : {}) }, Buffer.from(payload), retain);
    await new Promise((r) => setImmediate(r));
  };
  return { sent, results, send, commands, logs, clock };
}

test('a plain command name, a name with a parameter, and the JSON form with an id reach the driver', async () => {
  const { sent, results, send } = setup();
  await send('command', 'beeper.mute');
  await send('command', '{"command": "test.battery.start.quick", "id": 7}');
  assert.equal(sent, ['instcmd beeper.mute', 'instcmd test.battery.start.quick']);
  assert.equal(results, [
    { kind: 'command', name: 'beeper.mute', status: 'success' },
    { id: '7', kind: 'command', name: 'test.battery.start.quick', status: 'success' },
  ]);
});

test('the driver\'s verdict is published as it came', async () => {
  const { results, send } = setup([], 'failed');
  await send('command', 'beeper.mute');
  assert.equal(results, [{ kind: 'command', name: 'beeper.mute', status: 'failed' }]);
});

test('commands that cut power are refused unless allowed by name, and the refusal says how to allow them', async () => {
  const { sent, results, send } = setup();
  await send('command', 'load.off');
  await send('command', 'shutdown.return');
  assert.equal(sent, []);
  assert.is(results[0]!.status, 'refused');
  assert.match(results[0]!.reason!, '"load.off" cuts the power to the load, so it is off over MQTT; to allow it, name it in mqtt.allowCommands in upsgate.json');
  assert.is(results[1]!.status, 'refused');

  const allowed = setup(['load.off']);
  await allowed.send('command', 'load.off');
  await allowed.send('command', 'load.off.delay 30');
  assert.equal(allowed.sent, ['instcmd load.off']);
  assert.is(allowed.results[1]!.status, 'refused', 'load.off.delay is another command: it needs its own name in the list');
});

test('cutsPower: load.off*, load.cycle, shutdown.*, outlet variants and driver.killpower; not the harmless ones', () => {
  for (const c of ['load.off', 'load.off.delay', 'load.cycle', 'shutdown.return', 'shutdown.stayoff', 'shutdown.reboot', 'outlet.1.load.off', 'outlet.2.shutdown.return', 'driver.killpower', 'LOAD.OFF']) {
    assert.ok(cutsPower(c), c);
  }
  for (const c of ['beeper.mute', 'load.on', 'test.battery.start', 'calibrate.start', 'outlet.1.load.on', 'bypass.start', 'load.offset', 'beeper.toggle']) assert.not.ok(cutsPower(c), c);
  assert.ok(allowedOverMqtt('Load.Off', ['load.off']));
});

test('retained, oversized, unknown and malformed requests are refused, each with its reason; nothing reaches the driver', async () => {
  const { sent, results, send } = setup();
  await send('command', 'beeper.mute', undefined, true);
  await send('command', 'x'.repeat(1025));
  await send('command', 'no.such.command');
  await send('command', '{"command": 5}');
  await send('command', '{"command": "beeper.mute", "extra": 1}');
  await send('command', '{not json');
  await send('command', 'beeper.mute\u0000');
  assert.equal(sent, []);
  const reasons = results.map((r) => `${r.status}: ${r.reason}`);
  assert.match(reasons[0]!, 'refused: a retained message is never run as a command');
  assert.match(reasons[1]!, 'the payload is 1025 bytes; accepted: at most 1024');
  assert.match(reasons[2]!, 'UPS ups has no instant command "no.such.command"; accepted: beeper.mute, load.off');
  assert.match(reasons[3]!, '"command" is missing or not a command name');
  assert.match(reasons[4]!, 'unknown key "extra"');
  assert.match(reasons[5]!, 'the payload is not valid JSON');
  assert.match(reasons[6]!, 'not UTF-8 text without control characters');
});

test('a command for a UPS this gateway does not have is refused by name', async () => {
  const { results, commands } = setup();
  commands.handle({ ups: 'other', kind: 'command' }, Buffer.from('beeper.mute'), false);
  assert.match(results[0]!.reason!, 'no UPS named "other" here; accepted: ups');
});

test('set: a value in range or in the enum list is written; the rest refused with what is accepted', async () => {
  const { sent, results, send } = setup();
  await send('set', '30', 'ups.delay.shutdown');
  await send('set', '{"value": 160, "id": "a"}', 'input.transfer.low');
  await send('set', '900', 'ups.delay.shutdown');
  await send('set', '165', 'input.transfer.low');
  await send('set', 'far-too-long', 'ups.id');
  await send('set', 'x', 'ups.model');
  await send('set', '1', 'no.such.var');
  assert.equal(sent, ['set ups.delay.shutdown=30', 'set input.transfer.low=160']);
  assert.equal(results.slice(0, 2), [
    { kind: 'set', name: 'ups.delay.shutdown', value: '30', status: 'success' },
    { id: 'a', kind: 'set', name: 'input.transfer.low', value: '160', status: 'success' },
  ]);
  const reasons = results.slice(2).map((r) => r.reason!);
  assert.match(reasons[0]!, 'ups.delay.shutdown cannot be set to "900": the value is not one the UPS accepts (NUT: INVALID-VALUE); accepted: 0..600');
  assert.match(reasons[1]!, 'accepted: 160, 170');
  assert.match(reasons[2]!, 'longer than the UPS accepts (NUT: TOO-LONG); accepted: at most 8 characters');
  assert.match(reasons[3]!, 'it is read-only (NUT: READONLY)');
  assert.match(reasons[4]!, 'UPS ups has no variable "no.such.var"');
});

test('no driver bound: refused as not connected', async () => {
  const { results, commands } = setup();
  const device = (commands as unknown as { deps: { devices: DeviceTable } }).deps.devices.get('ups')!;
  device.bindCommandTarget(undefined);
  commands.handle({ ups: 'ups', kind: 'command' }, Buffer.from('beeper.mute'), false);
  assert.match(results[0]!.reason!, 'the driver of UPS ups is not connected');
});

test('a flood of refused commands is published one by one but logged at most 10 a minute, then summed up', async () => {
  const { results, send, logs, clock } = setup();
  for (let i = 0; i < 50; i++) await send('command', 'no.such.command');
  assert.is(results.length, 50);
  assert.is(logs.length, 10);
  await clock.advance(60_000);
  await send('command', 'no.such.command');
  assert.match(logs[10]!, '40 more MQTT command(s) refused in the last minute');
  assert.is(logs.length, 12);
});

test.run();
