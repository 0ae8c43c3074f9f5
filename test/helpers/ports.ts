// A free TCP port on the loopback interface: bind to port 0, read what the kernel chose, close.
// There is a small window in which someone else may take it; the servers we start report a
// bind failure loudly, so a clash shows up as a clear start-up error, never as a silent pass.
import { createServer } from 'node:net';

export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ port: 0, host, exclusive: true }, () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        server.close();
        reject(new Error('could not read the port of a listening socket'));
        return;
      }
      const { port } = address;
      server.close((err) => (err ? reject(err) : resolve(port)));
    });
  });
}

/**
 * A port free on both 127.0.0.1 and ::1 (the servers under test listen on both). Ports handed out
 * by this process are remembered so two sandboxes of the same test file never get the same one.
 */
const handedOut = new Set<number>();
export async function freeDualStackPort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = await freePort('127.0.0.1');
    if (handedOut.has(port)) continue;
    if (await isFree(port, '::1')) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error('no TCP port free on both 127.0.0.1 and ::1 after 50 attempts');
}

function isFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}
