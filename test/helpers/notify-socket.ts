// A fake systemd notify socket (test/helpers/notify-receiver.py, since Node cannot bind an
// AF_UNIX datagram socket): the messages the real `systemd-notify` CLI sends, in arrival order.
import { mkdtemp, rm, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Daemon } from './nut-sandbox.js';
import { waitUntil } from './wait.js';

const RECEIVER = fileURLToPath(new URL('./notify-receiver.py', import.meta.url));

export interface NotifyMessage {
  pid: number | null;
  fields: Record<string, string>;
  /** performance.now() in this process when the line arrived. */
  at: number;
}

export class NotifySocket {
  readonly messages: NotifyMessage[] = [];
  private buffered = '';

  private constructor(readonly dir: string, readonly path: string, private readonly daemon: Daemon) {
    daemon.child.stdout!.on('data', (chunk: Buffer) => {
      this.buffered += chunk.toString('utf8');
      let nl: number;
      while ((nl = this.buffered.indexOf('\n')) >= 0) {
        const line = this.buffered.slice(0, nl);
        this.buffered = this.buffered.slice(nl + 1);
        const parsed = JSON.parse(line) as { pid?: number | null; fields?: Record<string, string> };
        if (parsed.fields) {
          const message = { pid: parsed.pid ?? null, fields: parsed.fields, at: performance.now() };
          this.messages.push(message);
          for (const listener of this.listeners) listener(message);
        }
      }
    });
  }

  private readonly listeners = new Set<(m: NotifyMessage) => void>();

  static async create(): Promise<NotifySocket> {
    const dir = await mkdtemp(path.join(tmpdir(), 'upsgate-notify-'));
    // An unprivileged sender must be able to reach the socket, as PID 1's is.
    await chmod(dir, 0o755);
    const socketPath = path.join(dir, 'notify');
    const daemon = Daemon.spawn('notify-receiver', 'python3', [RECEIVER, socketPath], process.env);
    const socket = new NotifySocket(dir, socketPath, daemon);
    await waitUntil('the fake notify socket to listen', () => daemon.log.includes('"listening"'), 5000, () => daemon.log);
    await chmod(socketPath, 0o777);
    return socket;
  }

  /** Every message with this field set, e.g. `with('WATCHDOG')`. */
  with(field: string): NotifyMessage[] {
    return this.messages.filter((m) => field in m.fields);
  }

  /** Calls `fn` for each message from now on (to act the moment READY=1 arrives). */
  onMessage(fn: (m: NotifyMessage) => void): void {
    this.listeners.add(fn);
  }

  async waitFor(field: string, value: string, count = 1, timeoutMs = 10_000): Promise<void> {
    await waitUntil(`${count} × ${field}=${value} on the notify socket`, () => this.messages.filter((m) => m.fields[field] === value).length >= count,
      timeoutMs, () => JSON.stringify(this.messages.map((m) => m.fields)));
  }

  async close(): Promise<void> {
    await this.daemon.stop();
    await rm(this.dir, { recursive: true, force: true });
  }
}
