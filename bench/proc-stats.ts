// What the kernel says a process costs: CPU (utime+stime, all threads) and resident memory, read
// from /proc so the same numbers come out for a C daemon and a Node process. Linux only.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';

/** Clock ticks per second for /proc/<pid>/stat times (USER_HZ, almost always 100). */
export const CLK_TCK: number = (() => {
  try {
    const n = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    return Number.isFinite(n) && n > 0 ? n : 100;
  } catch {
    return 100;
  }
})();

/** utime+stime of a process in microseconds (resolution: one tick, 10 ms at USER_HZ 100). */
export function cpuMicros(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  // comm (field 2) may contain spaces and parentheses: count fields after its last ')'.
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // rest[0] is field 3 (state); utime and stime are fields 14 and 15.
  const ticks = Number(rest[11]) + Number(rest[12]);
  return (ticks * 1e6) / CLK_TCK;
}

/** Resident set size in KiB (VmRSS). */
export function rssKiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'latin1');
  const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  if (!m) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(m[1]);
}

/** CPU micros for several processes at once, keyed by pid. */
export function cpuSnapshot(pids: number[]): Record<number, number> {
  const out: Record<number, number> = {};
  for (const pid of pids) out[pid] = cpuMicros(pid);
  return out;
}

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  node: string;
  kernel: string;
  arch: string;
  loadavg: string;
}

export function machineInfo(): MachineInfo {
  const list = cpus();
  let kernel = '?';
  try {
    kernel = readFileSync('/proc/sys/kernel/osrelease', 'latin1').trim();
  } catch {
    /* not Linux: the bench refuses to run later anyway */
  }
  return {
    cpuModel: list[0]?.model ?? '?',
    cores: list.length,
    node: process.version,
    kernel,
    arch: process.arch,
    loadavg: readFileSync('/proc/loadavg', 'latin1').split(' ').slice(0, 3).join(' '),
  };
}

/**
 * CPU µs all processes on the machine have used (every core, /proc/stat): with the server's and
 * the load generator's share taken out, what is left shows whether something else ran meanwhile.
 */
export function machineBusyMicros(): number {
  const line = readFileSync('/proc/stat', 'latin1').split('\n', 1)[0]!;
  // cpu user nice system idle iowait irq softirq steal ...
  const f = line.trim().split(/\s+/).slice(1).map(Number);
  const busy = f[0]! + f[1]! + f[2]! + f[5]! + f[6]! + (f[7] ?? 0);
  return (busy * 1e6) / CLK_TCK;
}

/** The CPU a process (its main thread) last ran on: field 39 of /proc/<pid>/stat. */
export function lastCpu(pid: number | 'self'): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[36]);
}
