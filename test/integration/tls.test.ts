// STARTTLS with CERTFILE: upsgate answers `OK STARTTLS` and does real TLS (node:tls) on the same
// connection. Proven with Debian's own clients, which are built with NSS: upsc (opportunistic
// TLS), and upsmon with CERTVERIFY 1 + FORCESSL 1 against an NSS database that trusts our CA — and
// refusing a server whose certificate another CA signed. Certificates are made here with openssl.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect as tcpConnect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { failure } from '../helpers/fail.js';
import { LineClient } from '../helpers/line-client.js';
import { Daemon, NutConfDir, requirePeers, runCommand, sleep, spawnUpsmon } from '../helpers/nut-sandbox.js';
import { freePort } from '../helpers/ports.js';
import { runUpsgate, UpsgateProcess } from '../helpers/upsgate-process.js';
import { setUp } from '../helpers/suite-setup.js';

const tls = suite('STARTTLS with CERTFILE');

interface Pki {
  dir: string;
  ca: string;
  /** Server certificate (signed by `ca`, for 127.0.0.1 and localhost) followed by its key. */
  serverPem: string;
  /** An NSS database trusting `ca`, and one trusting an unrelated CA. */
  trustingDb: string;
  strangerDb: string;
}


async function run(cmd: string, args: string[], cwd: string): Promise<void> {
  const r = await runCommand(cmd, args, { cwd, env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } });
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
}

async function makeCa(dir: string, name: string): Promise<void> {
  await run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', `/CN=${name}`,
    '-keyout', `${name}.key`, '-out', `${name}.pem`], dir);
}

async function makePki(): Promise<Pki> {
  const dir = await mkdtemp(join(tmpdir(), 'upsgate-tls-'));
  await makeCa(dir, 'test-ca');
  await makeCa(dir, 'stranger-ca');
  await run('openssl', ['req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost', '-keyout', 'server.key', '-out', 'server.csr'], dir);
  await writeFile(join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  await run('openssl', ['x509', '-req', '-in', 'server.csr', '-CA', 'test-ca.pem', '-CAkey', 'test-ca.key', '-CAcreateserial',
    '-days', '2', '-extfile', 'san.ext', '-out', 'server.pem'], dir);
  const serverPem = (await readFile(join(dir, 'server.pem'), 'latin1')) + (await readFile(join(dir, 'server.key'), 'latin1'));
  const nssDb = async (name: string, caFile: string): Promise<string> => {
    const db = join(dir, name);
    await run('mkdir', ['-p', db], dir);
    await run('certutil', ['-N', '-d', `sql:${db}`, '--empty-password'], dir);
    await run('certutil', ['-A', '-d', `sql:${db}`, '-n', 'trusted-ca', '-t', 'CT,C,C', '-i', caFile], dir);
    return db;
  };
  return {
    dir,
    ca: await readFile(join(dir, 'test-ca.pem'), 'latin1'),
    serverPem,
    trustingDb: await nssDb('nss-trusting', 'test-ca.pem'),
    strangerDb: await nssDb('nss-stranger', 'stranger-ca.pem'),
  };
}

interface Started {
  pki: Pki;
  conf: NutConfDir;
  gateway: UpsgateProcess;
}

async function removeAll(pki: Pki | undefined, conf: NutConfDir | undefined): Promise<void> {
  await conf?.remove();
  if (pki) await rm(pki.dir, { recursive: true, force: true });
}

const need = setUp(
  tls,
  async (): Promise<Started> => {
    requirePeers('upsc', 'upsmon');
    for (const [bin, pkg] of [['/usr/bin/openssl', 'openssl'], ['/usr/bin/certutil', 'libnss3-tools']] as const) {
      if (!existsSync(bin)) throw new Error(`missing ${bin}: apt-get update && apt-get install -y ${pkg}`);
    }
    let pki: Pki | undefined;
    let conf: NutConfDir | undefined;
    try {
      pki = await makePki();
      conf = await NutConfDir.create({
        fixture: 'nut-conf',
        files: { 'upsd.conf': 'MAXAGE 15\nCERTFILE upsd.pem\n', 'upsd.pem': pki.serverPem },
        port: await freePort(),
        listen: ['127.0.0.1'],
      });
      return { pki, conf, gateway: await UpsgateProcess.start({ conf }) };
    } catch (err) {
      await removeAll(pki, conf);
      throw err;
    }
  },
  async ({ pki, conf, gateway }) => {
    await gateway.stop();
    await removeAll(pki, conf);
  },
);

/** Reads one reply line from a socket. */
function readLine(socket: Socket | TLSSocket): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = '';
    const onData = (chunk: Buffer): void => {
      buf += chunk.toString('latin1');
      const nl = buf.indexOf('\n');
      if (nl >= 0) {
        socket.off('data', onData);
        resolve(buf.slice(0, nl));
      }
    };
    socket.on('data', onData);
    socket.once('error', reject);
  });
}

tls('STARTTLS upgrades the same connection; the protocol goes on inside TLS; a second STARTTLS is refused', async () => {
  const { pki, conf } = need();
  const plain = tcpConnect(conf.port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => plain.once('connect', resolve).once('error', reject));
  plain.write('STARTTLS\n');
  assert.is(await readLine(plain), 'OK STARTTLS');
  const secure = tlsConnect({ socket: plain, ca: pki.ca, servername: 'localhost' });
  await new Promise<void>((resolve, reject) => secure.once('secureConnect', resolve).once('error', reject));
  assert.ok(secure.authorized, 'the server certificate verifies against our CA');
  secure.write('NETVER\n');
  assert.is(await readLine(secure), '1.3');
  secure.write('GET VAR dummy ups.mfr\n');
  assert.match(await readLine(secure), /^VAR dummy ups\.mfr "/);
  secure.write('STARTTLS\n');
  assert.is(await readLine(secure), 'ERR ALREADY-SSL-MODE');
  secure.destroy();
});

tls("Debian's upsc talks to upsgate over TLS", async () => {
  const { conf } = need();
  const r = await runCommand('/usr/bin/upsc', [`dummy@127.0.0.1:${conf.port}`, 'ups.mfr']);
  if (r.code !== 0) throw failure(`upsc failed (${r.code}): ${r.stderr}`);
  assert.ok(r.stdout.trim().length > 0);
  assert.match(r.stderr, /SSL handshake done successfully/);
  assert.match(r.stderr, /Connected to NUT server 127\.0\.0\.1 in SSL/);
});

async function upsmonWith(db: string, port: number): Promise<{ daemon: Daemon; dir: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'upsgate-tls-upsmon-'));
  const lines = [
    `MONITOR fsdups@127.0.0.1:${port} 1 mons ms secondary`,
    `SHUTDOWNCMD "/bin/true"`,
    'POLLFREQ 1',
    'DEADTIME 30',
    `CERTPATH ${db}`,
    'CERTVERIFY 1',
    'FORCESSL 1',
    ...['COMMBAD', 'COMMOK', 'NOCOMM', 'SHUTDOWN', 'ONLINE', 'ONBATT'].map((t) => `NOTIFYFLAG ${t} IGNORE`),
    '',
  ];
  await writeFile(join(dir, 'upsmon.conf'), lines.join('\n'), { mode: 0o600 });
  const daemon = spawnUpsmon(dir);
  return { daemon, dir };
}


async function numLogins(port: number): Promise<string> {
  const c = await LineClient.connect(port);
  try {
    return await c.request('GET NUMLOGINS fsdups');
  } finally {
    await c.close();
  }
}

tls('upsmon with CERTVERIFY 1 and FORCESSL 1 logs in over verified TLS', async () => {
  const { pki, conf, gateway } = need();
  const { daemon, dir } = await upsmonWith(pki.trustingDb, conf.port);
  try {
    await gateway.waitForStderr(/mons@127\.0\.0\.1 logged into UPS fsdups \(TLS\)/, 10000);
    assert.is(await numLogins(conf.port), 'NUMLOGINS fsdups 1');
    assert.match(daemon.log, /Intend to authenticate server 127\.0\.0\.1 : SUCCESS/);
    assert.match(daemon.log, /Connected to NUT server 127\.0\.0\.1 in SSL/);
  } catch (e) {
    throw failure(`${(e as Error).message}\n--- upsmon ---\n${daemon.log}`);
  } finally {
    await daemon.stop(3000);
    await rm(dir, { recursive: true, force: true });
  }
});

tls('upsmon with CERTVERIFY 1 refuses upsgate when another CA signed its certificate', async () => {
  const { pki, conf, gateway } = need();
  const before = gateway.stderr.length;
  const { daemon, dir } = await upsmonWith(pki.strangerDb, conf.port);
  try {
    await sleep(4000);
    assert.not.match(gateway.stderr.slice(before), /logged into UPS fsdups/, 'no login over an unverified certificate');
    assert.is(await numLogins(conf.port), 'NUMLOGINS fsdups 0');
    assert.match(daemon.log, /Certificate validation failed for 127\.0\.0\.1/, 'upsmon says why');
  } finally {
    await daemon.stop(3000);
    await rm(dir, { recursive: true, force: true });
  }
});

tls('a CERTFILE that is not a PEM certificate with its key stops start-up, naming upsd.conf', async () => {
  const { pki } = need();
  const bad = await NutConfDir.create({
    fixture: 'nut-conf',
    files: { 'upsd.conf': 'CERTFILE upsd.pem\n', 'upsd.pem': pki.ca }, // a certificate without its key
    port: await freePort(),
  });
  try {
    const r = await runUpsgate(['check-config', '--nut-conf', bad.dir]);
    assert.is(r.code, 1, r.stderr);
    assert.match(r.stderr, /upsd\.conf: CERTFILE .*upsd\.pem: .*PEM file holding the certificate and its private key/);
  } finally {
    await bad.remove();
  }
});

tls.run();
