// What the gateway's monitor tells people, end to end through `upsgate run`: upssched.conf timers
// (NOTIFYCMD is upssched, built in), e-mail to a local SMTP sink (TrueNAS's `;`-separated
// addresses and subject) and webhooks (json, ntfy, gotify) to a local HTTP sink; and what it says
// when a remote NUT server refuses its password or cannot be reached.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync } from 'node:fs';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startHttpSink } from '../helpers/http-sink.js';
import { ask } from '../helpers/line-client.js';
import { NutConfDir, RealNut, sleep } from '../helpers/nut-sandbox.js';
import { freeDualStackPort, freePort } from '../helpers/ports.js';
import { startSmtpSink } from '../helpers/smtp-sink.js';
import { UpsgateProcess } from '../helpers/upsgate-process.js';
import { waitUntil } from '../helpers/wait.js';

const test = suite('monitor: notifications and upssched through the gateway');

const FILES = {
  'ups.conf': '[ups]\n\tdriver = dummy-ups\n\tport = plain.dev\n',
  'upsd.users': '[admin]\n\tpassword = adminpass\n\tactions = SET\n[monp]\n\tpassword = mp\n\tupsmon primary\n[mons]\n\tpassword = ms\n\tupsmon secondary\n',
  'plain.dev': 'ups.status: OL\nbattery.charge: 90\n',
};

async function setStatus(port: number, status: string): Promise<void> {
  assert.equal(await ask(port, ['USERNAME admin', 'PASSWORD adminpass', `SET VAR ups ups.status "${status}"`]), ['OK', 'OK', 'OK']);
}

test('upssched timers, e-mail and webhooks from one outage', async () => {
  const smtp = await startSmtpSink();
  const http = await startHttpSink();
  const port = await freeDualStackPort();
  const conf = await NutConfDir.create({ files: FILES, port });
  const ran = join(conf.dir, 'cmdscript.log');
  await writeFile(join(conf.dir, 'cmd.sh'), `#!/bin/sh\necho "$1 $NOTIFYTYPE $UPSNAME" >> ${ran}\n`);
  await chmod(join(conf.dir, 'cmd.sh'), 0o755);
  await conf.writeFile('upsmon.conf', [
    `MONITOR ups@localhost:${port} 1 monp mp primary`,
    'SHUTDOWNCMD "/bin/true"',
    'NOTIFYCMD /sbin/upssched',
    'NOTIFYFLAG ONBATT SYSLOG+EXEC',
    'NOTIFYFLAG ONLINE SYSLOG+EXEC',
    'POLLFREQ 1',
    'POLLFREQALERT 1',
    '',
  ].join('\n'));
  await conf.writeFile('upssched.conf', [
    `CMDSCRIPT ${join(conf.dir, 'cmd.sh')}`,
    'PIPEFN /run/nut/upssched.pipe',
    'LOCKFN /run/nut/upssched.lock',
    'AT ONBATT * START-TIMER onbatt 2',
    'AT ONLINE * CANCEL-TIMER onbatt online-no-timer',
    '',
  ].join('\n'));
  await conf.writeFile('upsgate.json', JSON.stringify({
    notify: {
      email: { to: 'ops@example.test;boss@example.test', subject: 'UPS %t on %u', from: 'ups@example.test', smtp: { host: '127.0.0.1', port: smtp.port, security: 'none' }, types: ['ONBATT', 'ONLINE'] },
      webhooks: [
        { url: `${http.url}/hook`, format: 'json', types: ['ONBATT'] },
        { url: `${http.url}/ups-alerts`, format: 'ntfy', types: ['ONBATT'] },
        { url: http.url, format: 'gotify', token: 'app-token', types: ['ONBATT'] },
      ],
    },
  }, null, 2));
  const gw = await UpsgateProcess.start({ conf });
  const logs = (): string => gw.logs();
  const lines = async (): Promise<string[]> => (existsSync(ran) ? (await readFile(ran, 'latin1')).split('\n').filter(Boolean) : []);
  const system = `ups@localhost:${port}`;
  try {
    await sleep(1500);
    await setStatus(port, 'OB DISCHRG');
    await waitUntil('the onbatt timer', async () => (await lines()).length === 1, 8000, logs);
    assert.equal(await lines(), [`onbatt ONBATT ${system}`], 'START-TIMER onbatt 2 fired with the starting event\'s env');
    await setStatus(port, 'OL');
    await waitUntil('online-no-timer', async () => (await lines()).length === 2, 5000, logs);
    assert.is((await lines())[1], `online-no-timer ONLINE ${system}`, 'CANCEL-TIMER with nothing pending runs its command');
    // A blip shorter than the timer: cancelled, nothing runs.
    await setStatus(port, 'OB');
    await sleep(1200);
    await setStatus(port, 'OL');
    await sleep(3000);
    assert.is((await lines()).length, 2, `the cancelled timer ran:\n${(await lines()).join('\n')}`);

    await smtp.waitFor(4);
    const mail = smtp.mails[0]!;
    assert.equal(mail.to, ['ops@example.test', 'boss@example.test']);
    assert.is(mail.from, 'ups@example.test');
    assert.is(mail.subject, `UPS ONBATT on ${system}`);
    assert.match(mail.body, new RegExp(`UPS ${system} on battery`));
    assert.equal(smtp.mails.map((m) => m.subject.split(' ')[1]), ['ONBATT', 'ONLINE', 'ONBATT', 'ONLINE']);

    await http.waitFor(6);
    const byPath = (p: string) => http.requests.filter((r) => r.path === p);
    const json = byPath('/hook');
    assert.is(json.length, 2);
    const body = JSON.parse(json[0]!.body) as Record<string, unknown>;
    assert.is(body.type, 'ONBATT');
    assert.is(body.ups, system);
    assert.is(body.message, `UPS ${system} on battery`);
    const ntfy = byPath('/ups-alerts')[0]!;
    assert.is(ntfy.method, 'POST');
    assert.is(ntfy.body, `UPS ${system} on battery`);
    assert.ok(typeof ntfy.headers.title === 'string' && typeof ntfy.headers.priority === 'string');
    const gotify = byPath('/message')[0]!;
    assert.is(gotify.headers['x-gotify-key'], 'app-token');
    assert.is((JSON.parse(gotify.body) as { message: string }).message, `UPS ${system} on battery`);
    assert.not.match(gw.stderr, /app-token/, 'secrets never reach the log');
  } finally {
    await gw.stop();
    await conf.remove();
    await smtp.close();
    await http.close();
  }
});

test('a remote server refusing the password, and one that cannot be reached, are reported loudly', async () => {
  const realPort = await freeDualStackPort();
  const real = await RealNut.start(await NutConfDir.create({ files: FILES, port: realPort }));
  const nobody = await freePort();
  const port = await freeDualStackPort();
  const conf = await NutConfDir.create({ files: FILES, port });
  await conf.writeFile('upsmon.conf', [
    `MONITOR ups@127.0.0.1:${realPort} 1 mons wrong secondary`,
    `MONITOR ghost@127.0.0.1:${nobody} 0 mons ms secondary`,
    'SHUTDOWNCMD "/bin/true"',
    'POLLFREQ 1',
    'POLLFREQALERT 1',
    'NOCOMMWARNTIME 2',
    ...['COMMBAD', 'NOCOMM', 'COMMOK'].map((t) => `NOTIFYFLAG ${t} SYSLOG`),
    '',
  ].join('\n'));
  const gw = await UpsgateProcess.start({ conf });
  try {
    await gw.waitForStderr(/the server refused LOGIN as user mons \(ERR ACCESS-DENIED\)/, 8000);
    await gw.waitForStderr(new RegExp(`notify COMMBAD: Communications with UPS ghost@127\\.0\\.0\\.1:${nobody} lost`), 8000);
    await gw.waitForStderr(new RegExp(`notify NOCOMM: UPS ghost@127\\.0\\.0\\.1:${nobody} is unavailable`), 10000);
    assert.match(gw.stderr, new RegExp(`Poll UPS \\[ghost@127\\.0\\.0\\.1:${nobody}\\] failed - not connected`));
    assert.match(gw.stderr, /upsmon\.conf:1: MONITOR ups@127\.0\.0\.1:\d+: the server refused LOGIN/);
    // Status can still be read without a login (as upsmon does), so the refused UPS is not "lost".
    assert.not.match(gw.stderr, new RegExp(`COMMBAD: Communications with UPS ups@127\\.0\\.0\\.1:${realPort}`));
    assert.is((await ask(realPort, ['GET NUMLOGINS ups']))[0], 'NUMLOGINS ups 0', 'not logged in: the primary cannot count it');
  } finally {
    await gw.stop();
    await conf.remove();
    await real.stop();
  }
});

test.run();
