/**
 * The mail server beside TrueNAS's Email fields (TrueNAS keeps it on another screen; upsgate has
 * no other, so the Email group carries it): host, port, security, login, sender. The password is
 * never put into the form; an empty field keeps the stored one.
 */
import type { FormField } from './form-field.js';
import type { EmailSettings, GatewaySettings } from './settings-model.js';
import { EMAIL_ADDRESS, SMTP_DEFAULT_PORTS, SMTP_SECURITY } from './settings.js';


export const SMTP_FIELDS: FormField[] = [
  { name: 'smtpHost', label: 'Mail Server', input: 'text', help: 'The SMTP server the e-mails go through, e.g. smtp.example.org.' },
  {
    name: 'smtpSecurity', label: 'Mail Security', input: 'select', help: 'STARTTLS (port 587) is what most providers want; TLS is port 465.',
    options: [{ value: 'starttls', label: 'STARTTLS' }, { value: 'tls', label: 'TLS' }, { value: 'none', label: 'None (plain text)' }],
  },
  { name: 'smtpPort', label: 'Mail Port', input: 'number', help: 'Empty: the usual port for the security chosen (587, 465 or 25).' },
  { name: 'smtpUsername', label: 'Mail Username', input: 'text', help: 'The SMTP login, if the server asks for one.' },
  { name: 'smtpPassword', label: 'Mail Password', input: 'password', help: 'Leave empty to keep the stored password.', secretSetKey: 'smtpPasswordSet' },
  { name: 'smtpFrom', label: 'Mail From', input: 'text', help: 'The sender address; empty: the login if it is an address, else upsgate@<host name>.' },
  { name: 'smtpVerify', label: 'Verify Mail Server Certificate', input: 'checkbox', help: 'Refuse a server whose certificate cannot be verified (leave on).' },
];

export function smtpFormValues(s: GatewaySettings): Record<string, string> {
  const e = s.notify.email;
  if (!e) return { smtpSecurity: 'starttls', smtpVerify: 'on' };
  const out: Record<string, string> = {
    smtpHost: e.smtp.host, smtpSecurity: e.smtp.security, smtpPort: String(e.smtp.port), smtpUsername: e.smtp.username ?? '', smtpFrom: e.from,
  };
  if (e.smtp.rejectUnauthorized) out.smtpVerify = 'on';
  if (e.smtp.password !== undefined) out.smtpPasswordSet = 'on';
  return out;
}

export type SmtpFormResult = { smtp: EmailSettings['smtp'] | undefined; from: string | undefined } | { errors: Record<string, string> };

/** The mail server from the form (undefined when no host is given), or the refusals by field. */
export function smtpFromForm(input: Record<string, string | undefined>, current: GatewaySettings): SmtpFormResult {
  const text = (k: string) => (input[k] ?? '').trim();
  const host = text('smtpHost');
  if (host === '') return { smtp: undefined, from: undefined };
  const errors: Record<string, string> = {};
  if (!/^[A-Za-z0-9.:[\]-]+$/.test(host)) errors.smtpHost = `Mail Server "${host}" is not a host name or address, e.g. smtp.example.org`;
  const security = (SMTP_SECURITY as readonly string[]).includes(text('smtpSecurity')) ? (text('smtpSecurity') as EmailSettings['smtp']['security']) : 'starttls';
  const portText = text('smtpPort');
  const port = portText === '' ? SMTP_DEFAULT_PORTS[security] : /^\d{1,5}$/.test(portText) ? Number(portText) : NaN;
  if (!(port >= 1 && port <= 65535)) errors.smtpPort = `Mail Port "${portText}" is not a port: a whole number from 1 to 65535, or empty`;
  const smtp: EmailSettings['smtp'] = { host, port, security, rejectUnauthorized: input.smtpVerify === 'on' };
  const user = text('smtpUsername');
  if (user !== '') {
    const stored = current.notify.email?.smtp;
    const password = input.smtpPassword ?? '';
    const kept = stored?.username === user ? stored.password : undefined;
    if (password === '' && kept === undefined) errors.smtpPassword = 'Mail Password: the login needs its password';
    smtp.username = user;
    smtp.password = password !== '' ? password : kept;
  }
  const from = text('smtpFrom');
  if (from !== '' && !EMAIL_ADDRESS.test(from)) errors.smtpFrom = `Mail From "${from}" is not an e-mail address, e.g. ups@example.org`;
  return Object.keys(errors).length > 0 ? { errors } : { smtp, from: from === '' ? undefined : from };
}
