import type { Socket } from 'node:net';

/** Turns a plain connection into a TLS one after `OK STARTTLS` (server side). */
export interface TlsUpgrade {
  upgrade(plain: Socket): Socket;
}

/**
 * TLS from CERTFILE: one PEM holding the certificate (chain) and its private key, as NUT's OpenSSL
 * build reads it. node:tls is loaded only here, so a gateway without CERTFILE never pays for it.
 * Throws what createSecureContext says when the PEM is unusable.
 */
export async function tlsFromPem(pem: Buffer): Promise<TlsUpgrade> {
  const tls = await import('node:tls');
  const secureContext = tls.createSecureContext({ cert: pem, key: pem, minVersion: 'TLSv1.2' });
  return { upgrade: (plain) => new tls.TLSSocket(plain, { isServer: true, secureContext }) };
}
