// A free loopback port: bind port 0, read what the kernel chose, close. Someone could take it in
// between; the servers then fail to bind and the bench stops with their log, never a silent pass.
import { createServer } from 'node:net';

const handedOut = new Set<number>();

export async function freePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen({ port: 0, host: '127.0.0.1', exclusive: true }, () => {
        const a = server.address();
        const p = a !== null && typeof a === 'object' ? a.port : 0;
        server.close(() => resolve(p));
      });
    });
    // Two servers started back to back must not be given the same port.
    if (port > 0 && !handedOut.has(port)) {
      handedOut.add(port);
      return port;
    }
  }
}
