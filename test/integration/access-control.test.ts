// The old access control of a Suffield-style set-up (seed 004): ACL lines naming networks,
// ACCEPT/REJECT as an allow-list, `allowfrom` per user — read from the files unchanged and
// enforced by the running gateway. 127.0.0.1 and ::1 stand for two networks.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ask, LineClient } from '../helpers/line-client.js';
import { NutConfDir } from '../helpers/nut-sandbox.js';
import { freeDualStackPort } from '../helpers/ports.js';
import { UpsgateProcess } from '../helpers/upsgate-process.js';

const acl = suite('old ACL / ACCEPT / REJECT / allowfrom');

const UPS_CONF = '[nicole]\n  driver = dummy-ups\n  port = nicole.dev\n  desc = "Smart-UPS 1000"\n  sdorder = 10\n';
const DEV = 'ups.status: OL\nbattery.charge: 100\n';
const USERS = [
  '# Local user with full manual control over all UPSes',
  '[upsmaster]',
  '  password = supersecret',
  '  allowfrom = v6local',
  '  actions = SET FSD',
  '  instcmds = all',
  '[monslave]',
  '  password = kindasecret',
  '  allowfrom = v4local v6local',
  '  upsmon slave',
  '',
].join('\n');

async function gatewayWith(upsdConf: string): Promise<UpsgateProcess> {
  const conf = await NutConfDir.create({
    files: { 'ups.conf': UPS_CONF, 'nicole.dev': DEV, 'upsd.conf': upsdConf, 'upsd.users': USERS },
    port: await freeDualStackPort(),
  });
  return UpsgateProcess.start({ conf });
}

const session = (port: number, host: string, lines: string[]) => ask(port, lines, { host });

acl.after(async () => {
  await LineClient.closeAll();
});

acl('ACCEPT admits the listed networks; the rest is refused without a word', async () => {
  const gw = await gatewayWith('ACL v4local 127.0.0.1/255.255.255.255\nACL v6local ::1/128\nACL all 0.0.0.0/0\nACCEPT v4local\nREJECT all\n');
  try {
    assert.equal(await session(gw.port, '127.0.0.1', ['GET VAR nicole ups.status']), ['VAR nicole ups.status "OL"']);
    assert.equal(await session(gw.port, '::1', ['GET VAR nicole ups.status']), ['CLOSED']);
    await gw.waitForStderr(/rejecting connection from ::1 \(upsd\.conf ACCEPT\/REJECT\)/);
  } finally {
    await gw.stop();
    await gw.conf.remove();
  }
});

acl('allowfrom limits what a user may do to its networks; reading needs no user', async () => {
  const gw = await gatewayWith('ACL v4local 127.0.0.1/32\nACL v6local ::1/128\nACCEPT v4local v6local\n');
  try {
    const fsd = ['USERNAME upsmaster', 'PASSWORD supersecret', 'FSD nicole'];
    assert.equal(await session(gw.port, '127.0.0.1', fsd), ['OK', 'OK', 'ERR ACCESS-DENIED']);
    assert.equal(await session(gw.port, '::1', fsd), ['OK', 'OK', 'OK FSD-SET']);
    const login = ['USERNAME monslave', 'PASSWORD kindasecret', 'LOGIN nicole'];
    assert.equal(await session(gw.port, '127.0.0.1', login), ['OK', 'OK', 'OK']);
    assert.equal(await session(gw.port, '127.0.0.1', ['GET VAR nicole ups.status']), ['VAR nicole ups.status "FSD OL"']);
  } finally {
    await gw.stop();
    await gw.conf.remove();
  }
});

acl.run();
