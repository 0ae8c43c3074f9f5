/**
 * E-mail through nodemailer (SMTP), TrueNAS-style: several recipients, a subject with
 * placeholders, the message plus UPS, type and time as the body. nodemailer is imported on the
 * first send only, so a gateway without e-mail never carries it in memory.
 */
import type { EmailSettings } from '../../conf/settings-model.js';
import { describeError, PermanentChannelError, type NotificationChannel } from './channel.js';
import type { MonitorEvent } from './event-log.js';
import { emailBody, expandSubject } from './text.js';

type Transporter = {
  sendMail(mail: Record<string, unknown>): Promise<unknown>;
};

export interface EmailChannelDeps {
  /** Shown in the subject (%h), the body and the SMTP greeting. */
  hostname: string;
}

/** SMTP answers that another try will not change: bad login, refused sender or recipient. */
const PERMANENT_CODES = new Set(['EAUTH', 'EENVELOPE', 'ENOAUTH', 'ECONFIG']);

export function createEmailChannel(settings: EmailSettings, deps: EmailChannelDeps): NotificationChannel {
  const { smtp } = settings;
  let transporter: Promise<Transporter> | undefined;

  const connect = async (): Promise<Transporter> => {
    const nodemailer = await import('nodemailer');
    return nodemailer.createTransport({
      host: smtp.host,
      port: smtp.port,
      secure: smtp.security === 'tls',
      requireTLS: smtp.security === 'starttls',
      ignoreTLS: smtp.security === 'none',
      ...(smtp.username !== undefined ? { auth: { user: smtp.username, pass: smtp.password ?? '' } } : {}),
      tls: { rejectUnauthorized: smtp.rejectUnauthorized, minVersion: 'TLSv1.2' },
      name: deps.hostname,
      // The dispatcher's deadline covers the whole send; these only keep nodemailer's own waits shorter.
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 20_000,
      // Messages are plain text we build ourselves: nothing may make nodemailer read files or URLs.
      disableFileAccess: true,
      disableUrlAccess: true,
    }) as unknown as Transporter;
  };

  return {
    name: 'email',
    types: settings.types,
    async send(e: MonitorEvent, signal: AbortSignal): Promise<void> {
      transporter ??= connect();
      let mailer: Transporter;
      try {
        mailer = await transporter;
      } catch (error) {
        transporter = undefined;
        throw new Error(`nodemailer could not be loaded: ${describeError(error)}`);
      }
      try {
        await mailer.sendMail({
          from: settings.from,
          to: settings.to,
          subject: expandSubject(settings.subject, e, deps.hostname),
          text: emailBody(e, deps.hostname),
          signal,
        });
      } catch (error) {
        if (signal.aborted) throw signal.reason;
        const where = `SMTP ${smtp.host}:${smtp.port}`;
        const code = (error as { code?: unknown }).code;
        const responseCode = (error as { responseCode?: unknown }).responseCode;
        const said = describeError(error);
        const certificate = /certificate/i.test(said);
        const permanent = certificate || (typeof code === 'string' && PERMANENT_CODES.has(code)) || (typeof responseCode === 'number' && responseCode >= 500);
        const reason = `${where}: ${said}${hint(said, code, certificate)}`;
        throw permanent ? new PermanentChannelError(reason) : new Error(reason);
      }
    },
  };
}

/** What the user can change in upsgate.json about the failures that are theirs to fix. */
function hint(said: string, code: unknown, certificate: boolean): string {
  if (certificate) return '; a self-signed or private certificate needs notify.email.smtp.rejectUnauthorized false';
  if (code === 'ETLS' || /STARTTLS/i.test(said)) return '; the server does not offer STARTTLS: set notify.email.smtp.security to "tls" or "none"';
  if (code === 'EAUTH') return '; check notify.email.smtp.username and password';
  return '';
}
