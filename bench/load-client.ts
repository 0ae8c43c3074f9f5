// The load generator: a process of its own (forked by the bench, driven over IPC), so its CPU never
// counts against the server it loads and the same code loads upsgate and upsd. It speaks raw NUT
// over plain TCP sockets with the options libupsclient uses: none. In particular TCP_NODELAY is not
// set (NUT 2.8.0 clients/upsclient.c never calls setsockopt on its socket, and Node's net.connect
// does not either unless asked), so Nagle and delayed ACK behave as they do for upsc and upsmon.
import { connect, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Histogram } from './histogram.js';
import type { HoldRequest, HoldResult, LoadReply, LoadRequest, ReleaseResult, RunRequest, RunResult } from './load-protocol.js';
import { cpuSnapshot, lastCpu, machineBusyMicros } from './proc-stats.js';

const HOST = '127.0.0.1';
const NL = 0x0a;
/** How long a run waits for replies still on their way after the window closed. */
const DRAIN_MS = 3000;

function openSocket(port: number, timeoutMs = 10_000): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const sock = connect({ host: HOST, port });
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new Error(`connect timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    sock.once('connect', () => {
      clearTimeout(timer);
      sock.removeAllListeners('error');
      resolve(sock);
    });
    sock.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}

/** Reply framing: a GET VAR reply is one line; a LIST reply ends with its END line (or is an ERR line). */
function replyIsComplete(buf: Buffer, kind: 'get' | 'list', end: Buffer): boolean {
  if (buf.length === 0 || buf[buf.length - 1] !== NL) return false;
  if (kind === 'get') return true;
  if (buf.length >= end.length && buf.subarray(buf.length - end.length).equals(end)) return true;
  return buf.subarray(0, 4).toString('latin1') === 'ERR ' && buf.indexOf(NL) === buf.length - 1;
}

/** One request on an otherwise quiet socket, for references and checks. */
function requestOnce(sock: Socket, request: Buffer, kind: 'get' | 'list', end: Buffer, timeoutMs = 10_000): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const done = (err: Error | undefined, buf?: Buffer): void => {
      clearTimeout(timer);
      sock.off('data', onData);
      sock.off('close', onClose);
      if (err) reject(err);
      else resolve(buf!);
    };
    const onData = (chunk: Buffer): void => {
      chunks.push(chunk);
      const buf = Buffer.concat(chunks);
      if (replyIsComplete(buf, kind, end)) done(undefined, buf);
    };
    const onClose = (): void => done(new Error(`server closed the connection (got ${JSON.stringify(Buffer.concat(chunks).toString('latin1').slice(0, 80))})`));
    const timer = setTimeout(() => done(new Error(`no complete reply within ${timeoutMs} ms`)), timeoutMs);
    sock.on('data', onData);
    sock.once('close', onClose);
    sock.write(request);
  });
}

/** Runs `task(i)` for i < n with at most `limit` at once; collects results or errors. */
async function pool<T>(n: number, limit: number, task: (i: number) => Promise<T>): Promise<Array<T | Error>> {
  const out: Array<T | Error> = new Array(n);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < n) {
      const i = next++;
      try {
        out[i] = await task(i);
      } catch (e) {
        out[i] = e instanceof Error ? e : new Error(String(e));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, n) }, worker));
  return out;
}

const isError = (x: unknown): x is Error => x instanceof Error;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function run(req: RunRequest): Promise<RunResult> {
  const request = Buffer.from(req.kind === 'get' ? `GET VAR ${req.ups} ups.status\n` : `LIST VAR ${req.ups}\n`, 'latin1');
  const end = Buffer.from(`END LIST VAR ${req.ups}\n`, 'latin1');

  // Connect everyone first, outside the window (upsd accepts with a backlog of 16, so at most 10 at
  // once), and check each connection answers before the clock starts.
  const t0 = performance.now();
  const opened = await pool(req.clients, 10, () => openSocket(req.port));
  const socks = opened.filter((s): s is Socket => !isError(s));
  const failed = opened.filter(isError);
  if (failed.length > 0) {
    for (const s of socks) s.destroy();
    throw new Error(`${failed.length}/${req.clients} connections failed: ${failed[0]!.message}`);
  }
  const reference = await requestOnce(socks[0]!, request, req.kind, end);
  const refText = reference.toString('latin1');
  const valid = req.kind === 'get' ? /^VAR \S+ ups\.status "/.test(refText) : refText.startsWith(`BEGIN LIST VAR ${req.ups}\n`);
  if (!valid) {
    for (const s of socks) s.destroy();
    throw new Error(`first reply is not data: ${JSON.stringify(refText.slice(0, 200))}`);
  }
  const checks = await Promise.all(socks.slice(1).map((s) => requestOnce(s, request, req.kind, end).catch((e: Error) => e)));
  const badCheck = checks.find((c) => isError(c));
  if (badCheck) {
    for (const s of socks) s.destroy();
    throw new Error(`a connection did not answer its first request: ${(badCheck as Error).message}`);
  }
  const connectMs = performance.now() - t0;

  let phase: 'warmup' | 'measure' | 'drain' = 'warmup';
  const hist = new Histogram();
  let requests = 0;
  let errReplies = 0;
  let mismatches = 0;
  let dropped = 0;
  let outstanding = 0;
  const samples: string[] = [];
  const note = (s: string): void => {
    if (samples.length < 5) samples.push(s);
  };
  let drained: (() => void) | undefined;
  let finished = false;
  const starters: Array<() => void> = [];

  for (const sock of socks) {
    let chunks: Buffer[] = [];
    let sentAt = 0;
    let waiting = false;
    const send = (): void => {
      waiting = true;
      outstanding++;
      sentAt = performance.now();
      sock.write(request);
    };
    starters.push(send);
    sock.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      const buf = chunks.length === 1 ? chunk : Buffer.concat(chunks);
      if (!replyIsComplete(buf, req.kind, end)) {
        if (chunks.length > 1) chunks = [buf];
        return;
      }
      const latencyUs = (performance.now() - sentAt) * 1000;
      chunks = [];
      waiting = false;
      outstanding--;
      if (phase === 'measure') {
        requests++;
        hist.record(latencyUs);
        if (!buf.equals(reference)) {
          if (buf[0] === 0x45 && buf.subarray(0, 4).toString('latin1') === 'ERR ') errReplies++;
          else mismatches++;
          note(buf.toString('latin1').slice(0, 300));
        }
      }
      if (phase !== 'drain') send();
      else if (outstanding === 0) drained?.();
    });
    sock.on('error', (e) => note(`socket error: ${e.message}`));
    sock.on('close', () => {
      if (finished || (phase === 'drain' && !waiting)) return;
      dropped++;
      if (waiting) {
        waiting = false;
        outstanding--;
      }
      note(`server closed a connection during the ${phase} phase`);
      if (phase === 'drain' && outstanding === 0) drained?.();
    });
  }

  // Every client's first request goes out in the same tick.
  for (const send of starters) send();

  await sleep(req.warmupMs);
  const cpu0 = cpuSnapshot(req.pids);
  const busy0 = machineBusyMicros();
  const client0 = process.cpuUsage();
  const w0 = performance.now();
  phase = 'measure';
  // Where the server runs relative to us: sharing a CPU makes a ping-pong cheap (no cross-CPU
  // wake-up, which in a VM is an IPI and a VM exit), so it explains 1-client swings between runs.
  let cpuSamples = 0;
  let sameCpu = 0;
  const sampler = setInterval(() => {
    try {
      cpuSamples++;
      if (lastCpu(req.pids[0]!) === lastCpu('self')) sameCpu++;
    } catch {
      /* the server died: reported elsewhere */
    }
  }, 20);
  await sleep(req.durationMs);
  clearInterval(sampler);
  phase = 'drain';
  const w1 = performance.now();
  const cpu1 = cpuSnapshot(req.pids);
  const busy1 = machineBusyMicros();
  const client1 = process.cpuUsage(client0);

  if (outstanding > 0) {
    await Promise.race([new Promise<void>((r) => (drained = r)), sleep(DRAIN_MS)]);
  }
  const unanswered = outstanding;
  finished = true;
  for (const s of socks) s.destroy();

  const serverCpuUs: Record<number, number> = {};
  for (const pid of req.pids) serverCpuUs[pid] = cpu1[pid]! - cpu0[pid]!;
  return {
    requests,
    windowMs: w1 - w0,
    hist: hist.toSparse(),
    errReplies,
    mismatches,
    samples,
    reference: refText,
    dropped,
    unanswered,
    serverCpuUs,
    clientCpuUs: client1.user + client1.system,
    machineBusyUs: busy1 - busy0,
    sameCpuShare: cpuSamples > 0 ? sameCpu / cpuSamples : NaN,
    connectMs,
  };
}

// ---------------------------------------------------------------------------------------------
// Idle connections: open, prove each is served, then hold them silent.

let held: Socket[] = [];
let closedByServer = 0;
/** Sockets we destroy ourselves: their 'close' comes a tick later and is not the server's doing. */
const closedByUs = new WeakSet<Socket>();

async function hold(req: HoldRequest): Promise<HoldResult> {
  const request = Buffer.from(`GET VAR ${req.ups} ups.status\n`, 'latin1');
  const end = Buffer.from(`END LIST VAR ${req.ups}\n`, 'latin1');
  const t0 = performance.now();
  const results = await pool(req.count, req.concurrency, async () => {
    const sock = await openSocket(req.port);
    try {
      const reply = (await requestOnce(sock, request, 'get', end)).toString('latin1');
      if (!reply.startsWith('VAR ')) throw new Error(`answered ${JSON.stringify(reply.trim())}`);
    } catch (e) {
      sock.destroy();
      throw e;
    }
    return sock;
  });
  const ms = performance.now() - t0;
  const failures: string[] = [];
  for (const r of results) {
    if (isError(r)) {
      if (failures.length < 5) failures.push(r.message);
      continue;
    }
    held.push(r);
    r.on('error', () => {});
    r.once('close', () => {
      if (!closedByUs.has(r)) closedByServer++;
    });
  }
  return { opened: results.length - results.filter(isError).length, failed: results.filter(isError).length, failures, ms };
}

function release(): ReleaseResult {
  const result = { held: held.length, closedByServer };
  for (const s of held) {
    closedByUs.add(s);
    s.destroy();
  }
  held = [];
  closedByServer = 0;
  return result;
}

// ---------------------------------------------------------------------------------------------

process.on('message', (msg: LoadRequest) => {
  const reply = (r: LoadReply): void => void process.send?.(r);
  const work = msg.op === 'run' ? run(msg) : msg.op === 'hold' ? hold(msg) : Promise.resolve(release());
  work.then(
    (result) => reply({ id: msg.id, ok: true, result }),
    (e: unknown) => reply({ id: msg.id, ok: false, error: e instanceof Error ? e.message : String(e) }),
  );
});
// The bench went away (even by SIGKILL): do not linger holding sockets.
process.on('disconnect', () => process.exit(0));
