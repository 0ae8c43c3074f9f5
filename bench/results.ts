// Turning raw load runs into the figures the report compares. A server's runs of one scenario
// (two of them in ABBA order) are merged by summing requests, window time and CPU and adding the
// latency histograms, so the percentiles cover every request measured.
import { Histogram } from './histogram.js';
import type { RunResult } from './load-protocol.js';
import { CLK_TCK } from './proc-stats.js';

export interface Scenario {
  id: string;
  kind: 'get' | 'list';
  clients: number;
  label: string;
}

export interface LoadFigures {
  runs: number;
  requests: number;
  windowMs: number;
  reqPerSec: number;
  /** Each run on its own, to show how much runs of one server differ, and why. */
  perRun: RunFigures[];
  latencyMs: { p50: number; p90: number; p99: number; p999: number };
  /** Server CPU per request: the serving process, and the helpers (NUT: dummy-ups). */
  cpuUsPerReq: { main: number; helpers: number; total: number };
  /** Share of one core the server processes used during the windows. */
  serverCorePct: number;
  /** Share of one core the load generator used: near 100 % would make it the bottleneck. */
  clientCorePct: number;
  /** Everything else the machine ran meanwhile (% of one core): noise when well above 0. */
  otherCorePct: number;
  /** Clock ticks of server CPU behind cpuUsPerReq: below ~20 the per-request figure is coarse. */
  serverCpuTicks: number;
  errReplies: number;
  mismatches: number;
  dropped: number;
  unanswered: number;
  samples: string[];
  reference: string;
}

export interface RunFigures {
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  cpuUsPerReq: number;
  /** Share of the window in which the server last ran on the load generator's CPU (0..1). */
  sameCpu: number;
}

/**
 * A ping-pong between two processes on one CPU costs no cross-CPU wake-up (in a VM: an IPI and a VM
 * exit), so with one client a run lands in one of two regimes depending on where the scheduler put
 * the server. Runs are classed by where the server mostly was.
 */
export type Placement = 'same CPU' | 'other CPU';
export const placementOf = (r: RunFigures): Placement => (r.sameCpu >= 0.5 ? 'same CPU' : 'other CPU');

/** The runs of one placement, merged by averaging (they have equal windows). */
export function byPlacement(runs: RunFigures[], p: Placement): RunFigures | undefined {
  const rs = runs.filter((r) => placementOf(r) === p);
  if (rs.length === 0) return undefined;
  const avg = (f: (r: RunFigures) => number): number => rs.reduce((a, r) => a + f(r), 0) / rs.length;
  return { reqPerSec: avg((r) => r.reqPerSec), p50Ms: avg((r) => r.p50Ms), p99Ms: avg((r) => r.p99Ms), cpuUsPerReq: avg((r) => r.cpuUsPerReq), sameCpu: avg((r) => r.sameCpu) };
}

export function mergeRuns(runs: RunResult[], mainPid: number, helperPids: number[]): LoadFigures {
  const hist = new Histogram();
  let requests = 0;
  let windowMs = 0;
  let mainUs = 0;
  let helperUs = 0;
  let clientUs = 0;
  let busyUs = 0;
  const samples: string[] = [];
  for (const r of runs) {
    hist.merge(Histogram.fromSparse(r.hist));
    requests += r.requests;
    windowMs += r.windowMs;
    mainUs += r.serverCpuUs[mainPid] ?? 0;
    for (const p of helperPids) helperUs += r.serverCpuUs[p] ?? 0;
    clientUs += r.clientCpuUs;
    busyUs += r.machineBusyUs;
    for (const s of r.samples) if (samples.length < 5) samples.push(s);
  }
  const sum = (f: (r: RunResult) => number): number => runs.reduce((a, r) => a + f(r), 0);
  const ms = (us: number): number => us / 1000;
  return {
    runs: runs.length,
    requests,
    windowMs,
    reqPerSec: requests / (windowMs / 1000),
    perRun: runs.map((r) => {
      const h = Histogram.fromSparse(r.hist);
      const cpu = (r.serverCpuUs[mainPid] ?? 0) + helperPids.reduce((a, p) => a + (r.serverCpuUs[p] ?? 0), 0);
      return {
        reqPerSec: r.requests / (r.windowMs / 1000),
        p50Ms: ms(h.quantile(0.5)),
        p99Ms: ms(h.quantile(0.99)),
        cpuUsPerReq: cpu / r.requests,
        sameCpu: r.sameCpuShare,
      };
    }),
    latencyMs: {
      p50: ms(hist.quantile(0.5)),
      p90: ms(hist.quantile(0.9)),
      p99: ms(hist.quantile(0.99)),
      p999: ms(hist.quantile(0.999)),
    },
    cpuUsPerReq: {
      main: mainUs / requests,
      helpers: helperUs / requests,
      total: (mainUs + helperUs) / requests,
    },
    serverCorePct: ((mainUs + helperUs) / (windowMs * 1000)) * 100,
    clientCorePct: (clientUs / (windowMs * 1000)) * 100,
    otherCorePct: Math.max(0, ((busyUs - mainUs - helperUs - clientUs) / (windowMs * 1000)) * 100),
    serverCpuTicks: Math.round(((mainUs + helperUs) * CLK_TCK) / 1e6),
    errReplies: sum((r) => r.errReplies),
    mismatches: sum((r) => r.mismatches),
    dropped: sum((r) => r.dropped),
    unanswered: sum((r) => r.unanswered),
    samples,
    reference: runs[0]?.reference ?? '',
  };
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
