// A scripted NUT server on 127.0.0.1 for the client's unit tests: each received request line is
// handed to `answer`, which returns the bytes to send back (or nothing, to stay silent). Tests
// that need to misbehave (garbage, over-long lines, unsolicited lines, closing) use the
// connection directly.
import { createServer, type Server, type Socket } from 'node:net';

export type Answer = (line: string, conn: FakeConnection) => string | undefined | void;

export class FakeConnection {
  readonly received: string[] = [];
  private buf = '';
  private waiters: Array<() => void> = [];

  constructor(
    readonly socket: Socket,
    private readonly answer: Answer,
  ) {
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      this.buf += chunk;
      for (let nl = this.buf.indexOf('\n'); nl >= 0; nl = this.buf.indexOf('\n')) {
        const line = this.buf.slice(0, nl);
        this.buf = this.buf.slice(nl + 1);
        this.received.push(line);
        const out = this.answer(line, this);
        if (typeof out === 'string' && !socket.destroyed) socket.write(out);
      }
      for (const w of this.waiters.splice(0)) w();
    });
    socket.on('error', () => {});
  }

  send(text: string | Buffer): void {
    if (!this.socket.destroyed) this.socket.write(text);
  }

  /** Resolves once `n` request lines have arrived. */
  async waitForLines(n: number, timeoutMs = 3000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.received.length < n) {
      if (Date.now() > deadline) throw new Error(`only ${this.received.length} of ${n} lines arrived: ${JSON.stringify(this.received)}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 20);
      });
    }
  }
}

export class FakeNutServer {
  readonly connections: FakeConnection[] = [];

  private constructor(
    private readonly server: Server,
    readonly port: number,
    public answer: Answer,
  ) {}

  static start(answer: Answer = () => undefined, port = 0): Promise<FakeNutServer> {
    return new Promise((resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen({ port, host: '127.0.0.1' }, () => {
        const address = server.address();
        if (address === null || typeof address === 'string') throw new Error('no port');
        const fake = new FakeNutServer(server, address.port, answer);
        server.on('connection', (s) => fake.connections.push(new FakeConnection(s, (l, c) => fake.answer(l, c))));
        resolve(fake);
      });
    });
  }

  /** The latest connection, once there is one. */
  async connection(index = 0, timeoutMs = 3000): Promise<FakeConnection> {
    const deadline = Date.now() + timeoutMs;
    while (this.connections.length <= index) {
      if (Date.now() > deadline) throw new Error(`no connection #${index}`);
      await sleep(5);
    }
    return this.connections[index]!;
  }

  async close(): Promise<void> {
    for (const c of this.connections) c.socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `cond` on real time (the sockets are real even when the clock is fake). */
export async function until(cond: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

/** upsd's answers to the requests the tests make, for servers that should just work. */
export function upsdLike(line: string): string | undefined {
  const w = line.split(' ');
  switch (w[0]) {
    case 'STARTTLS':
      return 'ERR FEATURE-NOT-CONFIGURED\n';
    case 'USERNAME':
    case 'PASSWORD':
    case 'LOGIN':
      return 'OK\n';
    case 'PRIMARY':
      return 'OK PRIMARY-GRANTED\n';
    case 'LOGOUT':
      return 'OK Goodbye\n';
    case 'GET':
      if (w[1] === 'VAR') return `VAR ${w[2]} ${w[3]} "value of ${w[3]}"\n`;
      return 'ERR INVALID-ARGUMENT\n';
    default:
      return 'ERR UNKNOWN-COMMAND\n';
  }
}
