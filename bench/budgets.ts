// The DESIGN budgets, each judged on the figures of this run. Lines in parentheses are shown for
// context (INFO), not judged: the time to the first data (it includes the 1 s sleep NUT's dummy-ups
// does before its first update, which upsgate reproduces; NUT itself needs 2 s) and LIST at 100
// clients (decided by upsd's per-line writes, see print.ts). "Serving 3493" is judged as the port
// accepting NUT requests, which is when upsd is said to serve too.
import type { MqttLatencyResult } from './mqtt-latency.js';
import type { IdleResult, LoadResult, StartResult } from './phases.js';
import { SCENARIOS } from './phases.js';
import { mib, ms, num, type Verdict } from './report.js';
import { CLK_TCK } from './proc-stats.js';
import { median } from './results.js';

export function budgets(idle: IdleResult, load: LoadResult, starts: StartResult, mqtt: MqttLatencyResult, sse: MqttLatencyResult): Verdict[] {
  const r = idle.rssKiB;
  const c = idle.cpuPctOfCore;
  const g100 = load.figures['get-100']!;
  const l100 = load.figures['list-100']!;
  const data = (k: 'upsgate' | 'upsd'): number => median(starts[k].map((x) => x.dataMs));
  const listen = (k: 'upsgate' | 'upsd'): number => median(starts[k].map((x) => x.listeningMs));
  // 0.5 % must be at least 10 clock ticks of CPU over the idle window to be told from noise.
  const judgeable = idle.seconds * CLK_TCK * 0.005 >= 10;
  const problems = SCENARIOS.flatMap((sc) => {
    const f = load.figures[sc.id]!;
    return (['upsgate', 'upsd'] as const)
      .filter((k) => f[k].errReplies + f[k].mismatches + f[k].dropped + f[k].unanswered > 0)
      .map((k) => `${k} in ${sc.label}`);
  });
  return [
    {
      budget: 'idle RSS <= 1.3 x empty Node',
      measured: `${mib(r.upsgate)} / ${mib(r.emptyNode)} = ${(r.upsgate / r.emptyNode).toFixed(2)} x`,
      pass: r.upsgate <= 1.3 * r.emptyNode,
    },
    {
      budget: 'start → serving 3493 <= 300 ms',
      measured: `median ${ms(listen('upsgate'))} ms (upsd: ${ms(listen('upsd'))} ms)`,
      pass: listen('upsgate') <= 300,
    },
    {
      budget: '  (start → GET VAR with data, dummy-ups)',
      measured: `median ${ms(data('upsgate'))} ms (upsd+dummy-ups: ${ms(data('upsd'))} ms)`,
      pass: undefined,
    },
    {
      budget: 'GET VAR 100 clients: req/s >= upsd',
      measured: `${num(g100.upsgate.reqPerSec)} vs ${num(g100.upsd.reqPerSec)} (${(g100.upsgate.reqPerSec / g100.upsd.reqPerSec).toFixed(2)} x)`,
      pass: g100.upsgate.reqPerSec >= g100.upsd.reqPerSec,
    },
    {
      budget: 'GET VAR 100 clients: p99 <= upsd',
      measured: `${ms(g100.upsgate.latencyMs.p99)} vs ${ms(g100.upsd.latencyMs.p99)} ms`,
      pass: g100.upsgate.latencyMs.p99 <= g100.upsd.latencyMs.p99,
    },
    {
      budget: '  (LIST VAR 100 clients: req/s, p99 vs upsd)',
      measured: `${num(l100.upsgate.reqPerSec)} vs ${num(l100.upsd.reqPerSec)} req/s; p99 ${ms(l100.upsgate.latencyMs.p99)} vs ${ms(l100.upsd.latencyMs.p99)} ms`,
      pass: undefined,
    },
    {
      budget: 'idle CPU <= 0.5 % of one core',
      measured: `${num(c.upsgate, 3)} % (upsd+dummy-ups: ${num(c.upsd + c.dummyUps, 3)} %)${judgeable ? '' : ', window too short to judge'}`,
      pass: judgeable ? c.upsgate <= 0.5 : undefined,
    },
    {
      budget: 'correct under load (no ERR/wrong/dropped)',
      measured: problems.length === 0 ? 'all replies identical to the first' : problems.join('; '),
      pass: !problems.some((p) => p.startsWith('upsgate')),
    },
    {
      budget: 'driver update -> MQTT publish p99 <= 20 ms',
      measured: `p99 ${ms(mqtt.latencyMs.p99)} ms (p50 ${ms(mqtt.latencyMs.p50)}; ${mqtt.lost} of ${mqtt.samples} lost; SET round trip and broker hop included)`,
      pass: mqtt.lost === 0 && mqtt.latencyMs.p99 <= 20,
    },
    {
      budget: 'driver update -> SSE p99 <= 20 ms',
      measured: `p99 ${ms(sse.latencyMs.p99)} ms (p50 ${ms(sse.latencyMs.p50)}; ${sse.lost} of ${sse.samples} lost; SET round trip included)`,
      pass: sse.lost === 0 && sse.latencyMs.p99 <= 20,
    },
  ];
}
