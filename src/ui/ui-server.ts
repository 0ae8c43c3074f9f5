/**
 * The HTTP listener of the web UI, on @hono/node-server. Headers, request time and connections
 * are bounded so a slow or hostile client cannot hold the box's memory; an address already in
 * use is one clear error naming it.
 */
import type { Server } from 'node:http';
import { createAdaptorServer } from '@hono/node-server';
import type { Hono } from 'hono';
import { formatListenAddress } from '../conf/mqtt-values.js';
import type { Logger } from '../core/logger.js';
import type { UiEnv } from './ui-deps.js';
import { UiListenError } from './ui-listen-error.js';


export interface UiListen {
  host: string;
  port: number;
  /** Where it was configured ("--http", "upsgate.json: http.listen"), for the error. */
  origin: string;
}

export interface RunningUi {
  /** The address actually bound (port 0 picks a free one). */
  address: { host: string; port: number };
  stop(): Promise<void>;
}

const MAX_CONNECTIONS = 64;

export async function startUiServer(app: Hono<UiEnv>, listen: UiListen, log: Logger): Promise<RunningUi> {
  const server = createAdaptorServer({ fetch: app.fetch }) as Server;
  server.maxHeadersCount = 64;
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  // Live pages keep their connection open; others are closed when idle.
  server.keepAliveTimeout = 5_000;
  server.maxConnections = MAX_CONNECTIONS;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      const why = e.code === 'EADDRINUSE' ? 'the address is already in use' : e.code === 'EACCES' ? 'permission denied (ports below 1024 need privileges)' :
        e.code === 'EADDRNOTAVAIL' ? 'this machine has no such address' : e.message;
      reject(new UiListenError(`${listen.origin}: cannot listen on ${formatListenAddress(listen)} for the web UI: ${why}`));
    });
    server.listen({ host: listen.host, port: listen.port, ipv6Only: listen.host.includes(':') }, () => resolve());
  });
  server.on('error', (e) => log.error(`web UI listener: ${e.message}`));
  const a = server.address();
  const address = a && typeof a === 'object' ? { host: a.address, port: a.port } : { host: listen.host, port: listen.port };
  log.info(`web UI on http://${formatListenAddress(address)}/`);
  return {
    address,
    stop: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      // Live pages never end by themselves.
      server.closeAllConnections();
    }),
  };
}
