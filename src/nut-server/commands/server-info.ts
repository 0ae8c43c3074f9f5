import type { Handler } from '../context.js';
import { err, line } from '../reply.js';

export const ver: Handler = (ctx, _session, args) => (args.length !== 0 ? err('INVALID-ARGUMENT') : line(ctx.identity.ver));

/** NETVER and its 2.8.0 alias PROTVER: protocol 1.3. */
export const netver: Handler = (_ctx, _session, args) => (args.length !== 0 ? err('INVALID-ARGUMENT') : line('1.3'));

export const help: Handler = (_ctx, _session, args) =>
  args.length !== 0
    ? err('INVALID-ARGUMENT')
    : line('Commands: HELP VER GET LIST SET INSTCMD LOGIN LOGOUT USERNAME PASSWORD STARTTLS');

/** STARTTLS: `OK STARTTLS` then the TLS handshake when CERTFILE is set; otherwise what upsd says without a certificate. */
export const starttls: Handler = (ctx, session) => {
  if (session.tls) return err('ALREADY-SSL-MODE');
  if (!ctx.tlsAvailable) return err('FEATURE-NOT-CONFIGURED');
  session.next = 'starttls';
  return line('OK STARTTLS');
};
