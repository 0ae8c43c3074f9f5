/**
 * A real SMTP server (nodemailer's smtp-server) on 127.0.0.1 that keeps what it receives:
 * envelope, whether the session was encrypted, who logged in, and the message's subject and body.
 */
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import type { AddressInfo } from 'node:net';

export interface ReceivedMail {
  from: string | undefined;
  to: string[];
  secure: boolean;
  user: string | undefined;
  headers: Map<string, string>;
  subject: string;
  body: string;
}

export interface SmtpSink {
  port: number;
  mails: ReceivedMail[];
  /** Resolves when `count` mails have arrived. */
  waitFor(count: number): Promise<void>;
  close(): Promise<void>;
}

export interface SmtpSinkOptions {
  /** Implicit TLS on connect ("tls"), STARTTLS offered ("starttls"), or neither. */
  tls?: { mode: 'tls' | 'starttls'; key: string; cert: string };
  /** When set, AUTH is required and only this login is accepted. */
  login?: { user: string; pass: string };
}

export async function startSmtpSink(options: SmtpSinkOptions = {}): Promise<SmtpSink> {
  const mails: ReceivedMail[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  const serverOptions: SMTPServerOptions = {
    logger: false,
    disabledCommands: options.tls ? [] : ['STARTTLS'],
    authOptional: options.login === undefined,
    ...(options.tls ? { key: options.tls.key, cert: options.tls.cert, secure: options.tls.mode === 'tls' } : {}),
    onAuth(auth, _session, callback) {
      const ok = options.login && auth.username === options.login.user && auth.password === options.login.pass;
      if (ok) callback(null, { user: auth.username });
      else callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const { headers, body } = parseMessage(Buffer.concat(chunks).toString('utf8'));
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : undefined,
          to: session.envelope.rcptTo.map((r) => r.address),
          secure: session.secure,
          user: typeof session.user === 'string' ? session.user : undefined,
          headers,
          subject: headers.get('subject') ?? '',
          body,
        });
        for (const w of waiters.filter((w) => mails.length >= w.count)) w.resolve();
        callback();
      });
    },
  };
  const server = new SMTPServer(serverOptions);
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;
  return {
    port,
    mails,
    waitFor: (count) => (mails.length >= count ? Promise.resolve() : new Promise((resolve) => waiters.push({ count, resolve }))),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Headers (unfolded, names in lower case) and the body, quoted-printable decoded if it is. */
function parseMessage(raw: string): { headers: Map<string, string>; body: string } {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  let body = raw.slice(split + 4);
  const headers = new Map<string, string>();
  for (const line of head.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim());
  }
  if (headers.get('content-transfer-encoding')?.toLowerCase() === 'quoted-printable') {
    body = Buffer.from(
      body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))),
      'latin1',
    ).toString('utf8');
  }
  return { headers, body: body.replace(/\r\n/g, '\n') };
}
