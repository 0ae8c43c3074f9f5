// ReconnectingClient: backoff doubling from minDelay to maxDelay on the injected clock, a setup
// refused by the server (ACCESS-DENIED) retried like a failed connect, the delay reset after a
// good connection, and stop() leaving nothing behind.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { NutError } from '../../../src/nut-client/errors.js';
import { ReconnectingClient } from '../../../src/nut-client/reconnect.js';
import { createLogger } from '../../../src/core/logger.js';
import { FakeClock } from '../../helpers/fake-clock.js';
import { freePort } from '../../helpers/ports.js';
import { FakeNutServer, sleep, until, upsdLike } from './fake-server.js';

const test = suite('nut-client: ReconnectingClient');

function capture(): { lines: string[]; log: ReturnType<typeof createLogger> } {
  const lines: string[] = [];
  return { lines, log: createLogger('nut-client', (level, _room, m) => lines.push(`${level} ${m}`), 'debug') };
}

const retries = (lines: string[]): number[] =>
  lines.flatMap((l) => {
    const m = /retrying in (\d+) ms$/.exec(l);
    return m ? [Number(m[1])] : [];
  });

test('backoff doubles up to maxDelay while the server is down, resets after a good connection', async () => {
  const port = await freePort();
  const clock = new FakeClock();
  const { lines, log } = capture();
  const errors: Error[] = [];
  const rc = new ReconnectingClient({ host: '127.0.0.1', port, clock, log, minDelayMs: 1000, maxDelayMs: 4000, onError: (e) => errors.push(e) });
  rc.start();
  for (let i = 1; i <= 4; i++) {
    await until(() => errors.length === i && clock.pendingTimeouts() === 1, `failure #${i}`);
    await clock.advance(retries(lines).at(-1)!);
  }
  await until(() => errors.length === 5, 'failure #5');
  assert.equal(retries(lines), [1000, 2000, 4000, 4000, 4000]);
  assert.match(errors[0]!.message, new RegExp(`127\\.0\\.0\\.1:${port}: cannot connect: ECONNREFUSED`));
  assert.is(rc.current, undefined);

  const server = await FakeNutServer.start(upsdLike, port);
  try {
    await until(() => clock.pendingTimeouts() === 1, 'the retry timer');
    await clock.advance(4000);
    await until(() => rc.current !== undefined, 'a connection');
    assert.is(await rc.current!.getVar('ups', 'ups.status'), 'value of ups.status');
    (await server.connection(0)).socket.destroy();
    await until(() => rc.current === undefined && retries(lines).length === 6, 'the loss to be noticed');
    assert.is(retries(lines).at(-1), 1000, 'a good connection resets the delay');
    await clock.advance(1000);
    await until(() => rc.current !== undefined, 'the reconnect');
    rc.stop();
    assert.is(rc.current, undefined);
    await until(() => server.connections[1]!.received.includes('LOGOUT'), 'LOGOUT on stop');
    await until(() => clock.pendingTimers() === 0, 'no timer left once LOGOUT is answered');
  } finally {
    rc.stop();
    await server.close();
  }
});

test('setup runs after every connect; a NutError from it is reported and retried with backoff', async () => {
  let deny = true;
  const server = await FakeNutServer.start((line) => {
    if (line.startsWith('LOGIN')) return deny ? 'ERR ACCESS-DENIED\n' : 'OK\n';
    return upsdLike(line);
  });
  const clock = new FakeClock();
  const { lines, log } = capture();
  const errors: Error[] = [];
  let setups = 0;
  const rc = new ReconnectingClient({
    host: '127.0.0.1',
    port: server.port,
    clock,
    log,
    minDelayMs: 500,
    setup: async (c) => {
      setups++;
      await c.authenticate('mons', 'ms');
      await c.login('ups');
      await c.primary('ups');
    },
    onError: (e) => errors.push(e),
  });
  try {
    rc.start();
    await until(() => errors.length === 1 && clock.pendingTimeouts() === 1, 'the refused setup');
    assert.instance(errors[0], NutError);
    assert.is((errors[0] as NutError).code, 'ACCESS-DENIED');
    assert.ok(lines.some((l) => l.startsWith(`warn set-up on 127.0.0.1:${server.port} failed: Access denied; retrying in 500 ms`)), lines.join('\n'));
    assert.is(rc.current, undefined);
    await clock.advance(500);
    await until(() => errors.length === 2 && clock.pendingTimeouts() === 1, 'the second refusal');
    assert.equal(retries(lines), [500, 1000]);
    deny = false;
    await clock.advance(1000);
    await until(() => rc.current !== undefined, 'the accepted setup');
    assert.is(setups, 3);
    assert.equal(server.connections[2]!.received, ['USERNAME mons', 'PASSWORD ms', 'LOGIN ups', 'PRIMARY ups']);
    assert.ok(server.connections.slice(0, 2).every((c) => c.socket.destroyed || c.socket.readableEnded), 'refused attempts are closed');
  } finally {
    rc.stop();
    await server.close();
  }
});

test('stop() during a connect attempt cancels it; a throwing callback does not stop the loop', async () => {
  const server = await FakeNutServer.start(() => undefined); // never answers: setup hangs
  const clock = new FakeClock();
  const { log } = capture();
  const rc = new ReconnectingClient({
    host: '127.0.0.1',
    port: server.port,
    clock,
    log,
    setup: async (c) => {
      await c.login('ups');
    },
    onError: () => {
      throw new Error('callback bug');
    },
  });
  try {
    rc.start();
    await (await server.connection(0)).waitForLines(1);
    // The setup times out on the request timeout (10 s), is reported, and retried.
    await clock.advance(10_000);
    await until(() => clock.pendingTimeouts() === 1, 'the retry');
    await clock.advance(1000);
    await (await server.connection(1)).waitForLines(1);
    rc.stop();
    await sleep(20);
    assert.is(clock.pendingTimers(), 0);
    assert.ok(server.connections[1]!.socket.destroyed || server.connections[1]!.socket.readableEnded);
    await clock.advance(120_000);
    assert.is(server.connections.length, 2, 'nothing after stop');
  } finally {
    rc.stop();
    await server.close();
  }
});

test.run();
