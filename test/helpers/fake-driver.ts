// A NUT driver stand-in on the driver socket (PROTOCOL.md §8): real upsd connects to it at
// <STATEPATH>/<driver>-<ups> like to any driver, gets `dump` for DUMPALL, PONG for PING, and
// for INSTCMD / SET the TRACKING result the test chose. It lets real upsd serve what
// dummy-ups cannot: ENUM and RANGE variables, and tracked commands that succeed or fail.
import { createServer, type Server, type Socket } from 'node:net';
import { rm } from 'node:fs/promises';
import { pconfEncode, tokenize } from '../../src/conf/parseconf.js';

export interface FakeDriverOptions {
  /** Driver-socket lines answering DUMPALL (DUMPDONE is added). */
  dump: string[];
  /** TRACKING code per instant command (0 success, 1 unknown, 2 invalid argument, 3 failed); default 0. */
  instcmdResults?: Record<string, number>;
  /** TRACKING code for SET; default 0 (and the value is applied). */
  setResult?: number;
}

export class FakeDriver {
  private readonly sockets = new Set<Socket>();
  /** Every line upsd sent, in order. */
  readonly received: string[] = [];

  private constructor(
    private readonly server: Server,
    readonly path: string,
  ) {}

  static start(path: string, opts: FakeDriverOptions): Promise<FakeDriver> {
    return new Promise((resolve, reject) => {
      const server = createServer();
      const driver = new FakeDriver(server, path);
      server.on('connection', (s) => driver.serve(s, opts));
      server.once('error', reject);
      server.listen(path, () => resolve(driver));
    });
  }

  private serve(socket: Socket, opts: FakeDriverOptions): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => {});
    socket.setEncoding('latin1');
    let buf = '';
    socket.on('data', (chunk: string) => {
      buf += chunk;
      for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        this.received.push(line);
        const reply = this.answer(line, opts);
        if (reply.length > 0) socket.write(reply.map((l) => `${l}\n`).join(''));
      }
    });
  }

  private answer(line: string, opts: FakeDriverOptions): string[] {
    const words = tokenize(line)[0]?.words.map((w) => w.text) ?? [];
    const tracking = words.at(-2) === 'TRACKING' ? words.at(-1) : undefined;
    switch (words[0]) {
      case 'DUMPALL':
        return [...opts.dump, 'DUMPDONE'];
      case 'PING':
        return ['PONG'];
      case 'INSTCMD': {
        const code = opts.instcmdResults?.[words[1] ?? ''] ?? 0;
        return tracking ? [`TRACKING ${tracking} ${code}`] : [];
      }
      case 'SET': {
        const code = opts.setResult ?? 0;
        const out = code === 0 ? [`SETINFO ${words[1]} "${pconfEncode(words[2] ?? '')}"`] : [];
        return tracking ? [...out, `TRACKING ${tracking} ${code}`] : out;
      }
      default:
        return [];
    }
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    await rm(this.path, { force: true });
  }
}
