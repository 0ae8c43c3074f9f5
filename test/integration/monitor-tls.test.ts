// The monitor's connection to a remote NUT server over TLS, as upsmon.conf asks for it: FORCESSL 1
// and CERTVERIFY 1 with CERTPATH (a folder of PEM CA certificates). The server is upsgate with
// CERTFILE (Debian's upsd is built with NSS only). A certificate from another CA is refused,
// loudly, and the UPS counts as lost.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { failure } from '../helpers/fail.js';
import { ask } from '../helpers/line-client.js';
import { NutConfDir, sleep } from '../helpers/nut-sandbox.js';
import { makeTestPki } from '../helpers/pki.js';
import { freeDualStackPort } from '../helpers/ports.js';
import { markerScripts, readMarkers } from '../helpers/real-upsmon.js';
import { UpsgateProcess } from '../helpers/upsgate-process.js';

const test = suite('monitor: TLS to a remote NUT server');

const FILES = {
  'ups.conf': '[ups]\n\tdriver = dummy-ups\n\tport = plain.dev\n',
  'upsd.users': '[admin]\n\tpassword = adminpass\n\tactions = SET FSD\n[mons]\n\tpassword = ms\n\tupsmon secondary\n',
  'plain.dev': 'ups.status: OL\n',
};

async function secondaryOf(serverPort: number, ca: string, markers: string): Promise<{ conf: NutConfDir; gw: UpsgateProcess }> {
  const conf = await NutConfDir.create({ files: FILES, port: await freeDualStackPort() });
  await mkdir(join(conf.dir, 'certs'));
  await writeFile(join(conf.dir, 'certs', 'ca.pem'), ca);
  const s = await markerScripts(conf.dir, 'secondary', markers);
  await conf.writeFile('upsmon.conf', [
    `MONITOR ups@127.0.0.1:${serverPort} 1 mons ms secondary`,
    `SHUTDOWNCMD "${s.shutdown}"`,
    'FORCESSL 1',
    'CERTVERIFY 1',
    'CERTPATH certs',
    'POLLFREQ 1',
    'POLLFREQALERT 1',
    'FINALDELAY 0',
    'NOTIFYFLAG COMMBAD SYSLOG',
    '',
  ].join('\n'));
  return { conf, gw: await UpsgateProcess.start({ conf }) };
}

test('FORCESSL + CERTVERIFY: logs in over TLS and obeys FSD; a stranger CA is refused and the UPS is lost', async () => {
  const pki = await makeTestPki();
  const port = await freeDualStackPort();
  const serverConf = await NutConfDir.create({ files: { ...FILES, 'upsd.conf': 'CERTFILE upsd.pem\n', 'upsd.pem': pki.serverPem }, port });
  const server = await UpsgateProcess.start({ conf: serverConf });
  const markers = join(pki.dir, 'markers');
  const good = await secondaryOf(port, pki.ca, markers);
  const bad = await secondaryOf(port, pki.strangerCa, join(pki.dir, 'bad-markers'));
  try {
    await good.gw.waitForStderr(/logged in as mons over TLS/, 10000);
    await bad.gw.waitForStderr(/notify COMMBAD: Communications with UPS ups@127\.0\.0\.1:\d+ lost/, 10000);
    assert.match(bad.gw.stderr, /certificate|verify|self.signed|issuer/i, 'the refusal says why');
    assert.is((await ask(port, ['GET NUMLOGINS ups']))[0], 'NUMLOGINS ups 1', 'only the verified secondary is logged in');
    assert.equal(await ask(port, ['USERNAME admin', 'PASSWORD adminpass', 'FSD ups']), ['OK', 'OK', 'OK FSD-SET']);
    const deadline = Date.now() + 10000;
    while ((await readMarkers(markers)).length === 0) {
      if (Date.now() > deadline) throw failure(`the TLS secondary never shut down\n${good.gw.stderr}`);
      await sleep(100);
    }
    assert.equal((await readMarkers(join(pki.dir, 'bad-markers'))), [], 'the unverified one saw nothing to act on');
  } finally {
    await good.gw.stop();
    await bad.gw.stop();
    await server.stop();
    for (const c of [good.conf, bad.conf, serverConf]) await c.remove();
    await pki.remove();
  }
});

test.run();
