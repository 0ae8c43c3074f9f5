// The printed report, one section per phase, each with the notes a reader needs to trust or
// discount the figures (what "rest of machine" means, why upsd's LIST is slow, ...).
import type { MqttLatencyResult } from './mqtt-latency.js';
import type { HeldResult, IdleResult, LoadResult, StartResult } from './phases.js';
import { SCENARIOS } from './phases.js';
import { CLK_TCK } from './proc-stats.js';
import type { Readiness } from './readiness.js';
import { loadRows, mib, ms, num, placementLines, sideBySide, table } from './report.js';
import { byPlacement, median, placementOf, type LoadFigures } from './results.js';
import type { ServerKind } from './servers.js';

const KINDS: ServerKind[] = ['upsgate', 'upsd'];

export function printLoad(load: LoadResult): string[] {
  const out = ['== Load (closed loop; latency = request written → full reply read) =='];
  for (const sc of SCENARIOS) {
    const f = load.figures[sc.id];
    if (!f) continue;
    out.push('', `-- ${sc.label} --`, sideBySide(loadRows(f.upsgate, f.upsd)));
    // Only worth a line when a server's own runs landed in both regimes (then they disagree).
    if (KINDS.some((k) => new Set(f[k].perRun.map(placementOf)).size > 1)) out.push(...placementLines(f.upsgate, f.upsd));
    for (const k of KINDS) {
      if (f[k].clientCorePct >= 90) out.push(`   note: against ${k} the load generator used ${num(f[k].clientCorePct)} % of a core: ${k}'s req/s here is a lower bound`);
      if (f[k].samples.length > 0) out.push(`   ${k} odd replies/events (first ${f[k].samples.length}): ${f[k].samples.map((s) => JSON.stringify(s)).join(' ')}`);
    }
  }
  out.push(
    '',
    '   ERR/wrong/dropped/unanswered: ERR replies, replies differing from the first reply of the run,',
    '   connections closed by the server, requests left unanswered at the end. All should be 0.',
    '   upsd µs/req is upsd + dummy-ups ("drv"); the ratio uses the sum. * = under 20 clock ticks of CPU: coarse.',
    '   rest of machine = all CPU used on the machine minus server(s) and load generator: other processes,',
    '   and kernel time charged to neither; high values (> ~30 %) mean the run shared the CPUs with other work.',
    '   same CPU as generator: share of 20 ms samples in which the server last ran on the load generator\'s',
    '   CPU; a 1-client ping-pong is several times cheaper on one CPU (no cross-CPU wake-up, in a VM an IPI).',
    '   LIST against upsd: upsd 2.8.0 writes every reply line with its own write(); with Nagle on (as',
    '   libupsclient leaves it) the lines after the first wait for the client\'s delayed ACK (~40 ms on',
    '   Linux loopback). upsgate writes the whole LIST reply in one write(). Real clients see it: upsc',
    '   (libupsclient, no socket options) takes ~40 ms per run against upsd.',
  );
  return out;
}

export function printHeld(held: Record<ServerKind, HeldResult>, load: LoadResult): string[] {
  const g = held.upsgate;
  const n = held.upsd;
  // The 1-client runs of the load phase with the same CPU placement as the probe: like with like.
  const base = (k: ServerKind, probe: LoadFigures): string => {
    const runs = load.figures['get-1']?.[k].perRun ?? [];
    const b = byPlacement(runs, placementOf(probe.perRun[0]!));
    return b ? `${ms(b.p50Ms)} / ${num(b.cpuUsPerReq, 1)}` : 'n/a';
  };
  const growth = (h: HeldResult): number => (h.rssKiBHeld - h.rssKiBBefore) / h.count;
  const out = [
    `== ${g.count} idle connections (each opened, checked with one GET VAR, then silent) ==`,
    sideBySide([
      { label: 'connections open / failed', upsgate: `${g.opened.opened} / ${g.opened.failed}`, upsd: `${n.opened.opened} / ${n.opened.failed}` },
      { label: 'time to open and check all (ms)', upsgate: num(g.opened.ms), upsd: num(n.opened.ms), ratio: g.opened.ms / n.opened.ms, better: 'lower' },
      { label: 'RSS before', upsgate: mib(g.rssKiBBefore), upsd: mib(n.rssKiBBefore) },
      { label: 'RSS holding them', upsgate: mib(g.rssKiBHeld), upsd: mib(n.rssKiBHeld) },
      { label: 'RSS growth (KiB per connection)', upsgate: num(growth(g), 1), upsd: num(growth(n), 1), ratio: growth(g) / growth(n), better: 'lower' },
      { label: 'RSS after closing them', upsgate: mib(g.rssKiBAfterRelease), upsd: mib(n.rssKiBAfterRelease) },
      { label: 'idle CPU while holding (% core)', upsgate: num(g.idleCpuPct, 2), upsd: num(n.idleCpuPct, 2) },
      { label: 'closed by server while held', upsgate: String(g.released.closedByServer), upsd: String(n.released.closedByServer) },
      { label: '1 more client GET VAR: req/s', upsgate: num(g.probe.reqPerSec), upsd: num(n.probe.reqPerSec), ratio: g.probe.reqPerSec / n.probe.reqPerSec, better: 'higher' },
      { label: '  p50 (ms)', upsgate: ms(g.probe.latencyMs.p50), upsd: ms(n.probe.latencyMs.p50), ratio: g.probe.latencyMs.p50 / n.probe.latencyMs.p50, better: 'lower' },
      { label: '  p99 (ms)', upsgate: ms(g.probe.latencyMs.p99), upsd: ms(n.probe.latencyMs.p99), ratio: g.probe.latencyMs.p99 / n.probe.latencyMs.p99, better: 'lower' },
      { label: '  server CPU (µs/req)', upsgate: num(g.probe.cpuUsPerReq.total, 1), upsd: num(n.probe.cpuUsPerReq.total, 1), ratio: g.probe.cpuUsPerReq.total / n.probe.cpuUsPerReq.total, better: 'lower' },
      { label: '  same CPU as generator (%)', upsgate: num(g.probe.perRun[0]!.sameCpu * 100), upsd: num(n.probe.perRun[0]!.sameCpu * 100) },
      { label: '  without idle ones: p50 ms / µs/req', upsgate: base('upsgate', g.probe), upsd: base('upsd', n.probe) },
    ]),
    '   "without idle ones": the load phase\'s 1-client GET VAR runs with the same CPU placement as this probe.',
  ];
  for (const k of KINDS) {
    if (held[k].opened.failures.length > 0) out.push(`   ${k} connection failures: ${held[k].opened.failures.join(' | ')}`);
    for (const s of held[k].probe.samples) out.push(`   ${k} probe: ${JSON.stringify(s)}`);
  }
  return out;
}

export function printMemory(idle: IdleResult, load: LoadResult | undefined, settleS: number): string[] {
  const r = idle.rssKiB;
  const nut = r.upsd + r.dummyUps;
  const rows = [
    ['idle RSS', mib(r.upsgate), mib(r.emptyNode), `${mib(nut)} (${mib(r.upsd)} + ${mib(r.dummyUps)})`],
    ['idle RSS at settle', mib(idle.rssKiBAtSettle.upsgate), mib(idle.rssKiBAtSettle.emptyNode), mib(idle.rssKiBAtSettle.upsd + idle.rssKiBAtSettle.dummyUps)],
    ['ratio to empty node', (r.upsgate / r.emptyNode).toFixed(2), '1.00', (nut / r.emptyNode).toFixed(2)],
  ];
  if (load) {
    rows.push([
      'RSS before load → after load',
      `${mib(load.rssKiBBefore.upsgate)} → ${mib(load.rssKiBAfter.upsgate)}`,
      '',
      `${mib(load.rssKiBBefore.upsd)} → ${mib(load.rssKiBAfter.upsd)}`,
    ]);
  }
  return [
    `== Memory (VmRSS; idle = ${num(settleS + idle.seconds)} s after serving, before any load) ==`,
    table(['', 'upsgate', 'empty node', 'upsd + dummy-ups'], rows),
  ];
}

export function printIdleCpu(idle: IdleResult): string[] {
  const c = idle.cpuPctOfCore;
  const tickPct = (1 / CLK_TCK / idle.seconds) * 100;
  return [
    `== Idle CPU over ${idle.seconds.toFixed(1)} s (1 UPS, dummy-ups polling every 2 s, no clients) ==`,
    table(
      ['', 'upsgate', 'empty node', 'upsd', 'dummy-ups', 'upsd + dummy-ups'],
      [['% of one core', num(c.upsgate, 3), num(c.emptyNode, 3), num(c.upsd, 3), num(c.dummyUps, 3), num(c.upsd + c.dummyUps, 3)]],
    ),
    `   (resolution: one clock tick = ${num(1000 / CLK_TCK)} ms of CPU = ${num(tickPct, 3)} % over this window)`,
  ];
}

export function printStart(starts: StartResult): string[] {
  const stat = (xs: number[]): string => `${ms(median(xs))} (${ms(Math.min(...xs))}–${ms(Math.max(...xs))})`;
  const l = (k: ServerKind): number[] => starts[k].map((r) => r.listeningMs);
  const d = (k: ServerKind): number[] => starts[k].map((r) => r.dataMs);
  const firstAnswers = (rs: Readiness[]): string => [...new Set(rs.flatMap((r) => r.before))].join(' | ') || 'none';
  return [
    `== Start to serving (spawn → …; median of ${starts.upsgate.length}, min–max; NUT: dummy-ups and upsd spawned together) ==`,
    sideBySide([
      { label: 'port accepting (ms)', upsgate: stat(l('upsgate')), upsd: stat(l('upsd')), ratio: median(l('upsgate')) / median(l('upsd')), better: 'lower' },
      { label: 'GET VAR answered with data (ms)', upsgate: stat(d('upsgate')), upsd: stat(d('upsd')), ratio: median(d('upsgate')) / median(d('upsd')), better: 'lower' },
    ]),
    `   answers before data: upsgate: ${firstAnswers(starts.upsgate)}; upsd: ${firstAnswers(starts.upsd)}`,
    '   NUT 2.8.0 dummy-ups sleeps 1 s at the start of every update (drivers/dummy-ups.c, upsdrv_updateinfo)',
    '   and creates its socket only after the first one, so no dummy-ups setup can answer with data in < 1 s;',
    '   with NUT, upsd also waits for the second update before its DUMPALL is answered (~2 s).',
  ];
}

/** An update-latency phase: its heading, what each sample holds, and the percentiles. */
function printLatency(heading: string, what: string[], m: MqttLatencyResult): string[] {
  const l = m.latencyMs;
  return [heading, ...what, table(['updates', 'lost', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms'], [[String(m.samples), String(m.lost), ms(l.p50), ms(l.p90), ms(l.p99), ms(l.max)]])];
}

export function printSse(m: MqttLatencyResult): string[] {
  return printLatency('== Driver update -> web UI server-sent event (upsgate only) ==', [
    'SET VAR on the simulated UPS through the NUT server, until the /live message holding the value',
    'is read by a logged-in client: includes the SET round trip.',
  ], m);
}

export function printMqtt(m: MqttLatencyResult): string[] {
  return printLatency('== Driver update -> MQTT publish (upsgate only; NUT has no MQTT) ==', [
    'SET VAR on the simulated UPS through the NUT server, until the retained state holding the value',
    'reaches a subscriber through mosquitto: includes the SET round trip and one broker hop.',
  ], m);
}
