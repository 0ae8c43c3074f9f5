// upsgate as a child process: `node dist/upsgate.mjs run --nut-conf DIR`, the way the SD image
// runs it. Start waits until the NUT port accepts and every UPS answers; stderr is kept for
// assertions; stop sends SIGTERM, then SIGKILL after a timeout, and reports how it ended.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Daemon, sleep, waitUntilServing, type ExitStatus, type NutConfDir } from './nut-sandbox.js';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
export const UPSGATE_ENTRY = fileURLToPath(new URL('../../dist/upsgate.mjs', import.meta.url));

function requireBuild(): void {
  if (!existsSync(UPSGATE_ENTRY)) {
    throw new Error(`${UPSGATE_ENTRY} does not exist: run \`npm run build\` (npm test does it first)`);
  }
}

export interface UpsgateStartOptions {
  /** The folder to serve; its port and UPS names are used for the readiness check. */
  conf: NutConfDir;
  /** Extra CLI arguments after `run --nut-conf DIR`. */
  args?: string[];
  /** Extra environment variables. */
  env?: Record<string, string>;
  /** How long start-up may take (default 20 s). */
  readyTimeoutMs?: number;
}

export type { ExitStatus };

export class UpsgateProcess {
  readonly kind = 'upsgate' as const;

  private constructor(
    readonly conf: NutConfDir,
    private readonly daemon: Daemon,
  ) {}

  get port(): number {
    return this.conf.port;
  }

  get dir(): string {
    return this.conf.dir;
  }

  get pid(): number | undefined {
    return this.daemon.pid;
  }

  get running(): boolean {
    return this.daemon.running;
  }

  /** Everything upsgate wrote to stdout and stderr (it logs to stderr). */
  get stderr(): string {
    return this.daemon.log;
  }

  logs(): string {
    return `[upsgate]\n${this.daemon.log}`;
  }

  /** Resolves when the process ends on its own (or is stopped). */
  get exited(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    return this.daemon.exited;
  }

  static async start(opts: UpsgateStartOptions): Promise<UpsgateProcess> {
    requireBuild();
    const args = [UPSGATE_ENTRY, 'run', '--nut-conf', opts.conf.dir, ...(opts.args ?? [])];
    const child = spawn(process.execPath, args, {
      cwd: opts.conf.dir,
      env: { ...process.env, ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const daemon = new Daemon('upsgate', child);
    const proc = new UpsgateProcess(opts.conf, daemon);
    try {
      await waitUntilServing(opts.conf.port, opts.conf.upsNames(), {
        timeoutMs: opts.readyTimeoutMs ?? 20000,
        alive: () => (daemon.running ? undefined : `upsgate exited (code ${child.exitCode}, signal ${child.signalCode}):\n${daemon.log}`),
      });
    } catch (err) {
      await daemon.stop(2000);
      throw new Error(`${(err as Error).message}\n--- upsgate stderr ---\n${daemon.log}`);
    }
    return proc;
  }

  /** Waits until stderr matches `re` (e.g. a log line), or throws after `timeoutMs`. */
  async waitForStderr(re: RegExp, timeoutMs = 5000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const m = re.exec(this.daemon.log);
      if (m) return m[0];
      if (Date.now() > deadline) throw new Error(`upsgate stderr never matched ${re}:\n${this.daemon.log}`);
      await sleep(50);
    }
  }

  /** SIGTERM, then SIGKILL after `timeoutMs`. Does not remove the folder. */
  stop(timeoutMs = 5000): Promise<ExitStatus> {
    return this.daemon.stop(timeoutMs);
  }
}

/** Runs a one-shot upsgate command (e.g. `check-config --nut-conf DIR`) and collects its output. */
export function runUpsgate(
  args: string[],
  opts: { env?: Record<string, string>; timeoutMs?: number; cwd?: string } = {},
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  requireBuild();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [UPSGATE_ENTRY, ...args], {
      cwd: opts.cwd ?? REPO,
      env: { ...process.env, ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 20000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}
