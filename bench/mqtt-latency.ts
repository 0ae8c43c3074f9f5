// Driver update -> MQTT publish, measured end to end on the bundle as shipped: a value is set on
// the simulated UPS through the NUT server (SET VAR, which dummy-ups applies at once, as a poll
// would), and the clock stops when the gateway's retained state carrying that value reaches a
// subscriber through mosquitto. So each sample holds the SET round trip and one broker hop on top
// of what the budget names: an upper bound for it.
import { connect, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { systemClock } from '../src/core/clock.js';
import { silentLogger } from '../src/core/logger.js';
import { MqttClient } from '../src/mqtt-bridge/mqtt/client.js';
import { BENCH_ADMIN, BENCH_GATEWAY_ID, UPS } from './nut-folder.js';
import { sleep } from './phases.js';

export interface MqttLatencyResult {
  samples: number;
  /** Samples whose state never arrived within the timeout. */
  lost: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number };
}

const TIMEOUT_MS = 2000;

export async function mqttLatencyPhase(brokerUrl: string, nutPort: number, samples: number): Promise<MqttLatencyResult> {
  const client = new MqttClient({ url: brokerUrl, clientId: `upsgate-bench-${process.pid}`, keepaliveSeconds: 30, clock: systemClock, log: silentLogger });
  let waiting: Waiting;
  client.on('message', (_topic, payload) => {
    const now = performance.now();
    if (!waiting) return;
    const load = (JSON.parse(payload.toString('utf8')) as { load?: unknown }).load;
    if (load === waiting.load) waiting.resolve(now);
  });
  const connected = new Promise<void>((r) => client.on('connect', () => r()));
  client.start();
  await connected;
  await client.subscribe([{ filter: `upsgate/${BENCH_GATEWAY_ID}/${UPS}/state`, qos: 0 }]);
  try {
    return await measureUpdates(nutPort, samples, (w) => (waiting = w));
  } finally {
    await client.stop();
  }
}

/** Who is waiting for which ups.load value; the watcher calls `resolve` with performance.now() when it sees it. */
export type Waiting = { load: number; resolve: (t: number) => void } | undefined;

/**
 * The loop both latency phases share: SET VAR ups.load to a new value through the NUT server,
 * one at a time as from a poll, and time until the watcher (MQTT subscriber, SSE reader) reports it.
 */
export async function measureUpdates(nutPort: number, samples: number, wait: (w: Waiting) => void): Promise<MqttLatencyResult> {
  const nut = await nutSession(nutPort);
  const times: number[] = [];
  let lost = 0;
  try {
    for (let i = 0; i < samples; i++) {
      const load = 10 + (i % 80); // a new value every time (18 is the file's)
      const arrived = new Promise<number | undefined>((resolve) => {
        const timer = setTimeout(() => resolve(undefined), TIMEOUT_MS);
        wait({ load, resolve: (t) => (clearTimeout(timer), resolve(t)) });
      });
      const t0 = performance.now();
      await nut.ask(`SET VAR ${UPS} ups.load "${load}"`);
      const t1 = await arrived;
      wait(undefined);
      if (t1 === undefined) lost++;
      else times.push(t1 - t0);
      await sleep(20);
    }
  } finally {
    nut.close();
  }
  times.sort((a, b) => a - b);
  return {
    samples,
    lost,
    latencyMs: { p50: percentile(times, 0.5), p90: percentile(times, 0.9), p99: percentile(times, 0.99), max: times.at(-1) ?? Number.NaN },
  };
}

/** A logged-in NUT connection that sends one line and waits for its one-line answer. */
export async function nutSession(port: number): Promise<{ ask(line: string): Promise<string>; close(): void }> {
  const socket: Socket = await new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port }, () => resolve(s));
    s.once('error', reject);
  });
  socket.setNoDelay(true);
  let buffer = '';
  let pending: ((line: string) => void) | undefined;
  socket.on('data', (c: Buffer) => {
    buffer += c.toString('latin1');
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      pending?.(line);
    }
  });
  const ask = (line: string): Promise<string> =>
    new Promise((resolve, reject) => {
      pending = (answer) => (answer.startsWith('OK') ? resolve(answer) : reject(new Error(`${line}: ${answer}`)));
      socket.write(`${line}\n`);
    });
  await ask(`USERNAME ${BENCH_ADMIN.user}`);
  await ask(`PASSWORD ${BENCH_ADMIN.password}`);
  return { ask, close: () => socket.destroy() };
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}
