// Every process and temp dir the bench creates is registered here, so that whatever happens (an
// exception, Ctrl-C, SIGTERM) they are ended by their own PID and removed. Nothing else on the
// machine is ever signalled: other NUT daemons may well be running.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { rmSync } from 'node:fs';

const live = new Map<ChildProcess, string>();
const paths = new Set<string>();

export function track(child: ChildProcess, name: string): ChildProcess {
  live.set(child, name);
  child.once('exit', () => live.delete(child));
  child.once('error', () => live.delete(child));
  return child;
}

export function trackPath(dir: string): string {
  paths.add(dir);
  return dir;
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  paths.delete(dir);
}

/** A child with its output kept (the last 64 KiB) for error messages. */
export class Proc {
  readonly exited: Promise<void>;
  private out = '';

  constructor(
    readonly name: string,
    readonly child: ChildProcess,
  ) {
    track(child, name);
    const add = (c: Buffer): void => {
      this.out = (this.out + c.toString('latin1')).slice(-65536);
    };
    child.stdout?.on('data', add);
    child.stderr?.on('data', add);
    this.exited = new Promise((resolve) => {
      child.once('exit', () => resolve());
      child.once('error', (e) => {
        add(Buffer.from(`[spawn error: ${e.message}]`));
        resolve();
      });
    });
  }

  static spawn(name: string, cmd: string, args: string[], opts: SpawnOptions = {}): Proc {
    return new Proc(name, spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...opts }));
  }

  get pid(): number {
    if (this.child.pid === undefined) throw new Error(`${this.name} did not start: ${this.out}`);
    return this.child.pid;
  }

  get running(): boolean {
    return this.child.pid !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  get log(): string {
    return this.out;
  }

  /** SIGTERM by PID, SIGKILL after `graceMs`. */
  async stop(graceMs = 3000): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.exited, new Promise<void>((r) => (timer = setTimeout(r, graceMs)))]);
    clearTimeout(timer);
    if (this.running) {
      this.child.kill('SIGKILL');
      await this.exited;
    }
  }
}

/** Last resort, synchronous: kill what is still alive, remove the temp dirs and files. */
export function cleanupNow(): void {
  for (const child of live.keys()) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  live.clear();
  for (const p of paths) rmSync(p, { recursive: true, force: true });
  paths.clear();
}

let installed = false;
export function installCleanupHandlers(): void {
  if (installed) return;
  installed = true;
  process.on('exit', cleanupNow);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(sig, () => {
      process.stderr.write(`\nbench: ${sig}: stopping the servers it started\n`);
      cleanupNow();
      process.exit(128 + (sig === 'SIGINT' ? 2 : sig === 'SIGTERM' ? 15 : 1));
    });
  }
}
