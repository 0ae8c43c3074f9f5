// The NUT client against a scripted server: pipelining, what libupsclient checks (echo, BEGIN /
// END LIST), NUT's quoting both ways, and every way a server can misbehave — each ends in a
// rejected promise and a closed connection, never in a throw.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { NutClient } from '../../../src/nut-client/client.js';
import { NutConnectionError, NutError } from '../../../src/nut-client/errors.js';
import { FakeClock } from '../../helpers/fake-clock.js';
import { freePort } from '../../helpers/ports.js';
import { FakeNutServer, until, upsdLike, type Answer } from './fake-server.js';

const test = suite('nut-client: NutClient');
const servers: FakeNutServer[] = [];

test.after(async () => {
  for (const s of servers) await s.close();
});

async function serve(answer: Answer = upsdLike): Promise<FakeNutServer> {
  const s = await FakeNutServer.start(answer);
  servers.push(s);
  return s;
}

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a rejection');
}

test('pipelined requests get their own replies, a LIST in between consumes its block', async () => {
  // The server answers only once all four requests are in, in one write.
  const server = await serve((_line, conn) => {
    if (conn.received.length < 4) return;
    return [
      'VAR ups battery.charge "100"',
      'BEGIN LIST UPS',
      'UPS ups "Main \\"UPS\\" \\#1"',
      'UPS other "Description unavailable"',
      'END LIST UPS',
      'ERR UNKNOWN-UPS',
      'NUMLOGINS ups 2',
      '',
    ].join('\n');
  });
  const c = await NutClient.connect({ host: '127.0.0.1', port: server.port });
  const charge = c.getVar('ups', 'battery.charge');
  const upses = c.listUps();
  const missing = c.getVar('nosuch', 'ups.status').catch((e: unknown) => e);
  const logins = c.numLogins('ups');
  assert.is(await charge, '100');
  assert.equal(await upses, [
    ['ups', 'Main "UPS" #1'],
    ['other', 'Description unavailable'],
  ]);
  const err = (await missing) as NutError;
  assert.instance(err, NutError);
  assert.is(err.code, 'UNKNOWN-UPS');
  assert.is(err.message, 'Unknown UPS');
  assert.is(await logins, 2);
  const conn = await server.connection();
  assert.equal(conn.received, ['GET VAR ups battery.charge', 'LIST UPS', 'GET VAR nosuch ups.status', 'GET NUMLOGINS ups']);
  assert.not.ok(c.isClosed, 'an ERR reply leaves the connection usable');
  c.close();
  assert.is(await c.closed, undefined);
});

test('arguments are quoted as NUT reads them; values come back unescaped', async () => {
  const server = await serve((line) => {
    if (line.startsWith('SET VAR')) return 'OK\n';
    if (line.startsWith('GET VAR')) return 'VAR ups ups.id "a \\"b\\" c\\\\d \\#e"\n';
    if (line.startsWith('INSTCMD')) return 'OK TRACKING 2DDC5036-F665-4D29-BE4C-0374D091D263\n';
    return upsdLike(line);
  });
  const c = await NutClient.connect({ host: '127.0.0.1', port: server.port });
  assert.is(await c.setVar('ups', 'ups.id', 'a "b" c\\d #e'), undefined);
  assert.is(await c.getVar('ups', 'ups.id'), 'a "b" c\\d #e');
  assert.is(await c.instcmd('ups', 'load.off', '10'), '2DDC5036-F665-4D29-BE4C-0374D091D263');
  await c.authenticate('me', 'pass words');
  const conn = await server.connection();
  assert.equal(conn.received, [
    'SET VAR ups ups.id "a \\"b\\" c\\\\d \\#e"',
    'GET VAR ups ups.id',
    'INSTCMD ups load.off 10',
    'USERNAME me',
    'PASSWORD "pass words"',
  ]);
  const bad = await rejection(c.setVar('ups', 'ups.id', 'caf\u00e9'));
  assert.instance(bad, RangeError);
  assert.match(bad.message, /printable ASCII/);
  assert.not.ok(c.isClosed, 'a request that cannot be written is refused before it is sent');
  c.close();
});

test('a reply that does not echo the request is a protocol error: the connection is dropped', async () => {
  const server = await serve((line) => (line.startsWith('GET VAR') ? 'VAR other ups.status "OL"\n' : undefined));
  const c = await NutClient.connect({ host: '127.0.0.1', port: server.port });
  const first = c.getVar('ups', 'ups.status');
  const second = c.getVar('ups', 'battery.charge');
  const e1 = await rejection(first);
  assert.instance(e1, NutConnectionError);
  assert.is((e1 as NutConnectionError).kind, 'protocol');
  assert.match(e1.message, /^127\.0\.0\.1:\d+: protocol error: reply "VAR other ups.status \\"OL\\"" does not answer "GET VAR ups ups.status"/);
  assert.instance(await rejection(second), NutConnectionError, 'requests behind it fail too');
  assert.instance(await c.closed, NutConnectionError);
  assert.instance(await rejection(c.getVar('ups', 'x.y')), NutConnectionError, 'later requests are refused');
});

test('echo checks are case-insensitive, as libupsclient does (upsd echoes the spelling sent)', async () => {
  const server = await serve((line) => `${line.slice(4).toUpperCase()} "OL"\n`);
  const c = await NutClient.connect({ host: '127.0.0.1', port: server.port });
  assert.is(await c.getVar('Ups', 'ups.status'), 'OL');
  c.close();
});

test('LIST: BEGIN and END must echo the query, body lines must start with it', async () => {
  const cases: Array<[string, string[]]> = [
    ['BEGIN LIST VAR other\nEND LIST VAR other\n', ['does not begin the list']],
    ['BEGIN LIST VAR ups\nVAR other x "1"\nEND LIST VAR ups\n', ['does not belong to']],
    ['BEGIN LIST VAR ups\nVAR ups x "1"\nEND LIST VAR other\n', ['does not end the list']],
    ['BEGIN LIST VAR ups\nVAR ups x\nEND LIST VAR ups\n', ['fewer than 4 words']],
  ];
  for (const [reply, [why]] of cases) {
    const server = await serve(() => reply);
    const c = await NutClient.connect({ host: '127.0.0.1', port: server.port });
    const e = await rejection(c.listVar('ups'));
    assert.instance(e, NutConnectionError, reply);
    assert.ok(e.message.includes(why!), `${reply}: ${e.message}`);
    assert.ok(c.isClosed);
  }
  const ok = await serve(() => 'BEGIN LIST RANGE ups in.hi\nRANGE ups in.hi "125" "135"\nRANGE ups in.hi "140" "145"\nEND LIST RANGE ups in.hi\n');
  const c = await NutClient.connect({ host: '127.0.0.1', port: ok.port });
  assert.equal(await c.listRange('ups', 'in.hi'), [
    ['125', '135'],
    ['140', '145'],
  ]);
  assert.equal(await c.list(['RANGE', 'ups', 'in.hi']), [
    ['RANGE', 'ups', 'in.hi', '125', '135'],
    ['RANGE', 'ups', 'in.hi', '140', '145'],
  ]);
  c.close();
});

test('a LIST longer than maxListLines ends the connection', async () => {
  const body = Array.from({ length: 11 }, (_, i) => `CMD ups cmd.${i}\n`).join('');
  const server = await serve(() => `BEGIN LIST CMD ups\n${body}END LIST CMD ups\n`);
  const c = await NutClient.connect({ host: '127.0.0.1', port: server.port, maxListLines: 10 });
  const e = await rejection(c.listCmd('ups'));
  assert.match(e.message, /sent more than 10 lines/);
  const fine = await serve(() => `BEGIN LIST CMD ups\n${body}END LIST CMD ups\n`);
  const d = await NutClient.connect({ host: '127.0.0.1', port: fine.port, maxListLines: 11 });
  assert.is((await d.listCmd('ups')).length, 11);
  d.close();
});

test('a reply line over 64 KiB is a protocol error, even without a newline', async () => {
  const server = await serve(() => `VAR ups x "${'a'.repeat(70 * 1024)}`);
  const c = await NutClient.connect({ host: '127.0.0.1', port: server.port });
  const e = await rejection(c.getVar('ups', 'x'));
  assert.instance(e, NutConnectionError);
  assert.match(e.message, /a reply line is longer than 65536 bytes/);
  const almost = await serve((line) => `VAR ups x "${'b'.repeat(60 * 1024)}"\n${line === '' ? '' : ''}`);
  const d = await NutClient.connect({ host: '127.0.0.1', port: almost.port });
  assert.is((await d.getVar('ups', 'x')).length, 60 * 1024, 'long values are not cut');
  d.close();
});

test('garbage: an open quote, an unescaped # in quotes, an unsolicited line, a silent close', async () => {
  const open = await serve(() => 'VAR ups x "never closed\n');
  const c1 = await NutClient.connect({ host: '127.0.0.1', port: open.port });
  const e1 = (await rejection(c1.getVar('ups', 'x'))) as NutConnectionError;
  assert.is(e1.kind, 'parse');
  assert.match(e1.message, /left open/);

  const hash = await serve(() => 'VAR ups x "a#b"\n');
  const c2 = await NutClient.connect({ host: '127.0.0.1', port: hash.port });
  const e2 = (await rejection(c2.getVar('ups', 'x'))) as NutConnectionError;
  assert.is(e2.upscliText, 'Parse error: Unbalanced word due to unescaped # in quotes');

  const chatty = await serve();
  const c3 = await NutClient.connect({ host: '127.0.0.1', port: chatty.port });
  (await chatty.connection()).send('Hello there\n');
  const reason = (await c3.closed) as NutConnectionError;
  assert.is(reason.kind, 'protocol');
  assert.match(reason.message, /unexpected line "Hello there" when no request was waiting/);

  const closer = await serve((_l, conn) => void conn.socket.end());
  const c4 = await NutClient.connect({ host: '127.0.0.1', port: closer.port });
  const e4 = (await rejection(c4.getVar('ups', 'x'))) as NutConnectionError;
  assert.is(e4.kind, 'closed');
  assert.is(e4.upscliText, 'Server disconnected');
  assert.instance(await c4.closed, NutConnectionError);
});

test('requestTimeout runs on the injected clock', async () => {
  const server = await serve(() => undefined);
  const clock = new FakeClock();
  const c = await NutClient.connect({ host: '127.0.0.1', port: server.port, clock, requestTimeoutMs: 5000 });
  let settled: unknown = 'pending';
  c.getVar('ups', 'x').then(
    (v) => (settled = v),
    (e: unknown) => (settled = e),
  );
  await (await server.connection()).waitForLines(1);
  await clock.advance(4999);
  assert.is(settled, 'pending');
  await clock.advance(1);
  assert.instance(settled, NutConnectionError);
  assert.is((settled as NutConnectionError).kind, 'timeout');
  assert.match((settled as Error).message, /no reply within 5000 ms/);
  assert.is(clock.pendingTimers(), 0);
});

test('each received line restarts the request timeout; an idle connection has no timer', async () => {
  const server = await serve(() => undefined);
  const clock = new FakeClock();
  const c = await NutClient.connect({ host: '127.0.0.1', port: server.port, clock, requestTimeoutMs: 1000 });
  assert.is(clock.pendingTimers(), 0);
  const list = c.listCmd('ups');
  const conn = await server.connection();
  await conn.waitForLines(1);
  conn.send('BEGIN LIST CMD ups\n');
  await until(() => clock.pendingTimers() === 1, 'the timer');
  await clock.advance(800);
  conn.send('CMD ups a.b\n');
  await new Promise((r) => setTimeout(r, 50));
  await clock.advance(800);
  conn.send('END LIST CMD ups\n');
  assert.equal(await list, ['a.b']);
  assert.is(clock.pendingTimers(), 0);
  c.close();
});

test('connect: refused and timed out name host:port and why', async () => {
  const port = await freePort();
  const e = (await rejection(NutClient.connect({ host: '127.0.0.1', port }))) as NutConnectionError;
  assert.instance(e, NutConnectionError);
  assert.is(e.kind, 'connect');
  assert.is(e.message, `127.0.0.1:${port}: cannot connect: ECONNREFUSED`);
  assert.is(e.upscliText, 'Connection failure: Connection refused');
  const bad = (await rejection(NutClient.connect({ host: 'no-such-host.invalid', port: 3493 }))) as NutConnectionError;
  assert.is(bad.kind, 'no-such-host');
  assert.is(bad.upscliText, 'No such host');
  // A server that never answers STARTTLS: the connect timeout covers it.
  const silent = await serve(() => undefined);
  const clock = new FakeClock();
  const pending = rejection(NutClient.connect({ host: '127.0.0.1', port: silent.port, tls: 'try', clock, connectTimeoutMs: 3000 }));
  await (await silent.connection()).waitForLines(1);
  await clock.advance(3000);
  const t = (await pending) as NutConnectionError;
  assert.is(t.kind, 'timeout');
});

test("STARTTLS: 'try' goes on in plain text when refused, 'require' and verify fail", async () => {
  const server = await serve();
  const c = await NutClient.connect({ host: '127.0.0.1', port: server.port, tls: 'try' });
  assert.is(c.tls, false);
  assert.is(await c.getVar('ups', 'ups.status'), 'value of ups.status');
  assert.equal((await server.connection(0)).received, ['STARTTLS', 'GET VAR ups ups.status']);
  c.close();
  for (const opts of [{ tls: 'require' as const }, { tls: 'try' as const, verify: true }]) {
    const e = (await rejection(NutClient.connect({ host: '127.0.0.1', port: server.port, ...opts }))) as NutConnectionError;
    assert.is(e.kind, 'tls');
    assert.match(e.message, /refused STARTTLS \(ERR FEATURE-NOT-CONFIGURED\); TLS is required/);
  }
});

test('PRIMARY falls back to MASTER; LOGIN, FSD and the tracking requests', async () => {
  const server = await serve((line) => {
    if (line.startsWith('PRIMARY')) return 'ERR UNKNOWN-COMMAND\n';
    if (line.startsWith('MASTER')) return 'OK\n';
    if (line.startsWith('FSD')) return 'OK FSD-SET\n';
    if (line === 'SET TRACKING ON') return 'OK\n';
    if (line === 'GET TRACKING') return 'ON\n';
    if (line.startsWith('GET TRACKING')) return 'ERR UNKNOWN\n';
    return upsdLike(line);
  });
  const c = await NutClient.connect({ host: '127.0.0.1', port: server.port });
  await c.authenticate('monp', 'mp');
  await c.login('ups');
  await c.primary('ups');
  await c.fsd('ups');
  await c.setTracking(true);
  assert.is(await c.getTracking(), 'ON');
  assert.is(await c.getTracking('1234'), 'ERR UNKNOWN', 'a tracking result is an answer');
  await c.logout();
  assert.is(await c.closed, undefined, 'LOGOUT is a clean end');
  assert.equal((await server.connection()).received, [
    'USERNAME monp', 'PASSWORD mp', 'LOGIN ups', 'PRIMARY ups', 'MASTER ups', 'FSD ups', 'SET TRACKING ON', 'GET TRACKING', 'GET TRACKING 1234', 'LOGOUT',
  ]);
});

test('wrong password: ACCESS-DENIED at LOGIN; request() refuses LIST, STARTTLS and line breaks', async () => {
  const server = await serve((line) => (line.startsWith('LOGIN') ? 'ERR ACCESS-DENIED\n' : upsdLike(line)));
  const c = await NutClient.connect({ host: '127.0.0.1', port: server.port });
  await c.authenticate('admin', 'wrong');
  const e = (await rejection(c.login('ups'))) as NutError;
  assert.is(e.code, 'ACCESS-DENIED');
  assert.is(e.message, 'Access denied');
  assert.is(e.line, 'ERR ACCESS-DENIED');
  assert.instance(await rejection(c.request('LIST UPS')), RangeError);
  assert.instance(await rejection(c.request('STARTTLS')), RangeError);
  assert.instance(await rejection(c.request('GET VAR ups x\nLOGOUT')), RangeError);
  assert.is(await c.request('GET VAR ups x.y'), 'VAR ups x.y "value of x.y"');
  c.close();
  const late = (await rejection(c.request('VER'))) as NutConnectionError;
  assert.is(late.kind, 'local');
});

test.run();
