import { Socket, type SocketConstructorOpts } from 'node:net';

/**
 * Reads without Node's stream machinery. A readable stream costs about a microsecond of CPU per
 * read — more than upsd spends on a whole request — so an accepted socket's handle is moved into a
 * Socket made with the `onread` option, which hands each read to `receive` from one reused buffer
 * and skips the stream bookkeeping. `receive` must finish with the bytes before it returns (they
 * are overwritten by the next read).
 *
 * Moving a handle relies on `_handle` and the `handle` option, which Node uses internally. If
 * either is missing (another Node version), the socket is returned unchanged and `undefined` says
 * so: the caller then reads 'data' events, as any stream.
 */
export function withDirectReads(socket: Socket, receive: (buf: Buffer, length: number) => void): Socket | undefined {
  const internal = socket as unknown as { _handle?: object | null };
  const handle = internal._handle;
  if (!handle || typeof handle !== 'object') return undefined;
  let direct: Socket;
  try {
    direct = new Socket({
      handle,
      onread: {
        buffer: sharedBuffer,
        callback: (bytes: number) => {
          receive(sharedBuffer, bytes);
          return true;
        },
      },
    } as SocketConstructorOpts);
  } catch {
    return undefined;
  }
  // The old wrapper lets go of the handle; closing it only settles the server's connection count.
  internal._handle = null;
  socket.destroy();
  direct.resume();
  return direct;
}

/** One buffer for every connection: reads are handled one at a time, to completion. */
const sharedBuffer = Buffer.allocUnsafe(64 * 1024);
