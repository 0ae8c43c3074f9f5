// The messages between the bench and its load generator process (bench/load-client.ts), over the
// child-process IPC channel. One request at a time; every request carries an id echoed back.
import type { SparseHistogram } from './histogram.js';

/** Closed-loop load: `clients` persistent connections, each request → full reply → next request. */
export interface RunRequest {
  op: 'run';
  port: number;
  ups: string;
  /** 'get': GET VAR <ups> ups.status (one line); 'list': LIST VAR <ups> (until END LIST VAR). */
  kind: 'get' | 'list';
  clients: number;
  warmupMs: number;
  durationMs: number;
  /** Server processes whose CPU is read at the edges of the measuring window. */
  pids: number[];
}

/** Opens `count` connections, checks each with one GET VAR, then keeps them open and silent. */
export interface HoldRequest {
  op: 'hold';
  port: number;
  ups: string;
  count: number;
  /** Connections being opened at once (upsd listens with a backlog of 16). */
  concurrency: number;
}

/** Closes what `hold` opened; says how many the server had closed meanwhile. */
export interface ReleaseRequest {
  op: 'release';
}

export type LoadRequest = (RunRequest | HoldRequest | ReleaseRequest) & { id: number };

export interface RunResult {
  requests: number;
  windowMs: number;
  hist: SparseHistogram;
  /** Replies starting with ERR. */
  errReplies: number;
  /** Replies that were not byte-identical to the first (reference) reply of the run. */
  mismatches: number;
  samples: string[];
  reference: string;
  /** Connections the server closed or reset while the run was going. */
  dropped: number;
  /** Requests still unanswered when the run ended (after a grace period). */
  unanswered: number;
  /** CPU µs used by each pid in the window. */
  serverCpuUs: Record<number, number>;
  /** CPU µs of the load generator itself in the window: near 1e6/s means it may be the bottleneck. */
  clientCpuUs: number;
  /** CPU µs used by every process on the machine in the window (all cores). */
  machineBusyUs: number;
  /** Share of samples (every 20 ms) in which the server's main thread last ran on our CPU. */
  sameCpuShare: number;
  connectMs: number;
}

export interface HoldResult {
  opened: number;
  failed: number;
  failures: string[];
  ms: number;
}

export interface ReleaseResult {
  held: number;
  closedByServer: number;
}

export type LoadReply =
  | { id: number; ok: true; result: RunResult | HoldResult | ReleaseResult }
  | { id: number; ok: false; error: string };
