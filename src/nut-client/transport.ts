/**
 * The byte pipe under a NUT conversation: a TCP connection, and its STARTTLS upgrade. node:tls
 * is imported only when a connection is actually upgraded: a monitor that never uses TLS does
 * not carry it in memory.
 */
import { connect as tcpConnect, isIP, type Socket } from 'node:net';
import type { Clock } from '../core/clock.js';
import { NutConnectionError } from './errors.js';

/** `host:port`, with IPv6 literals in brackets, for messages. */
export function describeAddress(host: string, port: number): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** The code of a socket error; Happy Eyeballs reports an AggregateError holding the codes. */
export function errorCode(err: unknown): string | undefined {
  const e = err as { code?: unknown; errors?: Array<{ code?: unknown }> } | undefined;
  if (typeof e?.code === 'string') return e.code;
  const inner = e?.errors?.find((x) => typeof x?.code === 'string');
  return typeof inner?.code === 'string' ? inner.code : undefined;
}

const NO_SUCH_HOST = new Set(['ENOTFOUND', 'EAI_NONAME', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NODATA']);

export interface OpenOptions {
  host: string;
  port: number;
  clock: Clock;
  timeoutMs: number;
  signal?: AbortSignal;
}

/** Opens a TCP connection; rejects NutConnectionError (never throws). */
export function openTcp(opts: OpenOptions): Promise<Socket> {
  const where = describeAddress(opts.host, opts.port);
  return new Promise((resolve, reject) => {
    if (opts.signal?.aborted) {
      reject(new NutConnectionError(where, 'local', 'connecting was cancelled'));
      return;
    }
    let socket: Socket;
    try {
      socket = tcpConnect({ host: opts.host, port: opts.port });
    } catch (e) {
      reject(new NutConnectionError(where, 'connect', `cannot connect: ${(e as Error).message}`, 'EINVAL'));
      return;
    }
    const done = (err?: NutConnectionError): void => {
      timer.cancel();
      opts.signal?.removeEventListener('abort', onAbort);
      socket.removeListener('error', onError);
      socket.removeListener('connect', onConnect);
      if (err) {
        socket.destroy();
        reject(err);
      } else {
        resolve(socket);
      }
    };
    const onError = (e: Error): void => {
      const code = errorCode(e);
      if (code !== undefined && NO_SUCH_HOST.has(code)) done(new NutConnectionError(where, 'no-such-host', `no such host (${code})`, code));
      else done(new NutConnectionError(where, 'connect', `cannot connect: ${code ?? e.message}`, code));
    };
    const onConnect = (): void => done();
    const onAbort = (): void => done(new NutConnectionError(where, 'local', 'connecting was cancelled'));
    const timer = opts.clock.setTimeout(
      () => done(new NutConnectionError(where, 'timeout', `no connection within ${opts.timeoutMs} ms`, 'ETIMEDOUT')),
      opts.timeoutMs,
    );
    opts.signal?.addEventListener('abort', onAbort);
    socket.once('error', onError);
    socket.once('connect', onConnect);
  });
}

export interface TlsOptions {
  verify: boolean;
  ca?: string | Buffer;
  /** The name the certificate must carry (a DNS name or an IP address). */
  name: string;
}

/**
 * Runs the TLS handshake on a connection that just got `OK STARTTLS`. With `verify`, the chain
 * must lead to `ca` (else the system CAs) and the certificate must name `name`; without it,
 * anything is accepted, as NUT's clients do with CERTVERIFY 0.
 */
export async function upgradeToTls(plain: Socket, where: string, opts: TlsOptions): Promise<Socket> {
  const tls = await import('node:tls');
  return new Promise((resolve, reject) => {
    let secure: import('node:tls').TLSSocket;
    try {
      secure = tls.connect({
        socket: plain,
        // SNI carries host names only (RFC 6066); an IP address is still checked below.
        ...(isIP(opts.name) === 0 ? { servername: opts.name } : {}),
        ...(opts.ca !== undefined ? { ca: opts.ca } : {}),
        rejectUnauthorized: opts.verify,
        checkServerIdentity: (_host, cert) => (opts.verify ? tls.checkServerIdentity(opts.name, cert) : undefined),
      });
    } catch (e) {
      reject(new NutConnectionError(where, 'tls', `TLS set-up failed: ${(e as Error).message}`));
      return;
    }
    const onError = (e: Error): void => {
      secure.removeListener('secureConnect', onSecure);
      secure.destroy();
      const code = errorCode(e);
      reject(new NutConnectionError(where, 'tls', `TLS handshake failed: ${e.message}${code && !e.message.includes(code) ? ` (${code})` : ''}`, code));
    };
    const onSecure = (): void => {
      secure.removeListener('error', onError);
      resolve(secure);
    };
    secure.once('error', onError);
    secure.once('secureConnect', onSecure);
  });
}
