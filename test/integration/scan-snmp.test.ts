// `upsgate scan --snmp HOST:PORT` against snmpsimd serving the APC AP9631 recording: one ready
// snmp-ups section with the MIB table mibs = auto picks; and that section, used as it is, is served.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { NutConfDir, runCommand } from '../helpers/nut-sandbox.js';
import { freeDualStackPort } from '../helpers/ports.js';
import { apcRecording, silentUdpPort, Snmpsim } from '../helpers/snmpsim.js';
import { runUpsgate, UpsgateProcess } from '../helpers/upsgate-process.js';

const test = suite('scan: --snmp');

test('prints a working snmp-ups section for a named card; a silent one is an error', async () => {
  const sim = await Snmpsim.start({ files: { scanme: await apcRecording() } });
  const silent = await silentUdpPort();
  try {
    const r = await runUpsgate(['scan', '--snmp', `127.0.0.1:${sim.port}`, '--community', 'scanme'], { timeoutMs: 30000 });
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^\\[nutdev1\\]\\n\\tdriver = "snmp-ups"\\n\\tport = 127\\.0\\.0\\.1:${sim.port}\\n(\\tdesc = .*\\n)?\\tmibs = apcc\\n\\tcommunity = scanme\\n`, 'm'));
    const port = await freeDualStackPort();
    const section = r.stdout.replace('[nutdev1]', '[card]').split('\n\n')[0]!;
    const conf = await NutConfDir.create({ files: { 'ups.conf': `${section}\n` }, port });
    const gw = await UpsgateProcess.start({ conf, readyTimeoutMs: 30000 });
    try {
      const upsc = await runCommand('upsc', [`card@127.0.0.1:${port}`, 'ups.status']);
      assert.is(upsc.code, 0, upsc.stderr);
    } finally {
      await gw.stop();
      await conf.remove();
    }
    const bad = await runUpsgate(['scan', '--snmp', `127.0.0.1:${silent.port}`], { timeoutMs: 30000 });
    assert.is(bad.code, 1);
    assert.match(bad.stderr, new RegExp(`upsgate scan: 127\\.0\\.0\\.1:${silent.port}: `));
  } finally {
    await silent.close();
    await sim.stop();
  }
});

test.run();
