// `upsgate scan --serial --probe PATH` over real pseudo-terminals: an APC Smart simulator and a
// Megatec Q1 simulator are each recognised and printed as a ready section; a port nobody answers
// on is said so; --serial lists ports without writing to them.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApcSmartSimulator } from '../helpers/apcsmart-simulator.js';
import { Q1Simulator } from '../helpers/q1-simulator.js';
import { runUpsgate } from '../helpers/upsgate-process.js';

const test = suite('scan: serial ports');

test('--probe recognises APC Smart and Megatec Q1; a silent port is said so', async () => {
  const apc = await ApcSmartSimulator.start();
  const dir = await mkdtemp(join(tmpdir(), 'upsgate-scan-q1-'));
  const q1 = await Q1Simulator.start(dir);
  const silentDir = await mkdtemp(join(tmpdir(), 'upsgate-scan-mute-'));
  const mute = await Q1Simulator.start(silentDir);
  mute.mute = true;
  try {
    const r = await runUpsgate(['scan', '--serial', '--probe', apc.device, '--probe', q1.port, '--probe', mute.port], { timeoutMs: 30000 });
    assert.is(r.code, 0, r.stderr);
    assert.ok(r.stdout.includes(`\tdriver = "apcsmart"\n\tport = ${apc.device}\n`), r.stdout);
    assert.ok(r.stdout.includes(`\tdriver = "nutdrv_qx"\n\tport = ${q1.port}\n`), r.stdout);
    assert.match(r.stdout, /^(# .*\n)*\[nutdev1\]/);
    assert.match(r.stderr, new RegExp(`${mute.port.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: neither APC Smart \\(Y\\) nor Megatec Q1 answered`));
  } finally {
    await apc.stop();
    await q1.stop();
    await mute.stop();
    await rm(dir, { recursive: true, force: true });
    await rm(silentDir, { recursive: true, force: true });
  }
});

test.run();
