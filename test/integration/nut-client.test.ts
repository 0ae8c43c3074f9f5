// src/nut-client against real servers: Debian's upsd 2.8.0 + dummy-ups, and upsgate, serving the
// same folder (test/fixtures/nut-conf). Every conversation runs against both and must give the
// same result; STARTTLS (try / require / verify) runs against upsgate's CERTFILE support, since
// Debian's upsd is built with NSS and has no certificate here.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { NutClient, type NutClientOptions } from '../../src/nut-client/client.js';
import { NutConnectionError, NutError } from '../../src/nut-client/errors.js';
import { isTrackingId } from '../helpers/allowed-differences.js';
import { NUT_BINARIES, NutConfDir, runCommand, sleep } from '../helpers/nut-sandbox.js';
import { makeTestPki, type TestPki } from '../helpers/pki.js';
import { freePort } from '../helpers/ports.js';
import { setUp } from '../helpers/suite-setup.js';
import { startPair } from '../helpers/targets.js';
import { UPSGATE_ENTRY, UpsgateProcess } from '../helpers/upsgate-process.js';

const both = suite('nut-client against upsd and upsgate');
const needPair = setUp(both, () => startPair({ fixture: 'nut-conf' }), (p) => p.stop());

const open: NutClient[] = [];
async function connect(port: number, opts: Partial<NutClientOptions> = {}): Promise<NutClient> {
  const c = await NutClient.connect({ host: '127.0.0.1', port, ...opts });
  open.push(c);
  return c;
}
both.after.each(() => {
  for (const c of open.splice(0)) c.close();
});

async function errorOf(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a rejection');
}

/** Runs `conversation` against both servers and asserts the same outcome; returns it. */
async function same<T>(conversation: (c: NutClient, port: number) => Promise<T>): Promise<T> {
  const { reference, target } = needPair();
  const run = async (port: number): Promise<unknown> => {
    const c = await connect(port, { tls: 'try' });
    try {
      return { ok: await conversation(c, port) };
    } catch (e) {
      return { err: e instanceof NutError ? `NutError ${e.code}: ${e.message}` : `${(e as Error).name}: ${(e as Error).message}` };
    } finally {
      await c.logout();
    }
  };
  const [ref, got] = await Promise.all([run(reference.port), run(target.port)]);
  assert.equal(got, ref, `upsgate differs from upsd: ${JSON.stringify(got)} vs ${JSON.stringify(ref)}`);
  const r = ref as { ok?: T; err?: string };
  if ('err' in r) throw new Error(r.err);
  return r.ok as T;
}

both('read requests: UPS list, variables, types, descriptions, commands', async () => {
  const upses = await same((c) => c.listUps());
  assert.equal(upses, [
    ['dummy', 'Crash "Dummy" #1 back\\slash'],
    ['flip', 'Flips between OL and OB'],
    ['NoDesc', 'Description unavailable'],
    ['fsdups', 'Target of FSD'],
  ]);
  assert.is(await same((c) => c.getVar('dummy', 'ups.status')), 'OL CHRG');
  assert.is(await same((c) => c.getVar('DUMMY', 'UPS.STATUS')), 'OL CHRG');
  const vars = await same(async (c) => (await c.listVar('NoDesc')).filter(([n]) => !n.startsWith('driver.')));
  assert.equal(vars.find(([n]) => n === 'ups.mfr'), ['ups.mfr', 'Plain']);
  assert.equal(await same((c) => c.getType('dummy', 'ups.id')), ['RW', 'STRING:16']);
  assert.is(await same((c) => c.getDesc('dummy', 'ups.status')), 'UPS status');
  assert.is(await same((c) => c.getCmdDesc('dummy', 'load.off')), 'Turn off the load immediately');
  assert.is(await same((c) => c.getUpsDesc('NoDesc')), 'Unavailable');
  assert.equal(await same((c) => c.listCmd('dummy')), ['load.off']);
  const rw = await same((c) => c.listRw('NoDesc'));
  assert.equal(rw.map(([n]) => n), ['battery.charge', 'ups.mfr', 'ups.model', 'ups.status']);
  assert.equal(await same((c) => c.listEnum('dummy', 'ups.status')), []);
  assert.equal(await same((c) => c.listClient('dummy')), []);
});

both('ERR replies are NutErrors with libupsclient texts; the connection goes on', async () => {
  const outcome = await same(async (c) => {
    const texts: string[] = [];
    for (const p of [c.getVar('nosuch', 'ups.status'), c.getVar('dummy', 'ups.bogus'), c.listVar('nosuch'), c.getType('dummy', 'no.such')]) {
      const e = await errorOf(p);
      texts.push(e instanceof NutError ? `${e.code}: ${e.message}` : `not a NutError: ${e.message}`);
    }
    texts.push(await c.getVar('dummy', 'ups.mfr'));
    return texts;
  });
  assert.equal(outcome.slice(0, 4), [
    'UNKNOWN-UPS: Unknown UPS',
    'VAR-NOT-SUPPORTED: Variable not supported by UPS',
    'UNKNOWN-UPS: Unknown UPS',
    'VAR-NOT-SUPPORTED: Variable not supported by UPS',
  ]);
});

both('pipelining: 200 requests in flight at once, answered in order', async () => {
  const { reference, target } = needPair();
  for (const port of [reference.port, target.port]) {
    const c = await connect(port);
    const names = ['ups.status', 'battery.charge', 'ups.mfr', 'no.such'];
    const replies = await Promise.all(
      Array.from({ length: 200 }, (_, i) => (i % 10 === 5 ? c.listCmd('dummy') : c.getVar('dummy', names[i % 4]!).catch((e: Error) => e.message))),
    );
    replies.forEach((r, i) => {
      if (i % 10 === 5) assert.equal(r, ['load.off']);
      else if (names[i % 4] === 'no.such') assert.is(r, 'Variable not supported by UPS');
      else if (names[i % 4] === 'ups.status') assert.is(r, 'OL CHRG');
    });
  }
});

both('a wrong password is ACCESS-DENIED at LOGIN, not at PASSWORD', async () => {
  const e = await same(async (c) => {
    await c.authenticate('monp', 'wrong');
    return errorOf(c.login('fsdups')).then((x) => (x instanceof NutError ? x.code : x.message));
  });
  assert.is(e, 'ACCESS-DENIED');
  const secondary = await same(async (c) => {
    await c.authenticate('mons', 'ms');
    await c.login('fsdups');
    return errorOf(c.primary('fsdups')).then((x) => (x instanceof NutError ? x.code : x.message));
  });
  assert.is(secondary, 'ACCESS-DENIED', 'a secondary is refused PRIMARY and MASTER');
});

both('upsmon primary: LOGIN, PRIMARY, NUMLOGINS, FSD sets the latch', async () => {
  const { reference, target } = needPair();
  for (const port of [reference.port, target.port]) {
    const primary = await connect(port);
    await primary.authenticate('monp', 'mp');
    await primary.login('fsdups');
    await primary.primary('fsdups');
    const other = await connect(port);
    await other.authenticate('monsl', 'msl');
    await other.login('fsdups');
    assert.is(await primary.numLogins('fsdups'), 2);
    other.close();
    for (let i = 0; i < 50 && (await primary.numLogins('fsdups')) !== 1; i++) await sleep(20);
    assert.is(await primary.numLogins('fsdups'), 1, 'a closed connection no longer counts');
    await primary.fsd('fsdups');
    assert.match(await primary.getVar('fsdups', 'ups.status'), /^FSD /);
  }
});

both('SET VAR and INSTCMD, with tracking', async () => {
  const { reference, target } = needPair();
  for (const port of [reference.port, target.port]) {
    const c = await connect(port);
    await c.authenticate('admin', 'adminpass');
    assert.is(await c.setVar('dummy', 'ups.id', 'set by client'), undefined);
    await c.setTracking(true);
    assert.is(await c.getTracking(), 'ON');
    const id = await c.instcmd('dummy', 'load.off');
    assert.ok(id !== undefined && isTrackingId(id), String(id));
    let result = 'PENDING';
    for (let i = 0; i < 50 && result === 'PENDING'; i++) {
      await sleep(100);
      result = await c.getTracking(id!);
    }
    assert.is(result, 'ERR UNKNOWN', 'dummy-ups refuses every command');
    let value = '';
    for (let i = 0; i < 50 && value !== 'set by client'; i++) {
      value = await c.getVar('dummy', 'ups.id');
      await sleep(50);
    }
    assert.is(value, 'set by client');
    const denied = await errorOf(c.setVar('dummy', 'ups.id', '0123456789abcdefX'));
    assert.is((denied as NutError).code, 'TOO-LONG');
  }
});

both("STARTTLS against servers without a certificate: 'try' goes on in plain text, 'require' fails", async () => {
  const { reference, target } = needPair();
  for (const port of [reference.port, target.port]) {
    const c = await connect(port, { tls: 'try' });
    assert.is(c.tls, false);
    assert.is(await c.getVar('dummy', 'ups.status'), 'OL CHRG');
    const e = (await errorOf(connect(port, { tls: 'require' }))) as NutConnectionError;
    assert.instance(e, NutConnectionError);
    assert.is(e.kind, 'tls');
    assert.match(e.message, new RegExp(`^127\\.0\\.0\\.1:${port}: the server refused STARTTLS \\(ERR FEATURE-NOT-CONFIGURED\\); TLS is required$`));
  }
});

both.run();

// ---------------------------------------------------------------------------------------------

const tls = suite('nut-client STARTTLS against upsgate with CERTFILE');
const needTls = setUp(
  tls,
  async () => {
    const pki = await makeTestPki();
    try {
      const conf = await NutConfDir.create({
        fixture: 'nut-conf',
        files: { 'upsd.conf': 'MAXAGE 15\nCERTFILE upsd.pem\n', 'upsd.pem': pki.serverPem },
        port: await freePort(),
        listen: ['127.0.0.1'],
      });
      return { pki, conf, gateway: await UpsgateProcess.start({ conf }) };
    } catch (e) {
      await pki.remove();
      throw e;
    }
  },
  async ({ pki, conf, gateway }: { pki: TestPki; conf: NutConfDir; gateway: UpsgateProcess }) => {
    await gateway.stop();
    await conf.remove();
    await pki.remove();
  },
);
tls.after.each(() => {
  for (const c of open.splice(0)) c.close();
});

tls("'try' and 'require' upgrade; the conversation goes on inside TLS", async () => {
  const { conf } = needTls();
  for (const mode of ['try', 'require'] as const) {
    const c = await connect(conf.port, { tls: mode });
    assert.is(c.tls, true);
    assert.is(await c.getVar('dummy', 'ups.status'), 'OL CHRG');
    await c.authenticate('monp', 'mp');
    await c.login('fsdups');
    assert.is(await c.numLogins('fsdups'), 1);
    await c.logout();
    assert.is(await c.closed, undefined);
  }
});

tls('verify: the right CA and name pass; another CA or another name fail with why', async () => {
  const { conf, pki } = needTls();
  const byIp = await connect(conf.port, { tls: 'require', verify: true, ca: pki.ca });
  assert.is(byIp.tls, true);
  assert.equal((await byIp.listUps()).map(([n]) => n), ['dummy', 'flip', 'NoDesc', 'fsdups']);
  const byName = await connect(conf.port, { tls: 'try', verify: true, ca: pki.ca, servername: 'localhost' });
  assert.is(byName.tls, true);
  const stranger = (await errorOf(connect(conf.port, { tls: 'require', verify: true, ca: pki.strangerCa }))) as NutConnectionError;
  assert.instance(stranger, NutConnectionError);
  assert.is(stranger.kind, 'tls');
  assert.match(stranger.message, /^127\.0\.0\.1:\d+: TLS handshake failed: .*(self.signed|unable to verify|local issuer)/i);
  const wrongName = (await errorOf(connect(conf.port, { tls: 'require', verify: true, ca: pki.ca, servername: 'ups.example.org' }))) as NutConnectionError;
  assert.is(wrongName.kind, 'tls');
  assert.match(wrongName.message, /ups\.example\.org/);
  const noCa = (await errorOf(connect(conf.port, { tls: 'require', verify: true }))) as NutConnectionError;
  assert.is(noCa.kind, 'tls', 'the system CAs do not know our test CA');
  const unverified = await connect(conf.port, { tls: 'require', ca: pki.strangerCa });
  assert.is(unverified.tls, true, 'without verify any certificate is accepted (CERTVERIFY 0)');
});

tls("upsgate upsc goes TLS where Debian's upsc does, with the same output", async () => {
  const { conf } = needTls();
  for (const args of [['-L', `127.0.0.1:${conf.port}`], [`dummy@127.0.0.1:${conf.port}`], [`nosuch@127.0.0.1:${conf.port}`]]) {
    const debian = await runCommand(NUT_BINARIES.upsc.path, args);
    const ours = await runCommand(process.execPath, [UPSGATE_ENTRY, 'upsc', ...args]);
    assert.match(debian.stderr, /Connected to NUT server 127\.0\.0\.1 in SSL/, 'Debian upsc went TLS');
    assert.equal({ code: ours.code, stdout: ours.stdout }, { code: debian.code, stdout: debian.stdout }, args.join(' '));
  }
});

tls.run();
