// Driver update -> server-sent event on the web UI's status page, measured end to end on the
// bundle: the bench logs in as a browser would (form token cookie, password, session cookie),
// opens /live, and sets ups.load on the simulated UPS through the NUT server (SET VAR, applied at
// once by dummy-ups as a poll would); the clock stops when the SSE message with that value has
// been read. Each sample so holds the SET round trip too: an upper bound for the budget.
import { request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { measureUpdates, type MqttLatencyResult, type Waiting } from './mqtt-latency.js';
import { BENCH_UI_PASSWORD } from './servers.js';

export type SseLatencyResult = MqttLatencyResult;

function http(port: number, method: string, path: string, headers: Record<string, string>, body?: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers: { host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const cookieOf = (h: Record<string, string | string[] | undefined>, name: string) =>
  ([h['set-cookie'] ?? []].flat().find((c) => c.startsWith(`${name}=`)) ?? '').split(';')[0]!;

async function login(port: number): Promise<string> {
  const form = await http(port, 'GET', '/login', {});
  const formCookie = cookieOf(form.headers, 'upsgate_form');
  const token = /name="_csrf" value="([^"]+)"/.exec(form.text)?.[1] ?? '';
  const body = new URLSearchParams({ _csrf: token, password: BENCH_UI_PASSWORD }).toString();
  const res = await http(port, 'POST', '/login', { cookie: formCookie, 'content-type': 'application/x-www-form-urlencoded', origin: `http://127.0.0.1:${port}` }, body);
  const session = cookieOf(res.headers, 'upsgate_session');
  if (res.status !== 303 || !session) throw new Error(`bench: web UI login failed (${res.status}): ${res.text.slice(0, 200)}`);
  return session;
}

export async function sseLatencyPhase(httpPort: number, nutPort: number, samples: number): Promise<SseLatencyResult> {
  const session = await login(httpPort);
  let waiting: Waiting;
  let buffer = '';
  const stream = request({ host: '127.0.0.1', port: httpPort, path: '/live', headers: { host: `127.0.0.1:${httpPort}`, cookie: session, accept: 'text/event-stream' } });
  const opened = new Promise<void>((resolve, reject) => {
    stream.on('response', (res) => {
      if (res.statusCode !== 200) reject(new Error(`bench: /live answered ${res.statusCode}`));
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        const now = performance.now();
        buffer += c;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const message = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = /^data: (.*)$/m.exec(message)?.[1];
          if (!data || !waiting) continue;
          if ((JSON.parse(data) as { load?: unknown }).load === waiting.load) waiting.resolve(now);
        }
      });
      resolve();
    });
    stream.on('error', reject);
  });
  stream.end();
  await opened;
  try {
    return await measureUpdates(nutPort, samples, (w) => (waiting = w));
  } finally {
    stream.destroy();
  }
}
