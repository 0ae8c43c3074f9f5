// Plain-text tables for the terminal: one per scenario with both servers side by side and the
// ratio upsgate/upsd, plus which direction is better, so a reader never has to guess.
import { byPlacement, type LoadFigures, type Placement } from './results.js';

export type Better = 'higher' | 'lower' | '';

export interface Row {
  label: string;
  upsgate: string;
  upsd: string;
  ratio?: number;
  better?: Better;
}

export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('   ').trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export function sideBySide(rows: Row[], upsdHeader = 'upsd+dummy-ups'): string {
  return table(
    ['', 'upsgate', upsdHeader, 'upsgate/upsd', 'better'],
    rows.map((r) => [
      r.label,
      r.upsgate,
      r.upsd,
      r.ratio === undefined || !Number.isFinite(r.ratio) ? '' : r.ratio.toFixed(2),
      r.better ?? '',
    ]),
  );
}

export function num(x: number, digits = 0): string {
  if (!Number.isFinite(x)) return 'n/a';
  return x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** Milliseconds with sensible precision: 0.043, 1.27, 41.9. */
export function ms(x: number): string {
  if (!Number.isFinite(x)) return 'n/a';
  return x < 1 ? x.toFixed(3) : x < 10 ? x.toFixed(2) : x.toFixed(1);
}

export function mib(kib: number): string {
  return `${(kib / 1024).toFixed(1)} MiB`;
}

export function loadRows(g: LoadFigures, n: LoadFigures): Row[] {
  const problems = (f: LoadFigures): string => `${f.errReplies}/${f.mismatches}/${f.dropped}/${f.unanswered}`;
  // Fewer than 20 clock ticks of CPU behind a per-request figure: mark it as coarse.
  const coarse = (f: LoadFigures): string => (f.serverCpuTicks < 20 ? '*' : '');
  return [
    { label: 'throughput (req/s)', upsgate: num(g.reqPerSec), upsd: num(n.reqPerSec), ratio: g.reqPerSec / n.reqPerSec, better: 'higher' },
    { label: 'latency p50 (ms)', upsgate: ms(g.latencyMs.p50), upsd: ms(n.latencyMs.p50), ratio: g.latencyMs.p50 / n.latencyMs.p50, better: 'lower' },
    { label: 'latency p99 (ms)', upsgate: ms(g.latencyMs.p99), upsd: ms(n.latencyMs.p99), ratio: g.latencyMs.p99 / n.latencyMs.p99, better: 'lower' },
    {
      label: 'server CPU (µs/req)',
      upsgate: `${num(g.cpuUsPerReq.total, 1)}${coarse(g)}`,
      upsd: `${num(n.cpuUsPerReq.main, 1)} + ${num(n.cpuUsPerReq.helpers, 1)} drv${coarse(n)}`,
      ratio: g.cpuUsPerReq.total / n.cpuUsPerReq.total,
      better: 'lower',
    },
    { label: 'server CPU (% of a core)', upsgate: num(g.serverCorePct), upsd: num(n.serverCorePct), better: '' },
    { label: 'load generator (% of a core)', upsgate: num(g.clientCorePct), upsd: num(n.clientCorePct), better: '' },
    { label: 'rest of machine (% of a core)', upsgate: num(g.otherCorePct), upsd: num(n.otherCorePct), better: '' },
    { label: 'ERR/wrong/dropped/unanswered', upsgate: problems(g), upsd: problems(n), better: '' },
    {
      label: 'req/s of each run',
      upsgate: g.perRun.map((x) => num(x.reqPerSec)).join(', '),
      upsd: n.perRun.map((x) => num(x.reqPerSec)).join(', '),
      better: '',
    },
    {
      label: '  same CPU as generator (%)',
      upsgate: g.perRun.map((x) => num(x.sameCpu * 100)).join(', '),
      upsd: n.perRun.map((x) => num(x.sameCpu * 100)).join(', '),
      better: '',
    },
  ];
}

export interface Verdict {
  budget: string;
  measured: string;
  pass: boolean | undefined;
  note?: string;
}

export function verdictLines(vs: Verdict[]): string {
  return table(
    ['budget', 'measured', 'verdict'],
    vs.map((v) => [v.budget, v.measured, v.pass === undefined ? 'INFO' : v.pass ? 'PASS' : 'FAIL']),
  );
}

/** One line per placement that both servers had at least once: like compared with like. */
export function placementLines(g: LoadFigures, n: LoadFigures): string[] {
  const out: string[] = [];
  for (const p of ['other CPU', 'same CPU'] as Placement[]) {
    const a = byPlacement(g.perRun, p);
    const b = byPlacement(n.perRun, p);
    const show = (x: typeof a): string =>
      x ? `${num(x.reqPerSec)} req/s, p50 ${ms(x.p50Ms)} ms, p99 ${ms(x.p99Ms)} ms, ${num(x.cpuUsPerReq, 1)} µs/req` : 'no such run';
    out.push(`   server on ${p.padEnd(9)}: upsgate ${show(a)} | upsd ${show(b)}${a && b ? ` | req/s ratio ${(a.reqPerSec / b.reqPerSec).toFixed(2)}` : ''}`);
  }
  return out;
}
