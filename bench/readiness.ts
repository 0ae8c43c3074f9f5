// Start-to-serving, seen from a client: how long from spawn until the port accepts a connection,
// and until `GET VAR <ups> ups.status` is answered with a value (not ERR DRIVER-NOT-CONNECTED,
// ERR DATA-STALE or upsd's "WAIT" placeholder). The probe retries every few milliseconds.
import { connect, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { ServerUnderTest } from './servers.js';

export interface Readiness {
  listeningMs: number;
  dataMs: number;
  /** The non-data answers seen before the first data, in order of first appearance. */
  before: string[];
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function tryConnect(port: number): Promise<Socket | undefined> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.removeAllListeners('error');
      s.on('error', () => {});
      resolve(s);
    });
    s.once('error', () => {
      s.destroy();
      resolve(undefined);
    });
  });
}

function askLine(s: Socket, line: string, timeoutMs: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    let buf = '';
    const finish = (v: string | undefined): void => {
      clearTimeout(timer);
      s.off('data', onData);
      s.off('close', onClose);
      resolve(v);
    };
    const onData = (c: Buffer): void => {
      buf += c.toString('latin1');
      const nl = buf.indexOf('\n');
      if (nl >= 0) finish(buf.slice(0, nl));
    };
    const onClose = (): void => finish(undefined);
    const timer = setTimeout(() => finish(undefined), timeoutMs);
    s.on('data', onData);
    s.once('close', onClose);
    s.write(`${line}\n`);
  });
}

export async function waitServing(srv: ServerUnderTest, ups: string, timeoutMs = 20_000): Promise<Readiness> {
  const deadline = srv.spawnedAt + timeoutMs;
  const before: string[] = [];
  let listeningMs = NaN;
  let sock: Socket | undefined;
  try {
    while (performance.now() < deadline) {
      const dead = srv.dead();
      if (dead) throw new Error(`${srv.kind} died while starting: ${dead}`);
      if (!sock || sock.destroyed) {
        sock = await tryConnect(srv.port);
        if (!sock) {
          await sleep(2);
          continue;
        }
        if (Number.isNaN(listeningMs)) listeningMs = performance.now() - srv.spawnedAt;
      }
      const reply = await askLine(sock, `GET VAR ${ups} ups.status`, 2000);
      const at = performance.now();
      if (reply === undefined) {
        sock.destroy();
        continue;
      }
      const m = /^VAR \S+ ups\.status "(.*)"$/.exec(reply);
      if (m && m[1] !== 'WAIT') return { listeningMs, dataMs: at - srv.spawnedAt, before };
      if (!before.includes(reply)) before.push(reply);
      await sleep(5);
    }
  } finally {
    sock?.destroy();
  }
  throw new Error(`${srv.kind} not serving data after ${timeoutMs} ms (answers: ${before.join(' | ') || 'none'})\n${srv.all().map((p) => `[${p.name}]\n${p.log}`).join('\n')}`);
}
