// The bench's end of the load generator: forks bench/load-client.ts once (so its JIT stays warm
// across runs and both servers get the very same process) and turns IPC requests into promises.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { HoldRequest, HoldResult, LoadReply, ReleaseResult, RunRequest, RunResult } from './load-protocol.js';
import { track } from './processes.js';

type Without<T> = Omit<T, 'op'>;

export class LoadDriver {
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (r: unknown) => void; reject: (e: Error) => void }>();

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (m: LoadReply) => {
      const w = this.waiting.get(m.id);
      if (!w) return;
      this.waiting.delete(m.id);
      if (m.ok) w.resolve(m.result);
      else w.reject(new Error(m.error));
    });
    child.on('exit', (code, signal) => {
      for (const w of this.waiting.values()) w.reject(new Error(`load generator exited (${code ?? signal})`));
      this.waiting.clear();
    });
  }

  static start(): LoadDriver {
    const child = fork(fileURLToPath(new URL('./load-client.ts', import.meta.url)), [], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    track(child, 'load generator');
    return new LoadDriver(child);
  }

  get pid(): number {
    return this.child.pid!;
  }

  run(req: Without<RunRequest>): Promise<RunResult> {
    return this.ask({ ...req, op: 'run' }) as Promise<RunResult>;
  }

  hold(req: Without<HoldRequest>): Promise<HoldResult> {
    return this.ask({ ...req, op: 'hold' }) as Promise<HoldResult>;
  }

  release(): Promise<ReleaseResult> {
    return this.ask({ op: 'release' }) as Promise<ReleaseResult>;
  }

  stop(): void {
    if (this.child.connected) this.child.disconnect();
  }

  private ask(req: object): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.child.send({ ...req, id });
    });
  }
}
