// The four measurements, each a function from running servers to plain data (printed by print.ts,
// judged by budgets.ts, saved as JSON by main.ts). Only one server is ever under load at a time.
import { performance } from 'node:perf_hooks';
import type { LoadDriver } from './load-driver.js';
import type { HoldResult, ReleaseResult, RunResult } from './load-protocol.js';
import { UPS } from './nut-folder.js';
import type { Proc } from './processes.js';
import { cpuMicros, rssKiB } from './proc-stats.js';
import { waitServing, type Readiness } from './readiness.js';
import { mergeRuns, type LoadFigures, type Scenario } from './results.js';
import { startEmptyNode, startNut, startUpsgate, type ServerKind, type ServerUnderTest } from './servers.js';

export const SCENARIOS: Scenario[] = [
  ...[1, 10, 100].map((c) => ({ id: `get-${c}`, kind: 'get' as const, clients: c, label: `GET VAR ${UPS} ups.status, ${c} client${c > 1 ? 's' : ''}` })),
  ...[1, 10, 100].map((c) => ({ id: `list-${c}`, kind: 'list' as const, clients: c, label: `LIST VAR ${UPS}, ${c} client${c > 1 ? 's' : ''}` })),
];

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const rssOf = (procs: Proc[]): number => procs.reduce((a, p) => a + rssKiB(p.pid), 0);
const cpuOf = (procs: Proc[]): number => procs.reduce((a, p) => a + cpuMicros(p.pid), 0);
const pidsOf = (s: ServerUnderTest): number[] => s.all().map((p) => p.pid);

/** A server that died is a finding, reported with its log; the bench stops there. */
export function alive(s: ServerUnderTest, during: string): void {
  const dead = s.dead();
  if (dead) throw new Error(`FINDING: ${s.kind} died during ${during}: ${dead}`);
}

// ------------------------------------------------------------------------------------------------

export interface PerProcess {
  upsgate: number;
  emptyNode: number;
  upsd: number;
  dummyUps: number;
}

export interface IdleResult {
  seconds: number;
  rssKiBAtSettle: PerProcess;
  rssKiB: PerProcess;
  cpuPctOfCore: PerProcess;
}

/** Fresh servers and an empty Node side by side, untouched: nothing here is load, so together is fair. */
export async function idlePhase(gw: ServerUnderTest, nut: ServerUnderTest, settleS: number, idleS: number): Promise<IdleResult> {
  const empty = startEmptyNode();
  try {
    await Promise.all([waitServing(gw, UPS), waitServing(nut, UPS)]);
    await sleep(settleS * 1000);
    const sample = (f: (ps: Proc[]) => number): PerProcess => ({
      upsgate: f([gw.main]),
      emptyNode: f([empty]),
      upsd: f([nut.main]),
      dummyUps: f(nut.helpers),
    });
    const rssKiBAtSettle = sample(rssOf);
    const c0 = sample(cpuOf);
    const t0 = performance.now();
    await sleep(idleS * 1000);
    const us = (performance.now() - t0) * 1000;
    const c1 = sample(cpuOf);
    const rssKiB = sample(rssOf);
    alive(gw, 'idle');
    alive(nut, 'idle');
    const pct = (k: keyof PerProcess): number => ((c1[k] - c0[k]) / us) * 100;
    return {
      seconds: us / 1e6,
      rssKiBAtSettle,
      rssKiB,
      cpuPctOfCore: { upsgate: pct('upsgate'), emptyNode: pct('emptyNode'), upsd: pct('upsd'), dummyUps: pct('dummyUps') },
    };
  } finally {
    await empty.stop();
  }
}

// ------------------------------------------------------------------------------------------------

export interface LoadResult {
  figures: Record<string, Record<ServerKind, LoadFigures>>;
  rssKiBBefore: Record<ServerKind, number>;
  rssKiBAfter: Record<ServerKind, number>;
}

export async function loadPhase(
  load: LoadDriver,
  gw: ServerUnderTest,
  nut: ServerUnderTest,
  warmupS: number,
  roundS: number,
  progress: (s: string) => void,
): Promise<LoadResult> {
  const rssKiBBefore = { upsgate: rssOf(gw.all()), upsd: rssOf(nut.all()) };
  const figures: LoadResult['figures'] = {};
  for (const sc of SCENARIOS) {
    const runs: Record<ServerKind, RunResult[]> = { upsgate: [], upsd: [] };
    // ABBA against drift. With one client the scheduler's placement swings results (results.ts):
    // twice as many runs, so each server is likelier to be seen in both regimes.
    const order = sc.clients === 1 ? [gw, nut, nut, gw, gw, nut, nut, gw] : [gw, nut, nut, gw];
    for (const srv of order) {
      const r = await load.run({
        port: srv.port,
        ups: UPS,
        kind: sc.kind,
        clients: sc.clients,
        warmupMs: warmupS * 1000,
        durationMs: roundS * 1000,
        pids: pidsOf(srv),
      });
      alive(srv, sc.label);
      runs[srv.kind].push(r);
      await sleep(200);
    }
    const f = {
      upsgate: mergeRuns(runs.upsgate, gw.main.pid, gw.helpers.map((p) => p.pid)),
      upsd: mergeRuns(runs.upsd, nut.main.pid, nut.helpers.map((p) => p.pid)),
    };
    figures[sc.id] = f;
    progress(`${sc.label}: upsgate ${Math.round(f.upsgate.reqPerSec)} req/s, upsd ${Math.round(f.upsd.reqPerSec)} req/s`);
  }
  return { figures, rssKiBBefore, rssKiBAfter: { upsgate: rssOf(gw.all()), upsd: rssOf(nut.all()) } };
}

// ------------------------------------------------------------------------------------------------

export interface HeldResult {
  count: number;
  rssKiBBefore: number;
  rssKiBHeld: number;
  rssKiBAfterRelease: number;
  opened: HoldResult;
  released: ReleaseResult;
  idleCpuPct: number;
  /** One more client doing GET VAR while the idle ones are held. */
  probe: LoadFigures;
}

/** Many silent clients (as upsmon secondaries and dashboards are): memory, and whether others still get quick answers. */
export async function heldPhase(load: LoadDriver, srv: ServerUnderTest, count: number): Promise<HeldResult> {
  const procs = srv.all();
  const rssKiBBefore = rssOf(procs);
  const opened = await load.hold({ port: srv.port, ups: UPS, count, concurrency: 10 });
  try {
    await sleep(1000);
    const rssKiBHeld = rssOf(procs);
    const c0 = cpuOf(procs);
    const t0 = performance.now();
    await sleep(5000);
    const idleCpuPct = ((cpuOf(procs) - c0) / ((performance.now() - t0) * 1000)) * 100;
    const run = await load.run({ port: srv.port, ups: UPS, kind: 'get', clients: 1, warmupMs: 300, durationMs: 3000, pids: pidsOf(srv) });
    const probe = mergeRuns([run], srv.main.pid, srv.helpers.map((p) => p.pid));
    const released = await load.release();
    await sleep(500);
    alive(srv, `${count} idle connections`);
    return { count, rssKiBBefore, rssKiBHeld, rssKiBAfterRelease: rssOf(procs), opened, released, idleCpuPct, probe };
  } finally {
    await load.release();
  }
}

// ------------------------------------------------------------------------------------------------

export type StartResult = Record<ServerKind, Readiness[]>;

/** Fresh servers started alone, alternating which goes first; `live` lets main stop one on failure. */
export async function startPhase(bundle: string, deviceFile: string, runs: number, live: ServerUnderTest[]): Promise<StartResult> {
  const out: StartResult = { upsgate: [], upsd: [] };
  for (let i = 0; i < runs; i++) {
    for (const kind of (i % 2 === 0 ? ['upsgate', 'upsd'] : ['upsd', 'upsgate']) as ServerKind[]) {
      const srv = kind === 'upsgate' ? await startUpsgate(bundle, deviceFile) : await startNut(deviceFile);
      live.push(srv);
      try {
        out[kind].push(await waitServing(srv, UPS));
      } finally {
        live.splice(live.indexOf(srv), 1);
        await srv.stop();
      }
      await sleep(300);
    }
  }
  return out;
}
