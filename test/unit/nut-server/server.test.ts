import { connect, createServer, type Socket } from 'node:net';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ListenError, NutServer, type NutServerOptions } from '../../../src/nut-server/server.js';
import { world } from './harness.js';

async function started(options: Partial<NutServerOptions>) {
  const w = world();
  const server = new NutServer(w.ctx, { listen: [{ host: '127.0.0.1', port: 0 }], ...options });
  await server.start();
  return { w, server, port: server.bound[0]!.port };
}

function open(port: number, host = '127.0.0.1'): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect(port, host);
    s.once('connect', () => resolve(s)).once('error', reject);
  });
}

function ask(s: Socket, line: string): Promise<string> {
  return new Promise((resolve) => {
    let buf = '';
    const onData = (c: Buffer) => {
      buf += c.toString('latin1');
      if (buf.endsWith('\n')) {
        s.off('data', onData);
        resolve(buf);
      }
    };
    s.on('data', onData);
    s.write(`${line}\n`);
  });
}

function closed(s: Socket): Promise<void> {
  return new Promise((resolve) => (s.destroyed ? resolve() : s.once('close', () => resolve())));
}

const waitFor = async (ok: () => boolean) => {
  for (let i = 0; i < 200 && !ok(); i++) await new Promise((r) => setTimeout(r, 10));
};

test('serves on every LISTEN address given', async () => {
  const { server } = await started({ listen: [{ host: '127.0.0.1', port: 0 }, { host: '::1', port: 0 }] });
  try {
    assert.equal(server.bound.map((b) => b.host), ['127.0.0.1', '::1']);
    const v6 = await open(server.bound[1]!.port, '::1');
    assert.is(await ask(v6, 'NETVER'), '1.3\n');
    v6.destroy();
  } finally {
    await server.stop();
  }
});

test('connections read without the stream layer on this Node (the fast path is really taken)', async () => {
  const { server, port } = await started({});
  try {
    const s = await open(port);
    assert.is(await ask(s, 'GET VAR dummy battery.charge'), 'VAR dummy battery.charge "95"\n');
    assert.equal(server.clients().map((c) => c.readsDirectly), [true]);
    s.destroy();
  } finally {
    await server.stop();
  }
});

test('MAXCONN counts listeners and UPSes like upsd; the connection over it is closed at once', async () => {
  // 1 listener + 2 UPSes + 2 clients = 5.
  const { server, port } = await started({ maxConn: 5 });
  try {
    const a = await open(port);
    const b = await open(port);
    assert.is(await ask(a, 'NETVER'), '1.3\n');
    await waitFor(() => server.clientCount === 2);
    const c = await open(port);
    await closed(c);
    assert.is(await ask(b, 'NETVER'), '1.3\n', 'the others carry on');
    a.destroy();
    b.destroy();
  } finally {
    await server.stop();
  }
});

test('a client silent for 60 s is dropped; one that talks stays (monotonic clock)', async () => {
  const { w, server, port } = await started({});
  try {
    const quiet = await open(port);
    const chatty = await open(port);
    await waitFor(() => server.clientCount === 2);
    for (let s = 0; s < 6; s++) {
      await w.clock.advance(10_000);
      assert.is(await ask(chatty, 'NETVER'), '1.3\n');
    }
    await w.clock.advance(1_000);
    await closed(quiet);
    assert.is(await ask(chatty, 'NETVER'), '1.3\n');
    chatty.destroy();
  } finally {
    await server.stop();
  }
});

test('ACCEPT/REJECT allow-list: a refused address is disconnected without a word', async () => {
  const { server, port } = await started({ admit: (address) => address !== '127.0.0.1' });
  try {
    const s = await open(port);
    let got = '';
    s.on('data', (c) => (got += c.toString()));
    s.write('NETVER\n');
    await closed(s);
    assert.is(got, '');
  } finally {
    await server.stop();
  }
});

test('an address that cannot be bound stops start-up, naming its upsd.conf line', async () => {
  const blocker = createServer();
  await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
  const taken = (blocker.address() as { port: number }).port;
  const w = world();
  const server = new NutServer(w.ctx, {
    listen: [
      { host: '127.0.0.1', port: 0, origin: 'upsd.conf:1:8' },
      { host: '127.0.0.1', port: taken, origin: 'upsd.conf:2:8' },
    ],
  });
  try {
    await server.start();
    assert.unreachable('start should fail');
  } catch (e) {
    assert.instance(e, ListenError);
    assert.match((e as Error).message, /^upsd\.conf:2:8: cannot listen on 127\.0\.0\.1 port \d+: .*EADDRINUSE/);
    assert.match((e as Error).message, /ALLOW_NOT_ALL_LISTENERS/);
  }
  const lenient = new NutServer(w.ctx, {
    listen: [{ host: '127.0.0.1', port: 0 }, { host: '127.0.0.1', port: taken }],
    allowNotAllListeners: true,
  });
  try {
    await lenient.start();
    assert.is(lenient.bound.length, 1);
  } finally {
    await lenient.stop();
    blocker.close();
  }
});

test.run();
