// dummy-ups in repeater mode (`port = ups@host:port`): a UPS served by another NUT server, served
// here as if attached. Against real Debian upsd + dummy-ups as the source, and side by side with
// NUT's own repeater (a second real upsd whose dummy-ups repeats the same UPS): upsc shows the
// same on both. Then a change at the source arrives, and when the source goes away upsgate says
// ERR DATA-STALE (NUT's repeater keeps its last values "fresh" — a deliberate difference).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ask } from '../helpers/line-client.js';
import { NutConfDir, RealNut, requirePeers, runCommand } from '../helpers/nut-sandbox.js';
import { freeDualStackPort } from '../helpers/ports.js';
import { runUpsgate, UpsgateProcess } from '../helpers/upsgate-process.js';
import { waitUntil } from '../helpers/wait.js';

const test = suite('repeater: dummy-ups port = ups@host:port');

const SOURCE = {
  'ups.conf': '[ups]\n\tdriver = dummy-ups\n\tport = plain.dev\n\tdesc = "The source"\n',
  'upsd.users': '[admin]\n\tpassword = adminpass\n\tactions = SET\n',
  'plain.dev': 'ups.mfr: Plain\nups.model: Plain UPS\nups.status: OL\nbattery.charge: 90\ninput.voltage: 230.5\n',
};

const repeaterConf = (port: number) => `[rep]\n\tdriver = dummy-ups\n\tport = ups@127.0.0.1:${port}\n\tdesc = "Repeated"\n`;

/** upsc's lines without driver.*: the repeating driver's own bookkeeping, never repeated. */
async function upscLines(target: string): Promise<string[]> {
  const r = await runCommand('upsc', [target]);
  assert.is(r.code, 0, `upsc ${target}: ${r.stderr}`);
  return r.stdout.split('\n').filter((l) => l !== '' && !l.startsWith('driver.'));
}

test('repeats a real upsd UPS as NUT\'s repeater does; changes arrive; a lost source is stale', async () => {
  requirePeers('upsd', 'dummy-ups', 'upsc');
  const source = await RealNut.start(await NutConfDir.create({ files: SOURCE, port: await freeDualStackPort() }));
  const nutRepeater = await RealNut.start(await NutConfDir.create({ files: { 'ups.conf': repeaterConf(source.port) }, port: await freeDualStackPort() }));
  const conf = await NutConfDir.create({ files: { 'ups.conf': repeaterConf(source.port) }, port: await freeDualStackPort() });
  const gw = await UpsgateProcess.start({ conf });
  const logs = () => `${gw.logs()}\n${nutRepeater.logs()}`;
  try {
    const ours = await upscLines(`rep@127.0.0.1:${gw.port}`);
    assert.equal(ours, await upscLines(`rep@127.0.0.1:${nutRepeater.port}`), 'the same as NUT 2.8.0\'s repeater');
    assert.ok(ours.includes('battery.charge: 90') && ours.includes('input.voltage: 230.5'));
    const scan = await runUpsgate(['scan', '--nut', `127.0.0.1:${source.port}`]);
    assert.is(scan.code, 0, scan.stderr);
    assert.match(scan.stdout, new RegExp(`^\\[nutdev1\\]\\n\\tdriver = "dummy-ups"\\n\\tport = ups@127\\.0\\.0\\.1:${source.port}\\n\\tdesc = "The source"\\n`, 'm'));
    const refused = await runUpsgate(['scan', '--nut', `127.0.0.1:${await freeDualStackPort()}`]);
    assert.is(refused.code, 1);
    assert.match(refused.stderr, /upsgate scan: 127\.0\.0\.1:\d+: /);
    const [mode] = await ask(gw.port, ['GET VAR rep driver.parameter.mode']);
    assert.is(mode, 'VAR rep driver.parameter.mode "repeater"');

    assert.equal(await ask(source.port, ['USERNAME admin', 'PASSWORD adminpass', 'SET VAR ups ups.status "OB DISCHRG"']), ['OK', 'OK', 'OK']);
    await waitUntil('OB at the repeater', async () => (await ask(gw.port, ['GET VAR rep ups.status']))[0] === 'VAR rep ups.status "OB DISCHRG"', 10000, logs);

    await source.stop();
    await waitUntil('ERR DATA-STALE at the repeater', async () => (await ask(gw.port, ['GET VAR rep ups.status']))[0] === 'ERR DATA-STALE', 10000, logs);
    assert.match(gw.stderr, /repeating ups@127\.0\.0\.1:\d+ failed .*data is stale; reconnecting/);
  } finally {
    await gw.stop();
    await conf.remove();
    await nutRepeater.stop();
    await source.stop();
  }
});

test('a source that cannot be reached at start fails the start, naming it', async () => {
  const dead = await freeDualStackPort();
  const conf = await NutConfDir.create({ files: { 'ups.conf': repeaterConf(dead) }, port: await freeDualStackPort() });
  try {
    const gw = await UpsgateProcess.start({ conf, readyTimeoutMs: 4000 }).catch((e: Error) => e);
    assert.ok(gw instanceof Error, 'the repeated UPS cannot be served');
    assert.match(gw.message, new RegExp(`repeating ups@127\\.0\\.0\\.1:${dead}: .*(refused|ECONNREFUSED)`, 'i'));
  } finally {
    await conf.remove();
  }
});

test.run();
