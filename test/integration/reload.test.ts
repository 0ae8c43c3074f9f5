// Reloading in place: upsd and upsmon reread their files on SIGHUP, and the web UI's Save does
// the same through one reload. Clients connected before must stay connected, the new files must
// take effect (a new user, a new UPS, a new listener, the monitor's new shutdown settings), and a
// file a driver refuses must leave the old configuration serving.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { LineClient } from '../helpers/line-client.js';
import { NutConfDir, runCommand } from '../helpers/nut-sandbox.js';
import { freePort } from '../helpers/ports.js';
import { UpsgateProcess } from '../helpers/upsgate-process.js';
import { waitUntil } from '../helpers/wait.js';
import { enableCompat } from '../../src/conf/compat-clients.js';

const test = suite('reload: SIGHUP and the web UI apply new files without dropping clients');

const DEV = 'ups.status: OL\nbattery.charge: 100\nups.load: 20\n';
let gw: UpsgateProcess | undefined;

test.after.each(async () => {
  await LineClient.closeAll();
  await gw?.stop();
  gw = undefined;
});

test('SIGHUP: a logged-in client stays, a new user and a new UPS and a new listener appear, a bad driver section is refused', async () => {
  const port = await freePort();
  const conf = await NutConfDir.create({
    port,
    listen: ['127.0.0.1'],
    files: {
      'ups.conf': '[ups]\n\tdriver = dummy-ups\n\tport = a.dev\n',
      'a.dev': DEV,
      'b.dev': DEV.replace('100', '55'),
      'upsd.users': '[mon]\n\tpassword = monpass\n\tupsmon secondary\n',
    },
  });
  gw = await UpsgateProcess.start({ conf });
  const client = await LineClient.connect(port);
  assert.match(await client.request('USERNAME mon'), 'OK');
  assert.match(await client.request('PASSWORD monpass'), 'OK');
  assert.match(await client.request('LOGIN ups'), 'OK');

  const port2 = await freePort();
  await conf.writeFile('ups.conf', '[ups]\n\tdriver = dummy-ups\n\tport = a.dev\n[second]\n\tdriver = dummy-ups\n\tport = b.dev\n');
  await conf.writeFile('upsd.users', '[mon]\n\tpassword = monpass\n\tupsmon secondary\n[admin]\n\tpassword = adminpass\n\tactions = SET\n');
  await conf.writeFile('upsd.conf', `LISTEN 127.0.0.1 ${port}\nLISTEN 127.0.0.1 ${port2}\n`);
  process.kill(gw.pid!, 'SIGHUP');
  await gw.waitForStderr(/configuration reloaded: 1 driver\(s\) started, 0 stopped; 1 NUT client\(s\) still connected/);

  // The old connection still answers, still logged in (NUMLOGINS counts it).
  assert.is(await client.request('GET NUMLOGINS ups'), 'NUMLOGINS ups 1');
  assert.is(client.endReason, undefined);
  const second = await runCommand('upsc', [`second@127.0.0.1:${port2}`, 'battery.charge']);
  assert.is(second.stdout.trim(), '55', second.stderr);
  const admin = await LineClient.connect(port);
  assert.match(await admin.request('USERNAME admin'), 'OK');
  assert.match(await admin.request('PASSWORD adminpass'), 'OK');
  assert.match(await admin.request('SET VAR second ups.load 40'), /OK|ERR/);

  // A section the driver refuses: nothing changes, the log says why.
  await conf.writeFile('ups.conf', '[ups]\n\tdriver = no-such-driver\n\tport = a.dev\n');
  process.kill(gw.pid!, 'SIGHUP');
  await gw.waitForStderr(/reload refused, the previous configuration keeps running: .*no-such-driver/);
  assert.is(await client.request('GET VAR second battery.charge'), 'VAR second battery.charge "55"');
  assert.is(await client.request('GET NUMLOGINS ups'), 'NUMLOGINS ups 1');
});

test('Synology compatibility: [ups] repeats the real UPS, monuser/secret logs in from an allowed address only', async () => {
  const port = await freePort();
  const conf = await NutConfDir.create({
    port,
    listen: ['127.0.0.1'],
    files: { 'ups.conf': '[rack]\n\tdriver = dummy-ups\n\tport = a.dev\n', 'a.dev': DEV, 'upsd.users': '' },
  });
  gw = await UpsgateProcess.start({ conf });
  await enableCompat(conf.dir, 'synology', ['127.0.0.1'], 'rack', port);
  process.kill(gw.pid!, 'SIGHUP');
  await gw.waitForStderr(/configuration reloaded/);
  const login = async () => {
    const c = await LineClient.connect(port);
    await c.request('USERNAME monuser');
    await c.request('PASSWORD secret');
    return c.request('LOGIN ups');
  };
  await waitUntil('the alias serves the real UPS', async () => (await runCommand('upsc', [`ups@127.0.0.1:${port}`, 'battery.charge'])).stdout.trim() === '100', 10_000, () => gw!.logs());
  assert.is(await login(), 'OK');
  // Allowed from another address only: the well-known password no longer works from here.
  await enableCompat(conf.dir, 'synology', ['192.0.2.1'], 'rack', port);
  process.kill(gw.pid!, 'SIGHUP');
  await gw.waitForStderr(/configuration reloaded[^\n]*\n(.|\n)*configuration reloaded/);
  assert.is(await login(), 'ERR ACCESS-DENIED');
});

test.run();
